"""The claim data model: a claim of Hinton & Plaut (1987), its parts, and their numbers.

A :class:`Claim` is what the registry produces for one of the paper's claims: where it is
(``section``), the paper's own words (``statement``), the quantity it is about, the
derivations behind the exact value (names for ``theory.derivation``), the simulation set-up,
and one or more :class:`Part` s (e.g. one per radius r), each with the paper's value, the
exact value, the simulated value with its intervals, and its :class:`~verification.verdict.
Outcome`. The claim's verdict combines its parts (:func:`verification.verdict.combine`).

Intervals: every simulated value carries its **decision interval** (level
:data:`DECISION_LEVEL`, used by the verdicts) and the 95% interval (shown in the report).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulation.estimate import Estimate, from_standard_error, proportion_estimate

from ..verdict import (
    Alternative,
    Outcome,
    SensitivityOutcome,
    combine,
    decide_sensitivity,
    decide_threshold,
    decide_value,
)
from .provenance import Provenance

__all__ = [
    "DECISION_LEVEL",
    "DISPLAY_LEVEL",
    "AlternativeResult",
    "Claim",
    "Part",
    "Reading",
    "SensitivityPoint",
    "Simulated",
    "claim_seed",
    "sensitive_threshold_part",
    "threshold_part",
    "value_part",
]

DECISION_LEVEL = 0.999
"""Confidence level of the intervals the verdicts use.

A ``fastweights verify`` run compares an exact value with its simulated interval in 31
parts (35 comparisons with the 4 alternative quantities; the same with ``--quick``); at
99.9% each, the chance of any false alarm in a run is at most about 3.5% (Bonferroni),
where 99% each would raise one in nearly a third of all runs."""

DISPLAY_LEVEL = 0.95
"""The level of the second interval shown in the tables and the report."""


@dataclass(frozen=True)
class Simulated:
    """A simulated value with its decision interval and its 95% interval.

    Attributes:
        estimate: the point estimate.
        ci_low, ci_high: the interval at ``level`` (:data:`DECISION_LEVEL`).
        level: the decision level.
        ci95_low, ci95_high: the interval at 95%.
        trials: number of simulated trials (or seeds) behind it.
        se: its standard error (for a Wilson proportion the score interval's at the
            decision level), for differences and other functions of estimates; None for an
            exact binomial proportion. Not part of :meth:`as_dict`.
    """

    estimate: float
    ci_low: float
    ci_high: float
    level: float
    ci95_low: float
    ci95_high: float
    trials: int
    se: float | None = field(default=None, compare=False)

    @classmethod
    def from_estimate(cls, estimate: Estimate) -> Simulated:
        """From a ``simulation.Estimate``: both intervals made by ``estimate.ci`` at
        :data:`DECISION_LEVEL` and :data:`DISPLAY_LEVEL`; ``trials`` is ``estimate.n``."""
        if estimate.n is None:
            raise ValueError("estimate: expected an Estimate that knows its sample size n")
        d_lo, d_hi = estimate.ci(DECISION_LEVEL)
        s_lo, s_hi = estimate.ci(DISPLAY_LEVEL)
        exact = estimate.method == "clopper-pearson"
        se = None if exact else estimate.standard_error(DECISION_LEVEL)
        return cls(float(estimate.estimate), d_lo, d_hi, DECISION_LEVEL, s_lo, s_hi, estimate.n, se)

    @classmethod
    def from_count(cls, successes: int, trials: int) -> Simulated:
        """A proportion ``successes / trials`` with Clopper-Pearson (exact binomial) intervals.

        Exact at the boundaries: 0 successes give a lower end of exactly 0, ``trials``
        successes an upper end of exactly 1.
        """
        return cls.from_estimate(
            proportion_estimate(successes, trials, DECISION_LEVEL, "clopper-pearson")
        )

    @classmethod
    def from_standard_error(cls, estimate: float, se: float, trials: int) -> Simulated:
        """``estimate ± z se`` at both levels (a normal interval, e.g. of a function of
        independent estimates by the delta method)."""
        return cls.from_estimate(from_standard_error(estimate, se, trials, DECISION_LEVEL))

    @classmethod
    def difference(cls, first: Simulated, second: Simulated) -> Simulated:
        """``first - second`` for two independent normal-interval estimates (se's add)."""
        if first.se is None or second.se is None:
            raise ValueError("difference: expected two estimates with a standard error")
        return cls.from_standard_error(
            first.estimate - second.estimate,
            math.hypot(first.se, second.se),
            min(first.trials, second.trials),
        )

    @property
    def half_width(self) -> float:
        """Half the decision interval's width."""
        return (self.ci_high - self.ci_low) / 2

    def as_dict(self) -> dict[str, float | int]:
        return {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "level": self.level,
            "ci95_low": self.ci95_low,
            "ci95_high": self.ci95_high,
            "trials": self.trials,
        }


@dataclass(frozen=True)
class AlternativeResult:
    """An alternative quantity the paper's value may be exact for, with its own simulation."""

    name: str
    exact_value: float
    simulated: Simulated

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "exact_value": self.exact_value,
            "simulated": self.simulated.as_dict(),
        }


@dataclass(frozen=True)
class Reading:
    """A measured part's numbers at one reading of the parameters the paper leaves unstated.

    Attributes:
        label: the reading, e.g. ``"defaults"`` or ``"fast_epsilon = 0.005"``.
        parameters: the parameters changed from the defaults (``{}`` for the defaults).
        intact: the original learning worked at this reading (the claim family's
            documented criterion); only intact readings count for the claims about
            retraining.
        simulated: the part's quantity, or None when it has no interval at this reading.
        measures: other numbers behind ``intact`` (JSON-able), e.g. the wrong outputs.
        note: why ``simulated`` is None (e.g. "nothing changed: the ratio is undefined").
    """

    label: str
    parameters: Mapping[str, Any]
    intact: bool
    simulated: Simulated | None
    measures: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class SensitivityPoint:
    """A :class:`Reading` with the part's verdict at that reading alone."""

    reading: Reading
    outcome: Outcome

    def as_dict(self) -> dict[str, Any]:
        r = self.reading
        return {
            "label": r.label,
            "parameters": dict(r.parameters),
            "intact": r.intact,
            "simulated": None if r.simulated is None else r.simulated.as_dict(),
            "verdict": self.outcome.verdict,
            "reason": self.outcome.reason,
            "measures": dict(r.measures),
        }


@dataclass(frozen=True)
class Part:
    """One evaluation of a claim (a parameter setting), with its outcome.

    Attributes:
        label: what distinguishes this part, e.g. ``"n = 10"``, ``"r = 0.01"``.
        quantity: the quantity the numbers are values of.
        kind: ``"value"`` (paper's value vs exact) or ``"threshold"`` (a yes/no claim).
        paper_value: the paper's value (value parts), or None.
        exact_value: the exact theory value, or None (measured claims).
        simulated: the simulated value, or None when the claim has no simulation.
        resolution: the largest informative half-width (value parts).
        threshold, above: the yes/no claim "quantity > threshold" (or < when not above).
        alternatives: other quantities the paper's value may be exact for.
        parameters: the part's parameters (JSON-able).
        outcome: the verdict and its reason.
        sensitivity: the part at other readings of the parameters the paper does not state
            (Sec. 4; the defaults first), each with its own verdict; empty elsewhere.
        provenance: the command that reproduces ``simulated`` and the hash of its evidence
            (:mod:`verification.engine.provenance`); None only without a simulated value.
    """

    label: str
    quantity: str
    kind: str
    paper_value: float | None
    exact_value: float | None
    simulated: Simulated | None
    outcome: Outcome
    resolution: float | None = None
    threshold: float | None = None
    above: bool | None = None
    alternatives: tuple[AlternativeResult, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    sensitivity: tuple[SensitivityPoint, ...] = ()
    provenance: Provenance | None = None

    def as_dict(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "label": self.label,
            "quantity": self.quantity,
            "kind": self.kind,
            "paper_value": self.paper_value,
            "exact_value": self.exact_value,
            "simulated": None if self.simulated is None else self.simulated.as_dict(),
            "resolution": self.resolution,
            "threshold": self.threshold,
            "claimed_side": None if self.above is None else ("above" if self.above else "below"),
            "verdict": o.verdict,
            "reason": o.reason,
            "gap": o.gap,
            "relative_gap": o.relative_gap,
            "theory_simulation_disagree": o.theory_simulation_disagree,
            "alternative_quantity": o.alternative,
            "alternative_value": o.alternative_value,
            "alternatives": [a.as_dict() for a in self.alternatives],
            "parameters": dict(self.parameters),
            "sensitivity": [p.as_dict() for p in self.sensitivity],
            "provenance": None if self.provenance is None else self.provenance.as_dict(),
        }


def value_part(
    label: str,
    quantity: str,
    paper: float,
    exact: float,
    simulated: Simulated,
    resolution: float,
    alternatives: Sequence[AlternativeResult] = (),
    symbolically_equal: bool | None = None,
    parameters: Mapping[str, Any] | None = None,
    exact_simulated: float | None = None,
) -> Part:
    """A value part, its outcome computed by :func:`verification.verdict.decide_value`.

    For a claim about a limit, ``exact`` is the limit and ``exact_simulated`` the exact value
    at the finite point that was simulated (stored in ``parameters`` as well).
    """
    outcome = decide_value(
        paper=float(paper),
        exact=float(exact),
        low=simulated.ci_low,
        high=simulated.ci_high,
        resolution=resolution,
        alternatives=[
            Alternative(a.name, a.exact_value, a.simulated.ci_low, a.simulated.ci_high)
            for a in alternatives
        ],
        symbolically_equal=symbolically_equal,
        exact_simulated=None if exact_simulated is None else float(exact_simulated),
    )
    parameters = dict(parameters or {})
    if exact_simulated is not None:
        parameters["exact_value_at_simulated_point"] = float(exact_simulated)
    return Part(
        label=label,
        quantity=quantity,
        kind="value",
        paper_value=float(paper),
        exact_value=float(exact),
        simulated=simulated,
        outcome=outcome,
        resolution=resolution,
        alternatives=tuple(alternatives),
        parameters=parameters,
    )


def threshold_part(
    label: str,
    quantity: str,
    simulated: Simulated,
    threshold: float,
    above: bool,
    exact: float | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Part:
    """A yes/no part, its outcome computed by :func:`verification.verdict.decide_threshold`."""
    outcome = decide_threshold(
        simulated.ci_low,
        simulated.ci_high,
        threshold,
        above,
        exact=None if exact is None else float(exact),
    )
    return Part(
        label=label,
        quantity=quantity,
        kind="threshold",
        paper_value=None,
        exact_value=None if exact is None else float(exact),
        simulated=simulated,
        outcome=outcome,
        threshold=threshold,
        above=above,
        parameters=dict(parameters or {}),
    )


def sensitive_threshold_part(
    label: str,
    quantity: str,
    readings: Sequence[Reading],
    threshold: float,
    above: bool,
    parameters: Mapping[str, Any] | None = None,
) -> Part:
    """A measured yes/no part evaluated at several readings of the unstated parameters.

    ``readings[0]`` is the defaults (its ``parameters`` empty): its numbers are the part's.
    Each reading gets :func:`~verification.verdict.decide_threshold`'s verdict; the part's
    verdict is :func:`~verification.verdict.decide_sensitivity` of them.
    """
    if not readings or readings[0].parameters or readings[0].simulated is None:
        raise ValueError("readings: expected the defaults first, with a simulated value")
    points = []
    for reading in readings:
        if reading.simulated is None:
            why = f": {reading.note}" if reading.note else ""
            outcome = Outcome("inconclusive", f"No interval at this reading{why}.")
        else:
            sim = reading.simulated
            outcome = decide_threshold(sim.ci_low, sim.ci_high, threshold, above)
        points.append(SensitivityPoint(reading, outcome))
    combined = decide_sensitivity(
        points[0].outcome,
        [SensitivityOutcome(p.reading.label, p.outcome, p.reading.intact) for p in points[1:]],
    )
    return Part(
        label=label,
        quantity=quantity,
        kind="threshold",
        paper_value=None,
        exact_value=None,
        simulated=readings[0].simulated,
        outcome=combined,
        threshold=threshold,
        above=above,
        parameters=dict(parameters or {}),
        sensitivity=tuple(points),
    )


@dataclass(frozen=True)
class Claim:
    """A claim of the paper with its computed verdict.

    The top-level numbers (``paper_value``, ``exact_value``, ``simulated``) are those of
    the part that determines the verdict (:attr:`primary`); ``parts`` has all of them.
    """

    id: str
    section: str
    statement: str
    quantity: str
    derivations: tuple[str, ...]
    setup: str
    parts: tuple[Part, ...]
    outcome: Outcome
    readings: Mapping[str, Any] | None = None

    @classmethod
    def from_parts(
        cls,
        id: str,
        section: str,
        statement: str,
        quantity: str,
        derivations: Sequence[str],
        setup: str,
        parts: Sequence[Part],
    ) -> Claim:
        outcome = combine([p.outcome for p in parts], [p.label for p in parts])
        return cls(
            id, section, statement, quantity, tuple(derivations), setup, tuple(parts), outcome
        )

    @property
    def verdict(self) -> str:
        return self.outcome.verdict

    @property
    def decided(self) -> bool:
        """A decided verdict from agreeing evidence."""
        return self.outcome.decided

    @property
    def primary(self) -> Part:
        """The part that determines the claim's verdict (the first with that verdict)."""
        return next((p for p in self.parts if p.outcome.verdict == self.verdict), self.parts[0])

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of ``fastweights verify --json`` (``claims`` entries)."""
        first, o = self.primary, self.outcome
        return {
            "id": self.id,
            "section": self.section,
            "statement": self.statement,
            "quantity": self.quantity,
            "paper_value": first.paper_value,
            "exact_value": first.exact_value,
            "simulated": None if first.simulated is None else first.simulated.as_dict(),
            "threshold": first.threshold,
            "verdict": o.verdict,
            "reason": o.reason,
            "gap": o.gap,
            "relative_gap": o.relative_gap,
            "theory_simulation_disagree": o.theory_simulation_disagree,
            "alternative_quantity": o.alternative,
            "alternative_value": o.alternative_value,
            "derivations": list(self.derivations),
            "setup": self.setup,
            "parts": [p.as_dict() for p in self.parts],
            "readings": None if self.readings is None else dict(self.readings),
        }


def claim_seed(seed: int, claim_id: str, *path: int | str) -> int:
    """A seed for one claim (and optionally one of its parts), independent of the others.

    ``SeedSequence(seed, spawn_key=(crc32(claim_id), *path))``: keyed by the claim's id
    (not its position), so adding or reordering claims never changes another claim's
    numbers. Returns a 63-bit integer for the simulators' ``seed`` argument.
    """
    key = [zlib.crc32(claim_id.encode())]
    key += [p if isinstance(p, int) else zlib.crc32(p.encode()) for p in path]
    state = np.random.SeedSequence(seed, spawn_key=tuple(key)).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1]))
