"""``fastweights theory retrain``: retraining M of K associations, the ".943" of Sec. 5.1."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

import theory

from ._common import add_json_option, format_table

PATH = ("theory", "retrain")
HELP = (
    "ratio of the expected first-step improvements of an unretrained and a retrained "
    "association when M of K random associations are retrained: exact at dimension n, "
    "the paper's typical-value formula, and the n -> infinity limit"
)


def _probability(text: str) -> Fraction:
    """``0.5`` or ``1/3`` as an exact fraction (argparse reports a bad value in one line)."""
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"expected a number such as 0.5 or 1/3, got {text!r}"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inputs",
        required=True,
        choices=("zero-one", "signed"),
        help="input components: 0/1 (P(1) = q) or {1,0,-1} (P(1) = P(-1) = p)",
    )
    prob = parser.add_mutually_exclusive_group(required=True)
    prob.add_argument(
        "--q", type=_probability, metavar="Q", help="P(component = 1), zero-one, in (0, 1]"
    )
    prob.add_argument(
        "--p",
        type=_probability,
        metavar="P",
        help="P(component = 1) = P(component = -1), signed, in (0, 1/2]",
    )
    parser.add_argument("--n", type=int, required=True, help="dimension of the input vectors")
    parser.add_argument(
        "--associations", type=int, required=True, metavar="K", help="associations learned"
    )
    parser.add_argument(
        "--retrained", type=int, required=True, metavar="M", help="associations retrained (<= K)"
    )
    parser.add_argument(
        "--without-replacement",
        action="store_true",
        help="K distinct vectors, uniform over all vectors (q = 1/2 or p = 1/3 only)",
    )
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
