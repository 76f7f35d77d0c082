"""Argument checks for the public functions of ``theory``.

Every check raises :class:`ParameterError` (``foundation.errors``, the one class
``theory`` and ``simulation`` share), a ``ValueError`` whose message is one
line naming the parameter and what it accepts, e.g.
``q: expected a number in (0, 1], got 1.5``. The command line turns it into
that line on stderr and exit status 2.
"""

from __future__ import annotations

from foundation.errors import ParameterError
from foundation.settings import Integer, Real
from foundation.vectors import check_vector, check_vector_pair

__all__ = [
    "ParameterError",
    "check_angle",
    "check_contraction",
    "check_count",
    "check_p",
    "check_q",
    "check_vector",
    "check_vector_pair",
    "is_numeric_like",
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


def is_numeric_like(value: object) -> bool:
    """A number, or an array or (nested) list of numbers: not ``None``, a string, a bool
    (or an array of them), whose ``float()`` would give nan, a parse or 1 in place of a refusal."""
    import numpy as np

    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iuf"
    if isinstance(value, (list, tuple)):
        return all(is_numeric_like(item) for item in value)
    return isinstance(value, (int, float, np.integer, np.floating))
