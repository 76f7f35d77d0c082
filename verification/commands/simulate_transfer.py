"""``fastweights simulate transfer``: measured transfer for the user's own input vectors."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.vector_transfer import VectorTransferSettings

from ..errors import UsageError
from ..inputs_file import (
    TransferInputs,
    check_fits,
    inputs_shape,
    parse_retrained,
    transfer_inputs,
    working_bytes,
)
from ..resources import Need
from ._common import add_json_option, add_quiet_option, format_estimate, format_table
from ._options import (
    RUN_OPTIONS,
    add_run_options,
    add_transfer_options,
    progress_enabled,
    settings_arguments,
)
from .theory_transfer import SMALL_FILE

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
    add_transfer_options(parser, noise_default=None)
    add_options(parser, VectorTransferSettings, _OWN, decay={"default": None})
    add_run_options(parser, VectorTransferSettings)
    add_json_option(parser)
    add_quiet_option(parser)


def _prepare(options: argparse.Namespace) -> tuple[TransferInputs, dict[str, Any], int]:
    """The file, S and ε, checked; the simulator's keyword arguments but ``progress``; its
    estimated peak bytes."""
    given = transfer_inputs(options.inputs, options.retrained, options.seed, options.epsilon)
    arguments = {
        "inputs": given.inputs,
        "retrained": given.retrained,
        "steps": options.steps,
        "epsilon": float(given.epsilon),
        "noise_sd": 1.0 if options.noise_sd is None else float(options.noise_sd),
        **settings_arguments(options, (*_OWN, *RUN_OPTIONS)),
    }
    if arguments["decay"] is None:
        del arguments["decay"]  # the declared default
    simulation.check_simulate_vector_transfer_arguments(**arguments)
    k, n = given.inputs.shape
    needed = simulation.vector_transfer_memory(
        k, n, options.steps, options.trials, options.chunk_size, options.blur
    )
    return given, arguments, needed


SECONDS_PER_ELEMENT = 5e-8
"""Single-core seconds per trial, step and row or column (measured: 10^6 trials of 3
rows, 4 columns and 20 steps, about 7 s)."""


def validate(options: argparse.Namespace) -> None:
    """The cheap checks before the estimate: options that need another (``--decay`` needs
    ``--blur decay``), the file's header and ``--retrained`` against its rows (a small
    file: every check :func:`run` makes), reading no large file."""
    _check_blur_options(options)
    shape = inputs_shape(options.inputs)
    if shape is not None:
        parse_retrained(options.retrained, shape[0], options.seed)
    if working_bytes(options.inputs) <= SMALL_FILE:
        _prepare(options)


def estimate(options: argparse.Namespace) -> list[Need]:
    """Loading the file (its working copies); one chunk of trials (blamed on ``--steps``
    when one trial is big) and the time (on ``--trials`` or ``--steps``)."""
    from ..resources import streaming_needs

    k, n = inputs_shape(options.inputs) or (1, 1)
    steps = max(1, options.steps)
    k_new = 5 if options.blur == "learning" else 0
    elements = (steps + 3) * k + 4 * n + k_new * (n + 2)
    per_trial = SECONDS_PER_ELEMENT * ((steps + 3) * (k + n) + 400 * k_new * (n + 2))
    usual = SECONDS_PER_ELEMENT * 23 * 7
    loading = working_bytes(options.inputs)
    needs = [Need("--inputs", options.inputs, bytes=loading + 16.0 * k * n)]
    for need in streaming_needs(
        options, ("--steps", options.steps), elements, 32.0 * elements, per_trial, usual, 10_000
    ):
        needs.append(replace(need, bytes=need.bytes + loading) if need.bytes else need)
    return needs


def _check_blur_options(options: argparse.Namespace) -> None:
    """An option of one blur given with another would be ignored: refused instead."""
    if options.decay is not None and options.blur != "decay":
        raise UsageError("decay", "--blur decay (--decay is the decay blur's H)", options.decay)
    if options.noise_sd is not None and options.blur != "noise":
        raise UsageError(
            "noise_sd", "--blur noise (--noise-sd is the noise blur's sd)", options.noise_sd
        )


def run(options: argparse.Namespace) -> dict[str, Any]:
    given, arguments, needed = _prepare(options)
    check_fits("trials", needed, options.trials)  # half the memory (the estimate: all of it)
    result = simulation.simulate_vector_transfer(**arguments, progress=progress_enabled(options))
    return {"inputs": given.describe(), **result.to_dict()}


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
