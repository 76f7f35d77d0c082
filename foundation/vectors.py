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

__all__ = ["check_input_matrix", "retrained_mask"]


def check_input_matrix(inputs: object) -> npt.NDArray[np.float64]:
    """``inputs`` as a non-empty, finite (K, n) float64 array; :class:`ParameterError`
    naming ``inputs`` otherwise."""
    try:
        x: npt.NDArray[Any] = np.asarray(inputs, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError("inputs", "a (K, n) array of numbers", inputs) from None
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ParameterError("inputs", "a non-empty 2-D (K, n) array", x.shape)
    if not np.all(np.isfinite(x)):
        raise ParameterError("inputs", "finite numbers (no NaN or infinity)", "non-finite entries")
    return x


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
