"""How the Sec. 4 results depend on what the paper does not state.

:func:`deblur_sensitivity` runs :func:`simulation.run_deblur_conditions` at every point
of a grid over :class:`simulation.deblur_protocol.DeblurSettings` fields (by default
the fast weights' ε_f and α_f and the initial weight scale, one factor at a time
around the defaults) and keeps, per point, the headline numbers behind the paper's
claims (:func:`deblur_headline`). Every point uses the same seeds, so points differ
only in the parameter varied.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from ._validate import ParameterError
from .deblur import check_run_deblur_conditions_arguments, run_deblur_conditions
from .deblur_protocol import DeblurSettings
from .deblur_results import DeblurConditionsResult, condition_key
from .results import interval_dict

__all__ = [
    "DEFAULT_SENSITIVITY_AXES",
    "check_deblur_sensitivity_arguments",
    "deblur_headline",
    "deblur_sensitivity",
    "sensitivity_points",
]

#: One-factor-at-a-time axes around the defaults.
DEFAULT_SENSITIVITY_AXES: dict[str, tuple[Any, ...]] = {
    "fast_epsilon": (0.0, 0.005, 0.01, 0.02, 0.05, 0.1),
    "fast_momentum": (0.0, 0.5, 0.9),
    "init_scale": (0.1, 0.5, 1.0),
    "error_factor": (0.5, 1.0),
    "error_measure": ("absolute", "squared"),
    "control_rule": ("matched", "slow"),
}

#: Retraining sweeps at which the improvement ratio is reported.
RATIO_SWEEPS = (1, 5, 20)


def sensitivity_points(
    axes: Mapping[str, Sequence[Any]], mode: str = "one-at-a-time"
) -> list[dict[str, Any]]:
    """Grid points: ``"one-at-a-time"`` (each axis varied alone, others at their
    defaults; the all-defaults point once) or ``"product"`` (the full grid)."""
    known = {item.name for item in fields(DeblurSettings)}
    for name in axes:
        if name not in known:
            raise ParameterError(name, "a parameter of " + ", ".join(sorted(known)), name)
    if mode == "product":
        names = list(axes)
        return [
            dict(zip(names, values, strict=True)) for values in itertools.product(*axes.values())
        ]
    if mode != "one-at-a-time":
        raise ParameterError("mode", "one of one-at-a-time, product", mode)
    defaults = DeblurSettings()
    points: list[dict[str, Any]] = [{}]
    for name, values in axes.items():
        for value in values:
            if not _is_default(defaults, name, value):
                points.append({name: value})
    return points


def _is_default(defaults: DeblurSettings, name: str, value: Any) -> bool:
    """Whether ``value`` is the default of field ``name`` as the settings store it
    (``targets`` ``"0,1"`` or ``[0, 1]`` is the default (0.0, 1.0)); a bad value is not
    (the run's argument check reports it)."""
    try:
        return bool(getattr(replace(defaults, **{name: value}), name) == getattr(defaults, name))
    except ParameterError:
        return False


def deblur_headline(result: DeblurConditionsResult) -> dict[str, Any]:
    """The numbers behind the claims, from a :func:`run_deblur_conditions` result."""
    first = result.conditions[0]
    original = first.original_learning
    row: dict[str, Any] = {
        "learned_fraction": interval_dict(original.learned_fraction),
        "old_wrong_output_fraction": interval_dict(original.old_wrong_output_fraction),
        "old_error_after_training": interval_dict(original.old_error),
        "fast_weight_max_abs_after_training": interval_dict(original.fast_weight_max_abs),
        "old_error_after_blurring": interval_dict(first.old_error_before_retraining),
        "new_error_before_retraining": interval_dict(first.new_error_before_retraining),
        "fractions": [],
    }
    controls = {condition_key(c.retrain_fraction, True): c for c in result.control_comparison}
    for cond in result.conditions:
        if not cond.fast_weights:
            continue
        ratios = cond.improvement_ratio
        entry = {
            "retrain_fraction": cond.retrain_fraction,
            "improvement_ratio": {
                str(k): interval_dict(ratios[k - 1]) for k in RATIO_SWEEPS if k <= len(ratios)
            },
            "retrained_error_0": interval_dict(cond.retrained_error[0]),
            "retrained_error_end": interval_dict(cond.retrained_error[-1]),
            "unretrained_error_end": interval_dict(cond.unretrained_error[-1]),
            "new_error_after_retraining": interval_dict(cond.new_error_after_retraining),
            "new_error_after_decay": interval_dict(cond.new_error_after_decay),
            "new_error_change_after_decay": interval_dict(cond.new_error_change_after_decay),
        }
        if cond.key in controls:
            entry["control_minus_fast"] = interval_dict(controls[cond.key].control_minus_fast)
        row["fractions"].append(entry)
    return row


def check_deblur_sensitivity_arguments(
    axes: Mapping[str, Sequence[Any]] | None = None,
    seeds: object = 30,
    seed: object = 0,
    retrain_fractions: Sequence[object] = (0.1, 0.5),
    mode: str = "one-at-a-time",
    **base: Any,
) -> list[dict[str, Any]]:
    """Every argument check of :func:`deblur_sensitivity` (same parameters but
    ``progress``) at every grid point, without running any: :class:`ParameterError`
    naming the first bad value. Returns the grid points (:func:`sensitivity_points`).
    """
    points = sensitivity_points(axes if axes is not None else DEFAULT_SENSITIVITY_AXES, mode)
    for point in points:
        check_run_deblur_conditions_arguments(seeds, retrain_fractions, seed, **{**base, **point})
    return points


def deblur_sensitivity(
    axes: Mapping[str, Sequence[Any]] | None = None,
    seeds: int = 30,
    seed: int = 0,
    retrain_fractions: Sequence[float] = (0.1, 0.5),
    mode: str = "one-at-a-time",
    progress: bool = False,
    **base: Any,
) -> list[dict[str, Any]]:
    """Headline numbers at every grid point; ``base`` overrides defaults at every point.

    Every point is checked before the first runs. Returns a list of
    ``{"parameters": {varied: value}, **deblur_headline(...)}``.
    """
    retrain_fractions = tuple(retrain_fractions)
    points = check_deblur_sensitivity_arguments(axes, seeds, seed, retrain_fractions, mode, **base)
    rows = []
    for point in points:
        params = {**base, **point}
        result = run_deblur_conditions(
            seeds=seeds,
            retrain_fractions=retrain_fractions,
            seed=seed,
            progress=progress,
            **params,
        )
        rows.append({"parameters": point, **deblur_headline(result)})
    return rows
