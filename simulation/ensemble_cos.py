"""cos θ for a random pair of input vectors from an ensemble (Sec. 5.1 Eq. 2, Sec. 5.2 Eq. 3).

One trial: draw a pair of input vectors a, b from the ensemble (:mod:`simulation.inputs`),
conditioned on both being nonzero (a cosine needs a direction) — and distinct when
drawing without replacement — by redrawing the pair until it qualifies; then measure
exactly as :func:`simulation.pair.simulate_pair` does for fixed vectors (teacher targets,
Gaussian weight noise, gradients of E_A and E_B measured on the network).

``expected_cos``: the mean of cos θ over pairs and noise — the quantity the paper's
Eqs. (2)/(3) name, and whose dependence on n (the 1/n law for signed inputs) the
verification checks; ``improvement_ratio_unit_step`` / ``improvement_ratio_gradient_step``:
ratios of mean improvements of B (step on A / step on B), as in ``simulate_pair``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._streaming import Block, stream_moments
from ._validate import (
    ParameterError,
    check_count,
    check_level,
    check_scale,
    check_seed,
)
from .estimate import Estimate
from .inputs import InputEnsemble, input_ensemble
from .linear import gradients_from_residuals, network_outputs
from .pair import PAIR_RATIOS, pair_estimates, pair_statistics
from .results import Result

__all__ = [
    "EnsembleCosParameters",
    "EnsembleCosResult",
    "draw_nonzero_pairs",
    "simulate_ensemble_cos",
]

FloatArray = npt.NDArray[np.float64]
_MAX_ROUNDS = 10_000


def draw_nonzero_pairs(
    rng: np.random.Generator, ensemble: InputEnsemble, trials: int
) -> FloatArray:
    """Pairs of input vectors (trials, 2, n), both nonzero (distinct without replacement):
    pairs with a zero vector are redrawn, whole, until none is left (rejection sampling,
    so each pair has the ensemble's distribution conditioned on the event)."""
    x = ensemble.draw(rng, 2, trials)
    bad = np.nonzero(~np.all(np.any(x != 0.0, axis=2), axis=1))[0]
    rounds = 0
    while bad.size:
        rounds += 1
        if rounds > _MAX_ROUNDS:
            name = "q" if ensemble.kind == "zero-one" else "p"
            raise ParameterError(
                name,
                "a probability that gives nonzero vectors often enough",
                ensemble.q or ensemble.p,
            )
        x[bad] = ensemble.draw(rng, 2, bad.size)
        still = ~np.all(np.any(x[bad] != 0.0, axis=2), axis=1)
        bad = bad[still]
    return x


@dataclass(frozen=True)
class EnsembleCosParameters(Result):
    """The ensemble a :func:`simulate_ensemble_cos` run drew from, and the noise."""

    inputs: str
    n: int
    q: float | None
    p: float | None
    without_replacement: bool
    noise_sd: float


@dataclass(frozen=True)
class EnsembleCosResult(Result):
    """:func:`simulate_ensemble_cos`'s result (``to_dict()``: its data as JSON, in the
    order the former dict had)."""

    expected_cos: Estimate
    improvement_ratio_unit_step: Estimate
    improvement_ratio_gradient_step: Estimate
    trials: int
    seed: int
    parameters: EnsembleCosParameters


def simulate_ensemble_cos(
    inputs: str,
    n: int,
    q: float | None = None,
    p: float | None = None,
    without_replacement: bool = False,
    trials: int = 100_000,
    seed: int = 0,
    noise_sd: float = 1.0,
    chunk_size: int | None = None,
    progress: bool = False,
    level: float = 0.95,
) -> EnsembleCosResult:
    """Measured E[cos θ] for a random nonzero pair from the ensemble, and the ratios of mean
    improvements (:class:`~simulation.estimate.Estimate` s at ``level``), plus ``trials``,
    ``seed`` and the ensemble's ``parameters``: an :class:`EnsembleCosResult`.

    Examples:
        Random nonzero 0/1 pairs in n = 4 dimensions (the exact value is 0.2727, see
        ``theory.ensemble_expected_cos``):

        >>> from simulation import simulate_ensemble_cos
        >>> r = simulate_ensemble_cos("zero-one", 4, q=0.5, trials=2000, seed=1)
        >>> round(r.expected_cos.estimate, 3), r.trials, r.parameters.inputs
        (0.263, 2000, 'zero-one')
        >>> r.expected_cos.contains(0.2727)
        True
    """
    ensemble = input_ensemble(inputs, n, q, p, without_replacement, associations=2)
    if ensemble.without_replacement and ensemble.kind == "zero-one" and ensemble.n < 2:
        raise ParameterError(
            "n", "n >= 2 for zero-one inputs without replacement (two distinct nonzero vectors)", n
        )
    n_trials = check_count("trials", trials, minimum=2)
    seed_ = check_seed(seed)
    sd = check_scale("noise_sd", noise_sd)
    level_ = check_level(level)
    dim = ensemble.n
    masks = np.eye(2, dtype=bool)

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        parts = []
        for bl in blocks:
            x = draw_nonzero_pairs(bl.rng, ensemble, bl.size)
            teacher = bl.rng.standard_normal((bl.size, 1, dim))
            noise = bl.rng.standard_normal((bl.size, 1, dim))
            parts.append((x, teacher, noise))
        x, teacher, noise = (np.concatenate(part) for part in zip(*parts, strict=True))
        out = network_outputs(np.concatenate([teacher + sd * noise, teacher], axis=1), x)
        r = out[..., :1] - out[..., 1:]
        grads = gradients_from_residuals(r, x, masks)
        return pair_statistics(grads[:, 0], grads[:, 1])

    moments = stream_moments(
        seed_,
        n_trials,
        4 * dim,
        simulate,
        cross=PAIR_RATIOS,
        chunk_size=chunk_size,
        progress=progress,
        desc="simulate ensemble cos",
    )
    return EnsembleCosResult(
        **pair_estimates(moments, level_),
        trials=n_trials,
        seed=seed_,
        parameters=EnsembleCosParameters(
            inputs=ensemble.kind,
            n=ensemble.n,
            q=ensemble.q,
            p=ensemble.p,
            without_replacement=ensemble.without_replacement,
            noise_sd=sd,
        ),
    )
