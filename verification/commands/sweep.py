"""``fastweights sweep``: run one command over a grid of options, on a laptop or a cluster."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from ..sweep import run_sweep
from ._common import add_json_option, add_quiet_option

PATH = ("sweep",)
HELP = "run a theory/simulate command over a grid of options (resumable; Dask if installed)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "config", metavar="CONFIG.toml", help="the sweep: command, seed, [fixed], [grid]"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="where results.jsonl and manifest.json go: a new or empty directory, or a "
        "sweep's own (default: CONFIG-STEM-sweep)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask cluster at tcp://HOST:PORT"
    )
    where.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="LocalCluster worker processes (default: one per core)",
    )
    where.add_argument(
        "--in-process", action="store_true", help="run every point in this process, without Dask"
    )
    parser.add_argument(
        "--resume", action="store_true", help="finish a sweep in DIR: run only the missing points"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into DIR even if it is not a sweep's (without --resume: start afresh)",
    )
    add_quiet_option(parser)
    add_json_option(parser)


def run(
    options: argparse.Namespace,
    command_modules: Mapping[tuple[str, ...], ModuleType] | None = None,
) -> dict[str, Any]:
    summary = run_sweep(
        options.config,
        options.out,
        resume=options.resume,
        force=options.force,
        scheduler=options.scheduler,
        workers=options.workers,
        in_process=options.in_process,
        quiet=options.quiet,
        command_modules=command_modules,
    )
    return summary.to_json()


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['command']}: {result['points']} points, {result['computed']} computed now, "
        f"{result['already_done']} already in {result['results']}, "
        f"{len(result['failed'])} failed ({result['elapsed_s']:.1f} s, {result['execution']})"
    ]
    lines.extend(f"failed: {f['point']}: {f['error']}" for f in result["failed"])
    if result["failed"]:
        lines.append("run the same command with --resume to retry the failed points")
    return "\n".join(lines)


def exit_status(result: dict[str, Any]) -> int:
    return 1 if result["failed"] else 0
