"""Atomic output: a run killed half-way leaves the previous files intact.

Every file is written to a temporary file in its destination directory, flushed and
``fsync``-ed, then moved over the old one with ``os.replace`` (atomic on POSIX and
Windows). A set of files (the report) is first written entirely to temporary files and
only then moved into place, in one short burst at the very end: a run killed while
computing — nearly all of its time — changes nothing. Destinations are checked before any
work starts, so an unwritable path is a one-line error at once, not after a minute.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import UsageError

__all__ = ["check_writable_directory", "check_writable_file", "write_atomically", "write_files"]


def check_writable_directory(option: str, directory: str | os.PathLike[str]) -> Path:
    """Create ``directory`` (and parents) if needed and check a file can be written in it.

    Raises:
        UsageError: naming ``option``, when the directory cannot be created or written.
    """
    path = Path(directory)
    accepts = "a directory that can be created and written"
    if path.exists() and not path.is_dir():
        raise UsageError(option, "a directory (this path is a file)", str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=path, prefix=".fastweights-probe-")
        os.close(descriptor)
        os.unlink(probe)
    except OSError:
        raise UsageError(option, accepts, str(path)) from None
    return path


def check_writable_file(option: str, file: str | os.PathLike[str]) -> Path:
    """Check ``file`` can be (re)placed: its directory exists and is writable."""
    path = Path(file)
    if path.is_dir():
        raise UsageError(option, "a file path (this path is a directory)", str(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(option, "a path in an existing directory", str(path))
    try:
        descriptor, probe = tempfile.mkstemp(dir=parent, prefix=".fastweights-probe-")
        os.close(descriptor)
        os.unlink(probe)
    except OSError:
        raise UsageError(option, "a path in a writable directory", str(path)) from None
    return path


def _file_mode() -> int:
    """The permissions an ordinary new file gets (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _temporary_copy(path: Path, data: bytes) -> Path:
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(descriptor, _file_mode())  # mkstemp makes 0o600; a report is for reading
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data``: a reader sees the old file or the new one, whole."""
    target = Path(path)
    temporary = _temporary_copy(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_files(directory: str | os.PathLike[str], files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path -> bytes) under ``directory``, all or (almost) nothing.

    Every file goes to a temporary file first; only when all are written are they moved
    into place (``os.replace`` each, in the order given). Returns the final paths.
    """
    root = Path(directory)
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, data in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temporary_copy(target, data), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [target for _, target in staged]
