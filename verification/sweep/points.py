"""Grid expansion, each point's canonical key and seed, and checking every point up front.

A point is one run of the sweep's command: the fixed options, one value of each grid
option, and a replicate index. Its **key** is the SHA-256 of the canonical JSON of
(sweep seed, command, options, replicate); its **seed** comes from
``numpy.random.SeedSequence([sweep seed, SHA-256 of (command, options, replicate)])``.
Neither depends on the order points run in, on the number of workers, or on which other
points the grid holds, so growing a grid keeps the rows already computed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import numpy as np

from ..errors import USER_ERRORS
from .command import CommandSpec, PointParseError, parse_point_argv
from .config import ConfigError, OptionValue, SweepConfig

__all__ = [
    "Point",
    "canonical_json",
    "check_grid_size",
    "check_outputs",
    "execution_argv",
    "expand_points",
    "point_key",
    "point_seed",
    "validate_points",
]


_REJECTED: tuple[type[Exception], ...] = (PointParseError, *USER_ERRORS)


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: equal data, equal text (tuples as lists)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _identity(command: str, options: Mapping[str, OptionValue], replicate: int) -> dict[str, Any]:
    return {"command": command, "options": dict(options), "replicate": replicate}


def point_seed(
    sweep_seed: int, command: str, options: Mapping[str, OptionValue], replicate: int
) -> int:
    """The seed of one point: an integer in [0, 2**53) (exact in any JSON reader)."""
    digest = hashlib.sha256(canonical_json(_identity(command, options, replicate)).encode())
    entropy = [sweep_seed, int.from_bytes(digest.digest(), "big")]
    word = np.random.SeedSequence(entropy).generate_state(1, np.uint64)[0]
    return int(word >> np.uint64(11))


def point_key(
    sweep_seed: int | None, command: str, options: Mapping[str, OptionValue], replicate: int
) -> str:
    """The point's key in ``results.jsonl``: hex SHA-256 of its canonical identity."""
    identity = _identity(command, options, replicate) | {"sweep_seed": sweep_seed}
    return hashlib.sha256(canonical_json(identity).encode()).hexdigest()


@dataclass(frozen=True)
class Point:
    """One grid point.

    ``options``: canonical option name -> value (fixed options, then grid options);
    ``varied``: the names of the grid options (for labels); ``argv``: the full command
    line after ``fastweights`` (command words, options, ``--seed``), which reproduces the
    point's JSON with ``fastweights ARGV --json``.
    """

    command: str
    options: Mapping[str, OptionValue]
    varied: tuple[str, ...]
    replicate: int
    seed: int | None
    key: str
    argv: tuple[str, ...]

    @property
    def label(self) -> str:
        """``n=10, retrained=5`` (and ``replicate=2`` when there are replicates)."""
        parts = [
            f"{name}={_label_value(self.options[name])}"
            for name in self.varied
            if name in self.options  # an explicit point need not set every varied option
        ]
        if self.replicate:
            parts.append(f"replicate={self.replicate}")
        return ", ".join(parts) or "the single point"


def _label_value(value: OptionValue) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _canonical_options(
    table: Mapping[str, Any], table_name: str, spec: CommandSpec, taken: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{table_name}.{key}"
        option = spec.option(key, where)
        if option.name in taken:
            raise ConfigError(where, f"names the same option as {taken[option.name]}")
        taken[option.name] = where
        values = value if table_name == "grid" else (value,)  # points[i]: one value each
        for item in values:
            if option.switch and not isinstance(item, bool):
                raise ConfigError(where, f"is a switch: expected true or false, got {item!r}")
            if not option.switch and isinstance(item, bool):
                raise ConfigError(where, f"takes a value, not true/false (got {item!r})")
        out[option.name] = value
    return out


def expand_points(config: SweepConfig, spec: CommandSpec) -> list[Point]:
    """Every point of the grid, in grid order (last grid option fastest, then replicates).

    Raises :class:`ConfigError` for an option the command does not take, an option the
    sweep sets itself (``seed``, ``json``, ``quiet``), a switch given a non-boolean, or a
    missing or pointless sweep seed.
    """
    taken: dict[str, str] = {}
    fixed = _canonical_options(config.fixed, "fixed", spec, taken)
    grid = _canonical_options(config.grid, "grid", spec, taken)
    if spec.accepts_seed and config.seed is None:
        raise ConfigError(
            "seed",
            f"missing: '{spec.name}' takes --seed, and each point's seed derives from "
            "the sweep's seed = N",
        )
    if not spec.accepts_seed and config.replicates > 1:
        raise ConfigError(
            "replicates",
            f"'{spec.name}' takes no --seed, so replicates would repeat identical points",
        )
    sweep_seed = config.seed if spec.accepts_seed else None
    if config.points:
        explicit = [
            _canonical_options(p, f"points[{i}]", spec, dict(taken))
            for i, p in enumerate(config.points)
        ]
        names = tuple(dict.fromkeys(k for p in explicit for k in p))
        combinations = [fixed | p for p in explicit]
    else:
        names = tuple(grid)
        combinations = [
            fixed | dict(zip(names, combination, strict=True))
            for combination in itertools.product(*(grid[name] for name in names))
        ]
    points = []
    for options in combinations:
        for replicate in range(config.replicates):
            seed = (
                point_seed(sweep_seed, spec.name, options, replicate)
                if sweep_seed is not None
                else None
            )
            points.append(
                Point(
                    command=spec.name,
                    options=options,
                    varied=names,
                    replicate=replicate,
                    seed=seed,
                    key=point_key(sweep_seed, spec.name, options, replicate),
                    argv=(*spec.path, *spec.argv(options, seed)),
                )
            )
    return points


def _output_paths(point: Point, spec: CommandSpec) -> dict[str, tuple[str, object]]:
    """The point's output options: name -> (where the config sets it, value or default)."""
    found: dict[str, tuple[str, object]] = {}
    for option in spec.options.values():
        if not option.output:
            continue
        if option.name in point.options:
            table = "grid" if option.name in point.varied else "fixed"
            found[option.name] = (f"{table}.{option.name}", point.options[option.name])
        elif option.default is not None:
            found[option.name] = (f"fixed.{option.name} (unset)", option.default)
    return found


def check_outputs(points: Sequence[Point], spec: CommandSpec, directory: Path) -> None:
    """Every path a point writes is inside the sweep ``directory``, and no two points share one.

    An output option's value (``report --out``) is read relative to the sweep's directory;
    it must be a relative path that does not climb out of it (no ``..``), and every point
    must get its own. Raises :class:`ConfigError` naming the key, before anything runs.
    """
    seen: dict[tuple[str, PurePath], str] = {}
    for point in points:
        for name, (where, value) in _output_paths(point, spec).items():
            path = PurePath(str(value))
            if not str(value).strip() or path.is_absolute() or ".." in path.parts:
                raise ConfigError(
                    where,
                    f"a path inside the sweep directory {str(directory)!r} (relative, "
                    f"without '..'), got {value!r}",
                )
            other = seen.setdefault((name, path), point.label)
            if other != point.label:
                raise ConfigError(
                    where,
                    f"points ({other}) and ({point.label}) would both write to {str(path)!r}; "
                    f"give each point its own {name} in [grid]",
                )


def execution_argv(point: Point, spec: CommandSpec, directory: Path | None = None) -> list[str]:
    """The argv a point's command parser reads: its options, ``--seed`` and ``--quiet``.

    With the sweep's ``directory``, each output path (given or default) is placed inside it.
    """
    outputs = _output_paths(point, spec) if directory is not None else {}
    if outputs:
        assert directory is not None
        options = dict(point.options)
        options.update({name: str(directory / str(v)) for name, (_, v) in outputs.items()})
        argv = spec.argv(options, point.seed)
    else:
        argv = list(point.argv[len(spec.path) :])
    if spec.accepts_quiet:
        argv.append("--quiet")
    return argv


def check_grid_size(config: SweepConfig) -> None:
    """Refuse, before expanding it, a grid whose bookkeeping alone would not fit.

    Each point costs about :data:`verification.resources.SWEEP_POINT_BYTES` and
    ``SWEEP_POINT_SECONDS`` before its command even runs (10^7 points: about 80 GB).
    """
    from ..resources import SWEEP_POINT_BYTES, SWEEP_POINT_SECONDS, Need, check_needs

    combinations = 1
    for values in config.grid.values():
        combinations *= len(values)
    count = combinations * config.replicates
    key, value = (
        ("config: replicates", config.replicates)
        if config.replicates > combinations
        else ("config: grid", f"{count} points")
    )
    check_needs([Need(key, value, bytes=count * SWEEP_POINT_BYTES)])
    check_needs([Need(key, value, seconds=count * SWEEP_POINT_SECONDS)])


def validate_points(
    points: Sequence[Point], spec: CommandSpec, directory: Path | None = None, workers: int = 1
) -> dict[str, float]:
    """Parse every point with the command's parser, and call its ``validate`` if it has one.

    Raises :class:`ConfigError` naming the first bad point and the parser's (or the
    command's) one-line reason, before anything runs. A command's ``estimate`` is checked
    for every point (memory and time of each), then the time of all of them, shared by
    ``workers`` processes. Returns each point's estimated single-core seconds by its key
    (0 for a command without ``estimate``), which orders the points on workers.
    """
    from ..resources import Need, check_needs

    validate = getattr(spec.module, "validate", None)
    estimate = getattr(spec.module, "estimate", None)
    seconds: dict[str, float] = {}
    for point in points:
        seconds[point.key] = 0.0
        try:
            argv = execution_argv(point, spec, directory)
            options = parse_point_argv(spec.module.__name__, argv)
            if validate is not None:
                validate(options)
            if estimate is not None:
                needs = list(estimate(options))
                check_needs(needs)
                seconds[point.key] = max((need.seconds for need in needs), default=0.0)
        except _REJECTED as exc:
            raise ConfigError(f"point ({point.label})", str(exc)) from None
    total = sum(seconds.values())
    check_needs([Need("config: grid", f"{len(points)} points", seconds=total)], workers)
    return seconds
