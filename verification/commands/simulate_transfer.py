"""``fastweights simulate transfer``: measured transfer for the user's own input vectors."""

from __future__ import annotations

import argparse
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.vector_transfer import VectorTransferSettings

from ..inputs_file import TransferInputs, check_fits, transfer_inputs
from ._common import add_json_option, add_quiet_option, format_estimate, format_table
from ._options import (
    RUN_OPTIONS,
    add_run_options,
    add_transfer_options,
    progress_enabled,
    settings_arguments,
)

PATH = ("simulate", "transfer")
HELP = (
    "simulate a linear unit that solved your own input vectors' associations (.npy or "
    ".csv), blur it, retrain the --retrained rows for real, and measure the improvement "
    "ratios and the errors after each step (95% intervals)"
)

_OWN = ("blur", "decay")
"""The options declared by :class:`~simulation.vector_transfer.VectorTransferSettings` beyond
the transfer options (shared with ``theory transfer``) and the run options."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_transfer_options(parser)
    add_options(parser, VectorTransferSettings, _OWN)
    add_run_options(parser, VectorTransferSettings)
    add_json_option(parser)
    add_quiet_option(parser)


def _prepare(options: argparse.Namespace) -> tuple[TransferInputs, dict[str, Any]]:
    """The file, S and ε, checked; the keyword arguments of the simulator but ``progress``."""
    given = transfer_inputs(options.inputs, options.retrained, options.seed, options.epsilon)
    arguments = {
        "inputs": given.inputs,
        "retrained": given.retrained,
        "steps": options.steps,
        "epsilon": float(given.epsilon),
        "noise_sd": float(options.noise_sd),
        **settings_arguments(options, (*_OWN, *RUN_OPTIONS)),
    }
    simulation.check_simulate_vector_transfer_arguments(**arguments)
    k, n = given.inputs.shape
    needed = simulation.vector_transfer_memory(
        k, n, options.steps, options.trials, options.chunk_size, options.blur
    )
    check_fits("trials", needed, options.trials)
    return given, arguments


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), simulating nothing."""
    _prepare(options)


def run(options: argparse.Namespace) -> dict[str, Any]:
    given, arguments = _prepare(options)
    result = simulation.simulate_vector_transfer(**arguments, progress=progress_enabled(options))
    return {"inputs": given.describe(), **result}


def render(result: dict[str, Any]) -> str:
    inputs, par = result["inputs"], result["parameters"]
    blur = {
        "noise": f"noise, sd {par['noise_sd']:g}",
        "decay": f"decay, h = {par['decay']:g}",
        "learning": f"learning {par['interference_associations']} new associations, "
        f"{par['interference_steps']} sweeps",
    }[par["blur"]]
    rows = {
        "inputs": f"{inputs['file']}: {inputs['rows']} rows x {inputs['columns']} columns",
        "retrained rows": len(inputs["retrained"]),
        "blur": blur,
        "epsilon": f"{par['epsilon']:.6g}, {inputs['epsilon_rule']}",
        "improvement ratio, first order": result["improvement_ratio"],
        "improvement ratio, first step": result["improvement_ratio_finite_step"],
        "P(unretrained rows improve)": result["positive_transfer_probability"],
        "trials": result["trials"],
        "seed": result["seed"],
    }
    errors = result["expected_errors"]
    lines = [format_table(rows), "", "step  mean error, retrained  mean error, unretrained"]
    for t in errors["steps"]:
        r, u = (
            {key: errors[side][key][t] for key in ("estimate", "ci_low", "ci_high")}
            for side in ("retrained", "unretrained")
        )
        lines.append(f"{t:>4}  {format_estimate(r)}  {format_estimate(u)}")
    lines.append("(estimate [95% interval]; ratios: delta method; P: Wilson)")
    return "\n".join(lines)
