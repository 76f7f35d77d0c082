"""The report as one self-contained HTML file (``report.html``).

Figures are embedded as base64 ``data:`` PNGs, formulas are presentation MathML (rendered
natively by browsers), the style sheet is inline; no network, no JavaScript.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..claims.model import DECISION_LEVEL, Claim
from . import readings as readings_section
from .document import Figure, ReportData, format_number
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

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 62rem;
       margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; background: #fff; }
h1 { font-size: 1.7rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem;
margin-top: 2.5rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
blockquote { border-left: 4px solid #56B4E9; margin: 1rem 0; padding: .3rem 1rem;
             background: #f5fafd; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .8rem; color: #fff;
         font-weight: 600; font-size: .85rem; white-space: nowrap; }
.warning { border: 2px solid #D55E00; background: #fff3ea; padding: .5rem 1rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto;
border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #333; }
details { margin: .5rem 0 1rem; } summary { cursor: pointer; font-weight: 600; }
ol.steps li { margin: .4rem 0; } .note { color: #444; font-size: .9rem; }
.formula { overflow-x: auto; overflow-y: hidden; } math[display="block"] { margin: .3rem 0; }
code { background: #f4f4f4; padding: 0 .2rem; }
pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _inline(text: str) -> str:
    """Escape, then render Markdown's inline `code` and *emphasis*."""
    escaped = _e(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)


def _badge(verdict: str, disagree: bool = False) -> str:
    colour = _BADGE.get(verdict, "#000000")
    text = verdict + (" ⚠ theory≠simulation" if disagree else "")
    background = "#000000" if disagree else colour
    return f'<span class="badge" style="background:{background}">{_e(text)}</span>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], raw: bool = False) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(f"<td>{cell if raw else _e(cell)}</td>" for cell in row)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(figure: Figure) -> str:
    encoded = base64.b64encode(figure.png).decode("ascii")
    return (
        f'<figure id="fig-{_e(figure.name)}"><img src="data:image/png;base64,{encoded}" '
        f'alt="{_e(figure.title)}"><figcaption><strong>{_e(figure.title)}.</strong> '
        f"{_e(figure.caption)}</figcaption></figure>"
    )


def _derivation(formulas: Mapping[str, Any] | None, name: str) -> str:
    if formulas is None:
        return f"<p><em>Derivation <code>{_e(name)}</code> is not available.</em></p>"
    steps = "".join(
        f'<li><strong>{_e(s["name"])}</strong> <span class="note">{_e(s["note"])}</span>'
        f'<div class="formula">{s["mathml"]}</div></li>'
        for s in formulas["steps"]
    )
    return (
        f"<details open><summary>Derivation <code>{_e(name)}</code>: "
        f"{_e(formulas['title'])} ({_e(formulas['section'])})</summary>"
        f'<ol class="steps">{steps}</ol></details>'
    )


def _claim(claim: Claim, data: ReportData) -> str:
    o = claim.outcome
    out = [
        f'<section id="claim-{_e(claim.id)}"><h2><code>{_e(claim.id)}</code> — '
        f"{_e(claim.section)}</h2>",
        f"<blockquote>{_e(claim.statement)}</blockquote>",
        f"<p><strong>Quantity.</strong> {_e(claim.quantity)}</p>",
        f"<p><strong>Verdict:</strong> {_badge(o.verdict, o.theory_simulation_disagree)} "
        f"{_e(o.reason)}</p>",
    ]
    if o.gap is not None:
        rel = "" if o.relative_gap is None else f" (relative {o.relative_gap:+.2%})"
        out.append(f"<p>Gap, paper − exact: {_e(format_number(o.gap))}{_e(rel)}.</p>")
    if o.alternative:
        out.append(
            f"<p>The paper's value is exact for: <strong>{_e(o.alternative)}</strong> "
            f"(= {_e(format_number(o.alternative_value))}).</p>"
        )
    level = claim.primary.simulated.level if claim.primary.simulated else 0.999
    rows = [
        [
            _e(p.label),
            _e(paper_text(p)),
            f'<span class="num">{_e(format_number(p.exact_value))}</span>',
            f'<span class="num">{_e(simulated_text(p.simulated, 95))}</span>',
            f'<span class="num">{_e(simulated_text(p.simulated))}</span>',
            _badge(p.outcome.verdict, p.outcome.theory_simulation_disagree),
        ]
        for p in claim.parts
    ]
    out.append(
        _table(
            ["part", "paper", "exact", "simulated [95%]", f"[{level:.1%}]", "verdict"],
            rows,
            raw=True,
        )
    )
    alternatives = [(p.label, a) for p in claim.parts for a in p.alternatives]
    if alternatives:
        out.append(
            _table(
                ["part", "alternative quantity", "exact", "simulated [95%]"],
                [
                    [label, a.name, format_number(a.exact_value), simulated_text(a.simulated, 95)]
                    for label, a in alternatives
                ],
            )
        )
    if len(claim.parts) > 1:
        reasons = "".join(
            f"<li><strong>{_e(p.label)}</strong>: {_e(p.outcome.reason)}</li>" for p in claim.parts
        )
        out.append(f"<details><summary>Each part's reason</summary><ul>{reasons}</ul></details>")
    out.append(f"<p><strong>Simulation set-up.</strong> {_e(claim.setup)}</p>")
    for name in claim.derivations:
        home = data.derivation_home(name)
        if home == claim.id:
            out.append(_derivation(data.derivations.get(name), name))
        else:
            out.append(
                f'<p>Derivation <code>{_e(name)}</code>: shown with <a href="#claim-{_e(home)}">'
                f"<code>{_e(home)}</code></a>.</p>"
            )
    out += [_figure(f) for f in data.figures_for(claim.id)]
    out.append("</section>")
    return "".join(out)


def _sensitivity(data: ReportData) -> str:
    text = introduction(data.claims, bool(data.meta.get("parameters", {}).get("quick")))
    if not text:
        return ""
    out = [f'<section id="{_e(SECTION_ID)}"><h2>{_e(SECTION_TITLE)}</h2><p>{_inline(text)}</p>']
    for table in tables(data.claims):
        claim = table.claim
        out.append(
            f'<p><a href="#claim-{_e(claim.id)}"><code>{_e(claim.id)}</code></a>: '
            f"{_badge(claim.verdict, claim.outcome.theory_simulation_disagree)}</p>"
        )
        rows = [
            [
                _badge(cell)
                if j in table.verdict_columns
                else f'<span class="num">{_e(cell)}</span>'
                for j, cell in enumerate(row)
            ]
            for row in table.rows
        ]
        out.append(_table(table.header, rows, raw=True))
    out += [_figure(f) for f in data.section_figures(SECTION_ID)]
    out.append("</section>")
    return "".join(out)


def _readings(data: ReportData) -> str:
    text = readings_section.introduction(data.claims)
    if not text:
        return ""
    section = readings_section
    claim_rows = [
        [f'<a href="#claim-{_e(row[0])}"><code>{_e(row[0])}</code></a>', _badge(row[1]),
         _badge(row[2]), *(_e(cell) for cell in row[3:])]
        for row in section.claim_rows(data.claims)
    ]  # fmt: skip
    out = [
        f'<section id="{section.SECTION_ID}"><h2>{_e(section.SECTION_TITLE)}</h2>',
        f"<p>{_inline(text)}</p>",
        _table(section.CLAIM_HEADER, claim_rows, raw=True),
        f"<p>{_inline(section.joint_text(data.claims))}</p>",
        *(_figure(f) for f in data.section_figures(section.SECTION_ID)),
        "<details><summary>The box: every unstated parameter, its readings and why</summary>",
        _table(section.BOX_HEADER, section.box_rows()),
        "</details></section>",
    ]
    return "".join(out)


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document (UTF-8, self-contained)."""
    meta = data.meta
    summary = [
        [
            f'<a href="#claim-{_e(row[0])}"><code>{_e(row[0])}</code></a>',
            _e(row[1]),
            f'<span class="num">{_e(row[2])}</span>',
            f'<span class="num">{_e(row[3])}</span>',
            f'<span class="num">{_e(row[4])}</span>',
            _badge(claim.verdict, claim.outcome.theory_simulation_disagree),
        ]
        for row, claim in zip(summary_rows(data.claims), data.claims, strict=True)
    ]
    disagree = [c.id for c in data.claims if c.outcome.theory_simulation_disagree]
    warning = (
        f'<p class="warning"><strong>Theory and simulation disagree on '
        f"{_e(', '.join(disagree))}.</strong> The toolkit is wrong somewhere; those verdicts "
        "cannot be trusted.</p>"
        if disagree
        else ""
    )
    meanings = "".join(f"<li>{_badge(v)} {_e(text)}</li>" for v, text in VERDICT_MEANINGS.items())
    extra = data.unanchored_figures()
    versions = meta.get("versions", {})
    times = meta.get("time", {})
    body = [
        "<h1>Hinton &amp; Plaut (1987), claim by claim: theory against simulation</h1>",
        f"<p>{_inline(INTRODUCTION)}</p>",
        '<h2 id="summary">Summary</h2>',
        _table(
            [
                "claim",
                "section",
                "paper",
                "exact",
                f"simulated [{DECISION_LEVEL:.1%} interval]",
                "verdict",
            ],
            summary,
            raw=True,
        ),
        f"<p>{_e(LEVELS_NOTE)}</p>",
        warning,
        f"<ul>{meanings}</ul>",
        *(_claim(c, data) for c in data.claims),
        _readings(data),
        _sensitivity(data),
    ]
    if extra:
        body.append('<h2 id="figures">Further figures</h2>')
        body += [_figure(f) for f in extra]
    body.append(
        '<h2 id="assumptions">Assumptions the paper does not state, and the toolkit\'s choices</h2>'
    )
    body.append(
        _table(
            ["topic", "the paper", "the toolkit's choice", "where"],
            [[a.topic, a.paper, a.choice, a.where] for a in data.assumptions],
        )
    )
    body.append('<h2 id="reproduce">How to reproduce</h2>')
    body.append(f"<pre><code>{_e(reproduce_command(meta))}</code></pre>")
    body.append(_table(["component", "version"], [[k, str(v)] for k, v in versions.items()]))
    body.append(
        f"<p>Seed {_e(meta.get('seed'))}; quick: "
        f"{_e(meta.get('parameters', {}).get('quick'))}; generated "
        f"{_e(times.get('finished', ''))} in {float(times.get('seconds', 0)):.1f} s.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>fastweights report: Hinton &amp; Plaut (1987) verified</title>"
        f"<style>{_STYLE}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )
