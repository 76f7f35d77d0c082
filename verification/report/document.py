"""What a report holds, independent of its format (Markdown, HTML, JSON).

:class:`Figure` is one figure (SVG for the HTML, PNG for the Markdown) with its caption and
the numbers drawn in it;
:class:`Assumption` is one thing the paper leaves unstated and what the toolkit chose;
:class:`ReportData` gathers the claims, figures, derivations, assumptions and run facts, with
the paper they are about (``verification.papers``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.model import Claim
from ..engine.paper import Paper, current_paper

__all__ = ["Assumption", "Figure", "ReportData", "format_number"]


@dataclass(frozen=True)
class Figure:
    """One figure of the report.

    Attributes:
        name: file stem (``figures/<name>.png``, ``.svg``) and HTML anchor.
        title: a short title.
        caption: what is drawn: which marks are theory (lines), which simulation (points
            with interval bars), the interval level and the parameters.
        png: the PNG bytes (at least 150 dpi; the Markdown links it).
        claim_ids: the claims it illustrates (it is shown with the first one present).
        data: the numbers drawn (JSON-able), stored in ``results.json``.
        section: when set (e.g. ``"sensitivity"``), the figure is shown in that section of
            the report instead of with a claim.
        svg: the SVG bytes (the HTML embeds them; b"" falls back to the PNG).
        text_overlaps: texts of the figure that overlap each other or leave the canvas,
            found when it was drawn (:func:`verification.report.figures.text_overlaps`);
            empty for a well laid-out figure.
    """

    name: str
    title: str
    caption: str
    png: bytes
    claim_ids: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    section: str = ""
    svg: bytes = b""
    text_overlaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assumption:
    """Something the paper does not state, and what the toolkit chose.

    ``claims``: the claims whose *verdict* (not only a number) turns on this choice; the
    report marks them (``†``) in its summary.
    """

    topic: str
    paper: str
    choice: str
    where: str = ""
    claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, and the paper it is about (its title, citation and
    introduction)."""

    claims: Sequence[Claim]
    figures: Sequence[Figure]
    derivations: Mapping[str, Mapping[str, Any]]
    assumptions: Sequence[Assumption]
    meta: Mapping[str, Any]
    paper: Paper = field(default_factory=current_paper)

    def figures_for(self, claim_id: str) -> list[Figure]:
        """The figures shown with claim ``claim_id``: those whose first present claim it is."""
        present = {c.id for c in self.claims}
        shown = []
        for figure in self.figures:
            if figure.section:
                continue
            anchor = next((i for i in figure.claim_ids if i in present), None)
            if anchor == claim_id:
                shown.append(figure)
        return shown

    def derivation_home(self, name: str) -> str | None:
        """The id of the first claim that uses derivation ``name`` (where it is shown)."""
        return next((c.id for c in self.claims if name in c.derivations), None)

    def unanchored_figures(self) -> list[Figure]:
        """Figures illustrating none of the claims present."""
        present = {c.id for c in self.claims}
        return [
            f for f in self.figures if not f.section and not any(i in present for i in f.claim_ids)
        ]

    def section_figures(self, section: str) -> list[Figure]:
        """The figures shown in report section ``section``."""
        return [f for f in self.figures if f.section == section]


def format_number(value: float | None, digits: int = 4) -> str:
    """``0.1667``; ``1.234e-05`` for tiny or huge values; ``—`` for None."""
    if value is None:
        return "—"
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}f}"
