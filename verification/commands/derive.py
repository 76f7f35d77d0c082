"""``fastweights derive``: print a derivation of ``theory`` step by step."""

from __future__ import annotations

import argparse
from typing import Any

import theory

from ..errors import UsageError
from ._common import add_json_option

PATH = ("derive",)
HELP = "list the derivations, or print one step by step"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="a derivation name (see --list)")
    parser.add_argument(
        "--list", action="store_true", help="list the derivation names (takes no NAME)"
    )
    parser.add_argument("--latex", action="store_true", help="print each step as LaTeX")
    add_json_option(parser)


def validate(options: argparse.Namespace) -> None:
    """The checks of :func:`run` without building a derivation: a registered name."""
    if options.list and options.name is not None:
        raise UsageError("--list", "no NAME with it (it lists every derivation)", options.name)
    if not options.list and options.name is not None:
        theory.derivation_title(options.name)


def run(options: argparse.Namespace) -> dict[str, Any]:
    validate(options)
    if options.list or options.name is None:
        return {
            "derivations": [
                {"name": name, "title": theory.derivation_title(name)}
                for name in theory.list_derivations()
            ]
        }
    import sympy as sp  # only to print a derivation; the CLI starts without it

    d = theory.derivation(options.name)
    unicode = bool(getattr(options, "json", False)) or _stdout_has_unicode()
    return {
        "name": d.name,
        "title": d.title,
        "section": d.section,
        "steps": [
            {
                "name": s.name,
                "note": s.note,
                "latex": s.latex,
                "text": sp.pretty(s.expr, use_unicode=unicode),
            }
            for s in d.steps
        ],
        "latex": bool(options.latex),
    }


def _stdout_has_unicode() -> bool:
    """Whether stdout can encode the box-drawing and subscript characters of sympy's
    pretty printing (else it prints in ASCII: ``PYTHONIOENCODING=ascii``, a C locale)."""
    import sys

    try:
        "─╲╱ₐ⋅".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def render(result: dict[str, Any]) -> str:
    if "derivations" in result:
        width = max(len(d["name"]) for d in result["derivations"])
        return "\n".join(f"{d['name'].ljust(width)}  {d['title']}" for d in result["derivations"])
    lines = [f"{result['name']}: {result['title']} ({result['section']})"]
    for i, step in enumerate(result["steps"], 1):
        body = step["latex"] if result["latex"] else step["text"]
        lines.append(f"{i}. {step['name']}: {step['note']}")
        lines.extend("   " + line for line in body.splitlines())
    return "\n".join(lines)
