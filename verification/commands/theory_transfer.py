"""``fastweights theory transfer``: exact expected transfer for the user's own input vectors."""

from __future__ import annotations

import argparse
from typing import Any

import theory
from foundation.settings import ascii_int

from ..inputs_file import (
    TransferInputs,
    check_fits,
    inputs_shape,
    parse_retrained,
    transfer_inputs,
    working_bytes,
)
from ..resources import Need
from ._common import add_json_option, format_table
from ._options import add_transfer_options

PATH = ("theory", "transfer")
HELP = (
    "exact expected transfer for your own input vectors (.npy or .csv, one per row): a "
    "linear unit that solved every association, Gaussian weight noise, full-batch "
    "retraining of the --retrained rows; first-order and first-step improvement ratios "
    "(unretrained/retrained) and the expected errors after each step"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_transfer_options(parser, exact=True)
    parser.add_argument(
        "--seed",
        type=ascii_int,
        default=0,
        metavar="S",
        help="seed of --retrained random:M (default 0)",
    )
    add_json_option(parser)


def _prepare(options: argparse.Namespace) -> tuple[TransferInputs, dict[str, Any]]:
    """The file, S and ε, checked; the keyword arguments of ``theory.vector_transfer``."""
    given = transfer_inputs(options.inputs, options.retrained, options.seed, options.epsilon)
    k, n = given.inputs.shape
    check_fits("inputs", theory.vector_transfer_memory(k, n, options.steps), options.inputs)
    arguments = {
        "inputs": given.inputs,
        "retrained": given.retrained,
        "steps": options.steps,
        "epsilon": given.epsilon,
        "noise_sd": options.noise_sd,
    }
    theory.check_vector_transfer_arguments(**arguments)
    return given, arguments


SECONDS_PER_STEP = 3e-5
"""Single-core seconds per retraining step of the float64 path beyond its n² K
multiply-adds (Python and numpy overhead; measured: 10^6 steps of 3 rows, about 28 s)."""
BYTES_PER_STEP_AND_ROW = 100.0
"""Bytes per step and row kept until the result is printed: the per-step table, its
Python floats and the rendered lines (measured: 10^6 steps of 3 rows, about 280 MB)."""
SMALL_FILE = 64 * 2**20
"""Below this working size, :func:`validate` loads the file and makes every check."""


def validate(options: argparse.Namespace) -> None:
    """The cheap checks before the estimate: the file's header and ``--retrained`` against
    its rows (a small file: every check :func:`run` makes), reading no large file."""
    cheap_checks(options)


def cheap_checks(options: argparse.Namespace) -> None:
    """``--inputs`` header and ``--retrained`` against its rows; a small file fully."""
    shape = inputs_shape(options.inputs)
    if shape is not None:
        parse_retrained(options.retrained, shape[0], options.seed)
    if working_bytes(options.inputs) <= SMALL_FILE:
        _prepare(options)


def estimate(options: argparse.Namespace) -> list[Need]:
    """Loading the file (its working copies) and the steps' memory and time."""
    shape = inputs_shape(options.inputs) or (1, 1)
    k, n = shape
    steps = max(1, options.steps)
    loading = working_bytes(options.inputs)
    computing = theory.vector_transfer_memory(k, n, steps) + BYTES_PER_STEP_AND_ROW * steps * k
    seconds = steps * (SECONDS_PER_STEP + 1e-9 * n * n * k)
    return [
        Need("--inputs", options.inputs, bytes=loading + 8.0 * k * n),
        Need("--steps", options.steps, bytes=loading + computing, seconds=seconds),
    ]


def run(options: argparse.Namespace) -> dict[str, Any]:
    given, arguments = _prepare(options)
    result = theory.vector_transfer(**arguments)
    return {"inputs": given.describe(), "steps": options.steps, **result.to_dict()}


def _ratio(result: dict[str, Any], key: str) -> str:
    value = result[key]
    if value is None:
        return "undefined (the retrained rows' mean first-step drop is 0)"
    exact = result.get(f"{key}_exact")
    return f"{value:.4f}" + (f" (= {exact})" if exact and len(exact) <= 40 else "")


def render(result: dict[str, Any]) -> str:
    inputs = result["inputs"]
    retrained = inputs["retrained"]
    shown = ",".join(str(i) for i in retrained[:12]) + (",..." if len(retrained) > 12 else "")
    epsilon = f"{result['epsilon']:.6g}"
    if "epsilon_exact" in result:
        epsilon += f" (= {result['epsilon_exact']})"
    rows = {
        "inputs": f"{inputs['file']}: {inputs['rows']} rows x {inputs['columns']} columns",
        "retrained rows": f"{len(retrained)}: {shown}",
        "arithmetic": result["arithmetic"],
        "epsilon": f"{epsilon}, {inputs['epsilon_rule']}",
        "improvement ratio, first order": _ratio(result, "improvement_ratio"),
        "improvement ratio, first step": _ratio(result, "improvement_ratio_finite_step"),
    }
    errors = result["expected_errors"]
    lines = [format_table(rows), "", "step  E[error], retrained  E[error], unretrained"]
    for t, r, u in zip(errors["steps"], errors["retrained"], errors["unretrained"], strict=True):
        lines.append(f"{t:>4}  {r:>19.4f}  {u:>21.4f}")
    return "\n".join(lines)
