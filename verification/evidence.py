"""Evidence that proves itself: a directory's manifest, written last, and its check.

Every directory of evidence the toolkit writes (a sweep, a readings search with its
re-runs) ends with ``DIR/manifest.json`` (:data:`MANIFEST_NAME`), written atomically after
everything else: the toolkit version, the kind of evidence, the command and options, the
seed, the design (the points the run was asked to compute) and, for each file the evidence
consists of, its size, SHA-256 and (for a ``.jsonl`` rows file) its row count. A run
announces itself first with a manifest in state ``running`` (no files): the folder is then
the toolkit's (:func:`claim_directory`), and a reader knows the run did not finish.

Whatever reads evidence calls :func:`check_evidence` first and reads nothing that fails it:
a missing or foreign manifest, an unfinished run, a missing, torn, shortened, lengthened or
edited file, a rows file the manifest does not list, another seed or design — each is one
line (:class:`EvidenceError`, a :class:`~verification.errors.UsageError`, exit status 2 at
the command line) naming the file, what is wrong and the command that mends it.

The hash of the evidence a number was computed from (:func:`evidence_digest`) is the
SHA-256 of the manifest's bytes: the manifest holds every file's hash, so it pins them all.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from foundation.atomic import write_atomically

from .errors import UsageError

__all__ = [
    "MANIFEST_NAME",
    "EvidenceError",
    "check_evidence",
    "check_manifest",
    "claim_directory",
    "evidence_digest",
    "file_record",
    "read_manifest",
    "toolkit_version",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
"""The manifest of an evidence directory (a sweep's or a readings search's)."""

TOOL = "fastweights"
FORMAT = 1
"""The manifest's format; a reader refuses other formats."""

_CHUNK = 1 << 20
_SELF = "manifest_sha256"
"""The manifest's own checksum: SHA-256 of its other fields' canonical JSON. With the
check that the file is byte for byte as written, any edit of the manifest is refused."""


class EvidenceError(UsageError):
    """Evidence that fails its check: ``FILE: what is wrong; mend: COMMAND``.

    One line; the command line reports it with exit status 2 like every
    :class:`~verification.errors.UsageError`.
    """

    def __init__(self, file: str | os.PathLike[str], problem: str, mend: str | None) -> None:
        message = f"{file}: {problem}"
        if mend:
            message += f"; mend: {mend}"
        ValueError.__init__(self, message)
        self.name = str(file)
        self.accepts = "evidence whose manifest and hashes check"
        self.problem = problem
        self.mend = mend


def toolkit_version() -> str:
    """The installed fastweights version (``unknown`` when not installed)."""
    try:
        return importlib.metadata.version("fastweights")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


def file_record(path: str | os.PathLike[str]) -> dict[str, Any]:
    """``{"bytes", "sha256"}`` of a file, and ``"rows"`` (complete lines) for ``.jsonl``."""
    digest = hashlib.sha256()
    size = 0
    newlines = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
    record: dict[str, Any] = {"bytes": size, "sha256": digest.hexdigest()}
    if str(path).endswith(".jsonl"):
        record["rows"] = newlines
    return record


def _manifest_document(
    kind: str,
    state: str,
    command: str,
    options: Mapping[str, Any],
    seed: int | None,
    design: Any,
    files: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    return {
        "tool": TOOL,
        "format": FORMAT,
        "kind": kind,
        "state": state,
        "fastweights_version": toolkit_version(),
        "command": command,
        "options": dict(options),
        "seed": seed,
        "design": design,
        "files": {name: dict(files[name]) for name in sorted(files)},
    }


def write_manifest(
    directory: str | os.PathLike[str],
    *,
    kind: str,
    command: str,
    options: Mapping[str, Any],
    seed: int | None,
    design: Any,
    files: Iterable[str] = (),
    state: str = "complete",
) -> dict[str, Any]:
    """Write ``DIR/manifest.json`` atomically: last, after every file it lists.

    ``files`` are paths relative to ``directory`` (``search/results.jsonl``); each is
    hashed now. ``state``: ``running`` when a run starts (``files`` empty), ``complete``
    when it has written everything. Returns the manifest written.
    """
    root = Path(directory)
    records = {name: file_record(root / name) for name in files}
    document = _manifest_document(kind, state, command, options, seed, design, records)
    document[_SELF] = _self_digest(document)
    write_atomically(root / MANIFEST_NAME, _serialize(document))
    return document


def _serialize(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=1, sort_keys=False, allow_nan=False) + "\n").encode()


def _self_digest(document: Mapping[str, Any]) -> str:
    content = {key: value for key, value in document.items() if key != _SELF}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The toolkit's manifest in ``directory``; ``None`` if there is none or it is not one."""
    try:
        data = json.loads((Path(directory) / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        return None
    return data


def evidence_digest(directory: str | os.PathLike[str]) -> str:
    """``sha256:<hex>`` of ``DIR/manifest.json``'s bytes: the hash of the whole evidence
    (the manifest lists every file's own hash)."""
    data = (Path(directory) / MANIFEST_NAME).read_bytes()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def check_evidence(
    directory: str | os.PathLike[str],
    kind: str,
    *,
    mend: str | None,
    expect: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Check an evidence directory before anything reads it; its manifest if it passes.

    Refused (:class:`EvidenceError`, one line naming the file and ``mend``): no manifest,
    one not the toolkit's or of another ``kind``, an unfinished run, a listed file that is
    missing or whose size, row count or SHA-256 differ (torn, cut, lengthened, edited), a
    ``.jsonl`` rows file below ``directory`` that the manifest does not list, and a value of
    ``expect`` (e.g. ``{"seed": 1987, "design": [...]}``) the manifest records otherwise.
    """
    root = Path(directory)
    manifest_path = root / MANIFEST_NAME
    data = check_manifest(root, kind, mend=mend)
    if data.get("state") != "complete":
        raise EvidenceError(root, f"an unfinished {kind} (state {data.get('state')!r})", mend)
    files = data.get("files")
    if not isinstance(files, dict) or not files:
        raise EvidenceError(manifest_path, "lists no files", mend)
    for name, record in files.items():
        _check_file(root, name, record, mend)
    listed = {Path(name).as_posix() for name in files}
    for path in sorted(root.rglob("*.jsonl")):
        relative = path.relative_to(root).as_posix()
        if relative not in listed and not path.name.startswith("."):
            raise EvidenceError(path, "a rows file the manifest does not list", mend)
    for key, value in (expect or {}).items():
        if data.get(key) != value:
            raise EvidenceError(
                manifest_path, f"another {key} ({_short(data.get(key))}, not {_short(value)})", mend
            )
    return data


def check_manifest(
    directory: str | os.PathLike[str], kind: str, *, mend: str | None
) -> dict[str, Any]:
    """The manifest of ``directory``, checked to be the toolkit's, of ``kind``, and exactly
    as written (its own checksum, and byte for byte its serialization); finished or not.

    :func:`check_evidence` calls it first; a reader of an unfinished run (``--resume``)
    calls it alone. Refused: :class:`EvidenceError` naming the manifest and ``mend``.
    """
    root = Path(directory)
    manifest_path = root / MANIFEST_NAME
    if not root.is_dir():
        raise EvidenceError(root, f"not a directory of {kind} evidence", mend)
    try:
        raw = manifest_path.read_bytes()
        data = json.loads(raw)
    except FileNotFoundError:
        raise EvidenceError(
            manifest_path, f"missing (not a finished fastweights {kind})", mend
        ) from None
    except (OSError, ValueError) as exc:
        raise EvidenceError(manifest_path, f"unreadable ({type(exc).__name__})", mend) from None
    if not isinstance(data, dict) or data.get("tool") != TOOL or data.get("format") != FORMAT:
        raise EvidenceError(manifest_path, "not a manifest written by fastweights", mend)
    try:
        as_written = _serialize(data) == raw
    except ValueError:  # a NaN or an infinity: never written so
        as_written = False
    if not as_written or data.get(_SELF) != _self_digest(data):
        raise EvidenceError(manifest_path, "not as fastweights wrote it (edited?)", mend)
    if data.get("kind") != kind:
        raise EvidenceError(
            manifest_path, f"the manifest of a {data.get('kind')}, not a {kind}", mend
        )
    return data


def _check_file(root: Path, name: Any, record: Any, mend: str | None) -> None:
    if not isinstance(name, str) or not isinstance(record, dict) or Path(name).is_absolute():
        raise EvidenceError(root / MANIFEST_NAME, f"a malformed entry {_short(name)}", mend)
    if ".." in Path(name).parts:
        raise EvidenceError(root / MANIFEST_NAME, f"an entry outside the directory: {name}", mend)
    path = root / name
    if not path.is_file():
        raise EvidenceError(path, "missing", mend)
    found = file_record(path)
    if "rows" in record and found.get("rows") != record["rows"]:
        torn = found["bytes"] and not path.read_bytes().endswith(b"\n")
        what = "a torn last line, " if torn else ""
        raise EvidenceError(
            path, f"{what}{found.get('rows')} rows where the manifest lists {record['rows']}", mend
        )
    if found["bytes"] != record.get("bytes"):
        raise EvidenceError(
            path, f"{found['bytes']} bytes where the manifest lists {record.get('bytes')}", mend
        )
    if found["sha256"] != record.get("sha256"):
        raise EvidenceError(path, "its SHA-256 does not match the manifest (edited?)", mend)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def claim_directory(
    directory: str | os.PathLike[str], kind: str, *, force: bool, option: str = "--out"
) -> bool:
    """Whether the toolkit may write into ``directory`` (checked, nothing written).

    Yes when it does not exist, is empty, or holds the toolkit's manifest of ``kind`` (a
    finished or an unfinished run); else refused in one line naming ``option`` unless
    ``force``. A path that is a file, or a link leading elsewhere, is refused always.
    Returns whether the directory exists.
    """
    path = Path(directory)
    if path.is_symlink():
        raise UsageError(option, "a directory path that is not a symbolic link", str(path))
    if not os.path.lexists(path):
        return False
    if not path.is_dir():
        raise UsageError(option, "a directory (this path is a file)", str(path))
    if force or not any(path.iterdir()):
        return True
    manifest = read_manifest(path)
    if manifest is None or manifest.get("kind") != kind:
        raise UsageError(
            option,
            f"a new or empty directory, or one holding a fastweights {kind} "
            f"({MANIFEST_NAME}); --force to write into another",
            str(path),
        )
    return True
