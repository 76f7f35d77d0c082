"""The command registry: every ``fastweights`` subcommand, found by its module's source.

The commands live in :mod:`verification.commands` (the top layer), one module each; this
module finds them by package name (``COMMANDS_PACKAGE``), reading each ``PATH`` from the
source without importing it, so that the CLI (``verification.cli``) and the sweep engine
(``verification.sweep``, in the engine layer) share one list without the engine importing
the commands.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

__all__ = [
    "COMMANDS_PACKAGE",
    "PROG",
    "CommandInfo",
    "command_infos",
    "command_modules",
    "version",
]

PROG = "fastweights"
"""The program's name."""

COMMANDS_PACKAGE = "verification.commands"
"""The package holding one module per subcommand."""


def version() -> str:
    """The installed version of fastweights (``unknown`` when run from a bare checkout)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("fastweights")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


class CommandInfo(NamedTuple):
    """A command module, known by its source: its ``PATH``, module name and source file."""

    path: tuple[str, ...]
    module_name: str
    file: str | None

    @property
    def help(self) -> str:
        """The module's ``HELP`` (read from its source; imported only if not a literal)."""
        text = _literal(self.file, "HELP")
        if isinstance(text, str):
            return text
        return str(self.load().HELP)

    def load(self) -> ModuleType:
        """Import the command's module."""
        return importlib.import_module(self.module_name)


_PATH = re.compile(r"^PATH\s*=\s*\(([^()]*)\)\s*$", re.M)
_WORD = re.compile(r"""\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*(?:,|$)""")


def _static_path(source: str) -> tuple[str, ...] | None:
    """``PATH = ("simulate", "pair")`` read with a regular expression (fast), else ``None``."""
    match = _PATH.search(source)
    if match is None:
        return None
    inner, words, position = match[1].strip(), [], 0
    while position < len(inner):
        word = _WORD.match(inner, position)
        if word is None:
            return None
        words.append(word[1] if word[1] is not None else word[2])
        position = word.end()
    return tuple(words) or None


def _literal(file: str | None, name: str) -> object:
    """The literal value of the top-level assignment ``name = ...`` in ``file`` (``ast``)."""
    import ast

    if file is None:
        return None
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == name:
                with contextlib.suppress(ValueError, TypeError, SyntaxError):
                    return ast.literal_eval(node.value)
    return None


def command_infos() -> list[CommandInfo]:
    """Every command module (sorted by path), found without importing any whose ``PATH``
    is a literal tuple of strings."""
    found: list[CommandInfo] = []
    commands = importlib.import_module(COMMANDS_PACKAGE)
    directory = Path(commands.__path__[0])
    for file in sorted(directory.glob("*.py")):
        if file.name.startswith("_"):
            continue
        name = f"{commands.__name__}.{file.stem}"
        try:
            path = _static_path(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            path = None
        if path is None:
            path = tuple(importlib.import_module(name).PATH)
        found.append(CommandInfo(path=path, module_name=name, file=str(file)))
    return sorted(found, key=lambda c: c.path)


def command_modules() -> dict[tuple[str, ...], ModuleType]:
    """Every command module, imported, keyed by its ``PATH``."""
    return {info.path: info.load() for info in command_infos()}
