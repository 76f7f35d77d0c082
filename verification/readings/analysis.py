"""Verdicts of the Sec. 4 claims from a search over the box of readings.

Input: the compact run at the defaults, the search's rows (one per reading) and the
re-runs (the candidate readings again, on more and fresh seeds). Output: per claim, where
in the box it holds (the share of counted readings whose estimate is on the claimed side,
overall and along every dimension), the best and worst readings with their re-runs, and
its verdict (:func:`verification.verdict.decide_readings`); and the joint answer: is
there one reading under which all the claims hold together, and if not, which conflict.

A reading *counts* for a claim when the claim can be judged there: for the claims about
retraining, deblurring and the control, only where the original learning is intact
(:func:`verification.readings.measure.intact`); for the original-learning claim, always.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from foundation.errors import ParameterError

from ..engine.model import Simulated
from ..verdict import Outcome, ReadingsEvidence, combine, decide_readings
from .box import BOX, Dimension, against_text, jsonable, reading_key, value_text
from .design import reading_label
from .measure import CLAIMS, SEC4_CLAIMS, ClaimAtReading, PartSpec, claim_outcomes, intact

__all__ = [
    "BoxVerdict",
    "DimensionShare",
    "JointAnswer",
    "Margin",
    "MeasuredReading",
    "PartMargin",
    "Push",
    "ReadingsAnalysis",
    "analyse",
    "brief",
    "canonical_order",
    "margin_text",
    "measured",
    "part_margins",
    "select_reruns",
]

DEPENDENCE_P = 0.001
"""A dimension is named as one the claim depends on when a test of independence between
its levels (or bins) and whether the claim holds (Fisher's exact test for two levels, a
chi-square test for more) gives p below this (11 dimensions
are tested per claim; at 0.001 each, a false name has a chance of about 1 %)."""

BINS = 3
"""Continuous dimensions are cut into this many equal bins (in log where sampled so)."""

PUSHES = 3
"""At most this many dimensions are named as pushing a part's quantity toward its
threshold (those whose rank correlation with it has p below :data:`DEPENDENCE_P`)."""


@dataclass(frozen=True)
class MeasuredReading:
    """One reading (box values), its compact run, and every claim measured there."""

    reading: Mapping[str, Any]
    row: Mapping[str, Any]
    claims: Mapping[str, ClaimAtReading]

    @property
    def label(self) -> str:
        return reading_label(self.reading)

    @property
    def intact(self) -> bool:
        return intact(self.row)

    @property
    def seeds(self) -> int:
        return int(self.row["seeds"])

    def joint_margin(self) -> float:
        """The smallest standardized margin over the four Sec. 4 claims (``-inf`` if one
        does not count or is undefined here)."""
        claims = [self.claims[c] for c in SEC4_CLAIMS]
        margins = [c.margin for c in claims]
        if not all(c.counted for c in claims) or any(math.isnan(m) for m in margins):
            return -math.inf
        return min(margins)


def measured(reading: Mapping[str, Any], row: Mapping[str, Any]) -> MeasuredReading:
    """Measure every claim at one reading."""
    return MeasuredReading(dict(reading), row, claim_outcomes(row))


def canonical_order(readings: Sequence[MeasuredReading]) -> list[MeasuredReading]:
    """``readings`` sorted by their box values (:func:`reading_key`), then seeds: the order in
    which ties are broken everywhere. A stage's rows are stored in the order its points
    finished, which on several workers differs from run to run; a choice among equal
    margins (e.g. the readings where retraining made the retrained associations worse,
    all equally least favourable) must not follow it."""
    return sorted(readings, key=lambda m: (reading_key(m.reading), m.seeds))


def best_and_worst(
    claim: str, readings: Sequence[MeasuredReading]
) -> tuple[MeasuredReading | None, MeasuredReading | None]:
    """The counted readings with the largest and the smallest margin for ``claim`` (ties:
    the first in :func:`canonical_order`; readings where a part is undefined are left out),
    or None."""
    ranked = [
        m
        for m in canonical_order(readings)
        if m.claims[claim].counted and not math.isnan(m.claims[claim].margin)
    ]
    best = max(ranked, key=lambda m: m.claims[claim].margin, default=None)
    worst = min(ranked, key=lambda m: m.claims[claim].margin, default=None)
    return best, worst


def select_reruns(search: Sequence[MeasuredReading], near: int = 2) -> list[Mapping[str, Any]]:
    """The readings to re-run on more seeds: per claim the best and the worst counted
    reading (by standardized margin) and up to ``near`` undecided ones closest to the
    threshold; and the best joint reading. Distinct readings, in a fixed order, whatever
    the order of ``search`` (ties broken by :func:`canonical_order`)."""
    search = canonical_order(search)
    chosen: dict[str, Mapping[str, Any]] = {}

    def add(m: MeasuredReading) -> None:
        chosen.setdefault(reading_key(m.reading), m.reading)

    for claim in CLAIMS:
        counted = [m for m in search if m.claims[claim].counted]
        best, worst = best_and_worst(claim, search)
        for m in (best, worst):
            if m is not None:
                add(m)
        undecided = [m for m in counted if m.claims[claim].outcome.verdict == "inconclusive"]
        undecided.sort(key=lambda m: abs(m.claims[claim].margin))
        for m in undecided[:near]:
            add(m)
    joint = [m for m in search if math.isfinite(m.joint_margin())]
    if joint:
        add(max(joint, key=MeasuredReading.joint_margin))
    return list(chosen.values())


@dataclass(frozen=True)
class DimensionShare:
    """The share of counted readings where a claim holds, per level (or bin) of one
    dimension: ``levels`` are labels, ``holds`` and ``counted`` the counts."""

    dimension: str
    symbol: str
    levels: tuple[str, ...]
    holds: tuple[int, ...]
    counted: tuple[int, ...]

    @property
    def shares(self) -> tuple[float | None, ...]:
        return tuple(h / c if c else None for h, c in zip(self.holds, self.counted, strict=True))

    @property
    def p_value(self) -> float:
        """Chi-square test of independence of level and holding (1.0 when untestable:
        fewer than two levels with readings, or the claim holds everywhere or nowhere)."""
        from scipy.stats import chi2_contingency, fisher_exact

        cells = [(h, c - h) for h, c in zip(self.holds, self.counted, strict=True) if c]
        if len(cells) < 2 or sum(h for h, _ in cells) in (0, sum(h + f for h, f in cells)):
            return 1.0
        if len(cells) == 2:  # two levels: Fisher's exact test
            return float(fisher_exact(np.array(cells)).pvalue)
        return float(chi2_contingency(np.array(cells, dtype=float)).pvalue)


def _bins(dim: Dimension) -> list[tuple[str, float, float]]:
    assert dim.low is not None and dim.high is not None
    if dim.log:
        edges = [dim.low * (dim.high / dim.low) ** (i / BINS) for i in range(BINS + 1)]
    else:
        edges = [dim.low + (dim.high - dim.low) * i / BINS for i in range(BINS + 1)]
    return [(f"{lo:.3g}-{hi:.3g}", lo, hi) for lo, hi in itertools.pairwise(edges)]


def dimension_shares(
    claim: str, readings: Sequence[MeasuredReading], box: Sequence[Dimension] = BOX
) -> list[DimensionShare]:
    """Per dimension of the box, the share of counted readings where ``claim`` holds."""
    counted = [m for m in readings if m.claims[claim].counted]
    out = []
    for dim in box:
        if dim.categorical:
            levels = [(value_text(v), v) for v in dim.values]

            def member(m: MeasuredReading, level: Any, d: Dimension = dim) -> bool:
                value = m.reading.get(d.name, d.default)
                value = tuple(value) if isinstance(value, list) else value
                return bool(value == level)

            groups = [[m for m in counted if member(m, v)] for _, v in levels]
            labels = [t for t, _ in levels]
        else:
            bins = _bins(dim)
            last = len(bins) - 1
            groups = [
                [
                    m
                    for m in counted
                    if lo <= float(m.reading.get(dim.name, dim.default)) < hi
                    or (i == last and float(m.reading.get(dim.name, dim.default)) == hi)
                ]
                for i, (_, lo, hi) in enumerate(bins)
            ]
            labels = [b[0] for b in bins]
        out.append(
            DimensionShare(
                dim.name,
                dim.symbol,
                tuple(labels),
                tuple(sum(m.claims[claim].holds for m in g) for g in groups),
                tuple(len(g) for g in groups),
            )
        )
    return out


@dataclass(frozen=True)
class Push:
    """A dimension whose value moves a part's quantity toward the claimed side over the
    search's counted readings: Spearman's ρ between the value (its log where sampled so; a
    level's index) and the estimate signed toward the claimed side, and its p-value."""

    dimension: str
    toward: str
    rho: float
    p_value: float

    def text(self) -> str:
        return f"{self.toward} (ρ = {self.rho:+.2f})"


@dataclass(frozen=True)
class PartMargin:
    """How close a part came to its claimed side anywhere in the evidence (the defaults'
    run, the search and the re-runs; counted readings only).

    ``best``: the run whose decision interval reaches furthest onto the claimed side at its
    adverse end (the largest lower end for a claim 'above', the smallest upper end for
    'below'): the best value the evidence establishes. ``highest``: the run with the best
    point estimate, when another (a small run's estimate may lie there by chance).
    ``pushes``: the dimensions that move the quantity toward the claimed side."""

    spec: PartSpec
    best: MeasuredReading | None
    best_value: Simulated | None
    highest: MeasuredReading | None
    highest_value: Simulated | None
    pushes: tuple[Push, ...]

    def as_dict(self) -> dict[str, Any]:
        def run(m: MeasuredReading | None, v: Simulated | None) -> dict[str, Any] | None:
            if m is None or v is None:
                return None
            return {
                "label": m.label,
                "reading": jsonable(m.reading),
                "seeds": m.seeds,
                "simulated": v.as_dict(),
            }

        return {
            "label": self.spec.label,
            "threshold": self.spec.threshold,
            "claimed_side": "above" if self.spec.above else "below",
            "best": run(self.best, self.best_value),
            "highest": run(self.highest, self.highest_value),
            "pushes": [
                {"dimension": p.dimension, "toward": p.toward, "rho": p.rho, "p_value": p.p_value}
                for p in self.pushes
            ],
        }


Margin = tuple[PartMargin, ...]
"""A claim's margin: one :class:`PartMargin` per part."""


def _part_value(m: MeasuredReading, claim: str, index: int) -> Simulated | None:
    return m.claims[claim].parts[index].simulated if m.claims[claim].counted else None


def _pushes(
    claim: str, index: int, search: Sequence[MeasuredReading], box: Sequence[Dimension] = BOX
) -> tuple[Push, ...]:
    """The dimensions whose value moves part ``index``'s estimate toward the claimed side
    (Spearman, p < :data:`DEPENDENCE_P`, at most :data:`PUSHES`, smallest p first)."""
    from scipy.stats import spearmanr

    points = [(m, _part_value(m, claim, index)) for m in search]
    defined = [(m, v) for m, v in points if v is not None]
    if len(defined) < 4:
        return ()
    above = defined[0][0].claims[claim].parts[index].spec.above
    y = np.array([v.estimate if above else -v.estimate for _, v in defined])
    if np.ptp(y) == 0.0:
        return ()
    found = []
    for dim in box:
        values = [_as_level(m.reading.get(dim.name, dim.default)) for m, _ in defined]
        if dim.categorical:
            x = np.array([dim.values.index(v) if v in dim.values else -1 for v in values], float)
        else:
            x = np.array([math.log(float(v)) if dim.log else float(v) for v in values])
        if np.ptp(x) == 0.0:
            continue
        result = spearmanr(x, y)
        rho, p = float(result.statistic), float(result.pvalue)
        if not math.isfinite(p) or p >= DEPENDENCE_P:
            continue
        if dim.categorical:
            means = [
                (float(y[x == i].mean()), v) for i, v in enumerate(dim.values) if (x == i).any()
            ]
            toward = f"{dim.name} = {value_text(max(means, key=lambda t: t[0])[1])}"
            rho = abs(rho)  # a level's index has no direction: the level named has it
        else:
            toward = f"{'higher' if rho > 0 else 'lower'} {dim.name}"
        found.append(Push(dim.name, toward, rho, p))
    found.sort(key=lambda f: f.p_value)
    return tuple(found[:PUSHES])


def _as_level(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def part_margins(
    claim: str,
    defaults: MeasuredReading,
    search: Sequence[MeasuredReading],
    reruns: Sequence[MeasuredReading],
) -> Margin:
    """Every part's margin (:class:`PartMargin`) over all the evidence."""
    runs = [defaults, *search, *reruns]
    out = []
    for index, spec in enumerate(defaults.claims[claim].parts):
        s = spec.spec
        values = [(m, v) for m in runs if (v := _part_value(m, claim, index)) is not None]

        def adverse(item: tuple[MeasuredReading, Simulated], above: bool = s.above) -> float:
            return item[1].ci_low if above else -item[1].ci_high

        def point(item: tuple[MeasuredReading, Simulated], above: bool = s.above) -> float:
            return item[1].estimate if above else -item[1].estimate

        best = max(values, key=adverse, default=None)
        highest = max(values, key=point, default=None)
        if highest is not None and best is not None and highest[0] is best[0]:
            highest = None
        out.append(
            PartMargin(
                s,
                None if best is None else best[0],
                None if best is None else best[1],
                None if highest is None else highest[0],
                None if highest is None else highest[1],
                _pushes(claim, index, search),
            )
        )
    return tuple(out)


def margin_text(margin: Margin) -> str:
    """``Margin: 10% retrained: best 0.69 [0.67, 0.72] (160 seeds, <reading>) against the
    threshold > 0.8 ...; pushed toward it by higher init_scale (ρ = +0.45)``."""
    texts = []
    for pm in margin:
        side = ">" if pm.spec.above else "<"
        if pm.best is None or pm.best_value is None:
            texts.append(f"{pm.spec.label}: no value at any counted reading")
            continue
        v = pm.best_value
        text = (
            f"{pm.spec.label}: best {_number(v.estimate)} [{_number(v.ci_low)}, "
            f"{_number(v.ci_high)}] ({pm.best.seeds} seeds, {pm.best.label}) against the "
            f"threshold {side} {pm.spec.threshold:g}"
        )
        if pm.highest is not None and pm.highest_value is not None:
            h = pm.highest_value
            text += (
                f"; highest estimate {_number(h.estimate)} [{_number(h.ci_low)}, "
                f"{_number(h.ci_high)}] ({pm.highest.seeds} seeds, {pm.highest.label})"
            )
        pushes = ", ".join(p.text() for p in pm.pushes) or "no dimension stands out"
        texts.append(f"{text}; pushed toward it by: {pushes}")
    return "Margin (decision intervals): " + " | ".join(texts) + "."


@dataclass(frozen=True)
class BoxVerdict:
    """One claim judged over the box."""

    claim: str
    defaults: ClaimAtReading
    counted: int
    holds: int
    share: Simulated | None
    verdict_counts: Mapping[str, int]
    best: MeasuredReading | None
    best_rerun: MeasuredReading | None
    worst: MeasuredReading | None
    worst_rerun: MeasuredReading | None
    dimensions: tuple[DimensionShare, ...]
    depends_on: tuple[str, ...]
    outcome: Outcome
    margin: Margin = ()
    missing: int = 0

    @property
    def verdict(self) -> str:
        return self.outcome.verdict

    def as_dict(self) -> dict[str, Any]:
        def reading(m: MeasuredReading | None) -> dict[str, Any] | None:
            if m is None:
                return None
            c = m.claims[self.claim]
            return {
                "label": m.label,
                "reading": jsonable(m.reading),
                "seeds": m.seeds,
                "intact": m.intact,
                "against_text": against_text(m.reading),
                "verdict": c.outcome.verdict,
                "reason": c.outcome.reason,
                "fig2": _curves(m.row),
                "parts": [
                    {
                        "label": p.spec.label,
                        "threshold": p.spec.threshold,
                        "claimed_side": "above" if p.spec.above else "below",
                        "simulated": None if p.simulated is None else p.simulated.as_dict(),
                        "verdict": p.outcome.verdict,
                    }
                    for p in c.parts
                ],
            }

        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "reason": self.outcome.reason,
            "holds_at_defaults": self.defaults.outcome.verdict,
            "counted_readings": self.counted,
            "readings_where_it_holds": self.holds,
            "share": None if self.share is None else self.share.as_dict(),
            "verdicts_at_readings": dict(self.verdict_counts),
            "best": reading(self.best),
            "best_rerun": reading(self.best_rerun),
            "worst": reading(self.worst),
            "worst_rerun": reading(self.worst_rerun),
            "depends_on": list(self.depends_on),
            "margin": [m.as_dict() for m in self.margin],
            "margin_text": margin_text(self.margin) if self.margin else "",
            "rows_without_its_numbers": self.missing,
            "dimensions": [
                {
                    "dimension": d.dimension,
                    "symbol": d.symbol,
                    "levels": list(d.levels),
                    "holds": list(d.holds),
                    "counted": list(d.counted),
                }
                for d in self.dimensions
            ],
        }


def _curves(row: Mapping[str, Any]) -> dict[str, Any]:
    """Fig. 2 at a reading: mean retrained and unretrained error per sweep, per fraction."""
    return {
        key: {
            "retrained": f.get("retrained_curve"),
            "unretrained": f.get("unretrained_curve"),
        }
        for key, f in row["fractions"].items()
    }


@dataclass(frozen=True)
class JointAnswer:
    """Is there one reading under which every Sec. 4 claim holds?"""

    best: MeasuredReading | None
    best_rerun: MeasuredReading | None
    outcome: Outcome
    together: Mapping[tuple[str, str], int] = field(default_factory=dict)
    alone: Mapping[str, int] = field(default_factory=dict)
    conflicts: tuple[tuple[str, str], ...] = ()
    intact_readings: int = 0
    all_hold: int = 0

    def as_dict(self) -> dict[str, Any]:
        def reading(m: MeasuredReading | None) -> dict[str, Any] | None:
            if m is None:
                return None
            return {
                "label": m.label,
                "reading": jsonable(m.reading),
                "seeds": m.seeds,
                "against_text": against_text(m.reading),
                "claims": {c: m.claims[c].outcome.verdict for c in SEC4_CLAIMS},
                "fig2": _curves(m.row),
            }

        return {
            "verdict": self.outcome.verdict,
            "reason": self.outcome.reason,
            "intact_readings": self.intact_readings,
            "readings_where_all_hold": self.all_hold,
            "best": reading(self.best),
            "best_rerun": reading(self.best_rerun),
            "holds_alone": dict(self.alone),
            "hold_together": {f"{a} & {b}": n for (a, b), n in self.together.items()},
            "conflicts": [list(c) for c in self.conflicts],
        }


@dataclass(frozen=True)
class ReadingsAnalysis:
    """The whole answer of a search: per claim, and jointly."""

    claims: Mapping[str, BoxVerdict]
    joint: JointAnswer
    readings: int
    seeds: int
    rerun_seeds: int
    source: str
    confirm_seeds: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "readings": self.readings,
            "seeds_per_reading": self.seeds,
            "rerun_seeds": self.rerun_seeds,
            "confirm_seeds": self.confirm_seeds,
            "claims": {c: v.as_dict() for c, v in self.claims.items()},
            "joint": self.joint.as_dict(),
        }


def _find(reruns: Sequence[MeasuredReading], m: MeasuredReading | None) -> MeasuredReading | None:
    if m is None:
        return None
    key = reading_key(m.reading)
    runs = [r for r in reruns if reading_key(r.reading) == key]
    return max(runs, key=lambda r: r.seeds, default=None)  # the largest re-run decides


def _box_verdict(
    claim: str,
    defaults: MeasuredReading,
    search: Sequence[MeasuredReading],
    reruns: Sequence[MeasuredReading],
) -> BoxVerdict:
    counted = [m for m in search if m.claims[claim].counted]
    holds = sum(m.claims[claim].holds for m in counted)
    counts = {v: 0 for v in ("reproduced", "refuted", "inconclusive")}
    for m in counted:
        counts[m.claims[claim].outcome.verdict] = counts.get(m.claims[claim].outcome.verdict, 0) + 1
    best, worst = best_and_worst(claim, search)
    best_rerun, worst_rerun = _find(reruns, best), _find(reruns, worst)
    dims = dimension_shares(claim, search)
    named = sorted((d for d in dims if d.p_value < DEPENDENCE_P), key=lambda d: d.p_value)
    depends = tuple(d.dimension for d in named[:3])
    share = Simulated.from_count(holds, len(counted)) if counted else None
    summary = (
        f"Search: {len(search)} readings, {len(counted)} counted; the estimate is on the claimed "
        f"side at {holds} of them"
        + (
            f" ({share.estimate:.0%}, 95% interval {share.ci95_low:.0%}-{share.ci95_high:.0%})."
            if share
            else "."
        )
    )

    def rerun_outcome(m: MeasuredReading | None) -> Outcome | None:
        return None if m is None else m.claims[claim].outcome

    evidence = ReadingsEvidence(
        defaults=defaults.claims[claim].outcome,
        best=rerun_outcome(best_rerun),
        worst=rerun_outcome(worst_rerun),
        best_label=_with_text(best_rerun),
        worst_label=_with_text(worst_rerun),
        depends_on=depends,
        summary=summary,
        defaults_text=brief(defaults.claims[claim]),
        best_text="" if best_rerun is None else brief(best_rerun.claims[claim]),
        worst_text="" if worst_rerun is None else brief(worst_rerun.claims[claim]),
    )
    outcome = decide_readings(evidence)
    margin = part_margins(claim, defaults, search, reruns)
    missing = sum(m.claims[claim].missing for m in (defaults, *search, *reruns))
    if missing:  # never decide from the rows that hold its numbers alone, never pass
        outcome = Outcome(
            "inconclusive",
            f"Not in this evidence: {missing} of the {1 + len(search) + len(reruns)} runs "
            "(defaults, search, re-runs) hold no numbers for it (stored before they were "
            "recorded); re-make the search to decide it. Defaults: "
            f"{brief(defaults.claims[claim])}.",
        )
    else:
        outcome = replace(outcome, reason=f"{outcome.reason} {margin_text(margin)}")
    return BoxVerdict(
        claim,
        defaults.claims[claim],
        len(counted),
        holds,
        share,
        counts,
        best,
        best_rerun,
        worst,
        worst_rerun,
        tuple(dims),
        depends,
        outcome,
        margin,
        missing,
    )


def _number(x: float) -> str:
    return f"{x:.3g}"


def brief(at: ClaimAtReading) -> str:
    """The claim's parts at a reading in one line: ``10% retrained 0.48 [0.42, 0.55]
    (> 0.8): refuted; ...`` (the decision interval)."""
    texts = []
    for p in at.parts:
        side = ">" if p.spec.above else "<"
        sim = p.simulated
        value = (
            "no interval (nothing moved)"
            if sim is None
            else f"{_number(sim.estimate)} [{_number(sim.ci_low)}, {_number(sim.ci_high)}]"
        )
        texts.append(f"{p.spec.label} {value} ({side} {p.spec.threshold:g}): {p.outcome.verdict}")
    return "; ".join(texts)


def _with_text(m: MeasuredReading | None) -> str:
    if m is None:
        return ""
    against = against_text(m.reading)
    note = f"; against the paper's text in {', '.join(against)}" if against else ""
    return f"{m.label}, {m.seeds} seeds{note}"


def _joint(search: Sequence[MeasuredReading], reruns: Sequence[MeasuredReading]) -> JointAnswer:
    """Do the four Sec. 4 claims hold together at one reading? (Sec. 6's claim is not part
    of the question: it is about the control, not about the paper's Sec. 4 network.)"""
    usable = [m for m in search if all(m.claims[c].counted for c in SEC4_CLAIMS)]
    alone = {c: sum(m.claims[c].holds for m in usable) for c in SEC4_CLAIMS}
    together = {
        (a, b): sum(m.claims[a].holds and m.claims[b].holds for m in usable)
        for a, b in itertools.combinations(SEC4_CLAIMS, 2)
    }
    conflicts = tuple(
        (a, b) for (a, b), n in together.items() if n == 0 and alone[a] > 0 and alone[b] > 0
    )
    all_hold = sum(all(m.claims[c].holds for c in SEC4_CLAIMS) for m in usable)
    best = max(usable, key=MeasuredReading.joint_margin, default=None)
    rerun = _find(reruns, best)
    if rerun is None:
        outcome = Outcome("inconclusive", "No reading whose original learning is intact.")
    else:
        combined = combine([rerun.claims[c].outcome for c in SEC4_CLAIMS], list(SEC4_CLAIMS))
        held = [c for c in SEC4_CLAIMS if rerun.claims[c].outcome.verdict == "reproduced"]
        failed = [c for c in SEC4_CLAIMS if rerun.claims[c].outcome.verdict == "refuted"]
        if combined.verdict == "reproduced":
            lead = f"Yes: every Sec. 4 claim holds together at {_with_text(rerun)}."
        elif failed:
            lead = (
                f"No reading found where all hold: the best joint reading ({_with_text(rerun)}) "
                f"reproduces {', '.join(held) or 'none'} and refutes {', '.join(failed)}."
            )
        else:
            lead = f"Undecided at the best joint reading ({_with_text(rerun)})."
        clash = (
            " Never on the claimed side together in the search: "
            + "; ".join(f"{a} and {b}" for a, b in conflicts)
            + "."
            if conflicts
            else ""
        )
        outcome = Outcome(
            combined.verdict,
            f"{lead} All claims' estimates on the claimed side at {all_hold} of "
            f"{len(usable)} intact readings.{clash}",
        )
    return JointAnswer(best, rerun, outcome, together, alone, conflicts, len(usable), all_hold)


def analyse(
    defaults: MeasuredReading,
    search: Sequence[MeasuredReading],
    reruns: Sequence[MeasuredReading],
    source: str,
) -> ReadingsAnalysis:
    """Every Sec. 4 claim judged over the box, and the joint answer.

    No verdict rests on zero readings: an empty ``search`` is refused in one line
    (:class:`~foundation.errors.ParameterError`).
    """
    if not search:
        raise ParameterError(
            "readings", "at least one reading of the box (no verdict rests on 0 readings)",
            f"0 readings in {source}",
        )  # fmt: skip
    search, reruns = canonical_order(search), canonical_order(reruns)
    claims = {c: _box_verdict(c, defaults, search, reruns) for c in CLAIMS}
    seeds = max((m.seeds for m in search), default=0)
    rerun_seeds = min((m.seeds for m in reruns), default=0)
    confirm_seeds = max((m.seeds for m in reruns), default=0)
    return ReadingsAnalysis(
        claims, _joint(search, reruns), len(search), seeds, rerun_seeds, source,
        confirm_seeds if confirm_seeds > rerun_seeds else 0,
    )  # fmt: skip
