"""The report as Markdown (``report.md``): LaTeX formulas, figures linked from ``figures/``.

The same first part as the HTML (title, abstract generated from the verdicts, contents,
summary with a plain-language quantity and the ``†`` marker), then everything in full:
every derivation, every table, each interval beside a verdict at the decision level with
its 95% interval in a second column or in parentheses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..engine.model import DECISION_LEVEL, Claim
from . import readings as readings_section
from . import sensitivity as sensitivity_section
from .document import Figure, ReportData
from .notation import prose_math
from .numbers import format_value
from .text import (
    DEPENDENCE_MARK,
    LEVELS_NOTE,
    PROVENANCE_NOTE,
    SUMMARY_HEADER,
    VERDICT_MEANINGS,
    abstract,
    claim_groups,
    dependence,
    paper_text,
    part_text,
    provenance_rows,
    quantity_name,
    reason_text,
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


def _anchor(anchor: str) -> str:
    return f'<a id="{anchor}"></a>'


def _figure(figure: Figure) -> list[str]:
    return [
        f"![{figure.title}](figures/{figure.name}.png)",
        "",
        f"*Figure: {figure.title}.* {figure.caption}",
        "",
    ]


def _parts_table(claim: Claim) -> list[str]:
    rows = []
    for part in claim.parts:
        rows.append(
            [
                part.label,
                paper_text(part),
                format_value(part.exact_value),
                part_text(part),
                part_text(part, 95),
                part.outcome.verdict + (" ⚠" if part.outcome.theory_simulation_disagree else ""),
            ]
        )
    level = claim.primary.simulated.level if claim.primary.simulated else DECISION_LEVEL
    return _table(["part", "paper", "exact", f"simulated [{level:.1%}]", "[95%]", "verdict"], rows)


def _derivation(formulas: dict[str, Any] | None, name: str) -> list[str]:
    if formulas is None:
        return [f"*Derivation `{name}` is not available in this build.*", ""]
    title = prose_math(formulas["title"], markup=False)
    lines = [f"**Derivation `{name}`** — {title} ({formulas['section']})", ""]
    for i, step in enumerate(formulas["steps"], 1):
        note = prose_math(step["note"], markup=False)
        lines.append(f"{i}. *{step['name']}* — {note}" if note else f"{i}. *{step['name']}*")
        lines.append("")
        lines.append(f"   $$ {step['latex']} $$")
        lines.append("")
    return lines


def _claim(claim: Claim, data: ReportData) -> list[str]:
    section = prose_math(claim.section, markup=False)
    out = [_anchor(f"claim-{claim.id}"), "", f"## `{claim.id}` — {section}", ""]
    out += [f"> {claim.statement}", ""]
    out += [f"**Quantity** ({quantity_name(claim, data.paper)}). {reason_text(claim.quantity)}", ""]
    note = dependence(claim, data.assumptions)
    mark = f" {DEPENDENCE_MARK}" if note else ""
    out += [f"**Verdict: `{claim.verdict}`{mark}.** {reason_text(claim.outcome.reason)}", ""]
    if note:
        out += [f"{DEPENDENCE_MARK} Depends on the toolkit's own assumptions: {note}.", ""]
    if claim.outcome.gap is not None:
        rel = claim.outcome.relative_gap
        rel_text = "" if rel is None else f" (relative {rel:+.2%})"
        out += [f"Gap, paper − exact: {format_value(claim.outcome.gap)}{rel_text}.", ""]
    if claim.outcome.alternative:
        out += [
            f"The paper's value is exact for: **{claim.outcome.alternative}** "
            f"(= {format_value(claim.outcome.alternative_value)}).",
            "",
        ]
    out += [*_parts_table(claim), ""]
    alternatives = [(p.label, a) for p in claim.parts for a in p.alternatives]
    if alternatives:
        out += _table(
            ["part", "alternative quantity", "exact", f"simulated [{DECISION_LEVEL:.1%}]", "[95%]"],
            [
                [
                    label,
                    a.name,
                    format_value(a.exact_value),
                    simulated_text(a.simulated),
                    simulated_text(a.simulated, 95),
                ]
                for label, a in alternatives
            ],
        )
        out += [""]
    if len(claim.parts) > 1:
        out += ["**Each part's reason.**", ""]
        out += [f"- *{p.label}*: {reason_text(p.outcome.reason)}" for p in claim.parts]
        out += [""]
    out += [f"**Simulation set-up.** {reason_text(claim.setup)}", ""]
    for name in claim.derivations:
        home = data.derivation_home(name)
        if home == claim.id:
            out += _derivation(data.derivations.get(name), name)  # type: ignore[arg-type]
        else:
            out += [f"Derivation `{name}`: shown with claim [`{home}`](#claim-{home}).", ""]
    for figure in data.figures_for(claim.id):
        out += _figure(figure)
    return out


def _sensitivity(data: ReportData) -> list[str]:
    section = sensitivity_section
    text = section.introduction(data.claims, bool(data.meta.get("parameters", {}).get("quick")))
    if not text:
        return []
    out = [_anchor(section.SECTION_ID), "", f"## {section.SECTION_TITLE}", "", text, ""]
    out += [section.method(data.claims), ""]
    for table in section.tables(data.claims):
        claim = table.claim
        out += [f"**`{claim.id}`: {claim.verdict}.**", ""]
        rows = [
            [f"{cell} ({tip})" if tip else cell for cell, tip in zip(row, tips, strict=True)]
            for row, tips in zip(table.rows, table.other_level, strict=True)
        ]
        out += _table(table.header, rows)
        out += [""]
    for figure in data.section_figures(section.SECTION_ID):
        out += _figure(figure)
    return out


def _readings(data: ReportData) -> list[str]:
    section = readings_section
    text = section.introduction(data.claims)
    if not text:
        return []
    out = [_anchor(section.SECTION_ID), "", f"## {section.SECTION_TITLE}", "", text, ""]
    out += [section.method(data.claims), ""]
    out += _table(section.CLAIM_HEADER, section.claim_rows(data.claims))
    out += ["", section.joint_text(data.claims), ""]
    for figure in data.section_figures(section.SECTION_ID):
        out += _figure(figure)
    out += ["**The most and the least favourable readings, re-run.**", ""]
    out += _table(section.READING_HEADER, section.reading_rows(data.claims))
    out += ["", "**The box.**", ""]
    out += _table(section.BOX_HEADER, section.box_rows())
    return [*out, ""]


def _contents(data: ReportData) -> list[str]:
    out = ["**Contents.**", "", "- [Summary](#summary)"]
    groups = claim_groups(data.claims)
    for title, claims in groups:
        if claims:
            links = ", ".join(f"[`{c.id}`](#claim-{c.id})" for c in claims)
            out.append(f"- {title}: {links}")
    quick = bool(data.meta.get("parameters", {}).get("quick"))
    if readings_section.introduction(data.claims):
        out.append(f"- [Sec. 4 over the box of readings](#{readings_section.SECTION_ID})")
    if sensitivity_section.introduction(data.claims, quick):
        out.append(f"- [One reading at a time](#{sensitivity_section.SECTION_ID})")
    if data.unanchored_figures():
        out.append("- [Further figures](#figures)")
    out += ["- [Assumptions](#assumptions)", "- [How to reproduce](#reproduce)", ""]
    return out


def render_markdown(data: ReportData) -> str:
    """The whole report as one Markdown document."""
    meta = data.meta
    out: list[str] = [f"# {data.paper.report_title}", ""]
    out += [abstract(data.claims, data.assumptions), ""]
    out += _contents(data)
    out += [_anchor("summary"), "", "## Summary", ""]
    out += _table(SUMMARY_HEADER, summary_rows(data.claims, data.assumptions, data.paper))
    out += [""]
    marked = [c for c in data.claims if dependence(c, data.assumptions)]
    if marked:
        out += [
            f"{DEPENDENCE_MARK} The verdict depends on the toolkit's own assumptions: "
            + "; ".join(f"`{c.id}`: {dependence(c, data.assumptions)}" for c in marked)
            + ".",
            "",
        ]
    disagree = [c.id for c in data.claims if c.outcome.theory_simulation_disagree]
    if disagree:
        out += [
            f"> **Warning: theory and simulation disagree on {', '.join(disagree)}.** "
            "The toolkit is wrong somewhere; those verdicts cannot be trusted.",
            "",
        ]
    out += [data.paper.introduction, "", LEVELS_NOTE, ""]
    out += ["**Verdicts.**", ""]
    out += [f"- `{v}`: {meaning}" for v, meaning in VERDICT_MEANINGS.items()]
    out += [""]
    for claim in data.claims:
        out += _claim(claim, data)
    out += _readings(data)
    out += _sensitivity(data)
    extra = data.unanchored_figures()
    if extra:
        out += [_anchor("figures"), "", "## Further figures", ""]
        for figure in extra:
            out += _figure(figure)
    out += [
        _anchor("assumptions"),
        "",
        "## Assumptions the paper does not state, and the toolkit's choices",
        "",
    ]
    out += _table(
        ["topic", "the paper", "the toolkit's choice", "where"],
        [[a.topic, a.paper, a.choice, a.where] for a in data.assumptions],
    )
    out += ["", _anchor("reproduce"), "", "## How to reproduce", ""]
    out += ["```bash", reproduce_command(meta), "```", ""]
    rows = provenance_rows(data.claims)
    if rows:
        out += ["### Every number: its command and its evidence", "", PROVENANCE_NOTE, ""]
        out += _table(
            ["claim", "part", "command", "output", "evidence"],
            [[f"`{c}`", part, f"`{cmd}`", out_, f"`{ev}`"] for c, part, cmd, out_, ev in rows],
        )
        out += [""]
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
