"""Sweep throughput on a LocalCluster: 2 workers vs 1, overhead per point, a point's own time.

**Per point** (first): the same point (``bench busy``, about SECONDS of numpy work) run
PAIRS times alternately in this process and in the one worker of a LocalCluster, through
:func:`verification.sweep.compute_point` both ways; the worker's median time over the
in-process median (target: within 10%). Twice: with the worker environment the sweep uses
(:data:`verification.sweep.execute.WORKER_ENVIRONMENT`) and with Dask's own
(``MALLOC_TRIM_THRESHOLD_=65536``), which shows the cause of the difference.

**Throughput**: runs POINTS points of about SECONDS each (``bench busy``: a fixed amount of
single-threaded numpy work, calibrated once at the start) through
:func:`verification.sweep.run_sweep` on a 1-worker and then a 2-worker LocalCluster
(loopback, one thread per worker), in one run. Reports points per second, their ratio
(target: at least 1.6x), and the overhead per point: 1 - (sum of the points' own wall
times) / (sweep elapsed x workers) (target: below 5%). The elapsed time is the whole
``run_sweep`` call (config checks, submission, every row written and fsync-ed), with the
cluster already started and its workers warmed up (imports done).

    .venv/bin/python benchmarks/bench_sweep.py                  # 200 x 1 s: about 7 min
    .venv/bin/python benchmarks/bench_sweep.py --points 20 --seconds 0.5   # a quick check
    .venv/bin/python benchmarks/bench_sweep.py --per-point-only  # per point alone: ~1.5 min

Needs the ``distributed`` extra. Run it on a quiet machine: the 2-worker figure is only
meaningful if two cores are free.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import distributed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # sweep_fakes

from sweep_fakes import COMMANDS, busy

from verification.sweep import compute_point, read_rows, run_sweep
from verification.sweep.execute import WORKER_ENVIRONMENT, local_cluster


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
    import sweep_fakes.busy  # noqa: F401

    import verification.sweep.execute  # noqa: F401

    return os.getpid()


def measure(workers: int, config: Path, directory: Path) -> dict[str, Any]:
    """One sweep of ``config`` on a fresh ``workers``-worker LocalCluster."""
    with (
        local_cluster(workers, logging.ERROR) as cluster,
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


def per_point(units: int, pairs: int, environment: dict[str, str | None]) -> dict[str, Any]:
    """One point alternately here and in a 1-worker LocalCluster (``environment``)."""
    argv = ["--units", str(units), "--seed", "1", "--quiet"]
    here: list[dict[str, Any]] = []
    there: list[dict[str, Any]] = []
    with (
        local_cluster(1, logging.ERROR, environment) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        client.run(_warm_up)
        client.submit(compute_point, busy.__name__, argv, pure=False).result()  # warm up
        compute_point(busy.__name__, argv)
        for index in range(pairs):
            runs = [
                lambda: here.append(compute_point(busy.__name__, argv)),
                lambda: there.append(
                    client.submit(compute_point, busy.__name__, argv, pure=False).result()
                ),
            ]
            for run in runs if index % 2 == 0 else runs[::-1]:
                run()
        worker_environment = client.run(
            lambda: {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}
        )
    wall_here = [o["wall_time_s"] for o in here]
    wall_there = [o["wall_time_s"] for o in there]
    cpu_here = [o["result"]["cpu_time_s"] for o in here]
    cpu_there = [o["result"]["cpu_time_s"] for o in there]
    return {
        "worker_environment": next(iter(worker_environment.values())),
        "pairs": pairs,
        "in_process_median_s": statistics.median(wall_here),
        "worker_median_s": statistics.median(wall_there),
        "worker_over_in_process": statistics.median(wall_there) / statistics.median(wall_here),
        "in_process_median_cpu_s": statistics.median(cpu_here),
        "worker_median_cpu_s": statistics.median(cpu_there),
        "worker_over_in_process_cpu": statistics.median(cpu_there) / statistics.median(cpu_here),
        "median_pair_ratio": statistics.median(
            t / h for t, h in zip(wall_there, wall_here, strict=True)
        ),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=1.0, help="work per point")
    parser.add_argument("--pairs", type=int, default=20, help="per-point comparisons")
    parser.add_argument("--per-point-only", action="store_true", help="skip the throughput runs")
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
        "per_point": {},
    }
    for name, environment in (("sweep", dict(WORKER_ENVIRONMENT)), ("dask default", {})):
        comparison = per_point(units, options.pairs, environment)
        results["per_point"][name] = comparison
        print(
            f"per point, {name} worker environment {comparison['worker_environment']}: "
            f"worker {comparison['worker_median_s']:.3f} s, in-process "
            f"{comparison['in_process_median_s']:.3f} s (medians of {options.pairs}, "
            f"alternated): {comparison['worker_over_in_process']:.2f}x "
            f"(median of pair ratios {comparison['median_pair_ratio']:.2f}x; target <= 1.10x); "
            f"CPU {comparison['worker_median_cpu_s']:.3f} s vs "
            f"{comparison['in_process_median_cpu_s']:.3f} s: "
            f"{comparison['worker_over_in_process_cpu']:.2f}x",
            file=sys.stderr,
        )
    if options.per_point_only:
        if options.json:
            print(json.dumps(results, indent=2))
        return results
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
