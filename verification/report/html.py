"""The report as one self-contained HTML file (``report.html``).

The first screen answers the reader's question: the title, an abstract generated from the
verdicts, the summary table (a plain-language quantity for every claim, ``†`` where a
verdict depends on the toolkit's own assumptions) and, beside them, the table of contents.
Everything long is folded (``<details>``): the derivations, the paper's words and the
set-up of each claim, tables of more than a few rows, the figures' captions; the Markdown
keeps them all in full. Intervals beside a verdict are at the decision level, the 95% one
in a tooltip. Figures are embedded as base64 ``data:`` SVG, formulas are presentation
MathML (rendered natively by browsers), the style sheet is inline; no network, no
JavaScript.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Collection, Mapping, Sequence
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
)

__all__ = ["render_html"]

# Okabe-Ito colours for the verdict badges (colour-blind safe; text says the verdict too).
_BADGE = {
    "exact": "#009E73",
    "approximation": "#0072B2",
    "different-quantity": "#CC79A7",
    "refuted": "#D55E00",
    "reproduced": "#009E73",
    "reading-dependent": "#56B4E9",
    "inconclusive": "#E69F00",
}
_DARK_TEXT = {"#56B4E9", "#E69F00"}  # light badges get dark text (contrast)

FOLD_ROWS = 4
"""Tables with more rows than this are folded in the HTML."""

_STYLE = """
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       padding: .6rem 1rem 2rem; color: #1a1a1a; line-height: 1.45; background: #fff;
       max-width: 77rem; display: grid; grid-template-columns: 13.5rem minmax(0, 1fr);
       column-gap: 1.5rem; font-size: 15px; }
nav#contents { position: sticky; top: 0; align-self: start; max-height: 100vh;
       overflow-y: auto; padding: .6rem 0; font-size: .8rem; line-height: 1.35; }
nav#contents h2 { font-size: .95rem; margin: 0 0 .3rem; border: 0; }
nav#contents ul { margin: 0; padding-left: 0; list-style: none; }
nav#contents li { margin: .05rem 0 .05rem .6rem; }
nav#contents li.group { color: #555; margin: .35rem 0 0; }
nav#contents a { color: #0b4f8a; text-decoration: none; } nav#contents a:hover
{ text-decoration: underline; }
main { min-width: 0; }
@media (max-width: 68rem) { body { display: block; max-width: 62rem; }
  nav#contents { position: static; max-height: none; } }
h1 { font-size: 1.45rem; margin: .5rem 0 .4rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: .15rem;
     margin: 1.2rem 0 .4rem; }
h2 .where { font-weight: normal; color: #444; font-size: .95rem; }
p { margin: .4rem 0; }
p.abstract { font-size: .95rem; background: #f5fafd; border-left: 4px solid #56B4E9;
             padding: .35rem .7rem; margin: .3rem 0 .5rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; line-height: 1.3; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.summary td { padding: .1rem .4rem; line-height: 1.2; }
table.summary .where { display: block; color: #555; font-size: .75rem; }
.more { color: #555; font-size: .75rem; }
blockquote { border-left: 4px solid #56B4E9; margin: .5rem 0; padding: .2rem .8rem;
             background: #f5fafd; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .8rem; color: #fff;
         font-weight: 600; font-size: .8rem; white-space: nowrap; }
.mark { font-weight: 700; color: #8a3b00; cursor: help; padding-left: .15rem; }
.warning { border: 2px solid #D55E00; background: #fff3ea; padding: .4rem .8rem; }
figure { margin: .8rem 0 1rem; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: #333; }
figcaption details { margin: 0; }
details { margin: .3rem 0; } summary { cursor: pointer; font-weight: 600; font-size: .9rem; }
details[open] > summary { margin-bottom: .3rem; }
ol.steps li { margin: .3rem 0; } .note { color: #444; font-size: .9rem; }
.formula { overflow-x: auto; overflow-y: hidden; } math[display="block"] { margin: .3rem 0; }
code { background: #f4f4f4; padding: 0 .2rem; }
td code { overflow-wrap: anywhere; }
#sensitivity table { display: block; overflow-x: auto; max-width: 100%; }
pre { background: #f4f4f4; padding: .5rem; overflow-x: auto; white-space: pre-wrap; }
.small { font-size: .85rem; color: #333; }
p.parts .badge { font-size: .72rem; } .num { font-variant-numeric: tabular-nums; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _inline(text: str, claim_ids: Collection[str] = ()) -> str:
    """Escape, then render Markdown's inline `code`, **bold** and *emphasis*; a `claim-id`
    becomes a link to its section."""
    escaped = _e(text)

    def code(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner in claim_ids:
            return f'<a href="#claim-{inner}"><code>{inner}</code></a>'
        return f"<code>{inner}</code>"

    escaped = re.sub(r"`([^`]+)`", code, escaped)
    escaped = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)


def _badge(verdict: str, disagree: bool = False) -> str:
    colour = _BADGE.get(verdict, "#000000")
    text = verdict + (" ⚠ theory≠simulation" if disagree else "")
    background = "#000000" if disagree else colour
    ink = "#1a1a1a" if background in _DARK_TEXT else "#fff"
    return f'<span class="badge" style="background:{background};color:{ink}">{_e(text)}</span>'


def _mark(note: str) -> str:
    if not note:
        return ""
    return (
        f'<span class="mark" title="Depends on the toolkit\'s own assumptions: {_e(note)}">'
        f"{DEPENDENCE_MARK}</span>"
    )


def _claim_badge(claim: Claim, data: ReportData) -> str:
    note = dependence(claim, data.assumptions)
    return _badge(claim.verdict, claim.outcome.theory_simulation_disagree) + _mark(note)


def _num(text: str, tooltip: str = "") -> str:
    title = f' title="{_e(tooltip)}"' if tooltip else ""
    return f'<td class="num"{title}>{_e(text)}</td>'


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    raw: bool = False,
    css: str = "",
    cells: bool = False,
) -> str:
    """A table; ``raw`` cells are HTML already; with ``cells`` each is a whole ``<td>``."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        if cells:
            body.append(f"<tr>{''.join(row)}</tr>")
        else:
            body.append(
                "<tr>" + "".join(f"<td>{cell if raw else _e(cell)}</td>" for cell in row) + "</tr>"
            )
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _fold(summary: str, body: str, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{summary}</summary>{body}</details>"


def _svg_size(svg: bytes) -> tuple[int, int] | None:
    match = re.search(rb'<svg[^>]*\bwidth="([\d.]+)pt"[^>]*\bheight="([\d.]+)pt"', svg[:2000])
    if not match:
        return None
    return round(float(match.group(1)) * 4 / 3), round(float(match.group(2)) * 4 / 3)


def _figure(figure: Figure) -> str:
    if figure.svg:
        source = "data:image/svg+xml;base64," + base64.b64encode(figure.svg).decode("ascii")
        size = _svg_size(figure.svg)
    else:  # a figure drawn without SVG: its PNG
        source = "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")
        size = None
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    caption = _fold(f"{_e(figure.title)}.", f"<p>{_e(figure.caption)}</p>")
    return (
        f'<figure id="fig-{_e(figure.name)}"><img src="{source}" alt="{_e(figure.title)}"'
        f"{dims}><figcaption>{caption}</figcaption></figure>"
    )


def _derivation(formulas: Mapping[str, Any] | None, name: str) -> str:
    if formulas is None:
        return f"<p><em>Derivation <code>{_e(name)}</code> is not available.</em></p>"
    steps = "".join(
        f'<li><strong>{_e(s["name"])}</strong> <span class="note">{prose_math(s["note"])}</span>'
        f'<div class="formula">{s["mathml"]}</div></li>'
        for s in formulas["steps"]
    )
    return _fold(
        f"Derivation <code>{_e(name)}</code>, {len(formulas['steps'])} steps: "
        f"{prose_math(formulas['title'])}",
        f'<p class="small">{_e(formulas["section"])}</p><ol class="steps">{steps}</ol>',
    )


def _parts_table(claim: Claim) -> str:
    level = claim.primary.simulated.level if claim.primary.simulated else DECISION_LEVEL
    rows = [
        [
            f"<td>{_e(p.label)}</td>",
            _num(paper_text(p)),
            _num(format_value(p.exact_value)),
            _num(part_text(p), "" if p.simulated is None else f"95%: {part_text(p, 95)}"),
            f"<td>{_badge(p.outcome.verdict, p.outcome.theory_simulation_disagree)}</td>",
        ]
        for p in claim.parts
    ]
    return _table(
        ["part", "paper", "exact", f"simulated [{level:.1%}]", "verdict"], rows, cells=True
    )


def _parts_line(claim: Claim) -> str:
    """A few parts in one line: label, estimate [decision interval] (95% on hover), verdict."""
    items = []
    for p in claim.parts:
        tip = "" if p.simulated is None else f' title="95%: {_e(part_text(p, 95))}"'
        items.append(
            f'{_e(p.label)}: <span class="num"{tip}>{_e(part_text(p))}</span> '
            f"{_badge(p.outcome.verdict, p.outcome.theory_simulation_disagree)}"
        )
    return f'<p class="small parts">{" · ".join(items)}</p>'


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%])\. (?=[A-Z])")
LONG_REASON = 320
"""A verdict's reason longer than this shows its first sentence; the rest is folded."""


def _reason(claim: Claim, data: ReportData) -> str:
    ids = [c.id for c in data.claims]
    text = reason_text(claim.outcome.reason)
    head, rest = text, ""
    if len(text) > LONG_REASON:
        match = _SENTENCE_END.search(text)
        if match and match.end() < len(text):
            head, rest = text[: match.start() + 1], text[match.end() :]
    out = f"<p>{_claim_badge(claim, data)} {_inline(head, ids)}</p>"
    if rest:
        out += _fold("The evidence behind it", f"<p>{_inline(rest, ids)}</p>")
    return out


def _claim_facts(claim: Claim, data: ReportData) -> str:
    """The claim's dependence on the toolkit's assumptions, its gap and its alternative."""
    o = claim.outcome
    facts = []
    note = dependence(claim, data.assumptions)
    if note:
        facts.append(f"{DEPENDENCE_MARK} Depends on the toolkit's own assumptions: {_e(note)}.")
    if o.gap is not None:
        rel = "" if o.relative_gap is None else f" (relative {o.relative_gap:+.2%})"
        facts.append(f"Gap, paper − exact: {_e(format_value(o.gap))}{_e(rel)}.")
    if o.alternative:
        facts.append(
            f"The paper's value is exact for: <strong>{_e(o.alternative)}</strong> "
            f"(= {_e(format_value(o.alternative_value))})."
        )
    return f"<p>{' '.join(facts)}</p>" if facts else ""


def _alternatives_table(claim: Claim) -> str:
    """The quantities other than the one named for which the parts' values are exact."""
    alternatives = [(p.label, a) for p in claim.parts for a in p.alternatives]
    if not alternatives:
        return ""
    rows = [
        [
            f"<td>{_e(label)}</td>",
            f"<td>{_e(a.name)}</td>",
            _num(format_value(a.exact_value)),
            _num(simulated_text(a.simulated), f"95%: {simulated_text(a.simulated, 95)}"),
        ]
        for label, a in alternatives
    ]
    header = ["part", "alternative quantity", "exact", f"simulated [{DECISION_LEVEL:.1%}]"]
    return _table(header, rows, cells=True)


def _part_reasons(claim: Claim) -> str:
    if len(claim.parts) <= 1:
        return ""
    reasons = "".join(
        f"<li><strong>{_e(p.label)}</strong>: {_inline(reason_text(p.outcome.reason))}</li>"
        for p in claim.parts
    )
    return f"<p><strong>Each part's reason.</strong></p><ul>{reasons}</ul>"


def _claim_derivations(claim: Claim, data: ReportData) -> tuple[list[str], list[str]]:
    """The HTML of the derivations shown with this claim (and links to those shown with
    another), and the names of those shown here."""
    html_parts: list[str] = []
    homes: dict[str, list[str]] = {}
    shown = []
    for name in claim.derivations:
        home = data.derivation_home(name)
        if home == claim.id:
            html_parts.append(_derivation(data.derivations.get(name), name))
            shown.append(name)
        elif home is not None:
            homes.setdefault(home, []).append(name)
    for home, names in homes.items():
        listed = ", ".join(f"<code>{_e(n)}</code>" for n in names)
        html_parts.append(
            f'<p class="small">Derivation{"s" if len(names) > 1 else ""} {listed}: shown with '
            f'<a href="#claim-{_e(home)}"><code>{_e(home)}</code></a>.</p>'
        )
    return html_parts, shown


def _fold_summary(claim: Claim, derivations: Sequence[str]) -> str:
    """What the claim's fold holds, as a sentence ("The paper's words, ... and the set-up")."""
    what = ["the paper's words", "the quantity"]
    what.append(f"all {len(claim.parts)} parts" if len(claim.parts) > 1 else "the numbers")
    what.append("the set-up")
    if derivations:
        what.append(
            "the derivation" + ("s " if len(derivations) > 1 else " ")
            + ", ".join(f"<code>{_e(n)}</code>" for n in derivations)
        )  # fmt: skip
    summary = ", ".join(what[:-1]) + " and " + what[-1]
    return summary[0].upper() + summary[1:]


def _claim(claim: Claim, data: ReportData) -> str:
    out = [
        f'<section id="claim-{_e(claim.id)}"><h2><code>{_e(claim.id)}</code> '
        f'<span class="where">— {_e(prose_math(claim.section, markup=False))}: '
        f"{_e(quantity_name(claim, data.paper))}</span></h2>",
        _reason(claim, data),
    ]
    if 1 < len(claim.parts) <= FOLD_ROWS - 1:
        out.append(_parts_line(claim))
    derivations, shown = _claim_derivations(claim, data)
    inner = [
        f"<blockquote>{_e(claim.statement)}</blockquote>",
        f"<p><strong>Quantity.</strong> {_e(reason_text(claim.quantity))}</p>",
        _claim_facts(claim, data),
        _parts_table(claim),
        _alternatives_table(claim),
        _part_reasons(claim),
        f"<p><strong>Simulation set-up.</strong> {_e(reason_text(claim.setup))}</p>",
        *derivations,
    ]
    out.append(_fold(_fold_summary(claim, shown), "".join(inner)))
    out += [_figure(f) for f in data.figures_for(claim.id)]
    out.append("</section>")
    return "".join(out)


def _sensitivity(data: ReportData) -> str:
    section = sensitivity_section
    text = section.introduction(data.claims, bool(data.meta.get("parameters", {}).get("quick")))
    if not text:
        return ""
    ids = [c.id for c in data.claims]
    out = [
        f"<p>{_inline(text, ids)}</p>",
        _fold("How a reading counts", f"<p>{_inline(section.method(data.claims))}</p>"),
    ]
    for table in section.tables(data.claims):
        claim = table.claim
        rows = [
            [
                f"<td>{_badge(cell)}</td>"
                if j in table.verdict_columns
                else (_num(cell, tips[j]) if j else f"<td>{_e(cell)}</td>")
                for j, cell in enumerate(row)
            ]
            for row, tips in zip(table.rows, table.other_level, strict=True)
        ]
        out.append(
            _fold(
                f"<code>{_e(claim.id)}</code> at {len(rows)} readings "
                f"{_badge(claim.verdict, claim.outcome.theory_simulation_disagree)}",
                _table(table.header, rows, cells=True),
            )
        )
    out += [
        _fold(f"Figure: {_e(f.title)}", _figure(f))
        for f in data.section_figures(section.SECTION_ID)
    ]
    # superseded by the box of readings above: the whole section is one fold
    return (
        f'<section id="{_e(section.SECTION_ID)}"><h2>{_e(section.SECTION_TITLE)}</h2>'
        + _fold("One reading at a time around the defaults (superseded by the box)", "".join(out))
        + "</section>"
    )


def _readings(data: ReportData) -> str:
    section = readings_section
    text = section.introduction(data.claims)
    if not text:
        return ""
    ids = [c.id for c in data.claims]
    claim_rows = [
        [f'<a href="#claim-{_e(row[0])}"><code>{_e(row[0])}</code></a>', _badge(row[1]),
         _badge(row[2]), *(_e(cell) for cell in row[3:])]
        for row in section.claim_rows(data.claims)
    ]  # fmt: skip
    reading_rows = [
        [f'<a href="#claim-{_e(row[0])}"><code>{_e(row[0])}</code></a>',
         *(_e(cell) for cell in row[1:])]
        for row in section.reading_rows(data.claims)
    ]  # fmt: skip
    out = [
        f'<section id="{section.SECTION_ID}"><h2>{_e(section.SECTION_TITLE)}</h2>',
        f"<p>{_inline(text, ids)}</p>",
        _table(section.CLAIM_HEADER, claim_rows, raw=True),
        f"<p>{_inline(section.joint_text(data.claims), ids)}</p>",
        # the box's figures are the section's detail: folded, like its tables
        *(
            _fold(f"Figure: {_e(f.title)}", _figure(f))
            for f in data.section_figures(section.SECTION_ID)
        ),
        _fold(
            "The most and the least favourable readings, re-run",
            _table(section.READING_HEADER, reading_rows, raw=True),
        ),
        _fold("How the box is searched", f"<p>{_inline(section.method(data.claims))}</p>"),
        _fold(
            "The box: every unstated parameter, its readings and why",
            _table(
                section.BOX_HEADER, [[_inline(c) for c in r] for r in section.box_rows()], raw=True
            ),
        ),
        "</section>",
    ]
    return "".join(out)


def _contents(data: ReportData) -> str:
    def link(anchor: str, text: str, code: bool = False) -> str:
        inner = f"<code>{_e(text)}</code>" if code else _e(text)
        return f'<li><a href="#{_e(anchor)}">{inner}</a></li>'

    items = [link("summary", "Summary")]
    groups = claim_groups(data.claims)
    for title, claims in groups:
        if claims:
            items.append(f'<li class="group">{_e(title)}</li>')
            items += [link(f"claim-{c.id}", c.id, code=True) for c in claims]
    items.append('<li class="group">Across claims</li>')
    if readings_section.introduction(data.claims):
        items.append(link(readings_section.SECTION_ID, "Sec. 4 over the box of readings"))
    quick = bool(data.meta.get("parameters", {}).get("quick"))
    if sensitivity_section.introduction(data.claims, quick):
        items.append(link(sensitivity_section.SECTION_ID, "One reading at a time"))
    if data.unanchored_figures():
        items.append(link("figures", "Further figures"))
    items.append(link("assumptions", "Assumptions"))
    items.append(link("reproduce", "How to reproduce"))
    return f'<nav id="contents"><h2>Contents</h2><ul>{"".join(items)}</ul></nav>'


def _short_section(section: str) -> str:
    """Where, without the gloss: ``Sec. 5.1 (the .943), at the paper's n = 10`` ->
    ``Sec. 5.1``; an equation's number stays (``Sec. 5, Eq. (1)``)."""
    where = re.sub(r" \((?!\d)[^()]*\)", "", section).split(", at ")[0]
    return prose_math(where, markup=False)


def _summary(data: ReportData) -> str:
    rows = []
    for claim in data.claims:
        first = claim.primary
        others = len(claim.parts) - 1
        more = f' <span class="more">+{others} part{"s" if others > 1 else ""}</span>'
        sim = first.simulated
        tip = "" if sim is None else f"95%: {part_text(first, 95)}"
        rows.append(
            [
                f'<td><a href="#claim-{_e(claim.id)}"><code>{_e(claim.id)}</code></a>'
                f'<span class="where">{_e(_short_section(claim.section))}</span></td>',
                f"<td>{_e(quantity_name(claim, data.paper))}</td>",
                _num(paper_text(first)),
                _num(format_value(first.exact_value)),
                f'<td class="num" title="{_e(tip)}">{_e(part_text(first))}'
                f"{more if others else ''}</td>",
                f"<td>{_claim_badge(claim, data)}</td>",
            ]
        )
    return _table(SUMMARY_HEADER, rows, css="summary", cells=True)


def _disagreement_warning(data: ReportData) -> str:
    disagree = [c.id for c in data.claims if c.outcome.theory_simulation_disagree]
    if not disagree:
        return ""
    return (
        f'<p class="warning"><strong>Theory and simulation disagree on '
        f"{_e(', '.join(disagree))}.</strong> The toolkit is wrong somewhere; those verdicts "
        "cannot be trusted.</p>"
    )


def _legend(data: ReportData) -> str:
    """What the dependence mark means (when a verdict carries it) and the hover hint."""
    marked = any(dependence(c, data.assumptions) for c in data.claims)
    legend = (
        f'<p class="small"><span class="mark">{DEPENDENCE_MARK}</span> the verdict depends on '
        "the toolkit's own assumptions (hover for why; see "
        f'<a href="#{readings_section.SECTION_ID}">Sec. 4 over the box</a> and '
        '<a href="#assumptions">the assumptions</a>). '
        if marked
        else '<p class="small">'
    )
    return legend + "Hover over an interval for its 95% version.</p>"


def _introduction(data: ReportData) -> str:
    meanings = "".join(f"<li>{_badge(v)} {_e(text)}</li>" for v, text in VERDICT_MEANINGS.items())
    return _fold(
        "What the report does, what the verdicts and the intervals mean",
        f"<p>{_inline(data.paper.introduction)}</p><ul>{meanings}</ul><p>{_e(LEVELS_NOTE)}</p>",
    )


def _assumptions(data: ReportData) -> list[str]:
    return [
        '<h2 id="assumptions">Assumptions the paper does not state, and the toolkit\'s '
        "choices</h2>",
        _fold(
            f"{len(data.assumptions)} choices, and where each is made",
            _table(
                ["topic", "the paper", "the toolkit's choice", "where"],
                [[a.topic, a.paper, a.choice, a.where] for a in data.assumptions],
            ),
        ),
    ]


def _provenance(claims: Sequence[Claim]) -> str:
    """Every number's command and evidence hash, per claim (folded)."""
    rows = [
        [
            f'<a href="#claim-{_e(claim)}"><code>{_e(claim)}</code></a>',
            _e(part),
            f"<code>{_e(command)}</code>",
            f"<code>{_e(output)}</code>" if output != "-" and " " not in output else _e(output),
            f"<code>{_e(evidence)}</code>",
        ]
        for claim, part, command, output, evidence in provenance_rows(claims)
    ]
    if not rows:
        return ""
    table = _table(["claim", "part", "command", "output", "evidence"], rows, raw=True)
    return _fold(
        "Every number: its command and its evidence", f"<p>{_e(PROVENANCE_NOTE)}</p>{table}"
    )


def _reproduce(meta: Mapping[str, Any], claims: Sequence[Claim] = ()) -> list[str]:
    """The command that reproduces the report, every number's own command and evidence
    hash, the seed, the time taken and the versions."""
    versions = meta.get("versions", {})
    times = meta.get("time", {})
    return [
        '<h2 id="reproduce">How to reproduce</h2>',
        f"<pre><code>{_e(reproduce_command(meta))}</code></pre>",
        _provenance(claims),
        f'<p class="small">Seed {_e(meta.get("seed"))}; quick: '
        f"{_e(meta.get('parameters', {}).get('quick'))}; generated "
        f"{_e(times.get('finished', ''))} in {float(times.get('seconds', 0)):.1f} s.</p>",
        _fold(
            "Versions",
            _table(["component", "version"], [[k, str(v)] for k, v in versions.items()]),
        ),
    ]


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document (UTF-8, self-contained)."""
    ids = [c.id for c in data.claims]
    extra = data.unanchored_figures()
    main = [
        f"<h1>{_e(data.paper.report_title)}</h1>",
        f'<p class="abstract" id="abstract">{_inline(abstract(data.claims, data.assumptions), ids)}'
        "</p>",
        '<h2 id="summary">Summary</h2>',
        _summary(data),
        _legend(data),
        _disagreement_warning(data),
        _introduction(data),
        *(_claim(c, data) for c in data.claims),
        _readings(data),
        _sensitivity(data),
        *(['<h2 id="figures">Further figures</h2>'] if extra else []),
        *(_fold(f"Figure: {_e(f.title)}", _figure(f)) for f in extra),  # an appendix: folded
        *_assumptions(data),
        *_reproduce(data.meta, data.claims),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>fastweights report: {_e(data.paper.citation)} verified</title>"
        f"<style>{_STYLE}</style></head><body>"
        + _contents(data)
        + "<main>"
        + "\n".join(main)
        + "</main></body></html>\n"
    )
