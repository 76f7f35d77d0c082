"""The cost of pinning OpenBLAS's kernels (``foundation.blas``): the default Sec. 4 run
(``simulation.run_deblur``, 10 seeds, float32) with the pinned ``Haswell`` kernels against
the ones OpenBLAS picks for this CPU (baseline).

A process's kernels are fixed when numpy loads, so the two cannot share one process: each
runs as a fresh process, interleaved (a busy machine slows both alike), RUNS times; each
process times the run alone (not numpy's import). Reported: median seconds of each and
their ratio (pinned / own choice). Where the CPU's own choice is Haswell already (AVX2
machines), the ratio is 1 by construction.

    .venv/bin/python benchmarks/bench_blas_kernels.py            # about 2 minutes
    .venv/bin/python benchmarks/bench_blas_kernels.py --runs 3   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

CHILD = """
import json, time
from foundation.blas import kernels
from simulation import run_deblur
run_deblur(seeds=2, original_sweeps=5, new_sweeps=2, retrain_sweeps=2)  # warm up
start = time.perf_counter()
run_deblur(seeds=10)
print(json.dumps({"seconds": time.perf_counter() - start, "kernels": kernels()}))
"""


def _run(pinned: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if pinned:
        env["OPENBLAS_CORETYPE"] = "Haswell"
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times: dict[bool, list[float]] = {True: [], False: []}
    names: dict[bool, object] = {}
    for _ in range(runs):
        for pinned in (False, True):
            result = _run(pinned)
            times[pinned].append(float(result["seconds"]))  # type: ignore[arg-type]
            names[pinned] = result["kernels"]
    own, pin = statistics.median(times[False]), statistics.median(times[True])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"own choice ({names[False]}): median {own:.2f} s of {runs}")
    print(f"pinned ({names[True]}): median {pin:.2f} s of {runs}")
    print(f"ratio pinned / own choice: {pin / own:.3f}")


if __name__ == "__main__":
    main()
