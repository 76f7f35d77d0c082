"""Benchmark of the Sec. 4 deblurring experiment (issue 5).

Measures, side by side in one run, for the full protocol (1300 + 400 + 20 sweeps) with
the paper's sizes:

* ``run_deblur`` for S seeds (default 100) as a user runs it (seed-batched, float32,
  threads = usable cores up to 2);
* the same seed-batched computation on one thread;
* a loop over seeds: the same code one seed at a time (chunks of 1, one thread);
* a plain per-seed implementation: textbook numpy back-prop for one network (separate
  weight matrices, new arrays for every intermediate), looped over seeds;
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


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def plain_seed(child: np.random.SeedSequence, settings: DeblurSettings) -> float:
    """The whole protocol for one seed, written the straightforward way (baseline only)."""
    from simulation.deblur_protocol import _draw_problems

    problem = _draw_problems([child], settings)
    x, t = problem.inputs[0].astype(np.float32), problem.targets[0].astype(np.float32)
    hidden_w, output_w, output_b = (v[0] for v in settings.layout.views(problem.initial_weights))
    w1, b1 = hidden_w[:-1].astype(np.float32), hidden_w[-1].astype(np.float32)
    w2, b2 = output_w.astype(np.float32), output_b[0].astype(np.float32)
    slow = [w1.copy(), b1.copy(), w2.copy(), b2.copy()]
    fast = [np.zeros_like(p) for p in slow]
    v_slow = [np.zeros_like(p) for p in slow]
    v_fast = [np.zeros_like(p) for p in slow]
    k = settings.associations

    def sweep(inputs: np.ndarray, targets: np.ndarray) -> None:
        w = [a + b for a, b in zip(slow, fast, strict=True)]
        hidden = _sigmoid(inputs @ w[0] + w[1])
        out = _sigmoid(hidden @ w[2] + w[3])
        d_out = (out - targets) * out * (1 - out)
        d_hidden = (d_out @ w[2].T) * hidden * (1 - hidden)
        grads = [inputs.T @ d_hidden, d_hidden.sum(0), hidden.T @ d_out, d_out.sum(0)]
        for i, g in enumerate(grads):
            v_slow[i] = settings.slow_momentum * v_slow[i] - settings.slow_epsilon * g
            slow[i] = slow[i] + v_slow[i]
            v_fast[i] = settings.fast_momentum * v_fast[i] - settings.fast_epsilon * g
            fast[i] = (fast[i] + v_fast[i]) * (1 - settings.h)

    def error(inputs: np.ndarray, targets: np.ndarray) -> float:
        w = [a + b for a, b in zip(slow, fast, strict=True)]
        out = _sigmoid(_sigmoid(inputs @ w[0] + w[1]) @ w[2] + w[3])
        return float(np.abs(out - targets).mean())

    for _ in range(settings.original_sweeps):
        sweep(x[:k], t[:k])
        error(x[:k], t[:k])
    for _ in range(settings.new_sweeps):
        sweep(x[k:], t[k:])
        error(x[k:], t[k:])
    chosen = problem.order[0, :10]
    for _ in range(settings.retrain_sweeps):
        sweep(x[chosen], t[chosen])
        error(x, t)
    return error(x[k:], t[k:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--loop-seeds", type=int, default=20, help="seeds in the loop baselines")
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
        lambda: run_deblur(seeds=args.seeds, seed=args.seed).to_dict(),
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
    plain, _ = _timed(
        f"plain per-seed numpy, loop over {len(loop_children)} seeds, float32",
        lambda: [plain_seed(c, settings) for c in loop_children],
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
    plain_per_seed = plain / len(loop_children)
    print(f"seeds per second, plain per-seed:    {1 / plain_per_seed:7.2f}")
    speedup = plain_per_seed * args.seeds / batched_mt
    print(f"speed-up batched ({threads} threads) / plain loop: {speedup:5.1f}x")
    speedup = plain_per_seed * args.seeds / batched_1
    print(f"speed-up batched (1 thread) / plain loop:  {speedup:5.1f}x")
    print(f"float64 / float32 time (batched):    {batched_64 / batched_mt:5.2f}x")
    print(f"full protocol for {args.seeds} seeds: {full:.2f} s (target < 20 s)")
    print(f"loop and batched bit-identical: {identical}")


if __name__ == "__main__":
    main()
