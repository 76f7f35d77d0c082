"""The parameters every streamed simulator shares, declared once (``foundation.settings``).

Each function returns a settings field; a simulator's settings dataclass lists them
among its own, so ``trials``, ``seed``, ``chunk_size``, ``level`` and ``noise_sd`` accept
the same values, with the same messages and help, in every simulator.
"""

from __future__ import annotations

from typing import Any

from foundation.settings import Choice, Integer, Optional, Real, parameter

from ._validate import LEVEL, SCALE
from .linear import BLUR_MODES

__all__ = ["blur", "chunk_size", "level", "noise_sd", "seed", "trials"]


def trials(default: int, minimum: int = 2) -> Any:
    """``trials``: independent trials, at least ``minimum`` (2: an interval needs two)."""
    return parameter(default, Integer(minimum), "independent trials", metavar="T")


def seed() -> Any:
    """``seed``: the root of every random stream, an integer >= 0."""
    return parameter(0, Integer(0), "seed of all random streams (default 0)", metavar="S")


def chunk_size() -> Any:
    """``chunk_size``: trials per vectorized chunk (``None``: automatic); never changes a number."""
    return parameter(
        None,
        Optional(Integer(1)),
        "trials per vectorized chunk (memory only; never changes the result)",
        metavar="C",
    )


def level() -> Any:
    """``level``: the confidence level of every interval (Python only)."""
    return parameter(0.95, LEVEL, "confidence level of the intervals", option=False)


def noise_sd(kind: Real = SCALE, text: str = "sd of the weight noise") -> Any:
    """``noise_sd``: sd σ of the Gaussian noise added to every weight."""
    return parameter(1.0, kind, text, metavar="SD")


def blur(text: str) -> Any:
    """``blur``: how the weights are blurred (:data:`simulation.linear.BLUR_MODES`)."""
    return parameter("noise", Choice(BLUR_MODES), text)
