"""A sweep's evidence proves itself: ``sweep-plot`` and ``sweep --resume`` refuse, in one
line with exit status 2, a finished sweep whose files or manifest were cut or edited, and
an unfinished one whose rows were edited, duplicated or added; a resume runs the design
it was started with (issue 18)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verification import cli
from verification.errors import UsageError
from verification.evidence import check_evidence, check_manifest, write_manifest
from verification.sweep import read_rows, run_sweep
from verification.sweep.store import ROW_CHECKSUM, seal_row

PAIR = (
    'command = "simulate pair"\nseed = 1\n[fixed]\na = [1, 1, 0, 0]\nb = [1, 0, 1, 0]\n'
    "[grid]\ntrials = [100, 200, 300]\n"
)
FILES = ("results.jsonl", "manifest.json", "sweep.json")


def main(argv: list[str]) -> tuple[int, str]:
    """``fastweights ARGV`` in this process: exit status and stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(argv)
    return status, err.getvalue()


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished sweep of three ``simulate pair`` points (and its config beside it)."""
    root = tmp_path_factory.mktemp("evidence")
    (root / "c.toml").write_text(PAIR)
    run_sweep(root / "c.toml", root / "done", in_process=True, quiet=True)
    return root / "done"


def copy_of(finished: Path, target: Path) -> Path:
    shutil.copytree(finished, target)
    return target


def resume(directory: Path, config: Path) -> tuple[int, str]:
    args = ["sweep", str(config), "--resume", "--out", str(directory), "--in-process", "--quiet"]
    return main(args)


def test_a_finished_sweep_checks_and_both_readers_accept_it(finished, tmp_path):
    manifest = check_evidence(finished, "sweep", mend=None)
    assert manifest["state"] == "complete" and manifest["seed"] == 1
    assert manifest["command"].startswith("fastweights sweep ")
    assert [point["options"]["trials"] for point in manifest["design"]] == [100, 200, 300]
    assert set(manifest["files"]) == {"results.jsonl", "sweep.json"}
    assert manifest["files"]["results.jsonl"]["rows"] == 3
    rows = read_rows(finished / "results.jsonl", sealed=True).rows
    assert all(len(row[ROW_CHECKSUM]) == 64 for row in rows)
    target = copy_of(finished, tmp_path / "copy")
    before = snapshot(target)
    assert resume(target, finished.parent / "c.toml") == (0, "")
    assert snapshot(target) == before, "resuming a finished sweep writes nothing"
    status, err = main(["sweep-plot", str(target)])
    assert (status, err) == (0, "") and (target / "sweep.png").exists()


def _assert_refused(status: int, err: str, directory: Path) -> None:
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("fastweights: error: "), err
    assert "Traceback" not in err
    assert "mend: " in err or "--out: expected" in err, err


damage = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(["truncate", "edit"]),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=255),
)


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(damage=damage)
def test_any_cut_or_edit_of_a_finished_sweep_is_refused_by_both_readers(
    finished, tmp_path_factory, damage
):
    name, how, where, xor = damage
    target = copy_of(finished, tmp_path_factory.mktemp("damaged") / "d")
    data = (target / name).read_bytes()
    position = where % len(data)
    if how == "truncate":
        changed = data[:position]
    else:
        changed = data[:position] + bytes([data[position] ^ xor]) + data[position + 1 :]
    (target / name).write_bytes(changed)
    before = snapshot(target)
    status, err = main(["sweep-plot", str(target)])
    _assert_refused(status, err, target)
    status, err = resume(target, finished.parent / "c.toml")
    _assert_refused(status, err, target)
    assert snapshot(target) == before, "a refused run changes nothing"


@pytest.fixture
def unfinished(finished, tmp_path) -> Path:
    """The finished sweep marked ``running``, as a run killed mid-way leaves it."""
    target = copy_of(finished, tmp_path / "u")
    manifest = check_manifest(target, "sweep", mend=None)
    write_manifest(
        target, kind="sweep", command=manifest["command"], options=manifest["options"],
        seed=manifest["seed"], design=manifest["design"], state="running",
    )  # fmt: skip
    return target


def _lines(directory: Path) -> list[str]:
    return (directory / "results.jsonl").read_text().splitlines(keepends=True)


def _edit_value(line: str) -> str:
    row = json.loads(line)
    row["wall_time_s"] = row["wall_time_s"] + 1.0
    return json.dumps(row) + "\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda ls: [ls[0], _edit_value(ls[1]), ls[2]], "line 2: its checksum does not match"),
        (lambda ls: [ls[0], ls[1], ls[0]], "line 3: a second row of the point of line 1"),
        (
            lambda ls: [*ls, json.dumps(seal_row(json.loads(ls[0]) | {"key": "f" * 64})) + "\n"],
            "line 4: a row of a point this sweep's design does not hold (extra)",
        ),
        (
            lambda ls: [ls[0], json.dumps(json.loads(ls[1]) | {ROW_CHECKSUM: None}) + "\n"],
            "line 2: a row without its checksum",
        ),
        (lambda ls: [ls[0], "not json\n", ls[2]], "line 2: not a JSON row"),
    ],
    ids=["edited", "duplicated", "extra", "unsealed", "garbage"],
)
def test_an_unfinished_sweep_with_a_bad_row_is_refused_naming_the_line(
    unfinished, finished, change, expected
):
    results = unfinished / "results.jsonl"
    results.write_text("".join(change(_lines(unfinished))))
    before = snapshot(unfinished)
    config = finished.parent / "c.toml"
    status, err = resume(unfinished, config)
    _assert_refused(status, err, unfinished)
    assert f"{results} {expected}" in err
    assert err.rstrip().endswith(
        f"; mend: delete that line, then fastweights sweep {config} --resume --out {unfinished}"
    )
    assert snapshot(unfinished) == before


def test_an_unfinished_sweep_drops_a_torn_last_line_and_says_so(unfinished, finished):
    lines = _lines(unfinished)
    (unfinished / "results.jsonl").write_text("".join(lines[:2]) + lines[2][:40])
    status, err = resume(unfinished, finished.parent / "c.toml")
    assert status == 0 and "dropped a torn last line (40 bytes)" in err
    check_evidence(unfinished, "sweep", mend=None)
    assert len(read_rows(unfinished / "results.jsonl", sealed=True).rows) == 3


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(where=st.integers(min_value=0, max_value=10**9), xor=st.integers(1, 255))
def test_any_edit_of_an_unfinished_sweeps_rows_is_refused_or_a_torn_line(
    finished, tmp_path_factory, where, xor
):
    target = copy_of(finished, tmp_path_factory.mktemp("unfinished") / "u")
    manifest = check_manifest(target, "sweep", mend=None)
    write_manifest(
        target, kind="sweep", command=manifest["command"], options=manifest["options"],
        seed=manifest["seed"], design=manifest["design"], state="running",
    )  # fmt: skip
    data = (target / "results.jsonl").read_bytes()
    position = where % len(data)
    (target / "results.jsonl").write_bytes(
        data[:position] + bytes([data[position] ^ xor]) + data[position + 1 :]
    )
    before = snapshot(target)
    status, err = resume(target, finished.parent / "c.toml")
    assert "Traceback" not in err
    if position == len(data) - 1:  # the last newline edited away: a torn last line
        assert status == 0 and "dropped a torn last line" in err
        assert len(read_rows(target / "results.jsonl", sealed=True).rows) == 3
    else:
        _assert_refused(status, err, target)
        assert snapshot(target) == before


@pytest.mark.parametrize("value", [b"2e400", b"NaN", b"-Infinity"])
def test_a_number_edited_out_of_range_is_refused_in_one_line(unfinished, finished, value):
    """An edit can make a number JSON reads as an infinity or a NaN (``2.4001`` ->
    ``2e4001``): refused like any edit, never a traceback (found by the fuzz test above)."""
    path = unfinished / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = re.sub(rb'"wall_time_s": [^,}]+', b'"wall_time_s": ' + value, lines[1], count=1)
    path.write_bytes(b"".join(lines))
    before = snapshot(unfinished)
    status, err = resume(unfinished, finished.parent / "c.toml")
    _assert_refused(status, err, unfinished)
    assert "results.jsonl line 2: its checksum does not match its content" in err
    assert snapshot(unfinished) == before


def test_a_resume_with_another_seed_is_refused(unfinished, tmp_path):
    config = tmp_path / "other.toml"
    config.write_text(PAIR.replace("seed = 1", "seed = 2"))
    status, err = resume(unfinished, config)
    _assert_refused(status, err, unfinished)
    assert "manifest.json: another seed (1, not 2" in err


def test_sweep_plot_refuses_an_unfinished_sweep_naming_the_resume(unfinished, finished):
    status, err = main(["sweep-plot", str(unfinished)])
    _assert_refused(status, err, unfinished)
    assert "an unfinished sweep (state 'running')" in err
    config = finished.parent / "c.toml"
    assert err.rstrip().endswith(f"mend: fastweights sweep {config} --resume --out {unfinished}")


def test_run_sweep_raises_evidence_errors_as_usage_errors(unfinished, finished):
    (unfinished / "results.jsonl").write_text("".join(_lines(unfinished)[:1]) + "{}\n")
    with pytest.raises(UsageError, match=r"line 2: not a row with a 'key'"):
        run_sweep(finished.parent / "c.toml", unfinished, resume=True, in_process=True)
