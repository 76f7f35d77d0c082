"""Test support: ``simulate fake``, a seeded Monte Carlo estimate of ``2x`` (+1 with --flag)."""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from verification.commands._common import add_json_option, add_quiet_option
from verification.errors import UsageError

PATH = ("simulate", "fake")
HELP = "test support: a seeded estimate of 2x after sleeping"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--x", type=float, required=True)
    parser.add_argument("--label", default="a")
    parser.add_argument("--flag", action="store_true")
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--draw-scale", type=float, default=1.0)
    parser.add_argument("--blur", choices=["noise", "decay"], default="noise")
    parser.add_argument("--seed", type=int, required=True)
    add_quiet_option(parser)
    add_json_option(parser)


def validate(options: argparse.Namespace) -> None:
    """The check a sweep calls before running anything: ``x`` must be non-negative."""
    if options.x < 0:
        raise UsageError("--x", "a non-negative number", options.x)


def estimate(options: argparse.Namespace) -> list[Any]:
    """The point's time: its sleep (a sweep runs the longest points first)."""
    from verification.resources import Need

    return [Need("--sleep", options.sleep, seconds=options.sleep)]


def run(options: argparse.Namespace) -> dict[str, Any]:
    validate(options)
    time.sleep(options.sleep)
    rng = np.random.default_rng(np.random.SeedSequence(options.seed))
    shift = 1.0 if options.flag else 0.0
    draws = 2 * options.x + shift + options.draw_scale * rng.standard_normal(options.trials)
    mean = float(draws.mean())
    half = 1.96 * float(draws.std(ddof=1)) / np.sqrt(options.trials)
    return {
        "value": {"estimate": mean, "ci_low": mean - half, "ci_high": mean + half},
        "trials": options.trials,
        "label": options.label,
        "first_draw": float(draws[0]),
    }


def render(result: dict[str, Any]) -> str:
    return str(result["value"])
