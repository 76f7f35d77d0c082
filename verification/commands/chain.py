"""``fastweights chain``: where the transfer goes, rung by rung, for your own associations.

The Sec. 4 experiment (``simulation.run_deblur_conditions``: train, blur, retrain a
fraction of the old associations; fast weights; every network captured at the start of
retraining) on the paper's random associations or on the associations in ``--inputs`` /
``--targets`` (``--new-inputs`` / ``--new-targets``: the blurring ones), then the transfer
chain on those very networks (``verification.transfer_chain.transfer_chains``): the
first-sweep ratio of the unretrained to the retrained associations' improvement, predicted
by the linear theory and then with each ingredient of the network added, and measured.

On the paper's inputs the chain starts at the paper's formulas for random 0/1 vectors
(``paper``, ``ensemble``: what ``verify`` shows); on given inputs at the exact linear
theory of Sec. 5 for these very vectors (``linear_vectors``: ``theory transfer --inputs``'s
first-order ratio on each network's retrained set).

JSON: ``seed``, ``seeds``, ``inputs`` (``"paper"`` or the files and their shape),
``parameters`` (the run's ``DeblurSettings``), ``chains`` (one
``verification.transfer_chain.Chain.to_dict()`` per fraction, in the order given) and
``plot`` (the figure's path or ``None``).
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from foundation.settings import add_options
from simulation.deblur_protocol import DeblurSeeds

from ..errors import UsageError
from . import simulate_deblur
from ._common import add_json_option, add_quiet_option, mark_output
from ._options import progress_enabled

if TYPE_CHECKING:
    from simulation.associations import Associations
    from simulation.deblur_results import DeblurConditionsResult

PATH = ("chain",)
HELP = (
    "where the transfer goes, for your own associations (.npy or .csv: --inputs, --targets) "
    "or the paper's random ones: run the Sec. 4 experiment and predict its first retraining "
    "sweep's unretrained/retrained improvement ratio rung by rung (the linear theory for these "
    "inputs, + hidden states, + hidden weights, + actual errors, + output saturation, the full "
    "first-order prediction) against the measured one; Student t intervals over seeds"
)

SETTINGS = tuple(name for name in simulate_deblur.SETTINGS if name != "targets")
"""The ``simulate deblur`` options a chain takes: every ``DeblurSettings`` field but
``targets`` (the target levels), whose option name ``--targets`` is the targets' file here."""

DEFAULT_FRACTIONS = (0.1, 0.5)
"""The report's fractions (Fig. 2's 10% and 50%)."""

PLOT_EXTENSIONS = (".png", ".svg")

_FILES = ("inputs", "targets", "new_inputs", "new_targets")


def _parse_fractions(text: str) -> tuple[float, ...]:
    """``--fractions``: comma-separated fractions in (0, 1), each once."""
    from foundation.settings import ascii_float

    try:
        values = tuple(ascii_float(part.strip()) for part in text.split(","))
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(
            f"expected fractions in (0, 1) separated by commas, such as 0.1,0.5, got {text!r}"
        ) from None
    if not all(math.isfinite(v) and 0.0 < v < 1.0 for v in values):
        raise argparse.ArgumentTypeError(
            f"expected fractions in (0, 1) (some association must stay unretrained), got {text!r}"
        )
    if len({f"{v:g}" for v in values}) != len(values):
        raise argparse.ArgumentTypeError(f"expected each fraction once, got {text!r}")
    return values


def add_arguments(parser: argparse.ArgumentParser) -> None:
    files = parser.add_argument_group("your associations (default: the paper's random ones)")
    files.add_argument(
        "--inputs",
        metavar="FILE",
        help="the old associations' input vectors, one per row (.npy or .csv); with --targets",
    )
    files.add_argument(
        "--targets",
        metavar="FILE",
        help="their target vectors, one per row, values in [0, 1] (.npy or .csv)",
    )
    files.add_argument(
        "--new-inputs",
        metavar="FILE",
        help="the new associations that blur the old, inputs (default: drawn at random); "
        "with --new-targets",
    )
    files.add_argument("--new-targets", metavar="FILE", help="the new associations' targets")
    parser.add_argument(
        "--fractions",
        type=_parse_fractions,
        default=",".join(f"{f:g}" for f in DEFAULT_FRACTIONS),  # parsed by argparse
        metavar="F,F",
        help="fractions of the old associations retrained, each in (0, 1) (default 0.1,0.5)",
    )
    add_options(parser, DeblurSeeds, ["seeds", "seed"])
    simulate_deblur.add_settings_arguments(parser, SETTINGS)
    mark_output(
        parser.add_argument(
            "--plot",
            metavar="FILE",
            help="also draw the ladder (the report's figure transfer-chain) to FILE (.png or "
            ".svg; written atomically)",
        )
    )
    add_json_option(parser)
    add_quiet_option(parser)


def _associations(options: argparse.Namespace) -> Associations | None:
    """The files, loaded and checked (``verification.inputs_file.load_associations``);
    ``None`` without ``--inputs`` (the paper's random associations)."""
    given = {name: getattr(options, name) for name in _FILES}
    if given["inputs"] is None and given["targets"] is None:
        for name in ("new_inputs", "new_targets"):
            if given[name] is not None:
                raise UsageError(name, "--inputs and --targets with it", given[name])
        return None
    for name, partner in (("inputs", "targets"), ("targets", "inputs")):
        if given[name] is None:
            raise UsageError(name, f"a file with --{partner}", "none")
    for name, partner in (("new_inputs", "new-targets"), ("new_targets", "new-inputs")):
        if given[name] is None and given[partner.replace("-", "_")] is not None:
            raise UsageError(name, f"a file with --{partner}", "none")
    sizes = ["associations", "n_input", "n_output"]
    if given["new_inputs"] is not None:
        sizes.append("new_associations")
    for name in sizes:
        if getattr(options, name) is not None:
            size = getattr(options, name)
            raise UsageError(name, "no value with --inputs (the files give the sizes)", size)
    from ..inputs_file import load_associations

    return load_associations(**given)


def _arguments(options: argparse.Namespace, associations: Associations | None) -> dict[str, Any]:
    """The keyword arguments of ``run_deblur_conditions`` but ``progress``."""
    arguments: dict[str, Any] = {
        "seeds": options.seeds,
        "retrain_fractions": options.fractions,
        "seed": options.seed,
        "include_control": False,
        "per_seed": True,
        "capture_blurred": True,
        **simulate_deblur.settings_from_options(options, SETTINGS),
    }
    if associations is not None:
        arguments["associations"] = associations
    return arguments


def _shape(options: argparse.Namespace, associations: Associations | None) -> dict[str, int]:
    """K, K_new, n, m of the run (the files' shapes, else the settings')."""
    import simulation

    arguments = _arguments(options, None)
    arguments.pop("capture_blurred")
    _, _, settings = simulation.check_run_deblur_conditions_arguments(**arguments)
    shape = {
        "associations": settings.associations,
        "new_associations": settings.new_associations,
        "n_input": settings.n_input,
        "n_output": settings.n_output,
    }
    if associations is not None:
        shape["associations"], shape["n_input"] = associations.inputs.shape
        shape["n_output"] = associations.targets.shape[1]
        if associations.new_inputs is not None:
            shape["new_associations"] = associations.new_inputs.shape[0]
    return shape


def _checks(options: argparse.Namespace) -> tuple[Associations | None, dict[str, int]]:
    """Every check made before the run: the files, the settings, the seeds, the retraining
    sweeps, the fractions against K and the plot's path."""
    from simulation.deblur_capture import retrained_count

    associations = _associations(options)
    shape = _shape(options, associations)
    if options.seeds < 2:
        raise UsageError("seeds", "at least 2 seeds (the intervals are over seeds)", options.seeds)
    if options.retrain_sweeps is not None and options.retrain_sweeps < 1:
        raise UsageError(
            "retrain_sweeps",
            "at least 1 (the chain ends at the first sweep)",
            options.retrain_sweeps,
        )
    k = shape["associations"]
    for fraction in options.fractions:
        if not 1 <= retrained_count(fraction, k) < k:
            raise UsageError(
                "fractions",
                f"fractions that retrain some but not all of the {k} old associations",
                f"{fraction:g} (retrains {retrained_count(fraction, k)})",
            )
    _check_plot(options.plot)
    return associations, shape


def _check_plot(path: str | None) -> None:
    """``--plot``: a .png or .svg path in an existing directory (checked before the run)."""
    if path is None:
        return
    from pathlib import Path

    target = Path(path)
    if target.suffix.lower() not in PLOT_EXTENSIONS:
        raise UsageError("plot", "a file ending in .png or .svg", path)
    if not target.parent.is_dir() or target.is_dir():
        raise UsageError("plot", "a file path in an existing directory", path)


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes before training (the same one-line errors)."""
    _checks(options)


KERNEL_COPIES = 4
"""Copies of the tangent kernel Θ, (K m)² float64 each, alive at once while the chain's
kernels are formed (Θ, its products and the blocks of the Gram matrices)."""

KERNEL_MULTIPLY_ADDS_PER_SECOND = 2e9
"""A cautious rate for forming the kernels (numpy products on one core)."""


def estimate(options: argparse.Namespace) -> list[Any]:
    """The run's memory and time (:func:`verification.resources.deblur_need`, one condition
    per fraction) and the kernels' (:data:`KERNEL_COPIES` copies of Θ; about (K m)² H
    multiply-adds per network)."""
    import dataclasses
    import types

    import simulation

    from ..resources import Need, deblur_need

    associations, shape = _checks(options)
    arguments = _arguments(options, None)
    arguments.pop("capture_blurred")
    _, _, settings = simulation.check_run_deblur_conditions_arguments(**arguments)
    sized = types.SimpleNamespace(**{**dataclasses.asdict(settings), **shape})
    memory, seconds = deblur_need(sized, options.seeds, conditions=len(options.fractions))
    rows = shape["associations"] * shape["n_output"]
    kernel_bytes = KERNEL_COPIES * 8.0 * rows * rows
    kernel_seconds = (
        options.seeds * rows * rows * (sized.n_hidden + 10) / KERNEL_MULTIPLY_ADDS_PER_SECOND
    )
    where = ("--inputs", options.inputs) if associations is not None else ("--seeds", options.seeds)
    return [
        Need(where[0], where[1], bytes=max(memory, kernel_bytes), seconds=seconds + kernel_seconds)
    ]


def compute(options: argparse.Namespace) -> tuple[DeblurConditionsResult, list[Any], Any]:
    """The run, its chains and the given associations (``None``: the paper's)."""
    import simulation

    from ..transfer_chain import transfer_chains

    associations, _ = _checks(options)
    run = simulation.run_deblur_conditions(
        **_arguments(options, associations), progress=progress_enabled(options)
    )
    inputs = "paper" if associations is None else "given"
    return run, transfer_chains(run, options.fractions, inputs=inputs), associations


def _inputs(options: argparse.Namespace, associations: Associations | None) -> Any:
    """``"paper"``, or the files and the associations' shape."""
    if associations is None:
        return "paper"
    k, n = associations.inputs.shape
    new = associations.new_inputs
    return {
        **{name: getattr(options, name) for name in _FILES},
        "associations": int(k),
        "n_input": int(n),
        "n_output": int(associations.targets.shape[1]),
        "new_associations": None if new is None else int(new.shape[0]),
    }


def _parameters(run: DeblurConditionsResult, shape: Any) -> dict[str, Any]:
    """The run's settings (JSON values only), with the files' sizes when given."""
    plain = (bool, int, float, str, list, tuple, type(None))
    out = {key: value for key, value in run.parameters.items() if isinstance(value, plain)}
    if isinstance(shape, dict):
        out.update({key: value for key, value in shape.items() if key in out and value is not None})
    return out


def write_plot(path: str, chains: list[Any]) -> None:
    """The ladder (``verification.report.chain_ladder``) to ``path``, atomically."""
    from foundation.atomic import ignore_file_size_signal, write_atomically

    from ..claims.transfer_chain import LINEAR_READINGS, TOLERANCE
    from ..report.chain_ladder import draw_chain_ladder
    from ..report.figure_style import render_png, render_svg
    from ..transfer_chain import LINEAR_VECTORS

    fig, _ = draw_chain_ladder(chains, (*LINEAR_READINGS, LINEAR_VECTORS.key), TOLERANCE)
    data = render_svg(fig) if path.lower().endswith(".svg") else render_png(fig)
    ignore_file_size_signal()
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise UsageError(
            "plot", "a path that can be written", f"{path}: {exc.strerror or exc}"
        ) from None


def run(options: argparse.Namespace) -> dict[str, Any]:
    result, chains, associations = compute(options)
    if options.plot is not None:
        write_plot(options.plot, chains)
    inputs = _inputs(options, associations)
    return {
        "seed": options.seed,
        "seeds": options.seeds,
        "inputs": inputs,
        "parameters": _parameters(result, inputs),
        "chains": [chain.to_dict() for chain in chains],
        "plot": options.plot,
    }


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns (combining marks, as in x̃, take none)."""
    import unicodedata

    shown = sum(1 for c in text if not unicodedata.combining(c))
    return text + " " * max(0, width - shown)


def _interval(rung: dict[str, Any]) -> str:
    if rung.get("ci95_low") is None:
        return "exact"
    return f"[{rung['ci95_low']:.4f}, {rung['ci95_high']:.4f}]"


def render(result: dict[str, Any]) -> str:
    from ..transfer_chain import ALL_RUNGS

    labels = {rung.key: rung.label for rung in ALL_RUNGS}
    par = result["parameters"]
    inputs = result["inputs"]
    source = (
        "the paper's random associations"
        if inputs == "paper"
        else f"{inputs['inputs']} -> {inputs['targets']} ({inputs['associations']} associations, "
        f"{inputs['n_input']} inputs, {inputs['n_output']} outputs)"
    )
    lines = [
        f"Transfer chain of the first retraining sweep: {source}; {result['seeds']} seeds "
        f"(seed {result['seed']}), {par['n_hidden']} hidden units, {par['new_associations']} new "
        f"associations, fast weights, {par['updates']} updates",
        "ratio: mean improvement of the unretrained / of the retrained old associations "
        "(ratio of means over seeds, 95% Student t interval)",
    ]
    for chain in result["chains"]:
        changes = {step["to"]: step["change"] for step in chain["steps"]}
        lines += [
            "",
            f"{chain['retrain_fraction']:.0%} retrained ({chain['retrained_count']} of "
            f"{par['associations']})",
            f"{'rung':<28}  {'ratio':>7}  {'95% interval':<18}  {'change':>7}  what the rung adds",
        ]
        for rung in chain["rungs"]:
            key = rung["rung"]
            change = f"{changes[key]:+.4f}" if key in changes else ""
            lines.append(
                f"{_pad(labels[key], 28)}  {rung['estimate']:>7.4f}  {_interval(rung):<18}  "
                f"{change:>7}  {rung['ingredient']}"
            )
    if result["plot"] is not None:
        lines += ["", f"wrote {result['plot']}"]
    return "\n".join(lines)
