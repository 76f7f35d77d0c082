"""Test support: ``bench busy``, a fixed amount of single-threaded numpy work per point.

Each unit sorts 100 000 seeded normal draws (numpy's sort is single-threaded, so the
work does not depend on BLAS threads); the benchmark calibrates the unit count to about
one second on the machine it runs on.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from verification.commands._common import add_json_option, add_quiet_option

PATH = ("bench", "busy")
SWEEPABLE = True
HELP = "test support: CPU-bound numpy work for the sweep benchmark"
UNIT_SIZE = 100_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--seed", type=int, required=True)
    add_quiet_option(parser)
    add_json_option(parser)


def busy_work(units: int, seed: int) -> float:
    """Sort ``units`` arrays of ``UNIT_SIZE`` normal draws; return a checksum."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    checksum = 0.0
    for _ in range(units):
        checksum += float(np.sort(rng.standard_normal(UNIT_SIZE))[UNIT_SIZE // 2])
    return checksum


def run(options: argparse.Namespace) -> dict[str, Any]:
    start = time.process_time()
    checksum = busy_work(options.units, options.seed)
    return {"checksum": checksum, "units": options.units, "cpu_time_s": time.process_time() - start}


def render(result: dict[str, Any]) -> str:
    return str(result["checksum"])
