"""The report section on the Sec. 4 claims over the box of readings, and its figures.

Built from the claims alone: each Sec. 4 claim carries its evidence over the box
(:attr:`verification.engine.model.Claim.readings`, from
:func:`verification.claims.deblur.decide_over_readings`), so the Markdown, the HTML and
``results.json`` show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..engine.model import DECISION_LEVEL, Claim
from ..engine.paper import current_paper
from .document import Figure
from .notation import parameter_text, symbols
from .numbers import format_interval, format_percent_interval, format_value, tidy_numbers
from .text import part_bounds

__all__ = [
    "SECTION_ID",
    "SECTION_TITLE",
    "box_rows",
    "claim_rows",
    "introduction",
    "joint_text",
    "method",
    "reading_rows",
    "reading_text",
    "readings_figures",
]

SECTION_ID = "readings"
SECTION_TITLE = "Sec. 4 over the box of readings of what the paper leaves unstated"


def _with_readings(claims: Sequence[Claim]) -> list[Claim]:
    return [c for c in claims if c.readings]


def introduction(claims: Sequence[Claim]) -> str:
    """The opening sentences ('' when no claim was judged over the box)."""
    present = _with_readings(claims)
    if not present:
        return ""
    r = present[0].readings or {}
    box = current_paper().box()
    names = ", ".join(d.symbol for d in box)
    return (
        "The paper leaves open how its Sec. 4 network was trained in detail, so each Sec. 4 "
        f"claim is judged over a declared box of readings of {len(box)} unstated choices "
        f"({names}): {r.get('readings')} readings on {r.get('seeds_per_reading')} seeds "
        "each, the most and the least favourable reading of each claim and the best joint "
        f"reading re-run on {r.get('rerun_seeds')} fresh seeds"
        + (
            f" (those still undecided, again on {r['confirm_seeds']})"
            if r.get("confirm_seeds")
            else ""
        )
        + "."
    )


def method(claims: Sequence[Claim]) -> str:
    """How the box is searched and a claim judged over it ('' without box evidence)."""
    present = _with_readings(claims)
    if not present:
        return ""
    r = present[0].readings or {}
    dims = "; ".join(f"{d.symbol} in {d.describe()}" for d in current_paper().box())
    return (
        f"The box (the table below says why each range is plausible for 1986-87 "
        f"back-propagation and what the paper's text says): {dims}. Source: "
        f"{r.get('source')}: a space-filling design (the three two-level choices crossed, "
        "scrambled Sobol within). A reading counts for the claims about retraining when its "
        "original learning is intact (at most 10% of the old outputs on the wrong side of "
        "0.5). A claim is `reproduced` when it holds at the defaults and at the least "
        "favourable reading, `refuted` when it fails at the defaults and at the most "
        "favourable one (no reading in the box reproduces it), `reading-dependent` when it "
        "holds at one and fails at another (the parameters it depends on most are named), "
        "and `inconclusive` otherwise."
    )


def claim_rows(claims: Sequence[Claim]) -> list[list[str]]:
    """Per claim (:data:`CLAIM_HEADER`): verdict, at the defaults, share of readings where
    it holds, the parameters it depends on most."""
    rows = []
    for claim in _with_readings(claims):
        r = claim.readings or {}
        share = r.get("share")
        share_text = (
            f"{r['readings_where_it_holds']} of {r['counted_readings']}: "
            + format_percent_interval(share["estimate"], share["ci95_low"], share["ci95_high"])
            if share
            else "—"
        )
        rows.append(
            [
                claim.id,
                claim.verdict,
                r.get("holds_at_defaults", "—"),
                share_text,
                ", ".join(symbols().get(d, d) for d in r.get("depends_on", [])) or "—",
            ]
        )
    return rows


CLAIM_HEADER = [
    "claim",
    "verdict over the box",
    "at the defaults",
    "readings where it holds [95%]",
    "depends most on",
]


def reading_text(
    entry: Mapping[str, Any] | None,
    bounds: Mapping[str, tuple[float, float] | None] | None = None,
) -> str:
    """A re-run reading: its label, seeds, verdict and parts, each part's estimate with its
    decision-level interval (the level its verdict uses), cut to the part's range
    (``bounds`` by part label)."""
    if entry is None:
        return "none"
    against = entry.get("against_text") or []
    note = (
        f"; against the paper's text in {', '.join(symbols().get(a, a) for a in against)}"
        if against
        else ""
    )
    parts = []
    for p in entry.get("parts", []):
        sim = p.get("simulated")
        side = ">" if p.get("claimed_side") == "above" else "<"
        value = (
            "no interval"
            if sim is None
            else format_interval(
                sim["estimate"], sim["ci_low"], sim["ci_high"], (bounds or {}).get(p["label"])
            )
        )
        parts.append(
            f"{p['label']} {value} (claimed {side} {format_value(p['threshold'])}): {p['verdict']}"
        )
    return f"{entry['label']} ({entry['seeds']} seeds{note}): {entry['verdict']} — " + "; ".join(
        parts
    )


READING_HEADER = [
    "claim",
    f"most favourable reading, re-run [{DECISION_LEVEL:.1%}]",
    f"least favourable reading, re-run [{DECISION_LEVEL:.1%}]",
]


def reading_rows(claims: Sequence[Claim]) -> list[list[str]]:
    """Per claim (:data:`READING_HEADER`): its most and least favourable readings, re-run."""
    rows = []
    for claim in _with_readings(claims):
        bounds = {p.label: part_bounds(p) for p in claim.parts}
        r = claim.readings or {}
        rows.append(
            [
                claim.id,
                reading_text(r.get("best_rerun"), bounds),
                reading_text(r.get("worst_rerun"), bounds),
            ]
        )
    return rows


def joint_text(claims: Sequence[Claim]) -> str:
    """The answer to: is there one reading under which all Sec. 4 claims hold together?"""
    present = _with_readings(claims)
    if not present:
        return ""
    joint = (present[0].readings or {}).get("joint", {})
    reason = tidy_numbers(parameter_text(joint.get("reason", "")))
    return f"All Sec. 4 claims together: `{joint.get('verdict')}`. {reason}"


BOX_HEADER = ["parameter", "readings", "default", "why this range", "the paper's text"]


def box_rows() -> list[list[str]]:
    """The box: one row per dimension."""
    rows = []
    for d in current_paper().box():
        default = (
            "/".join(f"{v:g}" for v in d.default) if isinstance(d.default, tuple) else d.default
        )
        rows.append([f"{d.symbol} (`{d.name}`)", d.describe(), str(default), d.why, d.text or "—"])
    return rows


# ----------------------------------------------------------------- figures
def _share_map(claims: Sequence[Claim]) -> Figure:
    from .figure_style import drawn, new_figure
    from .notation import mathtext

    present = _with_readings(claims)
    columns: list[str] = []
    groups: list[tuple[str, int, int]] = []
    for dim in (present[0].readings or {})["dimensions"]:
        start = len(columns)
        columns += list(dim["levels"])
        groups.append((dim["symbol"], start, len(columns)))
    grid = np.full((len(present), len(columns)), np.nan)
    counts: list[list[str]] = []
    data: dict[str, Any] = {}
    for i, claim in enumerate(present):
        row_counts = []
        j = 0
        for dim in (claim.readings or {})["dimensions"]:
            for h, n in zip(dim["holds"], dim["counted"], strict=True):
                grid[i, j] = h / n if n else np.nan
                row_counts.append(f"{h}/{n}")
                j += 1
        counts.append(row_counts)
        data[claim.id] = (claim.readings or {})["dimensions"]
    fig, ax = new_figure(max(8.0, 0.42 * len(columns) + 2.5), 0.5 * len(present) + 2.2)
    image = ax.imshow(grid, cmap="cividis", vmin=0.0, vmax=1.0, aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = grid[i, j]
            colour = "#555555" if np.isnan(value) else "white" if value < 0.55 else "black"
            ax.text(j, i, counts[i][j], ha="center", va="center", fontsize=6.5, color=colour)
    ax.set_yticks(range(len(present)))
    ax.set_yticklabels([c.id for c in present], fontsize=8)
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels(columns, rotation=60, ha="right", fontsize=7)
    for symbol, start, stop in groups:
        ax.axvline(stop - 0.5, color="white", linewidth=2)
        ax.text((start + stop - 1) / 2, -0.6, mathtext(symbol), ha="center", va="bottom",
                fontsize=8)  # fmt: skip
    fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01, label="share of readings where it holds")
    return Figure(
        "readings-map",
        "Where in the box each Sec. 4 claim holds",
        "For each claim (rows) and each level of each unstated parameter (columns; continuous "
        "ones cut into three equal bins, in log where sampled so), the share of the search's "
        "counted readings whose estimate lies on the claimed side of the threshold; the cell "
        "gives the counts (holds / counted). Colour: cividis, from 0 (dark) to 1 (light); a "
        "white cell (0/0) has no counted reading.",
        claim_ids=tuple(c.id for c in present),
        data=data,
        section=SECTION_ID,
        **drawn(fig),
    )


def _fig2(claims: Sequence[Claim]) -> Figure | None:
    import textwrap

    from .figure_style import OKABE_ITO, drawn, new_figure
    from .notation import mathtext

    present = {c.id: c for c in _with_readings(claims)}
    transfer = (present.get("deblur-transfer") or next(iter(present.values()))).readings or {}
    panels = [("most favourable reading for deblur-transfer", transfer.get("best_rerun"))]
    panels.append(("best joint reading", (transfer.get("joint") or {}).get("best_rerun")))
    shown: list[tuple[str, Mapping[str, Any]]] = [
        (title, entry) for title, entry in panels if entry and entry.get("fig2")
    ]
    if not shown:
        return None
    fig, axes = new_figure(10.0, 4.3, columns=len(shown))
    axes = np.atleast_1d(axes)
    colours = {"0.1": OKABE_ITO["blue"], "0.5": OKABE_ITO["vermillion"]}
    data = {}
    for ax, (title, entry) in zip(axes, shown, strict=True):
        for key, curves in entry["fig2"].items():
            if not curves.get("retrained"):
                continue
            sweeps = np.arange(len(curves["retrained"]))
            share = f"{float(key):.0%}"
            ax.plot(sweeps, curves["retrained"], "-", color=colours.get(key), marker="o",
                    markersize=3, label=f"{share} retrained: retrained")  # fmt: skip
            ax.plot(sweeps, curves["unretrained"], "--", color=colours.get(key), marker="s",
                    markersize=3, label=f"{share} retrained: unretrained")  # fmt: skip
        label = textwrap.fill(entry["label"], 64)
        ax.set_title(f"{title}:\n{mathtext(label)}", fontsize=8)
        ax.set_xlabel("retraining sweep")
        ax.set_ylabel("average error of an output unit")
        ax.legend(fontsize=7)
        data[title] = {"label": entry["label"], "fig2": entry["fig2"]}
    return Figure(
        "readings-fig2",
        "Fig. 2 at the most favourable readings",
        "The paper's Fig. 2 (error on the retrained and the unretrained old associations over "
        "the first 20 retraining sweeps; mean over the re-run's seeds) at the reading most "
        "favourable to the transfer claim and at the best joint reading. Solid: retrained; "
        "dashed: unretrained; blue 10%, vermillion 50% retrained.",
        claim_ids=tuple(present),
        data=data,
        section=SECTION_ID,
        **drawn(fig),
    )


def readings_figures(claims: Sequence[Claim]) -> list[Figure]:
    """The section's figures ([] when no claim was judged over the box)."""
    if not _with_readings(claims):
        return []
    figures = [_share_map(claims)]
    fig2 = _fig2(claims)
    if fig2 is not None:
        figures.append(fig2)
    return figures


def evidence(claims: Sequence[Claim]) -> Mapping[str, Any]:
    """The box evidence of every Sec. 4 claim (for results.json)."""
    return {c.id: c.readings for c in _with_readings(claims)}
