"""``report --out DIR`` never writes through a link leading out, refuses an unwritable DIR and
a second run into DIR at once, and survives a failed write with the old report intact."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import time

import pytest
from fault_helpers import cli_argv, run_cli

import foundation.atomic
from verification.errors import UsageError
from verification.report import atomic
from verification.report.atomic import MANIFEST_NAME, check_output_directory, output_lock

WRITES = ("report.md", "report.html", "results.json", "figures/")
CHEAP = ["--quick", "--quiet", "--claim", "eq2-zero-one"]
"""A report of one cheap claim (a few seconds): enough to exercise the writing."""


def _tree(root):
    """Every file below ``root`` with its bytes (links not followed)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _one_line_refusal(done, *pieces):
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("fastweights: error: --out: expected ")
    for piece in pieces:
        assert piece in done.stderr


# ----------------------------------------------------------------- links leading out


@pytest.mark.parametrize("link", ["figures", "report.md", "results.json", MANIFEST_NAME])
def test_a_link_leading_out_of_out_is_refused_before_the_computation(tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "fig2.png").write_bytes(b"the user's figure")
    (elsewhere / "notes.md").write_bytes(b"the user's notes")
    out = tmp_path / "out"
    out.mkdir()
    target = elsewhere if link == "figures" else elsewhere / "notes.md"
    (out / link).symlink_to(target)
    before = _tree(elsewhere)
    started = time.monotonic()
    done = run_cli(["report", "--out", str(out), "--force", *CHEAP[:-2]], timeout=60)
    _one_line_refusal(done, "symbolic link leading out", f"{link} -> {target}")
    assert time.monotonic() - started < 20  # refused at once, not after the report
    assert _tree(elsewhere) == before
    assert sorted(p.name for p in out.iterdir()) == [link]


def test_a_link_inside_a_figures_directory_leading_out_is_refused(tmp_path):
    (tmp_path / "out" / "figures").mkdir(parents=True)
    (tmp_path / "secret").write_text("x")
    (tmp_path / "out" / "figures" / "fig2.png").symlink_to(tmp_path / "secret")
    with pytest.raises(UsageError, match=r"figures/fig2\.png -> "):
        check_output_directory("--out", tmp_path / "out", WRITES, force=True)


def test_a_link_that_stays_inside_out_is_accepted(tmp_path):
    out = tmp_path / "out"
    (out / "figs").mkdir(parents=True)
    (out / "figures").symlink_to("figs")
    checked = check_output_directory("--out", out, WRITES)
    checked.write({"figures/a.png": b"a", "report.md": b"r"}, "report")
    assert (out / "figs" / "a.png").read_bytes() == b"a"


def test_a_link_made_after_the_check_is_still_refused_at_the_write(tmp_path):
    out = tmp_path / "out"
    checked = check_output_directory("--out", out, WRITES)
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "figures").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UsageError, match="symbolic link leading out"):
        checked.write({"figures/a.png": b"a"}, "report")
    assert list((tmp_path / "elsewhere").iterdir()) == []


# ----------------------------------------------------------------- unwritable --out


@pytest.mark.parametrize(
    ("out", "piece"),
    [
        ("/proc/forbidden/here", "/proc"),
        ("{file}/below", "is a file"),
        ("{tmp}/" + "n" * 300 + "/x", "names of at most"),
    ],
)
def test_an_out_that_cannot_be_created_is_refused_before_the_computation(tmp_path, out, piece):
    (tmp_path / "file").write_text("x")
    out = out.format(file=tmp_path / "file", tmp=tmp_path)
    started = time.monotonic()
    done = run_cli(["report", "--out", out, *CHEAP[:-2]], timeout=60)
    _one_line_refusal(done, piece)
    assert time.monotonic() - started < 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # the probe left nothing


def test_the_probe_creates_nothing(tmp_path):
    check_output_directory("--out", tmp_path / "a" / "b", WRITES)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------- a failed write


def test_a_file_size_limit_leaves_the_old_report_byte_identical(tmp_path):
    out = tmp_path / "report"
    first = run_cli(["report", "--out", str(out), *CHEAP], timeout=120)
    assert first.returncode == 0, first.stderr
    old = _tree(out)
    assert max(len(data) for data in old.values()) > 60_000  # report.html exceeds the limit

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    done = subprocess.run(
        cli_argv(["report", "--out", str(out), "--seed", "7", *CHEAP]),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
        check=False,
    )
    _one_line_refusal(done, "File too large", "previous files are left as they were")
    assert _tree(out) == old  # no half-replaced set, no temporary left


def test_a_full_disk_while_staging_changes_nothing(tmp_path, monkeypatch):
    checked = check_output_directory("--out", tmp_path, WRITES)
    checked.write({"report.md": b"old", "figures/a.png": b"a"}, "report")
    old = _tree(tmp_path)
    real = foundation.atomic.temporary_copy
    calls = []

    def full(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    monkeypatch.setattr(atomic, "temporary_copy", full)
    again = check_output_directory("--out", tmp_path, WRITES)
    with pytest.raises(UsageError, match=r"No space left on device writing report\.md") as caught:
        again.write({"figures/a.png": b"new", "report.md": b"new"}, "report")
    assert "\n" not in str(caught.value)
    assert _tree(tmp_path) == old


# ----------------------------------------------------------------- two runs at once


def test_a_second_run_into_the_same_out_is_refused_at_once(tmp_path):
    out = tmp_path / "out"
    with output_lock("--out", out):
        started = time.monotonic()
        done = run_cli(["report", "--out", str(out), *CHEAP], timeout=60)
        _one_line_refusal(done, "no other fastweights run is writing", f"process {os.getpid()}")
        assert time.monotonic() - started < 20
        # the same directory by another spelling is the same lock
        done = run_cli(["report", "--out", str(tmp_path / "." / "out"), *CHEAP], timeout=60)
        _one_line_refusal(done, "no other fastweights run is writing")
    assert not out.exists()
    with output_lock("--out", out):  # released: taken again
        pass


def test_two_reports_started_together_one_writes_one_refuses(tmp_path):
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            cli_argv(["report", "--out", str(out), *CHEAP]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream:
                stream.close()
    # Usually the second is refused; started late enough (a loaded machine) it may
    # legitimately run after the first: either way no crash, and the report is whole.
    assert 0 in [code for code, _ in results], results
    for code, err in results:
        assert code in (0, 2), err
        if code == 2:
            assert err.count("\n") == 1 and "Traceback" not in err
            assert "no other fastweights run is writing" in err
    assert (out / "report.html").is_file()
    assert not list(out.rglob(".fastweights-tmp-*"))
