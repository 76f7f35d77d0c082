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
(:func:`verification.readings.analysis.analyse`) with the box and the design, and last
``DIR/manifest.json`` (:mod:`verification.evidence`, kind ``readings``): the command, the
options (size, protocol, box), the seed, the design and every file's row count and
SHA-256. The manifest is first written in state ``running`` before the first stage (the
folder is then the toolkit's); whatever reads a search checks it first
(:func:`check_search`, :func:`read_search`).

The output folder stays the user's: ``--out`` must be new, empty or hold a readings
manifest (``--force`` overrides); every check (folder, links, ``--resume`` against the
manifest's seed and size, ``--scheduler``) is made before the first write, then
``DIR/.readings.lock`` is locked (a second run into ``DIR`` is refused) before anything
else is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from foundation.errors import ParameterError

from ..errors import UsageError
from ..evidence import (
    MANIFEST_NAME,
    EvidenceError,
    check_evidence,
    claim_directory,
    file_record,
    read_manifest,
    write_manifest,
)
from ..sweep import read_rows, run_sweep
from ..sweep.execute import shared_local_cluster
from ..sweep.store import write_atomically
from .analysis import MeasuredReading, ReadingsAnalysis, analyse, measured, select_reruns
from .box import BOX, changed_from_defaults, jsonable, reading_key
from .design import design

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "BUILTIN",
    "BUILTIN_QUICK",
    "COMMAND",
    "FULL",
    "KIND",
    "LOCK_NAME",
    "QUICK",
    "STAGES",
    "SearchSize",
    "analyse_rows",
    "box_description",
    "box_identity",
    "check_search",
    "load_analysis",
    "mend_command",
    "read_search",
    "run_readings",
    "search_command",
    "search_options",
    "search_rows",
    "stage_rows",
    "write_search_manifest",
]

COMMAND = "simulate deblur-reading"
RESULT_NAME = "readings.json"
KIND = "readings"
"""The kind of a search's evidence manifest (``DIR/manifest.json``)."""
LOCK_NAME = ".readings.lock"
"""Locked (``flock``) by a running search: a second run into the same folder is refused."""
STAGES = ("search", "rerun", "confirm")
"""The stages' names: ``DIR/NAME.toml`` and ``DIR/NAME/`` (``confirm`` only when needed)."""
STAGE_FILES = ("results.jsonl", "sweep.json", MANIFEST_NAME)
"""A stage's files the manifest lists (the sweep's own ``manifest.json`` when it wrote one)."""
_REQUIRED = ("search.toml", "search/results.jsonl", "rerun.toml", "rerun/results.jsonl",
             RESULT_NAME)  # fmt: skip


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
        item.update(_identity(d))
        out.append(item)
    return out


def _identity(d: Any) -> dict[str, Any]:
    return {
        "values": [list(v) if isinstance(v, tuple) else v for v in d.values],
        "low": d.low,
        "high": d.high,
        "log": d.log,
    }


def box_identity(box: Any) -> list[dict[str, Any]] | None:
    """What decides a box's readings (each dimension's name, levels or range, scale,
    default and condition), from :func:`box_description`'s JSON; ``None`` if malformed.
    Two searches are over the same box when these agree (its texts may be reworded)."""
    keys = ("name", "values", "low", "high", "log", "default", "only_when")
    if not isinstance(box, list) or not all(isinstance(d, dict) for d in box):
        return None
    return [{k: d.get(k) for k in keys} for d in box]


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
    """The (reading, compact run) pairs of a finished stage directory (a torn last line
    is refused in one line, never dropped)."""
    path = Path(directory) / "results.jsonl"
    stored = read_rows(path)
    if stored.torn_bytes:
        raise UsageError(
            str(path), "whole rows (its last line is torn)", f"{stored.torn_bytes} bytes"
        )
    return [(_reading_of(r["options"]), r["result"]) for r in stored.rows]


def _stage(
    out: Path,
    name: str,
    seed: int,
    fixed: Mapping[str, Any],
    points: Sequence[Mapping[str, Any]],
    sweep_options: Mapping[str, Any],
    stages: list[str] | None = None,
) -> Rows:
    config = out / f"{name}.toml"
    text = _config_text(seed, fixed, points)
    # The search's design depends only on --seed and the size: resuming another one is
    # refused before anything is written (run_readings). The re-runs follow from the
    # search's rows (and the code that picks them), so a changed re-run list simply runs
    # its new points; rows of points no longer picked stay in the file and are not used.
    write_atomically(config, text.encode())
    if stages is not None:
        stages.append(name)
    summary = run_sweep(config, out / name, mend=mend_command(out), **sweep_options)
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
    stages: list[str] | None = None,
) -> tuple[Rows, Rows]:
    """Run (or finish) both stages in ``out``; the search's and the re-runs' rows.

    ``protocol``: other ``simulate deblur-reading`` options fixed at every point (e.g. a
    shorter protocol for a test); never a dimension of the box. ``stages``: the names of
    the stages run are appended to it.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    extra = _check_protocol(protocol)
    readings = design(size.readings, seed)
    search = _stage(
        out, "search", seed, {"seeds": size.seeds, "threads": 1, **extra}, readings,
        sweep_options, stages,
    )  # fmt: skip
    candidates = select_reruns([measured(r, row) for r, row in search], near=size.near)
    points: list[Mapping[str, Any]] = [{}] if rerun_defaults else []
    points += [changed_from_defaults(c) for c in candidates]
    fixed = {"seeds": size.rerun_seeds, "threads": 1, **extra}
    reruns = _stage(out, "rerun", seed, fixed, _distinct(points), sweep_options, stages)
    if size.confirm_seeds:
        undecided = undecided_candidates(search, reruns)
        if undecided:
            fixed = {"seeds": size.confirm_seeds, "threads": 1, **extra}
            points = _distinct([changed_from_defaults(r) for r in undecided])
            reruns = reruns + _stage(out, "confirm", seed, fixed, points, sweep_options, stages)
    return search, reruns


def _check_protocol(protocol: Mapping[str, Any] | None) -> dict[str, Any]:
    extra = dict(protocol or {})
    clash = sorted(set(extra) & ({d.name for d in BOX} | {"seeds", "threads", "seed"}))
    if clash:
        raise UsageError("protocol", "options that are not dimensions of the box", clash[0])
    return extra


def undecided_candidates(search: Rows, reruns: Rows) -> list[Mapping[str, Any]]:
    """The best and worst readings (per claim) and the best joint reading whose re-run
    leaves that claim (or the joint answer) undecided."""
    from .analysis import best_and_worst, canonical_order
    from .measure import CLAIMS

    found = canonical_order([measured(r, row) for r, row in search])
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
    if not search:
        raise UsageError(
            "--readings", "a search holding at least one reading (no verdict rests on 0)",
            f"0 readings in {source}",
        )  # fmt: skip
    measured_reruns = [measured(r, row) for r, row in reruns]
    if defaults is None:
        defaults = next((m for m in measured_reruns if not changed_from_defaults(m.reading)), None)
        if defaults is None:
            raise RuntimeError("readings: the re-runs hold no run at the defaults")
    others = [m for m in measured_reruns if changed_from_defaults(m.reading)]
    return analyse(defaults, [measured(r, row) for r, row in search], others, source)


def search_options(
    size: SearchSize, seed: int, protocol: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The options a search's manifest records: seed, size, protocol and the box."""
    return {
        "seed": seed,
        "size": asdict(size),
        "protocol": dict(protocol or {}),
        "box": box_description(),
    }


def search_command(out: str | Path, size: SearchSize, seed: int) -> str:
    """``fastweights readings --seed S [--quick] --out DIR`` (the size named when neither
    the full nor the quick search's)."""
    flag = {FULL.name: "", QUICK.name: " --quick"}.get(size.name, f" (size {size.name!r})")
    return f"fastweights readings --seed {seed}{flag} --out {out}"


def mend_command(out: str | Path) -> str:
    """The command that finishes or mends the search in ``out``."""
    return f"fastweights readings --resume --out {out}"


def _design_json(size: SearchSize, seed: int) -> list[dict[str, Any]]:
    return [jsonable(r) for r in design(size.readings, seed)]


def _own_paths(out: Path) -> list[Path]:
    """Every path a search writes in ``out`` (its stages' folders and files, the lock)."""
    paths = [out / MANIFEST_NAME, out / RESULT_NAME, out / LOCK_NAME]
    for stage in STAGES:
        paths += [out / f"{stage}.toml", out / stage]
        paths += [out / stage / name for name in (*STAGE_FILES, ".sweep.lock")]
    return paths


def _entries(out: Path) -> list[str]:
    return [name for name in os.listdir(out) if name != LOCK_NAME]


@dataclass
class _Plan:
    exists: bool
    reset: bool = False
    drop: tuple[str, ...] = ()


def _plan(
    out: Path, size: SearchSize, seed: int, protocol: dict[str, Any], resume: bool, force: bool
) -> _Plan:
    """Every check of ``--out`` before anything is written (nothing is written here)."""
    # A folder holding only a search's lock (this run's, under it) counts as empty.
    empty = out.is_dir() and not out.is_symlink() and not _entries(out)
    exists = True if empty else claim_directory(out, KIND, force=force)
    for path in _own_paths(out):
        if path.is_symlink():
            raise UsageError(
                "--out", "a directory whose files are not links (nothing is written through "
                f"one; {path} is a link)", str(out),
            )  # fmt: skip
    for stage in STAGES:
        if os.path.lexists(out / stage) and not (out / stage).is_dir():
            raise UsageError("--out", f"a directory where {out / stage} is a folder", str(out))
    manifest = read_manifest(out) if exists else None
    own = manifest is not None and manifest.get("kind") == KIND
    if not resume:
        found = [p for p in _own_paths(out) if p.name != LOCK_NAME and p.exists()]
        if own or (force and found):
            if not force:
                raise UsageError(
                    "--out", "a directory without a search in it (this one holds one: "
                    "--resume finishes it, --force starts it anew)", str(out),
                )  # fmt: skip
            return _Plan(exists, reset=True)
        return _Plan(exists)
    if not exists or empty:
        raise UsageError(
            "--resume", "a directory holding an interrupted 'fastweights readings' search",
            f"{out} ({'missing' if not exists else 'empty'})",
        )  # fmt: skip
    if not own:
        # A search from before manifests: its search.toml must be this one's.
        config = out / "search.toml"
        expected = _config_text(
            seed, {"seeds": size.seeds, "threads": 1, **protocol}, design(size.readings, seed)
        )
        try:
            same = config.read_text() == expected
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            raise UsageError(
                "--resume", f"a directory holding this search ({out}/{MANIFEST_NAME} of "
                "'fastweights readings', or its search.toml: same --seed and size)", str(out),
            )  # fmt: skip
        return _Plan(exists)
    assert manifest is not None
    wanted = {"seed": seed, "size": asdict(size), "protocol": protocol}
    recorded: dict[str, Any] = _mapping(manifest.get("options"))
    for key, value in wanted.items():
        if recorded.get(key) != value or (key == "seed" and manifest.get("seed") != seed):
            raise UsageError(
                "--resume", f"the search {out}/{MANIFEST_NAME} records ({key} "
                f"{json.dumps(recorded.get(key))}; give the same --seed and size)",
                f"{key} {json.dumps(value)}",
            )  # fmt: skip
    if manifest.get("design") != _design_json(size, seed):
        raise UsageError(
            "--resume", f"the design {out}/{MANIFEST_NAME} records (a search of another "
            "version?)", "another design",
        )  # fmt: skip
    if manifest.get("state") != "complete":
        return _Plan(exists)
    return _Plan(exists, drop=_failing_stages(out, manifest))


def _failing_stages(out: Path, manifest: Mapping[str, Any]) -> tuple[str, ...]:
    """The stages of a finished search whose listed files no longer match the manifest:
    ``--resume`` recomputes them whole (no row of a file that fails is trusted)."""
    files = _mapping(manifest.get("files"))
    failing = []
    for stage in STAGES:
        for name in STAGE_FILES:
            relative = f"{stage}/{name}"
            path = out / relative
            record = files.get(relative)
            if record is None:
                bad = name == "results.jsonl" and path.exists()
            else:
                bad = not path.is_file() or {
                    k: v for k, v in file_record(path).items() if k in record
                } != {k: v for k, v in record.items() if k in ("bytes", "sha256", "rows")}
            if bad and stage not in failing:
                failing.append(stage)
    return tuple(failing)


@contextlib.contextmanager
def _locked(out: Path, exists: bool) -> Iterator[None]:
    """Create ``out`` and hold ``out/.readings.lock`` (one line if either fails or another
    run holds it); a folder this run created is removed again if it fails before any row."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = (out / LOCK_NAME).open("a")
    except OSError as exc:
        if not exists:
            with contextlib.suppress(OSError):
                out.rmdir()
        raise UsageError(
            "--out", f"a directory fastweights readings can write ({exc.strerror or exc})",
            str(out),
        ) from None  # fmt: skip
    try:
        with lock:
            if fcntl is not None:
                try:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise UsageError(
                        "--out", "a directory no other 'fastweights readings' is writing to",
                        str(out),
                    ) from None  # fmt: skip
            yield
    except BaseException:
        if not exists:
            _remove_if_unused(out)
        raise


def _remove_if_unused(out: Path) -> None:
    """Remove a folder this run created if it holds no row: its own files only."""
    with contextlib.suppress(OSError):
        if any((out / s / "results.jsonl").exists() for s in STAGES):
            return
        for path in reversed(_own_paths(out)):
            if path.is_dir() and not path.is_symlink():
                for temporary in path.glob(".*.tmp"):
                    temporary.unlink()
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        for temporary in out.glob(".*.tmp"):
            temporary.unlink()
        out.rmdir()


def _remove_own(out: Path, stages: Sequence[str] = STAGES, everything: bool = True) -> None:
    """Remove a search's own files (``--force``: all; ``--resume``: failing ``stages``)."""
    for stage in stages:
        for name in (*STAGE_FILES, ".sweep.lock"):
            (out / stage / name).unlink(missing_ok=True)
    if everything:
        for name in (RESULT_NAME, *(f"{s}.toml" for s in STAGES)):
            (out / name).unlink(missing_ok=True)


def run_readings(
    out: str | Path,
    *,
    size: SearchSize = FULL,
    seed: int | None = None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    in_process: bool = False,
    quiet: bool = False,
    notify: Callable[[str], None] | None = None,
    protocol: Mapping[str, Any] | None = None,
) -> ReadingsAnalysis:
    """Run (or finish, with ``resume``) a search over the box; write ``OUT/readings.json``
    and, last, ``OUT/manifest.json``.

    Checked before anything is written (one line each): ``out`` is new, empty or holds a
    readings manifest (``force``: any folder); no path the search writes is a link; without
    ``resume`` it holds no search yet (``force`` starts it anew); with ``resume`` it holds
    this search (same seed, size, protocol and design), and the stages of a finished search
    whose files fail their check are recomputed; ``scheduler`` answers. Then the folder is
    locked and the manifest written in state ``running``.

    ``protocol``: options fixed at every point besides the box (default: the paper's);
    ``seed``: the root seed (default: the paper's, 1987 for Hinton & Plaut)."""
    if seed is None:
        from ..engine.paper import current_paper

        seed = current_paper().default_seed
    out = Path(out)
    if not str(out).strip():
        raise UsageError("--out", "a directory path", str(out))
    extra = _check_protocol(protocol)
    if scheduler is not None:
        from ..sweep.execute import INSTALL_HINT, _dask_available, check_scheduler

        if not _dask_available():
            raise UsageError(
                "--scheduler", f"dask.distributed installed ({INSTALL_HINT})", scheduler
            )
        scheduler = check_scheduler(scheduler)
    if workers is not None and workers < 1:
        raise UsageError("--workers", "a positive number of worker processes", workers)
    plan = _plan(out, size, seed, extra, resume, force)
    with _locked(out, plan.exists):
        # Under the lock: what another run may have changed since is checked again.
        plan = _plan(out, size, seed, extra, resume, force)
        say = notify if notify is not None else _stderr
        if plan.reset:
            _remove_own(out)
        if plan.drop:
            say(f"readings: {', '.join(plan.drop)} of {out} failed the manifest's check; "
                "recomputing (no row of a file that fails is used)")  # fmt: skip
            _remove_own(out, plan.drop, everything=False)
        command = search_command(out, size, seed)
        options = search_options(size, seed, extra)
        manifest: dict[str, Any] = {
            "kind": KIND,
            "command": command,
            "options": options,
            "seed": seed,
            "design": _design_json(size, seed),
        }
        write_search_manifest(out, manifest, (), "running")
        sweep_options: dict[str, Any] = {
            "resume": resume,
            "scheduler": scheduler,
            "workers": workers,
            "in_process": in_process,
            "quiet": quiet,
        }
        if notify is not None:
            sweep_options["notify"] = notify
        stages: list[str] = []
        with shared_local_cluster(workers):
            search, reruns = search_rows(
                out, size, seed, sweep_options, protocol=extra, stages=stages
            )
        analysis = analyse_rows(search, reruns, source=f"{size.name} search in {out}")
        document = {
            **analysis.as_dict(),
            "size": asdict(size),
            "seed": seed,
            "protocol": extra,
            "box": box_description(),
            "design": _design_json(size, seed),
        }
        write_atomically(out / RESULT_NAME, (json.dumps(document, indent=1) + "\n").encode())
        for stage in STAGES:
            if stage not in stages:
                _remove_own(out, (stage,), everything=False)
                (out / f"{stage}.toml").unlink(missing_ok=True)
        write_search_manifest(out, manifest, _listed_files(out, stages), "complete")
    return analysis


def write_search_manifest(
    out: str | Path, header: Mapping[str, Any], files: Sequence[str], state: str
) -> dict[str, Any]:
    """Write ``out/manifest.json`` (:func:`verification.evidence.write_manifest`, which
    seals it with its own checksum, so a reader refuses an edit to any of its fields, not
    only to the files it lists)."""
    return write_manifest(
        out, kind=header["kind"], command=header["command"], options=header["options"],
        seed=header["seed"], design=header["design"], files=files, state=state,
    )  # fmt: skip


def _stderr(message: str) -> None:
    import sys

    print(message, file=sys.stderr)


def _listed_files(out: Path, stages: Sequence[str]) -> list[str]:
    files = [RESULT_NAME]
    for stage in stages:
        files.append(f"{stage}.toml")
        files += [f"{stage}/{n}" for n in STAGE_FILES if (out / stage / n).is_file()]
    return files


def _rows_of(path: Path, record: Mapping[str, Any], mend: str) -> Rows:
    """The rows of a file read once and checked against its manifest record as read."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        raise EvidenceError(path, "its SHA-256 does not match the manifest (edited?)", mend)
    rows = []
    for number, line in enumerate(data.splitlines(), 1):
        try:
            row = json.loads(line)
            rows.append((_reading_of(row["options"]), row["result"]))
        except (ValueError, KeyError, TypeError):
            raise EvidenceError(path, f"line {number} is not a row of a sweep", mend) from None
    return rows


def check_search(
    directory: str | Path,
    *,
    seed: int | None = None,
    size: SearchSize | None = None,
    mend: str | None = None,
) -> dict[str, Any]:
    """Check a search's evidence before anything reads it; its manifest if it passes.

    :func:`verification.evidence.check_evidence` (a finished readings manifest; every
    listed file whole, unedited, with its row count; no unlisted rows file) with the seed
    and the design it records being ``design(size.readings, seed)`` (and ``seed``/``size``
    when given, e.g. the packaged search's); then: the box it records is the box the code
    judges over (same dimensions, levels, ranges and defaults); it lists both stages and
    ``readings.json``; the search stage holds one row per reading of the design. Each
    failure: one :class:`~verification.evidence.EvidenceError` naming the file and
    ``mend`` (default ``fastweights readings --resume --out DIR``).
    """
    root = Path(directory)
    mend = mend_command(root) if mend is None else mend
    if not any(os.path.lexists(root / name) for name in (MANIFEST_NAME, "search.toml")):
        raise UsageError(
            "--readings", "the directory of a finished 'fastweights readings' search", str(root)
        )
    found = read_manifest(root) or {}
    options = _mapping(found.get("options"))
    recorded_size = options.get("size")
    expect: dict[str, Any] = {}
    if seed is not None:
        expect["seed"] = seed
    if size is not None and recorded_size != asdict(size):
        raise EvidenceError(
            root / MANIFEST_NAME, f"another size ({_size_name(recorded_size)}, not {size.name})",
            mend,
        )  # fmt: skip
    try:
        readings = int(recorded_size["readings"]) if isinstance(recorded_size, dict) else None
        if readings is not None and isinstance(found.get("seed"), int):
            expect["design"] = [jsonable(r) for r in design(readings, found["seed"])]
    except (ValueError, TypeError, KeyError, ParameterError):
        readings = None
    manifest = check_evidence(root, KIND, mend=mend, expect=expect)
    if readings is None or "design" not in expect:
        raise EvidenceError(root / MANIFEST_NAME, "records no seed or size of a search", mend)
    if box_identity(options.get("box")) != box_identity(box_description()):
        raise EvidenceError(
            root / MANIFEST_NAME,
            "another box than this fastweights judges over (its dimensions, levels or ranges "
            "differ)",
            search_command("NEWDIR", SearchSize(**_mapping(recorded_size)), found["seed"]),
        )
    files = manifest["files"]
    for name in _REQUIRED:
        if name not in files:
            raise EvidenceError(root / name, "missing from the manifest (a part of the search "
                                "is missing)", mend)  # fmt: skip
    for stage in STAGES:
        if (f"{stage}.toml" in files) != (f"{stage}/results.jsonl" in files):
            raise EvidenceError(root / stage / "results.jsonl",
                                f"listed without {stage}.toml or the reverse", mend)  # fmt: skip
    return manifest


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _size_name(size: Any) -> str:
    return str(size.get("name")) if isinstance(size, dict) else "none"


def read_search(
    directory: str | Path,
    *,
    seed: int | None = None,
    size: SearchSize | None = None,
    mend: str | None = None,
) -> tuple[Rows, Rows, dict[str, Any]]:
    """The search's and the re-runs' (and confirmations') rows of a search that passes
    :func:`check_search`, each file read once and checked against its hash as read, and
    its manifest. The search stage must hold exactly the design's readings."""
    root = Path(directory)
    mend = mend_command(root) if mend is None else mend
    manifest = check_search(root, seed=seed, size=size, mend=mend)
    files = manifest["files"]
    search = _rows_of(root / "search/results.jsonl", files["search/results.jsonl"], mend)
    wanted = sorted(reading_key(r) for r in manifest["design"])
    if sorted(reading_key(r) for r, _ in search) != wanted:
        raise EvidenceError(
            root / "search/results.jsonl",
            f"{len(search)} rows that are not the design's {len(wanted)} readings", mend,
        )  # fmt: skip
    reruns: Rows = []
    for stage in STAGES[1:]:
        name = f"{stage}/results.jsonl"
        if name in files:
            reruns += _rows_of(root / name, files[name], mend)
    return search, reruns, manifest


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
