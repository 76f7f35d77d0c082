"""``fastweights readings``: search the box of readings on the sweep engine.

Two stages, each an ordinary sweep (``verification.sweep``: in-process or on Dask, one
row per reading, resumable), whose configurations are written to the output directory so
either can be re-run by hand with ``fastweights sweep``:

1. ``DIR/search.toml`` -> ``DIR/search/``: the design's readings
   (:func:`verification.readings.design.design`), each run by ``simulate deblur-reading``
   on :attr:`SearchSize.seeds` seeds.
2. ``DIR/rerun.toml`` -> ``DIR/rerun/``: the defaults and the candidates the search
   found (:func:`verification.readings.analysis.select_reruns`), on
   :attr:`SearchSize.rerun_seeds` fresh seeds (a point's seeds derive from its options,
   which include the number of seeds, so they share no stream with the search).
3. ``DIR/confirm.toml`` -> ``DIR/confirm/`` (full search only): a best or worst reading
   whose re-run left its claim undecided, on :attr:`SearchSize.confirm_seeds` seeds; the
   analysis uses the run with the most seeds of each reading.

Then ``DIR/readings.json`` (written atomically) holds the analysis
(:func:`verification.readings.analysis.analyse`) with the box and the design.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..papers import default_paper
from ..sweep import read_rows, run_sweep
from ..sweep.store import write_atomically
from .analysis import MeasuredReading, ReadingsAnalysis, analyse, measured, select_reruns
from .box import BOX, changed_from_defaults, jsonable, reading_key
from .design import design

__all__ = [
    "BUILTIN",
    "BUILTIN_QUICK",
    "COMMAND",
    "FULL",
    "QUICK",
    "SearchSize",
    "analyse_rows",
    "box_description",
    "load_analysis",
    "run_readings",
    "search_rows",
    "stage_rows",
]

COMMAND = "simulate deblur-reading"
PAPER_SEED = default_paper().default_seed
"""The default seed of a search: the paper's (1987 for Hinton & Plaut)."""
RESULT_NAME = "readings.json"


@dataclass(frozen=True)
class SearchSize:
    """How large a search is: ``readings`` (8 times a power of two) on ``seeds`` seeds
    each, candidates re-run on ``rerun_seeds``, and up to ``near`` undecided readings
    per claim re-run besides the best and the worst; a best or worst reading still
    undecided after its re-run is run a third time on ``confirm_seeds`` (0: never)."""

    name: str
    readings: int
    seeds: int
    rerun_seeds: int
    near: int
    confirm_seeds: int = 0


FULL = SearchSize("full", readings=256, seeds=10, rerun_seeds=40, near=2, confirm_seeds=160)
QUICK = SearchSize("quick", readings=16, seeds=5, rerun_seeds=40, near=0)
BUILTIN = SearchSize("built-in", readings=8, seeds=4, rerun_seeds=20, near=0)
"""The search ``verify`` and ``report`` run themselves when given no stored search, sized
to their time budgets: one reading per stratum on 4 seeds, the candidates re-run on 20
seeds (half a real search's 40; the verdicts' source says so, and ``--readings DIR`` uses
a full search instead). A per-case reading costs about as much as 10 batch ones."""
BUILTIN_QUICK = SearchSize("built-in quick", readings=8, seeds=3, rerun_seeds=10, near=0)
"""The same with ``--quick``: 3 seeds per reading, re-runs on 10."""


def box_description() -> list[dict[str, Any]]:
    """The box as JSON: every dimension, its range, default, rationale and the text."""
    out = []
    for d in BOX:
        item = {
            "name": d.name,
            "symbol": d.symbol,
            "range": d.describe(),
            "default": list(d.default) if isinstance(d.default, tuple) else d.default,
            "why": d.why,
            "text": d.text,
            "against_text": [list(v) if isinstance(v, tuple) else v for v in d.against],
        }
        if d.only_when:
            item["only_when"] = dict(d.only_when)
        out.append(item)
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


def _config_text(seed: int, fixed: Mapping[str, Any], points: Sequence[Mapping[str, Any]]) -> str:
    lines = [f"command = {_toml_value(COMMAND)}", f"seed = {seed}", "", "[fixed]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in fixed.items()]
    for point in points:
        lines += ["", "[[points]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in point.items()]
    return "\n".join(lines) + "\n"


def _reading_of(options: Mapping[str, Any]) -> dict[str, Any]:
    """The box values of a row's options (canonical option names are the flags' words,
    ``fast-epsilon``; the box's are the settings' fields, ``fast_epsilon``)."""
    reading = {}
    for d in BOX:
        value = options.get(d.name.replace("_", "-"), options.get(d.name, d.default))
        reading[d.name] = tuple(value) if isinstance(value, list) else value
    return reading


Rows = list[tuple[dict[str, Any], dict[str, Any]]]
"""(reading, compact run) pairs: what a stage's ``results.jsonl`` holds, as plain data."""


def stage_rows(directory: str | Path) -> Rows:
    """The (reading, compact run) pairs of a finished stage directory."""
    rows = read_rows(Path(directory) / "results.jsonl").rows
    return [(_reading_of(r["options"]), r["result"]) for r in rows]


def _stage(
    out: Path,
    name: str,
    seed: int,
    fixed: Mapping[str, Any],
    points: Sequence[Mapping[str, Any]],
    sweep_options: Mapping[str, Any],
) -> Rows:
    config = out / f"{name}.toml"
    text = _config_text(seed, fixed, points)
    # The search's design depends only on --seed and the size: resuming another one is an
    # error. The re-runs follow from the search's rows (and the code that picks them), so a
    # changed re-run list simply runs its new points; rows of points no longer picked stay
    # in the file and are not used.
    if (
        name == "search"
        and sweep_options.get("resume")
        and config.exists()
        and config.read_text() != text
    ):
        raise UsageError(
            "--resume", f"the same search as {config} (same --seed and size)", "another"
        )
    write_atomically(config, text.encode())
    summary = run_sweep(config, out / name, **sweep_options)
    if summary.failed:
        first = summary.failed[0]
        raise RuntimeError(
            f"readings: {len(summary.failed)} {name} points failed (first: {first['point']}: "
            f"{first['error']}); run again with --resume"
        )
    wanted = {reading_key(_reading_of(p)) for p in points}
    return [(r, row) for r, row in stage_rows(out / name) if reading_key(r) in wanted]


def search_rows(
    out: str | Path,
    size: SearchSize,
    seed: int,
    sweep_options: Mapping[str, Any],
    rerun_defaults: bool = True,
    protocol: Mapping[str, Any] | None = None,
) -> tuple[Rows, Rows]:
    """Run (or finish) both stages in ``out``; the search's and the re-runs' rows.

    ``protocol``: other ``simulate deblur-reading`` options fixed at every point (e.g. a
    shorter protocol for a test); never a dimension of the box.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    extra = dict(protocol or {})
    clash = sorted(set(extra) & ({d.name for d in BOX} | {"seeds", "threads", "seed"}))
    if clash:
        raise UsageError("protocol", "options that are not dimensions of the box", clash[0])
    readings = design(size.readings, seed)
    search = _stage(
        out, "search", seed, {"seeds": size.seeds, "threads": 1, **extra}, readings,
        sweep_options,
    )  # fmt: skip
    candidates = select_reruns([measured(r, row) for r, row in search], near=size.near)
    points: list[Mapping[str, Any]] = [{}] if rerun_defaults else []
    points += [changed_from_defaults(c) for c in candidates]
    fixed = {"seeds": size.rerun_seeds, "threads": 1, **extra}
    reruns = _stage(out, "rerun", seed, fixed, _distinct(points), sweep_options)
    if size.confirm_seeds:
        undecided = undecided_candidates(search, reruns)
        if undecided:
            fixed = {"seeds": size.confirm_seeds, "threads": 1, **extra}
            points = _distinct([changed_from_defaults(r) for r in undecided])
            reruns = reruns + _stage(out, "confirm", seed, fixed, points, sweep_options)
    return search, reruns


def undecided_candidates(search: Rows, reruns: Rows) -> list[Mapping[str, Any]]:
    """The best and worst readings (per claim) and the best joint reading whose re-run
    leaves that claim (or the joint answer) undecided."""
    from .analysis import best_and_worst
    from .measure import CLAIMS

    found = [measured(r, row) for r, row in search]
    again = {reading_key(r): measured(r, row) for r, row in reruns}
    out: list[Mapping[str, Any]] = []
    for claim in CLAIMS:
        for m in best_and_worst(claim, found):
            if m is None:
                continue
            rerun = again.get(reading_key(m.reading))
            if rerun is not None and rerun.claims[claim].outcome.verdict == "inconclusive":
                out.append(m.reading)
    usable = [m for m in found if m.joint_margin() > -math.inf]
    if usable:
        joint = max(usable, key=lambda m: m.joint_margin())
        rerun = again.get(reading_key(joint.reading))
        if rerun is not None and any(
            c.outcome.verdict == "inconclusive" for c in rerun.claims.values()
        ):
            out.append(joint.reading)
    return out


def analyse_rows(
    search: Rows, reruns: Rows, source: str, defaults: MeasuredReading | None = None
) -> ReadingsAnalysis:
    """The analysis of a search's rows; the defaults are the re-run at the defaults unless
    ``defaults`` (e.g. the claims' own, larger run) is given."""
    measured_reruns = [measured(r, row) for r, row in reruns]
    if defaults is None:
        defaults = next((m for m in measured_reruns if not changed_from_defaults(m.reading)), None)
        if defaults is None:
            raise RuntimeError("readings: the re-runs hold no run at the defaults")
    others = [m for m in measured_reruns if changed_from_defaults(m.reading)]
    return analyse(defaults, [measured(r, row) for r, row in search], others, source)


def run_readings(
    out: str | Path,
    *,
    size: SearchSize = FULL,
    seed: int = PAPER_SEED,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    in_process: bool = False,
    quiet: bool = False,
    notify: Callable[[str], None] | None = None,
    protocol: Mapping[str, Any] | None = None,
) -> ReadingsAnalysis:
    """Run (or finish, with ``resume``) a search over the box; write ``OUT/readings.json``.

    ``protocol``: options fixed at every point besides the box (default: the paper's)."""
    out = Path(out)
    sweep_options: dict[str, Any] = {
        "resume": resume,
        "scheduler": scheduler,
        "workers": workers,
        "in_process": in_process,
        "quiet": quiet,
    }
    if notify is not None:
        sweep_options["notify"] = notify
    search, reruns = search_rows(out, size, seed, sweep_options, protocol=protocol)
    analysis = analyse_rows(search, reruns, source=f"{size.name} search in {out}")
    document = {
        **analysis.as_dict(),
        "size": asdict(size),
        "seed": seed,
        "protocol": dict(protocol or {}),
        "box": box_description(),
        "design": [jsonable(r) for r in design(size.readings, seed)],
    }
    write_atomically(out / RESULT_NAME, (json.dumps(document, indent=1) + "\n").encode())
    return analysis


def _distinct(points: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return list({reading_key(p): p for p in points}.values())


def load_analysis(directory: str | Path) -> dict[str, Any]:
    """``DIR/readings.json`` of a finished search (one-line :class:`UsageError` if absent
    or unreadable)."""
    path = Path(directory) / RESULT_NAME
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(
            "--readings", "a directory holding a finished search's readings.json", str(path)
        ) from exc
    if not isinstance(data, dict) or "claims" not in data or "joint" not in data:
        raise UsageError("--readings", "a readings.json written by fastweights readings", str(path))
    return data
