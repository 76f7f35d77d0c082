"""Argument checks for the public functions of ``simulation``.

Every check raises :class:`ParameterError` (``foundation.errors``, the one class
``theory`` and ``simulation`` share), a ``ValueError`` whose message is one
line naming the parameter and what it accepts. The command line turns it into
that line on stderr and exit status 2. The rules (and messages) are the same as
``theory``'s, so a user can put ``fastweights theory`` and ``fastweights simulate``
side by side; ``simulation`` adds its own (trials >= 1, noise sd > 0, step counts >= 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from foundation.errors import ParameterError

__all__ = [
    "MAX_SCALE",
    "ParameterError",
    "check_angle",
    "check_choice",
    "check_contraction",
    "check_count",
    "check_level",
    "check_p",
    "check_positive",
    "check_q",
    "check_real",
    "check_scale",
    "check_seed",
    "check_vector",
    "check_vector_pair",
]


MAX_SCALE = 1e6
"""The largest noise sd, radius or input component a simulation accepts (and 1/MAX_SCALE the
smallest nonzero component): squares and fourth powers of larger values, summed over
trials in float32 or float64, overflow or underflow into meaningless results."""


def check_real(name: str, value: object, accepts: str = "a finite number") -> float:
    """A finite real number (no bool, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(name, accepts, value)
    x = float(value)
    if not math.isfinite(x):
        raise ParameterError(name, accepts, value)
    return x


def check_count(name: str, value: object, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (n, K, M, trials: 1; step counts: 0)."""
    accepts = f"an integer >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ParameterError(name, accepts, value)
    if int(value) < minimum:
        raise ParameterError(name, accepts, value)
    return int(value)


def check_positive(name: str, value: object, allow_zero: bool = False) -> float:
    """A finite number > 0 (or >= 0 with ``allow_zero``): noise sd, epsilon, radius."""
    accepts = "a finite number >= 0" if allow_zero else "a finite number > 0"
    x = check_real(name, value, accepts)
    if x < 0.0 or (x == 0.0 and not allow_zero):
        raise ParameterError(name, accepts, value)
    return x


def check_scale(name: str, value: object) -> float:
    """A length scale (noise sd, radius): a finite number in (0, MAX_SCALE]."""
    accepts = f"a finite number > 0 and at most {MAX_SCALE:g}"
    x = check_real(name, value, accepts)
    if not 0.0 < x <= MAX_SCALE:
        raise ParameterError(name, accepts, value)
    return x


def check_seed(value: object, name: str = "seed") -> int:
    """A seed for ``numpy.random.SeedSequence``: an integer >= 0."""
    return check_count(name, value, minimum=0)


def check_level(value: object, name: str = "level") -> float:
    """A confidence level in (0, 1)."""
    accepts = "a confidence level in (0, 1)"
    x = check_real(name, value, accepts)
    if not 0.0 < x < 1.0:
        raise ParameterError(name, accepts, value)
    return x


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """One of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ParameterError(name, "one of " + ", ".join(choices), value)
    return value


def check_q(value: object, name: str = "q") -> float:
    """P(component = 1) for 0/1 inputs: a number in (0, 1]."""
    accepts = "a number in (0, 1]"
    x = check_real(name, value, accepts)
    if not 0.0 < x <= 1.0:
        raise ParameterError(name, accepts, value)
    return x


def check_p(value: object, name: str = "p") -> float:
    """P(component = 1) = P(component = -1) for signed inputs: a number in (0, 1/2]."""
    accepts = "a number in (0, 1/2]"
    x = check_real(name, value, accepts)
    if not 0.0 < x <= 0.5:
        raise ParameterError(name, accepts, value)
    return x


def check_angle(value: object, name: str = "angle") -> float:
    """Angle between the two input vectors in degrees: a number in (0, 180)."""
    accepts = "an angle in degrees in (0, 180)"
    x = check_real(name, value, accepts)
    if not 0.0 < x < 180.0:
        raise ParameterError(name, accepts, value)
    return x


def check_contraction(value: object, name: str = "contraction") -> float:
    """Contraction lambda of the weight error along input 1: a number in (0, 1]."""
    accepts = "a number in (0, 1]"
    x = check_real(name, value, accepts)
    if not 0.0 < x <= 1.0:
        raise ParameterError(name, accepts, value)
    return x


def check_vector(
    name: str,
    value: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = False,
) -> npt.NDArray[np.float64]:
    """A 1-D vector of finite numbers; optionally restricted to ``allowed`` values and nonzero."""
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
    if magnitude.size and not (1 / MAX_SCALE <= magnitude.min() and magnitude.max() <= MAX_SCALE):
        accepts = f"components 0 or of magnitude in [{1 / MAX_SCALE:g}, {MAX_SCALE:g}]"
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
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Two vectors of the same length (``a`` and ``b`` of Sec. 5)."""
    va = check_vector("a", a, allowed, nonzero)
    vb = check_vector("b", b, allowed, nonzero)
    if va.shape != vb.shape:
        raise ParameterError("b", f"a vector of the same length as a ({va.size})", vb.size)
    return va, vb
