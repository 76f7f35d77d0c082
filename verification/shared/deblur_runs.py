"""Input ``deblur-runs``: the Sec. 4 experiment at the defaults and at other readings.

One run of the experiment (``simulation.run_deblur_conditions``: phases 1-2 shared,
retraining on 10 % and 50 % with fast weights and in the control, paired seed by seed)
serves every deblurring claim, the Fig. 2 figure and the transfer chain
(``transfer-chains``); the experiment at every reading of :data:`SENSITIVITY_AXES` (one
changed at a time around the defaults) serves the parts' sensitivity and its figure.

Seeds: the defaults' run ``claim_seed(seed, "deblur")``, the same for every claim and
independent of the other claims; reading ``p`` ``claim_seed(seed, "deblur", "sensitivity",
label(p))``, keyed by the reading itself, so adding or removing a reading changes no other
reading's numbers. Threads, chunks and processes change no number.

Scheduling (2 cores): with a background process, the defaults' run (one thread) and, with
``--quick``, the first :func:`_background_readings` readings run there, while this process
computes the other readings one after the other; without one, the defaults' run uses every
core and then the readings run side by side, one thread each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from ..engine.model import claim_seed
from ..readings.measure import FRACTIONS
from .executor import register_input, value
from .spec import InputSpec, Request

if TYPE_CHECKING:
    from simulation.deblur_results import DeblurConditionsResult

__all__ = [
    "NAME",
    "SENSITIVITY_AXES",
    "DeblurRuns",
    "compute_deblur_run",
    "compute_deblur_runs",
    "deblur_run",
    "deblur_runs",
    "deblur_seeds",
    "reading_label",
    "sensitivity_points",
    "sensitivity_seeds",
]

NAME = "deblur-runs"

SENSITIVITY_AXES: dict[str, tuple[Any, ...]] = {
    "fast_epsilon": (0.005, 0.05),
    "fast_momentum": (0.9,),
    "init_scale": (0.1, 1.0),
    "error_measure": ("squared",),
    "error_factor": (1.0,),
}
"""Other readings of what the paper does not state, one at a time around the defaults.

The readings ``docs/deblur.md`` found to matter: slower (ε_f = .005) and faster (.05, past
the stability cliff) fast weights; fast weights with the slow weights' momentum (α_f = .9,
the largest fast weights); smaller and larger initial weights (uniform on ±.1, ±1); Fig. 2's
error as the squared instead of the absolute error; and the literal "squared difference"
error E = Σ (y - t)² (c = 1 instead of ½, which doubles every ε)."""

Run: TypeAlias = "DeblurConditionsResult"
"""A ``run_deblur_conditions(..., per_seed=True)`` result."""


class DeblurRuns(NamedTuple):
    """The defaults' run and ``(changed parameters, run)`` at every other reading."""

    defaults: Run
    readings: list[tuple[dict[str, Any], Run]]


def deblur_seeds(quick: bool) -> int:
    """Seeds of the experiment: 200 (40 with ``--quick``)."""
    return 40 if quick else 200


def sensitivity_seeds(quick: bool) -> int:
    """Seeds per sensitivity reading: 30 (6 with ``--quick``: enough to refute the clear
    cases, e.g. a transfer ratio of .45 against .8; the rest stay inconclusive there)."""
    return 6 if quick else 30


def reading_label(point: Mapping[str, Any]) -> str:
    """``"fast_epsilon = 0.005"`` (``"defaults"`` for no change)."""
    if not point:
        return "defaults"
    return ", ".join(
        f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}"
        for name, value in point.items()
    )


def sensitivity_points() -> list[dict[str, Any]]:
    """The readings of :data:`SENSITIVITY_AXES`, the defaults left out."""
    from simulation.deblur_sensitivity import sensitivity_points as points

    return points(SENSITIVITY_AXES)[1:]  # [0] is the defaults


def compute_deblur_run(seed: int, quick: bool, threads: int | None = None) -> Run:
    """Run the experiment at the defaults (no cache): what :func:`deblur_run` returns."""
    from simulation import run_deblur_conditions

    return run_deblur_conditions(
        seeds=deblur_seeds(quick),
        retrain_fractions=FRACTIONS,
        seed=claim_seed(seed, "deblur") % (2**63),
        include_control=True,
        per_seed=True,
        capture_blurred=True,  # the networks at the start of retraining (transfer-chains)
        chunk_size=20 if quick else 25,  # whole chunks per thread; changes no number
        threads=threads,
    )


def _sensitivity_run(seed: int, quick: bool, point: Mapping[str, Any]) -> Run:
    from simulation import run_deblur_conditions

    seeds = sensitivity_seeds(quick)
    return run_deblur_conditions(
        seeds=seeds,
        retrain_fractions=FRACTIONS,
        seed=claim_seed(seed, "deblur", "sensitivity", reading_label(point)) % (2**63),
        include_control=True,
        per_seed=True,
        chunk_size=seeds,
        threads=1,
        **point,
    )


def compute_deblur_runs(seed: int, quick: bool) -> DeblurRuns:
    """The defaults' run and every sensitivity run, in this process (no cache).

    The defaults' run first, on the cores' threads; then the readings, whose batches are
    small, side by side, one thread each (a second thread inside a small run mostly adds
    overhead).
    """
    from concurrent.futures import ThreadPoolExecutor

    from simulation.deblur_protocol import default_threads

    points = sensitivity_points()
    defaults = compute_deblur_run(seed, quick)
    with ThreadPoolExecutor(max_workers=default_threads()) as pool:
        readings = [pool.submit(_sensitivity_run, seed, quick, p) for p in points]
        return DeblurRuns(defaults, list(zip(points, [r.result() for r in readings], strict=True)))


def _background_readings(quick: bool) -> int:
    """Readings computed in the background process after the defaults' run (one thread:
    the other core is this process's, which computes the other readings meanwhile, one
    after the other). Measured balance on 2 cores: with ``quick`` the defaults' run (40
    seeds) and 2 readings there, 5 here; in full the defaults' run (200 seeds) there, all 7
    readings here. Running the defaults' run on two threads meanwhile was slower (45 s
    instead of 36 s in full)."""
    return 2 if quick else 0


def _early(request: Request) -> tuple[Run, list[Run]]:
    """The part started in the background process: the defaults' run and the first
    readings."""
    seed, quick = request.seed, request.quick
    defaults = compute_deblur_run(seed, quick, threads=1)  # the other core is this process
    points = sensitivity_points()[: _background_readings(quick)]
    return defaults, [_sensitivity_run(seed, quick, p) for p in points]


def _compute(request: Request, early: Callable[[], tuple[Run, list[Run]]] | None) -> DeblurRuns:
    seed, quick = request.seed, request.quick
    if early is None:
        return compute_deblur_runs(seed, quick)
    points = sensitivity_points()
    here = [_sensitivity_run(seed, quick, p) for p in points[_background_readings(quick) :]]
    defaults, there = early()
    return DeblurRuns(defaults, list(zip(points, there + here, strict=True)))


register_input(InputSpec(NAME, _compute, early=_early))


def deblur_runs(seed: int, quick: bool) -> DeblurRuns:
    """The value of ``deblur-runs`` for this seed and precision (cached)."""
    runs: DeblurRuns = value(NAME, seed, quick)
    return runs


def deblur_run(seed: int, quick: bool) -> Run:
    """The defaults' run (cached): every deblurring claim's, Fig. 2's, the chain's."""
    return deblur_runs(seed, quick).defaults
