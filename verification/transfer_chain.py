"""Where the transfer goes: the chain of predictions of Sec. 4's first-sweep ratio (issue 10).

The meeting point of ``theory.transfer_chain`` (kernels) and ``simulation.deblur_capture``
(the blurred networks and the first sweep's first-order rates): on every network that the
deblurring run retrained, at its weights just before retraining, each rung predicts the
ratio of the unretrained to the retrained associations' improvement in the first sweep,

    r = mean over seeds of mean_{k∉S} Σ_{l∈S} T_kl  /  mean over seeds of mean_{k∈S} Σ_{l∈S} T_kl

(a ratio of means over seeds, like the measured ratio, with a delta-method Student-t
interval: :class:`SeedRatio`). Each rung adds one ingredient (:data:`RUNGS`); the measured
first-sweep ratio closes the chain.

Inputs: ``transfer_chains(..., inputs="paper")`` (the default, the claims') is for a run on
the paper's random 0/1 associations: its top rungs are the exact formulas for such inputs
(``paper``, ``ensemble``). ``inputs="given"`` is for a run on the user's own associations
(``fastweights chain --inputs``): those formulas say nothing about them, so the chain starts
instead at :data:`LINEAR_VECTORS`, Sec. 5's exact linear theory for these very vectors
(``theory transfer --inputs``'s first-order ratio on each seed's retrained set), and follows
:data:`GIVEN_CHAIN_RUNGS`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from foundation.errors import ParameterError
from simulation.deblur_results import DeblurConditionsResult, DeblurPerSeed, DeblurResult
from simulation.estimate import Estimate

from .engine.model import DECISION_LEVEL, DISPLAY_LEVEL, Simulated

__all__ = [
    "ALL_RUNGS",
    "CHAIN_RUNGS",
    "GIVEN_CHAIN_RUNGS",
    "INPUTS",
    "LINEAR_VECTORS",
    "OTHER_ORDER",
    "RUNGS",
    "SIDE_RUNGS",
    "Chain",
    "Rung",
    "SeedDifference",
    "SeedRatio",
    "transfer_chains",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SeedDifference:
    """A paired difference of two ratios of means over the same seeds, delta method.

    ``estimate`` with its standard error ``se`` over ``seeds`` seeds; :meth:`ci` gives the
    Student-t interval (S - 1 degrees of freedom) at any level.
    """

    estimate: float
    se: float
    seeds: int

    def ci(self, level: float) -> tuple[float, float]:
        """``estimate ± t_{S-1} se`` at ``level``."""
        from simulation.estimate import t_quantile

        half = t_quantile(level, self.seeds - 1) * self.se
        return self.estimate - half, self.estimate + half

    def to_dict(self) -> dict[str, float]:
        d_lo, d_hi = self.ci(DECISION_LEVEL)
        s_lo, s_hi = self.ci(DISPLAY_LEVEL)
        return {
            "estimate": self.estimate,
            "ci_low": d_lo,
            "ci_high": d_hi,
            "level": DECISION_LEVEL,
            "ci95_low": s_lo,
            "ci95_high": s_hi,
        }


@dataclass(frozen=True)
class SeedRatio:
    """mean(numerator) / mean(denominator) over paired per-seed samples (S,).

    The interval is the delta method's with Student t, S - 1 degrees of freedom (the
    project's ``seed_ratio_of_means``): ``Var(R) = (s_xx - 2R s_xy + R² s_yy)/(S ȳ²)``.
    """

    numerator: FloatArray
    denominator: FloatArray

    def __post_init__(self) -> None:
        x, y = np.asarray(self.numerator, float), np.asarray(self.denominator, float)
        if x.ndim != 1 or x.shape != y.shape or x.size < 2:
            raise ValueError(
                "numerator, denominator: expected two (S,) arrays, S >= 2, "
                f"got {x.shape}, {y.shape}"
            )
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))) or y.mean() == 0:
            raise ValueError("denominator: expected finite samples with a nonzero mean")
        object.__setattr__(self, "numerator", x)
        object.__setattr__(self, "denominator", y)

    @property
    def seeds(self) -> int:
        return int(self.numerator.size)

    @property
    def estimate(self) -> float:
        return float(self.numerator.mean() / self.denominator.mean())

    def _gradient(self) -> FloatArray:
        """∂R/∂(x̄, ȳ)."""
        my = float(self.denominator.mean())
        return np.array([1.0 / my, -self.estimate / my])

    def typed(self) -> Estimate:
        """simulation's ``t_ratio_of_means`` of the samples (made at 95%)."""
        from simulation.seed_statistics import t_ratio_of_means

        ratio = t_ratio_of_means(self.numerator, self.denominator, DISPLAY_LEVEL)
        if ratio is None:  # __post_init__ refuses one seed and a zero mean denominator
            raise ValueError("numerator, denominator: no ratio of means")
        return ratio

    @property
    def se(self) -> float:
        """The delta method's standard error of the ratio."""
        return float(self.typed().se or 0.0)

    def ci(self, level: float) -> tuple[float, float]:
        """The Student-t interval (S - 1 degrees of freedom) at ``level``."""
        return self.typed().ci(level)

    def simulated(self) -> Simulated:
        """As a :class:`Simulated`: the decision and the 95% intervals, each from the
        samples (never one rescaled from the other)."""
        return Simulated.from_estimate(self.typed())

    def minus(self, other: SeedRatio) -> SeedDifference:
        """This ratio minus ``other`` over the same seeds (paired: their covariance counts)."""
        if other.seeds != self.seeds:
            raise ValueError(f"other: expected {self.seeds} seeds, got {other.seeds}")
        g = np.concatenate([self._gradient(), -other._gradient()])
        samples = np.stack([self.numerator, self.denominator, other.numerator, other.denominator])
        var = float(g @ np.cov(samples, ddof=1) @ g) / self.seeds
        return SeedDifference(self.estimate - other.estimate, math.sqrt(max(var, 0.0)), self.seeds)


@dataclass(frozen=True)
class Rung:
    """One prediction of the chain: its key, the ingredient it adds, its label in figures."""

    key: str
    ingredient: str
    label: str


RUNGS = (
    Rung("paper", "Sec. 5.1: m c/(1 + (m-1) c) with c = .25 (n → ∞)", "paper: c = .25"),
    Rung(
        "ensemble",
        "the same with c = C/D of 10-bit vectors drawn without replacement (n = 10)",
        "+ c at n = 10",
    ),
    Rung(
        "linear_noise",
        "these networks' own inputs, with the bias input: (x̃_k·x̃_l)², Gaussian weight noise",
        "+ these inputs x̃ = (x, 1)",
    ),
    Rung(
        "linear_learning",
        "beside it: the same linear unit blurred by learning the 5 new associations "
        "(exact: (x̃_k·x̃_l) x̃_kᵀ(BᵀB)⁺x̃_l)",
        "(beside) blur by learning",
    ),
    Rung(
        "hidden_states",
        "the hidden representation: h̃ in place of x̃ (noise on the output weights only)",
        "+ hidden states h̃",
    ),
    Rung(
        "hidden_weights",
        "the hidden layer's weights too: the tangent kernel Θ, linear outputs",
        "+ hidden weights: Θ",
    ),
    Rung(
        "errors_linear",
        "the actual errors the blur left, e = y - t at the blurred weights, through Θ "
        "(Σ_ij e_ki Θ_kilj e_lj: the outputs' slopes left out)",
        "+ actual errors y - t",
    ),
    Rung(
        "saturation",
        "beside it: the outputs' slopes y(1 - y) with Gaussian noise instead of the actual "
        "errors (the two ingredients in the other order)",
        "(beside) saturation, noise",
    ),
    Rung(
        "errors",
        "output saturation: the slopes y(1 - y), so G_kl = ∇E_k·∇E_l at the blurred weights",
        "+ saturation y(1-y): G",
    ),
    Rung(
        "measure",
        "Fig. 2's error measure mean_j |y_j - t_j|: ∇A_k·∇E_l (the full first-order "
        "prediction of the first sweep)",
        "+ error measure |y - t|",
    ),
    Rung("measured", "measured: the first retraining sweep (a finite step)", "measured, sweep 1"),
)
"""Every rung, top to bottom."""

CHAIN_RUNGS = (
    "paper",
    "ensemble",
    "linear_noise",
    "hidden_states",
    "hidden_weights",
    "errors_linear",
    "errors",
    "measure",
    "measured",
)
"""The chain's path, each rung adding one ingredient to the one before. The actual errors
come before the saturation: with Gaussian noise the linearised error itself carries the
output's slope (y - t = y' J g), so saturation under noise counts the slope twice, which
the blur's actual errors (large where an output was pushed to the wrong saturated side)
do not; :data:`OTHER_ORDER` gives the other order."""

SIDE_RUNGS = ("linear_learning", "saturation")
"""Beside the chain: the linear theory with the experiment's kind of blur, and the
saturation under Gaussian noise (:data:`OTHER_ORDER`)."""

OTHER_ORDER = ("hidden_weights", "saturation", "errors")
"""The saturation and the actual errors taken in the other order."""

LINEAR_VECTORS = Rung(
    "linear_vectors",
    "Sec. 5 for these very input vectors: a linear unit without bias under Gaussian weight "
    "noise, mean Σ_{l∈S} (x_k·x_l)² (theory transfer --inputs's first-order ratio, on each "
    "network's retrained set)",
    "linear theory, these x",
)
"""The top rung of a chain on the user's own associations (``inputs="given"``), in place of
the paper's 0/1-input formulas ``paper`` and ``ensemble``."""

ALL_RUNGS = (*RUNGS[:2], LINEAR_VECTORS, *RUNGS[2:])
"""Every rung either kind of chain may hold, top to bottom (:meth:`Chain.rungs`: those a
chain holds)."""

GIVEN_CHAIN_RUNGS = ("linear_vectors", *CHAIN_RUNGS[2:])
"""The path of a chain on given inputs: Sec. 5 for these vectors, then (as in
:data:`CHAIN_RUNGS`) the bias input, the hidden states, ... the measured first sweep."""

INPUTS = ("paper", "given")
"""What :func:`transfer_chains` may be told about the run's associations."""


@dataclass(frozen=True)
class Chain:
    """The chain for one retrained fraction.

    ``exact``: the rungs with one value for every network (``paper``, ``ensemble``; none on
    given inputs); ``ratios``: the per-network rungs (theory on the captured networks, the
    measured ratio, and ``simulation``, the simulator's own first-order prediction) as
    :class:`SeedRatio` s; ``path``: the chain's rungs top to bottom (:data:`CHAIN_RUNGS`, or
    :data:`GIVEN_CHAIN_RUNGS` on given inputs); ``associations``: K, the old associations
    (``retrained`` of them retrained).
    """

    fraction: float
    retrained: int
    exact: Mapping[str, float]
    ratios: Mapping[str, SeedRatio]
    path: tuple[str, ...] = CHAIN_RUNGS
    associations: int | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.exact or key in self.ratios

    def rungs(self) -> tuple[Rung, ...]:
        """The rungs of :data:`ALL_RUNGS` this chain holds, top to bottom."""
        return tuple(rung for rung in ALL_RUNGS if rung.key in self)

    def value(self, key: str) -> float:
        return self.exact[key] if key in self.exact else self.ratios[key].estimate

    def interval(self, key: str, level: float) -> tuple[float, float]:
        """The rung's interval at ``level`` (a point for an exact rung)."""
        if key in self.exact:
            return self.exact[key], self.exact[key]
        return self.ratios[key].ci(level)

    def steps(self, path: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Each ingredient's change of the prediction along ``path`` (default the chain's
        own, :attr:`path`), with the paired interval of the change where both rungs are
        per-network."""
        out = []
        for before, after in itertools.pairwise(self.path if path is None else path):
            change: dict[str, Any] = {
                "from": before,
                "to": after,
                "change": self.value(after) - self.value(before),
            }
            if before in self.ratios and after in self.ratios:
                change["interval"] = self.ratios[after].minus(self.ratios[before]).to_dict()
            out.append(change)
        return out

    def to_dict(self) -> dict[str, Any]:
        """``retrain_fraction``, ``retrained_count``, ``rungs`` (each: ``rung``,
        ``ingredient`` and ``estimate``, with the intervals of
        :meth:`~verification.engine.model.Simulated.as_dict` for a per-network one),
        ``steps`` along :attr:`path` and ``other_order_steps`` (:data:`OTHER_ORDER`)."""
        rungs = []
        for rung in self.rungs():
            entry: dict[str, Any] = {"rung": rung.key, "ingredient": rung.ingredient}
            if rung.key in self.exact:
                entry["estimate"] = self.exact[rung.key]
            else:
                entry.update(self.ratios[rung.key].simulated().as_dict())
            rungs.append(entry)
        return {
            "retrain_fraction": self.fraction,
            "retrained_count": self.retrained,
            "rungs": rungs,
            "steps": self.steps(),
            "other_order_steps": self.steps(OTHER_ORDER),
        }


def _per_seed(condition: DeblurResult) -> DeblurPerSeed:
    if condition.per_seed is None or condition.per_seed.unretrained_error is None:
        raise ValueError("run: a run with per_seed=True and unretrained associations")
    return condition.per_seed


def _per_seed_gains(condition: DeblurResult) -> SeedRatio:
    per_seed = _per_seed(condition)
    retrained = per_seed.retrained_error
    unretrained = np.asarray(per_seed.unretrained_error, dtype=float)
    gains = unretrained[:, 0] - unretrained[:, 1], retrained[:, 0] - retrained[:, 1]
    return _seed_ratio("measured", *gains)


def _seed_ratio(key: str, numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> SeedRatio:
    """The rung ``key``'s ratio of means from per-seed unretrained and retrained means
    (S,); a rung with no ratio (the retrained associations' mean is 0) is a
    ParameterError."""
    try:
        return SeedRatio(np.asarray(numerator, float), np.asarray(denominator, float))
    except ValueError:
        raise ParameterError(
            "inputs",
            "associations whose retrained ones improve on every rung (a nonzero mean over "
            "the networks of the retrained associations' improvement)",
            f"a mean of 0 on the rung {key}",
        ) from None


def transfer_chains(
    run: DeblurConditionsResult,
    fractions: Sequence[float],
    fast_weights: bool = True,
    *,
    inputs: str = "paper",
) -> list[Chain]:
    """The chain at each retrained fraction of a ``run_deblur_conditions(...,
    per_seed=True, capture_blurred=True)`` result (its conditions with ``fast_weights``).

    Theory is evaluated per network (``theory.transfer_kernels`` once per seed, every
    fraction's retrained set on it). ``inputs`` says what the run's associations are (the
    run does not record it): ``"paper"``, the paper's random 0/1 vectors (the default):
    the exact rungs ``paper`` (Sec. 5.1, c = .25) and ``ensemble``
    (``theory.retrain_ratio`` for 0/1, q = ½, distinct vectors), path :data:`CHAIN_RUNGS`;
    a run whose inputs are not 0/1 is refused (``ValueError``). ``"given"``, the user's own
    associations: no exact rung, and on top :data:`LINEAR_VECTORS`, per network
    ``theory.improvement_means`` of ``theory.linear_noise_kernel(x, bias=False)``, whose
    two means are ``theory.vector_transfer(x, S).first_order_rate`` (σ = 1) on that
    network's retrained set S; path :data:`GIVEN_CHAIN_RUNGS`. A rung whose retrained
    associations' mean is 0 over the networks has no ratio: ``ParameterError`` (``inputs``).
    """
    import theory

    if inputs not in INPUTS:
        raise ValueError(f"inputs: expected one of {', '.join(INPUTS)}, got {inputs!r}")
    given = inputs == "given"
    blurred = run.blurred
    parameters = run.parameters
    k, n = blurred.associations, blurred.layout.n_input
    if not given and not np.isin(blurred.inputs, (0.0, 1.0)).all():
        raise ValueError("inputs: the paper's exact rungs need 0/1 inputs; use inputs='given'")
    masks = {f: blurred.retrained(f) for f in fractions}
    sums: dict[float, dict[str, list[tuple[float, float]]]] = {f: {} for f in fractions}
    for s in range(blurred.seeds):
        w1, w2 = blurred.matrices(s)
        old_inputs, targets = blurred.old(s)
        named = list(
            theory.transfer_kernels(
                w1, w2, old_inputs, targets, blurred.new_inputs(s), parameters["error_measure"]
            ).items()
        )
        if given:
            named.insert(0, ("linear_vectors", theory.linear_noise_kernel(old_inputs, bias=False)))
        for name, kernel in named:
            for f in fractions:
                sums[f].setdefault(name, []).append(theory.improvement_means(kernel, masks[f][s]))
    chains = []
    for f in fractions:
        condition = run.condition(f, fast_weights)
        m = int(condition.retrained_count)
        ratios = {
            name: _seed_ratio(name, [u for u, _ in pairs], [r for _, r in pairs])
            for name, pairs in sums[f].items()
        }
        per_seed = _per_seed(condition)
        ratios["simulation"] = _seed_ratio(
            "simulation",
            np.asarray(per_seed.first_order_unretrained, dtype=float),
            np.asarray(per_seed.first_order_retrained, dtype=float),
        )
        ratios["measured"] = _per_seed_gains(condition)
        if given:
            chains.append(Chain(float(f), m, {}, ratios, GIVEN_CHAIN_RUNGS, k))
            continue
        ensemble = theory.retrain_ratio("zero-one", n, k, m, q=0.5, without_replacement=True)
        exact = {
            "paper": float(theory.improvement_ratio(m, 0.25)),
            "ensemble": float(ensemble["improvement_ratio"]),
        }
        chains.append(Chain(float(f), m, exact, ratios, CHAIN_RUNGS, k))
    return chains
