"""Options shared by the ``fastweights simulate`` commands (same meaning as ``theory``'s)."""

from __future__ import annotations

import argparse
from fractions import Fraction

__all__ = [
    "add_ensemble_options",
    "add_run_options",
    "parse_probability",
    "progress_enabled",
]


def parse_probability(text: str) -> float:
    """A probability written as a decimal or a fraction: ``0.5``, ``1/3``."""
    try:
        return float(Fraction(text.strip()))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"expected a number or a fraction such as 0.5 or 1/3, got {text!r}"
        ) from None


def add_ensemble_options(parser: argparse.ArgumentParser) -> None:
    """``--inputs zero-one|signed (--q Q | --p P) --n N [--without-replacement]``."""
    parser.add_argument(
        "--inputs",
        choices=["zero-one", "signed"],
        required=True,
        help="0/1 components (P(1) = q) or {1, 0, -1} components (P(1) = P(-1) = p)",
    )
    prob = parser.add_mutually_exclusive_group(required=True)
    prob.add_argument(
        "--q", type=parse_probability, metavar="Q", help="P(component = 1), zero-one inputs"
    )
    prob.add_argument(
        "--p", type=parse_probability, metavar="P", help="P(1) = P(-1), signed inputs (e.g. 1/3)"
    )
    parser.add_argument("--n", type=int, required=True, metavar="N", help="input dimension n")
    parser.add_argument(
        "--without-replacement",
        action="store_true",
        help="distinct input vectors, uniform over all 2^n (q = 1/2) or 3^n (p = 1/3)",
    )


def add_run_options(parser: argparse.ArgumentParser, trials: int) -> None:
    """``--trials T --seed S [--chunk-size C]``."""
    parser.add_argument(
        "--trials", type=int, default=trials, metavar="T", help=f"trials (default {trials})"
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of all random streams (default 0)"
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="C",
        help="trials per vectorized chunk (memory only; never changes the result)",
    )


def progress_enabled(options: argparse.Namespace) -> bool:
    """A progress bar unless ``--quiet`` (it is also off when stderr is not a terminal)."""
    return not getattr(options, "quiet", False)
