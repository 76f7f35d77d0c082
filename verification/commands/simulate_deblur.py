"""``fastweights simulate deblur``: the Sec. 4 deblurring experiment over many seeds.

``--inputs FILE --targets FILE`` (issue 22) runs it on the user's own associations
(:func:`verification.inputs_file.load_associations`; ``--new-inputs FILE --new-targets
FILE`` for the new ones that blur them). Without ``--inputs``, ``--targets`` is the
``LOW,HIGH`` pair of the paper's random targets, as before; with it, a file.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import simulation
from foundation.settings import add_options
from simulation.associations import Associations
from simulation.deblur_protocol import DeblurCondition, DeblurSeeds, DeblurSettings

from ..errors import UsageError
from ..inputs_file import EXTENSIONS, load_associations
from ._common import add_json_option, add_quiet_option, format_estimate, format_table
from ._options import progress_enabled

PATH = ("simulate", "deblur")
HELP = (
    "train 10-100-10 fast/slow-weight networks on 100 random associations (or on yours: "
    "--inputs FILE --targets FILE), blur them with 5 new ones, retrain a fraction of the old "
    "and measure retrained vs unretrained error and the new associations after the fast "
    "weights decay (Sec. 4; Student t intervals over seeds)"
)

SETTINGS = (
    *("fast_epsilon", "fast_momentum", "slow_epsilon", "slow_momentum", "h", "init_scale"),
    *("error_factor", "targets", "associations", "new_associations", "n_input", "n_hidden"),
    *("n_output", "original_sweeps", "new_sweeps", "retrain_sweeps", "decay_updates"),
    *("strict_tolerance", "threads", "chunk_size", "error_measure", "control_rule", "updates"),
    *("error_function", "fast_phases", "decay_per", "dtype"),
)
"""Every ``DeblurSettings`` field, in the order of the options in ``--help``."""


def add_settings_arguments(
    parser: argparse.ArgumentParser,
    names: Sequence[str] = SETTINGS,
    **changes: dict[str, Any],
) -> None:
    """An option for every ``DeblurSettings`` field in ``names`` (default: every one,
    execution fields included), declared by the settings; not given (``None``), the field
    keeps the settings' default. ``changes``: ``add_argument`` keywords that replace the
    declared ones (per field)."""
    unset = {name: {"default": None, **changes.get(name, {})} for name in names}
    add_options(parser, DeblurSettings, names, **unset)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_options(parser, DeblurSeeds, ["seeds"])
    add_options(parser, DeblurCondition, ["retrain_fraction"])
    add_options(parser, DeblurSeeds, ["seed"])
    parser.add_argument(
        "--no-fast-weights",
        action="store_true",
        help="control: retraining goes into the slow weights (nothing decays afterwards)",
    )
    parser.add_argument(
        "--inputs",
        metavar="FILE",
        help="your own old associations' inputs (.npy or .csv, one per row); --targets is then "
        "a FILE of their targets in [0, 1] (not LOW,HIGH); every seed learns these, n_input, "
        "n_output and associations read from the files",
    )
    parser.add_argument(
        "--new-inputs",
        metavar="FILE",
        help="the new associations' inputs (with --new-targets FILE; default: drawn per seed)",
    )
    parser.add_argument(
        "--new-targets", metavar="FILE", help="the new associations' targets, in [0, 1]"
    )
    add_settings_arguments(parser)
    parser.add_argument("--per-seed", action="store_true", help="add every seed's numbers")
    add_json_option(parser)
    add_quiet_option(parser)


def settings_from_options(
    options: argparse.Namespace, names: Sequence[str] = SETTINGS
) -> dict[str, Any]:
    """The ``DeblurSettings`` fields among ``names`` given on the command line."""
    given = {name: getattr(options, name) for name in names}
    return {name: value for name, value in given.items() if value is not None}


def _is_file(value: object) -> bool:
    return isinstance(value, str) and value.lower().endswith(EXTENSIONS)


def _associations(options: argparse.Namespace) -> Associations | None:
    """The ``--inputs``/``--targets`` (``--new-inputs``/``--new-targets``) files, loaded
    once per command (kept on ``options``); None without ``--inputs``."""
    if options.inputs is None:
        if _is_file(options.targets):
            raise UsageError("inputs", "a file of inputs as well (with --targets FILE)", None)
        for name in ("new_inputs", "new_targets"):
            if getattr(options, name) is not None:
                raise UsageError(name, "--inputs FILE and --targets FILE as well", None)
        return None
    if options.targets is None or not _is_file(options.targets):
        raise UsageError(
            "targets", "a file of targets ending in .npy or .csv (with --inputs)", options.targets
        )
    loaded = vars(options).get("_associations")
    if loaded is None:
        loaded = load_associations(
            options.inputs, options.targets, options.new_inputs, options.new_targets
        )
        vars(options)["_associations"] = loaded
    return loaded


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``simulation.run_deblur`` but ``progress``."""
    settings = settings_from_options(options)
    associations = _associations(options)
    if associations is not None:
        settings.pop("targets", None)  # the file, not the LOW,HIGH pair
        count = settings.pop("associations", None)
        if count is not None and count != associations.count:
            raise UsageError(
                "associations",
                f"{associations.count}, the rows of --inputs (or leave it out)",
                count,
            )
    return {
        "seeds": options.seeds,
        "retrain_fraction": options.retrain_fraction,
        "seed": options.seed,
        "fast_weights": not options.no_fast_weights,
        "per_seed": options.per_seed,
        **settings,
        **({} if associations is None else {"associations": associations}),
    }


def validate(options: argparse.Namespace) -> None:
    """Every check :func:`run` makes (the same one-line errors), training nothing."""
    simulation.check_run_deblur_arguments(**_arguments(options))


def estimate(options: argparse.Namespace) -> list[Any]:
    """Memory and time of the run (:func:`verification.resources.deblur_need`)."""
    from ..resources import Need, deblur_need

    _, settings = simulation.check_run_deblur_arguments(**_arguments(options))
    memory, seconds = deblur_need(settings, options.seeds, conditions=1)
    chunked = options.chunk_size is not None
    where = ("--chunk-size", options.chunk_size) if chunked else ("--seeds", options.seeds)
    usual = {"--seeds": 100, "--original-sweeps": 1300, "--new-sweeps": 400, "--retrain-sweeps": 20}
    given = {flag: getattr(options, flag[2:].replace("-", "_")) for flag in usual}
    blamed = max((f for f in usual if given[f] is not None), key=lambda f: given[f] / usual[f])
    return [Need(*where, bytes=memory), Need(blamed, given[blamed], seconds=seconds)]


def run(options: argparse.Namespace) -> dict[str, Any]:
    result = simulation.run_deblur(**_arguments(options), progress=progress_enabled(options))
    return result.to_dict()


def _cell(value: dict[str, Any]) -> str:
    if value["estimate"] is None:
        return "-"
    if value["ci_low"] is None:
        return f"{value['estimate']:.4f}"
    return format_estimate(value)


def _source_lines(source: dict[str, Any] | None) -> list[str]:
    """Where the user's associations came from (nothing for the paper's random ones)."""
    if source is None:
        return []

    def one(name: str) -> str:
        entry = source[name]
        if not isinstance(entry, dict):
            return f"{name} {entry}"
        where = entry.get("file") or "array"
        return f"{name} {where} ({entry['shape'][0]} x {entry['shape'][1]})"

    old = ", ".join(one(name) for name in ("inputs", "targets"))
    new = ", ".join(one(name) for name in ("new_inputs", "new_targets"))
    if source["new_inputs"] == "drawn per seed":
        new = "new associations drawn per seed"
    return [f"your associations: {old}; {new}"]


def render(result: dict[str, Any]) -> str:
    par = result["parameters"]
    mode = "fast weights" if result["fast_weights"] else f"control ({par['control_rule']})"
    low, high = par["targets"]
    head = (
        f"Sec. 4 deblurring, {result['seeds']} seeds (seed {result['seed']}), {mode}; "
        f"retrained {result['retrained_count']} of {par['associations']}; "
        f"eps_f = {par['fast_epsilon']:g}, alpha_f = {par['fast_momentum']:g}, h = {par['h']:g}"
    )
    modes = (
        f"{par['updates']} updates, {par['error_function']} error, targets {low:g}/{high:g}, "
        f"fast weights learn in {par['fast_phases']} phases, decay per {par['decay_per']}"
    )
    lines = [head, modes, *_source_lines(par.get("associations_source"))]
    lines += ["", "average error of an output unit (mean |y - t|) [95% interval]"]
    new = f"new ({par['new_associations']})"
    lines.append(f"{'sweep':>5}  {'retrained':<26}  {'unretrained':<26}  {new:<26}")
    for i, sweep in enumerate(result["sweeps"]):
        lines.append(
            f"{sweep:>5}  {_cell(result['retrained_error'][i]):<26}  "
            f"{_cell(result['unretrained_error'][i]):<26}  {_cell(result['new_error'][i]):<26}"
        )
    original = result["original_learning"]
    ratio = result["improvement_ratio"]
    middle = f"{(low + high) / 2:g}"
    rows: dict[str, Any] = {
        f"learned after {original['sweeps']} sweeps (all outputs right side of {middle})": _cell(
            original["learned_fraction"]
        ),
        f"old outputs on the wrong side of {middle}": _cell(original["old_wrong_output_fraction"]),
        "old error after training": _cell(original["old_error"]),
        "max |fast weight| after training": _cell(original["fast_weight_max_abs"]),
        "old error after blurring": _cell(result["old_error_before_retraining"]),
        "improvement ratio unretrained/retrained, sweep 1": _cell(ratio[0]) if ratio else "-",
        "first-order prediction of sweep 1 (at the blurred weights)": _cell(
            result["predicted_improvement_ratio"]
        ),
        "improvement ratio, sweep 5": _cell(ratio[4]) if len(ratio) >= 5 else "-",
        "new error before retraining": _cell(result["new_error_before_retraining"]),
        "new error after retraining": _cell(result["new_error_after_retraining"]),
        "new error after decay": _cell(result["new_error_after_decay"]),
        "change after decay (paired)": _cell(result["new_error_change_after_decay"]),
    }
    return "\n".join(lines) + "\n\n" + format_table(rows)
