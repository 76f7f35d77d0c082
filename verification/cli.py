"""The ``fastweights`` command: builds its parser from the modules in ``verification.commands``.

Bad input is one line on stderr (``fastweights: error: ...``) and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from . import commands
from .errors import USER_ERRORS

__all__ = ["build_parser", "command_modules", "main"]

PROG = "fastweights"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def command_modules() -> dict[tuple[str, ...], ModuleType]:
    """Every command module, keyed by its ``PATH``."""
    found: dict[tuple[str, ...], ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        found[tuple(module.PATH)] = module
    return found


def build_parser() -> argparse.ArgumentParser:
    """The full parser; each leaf's defaults carry ``_module``."""
    parser = _Parser(
        prog=PROG, description="Machine-check Hinton & Plaut (1987) against simulation."
    )
    groups: dict[tuple[str, ...], argparse._SubParsersAction[_Parser]] = {}
    groups[()] = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups[()].required = True
    for path, module in sorted(command_modules().items()):
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix not in groups:
                group_parser = groups[path[: depth - 1]].add_parser(
                    prefix[-1], help=f"{prefix[-1]} subcommands"
                )
                groups[prefix] = group_parser.add_subparsers(
                    dest="_".join(prefix), metavar="SUBCOMMAND", parser_class=_Parser
                )
                groups[prefix].required = True
        # argparse %-formats help strings: a literal "95%" must reach it as "95%%".
        leaf = groups[path[:-1]].add_parser(
            path[-1], help=module.HELP.replace("%", "%%"), description=module.HELP
        )
        module.add_arguments(leaf)
        leaf.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fastweights`` console script; returns the exit status."""
    parser = build_parser()
    options = parser.parse_args(argv)
    module = options._module
    try:
        result = module.run(options)
    except USER_ERRORS as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    if getattr(options, "json", False) is True:
        print(json.dumps(result, allow_nan=False))
    else:
        print(module.render(result))
    status = getattr(module, "exit_status", None)
    return int(status(result)) if status is not None else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
