"""Input ``two-sets-runs``: Sec. 6's two sets learned together, at several lengths.

One run of ``simulation.simulate_two_sets`` (the Sec. 4 network; sets A and B of 50 random
associations learned together, checkpointed after each of :data:`LENGTHS` sweeps, blurred
the Sec. 4 way by 5 new associations for 400 sweeps, then A retrained) serves both Sec. 6
claims (``verification.claims.sec6_prediction``) and their figure.

Seeds: ``claim_seed(seed, "two-sets")``, independent of every other claim; 20 networks (10
with ``--quick``). Threads and chunks change no number. With a background process the
whole run is started there (one thread) while this process evaluates the other claims.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..engine.model import claim_seed
from ..readings.measure import EARLY_SWEEP
from .executor import register_input, value
from .spec import InputSpec, Request

if TYPE_CHECKING:
    from simulation.two_sets import TwoSetsResult

__all__ = ["LENGTHS", "NAME", "compute_two_sets", "two_sets_result", "two_sets_seeds"]

NAME = "two-sets-runs"

LENGTHS = (100, 300, 1300, 3000)
"""Sweeps of original learning: well short of learning (100), nearly learned (300), the
paper's 1300, and more than twice as long (3000)."""


def two_sets_seeds(quick: bool) -> int:
    """Networks of the run: 20 (10 with ``--quick``)."""
    return 10 if quick else 20


def compute_two_sets(seed: int, quick: bool, threads: int | None = None) -> TwoSetsResult:
    """The run for this root seed and precision (no cache)."""
    from simulation.deblur_protocol import DeblurSettings
    from simulation.two_sets import simulate_two_sets

    seeds = two_sets_seeds(quick)
    settings = DeblurSettings(retrain_sweeps=EARLY_SWEEP, chunk_size=seeds // 2, threads=threads)
    return simulate_two_sets(
        seeds=seeds,
        seed=claim_seed(seed, "two-sets") % (2**63),
        lengths=LENGTHS,
        settings=settings,
    )


def _early(request: Request) -> TwoSetsResult:
    return compute_two_sets(request.seed, request.quick, threads=1)


def _compute(request: Request, early: Callable[[], Any] | None) -> TwoSetsResult:
    if early is not None:
        result: TwoSetsResult = early()
        return result
    return compute_two_sets(request.seed, request.quick)


register_input(InputSpec(NAME, _compute, early=_early))


def two_sets_result(seed: int, quick: bool) -> TwoSetsResult:
    """The value of ``two-sets-runs`` for this seed and precision (cached)."""
    result: TwoSetsResult = value(NAME, seed, quick)
    return result
