"""``fastweights simulate geometry``: measured P(positive transfer) in the two-weight network."""

from __future__ import annotations

import argparse
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.geometry import GeometrySettings

from ..resources import Need, streaming_needs
from ._common import add_json_option, add_quiet_option, format_table
from ._options import (
    RUN_OPTIONS,
    add_geometry_options,
    add_run_options,
    progress_enabled,
    settings_arguments,
)

PATH = ("simulate", "geometry")
HELP = (
    "simulate the two-weight network of Figs. 3-4: noise on a circle, retraining on "
    "association 1 by gradient steps, and the fraction of trials with positive transfer"
)

_OWN = ("radius", "steps")
"""The options declared by :class:`~simulation.geometry.GeometrySettings` beyond the others."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_geometry_options(parser)
    add_run_options(parser, GeometrySettings)
    add_options(parser, GeometrySettings, _OWN)
    add_json_option(parser)
    add_quiet_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``simulation.simulate_geometry`` but ``progress``."""
    return settings_arguments(options, ("angle", "contraction", *RUN_OPTIONS, *_OWN))


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), simulating nothing."""
    simulation.check_simulate_geometry_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Need]:
    """About 400 bytes per trial (steps keep no history) and 1.5e-7 s per trial and step."""
    per_trial = 1.5e-7 * (max(1, options.steps) + 10)
    usual = 1.5e-7 * 20
    return streaming_needs(options, ("--steps", options.steps), 8, 400.0, per_trial, usual, 100_000)


def run(options: argparse.Namespace) -> dict[str, Any]:
    result = simulation.simulate_geometry(**_arguments(options), progress=progress_enabled(options))
    return result.to_dict()


def render(result: dict[str, Any]) -> str:
    par = result["parameters"]
    rows = {
        "angle (degrees)": f"{par['angle']:g}",
        "contraction lambda (requested)": f"{par['contraction']:g}",
        "contraction reached (measured)": result["achieved_contraction"],
        "P(positive transfer)": result["positive_transfer_probability"],
        "trials": result["trials"],
        "seed": result["seed"],
    }
    return format_table(rows) + "\n(estimate [95% interval]; proportion: Wilson)"
