"""Run the Sec. 4 deblurring experiment and summarize it across seeds (95 % t intervals).

* :func:`run_deblur` — one condition (a retrained fraction F, with or without fast
  weights); its result is the JSON of ``fastweights simulate deblur``.
* :func:`run_deblur_conditions` — several fractions, each with fast weights and the
  control, sharing phases 1-2 (original learning and blurring) per seed, plus the
  paired fast-vs-control comparison of the cost to the new associations.

Keys of a condition's summary (every number is a mean over seeds with its 95 %
interval ``{"estimate", "ci_low", "ci_high"}``, bounds ``None`` for one seed):

``sweeps``                      0 (just before retraining), 1 .. retrain_sweeps
``retrained_error``,            average error of an output unit on the retrained and
``unretrained_error``           unretrained old associations, after each sweep (Fig. 2)
``new_error``                   the same on the 5 new associations
``improvement_ratio``           per sweep k >= 1: mean(U_0 - U_k) / mean(R_0 - R_k)
                                (delta-method t interval), with ``retrained_improvement``
                                and ``unretrained_improvement`` (the paired means)
``predicted_improvement_ratio`` the first-order prediction of ``improvement_ratio[0]``
                                at the blurred weights: mean(r_U) / mean(r_R) over seeds
                                of the mean rates r_k = ∇A_k·∇E_S of the unretrained and
                                retrained associations (A: the measured error, E_S: the
                                retrained set's training error; ``deblur_capture``),
                                delta-method t interval
``new_error_before_retraining`` the new associations just before retraining
``new_error_after_retraining``  ... after the last retraining sweep
``new_error_after_decay``       ... after the fast weights decayed
``new_error_change_after_decay``paired mean of (after decay - before retraining)
``new_error_recovered_fraction`` mean(after retraining - after decay) /
                                mean(after retraining - before retraining): the share
                                of the retraining's damage to the new associations
                                that the decay undoes (1 = back to the level before)
``original_learning``           after the 1300 sweeps: learned fraction (criterion:
                                every output on its target's side of the middle
                                (LOW + HIGH) / 2 of the ``targets``, 0.5 by default),
                                strict learned fraction (every |y - t| <
                                strict_tolerance), errors, fast-weight size
``blurring``, ``decay``         the other phases' measurements
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from ._validate import ParameterError
from .associations import Associations
from .deblur_associations import settings_params
from .deblur_capture import BlurredNetworks
from .deblur_protocol import (
    DECAY_CHECKPOINTS,
    DeblurCondition,
    DeblurSettings,
    check_seeds,
    retrained_count,
    seeds_per_chunk,
    simulate_deblur,
    spawn_seeds,
)
from .deblur_results import (
    Blurring,
    ControlComparison,
    DeblurConditionsResult,
    DeblurPerSeed,
    DeblurResult,
    Decay,
    ErrorCurve,
    OriginalLearning,
    Retraining,
)
from .estimate import Estimate
from .seed_statistics import seed_estimate, seed_fraction, seed_ratio

__all__ = [
    "check_run_deblur_arguments",
    "check_run_deblur_conditions_arguments",
    "run_deblur",
    "run_deblur_conditions",
]

FloatArray = npt.NDArray[np.float64]


def _checkpoints(total: int) -> list[int]:
    """Sweeps 1, 2, 5, 10, 20, 50, ... up to ``total``, and ``total`` itself."""
    marks = {m * 10**e for e in range(7) for m in (1, 2, 5) if m * 10**e <= total}
    if total > 0:
        marks.add(total)
    return sorted(marks)


def _curve(values: FloatArray, total: int) -> ErrorCurve:
    """Mean error at the checkpoints of a training curve (S, total), sweeps 1-based."""
    marks = _checkpoints(total)
    return ErrorCurve(tuple(marks), tuple(seed_estimate(values[:, m - 1]) for m in marks))


def _per_seed(
    shared: dict[str, FloatArray], cond: dict[str, FloatArray], has_unretrained: bool
) -> DeblurPerSeed:
    return DeblurPerSeed(
        retrained_error=cond["retrained"],
        unretrained_error=cond["unretrained"] if has_unretrained else None,
        new_error=cond["new"],
        new_error_after_decay=cond["after_decay_new"],
        first_order_retrained=cond["first_order_retrained"],
        first_order_unretrained=cond["first_order_unretrained"] if has_unretrained else None,
        old_max_abs_error_after_training=shared["old_max_abs_error_after_training"],
        old_error_after_training=shared["old_error_after_training"],
        old_learned_after_training=np.asarray(shared["old_learned_after_training"], dtype=bool),
        old_wrong_fraction_after_training=shared["old_wrong_fraction_after_training"],
        fast_to_slow_rms_after_training=(
            shared["fast_rms_after_training"] / shared["slow_rms_after_training"]
        ),
    )


def _parameters(settings: DeblurSettings, associations: Associations | None) -> dict[str, Any]:
    """The result's ``parameters``: the settings' scientific fields and, for the user's own
    associations, where they came from (``associations_source``: shapes, SHA-256s, files)."""
    values = settings.scientific()
    if associations is not None:
        values["associations_source"] = associations.describe()
    return values


def _summarize(
    shared: dict[str, FloatArray],
    cond: dict[str, FloatArray],
    condition: DeblurCondition,
    settings: DeblurSettings,
    seed: int,
    per_seed: bool,
    associations: Associations | None = None,
) -> DeblurResult:
    k = settings.associations
    count = retrained_count(condition.retrain_fraction, k)
    has_unretrained = count < k
    retrained, unretrained, new = cond["retrained"], cond["unretrained"], cond["new"]
    sweeps = tuple(range(settings.retrain_sweeps + 1))
    seeds = int(retrained.shape[0])

    def means(values: FloatArray) -> tuple[Estimate, ...]:
        return tuple(seed_estimate(values[:, i]) for i in range(values.shape[1]))

    def maybe(values: FloatArray) -> tuple[Estimate | None, ...]:
        return means(values) if has_unretrained else tuple(None for _ in sweeps)

    gain_r = retrained[:, :1] - retrained  # improvement after k sweeps, (S, sweeps)
    gain_u = unretrained[:, :1] - unretrained
    improvement_ratio = tuple(
        seed_ratio(gain_u[:, i], gain_r[:, i]) if has_unretrained else None for i in sweeps[1:]
    )
    predicted = (
        seed_ratio(cond["first_order_unretrained"], cond["first_order_retrained"])
        if has_unretrained
        else None
    )
    before = shared["new_error_before_retraining"]
    after_retraining = new[:, -1]
    after_decay = cond["after_decay_new"]
    original = OriginalLearning(
        sweeps=settings.original_sweeps,
        learned_fraction=seed_fraction(shared["old_learned_after_training"]),
        learned_strict_fraction=seed_fraction(
            shared["old_max_abs_error_after_training"] < settings.strict_tolerance
        ),
        old_error=seed_estimate(shared["old_error_after_training"]),
        old_wrong_output_fraction=seed_estimate(shared["old_wrong_fraction_after_training"]),
        old_max_abs_error=seed_estimate(shared["old_max_abs_error_after_training"]),
        fast_weight_max_abs=seed_estimate(shared["fast_max_abs_after_training"]),
        fast_to_slow_rms_ratio=seed_estimate(
            shared["fast_rms_after_training"] / shared["slow_rms_after_training"]
        ),
        error_curve=_curve(shared["original_curve"], settings.original_sweeps),
    )
    blurring = Blurring(
        sweeps=settings.new_sweeps,
        old_error_after_blurring=seed_estimate(shared["old_error_after_blurring"]),
        new_error_before_new_learning=seed_estimate(shared["new_error_before_new_learning"]),
        new_error_after_new_learning=seed_estimate(before),
        fast_weight_max_abs=seed_estimate(shared["fast_max_abs_after_new_learning"]),
        fast_to_slow_rms_ratio=seed_estimate(
            shared["fast_rms_after_new_learning"] / shared["slow_rms_after_new_learning"]
        ),
        new_error_curve=_curve(shared["new_curve"], settings.new_sweeps),
    )
    decay = Decay(
        updates=tuple(DECAY_CHECKPOINTS),
        new_error=means(cond["decay_new"]),
        retrained_error=means(cond["decay_retrained"]),
        unretrained_error=maybe(cond["decay_unretrained"]),
        decay_updates=settings.decay_updates,
        retrained_error_after_decay=seed_estimate(cond["after_decay_retrained"]),
        unretrained_error_after_decay=(
            seed_estimate(cond["after_decay_unretrained"]) if has_unretrained else None
        ),
    )
    return DeblurResult(
        sweeps=sweeps,
        retrained_error=means(retrained),
        unretrained_error=maybe(unretrained),
        new_error=means(new),
        improvement_ratio=improvement_ratio,
        predicted_improvement_ratio=predicted,
        retrained_improvement=tuple(seed_estimate(gain_r[:, i]) for i in sweeps[1:]),
        unretrained_improvement=(
            tuple(seed_estimate(gain_u[:, i]) for i in sweeps[1:])
            if has_unretrained
            else tuple(None for _ in sweeps[1:])
        ),
        new_error_before_retraining=seed_estimate(before),
        new_error_after_retraining=seed_estimate(after_retraining),
        new_error_after_decay=seed_estimate(after_decay),
        new_error_change_after_retraining=seed_estimate(after_retraining - before),
        new_error_change_after_decay=seed_estimate(after_decay - before),
        new_error_recovered_fraction=seed_ratio(
            after_retraining - after_decay, after_retraining - before
        ),
        old_error_before_retraining=seed_estimate(shared["old_error_after_blurring"]),
        original_learning=original,
        blurring=blurring,
        retraining=Retraining(
            fast_weight_max_abs=seed_estimate(cond["fast_max_abs_after_retraining"]),
            fast_to_slow_rms_ratio=seed_estimate(
                cond["fast_rms_after_retraining"] / cond["slow_rms_after_retraining"]
            ),
        ),
        decay=decay,
        retrain_fraction=float(condition.retrain_fraction),
        retrained_count=count,
        unretrained_count=k - count,
        fast_weights=condition.fast_weights,
        seeds=seeds,
        seed=seed,
        parameters=_parameters(settings, associations),
        per_seed=_per_seed(shared, cond, has_unretrained) if per_seed else None,
    )


class _Bar:
    """A thread-safe progress callback on stderr (a no-op when disabled or not a terminal)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._lock = threading.Lock()
        self._bar = tqdm(
            total=total,
            unit="sweep",
            file=sys.stderr,
            disable=None if enabled else True,
            desc="deblur",
            leave=False,
        )

    def __call__(self, n: int) -> None:
        with self._lock:
            self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def _run(
    seeds: int,
    seed: int,
    conditions: Sequence[DeblurCondition],
    progress: bool,
    settings: DeblurSettings,
    capture: bool = False,
    associations: Associations | None = None,
) -> dict[str, Any]:
    children = spawn_seeds(seed, seeds)
    chunks = -(-len(children) // seeds_per_chunk(settings, len(children)))
    per_chunk = settings.original_sweeps + settings.new_sweeps
    per_chunk += settings.retrain_sweeps * len(conditions)
    bar = _Bar(chunks * per_chunk, progress)
    try:
        raw = simulate_deblur(children, settings, conditions, bar, capture, associations)
    finally:
        bar.close()
    return raw


def _user_associations(associations: object, params: dict[str, Any]) -> Associations | None:
    """Split the ``associations`` argument: the user's :class:`Associations` (returned), or
    the count K of drawn ones (an int, put into ``params`` as before), or None."""
    if associations is None or isinstance(associations, Associations):
        return associations
    params["associations"] = associations  # the count K: checked by DeblurSettings
    return None


def _settings(params: dict[str, Any], associations: Associations | None) -> DeblurSettings:
    """The settings of a run, the sizes read from ``associations`` when given."""
    if associations is None:
        return DeblurSettings.from_params(params)
    default = DeblurSettings.new_associations
    settings = DeblurSettings.from_params(settings_params(associations, params, default))
    settings.check_input_scale(associations.input_scale)
    return settings


def check_run_deblur_arguments(
    seeds: object = 100,
    retrain_fraction: float = 0.1,
    seed: object = 0,
    fast_weights: object = True,
    per_seed: object = False,
    associations: Associations | int | None = None,
    **params: Any,
) -> tuple[DeblurCondition, DeblurSettings]:
    """Every argument check of :func:`run_deblur` (same parameters but ``progress``),
    without training anything: :class:`ParameterError` with the message it gives.

    Returns the condition and the settings the run would use.
    """
    condition = DeblurCondition(retrain_fraction, bool(fast_weights))
    settings = _settings(params, _user_associations(associations, params))
    check_seeds(seed, seeds)
    return condition, settings


def check_run_deblur_conditions_arguments(
    seeds: object = 100,
    retrain_fractions: Iterable[object] = (0.1, 0.5),
    seed: object = 0,
    include_control: object = True,
    per_seed: object = False,
    associations: Associations | int | None = None,
    **params: Any,
) -> tuple[list[float], list[DeblurCondition], DeblurSettings]:
    """Every argument check of :func:`run_deblur_conditions` (same parameters but
    ``progress``), without training anything.

    Returns the fractions (as a list), the conditions (fast weights then the control,
    per fraction) and the settings the run would use.
    """
    fractions: list[Any] = list(retrain_fractions)
    if not fractions:
        raise ParameterError("retrain_fractions", "at least one fraction in (0, 1]", fractions)
    modes = (True, False) if include_control else (True,)
    conditions = [DeblurCondition(f, m) for f, m in itertools.product(fractions, modes)]
    settings = _settings(params, _user_associations(associations, params))
    check_seeds(seed, seeds)
    return fractions, conditions, settings


def run_deblur(
    seeds: int = 100,
    retrain_fraction: float = 0.1,
    seed: int = 0,
    fast_weights: bool = True,
    progress: bool = False,
    per_seed: bool = False,
    associations: Associations | int | None = None,
    **params: Any,
) -> DeblurResult:
    """The Sec. 4 experiment for ``seeds`` seeds in one condition.

    ``seeds``: S >= 1; ``retrain_fraction``: F in (0, 1]; ``seed``: root of
    ``SeedSequence(seed).spawn(S)``; ``fast_weights=False`` is the control (retraining
    in the slow weights only). ``params`` are :class:`DeblurSettings` fields
    (e.g. ``fast_epsilon``, ``fast_momentum``, ``init_scale``, ``h``,
    ``original_sweeps``). ``per_seed=True`` adds the per-seed arrays under ``per_seed``.
    ``associations``: the number K of random old associations (the ``DeblurSettings``
    field, as before), or the user's own (:class:`~simulation.associations.Associations`):
    every seed then trains on these (n_input, n_output and K read from them; an explicit
    size that disagrees is refused), blurred by the given new ones or by new ones drawn
    per seed as in the paper (:mod:`simulation.deblur_associations`); ``parameters``
    records them (``associations_source``).
    Returns the summary described in the module docstring, typed (``to_dict()`` is the
    JSON of ``fastweights simulate deblur``).
    """
    condition, settings = check_run_deblur_arguments(
        seeds, retrain_fraction, seed, fast_weights, per_seed, associations, **params
    )
    user = associations if isinstance(associations, Associations) else None
    raw = _run(seeds, seed, [condition], progress, settings, associations=user)
    shared, first = raw["shared"], raw["conditions"][0]
    return _summarize(shared, first, condition, settings, seed, per_seed, user)


def run_deblur_conditions(
    seeds: int = 100,
    retrain_fractions: Iterable[float] = (0.1, 0.5),
    seed: int = 0,
    include_control: bool = True,
    progress: bool = False,
    per_seed: bool = False,
    capture_blurred: bool = False,
    associations: Associations | int | None = None,
    **params: Any,
) -> DeblurConditionsResult:
    """Several retrained fractions, each with fast weights and (optionally) the control.

    Phases 1-2 run once per seed and every condition branches from the same blurred
    network, so conditions are paired seed by seed. Returns ``conditions`` (one
    :func:`run_deblur`-shaped summary each, fast weights first) and
    ``control_comparison``: per fraction, the paired per-seed difference
    (control - fast) of the change in the new associations' error from before
    retraining to after decay, and of the old associations' error after retraining.
    ``capture_blurred=True`` adds ``blurred``: the networks at the start of retraining
    (:class:`~simulation.deblur_capture.BlurredNetworks`, not JSON), for evaluating
    theory on exactly these networks; it changes no number. ``associations``: as in
    :func:`run_deblur` (the count K, or the user's own associations, shared by every
    seed and condition).
    """
    fractions, conditions, settings = check_run_deblur_conditions_arguments(
        seeds, retrain_fractions, seed, include_control, per_seed, associations, **params
    )
    user = associations if isinstance(associations, Associations) else None
    raw = _run(seeds, seed, conditions, progress, settings, bool(capture_blurred), user)
    shared = raw["shared"]
    summaries = [
        _summarize(shared, cond, condition, settings, seed, per_seed, user)
        for cond, condition in zip(raw["conditions"], conditions, strict=True)
    ]
    comparison = []
    if include_control:
        before = shared["new_error_before_retraining"]
        for i, fraction in enumerate(fractions):
            fast, control = raw["conditions"][2 * i], raw["conditions"][2 * i + 1]
            fast_change = fast["after_decay_new"] - before
            control_change = control["after_decay_new"] - before
            fast_old = fast["retrained"][:, -1], fast["unretrained"][:, -1]
            control_old = control["retrained"][:, -1], control["unretrained"][:, -1]
            partial = retrained_count(fraction, settings.associations) < settings.associations
            comparison.append(
                ControlComparison(
                    retrain_fraction=float(fraction),
                    new_error_change_fast=seed_estimate(fast_change),
                    new_error_change_control=seed_estimate(control_change),
                    control_minus_fast=seed_estimate(control_change - fast_change),
                    retrained_error_control_minus_fast=seed_estimate(control_old[0] - fast_old[0]),
                    unretrained_error_control_minus_fast=(
                        seed_estimate(control_old[1] - fast_old[1]) if partial else None
                    ),
                )
            )
    blurred = (
        BlurredNetworks.from_shared(shared, settings.layout, settings.associations)
        if capture_blurred
        else None
    )
    return DeblurConditionsResult(
        conditions=tuple(summaries),
        control_comparison=tuple(comparison),
        seeds=int(shared["old_error_after_training"].shape[0]),
        seed=seed,
        parameters=_parameters(settings, user),
        blurred=blurred,
    )
