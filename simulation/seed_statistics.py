"""Means across seeds with Student-t intervals, for experiments with few, costly seeds.

The deblurring experiment (Sec. 4) runs tens to hundreds of seeds, each a whole
training history, so its intervals use the t distribution with S - 1 degrees of
freedom rather than the normal approximation of :mod:`simulation.estimate`.

Typed: :func:`t_mean` (a paired difference is the t mean of the differences),
:func:`t_ratio_of_means` (delta method) and :func:`seed_fraction` (Wilson) take per-seed
samples of shape (S,) and return an :class:`~simulation.estimate.Estimate` (None where
there is no interval). :func:`seed_estimate` and :func:`seed_ratio` are the same with a
point estimate for a single seed (bounds NaN, written as ``None``), the estimates of the
typed results (:mod:`simulation.results`). The ``seed_*`` functions give the JSON shape
``{"estimate", "ci_low", "ci_high"}`` of the same numbers; with a single seed (or a zero
denominator) the interval bounds are ``None`` (JSON null), never NaN.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_level
from .estimate import Estimate, from_standard_error, proportion_estimate, t_quantile
from .results import interval_dict

__all__ = [
    "seed_estimate",
    "seed_fraction",
    "seed_mean",
    "seed_proportion",
    "seed_ratio",
    "seed_ratio_of_means",
    "t_mean",
    "t_quantile",
    "t_ratio_of_means",
]


def _samples(name: str, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ParameterError(name, "a non-empty array of finite per-seed values", x.size)
    return x


def t_mean(samples: npt.ArrayLike, level: float = 0.95) -> Estimate | None:
    """Mean x̄ over S seeds with the t interval x̄ ± t_{S-1} s / sqrt(S) (se = s / sqrt(S),
    dof = S - 1); None for a single seed."""
    x = _samples("samples", samples)
    if x.size < 2:
        return None
    mean, sd, root = float(x.mean()), float(x.std(ddof=1)), math.sqrt(x.size)
    half = t_quantile(level, x.size - 1) * sd / root  # the bounds' digits since seed_mean
    return Estimate(mean, mean - half, mean + half, level, sd / root, x.size, x.size - 1, "t")


def _ratio(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]:
    """The paired samples (S,) and the denominator's mean."""
    x = _samples("numerator", numerator)
    y = _samples("denominator", denominator)
    if x.shape != y.shape:
        raise ParameterError("denominator", f"{x.size} per-seed values", y.size)
    return x, y, float(y.mean())


def t_ratio_of_means(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike, level: float = 0.95
) -> Estimate | None:
    """R = x̄ / ȳ over paired per-seed samples (S,), with a delta-method t interval.

    Var(R) ≈ (s_xx - 2 R s_xy + R² s_yy) / (S ȳ²); the interval is R ± t_{S-1} sqrt(Var(R)).
    None for a single seed or a zero mean denominator.
    """
    x, y, my = _ratio(numerator, denominator)
    if my == 0.0 or x.size < 2:
        return None
    ratio = float(x.mean()) / my
    cov = np.cov(x, y, ddof=1)
    var = (cov[0, 0] - 2.0 * ratio * cov[0, 1] + ratio * ratio * cov[1, 1]) / (x.size * my * my)
    se = math.sqrt(max(float(var), 0.0))
    return from_standard_error(ratio, se, x.size, level, "t-delta", x.size - 1)


def seed_fraction(flags: npt.ArrayLike, level: float = 0.95) -> Estimate:
    """Fraction p of S seeds where ``flags`` (S,) is true, with the Wilson score interval
    (centre (p + z²/2S) / (1 + z²/S), half-width z sqrt(p(1-p)/S + z²/4S²) / (1 + z²/S));
    unlike a t interval it does not collapse to a point when every seed agrees. Its
    ``successes`` is the count."""
    f = np.asarray(flags, dtype=bool).reshape(-1)
    if f.size == 0:
        raise ParameterError("flags", "at least one seed", 0)
    return proportion_estimate(int(f.sum()), f.size, check_level(level))


def seed_estimate(samples: npt.ArrayLike, level: float = 0.95) -> Estimate:
    """:func:`t_mean` of the per-seed ``samples`` (S,); for a single seed the mean alone
    (bounds NaN, ``n`` 1)."""
    estimate = t_mean(samples, level)
    if estimate is not None:
        return estimate
    mean = float(_samples("samples", samples).mean())
    return Estimate(mean, math.nan, math.nan, level, None, 1, None, "t")


def seed_ratio(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike, level: float = 0.95
) -> Estimate | None:
    """:func:`t_ratio_of_means` of paired per-seed samples (S,); for a single seed the
    ratio alone (bounds NaN); None for a zero mean denominator."""
    x, _, my = _ratio(numerator, denominator)
    if my == 0.0:
        return None
    estimate = t_ratio_of_means(numerator, denominator, level)
    if estimate is not None:
        return estimate
    return Estimate(float(x.mean()) / my, math.nan, math.nan, level, None, x.size, None, "t-delta")


def seed_mean(samples: npt.ArrayLike, level: float = 0.95) -> dict[str, float | None]:
    """:func:`t_mean` as ``{"estimate", "ci_low", "ci_high"}`` (bounds None for one seed)."""
    return interval_dict(seed_estimate(samples, level))


def seed_ratio_of_means(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike, level: float = 0.95
) -> dict[str, float | None]:
    """:func:`t_ratio_of_means` as ``{"estimate", "ci_low", "ci_high"}``: bounds None for
    one seed, and all three None for a zero mean denominator."""
    return interval_dict(seed_ratio(numerator, denominator, level))


def seed_proportion(flags: npt.ArrayLike, level: float = 0.95) -> dict[str, float | None]:
    """:func:`seed_fraction` as ``{"estimate", "ci_low", "ci_high"}``."""
    return interval_dict(seed_fraction(flags, level))
