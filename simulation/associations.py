"""The user's own associations for the Sec. 4 deblurring experiment (issue 22).

Hinton & Plaut (1987), Sec. 4, train a network on 100 random associations (10-bit inputs,
10-bit targets) and blur them with 5 new random ones. :class:`Associations` holds a
researcher's own instead: old inputs and targets, and optionally the new (blurring)
ones. :func:`simulation.run_deblur` and :func:`simulation.run_deblur_conditions` take it
as ``associations=``; every seed then trains on these same old associations.

Checked on construction (:func:`check_associations`), each refusal a one-line
:class:`~simulation._validate.ParameterError` naming the field: 2-D arrays of finite
real numbers with at least one row and one column; the targets' rows match the inputs';
every target lies in [0, 1], the logistic output unit's range (closed: the experiment's
default targets are exactly 0 and 1); new inputs as wide as the old, new targets as wide
as the old, as many new targets as new inputs; ``new_inputs`` and ``new_targets`` both
given or both left out. The arrays are stored as read-only float64 copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError

__all__ = ["FIELDS", "Associations", "array_sha256", "check_associations"]

FloatArray = npt.NDArray[np.float64]

FIELDS = ("inputs", "targets", "new_inputs", "new_targets")
"""The four arrays, in the order of :class:`Associations`' fields."""


def array_sha256(array: FloatArray) -> str:
    """SHA-256 of ``array``'s values as little-endian float64 in C order (its shape is
    recorded beside it): ``hashlib.sha256(np.ascontiguousarray(a, "<f8").tobytes())``.

    Example:
        >>> array_sha256(np.zeros((1, 2)))[:12]
        '374708fff771'
    """
    data = np.ascontiguousarray(array, dtype="<f8")
    return hashlib.sha256(data.tobytes()).hexdigest()


def _matrix(name: str, value: object) -> FloatArray:
    """``value`` as a read-only 2-D float64 copy of finite numbers, or a refusal."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ParameterError(name, "a 2-D array of real numbers", type(value).__name__) from None
    if array.dtype.kind not in "biuf":
        raise ParameterError(name, "a 2-D array of real numbers", f"dtype {array.dtype}")
    if array.ndim != 2:
        raise ParameterError(name, "a 2-D array: one association per row", array.shape)
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ParameterError(name, "at least one row and one column", array.shape)
    result: FloatArray = np.array(array, dtype=np.float64, order="C", copy=True)
    if not np.all(np.isfinite(result)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", "a non-finite value")
    result.setflags(write=False)
    return result


def _check_targets(name: str, targets: FloatArray) -> None:
    low, high = float(targets.min()), float(targets.max())
    if low < 0.0 or high > 1.0:
        bad = low if low < 0.0 else high
        raise ParameterError(
            name, "targets in [0, 1] (a logistic unit's range)", f"a target of {bad:g}"
        )


def check_associations(
    inputs: object,
    targets: object,
    new_inputs: object = None,
    new_targets: object = None,
) -> tuple[FloatArray, FloatArray, FloatArray | None, FloatArray | None]:
    """The four arrays checked (read-only float64 copies; the new ones ``None`` when not
    given), or a one-line :class:`ParameterError` naming the first field refused."""
    x = _matrix("inputs", inputs)
    t = _matrix("targets", targets)
    k, n = x.shape
    if t.shape[0] != k:
        raise ParameterError("targets", f"{k} rows, one per input row", t.shape[0])
    _check_targets("targets", t)
    if (new_inputs is None) != (new_targets is None):
        given, missing = (
            ("new_inputs", "new_targets") if new_targets is None else ("new_targets", "new_inputs")
        )
        raise ParameterError(missing, f"an array as well (with {given})", None)
    if new_inputs is None:
        return x, t, None, None
    x_new = _matrix("new_inputs", new_inputs)
    t_new = _matrix("new_targets", new_targets)
    if x_new.shape[1] != n:
        raise ParameterError("new_inputs", f"{n} columns, as many as inputs", x_new.shape[1])
    if t_new.shape[0] != x_new.shape[0]:
        raise ParameterError(
            "new_targets", f"{x_new.shape[0]} rows, one per new input row", t_new.shape[0]
        )
    if t_new.shape[1] != t.shape[1]:
        raise ParameterError(
            "new_targets", f"{t.shape[1]} columns, as many as targets", t_new.shape[1]
        )
    _check_targets("new_targets", t_new)
    return x, t, x_new, t_new


@dataclass(frozen=True, eq=False)
class Associations:
    """Old associations to learn and, optionally, the new ones that blur them (Sec. 4).

    Attributes:
        inputs: (K, n) float64, one old input vector per row, any finite values.
        targets: (K, m) float64, the old targets, each in [0, 1].
        new_inputs: (K_new, n) float64, or None: the new associations are then drawn per
            seed as in the paper (random n-bit inputs distinct from the old, random bits).
        new_targets: (K_new, m) float64 in [0, 1], or None (with ``new_inputs``).
        source: where each array came from, ``{field: {"file": path, "sha256": hex}}``
            (:func:`verification.inputs_file.load_associations` fills it); None when
            built in Python. It changes no number; :meth:`describe` reports it.

    Example:
        >>> a = Associations([[0, 1], [1, 1]], [[1.0], [0.0]])
        >>> a.count, a.n_input, a.n_output, a.new_count
        (2, 2, 1, None)
        >>> try:
        ...     Associations([[0, 1]], [[1.5]])
        ... except ValueError as error:
        ...     print(error)
        targets: expected targets in [0, 1] (a logistic unit's range), got 'a target of 1.5'
    """

    inputs: FloatArray
    targets: FloatArray
    new_inputs: FloatArray | None = None
    new_targets: FloatArray | None = None
    source: Mapping[str, Mapping[str, str]] | None = None

    def __post_init__(self) -> None:
        checked = check_associations(self.inputs, self.targets, self.new_inputs, self.new_targets)
        for name, value in zip(FIELDS, checked, strict=True):
            object.__setattr__(self, name, value)

    @property
    def count(self) -> int:
        """K, the number of old associations."""
        return int(self.inputs.shape[0])

    @property
    def n_input(self) -> int:
        """n, the width of an input vector (the network's input units)."""
        return int(self.inputs.shape[1])

    @property
    def n_output(self) -> int:
        """m, the width of a target vector (the network's output units)."""
        return int(self.targets.shape[1])

    @property
    def new_count(self) -> int | None:
        """K_new, the number of given new associations (None: drawn per seed)."""
        return None if self.new_inputs is None else int(self.new_inputs.shape[0])

    @property
    def input_scale(self) -> float:
        """max(1, max |x|) over the old and new inputs: how much wider than [0, 1] they are."""
        largest = float(np.abs(self.inputs).max())
        if self.new_inputs is not None:
            largest = max(largest, float(np.abs(self.new_inputs).max()))
        return max(1.0, largest)

    def describe(self) -> dict[str, Any]:
        """JSON: per array its shape, :func:`array_sha256` and (from ``source``) its file and
        the file's SHA-256; the new ones ``"drawn per seed"`` when not given."""
        source = self.source or {}
        out: dict[str, Any] = {}
        for name in FIELDS:
            array = getattr(self, name)
            if array is None:
                out[name] = "drawn per seed"
                continue
            entry: dict[str, Any] = {"shape": list(array.shape)}
            entry["array_sha256"] = array_sha256(array)
            given = source.get(name)
            if given is not None:
                entry = {"file": given.get("file"), "sha256": given.get("sha256"), **entry}
            out[name] = entry
        return out
