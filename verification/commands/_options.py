"""Options shared by the ``fastweights theory`` and ``fastweights simulate`` commands.

A ``theory`` command and its ``simulate`` twin take their common options from the same
function here, so an option means the same in both (issue 3).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from foundation.settings import ascii_float, ascii_int

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = [
    "MIN_TRIALS",
    "RUN_OPTIONS",
    "add_association_options",
    "add_ensemble_options",
    "add_geometry_options",
    "add_pair_options",
    "add_run_options",
    "add_transfer_options",
    "parse_exact_probability",
    "parse_probability",
    "parse_trials",
    "progress_enabled",
    "settings_arguments",
]

RUN_OPTIONS = ("trials", "seed", "chunk_size")
"""The options of every streamed simulation (:func:`add_run_options`)."""

MIN_TRIALS = 30
"""The fewest ``--trials`` a command accepts. Its intervals are normal approximations
(CLT, delta method): from fewer trials they mean little — three trials can all give the
same value, and then a zero-width interval around a wrong one (``simulate pair --a 1,0
--b 1,1 --trials 3``). Python callers of ``simulation`` are not held to it."""


def parse_trials(text: str) -> int:
    """``--trials``: an integer >= :data:`MIN_TRIALS`."""
    try:
        value = int(text) if text.isascii() else int("not ASCII")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an integer >= {MIN_TRIALS}, got {text!r}"
        ) from None
    if value < MIN_TRIALS:
        raise argparse.ArgumentTypeError(
            f"expected at least {MIN_TRIALS} trials (a 95% interval from fewer means little: "
            f"all of them can give the same value), got {value}"
        )
    return value


def parse_probability(text: str) -> float:
    """A probability written as a decimal or a fraction: ``0.5``, ``1/3``."""
    from fractions import Fraction  # here: 2 ms of start-up saved for every other command

    try:
        return float(Fraction(_ascii(text).strip()))
    except (ValueError, ZeroDivisionError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"expected a number or a fraction such as 0.5 or 1/3, got {text!r}"
        ) from None


def parse_exact_probability(text: str) -> Fraction:
    """A probability as an exact fraction: ``0.5`` -> 1/2, ``1/3`` -> 1/3 (for ``theory``)."""
    from fractions import Fraction

    try:
        return Fraction(_ascii(text).strip())
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"expected a number or a fraction such as 0.5 or 1/3, got {text!r}"
        ) from None


def _ascii(text: str) -> str:
    """``text`` if ASCII, else a ValueError (``Fraction`` takes ``١/٣`` for 1/3)."""
    if not text.isascii():
        raise ValueError(text)
    return text


def add_pair_options(parser: argparse.ArgumentParser) -> None:
    """``--a VEC --b VEC``: the input vectors of associations A and B."""
    parser.add_argument("--a", required=True, metavar="VEC", help="input vector of A, e.g. 1,1,0,0")
    parser.add_argument(
        "--b", required=True, metavar="VEC", help="input vector of B, same length, e.g. 1,0,1,0"
    )


def add_association_options(parser: argparse.ArgumentParser) -> None:
    """``--associations K --retrained M``."""
    parser.add_argument(
        "--associations", type=ascii_int, required=True, metavar="K", help="associations learned, K"
    )
    parser.add_argument(
        "--retrained",
        type=ascii_int,
        required=True,
        metavar="M",
        help="associations retrained, M <= K (a simulation needs M < K)",
    )


def add_geometry_options(parser: argparse.ArgumentParser) -> None:
    """``--angle DEG --contraction LAMBDA``: the two-weight network of Figs. 3-4."""
    parser.add_argument(
        "--angle",
        type=ascii_float,
        required=True,
        metavar="DEG",
        help="angle between the two input vectors, degrees in (0, 180)",
    )
    parser.add_argument(
        "--contraction",
        type=ascii_float,
        required=True,
        metavar="LAMBDA",
        help="factor in (0, 1] by which retraining on association 1 has scaled the error "
        "along its input (1 = start of retraining)",
    )


def add_ensemble_options(parser: argparse.ArgumentParser, exact: bool = False) -> None:
    """``--inputs zero-one|signed (--q Q | --p P) --n N [--without-replacement]``.

    With ``exact`` the probabilities are parsed as :class:`~fractions.Fraction` (theory's
    exact arithmetic), otherwise as floats.
    """
    probability = parse_exact_probability if exact else parse_probability
    parser.add_argument(
        "--inputs",
        choices=["zero-one", "signed"],
        required=True,
        help="0/1 components (P(1) = q) or {1, 0, -1} components (P(1) = P(-1) = p)",
    )
    prob = parser.add_mutually_exclusive_group(required=True)
    prob.add_argument(
        "--q", type=probability, metavar="Q", help="P(component = 1), zero-one inputs"
    )
    prob.add_argument(
        "--p", type=probability, metavar="P", help="P(1) = P(-1), signed inputs (e.g. 1/3)"
    )
    parser.add_argument("--n", type=ascii_int, required=True, metavar="N", help="input dimension n")
    parser.add_argument(
        "--without-replacement",
        action="store_true",
        help="distinct input vectors, uniform over all 2^n (q = 1/2) or 3^n (p = 1/3)",
    )


def add_transfer_options(
    parser: argparse.ArgumentParser, exact: bool = False, noise_default: object = ...
) -> None:
    """``--inputs FILE --retrained SPEC [--steps T] [--epsilon EPS] [--noise-sd SD]``.

    With ``exact`` ε and σ are parsed as :class:`~fractions.Fraction` (theory's exact
    arithmetic), otherwise as floats. ``noise_default``: ``--noise-sd``'s default when not
    1 (``None``: the command tells whether it was given).
    """
    number = parse_exact_probability if exact else parse_probability
    parser.add_argument(
        "--inputs",
        required=True,
        metavar="FILE",
        help="a .npy or .csv file, one input vector per row (any finite real values)",
    )
    parser.add_argument(
        "--retrained",
        required=True,
        metavar="SPEC",
        help="rows retrained: indices such as 0,3,7, or first:M, or random:M (drawn with "
        "--seed); at least one row must stay unretrained",
    )
    parser.add_argument(
        "--steps", type=ascii_int, default=20, metavar="T", help="retraining steps (default 20)"
    )
    parser.add_argument(
        "--epsilon",
        type=number,
        default=None,
        metavar="EPS",
        help="learning rate of full-batch retraining, in (0, 2/lambda_max) (default "
        "1/ceil(lambda_max) for integer inputs, else 1/lambda_max; lambda_max: largest "
        "eigenvalue of the retrained inputs' sum of x x^T)",
    )
    parser.add_argument(
        "--noise-sd",
        type=number,
        default=(parse_exact_probability("1") if exact else 1.0)
        if noise_default is ...
        else noise_default,
        metavar="SD",
        help="sd of the Gaussian weight noise (default 1)",
    )


def add_run_options(parser: argparse.ArgumentParser, settings: type) -> None:
    """``--trials T --seed S [--chunk-size C]``, declared by the simulator's ``settings``;
    ``--trials`` takes at least :data:`MIN_TRIALS` here."""
    from foundation.settings import add_options, declared

    trials = next(item.default for item, _ in declared(settings) if item.name == "trials")
    rule = {"type": parse_trials, "help": f"trials, at least {MIN_TRIALS} (default {trials})"}
    add_options(parser, settings, RUN_OPTIONS, trials=rule)


def settings_arguments(options: argparse.Namespace, names: Sequence[str]) -> dict[str, Any]:
    """The values of the options ``names`` (settings fields), keyed by field name."""
    return {name: getattr(options, name) for name in names}


def progress_enabled(options: argparse.Namespace) -> bool:
    """A progress bar unless ``--quiet`` (it is also off when stderr is not a terminal)."""
    return not getattr(options, "quiet", False)
