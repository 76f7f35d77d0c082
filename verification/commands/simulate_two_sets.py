"""``fastweights simulate two-sets``: Sec. 6's prediction on the Sec. 4 network.

Two sets A and B of random associations learned together for each of ``--lengths`` sweeps
(one history per network, checkpointed), blurred the Sec. 4 way (new associations, no
rehearsal), then A retrained: the transfer to B (B's gain / A's gain) and the overlap of
their hidden codes, with 95 % t intervals over the networks (``simulation.simulate_two_sets``).
``--verify-seed 1987 --seeds 20 --retrain-sweeps 5`` gives the numbers of ``fastweights
verify``'s Sec. 6 claims (10 seeds with ``--quick``).
"""

from __future__ import annotations

import argparse
from typing import Any

from foundation.settings import add_options
from simulation.deblur_protocol import DeblurSeeds

from ..errors import UsageError
from . import simulate_deblur
from ._common import add_json_option, add_quiet_option, format_estimate

PATH = ("simulate", "two-sets")
HELP = (
    "learn two sets of random associations together on the Sec. 4 network for several "
    "lengths, blur, retrain one set and measure the transfer to the other and the overlap "
    "of their hidden codes (Sec. 6's prediction and caveat; t intervals over seeds)"
)

_LENGTHS = "100,300,1300,3000"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_options(parser, DeblurSeeds, ["seeds", "seed"],
                seeds={"default": 20, "help": "independent networks (default 20)"})  # fmt: skip
    parser.add_argument(
        "--verify-seed",
        type=int,
        default=None,
        metavar="S",
        help="the seed 'fastweights verify --seed S' gives the Sec. 6 claims (overrides --seed)",
    )
    parser.add_argument(
        "--lengths",
        default=_LENGTHS,
        metavar="T1,T2,...",
        help=f"sweeps of original learning, increasing (default {_LENGTHS})",
    )
    parser.add_argument(
        "--set-size", type=int, default=None, metavar="M",
        help="associations per set (default: half the associations, 50)",
    )  # fmt: skip
    simulate_deblur.add_settings_arguments(
        parser, original_sweeps={"help": "not used here: see --lengths"}
    )
    parser.add_argument("--per-seed", action="store_true", help="add every seed's numbers")
    add_json_option(parser)
    add_quiet_option(parser)


def _lengths(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise UsageError(
            "--lengths", "comma-separated sweep counts such as 100,1300", text
        ) from None


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``simulation.simulate_two_sets``."""
    from simulation.deblur_protocol import DeblurSettings

    from ..engine.model import claim_seed

    given = simulate_deblur.settings_from_options(options)
    if "original_sweeps" in given:
        raise UsageError("--original-sweeps", "no value: the lengths are --lengths", "a value")
    seed = options.seed
    if options.verify_seed is not None:
        if options.verify_seed < 0:
            raise UsageError("--verify-seed", "an integer >= 0", options.verify_seed)
        seed = claim_seed(options.verify_seed, "two-sets") % (2**63)
    return {
        "seeds": options.seeds,
        "seed": seed,
        "lengths": _lengths(options.lengths),
        "set_size": options.set_size,
        "settings": DeblurSettings(**given),
    }


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes, training nothing."""
    from simulation.two_sets import check_simulate_two_sets_arguments

    check_simulate_two_sets_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Any]:
    """Memory and time of the run: the Sec. 4 experiment's (:func:`verification.resources.
    deblur_need`) with the longest length as its original learning and a blur and a
    retraining per length."""
    from dataclasses import replace

    from simulation.two_sets import check_simulate_two_sets_arguments

    from ..resources import Need, deblur_need

    seeds, _, lengths, _, settings = check_simulate_two_sets_arguments(**_arguments(options))
    total = replace(
        settings,
        original_sweeps=lengths[-1],
        new_sweeps=len(lengths) * settings.new_sweeps,
        retrain_sweeps=len(lengths) * settings.retrain_sweeps,
        decay_updates=0,
    )
    memory, seconds = deblur_need(total, seeds, conditions=1)
    # the time is blamed on whichever is further past its default (20 seeds, 3000 sweeps)
    by_seeds = seeds / 20 > lengths[-1] / 3000
    blamed: tuple[str, object] = ("--seeds", seeds) if by_seeds else ("--lengths", options.lengths)
    return [Need("--seeds", seeds, bytes=memory), Need(blamed[0], blamed[1], seconds=seconds)]


def run(options: argparse.Namespace) -> dict[str, Any]:
    from simulation.two_sets import simulate_two_sets

    arguments = _arguments(options)
    result = simulate_two_sets(**arguments)
    sweeps = tuple(k for k in (1, 5) if k <= result.settings.retrain_sweeps)
    out: dict[str, Any] = {
        **result.summary(sweeps=sweeps),
        "parameters": result.settings.scientific() | {"original_sweeps": None},
    }
    if options.per_seed:
        out["per_seed"] = {key: value.tolist() for key, value in result.per_seed.items()}
    return out


def _cell(value: dict[str, Any]) -> str:
    if value["estimate"] is None:
        return "-"
    if value["ci_low"] is None:
        return f"{value['estimate']:.3f}"
    return format_estimate(value, 3)


def render(result: dict[str, Any]) -> str:
    rows = result["lengths"]
    transfers = [key for key in rows[0] if key.startswith("transfer_sweep_")]
    head = (
        f"Sec. 6, two sets of {result['set_size']} learned together; {result['seeds']} seeds "
        f"(seed {result['seed']}); B's gain / A's gain when A is retrained [95% interval]"
    )
    columns = [*transfers, "cos_ab", "joint_active", "wrong_fraction"]
    lines = [head, "", ("sweeps  " + "  ".join(f"{c:<22}" for c in columns)).rstrip()]
    for row in rows:
        cells = "  ".join(f"{_cell(row[c]):<22}" for c in columns)
        lines.append(f"{row['original_sweeps']:>6}  {cells}".rstrip())
    lines += ["", "slope per decade of original learning:"]
    for key, value in result["trend_per_decade"].items():
        lines.append(f"  {key:<20} {_cell(value)}")
    return "\n".join(lines)
