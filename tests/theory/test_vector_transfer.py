"""Issue 10, part 3: exact transfer for given input vectors (vector_transfer.py).

Exact (sympy checks; rational inputs against an independent sympy computation),
property-based (hypothesis: bounds, invariances, exact = float64), cross-checks against
the pair theory and the network kernel of part 1, and a Monte Carlo of the noise.
"""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import theory
from theory.vector_transfer import EXACT_WORK_LIMIT

# ---------------------------------------------------------------- exact (sympy)


@pytest.mark.parametrize(
    "step", ["gradient-check", "first-order-check", "finite-step-check", "integer-form-check"]
)
def test_every_check_of_the_derivation_is_exactly_zero(step):
    expr = theory.derivation("vector-transfer").step(step).expr
    assert expr.is_zero_matrix if isinstance(expr, sp.MatrixBase) else expr == 0


def test_hand_computed_pair():
    """a = 1100 retrained, b = 1010 not; eps = 1/2 = 1/lambda_max projects a out."""
    result = theory.vector_transfer([[1, 1, 0, 0], [1, 0, 1, 0]], [0], 3, Fraction(1, 2))
    assert result.arithmetic == "exact"
    assert result.improvement_ratio == Fraction(1, 4)  # (a.b)^2/|a|^4
    assert result.improvement_ratio_finite_step == Fraction(1, 4)
    assert result.first_order_rate == (4, 1)
    assert result.expected_errors == (
        (1, 0, 0, 0),
        (1, Fraction(3, 4), Fraction(3, 4), Fraction(3, 4)),
    )
    data = result.to_dict()
    assert data["improvement_ratio_exact"] == "1/4" and data["epsilon_exact"] == "1/2"
    assert data["expected_errors"]["unretrained"] == [1.0, 0.75, 0.75, 0.75]


def _sympy_reference(inputs, retrained, steps, epsilon, sigma):
    """Everything again with sympy matrices and matrix powers (an independent route)."""
    x = sp.Matrix(inputs)
    rows = range(x.rows)
    others = [k for k in rows if k not in retrained]
    a = sum((x.row(j).T * x.row(j) for j in retrained), sp.zeros(x.cols))
    quad = [(x.row(k) * a * x.row(k).T)[0, 0] for k in rows]
    ratio = (sum(quad[k] for k in others) / len(others)) / (
        sum(quad[k] for k in retrained) / len(retrained)
    )
    eps, s2 = sp.Rational(epsilon), sp.Rational(sigma) ** 2
    errors = []
    for t in range(steps + 1):
        p = (sp.eye(x.cols) - eps * a) ** t
        e = [s2 / 2 * ((p * x.row(k).T).T * (p * x.row(k).T))[0, 0] for k in rows]
        errors.append(
            (
                sum(e[k] for k in retrained) / len(retrained),
                sum(e[k] for k in others) / len(others),
            )
        )
    return ratio, errors


@pytest.mark.parametrize(
    ("inputs", "retrained", "epsilon", "sigma"),
    [
        ([[1, 1, 0, 1, 0], [1, 0, 1, 1, 0], [0, 1, 1, 0, 1], [1, 1, 1, 0, 0]], [0, 2], "1/7", "1"),
        ([[1, -1, 1], [1, 1, -1], [-1, 1, 1], [1, 1, 1], [-1, -1, 1]], [4, 1], "1/10", "3/2"),
        ([[2, 0], [1, 3], [-1, 2]], [1], "1/11", "1/3"),
    ],
)
def test_rational_inputs_equal_the_sympy_reference(inputs, retrained, epsilon, sigma):
    got = theory.vector_transfer(inputs, retrained, 5, Fraction(epsilon), Fraction(sigma))
    ratio, errors = _sympy_reference(inputs, retrained, 5, epsilon, sigma)
    assert got.arithmetic == "exact"
    assert sp.Rational(got.improvement_ratio) == ratio
    for t, (r, u) in enumerate(errors):
        assert sp.Rational(got.expected_errors[0][t]) == r
        assert sp.Rational(got.expected_errors[1][t]) == u


def test_the_pair_case_is_the_gradient_step_ratio_of_the_pair_theory():
    a, b = [1, 1, 1, 1], [1, 0, 0, 0]
    got = theory.vector_transfer([a, b], [0], 0, Fraction(1, 8))
    assert float(got.improvement_ratio) == pytest.approx(
        theory.improvement_ratio_gradient_step(b, a), rel=1e-15
    )


def test_the_first_order_ratio_is_the_network_kernels_prediction():
    rng = np.random.default_rng(np.random.SeedSequence(5))
    x = rng.integers(0, 2, size=(12, 7))
    got = theory.vector_transfer(x, [0, 1, 2, 3], 0, Fraction(1, 100))
    mean_kernel = (x @ x.T).astype(float) ** 2  # E_g[G_kl] / sigma^2 (part 1)
    predicted = theory.predicted_improvement_ratio(mean_kernel, [0, 1, 2, 3])
    assert float(got.improvement_ratio) == pytest.approx(predicted, rel=1e-14)


# ------------------------------------------------------------ properties (hypothesis)


@st.composite
def problems(draw, integer=True):
    k = draw(st.integers(2, 7))
    n = draw(st.integers(1, 6))
    reals = st.floats(-2, 2).filter(lambda v: v == 0 or abs(v) > 1e-3)
    elements = st.integers(-2, 2) if integer else reals
    x = draw(hnp.arrays(np.int64 if integer else np.float64, (k, n), elements=elements))
    m = draw(st.integers(1, k - 1))
    order = draw(st.permutations(range(k)))
    retrained = sorted(order[:m])
    assume(np.any(x[retrained]))
    lam = np.linalg.eigvalsh(x[retrained].T @ x[retrained]).max()
    scale = draw(st.sampled_from([Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(3, 2)]))
    q = int(np.ceil(lam)) if integer else lam
    epsilon = scale / q if integer else float(scale) / lam
    steps = draw(st.integers(0, 6))
    return x, retrained, epsilon, steps


@settings(max_examples=60)
@given(problems())
def test_exact_and_float64_agree(problem):
    x, retrained, epsilon, steps = problem
    exact = theory.vector_transfer(x, retrained, steps, epsilon, exact=True)
    approx = theory.vector_transfer(x, retrained, steps, epsilon, exact=False)
    assert exact.arithmetic == "exact" and approx.arithmetic == "float64"
    assert float(exact.improvement_ratio) == pytest.approx(approx.improvement_ratio, rel=1e-9)
    for t in range(steps + 1):
        for side in (0, 1):
            want = float(exact.expected_errors[side][t])
            assert approx.expected_errors[side][t] == pytest.approx(want, rel=1e-8, abs=1e-10)


@given(problems(integer=False))
def test_bounds_that_always_hold(problem):
    x, retrained, epsilon, steps = problem
    got = theory.vector_transfer(x, retrained, steps, epsilon)
    mask = np.isin(np.arange(len(x)), retrained)
    a = x[mask].T @ x[mask]
    lam = np.linalg.eigvalsh(a).max()
    # 0 <= ratio <= lambda_max mean_U |x_k|^2 / mean_R x_k^T A x_k (Rayleigh quotient).
    assert got.improvement_ratio >= 0
    bound = lam * np.mean(np.sum(x[~mask] ** 2, axis=1)) / got.first_order_rate[0]
    assert got.improvement_ratio <= bound * (1 + 1e-9) + 1e-12
    # A stable step: no expected error ever grows, and none is negative.
    table = got.per_association
    assert np.all(table >= 0) and np.all(np.diff(table, axis=0) <= 1e-9 * (1 + table[:-1]))


@given(problems(integer=False), st.floats(0.01, 100), st.floats(0.1, 10))
def test_invariant_under_scaling_the_inputs_and_the_noise(problem, c, sigma):
    x, retrained, epsilon, steps = problem
    base = theory.vector_transfer(x, retrained, steps, epsilon)
    scaled = theory.vector_transfer(c * x, retrained, steps, epsilon / c**2, noise_sd=sigma)
    assert scaled.improvement_ratio == pytest.approx(base.improvement_ratio, rel=1e-9)
    if base.improvement_ratio_finite_step is not None:
        assert scaled.improvement_ratio_finite_step == pytest.approx(
            base.improvement_ratio_finite_step, rel=1e-7, abs=1e-12
        )
    # Errors scale by (c sigma)^2.
    np.testing.assert_allclose(
        scaled.per_association, (c * sigma) ** 2 * base.per_association, rtol=1e-7, atol=1e-9
    )


@given(problems(), st.randoms(use_true_random=False))
def test_invariant_under_permuting_rows(problem, rnd):
    x, retrained, epsilon, steps = problem
    base = theory.vector_transfer(x, retrained, steps, epsilon)
    order = list(range(len(x)))
    rnd.shuffle(order)  # any permutation: retrained rows follow their new positions
    moved = [order.index(j) for j in retrained]
    permuted = theory.vector_transfer(x[order], moved, steps, epsilon)
    assert permuted.improvement_ratio == base.improvement_ratio  # exact Fractions
    assert permuted.expected_errors == base.expected_errors


@given(problems())
def test_copies_of_the_retrained_rows_transfer_fully_orthogonal_rows_not_at_all(problem):
    x, retrained, epsilon, steps = problem
    copies = np.vstack([x[retrained], x[retrained]])
    m = len(retrained)
    got = theory.vector_transfer(copies, list(range(m)), steps, epsilon / 2)
    assert got.improvement_ratio == 1
    assert got.expected_errors[0] == got.expected_errors[1]
    # Rows orthogonal to every retrained row: ratio 0 and their errors never move.
    zeros = np.zeros_like(x[retrained])
    padded = np.hstack([np.vstack([x[retrained], zeros]), np.vstack([zeros, x[retrained]])])
    got = theory.vector_transfer(padded, list(range(m)), steps, epsilon)
    assert got.improvement_ratio == 0
    assert len(set(got.expected_errors[1])) == 1


def test_the_ratio_is_not_bounded_by_one():
    """An unretrained row twice as long as the retrained one improves 4 times as fast."""
    got = theory.vector_transfer([[1, 1, 0], [2, 2, 0]], [0], 1, Fraction(1, 4))
    assert got.improvement_ratio == 4


@given(problems(integer=False))
def test_the_finite_step_ratio_tends_to_the_first_order_ratio(problem):
    x, retrained, epsilon, _ = problem
    got = theory.vector_transfer(x, retrained, 1, epsilon * 1e-6)
    assert got.improvement_ratio_finite_step == pytest.approx(
        got.improvement_ratio, rel=1e-4, abs=1e-9
    )


# ------------------------------------------------------------ Monte Carlo of the noise


def test_monte_carlo_of_the_first_step():
    """Real gradient steps on 200 000 Gaussian draws: exact values inside mean +- 4 se."""
    seq = np.random.SeedSequence(2024)
    x = np.random.default_rng(seq.spawn(1)[0]).integers(0, 2, size=(10, 8)).astype(float)
    retrained = [0, 1, 2]
    epsilon = Fraction(1, 20)
    got = theory.vector_transfer(x, retrained, 1, epsilon)
    g = np.random.default_rng(seq.spawn(2)[1]).standard_normal((200_000, 8))
    a = x[retrained].T @ x[retrained]
    after = g - float(epsilon) * g @ a
    drop = 0.5 * ((g @ x.T) ** 2 - (after @ x.T) ** 2)  # (draws, K)
    for side, cols in ((0, slice(0, 3)), (1, slice(3, 10))):
        sample = drop[:, cols].mean(axis=1)
        se = sample.std(ddof=1) / np.sqrt(sample.size)
        assert abs(sample.mean() - float(got.first_step_drop[side])) <= 4 * se
        assert se <= 0.02 * abs(float(got.first_step_drop[side]))


# ---------------------------------------------------------------- arithmetic choice


def test_float64_when_not_small_integers_or_too_much_work():
    assert theory.vector_transfer([[0.5, 1], [1, 0]], [0], 2, 0.5).arithmetic == "float64"
    ones = np.ones((2, 10))  # lambda_max = 10; q + p m n max^2 = 30: 5 bits a step
    work = 10 * 10 * 2 * 3000 * -(-3000 * 5 // 64)
    assert work > EXACT_WORK_LIMIT
    assert theory.vector_transfer(ones, [0], 3000, Fraction(1, 20)).arithmetic == "float64"
    assert theory.vector_transfer(ones, [0], 300, Fraction(1, 20)).arithmetic == "exact"


@pytest.mark.parametrize(
    ("args", "kwargs", "name"),
    [
        (([[1, 0], [0, 1]], [0], 1, 0.5), {"exact": True, "noise_sd": 1}, None),
        (([[1.5, 0], [0, 1]], [0], 1, 0.5), {"exact": True}, "exact"),
        (([1, 0], [0], 1, 0.5), {}, "inputs"),
        (([[1, np.nan], [0, 1]], [0], 1, 0.5), {}, "inputs"),
        (([[1, 0], [0, 1]], [0, 1], 1, 0.5), {}, "retrained"),
        (([[1, 0], [0, 1]], [2], 1, 0.5), {}, "retrained"),
        (([[1, 0], [0, 1], [1, 1]], [0, 0], 1, 0.5), {}, "retrained"),
        (([[1, 0], [0, 1]], [], 1, 0.5), {}, "retrained"),
        (([[0, 0], [0, 1]], [0], 1, 0.5), {}, "retrained"),
        (([[1e-200, 0], [0, 1]], [0], 1, 0.5), {}, "retrained"),
        (([[1, 0], [0, 1e200]], [0], 1, 0.5), {}, "inputs"),
        (([[1, 0], [0, 1]], [0], -1, 0.5), {}, "steps"),
        (([[1, 0], [0, 1]], [0], 1, 0), {}, "epsilon"),
        (([[1, 0], [0, 1]], [0], 1, 2.0), {}, "epsilon"),
        (([[1, 0], [0, 1]], [0], 1, float("nan")), {}, "epsilon"),
        (([[1, 0], [0, 1]], [0], 1, 0.5), {"noise_sd": 0}, "noise_sd"),
        (([[1, 0], [0, 1]], [0], 1, 0.5), {"noise_sd": True}, "noise_sd"),
    ],
)
def test_bad_input_names_the_parameter_in_one_line(args, kwargs, name):
    if name is None:
        assert theory.vector_transfer(*args, **kwargs).arithmetic == "exact"
        return
    with pytest.raises(theory.ParameterError) as info:
        theory.vector_transfer(*args, **kwargs)
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)
