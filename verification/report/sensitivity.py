"""The report section on how the Sec. 4 verdicts depend on what the paper does not state.

Built from the claims alone (each measured part carries its readings,
:attr:`verification.engine.model.Part.sensitivity`), so the Markdown and the HTML show the
same numbers as ``results.json``. One table per claim: a row per reading of the unstated
parameters (the defaults first, each named with the paper's symbols), the original
learning's wrong outputs (is it intact?), and for each part its estimate with the
decision-level interval (the 95% one beside it) and its verdict at that reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..claims.deblur import INTACT_WRONG_OUTPUTS
from ..engine.model import DECISION_LEVEL, Claim
from ..shared.deblur_runs import deblur_seeds, sensitivity_seeds
from .figures import SENSITIVITY_SECTION
from .notation import parameter_text
from .numbers import format_interval, format_value
from .text import part_bounds, simulated_text

__all__ = ["SECTION_ID", "SECTION_TITLE", "SensitivityTable", "introduction", "method", "tables"]

SECTION_ID = SENSITIVITY_SECTION
SECTION_TITLE = "Sensitivity of the Sec. 4 claims to the unstated parameters"


@dataclass(frozen=True)
class SensitivityTable:
    """One claim's readings: ``rows`` of strings; the cells in ``verdict_columns`` are
    verdicts (the HTML shows them as badges). ``other_level`` has, for each cell that is
    an interval beside a verdict (at the decision level), the same estimate's 95% interval
    ('' elsewhere): the HTML's tooltip, the Markdown's parenthesis."""

    claim: Claim
    header: list[str]
    rows: list[list[str]]
    verdict_columns: frozenset[int]
    other_level: list[list[str]]


def _sensitive(claims: Sequence[Claim]) -> list[Claim]:
    return [c for c in claims if any(p.sensitivity for p in c.parts)]


def introduction(claims: Sequence[Claim], quick: bool) -> str:
    """The section's opening sentences ('' when no claim has sensitivity readings)."""
    present = _sensitive(claims)
    if not present:
        return ""
    readings = [parameter_text(p.reading.label) for p in present[0].parts[0].sensitivity[1:]]
    verdicts = "; ".join(f"`{c.id}`: {c.verdict}" for c in present)
    return (
        "The paper does not state the fast weights' ε_f and α_f, the initial weights or the "
        "constant c of the error function. Every part of the Sec. 4 claims is measured at the "
        f"toolkit's defaults ({deblur_seeds(quick)} seeds) and at other readings, one "
        f"parameter changed at a time ({sensitivity_seeds(quick)} seeds each): "
        f"{', '.join(readings)}. The verdicts of the claims (over the box of readings, above): "
        f"{verdicts}."
    )


def method(claims: Sequence[Claim]) -> str:
    """How a reading counts ('' when no claim has sensitivity readings)."""
    if not _sensitive(claims):
        return ""
    return (
        "Each reading is seeded on its own. A reading's original learning is intact when at "
        f"most {INTACT_WRONG_OUTPUTS:.0%} of the old outputs are on the wrong side of 0.5 "
        "after the 1300 sweeps (mean over seeds). Each part keeps its verdict at the defaults; "
        "these readings are shown for what they give, and whether a claim depends on the "
        "unstated parameters is decided over the whole box of readings (section above). "
        "The tables give each part's estimate with its decision-level interval beside its "
        "verdict at that reading."
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
            header.append(
                f"{part.label}: {side} {format_value(part.threshold)} [{DECISION_LEVEL:.1%}]"
            )
            header.append("verdict")
            verdict_columns.add(len(header) - 1)
        rows, other = [], []
        for i, point in enumerate(parts[0].sensitivity):
            reading = point.reading
            wrong = reading.measures.get("wrong_output_fraction", {})
            row = [
                parameter_text(reading.label),
                _interval_text(wrong),
                "yes" if reading.intact else "no",
            ]
            tips = ["", "", ""]
            for part in parts:
                at = part.sensitivity[i]
                sim = at.reading.simulated
                bounds = part_bounds(part)
                row += [simulated_text(sim, bounds=bounds), at.outcome.verdict]
                tips += ["" if sim is None else f"95%: {simulated_text(sim, 95, bounds)}", ""]
            rows.append(row)
            other.append(tips)
        out.append(SensitivityTable(claim, header, rows, frozenset(verdict_columns), other))
    return out


def _interval_text(values: object) -> str:
    """A share with its interval, cut to [0, 1] (a share of outputs cannot leave it)."""
    if not isinstance(values, dict) or values.get("estimate") is None:
        return "—"
    low, high = values.get("ci_low"), values.get("ci_high")
    return format_interval(values["estimate"], low, high, bounds=(0.0, 1.0))
