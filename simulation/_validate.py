"""Argument checks for the public functions of ``simulation``.

Every check raises :class:`ParameterError` (``foundation.errors``, the one class
``theory`` and ``simulation`` share), a ``ValueError`` whose message is one
line naming the parameter and what it accepts. The command line turns it into
that line on stderr and exit status 2. The rules (and messages) are the same as
``theory``'s, so a user can put ``fastweights theory`` and ``fastweights simulate``
side by side; ``simulation`` adds its own (trials >= 1, noise sd > 0, step counts >= 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from foundation import vectors
from foundation.errors import ParameterError
from foundation.settings import Choice, Integer, Real

__all__ = [
    "ANGLE",
    "CONTRACTION",
    "LEVEL",
    "MAX_SCALE",
    "SCALE",
    "P",
    "ParameterError",
    "Q",
    "Vector",
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


SCALE = Real(0.0, MAX_SCALE, words=f"a finite number > 0 and at most {MAX_SCALE:g}")
"""A length scale (noise sd, radius): a finite number in (0, MAX_SCALE]."""
LEVEL = Real(0.0, 1.0, high_closed=False, words="a confidence level in (0, 1)")
"""A confidence level in (0, 1)."""
Q = Real(0.0, 1.0)
"""P(component = 1) for 0/1 inputs: a number in (0, 1]."""
P = Real(0.0, 0.5, words="a number in (0, 1/2]")
"""P(component = 1) = P(component = -1) for signed inputs: a number in (0, 1/2]."""
ANGLE = Real(0.0, 180.0, high_closed=False, words="an angle in degrees in (0, 180)")
"""Angle between the two input vectors in degrees: a number in (0, 180)."""
CONTRACTION = Real(0.0, 1.0)
"""Contraction lambda of the weight error along input 1: a number in (0, 1]."""


def check_real(name: str, value: object, accepts: str = "a finite number") -> float:
    """A finite real number (no bool, NaN or infinity)."""
    return Real(words=accepts).check(name, value)


def check_count(name: str, value: object, minimum: int = 1) -> int:
    """An integer >= ``minimum`` (n, K, M, trials: 1; step counts: 0)."""
    return Integer(minimum).check(name, value)


def check_positive(name: str, value: object, allow_zero: bool = False) -> float:
    """A finite number > 0 (or >= 0 with ``allow_zero``): noise sd, epsilon, radius."""
    return Real(0.0, low_closed=allow_zero).check(name, value)


def check_scale(name: str, value: object) -> float:
    """A length scale (noise sd, radius): a finite number in (0, MAX_SCALE]."""
    return SCALE.check(name, value)


def check_seed(value: object, name: str = "seed") -> int:
    """A seed for ``numpy.random.SeedSequence``: an integer >= 0."""
    return check_count(name, value, minimum=0)


def check_level(value: object, name: str = "level") -> float:
    """A confidence level in (0, 1)."""
    return LEVEL.check(name, value)


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """One of the strings in ``choices``."""
    return Choice(tuple(choices)).check(name, value)


def check_q(value: object, name: str = "q") -> float:
    """P(component = 1) for 0/1 inputs: a number in (0, 1]."""
    return Q.check(name, value)


def check_p(value: object, name: str = "p") -> float:
    """P(component = 1) = P(component = -1) for signed inputs: a number in (0, 1/2]."""
    return P.check(name, value)


def check_angle(value: object, name: str = "angle") -> float:
    """Angle between the two input vectors in degrees: a number in (0, 180)."""
    return ANGLE.check(name, value)


def check_contraction(value: object, name: str = "contraction") -> float:
    """Contraction lambda of the weight error along input 1: a number in (0, 1]."""
    return CONTRACTION.check(name, value)


def check_vector(
    name: str,
    value: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = False,
) -> npt.NDArray[np.float64]:
    """A 1-D vector of finite numbers, components 0 or of magnitude in [1/MAX_SCALE,
    MAX_SCALE]; optionally restricted to ``allowed`` values and nonzero."""
    return vectors.check_vector(name, value, allowed, nonzero, MAX_SCALE)


def check_vector_pair(
    a: Iterable[object],
    b: Iterable[object],
    allowed: Sequence[int] | None = None,
    nonzero: bool = True,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Two vectors of the same length (``a`` and ``b`` of Sec. 5), as :func:`check_vector`."""
    return vectors.check_vector_pair(a, b, allowed, nonzero, MAX_SCALE)


@dataclass(frozen=True)
class Vector:
    """A parameter that is one input vector (:func:`check_vector`; a settings ``Kind``)."""

    nonzero: bool = True

    @property
    def accepts(self) -> str:
        return "a non-empty 1-D sequence of finite numbers" + (
            ", not all 0" if self.nonzero else ""
        )

    def check(self, name: str, value: object) -> npt.NDArray[np.float64]:
        """``value`` as a float vector, checked as :func:`check_vector` checks it."""
        return check_vector(name, value, None, self.nonzero)  # type: ignore[arg-type]
