"""``fastweights simulate retrain``: measured unretrained/retrained ratio, retraining M of K."""

from __future__ import annotations

import argparse
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.retrain import RetrainSettings

from ..resources import Need, streaming_needs
from ._common import add_json_option, add_quiet_option, format_table
from ._options import (
    RUN_OPTIONS,
    add_association_options,
    add_ensemble_options,
    add_run_options,
    progress_enabled,
    settings_arguments,
)

PATH = ("simulate", "retrain")
HELP = (
    "simulate K random associations, blur the weights, retrain on M of them, and measure "
    "the ratio of first-step improvements unretrained/retrained (95% interval)"
)

_SHARED = ("inputs", "n", "associations", "retrained", "q", "p", "without_replacement")
"""The options shared with ``theory retrain`` (:mod:`._options`)."""

_OWN = ("noise_sd", "step_rule", "outputs", "learning")
"""The options declared by :class:`~simulation.retrain.RetrainSettings` after the run options."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_ensemble_options(parser)
    add_association_options(parser)
    add_options(parser, RetrainSettings, ["blur"])
    add_run_options(parser, RetrainSettings)
    add_options(parser, RetrainSettings, _OWN)
    add_json_option(parser)
    add_quiet_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``simulation.simulate_retrain`` but ``progress``."""
    return settings_arguments(options, (*_SHARED, "blur", *RUN_OPTIONS, *_OWN))


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), simulating nothing."""
    simulation.check_simulate_retrain_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Need]:
    """Per trial of K associations of n components and O outputs, measured: about
    6 K n + 40 K + 40 O n bytes (three times the K n part with gradient learning) and
    5e-9 K n + 3e-7 K seconds (a hundred times more with gradient learning)."""
    k, n, outputs = options.associations, options.n, options.outputs
    elements = k * n + 3 * outputs * n
    per_trial = (6.0 + (18.0 if options.learning == "gradient" else 0.0)) * k * n
    per_trial += 40.0 * k + 40.0 * outputs * n
    seconds = 5e-9 * k * n + 3e-7 * k
    if options.learning == "gradient":
        seconds *= 100
    size = ("--associations", k) if k >= n else ("--n", n)
    usual = 5e-9 * 100 * 10 + 3e-7 * 100
    return streaming_needs(options, size, elements, per_trial, seconds, usual, 20_000)


def run(options: argparse.Namespace) -> dict[str, Any]:
    result = simulation.simulate_retrain(**_arguments(options), progress=progress_enabled(options))
    return result.to_dict()


def render(result: dict[str, Any]) -> str:
    par = result["parameters"]
    prob = f"q = {par['q']:g}" if par["q"] is not None else f"p = {par['p']:g}"
    rows = {
        "inputs": f"{par['inputs']}, {prob}, n = {par['n']}"
        + (", without replacement" if par["without_replacement"] else ""),
        "associations K, retrained M": f"{par['associations']}, {par['retrained']}",
        "blur, step rule, learning": f"{par['blur']}, {par['step_rule']}, {par['learning']}",
        "improvement ratio (unretrained/retrained)": result["improvement_ratio"],
        "mean first-step improvement, retrained": result["mean_improvement_retrained"],
        "mean first-step improvement, unretrained": result["mean_improvement_unretrained"],
        "P(unretrained set improves)": result["positive_transfer_probability"],
        "trials": result["trials"],
        "seed": result["seed"],
    }
    return format_table(rows) + "\n(estimate [95% interval]; ratio: delta method; P: Wilson)"
