"""Benchmark of the Sec. 4 deblurring experiment (issue 5).

Measures, side by side in one run, for the full protocol (1300 + 400 + 20 sweeps) with
the paper's sizes:

* ``run_deblur`` for S seeds (default 100) as a user runs it (seed-batched, float32,
  threads = usable cores up to 2);
* the same seed-batched computation on one thread;
* a loop over seeds: the same code one seed at a time (chunks of 1, one thread);
* the seed-batched computation in float64;

and checks that the loop and the batched runs give bit-identical numbers. Prints
``uptime`` before and after (other processes share the cores: note the load).

    .venv/bin/python benchmarks/bench_deblur.py [--seeds 100] [--loop-seeds 100]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import time
from dataclasses import replace

import numpy as np

from simulation import run_deblur
from simulation.deblur_protocol import (
    DeblurCondition,
    DeblurSettings,
    default_threads,
    simulate_deblur,
    spawn_seeds,
)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "uptime unavailable"


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Wall time and the process's CPU time (all threads) of ``fn()``."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<58} wall {elapsed:7.2f} s   cpu {cpu:7.2f} s", flush=True)
    return elapsed, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--loop-seeds", type=int, default=100, help="seeds in the loop baseline")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(f"before: {_uptime()}")
    condition = [DeblurCondition(0.1)]
    settings = DeblurSettings()
    children = spawn_seeds(args.seed, args.seeds)
    threads = default_threads()

    full, _ = _timed(
        f"run_deblur, {args.seeds} seeds, {threads} threads (the user's command)",
        lambda: run_deblur(seeds=args.seeds, seed=args.seed),
    )
    batched_mt, raw_mt = _timed(
        f"seed-batched, {threads} threads, float32",
        lambda: simulate_deblur(children, settings, condition),
    )
    batched_1, raw_1 = _timed(
        "seed-batched, 1 thread, float32",
        lambda: simulate_deblur(children, replace(settings, threads=1), condition),
    )
    loop_children = children[: args.loop_seeds]
    one = replace(settings, chunk_size=1, threads=1)
    loop, raw_loop = _timed(
        f"loop over {len(loop_children)} seeds, one at a time, float32",
        lambda: [simulate_deblur([c], one, condition) for c in loop_children],
    )
    batched_64, _ = _timed(
        f"seed-batched, {threads} threads, float64",
        lambda: simulate_deblur(children, replace(settings, dtype="float64"), condition),
    )
    print(f"after:  {_uptime()}")

    identical = all(
        np.array_equal(raw_1["conditions"][0][k][i], part["conditions"][0][k][0])
        for i, part in enumerate(raw_loop)
        for k in part["conditions"][0]
    ) and all(np.array_equal(raw_1["shared"][k], raw_mt["shared"][k]) for k in raw_1["shared"])
    loop_per_seed = loop / len(loop_children)
    print()
    print(f"seeds per second, batched {threads} threads: {args.seeds / batched_mt:7.2f}")
    print(f"seeds per second, batched 1 thread:  {args.seeds / batched_1:7.2f}")
    print(f"seeds per second, loop over seeds:   {1 / loop_per_seed:7.2f}")
    speedup = loop_per_seed * args.seeds / batched_mt
    print(f"speed-up batched ({threads} threads) / loop: {speedup:5.1f}x")
    print(f"speed-up batched (1 thread) / loop:  {loop_per_seed * args.seeds / batched_1:5.1f}x")
    print(f"float64 / float32 time (batched):    {batched_64 / batched_mt:5.2f}x")
    print(f"full protocol for {args.seeds} seeds: {full:.2f} s (target < 20 s)")
    print(f"loop and batched bit-identical: {identical}")


if __name__ == "__main__":
    main()
