"""``fastweights readings``: the Sec. 4 claims over the whole box of unstated readings."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ._common import add_json_option, add_quiet_option

PATH = ("readings",)
HELP = (
    "search the box of readings of what Sec. 4 leaves unstated (a space-filling design on the "
    "sweep engine, candidates re-run on more seeds) and judge each Sec. 4 claim over it"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..papers import HINTON_PLAUT_1987

    seed = HINTON_PLAUT_1987.default_seed
    parser.add_argument(
        "--quick",
        action="store_true",
        help="16 readings x 5 seeds (default: 256 x 10); candidates re-run on 40 seeds",
    )
    parser.add_argument(
        "--out", metavar="DIR", default="readings", help="where the search goes (default: readings)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=seed,
        metavar="S",
        help=f"seed of the design and the runs (default {seed}, the paper's)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask cluster at tcp://HOST:PORT"
    )
    where.add_argument(
        "--workers", type=int, metavar="N", help="LocalCluster worker processes (default: cores)"
    )
    where.add_argument("--in-process", action="store_true", help="run every reading here")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted search in DIR (same --seed and size; files of a finished "
        "search that fail the manifest's check are recomputed)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a DIR that is not new, empty or a readings search's, or start the "
        "search in DIR anew",
    )
    add_quiet_option(parser)
    add_json_option(parser)


def validate(options: argparse.Namespace) -> None:
    if options.seed < 0:
        raise UsageError("--seed", "an integer >= 0", options.seed)
    if not options.out.strip():
        raise UsageError("--out", "a directory path", options.out)
    if options.workers is not None and options.workers < 1:
        raise UsageError("--workers", "a positive number of worker processes", options.workers)


def run(options: argparse.Namespace) -> dict[str, Any]:
    from ..readings.search import FULL, QUICK, load_analysis, run_readings

    validate(options)
    out = options.out
    run_readings(
        out,
        size=QUICK if options.quick else FULL,
        seed=options.seed,
        resume=options.resume,
        force=options.force,
        scheduler=options.scheduler,
        workers=options.workers,
        in_process=options.in_process,
        quiet=options.quiet,
    )
    return load_analysis(out)


def render(result: dict[str, Any]) -> str:
    from ..readings.report import summary_lines

    return "\n".join(summary_lines(result))
