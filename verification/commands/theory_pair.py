"""``fastweights theory pair``: transfer between two associations A and B (Sec. 5, Eq. 1-3)."""

from __future__ import annotations

import argparse
from typing import Any

import theory

from ._common import add_json_option, format_table, parse_vector
from ._options import add_pair_options

PATH = ("theory", "pair")
HELP = (
    "exact expected transfer between two input vectors with components in {1,0,-1}: "
    "E[cos theta] over Gaussian weight noise, the paper's Eq. (2)/(3), and the ratios "
    "of expected improvements (fixed-length and gradient-proportional steps)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_pair_options(parser)
    add_json_option(parser)


def _vectors(options: argparse.Namespace) -> tuple[Any, Any]:
    a = parse_vector("a", options.a) if isinstance(options.a, str) else options.a
    b = parse_vector("b", options.b) if isinstance(options.b, str) else options.b
    return a, b


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), computing nothing."""
    theory.check_pair_arguments(*_vectors(options))


def run(options: argparse.Namespace) -> dict[str, Any]:
    return dict(theory.pair_transfer(*_vectors(options)))


def render(result: dict[str, Any]) -> str:
    rows = {
        "rho = cos(a, b)": result["rho"],
        "E[cos theta], exact (Gaussian noise)": result["expected_cos"],
        "<cos theta>, paper (Eq. 2 / Eq. 3)": result["paper_expected_cos"],
        "improvement ratio, fixed-length step": result["improvement_ratio_unit_step"],
        "improvement ratio, gradient step": result["improvement_ratio_gradient_step"],
    }
    return format_table(rows)
