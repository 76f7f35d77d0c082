"""``sweep --out``: folders the user owns stay theirs (issue 18).

The toolkit writes only into a new, empty or its own folder (``--force`` otherwise); a
refused run changes nothing; nothing is written through a symbolic link; a second sweep
into the same folder refuses at once; an ``--out`` that cannot be made is refused before
any point runs; a full disk or a file-size limit is one line with the rows already
written whole; a sweep config naming a command a sweep cannot run is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import resource
import subprocess
import sys
import types
from pathlib import Path

import pytest
from fault_helpers import cli_argv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sweep_fakes import ENVIRONMENT, fake_simulate, with_fake_commands

from verification import cli
from verification.errors import UsageError
from verification.evidence import EvidenceError, check_evidence, check_manifest
from verification.sweep import ResultStore, read_rows, run_sweep
from verification.sweep import store as store_module

FAKE = (
    'command = "simulate fake"\nseed = 3\n[fixed]\ntrials = 50\n[grid]\nx = [0.5, 1.0, 1.5, 2.0]\n'
)
WRITER = (
    'command = "simulate fake-writer"\nseed = 3\n'
    '[[points]]\nx = 1.0\nout = "a"\n[[points]]\nx = 2.0\nout = "b"\n'
)


@pytest.fixture(scope="module")
def modules():
    return with_fake_commands()


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(FAKE)
    return path


def sweep(config: Path, out: Path, modules, **options):
    return run_sweep(config, out, in_process=True, quiet=True, command_modules=modules, **options)


def main(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(argv)
    return status, err.getvalue()


def tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = "dir"
    return found


def test_a_folder_of_the_users_own_is_refused_and_kept(config, modules, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "results.jsonl").write_text("my own notes\n")
    (out / "sweep.json").write_text("mine too")
    before = tree(tmp_path)
    with pytest.raises(UsageError, match=r"^--out: expected a new or empty directory, or one"):
        sweep(config, out, modules)
    with pytest.raises(UsageError, match=r"--force to write into another"):
        sweep(config, out, modules, resume=True)
    assert tree(tmp_path) == before
    summary = sweep(config, out, modules, force=True)
    assert summary.computed == 4 and check_evidence(out, "sweep", mend=None)
    assert b"my own notes" not in (out / "results.jsonl").read_bytes()


def test_the_cli_takes_force(config, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "note.txt").write_text("x")
    pair = tmp_path / "p.toml"
    pair.write_text(
        'command = "theory pair"\n[fixed]\na = [1, 1, 0, 0]\n[grid]\nb = [[1, 0, 1, 0]]\n'
    )
    status, err = main(["sweep", str(pair), "--out", str(out), "--in-process"])
    assert status == 2 and err.count("\n") == 1 and "--force" in err
    assert main(["sweep", str(pair), "--out", str(out), "--in-process", "--force"])[0] == 0
    assert (out / "note.txt").read_text() == "x"  # --force writes its files, removes nothing


def test_a_finished_sweep_needs_resume_or_force(config, modules, tmp_path):
    out = tmp_path / "out"
    sweep(config, out, modules)
    before = tree(out)
    with pytest.raises(UsageError, match=r"without results.jsonl \(or --resume to finish it"):
        sweep(config, out, modules)
    assert tree(out) == before
    assert sweep(config, out, modules, force=True).computed == 4  # afresh
    assert len(read_rows(out / "results.jsonl", sealed=True).rows) == 4


@pytest.mark.parametrize("name", ["results.jsonl", "manifest.json", "sweep.json", ".sweep.lock"])
def test_nothing_is_written_through_a_link(config, modules, tmp_path, name):
    out = tmp_path / "out"
    sweep(config, out, modules)
    outside = tmp_path / "outside.txt"
    outside.write_text("the user's file")
    (out / name).unlink()
    (out / name).symlink_to(outside)
    before = tree(tmp_path)
    with pytest.raises(UsageError, match=rf"^--out: expected a directory whose {name} is not a"):
        sweep(config, out, modules, resume=True, force=True)
    assert tree(tmp_path) == before


def test_an_out_that_is_a_link_is_refused(config, modules, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(UsageError, match=r"^--out: expected a directory path that is not a sym"):
        sweep(config, tmp_path / "link", modules)
    assert list((tmp_path / "real").iterdir()) == []


def test_a_points_output_that_is_a_link_is_refused(modules, tmp_path):
    config = tmp_path / "w.toml"
    config.write_text(WRITER)
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "b").symlink_to(elsewhere)
    with pytest.raises(UsageError, match=r"no output of a point is a symbolic link \(b is one\)"):
        sweep(config, out, modules, force=True)
    assert list(elsewhere.iterdir()) == []
    (out / "b").unlink()
    sweep(config, out, modules, force=True)
    assert json.loads((out / "b" / "value.json").read_text())["value"] == 4.0


def test_a_second_sweep_into_the_same_folder_refuses_in_one_line(config, modules, tmp_path):
    out = tmp_path / "out"
    sweep(config, out, modules)
    before = tree(out)
    with ResultStore(out).locked():  # a sweep running there
        done = subprocess.run(
            [sys.executable, "-m", "sweep_fakes", "sweep", str(config),
             "--out", str(out), "--resume", "--in-process"],
            env=ENVIRONMENT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "--out: expected a directory no other running sweep is writing to" in done.stderr
    assert tree(out) == before


def test_a_refused_run_into_a_new_folder_leaves_nothing(config, modules, tmp_path):
    out = tmp_path / "new"
    with pytest.raises(UsageError, match="--workers"):
        run_sweep(config, out, workers=0, command_modules=modules)
    assert not out.exists()


@pytest.mark.parametrize("out", ["/proc/forbidden/here", "{file}/below", "/proc/version"])
def test_an_out_that_cannot_be_made_is_refused_before_any_point_runs(
    config, modules, tmp_path, monkeypatch, out
):
    (tmp_path / "file").write_text("x")
    monkeypatch.setattr(fake_simulate, "run", lambda _: pytest.fail("a point ran"))
    with pytest.raises(UsageError, match=r"^--out: expected a"):
        sweep(config, Path(out.format(file=tmp_path / "file")), modules)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "file"]


def _failing_write(after: int, error: int):
    calls = {"n": 0}
    real = os.write

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] > after:
            half = bytes(data)[: len(data) // 2]
            real(fd, half)  # part of the row lands, then the disk is full
            raise OSError(error, os.strerror(error))
        return real(fd, data)

    return types.SimpleNamespace(**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}
                                 | {"write": write})  # fmt: skip


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EFBIG])
def test_a_full_disk_is_one_line_and_keeps_the_rows_written(
    config, modules, tmp_path, monkeypatch, error
):
    out = tmp_path / "out"
    monkeypatch.setattr(store_module, "os", _failing_write(2, error))
    with pytest.raises(EvidenceError) as caught:
        sweep(config, out, modules)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{out / 'results.jsonl'}: writing failed ({os.strerror(error)})")
    assert message.endswith(f"; mend: fastweights sweep {config} --resume --out {out}")
    assert (out / "results.jsonl").read_bytes().endswith(b"\n")  # the half row cut away
    assert len(read_rows(out / "results.jsonl", sealed=True).rows) == 2
    assert check_manifest(out, "sweep", mend=None)["state"] in {"running", "incomplete"}
    monkeypatch.undo()
    assert sweep(config, out, modules, resume=True).computed == 2
    check_evidence(out, "sweep", mend=None)


def test_a_file_size_limit_is_one_line_not_a_killed_process(tmp_path):
    (tmp_path / "c.toml").write_text(
        'command = "simulate pair"\nseed = 1\n[fixed]\na = [1, 1, 0, 0]\nb = [1, 0, 1, 0]\n'
        "[grid]\ntrials = [" + ", ".join(str(100 + k) for k in range(40)) + "]\n"
    )
    limit = 20_000  # the manifest (about 12 kB) fits, the 40 rows (about 43 kB) do not

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        cli_argv(["sweep", "c.toml", "--out", "out", "--in-process", "--quiet"]),
        cwd=tmp_path, capture_output=True, text=True, timeout=120, preexec_fn=cap, check=False,
    )  # fmt: skip
    out = tmp_path / "out"
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "writing failed (File too large)" in done.stderr
    rows = read_rows(out / "results.jsonl", sealed=True).rows
    assert 0 < len(rows) < 40 and (out / "results.jsonl").stat().st_size <= limit
    assert check_manifest(out, "sweep", mend=None)["state"] in {"running", "incomplete"}


@pytest.mark.parametrize("command", ["readings", "report", "verify", "sweep", "sweep-plot"])
def test_a_command_a_sweep_cannot_run_is_refused_at_config_load(command, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'command = "{command}"\nseed = 1\n[fixed]\nquiet = true\n')
    status, err = main(["sweep", str(config), "--out", str(tmp_path / "out"), "--in-process"])
    assert status == 2 and err.count("\n") == 1, err
    assert err.startswith("fastweights: error: config: command: expected a command a sweep can ")
    assert f"got '{command}', which cannot run in a sweep" in err
    assert "simulate deblur" in err and "theory transfer" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


class _Killed(BaseException):
    """The process died here (nothing after it runs: every later write fails too)."""


def _mortal(module, name: str, budget: dict[str, int], partial: bool):
    real = getattr(module.os, name)

    def call(*args):
        budget["left"] -= 1
        if budget["left"] < 0:
            if partial and budget["left"] == -1 and name == "write":
                real(args[0], bytes(args[1])[: len(args[1]) // 3])
            raise _Killed
        return real(*args)

    return call


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kill_at=st.integers(min_value=0, max_value=12), partial=st.booleans())
def test_a_run_killed_anywhere_leaves_the_rows_written_and_resumes(
    modules, tmp_path_factory, kill_at, partial
):
    import foundation.atomic as atomic

    root = tmp_path_factory.mktemp("kill")
    config = root / "c.toml"
    config.write_text(FAKE)
    out = root / "out"
    real_run, calls = fake_simulate.run, []

    def interrupted(options):
        calls.append(options)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_run(options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fake_simulate, "run", interrupted)
        with pytest.raises(KeyboardInterrupt):
            sweep(config, out, modules)
    old = (out / "results.jsonl").read_bytes()
    assert old.count(b"\n") == 2
    budget = {"left": kill_at}
    with pytest.MonkeyPatch.context() as patch:
        for module, names in ((store_module, ("write",)), (atomic, ("replace",))):
            fake = types.SimpleNamespace(
                **{k: getattr(os, k) for k in dir(os) if not k.startswith("__")}
            )
            for name in names:
                setattr(fake, name, _mortal(module, name, budget, partial))
            patch.setattr(module, "os", fake)
        with contextlib.suppress(_Killed):
            sweep(config, out, modules, resume=True)
    now = (out / "results.jsonl").read_bytes()
    assert now.startswith(old), "the rows written before are intact"
    manifest = check_manifest(out, "sweep", mend=None)  # old or new, whole
    assert manifest["state"] in {"running", "incomplete", "complete"}
    summary = sweep(config, out, modules, resume=True)
    assert summary.already_done + summary.computed == 4
    check_evidence(out, "sweep", mend=None)
    assert len(read_rows(out / "results.jsonl", sealed=True).rows) == 4
