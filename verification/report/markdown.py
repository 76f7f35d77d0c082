"""The report as Markdown (``report.md``): LaTeX formulas, figures linked from ``figures/``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..claims.model import DECISION_LEVEL, Claim
from . import readings as readings_section
from .document import ReportData, format_number
from .sensitivity import SECTION_ID, SECTION_TITLE, introduction, tables
from .text import (
    INTRODUCTION,
    LEVELS_NOTE,
    VERDICT_MEANINGS,
    paper_text,
    reproduce_command,
    simulated_text,
    summary_rows,
)

__all__ = ["render_markdown"]


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in rows]
    return lines


def _parts_table(claim: Claim) -> list[str]:
    rows = []
    for part in claim.parts:
        rows.append(
            [
                part.label,
                paper_text(part),
                format_number(part.exact_value),
                simulated_text(part.simulated, 95),
                simulated_text(part.simulated, "decision"),
                part.outcome.verdict + (" ⚠" if part.outcome.theory_simulation_disagree else ""),
            ]
        )
    level = claim.primary.simulated.level if claim.primary.simulated else 0.999
    return _table(["part", "paper", "exact", "simulated [95%]", f"[{level:.1%}]", "verdict"], rows)


def _derivation(formulas: dict[str, Any] | None, name: str) -> list[str]:
    if formulas is None:
        return [f"*Derivation `{name}` is not available in this build.*", ""]
    lines = [f"**Derivation `{name}`** — {formulas['title']} ({formulas['section']})", ""]
    for i, step in enumerate(formulas["steps"], 1):
        lines.append(f"{i}. *{step['name']}* — {step['note']}")
        lines.append("")
        lines.append(f"   $$ {step['latex']} $$")
        lines.append("")
    return lines


def _sensitivity(data: ReportData) -> list[str]:
    text = introduction(data.claims, bool(data.meta.get("parameters", {}).get("quick")))
    if not text:
        return []
    out = [f'<a id="{SECTION_ID}"></a>', "", f"## {SECTION_TITLE}", "", text, ""]
    for table in tables(data.claims):
        claim = table.claim
        out += [f"**`{claim.id}`: {claim.verdict}.**", ""]
        out += _table(table.header, table.rows)
        out += [""]
    for figure in data.section_figures(SECTION_ID):
        out += [f"![{figure.title}](figures/{figure.name}.png)", ""]
        out += [f"*Figure: {figure.title}.* {figure.caption}", ""]
    return out


def _readings(data: ReportData) -> list[str]:
    section = readings_section
    text = section.introduction(data.claims)
    if not text:
        return []
    out = [f'<a id="{section.SECTION_ID}"></a>', "", f"## {section.SECTION_TITLE}", "", text, ""]
    out += _table(section.CLAIM_HEADER, section.claim_rows(data.claims))
    out += ["", section.joint_text(data.claims), ""]
    for figure in data.section_figures(section.SECTION_ID):
        out += [f"![{figure.title}](figures/{figure.name}.png)", ""]
        out += [f"*Figure: {figure.title}.* {figure.caption}", ""]
    out += ["**The box.**", ""]
    out += _table(section.BOX_HEADER, section.box_rows())
    return [*out, ""]


def render_markdown(data: ReportData) -> str:
    """The whole report as one Markdown document."""
    meta = data.meta
    out: list[str] = ["# Hinton & Plaut (1987), claim by claim: theory against simulation", ""]
    out += [INTRODUCTION, ""]
    out += ["## Summary", ""]
    out += _table(
        [
            "claim",
            "section",
            "paper",
            "exact",
            f"simulated [{DECISION_LEVEL:.1%} interval]",
            "verdict",
        ],
        summary_rows(data.claims),
    )
    out += ["", LEVELS_NOTE, ""]
    out += ["**Verdicts.**", ""]
    out += [f"- `{v}`: {meaning}" for v, meaning in VERDICT_MEANINGS.items()]
    out += [""]
    disagree = [c.id for c in data.claims if c.outcome.theory_simulation_disagree]
    if disagree:
        out += [
            f"> **Warning: theory and simulation disagree on {', '.join(disagree)}.** "
            "The toolkit is wrong somewhere; those verdicts cannot be trusted.",
            "",
        ]
    for claim in data.claims:
        out += [f"## `{claim.id}` — {claim.section}", ""]
        out += [f"> {claim.statement}", ""]
        out += [f"**Quantity.** {claim.quantity}", ""]
        out += [
            f"**Verdict: `{claim.verdict}`.** {claim.outcome.reason}",
            "",
        ]
        if claim.outcome.gap is not None:
            rel = claim.outcome.relative_gap
            rel_text = "" if rel is None else f" (relative {rel:+.2%})"
            out += [f"Gap, paper − exact: {format_number(claim.outcome.gap)}{rel_text}.", ""]
        if claim.outcome.alternative:
            out += [
                f"The paper's value is exact for: **{claim.outcome.alternative}** "
                f"(= {format_number(claim.outcome.alternative_value)}).",
                "",
            ]
        out += _parts_table(claim)
        out += [""]
        alternatives = [(p.label, a) for p in claim.parts for a in p.alternatives]
        if alternatives:
            out += _table(
                ["part", "alternative quantity", "exact", "simulated [95%]"],
                [
                    [label, a.name, format_number(a.exact_value), simulated_text(a.simulated, 95)]
                    for label, a in alternatives
                ],
            )
            out += [""]
        out += [f"**Simulation set-up.** {claim.setup}", ""]
        for name in claim.derivations:
            home = data.derivation_home(name)
            if home == claim.id:
                out += _derivation(data.derivations.get(name), name)  # type: ignore[arg-type]
            else:
                out += [f"Derivation `{name}`: shown with claim `{home}`.", ""]
        for figure in data.figures_for(claim.id):
            out += [f"![{figure.title}](figures/{figure.name}.png)", ""]
            out += [f"*Figure: {figure.title}.* {figure.caption}", ""]
    out += _readings(data)
    out += _sensitivity(data)
    extra = data.unanchored_figures()
    if extra:
        out += ["## Further figures", ""]
        for figure in extra:
            out += [f"![{figure.title}](figures/{figure.name}.png)", ""]
            out += [f"*Figure: {figure.title}.* {figure.caption}", ""]
    out += ["## Assumptions the paper does not state, and the toolkit's choices", ""]
    out += _table(
        ["topic", "the paper", "the toolkit's choice", "where"],
        [[a.topic, a.paper, a.choice, a.where] for a in data.assumptions],
    )
    out += ["", "## How to reproduce", ""]
    out += ["```bash", reproduce_command(meta), "```", ""]
    versions = meta.get("versions", {})
    out += _table(["component", "version"], [[k, str(v)] for k, v in versions.items()])
    out += [
        "",
        f"Seed {meta.get('seed')}; quick: {meta.get('parameters', {}).get('quick')}; "
        f"generated {meta.get('time', {}).get('finished', '')} in "
        f"{meta.get('time', {}).get('seconds', 0):.1f} s.",
        "",
    ]
    return "\n".join(out)
