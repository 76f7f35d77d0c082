"""Atomic output: a run killed half-way leaves the previous files intact.

Every file is written to a temporary file in its destination directory, flushed and
``fsync``-ed, then moved over the old one with ``os.replace`` (atomic on POSIX and
Windows), and the directory ``fsync``-ed (``foundation/atomic.py``, which the sweep's
store uses too). A set of files (the report) is first written entirely to temporary files and
only then moved into place, in one short burst at the very end: a run killed while
computing — nearly all of its time — changes nothing. Destinations are checked before any
work starts, so an unwritable path is a one-line error at once, not after a minute.

An output directory (``report --out DIR``) holds only files the toolkit owns: each run
records what it wrote in ``DIR/fastweights-manifest.json`` (:class:`OutputDirectory`). A run
refuses, before any work, to overwrite a file it did not write (``--force`` overrides),
removes the files of an earlier run that this one no longer writes (stale figures), and
creates nothing — not even ``DIR`` — until the files are ready. The manifest always lists
every file placed so far: it is rewritten with the union of old and new names *before*
the files move into place, and with the new names alone afterwards.

Checked before any work (:func:`check_output_directory`), each a one-line refusal: a path
that cannot be created or written (the nearest existing ancestor is probed by creating and
removing a hidden directory there, so ``/proc/...``, a read-only file system or a path below
a file are refused at once), and a symbolic link, at or below ``DIR``, on the way to a file
the command writes that leads out of ``DIR`` (nothing is ever written through one). While
one run prepares and writes a directory it holds a lock on it
(:meth:`OutputDirectory.lock`): a second run into the same ``--out`` is refused at once. A
write that fails (a full disk, a file-size limit) removes its temporary files and is one
line; the previous files are left as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from foundation.atomic import (
    TEMPORARY_PREFIX,
    fsync_directory,
    ignore_file_size_signal,
    temporary_copy,
    write_atomically,
)

from ..errors import UsageError

__all__ = [
    "MANIFEST_NAME",
    "OutputDirectory",
    "check_output_directory",
    "check_writable_directory",
    "check_writable_file",
    "output_lock",
    "write_atomically",
    "write_files",
]

MANIFEST_NAME = "fastweights-manifest.json"
"""The list of files a run wrote into its output directory (the files the toolkit owns)."""


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
            staged.append((temporary_copy(target, data), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    for directory in {target.parent for _, target in staged}:
        fsync_directory(directory)
    return [target for _, target in staged]


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(".")  # pragma: no cover - a relative path's last parent is "."


def _read_manifest(root: Path) -> frozenset[str] | None:
    """The files the manifest in ``root`` lists; ``None`` when there is none or it is not ours."""
    try:
        data = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return frozenset(f for f in files if _is_inside(f))


def _is_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return bool(parts) and not Path(relative).is_absolute() and ".." not in parts


@dataclass(frozen=True)
class OutputDirectory:
    """A checked output directory: its path, the files the toolkit owns in it, ``force``.

    ``option`` is the option that named it (for messages); ``writes`` the names (relative
    paths; a name ending in ``/`` is a whole subdirectory) the command will write.
    """

    option: str
    path: Path
    owned: frozenset[str]
    writes: tuple[str, ...]
    force: bool

    def conflicts(self, names: Iterable[str] | None = None) -> list[str]:
        """Existing files, not written by the toolkit, that writing ``names`` would replace.

        ``names`` defaults to :attr:`writes`; a name ending in ``/`` stands for every
        file under that subdirectory.
        """
        found: list[str] = []
        if not self.path.is_dir():
            return found
        for name in self.writes if names is None else names:
            target = self.path / name
            if name.endswith("/"):
                if target.is_dir():
                    found += [
                        str(p.relative_to(self.path))
                        for p in sorted(target.rglob("*"))
                        if not p.is_dir() and not p.name.startswith(TEMPORARY_PREFIX)
                    ]
                elif os.path.lexists(target):
                    found.append(name.rstrip("/"))
            elif os.path.lexists(target):
                found.append(name)
        return [name for name in found if name not in self.owned]

    def refuse_conflicts(self, names: Iterable[str] | None = None) -> None:
        """One-line :class:`UsageError` naming the first conflict, unless ``force``."""
        conflicts = [] if self.force else self.conflicts(names)
        if conflicts:
            more = f" and {len(conflicts) - 1} more" if len(conflicts) > 1 else ""
            raise UsageError(
                self.option,
                f"a directory whose files fastweights wrote ({conflicts[0]}{more} would be "
                "overwritten; --force overwrites)",
                str(self.path),
            )

    def write(self, files: Mapping[str, bytes], command: str) -> list[Path]:
        """Write ``files`` (relative path -> bytes) atomically; remove this command's stale files.

        Creates the directory only now. The files go to temporary files first (removed
        if anything fails), then the manifest lists old and new names, then each file is
        moved into place, then the old files this run did not write are removed and the
        manifest lists the new names alone. Returns the final paths.

        Raises:
            UsageError: one line naming :attr:`option`, when a file cannot be written (a
                full disk, a file-size limit): the temporary files and the directories
                this run created are removed, the previous files are left as they were.
        """
        ignore_file_size_signal()
        self.refuse_conflicts(files)
        _refuse_links_leading_out(self.option, self.path, (*files, MANIFEST_NAME))
        staged: list[tuple[Path, Path]] = []
        created: list[Path] = []
        current = str(self.path)
        replaced = 0
        try:
            created = _make_directories(self.path, {str(Path(name).parent) for name in files})
            _remove_leftover_temporaries(self.path, files)
            for relative, data in files.items():
                current = relative
                target = self.path / relative
                staged.append((temporary_copy(target, data), target))
            current = MANIFEST_NAME
            self._write_manifest(self.owned | set(files), command)
            for temporary, target in staged:
                current = str(target.relative_to(self.path))
                os.replace(temporary, target)
                replaced += 1
            for directory in {target.parent for _, target in staged}:
                fsync_directory(directory)
        except BaseException as error:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            for directory in reversed(created):
                with contextlib.suppress(OSError):
                    directory.rmdir()  # only if still empty
            if not isinstance(error, OSError):
                raise
            kept = (
                "the previous files are left as they were"
                if replaced == 0
                else f"{replaced} of {len(staged)} files were replaced"
            )
            why = error.strerror or str(error) or type(error).__name__
            raise UsageError(
                self.option,
                f"a directory with room for every file ({kept})",
                f"{why} writing {current} in {self.path}",
            ) from None
        for stale in sorted(self.owned - set(files)):
            with contextlib.suppress(OSError):
                (self.path / stale).unlink(missing_ok=True)
                _remove_empty_parents(self.path, self.path / stale)
        with contextlib.suppress(OSError):  # the manifest listing old and new names stays
            self._write_manifest(set(files), command)
        return [target for _, target in staged]

    def _write_manifest(self, names: Iterable[str], command: str) -> None:
        from ..evidence import toolkit_version

        document = {
            "written_by": f"fastweights {command}",
            "fastweights_version": toolkit_version(),
            "note": "files fastweights wrote here; it overwrites or removes only these",
            "files": sorted(set(names)),
        }
        text = json.dumps(document, indent=1) + "\n"
        write_atomically(self.path / MANIFEST_NAME, text.encode())


def check_output_directory(
    option: str, directory: str | os.PathLike[str], writes: Iterable[str], force: bool = False
) -> OutputDirectory:
    """Check, creating nothing, that a command may write ``writes`` into ``directory``.

    ``directory`` must be a non-empty path that is a writable directory or can be
    created (probed: a hidden directory is created and removed at once in its nearest
    existing ancestor, and in each existing directory the command writes into); no
    symbolic link at or below it on the way to a file the command writes may lead out of
    it; the files it already holds that the command would replace must be files the
    toolkit wrote there (listed in its manifest), unless ``force``.

    Raises:
        UsageError: naming ``option``, with what was expected, in one line.
    """
    text = os.fspath(directory)
    if not text.strip():
        raise UsageError(option, "a directory path (give . for the current directory)", text)
    path = Path(text)
    if os.path.lexists(path) and not path.is_dir():
        raise UsageError(option, "a directory (this path is a file)", text)
    existing = _nearest_existing(path)
    if not existing.is_dir():
        raise UsageError(option, f"a path below a directory ({existing} is a file)", text)
    writes = tuple(writes)
    _probe_writable(option, text, path, existing, writes)
    _refuse_links_leading_out(option, path, (*writes, MANIFEST_NAME))
    owned = _read_manifest(path) if path.is_dir() else None
    checked = OutputDirectory(
        option=option,
        path=path,
        owned=owned or frozenset(),
        writes=writes,
        force=force,
    )
    checked.refuse_conflicts()
    return checked


_PROBE_PREFIX = ".fastweights-probe-"


def _probe_writable(
    option: str, text: str, path: Path, existing: Path, writes: Iterable[str]
) -> None:
    """Refuse, in one line, a path whose directories cannot be created or written.

    Permissions alone do not tell (root may write anywhere but ``/proc``; a read-only file
    system): a hidden directory is created and removed in the nearest existing ancestor and
    in every existing directory the command writes into. The missing components' names
    must fit the file system's limit (checked first: a longer name makes every later
    question about the path an error).
    """
    accepts = "a directory that can be created and written"
    missing = path.relative_to(existing).parts if existing != Path(".") else path.parts
    limit = 255
    with contextlib.suppress(OSError, ValueError, AttributeError):
        limit = os.pathconf(existing, "PC_NAME_MAX")
    for part in missing:
        if part not in (".", "..") and len(os.fsencode(part)) > limit:
            raise UsageError(option, f"{accepts} (names of at most {limit} bytes)", text)
    directories = [existing]
    if path.is_dir():
        for name in writes:
            parent = (path / name.rstrip("/")) if name.endswith("/") else (path / name).parent
            if parent.is_dir() and parent not in directories:
                directories.append(parent)
    for directory in directories:
        try:
            probe = tempfile.mkdtemp(dir=directory, prefix=_PROBE_PREFIX)
            os.rmdir(probe)
        except OSError as error:
            why = error.strerror or type(error).__name__
            raise UsageError(option, accepts, f"{text} ({directory}: {why})") from None


def _leads_out(root: Path, link: Path) -> bool:
    """Whether the symbolic link ``link`` resolves to a place outside ``root``."""
    try:
        base, target = root.resolve(), link.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of links
        return True
    return not (target == base or base in target.parents)


def _refuse_links_leading_out(option: str, root: Path, names: Iterable[str]) -> None:
    """Refuse when a symbolic link below ``root`` on the way to a written file leads out.

    ``names`` are the files (and, ending in ``/``, the directories whose every file) the
    command writes; each component below ``root`` that exists and is a link is followed.
    Nothing is ever written through such a link (the figures of a report would otherwise
    overwrite the files where it points).
    """
    if not root.is_dir():
        return
    found: list[Path] = []
    for name in names:
        parts = Path(name.rstrip("/")).parts
        for depth in range(1, len(parts) + 1):
            candidate = root.joinpath(*parts[:depth])
            if candidate.is_symlink():
                found.append(candidate)
                break
        else:
            whole = root / name.rstrip("/")
            if name.endswith("/") and whole.is_dir():
                found += [p for p in sorted(whole.rglob("*")) if p.is_symlink()]
    for link in found:
        if _leads_out(root, link):
            relative = link.relative_to(root)
            raise UsageError(
                option,
                "a directory with no symbolic link leading out of it where fastweights "
                f"writes ({relative} -> {os.readlink(link)}; remove the link or choose "
                "another --out)",
                str(root),
            )


def _lock_file(path: Path) -> Path:
    """The lock file of output directory ``path``: one per absolute path, in the temporary
    directory (not in ``path``, which must not be created early, nor beside it)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(path.resolve(strict=False)))).hexdigest()
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"fastweights-{uid}-locks" / f"{key[:32]}.lock"


@contextlib.contextmanager
def output_lock(option: str, directory: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock of the output directory ``directory`` for the duration.

    A second run into the same directory (the same absolute path, links followed) is
    refused at once, in one line naming ``option`` and the process holding it, instead of
    both writing (and removing each other's temporary files). The lock is an ``flock`` on a
    small file in the temporary directory, released when the process ends however it ends;
    where it cannot be taken at all (no ``fcntl``, an unwritable temporary directory) the
    run goes on unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = Path(os.fspath(directory) or ".")
    lock = _lock_file(path)
    try:
        lock.parent.mkdir(mode=0o700, exist_ok=True)
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "?"
            raise UsageError(
                option,
                "a directory no other fastweights run is writing to (wait for it to finish)",
                f"{os.fspath(directory)} (in use by process {holder})",
            ) from None
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # releases the flock


def _make_directories(root: Path, relatives: Iterable[str]) -> list[Path]:
    """Create ``root`` and ``root/relative`` for each; the directories created, outermost first."""
    created: list[Path] = []
    wanted = [root, *(root / r for r in sorted(relatives) if r not in ("", "."))]
    for directory in wanted:
        missing = [d for d in (directory, *directory.parents) if not os.path.lexists(d)]
        for parent in reversed(missing):
            try:
                parent.mkdir()
            except FileExistsError:
                continue
            except OSError:
                for made in reversed(created):
                    with contextlib.suppress(OSError):
                        made.rmdir()
                raise
            created.append(parent)
    return created


def _remove_empty_parents(root: Path, path: Path) -> None:
    for parent in path.parents:
        if parent == root or root not in parent.parents:
            return
        try:
            parent.rmdir()
        except OSError:
            return


def _remove_leftover_temporaries(root: Path, files: Iterable[str]) -> None:
    """Remove the temporary files an earlier run of ours left where these files go (killed)."""
    for directory in {root, *((root / name).parent for name in files)}:
        for leftover in directory.glob(f"{TEMPORARY_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
