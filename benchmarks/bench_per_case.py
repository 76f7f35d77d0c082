"""Benchmark of issue 20: the per-case Sec. 4 run (one weight change per case) with the
compiled kernel against the numpy loop it replaced, the batch run, and the arithmetic
floor, interleaved in one process (ratios; ``uptime`` before and after).

Floor of one seed's whole protocol (1300 x 100 + 400 x 5 + 20 x 10 changes): about
4.8 GFLOP and 29.5 M logistic units. This machine's rates for those shapes are measured
here: float32 FLOP/s of the weight change itself (Δ <- αΔ - εg, w += Δ, the decay and
w_s + w_f over the (P,) = (2110,) arrays of one network, in cache, compiled, no FMA: 10
FLOP per parameter) and logistic units/s of numpy's float32 ``1 / (1 + exp(-z))`` over a
(25, 100, 100) block (its SIMD exp). floor = 4.8e9 / FLOP rate + 29.5e6 / logistic rate.

    .venv/bin/python benchmarks/bench_per_case.py [--seeds 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import subprocess
import time
from dataclasses import replace

import numpy as np
from numba import njit

from simulation.deblur_protocol import DeblurCondition, DeblurSettings, simulate_deblur, spawn_seeds
from simulation.fastslow import FastSlowNetwork

FLOP_PER_SEED = 4.8e9
LOGISTIC_PER_SEED = 29.5e6


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


@njit(cache=True, nogil=True, error_model="numpy")
def _change_loop(ws, wf, vs, vf, e, g, c, reps):  # type: ignore[no-untyped-def]
    a_s, a_f, e_s, e_f, keep = c[0], c[1], c[2], c[3], c[4]
    for _ in range(reps):
        for p in range(ws.shape[0]):
            d_s = a_s * vs[p] - e_s * g[p]
            d_f = a_f * vf[p] - e_f * g[p]
            vs[p] = d_s
            vf[p] = d_f
            w = ws[p] + d_s
            f = (wf[p] + d_f) * keep
            ws[p] = w
            wf[p] = f
            e[p] = w + f


def flop_rate(reps: int = 20000) -> float:
    """float32 FLOP/s of the weight change on (2110,) arrays (10 FLOP per parameter)."""
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(-1e-3, 1e-3, 2110).astype(np.float32) for _ in range(6)]
    c = np.array([0.9, 0.0, 0.02, 0.02, 0.99], dtype=np.float32)
    _change_loop(*arrays, c, 1)
    start = time.thread_time()
    _change_loop(*arrays, c, reps)
    return 10 * 2110 * reps / (time.thread_time() - start)


def logistic_rate(reps: int = 20) -> float:
    """Logistic units/s of numpy float32 1 / (1 + exp(-z)) on (25, 100, 100)."""
    z = np.random.default_rng(0).normal(size=(25, 100, 100)).astype(np.float32)
    out = np.empty_like(z)
    start = time.thread_time()
    for _ in range(reps):
        np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
    return z.size * reps / (time.thread_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"before: {_uptime()}")
    children = spawn_seeds(0, args.seeds)
    condition = [DeblurCondition(0.1)]
    batch = DeblurSettings(threads=1)
    per_case = replace(batch, updates="per-case")
    kernel = FastSlowNetwork.train_cases
    numpy_loop = FastSlowNetwork._train_cases_numpy
    simulate_deblur(children[:1], replace(per_case, original_sweeps=1), condition)  # load
    times: dict[str, list[float]] = {"kernel": [], "numpy": [], "batch": []}
    flops, logistics = [], []
    for _ in range(args.rounds):
        flops.append(flop_rate())
        logistics.append(logistic_rate())
        for name in ("kernel", "numpy", "batch"):
            FastSlowNetwork.train_cases = numpy_loop if name == "numpy" else kernel  # type: ignore[method-assign]
            settings = batch if name == "batch" else per_case
            start = time.thread_time()
            simulate_deblur(children, settings, condition)
            times[name].append((time.thread_time() - start) / args.seeds)
    FastSlowNetwork.train_cases = kernel  # type: ignore[method-assign]
    print(f"after:  {_uptime()}")
    flop, logistic = max(flops), max(logistics)
    floor = FLOP_PER_SEED / flop + LOGISTIC_PER_SEED / logistic
    print(f"rates: {flop / 1e9:.1f} GFLOP/s (weight change, float32), "
          f"{logistic / 1e6:.0f} M logistic/s (numpy float32)")  # fmt: skip
    print(f"floor per seed: {FLOP_PER_SEED / flop:.3f} + {LOGISTIC_PER_SEED / logistic:.3f}"
          f" = {floor:.3f} s")  # fmt: skip
    for name, values in times.items():
        best = min(values)
        print(f"{name:>7}: CPU s per seed {', '.join(f'{v:.3f}' for v in values)}; "
              f"best {best:.3f} = {best / floor:.2f}x floor")  # fmt: skip
    print(f"numpy / kernel: {min(times['numpy']) / min(times['kernel']):.2f}x; "
          f"kernel / batch: {min(times['kernel']) / min(times['batch']):.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
