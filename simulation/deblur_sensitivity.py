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
from dataclasses import dataclass, fields, replace
from typing import Any

from ._validate import ParameterError
from .deblur import check_run_deblur_conditions_arguments, run_deblur_conditions
from .deblur_protocol import DeblurSettings
from .deblur_results import DeblurConditionsResult, condition_key
from .estimate import Estimate
from .results import Result, interval_dict

__all__ = [
    "DEFAULT_SENSITIVITY_AXES",
    "DeblurSensitivityResult",
    "SensitivityFraction",
    "SensitivityRow",
    "SweepRatios",
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


@dataclass(frozen=True)
class SweepRatios(Result):
    """The improvement ratio at the retraining sweeps of :data:`RATIO_SWEEPS` that a run
    reached (``None``: a zero mean denominator). ``to_dict()``: ``{"1": {...}, ...}``."""

    sweeps: tuple[int, ...]
    ratios: tuple[Estimate | None, ...]

    def at(self, sweep: int) -> Estimate | None:
        """The ratio at retraining sweep ``sweep`` (``KeyError`` if not reported)."""
        return dict(zip(self.sweeps, self.ratios, strict=True))[sweep]

    def to_dict(self) -> dict[str, Any]:
        return {
            str(sweep): interval_dict(ratio)
            for sweep, ratio in zip(self.sweeps, self.ratios, strict=True)
        }


@dataclass(frozen=True)
class SensitivityFraction(Result):
    """One retrained fraction with fast weights at one grid point: the improvement ratios,
    the retrained error before (``_0``) and after (``_end``) retraining, the unretrained
    error after it (``None`` with none unretrained), the new associations' errors, and
    control − fast (``None`` when the run had no control)."""

    INTERVALS = ("unretrained_error_end",)
    OPTIONAL = ("control_minus_fast",)

    retrain_fraction: float
    improvement_ratio: SweepRatios
    retrained_error_0: Estimate
    retrained_error_end: Estimate
    unretrained_error_end: Estimate | None
    new_error_after_retraining: Estimate
    new_error_after_decay: Estimate
    new_error_change_after_decay: Estimate
    control_minus_fast: Estimate | None = None


@dataclass(frozen=True)
class SensitivityRow(Result):
    """The headline numbers at one grid point (``parameters``: the values varied there,
    ``{}`` at the defaults), from the first condition, and per fast-weight fraction."""

    parameters: Mapping[str, Any]
    learned_fraction: Estimate
    old_wrong_output_fraction: Estimate
    old_error_after_training: Estimate
    fast_weight_max_abs_after_training: Estimate
    old_error_after_blurring: Estimate
    new_error_before_retraining: Estimate
    fractions: tuple[SensitivityFraction, ...]


@dataclass(frozen=True)
class DeblurSensitivityResult(Result):
    """:func:`deblur_sensitivity`'s result; ``to_dict()`` is ``fastweights simulate
    deblur-sensitivity --json``."""

    seeds: int
    seed: int
    axes: Mapping[str, Sequence[Any]]
    rows: tuple[SensitivityRow, ...]


def deblur_headline(
    result: DeblurConditionsResult, parameters: Mapping[str, Any] | None = None
) -> SensitivityRow:
    """The numbers behind the claims, from a :func:`run_deblur_conditions` result, as the
    row of grid point ``parameters`` (default ``{}``)."""
    first = result.conditions[0]
    original = first.original_learning
    controls = {condition_key(c.retrain_fraction, True): c for c in result.control_comparison}
    fractions = []
    for cond in result.conditions:
        if not cond.fast_weights:
            continue
        ratios = cond.improvement_ratio
        sweeps = tuple(k for k in RATIO_SWEEPS if k <= len(ratios))
        control = controls.get(cond.key)
        fractions.append(
            SensitivityFraction(
                retrain_fraction=cond.retrain_fraction,
                improvement_ratio=SweepRatios(sweeps, tuple(ratios[k - 1] for k in sweeps)),
                retrained_error_0=cond.retrained_error[0],
                retrained_error_end=cond.retrained_error[-1],
                unretrained_error_end=cond.unretrained_error[-1],
                new_error_after_retraining=cond.new_error_after_retraining,
                new_error_after_decay=cond.new_error_after_decay,
                new_error_change_after_decay=cond.new_error_change_after_decay,
                control_minus_fast=control.control_minus_fast if control is not None else None,
            )
        )
    return SensitivityRow(
        parameters=dict(parameters or {}),
        learned_fraction=original.learned_fraction,
        old_wrong_output_fraction=original.old_wrong_output_fraction,
        old_error_after_training=original.old_error,
        fast_weight_max_abs_after_training=original.fast_weight_max_abs,
        old_error_after_blurring=first.old_error_before_retraining,
        new_error_before_retraining=first.new_error_before_retraining,
        fractions=tuple(fractions),
    )


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
) -> DeblurSensitivityResult:
    """Headline numbers at every grid point; ``base`` overrides defaults at every point.

    Every point is checked before the first runs. Returns a
    :class:`DeblurSensitivityResult`: ``seeds``, ``seed``, the ``axes`` and one
    :class:`SensitivityRow` per point (:func:`deblur_headline`; ``parameters``: the
    values varied there).

    Examples:
        The defaults and ε_f = 0, two seeds, a short protocol:

        >>> from simulation import deblur_sensitivity
        >>> short = {"original_sweeps": 60, "new_sweeps": 20, "retrain_sweeps": 4}
        >>> r = deblur_sensitivity({"fast_epsilon": (0.0,)}, seeds=2, **short)
        >>> [row.parameters for row in r.rows]
        [{}, {'fast_epsilon': 0.0}]
        >>> [f.retrain_fraction for f in r.rows[0].fractions], list(r.to_dict())
        ([0.1, 0.5], ['seeds', 'seed', 'axes', 'rows'])
    """
    retrain_fractions = tuple(retrain_fractions)
    axes = axes if axes is not None else DEFAULT_SENSITIVITY_AXES
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
        rows.append(deblur_headline(result, point))
    return DeblurSensitivityResult(seeds=seeds, seed=seed, axes=axes, rows=tuple(rows))
