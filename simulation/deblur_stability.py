"""Why fast weights cannot be much faster than slow ones in the Sec. 4 set-up.

Full-batch descent with slow and fast weights is stable along a direction of the error
surface with curvature λ only while λ stays below a limit set by ε_s, α_s, ε_f, α_f and h:

* :func:`stability_limit` — the largest λ at which the linearized update
  (state ``(w_s, Δ_s, w_f, Δ_f)`` along one eigen-direction of the Hessian) has spectral
  radius below 1. Without fast weights it is ``2 (1 + α_s) / ε_s`` (heavy-ball momentum).
* :func:`largest_curvature` — the largest eigenvalue of the Hessian of E at the networks'
  effective weights, per seed, by power iteration on finite-difference Hessian-vector
  products of the back-propagated gradient.

Comparing the two tells whether the original learning can be stable (``docs/deblur.md``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validate import check_count, check_positive
from .fastslow import Cases, FastSlowLearning, FastSlowNetwork

__all__ = ["largest_curvature", "stability_limit", "update_matrix"]


def update_matrix(curvature: float, learning: FastSlowLearning) -> npt.NDArray[np.float64]:
    """The 4x4 map of ``(w_s, Δ_s, w_f, Δ_f)`` for one weight change on ``E = λ w² / 2``,
    w = w_s + w_f (the gradient is λ w; ``curvature`` is λ)."""
    lam = check_positive("curvature", curvature, allow_zero=True)
    es, a_s = learning.slow_epsilon, learning.slow_momentum
    ef, a_f, keep = learning.fast_epsilon, learning.fast_momentum, 1.0 - learning.fast_decay
    slow_step = np.array([-es * lam, a_s, -es * lam, 0.0])
    fast_step = np.array([-ef * lam, 0.0, -ef * lam, a_f])
    slow_weight = np.array([1.0, 0.0, 0.0, 0.0]) + slow_step
    fast_weight = keep * (np.array([0.0, 0.0, 1.0, 0.0]) + fast_step)
    return np.array([slow_weight, slow_step, fast_weight, fast_step])


def _stable(curvature: float, learning: FastSlowLearning) -> bool:
    radius = float(np.max(np.abs(np.linalg.eigvals(update_matrix(curvature, learning)))))
    return radius < 1.0


def stability_limit(learning: FastSlowLearning, upper: float = 1e6) -> float:
    """The largest curvature λ with a stable linearized update (bisection to 1e-10 relative);
    ``math.inf`` if stable up to ``upper``."""
    if _stable(upper, learning):
        return math.inf
    low, high = 0.0, upper
    while high - low > 1e-10 * high:
        mid = 0.5 * (low + high)
        if _stable(mid, learning):
            low = mid
        else:
            high = mid
    return low


def largest_curvature(
    network: FastSlowNetwork,
    cases: Cases,
    error_factor: float = 0.5,
    iterations: int = 60,
    step: float = 1e-5,
    seed: int = 0,
) -> npt.NDArray[np.float64]:
    """Largest Hessian eigenvalue of E at each seed's effective weights, shape (S,).

    Power iteration on ``H v ≈ (g(w + δ v) - g(w - δ v)) / 2δ``; use a float64 network.
    The network's weights are restored afterwards.
    """
    check_count("iterations", iterations)
    check_positive("step", step)
    rng = np.random.default_rng(seed)
    vector = rng.normal(size=network.slow.shape)
    vector /= np.linalg.norm(vector, axis=1, keepdims=True)
    base = network.slow.copy()
    value = np.zeros(network.seeds)
    try:
        for _ in range(iterations):
            network.slow[...] = base + step * vector
            up = network.gradient(cases, error_factor)[0].copy()
            network.slow[...] = base - step * vector
            down = network.gradient(cases, error_factor)[0]
            product = (up - down) / (2 * step)
            value = np.sum(product * vector, axis=1)
            vector = product / np.linalg.norm(product, axis=1, keepdims=True)
    finally:
        network.slow[...] = base
    return value
