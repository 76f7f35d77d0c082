"""The sweep configuration: a TOML file naming one command, its fixed options and a grid.

Example (``CONFIG.toml``)::

    command = "simulate retrain"
    seed = 1
    replicates = 1        # optional: several seeds per grid point
    [fixed]
    inputs = "zero-one"
    q = 0.5
    associations = 100
    trials = 20000
    [grid]
    n = [10, 20, 40, 80]
    retrained = [5, 25, 50]

Instead of a ``[grid]``, a list of explicit points may be given, each a table of the
options that point sets on top of ``[fixed]`` (a design that is not a product, e.g. the
space-filling search of ``fastweights readings``)::

    [[points]]
    fast_epsilon = 0.05
    updates = "per-case"
    [[points]]
    fast_epsilon = 0.3

This module checks the file's structure only (keys, types, duplicates); which options the
named command accepts is checked against its parser in :mod:`verification.sweep.points`.
Every error is a :class:`ConfigError`: one line ``config: KEY: ...``, exit status 2.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = ["ConfigError", "OptionValue", "SweepConfig", "load_config", "parse_config"]

OptionValue = str | int | float | bool | tuple[int | float, ...]
"""One option's value: a TOML scalar, or a list of numbers (passed as ``1,0,1``)."""

_TOP_LEVEL_KEYS = ("command", "seed", "replicates", "fixed", "grid", "points")


class ConfigError(UsageError):
    """A bad sweep configuration, reported as ``config: KEY: what is wrong``."""

    def __init__(self, key: str, problem: str) -> None:
        ValueError.__init__(self, f"config: {key}: {problem}")
        self.key = key


@dataclass(frozen=True)
class SweepConfig:
    """A parsed sweep configuration.

    ``command``: the command's words, e.g. ``("simulate", "retrain")``; ``seed``: the sweep
    seed (``None`` when the file gives none); ``replicates``: points per grid combination,
    each with its own derived seed; ``fixed``: option -> value; ``grid``: option -> the
    values it takes (in file order); ``points``: explicit points instead of a grid, each
    option -> value. Option names are as written in the file.
    """

    command: tuple[str, ...]
    seed: int | None
    replicates: int
    fixed: Mapping[str, OptionValue]
    grid: Mapping[str, tuple[OptionValue, ...]]
    points: tuple[Mapping[str, OptionValue], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The configuration as JSON-able data (recorded in the sweep's manifest)."""
        return {
            "command": " ".join(self.command),
            "seed": self.seed,
            "replicates": self.replicates,
            "fixed": {k: _json_value(v) for k, v in self.fixed.items()},
            "grid": {k: [_json_value(v) for v in vs] for k, vs in self.grid.items()},
            "points": [{k: _json_value(v) for k, v in p.items()} for p in self.points],
        }


def _json_value(value: OptionValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def load_config(path: str | Path) -> SweepConfig:
    """Read and check a TOML sweep configuration; :class:`UsageError` if unreadable."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as exc:
        raise UsageError("CONFIG", "a readable TOML file", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path.name, f"not valid TOML ({exc})") from None
    return parse_config(data)


def parse_config(data: Mapping[str, Any]) -> SweepConfig:
    """Check the structure of a configuration already read from TOML."""
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise ConfigError(key, f"unknown key (expected {', '.join(_TOP_LEVEL_KEYS)})")
    command = data.get("command")
    if not isinstance(command, str) or not command.split():
        raise ConfigError(
            "command", f"expected a command such as 'simulate retrain', got {command!r}"
        )
    seed = data.get("seed")
    if seed is not None and not _is_int(seed, minimum=0):
        raise ConfigError("seed", f"expected a non-negative integer, got {seed!r}")
    replicates = data.get("replicates", 1)
    if not _is_int(replicates, minimum=1):
        raise ConfigError("replicates", f"expected a positive integer, got {replicates!r}")
    fixed_table = _table(data, "fixed")
    grid_table = _table(data, "grid")
    fixed = {key: _option_value(f"fixed.{key}", value) for key, value in fixed_table.items()}
    grid: dict[str, tuple[OptionValue, ...]] = {}
    for key, values in grid_table.items():
        name = f"grid.{key}"
        if key in fixed:
            raise ConfigError(name, "also set in [fixed]; give it in one table only")
        if not isinstance(values, list) or not values:
            raise ConfigError(name, f"expected a non-empty list of values, got {values!r}")
        checked = tuple(_option_value(name, value) for value in values)
        seen: set[tuple[str, OptionValue]] = set()
        for value in checked:
            marker = (type(value).__name__, value)
            if marker in seen:
                raise ConfigError(name, f"value {_json_value(value)!r} appears twice")
            seen.add(marker)
        grid[key] = checked
    points = _points(data.get("points", []), fixed, grid)
    return SweepConfig(
        command=tuple(command.split()),
        seed=seed,
        replicates=replicates,
        fixed=fixed,
        grid=grid,
        points=points,
    )


def _points(
    raw: object, fixed: Mapping[str, OptionValue], grid: Mapping[str, Any]
) -> tuple[Mapping[str, OptionValue], ...]:
    """Check ``[[points]]``: a non-empty list of option tables, no grid beside it, no option
    also in ``[fixed]``, no point twice."""
    if raw == []:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(p, Mapping) for p in raw):
        raise ConfigError("points", f"expected [[points]] tables of option = value, got {raw!r}")
    if grid:
        raise ConfigError("points", "give either [grid] or [[points]], not both")
    out: list[Mapping[str, OptionValue]] = []
    seen: set[str] = set()
    for i, table in enumerate(raw):
        point: dict[str, OptionValue] = {}
        for key, value in table.items():
            name = f"points[{i}].{key}"
            if key in fixed:
                raise ConfigError(name, "also set in [fixed]; give it in one table only")
            point[key] = _option_value(name, value)
        marker = repr(sorted((k, _json_value(v)) for k, v in point.items()))
        if marker in seen:
            raise ConfigError(f"points[{i}]", "the same point appears twice")
        seen.add(marker)
        out.append(point)
    return tuple(out)


def _is_int(value: object, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise ConfigError(key, f"expected a table [{key}] of option = value, got {table!r}")
    return table


def _option_value(name: str, value: object) -> OptionValue:
    """A TOML value usable as a command-line option value, or :class:`ConfigError`."""
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(name, f"expected a finite number, got {value!r}")
        return value
    if isinstance(value, list) and value:
        items: list[int | float] = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ConfigError(name, f"expected a list of numbers, got {value!r}")
            if not math.isfinite(item):
                raise ConfigError(name, f"expected finite numbers, got {value!r}")
            items.append(item)
        return tuple(items)
    raise ConfigError(name, f"expected a string, number, boolean or list of numbers, got {value!r}")
