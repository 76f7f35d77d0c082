"""Argument checks for user-given input vectors, shared by ``theory`` and ``simulation``.

No mathematics: only whether an array of input vectors and a set of retrained rows are
usable (``theory.vector_transfer`` and ``simulation.vector_transfer`` each compute their
own numbers from them). Uses numpy; ``foundation/__init__`` does not import it, so only the
modules that need it pay for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import ParameterError

__all__ = ["check_input_matrix", "input_array", "retrained_mask", "retrained_selection"]


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
