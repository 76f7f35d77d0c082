"""Items 3 and 6: the ".943" (Sec. 5.1) and its exact finite-n value (retraining.py)."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import theory

M, C = sp.Symbol("m", positive=True, integer=True), sp.Symbol("c", positive=True)


def test_ratio_943_derivation_is_exact():
    d = theory.derivation("ratio-943")
    assert d.step("ratio-check").expr == 0
    assert sp.simplify(d.result - M * C / (1 + (M - 1) * C)) == 0
    assert d.step("paper-943").expr.rhs == sp.Rational(50, 53)
    assert d.step("exact-n10").expr.rhs == sp.Rational(650, 681)
    assert d.step("exact-n10-without-replacement").expr.rhs == sp.Rational(2675, 2803)
    assert round(float(sp.Rational(50, 53)), 3) == 0.943  # the paper's printed value


def test_retrain_ratio_at_the_papers_n():
    exact = theory.retrain_ratio_exact("zero-one", 10, 100, 50, q=0.5)
    assert exact["improvement_ratio"] == sp.Rational(650, 681)
    assert exact["paper_improvement_ratio"] == sp.Rational(50, 53)
    assert exact["limit_improvement_ratio"] == sp.Rational(50, 53)
    assert exact["c"] == sp.Rational(13, 44)
    without = theory.retrain_ratio_exact("zero-one", 10, 100, 50, q=0.5, without_replacement=True)
    assert without["improvement_ratio"] == sp.Rational(2675, 2803)
    floats = theory.retrain_ratio("zero-one", 10, 100, 50, q=0.5)
    assert floats["improvement_ratio"] == pytest.approx(0.9544787077826725, rel=1e-15)
    signed = theory.retrain_ratio_exact("signed", 10, 100, 50, p=0.25)
    assert signed["improvement_ratio"] == sp.Rational(5, 6)
    assert signed["paper_improvement_ratio"] == sp.Rational(50, 59)
    assert signed["limit_improvement_ratio"] == 0


@given(st.integers(1, 500), st.floats(0, 1))
def test_improvement_ratio_numeric(m, c):
    got = theory.improvement_ratio(m, c)
    assert got == pytest.approx(m * c / (1 + (m - 1) * c), rel=1e-14, abs=1e-300)
    assert float(theory.derivation("ratio-943").numeric(m, c)) == pytest.approx(
        got, rel=1e-14, abs=1e-300
    )
    assert 0 <= got <= 1 + 1e-15


@settings(max_examples=50)
@given(
    hnp.arrays(
        np.int64, st.tuples(st.integers(2, 8), st.integers(1, 6)), elements=st.integers(-1, 1)
    ),
    st.data(),
)
def test_expected_rates_against_matrix_form(x, data):
    k = x.shape[0]
    r = data.draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True))
    rates = theory.expected_improvement_rates(x, r)
    xr = x[r].astype(float)
    direct = np.array([xk @ xr.T @ xr @ xk for xk in x.astype(float)])  # E[g g^T] = I
    np.testing.assert_allclose(rates, direct, rtol=1e-14, atol=0)


def test_expected_rates_against_monte_carlo_of_gradient_steps():
    """Take a small full-batch gradient step on R from noisy weights; average E_k changes."""
    rng = np.random.default_rng(np.random.SeedSequence(3))
    x = (rng.random((6, 8)) < 0.5).astype(float)
    x[0] = 1.0  # keep every row nonzero
    retrained = [0, 2, 3]
    g = rng.standard_normal((200_000, 8))
    step = 1e-6
    residual = g @ x[retrained].T  # (samples, m): x_j . e
    new = g - step * residual @ x[retrained]
    improvement = 0.5 * ((g @ x.T) ** 2 - (new @ x.T) ** 2) / step  # (samples, K)
    mean = improvement.mean(0)
    half = 3.29 * improvement.std(0, ddof=1) / math.sqrt(improvement.shape[0])
    exact = theory.expected_improvement_rates(x, retrained)
    assert np.all(np.abs(mean - exact) < half)
    assert np.all(half < 0.05 * exact)


@pytest.mark.parametrize("without_replacement", [False, True])
def test_ensemble_ratio_against_simulated_vector_sets(without_replacement):
    """Draw many sets of K = 100 random 0/1 vectors (n = 10) and retrain M = 50."""
    rng = np.random.default_rng(np.random.SeedSequence([1987, int(without_replacement)]))
    sets, k, m, n = 6000, 100, 50, 10
    if without_replacement:
        codes = np.array([rng.choice(2**n, size=k, replace=False) for _ in range(sets)])
        x = ((codes[..., None] >> np.arange(n)) & 1).astype(float)
    else:
        x = (rng.random((sets, k, n)) < 0.5).astype(float)
    gram = np.einsum("skn,sjn->skj", x, x[:, :m])  # x_k . x_j, j in R = first m
    rates = np.sum(gram**2, axis=2)
    unretrained, retrained = rates[:, m:].mean(1), rates[:, :m].mean(1)
    r = unretrained.mean() / retrained.mean()
    cov = np.cov(unretrained, retrained)
    se = math.sqrt((cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / sets) / retrained.mean()
    exact = theory.retrain_ratio(
        "zero-one", n, k, m, q=0.5, without_replacement=without_replacement
    )
    half_width = 3.29 * se  # 99.9 %
    assert abs(r - exact["improvement_ratio"]) < half_width
    # Narrow enough to tell the exact n = 10 value from the paper's .943, which lies outside.
    separation = exact["improvement_ratio"] - exact["paper_improvement_ratio"]
    assert half_width < separation / 2
    assert abs(r - exact["paper_improvement_ratio"]) > half_width


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        (
            ("zero-one", 10, 100, 101),
            {"q": 0.5},
            r"^retrained: expected an integer in \[1, associations = 100\]",
        ),
        (("zero-one", 10, 100, 0), {"q": 0.5}, r"^retrained: expected"),
        (("zero-one", 10, 0, 0), {"q": 0.5}, r"^associations: expected"),
        (
            ("zero-one", 3, 9, 5),
            {"q": 0.5, "without_replacement": True},
            r"^associations: expected at most 2\^n = 8",
        ),
        (
            ("signed", 2, 10, 5),
            {"p": 1 / 3, "without_replacement": True},
            r"^associations: expected at most 3\^n = 9",
        ),
        (("zero-one", 0, 10, 5), {"q": 0.5}, r"^n: expected"),
        (("zero-one", 10, 10, 5), {"q": float("nan")}, r"^q: expected"),
        (("signed", 10, 10, 5), {"p": 0.7}, r"^p: expected"),
        (
            ("zero-one", 10, 10, 5),
            {"q": 0.4, "without_replacement": True},
            r"^without_replacement: expected",
        ),
    ],
)
def test_bad_retrain_arguments(args, kwargs, pattern):
    with pytest.raises(theory.ParameterError, match=pattern) as info:
        theory.retrain_ratio(*args, **kwargs)
    assert "\n" not in str(info.value)


def test_bad_rates_arguments():
    with pytest.raises(theory.ParameterError, match=r"^retrained: expected distinct row indices"):
        theory.expected_improvement_rates(np.ones((3, 2)), [0, 0])
    with pytest.raises(theory.ParameterError, match=r"^retrained: expected distinct row indices"):
        theory.expected_improvement_rates(np.ones((3, 2)), [3])
    with pytest.raises(theory.ParameterError, match=r"^retrained: expected a 1-D sequence"):
        theory.expected_improvement_rates(np.ones((3, 2)), [0.5])
    with pytest.raises(theory.ParameterError, match=r"^inputs: expected finite numbers"):
        theory.expected_improvement_rates([[1.0, float("nan")]], [0])
    with pytest.raises(
        theory.ParameterError, match=r"^inputs: expected a non-empty \(K, n\) array"
    ):
        theory.expected_improvement_rates([1.0, 2.0], [0])
    with pytest.raises(theory.ParameterError, match=r"^c: expected a number in \[0, 1\]"):
        theory.improvement_ratio(5, 1.5)
    with pytest.raises(theory.ParameterError, match=r"^m: expected"):
        theory.improvement_ratio(0, 0.5)
