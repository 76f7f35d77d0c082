"""Issue 10, part 1: first-order transfer in the paper's logistic network (network_transfer.py).

Exact (sympy checks of the layer decomposition and of the linear case), numeric (the
kernel against central finite differences of a plain, independent forward pass in
float64) and property-based (hypothesis: the linear case is Eq. (1)).
"""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import theory

# ---------------------------------------------------------------- exact (sympy)

CHECKS = [
    "logistic-derivative-check",
    "first-order-check",
    "kernel-check",
    "linear-check",
    "linear-cosine-check",
]


@pytest.mark.parametrize("step", CHECKS)
def test_every_check_of_the_derivation_is_exactly_zero(step):
    assert theory.derivation("network-transfer").step(step).expr == 0


def test_the_result_is_the_two_layer_kernel():
    d = theory.derivation("network-transfer")
    hh, dd, xx, bb = d.symbols
    assert sp.expand(d.result - ((hh + 1) * dd + (xx + 1) * bb)) == 0
    assert d.numeric(0.5, 2.0, 3.0, -1.0) == pytest.approx(1.5 * 2.0 + 4.0 * -1.0)
    linear = d.step("linear-kernel").expr.rhs
    a1, b1, g1 = sp.symbols("a1 b1 g1", real=True)
    # One input: (a b)(a g)(b g) = a^2 b^2 g^2 >= 0.
    only = {s: 0 for s in linear.free_symbols if str(s)[1] in "23"}
    assert sp.expand(linear.xreplace(only) - a1**2 * b1**2 * g1**2) == 0


# ------------------------------------------- plain forward pass, finite differences


def _plain_errors(w1, w2, inputs, targets):
    """E_k for every k with explicit loops over units (no shared code with theory)."""
    hidden, n = len(w1), len(w1[0]) - 1
    errors = []
    for x, t in zip(inputs, targets, strict=True):
        h = []
        for i in range(hidden):
            net = w1[i][n] + sum(w1[i][c] * x[c] for c in range(n))
            h.append(1.0 / (1.0 + math.exp(-net)))
        total = 0.0
        for j in range(len(w2)):
            net = w2[j][hidden] + sum(w2[j][i] * h[i] for i in range(hidden))
            y = 1.0 / (1.0 + math.exp(-net))
            total += 0.5 * (y - t[j]) ** 2
        errors.append(total)
    return np.array(errors)


def _finite_difference_jacobians(w1, w2, inputs, targets, step=1e-5):
    """dE_k/dW1 (K, H(n+1)) and dE_k/dW2 (K, m(H+1)) by central differences."""

    def jacobian(which):
        base = [w1.copy(), w2.copy()]
        out = []
        for index in np.ndindex(base[which].shape):
            plus = [b.copy() for b in base]
            minus = [b.copy() for b in base]
            plus[which][index] += step
            minus[which][index] -= step
            out.append(
                (_plain_errors(*plus, inputs, targets) - _plain_errors(*minus, inputs, targets))
                / (2 * step)
            )
        return np.array(out).T

    return jacobian(0), jacobian(1)


@st.composite
def networks(draw):
    k, n, hidden, m = (draw(st.integers(1, hi)) for hi in (5, 4, 4, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    scale = draw(st.sampled_from([0.5, 1.0, 2.0]))
    w1 = scale * rng.standard_normal((hidden, n + 1))
    w2 = scale * rng.standard_normal((m, hidden + 1))
    inputs = rng.integers(0, 2, size=(k, n)).astype(float) if seed % 2 else rng.normal(size=(k, n))
    targets = rng.integers(0, 2, size=(k, m)).astype(float)
    return w1, w2, inputs, targets


@settings(max_examples=40)
@given(networks())
def test_kernel_against_finite_differences_of_a_plain_forward_pass(net):
    w1, w2, inputs, targets = net
    j1, j2 = _finite_difference_jacobians(w1, w2, inputs, targets)
    kernel = theory.network_gradient_kernel(w1, w2, inputs, targets)
    scale = 1e-8 * (1 + np.abs(j1).max() + np.abs(j2).max()) ** 2
    np.testing.assert_allclose(kernel.hidden_layer, j1 @ j1.T, rtol=1e-6, atol=scale)
    np.testing.assert_allclose(kernel.output_layer, j2 @ j2.T, rtol=1e-6, atol=scale)
    full = np.hstack([j1, j2])
    np.testing.assert_allclose(kernel.matrix, full @ full.T, rtol=1e-6, atol=scale)
    assert np.all(np.linalg.eigvalsh(kernel.matrix) >= -1e-12)  # a Gram matrix


def test_a_small_gradient_step_changes_each_error_by_minus_epsilon_sum_g():
    rng = np.random.default_rng(np.random.SeedSequence(10))
    k, n, hidden, m = 12, 10, 8, 10
    w1, w2 = rng.normal(size=(hidden, n + 1)), rng.normal(size=(m, hidden + 1))
    inputs = rng.integers(0, 2, size=(k, n)).astype(float)
    targets = rng.integers(0, 2, size=(k, m)).astype(float)
    retrained = np.arange(4)
    j1, j2 = _finite_difference_jacobians(w1, w2, inputs, targets)
    grad_s1, grad_s2 = j1[retrained].sum(0), j2[retrained].sum(0)
    kernel = theory.network_gradient_kernel(w1, w2, inputs, targets).matrix
    predicted = -kernel[:, retrained].sum(axis=1)
    before = _plain_errors(w1, w2, inputs, targets)
    for eps in (1e-3, 1e-4):
        after = _plain_errors(
            w1 - eps * grad_s1.reshape(w1.shape), w2 - eps * grad_s2.reshape(w2.shape),
            inputs, targets,
        )  # fmt: skip
        # The first-order term, with an O(eps^2) remainder.
        np.testing.assert_allclose((after - before) / eps, predicted, atol=2 * eps)
    ratio = theory.predicted_improvement_ratio(kernel, retrained)
    direct = (-predicted[4:].mean()) / (-predicted[:4].mean())
    assert ratio == pytest.approx(direct, rel=1e-12)


# ------------------------------------------------- the linear case: Eq. (1), hypothesis

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@st.composite
def linear_pairs(draw):
    n = draw(st.integers(1, 8))
    vec = hnp.arrays(np.float64, n, elements=finite)
    return draw(vec), draw(vec), draw(vec), draw(vec)  # a, b, g, w*


@given(linear_pairs())
def test_linear_unit_reduces_to_eq1(case):
    a, b, g, w_star = case
    x = np.stack([a, b])
    kernel = theory.linear_gradient_kernel((w_star + g)[None], x, (x @ w_star)[:, None])
    xa, yb = a @ g, b @ g
    expected = (a @ b) * xa * yb
    scale = 1e-9 * (1 + np.abs(a).max() + np.abs(b).max()) ** 4 * (1 + np.abs(g).max()) ** 2
    assert kernel[0, 1] == pytest.approx(expected, abs=scale)
    assert kernel[0, 0] == pytest.approx((a @ a) * xa**2, abs=scale)
    norms = np.sqrt(kernel[0, 0] * kernel[1, 1])
    if norms > 1e-6 and abs(xa * yb) > 1e-6:  # both gradients nonzero
        rho = (a @ b) / np.sqrt((a @ a) * (b @ b))
        cos = kernel[0, 1] / norms
        assert cos == pytest.approx(rho * np.sign(xa * yb), abs=1e-6)
        eq1 = theory.derivation("eq1-factorization").numeric(rho, xa, yb)
        assert cos == pytest.approx(float(eq1), abs=1e-6)


@given(linear_pairs())
def test_layer_kernel_with_linear_errors_is_the_linear_kernel(case):
    a, b, g, _ = case
    x = np.stack([a, b])
    residual = (x @ g)[:, None]
    got = theory.layer_kernel(x, residual, bias=False)
    np.testing.assert_allclose(got, np.outer(x @ g, x @ g) * (x @ x.T), atol=1e-9)
    with_bias = theory.layer_kernel(x, residual, bias=True)
    np.testing.assert_allclose(with_bias - got, np.outer(x @ g, x @ g), atol=1e-9)


def test_the_noise_average_of_the_linear_kernel_gives_the_retrain_rates():
    """E_g[G_kl] = sigma^2 (x_k.x_l)^2: the ratio from E[G] is the '.943' machinery's."""
    rng = np.random.default_rng(np.random.SeedSequence(1987))
    inputs = rng.integers(0, 2, size=(8, 6)).astype(float)
    draws = 20_000
    noise = rng.standard_normal((draws, 6))
    r = noise @ inputs.T  # (draws, K): x_k . g
    mean_kernel = (inputs @ inputs.T) * (r.T @ r) / draws
    exact_kernel = (inputs @ inputs.T) ** 2
    retrained = [0, 1, 2]
    rates = theory.expected_improvement_rates(inputs, retrained)
    np.testing.assert_allclose(exact_kernel[:, retrained].sum(axis=1), rates, rtol=1e-12)
    predicted = theory.predicted_improvement_ratio(exact_kernel, retrained)
    assert predicted == pytest.approx(rates[3:].mean() / rates[:3].mean(), rel=1e-12)
    sampled = theory.predicted_improvement_ratio(mean_kernel, retrained)
    assert sampled == pytest.approx(predicted, rel=0.05)


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: theory.network_gradient_kernel(np.ones((2, 3)), np.ones((1, 4)),
                                                np.ones((3, 2)), np.ones((3, 1))), "w2"),
        (lambda: theory.network_gradient_kernel(np.ones((2, 3)), np.ones((1, 3)),
                                                np.ones((3, 3)), np.ones((3, 1))), "inputs"),
        (lambda: theory.network_gradient_kernel(np.ones((2, 3)), np.ones((1, 3)),
                                                np.ones((3, 2)), np.ones((2, 1))), "targets"),
        (lambda: theory.network_gradient_kernel([[np.nan, 1, 1]], np.ones((1, 2)),
                                                np.ones((3, 2)), np.ones((3, 1))), "w1"),
        (lambda: theory.linear_gradient_kernel(np.ones(3), np.ones((2, 3)), np.ones((2, 1))),
         "weights"),
        (lambda: theory.predicted_improvement_ratio(np.ones((3, 2)), [0]), "kernel"),
        (lambda: theory.predicted_improvement_ratio(np.ones((3, 3)), [0, 1, 2]), "retrained"),
        (lambda: theory.predicted_improvement_ratio(np.ones((3, 3)), [0, 0]), "retrained"),
        (lambda: theory.predicted_improvement_ratio(np.ones((3, 3)), [3]), "retrained"),
        (lambda: theory.predicted_improvement_ratio(np.zeros((3, 3)), [0]), "retrained"),
        (lambda: theory.predicted_improvement_ratio(np.ones((3, 3)), [True, False]), "retrained"),
    ],
)  # fmt: skip
def test_bad_input_names_the_parameter_in_one_line(call, name):
    with pytest.raises(theory.ParameterError) as info:
        call()
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)
