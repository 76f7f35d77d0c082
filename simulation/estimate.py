"""Estimates with confidence intervals, from samples or from streamed running sums.

* :func:`mean_estimate` — a mean with a normal-approximation (CLT) interval.
* :func:`ratio_of_means_estimate` — ``mean(x) / mean(y)`` with a **delta-method** interval
  (first-order Taylor expansion of the ratio; its coverage is checked empirically in
  ``tests/simulation/test_estimate.py``).
* :func:`proportion_estimate` — a proportion with the **Wilson score** interval.

Every :class:`Estimate` carries what its interval is made from (standard error and degrees
of freedom, or a proportion's counts), so :meth:`Estimate.ci` gives the interval at any
level directly, never by rescaling another interval's width. The Student-t estimates over
few seeds are in :mod:`simulation.seed_statistics`.

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
    "METHODS",
    "Estimate",
    "StreamingMoments",
    "estimates_to_dicts",
    "from_standard_error",
    "mean_estimate",
    "normal_quantile",
    "proportion_estimate",
    "ratio_of_means_estimate",
    "t_quantile",
]

FloatArray = npt.NDArray[np.float64]


METHODS = ("normal", "delta", "t", "t-delta", "wilson", "clopper-pearson")
"""How an :class:`Estimate`'s interval is made: a CLT mean (``normal``), a delta-method
ratio (``delta``), their Student-t forms over few seeds (``t``, ``t-delta``), a proportion's
Wilson score interval (``wilson``) or its exact binomial one (``clopper-pearson``)."""


@dataclass(frozen=True)
class Estimate:
    """A point estimate, what its interval is made from, and that interval at ``level``.

    Attributes:
        estimate: the point estimate.
        ci_low, ci_high: the two-sided interval at ``level`` (the level it was made at).
        level: that confidence level.
        se: the standard error (``normal``, ``delta``, ``t``, ``t-delta``); None for the
            proportions, whose sufficient statistics are ``successes`` and ``n``.
        n: the sample size (trials or seeds); None for an estimate given by its interval only.
        dof: degrees of freedom of the Student-t quantile; None: the normal quantile.
        method: one of :data:`METHODS`.
        successes: the count of a proportion (``wilson``, ``clopper-pearson``), else None.

    ``Estimate(estimate, ci_low, ci_high, level)`` alone is an interval with nothing behind
    it: :meth:`ci` gives it at ``level`` and refuses any other level.

    Examples:
        >>> from simulation import mean_estimate
        >>> e = mean_estimate([1.0, 2.0, 3.0, 4.0])
        >>> e.estimate, e.n, e.method
        (2.5, 4, 'normal')
        >>> [round(v, 3) for v in e.ci(0.95)], [round(v, 3) for v in e.ci(0.90)]
        ([1.235, 3.765], [1.438, 3.562])
        >>> {key: round(value, 3) for key, value in e.to_dict().items()}
        {'estimate': 2.5, 'ci_low': 1.235, 'ci_high': 3.765}
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float = 0.95
    se: float | None = None
    n: int | None = None
    dof: int | None = None
    method: str = "normal"
    successes: int | None = None

    def ci(self, level: float) -> tuple[float, float]:
        """The two-sided interval ``(low, high)`` at ``level``.

        At the level it was made this is ``(ci_low, ci_high)``; at another,
        ``estimate ± q se`` with q the normal (``dof`` None) or Student-t quantile, or the
        proportion's interval from ``successes`` and ``n``.
        """
        if math.isclose(level, self.level, rel_tol=1e-12, abs_tol=0.0):
            return self.ci_low, self.ci_high
        if self.successes is not None and self.n is not None:
            return _proportion_bounds(self.method, self.successes, self.n, level)
        if self.se is None:
            raise ValueError(f"level: this interval is only known at {self.level}, got {level}")
        half = _quantile(level, self.dof) * self.se
        return self.estimate - half, self.estimate + half

    def standard_error(self, level: float) -> float:
        """The standard error; for a proportion, its interval's half-width at ``level`` over
        the normal quantile (the score interval's own standard error, which depends on the
        level), made from ``successes`` and ``n``, never from stored bounds."""
        if self.se is not None:
            return self.se
        if self.method != "wilson" or self.successes is None or self.n is None:
            raise ValueError(f"method: a {self.method!r} estimate has no standard error")
        return _wilson_half(self.successes, self.n, normal_quantile(level))[1] / normal_quantile(
            level
        )

    def to_dict(self) -> dict[str, float]:
        """``{"estimate", "ci_low", "ci_high"}`` (the JSON shape of every command)."""
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high}

    as_dict = to_dict

    @property
    def width(self) -> float:
        """``ci_high - ci_low``."""
        return self.ci_high - self.ci_low

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the closed interval."""
        return self.ci_low <= value <= self.ci_high


def from_standard_error(
    estimate: float,
    se: float,
    n: int,
    level: float,
    method: str = "normal",
    dof: int | None = None,
) -> Estimate:
    """``estimate ± q se`` at ``level`` (q normal, or Student t with ``dof``)."""
    half = _quantile(level, dof) * se
    return Estimate(estimate, estimate - half, estimate + half, level, se, n, dof, method)


def normal_quantile(level: float) -> float:
    """z such that a standard normal lies in [-z, z] with probability ``level``."""
    from statistics import NormalDist  # here, not at import: it costs 5 ms of start-up

    return NormalDist().inv_cdf(0.5 + check_level(level) / 2.0)


def t_quantile(level: float, degrees_of_freedom: int) -> float:
    """t such that Student's t with the given degrees of freedom lies in [-t, t] with
    probability ``level``.

    ``scipy.special.stdtrit``, the routine ``scipy.stats.t.ppf`` itself evaluates (so the
    numbers are those of ``stats.t.ppf`` bit for bit; ``tests/linear_simulator/
    test_estimate.py`` checks it), without importing ``scipy.stats`` (about 0.7 s of a
    ``simulate deblur`` run's start, issue 20). A series of our own (the tail of Student's
    t for integer degrees of freedom as a sum of positive terms, Newton) agreed to a few
    ulp only: scipy's value is not correctly rounded either, and the pinned intervals are
    compared bit for bit.
    """
    from scipy.special import stdtrit  # here, not at import: the CLI starts without scipy

    return float(stdtrit(float(degrees_of_freedom), 0.5 + check_level(level) / 2.0))


def _quantile(level: float, dof: int | None) -> float:
    return normal_quantile(level) if dof is None else t_quantile(level, dof)


def _wilson_half(successes: int, trials: int, z: float) -> tuple[float, float]:
    """Centre and half-width of the Wilson score interval of ``successes / trials``."""
    p = successes / trials
    denom = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4 * trials * trials)) / denom
    return centre, half


def _proportion_bounds(
    method: str, successes: int, trials: int, level: float
) -> tuple[float, float]:
    """The ``wilson`` or ``clopper-pearson`` interval of ``successes / trials`` at ``level``.

    Wilson: this formula, not ``scipy.stats.binomtest(...).proportion_ci(method="wilson")``,
    which differs from it by up to ~1e-14 relative (beyond the last ulp) in about 5% of
    the bounds checked (tests/linear_simulator/test_estimate.py): the numbers of every
    command and claim were made with this one.
    """
    if method == "clopper-pearson":
        return _clopper_pearson(successes, trials, level)
    centre, half = _wilson_half(successes, trials, normal_quantile(level))
    # At s = 0 (s = t) the Wilson bound is exactly 0 (1); rounding would leave ~1e-20.
    low = 0.0 if successes == 0 else max(centre - half, 0.0)
    high = 1.0 if successes == trials else min(centre + half, 1.0)
    return low, high


def _clopper_pearson(successes: int, trials: int, level: float) -> tuple[float, float]:
    """The exact binomial interval: beta quantiles, exactly 0 (1) at 0 (all) successes."""
    from scipy.stats import beta

    alpha = 1 - level
    low = 0.0 if successes == 0 else float(beta.ppf(alpha / 2, successes, trials - successes + 1))
    high = (
        1.0
        if successes == trials
        else float(beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    )
    return low, high


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
        mean, var = (float(v) for v in self._moments(name))
        estimate = from_standard_error(mean, math.sqrt(var / self.count), self.count, level)
        _finite(name, estimate.estimate, estimate.ci_low, estimate.ci_high)
        return estimate

    def ratio(self, num: str, den: str, level: float = 0.95) -> Estimate:
        """mean(num) / mean(den) with a delta-method interval.

        Var(R) ≈ (s_xx - 2 R s_xy + R² s_yy) / (T ȳ²), with R = x̄ / ȳ and sample
        (co)variances s; the interval is R ± z sqrt(Var(R)).
        """
        mx, vx = (float(v) for v in self._moments(num))
        my, vy = (float(v) for v in self._moments(den))
        if my == 0.0:
            raise ParameterError(den, "samples whose mean is nonzero (a ratio's denominator)", 0.0)
        t = self.count
        sx, sy = float(self.sum_x[num]), float(self.sum_x[den])
        cov = (float(self.sum_xy[(num, den)]) - sx * sy / t) / (t - 1)
        ratio = mx / my
        var = max((vx - 2.0 * ratio * cov + ratio * ratio * vy) / (t * my * my), 0.0)
        estimate = from_standard_error(ratio, math.sqrt(var), t, level, "delta")
        _finite(num, ratio, estimate.ci_high - ratio)
        return estimate


def mean_estimate(samples: npt.ArrayLike, level: float = 0.95) -> Estimate:
    """The mean of ``samples`` (shape (T,)) with a normal-approximation interval.

    Examples:
        The mean with 1.96 standard errors either side (se = sd / sqrt(n)):

        >>> from simulation import mean_estimate
        >>> e = mean_estimate([1.0, 2.0, 3.0, 4.0])
        >>> e.estimate, round(e.se, 4), round(e.ci_low, 4), round(e.ci_high, 4)
        (2.5, 0.6455, 1.2348, 3.7652)
    """
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

    Examples:
        Paired per-trial improvements of the unretrained (numerator) and retrained associations:

        >>> from simulation import ratio_of_means_estimate
        >>> e = ratio_of_means_estimate([1.0, 2.0, 3.0], [2.0, 4.0, 5.0])
        >>> round(e.estimate, 4), e.method  # 6 / 11
        (0.5455, 'delta')
        >>> round(e.ci_low, 4), round(e.ci_high, 4)
        (0.4712, 0.6197)
    """
    x = np.asarray(num_samples, dtype=np.float64).reshape(-1)
    y = np.asarray(den_samples, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ParameterError("den_samples", f"{x.size} samples, paired with num_samples", y.size)
    check_count("samples", x.size, minimum=2)
    moments = StreamingMoments(cross=[("x", "y")])
    moments.add({"x": x, "y": y})
    return moments.ratio("x", "y", level)


def proportion_estimate(
    successes: Any, trials: Any, level: float = 0.95, method: str = "wilson"
) -> Estimate:
    """successes / trials with the Wilson score interval (valid also near 0 and 1), or
    with ``method="clopper-pearson"`` the exact binomial one.

    Examples:
        >>> from simulation import proportion_estimate
        >>> e = proportion_estimate(30, 100)
        >>> e.estimate, e.successes, e.method
        (0.3, 30, 'wilson')
        >>> round(e.ci_low, 4), round(e.ci_high, 4)
        (0.2189, 0.3958)
        >>> e = proportion_estimate(0, 20)  # the Wilson interval stays inside [0, 1]
        >>> e.ci_low, round(e.ci_high, 4)
        (0.0, 0.1611)
    """
    t = check_count("trials", trials, minimum=1)
    s = check_count("successes", successes, minimum=0)
    if s > t:
        raise ParameterError("successes", f"an integer <= trials ({t})", s)
    if method not in ("wilson", "clopper-pearson"):
        raise ParameterError("method", "'wilson' or 'clopper-pearson'", method)
    low, high = _proportion_bounds(method, s, t, check_level(level))
    return Estimate(s / t, low, high, level, n=t, method=method, successes=s)


def estimates_to_dicts(value: Any) -> Any:
    """``value`` with every :class:`Estimate` in it (inside dicts, lists and tuples) replaced
    by its ``to_dict()``: a simulator's result as the JSON data of its command."""
    if isinstance(value, Estimate):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {key: estimates_to_dicts(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(estimates_to_dicts(item) for item in value)
    return value
