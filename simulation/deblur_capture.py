"""The deblurring experiment's networks at the start of retraining (Sec. 4, issue 10).

Two things the experiment exposes about the blurred network, per seed:

* :func:`first_order_rates` — the first-order prediction of the first retraining sweep,
  measured on the network itself: the rate ``r_k = ∇A_k·∇E_S`` at which a step down the
  retrained set's summed training-error gradient ``∇E_S`` (the network's own
  :meth:`~simulation.fastslow.FastSlowNetwork.gradient`, the one retraining uses) lowers
  each old association's *measured* error ``A_k`` (Fig. 2's mean_j |y_j - t_j|, or
  mean_j (y_j - t_j)²). It is a forward-mode derivative: the step's tangent is pushed
  through the forward pass (Δz₁ = x̃ ΔW₁, Δh = h(1 - h) Δz₁, Δz₂ = Δh W₂ + h̃ ΔW₂,
  Δy = y(1 - y) Δz₂), so it shares no code with a backpropagated kernel. In batch mode
  the first sweep is one step ``-(ε_s + ε_f) ∇E_S`` (momentum reset), plus the fast
  weights' decay ``-h (w_f - ε_f ∇E_S)``; so ``mean_{k∉S} r_k / mean_{k∈S} r_k`` predicts
  the first sweep's improvement ratio up to that decay and the step's second-order terms.
  Per-case sweeps add momentum within the sweep (a weighted sum of per-case gradients),
  so there it is the prediction for an infinitesimal step along ∇E_S only.
* :class:`BlurredNetworks` — the effective weights ``w_s + w_f`` after the blurring, with
  each seed's old and new associations and retraining order
  (``run_deblur_conditions(..., capture_blurred=True)``), for evaluating theory on exactly
  the networks that were retrained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_choice
from .fastslow import Cases, FastSlowNetwork, NetworkLayout

__all__ = ["MEASURES", "BlurredNetworks", "first_order_rates", "retrained_count"]

FloatArray = npt.NDArray[np.float64]

MEASURES = ("absolute", "squared")


def retrained_count(fraction: float, associations: int) -> int:
    """M = round(F K) (halves up), at least 1: the number of old associations retrained.

    Example:
        >>> retrained_count(0.5, 100), retrained_count(0.001, 100)
        (50, 1)
    """
    return max(1, min(associations, math.floor(fraction * associations + 0.5)))


def _logistic(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def first_order_rates(
    net: FastSlowNetwork,
    retrained: Cases,
    inputs: npt.ArrayLike,
    targets: npt.ArrayLike,
    measure: str = "absolute",
    error_factor: float = 0.5,
    error_function: str = "squared",
) -> FloatArray:
    """``r_k = ∇A_k·∇E_S``, (S, K): each association's first-order improvement of its
    measured error per unit step down the retrained set's gradient, at the effective
    weights.

    ``retrained``: the retrained cases (S, M, ·) as the network trains on them;
    ``inputs`` (S, K, n) and ``targets`` (S, K, m): the associations whose rates are
    wanted; ``measure``: ``"absolute"`` (A_k = mean_j |y_kj - t_kj|) or ``"squared"``
    (mean_j (y_kj - t_kj)²); ``error_factor``, ``error_function``: the training error
    (:meth:`FastSlowNetwork.gradient`). The network is not changed. Float64 throughout
    (the network's float32 weights and gradient are widened).
    """
    check_choice("measure", measure, MEASURES)
    x = np.asarray(inputs, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    layout = net.layout
    s, k = x.shape[0], x.shape[1]
    if x.shape != (net.seeds, k, layout.n_input):
        raise ParameterError("inputs", f"an array of shape ({net.seeds}, K, n)", x.shape)
    if t.shape != (s, k, layout.n_output):
        raise ParameterError("targets", f"an array of shape ({s}, {k}, m)", t.shape)
    gradient, _ = net.gradient(retrained, error_factor, error_function)
    direction = gradient.astype(np.float64)  # ∇E_S (S, P); the buffer is reused later
    weights = net.effective_weights().astype(np.float64)
    w1, w2, b2 = layout.views(weights)  # (S, n+1, H), (S, H, m), (S, 1, m)
    d1, d2, db2 = layout.views(direction)
    x_tilde = np.concatenate([x, np.ones((s, k, 1))], axis=2)
    hidden = _logistic(x_tilde @ w1)
    outputs = _logistic(hidden @ w2 + b2)
    d_hidden = hidden * (1.0 - hidden) * (x_tilde @ d1)
    d_net = d_hidden @ w2 + hidden @ d2 + db2
    d_outputs = outputs * (1.0 - outputs) * d_net
    weight = np.sign(outputs - t) if measure == "absolute" else 2.0 * (outputs - t)
    rates: FloatArray = (weight * d_outputs).mean(axis=2)
    return rates


@dataclass(frozen=True)
class BlurredNetworks:
    """Per seed, the network at the start of retraining and its problem.

    Attributes:
        layout: n, H, m of every network.
        weights: (S, P) float64, the effective weights w_s + w_f after the blurring, laid
            out as :meth:`NetworkLayout.views` says.
        inputs: (S, K + K_new, n), the old associations first, then the new ones.
        targets: (S, K + K_new, m).
        order: (S, K), each seed's retraining order of the old associations (the first
            ``round(F K)`` are retrained at fraction F).
        associations: K, the number of old associations.
    """

    layout: NetworkLayout
    weights: FloatArray
    inputs: FloatArray
    targets: FloatArray
    order: npt.NDArray[np.intp]
    associations: int

    @classmethod
    def from_shared(cls, shared: dict[str, Any], layout: NetworkLayout, k: int) -> BlurredNetworks:
        """From a protocol run's per-seed arrays (``capture=True``)."""
        return cls(
            layout,
            np.asarray(shared["blurred_weights"], dtype=np.float64),
            np.asarray(shared["inputs"], dtype=np.float64),
            np.asarray(shared["targets"], dtype=np.float64),
            np.asarray(shared["order"], dtype=np.intp),
            k,
        )

    @property
    def seeds(self) -> int:
        return int(self.weights.shape[0])

    def retrained(self, fraction: float) -> npt.NDArray[np.bool_]:
        """(S, K) mask of the old associations retrained at fraction F."""
        count = retrained_count(fraction, self.associations)
        mask = np.zeros((self.seeds, self.associations), dtype=bool)
        np.put_along_axis(mask, self.order[:, :count], True, axis=1)
        return mask

    def matrices(self, seed: int) -> tuple[FloatArray, FloatArray]:
        """Seed ``seed``'s weights as (W1 (H, n + 1), W2 (m, H + 1)): one row per unit,
        its bias in the last column."""
        hidden, output, bias = self.layout.views(self.weights[seed : seed + 1])
        w1 = np.ascontiguousarray(hidden[0].T)
        w2 = np.ascontiguousarray(np.hstack([output[0].T, bias[0].T]))
        return w1, w2

    def old(self, seed: int) -> tuple[FloatArray, FloatArray]:
        """Seed ``seed``'s old inputs (K, n) and targets (K, m)."""
        k = self.associations
        return self.inputs[seed, :k], self.targets[seed, :k]

    def new_inputs(self, seed: int) -> FloatArray:
        """Seed ``seed``'s new (blurring) inputs (K_new, n)."""
        out: FloatArray = self.inputs[seed, self.associations :]
        return out
