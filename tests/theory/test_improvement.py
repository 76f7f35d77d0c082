"""Item 5(b): ratios of expected improvements of B (improvement.py, footnote 2)."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from transfer_strategies import vector_pairs

import theory


def test_derivation_is_exact():
    d = theory.derivation("improvement-ratios")
    AB, NA, NB = d.symbols  # a.b, |a|, |b|
    for name in ("unit-step-check", "gradient-step-check", "cauchy-check"):
        assert d.step(name).expr == 0, name
    assert d.step("no-mean").expr.rhs == sp.oo
    unit, grad = d.result
    assert sp.simplify(unit - AB**2 / (NA**2 * NB**2)) == 0
    assert sp.simplify(grad - AB**2 / NB**4) == 0
    # Footnote 2: the two agree exactly when |a| = |b|, and only then.
    assert sp.simplify((grad - unit).subs(NA, NB)) == 0
    assert sp.simplify((grad - unit).subs({NA: 2, NB: 1, AB: 1})) == sp.Rational(3, 4)


@given(
    st.integers(1, 10).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-5, 5), min_size=n, max_size=n),
            st.lists(st.floats(-5, 5), min_size=n, max_size=n),
        )
    )
)
def test_numeric_matches_direct_numpy(pair):
    a, b = (np.array(v, float) for v in pair)
    if not (np.any(a) and np.any(b)) or (a @ a) < 1e-6 or (b @ b) < 1e-6:
        return
    unit = (a @ b) ** 2 / ((a @ a) * (b @ b))
    grad = (a @ b) ** 2 / (b @ b) ** 2
    assert theory.improvement_ratio_unit_step(a, b) == pytest.approx(unit, rel=1e-12, abs=1e-15)
    assert theory.improvement_ratio_gradient_step(a, b) == pytest.approx(grad, rel=1e-12, abs=1e-15)
    lam = theory.derivation("improvement-ratios").numeric(a @ b, np.sqrt(a @ a), np.sqrt(b @ b))
    assert lam[0] == pytest.approx(unit, rel=1e-12, abs=1e-15)
    assert lam[1] == pytest.approx(grad, rel=1e-12, abs=1e-15)


def _ratio_of_means(num, den):
    """Ratio of sample means and its delta-method standard error."""
    r = num.mean() / den.mean()
    cov = np.cov(num, den)
    var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / den.mean() ** 2 / num.size
    return r, math.sqrt(var)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 1, 1, 0, 0, 0], [1, 0, 0, 1, 0, 0]),
        ([1, 0, 0, 0], [1, 1, 1, 0]),
        ([1, -1, 1, 1], [1, 1, 1, 0]),
    ],
)
def test_ratios_against_monte_carlo_of_actual_steps(a, b):
    """Take the actual small steps and measure the change of E_B (no formula used)."""
    a, b = np.array(a, float), np.array(b, float)
    rng = np.random.default_rng(np.random.SeedSequence(7))
    g = rng.standard_normal((200_000, a.size))  # weight error e = g (sigma = 1)
    step = 1e-6

    def error_b(e):
        return 0.5 * (e @ b) ** 2

    def improvement(direction):
        return (error_b(g) - error_b(g + direction)) / step

    grad_a = (g @ a)[:, None] * a
    grad_b = (g @ b)[:, None] * b
    unit_a = -step * grad_a / np.linalg.norm(grad_a, axis=1, keepdims=True)
    unit_b = -step * grad_b / np.linalg.norm(grad_b, axis=1, keepdims=True)
    r, se = _ratio_of_means(improvement(unit_a), improvement(unit_b))
    assert abs(r - theory.improvement_ratio_unit_step(a, b)) < 4 * se
    assert se < 0.01
    r, se = _ratio_of_means(improvement(-step * grad_a), improvement(-step * grad_b))
    assert abs(r - theory.improvement_ratio_gradient_step(a, b)) < 4 * se
    assert se < 0.01


def test_per_trial_gradient_ratio_is_cauchy():
    """X/Y against scipy's Cauchy law (location rho sd_x/sd_y, scale sqrt(1-rho^2) sd_x/sd_y)."""
    a, b = np.array([1.0, 1, 1, 0]), np.array([1.0, 0, 1, 1])
    rng = np.random.default_rng(np.random.SeedSequence(11))
    g = rng.standard_normal((20_000, 4))
    ratio = (g @ a) / (g @ b)
    rho = a @ b / math.sqrt((a @ a) * (b @ b))
    scale = math.sqrt(a @ a) / math.sqrt(b @ b)
    law = stats.cauchy(loc=rho * scale, scale=math.sqrt(1 - rho * rho) * scale)
    assert stats.kstest(ratio, law.cdf).pvalue > 1e-3
    # and the law is really heavy-tailed: a normal with the sample's IQR is rejected
    normal = stats.norm(loc=np.median(ratio), scale=stats.iqr(ratio) / 1.349)
    assert stats.kstest(ratio, normal.cdf).pvalue < 1e-6


@given(vector_pairs())
def test_footnote_2_fails_when_lengths_differ(pair):
    a, b = (np.array(v, float) for v in pair)
    unit = theory.improvement_ratio_unit_step(a, b)
    grad = theory.improvement_ratio_gradient_step(a, b)
    assert grad == pytest.approx(unit * (a @ a) / (b @ b), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("a", "b", "name"),
    [
        ([0, 0], [1, 0], "a"),
        ([1, 0], [0, 0], "b"),
        ([1, 0], [1, 0, 1], "b"),
        ([float("nan"), 1], [1, 0], "a"),
        ([1, float("inf")], [1, 0], "a"),
        ([], [1], "a"),
    ],
)
def test_bad_vectors(a, b, name):
    for fn in (theory.improvement_ratio_unit_step, theory.improvement_ratio_gradient_step):
        with pytest.raises(theory.ParameterError, match=rf"^{name}: expected"):
            fn(a, b)
