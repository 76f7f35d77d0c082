"""Benchmark of issue 20: the per-case kernel against an earlier revision of itself, side
by side in one process on the same networks, bit for bit and timed (ratios; ``uptime``
before and after).

The earlier kernel is read from git (``git show REV:simulation/_case_kernel.py``) into a
temporary module. Both run the same sweeps (10 networks of the default shapes, 10 inputs,
100 hidden, 10 outputs, 100 cases, float32) from the same state; their weights and
velocities must agree bit for bit in every mode (the changes between the revisions are
meant to change no number), then the default mode is timed in alternation, CPU time of
this thread, per weight change.

    .venv/bin/python benchmarks/bench_case_kernel_revision.py [--baseline 18382da] [--rounds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from simulation import _case_kernel as current

ROOT = Path(__file__).resolve().parent.parent


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def earlier_kernel(revision: str, folder: Path) -> ModuleType:
    """``simulation/_case_kernel.py`` as it was at ``revision``, imported as a module."""
    source = subprocess.run(
        ["git", "show", f"{revision}:simulation/_case_kernel.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = folder / "earlier_case_kernel.py"
    path.write_text(source.replace('"cache": True', '"cache": False'))
    spec = importlib.util.spec_from_file_location("earlier_case_kernel", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def networks(seeds: int, dtype: Any, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Weights (2, S, P), velocities (2, S, P), inputs (S, K, n + 1), targets (S, K, m),
    order (S, K) of S networks with n = 10, H = 100, m = 10, K = 100 (0/1 inputs)."""
    n, hidden, m, cases = 10, 100, 10, 100
    rng = np.random.default_rng(seed)
    size = (n + 1) * hidden + hidden * m + m
    weights = rng.uniform(-0.5, 0.5, (2, seeds, size)).astype(dtype)
    weights[1] *= 0.1
    velocities = rng.uniform(-1e-3, 1e-3, (2, seeds, size)).astype(dtype)
    bits = rng.integers(0, 2, (seeds, cases, n))
    inputs = np.concatenate([bits, np.ones((seeds, cases, 1))], axis=2).astype(dtype)
    targets = rng.uniform(0.2, 0.8, (seeds, cases, m)).astype(dtype)
    order = np.stack([rng.permutation(cases) for _ in range(seeds)]).astype(np.int64)
    return weights, velocities, inputs, targets, order


def sweeps(kernel: ModuleType, state: tuple[np.ndarray, ...], count: int, *mode: bool) -> Any:
    """``count`` sweeps of ``kernel`` from a copy of ``state``: (weights, velocities, s)."""
    weights, velocities, inputs, targets, order = (a.copy() for a in state)
    c = current.constants(weights.dtype, 0.9, 0.5, 0.02, 0.05, 0.99, 2.0)
    start = time.thread_time()
    for _ in range(count):
        kernel.per_case_sweep(weights, velocities, inputs, targets, order, c, 100, *mode)
    return weights, velocities, time.thread_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="18382da")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(_uptime())
    with tempfile.TemporaryDirectory() as folder:
        earlier = earlier_kernel(args.baseline, Path(folder))
        for dtype in (np.float32, np.float64):
            state = networks(4, dtype)
            for mode in itertools.product((True, False), (False, True), (False, True)):
                w0, v0, _ = sweeps(earlier, state, 2, *mode)
                w1, v1, _ = sweeps(current, state, 2, *mode)
                same = np.array_equal(w0.view(np.uint8), w1.view(np.uint8)) and np.array_equal(
                    v0.view(np.uint8), v1.view(np.uint8)
                )
                print(f"{np.dtype(dtype).name} squared={mode[0]} permanent={mode[1]} "
                      f"every={mode[2]}: {'same bits' if same else 'DIFFERENT'}")  # fmt: skip
        state = networks(10, np.float32)
        changes = 10 * 100 * 10
        times: dict[str, list[float]] = {"earlier": [], "current": []}
        for _ in range(args.rounds):
            for name, kernel in (("earlier", earlier), ("current", current)):
                times[name].append(sweeps(kernel, state, 10, True, False, False)[2] / changes)
    median = {name: float(np.median(t)) for name, t in times.items()}
    print(f"per weight change, median of {args.rounds}: earlier ({args.baseline}) "
          f"{median['earlier'] * 1e6:.3f} us, current {median['current'] * 1e6:.3f} us, "
          f"earlier / current {median['earlier'] / median['current']:.3f}")  # fmt: skip
    print(_uptime())


if __name__ == "__main__":
    main()
