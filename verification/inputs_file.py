"""The user's input vectors for ``fastweights theory transfer`` and ``simulate transfer``.

Shared by both commands (``theory`` and ``simulation`` never import each other), so a file,
a ``--retrained`` SPEC and a default ε mean the same on both sides:

* :func:`load_inputs`: a ``.npy`` or ``.csv`` file, one input vector per row, any finite
  real values; its size is checked against the available memory before it is read.
* :func:`parse_retrained`: ``0,3,7`` (row indices), ``first:M`` or ``random:M`` (M rows
  drawn without replacement by ``numpy.random.default_rng(SeedSequence([seed,``
  :data:`RETRAINED_STREAM` ``]))``: a stream of its own, apart from the simulation's trials).
* :func:`default_epsilon`: ε = 1/⌈λ_max⌉ (a Fraction) for integer inputs, 1/λ_max
  (float64) otherwise, λ_max the largest eigenvalue of ``A = Σ_{l∈S} x_l x_lᵀ``: stable
  (ελ_i ∈ [0, 1] for every eigenvalue, so no expected error ever grows).
* :func:`check_fits`: refuse work whose estimated memory exceeds half the available memory.
* :func:`load_associations`: input and target files (and optionally new ones) for
  ``fastweights simulate deblur --inputs FILE --targets FILE``, read by :func:`load_inputs`
  and checked as :class:`simulation.associations.Associations`, with each file's name and
  SHA-256 recorded.

Every refusal is a :class:`~verification.errors.UsageError`: one line naming the option.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from simulation.associations import Associations

from .errors import UsageError
from .resources import available_memory, memory_limit

__all__ = [
    "EXTENSIONS",
    "RETRAINED_STREAM",
    "WORKING_BYTES_PER_ELEMENT",
    "TransferInputs",
    "available_memory",
    "check_fits",
    "default_epsilon",
    "file_sha256",
    "inputs_shape",
    "load_associations",
    "load_inputs",
    "parse_retrained",
    "transfer_inputs",
    "working_bytes",
]

FloatArray = npt.NDArray[np.float64]

EXTENSIONS = (".npy", ".csv")
#: Second entropy word of the ``random:M`` subset's SeedSequence (the ASCII of "retr").
RETRAINED_STREAM = 0x72657472
#: Fraction of the available memory one command may plan to use.
MEMORY_FRACTION = 0.5
#: Bytes of float64 a CSV can produce per byte of text (a value takes >= 2 bytes, "0,"),
#: times 2 for the parser's own buffers.
_CSV_EXPANSION = 8


def _gigabytes(size: float) -> str:
    return f"{size / 1e9:.3g} GB"


def check_fits(name: str, needed: float, got: object) -> None:
    """Refuse (``name: expected ...``) when ``needed`` bytes exceed the memory budget:
    ``FASTWEIGHTS_MEMORY_LIMIT`` if set, else half the memory available."""
    if os.environ.get("FASTWEIGHTS_MEMORY_LIMIT"):
        budget = memory_limit()
        allowed = "FASTWEIGHTS_MEMORY_LIMIT"
    else:
        available = available_memory()
        if available is None:
            return
        budget = MEMORY_FRACTION * available
        allowed = f"half of the {_gigabytes(available)} available"
    if budget is not None and needed > budget:
        raise UsageError(
            name,
            f"work that fits in memory (about {_gigabytes(needed)} needed, "
            f"{_gigabytes(budget)} allowed: {allowed})",
            got,
        )


WORKING_BYTES_PER_ELEMENT = 17
"""Bytes per element beyond the file's own array while loading and checking it: the
float64 copy (8), the finiteness mask (1) and one float64 temporary of the checks (8)."""


def inputs_shape(path: str | os.PathLike[str], name: str = "inputs") -> tuple[int, int] | None:
    """(K, n) of a ``.npy`` file from its header alone (its dtype and shape checked: the
    cheap refusals come before any data is read); ``None`` for a ``.csv`` (no header).
    ``name``: the option a refusal names."""
    p = _checked_path(path, name)
    if p.suffix.lower() != ".npy":
        return None
    shape, _ = _checked_header(p, name)
    return int(shape[0]), int(shape[1])


def working_bytes(path: str | os.PathLike[str], name: str = "inputs") -> float:
    """Peak bytes of loading ``path``: the file's array (its dtype, or the CSV parser's
    buffers) plus :data:`WORKING_BYTES_PER_ELEMENT` per element."""
    p = _checked_path(path, name)
    size = p.stat().st_size
    if p.suffix.lower() != ".npy":
        return _CSV_EXPANSION * size + WORKING_BYTES_PER_ELEMENT * size / 2  # >= 2 bytes a value
    shape, dtype = _checked_header(p, name)
    return float((dtype.itemsize + WORKING_BYTES_PER_ELEMENT) * math.prod(shape))


def _checked_path(path: str | os.PathLike[str], name: str = "inputs") -> Path:
    p = Path(path)
    if p.suffix.lower() not in EXTENSIONS:
        raise UsageError(name, "a file ending in .npy or .csv", str(path))
    if not p.is_file():
        raise UsageError(name, "an existing, readable file", str(path))
    if p.stat().st_size == 0:
        raise UsageError(name, "at least one row of numbers", f"{path}: empty")
    return p


def _checked_header(path: Path, name: str) -> tuple[tuple[int, ...], np.dtype[np.generic]]:
    try:
        shape, dtype = _npy_header(path)
    except (ValueError, OSError, EOFError) as exc:
        raise UsageError(name, "a valid .npy file", f"{path}: {_first_line(exc)}") from None
    if dtype.kind not in "biuf":
        raise UsageError(name, "an array of real numbers", f"{path}: dtype {dtype}")
    _check_shape(shape, str(path), name)
    expected = dtype.itemsize * math.prod(shape)
    if path.stat().st_size < expected:
        raise UsageError(
            name,
            f"a valid .npy file (its header promises {expected} bytes of data)",
            f"{path}: {path.stat().st_size} bytes",
        )
    return shape, dtype


def _npy_header(path: Path) -> tuple[tuple[int, ...], np.dtype[np.generic]]:
    """Shape and dtype from a .npy header, reading nothing else."""
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
    return tuple(shape), dtype


_ROWS = {"targets": "target vector", "new_inputs": "input vector", "new_targets": "target vector"}


def _row(name: str) -> str:
    """What one row of the file called ``name`` holds (``inputs``: an input vector)."""
    return _ROWS.get(name, "input vector")


def _check_shape(shape: tuple[int, ...], path: str, name: str = "inputs") -> None:
    if len(shape) != 2:
        raise UsageError(name, f"a 2-D array: one {_row(name)} per row", f"{path}: shape {shape}")
    if shape[0] == 0 or shape[1] == 0:
        raise UsageError(name, "at least one row and one column", f"{path}: shape {shape}")


def _load_npy(path: Path, name: str) -> FloatArray:
    _checked_header(path, name)
    check_fits(name, working_bytes(path, name), str(path))
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise UsageError(name, "a valid .npy file", f"{path}: {_first_line(exc)}") from None
    return np.asarray(array, dtype=np.float64)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].split("; use `usecols`")[0] if text else type(exc).__name__


def _load_csv(path: Path, name: str) -> FloatArray:
    check_fits(name, working_bytes(path, name), str(path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "input contained no data" -> an empty file
            with open(path, encoding="utf-8") as handle:
                lines = (line for line in handle if line.strip())  # blank lines: skipped
                array = np.loadtxt(lines, delimiter=",", ndmin=2, dtype=np.float64)
    except UserWarning:
        raise UsageError(name, "at least one row of numbers", f"{path}: empty") from None
    except (ValueError, OSError) as exc:
        raise UsageError(
            name,
            f"a CSV of numbers, one {_row(name)} per row, every row the same length",
            f"{path}: {_first_line(exc)}",
        ) from None
    return array


def load_inputs(path: str | os.PathLike[str], name: str = "inputs") -> FloatArray:
    """The input vectors in ``path``, shape (K, n), float64 (``name``: the option a
    refusal names; the targets of :func:`load_associations` are read the same way).

    ``.npy`` (numeric dtype, 2-D, no pickles) or ``.csv`` (comma-separated numbers, one
    row per vector, ``#`` comments and blank lines ignored, no header). Refuses with a
    :class:`UsageError` a missing or unreadable file, another extension, an empty file,
    ragged or non-numeric CSV, a 1-D or > 2-D array, non-finite values, and a file whose
    array would not fit in half the available memory (checked before reading it).
    """
    p = _checked_path(path, name)
    array = _load_npy(p, name) if p.suffix.lower() == ".npy" else _load_csv(p, name)
    _check_shape(array.shape, str(path), name)
    if not np.all(np.isfinite(array)):
        raise UsageError(name, "finite numbers (no NaN or infinity)", str(path))
    return array


_INDEX = re.compile(r"^\s*[0-9]+\s*$")
_COUNT = re.compile(r"^\s*(first|random)\s*:\s*([0-9]+)\s*$")
"""ASCII digits only: ``int()`` and ``\\d`` would take ``٢`` (Arabic-Indic two) for 2."""
_SPEC_HELP = "row indices such as 0,3,7, or first:M, or random:M"


def parse_retrained(spec: str, rows: int, seed: int = 0) -> list[int]:
    """The retrained row indices given by ``spec`` for a file of ``rows`` rows, sorted.

    ``0,3,7``: distinct indices in [0, rows); ``first:M``: rows 0..M-1; ``random:M``: M rows
    drawn without replacement from the ``seed``'s own stream. 1 <= M <= rows - 1 (some
    association must stay unretrained).
    """
    if rows < 2:
        raise UsageError("retrained", "a file of at least 2 rows (1 retrained, 1 not)", rows)
    limit = f"between 1 and rows - 1 = {rows - 1} rows"
    count = _COUNT.match(spec)
    if count:
        m = int(count.group(2))
        if not 1 <= m <= rows - 1:
            raise UsageError("retrained", f"a count {limit}", spec)
        if count.group(1) == "first":
            return list(range(m))
        if seed < 0:
            raise UsageError("seed", "an integer >= 0", seed)
        rng = np.random.default_rng(np.random.SeedSequence([seed, RETRAINED_STREAM]))
        return sorted(int(i) for i in rng.choice(rows, size=m, replace=False))
    parts = spec.split(",")
    if not all(_INDEX.match(part) for part in parts):
        raise UsageError("retrained", _SPEC_HELP, spec)
    indices = [int(part) for part in parts]
    if any(i >= rows for i in indices):
        raise UsageError("retrained", f"row indices in [0, {rows})", spec)
    if len(set(indices)) != len(indices):
        raise UsageError("retrained", "distinct row indices (no duplicates)", spec)
    if len(indices) > rows - 1:
        raise UsageError("retrained", f"{limit} (some must be unretrained)", spec)
    return sorted(indices)


def default_epsilon(inputs: FloatArray, retrained: list[int]) -> Fraction | float:
    """ε = 1/⌈λ_max⌉ (exact) for integer inputs, else 1/λ_max; λ_max of ``Σ_{l∈S} x_l x_lᵀ``.

    Refuses retrained rows that are all zero (nothing to retrain, no λ_max > 0).
    """
    x_r = inputs[retrained]
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        small = x_r @ x_r.T if x_r.shape[0] <= x_r.shape[1] else x_r.T @ x_r
        lam = float(np.linalg.eigvalsh(small)[-1]) if np.all(np.isfinite(small)) else math.inf
    if not math.isfinite(lam):
        raise UsageError("inputs", "entries small enough for finite dot products", "overflow")
    if lam <= 0.0:
        raise UsageError(
            "retrained", "rows with at least one nonzero input (else nothing is retrained)", "0"
        )
    if np.all(x_r == np.round(x_r)):
        return Fraction(1, max(1, math.ceil(lam * (1.0 - 1e-12))))
    return 1.0 / lam


@dataclass(frozen=True)
class TransferInputs:
    """What both transfer commands start from: the file's vectors, S and ε."""

    path: str
    inputs: FloatArray
    retrained: list[int]
    epsilon: Fraction | float
    epsilon_is_default: bool

    def describe(self) -> dict[str, object]:
        """JSON: the file, its shape, the retrained rows and how ε was chosen."""
        return {
            "file": self.path,
            "rows": int(self.inputs.shape[0]),
            "columns": int(self.inputs.shape[1]),
            "retrained": self.retrained,
            "epsilon_rule": "1/ceil(lambda_max)"
            if self.epsilon_is_default and isinstance(self.epsilon, Fraction)
            else "1/lambda_max"
            if self.epsilon_is_default
            else "given",
        }


def transfer_inputs(
    path: str, spec: str, seed: int, epsilon: Fraction | float | None
) -> TransferInputs:
    """Load ``path``, resolve ``spec`` and ε (:func:`default_epsilon` when None)."""
    inputs = load_inputs(path)
    retrained = parse_retrained(spec, inputs.shape[0], seed)
    chosen = default_epsilon(inputs, retrained) if epsilon is None else epsilon
    return TransferInputs(str(path), inputs, retrained, chosen, epsilon is None)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file's bytes (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_associations(
    inputs: str | os.PathLike[str],
    targets: str | os.PathLike[str],
    new_inputs: str | os.PathLike[str] | None = None,
    new_targets: str | os.PathLike[str] | None = None,
) -> Associations:
    """The associations in these files (paths), one association per row.

    Each file is read and refused as :func:`load_inputs` reads ``--inputs`` (the refusal
    naming its own option: ``targets: expected ...``); then, as
    :class:`~simulation.associations.Associations` checks them: row counts that disagree,
    targets outside [0, 1] (the logistic output's range; the experiment's own targets are
    exactly 0 and 1), new inputs of another width, new targets of another width than the
    targets. ``new_inputs`` and ``new_targets`` go together. ``source`` records each
    file's name and SHA-256.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "x.csv").write_text("0,1\\n1,1\\n")
        >>> _ = (folder / "t.csv").write_text("1\\n0\\n")
        >>> a = load_associations(folder / "x.csv", folder / "t.csv")
        >>> a.inputs.shape, a.targets.shape, a.source["targets"]["file"].endswith("t.csv")
        ((2, 2), (2, 1), True)
    """
    if (new_inputs is None) != (new_targets is None):
        given, missing = (
            ("new_inputs", "new_targets") if new_targets is None else ("new_targets", "new_inputs")
        )
        flag = "--" + given.replace("_", "-")
        raise UsageError(missing, f"a file as well (with {flag} FILE)", None)
    paths = {"inputs": inputs, "targets": targets}
    if new_inputs is not None and new_targets is not None:
        paths |= {"new_inputs": new_inputs, "new_targets": new_targets}
    arrays = {name: load_inputs(path, name) for name, path in paths.items()}
    source = {
        name: {"file": str(path), "sha256": file_sha256(path)} for name, path in paths.items()
    }
    return Associations(**arrays, source=source)
