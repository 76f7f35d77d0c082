"""Test support: ``simulate fake-writer``, a command that writes a file (``--out DIR``).

A sweep keeps every point's output path inside its own directory; ``report`` was the real
command with an ``--out``, and a sweep no longer runs it, so the tests of that rule use
this one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from foundation.atomic import write_atomically
from verification.commands._common import add_json_option, add_quiet_option

__all__ = ["HELP", "PATH", "add_arguments", "render", "run"]

PATH = ("simulate", "fake-writer")
HELP = "test support: writes DIR/value.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--x``, ``--out DIR`` (default ``written``), ``--seed``."""
    parser.add_argument("--x", type=float, required=True)
    parser.add_argument("--out", default="written")
    parser.add_argument("--seed", type=int, required=True)
    add_quiet_option(parser)
    add_json_option(parser)


def run(options: argparse.Namespace) -> dict[str, Any]:
    """Write ``{"value": 2x}`` to ``OUT/value.json`` and return it."""
    result = {"value": 2 * options.x, "seed": options.seed}
    directory = Path(options.out)
    directory.mkdir(parents=True, exist_ok=True)
    write_atomically(directory / "value.json", json.dumps(result).encode())
    return result


def render(result: dict[str, Any]) -> str:
    """The value."""
    return str(result["value"])
