"""Where the time of ``fastweights verify`` and ``fastweights report`` goes.

Run: ``.venv/bin/python benchmarks/bench_verify_report.py [--skip-full]``

Measured in one run, on this machine:

1. wall time of the commands as a user runs them (subprocesses: ``fastweights --help``
   for the start-up, ``verify --quick``, ``verify``, ``report``);
2. the components alone, in this process, sequentially: each claim (quick and full), the
   deblurring run, building the formulas of every derivation, each figure;
3. the same claim evaluation with and without the background process (the parallel
   schedule of ``verify``), side by side.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from foundation.blas import pin_kernels  # noqa: E402

pin_kernels()  # before numpy: the in-process parts run the kernels the commands run
FASTWEIGHTS = [sys.executable, "-m", "verification.cli"]


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-full", action="store_true", help="skip full verify and report")
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")  # fmt: skip

    print("\n1. commands (wall seconds, subprocess)")
    print(f"  fastweights --help          {wall([*FASTWEIGHTS, '--help']):6.1f}")
    print(f"  fastweights verify --quick  {wall([*FASTWEIGHTS, 'verify', '--quick']):6.1f}")
    if not options.skip_full:
        print(f"  fastweights verify          {wall([*FASTWEIGHTS, 'verify']):6.1f}")
        with tempfile.TemporaryDirectory() as out:
            seconds = wall([*FASTWEIGHTS, "report", "--out", out])
        print(f"  fastweights report          {seconds:6.1f}")

    from verification.engine.registry import claim_specs, evaluate_claims
    from verification.report.figure_specs import figure_specs
    from verification.report.mathml import all_formulas
    from verification.shared import executor
    from verification.shared.deblur_runs import deblur_run

    print("\n2. components, sequential, this process (seconds)")
    for quick in (True, False):
        if quick is False and options.skip_full:
            continue
        timings: dict[str, float] = {}
        ids = [s.id for s in claim_specs() if not s.id.startswith("deblur")]
        start = time.perf_counter()
        evaluate_claims(1987, quick=quick, ids=ids, timings=timings, parallel=False)
        total = time.perf_counter() - start
        print(f"  linear-network claims, quick={quick}: {total:.1f} s in all")
        for claim_id, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
            print(f"    {claim_id:28s} {seconds:6.2f}")
        start = time.perf_counter()
        deblur_run(1987, quick)  # cached: Fig. 2 below reuses the full run
        print(f"  deblurring run (all Sec. 4 claims), quick={quick}: "
              f"{time.perf_counter() - start:.1f}")  # fmt: skip
    names = sorted({n for s in claim_specs() for n in s.derivations})
    start = time.perf_counter()
    all_formulas(names)
    print(f"  formulas of {len(names)} derivations (sympy build + MathML): "
          f"{time.perf_counter() - start:.1f}")  # fmt: skip
    for spec in figure_specs():
        start = time.perf_counter()
        spec.draw(1987, False)
        print(f"  figure {spec.name:22s} {time.perf_counter() - start:6.2f}")

    print("\n3. verify --quick's claims: sequential vs with the background process (seconds;")
    print("   new seeds, so nothing is cached; the derivations are built already)")
    for parallel, seed in ((False, 4321), (True, 4322)):
        executor.clear()
        start = time.perf_counter()
        evaluate_claims(seed, quick=True, parallel=parallel)
        print(f"  parallel={parallel!s:5s} {time.perf_counter() - start:6.1f}")


if __name__ == "__main__":
    main()
