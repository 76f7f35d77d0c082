"""``fastweights theory retrain``: retraining M of K associations, the ".943" of Sec. 5.1."""

from __future__ import annotations

import argparse
from typing import Any

import theory

from ._common import add_json_option, format_table
from ._options import add_association_options, add_ensemble_options

PATH = ("theory", "retrain")
HELP = (
    "ratio of the expected first-step improvements of an unretrained and a retrained "
    "association when M of K random associations are retrained: exact at dimension n, "
    "the paper's typical-value formula, and the n -> infinity limit"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_ensemble_options(parser, exact=True)
    add_association_options(parser)
    add_json_option(parser)


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``theory.retrain_ratio_exact`` (and of its checks)."""
    return {
        "inputs": options.inputs,
        "n": options.n,
        "associations": options.associations,
        "retrained": options.retrained,
        "q": options.q,
        "p": options.p,
        "without_replacement": bool(options.without_replacement),
    }


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), computing nothing."""
    theory.check_retrain_arguments(**_arguments(options))


def run(options: argparse.Namespace) -> dict[str, Any]:
    exact = theory.retrain_ratio_exact(**_arguments(options))
    result: dict[str, Any] = {key: float(value) for key, value in exact.items()}
    result["improvement_ratio_exact"] = str(exact["improvement_ratio"])
    result["c_exact"] = str(exact["c"])
    return result


def render(result: dict[str, Any]) -> str:
    rows = {
        "ratio, exact at this n": (
            f"{result['improvement_ratio']:.4f} (= {result['improvement_ratio_exact']})"
        ),
        "ratio, paper's formula": result["paper_improvement_ratio"],
        "ratio, n -> infinity": result["limit_improvement_ratio"],
        "c = C/D, exact": f"{result['c']:.4f} (= {result['c_exact']})",
        "c, paper": result["c_paper"],
    }
    return format_table(rows)
