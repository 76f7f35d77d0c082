"""Item 2: Sec. 5.1, Eq. (2) by the paper's route, and its exact counterpart (zero_one.py)."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from transfer_strategies import vector_pairs

import theory


def test_paper_route_is_reproduced_exactly():
    d = theory.derivation("eq2-zero-one")
    n_ab, n_a, n_b = sp.symbols("n_ab n_a n_b", positive=True, integer=True)
    sigma, q = sp.symbols("sigma q", positive=True)
    assert d.step("numerator").expr.rhs == n_ab * sigma**2
    assert d.step("eq2-is-rho-squared").expr == 0
    assert sp.simplify(d.result - n_ab**2 / (n_a * n_b)) == 0
    assert d.step("typical-values").expr.rhs == q**2
    assert d.step("paper-025").expr.rhs == sp.Rational(1, 4)
    assert d.step("exact-at-half").expr.rhs == sp.Rational(1, 6)


def test_exact_denominator_equals_stated_one_only_for_identical_sets():
    d = theory.derivation("eq2-zero-one")
    n_ab, n_a, n_b = sp.symbols("n_ab n_a n_b", positive=True, integer=True)
    sigma = sp.Symbol("sigma", positive=True)
    exact = d.step("exact-denominator").expr.rhs
    stated = d.step("stated-denominator").expr.rhs
    assert sp.simplify(exact.subs({n_ab: 3, n_a: 3, n_b: 3}) - stated.subs({n_a: 3, n_b: 3})) == 0
    half = exact.subs({n_ab: 1, n_a: 2, n_b: 2}) / stated.subs({n_a: 2, n_b: 2})
    assert sp.simplify(half - (sp.sqrt(3) / sp.pi + sp.Rational(1, 6))) == 0  # < 1
    assert sigma in exact.free_symbols


@given(vector_pairs(values=(0, 1), max_n=16))
def test_counts_and_eq2_against_direct_numpy(pair):
    a, b = (np.array(v, float) for v in pair)
    counts = theory.zero_one_counts(a, b)
    assert counts == {"n_ab": int(a @ b), "n_a": int(a.sum()), "n_b": int(b.sum())}
    rho = a @ b / math.sqrt(a.sum() * b.sum())
    paper = theory.paper_cos_zero_one(**counts)
    assert paper == pytest.approx(rho * rho, rel=1e-14, abs=1e-15)
    numeric = theory.derivation("eq2-zero-one").numeric(
        counts["n_ab"], counts["n_a"], counts["n_b"]
    )
    assert numeric == pytest.approx(paper, rel=1e-14, abs=1e-15)


def test_numerator_against_monte_carlo():
    """<(sum_{S_ab} + sum_{S_a-only})(sum_{S_ab} + sum_{S_b-only})> = n_ab sigma^2."""
    a = np.array([1, 1, 1, 1, 0, 0, 1, 0], float)
    b = np.array([1, 1, 0, 0, 1, 1, 1, 0], float)
    sigma = 0.3
    rng = np.random.default_rng(np.random.SeedSequence(5))
    g = sigma * rng.standard_normal((400_000, a.size))
    xy = (g @ a) * (g @ b)
    half_width = 3.29 * xy.std(ddof=1) / math.sqrt(xy.size)
    assert abs(xy.mean() - 3 * sigma**2) < half_width
    assert half_width < 0.05 * 3 * sigma**2


@pytest.mark.parametrize(
    ("args", "name"),
    [((3, 2, 5), "n_ab"), ((-1, 2, 2), "n_ab"), ((1, 0, 2), "n_a"), ((1, 2, 1.5), "n_b")],
)
def test_bad_counts(args, name):
    with pytest.raises(theory.ParameterError, match=rf"^{name}: expected"):
        theory.paper_cos_zero_one(*args)


def test_signed_vector_is_not_zero_one():
    with pytest.raises(theory.ParameterError, match=r"^a: expected components in \{0, 1\}"):
        theory.zero_one_counts([1, -1, 0], [1, 1, 0])
