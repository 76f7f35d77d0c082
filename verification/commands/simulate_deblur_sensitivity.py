"""``fastweights simulate deblur-sensitivity``: the Sec. 4 numbers over unstated parameters."""

from __future__ import annotations

import argparse
from typing import Any

from foundation.settings import add_options
from simulation.deblur_protocol import DeblurSeeds
from simulation.deblur_sensitivity import (
    DEFAULT_SENSITIVITY_AXES,
    check_deblur_sensitivity_arguments,
    deblur_sensitivity,
)

from ..errors import UsageError
from ._common import add_json_option, add_quiet_option
from ._options import progress_enabled

PATH = ("simulate", "deblur-sensitivity")
HELP = (
    "run the Sec. 4 deblurring experiment (both fractions, with the control) at each point "
    "of a grid over parameters the paper leaves unstated, and tabulate the headline numbers"
)


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def parse_axis(text: str) -> tuple[str, list[Any]]:
    """``fast_epsilon=0.01,0.02`` -> ``("fast_epsilon", [0.01, 0.02])``.

    Values that contain commas themselves (``targets``) are separated by semicolons:
    ``targets=0.1,0.9;0.2,0.8`` -> ``("targets", ["0.1,0.9", "0.2,0.8"])``.
    """
    name, sep, values = text.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise UsageError(
            "axis", "NAME=V1,V2,... such as fast_epsilon=0.01,0.05 (or V1;V2;...)", text
        )
    items = values.split(";") if ";" in values else values.split(",")
    return name.strip().replace("-", "_"), [_value(v.strip()) for v in items]


def _merged_axes(texts: list[str]) -> dict[str, list[Any]]:
    """Every ``--axis``; one parameter given twice keeps the values of both (in order, once)."""
    axes: dict[str, list[Any]] = {}
    for text in texts:
        name, values = parse_axis(text)
        merged = axes.setdefault(name, [])
        merged.extend(v for v in values if v not in merged)
    return axes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    seeds = {"default": 30, "help": "seeds per point (30)"}
    add_options(parser, DeblurSeeds, ["seeds", "seed"], seeds=seeds)
    parser.add_argument(
        "--axis",
        action="append",
        metavar="NAME=V1,V2",
        help="a parameter and its values (repeatable; V1;V2 for values with commas, "
        "e.g. targets=0,1;0.1,0.9); default: "
        + "; ".join(f"{k}={','.join(map(str, v))}" for k, v in DEFAULT_SENSITIVITY_AXES.items()),
    )
    parser.add_argument(
        "--product", action="store_true", help="the full grid (default: one axis at a time)"
    )
    add_json_option(parser)
    add_quiet_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``deblur_sensitivity`` but ``progress``."""
    axes = _merged_axes(options.axis) if options.axis else DEFAULT_SENSITIVITY_AXES
    return {
        "axes": axes,
        "seeds": options.seeds,
        "seed": options.seed,
        "mode": "product" if options.product else "one-at-a-time",
    }


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes at every grid point (the same one-line errors),
    training nothing."""
    check_deblur_sensitivity_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Any]:
    """Memory of the largest grid point, time of all of them, each point with its
    fractions and the control (:func:`verification.resources.deblur_need`)."""
    from simulation.deblur_protocol import DeblurSettings

    from ..resources import Need, deblur_need

    arguments = _arguments(options)
    points = check_deblur_sensitivity_arguments(**arguments)
    needs, total = [], 0.0
    for point in points:
        memory, seconds = deblur_need(DeblurSettings(**point), options.seeds, conditions=4)
        label = ", ".join(f"{k}={v}" for k, v in point.items()) or "the defaults"
        needs.append(Need("--axis", label, bytes=memory, seconds=seconds))
        total += seconds
    needs.append(Need("--seeds" if options.seeds > 30 else "--axis", options.seeds, seconds=total))
    return needs


def run(options: argparse.Namespace) -> dict[str, Any]:
    arguments = _arguments(options)
    return deblur_sensitivity(**arguments, progress=progress_enabled(options)).to_dict()


def _num(value: dict[str, Any] | None, digits: int = 3) -> str:
    if value is None or value.get("estimate") is None:
        return "-"
    if value.get("ci_low") is None:
        return f"{value['estimate']:.{digits}f}"
    half = (value["ci_high"] - value["ci_low"]) / 2
    return f"{value['estimate']:.{digits}f} ± {half:.{digits}f}"


def render(result: dict[str, Any]) -> str:
    """A Markdown table: one line per (grid point, retrained fraction)."""
    head = (
        "| parameters | learned | wrong outputs | old error | max abs w_f | F "
        "| ratio sweep 1 | ratio sweep 5 | new change after decay | control - fast |"
    )
    lines = [
        f"{result['seeds']} seeds per point (seed {result['seed']}); mean ± 95% half-width",
        "",
        head,
        "|" + "---|" * (head.count("|") - 1),
    ]
    for row in result["rows"]:
        par = ", ".join(f"{k} = {v}" for k, v in row["parameters"].items()) or "defaults"
        for fr in row["fractions"]:
            ratio = fr["improvement_ratio"]
            lines.append(
                f"| {par} | {_num(row['learned_fraction'], 2)} "
                f"| {_num(row['old_wrong_output_fraction'])} "
                f"| {_num(row['old_error_after_training'])} "
                f"| {_num(row['fast_weight_max_abs_after_training'])} "
                f"| {fr['retrain_fraction']:g} | {_num(ratio.get('1'))} | {_num(ratio.get('5'))} "
                f"| {_num(fr['new_error_change_after_decay'])} "
                f"| {_num(fr.get('control_minus_fast'))} |"
            )
    return "\n".join(lines)
