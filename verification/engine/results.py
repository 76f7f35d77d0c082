"""The results of a run as JSON: ``{"claims": [...], "meta": {...}}`` (and ``figures``).

``claims`` are identical for the same seed; ``meta`` (versions, seed, parameters, time) is
the only part that may differ between runs. Kept apart from the report's rendering so that
``fastweights verify`` does not import matplotlib.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import math
import platform
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from foundation import blas

from ..report.document import Figure
from ..verdict import NUMERIC_TOLERANCE
from .model import DECISION_LEVEL, DISPLAY_LEVEL, Claim
from .paper import current_paper
from .registry import evaluate_claims

__all__ = [
    "command_line",
    "json_ready",
    "meta",
    "results_document",
    "run_claims",
    "versions",
]


def versions() -> dict[str, str]:
    """Versions of the toolkit, Python, the numerical libraries and the platform, and the
    OpenBLAS kernels that ran (:mod:`foundation.blas`: they move float32 numbers' last
    digits)."""
    found = {"fastweights": _version("fastweights"), "python": platform.python_version()}
    for name in ("numpy", "scipy", "sympy", "matplotlib"):
        found[name] = _version(name)
    found["platform"] = platform.platform()
    found["openblas_kernels"] = blas.kernels() or "unknown"
    commit = _git_commit()
    if commit:
        found["git_commit"] = commit
    return found


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _git_commit() -> str | None:
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    )
    return out.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "")


def meta(
    seed: int,
    quick: bool,
    started: float,
    timings: Mapping[str, float],
    command: str,
) -> dict[str, Any]:
    """The ``meta`` object: versions, seed, parameters (the engine's, then the paper's:
    :attr:`~verification.engine.paper.Paper.parameters`), time (the run-dependent part)."""
    finished = time.time()
    return {
        "versions": versions(),
        "seed": seed,
        "command": command,
        "parameters": {
            "quick": quick,
            "decision_level": DECISION_LEVEL,
            "display_level": DISPLAY_LEVEL,
            "numeric_tolerance": NUMERIC_TOLERANCE,
            **current_paper().meta_parameters(quick),
        },
        "time": {
            "started": _dt.datetime.fromtimestamp(started, _dt.UTC).isoformat(timespec="seconds"),
            "finished": _dt.datetime.fromtimestamp(finished, _dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(finished - started, 3),
            "parts": {k: round(v, 3) for k, v in timings.items()},
        },
    }


def json_ready(value: Any) -> Any:
    """``value`` with numpy types made plain; raises ValueError on NaN or infinity."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"a non-finite number in the results: {x!r}")
        return x
    if value is None or isinstance(value, str):
        return value
    return str(value)


def run_claims(
    seed: int,
    quick: bool,
    command: str,
    ids: Sequence[str] | None = None,
    progress: bool = False,
    readings: str | None = None,
) -> tuple[list[Claim], dict[str, Any]]:
    """Evaluate the claims (all, or ``ids``); return them and the ``meta`` object.
    ``readings``: a stored ``fastweights readings`` search for the Sec. 4 claims."""
    started = time.time()
    timings: dict[str, float] = {}
    claims = evaluate_claims(
        seed, quick=quick, ids=ids, timings=timings, progress=progress, readings=readings
    )
    return claims, meta(seed, quick, started, timings, command)


def results_document(
    claims: Sequence[Claim], meta_: Mapping[str, Any], figures: Sequence[Figure] = ()
) -> dict[str, Any]:
    """``{"claims": [...], "meta": {...}}`` (and ``figures``: captions, files, data)."""
    document: dict[str, Any] = {"claims": [c.as_dict() for c in claims], "meta": dict(meta_)}
    if figures:
        document["figures"] = {
            f.name: {
                "title": f.title,
                "caption": f.caption,
                "file": f"figures/{f.name}.png",
                "svg": f"figures/{f.name}.svg" if f.svg else None,
                "text_overlaps": list(f.text_overlaps),
                "claims": list(f.claim_ids),
                "data": f.data,
            }
            for f in figures
        }
    return json_ready(document)  # type: ignore[no-any-return]


def command_line(
    command: str,
    seed: int,
    quick: bool,
    claims: Sequence[str] | None = None,
    readings: str | None = None,
) -> str:
    """The command that reproduces the numbers: ``fastweights COMMAND --seed S [--quick]``.

    (Output paths and ``--quiet`` do not change a number, so they are left out.)
    """
    words = [f"fastweights {command} --seed {seed}"]
    if quick:
        words.append("--quick")
    words += [f"--claim {claim}" for claim in claims or ()]
    if readings is not None:
        words.append(f"--readings {readings}")
    return " ".join(words)
