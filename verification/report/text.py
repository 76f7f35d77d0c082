"""Words and table rows shared by the terminal table, the Markdown and the HTML report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..claims.model import DECISION_LEVEL, Claim, Part, Simulated
from .document import format_number

__all__ = [
    "INTRODUCTION",
    "LEVELS_NOTE",
    "VERDICT_MEANINGS",
    "paper_text",
    "reproduce_command",
    "simulated_text",
    "summary_rows",
]

INTRODUCTION = (
    "Hinton & Plaut (1987), *Using Fast Weights to Deblur Old Memories*, support their "
    "deblurring result (Sec. 4) with an analysis of transfer in linear networks (Sec. 4.1 and "
    "5). For every claim this report gives the paper's value, the exact value derived "
    "symbolically by `theory/` (sympy), and the value measured by `simulation/` on networks "
    "that are really trained, blurred and retrained (never computed from the formula it is "
    "compared with), and a verdict computed from these numbers alone."
)

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
    f"Intervals: the verdicts use {DECISION_LEVEL:.1%} confidence intervals (with the ~25 "
    "checks of a run, the chance of any false alarm stays near 2.5%, Bonferroni); the "
    "report also shows the 95% interval. Means and ratios of means over trials: normal (CLT, "
    "delta method); proportions: Wilson score (Clopper-Pearson for counts of 0); across "
    "the seeds of the Sec. 4 experiment: Student t."
)


def paper_text(part: Part) -> str:
    """The paper's value, or its yes/no claim as ``> threshold``."""
    if part.kind == "threshold":
        return f"{'>' if part.above else '<'} {format_number(part.threshold)}"
    return format_number(part.paper_value)


def simulated_text(simulated: Simulated | None, which: int | str = "decision") -> str:
    """``0.1662 [0.1650, 0.1674]`` at the decision level, or at 95% with ``which=95``."""
    if simulated is None:
        return "—"
    if which == 95:
        lo, hi = simulated.ci95_low, simulated.ci95_high
    else:
        lo, hi = simulated.ci_low, simulated.ci_high
    return f"{format_number(simulated.estimate)} [{format_number(lo)}, {format_number(hi)}]"


def summary_rows(claims: Sequence[Claim]) -> list[list[str]]:
    """One row per claim: id, section, paper, exact, simulated [decision CI], verdict.

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
        rows.append(
            [
                claim.id,
                claim.section,
                paper_text(first),
                format_number(first.exact_value),
                simulated_text(first.simulated) + more,
                verdict,
            ]
        )
    return rows


def reproduce_command(meta: Mapping[str, Any]) -> str:
    """The exact command that rebuilds this report."""
    command = meta.get("command")
    if command:
        return str(command)
    seed = meta.get("seed")
    return f".venv/bin/fastweights report --seed {seed}"
