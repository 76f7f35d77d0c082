"""Argument checks for the public functions of ``theory``.

Every check raises :class:`ParameterError` (``foundation.errors``, the one class
``theory`` and ``simulation`` share), a ``ValueError`` whose message is one
line naming the parameter and what it accepts, e.g.
``q: expected a number in (0, 1], got 1.5``. The command line turns it into
that line on stderr and exit status 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from foundation.errors import ParameterError
from foundation.settings import Integer, Real

__all__ = [
    "ParameterError",
    "check_angle",
    "check_contraction",
    "check_count",
    "check_p",
    "check_q",
    "check_vector",
    "check_vector_pair",
]


def check_count(name: str, value: object, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (n, K, M, t, trials)."""
    return Integer(minimum).check(name, value)


def check_q(value: object, name: str = "q") -> float:
    """P(component = 1) for 0/1 inputs: a number in (0, 1]."""
    return Real(0.0, 1.0).check(name, value)


def check_p(value: object, name: str = "p") -> float:
    """P(component = 1) = P(component = -1) for signed inputs: a number in (0, 1/2]."""
    return Real(0.0, 0.5, words="a number in (0, 1/2]").check(name, value)


def check_angle(value: object, name: str = "angle") -> float:
    """Angle between the two input vectors in degrees: a number in (0, 180)."""
    accepts = "an angle in degrees in (0, 180)"
    return Real(0.0, 180.0, high_closed=False, words=accepts).check(name, value)


def check_contraction(value: object, name: str = "contraction") -> float:
    """Contraction lambda of the weight error along input 1: a number in (0, 1]."""
    return Real(0.0, 1.0).check(name, value)


def check_vector(
    name: str,
    value: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = False,
) -> npt.NDArray[np.float64]:
    """A 1-D vector of finite numbers; optionally restricted to ``allowed`` values and nonzero."""
    try:
        arr = np.asarray(list(value), dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "a sequence of numbers", value) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ParameterError(name, "a non-empty 1-D sequence of numbers", value)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", arr.tolist())
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
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Two vectors of the same length (``a`` and ``b`` of Sec. 5)."""
    va = check_vector("a", a, allowed, nonzero)
    vb = check_vector("b", b, allowed, nonzero)
    if va.shape != vb.shape:
        raise ParameterError("b", f"a vector of the same length as a ({va.size})", vb.size)
    return va, vb
