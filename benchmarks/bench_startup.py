"""Start-up time of ``fastweights``, against ``python -c "import numpy"`` (target: <= 1.5x).

Each command runs RUNS times as a fresh process (interleaved, so a busy machine slows all
of them alike), with byte-code caching on (``PYTHONDONTWRITEBYTECODE`` removed: without
``.pyc`` files every start compiles the package anew); reported: the fastest and the
median wall time, and the median's ratio to the numpy import's median. Also checked: which
heavy libraries each command imported.

    .venv/bin/python benchmarks/bench_startup.py              # about 30 s
    .venv/bin/python benchmarks/bench_startup.py --runs 5     # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Any

FASTWEIGHTS = [
    sys.executable,
    "-c",
    "import sys; from verification.cli import main; sys.exit(main())",
]
PAIR = ["simulate", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0", "--trials", "1000", "--quiet"]
COMMANDS: dict[str, list[str]] = {
    "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
    "fastweights --help": [*FASTWEIGHTS, "--help"],
    "fastweights --version": [*FASTWEIGHTS, "--version"],
    "fastweights simulate pair --help": [*FASTWEIGHTS, "simulate", "pair", "--help"],
    "fastweights simulate pair ... --trials 1000": [*FASTWEIGHTS, *PAIR],
    "fastweights theory pair ...": [*FASTWEIGHTS, "theory", "pair", "--a", "1,1", "--b", "1,0"],
}
HEAVY = ("numpy", "sympy", "scipy", "matplotlib", "dask", "distributed", "tqdm")
_LOADED = (
    "import sys\nfrom verification.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & set(%r))), file=sys.stderr)\n"
)


ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Byte-code caching on, as for any user (numpy's own is written when it is installed)."""


def _seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENVIRONMENT
    )
    return time.perf_counter() - start


def _heavy_imports(argv: list[str]) -> str:
    if argv[: len(FASTWEIGHTS)] != FASTWEIGHTS:
        return "numpy"
    done = subprocess.run(
        [sys.executable, "-c", _LOADED % (HEAVY,), *argv[len(FASTWEIGHTS) :]],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache
        _seconds(command)
    for _ in range(options.runs):
        for name, command in COMMANDS.items():
            times[name].append(_seconds(command))
    baseline = statistics.median(times["python -c 'import numpy'"])
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}",
        "load_average": os.getloadavg(),
        "runs": options.runs,
        "commands": {},
    }
    for name, command in COMMANDS.items():
        row = {
            "min_s": min(times[name]),
            "median_s": statistics.median(times[name]),
            "median_over_numpy_import": statistics.median(times[name]) / baseline,
            "heavy_imports": _heavy_imports(command),
        }
        results["commands"][name] = row
        print(
            f"{name:45s} min {row['min_s']:.3f} s  median {row['median_s']:.3f} s  "
            f"{row['median_over_numpy_import']:.2f}x  imports: {row['heavy_imports'] or '-'}",
            file=sys.stderr,
        )
    if options.json:
        print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
