"""``--out DIR`` writes only files the toolkit owns: manifest, --force, stale files, no litter."""

from __future__ import annotations

import json
import os
import re

import pytest
from fault_helpers import run_cli

from verification.errors import UsageError
from verification.report.atomic import MANIFEST_NAME, check_output_directory

WRITES = ("report.md", "results.json", "figures/")


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _write(root, files, force=False):
    return check_output_directory("--out", root, WRITES, force=force).write(files, "report")


def test_nothing_is_created_until_the_files_are_written(tmp_path):
    out = tmp_path / "a" / "b"
    checked = check_output_directory("--out", out, WRITES)
    assert not (tmp_path / "a").exists()
    checked.write({"report.md": b"x", "figures/f.png": b"p"}, "report")
    assert _files(out) == [MANIFEST_NAME, "figures/f.png", "report.md"]
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["files"] == ["figures/f.png", "report.md"]


@pytest.mark.parametrize("name", ["results.json", "report.md", "figures/mine.png"])
def test_a_users_file_is_never_overwritten_without_force(tmp_path, name):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(b"mine")
    with pytest.raises(UsageError, match=r"^--out: expected a directory whose files fastweights"):
        check_output_directory("--out", tmp_path, WRITES)
    _write(tmp_path, {"results.json": b"new", "report.md": b"new"}, force=True)
    if name == "figures/mine.png":  # --force overwrites, it does not delete the user's files
        assert (tmp_path / name).read_bytes() == b"mine"


def test_a_second_run_replaces_its_own_files_and_removes_its_stale_figures(tmp_path):
    _write(tmp_path, {"report.md": b"1", "figures/a.png": b"a", "figures/b.png": b"b"})
    (tmp_path / "notes.txt").write_text("the user's, untouched")
    _write(tmp_path, {"report.md": b"2", "figures/a.png": b"a2"})
    assert _files(tmp_path) == [MANIFEST_NAME, "figures/a.png", "notes.txt", "report.md"]
    assert (tmp_path / "report.md").read_bytes() == b"2"
    _write(tmp_path, {"report.md": b"3"})
    assert not (tmp_path / "figures").exists()  # emptied by removing our stale figures


def test_a_failed_write_leaves_no_directory_and_no_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "new" / "report"
    checked = check_output_directory("--out", out, WRITES)

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(UsageError, match=r"^--out: expected a directory with room .*disk full"):
        checked.write({"report.md": b"x", "figures/f.png": b"p"}, "report")
    assert list(tmp_path.iterdir()) == []


def test_temporaries_left_by_a_killed_run_are_cleaned_up(tmp_path):
    (tmp_path / "figures").mkdir()
    leftover = tmp_path / "figures" / ".fastweights-tmp-a.png.x1y2.tmp"
    leftover.write_bytes(b"half")
    _write(tmp_path, {"figures/a.png": b"a"})
    assert not leftover.exists()


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("", "a directory path"),
        ("   ", "a directory path"),
        ("{file}", "a directory (this path is a file)"),
        ("{file}/sub", "a path below a directory"),
    ],
)
def test_bad_out_paths_are_one_line(tmp_path, out, expected):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match=re.escape(expected)):
        check_output_directory("--out", out.format(file=tmp_path / "file"), WRITES)


def test_report_refuses_a_users_results_json_at_once(tmp_path):
    (tmp_path / "results.json").write_text("{}")
    done = run_cli(["report", "--out", str(tmp_path), "--quick"], timeout=30)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "results.json would be overwritten; --force overwrites" in done.stderr
    assert _files(tmp_path) == ["results.json"]


def test_report_with_an_empty_out_is_refused(tmp_path):
    done = run_cli(["report", "--out", "", "--quick"], cwd=tmp_path, timeout=30)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert list(tmp_path.iterdir()) == []
