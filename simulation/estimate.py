"""Estimates with confidence intervals, from samples or from streamed running sums.

* :func:`mean_estimate` — a mean with a normal-approximation (CLT) interval.
* :func:`ratio_of_means_estimate` — ``mean(x) / mean(y)`` with a **delta-method** interval
  (first-order Taylor expansion of the ratio; its coverage is checked empirically in
  ``tests/simulation/test_estimate.py``).
* :func:`proportion_estimate` — a proportion with the **Wilson score** interval.

Streaming: :class:`StreamingMoments` keeps, per named statistic, the count, Σx and Σx²
(and Σxy for declared (numerator, denominator) pairs) of samples shifted by the first
block's mean (to avoid cancellation). Blocks are added one at a time in block order, so
the sums — and every estimate — are bit-for-bit the same however blocks are grouped into
chunks, and memory does not grow with the number of trials.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_count, check_level

__all__ = [
    "Estimate",
    "StreamingMoments",
    "mean_estimate",
    "normal_quantile",
    "proportion_estimate",
    "ratio_of_means_estimate",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Estimate:
    """A point estimate and its two-sided confidence interval at ``level``."""

    estimate: float
    ci_low: float
    ci_high: float
    level: float = 0.95

    def as_dict(self) -> dict[str, float]:
        """``{"estimate", "ci_low", "ci_high"}`` (the JSON shape of every command)."""
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high}

    @property
    def width(self) -> float:
        """``ci_high - ci_low``."""
        return self.ci_high - self.ci_low

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the closed interval."""
        return self.ci_low <= value <= self.ci_high


def normal_quantile(level: float) -> float:
    """z such that a standard normal lies in [-z, z] with probability ``level``."""
    from statistics import NormalDist  # here, not at import: it costs 5 ms of start-up

    return NormalDist().inv_cdf(0.5 + check_level(level) / 2.0)


def _finite(name: str, *values: float) -> None:
    if not all(math.isfinite(v) for v in values):
        raise ParameterError(name, "samples giving a finite estimate", values)


@dataclass
class StreamingMoments:
    """Running sums of per-trial samples, added block by block in a fixed order.

    ``add({"x": x, "y": y})`` takes arrays of shape (T_block, ...) (one row per trial);
    each statistic may have any trailing shape (scalar per trial, or e.g. (steps+1, K)).
    ``cross`` lists (numerator, denominator) pairs whose Σxy is kept for ratio intervals.
    """

    cross: Sequence[tuple[str, str]] = ()
    count: int = 0
    shift: dict[str, FloatArray] = field(default_factory=dict)
    sum_x: dict[str, FloatArray] = field(default_factory=dict)
    sum_xx: dict[str, FloatArray] = field(default_factory=dict)
    sum_xy: dict[tuple[str, str], FloatArray] = field(default_factory=dict)

    def add(self, samples: Mapping[str, npt.ArrayLike]) -> None:
        """Add one block of samples (every array has the same first dimension T_block)."""
        arrays = {k: np.asarray(v, dtype=np.float64) for k, v in samples.items()}
        sizes = {a.shape[0] for a in arrays.values()}
        if len(sizes) != 1:
            raise ParameterError("samples", "arrays with the same number of trials", sizes)
        size = sizes.pop()
        if size == 0:
            return
        if not self.shift:
            for name, a in arrays.items():
                self.shift[name] = a.mean(axis=0)
                self.sum_x[name] = np.zeros(a.shape[1:])
                self.sum_xx[name] = np.zeros(a.shape[1:])
            for pair in self.cross:
                self.sum_xy[pair] = np.zeros(arrays[pair[0]].shape[1:])
        centred = {name: a - self.shift[name] for name, a in arrays.items()}
        for name, c in centred.items():
            self.sum_x[name] = self.sum_x[name] + c.sum(axis=0)
            self.sum_xx[name] = self.sum_xx[name] + (c * c).sum(axis=0)
        for num, den in self.cross:
            self.sum_xy[(num, den)] = self.sum_xy[(num, den)] + (centred[num] * centred[den]).sum(
                axis=0
            )
        self.count += size

    def _moments(self, name: str) -> tuple[FloatArray, FloatArray]:
        """Mean and sample variance (ddof = 1) of statistic ``name``."""
        if self.count < 2:
            raise ParameterError("trials", "at least 2 trials for an interval", self.count)
        t = self.count
        s, ss = self.sum_x[name], self.sum_xx[name]
        mean = self.shift[name] + s / t
        var = np.maximum((ss - s * s / t) / (t - 1), 0.0)
        return mean, var

    def mean_arrays(self, name: str, level: float = 0.95) -> tuple[FloatArray, ...]:
        """(estimate, ci_low, ci_high) arrays of the mean of statistic ``name`` (CLT interval)."""
        z = normal_quantile(level)
        mean, var = self._moments(name)
        half = z * np.sqrt(var / self.count)
        return mean, mean - half, mean + half

    def mean(self, name: str, level: float = 0.95) -> Estimate:
        """The mean of a scalar statistic with its CLT interval."""
        est, lo, hi = (float(v) for v in self.mean_arrays(name, level))
        _finite(name, est, lo, hi)
        return Estimate(est, lo, hi, level)

    def ratio(self, num: str, den: str, level: float = 0.95) -> Estimate:
        """mean(num) / mean(den) with a delta-method interval.

        Var(R) ≈ (s_xx - 2 R s_xy + R² s_yy) / (T ȳ²), with R = x̄ / ȳ and sample
        (co)variances s; the interval is R ± z sqrt(Var(R)).
        """
        z = normal_quantile(level)
        mx, vx = (float(v) for v in self._moments(num))
        my, vy = (float(v) for v in self._moments(den))
        if my == 0.0:
            raise ParameterError(den, "samples whose mean is nonzero (a ratio's denominator)", 0.0)
        t = self.count
        sx, sy = float(self.sum_x[num]), float(self.sum_x[den])
        cov = (float(self.sum_xy[(num, den)]) - sx * sy / t) / (t - 1)
        ratio = mx / my
        var = max((vx - 2.0 * ratio * cov + ratio * ratio * vy) / (t * my * my), 0.0)
        half = z * math.sqrt(var)
        _finite(num, ratio, half)
        return Estimate(ratio, ratio - half, ratio + half, level)


def mean_estimate(samples: npt.ArrayLike, level: float = 0.95) -> Estimate:
    """The mean of ``samples`` (shape (T,)) with a normal-approximation interval."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    check_count("samples", x.size, minimum=2)
    moments = StreamingMoments()
    moments.add({"x": x})
    return moments.mean("x", level)


def ratio_of_means_estimate(
    num_samples: npt.ArrayLike, den_samples: npt.ArrayLike, level: float = 0.95
) -> Estimate:
    """mean(num) / mean(den), paired samples of shape (T,), with a delta-method interval.

    The delta method linearizes R = x̄/ȳ around the true means; the interval is
    asymptotically exact and its coverage is checked empirically in the tests.
    """
    x = np.asarray(num_samples, dtype=np.float64).reshape(-1)
    y = np.asarray(den_samples, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ParameterError("den_samples", f"{x.size} samples, paired with num_samples", y.size)
    check_count("samples", x.size, minimum=2)
    moments = StreamingMoments(cross=[("x", "y")])
    moments.add({"x": x, "y": y})
    return moments.ratio("x", "y", level)


def proportion_estimate(successes: Any, trials: Any, level: float = 0.95) -> Estimate:
    """successes / trials with the Wilson score interval (valid also near 0 and 1)."""
    t = check_count("trials", trials, minimum=1)
    s = check_count("successes", successes, minimum=0)
    if s > t:
        raise ParameterError("successes", f"an integer <= trials ({t})", s)
    z = normal_quantile(level)
    p = s / t
    denom = 1.0 + z * z / t
    centre = (p + z * z / (2 * t)) / denom
    half = z * math.sqrt(p * (1.0 - p) / t + z * z / (4 * t * t)) / denom
    # At s = 0 (s = t) the Wilson bound is exactly 0 (1); rounding would leave ~1e-20.
    low = 0.0 if s == 0 else max(centre - half, 0.0)
    high = 1.0 if s == t else min(centre + half, 1.0)
    return Estimate(p, low, high, level)
