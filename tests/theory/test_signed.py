"""Item 4: Sec. 5.2: Eq. (3), the numerator 4 p^2 n, the 1/n law, dimension independence."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from transfer_strategies import vector_pairs

import theory

N = sp.Symbol("n", positive=True, integer=True)
P = sp.Symbol("p", positive=True)


def test_eq3_is_rho_squared_exactly():
    d = theory.derivation("eq3-signed")
    agree, disagree = sp.symbols("n_agree n_disagree", positive=True, integer=True)
    sigma = sp.Symbol("sigma", positive=True)
    assert d.step("numerator").expr.rhs == sigma**2 * (agree - disagree)
    assert d.step("eq3-is-rho-squared").expr == 0


def test_numerator_is_expected_squared_length():
    d = theory.derivation("numerator-4p2n")
    assert d.step("step-law-check").expr == 0
    assert d.step("expected-square").expr.rhs == 4 * P**2 * N
    assert d.step("ratio").expr.rhs == 2 / sp.pi  # (E|S|)^2 / E[S^2] for large n


def test_inverse_n_steps():
    d = theory.derivation("inverse-n")
    assert d.result == 1 / N
    assert d.step("rho-squared-exact").expr.rhs == 1 / N
    assert d.step("cos-limit").expr.rhs == 2 / sp.pi


def test_dimension_independence_steps():
    d = theory.derivation("dimension-independence")
    kappa, f = sp.symbols("kappa f", positive=True)
    assert sp.simplify(d.step("limit").expr.rhs - f * kappa / (1 + f * kappa)) == 0
    assert d.step("gap-at-quarter").expr == 0
    gap = d.step("gap").expr.rhs
    assert gap.subs({P: sp.Rational(1, 2), kappa: 10, f: sp.Rational(1, 2), N: 10}) > 0
    assert gap.subs({P: sp.Rational(1, 8), kappa: 10, f: sp.Rational(1, 2), N: 10}) < 0


def _all_signed(n):
    return np.array(list(itertools.product((-1, 0, 1), repeat=n)), dtype=float)


@settings(max_examples=40)
@given(st.integers(1, 5), st.integers(1, 10))
def test_walk_moments_against_brute_force(n, k):
    p = k / 20
    vecs = _all_signed(n)
    w = np.prod(np.where(vecs == 0, 1 - 2 * p, p), axis=1)
    s = vecs @ vecs.T
    pair_w = np.outer(w, w)
    moments = theory.random_walk_moments(n, p)
    assert moments["expected_square"] == pytest.approx(np.sum(pair_w * s**2), rel=1e-12)
    assert moments["expected_square"] == pytest.approx(
        float(theory.derivation("numerator-4p2n").numeric(n, p)), rel=1e-14
    )
    assert moments["expected_length"] == pytest.approx(np.sum(pair_w * np.abs(s)), rel=1e-12)


def test_walk_square_of_length_tends_to_two_over_pi():
    ratios = [theory.random_walk_moments(n, 0.25)["ratio"] for n in (10, 100, 1000)]
    assert ratios[0] < ratios[1] < ratios[2] < 2 / math.pi
    assert ratios[2] == pytest.approx(2 / math.pi, rel=2e-3)


@pytest.mark.parametrize("p", [Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(1, 10)])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_expected_rho_squared_is_exactly_one_over_n(n, p):
    """Exact rational brute force over all pairs of nonzero vectors."""
    vecs = list(itertools.product((-1, 0, 1), repeat=n))[:]
    vecs = [v for v in vecs if any(v)]

    def weight(v):
        out = Fraction(1)
        for x in v:
            out *= p if x else 1 - 2 * p
        return out

    weights = [weight(v) for v in vecs]
    total = Fraction(0)
    norm = Fraction(0)
    for v, wv in zip(vecs, weights, strict=True):
        nv = sum(x * x for x in v)
        for u, wu in zip(vecs, weights, strict=True):
            dot = sum(x * y for x, y in zip(v, u, strict=True))
            total += wv * wu * Fraction(dot * dot, nv * sum(y * y for y in u))
            norm += wv * wu
    assert total / norm == Fraction(1, n)
    assert theory.n_times_expected_rho_squared(n, float(p)) == pytest.approx(1.0, abs=1e-13)


@settings(max_examples=25)
@given(st.integers(1, 60), st.sampled_from([0.05, 0.1, 0.25, 1 / 3, 0.4, 0.5]))
def test_n_expected_cos_bounds_and_rho_squared(n, p):
    value = theory.n_times_expected_cos(n, p)
    assert 2 / math.pi - 1e-12 <= value <= 1 + 1e-12
    assert theory.n_times_expected_rho_squared(n, p) == pytest.approx(1.0, abs=1e-11)


def test_n_expected_cos_approaches_two_over_pi():
    values = [theory.n_times_expected_cos(n, 0.25) for n in (10, 20, 40, 80, 160)]
    assert all(x > y for x, y in itertools.pairwise(values))
    assert values[0] == pytest.approx(0.6695318579004761, rel=1e-12)
    assert values[-1] - 2 / math.pi == pytest.approx(0.00200, abs=5e-5)
    assert values[-1] - 2 / math.pi < 0.5 * (values[-2] - 2 / math.pi) + 1e-4  # O(1/n)


@settings(max_examples=40)
@given(
    st.integers(1, 300),
    st.sampled_from([0.1, 0.25, 1 / 3, 0.5]),
    st.floats(0.1, 20),
    st.floats(0.01, 1),
)
def test_dimension_independence_against_derivation(n, p, kappa, f):
    out = theory.dimension_independence(n, p, kappa, f)
    lam = theory.derivation("dimension-independence").numeric(n, p, kappa, f)
    assert out["improvement_ratio"] == pytest.approx(float(lam), rel=1e-12)
    assert out["limit_improvement_ratio"] == pytest.approx(f * kappa / (1 + f * kappa), rel=1e-14)
    big_m = f * kappa * n
    assert out["paper_improvement_ratio"] == pytest.approx(big_m / (n + big_m - 1), rel=1e-14)
    if p == 0.25:
        assert out["gap"] == pytest.approx(0.0, abs=1e-14)


def test_dimension_independence_gap_shrinks_like_one_over_n():
    gaps = [theory.dimension_independence(n, 0.5, 5, 0.5)["gap"] for n in (10, 100, 1000)]
    assert gaps[0] > gaps[1] > gaps[2] > 0
    assert gaps[0] / gaps[1] == pytest.approx(10, rel=0.1)


@given(vector_pairs(max_n=16))
def test_eq3_counts_against_direct_numpy(pair):
    a, b = (np.array(v, float) for v in pair)
    counts = theory.signed_counts(a, b)
    assert counts["n_agree"] - counts["n_disagree"] == int(a @ b)
    assert (counts["n_a"], counts["n_b"]) == (int(a @ a), int(b @ b))
    rho = a @ b / math.sqrt((a @ a) * (b @ b))
    assert theory.paper_cos_signed(**counts) == pytest.approx(rho * rho, rel=1e-14, abs=1e-15)
    lam = theory.derivation("eq3-signed").numeric(*counts.values())
    assert lam == pytest.approx(rho * rho, rel=1e-14, abs=1e-15)


def test_validation():
    with pytest.raises(theory.ParameterError, match=r"^p: expected a number in \(0, 1/2\]"):
        theory.random_walk_moments(10, 0.6)
    with pytest.raises(theory.ParameterError, match=r"^n: expected"):
        theory.random_walk_moments(0, 0.25)
    with pytest.raises(theory.ParameterError, match=r"^retrained_fraction: expected"):
        theory.dimension_independence(10, 0.25, 1.0, 1.5)
    with pytest.raises(theory.ParameterError, match=r"^associations_per_dimension: expected"):
        theory.dimension_independence(10, 0.25, float("nan"), 0.5)
    with pytest.raises(theory.ParameterError, match=r"^associations_per_dimension: expected"):
        theory.dimension_independence(2, 1 / 3, 10.0, 0.5, without_replacement=True)
    with pytest.raises(theory.ParameterError, match=r"^without_replacement: expected p = 1/3"):
        theory.dimension_independence(10, 0.25, 1.0, 0.5, without_replacement=True)
    with pytest.raises(theory.ParameterError, match=r"^n_disagree: expected"):
        theory.paper_cos_signed(2, 2, 3, 3)
    with pytest.raises(theory.ParameterError, match=r"^a: expected components in \{-1, 0, 1\}"):
        theory.signed_counts([2, 0], [1, 0])
