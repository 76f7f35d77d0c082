"""The typed results of the Sec. 4 experiment (:func:`simulation.run_deblur`,
:func:`simulation.run_deblur_conditions`).

Every number is a mean over the S seeds with its 95 % Student-t interval (an
:class:`~simulation.estimate.Estimate`; bounds NaN for one seed), a Wilson proportion of
seeds, or a delta-method t ratio of means; ``None`` where the quantity does not exist (no
unretrained associations at F = 1, a zero mean denominator). Fields are in the order of
the JSON keys of ``fastweights simulate deblur``; ``to_dict()`` is that JSON
(:mod:`simulation.results`). The keys are described in :mod:`simulation.deblur`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .estimate import Estimate
from .results import Result

__all__ = [
    "Blurring",
    "ControlComparison",
    "DeblurConditionsResult",
    "DeblurPerSeed",
    "DeblurResult",
    "Decay",
    "ErrorCurve",
    "OriginalLearning",
    "Retraining",
    "condition_key",
]

FloatArray = npt.NDArray[np.float64]
Estimates = tuple[Estimate, ...]
MaybeEstimates = tuple[Estimate | None, ...]


def condition_key(retrain_fraction: float, fast_weights: bool) -> tuple[str, bool]:
    """The key of a condition: its fraction written ``f"{F:g}"`` (``"0.1"``, the key of a
    compact row's ``fractions``) and whether it retrains with fast weights."""
    return f"{float(retrain_fraction):g}", bool(fast_weights)


@dataclass(frozen=True)
class ErrorCurve(Result):
    """A training curve at checkpoints: ``sweeps`` (1-based) and the mean error there."""

    sweeps: tuple[int, ...]
    error: Estimates


@dataclass(frozen=True)
class OriginalLearning(Result):
    """After the original learning (phase 1, ``sweeps`` sweeps)."""

    sweeps: int
    learned_fraction: Estimate
    learned_strict_fraction: Estimate
    old_error: Estimate
    old_wrong_output_fraction: Estimate
    old_max_abs_error: Estimate
    fast_weight_max_abs: Estimate
    fast_to_slow_rms_ratio: Estimate
    error_curve: ErrorCurve


@dataclass(frozen=True)
class Blurring(Result):
    """After learning the new associations (phase 2, ``sweeps`` sweeps)."""

    sweeps: int
    old_error_after_blurring: Estimate
    new_error_before_new_learning: Estimate
    new_error_after_new_learning: Estimate
    fast_weight_max_abs: Estimate
    fast_to_slow_rms_ratio: Estimate
    new_error_curve: ErrorCurve


@dataclass(frozen=True)
class Retraining(Result):
    """The weights after the last retraining sweep."""

    fast_weight_max_abs: Estimate
    fast_to_slow_rms_ratio: Estimate


@dataclass(frozen=True)
class Decay(Result):
    """The fast weights' decay: errors at the ``updates`` checkpoints and at the end."""

    INTERVALS = ("unretrained_error", "unretrained_error_after_decay")

    updates: tuple[int, ...]
    new_error: Estimates
    retrained_error: Estimates
    unretrained_error: MaybeEstimates
    decay_updates: int | None
    retrained_error_after_decay: Estimate
    unretrained_error_after_decay: Estimate | None


@dataclass(frozen=True)
class DeblurPerSeed(Result):
    """The per-seed numbers of one condition (S seeds, R retraining sweeps).

    Attributes:
        retrained_error, new_error: (S, R + 1), after each retraining sweep (0: before).
        unretrained_error: (S, R + 1); None when every old association is retrained.
        new_error_after_decay: (S,).
        first_order_retrained, first_order_unretrained: (S,), the first sweep's mean
            first-order rates (the latter None with no unretrained associations).
        old_max_abs_error_after_training, old_error_after_training,
        old_wrong_fraction_after_training, fast_to_slow_rms_after_training: (S,), after
            the original learning; old_learned_after_training: (S,) bool.
    """

    retrained_error: FloatArray
    unretrained_error: FloatArray | None
    new_error: FloatArray
    new_error_after_decay: FloatArray
    first_order_retrained: FloatArray
    first_order_unretrained: FloatArray | None
    old_max_abs_error_after_training: FloatArray
    old_error_after_training: FloatArray
    old_learned_after_training: npt.NDArray[np.bool_]
    old_wrong_fraction_after_training: FloatArray
    fast_to_slow_rms_after_training: FloatArray


@dataclass(frozen=True)
class DeblurResult(Result):
    """One condition of the Sec. 4 experiment over S seeds (R retraining sweeps):
    :func:`simulation.run_deblur`'s result, one of :func:`simulation.run_deblur_conditions`'.

    Per-sweep tuples: ``retrained_error``, ``unretrained_error``, ``new_error`` have R + 1
    entries (sweep 0 .. R); ``improvement_ratio``, ``retrained_improvement``,
    ``unretrained_improvement`` R (sweeps 1 .. R). ``per_seed`` (arrays, see
    :class:`DeblurPerSeed`) only when asked for.
    """

    INTERVALS = (
        "unretrained_error",
        "improvement_ratio",
        "predicted_improvement_ratio",
        "unretrained_improvement",
        "new_error_recovered_fraction",
    )
    OPTIONAL = ("per_seed",)

    sweeps: tuple[int, ...]
    retrained_error: Estimates
    unretrained_error: MaybeEstimates
    new_error: Estimates
    improvement_ratio: MaybeEstimates
    predicted_improvement_ratio: Estimate | None
    retrained_improvement: Estimates
    unretrained_improvement: MaybeEstimates
    new_error_before_retraining: Estimate
    new_error_after_retraining: Estimate
    new_error_after_decay: Estimate
    new_error_change_after_retraining: Estimate
    new_error_change_after_decay: Estimate
    new_error_recovered_fraction: Estimate | None
    old_error_before_retraining: Estimate
    original_learning: OriginalLearning
    blurring: Blurring
    retraining: Retraining
    decay: Decay
    retrain_fraction: float
    retrained_count: int
    unretrained_count: int
    fast_weights: bool
    seeds: int
    seed: int
    parameters: dict[str, Any]
    per_seed: DeblurPerSeed | None = None

    @property
    def key(self) -> tuple[str, bool]:
        """:func:`condition_key` of this condition."""
        return condition_key(self.retrain_fraction, self.fast_weights)


@dataclass(frozen=True)
class ControlComparison(Result):
    """At one fraction, the paired per-seed differences control - fast weights: the change
    of the new associations' error from before retraining to after the decay, and the old
    associations' errors after retraining (``unretrained_...`` None at F = 1)."""

    INTERVALS = ("unretrained_error_control_minus_fast",)

    retrain_fraction: float
    new_error_change_fast: Estimate
    new_error_change_control: Estimate
    control_minus_fast: Estimate
    retrained_error_control_minus_fast: Estimate
    unretrained_error_control_minus_fast: Estimate | None


@dataclass(frozen=True)
class DeblurConditionsResult(Result):
    """:func:`simulation.run_deblur_conditions`' result: its conditions (fast weights then
    the control, per fraction), the control comparisons, the seeds and the settings;
    ``blurred`` (:class:`~simulation.deblur_capture.BlurredNetworks`, not JSON) only
    when captured. :meth:`condition` finds a condition by its key."""

    OPTIONAL = ("blurred",)

    conditions: tuple[DeblurResult, ...]
    control_comparison: tuple[ControlComparison, ...]
    seeds: int
    seed: int
    parameters: dict[str, Any]
    blurred: Any = None

    def condition(self, retrain_fraction: float, fast_weights: bool = True) -> DeblurResult:
        """The condition at this fraction, with fast weights or the control (by
        :func:`condition_key`); KeyError when it was not run."""
        key = condition_key(retrain_fraction, fast_weights)
        for condition in self.conditions:
            if condition.key == key:
                return condition
        raise KeyError(f"no condition with fraction {key[0]}, fast weights {key[1]}")

    def has_condition(self, retrain_fraction: float, fast_weights: bool = True) -> bool:
        """Whether the condition was run."""
        key = condition_key(retrain_fraction, fast_weights)
        return any(condition.key == key for condition in self.conditions)
