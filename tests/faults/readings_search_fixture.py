"""A small finished ``fastweights readings`` search, made once per session and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

from verification.readings.search import SearchSize, run_readings

SHORT = {
    "associations": 20,
    "original_sweeps": 40,
    "new_sweeps": 10,
    "retrain_sweeps": 6,
    "n_hidden": 8,
}
TINY = SearchSize("test", readings=8, seeds=3, rerun_seeds=4, near=1)
SEED = 5


def make_search(out: Path, **options: object) -> Path:
    """Run the tiny search into ``out`` in this process (a few seconds)."""
    run_readings(out, size=TINY, seed=SEED, in_process=True, quiet=True, protocol=SHORT,
                 notify=lambda _m: None, **options)  # type: ignore[arg-type]  # fmt: skip
    return out


def copy_search(finished: Path, where: Path) -> Path:
    """A copy of a finished search (locks not copied)."""
    target = where / "search-copy"
    shutil.copytree(finished, target, ignore=shutil.ignore_patterns(".*.lock"))
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` (links not followed) and its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }
