"""Sweep throughput on a LocalCluster: 2 workers vs 1, and the scheduler's overhead per point.

Runs POINTS points of about SECONDS each (``bench busy``: a fixed amount of
single-threaded numpy work, calibrated once at the start) through
:func:`verification.sweep.run_sweep` on a 1-worker and then a 2-worker LocalCluster
(loopback, one thread per worker), in one run. Reports points per second, their ratio
(target: at least 1.6x), and the overhead per point: 1 - (sum of the points' own wall
times) / (sweep elapsed x workers) (target: below 5%). The elapsed time is the whole
``run_sweep`` call (config checks, submission, every row written and fsync-ed), with the
cluster already started and its workers warmed up (imports done).

    .venv/bin/python benchmarks/bench_sweep.py                  # 200 x 1 s: about 5-6 min
    .venv/bin/python benchmarks/bench_sweep.py --points 20 --seconds 0.5   # a quick check

Needs the ``distributed`` extra. Run it on a quiet machine: the 2-worker figure is only
meaningful if two cores are free.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import distributed

from verification.sweep import read_rows, run_sweep
from verification.sweep._testing import COMMANDS, busy


def calibrate(seconds: float) -> tuple[int, float]:
    """The number of ``bench busy`` units that take about ``seconds`` in this process (best
    of 3), and the time they take here (the reference for a point's time on a worker)."""
    busy.busy_work(2, seed=0)  # warm up
    trial_units = 5
    best = min(_timed(trial_units) for _ in range(3))
    units = max(1, round(seconds * trial_units / best))
    return units, min(_timed(units) for _ in range(2))


def _timed(units: int) -> float:
    start = time.perf_counter()
    busy.busy_work(units, seed=0)
    return time.perf_counter() - start


def _warm_up() -> int:
    import verification.sweep._testing.busy
    import verification.sweep.execute  # noqa: F401

    return os.getpid()


def measure(workers: int, config: Path, directory: Path) -> dict[str, Any]:
    """One sweep of ``config`` on a fresh ``workers``-worker LocalCluster."""
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        client.run(_warm_up)
        load_before = os.getloadavg()
        start = time.perf_counter()
        summary = run_sweep(
            config,
            directory,
            scheduler=cluster.scheduler_address,
            quiet=True,
            command_modules=COMMANDS,
        )
        elapsed = time.perf_counter() - start
        load_after = os.getloadavg()
    if summary.failed:
        raise RuntimeError(f"points failed: {summary.failed[:3]}")
    rows = read_rows(directory / "results.jsonl").rows
    busy_time = sum(row["wall_time_s"] for row in rows)
    cpu_time = sum(row["result"]["cpu_time_s"] for row in rows)
    return {
        "workers": workers,
        "points": len(rows),
        "elapsed_s": elapsed,
        "points_per_s": len(rows) / elapsed,
        "mean_point_wall_s": busy_time / len(rows),
        "mean_point_cpu_s": cpu_time / len(rows),
        "overhead_fraction": 1 - busy_time / (elapsed * workers),
        "load_average_before": load_before,
        "load_average_after": load_after,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=1.0, help="work per point")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    units, in_process_s = calibrate(options.seconds)
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, dask.distributed {distributed.__version__}",
        "points": options.points,
        "units_per_point": units,
        "in_process_point_s": in_process_s,
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "bench.toml"
        config.write_text(
            f'command = "bench busy"\nseed = 1\n[fixed]\nunits = {units}\n'
            f"[grid]\nindex = {list(range(options.points))}\n"
        )
        for workers in (1, 2):
            run = measure(workers, config, Path(scratch) / f"workers-{workers}")
            results["runs"].append(run)
            print(
                f"{workers} worker(s): {run['points']} points in {run['elapsed_s']:.1f} s = "
                f"{run['points_per_s']:.3f} points/s; mean point {run['mean_point_wall_s']:.3f} s "
                f"wall, {run['mean_point_cpu_s']:.3f} s CPU; "
                f"overhead {100 * run['overhead_fraction']:.2f}%; load "
                f"{run['load_average_before'][0]:.2f} -> {run['load_average_after'][0]:.2f}",
                file=sys.stderr,
            )
    print(f"one point in this process: {in_process_s:.3f} s ({units} units)", file=sys.stderr)
    one, two = results["runs"]
    results["speedup_2_vs_1"] = two["points_per_s"] / one["points_per_s"]
    print(
        f"2 workers / 1 worker: {results['speedup_2_vs_1']:.2f}x points/s (target >= 1.6x); "
        f"overhead per point {100 * one['overhead_fraction']:.2f}% (1 worker), "
        f"{100 * two['overhead_fraction']:.2f}% (2 workers) (target < 5%)",
        file=sys.stderr,
    )
    if options.json:
        print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
