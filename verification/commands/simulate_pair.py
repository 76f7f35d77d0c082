"""``fastweights simulate pair``: measured cos θ and improvement ratios for two given vectors."""

from __future__ import annotations

import argparse
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.pair import PairSettings

from ..resources import Need, streaming_needs
from ._common import add_json_option, add_quiet_option, format_table, parse_vector
from ._options import (
    RUN_OPTIONS,
    add_pair_options,
    add_run_options,
    progress_enabled,
    settings_arguments,
)

PATH = ("simulate", "pair")
HELP = (
    "simulate a linear unit that learned A and B, add Gaussian weight noise, and measure "
    "cos(theta) and the improvement ratios (95% intervals)"
)

_OWN = ("noise_sd",)
"""The options declared by :class:`~simulation.pair.PairSettings` beyond the run options."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_pair_options(parser)
    add_run_options(parser, PairSettings)
    add_options(parser, PairSettings, _OWN)
    add_json_option(parser)
    add_quiet_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``simulation.simulate_pair`` but ``progress``."""
    vectors = {"a": parse_vector("a", options.a), "b": parse_vector("b", options.b)}
    return {**vectors, **settings_arguments(options, (*RUN_OPTIONS, *_OWN))}


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), simulating nothing."""
    simulation.check_simulate_pair_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Need]:
    """Memory and time: about 48 bytes and 2e-8 s per trial and component (measured)."""
    n = len(parse_vector("a", options.a))
    per_trial = 2e-8 * (4 * n + 4)
    return streaming_needs(
        options, ("--a", f"{n} components"), 4 * n, 48.0 * 4 * n, per_trial, 2e-8 * 20, 100_000
    )


def run(options: argparse.Namespace) -> dict[str, Any]:
    arguments = _arguments(options)
    result = simulation.simulate_pair(**arguments, progress=progress_enabled(options))
    return {"a": arguments["a"], "b": arguments["b"], **result.to_dict()}


def render(result: dict[str, Any]) -> str:
    rows = {
        "E[cos theta]": result["expected_cos"],
        "improvement ratio, unit step": result["improvement_ratio_unit_step"],
        "improvement ratio, gradient step": result["improvement_ratio_gradient_step"],
        "P(a step on A improves B)": result["positive_transfer_probability"],
        "trials": result["trials"],
        "seed": result["seed"],
    }
    return format_table(rows) + "\n(estimate [95% interval]; ratios: delta method; P: Wilson)"
