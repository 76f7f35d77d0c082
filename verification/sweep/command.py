"""The command a sweep runs: its module, its options, and its parser.

Each grid point runs the same code as the command line: the point's options become an
argv (``--n 10 --q 0.5 --without-replacement``), which the command's own
``add_arguments`` parser reads, and the resulting namespace goes to the command's
``run``. The parser here is the command's leaf parser built exactly as
:func:`verification.cli.build_parser` builds it, except that its errors raise
:class:`PointParseError` instead of exiting, so a sweep can name the bad point.
"""

from __future__ import annotations

import argparse
import functools
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import NoReturn

from ..command_registry import PROG
from .config import ConfigError

__all__ = [
    "NOT_SWEEPABLE",
    "SWEEPABLE_GROUPS",
    "SWEEP_CONTROLLED",
    "CommandSpec",
    "OptionSpec",
    "PointParseError",
    "is_output_option",
    "is_sweepable",
    "leaf_parser",
    "parse_point_argv",
    "resolve_command",
]

NOT_SWEEPABLE = frozenset({("sweep",), ("sweep-plot",), ("readings",), ("report",), ("verify",)})
"""Commands a sweep cannot run: a sweep of sweeps, and the commands that run sweeps or the
whole verification themselves (each point would fail, or write outside its row)."""

SWEEPABLE_GROUPS = frozenset({"theory", "simulate", "derive"})
"""The commands a sweep runs: ``theory ...``, ``simulate ...`` and ``derive`` (one result
per option set, as JSON). A command module elsewhere may declare ``SWEEPABLE = True``
(the fake commands of the tests, ``tests/sweep_fakes``)."""


def is_sweepable(path: Sequence[str], module: ModuleType) -> bool:
    """Whether a sweep can run the command ``path`` (defined in ``module``)."""
    if tuple(path) in NOT_SWEEPABLE:
        return False
    declared = getattr(module, "SWEEPABLE", None)
    if declared is not None:
        return bool(declared)
    return bool(path) and path[0] in SWEEPABLE_GROUPS


SWEEP_CONTROLLED = frozenset({"help", "json", "quiet", "seed"})
"""Options the sweep sets itself; a configuration may not give them."""


class PointParseError(ValueError):
    """The command's parser rejected a point's argv (the message is argparse's)."""


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise PointParseError(message)


@functools.cache
def leaf_parser(module_name: str) -> argparse.ArgumentParser:
    """The parser of the command defined in ``module_name`` (its options only)."""
    module = importlib.import_module(module_name)
    parser = _RaisingParser(prog=f"{PROG} {' '.join(module.PATH)}", description=module.HELP)
    module.add_arguments(parser)
    parser.set_defaults(_module=module)
    return parser


def parse_point_argv(module_name: str, argv: Sequence[str]) -> argparse.Namespace:
    """Parse a point's argv (without the command words) with the command's own parser."""
    return leaf_parser(module_name).parse_args(list(argv))


@dataclass(frozen=True)
class OptionSpec:
    """One option of a command: ``name`` as a sweep config spells it (``noise-sd``).

    ``flag`` is the option string (``--noise-sd``), ``None`` for a positional argument;
    ``switch`` is true for options that take no value (``store_true``), in which case
    ``const`` is the value the flag stores. ``output`` marks an option naming a path the
    command writes (``report --out``; see :func:`is_output_option`), whose ``default``
    the sweep also needs: it keeps every such path inside the sweep's directory.
    """

    name: str
    dest: str
    flag: str | None
    switch: bool
    const: object = None
    output: bool = False
    default: object = None

    def sets(self, value: object) -> bool:
        """For a switch: whether config value ``value`` (a bool) means passing the flag."""
        return value == self.const if isinstance(self.const, bool) else value is True


@dataclass(frozen=True)
class CommandSpec:
    """A sweepable command: its words, module and options (keyed by config name)."""

    path: tuple[str, ...]
    module: ModuleType
    options: Mapping[str, OptionSpec]
    aliases: Mapping[str, str]

    @property
    def name(self) -> str:
        """The command's words joined, e.g. ``simulate retrain``."""
        return " ".join(self.path)

    @property
    def accepts_seed(self) -> bool:
        """Whether the command takes ``--seed`` (then each point gets a derived seed)."""
        return "seed" in self.aliases

    @property
    def accepts_quiet(self) -> bool:
        """Whether the command takes ``--quiet`` (the sweep passes it to every point)."""
        return "quiet" in self.aliases

    def option(self, key: str, where: str) -> OptionSpec:
        """The option a config key names; :class:`ConfigError` at ``where`` if none."""
        canonical = self.aliases.get(key)
        if canonical in SWEEP_CONTROLLED:
            raise ConfigError(where, f"set by the sweep itself, not by the config ({_why(key)})")
        if canonical is None or canonical not in self.options:
            known = ", ".join(sorted(self.options))
            raise ConfigError(where, f"unknown option of '{self.name}' (its options: {known})")
        return self.options[canonical]

    def argv(self, options: Mapping[str, object], seed: int | None) -> list[str]:
        """The argv (without command words) for canonical ``options`` and a seed.

        Positional arguments come first in the parser's order; options follow in the
        order given; a switch appears only when its value is the one the flag stores.
        """
        positional = [
            spec for spec in self.options.values() if spec.flag is None and spec.name in options
        ]
        argv = [_text(options[spec.name]) for spec in positional]
        for name, value in options.items():
            spec = self.options[name]
            if spec.flag is None:
                continue
            if spec.switch:
                if spec.sets(value):
                    argv.append(spec.flag)
                continue
            argv.extend([spec.flag, _text(value)])
        if seed is not None and self.accepts_seed:
            argv.extend(["--seed", str(seed)])
        return argv


def is_output_option(action: argparse.Action) -> bool:
    """Whether ``action`` names a path the command writes: ``--out``, or marked as such.

    A command marks any other such option with
    :func:`verification.commands._common.mark_output`.
    """
    return bool(getattr(action, "fastweights_output", False)) or action.dest == "out"


def _why(key: str) -> str:
    if key == "seed":
        return "each point's seed derives from the top-level seed; use replicates = N"
    if key == "help":
        return "a point cannot ask for help"
    return "the sweep passes --quiet and collects each point's JSON"


def _text(value: object) -> str:
    if isinstance(value, tuple | list):
        return ",".join(_text(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def resolve_command(
    words: Sequence[str], modules: Mapping[tuple[str, ...], ModuleType]
) -> CommandSpec:
    """The command named by ``words``; :class:`ConfigError` naming ``command`` if unknown,
    or if a sweep cannot run it (``readings``, ``report``, ``sweep``, ``verify``, ...)."""
    path = tuple(words)
    sweepable = sorted(p for p, module in modules.items() if is_sweepable(p, module))
    known = ", ".join(" ".join(p) for p in sweepable)
    if path in modules and path not in sweepable:
        raise ConfigError(
            "command",
            f"expected a command a sweep can run ({known}), got {' '.join(path)!r}, "
            "which cannot run in a sweep",
        )
    if path not in modules:
        raise ConfigError("command", f"unknown command {' '.join(path)!r} (commands: {known})")
    module = modules[path]
    parser = leaf_parser(module.__name__)
    options: dict[str, OptionSpec] = {}
    aliases: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            aliases["help"] = "help"
            continue
        long_flags = [s for s in action.option_strings if s.startswith("--")]
        flags = long_flags or action.option_strings
        flag = flags[0] if flags else None
        name = flag.lstrip("-") if flag is not None else action.dest
        switch = bool(action.option_strings) and action.nargs == 0
        options[name] = OptionSpec(
            name=name,
            dest=action.dest,
            flag=flag,
            switch=switch,
            const=action.const,
            output=is_output_option(action),
            default=action.default,
        )
        for alias in {name, action.dest, *(s.lstrip("-") for s in action.option_strings)}:
            aliases[alias] = name
    return CommandSpec(path=path, module=module, options=options, aliases=aliases)
