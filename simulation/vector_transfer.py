"""Transfer for the user's own input vectors, measured on a real linear unit (issue 10, Sec. 5).

The inputs X (K, n) are fixed; every trial draws its own targets and blur. One trial:

1. **Targets and original learning.** A random teacher ``u ~ N(0, I_n)`` gives the targets
   ``d = X u`` (random ±1 targets cannot all be learned by a linear unit once K exceeds
   the rank of X, as with 40 patterns in 20 dimensions); the weights that solve every
   association are the minimum-norm least-squares solution ``w* = X⁺ d`` (``numpy.linalg.
   pinv``), so the residuals ``X w* - d`` are zero up to rounding (the largest is reported).
2. **Blur** (``blur``):

   * ``"noise"``: ``w = w* + g``, ``g_i ~ N(0, σ²)`` (Sec. 5; σ = ``noise_sd``);
   * ``"decay"``: ``w = (1 - h) w*`` (h = ``decay``, default 1/2); the residuals become
     ``-h X u``, the law of Gaussian noise of sd h (so theory with σ = h applies);
   * ``"learning"``: learn ``interference_associations`` (default 5, as in Sec. 4) new
     associations without rehearsal, ``interference_steps`` (default 400, as in Sec. 4)
     full-batch gradient-descent sweeps with ε = 1/λ_max of their inputs. Each new input
     component is drawn uniformly from the entries of X (a 0/1 file gives 0/1 patterns of
     the same density), targets from a fresh teacher ``X_new u'``. Not isotropic noise:
     the theory of ``noise`` does not claim to predict it.
3. **Retraining**: ``steps`` full-batch gradient steps ``Δw = -ε ∇E_S`` on the retrained
   rows S, measuring every association's error ``E_k = ½ (w·x_k - d_k)²`` on the network
   before and after each step.

Measured per trial: the first-order improvement rate of every association at the start
of retraining, ``-∇E_k·Δw`` per unit ε (the network's directional derivative), the drop
``E_k(0) - E_k(1)`` of the first real step, and the errors after each step, each averaged
over S and over the unretrained rows U. Reported: ``improvement_ratio`` (first order) and
``improvement_ratio_finite_step`` = mean over trials of the U average / mean over trials
of the S average (ratios of means, delta-method intervals), the per-step means (CLT
intervals), and the fraction of trials whose unretrained rows improve (Wilson).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from foundation.settings import Anything, Integer, Real, Settings, parameter
from foundation.vectors import check_input_matrix, retrained_mask

from . import _parameters as shared
from ._streaming import CHUNK_ELEMENTS, Block, block_trials_for, stream_moments
from ._validate import ParameterError
from .estimate import Estimate, StreamingMoments, proportion_estimate
from .linear import (
    DECAY,
    blur_by_learning,
    blur_with_decay,
    improvement_rates,
    retrain,
)
from .results import Result

__all__ = [
    "ErrorBand",
    "ExpectedErrors",
    "RetrainedAndUnretrained",
    "VectorTransferArguments",
    "VectorTransferFit",
    "VectorTransferParameters",
    "VectorTransferResult",
    "VectorTransferSettings",
    "check_simulate_vector_transfer_arguments",
    "noise_sd_range",
    "simulate_vector_transfer",
    "vector_transfer_memory",
]

FloatArray = npt.NDArray[np.float64]

#: Ratios streamed as (numerator, denominator) with their cross moments.
_RATIOS = [("rate_unretrained", "rate_retrained"), ("drop_unretrained", "drop_retrained")]


def _check_inputs(inputs: object) -> FloatArray:
    x = check_input_matrix(inputs)
    if float(np.abs(x).max()) > np.sqrt(np.finfo(np.float64).max / x.shape[1]):
        raise ParameterError("inputs", "entries small enough for finite dot products", "overflow")
    return x


@dataclass(frozen=True)
class _InputMatrix:
    """The kind of ``inputs``: a non-empty, finite (K, n) array (:func:`_check_inputs`)."""

    accepts: str = "a non-empty 2-D (K, n) array of finite numbers"

    def check(self, name: str, value: object) -> FloatArray:
        return _check_inputs(value)


def _largest_eigenvalue(x_r: FloatArray) -> float:
    with np.errstate(under="ignore"):
        small = x_r @ x_r.T if x_r.shape[0] <= x_r.shape[1] else x_r.T @ x_r
        return float(np.linalg.eigvalsh(small)[-1])


@dataclass(frozen=True, kw_only=True)
class VectorTransferSettings(Settings):
    """The parameters of :func:`simulate_vector_transfer`, declared once (checked in order).

    The same rules as ``theory.check_vector_transfer_arguments`` (retrained rows leave
    some unretrained and are not all zero; ε in (0, 2/λ_max) of the retrained inputs),
    plus trials >= 2, seed >= 0, the blur's own parameters. ``mask`` is the retrained rows.

    Examples:
        >>> from simulation import check_simulate_vector_transfer_arguments
        >>> s = check_simulate_vector_transfer_arguments(
        ...     inputs=[[1, 0], [1, 1], [0, 1]], retrained=[0], steps=2, epsilon=0.5, trials=500
        ... )
        >>> s.inputs.shape, s.mask, s.blur, s.trials
        ((3, 2), array([ True, False, False]), 'noise', 500)
    """

    inputs: FloatArray = parameter(kind=_InputMatrix(), help="X, one input vector per row")
    retrained: Sequence[int] = parameter(
        kind=Anything("distinct row indices, at least one row left out, not all zero rows"),
        help="the retrained rows S",
    )
    steps: int = parameter(kind=Integer(0), help="retraining steps T")
    epsilon: float = parameter(kind=Real(0.0), help="learning rate ε, in (0, 2/λ_max)")
    blur: str = shared.blur(
        "Gaussian weight noise of sd --noise-sd (default), learning 5 new random "
        "associations for 400 sweeps without rehearsal, or decay of the weights by --decay",
    )
    trials: int = shared.trials(10_000)
    seed: int = shared.seed()
    noise_sd: float = shared.noise_sd(Real(0.0))
    decay: float = parameter(
        0.5,
        DECAY,
        "with --blur decay: w <- (1 - H) w, H in (0, 1] (default 0.5; as noise of sd H)",
        metavar="H",
    )
    interference_associations: int = parameter(
        5, Integer(1), "new associations of blur learning", option=False
    )
    interference_steps: int = parameter(400, Integer(0), "sweeps of blur learning", option=False)
    chunk_size: int | None = shared.chunk_size()
    level: float = shared.level()
    mask: npt.NDArray[np.bool_] = field(init=False, repr=False, compare=False)

    def check_after(self, name: str) -> None:
        """The retrained rows as ``mask`` (not all zero); ε below 2/λ_max of those rows."""
        if name == "retrained":
            mask = retrained_mask(self.retrained, self.inputs.shape[0])
            if not np.any(self.inputs[mask]):
                raise ParameterError(
                    "retrained",
                    "rows with at least one nonzero input (else nothing is retrained)",
                    "0",
                )
            object.__setattr__(self, "mask", mask)
        elif name == "epsilon":
            self._check_stable()
        elif name == "noise_sd" and self.blur == "noise":
            self._check_noise_scale()

    def _check_noise_scale(self) -> None:
        """σ whose squared errors and rates, and their cross moments summed over the
        trials, are finite, nonzero float64 numbers (:func:`noise_sd_range`)."""
        low, high = noise_sd_range(self.inputs, self.mask, self.trials)
        if not low <= self.noise_sd <= high:
            raise ParameterError(
                "noise_sd",
                f"a number in [{low:.3g}, {high:.3g}] (with these inputs and trials: the "
                "squared errors' cross moments, summed over the trials, must be finite, "
                "nonzero float64 numbers)",
                self.noise_sd,
            )

    def _check_stable(self) -> None:
        lam = _largest_eigenvalue(self.inputs[self.mask])
        if lam <= 0.0:
            raise ParameterError("retrained", "rows whose dot products do not underflow to 0", lam)
        if self.epsilon * lam >= 2.0:
            raise ParameterError(
                "epsilon",
                f"a stable step in (0, 2/lambda_max) = (0, {2.0 / lam:.6g}) (lambda_max of the "
                f"retrained inputs' A = {lam:.6g})",
                self.epsilon,
            )


def noise_sd_range(
    inputs: FloatArray, mask: npt.NDArray[np.bool_], trials: int
) -> tuple[float, float]:
    """The noise sd σ the simulation's float64 arithmetic can carry: (lowest, highest).

    A trial's errors and rates are σ² times ``(g·x_k)²`` and ``(g·x_k)(g·A x_k)`` with
    ``g`` standard normal in n dimensions: at most σ² ``G R``, with ``R`` the largest of
    ``|x_k|²`` and ``|x_k| |A x_k|`` and ``G`` = n + 12 √n + 72 (a bound on ``|g|²`` that
    a chi-square exceeds with probability below e^-30). The estimates sum products of two
    such numbers over the trials: ``trials (σ² G R)²`` must stay below float64's largest
    number / 16; and ``(σ² r)²``, r the retrained rows' mean first-order rate, above its
    smallest normal number, else every product underflows to 0.
    """
    with np.errstate(over="ignore", under="ignore"):
        x_r = inputs[mask]
        a_x = (inputs @ x_r.T) @ x_r  # rows A x_k
        norms = np.sqrt((inputs * inputs).sum(axis=1))
        rates = (a_x * inputs).sum(axis=1)
        spans = norms * np.sqrt((a_x * a_x).sum(axis=1))
        largest = float(max((norms * norms).max(), spans.max()))
        smallest = float(rates[mask].mean())
    if not math.isfinite(largest) or smallest <= 0.0:
        raise ParameterError("inputs", "entries small enough for finite dot products", "overflow")
    n = inputs.shape[1]
    info = np.finfo(np.float64)
    spread = n + 12.0 * math.sqrt(n) + 72.0
    high = math.sqrt(math.sqrt(float(info.max) / 16.0 / trials) / (spread * largest))
    low = math.sqrt(math.sqrt(float(info.tiny)) / smallest)
    return low, high


VectorTransferArguments = VectorTransferSettings
"""The former name of :class:`VectorTransferSettings` (the validated arguments)."""


def check_simulate_vector_transfer_arguments(**arguments: Any) -> VectorTransferSettings:
    """Every argument check of :func:`simulate_vector_transfer` (its parameters but
    ``progress``), simulating nothing: the checked :class:`VectorTransferSettings`.

    Raises :class:`ParameterError` with the message :func:`simulate_vector_transfer` gives.

    Examples:
        The same rule as the theory: epsilon must be a stable step, below 2/lambda_max = 2 here:

        >>> from simulation import check_simulate_vector_transfer_arguments
        >>> given = {"inputs": [[1, 0], [1, 1]], "retrained": [0], "steps": 2}
        >>> check_simulate_vector_transfer_arguments(**given, epsilon=1.5).epsilon
        1.5
        >>> check_simulate_vector_transfer_arguments(**given, epsilon=2.5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: epsilon: expected ... got 2.5
    """
    return VectorTransferSettings(**arguments)


def _elements_per_trial(k: int, n: int, steps: int, blur: str, k_new: int) -> int:
    """Numbers held per trial at once: errors (T+2)K, weights and gradients, new inputs."""
    return (max(steps, 1) + 3) * k + 4 * n + (k_new * (n + 2) if blur == "learning" else 0)


def vector_transfer_memory(
    k: int,
    n: int,
    steps: int,
    trials: int,
    chunk_size: int | None = None,
    blur: str = "noise",
    interference_associations: int = 5,
) -> int:
    """Estimated peak bytes of :func:`simulate_vector_transfer` (float64, with headroom).

    X and its pseudo-inverse (2 K n), plus one chunk of trials (``chunk_size``, or the
    automatic chunk) times the numbers a trial holds, times 4 for numpy temporaries.

    Examples:
        >>> from simulation import vector_transfer_memory
        >>> vector_transfer_memory(k=3, n=2, steps=2, trials=100_000)
        73600096
        >>> vector_transfer_memory(k=3, n=2, steps=2, trials=100_000, chunk_size=1000)
        3014752
    """
    per_trial = _elements_per_trial(k, n, steps, blur, interference_associations)
    block = block_trials_for(per_trial)
    auto = max(block, CHUNK_ELEMENTS // max(1, per_trial))
    chunk = min(trials, max(block, chunk_size) if chunk_size is not None else auto)
    return 8 * (2 * k * n + 4 * chunk * per_trial)


def _new_inputs(rng: np.random.Generator, x: FloatArray, size: int, k_new: int) -> FloatArray:
    """New input vectors whose components are drawn uniformly from the entries of X."""
    flat = x.reshape(-1)
    return flat[rng.integers(0, flat.size, size=(size, k_new, x.shape[1]))]


@dataclass(frozen=True)
class RetrainedAndUnretrained(Result):
    """A mean over the retrained rows and one over the unretrained rows, each averaged
    over trials."""

    retrained: Estimate
    unretrained: Estimate


@dataclass(frozen=True)
class ErrorBand(Result):
    """Mean errors after steps 0..T with their CLT intervals (each T + 1 values)."""

    estimate: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]


@dataclass(frozen=True)
class ExpectedErrors(Result):
    """The steps 0..T and the retrained and unretrained rows' mean error after each."""

    steps: tuple[int, ...]
    retrained: ErrorBand
    unretrained: ErrorBand


@dataclass(frozen=True)
class VectorTransferFit(Result):
    """The original learning: the largest |residual| of the solved weights w*."""

    largest_residual: float


@dataclass(frozen=True)
class VectorTransferParameters(Result):
    """The parameters a :func:`simulate_vector_transfer` run used (``retrained``: the row
    indices, ascending)."""

    rows: int
    columns: int
    retrained: tuple[int, ...]
    steps: int
    epsilon: float
    blur: str
    noise_sd: float
    decay: float
    interference_associations: int
    interference_steps: int
    level: float


@dataclass(frozen=True)
class VectorTransferResult(Result):
    """:func:`simulate_vector_transfer`'s result (see there)."""

    improvement_ratio: Estimate
    improvement_ratio_finite_step: Estimate
    mean_first_order_rate: RetrainedAndUnretrained
    mean_first_step_improvement: RetrainedAndUnretrained
    expected_errors: ExpectedErrors
    positive_transfer_probability: Estimate
    original_learning: VectorTransferFit
    trials: int
    seed: int
    parameters: VectorTransferParameters


def simulate_vector_transfer(
    inputs: npt.ArrayLike,
    retrained: Sequence[int] | npt.ArrayLike,
    steps: int,
    epsilon: float,
    blur: str = "noise",
    trials: int = 10_000,
    seed: int = 0,
    noise_sd: float = 1.0,
    decay: float = 0.5,
    interference_associations: int = 5,
    interference_steps: int = 400,
    chunk_size: int | None = None,
    progress: bool = False,
    level: float = 0.95,
) -> VectorTransferResult:
    """Measure transfer when retraining rows ``retrained`` of ``inputs`` on a linear unit.

    Args:
        inputs: X, (K, n), one input vector per row; retrained: S, distinct row indices
            leaving at least one out; steps: T >= 0; epsilon: ε in (0, 2/λ_max);
        blur: ``"noise"`` (σ = ``noise_sd``), ``"decay"`` (h = ``decay``) or
            ``"learning"`` (``interference_associations`` new ones,
            ``interference_steps`` sweeps); trials, seed, chunk_size, progress, level:
            as in every simulator (chunk_size never changes the result).

    Returns:
        A :class:`VectorTransferResult`: ``improvement_ratio``,
        ``improvement_ratio_finite_step``, ``mean_first_order_rate`` and
        ``mean_first_step_improvement`` (``retrained``, ``unretrained``),
        ``positive_transfer_probability`` — each an :class:`~simulation.estimate.Estimate`
        at ``level``; ``expected_errors`` (``steps`` 0..T, ``retrained`` and
        ``unretrained``: :class:`ErrorBand` s of T + 1 means with their intervals);
        ``original_learning`` (largest |residual| of w*); ``trials``, ``seed``,
        ``parameters``. ``to_dict()`` is the JSON of ``fastweights simulate transfer``
        without its first key, ``inputs`` (the file, which the command describes).

    Examples:
        >>> import numpy as np
        >>> x = np.eye(3) + 0.5
        >>> r = simulate_vector_transfer(x, [0], steps=2, epsilon=0.3, trials=500, seed=1)
        >>> round(r.improvement_ratio.estimate, 3), r.expected_errors.steps
        (0.4, (0, 1, 2))
        >>> len(r.expected_errors.unretrained.estimate), r.to_dict()["expected_errors"]["steps"]
        (3, [0, 1, 2])
    """
    args = check_simulate_vector_transfer_arguments(
        inputs=inputs, retrained=retrained, steps=steps, epsilon=epsilon, blur=blur,
        trials=trials, seed=seed, noise_sd=noise_sd, decay=decay,
        interference_associations=interference_associations,
        interference_steps=interference_steps, chunk_size=chunk_size, level=level,
    )  # fmt: skip
    x, mask = args.inputs, args.mask
    k, n = x.shape
    run_steps = max(args.steps, 1)
    pseudo_inverse_t = np.linalg.pinv(x).T  # (K, n): w* = d X⁺ᵀ
    positive = [0]
    worst_residual = [0.0]

    def simulate_block(block: Block) -> dict[str, FloatArray]:
        rng, size = block.rng, block.size
        targets = rng.standard_normal((size, n)) @ x.T  # d = X u, (size, K)
        solved = targets @ pseudo_inverse_t  # w*, (size, n)
        worst_residual[0] = max(worst_residual[0], float(np.abs(solved @ x.T - targets).max()))
        if args.blur == "noise":
            blurred = solved + args.noise_sd * rng.standard_normal((size, n))
        elif args.blur == "decay":
            blurred = blur_with_decay(solved, args.decay)[:, 0]
        else:
            new_x = _new_inputs(rng, x, size, args.interference_associations)
            new_d = np.einsum("tkn,tn->tk", new_x, rng.standard_normal((size, n)))[..., None]
            blurred = blur_by_learning(solved, new_x, new_d, args.interference_steps)[:, 0]
        d = targets[..., None]  # (size, K, 1)
        rates = improvement_rates(blurred, x[None], d, mask)  # -∇E_k·Δw per unit ε, (size, K)
        errors = retrain(blurred, x[None], d, mask, run_steps, "gradient", args.epsilon).errors
        drop = errors[:, 0] - errors[:, 1]
        positive[0] += int(np.count_nonzero(rates[:, ~mask].sum(axis=1) > 0.0))
        return {
            "rate_retrained": rates[:, mask].mean(axis=1),
            "rate_unretrained": rates[:, ~mask].mean(axis=1),
            "drop_retrained": drop[:, mask].mean(axis=1),
            "drop_unretrained": drop[:, ~mask].mean(axis=1),
            "errors_retrained": errors[:, : args.steps + 1, mask].mean(axis=2),
            "errors_unretrained": errors[:, : args.steps + 1, ~mask].mean(axis=2),
        }

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        parts = [simulate_block(block) for block in blocks]
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}

    per_trial = _elements_per_trial(k, n, args.steps, args.blur, args.interference_associations)
    moments = stream_moments(
        args.seed, args.trials, per_trial, simulate, cross=_RATIOS, chunk_size=args.chunk_size,
        progress=progress, desc="simulate transfer",
    )  # fmt: skip
    return _result(moments, args, positive[0], worst_residual[0])


def _errors(moments: StreamingMoments, name: str, level: float) -> ErrorBand:
    estimate, low, high = moments.mean_arrays(name, level)
    return ErrorBand(tuple(estimate.tolist()), tuple(low.tolist()), tuple(high.tolist()))


def _result(
    moments: StreamingMoments, args: VectorTransferArguments, positive: int, residual: float
) -> VectorTransferResult:
    level = args.level

    def both(prefix: str) -> RetrainedAndUnretrained:
        return RetrainedAndUnretrained(
            *(moments.mean(f"{prefix}_{side}", level) for side in ("retrained", "unretrained"))
        )

    return VectorTransferResult(
        improvement_ratio=moments.ratio(*_RATIOS[0], level),
        improvement_ratio_finite_step=moments.ratio(*_RATIOS[1], level),
        mean_first_order_rate=both("rate"),
        mean_first_step_improvement=both("drop"),
        expected_errors=ExpectedErrors(
            steps=tuple(range(args.steps + 1)),
            retrained=_errors(moments, "errors_retrained", level),
            unretrained=_errors(moments, "errors_unretrained", level),
        ),
        positive_transfer_probability=proportion_estimate(positive, args.trials, level),
        original_learning=VectorTransferFit(largest_residual=residual),
        trials=args.trials,
        seed=args.seed,
        parameters=VectorTransferParameters(
            rows=int(args.inputs.shape[0]),
            columns=int(args.inputs.shape[1]),
            retrained=tuple(np.flatnonzero(args.mask).tolist()),
            steps=args.steps,
            epsilon=args.epsilon,
            blur=args.blur,
            noise_sd=args.noise_sd,
            decay=args.decay,
            interference_associations=args.interference_associations,
            interference_steps=args.interference_steps,
            level=level,
        ),
    )
