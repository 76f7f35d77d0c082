"""The Sec. 4 claims measured at one reading, from its per-seed numbers.

A reading's run (:func:`simulation.run_deblur_conditions` with both fractions, the
control and ``per_seed=True``) is first reduced to the per-seed numbers the claims need
(:func:`compact_run`, the row a search stores); :func:`claim_outcomes` then gives every
part's quantity with its intervals (computed at each level from the per-seed values,
never from another interval's width), its verdict against the claim's threshold, and the
claim's verdict at this reading (all parts must hold: the paper asserts each of them).

The same code measures the defaults' run and every reading of the box, so a difference
between them is a difference of readings, not of measurement.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from foundation.settings import Integer

from ..engine.model import DECISION_LEVEL, DISPLAY_LEVEL, Simulated
from ..verdict import Outcome, combine, decide_threshold

__all__ = [
    "CLAIMS",
    "PARTS",
    "SEC4_CLAIMS",
    "SEC6_CLAIM",
    "SEC6_SWEEPS",
    "ClaimAtReading",
    "PartAtReading",
    "PartSpec",
    "Undefined",
    "check_retrain_sweeps",
    "claim_outcomes",
    "compact_run",
    "intact",
    "slow_minus_fast",
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


def compact_run(result: Run) -> dict[str, Any]:
    """The per-seed numbers of a ``run_deblur_conditions(..., per_seed=True)`` result that
    the Sec. 4 claims need (JSON-able; lists of length S); a run of fewer than
    :data:`EARLY_SWEEP` retraining sweeps is a :class:`ParameterError` naming them."""
    check_retrain_sweeps(result["parameters"]["retrain_sweeps"])
    conditions = result["conditions"]

    def find(fraction: float, fast: bool) -> Run:
        for c in conditions:
            if c["retrain_fraction"] == fraction and c["fast_weights"] == fast:
                found: Run = c
                return found
        raise KeyError(f"no condition with fraction {fraction}, fast weights {fast}")

    first = find(FRACTIONS[0], True)["per_seed"]
    out: dict[str, Any] = {
        "seeds": int(result["seeds"]),
        "seed": result["seed"],
        "parameters": dict(result["parameters"]),
        "learned": [bool(v) for v in first["old_learned_after_training"]],
        "wrong_output_fraction": list(first["old_wrong_fraction_after_training"]),
        "fast_to_slow_rms": list(first["fast_to_slow_rms_after_training"]),
        "old_error_after_training": list(first["old_error_after_training"]),
        "fractions": {},
    }
    for fraction in FRACTIONS:
        fast = find(fraction, True)["per_seed"]
        retrained = np.asarray(fast["retrained_error"], dtype=float)
        unretrained = np.asarray(fast["unretrained_error"], dtype=float)
        new = np.asarray(fast["new_error"], dtype=float)
        entry = {
            "retrained_gain": (retrained[:, 0] - retrained[:, EARLY_SWEEP]).tolist(),
            "unretrained_gain": (unretrained[:, 0] - unretrained[:, EARLY_SWEEP]).tolist(),
            "retrained_gain_1": (retrained[:, 0] - retrained[:, 1]).tolist(),
            "unretrained_gain_1": (unretrained[:, 0] - unretrained[:, 1]).tolist(),
            "new_before": new[:, 0].tolist(),
            "new_after_retraining": new[:, -1].tolist(),
            "new_after_decay": list(fast["new_error_after_decay"]),
            # Fig. 2 at this reading: mean error over seeds after each retraining sweep
            "retrained_curve": retrained.mean(axis=0).tolist(),
            "unretrained_curve": unretrained.mean(axis=0).tolist(),
        }
        try:
            control = find(fraction, False)["per_seed"]
        except KeyError:
            control = None
        if control is not None:
            entry["control_new_after_decay"] = list(control["new_error_after_decay"])
            # Sec. 6: the same improvements with the retraining in the slow weights
            c_retrained = np.asarray(control["retrained_error"], dtype=float)
            c_unretrained = np.asarray(control["unretrained_error"], dtype=float)
            for sweep in SEC6_SWEEPS:
                suffix = "" if sweep == EARLY_SWEEP else f"_{sweep}"
                entry[f"control_retrained_gain{suffix}"] = (
                    c_retrained[:, 0] - c_retrained[:, sweep]
                ).tolist()
                entry[f"control_unretrained_gain{suffix}"] = (
                    c_unretrained[:, 0] - c_unretrained[:, sweep]
                ).tolist()
        out["fractions"][_key(fraction)] = entry
    return out


def intact(row: Mapping[str, Any]) -> bool:
    """Original learning intact: mean wrong-output fraction at most
    :data:`INTACT_WRONG_OUTPUTS` (see ``docs/deblur.md``)."""
    return float(np.mean(row["wrong_output_fraction"])) <= INTACT_WRONG_OUTPUTS


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
    numerator: Sequence[float], denominator: Sequence[float], negative: Undefined
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


def _learned(row: Run) -> Measured:
    flags = row["learned"]
    return Simulated.from_count(int(sum(bool(f) for f in flags)), len(flags))


def _fast_to_slow(row: Run) -> Measured:
    return _mean(row["fast_to_slow_rms"]) or ONE_SEED


WORSE = Undefined(
    "retraining made the retrained associations worse: there is no improvement to transfer",
    "refuted",
)
UNHARMED = Undefined(
    "retraining did not harm the new associations: there is nothing for them to return from"
)


def _transfer(row: Run, fraction: float) -> Measured:
    f = row["fractions"][_key(fraction)]
    return _ratio(f["unretrained_gain"], f["retrained_gain"], WORSE)


def _damage(row: Run, fraction: float) -> Measured:
    f = row["fractions"][_key(fraction)]
    before = np.asarray(f["new_before"], dtype=float)
    after_retraining = np.asarray(f["new_after_retraining"], dtype=float)
    after_decay = np.asarray(f["new_after_decay"], dtype=float)
    return _ratio((after_decay - before).tolist(), (after_retraining - before).tolist(), UNHARMED)


def _control(row: Run, fraction: float) -> Measured:
    f = row["fractions"][_key(fraction)]
    if "control_new_after_decay" not in f:
        return Undefined("no control was run")
    diff = np.asarray(f["control_new_after_decay"], float) - np.asarray(f["new_after_decay"], float)
    return _mean(diff.tolist()) or ONE_SEED


NOT_IN_EVIDENCE = Undefined(
    "not in this evidence: the row holds no control improvements (the search was stored "
    "before compact_run recorded them); re-make the search to decide it",
    missing=True,
)


def _paired_ratio_difference(
    first: tuple[Sequence[float], Sequence[float]],
    second: tuple[Sequence[float], Sequence[float]],
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


def slow_minus_fast(row: Run, fraction: float, sweep: int) -> Measured:
    """Sec. 6: the transfer ratio (unretrained / retrained mean improvement after ``sweep``
    retraining sweeps) with the retraining in the slow weights (the control) minus that
    with fast weights, paired over the same seeds; :data:`NOT_IN_EVIDENCE` for a row that
    does not hold the control's improvements."""
    f = row["fractions"][_key(fraction)]
    suffix = "" if sweep == EARLY_SWEEP else f"_{sweep}"
    control = (f"control_unretrained_gain{suffix}", f"control_retrained_gain{suffix}")
    if any(k not in f for k in control):
        return NOT_IN_EVIDENCE
    fast = (f[f"unretrained_gain{suffix}"], f[f"retrained_gain{suffix}"])
    return _paired_ratio_difference((f[control[0]], f[control[1]]), fast)


@dataclass(frozen=True)
class PartSpec:
    """One part of a Sec. 4 claim: its quantity at a reading, its threshold and side."""

    claim: str
    label: str
    measure: Callable[[Run], Measured]
    threshold: float
    above: bool
    needs_intact: bool = True


def _parts() -> tuple[PartSpec, ...]:
    t = THRESHOLDS
    parts = [
        PartSpec(
            "deblur-original-learning",
            "associations learned",
            _learned,
            t["learned_fraction"],
            True,
            needs_intact=False,
        ),
        PartSpec(
            "deblur-original-learning",
            "fast weights near zero",
            _fast_to_slow,
            t["fast_to_slow_rms"],
            False,
            needs_intact=False,
        ),
    ]
    per_fraction = (  # claim, quantity, threshold, claimed side
        ("deblur-transfer", _transfer, "nearly_as_much", True),
        ("deblur-new-return", _damage, "damage_remaining", False),
        ("deblur-control", _control, "control_minus_fast", True),
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


def claim_outcomes(row: Run) -> dict[str, ClaimAtReading]:
    """Every Sec. 4 claim at the reading whose compact run is ``row``."""
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
