"""Means across seeds with Student-t intervals, for experiments with few, costly seeds.

The deblurring experiment (Sec. 4) runs tens to hundreds of seeds, each a whole
training history, so its intervals use the t distribution with S - 1 degrees of
freedom rather than the normal approximation of :mod:`simulation.estimate`.
Every function takes per-seed samples of shape (S,) and returns the JSON shape
``{"estimate", "ci_low", "ci_high"}``; with a single seed (or a zero denominator)
the interval bounds are ``None`` (JSON null), never NaN.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_level
from .estimate import proportion_estimate

__all__ = [
    "seed_mean",
    "seed_proportion",
    "seed_ratio_of_means",
    "t_quantile",
]

Interval = dict[str, float | None]


def t_quantile(level: float, degrees_of_freedom: int) -> float:
    """t such that Student's t with the given degrees of freedom lies in [-t, t] with
    probability ``level``."""
    from scipy import stats  # here, not at import: only the deblurring experiment needs it

    return float(stats.t.ppf(0.5 + check_level(level) / 2.0, degrees_of_freedom))


def _samples(name: str, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ParameterError(name, "a non-empty array of finite per-seed values", x.size)
    return x


def seed_mean(samples: npt.ArrayLike, level: float = 0.95) -> Interval:
    """Mean over seeds with the t interval: x̄ ± t_{S-1} s / sqrt(S)."""
    x = _samples("samples", samples)
    mean = float(x.mean())
    if x.size < 2:
        return {"estimate": mean, "ci_low": None, "ci_high": None}
    half = t_quantile(level, x.size - 1) * float(x.std(ddof=1)) / math.sqrt(x.size)
    return {"estimate": mean, "ci_low": mean - half, "ci_high": mean + half}


def seed_ratio_of_means(
    numerator: npt.ArrayLike, denominator: npt.ArrayLike, level: float = 0.95
) -> Interval:
    """x̄ / ȳ over paired per-seed samples, with a delta-method t interval.

    Var(R) ≈ (s_xx - 2 R s_xy + R² s_yy) / (S ȳ²); the interval is R ± t_{S-1} sqrt(Var(R)).
    A zero mean denominator gives ``None`` for all three numbers.
    """
    x = _samples("numerator", numerator)
    y = _samples("denominator", denominator)
    if x.shape != y.shape:
        raise ParameterError("denominator", f"{x.size} per-seed values", y.size)
    my = float(y.mean())
    if my == 0.0:
        return {"estimate": None, "ci_low": None, "ci_high": None}
    ratio = float(x.mean()) / my
    if x.size < 2:
        return {"estimate": ratio, "ci_low": None, "ci_high": None}
    cov = np.cov(x, y, ddof=1)
    var = (cov[0, 0] - 2.0 * ratio * cov[0, 1] + ratio * ratio * cov[1, 1]) / (x.size * my * my)
    half = t_quantile(level, x.size - 1) * math.sqrt(max(float(var), 0.0))
    return {"estimate": ratio, "ci_low": ratio - half, "ci_high": ratio + half}


def seed_proportion(flags: npt.ArrayLike, level: float = 0.95) -> Interval:
    """Fraction p of seeds where ``flags`` is true, with the Wilson score interval
    (centre (p + z²/2S) / (1 + z²/S), half-width z sqrt(p(1-p)/S + z²/4S²) / (1 + z²/S));
    unlike a t interval it does not collapse to a point when every seed agrees."""
    f = np.asarray(flags, dtype=bool).reshape(-1)
    if f.size == 0:
        raise ParameterError("flags", "at least one seed", 0)
    wilson = proportion_estimate(int(f.sum()), f.size, check_level(level))
    return {"estimate": wilson.estimate, "ci_low": wilson.ci_low, "ci_high": wilson.ci_high}
