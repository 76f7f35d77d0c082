"""Verdicts: a pure function from numbers to one of the paper-claim verdicts.

A claim is evaluated on one or more *parts*. Each part is either

- a **value** part: the paper's value ``P`` of a quantity, the exact theory value ``T`` of the
  quantity the paper names, and the simulation's decision interval ``[lo, hi]`` for that
  quantity (optionally an alternative quantity ``Q`` with its exact value and interval); or
- a **threshold** part (a yes/no claim such as "positive transfer is more likely than not"):
  the claim says a quantity lies above (or below) a threshold; the exact value ``T`` (if the
  theory has one) and the simulation's decision interval.

Verdicts (Hinton & Plaut 1987 claims; see docs/usage.md):

================== ==========================================================================
``exact``          the paper's value equals the exact theory (``|P - T| <= tol`` or sympy
                   equality) and the simulation's interval contains it and is narrow enough
                   (half-width <= the part's resolution); for a threshold claim: the exact
                   value is on the claimed side and the whole interval is too
``approximation``  ``P != T``; the interval contains ``T`` and excludes ``P`` (gap ``P - T``)
``different-       as approximation, but an alternative quantity ``Q`` has exact value ``P``
quantity``         and its own interval contains ``P`` and excludes ``T``
``refuted``        no reading of the claim survives the simulation (a threshold claim whose
                   interval lies wholly on the wrong side; or ``P``, ``T`` and every
                   alternative outside their intervals)
``reproduced``     a measured claim with no exact theory (Sec. 4): the interval lies wholly on
                   the claimed side of its documented threshold
``reading-         a measured (Sec. 4) claim that holds under some readings of what the paper
dependent``        leaves unstated and fails under others (:func:`decide_readings`); the
                   reason names the readings and the parameters it depends on
``inconclusive``   the interval is too wide to decide; never quietly passed
================== ==========================================================================

A measured (Sec. 4) part keeps its verdict at the defaults and lists what other readings
of the unstated parameters gave (:func:`decide_sensitivity`, display only); a Sec. 4 claim
is judged over the whole box of readings (:func:`decide_readings`).

Whenever an exact value lies outside its own simulation interval, the outcome carries
``theory_simulation_disagree=True``: the toolkit itself is wrong somewhere, and
``fastweights verify`` exits 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DECIDED",
    "NUMERIC_TOLERANCE",
    "VERDICTS",
    "Alternative",
    "Outcome",
    "ReadingsEvidence",
    "SensitivityOutcome",
    "combine",
    "decide_readings",
    "decide_sensitivity",
    "decide_threshold",
    "decide_value",
]

NUMERIC_TOLERANCE = 1e-12
"""``|P - T| <= NUMERIC_TOLERANCE`` counts as equal when no symbolic comparison is given."""

VERDICTS = (
    "exact",
    "approximation",
    "different-quantity",
    "refuted",
    "reproduced",
    "reading-dependent",
    "inconclusive",
)
DECIDED = frozenset(VERDICTS) - {"inconclusive"}

# When a claim has several parts, the claim's verdict is the first of these that occurs.
# A claim asserts all its parts, so one refuted part refutes it, whatever the others say;
# otherwise one inconclusive part leaves it undecided.
_PRECEDENCE = (
    "refuted",
    "inconclusive",
    "reading-dependent",
    "different-quantity",
    "approximation",
    "reproduced",
    "exact",
)


@dataclass(frozen=True)
class Alternative:
    """Another quantity the paper's value may be exact for.

    Attributes:
        name: what the quantity is, e.g. "ratio of expected improvements, fixed-length step".
        exact: its exact theory value ``T_Q``.
        low, high: its simulation decision interval.
    """

    name: str
    exact: float
    low: float
    high: float


@dataclass(frozen=True)
class Outcome:
    """A verdict with the numbers behind it.

    Attributes:
        verdict: one of :data:`VERDICTS`.
        reason: one or two sentences built from the numbers.
        gap: ``P - T`` for a value part whose values differ (else None).
        relative_gap: ``(P - T) / |T|`` (None when ``T`` is 0 or there is no gap).
        theory_simulation_disagree: an exact value lies outside its own interval.
        alternative: the name of the quantity ``P`` is exact for (``different-quantity``).
        alternative_value: that quantity's exact value.
    """

    verdict: str
    reason: str
    gap: float | None = None
    relative_gap: float | None = None
    theory_simulation_disagree: bool = False
    alternative: str | None = None
    alternative_value: float | None = None

    @property
    def decided(self) -> bool:
        """The verdict is decided and the evidence agrees (what ``verify`` exits 0 on)."""
        return self.verdict in DECIDED and not self.theory_simulation_disagree


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _interval(low: float, high: float) -> str:
    return f"[{_fmt(low)}, {_fmt(high)}]"


def _inside(x: float, low: float, high: float) -> bool:
    return low <= x <= high


def _check_numbers(**values: float | None) -> None:
    for name, value in values.items():
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{name}: expected a finite number, got {value!r}")
    low, high = values.get("low"), values.get("high")
    if low is not None and high is not None and low > high:
        raise ValueError(f"low: expected low <= high, got [{low!r}, {high!r}]")


def decide_value(
    paper: float,
    exact: float,
    low: float,
    high: float,
    resolution: float,
    alternatives: Sequence[Alternative] = (),
    tolerance: float = NUMERIC_TOLERANCE,
    symbolically_equal: bool | None = None,
    exact_simulated: float | None = None,
) -> Outcome:
    """Verdict of a value claim: paper value ``P``, exact value ``T``, interval ``[low, high]``.

    Args:
        paper: ``P``, the paper's value.
        exact: ``T``, the exact theory value of the quantity the paper names.
        low, high: the simulation's decision interval for that quantity.
        resolution: the largest interval half-width that still counts as informative
            (for the ``exact`` verdict).
        alternatives: other quantities ``P`` may be exact for, each with its own interval.
        tolerance: ``|P - T| <= tolerance`` counts as equal (numbers).
        symbolically_equal: when given (sympy's verdict on ``P - T == 0``), it decides
            equality instead of ``tolerance``.
        exact_simulated: for a claim about a limit (n -> infinity) simulated at a finite
            point: the exact value ``T_s`` of what was simulated. The interval is then
            checked against ``T_s`` (a disagreement is ``T_s`` outside it), and the point
            must lie within ``resolution`` of the limit ``T`` (else ``inconclusive``: it says
            nothing about the limit at this resolution).

    Returns:
        The :class:`Outcome` (rules in the module docstring).
    """
    _check_numbers(
        paper=paper, exact=exact, low=low, high=high, resolution=resolution, T_s=exact_simulated
    )
    for alt in alternatives:
        _check_numbers(exact=alt.exact, low=alt.low, high=alt.high)
    case = _ValueCase(
        paper, exact, low, high, resolution, tuple(alternatives), tolerance, exact_simulated,
        symbolically_equal if symbolically_equal is not None else abs(paper - exact) <= tolerance,
    )  # fmt: skip
    if not case.exact_in:
        return case.theory_disagrees()
    if case.limit and case.limit_distance > resolution:
        return case.limit_out_of_reach()
    if case.equal:
        return case.equal_to_theory()
    if case.paper_in:
        return case.outcome(
            "inconclusive",
            f"The paper's {_fmt(paper)} and the exact {_fmt(exact)} differ by {_fmt(paper - exact)}"
            f", but both lie inside the {case.sim}: too wide to tell them apart.",
        )
    return case.different_quantity() or case.approximation()


@dataclass(frozen=True)
class _ValueCase:
    """The numbers of one value part and the sentences :func:`decide_value` builds from them
    (``simulated_exact`` is ``T_s`` for a limit claim, else ``T``)."""

    paper: float
    exact: float
    low: float
    high: float
    resolution: float
    alternatives: tuple[Alternative, ...]
    tolerance: float
    exact_simulated: float | None
    equal: bool

    @property
    def limit(self) -> bool:
        return self.exact_simulated is not None

    @property
    def simulated_exact(self) -> float:
        return self.exact if self.exact_simulated is None else self.exact_simulated

    @property
    def limit_distance(self) -> float:
        return abs(self.simulated_exact - self.exact)

    @property
    def gap(self) -> float | None:
        return None if self.equal else self.paper - self.exact

    @property
    def relative_gap(self) -> float | None:
        gap = self.gap
        return None if gap is None or self.exact == 0 else gap / abs(self.exact)

    @property
    def sim(self) -> str:
        return f"simulation interval {_interval(self.low, self.high)}"

    @property
    def paper_in(self) -> bool:
        return _inside(self.paper, self.low, self.high)

    @property
    def exact_in(self) -> bool:
        return _inside(self.simulated_exact, self.low, self.high)

    @property
    def alt_disagree(self) -> list[Alternative]:
        return [a for a in self.alternatives if not _inside(a.exact, a.low, a.high)]

    def make(self, verdict: str, reason: str, alternative: Alternative | None = None) -> Outcome:
        return Outcome(
            verdict,
            reason,
            gap=self.gap,
            relative_gap=self.relative_gap,
            theory_simulation_disagree=not self.exact_in or bool(self.alt_disagree),
            alternative=None if alternative is None else alternative.name,
            alternative_value=None if alternative is None else alternative.exact,
        )

    def outcome(self, verdict: str, reason: str, alternative: Alternative | None = None) -> Outcome:
        """An outcome whose reason starts with the alternatives' disagreement, if any."""
        lead = ""
        if self.alt_disagree:
            names = ", ".join(f"{a.name} (exact {_fmt(a.exact)})" for a in self.alt_disagree)
            lead = f"THEORY AND SIMULATION DISAGREE on the alternative quantity {names}."
        return self.make(verdict, f"{lead} {reason}".strip(), alternative)

    def theory_disagrees(self) -> Outcome:
        """The exact value lies outside its own interval: refuted only when nothing survives."""
        survivors = [
            a
            for a in self.alternatives
            if abs(self.paper - a.exact) <= self.tolerance and _inside(a.exact, a.low, a.high)
        ]
        what = (
            f"the exact value {_fmt(self.simulated_exact)} of the simulated point"
            if self.limit
            else (f"exact {_fmt(self.exact)}")
        )
        lead = (
            f"THEORY AND SIMULATION DISAGREE: {what} lies outside the {self.sim}; "
            "the toolkit is wrong somewhere."
        )
        if not self.paper_in and not survivors:
            return self.make(
                "refuted",
                f"{lead} The paper's {_fmt(self.paper)} is outside it too, and no alternative "
                "reading survives.",
            )
        return self.make("inconclusive", f"{lead} The verdict cannot be trusted.")

    def limit_out_of_reach(self) -> Outcome:
        return self.outcome(
            "inconclusive",
            f"Simulated at a finite point whose exact value {_fmt(self.simulated_exact)} is "
            f"{_fmt(self.limit_distance)} from the limit {_fmt(self.exact)}, more than the "
            f"resolution {_fmt(self.resolution)}: the simulation says nothing about the limit.",
        )

    @property
    def contains(self) -> str:
        if not self.limit:
            return f"the {self.sim} contains it"
        return (
            f"the {self.sim} contains the exact value {_fmt(self.simulated_exact)} of the "
            f"simulated finite point, {_fmt(self.limit_distance)} from the limit (within the "
            "resolution)"
        )

    def equal_to_theory(self) -> Outcome:
        half_width = (self.high - self.low) / 2
        if half_width <= self.resolution:
            return self.outcome(
                "exact",
                f"The paper's value equals the exact theory ({_fmt(self.exact)}); "
                f"{self.contains}, half-width {_fmt(half_width)} <= resolution "
                f"{_fmt(self.resolution)}.",
            )
        return self.outcome(
            "inconclusive",
            f"The paper's value equals the exact theory ({_fmt(self.exact)}), but the {self.sim}"
            f" has half-width {_fmt(half_width)} > resolution {_fmt(self.resolution)}: too wide "
            "to confirm.",
        )

    def different_quantity(self) -> Outcome | None:
        """``P`` is exact for an alternative whose interval contains ``P`` and excludes ``T``."""
        for alt in self.alternatives:
            if (
                abs(self.paper - alt.exact) <= self.tolerance
                and _inside(alt.exact, alt.low, alt.high)
                and not _inside(self.exact, alt.low, alt.high)
            ):
                return self.outcome(
                    "different-quantity",
                    f"The paper's {_fmt(self.paper)} is not the named quantity (exact "
                    f"{_fmt(self.exact)}, inside the {self.sim}, which excludes the paper's "
                    f"value) but is exact for {alt.name} (exact {_fmt(alt.exact)}; its "
                    f"simulation interval {_interval(alt.low, alt.high)} contains it and "
                    f"excludes {_fmt(self.exact)}).",
                    alt,
                )
        return None

    def approximation(self) -> Outcome:
        rel = "" if self.relative_gap is None else f" ({self.relative_gap:+.3%} of the exact value)"
        where = self.contains if self.limit else f"the {self.sim} contains the exact value"
        return self.outcome(
            "approximation",
            f"The paper's {_fmt(self.paper)} differs from the exact {_fmt(self.exact)} by "
            f"{_fmt(self.paper - self.exact)}{rel}; {where}, and excludes the paper's.",
        )


def decide_threshold(
    low: float,
    high: float,
    threshold: float,
    above: bool,
    exact: float | None = None,
) -> Outcome:
    """Verdict of a yes/no claim "the quantity is above (or below) ``threshold``".

    Args:
        low, high: the simulation's decision interval for the quantity.
        threshold: the claim's boundary (documented per claim).
        above: True when the claim is "quantity > threshold", False for "< threshold".
        exact: the exact theory value of the quantity, or None for a measured claim
            (Sec. 4's deblurring), which can then at best be ``reproduced``.

    Returns:
        ``exact`` / ``reproduced`` (interval wholly on the claimed side, and the exact value
        too), ``refuted`` (interval wholly on the other side), else ``inconclusive``.
    """
    _check_numbers(low=low, high=high, threshold=threshold, exact=exact)
    side = ">" if above else "<"
    claim = f"the claim 'quantity {side} {_fmt(threshold)}'"
    holds = low > threshold if above else high < threshold
    fails = high <= threshold if above else low >= threshold
    sim = f"simulation interval {_interval(low, high)}"
    if exact is None:
        if holds:
            return Outcome("reproduced", f"The {sim} lies wholly on the side of {claim}.")
        if fails:
            return Outcome("refuted", f"The {sim} lies wholly on the wrong side of {claim}.")
        return Outcome("inconclusive", f"The {sim} straddles the threshold of {claim}.")

    exact_holds = exact > threshold if above else exact < threshold
    exact_text = f"exact value {_fmt(exact)}"
    if not _inside(exact, low, high):
        lead = (
            f"THEORY AND SIMULATION DISAGREE: {exact_text} lies outside the {sim}; "
            "the toolkit is wrong somewhere."
        )
        if fails and not exact_holds:
            return Outcome(
                "refuted", f"{lead} Both say {claim} fails.", theory_simulation_disagree=True
            )
        return Outcome(
            "inconclusive",
            f"{lead} The verdict cannot be trusted.",
            theory_simulation_disagree=True,
        )
    if holds and exact_holds:
        return Outcome(
            "exact",
            f"The {exact_text} satisfies {claim}; the {sim} contains it and lies wholly "
            "on the claimed side.",
        )
    if fails and not exact_holds:
        return Outcome(
            "refuted",
            f"The {exact_text} violates {claim}; the {sim} contains it and lies wholly on the "
            "wrong side.",
        )
    return Outcome(
        "inconclusive",
        f"The {sim} (exact {_fmt(exact)}) straddles the threshold of {claim}: too wide to decide.",
    )


def combine(outcomes: Sequence[Outcome], labels: Sequence[str] | None = None) -> Outcome:
    """One verdict for a claim with several parts.

    The paper asserts every part of a claim, so the claim's verdict is the first of refuted,
    inconclusive, different-quantity, approximation, reproduced, exact that occurs among the
    parts: one refuted part refutes the claim whatever the others say (their verdicts stay
    in the parts and the reason); otherwise an inconclusive part leaves it undecided. The
    claim disagrees when any part does. ``gap``/``alternative`` come from the first part with
    the claim's verdict.
    """
    if not outcomes:
        raise ValueError("outcomes: expected at least one outcome, got none")
    if len(outcomes) == 1:
        return outcomes[0]
    labels = list(labels) if labels is not None else [f"part {i + 1}" for i in range(len(outcomes))]
    verdict = next(v for v in _PRECEDENCE if any(o.verdict == v for o in outcomes))
    lead_label, lead = next(
        (label, o) for label, o in zip(labels, outcomes, strict=True) if o.verdict == verdict
    )
    counts = ", ".join(
        f"{sum(o.verdict == v for o in outcomes)} {v}"
        for v in _PRECEDENCE
        if any(o.verdict == v for o in outcomes)
    )
    which = [label for label, o in zip(labels, outcomes, strict=True) if o.verdict == verdict]
    where = "every part" if len(which) == len(outcomes) else "; ".join(which)
    example = "" if len(which) == 1 else f"; for example {lead_label}"
    reason = f"{len(outcomes)} parts ({counts}); {verdict} at {where}{example}: {lead.reason}"
    return Outcome(
        verdict,
        reason,
        gap=lead.gap,
        relative_gap=lead.relative_gap,
        theory_simulation_disagree=any(o.theory_simulation_disagree for o in outcomes),
        alternative=lead.alternative,
        alternative_value=lead.alternative_value,
    )


@dataclass(frozen=True)
class SensitivityOutcome:
    """A part's verdict at one reading of the parameters the paper does not state.

    Attributes:
        label: the reading, e.g. ``"fast_epsilon = 0.005"``.
        outcome: the part's verdict at that reading alone.
        intact: the original learning worked at that reading (the caller's documented
            criterion, e.g. at most 10% of the old outputs on the wrong side of 0.5); shown
            apart when not intact.
    """

    label: str
    outcome: Outcome
    intact: bool


def decide_sensitivity(defaults: Outcome, points: Sequence[SensitivityOutcome]) -> Outcome:
    """A measured part's verdict at the defaults, with what other readings gave (display).

    The part keeps its verdict at the defaults, whatever the other readings say (symmetric:
    a part refuted at the defaults is not rescued, one reproduced there is not sunk). The
    readings are listed in the reason, split by their verdicts, with those whose original
    learning is not intact named apart. Whether a Sec. 4 *claim* depends on the unstated
    parameters is decided over the whole box of readings (:func:`decide_readings`).
    """
    if not points:
        return defaults
    intact = [p for p in points if p.intact]
    broken = [p.label for p in points if not p.intact]

    def listing(verdict: str) -> str:
        labels = [p.label for p in intact if p.outcome.verdict == verdict]
        return f"{verdict} at {', '.join(labels)}" if labels else ""

    found = "; ".join(
        text for text in (listing(v) for v in ("reproduced", "refuted", "inconclusive")) if text
    )
    summary = f"Other readings of the unstated parameters, original learning intact: {found}"
    summary += "." if found else "none."
    if broken:
        summary += f" Original learning not intact (not counted): {', '.join(broken)}."
    return Outcome(
        defaults.verdict,
        f"At the defaults: {defaults.reason} {summary} (The claim's verdict is over the box "
        "of readings.)",
        gap=defaults.gap,
        relative_gap=defaults.relative_gap,
        theory_simulation_disagree=defaults.theory_simulation_disagree,
        alternative=defaults.alternative,
        alternative_value=defaults.alternative_value,
    )


@dataclass(frozen=True)
class ReadingsEvidence:
    """What a search over the box of readings found for one claim (Sec. 4).

    Attributes:
        defaults: the claim's outcome at the toolkit's defaults.
        best, worst: its outcome at the most and the least favourable reading the search
            found, each re-run on fresh seeds (None when there was no such reading).
        best_label, worst_label: those readings.
        depends_on: the parameters along which the share of readings where the claim holds
            changes most (named in the reason of a reading-dependent verdict).
        summary: one sentence on the search (how many readings, the share that holds).
        defaults_text, best_text, worst_text: the numbers behind each of the three outcomes
            (e.g. ``10% retrained 0.48 [0.42, 0.55] > 0.8: refuted``); their outcomes'
            reasons when not given.
    """

    defaults: Outcome
    best: Outcome | None
    worst: Outcome | None
    best_label: str = ""
    worst_label: str = ""
    depends_on: tuple[str, ...] = ()
    summary: str = ""
    defaults_text: str = ""
    best_text: str = ""
    worst_text: str = ""


def decide_readings(evidence: ReadingsEvidence) -> Outcome:
    """A measured claim's verdict from the whole box of readings, symmetric in both ways.

    - ``reading-dependent``: it holds somewhere (reproduced at the defaults or at the best
      reading's re-run) and fails somewhere (refuted at the defaults or at the worst
      reading's re-run); the reason names both readings and ``depends_on``.
    - ``reproduced``: reproduced at the defaults and at the least favourable reading found.
    - ``refuted``: refuted at the defaults and at the most favourable reading found: no
      reading in the box reproduces it.
    - ``inconclusive``: anything else (an interval that straddles the threshold where the
      verdict would turn on it).
    """
    e = evidence
    d = e.defaults.verdict
    b = e.best.verdict if e.best else None
    w = e.worst.verdict if e.worst else None
    holds = d == "reproduced" or b == "reproduced"
    fails = d == "refuted" or w == "refuted"
    defaults = f"Defaults: {e.defaults_text or e.defaults.reason}."
    best = (
        f"Most favourable reading ({e.best_label}): {e.best_text or e.best.reason}."
        if e.best
        else "No other reading counted."
    )
    worst = (
        f"Least favourable reading ({e.worst_label}): {e.worst_text or e.worst.reason}."
        if e.worst
        else ""
    )

    def outcome(verdict: str, lead: str, *evidence_texts: str) -> Outcome:
        return Outcome(verdict, " ".join(t for t in (lead, *evidence_texts, e.summary) if t))

    if holds and fails:
        where_holds = "the defaults" if d == "reproduced" else "the most favourable reading"
        where_fails = "the defaults" if d == "refuted" else "the least favourable reading"
        params = ", ".join(e.depends_on) if e.depends_on else "no single parameter stands out"
        return outcome(
            "reading-dependent",
            f"Holds at {where_holds} and fails at {where_fails}: it depends on what the paper "
            f"leaves unstated (most: {params}).",
            defaults,
            best,
            worst,
        )
    if d == "reproduced" and w in ("reproduced", None):
        return outcome(
            "reproduced", "Holds at the defaults and at the least favourable reading.", defaults,
            worst,
        )  # fmt: skip
    if d == "refuted" and b in ("refuted", None):
        return outcome("refuted", "No reading in the box reproduces it.", defaults, best)
    return outcome(
        "inconclusive",
        "Undecided: an interval that would decide it straddles its threshold.",
        defaults,
        best,
        worst,
    )
