"""``DIR/results.jsonl`` and ``DIR/sweep.json``: rows that are whole or absent.

Each row is one JSON object on one line, written with a single ``write`` to a file opened
for appending, then flushed and ``fsync``-ed before the next point is recorded. A run
killed mid-write can leave only a **torn last line** (bytes after the last newline);
reading reports it and ``--resume`` truncates it away. Every complete line must be a row
with a ``key``; a key seen twice, or a bad line before the end, is an error naming the
line, never silently dropped. The manifest (``sweep.json``) is replaced atomically
(temporary file, ``fsync``, ``os.replace``, ``fsync`` of the directory:
``foundation/atomic.py``), so it is always either the old or the new one.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foundation.atomic import fsync_directory, write_atomically

from ..errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, one sweep per DIR by convention
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MANIFEST_NAME",
    "RESULTS_NAME",
    "ResultStore",
    "StoredRows",
    "read_rows",
    "write_atomically",
]

RESULTS_NAME = "results.jsonl"
MANIFEST_NAME = "sweep.json"
_LOCK_NAME = ".sweep.lock"


@dataclass(frozen=True)
class StoredRows:
    """The complete rows of a results file (file order) and the size of a torn last line."""

    rows: list[dict[str, Any]]
    torn_bytes: int

    @property
    def keys(self) -> set[str]:
        """The keys of the points already recorded."""
        return {row["key"] for row in self.rows}


def read_rows(path: str | Path) -> StoredRows:
    """Read ``results.jsonl``; a missing file has no rows. Bad content: :class:`UsageError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return StoredRows(rows=[], torn_bytes=0)
    complete, _, torn = data.rpartition(b"\n")
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(complete.split(b"\n") if complete else [], 1):
        where = f"{path.name} line {number}"
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise UsageError(
                where, "a JSON row written by fastweights sweep", _clip(line)
            ) from None
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            raise UsageError(where, "a JSON object with a 'key'", _clip(line))
        if row["key"] in seen:
            raise UsageError(
                where, f"one row per point (line {seen[row['key']]} has the same key)", row["key"]
            )
        seen[row["key"]] = number
        rows.append(row)
    return StoredRows(rows=rows, torn_bytes=len(torn))


def _clip(line: bytes) -> str:
    text = line.decode("utf-8", "replace")
    return text if len(text) <= 60 else text[:57] + "..."


class ResultStore:
    """A sweep's output directory: ``results.jsonl``, ``sweep.json`` and a lock.

    Use :meth:`locked` around everything that writes: a second sweep on the same
    directory fails at once instead of interleaving rows.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.results_path = self.directory / RESULTS_NAME
        self.manifest_path = self.directory / MANIFEST_NAME
        self._descriptor: int | None = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Create the directory and hold an exclusive lock on it (released on exit or death)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            lock = (self.directory / _LOCK_NAME).open("a")
        except OSError as exc:
            raise UsageError(
                "--out", "a directory the sweep can write", str(self.directory)
            ) from exc
        with lock:
            if fcntl is not None:
                try:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise UsageError(
                        "--out",
                        "a directory no other running sweep is writing to",
                        str(self.directory),
                    ) from None
            yield

    def load(self, *, drop_torn_line: bool) -> StoredRows:
        """The rows recorded so far; with ``drop_torn_line``, truncate a torn last line."""
        stored = read_rows(self.results_path)
        if drop_torn_line and stored.torn_bytes:
            size = self.results_path.stat().st_size
            with self.results_path.open("r+b") as stream:
                stream.truncate(size - stored.torn_bytes)
                stream.flush()
                os.fsync(stream.fileno())
        return stored

    def open(self) -> None:
        """Open ``results.jsonl`` for appending (created if missing)."""
        created = not self.results_path.exists()
        self._descriptor = os.open(self.results_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if created:
            fsync_directory(self.directory)

    def append(self, row: Mapping[str, Any]) -> None:
        """Write one row whole, flushed and fsync-ed before returning."""
        if self._descriptor is None:
            raise RuntimeError("ResultStore.append before open")
        data = (json.dumps(row, allow_nan=False) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self._descriptor, view)
            view = view[written:]
        os.fsync(self._descriptor)

    def close(self) -> None:
        """Close ``results.jsonl``."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def remove_if_unused(self) -> None:
        """Remove the directory, made by a run that failed before recording any row.

        Only the store's own files are removed (an empty ``results.jsonl``, ``sweep.json``,
        the lock, temporary files), then the directory if that leaves it empty.
        """
        with contextlib.suppress(OSError):
            if self.results_path.exists() and self.results_path.stat().st_size:
                return
            for path in (self.results_path, self.manifest_path, self.directory / _LOCK_NAME):
                path.unlink(missing_ok=True)
            for temporary in self.directory.glob(f".{MANIFEST_NAME}.*.tmp"):
                temporary.unlink(missing_ok=True)
            self.directory.rmdir()

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Replace ``sweep.json`` atomically."""
        text = json.dumps(manifest, indent=2, allow_nan=False) + "\n"
        write_atomically(self.manifest_path, text.encode())

    def read_manifest(self) -> dict[str, Any] | None:
        """``sweep.json``, or ``None`` if there is none."""
        try:
            data: dict[str, Any] = json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        return data
