"""Test support: the Sec. 4 run ``fastweights chain`` makes, made with the library."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulation import run_deblur_conditions
from simulation.deblur_results import DeblurConditionsResult

__all__ = ["chain_run"]


def chain_run(
    seeds: int, seed: int, fractions: Sequence[float], **settings: Any
) -> DeblurConditionsResult:
    """``run_deblur_conditions`` as the command calls it: fast weights only, per-seed
    arrays and the blurred networks captured; ``settings`` (sizes, ``associations``, ...)
    passed on."""
    return run_deblur_conditions(
        seeds=seeds,
        retrain_fractions=fractions,
        seed=seed,
        include_control=False,
        per_seed=True,
        capture_blurred=True,
        **settings,
    )
