"""``DIR/results.jsonl`` and ``DIR/sweep.json``: rows that are whole or absent.

Each row is one JSON object on one line, written with a single ``write`` to a file opened
for appending, then flushed and ``fsync``-ed before the next point is recorded. A run
killed mid-write can leave only a **torn last line** (bytes after the last newline);
reading reports it and ``--resume`` truncates it away. Every complete line must be a row
with a ``key``; a key seen twice, or a bad line before the end, is an error naming the
line, never silently dropped. A row the sweep wrote carries ``row_sha256``
(:data:`ROW_CHECKSUM`), the SHA-256 of its own canonical content, so a row edited after
it was written is refused even in an unfinished run (which has no final hash yet). The
summary (``sweep.json``) is replaced atomically (temporary file, ``fsync``,
``os.replace``, ``fsync`` of the directory: ``foundation/atomic.py``), so it is always
either the old or the new one; the evidence manifest (``manifest.json``,
:mod:`verification.evidence`) is written by :mod:`verification.sweep.execute`.

Nothing is written through a symbolic link: ``results.jsonl`` and the lock are opened
with ``O_NOFOLLOW``, and :meth:`ResultStore.check_links` refuses a directory whose own
files are links. A write that fails (a full disk, a file-size limit) leaves the rows
already written whole: the partial row is cut away again, and the error is one line
(:class:`~verification.evidence.EvidenceError`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foundation.atomic import TEMPORARY_PREFIX, fsync_directory, write_atomically

from ..errors import UsageError
from ..evidence import MANIFEST_NAME as EVIDENCE_NAME
from ..evidence import EvidenceError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, one sweep per DIR by convention
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "EVIDENCE_NAME",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "RESULTS_NAME",
    "ROW_CHECKSUM",
    "ResultStore",
    "StoredRows",
    "read_rows",
    "row_checksum",
    "seal_row",
    "write_atomically",
]

RESULTS_NAME = "results.jsonl"
MANIFEST_NAME = "sweep.json"
LOCK_NAME = ".sweep.lock"
_LOCK_NAME = LOCK_NAME
ROW_CHECKSUM = "row_sha256"
"""The field of a row holding the SHA-256 of the row's other fields (canonical JSON)."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def row_checksum(row: Mapping[str, Any]) -> str:
    """The hex SHA-256 of a row's canonical JSON (sorted keys, no spaces), its checksum
    field left out."""
    content = {key: value for key, value in row.items() if key != ROW_CHECKSUM}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def seal_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its checksum (:data:`ROW_CHECKSUM`) added."""
    content = {key: value for key, value in row.items() if key != ROW_CHECKSUM}
    return content | {ROW_CHECKSUM: row_checksum(content)}


@dataclass(frozen=True)
class StoredRows:
    """The complete rows of a results file (file order) and the size of a torn last line."""

    rows: list[dict[str, Any]]
    torn_bytes: int

    @property
    def keys(self) -> set[str]:
        """The keys of the points already recorded."""
        return {row["key"] for row in self.rows}


def read_rows(path: str | Path, *, mend: str | None = None, sealed: bool = False) -> StoredRows:
    """Read ``results.jsonl``; a missing file has no rows. Bad content: :class:`UsageError`.

    A row carrying a checksum (:data:`ROW_CHECKSUM`) that does not match its content, or
    whose line is not byte for byte as the sweep wrote it (a digit edited into a float that
    reads back the same), is refused (:class:`~verification.evidence.EvidenceError` naming
    the line and ``mend``); with ``sealed``, so is a row without one (the sweep that wrote
    the file seals every row).
    Given ``mend`` (the command that finishes the sweep), every bad line is an
    ``EvidenceError`` naming it: delete that line, then run ``mend``.
    """
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
            if mend is not None:
                raise _bad_line(path, number, "not a JSON row (torn or edited)", mend) from None
            raise UsageError(
                where, "a JSON row written by fastweights sweep", _clip(line)
            ) from None
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            if mend is not None:
                raise _bad_line(path, number, "not a row with a 'key' (edited?)", mend)
            raise UsageError(where, "a JSON object with a 'key'", _clip(line))
        checksum = row.get(ROW_CHECKSUM)
        if checksum is None and sealed:
            raise _bad_line(path, number, "a row without its checksum (not written so)", mend)
        if checksum is not None and not _as_written(row, line):
            raise _bad_line(path, number, "its checksum does not match its content (edited?)", mend)
        if row["key"] in seen:
            if mend is not None:
                problem = f"a second row of the point of line {seen[row['key']]} (duplicated)"
                raise _bad_line(path, number, problem, mend)
            raise UsageError(
                where, f"one row per point (line {seen[row['key']]} has the same key)", row["key"]
            )
        seen[row["key"]] = number
        rows.append(row)
    return StoredRows(rows=rows, torn_bytes=len(torn))


def _as_written(row: Mapping[str, Any], line: bytes) -> bool:
    """The row reads back byte for byte as written, with its own checksum."""
    try:
        return row.get(ROW_CHECKSUM) == row_checksum(row) and (
            line == json.dumps(row, allow_nan=False).encode()
        )
    except ValueError:  # a NaN or an infinity (e.g. an edit to 2e400): never written so
        return False


def _bad_line(path: Path, number: int, problem: str, mend: str | None) -> EvidenceError:
    return EvidenceError(
        f"{path} line {number}", problem, mend and f"delete that line, then {mend}"
    )


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
        self.evidence_path = self.directory / EVIDENCE_NAME
        self.lock_path = self.directory / _LOCK_NAME
        self.mend: str | None = None
        """The command that finishes the sweep, named when a write fails."""
        self._descriptor: int | None = None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Create the directory and hold an exclusive lock on it (released on exit or death).

        The lock is the first thing written; a lock file that is a symbolic link, a
        directory that cannot be created or written, or a lock another sweep holds: one
        line (:class:`UsageError` naming ``--out``).
        """
        lock_path = self.directory / _LOCK_NAME
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(
                lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o644
            )
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(
                    "--out",
                    f"a directory whose {_LOCK_NAME} is not a symbolic link",
                    str(self.directory),
                ) from None
            reason = exc.strerror or type(exc).__name__
            raise UsageError(
                "--out", f"a directory the sweep can write ({reason})", str(self.directory)
            ) from None
        with os.fdopen(descriptor, "a") as lock:
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

    def check_links(self) -> None:
        """Refuse a directory whose own files (rows, summary, manifest, lock) are links:
        nothing is written through a symbolic link."""
        for name in (RESULTS_NAME, MANIFEST_NAME, EVIDENCE_NAME, _LOCK_NAME):
            if (self.directory / name).is_symlink():
                raise UsageError(
                    "--out",
                    f"a directory whose {name} is not a symbolic link (nothing is written "
                    "through a link)",
                    str(self.directory),
                )

    def open(self) -> None:
        """Open ``results.jsonl`` for appending (created if missing; never through a link)."""
        created = not self.results_path.exists()
        try:
            self._descriptor = os.open(
                self.results_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o644
            )
        except OSError as exc:
            raise self._failed(exc) from None
        if created:
            fsync_directory(self.directory)

    def append(self, row: Mapping[str, Any]) -> None:
        """Write one row whole, flushed and fsync-ed before returning.

        A write that fails (``ENOSPC``, ``EFBIG``, ...) cuts the partial row away again and
        raises :class:`~verification.evidence.EvidenceError`: the rows before it stay whole.
        """
        if self._descriptor is None:
            raise RuntimeError("ResultStore.append before open")
        data = (json.dumps(row, allow_nan=False) + "\n").encode()
        view = memoryview(data)
        start = os.lseek(self._descriptor, 0, os.SEEK_END)
        try:
            while view:
                written = os.write(self._descriptor, view)
                view = view[written:]
            os.fsync(self._descriptor)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(self._descriptor, start)
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> EvidenceError:
        reason = exc.strerror or type(exc).__name__
        return EvidenceError(
            self.results_path,
            f"writing failed ({reason}); the rows written before are kept",
            self.mend,
        )

    def close(self) -> None:
        """Close ``results.jsonl``."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def remove_if_unused(self) -> None:
        """Remove the directory, made by a run that failed before recording any row.

        Only the store's own files are removed (an empty ``results.jsonl``, ``sweep.json``,
        ``manifest.json``, the lock, temporary files), then the directory if that leaves it empty.
        """
        with contextlib.suppress(OSError):
            if self.results_path.exists() and self.results_path.stat().st_size:
                return
            own = (RESULTS_NAME, MANIFEST_NAME, EVIDENCE_NAME, _LOCK_NAME)
            for name in own:
                (self.directory / name).unlink(missing_ok=True)
            for temporary in self.directory.glob(f"{TEMPORARY_PREFIX}*.tmp"):
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
