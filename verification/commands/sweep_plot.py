"""``fastweights sweep-plot``: draw a sweep's measured values against the exact ones."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from ..sweep import plot_sweep
from ._common import add_json_option, format_estimate

PATH = ("sweep-plot",)
HELP = "draw a sweep's measured vs exact values across its grid into DIR/sweep.png"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", help="the sweep's --out directory")
    add_json_option(parser)


def run(
    options: argparse.Namespace,
    command_modules: Mapping[tuple[str, ...], ModuleType] | None = None,
) -> dict[str, Any]:
    return plot_sweep(options.directory, command_modules=command_modules)


def render(result: dict[str, Any]) -> str:
    lines = [f"wrote {result['plot']}"]
    if result["exact_from"]:
        lines.append(f"exact values from fastweights {result['exact_from']}")
    for key in result["panels"]:
        lines.append(f"{key}:")
        width = max(len(p["label"]) for p in result["points"])
        any_exact = any(p["exact"][key] is not None for p in result["points"])
        for point in result["points"]:
            cells = [point["label"].ljust(width)]
            if point["measured"][key] is not None:
                cells.append(format_estimate(point["measured"][key]))
            exact = point["exact"][key]
            if any_exact:
                cells.append("exact " + (format_estimate(exact) if exact is not None else "n/a"))
            inside = point["exact_inside_ci"][key]
            if inside is not None:
                cells.append("inside CI" if inside else "OUTSIDE CI")
            lines.append("  " + "  ".join(cells))
    return "\n".join(lines)
