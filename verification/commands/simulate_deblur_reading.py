"""``fastweights simulate deblur-reading``: the Sec. 4 claims' per-seed numbers at one reading.

One point of the ``fastweights readings`` search: the whole experiment (both retrained
fractions, each with fast weights and the control, paired seed by seed) at one reading of
the parameters the paper leaves unstated, reduced to the per-seed numbers the claims need
(:func:`verification.readings.measure.compact_run`), so a search stores one small row per
reading and the verdicts compute their intervals from the seeds themselves.
"""

from __future__ import annotations

import argparse
from typing import Any

from foundation.settings import add_options
from simulation.deblur_protocol import DeblurSeeds

from ..readings.measure import (
    EARLY_SWEEP,
    FRACTIONS,
    check_retrain_sweeps,
    claim_outcomes,
    compact_run,
)
from . import simulate_deblur
from ._common import add_json_option, add_quiet_option
from ._options import progress_enabled

PATH = ("simulate", "deblur-reading")
HELP = (
    "run the Sec. 4 experiment (10% and 50% retrained, fast weights and the control) at one "
    "reading of the unstated parameters and give the per-seed numbers of the four claims"
)


_RETRAIN_SWEEPS = (
    f"retraining sweeps recorded, at least {EARLY_SWEEP} here: the claims compare the "
    f"improvements after {EARLY_SWEEP} (paper: 20)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    seeds = {"default": 10, "help": "independent networks (default 10)"}
    add_options(parser, DeblurSeeds, ["seeds", "seed"], seeds=seeds)
    simulate_deblur.add_settings_arguments(parser, retrain_sweeps={"help": _RETRAIN_SWEEPS})
    add_json_option(parser)
    add_quiet_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``run_deblur_conditions`` but ``progress``; a reading
    needs at least :data:`EARLY_SWEEP` retraining sweeps (checked first)."""
    if options.retrain_sweeps is not None:
        check_retrain_sweeps(options.retrain_sweeps)
    return {
        "seeds": options.seeds,
        "retrain_fractions": FRACTIONS,
        "seed": options.seed,
        "include_control": True,
        "per_seed": True,
        **simulate_deblur.settings_from_options(options),
    }


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes, training nothing."""
    import simulation

    simulation.check_run_deblur_conditions_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Any]:
    """Memory and time of the reading: the experiment in its four conditions (both
    fractions, fast weights and the control; :func:`verification.resources.deblur_need`).
    A sweep also orders its points by this time, longest first."""
    import simulation

    from ..resources import Need, deblur_need

    _, _, settings = simulation.check_run_deblur_conditions_arguments(**_arguments(options))
    memory, seconds = deblur_need(settings, options.seeds, conditions=2 * len(FRACTIONS))
    return [Need("--seeds", options.seeds, bytes=memory, seconds=seconds)]


def run(options: argparse.Namespace) -> dict[str, Any]:
    import simulation

    result = simulation.run_deblur_conditions(
        **_arguments(options), progress=progress_enabled(options)
    )
    return compact_run(result)


def render(result: dict[str, Any]) -> str:
    claims = claim_outcomes(result)
    lines = [f"{result['seeds']} seeds (seed {result['seed']}); per claim, at this reading:"]
    for claim, at in claims.items():
        counted = "" if at.counted else " (original learning not intact: not counted)"
        lines.append(f"  {claim}: {at.outcome.verdict}{counted}")
        for part in at.parts:
            sim = part.simulated
            value = (
                "-"
                if sim is None
                else f"{sim.estimate:.4g} [{sim.ci95_low:.4g}, {sim.ci95_high:.4g}]"
            )
            side = ">" if part.spec.above else "<"
            lines.append(f"    {part.spec.label}: {value} (claimed {side} {part.spec.threshold:g})")
    return "\n".join(lines)
