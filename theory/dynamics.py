"""Sec. 5.3 in n dimensions: the exact expected error of every association during retraining.

Model (Sec. 5): one linear unit, K associations with inputs ``x_k`` (rows of X,
shape (K, n)), perfect prior learning, then weight error ``e_0 = g ~ N(0, σ² I)``.
Retraining is full-batch gradient descent with step ε (optionally momentum α) on
the retrained set R, error ``Σ_{j∈R} ½(x_j·e)²``, gradient ``S e`` with
``S = X_Rᵀ X_R``:

    v_{t+1} = α v_t - ε S e_t,   e_{t+1} = e_t + v_{t+1},   v_0 = 0.

So ``e_t = P_t(S) g`` with ``P_t`` a polynomial in S (``P_t = (I - εS)^t`` for α = 0),
symmetric, and for every association k, retrained or not, exactly

    E[E_k(t)] = ½ σ² |P_t x_k|² = ½ σ² Σ_i p_t(λ_i)² (u_i·x_k)²

(``S = Σ_i λ_i u_i u_iᵀ``; ``p_t(λ) = (1 - ελ)^t`` for α = 0). The first step's drop
per unit ε tends to ``σ² Σ_{j∈R} (x_j·x_k)²`` as ε → 0 (the first-order rates of
Sec. 5.1); components of ``x_k`` outside the span of the retrained inputs never decay.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import sympy as sp

from foundation.settings import Real
from foundation.vectors import input_array, retrained_selection

from ._validate import ParameterError, check_count
from .derivation import Derivation, Step, register

__all__ = ["expected_errors_during_retraining", "retraining_dynamics"]

Array = npt.NDArray[np.float64]

_POSITIVE = Real(0.0)
"""ε and σ: finite numbers > 0."""


def _second_moment(expr: sp.Expr, noise: Sequence[sp.Symbol], sigma: sp.Symbol) -> sp.Expr:
    """E[expr] for a quadratic form in independent g_i ~ N(0, σ²): g_i² -> σ², g_i g_j -> 0."""
    poly = sp.Poly(sp.expand(expr), *noise)
    total = sp.Integer(0)
    for powers, coeff in poly.terms():
        if sorted(powers) == [0] * (len(powers) - 1) + [2]:
            total += coeff * sigma**2
        elif any(powers):
            if sum(powers) != 2:
                raise ValueError("not a quadratic form")  # pragma: no cover
        else:
            total += coeff
    return total


@register(
    "retraining-dynamics",
    title="Sec. 5.3: E[E_k(t)] = 1/2 sigma^2 |P_t(S) x_k|^2 during full-batch retraining",
)
def retraining_dynamics() -> Derivation:
    """Derive E[E_k(t)] = ½σ²|P_t(S) x_k|² and its eigen-form for full-batch GD on R.

    The checks (``gradient-check``, ``expectation-check``, ``eigen-recursion-check``,
    ``eigen-norm-check``, ``momentum-check``) simplify to 0 on generic symbolic
    instances (n = 3 inputs, 2 retrained; n = 2 for the eigen-form with symbolic t).
    ``numeric(sigma, epsilon, lambda_i, t, c_i)`` evaluates one mode's term
    ``½ σ² (1 - ε λ_i)^{2t} c_i²`` (α = 0), ``c_i = u_i·x_k``.
    """
    sigma, eps = sp.symbols("sigma epsilon", positive=True)
    alpha = sp.Symbol("alpha", nonnegative=True)
    t = sp.Symbol("t", integer=True, nonnegative=True)
    lam_i = sp.Symbol("lambda_i", nonnegative=True)
    c_i = sp.Symbol("c_i", real=True)
    n = 3
    e = sp.Matrix(sp.symbols(f"e1:{n + 1}", real=True))
    x1, x2, xk = (sp.Matrix(sp.symbols(f"{v}1:{n + 1}", real=True)) for v in ("p", "q", "x"))
    x_r = sp.Matrix.vstack(x1.T, x2.T)  # two retrained inputs as rows
    s_matrix = x_r.T * x_r
    loss = sp.Rational(1, 2) * (x1.dot(e) ** 2 + x2.dot(e) ** 2)
    gradient = sp.Matrix([sp.diff(loss, ei) for ei in e])
    gradient_check = sp.expand(gradient - s_matrix * e)

    # E[(x_k . P g)^2] = σ² |Pᵀ x_k|² for any P (here generic 3x3).
    g = sp.symbols(f"g1:{n + 1}", real=True)
    p_generic = sp.Matrix(n, n, sp.symbols(f"P1:{n * n + 1}", real=True))
    quadratic = (xk.T * p_generic * sp.Matrix(g))[0, 0] ** 2
    expectation = _second_moment(quadratic, g, sigma)
    expectation_check = sp.expand(expectation - sigma**2 * (p_generic.T * xk).dot(p_generic.T * xk))

    # Scalar (per-eigenvalue) recursion with momentum: p_0 = 1, q_0 = 0.
    p_list, q = [sp.Integer(1)], sp.Integer(0)
    for _ in range(3):
        q = sp.expand(alpha * q - eps * lam_i * p_list[-1])
        p_list.append(sp.expand(p_list[-1] + q))
    # Heavy-ball form: p_{t+1} = (1 + α - ελ) p_t - α p_{t-1}, p_1 = 1 - ελ.
    momentum_check = sp.expand(
        p_list[3] - ((1 + alpha - eps * lam_i) * p_list[2] - alpha * p_list[1])
    ) + sp.expand(p_list[1] - (1 - eps * lam_i))
    p_fun = sp.Function("p")
    gd_solution = sp.rsolve(p_fun(t + 1) - (1 - eps * lam_i) * p_fun(t), p_fun(t), {p_fun(0): 1})

    # Eigen-form for n = 2 with U a rotation (rational parametrization by tau = tan(θ/2)):
    # P_t = U diag((1 - ελ_i)^t) Uᵀ.
    tau = sp.Symbol("tau", real=True)
    cos_t, sin_t = (1 - tau**2) / (1 + tau**2), 2 * tau / (1 + tau**2)
    lam_1, lam_2 = sp.symbols("lambda_1 lambda_2", nonnegative=True)
    rot = sp.Matrix([[cos_t, -sin_t], [sin_t, cos_t]])
    s2 = rot * sp.diag(lam_1, lam_2) * rot.T

    def p_matrix(power: sp.Expr) -> sp.Matrix:
        return rot * sp.diag((1 - eps * lam_1) ** power, (1 - eps * lam_2) ** power) * rot.T

    eigen_recursion_check = (p_matrix(t + 1) - (sp.eye(2) - eps * s2) * p_matrix(t)).applyfunc(
        lambda entry: sp.cancel(sp.expand(entry))
    )
    y = sp.Matrix(sp.symbols("y1:3", real=True))
    proj = rot.T * y  # (u_i . x_k)
    eigen_norm_check = sp.cancel(
        sp.expand(
            (p_matrix(t) * y).dot(p_matrix(t) * y)
            - sum((1 - eps * lv) ** (2 * t) * proj[i] ** 2 for i, lv in enumerate((lam_1, lam_2)))
        )
    )

    mode_term = sp.Rational(1, 2) * sigma**2 * (1 - eps * lam_i) ** (2 * t) * c_i**2
    first_rate = sp.limit((mode_term.subs(t, 0) - mode_term.subs(t, 1)) / eps, eps, 0)
    # Σ_i λ_i (u_i . x_k)² = x_kᵀ S x_k = Σ_{j∈R} (x_j . x_k)²:
    rate_check = sp.expand((xk.T * s_matrix * xk)[0, 0] - (x1.dot(xk) ** 2 + x2.dot(xk) ** 2))
    e_k = sp.Function("E_k")
    steps = (
        Step(
            "gradient", sp.Eq(sp.Symbol(r"\nabla E_R"), gradient), "E_R = sum_{j in R} (x_j.e)^2/2"
        ),
        Step("gradient-check", gradient_check, "grad E_R - X_R^T X_R e = 0: the gradient is S e"),
        Step(
            "recursion",
            sp.Eq(sp.Symbol("e_{t+1}"), sp.Symbol("e_t") + sp.Symbol("v_{t+1}")),
            "v_{t+1} = alpha v_t - eps S e_t, v_0 = 0: e_t = P_t(S) g, P_t symmetric",
        ),
        Step(
            "polynomials",
            sp.Matrix(p_list),
            "p_0..p_3 of one eigenvalue lambda_i (p_t(lambda) is P_t's eigenvalue)",
        ),
        Step(
            "momentum-check",
            momentum_check,
            "heavy ball: p_{t+1} = (1 + alpha - eps lambda) p_t - alpha p_{t-1}, "
            "p_1 = 1 - eps lambda",
        ),
        Step(
            "gradient-descent", sp.Eq(p_fun(t), gd_solution), "alpha = 0: p_t = (1 - eps lambda)^t"
        ),
        Step(
            "expectation",
            sp.Eq(sp.Symbol(r"E[(x_k \cdot P g)^2]"), expectation),
            "E[g g^T] = sigma^2 I (generic P, n = 3)",
        ),
        Step("expectation-check", expectation_check, "minus sigma^2 |P^T x_k|^2 simplifies to 0"),
        Step(
            "eigen-recursion-check", eigen_recursion_check, "U diag(p_t) U^T solves the recursion"
        ),
        Step(
            "eigen-norm-check",
            eigen_norm_check,
            "|P_t x|^2 = sum_i (1 - eps lambda_i)^{2t} (u_i.x)^2",
        ),
        Step(
            "first-order-rate",
            sp.Eq(sp.Symbol(r"\dot{E}_{k,i}"), first_rate),
            "(E(0) - E(1))/eps, eps -> 0, one mode",
        ),
        Step("rate-check", rate_check, "sum_i lambda_i c_i^2 = x_k^T S x_k = sum_R (x_j.x_k)^2"),
        Step(
            "result",
            sp.Eq(e_k(t), sp.Sum(mode_term, (sp.Symbol("i"), 1, sp.Symbol("n")))),
            "exact for every association, retrained or not (c_i = u_i.x_k)",
        ),
    )
    return Derivation(
        name="retraining-dynamics",
        title="Sec. 5.3: E[E_k(t)] = 1/2 sigma^2 |P_t(S) x_k|^2 during full-batch retraining",
        section="Sec. 5.1 and 5.3",
        steps=steps,
        result=mode_term,
        symbols=(sigma, eps, lam_i, t, c_i),
        numeric=sp.lambdify((sigma, eps, lam_i, t, c_i), mode_term, "numpy"),
    )


def expected_errors_during_retraining(
    inputs: npt.ArrayLike,
    retrained: npt.ArrayLike,
    epsilon: float,
    steps: int,
    noise_sd: float = 1.0,
    momentum: float = 0.0,
) -> Array:
    """Exact E[E_k(t)] = ½σ²|P_t(S) x_k|² for t = 0..steps and every association k.

    Args:
        inputs: X, shape (K, n), one input vector x_k per row.
        retrained: the retrained set R: a boolean mask of shape (K,) or distinct indices.
        epsilon: ε > 0, the learning rate of full-batch gradient descent on R.
        steps: number of retraining steps (>= 0).
        noise_sd: σ > 0, the sd of the Gaussian noise on each weight.
        momentum: α in [0, 1) (heavy-ball, ``v_{t+1} = α v_t - ε S e_t``).

    Returns:
        Array of shape (steps + 1, K): row t is the expected error of every
        association after t steps (row 0: ``½σ²|x_k|²``).

    Raises:
        ParameterError: bad input, or ε so large that the errors overflow.

    Examples:
        Two associations, x_0 = (1, 0) retrained with epsilon = 1/2: its expected error falls
        fourfold per step, while x_1 = (1, 1) keeps the 1/2 of its second component:

        >>> from theory import expected_errors_during_retraining
        >>> expected_errors_during_retraining([[1, 0], [1, 1]], retrained=[0], epsilon=0.5, steps=2)
        array([[0.5    , 1.     ],
               [0.125  , 0.625  ],
               [0.03125, 0.53125]])
    """
    x = input_array(inputs)
    mask = retrained_selection(retrained, x.shape[0])
    eps = _POSITIVE.check("epsilon", epsilon)
    n_steps = check_count("steps", steps, minimum=0)
    sigma = _POSITIVE.check("noise_sd", noise_sd)
    if isinstance(momentum, bool) or not isinstance(
        momentum, (int, float, np.integer, np.floating)
    ):
        raise ParameterError("momentum", "a number in [0, 1)", momentum)
    alpha = float(momentum)
    if not 0.0 <= alpha < 1.0:
        raise ParameterError("momentum", "a number in [0, 1)", momentum)

    x_r = x[mask]
    s_matrix = x_r.T @ x_r  # (n, n)
    # P_t x_k for all k at once: the same recursion as e_t, started from the columns x_k.
    current = x.T.copy()  # (n, K)
    velocity = np.zeros_like(current)
    out = np.empty((n_steps + 1, x.shape[0]))
    half_var = 0.5 * sigma**2
    with np.errstate(over="ignore", invalid="ignore"):
        out[0] = half_var * np.sum(current**2, axis=0)
        for step in range(1, n_steps + 1):
            velocity = alpha * velocity - eps * (s_matrix @ current)
            current = current + velocity
            out[step] = half_var * np.sum(current**2, axis=0)
            if not np.all(np.isfinite(out[step])):
                raise ParameterError(
                    "epsilon",
                    f"a step small enough not to overflow (it did at step {step})",
                    epsilon,
                )
    return out
