"""Test support: ``theory fake``, the exact value ``2x`` that ``simulate fake`` estimates."""

from __future__ import annotations

import argparse
from typing import Any

from verification.commands._common import add_json_option

PATH = ("theory", "fake")
HELP = "test support: the exact 2x"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--x", type=float, required=True)
    parser.add_argument("--flag", action="store_true")
    add_json_option(parser)


def run(options: argparse.Namespace) -> dict[str, Any]:
    value = 2 * options.x + (1.0 if options.flag else 0.0)
    return {"value": value, "paper_value": 2 * options.x}


def render(result: dict[str, Any]) -> str:
    return str(result["value"])
