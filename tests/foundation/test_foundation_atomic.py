"""``foundation.atomic``: a file is replaced whole, or not at all, and no temporary is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from foundation import atomic
from foundation.atomic import TEMPORARY_PREFIX, temporary_copy, write_atomically


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(TEMPORARY_PREFIX))


def test_new_file_is_written_whole(tmp_path):
    write_atomically(tmp_path / "f.bin", b"\x00\x01")
    assert (tmp_path / "f.bin").read_bytes() == b"\x00\x01"
    assert _leftovers(tmp_path) == []


def test_existing_file_is_replaced_not_appended(tmp_path):
    target = tmp_path / "manifest.json"
    target.write_bytes(b"old content, longer than the new")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_replacement_is_one_rename_of_a_complete_file(tmp_path, monkeypatch):
    """The destination changes only through ``os.replace``, from a file already complete
    (and fsync-ed), so a reader never sees a partial one; then the directory is fsync-ed."""
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")
    events = []
    real_replace, real_fsync_directory = os.replace, atomic.fsync_directory

    def replace(source, destination):
        events.append(("replace", Path(source).read_bytes(), target.read_bytes()))
        real_replace(source, destination)

    def fsync_directory(directory):
        events.append(("fsync_directory", directory))
        real_fsync_directory(directory)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic, "fsync_directory", fsync_directory)
    write_atomically(target, b"new")
    assert events == [("replace", b"new", b"old"), ("fsync_directory", tmp_path)]
    assert target.read_bytes() == b"new"


def test_failed_replace_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_failed_write_removes_the_temporary(tmp_path, monkeypatch):
    def refuse(descriptor):
        raise OSError("I/O error")

    monkeypatch.setattr(atomic.os, "fsync", refuse)
    with pytest.raises(OSError, match="I/O error"):
        write_atomically(tmp_path / "f.txt", b"new")
    assert list(tmp_path.iterdir()) == []


def test_temporary_copy_is_beside_the_target_and_readable(tmp_path):
    temporary = temporary_copy(tmp_path / "report.html", b"<p>")
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(f"{TEMPORARY_PREFIX}report.html.")
    assert temporary.read_bytes() == b"<p>"
    if os.name == "posix":
        mask = os.umask(0)
        os.umask(mask)
        assert stat.S_IMODE(temporary.stat().st_mode) == 0o666 & ~mask
