"""Two associations A and B with given input vectors a, b: measured transfer (Sec. 5, Eq. 1).

One trial: a teacher network (one linear output unit, weights w* ~ N(0, 1)) defines the
targets of A and B, so learning is perfect; every weight gets independent Gaussian noise
g_i ~ N(0, σ²); the residuals y - d are measured on the network, and from them the two
steepest-descent directions -∇E_A and -∇E_B. Measured per trial:

* ``cos θ`` between -∇E_A and -∇E_B (0 in the probability-zero event that one vanishes);
* the first-order improvement of B for a step on A and for a step on B itself, with a
  step of fixed length along steepest descent (``unit``) and a step -ε∇E (``gradient``).

``expected_cos`` is the mean of cos θ over trials (CLT interval); each
``improvement_ratio_*`` is mean(improvement of B, step on A) / mean(improvement of B,
step on B): a ratio of means, with a delta-method interval; ``positive_transfer_probability``
is the fraction of trials in which a small step on A improves B (Wilson interval).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from foundation.settings import Settings, parameter

from . import _parameters as shared
from ._streaming import Block, stream_moments
from ._validate import ParameterError, Vector
from .estimate import Estimate, StreamingMoments, proportion_estimate
from .linear import gradients_from_residuals, network_outputs, retraining_direction
from .results import Result

__all__ = [
    "PAIR_RATIOS",
    "PairResult",
    "PairSettings",
    "check_simulate_pair_arguments",
    "pair_estimates",
    "pair_statistics",
    "simulate_pair",
]

FloatArray = npt.NDArray[np.float64]


def pair_statistics(grad_a: FloatArray, grad_b: FloatArray) -> dict[str, FloatArray]:
    """Per-trial statistics from the gradients ∇E_A, ∇E_B (each (T, O, n)).

    Returns arrays of shape (T,): ``cos`` (cos θ), ``b_from_a_unit`` / ``b_from_b_unit``
    (improvement of B per unit step length along -∇E_A / -∇E_B) and ``b_from_a_gradient``
    / ``b_from_b_gradient`` (improvement of B per unit ε for Δw = -ε∇E_A / -ε∇E_B).
    """
    unit_a = retraining_direction(grad_a, "unit")
    unit_b = retraining_direction(grad_b, "unit")

    def improvement_of_b(direction: FloatArray) -> FloatArray:
        rate: FloatArray = -np.einsum("ton,ton->t", grad_b, direction)
        return rate

    return {
        "cos": np.einsum("ton,ton->t", unit_a, unit_b),
        "b_from_a_unit": improvement_of_b(unit_a),
        "b_from_b_unit": improvement_of_b(unit_b),
        "b_from_a_gradient": improvement_of_b(retraining_direction(grad_a, "gradient")),
        "b_from_b_gradient": improvement_of_b(retraining_direction(grad_b, "gradient")),
    }


# Numerator and denominator of each improvement ratio (their cross moment is streamed).
PAIR_RATIOS = [("b_from_a_unit", "b_from_b_unit"), ("b_from_a_gradient", "b_from_b_gradient")]


def pair_estimates(moments: StreamingMoments, level: float) -> dict[str, Estimate]:
    """``expected_cos`` and the two improvement ratios from streamed :func:`pair_statistics`."""
    return {
        "expected_cos": moments.mean("cos", level),
        "improvement_ratio_unit_step": moments.ratio(*PAIR_RATIOS[0], level),
        "improvement_ratio_gradient_step": moments.ratio(*PAIR_RATIOS[1], level),
    }


@dataclass(frozen=True, kw_only=True)
class PairSettings(Settings):
    """The parameters of :func:`simulate_pair`, declared once (checked in this order).

    Examples:
        >>> from simulation import check_simulate_pair_arguments
        >>> settings = check_simulate_pair_arguments(a=[1, 1, 0], b=[1, 0, 1], trials=500)
        >>> settings.a, settings.b, settings.trials, settings.noise_sd
        (array([1., 1., 0.]), array([1., 0., 1.]), 500, 1.0)
    """

    a: FloatArray = parameter(kind=Vector(), help="input vector of A", metavar="VEC")
    b: FloatArray = parameter(kind=Vector(), help="input vector of B, same length", metavar="VEC")
    trials: int = shared.trials(100_000)
    seed: int = shared.seed()
    noise_sd: float = shared.noise_sd()
    level: float = shared.level()
    chunk_size: int | None = shared.chunk_size()

    def check_after(self, name: str) -> None:
        """``b`` has the length of ``a``."""
        if name == "b" and self.a.shape != self.b.shape:
            raise ParameterError(
                "b", f"a vector of the same length as a ({self.a.size})", self.b.size
            )


def check_simulate_pair_arguments(**arguments: Any) -> PairSettings:
    """Every argument check of :func:`simulate_pair` (its parameters but ``progress``),
    without simulating anything: the checked :class:`PairSettings`.

    Raises :class:`ParameterError` with the message :func:`simulate_pair` gives.

    Examples:
        >>> from simulation import check_simulate_pair_arguments
        >>> check_simulate_pair_arguments(a=[1, 0], b=[1, 1]).b
        array([1., 1.])
        >>> check_simulate_pair_arguments(a=[1, 0], b=[0, 0])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: b: expected ...
    """
    return PairSettings(**arguments)


@dataclass(frozen=True)
class PairResult(Result):
    """:func:`simulate_pair`'s result. ``to_dict()`` is the JSON of ``fastweights simulate
    pair --json`` without its first two keys, the input vectors ``a`` and ``b`` the command
    echoes."""

    expected_cos: Estimate
    improvement_ratio_unit_step: Estimate
    improvement_ratio_gradient_step: Estimate
    positive_transfer_probability: Estimate
    trials: int
    seed: int
    noise_sd: float


def simulate_pair(
    a: Iterable[object],
    b: Iterable[object],
    trials: int = 100_000,
    seed: int = 0,
    noise_sd: float = 1.0,
    chunk_size: int | None = None,
    progress: bool = False,
    level: float = 0.95,
) -> PairResult:
    """Measured ``expected_cos``, ``improvement_ratio_unit_step`` and
    ``improvement_ratio_gradient_step`` (:class:`~simulation.estimate.Estimate` s at ``level``) for
    input vectors ``a``, ``b`` (same length n, finite, nonzero), plus
    ``positive_transfer_probability`` (Wilson), ``trials``, ``seed``, ``noise_sd``: a
    :class:`PairResult`.

    Examples:
        >>> r = simulate_pair([1, 1, 0, 0], [1, 0, 1, 0], trials=2000, seed=1)
        >>> round(r.expected_cos.estimate, 3), r.positive_transfer_probability.estimate
        (0.191, 0.691)
        >>> list(r.to_dict())[:2], r.trials
        (['expected_cos', 'improvement_ratio_unit_step'], 2000)
        >>> simulate_pair([1, 0], [1, 0, 1])
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: b: expected a vector of the same length as a (2), got 3
    """
    given = {"a": a, "b": b, "trials": trials, "seed": seed, "noise_sd": noise_sd}
    s = check_simulate_pair_arguments(**given, chunk_size=chunk_size, level=level)
    va, vb, n_trials, seed_, sd, level_ = s.a, s.b, s.trials, s.seed, s.noise_sd, s.level
    n = va.size
    x = np.stack([va, vb])[None]  # (1, 2, n): the same inputs in every trial
    masks = np.eye(2, dtype=bool)
    positive = [0]

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        teacher = np.concatenate([bl.rng.standard_normal((bl.size, 1, n)) for bl in blocks])
        noise = np.concatenate([bl.rng.standard_normal((bl.size, 1, n)) for bl in blocks])
        blurred = teacher + sd * noise
        out = network_outputs(np.concatenate([blurred, teacher], axis=1), x)
        r = out[..., :1] - out[..., 1:]  # y - d, (T, 2, 1)
        grads = gradients_from_residuals(r, x, masks)  # (T, 2, 1, n): ∇E_A, ∇E_B
        stats = pair_statistics(grads[:, 0], grads[:, 1])
        positive[0] += int(np.count_nonzero(stats["b_from_a_unit"] > 0.0))
        return stats

    moments = stream_moments(
        seed_,
        n_trials,
        4 * n,
        simulate,
        cross=PAIR_RATIOS,
        chunk_size=chunk_size,
        progress=progress,
        desc="simulate pair",
    )
    return PairResult(
        **pair_estimates(moments, level_),
        positive_transfer_probability=proportion_estimate(positive[0], n_trials, level_),
        trials=n_trials,
        seed=seed_,
        noise_sd=sd,
    )
