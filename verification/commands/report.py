"""``fastweights report``: the theory-vs-experiment report, claim by claim.

Writes ``DIR/report.md``, ``DIR/report.html`` (one self-contained file: figures embedded,
MathML formulas, no network, no JavaScript), ``DIR/results.json`` and
``DIR/figures/*.png``. Every file is replaced atomically, all of them only after
everything is computed, so a run killed half-way leaves the previous report intact.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..report.atomic import MANIFEST_NAME, check_output_directory
from ..report.results import command_line
from ._common import add_quiet_option
from .verify import add_readings_option, add_seed_option, check_readings, check_seed

PATH = ("report",)
HELP = "write the report (Markdown, self-contained HTML, JSON, figures) to a directory"

DEFAULT_OUT = "report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"directory to write the report to (default {DEFAULT_OUT}/; created if needed); "
        f"files fastweights did not write there are never overwritten (see {MANIFEST_NAME})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite files in DIR that fastweights did not write",
    )
    add_seed_option(parser)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer trials and seeds (for a first look; the verdicts are still decided)",
    )
    parser.add_argument(
        "--claim",
        action="append",
        metavar="ID",
        default=None,
        help="report only this claim and its figures (repeatable)",
    )
    add_readings_option(parser)
    add_quiet_option(parser)


def run(options: argparse.Namespace) -> dict[str, Any]:
    from ..report.build import REPORT_WRITES, build_report, write_report  # matplotlib: lazily

    seed = check_seed(options.seed)
    readings = check_readings(options.readings)
    out = check_output_directory("--out", options.out, REPORT_WRITES, force=options.force)
    directory = out.path
    data, files = build_report(
        seed,
        quick=bool(options.quick),
        command=command_line("report", seed, bool(options.quick), options.claim, readings),
        ids=options.claim,
        progress=not options.quiet,
        readings=readings,
    )
    paths = write_report(out, files)
    verdicts: dict[str, int] = {}
    for claim in data.claims:
        verdicts[claim.verdict] = verdicts.get(claim.verdict, 0) + 1
    return {
        "out": str(directory),
        "files": sorted(str(p.relative_to(directory)) for p in paths),
        "report": str(directory / "report.html"),
        "verdicts": verdicts,
        "undecided": [c.id for c in data.claims if not c.decided],
        "seed": seed,
        "seconds": data.meta["time"]["seconds"],
    }


def render(result: dict[str, Any]) -> str:
    counts = ", ".join(f"{n} {v}" for v, n in result["verdicts"].items())
    lines = [
        f"report written to {result['out']}/ ({len(result['files'])} files) in "
        f"{result['seconds']:.1f} s",
        f"open {result['report']} in a browser (or read {result['out']}/report.md)",
        f"verdicts: {counts}",
    ]
    if result["undecided"]:
        lines.append("NOT DECIDED: " + ", ".join(result["undecided"]))
    return "\n".join(lines)
