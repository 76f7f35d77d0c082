"""Atomic file replacement: a reader (or a run killed half-way) sees the old file or the new
one, whole, never a mixture.

:func:`write_atomically` writes the bytes to a temporary file in the destination's own
directory (so the move never crosses file systems), flushes and ``fsync``-s it, moves it
over the destination with ``os.replace`` (atomic on POSIX and Windows), then ``fsync``-s the
directory so the move itself survives a crash. The temporary file is removed if anything
fails. :func:`temporary_copy` and :func:`fsync_directory` are its two halves, for writers
that stage several files before moving them all (``verification/report/atomic.py``).

Temporary files are named ``.fastweights-tmp-<name>.<random>.tmp``
(:data:`TEMPORARY_PREFIX`), so a later run can recognise and remove the ones a killed run
left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path

__all__ = [
    "TEMPORARY_PREFIX",
    "fsync_directory",
    "ignore_file_size_signal",
    "temporary_copy",
    "write_atomically",
]

TEMPORARY_PREFIX = ".fastweights-tmp-"
"""How every temporary file of an atomic write begins."""


def _file_mode() -> int:
    """The permissions an ordinary new file gets (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temporary_copy(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, flushed and ``fsync``-ed.

    The file gets ordinary permissions (``mkstemp`` would make it 0o600); it is removed if
    the write fails. Returns its path; the caller moves it into place with ``os.replace``.
    """
    target = Path(path)
    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f"{TEMPORARY_PREFIX}{target.name}.", suffix=".tmp"
    )
    try:
        os.fchmod(descriptor, _file_mode())
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def fsync_directory(directory: str | os.PathLike[str]) -> None:
    """``fsync`` a directory so the files moved into it stay moved after a crash.

    Best effort: silently nothing where directories cannot be opened (Windows).
    """
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data``: a reader sees the old file or the new one, whole."""
    target = Path(path)
    temporary = temporary_copy(target, data)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(target.parent)


def ignore_file_size_signal() -> None:
    """Ignore ``SIGXFSZ``, so that a write past the file-size limit (``ulimit -f``) fails
    with ``EFBIG`` (an ``OSError``: one line, the old output intact) instead of the signal
    killing the process half-way through a file.

    Only the main thread can set a signal's handler; elsewhere (and where there is no such
    signal) this does nothing.
    """
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
