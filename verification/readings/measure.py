"""The Sec. 4 claims measured at one reading, from its per-seed numbers: the one
measurement path of the Sec. 4 quantities, for the claims and the readings alike.

A reading's run (:func:`simulation.run_deblur_conditions` with both fractions, the
control and ``per_seed=True``, a :class:`~simulation.deblur_results.DeblurConditionsResult`)
is first reduced to the per-seed numbers the claims need, typed: :class:`Sec4Samples`
(:meth:`Sec4Samples.from_run`; a search stores it as a compact row,
:meth:`Sec4Samples.to_row` = :func:`compact_run`, and reads it back with
:meth:`Sec4Samples.from_row`). The quantities -- the learned fraction
(:func:`learned`), the fast/slow ratio (:func:`fast_to_slow`), the transfer ratio
(:func:`transfer`), the damage left (:func:`damage`), control - fast (:func:`control`)
and Sec. 6's slow - fast (:func:`slow_minus_fast`) -- are computed here only, from
:class:`Sec4Samples`, with the thresholds (:data:`THRESHOLDS`) here only; the claims
(``verification.claims.deblur``, ``sec6_slow``) call them on the defaults' run and every
sensitivity run, :func:`claim_outcomes` on every row of a search. Every part's quantity
comes with its intervals (computed at each level from the per-seed values, never from
another interval's width), its verdict against the claim's threshold, and the claim's
verdict at this reading (all parts must hold: the paper asserts each of them).

The same code measures the defaults' run and every reading of the box, so a difference
between them is a difference of readings, not of measurement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from foundation.settings import Integer

from ..engine.model import DECISION_LEVEL, DISPLAY_LEVEL, Simulated
from ..verdict import Outcome, combine, decide_threshold

if TYPE_CHECKING:
    from simulation.deblur_results import DeblurConditionsResult

__all__ = [
    "CLAIMS",
    "EARLY_SWEEP",
    "FRACTIONS",
    "INTACT_WRONG_OUTPUTS",
    "PARTS",
    "SEC4_CLAIMS",
    "SEC6_CLAIM",
    "SEC6_SWEEPS",
    "THRESHOLDS",
    "ClaimAtReading",
    "FractionSamples",
    "PartAtReading",
    "PartSpec",
    "Sec4Samples",
    "Undefined",
    "check_retrain_sweeps",
    "claim_outcomes",
    "compact_run",
    "control",
    "damage",
    "fast_to_slow",
    "intact",
    "learned",
    "slow_minus_fast",
    "transfer",
]

FRACTIONS = (0.1, 0.5)
EARLY_SWEEP = 5
SEC6_SWEEPS = (1, EARLY_SWEEP)
"""Sec. 6's comparison of the transfer with and without fast weights: after the first and
after the :data:`EARLY_SWEEP` th retraining sweep."""
THRESHOLDS = {
    "learned_fraction": 0.5,
    "fast_to_slow_rms": 0.01,
    "nearly_as_much": 0.8,
    "damage_remaining": 0.25,
    "control_minus_fast": 0.0,
    "slow_minus_fast": 0.05,
}
INTACT_WRONG_OUTPUTS = 0.10

Run = Mapping[str, Any]


def _key(fraction: float) -> str:
    return f"{fraction:g}"


def check_retrain_sweeps(value: object) -> int:
    """``retrain_sweeps`` of a reading: at least :data:`EARLY_SWEEP`, the sweeps after which
    the claims compare the improvements (fewer leave nothing to compare)."""
    return Integer(EARLY_SWEEP).check("retrain_sweeps", value)


FloatArray = npt.NDArray[np.float64]


def _array(values: Any) -> FloatArray:
    return np.asarray(values, dtype=float)


def _optional(values: Any) -> FloatArray | None:
    return None if values is None else _array(values)


def _gain_key(name: str, sweep: int) -> str:
    """``retrained_gain`` (after :data:`EARLY_SWEEP` sweeps) or ``retrained_gain_1``."""
    return name if sweep == EARLY_SWEEP else f"{name}_{sweep}"


@dataclass(frozen=True)
class FractionSamples:
    """The per-seed numbers (S seeds, R retraining sweeps) of one retrained fraction.

    Attributes:
        retrained_gain, unretrained_gain: (S,), error before retraining minus after
            :data:`EARLY_SWEEP` sweeps, with fast weights; ``..._1``: after one sweep.
        new_before, new_after_retraining, new_after_decay: (S,), the new associations'
            error before retraining, after its last sweep, after the decay.
        retrained_curve, unretrained_curve: (R + 1,), the mean error over seeds after each
            retraining sweep (Fig. 2 at this reading).
        control_new_after_decay: (S,), the same in the control; None: no control.
        control_retrained_gain, control_unretrained_gain (and ``..._1``): (S,), the
            control's improvements (Sec. 6); None in a row stored before they were.
    """

    retrained_gain: FloatArray
    unretrained_gain: FloatArray
    retrained_gain_1: FloatArray
    unretrained_gain_1: FloatArray
    new_before: FloatArray
    new_after_retraining: FloatArray
    new_after_decay: FloatArray
    retrained_curve: FloatArray
    unretrained_curve: FloatArray
    control_new_after_decay: FloatArray | None = None
    control_retrained_gain_1: FloatArray | None = None
    control_unretrained_gain_1: FloatArray | None = None
    control_retrained_gain: FloatArray | None = None
    control_unretrained_gain: FloatArray | None = None

    def gains(self, sweep: int, control: bool = False) -> tuple[FloatArray, FloatArray] | None:
        """(unretrained, retrained) improvements after ``sweep`` sweeps (1 or
        :data:`EARLY_SWEEP`), with fast weights or in the control; None if not held."""
        prefix = "control_" if control else ""
        unretrained = getattr(self, _gain_key(f"{prefix}unretrained_gain", sweep))
        retrained = getattr(self, _gain_key(f"{prefix}retrained_gain", sweep))
        return None if unretrained is None or retrained is None else (unretrained, retrained)

    def to_row(self) -> dict[str, Any]:
        """The JSON entry of a compact row (lists; the control's keys only when held)."""
        names = [
            "retrained_gain",
            "unretrained_gain",
            "retrained_gain_1",
            "unretrained_gain_1",
            "new_before",
            "new_after_retraining",
            "new_after_decay",
            "retrained_curve",
            "unretrained_curve",
            "control_new_after_decay",
            *(
                _gain_key(f"control_{which}_gain", sweep)
                for sweep in SEC6_SWEEPS
                for which in ("retrained", "unretrained")
            ),
        ]
        return {
            name: getattr(self, name).tolist() for name in names if getattr(self, name) is not None
        }

    @classmethod
    def from_row(cls, entry: Mapping[str, Any]) -> FractionSamples:
        """From a compact row's entry (a key it does not hold: None, or no seeds)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.default is MISSING:
                values[f.name] = _array(entry.get(f.name, []))
            else:
                values[f.name] = _optional(entry.get(f.name))
        return cls(**values)


@dataclass(frozen=True)
class Sec4Samples:
    """The per-seed numbers of a Sec. 4 run that every Sec. 4 quantity is measured from.

    Attributes:
        seeds: S; seed: the run's root seed; parameters: its settings (``scientific()``).
        learned: (S,) bool, every old association learned after the original learning.
        wrong_output_fraction, fast_to_slow_rms, old_error_after_training: (S,), then.
        fractions: per :data:`FRACTIONS` key (``"0.1"``, ``"0.5"``), its
            :class:`FractionSamples`.
    """

    seeds: int
    seed: Any
    parameters: dict[str, Any]
    learned: npt.NDArray[np.bool_]
    wrong_output_fraction: FloatArray
    fast_to_slow_rms: FloatArray
    old_error_after_training: FloatArray
    fractions: dict[str, FractionSamples]

    def fraction(self, fraction: float) -> FractionSamples:
        """The samples at this retrained fraction (by its key ``f"{F:g}"``)."""
        return self.fractions[_key(fraction)]

    @classmethod
    def from_run(cls, result: DeblurConditionsResult) -> Sec4Samples:
        """From a ``run_deblur_conditions(..., per_seed=True)`` result (both
        :data:`FRACTIONS`, with fast weights; the control where it was run); a run of fewer
        than :data:`EARLY_SWEEP` retraining sweeps is a :class:`ParameterError`."""
        check_retrain_sweeps(result.parameters["retrain_sweeps"])

        def per_seed(fraction: float, fast: bool) -> Any:
            found = result.condition(fraction, fast).per_seed
            if found is None:
                raise ValueError("result: a run with per_seed=True")
            return found

        first = per_seed(FRACTIONS[0], True)
        fractions = {}
        for fraction in FRACTIONS:
            fast = per_seed(fraction, True)
            retrained, unretrained = fast.retrained_error, fast.unretrained_error
            new = fast.new_error
            entry: dict[str, Any] = {
                "retrained_gain": retrained[:, 0] - retrained[:, EARLY_SWEEP],
                "unretrained_gain": unretrained[:, 0] - unretrained[:, EARLY_SWEEP],
                "retrained_gain_1": retrained[:, 0] - retrained[:, 1],
                "unretrained_gain_1": unretrained[:, 0] - unretrained[:, 1],
                "new_before": new[:, 0],
                "new_after_retraining": new[:, -1],
                "new_after_decay": fast.new_error_after_decay,
                "retrained_curve": retrained.mean(axis=0),
                "unretrained_curve": unretrained.mean(axis=0),
            }
            if result.has_condition(fraction, False):
                control = per_seed(fraction, False)
                entry["control_new_after_decay"] = control.new_error_after_decay
                c_retrained, c_unretrained = control.retrained_error, control.unretrained_error
                for sweep in SEC6_SWEEPS:
                    entry[_gain_key("control_retrained_gain", sweep)] = (
                        c_retrained[:, 0] - c_retrained[:, sweep]
                    )
                    entry[_gain_key("control_unretrained_gain", sweep)] = (
                        c_unretrained[:, 0] - c_unretrained[:, sweep]
                    )
            fractions[_key(fraction)] = FractionSamples(**entry)
        return cls(
            seeds=int(result.seeds),
            seed=result.seed,
            parameters=dict(result.parameters),
            learned=np.asarray(first.old_learned_after_training, dtype=bool),
            wrong_output_fraction=first.old_wrong_fraction_after_training,
            fast_to_slow_rms=first.fast_to_slow_rms_after_training,
            old_error_after_training=first.old_error_after_training,
            fractions=fractions,
        )

    def to_row(self) -> dict[str, Any]:
        """The compact row a search stores (JSON-able; lists of length S)."""
        return {
            "seeds": self.seeds,
            "seed": self.seed,
            "parameters": dict(self.parameters),
            "learned": [bool(v) for v in self.learned],
            "wrong_output_fraction": self.wrong_output_fraction.tolist(),
            "fast_to_slow_rms": self.fast_to_slow_rms.tolist(),
            "old_error_after_training": self.old_error_after_training.tolist(),
            "fractions": {key: entry.to_row() for key, entry in self.fractions.items()},
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Sec4Samples:
        """From a compact row (:meth:`to_row`, a stored search's line)."""
        return cls(
            seeds=int(row["seeds"]),
            seed=row.get("seed"),
            parameters=dict(row.get("parameters", {})),
            learned=np.asarray([bool(f) for f in row["learned"]], dtype=bool),
            wrong_output_fraction=_array(row["wrong_output_fraction"]),
            fast_to_slow_rms=_array(row["fast_to_slow_rms"]),
            old_error_after_training=_array(row.get("old_error_after_training", [])),
            fractions={
                key: FractionSamples.from_row(entry) for key, entry in row["fractions"].items()
            },
        )


Samples = Sec4Samples | Run


def _as_samples(value: Samples) -> Sec4Samples:
    return value if isinstance(value, Sec4Samples) else Sec4Samples.from_row(value)


def compact_run(result: DeblurConditionsResult) -> dict[str, Any]:
    """The per-seed numbers of a ``run_deblur_conditions(..., per_seed=True)`` result that
    the Sec. 4 claims need (JSON-able; lists of length S): :class:`Sec4Samples`' row. A run
    of fewer than :data:`EARLY_SWEEP` retraining sweeps is a :class:`ParameterError`
    naming them."""
    return Sec4Samples.from_run(result).to_row()


def intact(row: Samples) -> bool:
    """Original learning intact: mean wrong-output fraction at most
    :data:`INTACT_WRONG_OUTPUTS` (see ``docs/deblur.md``)."""
    return float(np.mean(_as_samples(row).wrong_output_fraction)) <= INTACT_WRONG_OUTPUTS


# ----------------------------------------------------------------- intervals from seeds
def _mean(values: Sequence[float] | np.ndarray) -> Simulated | None:
    """The t mean over seeds (simulation's ``t_mean``) at both levels; None for one seed."""
    from simulation.seed_statistics import t_mean

    if len(values) < 2:
        return None
    estimate = t_mean(values, DISPLAY_LEVEL)
    return None if estimate is None else Simulated.from_estimate(estimate)


@dataclass(frozen=True)
class Undefined:
    """A part whose quantity does not exist at a reading, and what that means for the claim:
    ``verdict`` is ``"refuted"`` when the claim's own presupposition fails there (retraining
    made the retrained associations worse: there is no improvement to transfer) and
    ``"inconclusive"`` when the quantity is merely undefined (nothing moved). ``missing``:
    the row does not hold the numbers at all (a search stored before they were recorded):
    not in this evidence, which the analysis over the box must say rather than pass."""

    note: str
    verdict: str = "inconclusive"
    missing: bool = False


NOTHING_MOVED = Undefined("no interval: the denominator is indistinguishable from 0")
ONE_SEED = Undefined("no interval: fewer than two seeds")

Measured = Simulated | Undefined


def _ratio(
    numerator: Sequence[float] | np.ndarray,
    denominator: Sequence[float] | np.ndarray,
    negative: Undefined,
) -> Measured:
    """Ratio of means with its delta-method t interval, for a denominator that the claim
    presupposes positive: :data:`NOTHING_MOVED` when its 95% interval contains 0,
    ``negative`` when that interval lies below 0 (a ratio of two negative changes would
    look like a positive ratio and mean the opposite)."""
    from simulation.seed_statistics import t_ratio_of_means

    den = _mean(denominator)
    if den is None:
        return ONE_SEED
    if den.ci95_low <= 0.0 <= den.ci95_high:
        return NOTHING_MOVED
    if den.ci95_high < 0.0:
        return negative
    ratio = t_ratio_of_means(numerator, denominator, DISPLAY_LEVEL)
    if ratio is None:
        return NOTHING_MOVED
    return Simulated.from_estimate(ratio)


def learned(row: Samples) -> Measured:
    """The fraction of seeds whose network learned every old association (exact binomial)."""
    flags = _as_samples(row).learned
    return Simulated.from_count(int(flags.sum()), int(flags.size))


def fast_to_slow(row: Samples) -> Measured:
    """RMS fast weight / RMS slow weight after the original learning (t mean over seeds)."""
    return _mean(_as_samples(row).fast_to_slow_rms) or ONE_SEED


WORSE = Undefined(
    "retraining made the retrained associations worse: there is no improvement to transfer",
    "refuted",
)
UNHARMED = Undefined(
    "retraining did not harm the new associations: there is nothing for them to return from"
)


def transfer(row: Samples, fraction: float) -> Measured:
    """Unretrained / retrained mean improvement after :data:`EARLY_SWEEP` sweeps (fast
    weights); :data:`WORSE` where the retrained associations got worse."""
    f = _as_samples(row).fraction(fraction)
    return _ratio(f.unretrained_gain, f.retrained_gain, WORSE)


def damage(row: Samples, fraction: float) -> Measured:
    """The part of the retraining's damage to the new associations left after the decay:
    mean(after decay - before) / mean(after retraining - before), paired over seeds."""
    f = _as_samples(row).fraction(fraction)
    return _ratio(f.new_after_decay - f.new_before, f.new_after_retraining - f.new_before, UNHARMED)


def control(row: Samples, fraction: float) -> Measured:
    """Control minus fast weights: the increase of the new associations' error from before
    retraining to after the decay (paired t mean of the per-seed differences; both start
    from the same error, so this is the difference of their errors after the decay)."""
    f = _as_samples(row).fraction(fraction)
    if f.control_new_after_decay is None:
        return Undefined("no control was run")
    return _mean(f.control_new_after_decay - f.new_after_decay) or ONE_SEED


NOT_IN_EVIDENCE = Undefined(
    "not in this evidence: the row holds no control improvements (the search was stored "
    "before compact_run recorded them); re-make the search to decide it",
    missing=True,
)


def _paired_ratio_difference(
    first: tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray],
    second: tuple[Sequence[float] | np.ndarray, Sequence[float] | np.ndarray],
) -> Measured:
    """ū₁/r̄₁ - ū₂/r̄₂ over the same seeds, with a paired delta-method t interval: each
    seed's influence z_i = (u₁ᵢ - T₁ r₁ᵢ)/r̄₁ - (u₂ᵢ - T₂ r₂ᵢ)/r̄₂, se = sd(z)/√S, S - 1
    degrees of freedom (for one ratio this is ``t_ratio_of_means``' variance). Each
    denominator must be distinguishable from 0 (its 95% t interval), as in :func:`_ratio`."""
    from simulation.estimate import from_standard_error

    means = []
    for numerator, denominator in (first, second):
        den = _mean(denominator)
        if den is None:
            return ONE_SEED
        if den.ci95_low <= 0.0 <= den.ci95_high:
            return NOTHING_MOVED
        if den.ci95_high < 0.0:
            return WORSE
        u, r = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
        means.append((u, r, float(u.mean()) / float(r.mean()), float(r.mean())))
    (u1, r1, t1, m1), (u2, r2, t2, m2) = means
    z = (u1 - t1 * r1) / m1 - (u2 - t2 * r2) / m2
    se = float(z.std(ddof=1)) / math.sqrt(z.size)
    estimate = from_standard_error(t1 - t2, se, z.size, DISPLAY_LEVEL, "t-delta", z.size - 1)
    return Simulated.from_estimate(estimate)


def slow_minus_fast(row: Samples, fraction: float, sweep: int) -> Measured:
    """Sec. 6: the transfer ratio (unretrained / retrained mean improvement after ``sweep``
    retraining sweeps) with the retraining in the slow weights (the control) minus that
    with fast weights, paired over the same seeds; :data:`NOT_IN_EVIDENCE` for a row that
    does not hold the control's improvements."""
    f = _as_samples(row).fraction(fraction)
    slow, fast = f.gains(sweep, control=True), f.gains(sweep)
    if slow is None or fast is None:
        return NOT_IN_EVIDENCE
    return _paired_ratio_difference(slow, fast)


@dataclass(frozen=True)
class PartSpec:
    """One part of a Sec. 4 claim: its quantity at a reading, its threshold and side."""

    claim: str
    label: str
    measure: Callable[[Samples], Measured]
    threshold: float
    above: bool
    needs_intact: bool = True


def _parts() -> tuple[PartSpec, ...]:
    t = THRESHOLDS
    parts = [
        PartSpec(
            "deblur-original-learning",
            "associations learned",
            learned,
            t["learned_fraction"],
            True,
            needs_intact=False,
        ),
        PartSpec(
            "deblur-original-learning",
            "fast weights near zero",
            fast_to_slow,
            t["fast_to_slow_rms"],
            False,
            needs_intact=False,
        ),
    ]
    per_fraction = (  # claim, quantity, threshold, claimed side
        ("deblur-transfer", transfer, "nearly_as_much", True),
        ("deblur-new-return", damage, "damage_remaining", False),
        ("deblur-control", control, "control_minus_fast", True),
    )
    for claim, quantity, threshold, above in per_fraction:
        parts += [
            PartSpec(
                claim, f"{f:.0%} retrained", partial(quantity, fraction=f), t[threshold], above
            )
            for f in FRACTIONS
        ]
    band = t["slow_minus_fast"]  # Sec. 6: slow - fast within ±band, both sides claimed
    for f in FRACTIONS:
        for sweep in SEC6_SWEEPS:
            measure = partial(slow_minus_fast, fraction=f, sweep=sweep)
            parts += [
                PartSpec(SEC6_CLAIM, f"{f:.0%} retrained, sweep {sweep}, {side}", measure, v, up)
                for side, v, up in (("not weaker", -band, True), ("not stronger", band, False))
            ]
    return tuple(parts)


SEC6_CLAIM = "sec6-slow-relearning"
"""Sec. 6: "The analysis applies just as well if there are no fast weights and the
relearning takes place in the slow weights" (``verification/claims/sec6_slow.py``)."""


PARTS: tuple[PartSpec, ...] = _parts()
"""Every part of the four Sec. 4 claims, in claim order."""

CLAIMS: tuple[str, ...] = tuple(dict.fromkeys(p.claim for p in PARTS))
"""The claim ids measured at a reading, in order: the four of Sec. 4, then Sec. 6's."""

SEC4_CLAIMS: tuple[str, ...] = tuple(c for c in CLAIMS if c != SEC6_CLAIM)
"""The four Sec. 4 claims: the joint question (do they all hold at one reading?) is
about them."""


@dataclass(frozen=True)
class PartAtReading:
    """A part's quantity at one reading, its verdict there and its standardized margin
    (estimate minus threshold, towards the claimed side, over the standard error;
    ``-inf`` where the claim's presupposition fails, NaN where the quantity is undefined)."""

    spec: PartSpec
    simulated: Simulated | None
    outcome: Outcome
    margin: float
    missing: bool = False

    @property
    def holds(self) -> bool:
        """The estimate lies on the claimed side of the threshold (never where undefined)."""
        return self.margin > 0


@dataclass(frozen=True)
class ClaimAtReading:
    """A claim at one reading: its parts and their combined verdict. ``counted`` is False
    where the claim needs intact original learning and the reading does not have it."""

    claim: str
    parts: tuple[PartAtReading, ...]
    outcome: Outcome
    counted: bool

    @property
    def margin(self) -> float:
        """The smallest standardized margin of its parts (all must hold); NaN when a part's
        quantity is undefined at this reading (such a reading is neither best nor worst)."""
        margins = [p.margin for p in self.parts]
        if any(math.isnan(m) for m in margins):
            return math.nan
        return min(margins)

    @property
    def holds(self) -> bool:
        """Every part's estimate on the claimed side."""
        return all(p.holds for p in self.parts)

    @property
    def missing(self) -> bool:
        """A part's numbers are not in this row (:data:`NOT_IN_EVIDENCE`)."""
        return any(p.missing for p in self.parts)


def _scale(sim: Simulated) -> float:
    """The standard error the estimate carries; the exact binomial proportion has none, so
    its scale is the decision interval's half-width over the t quantile (S - 1 degrees of
    freedom), as for the t means: a scale for the margin only."""
    if sim.se is not None:
        return sim.se
    if sim.ci_high <= sim.ci_low:
        return 0.0
    from simulation.seed_statistics import t_quantile

    return sim.half_width / (t_quantile(DECISION_LEVEL, sim.trials - 1) if sim.trials > 1 else 1.0)


def _margin(sim: Simulated | None, threshold: float, above: bool) -> float:
    if sim is None:
        return -math.inf
    se = _scale(sim)
    gap = (sim.estimate - threshold) if above else (threshold - sim.estimate)
    if se == 0.0:
        return math.copysign(math.inf, gap) if gap else 0.0
    return gap / se


def claim_outcomes(row: Samples) -> dict[str, ClaimAtReading]:
    """Every Sec. 4 claim at the reading whose compact run is ``row`` (or its
    :class:`Sec4Samples`)."""
    row = _as_samples(row)
    is_intact = intact(row)
    out: dict[str, ClaimAtReading] = {}
    for claim in CLAIMS:
        parts = []
        for spec in (p for p in PARTS if p.claim == claim):
            value = spec.measure(row)
            if isinstance(value, Undefined):
                sim = None
                outcome = Outcome(value.verdict, f"At this reading {value.note}.")
                margin = -math.inf if value.verdict == "refuted" else math.nan
            else:
                sim = value
                outcome = decide_threshold(sim.ci_low, sim.ci_high, spec.threshold, spec.above)
                margin = _margin(sim, spec.threshold, spec.above)
            missing = isinstance(value, Undefined) and value.missing
            parts.append(PartAtReading(spec, sim, outcome, margin, missing))
        combined = combine([p.outcome for p in parts], [p.spec.label for p in parts])
        counted = is_intact or not parts[0].spec.needs_intact
        out[claim] = ClaimAtReading(claim, tuple(parts), combined, counted)
    return out
