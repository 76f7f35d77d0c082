"""Item 6: exact moments and E[cos theta] over the random input ensembles (ensembles.py)."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from theory.ensembles import exact_probability

N, Q, P = (
    sp.Symbol("n", positive=True, integer=True),
    sp.Symbol("q", positive=True),
    sp.Symbol("p", positive=True),
)


def _vectors(inputs, n):
    values = (0, 1) if inputs == "zero-one" else (-1, 0, 1)
    return np.array(list(itertools.product(values, repeat=n)), dtype=np.int64)


def _weights(inputs, vecs, prob):
    """Exact Fraction probability of each vector."""
    out = []
    for v in vecs:
        w = Fraction(1)
        for x in v:
            if inputs == "zero-one":
                w *= prob if x else 1 - prob
            else:
                w *= prob if x else 1 - 2 * prob
        out.append(w)
    return out


def test_moment_derivations_are_exact():
    for name, closed in (
        (
            "ensemble-moments-zero-one",
            (N * Q**2 * (1 - Q**2) + N**2 * Q**4, N * Q * (1 - Q) + N**2 * Q**2),
        ),
        ("ensemble-moments-signed", (4 * P**2 * N, 2 * P * N * (1 - 2 * P) + 4 * P**2 * N**2)),
    ):
        d = theory.derivation(name)
        assert d.step("C-check").expr == 0 and d.step("D-check").expr == 0
        c_moment, d_moment, ratio = d.result
        assert sp.simplify(c_moment - closed[0]) == 0
        assert sp.simplify(d_moment - closed[1]) == 0
        assert sp.simplify(ratio - closed[0] / closed[1]) == 0
    assert theory.derivation("ensemble-moments-zero-one").step("c-limit").expr.rhs == Q**2
    assert theory.derivation("ensemble-moments-signed").step("c-limit").expr.rhs == 0


def test_paper_n10_values_are_exact_rationals():
    m = theory.ensemble_moments("zero-one", 10, q=0.5)
    assert (m["C"], m["D"], m["c"]) == (sp.Rational(65, 8), sp.Rational(55, 2), sp.Rational(13, 44))
    w = theory.ensemble_moments("zero-one", 10, q=Fraction(1, 2), without_replacement=True)
    assert (w["C"], w["D"], w["c"]) == (
        sp.Rational(535, 66),
        sp.Rational(55, 2),
        sp.Rational(107, 363),
    )
    s = theory.ensemble_moments("signed", 10, p=sp.Rational(1, 4))
    assert (s["C"], s["c"]) == (sp.Rational(5, 2), sp.Rational(1, 11))


@settings(max_examples=30)
@given(st.sampled_from(["zero-one", "signed"]), st.integers(1, 3), st.integers(1, 12))
def test_moments_against_exact_brute_force(inputs, n, k):
    prob = Fraction(k, 12) if inputs == "zero-one" else Fraction(k, 24)
    vecs = _vectors(inputs, n)
    weights = _weights(inputs, vecs, prob)
    gram = (vecs @ vecs.T).tolist()
    c_total = sum(
        wi * wj * gram[i][j] ** 2 for i, wi in enumerate(weights) for j, wj in enumerate(weights)
    )
    d_total = sum(w * gram[i][i] ** 2 for i, w in enumerate(weights))
    kwargs = {"q": prob} if inputs == "zero-one" else {"p": prob}
    got = theory.ensemble_moments(inputs, n, **kwargs)
    assert got["C"] == sp.Rational(c_total.numerator, c_total.denominator)
    assert got["D"] == sp.Rational(d_total.numerator, d_total.denominator)
    lam = theory.derivation(f"ensemble-moments-{inputs}").numeric(n, float(prob))
    assert float(lam[2]) == pytest.approx(float(got["c"]), rel=1e-13)


@pytest.mark.parametrize(
    ("inputs", "n"),
    [("zero-one", 1), ("zero-one", 3), ("zero-one", 4), ("signed", 1), ("signed", 3)],
)
def test_moments_without_replacement_against_brute_force(inputs, n):
    vecs = _vectors(inputs, n)
    gram = vecs @ vecs.T
    big_n = len(vecs)
    off = ~np.eye(big_n, dtype=bool)
    c_total = Fraction(int(np.sum(gram[off] ** 2)), big_n * (big_n - 1))
    d_total = Fraction(int(np.sum(np.diag(gram) ** 2)), big_n)
    kwargs = {"q": 0.5} if inputs == "zero-one" else {"p": 1 / 3}
    got = theory.ensemble_moments(inputs, n, without_replacement=True, **kwargs)
    assert got["C"] == sp.Rational(c_total.numerator, c_total.denominator)
    assert got["D"] == sp.Rational(d_total.numerator, d_total.denominator)


def _brute_force_average(inputs, n, prob, without_replacement, fn):
    vecs = _vectors(inputs, n).astype(float)
    if inputs == "zero-one":
        w = np.prod(np.where(vecs == 1, prob, 1 - prob), axis=1)
    else:
        w = np.prod(np.where(vecs == 0, 1 - 2 * prob, prob), axis=1)
    keep = np.any(vecs != 0, axis=1)
    vecs, w = vecs[keep], w[keep]
    squares = np.sum(vecs**2, axis=1)  # integers: sqrt of their product is exact for x = y
    rho = np.clip((vecs @ vecs.T) / np.sqrt(np.outer(squares, squares)), -1, 1)
    pair_w = np.outer(w, w)
    if without_replacement:
        pair_w = np.ones_like(pair_w)
        np.fill_diagonal(pair_w, 0.0)
    return float(np.sum(pair_w * fn(rho)) / np.sum(pair_w))


def _cos(rho):
    return rho * 2 / np.pi * np.arcsin(rho)


@settings(max_examples=30)
@given(st.sampled_from(["zero-one", "signed"]), st.integers(1, 6), st.integers(1, 20))
def test_expected_cos_and_rho_squared_against_brute_force(inputs, n, k):
    if inputs == "signed":
        n = min(n, 4)
        prob = k / 40
    else:
        prob = k / 20
    kwargs = {"q": prob} if inputs == "zero-one" else {"p": prob}
    got = theory.ensemble_expected_cos(inputs, n, **kwargs)
    assert got == pytest.approx(_brute_force_average(inputs, n, prob, False, _cos), rel=1e-12)
    got2 = theory.ensemble_expected_rho_squared(inputs, n, **kwargs)
    ref2 = _brute_force_average(inputs, n, prob, False, lambda r: r * r)
    assert got2 == pytest.approx(ref2, rel=1e-12)


@pytest.mark.parametrize(
    ("inputs", "n"), [("zero-one", 2), ("zero-one", 6), ("signed", 1), ("signed", 4)]
)
def test_without_replacement_against_brute_force(inputs, n):
    prob, kwargs = (0.5, {"q": 0.5}) if inputs == "zero-one" else (1 / 3, {"p": 1 / 3})
    for fn, ours in (
        (_cos, theory.ensemble_expected_cos),
        (lambda r: r * r, theory.ensemble_expected_rho_squared),
    ):
        got = ours(inputs, n, without_replacement=True, **kwargs)
        assert got == pytest.approx(_brute_force_average(inputs, n, prob, True, fn), rel=1e-12)


def test_expected_cos_against_monte_carlo_at_paper_n():
    """Random 0/1 pairs at n = 10, q = 1/2, and noise: the angle between the actual gradients."""
    rng = np.random.default_rng(np.random.SeedSequence(1987))
    n, size = 10, 400_000
    a = (rng.random((size, n)) < 0.5).astype(float)
    b = (rng.random((size, n)) < 0.5).astype(float)
    keep = a.any(1) & b.any(1)
    a, b = a[keep], b[keep]
    g = rng.standard_normal(a.shape)
    ga, gb = np.sum(a * g, 1)[:, None] * a, np.sum(b * g, 1)[:, None] * b
    cos = np.sum(ga * gb, 1) / np.linalg.norm(ga, axis=1) / np.linalg.norm(gb, axis=1)
    half_width = 3.29 * cos.std(ddof=1) / math.sqrt(cos.size)
    exact = theory.ensemble_expected_cos("zero-one", n, q=0.5)
    assert abs(cos.mean() - exact) < half_width
    assert half_width < 0.003
    assert exact == pytest.approx(0.19330882594398233, rel=1e-12)
    # The paper's .25 (and E[rho^2]) lie far outside the interval.
    assert abs(cos.mean() - 0.25) > 10 * half_width
    assert (
        abs(cos.mean() - theory.ensemble_expected_rho_squared("zero-one", n, q=0.5))
        > 10 * half_width
    )


def test_zero_one_limits():
    big = theory.ensemble_expected_cos("zero-one", 200, q=0.5)
    assert big == pytest.approx(1 / 6, abs=2e-3)  # -> q (2/pi) asin q = 1/6
    assert theory.ensemble_expected_rho_squared("zero-one", 200, q=0.5) == pytest.approx(
        0.25, abs=2e-3
    )
    assert theory.ensemble_expected_cos("zero-one", 7, q=1) == pytest.approx(1.0, abs=1e-15)


def test_exact_probability_conversion():
    assert exact_probability("q", 0.1, Fraction(1)) == sp.Rational(1, 10)
    assert exact_probability("p", 1 / 3, Fraction(1, 2)) == sp.Rational(1, 3)
    assert exact_probability("q", Fraction(2, 7), Fraction(1)) == sp.Rational(2, 7)
    assert exact_probability("q", sp.Rational(3, 5), Fraction(1)) == sp.Rational(3, 5)
    assert exact_probability("q", 1, Fraction(1)) == 1
    assert exact_probability("q", 1e-13, Fraction(1)) == sp.Rational(Fraction(1e-13))
    assert float(exact_probability("q", 0.123456789, Fraction(1))) == 0.123456789  # round trip


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"inputs": "binary", "n": 3, "q": 0.5}, r"^inputs: expected"),
        ({"inputs": "zero-one", "n": 3}, r"^q: expected"),
        ({"inputs": "zero-one", "n": 3, "q": 0.5, "p": 0.2}, r"^p: expected no p"),
        ({"inputs": "signed", "n": 3}, r"^p: expected"),
        ({"inputs": "signed", "n": 3, "p": 0.2, "q": 0.5}, r"^q: expected no q"),
        ({"inputs": "zero-one", "n": 3, "q": 0.0}, r"^q: expected a number in \(0, 1\]"),
        ({"inputs": "zero-one", "n": 3, "q": 1.01}, r"^q: expected a number in \(0, 1\]"),
        ({"inputs": "zero-one", "n": 3, "q": float("nan")}, r"^q: expected"),
        ({"inputs": "zero-one", "n": 3, "q": True}, r"^q: expected"),
        ({"inputs": "signed", "n": 3, "p": 0.51}, r"^p: expected a number in \(0, 1/2\]"),
        ({"inputs": "signed", "n": 3, "p": float("inf")}, r"^p: expected"),
        ({"inputs": "zero-one", "n": 0, "q": 0.5}, r"^n: expected"),
        ({"inputs": "zero-one", "n": 2.5, "q": 0.5}, r"^n: expected"),
        (
            {"inputs": "zero-one", "n": 3, "q": 0.3, "without_replacement": True},
            r"^without_replacement: expected q = 1/2",
        ),
        (
            {"inputs": "signed", "n": 3, "p": 0.25, "without_replacement": True},
            r"^without_replacement: expected p = 1/3",
        ),
    ],
)
def test_bad_ensembles(kwargs, pattern):
    for fn in (
        theory.ensemble_moments,
        theory.ensemble_expected_cos,
        theory.ensemble_expected_rho_squared,
    ):
        with pytest.raises(theory.ParameterError, match=pattern) as info:
            fn(**kwargs)
        assert "\n" not in str(info.value)


def test_enumeration_limits():
    with pytest.raises(theory.ParameterError, match=r"^n: expected an integer in \[1, 400\]"):
        theory.ensemble_expected_cos("signed", 401, p=0.25)
    with pytest.raises(theory.ParameterError, match=r"^n: expected n >= 2"):
        theory.ensemble_expected_cos("zero-one", 1, q=0.5, without_replacement=True)


def test_rho_squared_closed_form_derivation():
    d = theory.derivation("ensemble-rho-squared")
    assert d.step("conditional-check").expr == 0
    assert d.step("closed-form-check").expr == 0
    assert d.step("large-n").expr.rhs == Q**2
    assert theory.ensemble_expected_rho_squared_exact("zero-one", 2, q=0.5) == sp.Rational(5, 9)
    assert theory.ensemble_expected_rho_squared_exact("signed", 7, p=0.2) == sp.Rational(1, 7)


@settings(max_examples=30)
@given(st.sampled_from(["zero-one", "signed"]), st.integers(1, 3), st.integers(1, 12))
def test_rho_squared_closed_form_against_exact_brute_force(inputs, n, k):
    prob = Fraction(k, 12) if inputs == "zero-one" else Fraction(k, 24)
    vecs = [v for v in _vectors(inputs, n).tolist() if any(v)]
    weights = _weights(inputs, vecs, prob)
    total = norm = Fraction(0)
    for v, wv in zip(vecs, weights, strict=True):
        for u, wu in zip(vecs, weights, strict=True):
            dot = sum(x * y for x, y in zip(v, u, strict=True))
            total += wv * wu * Fraction(dot * dot, sum(x * x for x in v) * sum(y * y for y in u))
            norm += wv * wu
    kwargs = {"q": prob} if inputs == "zero-one" else {"p": prob}
    exact = theory.ensemble_expected_rho_squared_exact(inputs, n, **kwargs)
    assert exact == sp.Rational((total / norm).numerator, (total / norm).denominator)


@pytest.mark.parametrize(
    ("inputs", "n", "kwargs"),
    [
        ("zero-one", 200, {"q": 0.5}),
        ("zero-one", 37, {"q": 0.13}),
        ("zero-one", 10, {"q": 0.5, "without_replacement": True}),
        ("signed", 150, {"p": 0.05}),
        ("signed", 9, {"p": 1 / 3, "without_replacement": True}),
    ],
)
def test_enumeration_against_closed_form_at_larger_n(inputs, n, kwargs):
    exact = theory.ensemble_expected_rho_squared_exact(inputs, n, **kwargs)
    assert theory.ensemble_expected_rho_squared(inputs, n, **kwargs) == pytest.approx(
        float(exact), rel=1e-11
    )
