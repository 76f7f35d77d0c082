"""Text of a readings analysis (``readings.json``), for the command line and the report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["part_text", "reading_text", "summary_lines"]


def part_text(part: Mapping[str, Any]) -> str:
    """``10% retrained 0.43 [0.38, 0.48] (claimed > 0.8): refuted``."""
    sim = part.get("simulated")
    side = ">" if part["claimed_side"] == "above" else "<"
    if sim is None:
        value = "no interval"
    else:
        value = f"{sim['estimate']:.3g} [{sim['ci95_low']:.3g}, {sim['ci95_high']:.3g}]"
    return f"{part['label']} {value} (claimed {side} {part['threshold']:g}): {part['verdict']}"


def reading_text(entry: Mapping[str, Any] | None) -> str:
    """A re-run reading: its label, seeds, verdict and parts."""
    if entry is None:
        return "none"
    against = entry.get("against_text") or []
    note = f"; against the paper's text in {', '.join(against)}" if against else ""
    parts = "; ".join(part_text(p) for p in entry.get("parts", []))
    return f"{entry['label']} ({entry['seeds']} seeds{note}): {entry['verdict']} — {parts}"


def summary_lines(result: Mapping[str, Any]) -> list[str]:
    """One block per claim (with its margin: the best value found, its interval, the
    threshold and the dimensions that push toward it), then the joint answer of the four
    Sec. 4 claims."""
    lines = [
        f"{result['source']}: {result['readings']} readings x {result['seeds_per_reading']} "
        f"seeds, candidates re-run on {result['rerun_seeds']} seeds"
        + (
            f" (undecided best or worst readings again on {result['confirm_seeds']})"
            if result.get("confirm_seeds")
            else ""
        ),
        "",
    ]
    for claim, v in result["claims"].items():
        share = v.get("share")
        share_text = (
            f"{share['estimate']:.0%} [95%: {share['ci95_low']:.0%}, {share['ci95_high']:.0%}]"
            if share
            else "-"
        )
        lines += [
            f"{claim}: {v['verdict']}",
            f"  at the defaults: {v['holds_at_defaults']}",
            f"  holds (estimate on the claimed side) at {v['readings_where_it_holds']} of "
            f"{v['counted_readings']} counted readings: {share_text}",
            f"  best reading, re-run: {reading_text(v.get('best_rerun'))}",
            f"  worst reading, re-run: {reading_text(v.get('worst_rerun'))}",
        ]
        if v.get("depends_on"):
            lines.append(f"  depends most on: {', '.join(v['depends_on'])}")
        if v.get("margin_text"):
            lines.append(f"  {v['margin_text']}")
        if v.get("rows_without_its_numbers"):
            lines.append(
                f"  not in this evidence: {v['rows_without_its_numbers']} runs hold no numbers "
                "for it; re-make the search"
            )
        lines.append("")
    joint = result["joint"]
    lines += [f"all Sec. 4 claims together: {joint['verdict']}", f"  {joint['reason']}"]
    return lines
