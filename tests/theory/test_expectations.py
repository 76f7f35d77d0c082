"""Item 5(a): exact E[cos theta], the orthant law and E|XY| (expectations.py).

Three ways: exact (sympy differences simplify to 0, exact values at rational rho),
numeric (closed forms against direct numpy on hypothesis-drawn rho), and classical
references (scipy's bivariate normal CDF, mpmath quadrature, Monte Carlo).
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats
from sympy.stats import E as sympy_expectation
from sympy.stats import Normal
from transfer_strategies import rhos

import theory
from theory._gaussian import gaussian_expectation, half_normal_mean

RHO = sp.Symbol("rho", real=True)


def test_derivation_checks_are_exactly_zero():
    d = theory.derivation("expected-cos-exact")
    for name in ("product-to-sum", "orthant-check", "closed-form-check", "abs-product-check"):
        assert d.step(name).expr == 0, name
    assert sp.simplify(d.result - RHO * 2 / sp.pi * sp.asin(RHO)) == 0
    sx, sy = sp.symbols("sigma_x sigma_y", positive=True)
    assert d.step("covariance").expr.rhs == RHO * sx * sy
    assert d.step("variance-y").expr.rhs == sy**2
    assert d.step("paper-value").expr.rhs == RHO**2


def test_exact_values_at_rational_rho():
    d = theory.derivation("expected-cos-exact")
    assert d.result.subs(RHO, sp.Rational(1, 2)) == sp.Rational(1, 6)
    assert d.result.subs(RHO, 1) == 1
    assert d.result.subs(RHO, -1) == 1
    assert d.result.subs(RHO, 0) == 0
    orthant = d.step("orthant").expr.rhs
    assert orthant.subs(RHO, sp.Rational(1, 2)) == sp.Rational(2, 3)
    abs_product = d.step("abs-product").expr.rhs.subs(
        dict.fromkeys(sp.symbols("sigma_x sigma_y", positive=True), 1)
    )
    assert sp.simplify(abs_product.subs(RHO, 0) - 2 / sp.pi) == 0
    assert abs_product.subs(RHO, 1) == 1  # the paper's stated value is exact only at |rho| = 1
    gap = theory.derivation("cos-gap")
    assert gap.step("gap-at-half").expr.rhs == sp.Rational(-1, 12)
    assert gap.step("relative-limit").expr == 2 / sp.pi


def test_gaussian_helper_agrees_with_sympy_stats():
    u, z = sp.symbols("U Z", real=True)
    a, b, rho = sp.Symbol("a", positive=True), sp.Symbol("b", positive=True), RHO
    expr = (a * u) ** 2 * (b * (rho * u + sp.sqrt(1 - rho**2) * z)) ** 2
    ours = gaussian_expectation(expr, {u: sp.Integer(1), z: sp.Integer(1)})
    un, zn = Normal("U", 0, 1), Normal("Z", 0, 1)
    reference = sympy_expectation(expr.subs({u: un, z: zn}))
    assert sp.simplify(ours - reference) == 0
    assert sp.simplify(half_normal_mean() - sympy_expectation(sp.Abs(un))) == 0


@given(rhos)
def test_numeric_matches_direct_numpy(rho):
    direct = rho * (2 / np.pi) * np.arcsin(rho)
    assert theory.expected_cos_theta(rho) == pytest.approx(direct, abs=1e-15)
    assert theory.derivation("expected-cos-exact").numeric(rho) == pytest.approx(direct, abs=1e-15)
    assert theory.paper_expected_cos(rho) == pytest.approx(rho * rho, abs=1e-15)
    assert theory.cos_gap(rho) == pytest.approx(direct - rho * rho, abs=1e-15)
    assert theory.cos_gap(rho) <= 1e-15  # the paper never underestimates
    bounds = (2 / np.pi * rho * rho - 1e-15, rho * rho + 1e-15)
    assert bounds[0] <= theory.expected_cos_theta(rho) <= bounds[1]
    e_abs = 2 / np.pi * (np.sqrt(1 - rho * rho) + rho * np.arcsin(rho))
    assert theory.expected_abs_product(rho, 2.0, 0.5) == pytest.approx(e_abs, rel=1e-14)


@given(st.floats(-0.995, 0.995))
def test_orthant_probability_against_scipy_bivariate_normal_cdf(rho):
    # P(XY > 0) = P(X < 0, Y < 0) + P(X > 0, Y > 0) = 2 P(X < 0, Y < 0).
    mvn = stats.multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    reference = 2.0 * mvn.cdf([0.0, 0.0])
    assert theory.orthant_probability(rho) == pytest.approx(reference, abs=2e-5)


@pytest.mark.parametrize("rho", [-0.9, -0.3, 0.0, 0.25, 0.5, 0.8, 0.99])
def test_abs_product_against_mpmath_quadrature(rho):
    # Independent route: E|XY| = E[|X| E[|Y| | X]], Y | X = x ~ N(rho x, 1 - rho^2),
    # folded-normal mean E|N(m, s^2)| = s sqrt(2/pi) exp(-m^2/(2 s^2)) + m erf(m/(s sqrt 2)).
    mpmath.mp.dps = 30
    r = mpmath.mpf(rho)
    s = mpmath.sqrt(1 - r * r)

    def integrand(x):
        m = r * x
        folded = s * mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(
            -(m**2) / (2 * s * s)
        ) + m * mpmath.erf(m / (s * mpmath.sqrt(2)))
        return abs(x) * folded * mpmath.npdf(x)

    reference = 2 * mpmath.quad(integrand, [0, mpmath.inf])  # integrand is even in x
    got = theory.expected_abs_product(rho, 1.5, 0.7)
    assert got == pytest.approx(float(reference) * 1.5 * 0.7, rel=1e-13)
    assert theory.expected_abs_product(rho) < 1.0  # below the paper's stated sd_x sd_y


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 1, 0, 0], [1, 0, 1, 0]),
        ([1, 1, 1, 0, 1], [1, 1, 1, 1, 0]),
        ([1, -1, 0, 1], [1, 1, 1, 1]),
    ],
)
def test_expected_cos_against_monte_carlo(a, b):
    """cos(theta) between the actual steepest-descent directions, averaged over noise."""
    a, b = np.array(a, float), np.array(b, float)
    rng = np.random.default_rng(np.random.SeedSequence(20240601))
    g = rng.standard_normal((200_000, a.size))
    grad_a = (g @ a)[:, None] * a  # dE_A/dw = (a.g) a
    grad_b = (g @ b)[:, None] * b
    cos = (
        np.sum(grad_a * grad_b, 1) / np.linalg.norm(grad_a, axis=1) / np.linalg.norm(grad_b, axis=1)
    )
    half_width = 3.29 * cos.std(ddof=1) / math.sqrt(cos.size)  # 99.9 %
    rho = a @ b / math.sqrt((a @ a) * (b @ b))
    exact = theory.expected_cos_theta(rho)
    assert abs(cos.mean() - exact) < half_width
    assert half_width < 0.005  # narrow enough to tell 1/6 from 1/4
    if 0 < abs(rho) < 1:
        assert abs(cos.mean() - rho * rho) > 5 * half_width  # the paper's rho^2 is outside


def test_gap_extremum_against_scipy_optimizer():
    found = optimize.minimize_scalar(
        lambda r: float(theory.cos_gap(r)),
        bounds=(0.0, 1.0),
        method="bounded",
        options={"xatol": 1e-12},
    )
    extremum = theory.cos_gap_extremum()
    assert extremum["rho"] == pytest.approx(found.x, abs=1e-6)
    assert extremum["gap"] == pytest.approx(found.fun, abs=1e-12)
    assert extremum["rho"] == pytest.approx(0.8569786226256515, abs=1e-15)
    assert extremum["gap"] == pytest.approx(-0.1728150646114145, abs=1e-15)
    stationary = theory.derivation("cos-gap").step("stationary").expr.lhs
    assert abs(float(stationary.subs(RHO, extremum["rho"]))) < 1e-14


def test_arrays_keep_their_shape():
    grid = np.linspace(-1, 1, 12).reshape(3, 4)
    out = theory.expected_cos_theta(grid)
    assert isinstance(out, np.ndarray) and out.shape == (3, 4)
    assert isinstance(theory.expected_cos_theta(0.5), float)


@pytest.mark.parametrize("bad", [1.5, -1.0001, float("nan"), float("inf"), [0.2, 2.0], "x"])
def test_bad_rho_is_one_line_parameter_error(bad):
    for fn in (
        theory.expected_cos_theta,
        theory.paper_expected_cos,
        theory.cos_gap,
        theory.orthant_probability,
        theory.expected_abs_product,
    ):
        with pytest.raises(theory.ParameterError, match=r"^rho: expected") as info:
            fn(bad)
        assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), True, "1"])
def test_bad_sd_is_parameter_error(bad):
    with pytest.raises(theory.ParameterError, match=r"^sd_x: expected a positive finite number"):
        theory.expected_abs_product(0.5, sd_x=bad)
