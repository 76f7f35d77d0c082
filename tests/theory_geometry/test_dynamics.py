"""Sec. 5.3 in n dimensions: exact expected errors during full-batch retraining.

Exact (sympy checks, rational arithmetic), numeric (matrix powers and the
eigen-decomposition on hypothesis-generated inputs), and an explicit numpy Monte
Carlo of gradient descent on Gaussian weight noise (fixed seed, interval from the
sample size).
"""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from theory import ParameterError, derivation, expected_errors_during_retraining

# ---------------------------------------------------------------- exact (sympy)


@pytest.mark.parametrize(
    "step",
    [
        "gradient-check",
        "momentum-check",
        "expectation-check",
        "eigen-recursion-check",
        "eigen-norm-check",
        "rate-check",
    ],
)
def test_dynamics_checks_vanish(step):
    expr = derivation("retraining-dynamics").step(step).expr
    if isinstance(expr, sp.MatrixBase):
        assert expr.is_zero_matrix
    else:
        assert expr == 0


def test_plain_descent_polynomial_and_first_order_rate():
    d = derivation("retraining-dynamics")
    sigma, eps, lam, t, c = d.symbols
    assert sp.simplify(d.step("gradient-descent").expr.rhs - (1 - eps * lam) ** t) == 0
    assert sp.simplify(d.step("first-order-rate").expr.rhs - sigma**2 * lam * c**2) == 0
    polys = d.step("polynomials").expr
    alpha = sp.Symbol("alpha", nonnegative=True)
    assert sp.expand(polys[2].subs(alpha, 0) - (1 - eps * lam) ** 2) == 0
    assert sp.expand(polys[3].subs(alpha, 0) - (1 - eps * lam) ** 3) == 0
    assert d.numeric(2.0, 0.1, 3.0, 2, 0.5) == pytest.approx(0.5 * 4 * 0.7**4 * 0.25)


def _exact_rational(inputs, retrained, epsilon, steps, momentum=Fraction(0)):
    """E[E_k(t)] / sigma^2 with exact rational arithmetic (sympy matrices)."""
    x = sp.Matrix(inputs)
    x_r = sp.Matrix([list(x.row(j)) for j in retrained])
    s = x_r.T * x_r
    eps, alpha = sp.Rational(epsilon), sp.Rational(momentum)
    current, velocity = x.T, sp.zeros(*x.T.shape)
    rows = [[sp.Rational(1, 2) * current.col(k).dot(current.col(k)) for k in range(x.rows)]]
    for _ in range(steps):
        velocity = alpha * velocity - eps * s * current
        current = current + velocity
        rows.append([sp.Rational(1, 2) * current.col(k).dot(current.col(k)) for k in range(x.rows)])
    return rows


@pytest.mark.parametrize("momentum", [Fraction(0), Fraction(1, 2)])
def test_against_exact_rational_arithmetic(momentum):
    inputs = [[1, 1, 0, 1, 0], [1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 1, 1, 0, 0]]
    exact = _exact_rational(inputs, [0, 2], Fraction(1, 10), 6, momentum)
    got = expected_errors_during_retraining(
        np.array(inputs), [0, 2], 0.1, 6, noise_sd=1.0, momentum=float(momentum)
    )
    np.testing.assert_allclose(got, np.array(exact, dtype=float), rtol=1e-13)
    # A whole sweep of 0/1 vectors: row 0 is 1/2 sigma^2 n_k, exactly.
    assert got[0].tolist() == [1.5, 1.5, 1.5, 1.5]


# ------------------------------------------------------- numeric (matrix powers)


@st.composite
def problems(draw):
    k = draw(st.integers(1, 6))
    n = draw(st.integers(1, 6))
    elements = st.sampled_from([-1.0, 0.0, 1.0]) | st.floats(-2, 2, allow_nan=False)
    inputs = draw(hnp.arrays(np.float64, (k, n), elements=elements))
    mask = np.array(draw(st.lists(st.booleans(), min_size=k, max_size=k)))
    s = inputs[mask].T @ inputs[mask]
    top = float(np.linalg.eigvalsh(s).max()) if mask.any() else 0.0
    # Any step up to 1.9/lambda_max (stable), and sometimes beyond (unstable, few steps).
    scale = draw(st.floats(0.01, 1.9) | st.floats(1.9, 3.0))
    epsilon = scale / top if top > 1e-9 else scale
    steps = draw(st.integers(0, 12))
    sigma = draw(st.floats(0.1, 3.0))
    momentum = draw(st.sampled_from([0.0, 0.0, 0.3, 0.9]))
    return inputs, mask, epsilon, steps, sigma, momentum


@given(problems())
def test_against_matrix_powers(problem):
    inputs, mask, epsilon, steps, sigma, momentum = problem
    got = expected_errors_during_retraining(inputs, mask, epsilon, steps, sigma, momentum)
    assert got.shape == (steps + 1, inputs.shape[0])
    n = inputs.shape[1]
    s = inputs[mask].T @ inputs[mask]
    # (e, v) -> (e + alpha v - eps S e, alpha v - eps S e): one block matrix.
    block = np.block(
        [[np.eye(n) - epsilon * s, momentum * np.eye(n)], [-epsilon * s, momentum * np.eye(n)]]
    )
    start = np.vstack([inputs.T, np.zeros_like(inputs.T)])
    for t in range(steps + 1):
        p_x = (np.linalg.matrix_power(block, t) @ start)[:n]
        expected = 0.5 * sigma**2 * np.sum(p_x**2, axis=0)
        np.testing.assert_allclose(got[t], expected, rtol=1e-8, atol=1e-10 * (1 + expected.max()))


@given(problems())
def test_against_the_eigen_decomposition(problem):
    inputs, mask, epsilon, steps, sigma, _ = problem
    got = expected_errors_during_retraining(inputs, mask, epsilon, steps, sigma)
    s = inputs[mask].T @ inputs[mask]
    lam, u = np.linalg.eigh(s)
    c = u.T @ inputs.T  # (n, K): c_i = u_i . x_k
    d = derivation("retraining-dynamics")
    for t in range(steps + 1):
        expected = d.numeric(sigma, epsilon, lam[:, None], t, c).sum(axis=0)
        scale = 1 + np.abs(expected).max()
        np.testing.assert_allclose(got[t], expected, rtol=1e-8, atol=1e-9 * scale)


@given(problems())
def test_first_step_drop_per_epsilon_is_the_first_order_rate(problem):
    inputs, mask, _, _, sigma, momentum = problem
    s = inputs[mask].T @ inputs[mask]
    rate = sigma**2 * np.sum((inputs[mask] @ inputs.T) ** 2, axis=0)  # sigma^2 sum_R (x_j.x_k)^2
    epsilon = 1e-7
    got = expected_errors_during_retraining(inputs, mask, epsilon, 1, sigma, momentum)
    drop = (got[0] - got[1]) / epsilon
    # Exact drop/eps = rate - eps sigma^2 |S x_k|^2 / 2.
    bound = epsilon * sigma**2 * np.sum((s @ inputs.T) ** 2, axis=0) + 1e-6 * (1 + rate)
    assert np.all(np.abs(drop - rate) <= bound)


def test_unretrained_components_outside_the_span_never_decay():
    rng = np.random.default_rng(np.random.SeedSequence(20240607))
    inputs = rng.integers(0, 2, size=(8, 6)).astype(float)
    mask = np.zeros(8, dtype=bool)
    mask[:3] = True
    s = inputs[mask].T @ inputs[mask]
    epsilon = 1.0 / np.linalg.eigvalsh(s).max()
    got = expected_errors_during_retraining(inputs, mask, epsilon, 3000)
    q, _ = np.linalg.qr(inputs[mask].T)
    residual = inputs.T - q @ (q.T @ inputs.T)
    np.testing.assert_allclose(got[-1], 0.5 * np.sum(residual**2, axis=0), atol=1e-10)
    assert np.all(got[-1, :3] < 1e-12)  # retrained associations are relearned
    assert np.all(np.diff(got[:, :3], axis=0) <= 1e-15)  # stable step: monotone for R


# --------------------------------------------- classical reference: Monte Carlo GD


@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_against_monte_carlo_of_gradient_descent(momentum):
    """Explicit GD on N Gaussian noise draws; the exact value inside mean +- 4.5 se."""
    seq = np.random.SeedSequence(1987)
    input_rng, noise_rng = (np.random.default_rng(c) for c in seq.spawn(2))
    k, n, steps, sigma, epsilon = 6, 8, 15, 0.7, 0.04
    inputs = input_rng.integers(0, 2, size=(k, n)).astype(float)
    mask = np.array([True, True, True, False, False, False])
    s = inputs[mask].T @ inputs[mask]
    draws = 20_000
    e = sigma * noise_rng.standard_normal((n, draws))
    v = np.zeros_like(e)
    samples = np.empty((steps + 1, k, draws))
    samples[0] = 0.5 * (inputs @ e) ** 2
    for t in range(1, steps + 1):
        v = momentum * v - epsilon * (s @ e)
        e = e + v
        samples[t] = 0.5 * (inputs @ e) ** 2
    mean = samples.mean(axis=2)
    se = samples.std(axis=2, ddof=1) / np.sqrt(draws)
    exact = expected_errors_during_retraining(inputs, mask, epsilon, steps, sigma, momentum)
    # 96 comparisons: 4.5 se keeps the family-wise false-alarm rate below 1e-3.
    assert np.all(np.abs(mean - exact) <= 4.5 * se)
    # The interval is narrow enough to mean something: se about sqrt(2/N) relative.
    assert np.all(se <= 0.02 * exact)
    # Transfer: unretrained errors fall too (the paper's point), exactly and in simulation.
    assert np.all(exact[-1, 3:] < exact[0, 3:])


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"steps": -1}, "steps"),
        ({"steps": 2.5}, "steps"),
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": -0.1}, "epsilon"),
        ({"epsilon": float("nan")}, "epsilon"),
        ({"epsilon": float("inf")}, "epsilon"),
        ({"momentum": 1.0}, "momentum"),
        ({"momentum": -0.1}, "momentum"),
        ({"noise_sd": 0.0}, "noise_sd"),
        ({"retrained": [0, 0]}, "retrained"),
        ({"retrained": [3]}, "retrained"),
        ({"retrained": [-1]}, "retrained"),
        ({"retrained": np.array([True, False])}, "retrained"),
        ({"retrained": [0.5]}, "retrained"),
        ({"inputs": [1.0, 0.0]}, "inputs"),
        ({"inputs": [[1.0, float("nan")]] * 3}, "inputs"),
        ({"inputs": np.zeros((0, 2))}, "inputs"),
        ({"epsilon": 100.0, "steps": 400}, "epsilon"),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter(kwargs, name):
    args = {
        "inputs": [[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]],
        "retrained": [0],
        "epsilon": 0.1,
        "steps": 3,
    }
    args.update(kwargs)
    with pytest.raises(ParameterError) as info:
        expected_errors_during_retraining(**args)
    message = str(info.value)
    assert message.startswith(f"{name}: expected") and "\n" not in message


def test_empty_retrained_set_leaves_errors_unchanged():
    inputs = np.array([[1.0, 1.0], [1.0, 0.0]])
    got = expected_errors_during_retraining(inputs, [], 0.1, 4, noise_sd=2.0)
    np.testing.assert_array_equal(got, np.tile([4.0, 2.0], (5, 1)))
