"""Argument checks for user-given input vectors, shared by ``theory`` and ``simulation``.

No mathematics: only whether an input vector, a pair of them (``a``, ``b`` of Sec. 5), an
array of input vectors and a set of retrained rows are usable (``theory`` and ``simulation``
each compute their own numbers from them). Uses numpy; ``foundation/__init__`` does not
import it, so only the modules that need it pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import ParameterError

__all__ = [
    "check_input_matrix",
    "check_vector",
    "check_vector_pair",
    "input_array",
    "retrained_mask",
    "retrained_selection",
]


def check_vector(
    name: str,
    value: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = False,
    max_scale: float | None = None,
) -> npt.NDArray[np.float64]:
    """A 1-D vector of finite numbers, shape (n,); optionally restricted to ``allowed``
    values, nonzero, and (``max_scale``) to components 0 or of magnitude in
    [1/max_scale, max_scale] (``simulation``: larger or smaller ones overflow its sums)."""
    if isinstance(value, (str, bytes)):
        raise ParameterError(name, "a sequence of numbers", value)
    try:
        arr = np.asarray(list(value), dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "a sequence of numbers", value) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(name, "a non-empty 1-D sequence of numbers", value)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", arr.tolist())
    magnitude = np.abs(arr[arr != 0])
    if (
        max_scale is not None
        and magnitude.size
        and not (1 / max_scale <= magnitude.min() and magnitude.max() <= max_scale)
    ):
        accepts = f"components 0 or of magnitude in [{1 / max_scale:g}, {max_scale:g}]"
        raise ParameterError(name, accepts, arr.tolist())
    if allowed is not None and not np.all(np.isin(arr, allowed)):
        accepts = "components in {" + ", ".join(str(v) for v in allowed) + "}"
        raise ParameterError(name, accepts, arr.tolist())
    if nonzero and not np.any(arr):
        raise ParameterError(name, "a nonzero vector (a cosine needs a direction)", arr.tolist())
    return arr


def check_vector_pair(
    a: Iterable[object],
    b: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = True,
    max_scale: float | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Two vectors of the same length n (``a`` and ``b`` of Sec. 5), each (n,)."""
    va = check_vector("a", a, allowed, nonzero, max_scale)
    vb = check_vector("b", b, allowed, nonzero, max_scale)
    if va.shape != vb.shape:
        raise ParameterError("b", f"a vector of the same length as a ({va.size})", vb.size)
    return va, vb


def check_input_matrix(
    inputs: object, shape: str = "a non-empty 2-D (K, n) array"
) -> npt.NDArray[np.float64]:
    """``inputs`` as a non-empty, finite (K, n) float64 array; :class:`ParameterError`
    naming ``inputs`` otherwise (``shape``: what the message says a wrong shape should be)."""
    try:
        x: npt.NDArray[Any] = np.asarray(inputs, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError("inputs", "a (K, n) array of numbers", inputs) from None
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ParameterError("inputs", shape, x.shape)
    if not np.all(np.isfinite(x)):
        raise ParameterError("inputs", "finite numbers (no NaN or infinity)", "non-finite entries")
    return x


def input_array(inputs: object) -> npt.NDArray[np.float64]:
    """:func:`check_input_matrix` as the Sec. 5.3 dynamics word it (``a non-empty (K, n)
    array of numbers``)."""
    return check_input_matrix(inputs, "a non-empty (K, n) array of numbers")


def retrained_mask(retrained: object, k: int) -> npt.NDArray[np.bool_]:
    """A (K,) boolean mask of the retrained rows: distinct indices in [0, K), at least one
    retrained and one not; :class:`ParameterError` naming ``retrained`` otherwise."""
    accepts = f"distinct row indices in [0, {k}), at least one and at most {k - 1}"
    try:
        arr = np.asarray(retrained)
    except (TypeError, ValueError):
        raise ParameterError("retrained", accepts, retrained) from None
    if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
        raise ParameterError("retrained", accepts, retrained)
    if np.any((arr < 0) | (arr >= k)) or np.unique(arr).size != arr.size or arr.size >= k:
        raise ParameterError("retrained", accepts, arr.tolist())
    mask = np.zeros(k, dtype=bool)
    mask[arr] = True
    return mask


def retrained_selection(retrained: object, k: int) -> npt.NDArray[np.bool_]:
    """A (K,) boolean mask from a mask of length K or distinct indices in [0, K) (none:
    nothing retrained), as the Sec. 5.3 dynamics take it; :class:`ParameterError` naming
    ``retrained`` otherwise."""
    accepts = f"a boolean mask of length {k} or distinct indices in [0, {k})"
    arr = np.asarray(retrained)
    if arr.dtype == np.bool_:
        if arr.shape != (k,):
            raise ParameterError("retrained", accepts, arr.tolist())
        return arr.astype(bool)
    if arr.size == 0:
        return np.zeros(k, dtype=bool)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ParameterError("retrained", accepts, arr.tolist())
    if np.any(arr < 0) or np.any(arr >= k) or np.unique(arr).size != arr.size:
        raise ParameterError("retrained", accepts, arr.tolist())
    mask = np.zeros(k, dtype=bool)
    mask[arr] = True
    return mask
