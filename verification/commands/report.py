"""``fastweights report``: the theory-vs-experiment report, claim by claim.

Writes ``DIR/report.md``, ``DIR/report.html`` (one self-contained file: figures embedded,
MathML formulas, no network, no JavaScript), ``DIR/results.json`` and
``DIR/figures/*.png``. Every file is replaced atomically, all of them only after
everything is computed, so a run killed half-way leaves the previous report intact.
Refused in one line before any computation (``verification.report.atomic``): an ``--out``
that cannot be created or written, a symbolic link inside it leading out of it, files there
fastweights did not write (unless ``--force``), and another run writing the same ``--out``.
A write that fails (a full disk, a file-size limit) is one line, the old report intact.
"""

from __future__ import annotations

import argparse
from typing import Any

from foundation.atomic import ignore_file_size_signal

from ..engine.results import command_line
from ..report.atomic import MANIFEST_NAME, check_output_directory, output_lock
from ._common import add_quiet_option
from .verify import (
    add_paper_option,
    add_readings_option,
    add_seed_option,
    check_readings,
    check_seed,
    selected_paper,
)

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
    add_paper_option(parser)
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

    ignore_file_size_signal()  # a file-size limit: EFBIG, one line, not a killed process
    from ..engine.paper import checking

    paper = selected_paper(options)
    seed = check_seed(options.seed, paper)
    with checking(paper):
        readings = check_readings(options.readings)
    # The lock first (a second run into this --out is refused at once), then every check of
    # the directory, all before the computation; nothing is created until the files are ready.
    with output_lock("--out", options.out), checking(paper):
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
