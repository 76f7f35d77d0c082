"""Errors during retraining, step by step, for given input vectors (Sec. 5.3).

One trial: K associations with the given inputs X (K, n); a teacher network w* ~ N(0, 1)
gives the targets (perfect learning); Gaussian noise N(0, σ²) on every weight; then
``steps`` steps of full-batch gradient descent on the retrained set R (Δw(t) =
-ε ∇E_R + α Δw(t-1)), measuring every association's error E_k after each step on the
network. Returns the mean error of every association after each step, with CLT
intervals: the simulation side of the exact Sec. 5.3 dynamics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from foundation.vectors import input_array, retrained_selection

from ._streaming import Block, stream_moments
from ._validate import (
    ParameterError,
    check_count,
    check_level,
    check_positive,
    check_scale,
    check_seed,
)
from .linear import STEP_RULES, retrain, teacher_targets
from .results import Result

__all__ = ["RetrainingErrors", "simulate_retraining_errors"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RetrainingErrors(Result):
    """:func:`simulate_retraining_errors`' result: the mean error of every association
    after each retraining step with its CLT interval.

    Attributes:
        estimate, ci_low, ci_high: (steps + 1, K); row t after t steps (0: before).
        trials, seed: as run.
    """

    estimate: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    trials: int
    seed: int


def simulate_retraining_errors(
    inputs: npt.ArrayLike,
    retrained: npt.ArrayLike,
    epsilon: float,
    steps: int,
    trials: int = 10_000,
    seed: int = 0,
    noise_sd: float = 1.0,
    momentum: float = 0.0,
    step_rule: str = "gradient",
    chunk_size: int | None = None,
    progress: bool = False,
    level: float = 0.95,
) -> RetrainingErrors:
    """Mean error E_k of every association after t = 0..steps retraining steps.

    ``inputs``: X (K, n); ``retrained``: mask (K,) or indices; ``epsilon``: ε > 0 (step
    length with ``step_rule="unit"``); ``momentum``: α in [0, 1).
    Returns :class:`RetrainingErrors`: ``estimate``, ``ci_low``, ``ci_high`` (arrays of
    shape (steps + 1, K), CLT intervals at ``level``), ``trials`` and ``seed``.

    Examples:
        x_0 = (1, 0) retrained with epsilon = 1/2; the exact means are 1/2, 1/8, 1/32 for x_0 and
        1, 5/8, 17/32 for x_1 (``theory.expected_errors_during_retraining``):

        >>> from simulation import simulate_retraining_errors
        >>> x = [[1, 0], [1, 1]]
        >>> r = simulate_retraining_errors(x, [0], epsilon=0.5, steps=2, trials=2000, seed=1)
        >>> r.estimate.round(3)
        array([[0.506, 0.98 ],
               [0.126, 0.614],
               [0.032, 0.525]])
        >>> r.estimate.shape == r.ci_low.shape == (3, 2)
        True
    """
    x = input_array(inputs)
    k, n = x.shape
    mask = retrained_selection(retrained, k)
    eps = check_positive("epsilon", epsilon)
    n_steps = check_count("steps", steps, minimum=0)
    n_trials = check_count("trials", trials, minimum=2)
    seed_ = check_seed(seed)
    sd = check_scale("noise_sd", noise_sd)
    level_ = check_level(level)
    if step_rule not in STEP_RULES:
        raise ParameterError("step_rule", "one of " + ", ".join(STEP_RULES), step_rule)
    retrain(np.zeros((1, 1, n)), x[None], np.zeros((1, k, 1)), mask, 0, step_rule, eps, momentum)

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        teacher = np.concatenate([bl.rng.standard_normal((bl.size, 1, n)) for bl in blocks])
        noise = np.concatenate([bl.rng.standard_normal((bl.size, 1, n)) for bl in blocks])
        d = teacher_targets(teacher, x[None])
        result = retrain(teacher + sd * noise, x[None], d, mask, n_steps, step_rule, eps, momentum)
        return {"errors": result.errors}

    moments = stream_moments(
        seed_, n_trials, (n_steps + 2) * (k + n), simulate, chunk_size=chunk_size,
        progress=progress, desc="simulate retraining errors",
    )  # fmt: skip
    estimate, low, high = moments.mean_arrays("errors", level_)
    return RetrainingErrors(estimate, low, high, n_trials, seed_)
