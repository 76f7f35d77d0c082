"""Issue 10, part 2: the chain of transfer kernels (theory/transfer_chain.py).

Exact (sympy checks; the learning blur against rational arithmetic with an exact average
over misfits), numeric (Θ against finite differences of an independent forward pass; the
noise kernel against its trace formula from explicit Jacobians; every kernel of
``transfer_kernels`` against the general functions and ``network_gradient_kernel``) and
property-based (hypothesis: the learning kernel is a PSD Gram-Schur product, symmetric,
and vanishes off the span of the new inputs).
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import theory

# ---------------------------------------------------------------- exact (sympy)

CHECKS = [
    "tangent-check",
    "noise-check",
    "learning-recursion-check",
    "learning-limit-check",
    "learning-expectation-check",
]


@pytest.mark.parametrize("step", CHECKS)
def test_every_check_of_the_derivation_is_exactly_zero(step):
    assert theory.derivation("transfer-chain").step(step).expr == 0


# ------------------------------------------------------- the learning blur, exactly


def _exact_learning_kernel(inputs, new_inputs):
    """E_d[G_kl] with d uniform on {-1, 1}^J (E[d dᵀ] = I), e = B⁺ d, in rationals."""
    x = sp.Matrix([[*row, 1] for row in inputs])
    b = sp.Matrix([[*row, 1] for row in new_inputs])
    pinv = b.pinv()  # exact for a rational matrix of any rank
    j = b.rows
    total = sp.zeros(x.rows, x.rows)
    for signs in itertools.product((-1, 1), repeat=j):
        e = pinv * sp.Matrix(signs)
        r = x * e
        total += sp.matrix_multiply_elementwise(x * x.T, r * r.T)
    return total / 2**j


@pytest.mark.parametrize(
    "new",
    [
        [[1, 0, 1], [0, 1, 1]],  # independent
        [[1, 1, 0], [0, 0, 1], [1, 0, 1]],  # independent, three
        [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 0]],  # dependent: x̃₁ + x̃₂ = x̃₃ + x̃₄
        [[1, 1, 0], [1, 1, 0]],  # a repeated new input: rank 1
    ],
)
def test_learning_kernel_equals_the_exact_average_over_misfits(new):
    old = [[1, 1, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0]]
    exact = _exact_learning_kernel(old, new)
    got = theory.linear_learning_kernel(old, new)
    np.testing.assert_allclose(got, np.array(exact, dtype=float), rtol=1e-12, atol=1e-12)


def test_learning_by_gradient_descent_leaves_the_weight_change_b_pinv_d():
    """Learning new associations from a solution of the old ones, with momentum, ends at
    w* + B⁺d: the residuals of the old ones are x̃_k·B⁺d (what the kernel averages)."""
    rng = np.random.default_rng(np.random.SeedSequence(41))
    n, k, j = 8, 12, 3
    old = np.hstack([rng.integers(0, 2, (k, n)), np.ones((k, 1))])
    new = np.hstack([rng.integers(0, 2, (j, n)), np.ones((j, 1))])
    w_star = rng.normal(size=n + 1)
    targets = rng.normal(size=j)
    w, velocity = w_star.copy(), np.zeros(n + 1)
    step = 1.0 / np.linalg.eigvalsh(new.T @ new).max()
    for _ in range(4000):
        velocity = 0.5 * velocity - step * new.T @ (new @ w - targets)
        w = w + velocity
    misfit = targets - new @ w_star
    np.testing.assert_allclose(old @ (w - w_star), old @ np.linalg.pinv(new) @ misfit, atol=1e-9)


# --------------------------------------------------------- properties (hypothesis)


@st.composite
def learning_problems(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 6))
    j = draw(st.integers(1, 4))
    bits = st.lists(st.integers(0, 1), min_size=n, max_size=n)
    old = draw(st.lists(bits, min_size=k, max_size=k))
    new = draw(st.lists(bits, min_size=j, max_size=j))
    return np.array(old, dtype=float), np.array(new, dtype=float)


@given(learning_problems())
def test_learning_kernel_is_a_symmetric_positive_semidefinite_schur_product(problem):
    old, new = problem
    kernel = theory.linear_learning_kernel(old, new)
    np.testing.assert_allclose(kernel, kernel.T, atol=1e-9)
    scale = 1e-9 * (1 + np.abs(kernel).max())
    assert np.linalg.eigvalsh(kernel).min() >= -scale  # Schur: Gram ∘ Gram is PSD


@given(learning_problems(), st.randoms(use_true_random=False))
def test_learning_kernel_ignores_the_order_of_the_new_inputs(problem, rand):
    old, new = problem
    shuffled = new[rand.sample(range(len(new)), len(new))]
    np.testing.assert_allclose(
        theory.linear_learning_kernel(old, shuffled), theory.linear_learning_kernel(old, new),
        rtol=1e-9, atol=1e-9,
    )  # fmt: skip


@given(learning_problems())
def test_an_old_input_equal_to_a_lone_new_input_takes_its_whole_misfit(problem):
    """One new input b: e = b̃ d/|b̃|², so an old copy of b has r = d and G = |b̃|² σ²."""
    old, new = problem
    b = new[:1]
    kernel = theory.linear_learning_kernel(np.vstack([b, old]), b)
    assert kernel[0, 0] == pytest.approx(b.sum() + 1.0, rel=1e-9)


def test_old_inputs_orthogonal_to_every_new_input_are_untouched():
    old = np.array([[0.0, 0.0, 1.0, -1.0]])  # orthogonal to both new inputs (no bias)
    new = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0]])
    kernel = theory.linear_learning_kernel(np.vstack([old, new]), new, bias=False)
    assert kernel[0, 0] == pytest.approx(0.0, abs=1e-12)


def test_linear_noise_kernel_is_the_rates_behind_the_943():
    rng = np.random.default_rng(np.random.SeedSequence(1987))
    inputs = rng.integers(0, 2, size=(9, 7)).astype(float)
    retrained = [0, 1, 2, 3]
    mask = np.arange(9) < 4
    rates = theory.expected_improvement_rates(inputs, retrained)
    kernel = theory.linear_noise_kernel(inputs, bias=False)
    np.testing.assert_allclose(kernel[:, retrained].sum(axis=1), rates, rtol=1e-12)
    unretrained, retrained_mean = theory.improvement_means(kernel, mask)
    assert unretrained / retrained_mean == pytest.approx(
        theory.predicted_improvement_ratio(kernel, retrained), rel=1e-12
    )
    with_bias = theory.linear_noise_kernel(inputs)
    augmented = np.hstack([inputs, np.ones((9, 1))])
    np.testing.assert_allclose(with_bias, (augmented @ augmented.T) ** 2, rtol=1e-12)


# ------------------------------------------------------ the network's kernels, numeric


def _net_outputs(w1, w2, inputs):
    """The outputs' summed inputs net_k (K, m), loop by loop (no shared code with theory)."""
    hidden, n = len(w1), len(w1[0]) - 1
    rows = []
    for x in inputs:
        h = [
            1.0 / (1.0 + math.exp(-(w1[i][n] + sum(w1[i][c] * x[c] for c in range(n)))))
            for i in range(hidden)
        ]
        rows.append(
            [w2[j][hidden] + sum(w2[j][i] * h[i] for i in range(hidden)) for j in range(len(w2))]
        )
    return np.array(rows)


def _jacobian(w1, w2, inputs, step=1e-6):
    """∂net_ki/∂w by central differences, (K, m, P), P = all of w1 then all of w2."""
    columns = []
    for which in (0, 1):
        for index in np.ndindex((w1, w2)[which].shape):
            plus, minus = [w1.copy(), w2.copy()], [w1.copy(), w2.copy()]
            plus[which][index] += step
            minus[which][index] -= step
            columns.append(
                (_net_outputs(*plus, inputs) - _net_outputs(*minus, inputs)) / (2 * step)
            )
    return np.stack(columns, axis=-1)


@st.composite
def small_networks(draw):
    k, n, hidden, m = (draw(st.integers(1, hi)) for hi in (4, 3, 4, 3))
    rng = np.random.default_rng(np.random.SeedSequence(draw(st.integers(0, 2**32 - 1))))
    w1, w2 = rng.normal(size=(hidden, n + 1)), rng.normal(size=(m, hidden + 1))
    inputs = rng.integers(0, 2, size=(k, n)).astype(float)
    targets = rng.integers(0, 2, size=(k, m)).astype(float)
    new = rng.integers(0, 2, size=(draw(st.integers(1, 3)), n)).astype(float)
    return w1, w2, inputs, targets, new


@settings(max_examples=30)
@given(small_networks())
def test_tangent_kernel_against_finite_differences(net):
    w1, w2, inputs, _, _ = net
    jac = _jacobian(w1, w2, inputs)
    direct = np.einsum("kip,ljp->kilj", jac, jac)
    np.testing.assert_allclose(theory.tangent_kernel(w1, w2, inputs), direct, rtol=1e-6, atol=1e-8)


@settings(max_examples=30)
@given(small_networks())
def test_noise_kernel_is_the_trace_over_explicit_jacobians(net):
    """E_g[gᵀ J_kᵀ S_k² Θ_kl S_l² J_l g] = tr(J_kᵀ S_k² Θ_kl S_l² J_l) for E[g gᵀ] = I."""
    w1, w2, inputs, _, _ = net
    jac = _jacobian(w1, w2, inputs)  # (K, m, P)
    theta = np.einsum("kip,ljp->kilj", jac, jac)
    slopes = np.random.default_rng(3).uniform(0, 0.25, size=theta.shape[:2])
    k = theta.shape[0]
    direct = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            left = jac[a].T @ np.diag(slopes[a] ** 2)
            right = np.diag(slopes[b] ** 2) @ jac[b]
            direct[a, b] = np.trace(left @ theta[a, :, b, :] @ right)
    got = theory.noise_transfer_kernel(theory.tangent_kernel(w1, w2, inputs), slopes)
    np.testing.assert_allclose(got, direct, rtol=1e-5, atol=1e-9)


@settings(max_examples=30)
@given(small_networks())
def test_transfer_kernels_agree_with_the_general_functions(net):
    w1, w2, inputs, targets, new = net
    kernels = theory.transfer_kernels(w1, w2, inputs, targets, new)
    theta = theory.tangent_kernel(w1, w2, inputs)
    h = 1 / (1 + np.exp(-(inputs @ w1[:, :-1].T + w1[:, -1])))
    y = 1 / (1 + np.exp(-(h @ w2[:, :-1].T + w2[:, -1])))
    h_tilde = np.hstack([h, np.ones((len(h), 1))])
    m = w2.shape[0]
    close = {"rtol": 1e-9, "atol": 1e-12}
    np.testing.assert_allclose(kernels.linear_noise, theory.linear_noise_kernel(inputs), **close)
    np.testing.assert_allclose(
        kernels.linear_learning, theory.linear_learning_kernel(inputs, new), **close
    )
    np.testing.assert_allclose(kernels.hidden_states, m * (h_tilde @ h_tilde.T) ** 2, **close)
    np.testing.assert_allclose(kernels.hidden_weights, theory.noise_transfer_kernel(theta), **close)
    np.testing.assert_allclose(
        kernels.saturation, theory.noise_transfer_kernel(theta, y * (1 - y)), **close
    )
    g = theory.network_gradient_kernel(w1, w2, inputs, targets).matrix
    np.testing.assert_allclose(kernels.errors, g, **close)
    np.testing.assert_allclose(
        kernels.measure, theory.measured_error_kernel(w1, w2, inputs, targets), **close
    )
    squared = theory.transfer_kernels(w1, w2, inputs, targets, new, measure="squared")
    np.testing.assert_allclose(squared.measure, 2 / m * g, **close)
    assert [name for name, _ in kernels.items()] == list(theory.KERNELS)
    error = y - targets
    linear = np.einsum("ki,kilj,lj->kl", error, theta, error)
    np.testing.assert_allclose(kernels.errors_linear, linear, **close)


def test_the_noise_kernel_of_a_linear_network_is_m_times_the_linear_kernel():
    rng = np.random.default_rng(np.random.SeedSequence(7))
    x = np.hstack([rng.integers(0, 2, (6, 4)), np.ones((6, 1))])
    m = 3
    theta = np.einsum("kl,ij->kilj", x @ x.T, np.eye(m))  # J_k = I_m ⊗ x̃_kᵀ
    np.testing.assert_allclose(
        theory.noise_transfer_kernel(theta), m * theory.linear_noise_kernel(x[:, :-1]), rtol=1e-12
    )


def test_the_absolute_measure_kernel_against_a_directional_derivative():
    """∇A_k·∇E_S = -d/dε A_k(w - ε ∇E_S) at 0 (central differences of the plain forward)."""
    rng = np.random.default_rng(np.random.SeedSequence(12))
    k, n, hidden, m = 8, 5, 6, 4
    w1, w2 = rng.normal(size=(hidden, n + 1)), rng.normal(size=(m, hidden + 1))
    inputs = rng.integers(0, 2, (k, n)).astype(float)
    targets = rng.integers(0, 2, (k, m)).astype(float)
    retrained = np.arange(k) < 3
    kernel = theory.measured_error_kernel(w1, w2, inputs, targets)
    jac = _jacobian(w1, w2, inputs)
    y = 1 / (1 + np.exp(-_net_outputs(w1, w2, inputs)))
    grad_s = np.einsum("ki,kip->p", ((y - targets) * y * (1 - y))[retrained], jac[retrained])
    sizes = (w1.size, w2.size)

    def measured(eps):
        step = -eps * grad_s
        a = w1 + step[: sizes[0]].reshape(w1.shape)
        b = w2 + step[sizes[0] :].reshape(w2.shape)
        out = 1 / (1 + np.exp(-_net_outputs(a, b, inputs)))
        return np.abs(out - targets).mean(axis=1)

    eps = 1e-6
    derivative = (measured(eps) - measured(-eps)) / (2 * eps)
    np.testing.assert_allclose(-derivative, kernel[:, retrained].sum(axis=1), rtol=1e-5, atol=1e-9)


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: theory.linear_learning_kernel(np.ones((2, 3)), np.ones((2, 4))), "new_inputs"),
        (lambda: theory.linear_learning_kernel(np.ones((2, 3)), np.zeros((2, 3)), bias=False),
         "new_inputs"),
        (lambda: theory.noise_transfer_kernel(np.ones((2, 3, 2, 2))), "tangent"),
        (lambda: theory.noise_transfer_kernel(np.ones((2, 3, 2, 3)), np.ones((2, 2))), "slopes"),
        (lambda: theory.measured_error_kernel(np.ones((2, 3)), np.ones((1, 3)), np.ones((3, 2)),
                                              np.ones((3, 1)), "cubic"), "measure"),
        (lambda: theory.improvement_means(np.ones((3, 3)), [0, 1]), "retrained"),
        (lambda: theory.improvement_means(np.ones((3, 3)), np.ones(3, bool)), "retrained"),
        (lambda: theory.transfer_kernels(np.ones((2, 3)), np.ones((1, 3)), np.ones((3, 2)),
                                         np.ones((3, 1)), np.ones((1, 2)), "max"), "measure"),
    ],
)  # fmt: skip
def test_bad_input_names_the_parameter_in_one_line(call, name):
    with pytest.raises(theory.ParameterError) as info:
        call()
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)


def test_fractions_are_accepted_as_numbers():
    old = [[Fraction(1), Fraction(0)], [Fraction(1, 2), Fraction(1)]]
    assert theory.linear_noise_kernel(old).shape == (2, 2)


@pytest.mark.parametrize(("rows", "cols", "inner"), [(1, 1, 1), (103, 57, 101), (1000, 1000, 100)])
def test_blocked_products_are_the_matrix_product(rows, cols, inner):
    from theory.transfer_chain import _gram

    rng = np.random.default_rng(np.random.SeedSequence(rows))
    a, b = rng.normal(size=(rows, inner)), rng.normal(size=(cols, inner))
    np.testing.assert_allclose(_gram(a, b), a @ b.T, rtol=1e-12, atol=1e-12)
