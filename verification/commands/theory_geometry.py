"""``fastweights theory geometry``: positive transfer in the two-weight network (Sec. 4.1, 5.3)."""

from __future__ import annotations

import argparse
from typing import Any

import theory

from ._common import add_json_option, format_table
from ._options import add_geometry_options

PATH = ("theory", "geometry")
HELP = (
    "probability of positive transfer between two associations at a given angle, after "
    "retraining has contracted the weight error by LAMBDA (exact, and the paper's ellipse reading)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_geometry_options(parser)
    add_json_option(parser)


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), computing nothing."""
    theory.checked_angles(options.angle, options.contraction)


def run(options: argparse.Namespace) -> dict[str, Any]:
    angle, contraction = options.angle, options.contraction
    probability = theory.positive_transfer_probability(angle, contraction)
    fraction = theory.paper_ellipse_arc_fraction(angle, contraction)
    return {
        "angle": angle,
        "contraction": contraction,
        "positive_transfer_probability": probability,
        "paper_ellipse_arc_fraction": fraction,
        "paper_minus_exact": fraction - probability,
        "start_probability": theory.positive_transfer_probability(angle, 1.0),
    }


def render(result: dict[str, Any]) -> str:
    rows = {
        "angle (degrees)": f"{result['angle']:g}",
        "contraction lambda": f"{result['contraction']:g}",
        "P(positive transfer), exact": result["positive_transfer_probability"],
        "paper: ellipse arc fraction": result["paper_ellipse_arc_fraction"],
        "paper minus exact": result["paper_minus_exact"],
        "P at start (lambda = 1)": result["start_probability"],
    }
    return format_table(rows)
