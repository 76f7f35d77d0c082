"""Linear networks with no hidden units (Hinton & Plaut 1987, Sec. 4.1 and 5).

Shapes, for T independent networks (trials), K associations, O output units, n inputs:

* inputs ``X``: (T, K, n) — row k is the input vector x_k of association k;
* weights ``W``: (T, O, n) — one weight vector per output unit (footnote 1: the output
  units of a network with no hidden units are independent networks). A (T, n) array is
  read as O = 1;
* targets ``d`` and residuals ``r = y - d``: (T, K, O).

Error of association k: ``E_k = ½ Σ_o (y_ko - d_ko)²``; of a set S: ``E_S = Σ_{k∈S} E_k``;
its gradient ``∇E_S = Σ_{k∈S} r_k ⊗ x_k`` (shape (O, n)). Everything here is measured on
the network — outputs, residuals, gradients, directional derivatives — never taken from a
formula for the expected transfer.

Original learning: :func:`teacher_targets` (perfect by construction: the weights *are* a
teacher's) or :func:`train_by_gradient_descent` (full-batch, from zero, to a tolerance).
Blurring: :func:`blur_with_noise`, :func:`blur_by_learning`, :func:`blur_with_decay`.
Retraining: :func:`retrain` (t steps of full-batch gradient descent on a subset, step
``ε ∇E`` with momentum α, or a fixed length along steepest descent);
:func:`improvement_rates` and :func:`set_improvement_rates` (first-order rates, step → 0).

Examples:
    One network (T = 1) that learned w* = (1, 2) perfectly, blurred by halving its weights,
    then x_0 retrained: the first-order rate of x_1 (unretrained) is three times x_0's:

    >>> import numpy as np
    >>> from simulation import linear
    >>> x = np.array([[[1.0, 0.0], [1.0, 1.0]]])  # (T, K, n)
    >>> d = linear.teacher_targets([[1.0, 2.0]], x)
    >>> w = linear.blur_with_decay([[1.0, 2.0]], decay=0.5)  # w = (0.5, 1)
    >>> linear.association_errors(w, x, d)  # E_k = ½ (x_k.(w - w*))^2
    array([[0.125, 1.125]])
    >>> linear.improvement_rates(w, x, d, retrained=[True, False])
    array([[0.25, 0.75]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from foundation.settings import Real

from ._validate import (
    ParameterError,
    check_choice,
    check_count,
    check_positive,
    check_real,
    check_scale,
)

__all__ = [
    "BLUR_MODES",
    "DECAY",
    "STEP_RULES",
    "RetrainingResult",
    "TrainingResult",
    "as_weights",
    "association_errors",
    "blur_by_learning",
    "blur_with_decay",
    "blur_with_noise",
    "check_decay",
    "gradients_from_residuals",
    "improvement_rates",
    "largest_eigenvalue",
    "network_outputs",
    "residuals",
    "retrain",
    "retraining_direction",
    "set_gradients",
    "set_improvement_rates",
    "teacher_targets",
    "train_by_gradient_descent",
    "two_set_improvement_rates",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Step rules for retraining: ``"gradient"`` (Δw = -ε ∇E, optional momentum α) and
#: ``"unit"`` (Δw of fixed length η along steepest descent, -∇E / |∇E|).
STEP_RULES = ("gradient", "unit")
#: Kinds of blurring: Gaussian weight noise (Sec. 5), learning new associations without
#: rehearsal (Sec. 4), decay of the weights towards zero.
BLUR_MODES = ("noise", "learning", "decay")


def as_weights(weights: npt.ArrayLike) -> FloatArray:
    """Weights as (T, O, n): a (T, n) array is one output unit per network."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 2:
        return w[:, None, :]
    if w.ndim != 3:
        raise ParameterError("weights", "an array of shape (T, n) or (T, O, n)", w.shape)
    return w


def network_outputs(weights: npt.ArrayLike, inputs: FloatArray) -> FloatArray:
    """Outputs y_ko = w_o · x_k, shape (T, K, O)."""
    y: FloatArray = np.matmul(inputs, np.swapaxes(as_weights(weights), 1, 2))
    return y


def teacher_targets(teacher: npt.ArrayLike, inputs: FloatArray) -> FloatArray:
    """Targets d = outputs of a teacher network (T, O, n): learnable by construction, and a
    network whose weights equal the teacher's has learned them perfectly."""
    return network_outputs(teacher, inputs)


def residuals(weights: npt.ArrayLike, inputs: FloatArray, targets: FloatArray) -> FloatArray:
    """r = y - d = ∂E_k/∂y_k, shape (T, K, O)."""
    return network_outputs(weights, inputs) - targets


def association_errors(
    weights: npt.ArrayLike, inputs: FloatArray, targets: FloatArray
) -> FloatArray:
    """E_k = ½ Σ_o r_ko², shape (T, K)."""
    r = residuals(weights, inputs, targets)
    errors: FloatArray = 0.5 * np.einsum("tko,tko->tk", r, r)
    return errors


def _masks(masks: npt.ArrayLike, k: int) -> BoolArray:
    m = np.asarray(masks, dtype=bool)
    if m.ndim == 1:
        m = m[None, :]
    if m.ndim != 2 or m.shape[1] != k:
        raise ParameterError("masks", f"boolean masks of shape (S, K) with K = {k}", m.shape)
    return m


def gradients_from_residuals(r: FloatArray, inputs: FloatArray, masks: npt.ArrayLike) -> FloatArray:
    """∇E_S = Σ_{k∈S} r_k ⊗ x_k for each mask S, shape (T, S, O, n), in one pass over X."""
    t, k, o = r.shape
    m = _masks(masks, k)
    weighted = r[:, :, None, :] * m.T[None, :, :, None]  # (T, K, S, O)
    g = np.matmul(np.swapaxes(inputs, 1, 2), weighted.reshape(t, k, -1))  # (T, n, S*O)
    return np.moveaxis(g.reshape(t, -1, m.shape[0], o), 1, 3)


def set_gradients(
    weights: npt.ArrayLike, inputs: FloatArray, targets: FloatArray, masks: npt.ArrayLike
) -> FloatArray:
    """Gradients ∇E_S of the summed error of each set S (masks (S, K) or (K,)), (T, S, O, n)."""
    return gradients_from_residuals(residuals(weights, inputs, targets), inputs, masks)


def retraining_direction(gradient: FloatArray, step_rule: str = "gradient") -> FloatArray:
    """The weight change per unit step, (T, O, n): -∇E (``"gradient"``, per unit ε) or
    -∇E / |∇E| (``"unit"``, per unit length; |·| over all O x n weights; 0 where ∇E = 0)."""
    check_choice("step_rule", step_rule, STEP_RULES)
    if step_rule == "gradient":
        return -gradient
    norm = np.sqrt(np.einsum("ton,ton->t", gradient, gradient))[:, None, None]
    unit: FloatArray = np.divide(gradient, norm, out=np.zeros_like(gradient), where=norm > 0)
    return -unit


def improvement_rates(
    weights: npt.ArrayLike,
    inputs: FloatArray,
    targets: FloatArray,
    retrained: npt.ArrayLike,
    step_rule: str = "gradient",
) -> FloatArray:
    """First-order improvement rate of every association, (T, K), at the start of retraining
    on the set ``retrained`` (mask (K,)): -dE_k/ds = -∇E_k · Δw for the retraining
    direction Δw (:func:`retraining_direction`) — "very small weight changes" (Sec. 5)."""
    w = as_weights(weights)
    r = residuals(w, inputs, targets)
    gradient = gradients_from_residuals(r, inputs, retrained)[:, 0]
    direction = retraining_direction(gradient, step_rule)
    rates: FloatArray = -np.einsum("tko,tko->tk", r, network_outputs(direction, inputs))
    return rates


def set_improvement_rates(
    weights: npt.ArrayLike,
    inputs: FloatArray,
    targets: FloatArray,
    retrained: npt.ArrayLike,
    measured: npt.ArrayLike,
    step_rule: str = "gradient",
) -> FloatArray:
    """First-order improvement rate of the summed error of each measured set (masks (S, K)),
    (T, S): -∇E_S · Δw; equals the sum of :func:`improvement_rates` over S, in one pass."""
    k = np.shape(inputs)[1]
    masks = np.vstack([_masks(retrained, k), _masks(measured, k)])
    grads = set_gradients(weights, inputs, targets, masks)
    direction = retraining_direction(grads[:, 0], step_rule)
    rates: FloatArray = -np.einsum("tson,ton->ts", grads[:, 1:], direction)
    return rates


def two_set_improvement_rates(
    inputs_cm: npt.NDArray[np.float32],
    weight_error: FloatArray,
    retrained: int,
    step_rule: str = "gradient",
) -> tuple[FloatArray, FloatArray]:
    """First-order improvement rates of the retrained set R = associations [0, M) and of the
    unretrained set U = [M, K), for the retraining direction Δw of R (the fast kernel of
    :func:`simulation.retrain.simulate_retrain`).

    ``inputs_cm``: X component-major, ``inputs_cm[i, t, k]`` = x_ki of trial t, shape
    (n, T, K), float32 (0/±1 inputs are exact in float32); ``weight_error``: w - w*, the
    network's weights minus the weights that produce the targets, (T, O, n). Residuals
    r_k = y_k - d_k = x_k · (w - w*) (the same number for a linear unit, computed without
    cancelling y against d); ∇E_S = Σ_{k∈S} r_k ⊗ x_k; returns (-∇E_R·Δw, -∇E_U·Δw), each
    (T,), float64. The products use float32 einsum (single-threaded, one pass over X each;
    relative rounding ~1e-6, far below any statistical error here).
    """
    m = check_count("retrained", retrained)
    e32 = np.asarray(weight_error, dtype=np.float32)
    r = np.einsum("itk,toi->tok", inputs_cm, e32)  # (T, O, K)
    grad_r = np.einsum("itk,tok->toi", inputs_cm[:, :, :m], r[:, :, :m]).astype(np.float64)
    grad_u = np.einsum("itk,tok->toi", inputs_cm[:, :, m:], r[:, :, m:]).astype(np.float64)
    direction = retraining_direction(grad_r, step_rule)
    rate_r: FloatArray = -np.einsum("ton,ton->t", grad_r, direction)
    rate_u: FloatArray = -np.einsum("ton,ton->t", grad_u, direction)
    return rate_r, rate_u


def largest_eigenvalue(inputs: FloatArray) -> FloatArray:
    """λ_max(XᵀX) per trial, shape (T,), from the smaller of the two Gram matrices."""
    _, k, n = inputs.shape
    gram = inputs @ np.swapaxes(inputs, 1, 2) if k <= n else np.swapaxes(inputs, 1, 2) @ inputs
    return np.asarray(np.linalg.eigvalsh(gram)[:, -1], dtype=np.float64)


def _default_epsilon(inputs: FloatArray) -> FloatArray:
    """ε = 1 / λ_max(XᵀX) per trial (stable, with or without momentum), shape (T, 1, 1)."""
    lam = largest_eigenvalue(inputs)
    return np.divide(1.0, lam, out=np.ones_like(lam), where=lam > 0)[:, None, None]


def _epsilon(epsilon: float | None, inputs: FloatArray) -> FloatArray | float:
    if epsilon is None:
        return _default_epsilon(inputs)
    return check_positive("epsilon", epsilon)


def _momentum(momentum: float) -> float:
    alpha = check_real("momentum", momentum, "a number in [0, 1)")
    if not 0.0 <= alpha < 1.0:
        raise ParameterError("momentum", "a number in [0, 1)", momentum)
    return alpha


@dataclass(frozen=True)
class TrainingResult:
    """Weights (T, O, n) after training; the remaining total error E = Σ_k E_k per trial
    (T,); the steps each trial took (T,); whether each trial reached the tolerance (T,)."""

    weights: FloatArray
    error: FloatArray
    steps: npt.NDArray[np.int64]
    converged: BoolArray


def train_by_gradient_descent(
    inputs: FloatArray,
    targets: FloatArray,
    tolerance: float = 1e-12,
    max_steps: int = 100_000,
    epsilon: float | None = None,
    momentum: float = 0.0,
    initial_weights: npt.ArrayLike | None = None,
) -> TrainingResult:
    """Full-batch gradient descent on all K associations, from zero weights (or
    ``initial_weights``): Δw(t) = -ε ∇E + α Δw(t-1), default ε = 1/λ_max(XᵀX) per trial.

    Each trial stops at its first step with total error E ≤ ``tolerance`` (so a trial's
    result does not depend on the other trials in the batch), all at ``max_steps``.
    Targets should be learnable (e.g. :func:`teacher_targets`) for E to reach 0.
    """
    tol = check_positive("tolerance", tolerance, allow_zero=True)
    steps = check_count("max_steps", max_steps, minimum=0)
    alpha = _momentum(momentum)
    eps = _epsilon(epsilon, inputs)
    k = inputs.shape[1]
    t, o = targets.shape[0], targets.shape[-1]
    if initial_weights is None:
        w = np.zeros((t, o, inputs.shape[2]))
    else:
        w = as_weights(initial_weights).copy()
    velocity = np.zeros_like(w)
    everyone = np.ones(k, dtype=bool)
    taken = 0
    per_trial = np.zeros(t, dtype=np.int64)
    while True:
        r = residuals(w, inputs, targets)
        error = 0.5 * np.einsum("tko,tko->t", r, r)
        active = error > tol
        if taken >= steps or not np.any(active):
            break
        per_trial += active
        change = -eps * gradients_from_residuals(r, inputs, everyone)[:, 0]
        if alpha:
            change += alpha * velocity
        change *= active[:, None, None]
        w += change
        velocity = change
        taken += 1
    return TrainingResult(w, error, per_trial, error <= tol)


def blur_with_noise(
    rng: np.random.Generator, weights: npt.ArrayLike, noise_sd: float = 1.0
) -> FloatArray:
    """Add independent Gaussian noise g_i ~ N(0, σ²) to every weight (Sec. 5)."""
    sd = check_scale("noise_sd", noise_sd)
    w = as_weights(weights)
    return w + sd * rng.standard_normal(w.shape)


DECAY = Real(0.0, 1.0)
"""The decay h of :func:`blur_with_decay`: a number in (0, 1]."""


def check_decay(decay: object) -> float:
    """The decay h of :func:`blur_with_decay`: a number in (0, 1]."""
    return DECAY.check("decay", decay)


def blur_with_decay(weights: npt.ArrayLike, decay: float = 0.5) -> FloatArray:
    """Shrink every weight towards zero: w ← (1 - decay) w, decay in (0, 1]."""
    h = check_decay(decay)
    return (1.0 - h) * as_weights(weights)


def blur_by_learning(
    weights: npt.ArrayLike,
    new_inputs: FloatArray,
    new_targets: FloatArray,
    steps: int = 400,
    epsilon: float | None = None,
    momentum: float = 0.0,
) -> FloatArray:
    """Learn new associations (inputs (T, K', n), targets (T, K', O)) without rehearsal of
    the old ones: ``steps`` full-batch gradient-descent sweeps on the new set only (Sec. 4:
    5 new random associations, 400 sweeps). Default ε = 1/λ_max of the new inputs."""
    n_steps = check_count("interference_steps", steps, minimum=0)
    return train_by_gradient_descent(
        new_inputs,
        new_targets,
        tolerance=0.0,
        max_steps=n_steps,
        epsilon=epsilon,
        momentum=momentum,
        initial_weights=weights,
    ).weights


@dataclass(frozen=True)
class RetrainingResult:
    """Weights after retraining (T, O, n) and the error of every association before and
    after each step, ``errors[:, s, k]`` = E_k after s steps, shape (T, steps + 1, K)."""

    weights: FloatArray
    errors: FloatArray


def retrain(
    weights: npt.ArrayLike,
    inputs: FloatArray,
    targets: FloatArray,
    retrained: npt.ArrayLike,
    steps: int,
    step_rule: str = "gradient",
    epsilon: float = 0.01,
    momentum: float = 0.0,
    record_errors: bool = True,
) -> RetrainingResult:
    """Retrain on the subset ``retrained`` (mask (K,)) by full-batch gradient descent.

    ``"gradient"``: Δw(t) = -ε ∇E_R + α Δw(t-1) (Sec. 3's ε and α);
    ``"unit"``: Δw = -ε ∇E_R / |∇E_R|, a step of fixed length ε (momentum must be 0).
    Without ``record_errors`` only the final errors are kept (``errors`` has one step):
    memory then does not grow with ``steps``, and the weights are the same.
    """
    n_steps = check_count("steps", steps, minimum=0)
    rule = check_choice("step_rule", step_rule, STEP_RULES)
    eps = check_positive("epsilon", epsilon)
    alpha = _momentum(momentum)
    if rule == "unit" and alpha:
        raise ParameterError("momentum", "0 with the unit step rule", momentum)
    w = as_weights(weights).copy()
    t, k = w.shape[0], inputs.shape[1]
    errors = np.empty((t, n_steps + 1 if record_errors else 1, k))
    velocity = np.zeros_like(w)
    for s in range(n_steps + 1):
        r = residuals(w, inputs, targets)
        if record_errors or s == n_steps:
            errors[:, s if record_errors else 0] = 0.5 * np.einsum("tko,tko->tk", r, r)
        if s == n_steps:
            break
        grad = gradients_from_residuals(r, inputs, retrained)[:, 0]
        change = eps * retraining_direction(grad, rule)
        if alpha:
            change += alpha * velocity
        w += change
        velocity = change
    return RetrainingResult(w, errors)
