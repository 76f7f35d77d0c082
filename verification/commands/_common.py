"""Helpers shared by command modules: ``--json``, number formatting, vector parsing."""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from typing import Any

from ..errors import UsageError

__all__ = [
    "add_json_option",
    "add_quiet_option",
    "format_estimate",
    "format_table",
    "mark_output",
    "parse_vector",
]


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: print the result as JSON on stdout and nothing else."""
    parser.add_argument(
        "--json", action="store_true", help="print the result as JSON on stdout, nothing else"
    )


def mark_output(action: argparse.Action) -> argparse.Action:
    """Mark an option whose value is a path the command writes (``--out`` is marked already).

    A sweep keeps such paths inside its own directory: a configuration cannot make a
    point write anywhere else.
    """
    action.fastweights_output = True  # type: ignore[attr-defined]
    return action


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet``: no progress bar."""
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def parse_vector(name: str, text: str) -> list[float]:
    """Parse ``"1,0,-1"`` into ``[1.0, 0.0, -1.0]``; one-line error naming ``name`` otherwise."""
    try:
        if not text.isascii():  # float() would take "١" for 1
            raise ValueError(text)
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise UsageError(name, "comma-separated numbers such as 1,0,1,1", text) from None
    if not all(math.isfinite(v) for v in values):
        raise UsageError(name, "finite numbers (no NaN or infinity)", text)
    return values


def format_estimate(value: Mapping[str, float] | float, digits: int = 4) -> str:
    """``0.1667`` for a number; ``0.1662 [0.1650, 0.1674]`` for an estimate with interval."""
    if isinstance(value, Mapping):
        est, lo, hi = value["estimate"], value["ci_low"], value["ci_high"]
        return f"{est:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"
    return f"{value:.{digits}f}"


def format_table(rows: Mapping[str, Any]) -> str:
    """Two aligned columns: key, formatted value."""
    width = max((len(k) for k in rows), default=0)
    lines = []
    for key, value in rows.items():
        if isinstance(value, (Mapping, float)):
            text = format_estimate(value)
        else:
            text = str(value)
        lines.append(f"{key.ljust(width)}  {text}")
    return "\n".join(lines)
