"""Words and table rows shared by the Markdown and the HTML report.

- :func:`abstract`: the findings in a few sentences, generated from the verdicts.
- :func:`summary_rows`: one row per claim with a plain-language name of its quantity
  (the paper's ``quantity_names``, :mod:`verification.papers`) and the numbers of the
  part that decides its verdict.
- :func:`dependence`: why a verdict depends on the toolkit's own assumptions (the ``†``
  marker): a Sec. 4 verdict that the box of readings shows to turn on what the paper
  leaves unstated, or a linear claim resting on a documented reading of the paper's words
  (:attr:`verification.report.document.Assumption.claims`).
- :func:`simulated_text`, :func:`paper_text`, :func:`reason_text`: the numbers and the
  verdicts' reasons in the report's one number format (:mod:`.numbers`) and notation
  (:mod:`.notation`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..engine.model import DECISION_LEVEL, DISPLAY_LEVEL, Claim, Part, Simulated
from ..engine.paper import Paper, current_paper
from .document import Assumption
from .notation import parameter_text
from .numbers import format_interval, format_value, tidy_numbers

__all__ = [
    "DEPENDENCE_MARK",
    "LEVELS_NOTE",
    "PROVENANCE_NOTE",
    "SUMMARY_HEADER",
    "VERDICT_MEANINGS",
    "abstract",
    "claim_groups",
    "dependence",
    "is_sec4",
    "paper_text",
    "part_bounds",
    "part_text",
    "provenance_rows",
    "quantity_name",
    "reason_text",
    "reproduce_command",
    "simulated_text",
    "summary_rows",
]


VERDICT_MEANINGS = {
    "exact": "the paper's value equals the exact theory, and the simulation agrees "
    "(for a yes/no claim: the exact theory says yes, and the simulation's interval lies "
    "wholly on that side)",
    "approximation": "the paper's value differs from the exact theory (the gap is given), "
    "and the simulation sides with the exact theory",
    "different-quantity": "the paper's formula is exact, but for another quantity than the "
    "one it names (which one is given)",
    "refuted": "neither the paper's value nor any reading of it survives the simulation (for "
    "a claim with several parts: at least one part is refuted; for a Sec. 4 claim: it fails "
    "at the defaults and at the most favourable reading of the box of unstated parameters)",
    "reproduced": "a measured claim without exact theory (Sec. 4): the interval lies wholly "
    "on the claimed side of its documented threshold",
    "reading-dependent": "a Sec. 4 claim that holds under some readings of what the paper "
    "leaves unstated and fails under others; the readings and the parameters are named",
    "inconclusive": "the interval is too wide to decide; never quietly passed",
}

LEVELS_NOTE = (
    f"Intervals: the verdicts use {DECISION_LEVEL:.1%} confidence intervals (with the 35 "
    "checks of an exact value in a run, the chance of any false alarm stays below 3.5%, "
    "Bonferroni), and every "
    f"interval shown beside a verdict is at that level ({DISPLAY_LEVEL:.0%} in the HTML's "
    "tooltips and the Markdown's second column; figures draw 95% bars). Means and ratios of "
    "means over trials: normal (CLT, delta method); proportions: Wilson score "
    "(Clopper-Pearson for counts of 0); across the seeds of the Sec. 4 experiment: Student t. "
    "Numbers are given to the digits their interval supports."
)

DEPENDENCE_MARK = "†"

SUMMARY_HEADER = [
    "claim",
    "quantity",
    "paper",
    "exact",
    f"simulated [{DECISION_LEVEL:.1%}]",
    "verdict",
]


def quantity_name(claim: Claim, paper: Paper | None = None) -> str:
    """The short name of the claim's quantity (the paper's ``quantity_names``, by default
    the default paper's; else the first clause of its definition)."""
    name = (paper or current_paper()).quantity_names.get(claim.id)
    if name:
        return name
    first = claim.quantity.split(";")[0].split(":")[0].strip()
    return first if len(first) <= 70 else first[:69].rstrip() + "…"


def paper_text(part: Part) -> str:
    """The paper's value, or its yes/no claim as ``> threshold``."""
    if part.kind == "threshold":
        return f"{'>' if part.above else '<'} {format_value(part.threshold)}"
    return format_value(part.paper_value)


def simulated_text(
    simulated: Simulated | None,
    which: int | str = "decision",
    bounds: tuple[float, float] | None = None,
) -> str:
    """``0.166 [0.160, 0.175]`` at the decision level, or at 95% with ``which=95``; the
    interval cut to ``bounds`` (the quantity's range, :func:`part_bounds`)."""
    if simulated is None:
        return "—"
    if which == 95:
        lo, hi = simulated.ci95_low, simulated.ci95_high
    else:
        lo, hi = simulated.ci_low, simulated.ci_high
    return format_interval(simulated.estimate, lo, hi, bounds)


_BOUNDED: tuple[tuple[re.Pattern[str], tuple[float, float]], ...] = (
    (re.compile(r"^(fraction of (trials|seeds|networks)\b|P\()"), (0.0, 1.0)),
    (re.compile(r"^E\[cos θ\]"), (-1.0, 1.0)),
    (re.compile(r"^(RMS .*/ ?RMS\b|E\[\(.*\)²\])"), (0.0, math.inf)),
)


def part_bounds(part: Part) -> tuple[float, float] | None:
    """The range of a part's quantity, read from how its definition begins: a share of
    trials, seeds or networks and a probability lie in [0, 1], an expected cosine in
    [-1, 1], a ratio of RMS sizes and an expected square in [0, ∞); a difference ("...
    minus ...") or anything else: unbounded (None)."""
    if " minus " in part.quantity:
        return None
    return next((b for pattern, b in _BOUNDED if pattern.search(part.quantity)), None)


def part_text(part: Part, which: int | str = "decision") -> str:
    """A part's simulated value with its interval, cut to the quantity's range."""
    return simulated_text(part.simulated, which, part_bounds(part))


def reason_text(reason: str) -> str:
    """A verdict's reason in the report's number format and notation."""
    return tidy_numbers(parameter_text(reason))


_SEC4 = re.compile(r"\bSec\. 4(?![.\d])")


def claim_groups(
    claims: Sequence[Claim], paper: Paper | None = None
) -> list[tuple[str, list[Claim]]]:
    """The report's groups of claims, in order, each with its claims (empty ones left out):
    the paper's ``claim_groups`` (for Hinton & Plaut: the linear networks, Sec. 4.1 and 5;
    the deblurring experiment, Sec. 4; the conclusions, Sec. 6)."""
    by_id = {c.id: c for c in claims}
    grouped = (paper or current_paper()).grouped([c.id for c in claims])
    return [(title, [by_id[i] for i in ids]) for title, ids in grouped if ids]


def is_sec4(claim: Claim) -> bool:
    """A claim about the deblurring experiment: judged over the box of readings or at
    other readings, or placed in Sec. 4 (not 4.1)."""
    return (
        bool(claim.readings)
        or any(p.sensitivity for p in claim.parts)
        or bool(_SEC4.search(claim.section))
    )


def dependence(claim: Claim, assumptions: Sequence[Assumption] = ()) -> str:
    """Why the claim's verdict depends on the toolkit's own assumptions ('' when it does not).

    A Sec. 4 claim: its verdict over the box is ``reading-dependent``, or differs from its
    verdict at the toolkit's defaults. A linear claim: an assumption names it.
    """
    notes = []
    readings = claim.readings or {}
    at_defaults = readings.get("holds_at_defaults")
    if claim.verdict == "reading-dependent":
        depends = parameter_text(", ".join(readings.get("depends_on", []))) or "several"
        notes.append(
            "holds under some readings of what the paper leaves unstated and fails under "
            f"others (most: {depends})"
        )
    elif at_defaults and at_defaults != claim.verdict:
        notes.append(
            f"at the toolkit's defaults alone it would be {at_defaults}; over the box of "
            f"readings it is {claim.verdict}"
        )
    for a in assumptions:
        if claim.id in a.claims:
            notes.append(f"rests on the toolkit's reading of {a.topic} (see the assumptions)")
    return "; ".join(notes)


def summary_rows(
    claims: Sequence[Claim], assumptions: Sequence[Assumption] = (), paper: Paper | None = None
) -> list[list[str]]:
    """One row per claim (:data:`SUMMARY_HEADER`): id, quantity, paper, exact, simulated
    [decision interval], verdict (``†`` when :func:`dependence` says so).

    The numbers are those of the part that decides the claim's verdict.
    """
    rows = []
    for claim in claims:
        first = claim.primary
        others = len(claim.parts) - 1
        more = f" (+{others} more part{'s' if others > 1 else ''})" if others else ""
        verdict = claim.verdict
        if claim.outcome.theory_simulation_disagree:
            verdict += " ⚠ THEORY≠SIMULATION"
        if dependence(claim, assumptions):
            verdict += " " + DEPENDENCE_MARK
        rows.append(
            [
                claim.id,
                quantity_name(claim, paper),
                paper_text(first),
                format_value(first.exact_value),
                part_text(first) + more,
                verdict,
            ]
        )
    return rows


def _ids(claims: Sequence[Claim]) -> str:
    return ", ".join(f"`{c.id}`" for c in claims)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_PHRASES: dict[str, tuple[str, str]] = {
    "exact": ("is exact", "are exact"),
    "approximation": ("is an approximation", "are approximations"),
    "different-quantity": (
        "is exact for another quantity than the one named",
        "are exact for other quantities than the ones named",
    ),
    "refuted": ("is refuted", "are refuted"),
    "reproduced": ("is reproduced", "are reproduced"),
    "reading-dependent": (
        "holds under some readings of what the paper leaves unstated, fails under others",
        "hold under some readings of what the paper leaves unstated, fail under others",
    ),
    "inconclusive": ("is undecided (an interval too wide)", "are undecided (intervals too wide)"),
}
_ORDER = (
    "exact",
    "reproduced",
    "approximation",
    "different-quantity",
    "reading-dependent",
    "refuted",
    "inconclusive",
)


def _findings(claims: Sequence[Claim]) -> str:
    parts = []
    for verdict in _ORDER:
        group = [c for c in claims if c.verdict == verdict]
        if not group:
            continue
        one, many = _PHRASES.get(verdict, (f"is {verdict}", f"are {verdict}"))
        text = f"{len(group)} {one if len(group) == 1 else many}"
        if verdict == "approximation":
            gaps = [abs(c.outcome.relative_gap) for c in group if c.outcome.relative_gap]
            if gaps:
                low, high = min(gaps), max(gaps)
                span = f"{low:.1%}" if low == high else f"{low:.1%} to {high:.1%}"
                text += f" (off by {span})"
        if verdict != "exact" or len(group) <= 2:
            text += f": {_ids(group)}"
        parts.append(text)
    return "; ".join(parts)


def abstract(claims: Sequence[Claim], assumptions: Sequence[Assumption] = ()) -> str:
    """The findings in a few sentences (Markdown inline), generated from the verdicts."""
    if not claims:
        return "No claim was checked."
    sentences = [f"{_count(len(claims), 'claim', 'claims')} checked."]
    for title, group in claim_groups(claims):
        over = ""
        if all(c.readings for c in group):
            over = ", over the box of readings"
        sentences.append(f"**{title}{over}, {len(group)}:** {_findings(group)}.")
    disagree = [c for c in claims if c.outcome.theory_simulation_disagree]
    if disagree:
        sentences.append(
            f"**Theory and simulation disagree on {_ids(disagree)}: the toolkit is wrong "
            "somewhere, and those verdicts cannot be trusted.**"
        )
    elif any(c.parts[0].exact_value is not None for c in claims):
        sentences.append("Theory and simulation agree wherever both exist.")
    marked = [c for c in claims if dependence(c, assumptions)]
    if marked:
        sentences.append(
            f"{DEPENDENCE_MARK}: {_count(len(marked), 'verdict depends', 'verdicts depend')} on "
            "the toolkit's own reading of what the paper leaves open."
        )
    return " ".join(sentences)


def reproduce_command(meta: Mapping[str, Any]) -> str:
    """The exact command that rebuilds this report."""
    command = meta.get("command")
    if command:
        return str(command)
    seed = meta.get("seed")
    return f".venv/bin/fastweights report --seed {seed}"


PROVENANCE_NOTE = (
    "Every simulated number, the command that recomputes it and the SHA-256 of the evidence "
    'it was computed from (results.json: claims[].parts[].provenance). "Output" is where '
    "the number is in the command's JSON output, or how it follows from it; for a number "
    "simulated in this run the hash is of the simulator's output as the claim read it "
    "(canonical JSON); for a Sec. 4 verdict, of the readings search it read (its manifest)."
)
"""The sentence above the provenance table in "How to reproduce"."""


def provenance_rows(claims: Sequence[Claim]) -> list[list[str]]:
    """``[claim, part, command, output, evidence]`` for every part with a simulated number,
    and for each Sec. 4 claim the readings evidence its verdict read."""
    rows: list[list[str]] = []
    for claim in claims:
        for part in claim.parts:
            p = part.provenance
            if p is None:
                continue
            output = p.output if p.output is not None else p.note
            if p.output is not None and p.note:
                output += f" ({p.note})"
            rows.append([claim.id, part.label, p.command, output, p.evidence])
        evidence = (claim.readings or {}).get("evidence")
        command = (claim.readings or {}).get("evidence_command")
        if command:
            rows.append(
                [claim.id, "verdict over the box of readings", str(command), "-", str(evidence)]
            )
    return rows
