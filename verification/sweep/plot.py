"""``sweep.png``: measured values (points, 95% CI bars) against exact ones (lines) across a grid.

For a ``simulate X`` sweep, the exact value at each point comes from running
``theory X`` with the point's options (those the theory command takes), when that
command exists; options the theory does not take are dropped (``trials``, ``seed``,
``noise-sd``, ...), except those whose value the theory assumes (Gaussian-noise blur,
the gradient step rule, perfect original learning): a point with another value of
those gets no exact value. A theory key ``paper_K`` or ``limit_K`` (or ``K_paper``,
``K_limit``) is drawn dashed or dotted in the panel of ``K``; lines that coincide at every
point are drawn once, labelled with both names, so none hides under another. For a
``theory X`` sweep the panels show the exact values alone.

The sweep's evidence is checked first (:func:`verification.evidence.check_evidence`): an
unfinished sweep, or one whose ``results.jsonl`` or ``sweep.json`` no longer match its
``manifest.json`` (torn, cut, edited), is refused in one line naming the file and the
command that mends it; nothing is drawn from evidence that fails the check.

The panels are the measured (or, for a theory sweep, computed) result keys; a key that
merely repeats an input (``angle`` in ``theory geometry``, or any key equal to a swept
option at every point) is never drawn against that input.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .. import command_registry
from ..errors import USER_ERRORS, UsageError
from ..evidence import check_evidence, read_manifest
from .command import CommandSpec, PointParseError, parse_point_argv, resolve_command
from .config import ConfigError
from .execute import EVIDENCE_KIND, mend_command
from .store import ResultStore, read_rows, write_atomically

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, not when the CLI starts
    from matplotlib.figure import Figure

__all__ = ["PLOT_NAME", "plot_sweep"]

PLOT_NAME = "sweep.png"
_OKABE_ITO = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
_THEORY_ASSUMES = {"blur": "noise", "step-rule": "gradient", "learning": "perfect"}
"""Simulation options the theory commands do not take but assume the value of: Gaussian
noise blur (Sec. 5), a retraining step proportional to the gradient, perfect original
learning. A point with another value gets no exact value."""
_THEORY_REFUSES: tuple[type[Exception], ...] = (PointParseError, *USER_ERRORS)
_VARIANTS: dict[str, Any] = {"paper_": "--", "limit_": ":"}
"""Theory key prefixes drawn in the panel of the key without the prefix (line style)."""


def _is_estimate(value: object) -> bool:
    return isinstance(value, Mapping) and all(
        _is_number(value.get(k)) for k in ("estimate", "ci_low", "ci_high")
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _theory_for(command: str, modules: Mapping[tuple[str, ...], ModuleType]) -> CommandSpec | None:
    words = tuple(command.split())
    if len(words) != 2 or words[0] != "simulate" or ("theory", words[1]) not in modules:
        return None
    return resolve_command(("theory", words[1]), modules)


def _exact(theory: CommandSpec, options: Mapping[str, Any]) -> dict[str, Any] | None:
    """The theory command's JSON for a simulated point, or ``None`` where it does not apply."""
    kept = {}
    for name, value in options.items():
        if name in theory.options and name not in ("seed", "json", "quiet", "help"):
            kept[name] = tuple(value) if isinstance(value, list) else value
        elif name in _THEORY_ASSUMES and value != _THEORY_ASSUMES[name]:
            return None
    argv = theory.argv(kept, seed=None)
    try:
        namespace = parse_point_argv(theory.module.__name__, argv)
        result: dict[str, Any] = theory.module.run(namespace)
    except _THEORY_REFUSES:
        return None
    return result


def _variant_key(source: Mapping[str, Any], prefix: str, key: str) -> str | None:
    """The theory key holding ``key``'s variant ``prefix`` (``paper_K`` or ``K_paper``)."""
    for name in (prefix + key, f"{key}_{prefix.rstrip('_')}"):
        if name in source:
            return name
    return None


def _is_variant(key: str, keys: Sequence[str]) -> bool:
    for prefix in _VARIANTS:
        suffix = "_" + prefix.rstrip("_")
        if key.startswith(prefix) and key[len(prefix) :] in keys:
            return True
        if key.endswith(suffix) and key[: -len(suffix)] in keys:
            return True
    return False


def _repeats_an_input(key: str, rows: Sequence[Mapping[str, Any]]) -> bool:
    """The result key is an input: an option's name, or equal to a swept option everywhere."""
    names = {name.replace("-", "_") for row in rows for name in row["options"]}
    if key.replace("-", "_") in names:
        return True
    swept = [
        name
        for name in rows[0]["options"]
        if len({str(row["options"].get(name)) for row in rows}) > 1
    ]
    for name in swept:
        pairs = [(row["result"].get(key), row["options"].get(name)) for row in rows]
        if all(
            _is_number(value) and _is_number(option) and math.isclose(value, option)
            for value, option in pairs
        ):
            return True
    return False


def _panels(rows: Sequence[Mapping[str, Any]], simulated: bool) -> list[str]:
    keys: list[str] = []
    for row in rows:
        for key, value in row["result"].items():
            wanted = _is_estimate(value) if simulated else _is_number(value)
            if wanted and key not in keys:
                keys.append(key)
    keys = [k for k in keys if not _repeats_an_input(k, rows)]
    if not simulated:
        keys = [k for k in keys if not _is_variant(k, keys)]
    return keys


def _order(rows: list[dict[str, Any]], manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    varied = manifest.get("varied", [])
    grid_values = list(manifest.get("config", {}).get("grid", {}).values())

    def position(row: Mapping[str, Any]) -> tuple[int, ...]:
        index = []
        for name, values in zip(varied, grid_values, strict=False):
            value = row["options"].get(name)
            index.append(values.index(value) if value in values else len(values))
        return (*index, int(row.get("replicate", 0)))

    return sorted(rows, key=position)


def _manifest(store: ResultStore, directory: str) -> dict[str, Any]:
    """``sweep.json``, checked: one-line :class:`UsageError` naming ``DIR`` if unusable."""
    if not store.directory.is_dir():
        what = "this is a file" if store.directory.exists() else "no such directory"
        raise UsageError("DIR", f"a sweep directory ({what})", directory)
    try:
        manifest = store.read_manifest()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = "unreadable" if isinstance(exc, OSError) else "not valid JSON"
        raise UsageError(
            "DIR", f"a sweep directory (its sweep.json is {reason})", directory
        ) from None
    if manifest is None:
        raise UsageError("DIR", "a sweep directory (with sweep.json)", directory)
    config = manifest.get("config", {}) if isinstance(manifest, dict) else None
    if not (
        isinstance(manifest, dict)
        and isinstance(manifest.get("command"), str)
        and isinstance(manifest.get("varied", []), list)
        and all(isinstance(name, str) for name in manifest.get("varied", []))
        and isinstance(config, dict)
        and isinstance(config.get("grid", {}), dict)
        and all(isinstance(v, list) for v in config.get("grid", {}).values())
    ):
        raise UsageError("DIR", "a sweep directory whose sweep.json fastweights wrote", directory)
    return manifest


def _check_evidence(store: ResultStore, directory: str) -> str:
    """Check the sweep's evidence before reading it; the command that mends it.

    An unfinished sweep is mended by ``--resume``; a finished one that no longer matches
    its manifest by running it afresh (``--force``).
    """
    if not store.directory.is_dir():
        what = "this is a file" if store.directory.exists() else "no such directory"
        raise UsageError("DIR", f"a sweep directory ({what})", directory)
    manifest = read_manifest(store.directory) or {}
    options = manifest.get("options")
    config = options.get("config") if isinstance(options, dict) else None
    finished = manifest.get("state") == "complete"
    mend = mend_command(
        config if isinstance(config, str) else "CONFIG",
        directory,
        "--force" if finished else "--resume",
    )
    check_evidence(store.directory, EVIDENCE_KIND, mend=mend)
    plot = store.directory / PLOT_NAME
    if plot.is_symlink() or (plot.exists() and not plot.is_file()):
        raise UsageError(
            "DIR", f"a sweep directory whose {PLOT_NAME} is not a link or a folder", directory
        )
    return mend


def _rows(store: ResultStore, mend: str | None = None) -> list[dict[str, Any]]:
    """The rows of ``results.jsonl``, each checked to hold ``options`` and ``result`` objects."""
    rows = read_rows(store.results_path, mend=mend, sealed=mend is not None).rows
    for number, row in enumerate(rows, 1):
        replicate = row.get("replicate", 0)
        if not (
            isinstance(row.get("options"), dict)
            and isinstance(row.get("result"), dict)
            and isinstance(replicate, int)
            and not isinstance(replicate, bool)
        ):
            raise UsageError(
                f"{store.results_path.name} line {number}",
                "a row with 'options' and 'result' written by fastweights sweep",
                row["key"],
            )
    return rows


def plot_sweep(
    directory: str | Path, command_modules: Mapping[tuple[str, ...], ModuleType] | None = None
) -> dict[str, Any]:
    """Draw ``DIR/sweep.png`` (written atomically) and return the values drawn.

    Returns ``plot`` (path), ``command``, ``exact_from`` (the theory command used, or
    ``None``), ``panels`` (the result keys drawn), ``lines`` (per panel, the legend names of
    its lines; coinciding lines share one entry, ``paper_K = limit_K``) and ``points``: per
    row its ``label``, ``measured`` and ``exact`` values per panel key, ``variants`` and
    their theory keys ``variant_keys``, and ``exact_inside_ci`` (bool or ``None``) for
    simulated estimates.

    The evidence is checked first: refused in one line (exit status 2) unless the sweep
    finished and its files match its manifest.
    """
    store = ResultStore(directory)
    mend = _check_evidence(store, str(directory))
    manifest = _manifest(store, str(directory))
    rows = _order(_rows(store, mend), manifest)
    if not rows:
        raise UsageError("DIR", "a sweep directory with rows in results.jsonl", str(directory))
    modules = command_registry.command_modules() if command_modules is None else command_modules
    command = manifest["command"]
    try:
        theory = _theory_for(command, modules)
    except ConfigError:
        theory = None
    simulated = any(_is_estimate(v) for row in rows for v in row["result"].values())
    panels = _panels(rows, simulated)
    if not panels:
        raise UsageError("DIR", "rows with numeric results or estimates to plot", str(directory))
    varied = [name for name in manifest.get("varied", []) if name in rows[0]["options"]]
    points = []
    for row in rows:
        exact_json = _exact(theory, row["options"]) if theory is not None else None
        source = exact_json if simulated else row["result"]
        point: dict[str, Any] = {
            "label": ", ".join(f"{n}={row['options'].get(n)}" for n in varied)
            or "the single point",
            "replicate": row.get("replicate", 0),
            "options": row["options"],
            "measured": {},
            "exact": {},
            "variants": {},
            "variant_keys": {},
            "exact_inside_ci": {},
        }
        for key in panels:
            measured = row["result"].get(key) if simulated else None
            exact = source.get(key) if source is not None else None
            point["measured"][key] = measured if _is_estimate(measured) else None
            point["exact"][key] = exact if _is_number(exact) else None
            variants, names = {}, {}
            for prefix in _VARIANTS:
                name = None if source is None else _variant_key(source, prefix, key)
                if source is not None and name is not None and _is_number(source.get(name)):
                    variants[prefix], names[prefix] = source[name], name
            point["variants"][key] = variants
            point["variant_keys"][key] = names
            inside = None
            if _is_estimate(measured) and _is_number(exact):
                assert isinstance(measured, Mapping)
                inside = bool(measured["ci_low"] <= exact <= measured["ci_high"])
            point["exact_inside_ci"][key] = inside
        points.append(point)
    figure = _draw(command, varied, panels, rows, points, simulated)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150)
    path = store.directory / PLOT_NAME
    write_atomically(path, buffer.getvalue())
    return {
        "plot": str(path),
        "command": command,
        "exact_from": theory.name if theory is not None and simulated else None,
        "panels": panels,
        "lines": {
            key: [name for name, _ in _styles_present(key, points, simulated)] for key in panels
        },
        "points": points,
    }


def _x_axis(varied: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str | None:
    for name in varied:
        values = {row["options"][name] for row in rows if _is_number(row["options"].get(name))}
        if len(values) > 1 and len(values) == len({str(r["options"][name]) for r in rows}):
            return name
    return None


def _draw(
    command: str,
    varied: Sequence[str],
    panels: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    points: Sequence[Mapping[str, Any]],
    simulated: bool,
) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import NullLocator

    x_name = _x_axis(varied, rows)
    series_names = [n for n in varied if n != x_name]
    series: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        label = ", ".join(f"{n}={row['options'][n]}" for n in series_names)
        series.setdefault(label, []).append(index)
    columns = min(len(panels), 2)
    lines = math.ceil(len(panels) / columns)
    figure = Figure(figsize=(6.0 * columns, 4.2 * lines), layout="constrained")
    axes_list = figure.subplots(lines, columns, squeeze=False).ravel()
    for axes in axes_list[len(panels) :]:
        axes.set_visible(False)
    log_x = False
    if x_name is not None:
        values = [float(r["options"][x_name]) for r in rows]
        log_x = min(values) > 0 and max(values) / min(values) >= 10
    for axes, key in zip(axes_list, panels, strict=False):
        merged = frozenset(n for group in _line_groups(key, points) for n in group[1:])
        for colour_index, (label, members) in enumerate(series.items()):
            colour = _OKABE_ITO[colour_index % len(_OKABE_ITO)]
            xs = [rows[i]["options"][x_name] if x_name else i for i in members]
            # Measured points of different series side by side, not on top of each other.
            shift = (colour_index - (len(series) - 1) / 2) * 0.012
            dodge = _dodge(shift, log_x, _span(rows, x_name))
            _draw_series(
                axes, key, xs, [points[i] for i in members], colour, label, simulated, dodge,
                merged,
            )  # fmt: skip
        if x_name is None:
            axes.set_xticks(range(len(rows)), [p["label"] for p in points], rotation=45, ha="right")
        else:
            axes.set_xlabel(x_name)
            if log_x:
                axes.set_xscale("log")
                axes.xaxis.set_minor_locator(NullLocator())
            grid_values = sorted(set(values))
            if len(grid_values) <= 12:
                axes.set_xticks(grid_values, [f"{v:g}" for v in grid_values])
        axes.set_ylabel(key)
        axes.grid(alpha=0.3)
        handles, labels = axes.get_legend_handles_labels()
        for name, style in _styles_present(key, points, simulated):
            handles.append(Line2D([], [], color="0.3", linestyle=style))
            labels.append(name)
        axes.legend(handles, labels, fontsize="small")
    figure.suptitle(f"fastweights {command}", fontsize="medium")
    return figure


def _span(rows: Sequence[Mapping[str, Any]], x_name: str | None) -> float:
    if x_name is None:
        return float(max(len(rows) - 1, 1))
    values = [float(r["options"][x_name]) for r in rows]
    return max(values) - min(values) or 1.0


def _dodge(shift: float, log_x: bool, span: float) -> Any:
    if log_x:
        return lambda x: float(x) * 10**shift
    return lambda x: float(x) + shift * span


def _same(first: Any, second: Any) -> bool:
    if first is None or second is None:
        return first is None and second is None
    return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-12)


def _line_groups(key: str, points: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """The panel's lines (``"exact"`` and the variant prefixes present), those that coincide
    at every point grouped (the first of a group is drawn, labelled with all)."""
    lines = {"exact": [p["exact"][key] for p in points]}
    lines |= {prefix: [p["variants"][key].get(prefix) for p in points] for prefix in _VARIANTS}
    groups: list[list[str]] = []
    for name, values in lines.items():
        if all(v is None for v in values):
            continue
        for group in groups:
            if all(_same(a, b) for a, b in zip(lines[group[0]], values, strict=True)):
                group.append(name)
                break
        else:
            groups.append([name])
    return groups


def _styles_present(
    key: str, points: Sequence[Mapping[str, Any]], simulated: bool
) -> list[tuple[str, Any]]:
    keys = {
        prefix: name
        for p in points
        for prefix, name in p.get("variant_keys", {}).get(key, {}).items()
    }
    styles = []
    for group in _line_groups(key, points):
        names = [
            ("exact" if simulated else key) if n == "exact" else keys.get(n, n + key) for n in group
        ]
        style = "-" if group[0] == "exact" else _VARIANTS[group[0]]
        styles.append((" = ".join(names), style))
    return styles


def _draw_series(
    axes: Any,
    key: str,
    xs: Sequence[Any],
    points: Sequence[Mapping[str, Any]],
    colour: str,
    label: str,
    simulated: bool,
    dodge: Any,
    merged: frozenset[str] = frozenset(),
) -> None:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    exact = [(xs[i], points[i]["exact"][key]) for i in order if points[i]["exact"][key] is not None]
    named = label or None
    if exact:
        axes.plot(*zip(*exact, strict=True), "-", color=colour, label=None if simulated else label)
    for zorder, (prefix, style) in enumerate(_VARIANTS.items(), start=3):
        if prefix in merged:
            continue  # it coincides with a line drawn already (the legend names both)
        variant = [
            (xs[i], points[i]["variants"][key][prefix])
            for i in order
            if prefix in points[i]["variants"][key]
        ]
        if variant:
            axes.plot(*zip(*variant, strict=True), style, color=colour, alpha=0.8, zorder=zorder)
    if simulated:
        measured = [
            (xs[i], points[i]["measured"][key]) for i in order if points[i]["measured"][key]
        ]
        if measured:
            x = [dodge(m[0]) for m in measured]
            y = [m[1]["estimate"] for m in measured]
            low = [m[1]["estimate"] - m[1]["ci_low"] for m in measured]
            high = [m[1]["ci_high"] - m[1]["estimate"] for m in measured]
            axes.errorbar(
                x,
                y,
                yerr=[low, high],
                fmt="o",
                color=colour,
                capsize=3,
                label=f"{named}: measured, 95% CI" if named else "measured, 95% CI",
            )
