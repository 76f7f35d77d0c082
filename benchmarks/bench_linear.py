"""Benchmark of the linear-network simulator: the retraining ratio (issue 3, Performance).

For the unretrained/retrained improvement ratio at (n, K, M) = (10, 100, 50) and
(1000, 1000, 500) (0/1 inputs, q = 1/2, Gaussian weight noise, gradient steps), measured
in one process, interleaved, best of ``--repeats``:

* ``simulator``: :func:`simulation.simulate_retrain`;
* ``(a) loop``: a plain per-trial numpy loop (one network at a time, per-association rates);
* ``(b) einsum``: a straightforward batched-einsum implementation (float64 inputs from
  ``rng.random() < q``, per-association rates through the Gram matrix of the inputs);
* ``(c) floor``: drawing the same random numbers (the input bits, teacher and noise) and
  doing the same matrix products (X e, X_Rᵀ r_R, X_Uᵀ r_U) alone, nothing else.

Reported: trials per second; the 95% interval width reached and the width reached per
second of running (width x √seconds, since width ∝ 1/√trials); the statistical efficiency
1 / (width² x seconds) relative to the simulator; and the peak traced memory (tracemalloc)
of the simulator for 10^5 and 10^6 trials at the small size. Run:
``.venv/bin/python benchmarks/bench_linear.py`` (a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from simulation import ratio_of_means_estimate, simulate_retrain

Q = 0.5


def loop_baseline(trials: int, seed: int, n: int, k: int, m: int) -> dict[str, Any]:
    """(a) One network per iteration: draw, learn (teacher), blur, measure every rate."""
    rng = np.random.default_rng(seed)
    unretrained = np.empty(trials)
    retrained = np.empty(trials)
    for t in range(trials):
        x = (rng.random((k, n)) < Q).astype(float)
        teacher = rng.standard_normal(n)
        targets = x @ teacher
        weights = teacher + rng.standard_normal(n)
        r = x @ weights - targets
        grad = x[:m].T @ r[:m]  # ∇E_R
        rates = r * (x @ grad)  # -∇E_k · Δw for Δw = -∇E_R
        retrained[t] = rates[:m].mean()
        unretrained[t] = rates[m:].mean()
    return ratio_of_means_estimate(unretrained, retrained).as_dict()


def einsum_baseline(trials: int, seed: int, n: int, k: int, m: int, chunk: int) -> dict[str, Any]:
    """(b) Batched over trials with einsum, float64, rates through the Gram matrix."""
    rng = np.random.default_rng(seed)
    unretrained, retrained = [], []
    for start in range(0, trials, chunk):
        size = min(chunk, trials - start)
        x = (rng.random((size, k, n)) < Q).astype(float)
        teacher = rng.standard_normal((size, n))
        weights = teacher + rng.standard_normal((size, n))
        r = np.einsum("tkn,tn->tk", x, weights) - np.einsum("tkn,tn->tk", x, teacher)
        gram = np.einsum("tkn,tjn->tkj", x, x[:, :m])  # x_k · x_j, j retrained
        rates = r * np.einsum("tkj,tj->tk", gram, r[:, :m])
        retrained.append(rates[:, :m].mean(axis=1))
        unretrained.append(rates[:, m:].mean(axis=1))
    return ratio_of_means_estimate(np.concatenate(unretrained), np.concatenate(retrained)).as_dict()


def floor(trials: int, seed: int, n: int, k: int, m: int, block: int) -> dict[str, Any]:
    """(c) The same random numbers and the same products, nothing else (float32 products on
    a matrix converted outside the timed region)."""
    rng = np.random.default_rng(seed)
    size = min(block, trials)
    x = np.ones((n, size, k), dtype=np.float32)
    e = np.ones((size, 1, n), dtype=np.float32)
    start = time.perf_counter()
    for _ in range(-(-trials // size)):
        rng.bit_generator.random_raw(-(-n * k * size // 64))
        rng.standard_normal((size, 2, n))
        r = np.einsum("itk,toi->tok", x, e)
        np.einsum("itk,tok->toi", x[:, :, :m], r[:, :, :m])
        np.einsum("itk,tok->toi", x[:, :, m:], r[:, :, m:])
    return {"seconds": time.perf_counter() - start}


def timed(call: Callable[[], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def best_of(repeats: int, call: Callable[[], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    runs = [timed(call) for _ in range(repeats)]
    seconds = min(s for s, _ in runs)
    return seconds, runs[0][1]


def load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def width(estimate: dict[str, Any]) -> float:
    return float(estimate["ci_high"] - estimate["ci_low"])


def run_size(n: int, k: int, m: int, counts: dict[str, int], repeats: int) -> list[dict[str, Any]]:
    block = max(1, (1 << 19) // (k * n))
    calls: dict[str, Callable[[], dict[str, Any]]] = {
        "simulator": lambda: simulate_retrain(
            "zero-one", n, k, m, q=Q, trials=counts["simulator"], seed=1
        )["improvement_ratio"],
        "(a) per-trial loop": lambda: loop_baseline(counts["loop"], 2, n, k, m),
        "(b) batched einsum": lambda: einsum_baseline(
            counts["einsum"], 3, n, k, m, chunk=max(1, (1 << 22) // (k * max(m, n)))
        ),
        "(c) floor": lambda: floor(counts["simulator"], 4, n, k, m, block),
    }
    trials = {
        "simulator": counts["simulator"],
        "(a) per-trial loop": counts["loop"],
        "(b) batched einsum": counts["einsum"],
        "(c) floor": counts["simulator"],
    }
    rows = []
    for name, call in calls.items():
        seconds, result = best_of(repeats, call)
        if name == "(c) floor":
            seconds = result["seconds"]
        row: dict[str, Any] = {"method": name, "trials": trials[name], "seconds": seconds}
        row["trials_per_second"] = trials[name] / seconds
        if "estimate" in result:
            row["estimate"] = result["estimate"]
            row["width"] = width(result)
            row["width_per_second"] = row["width"] * math.sqrt(seconds)
            row["efficiency"] = 1.0 / (row["width"] ** 2 * seconds)
        rows.append(row)
    return rows


def peak_memory(trials: int) -> float:
    tracemalloc.start()
    simulate_retrain("zero-one", 10, 100, 50, q=Q, trials=trials, seed=5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer trials (a smoke run)")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0

    def c(value: float) -> int:
        return max(2, int(value * scale))

    sizes = [
        ((10, 100, 50), {"simulator": c(300_000), "loop": c(10_000), "einsum": c(30_000)}),
        ((1000, 1000, 500), {"simulator": c(400), "loop": c(20), "einsum": 2}),
    ]
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(f"load average before: {load()}")
    for (n, k, m), counts in sizes:
        rows = run_size(n, k, m, counts, args.repeats)
        sim = rows[0]
        print(f"\nretraining ratio, n = {n}, K = {k}, M = {m} (best of {args.repeats})")
        print(
            f"{'method':20s} {'trials':>8s} {'s':>8s} {'trials/s':>10s} {'x sim':>8s} "
            f"{'ratio':>7s} {'95% width':>10s} {'width*sqrt(s)':>13s} {'eff. x sim':>10s}"
        )
        for row in rows:
            speed = sim["trials_per_second"] / row["trials_per_second"]
            line = (
                f"{row['method']:20s} {row['trials']:8d} {row['seconds']:8.3f} "
                f"{row['trials_per_second']:10.4g} {speed:8.2f}"
            )
            if "width" in row:
                line += (
                    f" {row['estimate']:7.4f} {row['width']:10.4f} "
                    f"{row['width_per_second']:13.4f} "
                    f"{sim['efficiency'] / row['efficiency']:10.1f}"
                )
            print(line)
        print(f"load average: {load()}")
    for trials in (c(100_000), c(1_000_000)):
        print(
            f"peak traced memory, simulator, n = 10, K = 100, M = 50, {trials} trials: "
            f"{peak_memory(trials):.1f} MiB"
        )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
