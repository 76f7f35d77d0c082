"""The report section on how the Sec. 4 verdicts depend on what the paper does not state.

Built from the claims alone (each measured part carries its readings,
:attr:`verification.claims.model.Part.sensitivity`), so the Markdown and the HTML show the
same numbers as ``results.json``. One table per claim: a row per reading of the unstated
parameters (the defaults first), the original learning's wrong outputs (is it intact?),
and for each part its estimate with the 95% interval and its verdict at that reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..claims.deblur import INTACT_WRONG_OUTPUTS, deblur_seeds, sensitivity_seeds
from ..claims.model import Claim
from .document import format_number
from .text import simulated_text

__all__ = ["SECTION_ID", "SECTION_TITLE", "SensitivityTable", "introduction", "tables"]

SECTION_ID = "sensitivity"
SECTION_TITLE = "Sensitivity of the Sec. 4 claims to the unstated parameters"


@dataclass(frozen=True)
class SensitivityTable:
    """One claim's readings: ``rows`` of strings; the cells in ``verdict_columns`` are
    verdicts (the HTML shows them as badges)."""

    claim: Claim
    header: list[str]
    rows: list[list[str]]
    verdict_columns: frozenset[int]


def _sensitive(claims: Sequence[Claim]) -> list[Claim]:
    return [c for c in claims if any(p.sensitivity for p in c.parts)]


def introduction(claims: Sequence[Claim], quick: bool) -> str:
    """The section's opening paragraph ('' when no claim has sensitivity readings)."""
    present = _sensitive(claims)
    if not present:
        return ""
    readings = [p.reading.label for p in present[0].parts[0].sensitivity[1:]]
    verdicts = "; ".join(f"`{c.id}`: {c.verdict}" for c in present)
    return (
        "The paper does not state the fast weights' ε and α, the initial weights or the "
        "constant of the error function. Every part of the Sec. 4 claims is measured at the "
        f"toolkit's defaults ({deblur_seeds(quick)} seeds) and at other readings, one "
        f"parameter changed at a time ({sensitivity_seeds(quick)} seeds each, seeded per "
        f"reading): {', '.join(readings)}. A reading's original learning is intact when at "
        f"most {INTACT_WRONG_OUTPUTS:.0%} of the old outputs are on the wrong side of 0.5 "
        "after the 1300 sweeps (mean over seeds). A part is `refuted` only when it is refuted "
        "at the defaults and reproduced at no intact reading; refuted at the defaults but "
        "reproduced at an intact reading, it is `inconclusive` (it depends on a parameter the "
        "paper did not state); otherwise the defaults decide. Readings whose learning is not "
        "intact are shown but never counted. Verdicts with the sensitivity taken into account: "
        f"{verdicts}."
    )


def tables(claims: Sequence[Claim]) -> list[SensitivityTable]:
    """One :class:`SensitivityTable` per claim with sensitivity readings."""
    out = []
    for claim in _sensitive(claims):
        parts = [p for p in claim.parts if p.sensitivity]
        header = ["reading", "wrong outputs [95%]", "intact"]
        verdict_columns = set()
        for part in parts:
            side = ">" if part.above else "<"
            header.append(f"{part.label}: {side} {format_number(part.threshold)} [95%]")
            header.append("verdict")
            verdict_columns.add(len(header) - 1)
        rows = []
        for i, point in enumerate(parts[0].sensitivity):
            reading = point.reading
            wrong = reading.measures.get("wrong_output_fraction", {})
            row = [
                reading.label,
                _interval_text(wrong),
                "yes" if reading.intact else "no",
            ]
            for part in parts:
                at = part.sensitivity[i]
                row += [simulated_text(at.reading.simulated, 95), at.outcome.verdict]
            rows.append(row)
        out.append(SensitivityTable(claim, header, rows, frozenset(verdict_columns)))
    return out


def _interval_text(values: object) -> str:
    if not isinstance(values, dict) or values.get("estimate") is None:
        return "—"
    low, high = values.get("ci_low"), values.get("ci_high")
    if low is None or high is None:
        return format_number(values["estimate"])
    return f"{format_number(values['estimate'])} [{format_number(low)}, {format_number(high)}]"
