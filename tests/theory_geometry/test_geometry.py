"""Sec. 4.1 and 5.3: positive transfer in the two-weight network, and the paper's ellipse reading.

Each result three ways: exact (sympy), numeric (direct numpy counting / quadrature on
hypothesis-generated angles and contractions), classical reference (scipy's bivariate
normal CDF for the orthant law, mpmath at high precision for the elliptic integrals).
"""

import itertools
import math

import mpmath
import numpy as np
import pytest
import scipy.integrate
import scipy.optimize
import scipy.stats
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import theory
from theory import (
    ParameterError,
    derivation,
    fig4_geometry,
    largest_arc_fraction_gap,
    paper_arc_fraction_gap,
    paper_ellipse_arc_fraction,
    positive_transfer_probability,
)

angles = st.floats(0.5, 179.5, allow_nan=False)
contractions = st.floats(0.01, 1.0, allow_nan=False)
radii = st.floats(1e-3, 1e3, allow_nan=False)


def _vectors(angle):
    phi = math.radians(angle)
    return np.array([1.0, 0.0]), np.array([math.cos(phi), math.sin(phi)])


def _transfer_rate(points, angle):
    """(a.e')(b.e')(a.b) for points of shape (N, 2): > 0 is positive transfer."""
    a, b = _vectors(angle)
    return (points @ a) * (points @ b) * float(a @ b)


# ---------------------------------------------------------------- exact (sympy)


@pytest.mark.parametrize(
    "step",
    [
        "rate-check",
        "sign-rule",
        "boundary-line-2",
        "measure-cot-positive",
        "measure-cot-negative",
        "result-check",
        "orthant-check",
        "start-derivative",
        "start-value",
    ],
)
def test_geometry_derivation_checks_simplify_to_zero(step):
    assert derivation("geometry-positive-transfer").step(step).expr == 0


def test_line_1_crosses_the_circle_at_quarter_turns():
    expr = derivation("geometry-positive-transfer").step("boundary-line-1").expr
    assert expr == sp.FiniteSet(sp.pi / 2, 3 * sp.pi / 2)


def test_start_of_retraining_is_the_two_larger_arcs():
    d = derivation("geometry-positive-transfer")
    phi = d.symbols[0]
    assert sp.simplify(d.step("start").expr.rhs - (1 - phi / sp.pi)) == 0
    assert d.step("example-60").expr.rhs == sp.Rational(2, 3)
    assert d.step("example-90").expr.rhs == sp.Rational(1, 2)  # every lambda


@pytest.mark.parametrize("k", [2, 3, 4, 6, 12])
def test_exact_values_at_special_angles(k):
    d = derivation("geometry-positive-transfer")
    phi, lam = d.symbols
    assert sp.nsimplify(d.result.subs({phi: sp.pi / k, lam: 1})) == 1 - sp.Rational(1, k)
    # phi > 90 degrees: the larger sectors have angle phi.
    assert sp.nsimplify(d.result.subs({phi: sp.pi - sp.pi / k, lam: 1})) == 1 - sp.Rational(1, k)
    # lambda = 1/sqrt(3) at 30 degrees: atan(1) -> 3/4 exactly.
    assert sp.simplify(d.result.subs({phi: sp.pi / 6, lam: 1 / sp.sqrt(3)})) == sp.Rational(3, 4)


def test_transfer_decays_exactly():
    d = derivation("transfer-decays")
    phi, lam = d.symbols
    assert d.step("slope-positive").expr == sp.true
    assert d.step("limit").expr.rhs == sp.Rational(1, 2)
    slope = sp.simplify(sp.diff(derivation("geometry-positive-transfer").result, lam))
    assert sp.simplify(slope - d.result) == 0
    assert d.result.subs(phi, sp.pi / 2) == 0  # orthogonal inputs: no transfer at all
    r = sp.Symbol("r", positive=True)
    assert sp.simplify(d.step("mean-rate").expr.rhs - r**2 * lam**2 * sp.cos(phi) ** 2 / 2) == 0


@pytest.mark.parametrize(
    "step",
    [
        "speed-check",
        "arc-length-check",
        "fraction-check",
        "start-check",
        "stationary",
        "acos-check",
        "supremum-check",
    ],
)
def test_ellipse_derivation_checks_simplify_to_zero(step):
    assert derivation("ellipse-arc-fraction").step(step).expr == 0


def test_floats_give_floats_and_arrays_broadcast():
    assert positive_transfer_probability(60, 1.0) == pytest.approx(2 / 3, abs=1e-15)
    assert paper_ellipse_arc_fraction(60.0, 1) == pytest.approx(2 / 3, abs=1e-15)
    assert isinstance(positive_transfer_probability(60, 0.5), float)
    lam = np.array([0.01, 0.3, 1.0])
    np.testing.assert_allclose(positive_transfer_probability(90, lam), 0.5, atol=1e-15)
    np.testing.assert_allclose(paper_ellipse_arc_fraction(90, lam), 0.5, atol=1e-15)
    grid = positive_transfer_probability(np.array([[30.0], [150.0]]), lam)
    assert grid.shape == (2, 3)
    np.testing.assert_allclose(grid[0], grid[1], rtol=1e-13)


# ------------------------------------------------------ numeric (independent numpy)


@given(angles, contractions, radii)
def test_probability_against_counting_points_carried_from_the_circle(angle, lam, r):
    n = 20_000
    t = 2 * np.pi * (np.arange(n) + 0.5 * (math.sqrt(5) - 1)) / n  # shifted uniform grid
    ellipse = r * np.column_stack([lam * np.cos(t), np.sin(t)])
    counted = np.mean(_transfer_rate(ellipse, angle) > 0)
    # Each of the 4 boundaries misclassifies at most one grid point.
    assert abs(counted - positive_transfer_probability(angle, lam)) <= 4 / n + 1e-12


def _arc_fraction_by_quadrature(angle, lam):
    """Arc length of the ellipse in the positive sectors by scipy quad (no elliptic functions)."""
    phi = math.radians(angle)

    def speed(t):
        return math.hypot(lam * math.sin(t), math.cos(t))

    def b_dot(t):
        return lam * math.cos(phi) * math.cos(t) + math.sin(phi) * math.sin(t)

    root = scipy.optimize.brentq(b_dot, -np.pi / 2, np.pi / 2, xtol=1e-15)
    cuts = [-np.pi / 2, root, np.pi / 2, root + np.pi, 3 * np.pi / 2]
    positive = total = 0.0
    for lo, hi in itertools.pairwise(cuts):
        length = scipy.integrate.quad(speed, lo, hi, epsabs=1e-14, epsrel=1e-13)[0]
        mid = 0.5 * (lo + hi)
        point = np.array([[lam * math.cos(mid), math.sin(mid)]])
        total += length
        positive += length if _transfer_rate(point, angle)[0] > 0 else 0.0
    return positive / total


@given(angles, contractions)
def test_arc_fraction_against_direct_quadrature(angle, lam):
    expected = _arc_fraction_by_quadrature(angle, lam)
    assert paper_ellipse_arc_fraction(angle, lam) == pytest.approx(expected, abs=1e-10)


@given(angles, contractions, radii)
def test_arc_fraction_against_a_polyline(angle, lam, r):
    n = 40_000
    t = np.linspace(0, 2 * np.pi, n + 1)
    ellipse = r * np.column_stack([lam * np.cos(t), np.sin(t)])
    lengths = np.hypot(*np.diff(ellipse, axis=0).T)
    mids = 0.5 * (ellipse[1:] + ellipse[:-1])
    fraction = lengths[_transfer_rate(mids, angle) > 0].sum() / lengths.sum()
    # 4 misclassified segments at most, each <= 2 pi r / n, perimeter >= 4 r.
    bound = 4 * (2 * np.pi / n) / 4 + 1e-8
    assert abs(fraction - paper_ellipse_arc_fraction(angle, lam)) <= bound


@given(angles, contractions)
def test_paper_reading_overstates_transfer_but_by_less_than_the_supremum(angle, lam):
    gap = paper_arc_fraction_gap(angle, lam)
    assert -1e-15 <= gap < largest_arc_fraction_gap()["gap"]


@given(angles, st.floats(0.01, 0.99), st.floats(1e-3, 0.2))
def test_both_measures_decay_as_retraining_proceeds(angle, lam, step):
    later = lam * (1 - step)  # a smaller contraction = further into retraining
    if abs(angle - 90) < 1e-9:
        return
    assert positive_transfer_probability(angle, later) < positive_transfer_probability(angle, lam)
    assert paper_ellipse_arc_fraction(angle, later) < paper_ellipse_arc_fraction(angle, lam)
    assert positive_transfer_probability(angle, later) > 0.5


@given(angles, contractions)
def test_symmetric_under_reversing_one_input(angle, lam):
    assert positive_transfer_probability(angle, lam) == pytest.approx(
        positive_transfer_probability(180 - angle, lam), abs=1e-13
    )
    assert paper_ellipse_arc_fraction(angle, lam) == pytest.approx(
        paper_ellipse_arc_fraction(180 - angle, lam), abs=1e-13
    )


def test_gap_grows_towards_its_supremum_in_the_corner():
    """sup(F - P) is approached as lambda -> 0 with lambda cot(phi) = sqrt(pi^2/4 - 1)."""
    best = largest_arc_fraction_gap()
    x_star = best["lambda_cot_phi"]
    for lam, tol in [(1e-2, 3e-3), (1e-4, 1e-5)]:
        angle = math.degrees(math.atan(lam / x_star))
        assert 0 < best["gap"] - paper_arc_fraction_gap(angle, lam) < tol
    phi = np.linspace(0.05, 90, 400)[:, None]
    lam = np.linspace(1e-3, 1, 400)[None, :]
    grid = paper_arc_fraction_gap(phi, lam)
    assert grid.max() < best["gap"]
    # The gap at fixed x = lambda |cot phi| grows with m = 1 - lambda^2 (E(u|m)/E(m) increasing).
    from scipy.special import ellipe, ellipeinc

    u = np.linspace(0.01, np.pi / 2 - 0.01, 60)[:, None]
    m = np.linspace(0, 0.999999, 2000)[None, :]
    assert np.all(np.diff(ellipeinc(u, m) / ellipe(m), axis=1) > 0)


# ----------------------------------------------------------- classical references


@given(angles, contractions)
def test_orthant_law_via_scipy_bivariate_normal(angle, lam):
    """Isotropic Gaussian noise: P = P(sign agreement) from scipy's bivariate normal CDF."""
    a, b = _vectors(angle)
    cov_e = np.diag([lam**2, 1.0])  # e' = (lam g1, g2), g ~ N(0, I)
    cov = np.array([[a @ cov_e @ a, a @ cov_e @ b], [b @ cov_e @ a, b @ cov_e @ b]])
    both_positive = scipy.stats.multivariate_normal.cdf(
        [0, 0], mean=[0, 0], cov=cov, abseps=1e-12, releps=1e-12
    )
    same_sign = 2 * both_positive
    expected = same_sign if a @ b > 0 else 1 - same_sign
    assert positive_transfer_probability(angle, lam) == pytest.approx(expected, abs=1e-8)


@given(angles, contractions)
def test_against_mpmath_at_50_digits(angle, lam):
    with mpmath.workdps(50):
        phi = mpmath.radians(mpmath.mpf(angle))
        u = mpmath.atan(mpmath.mpf(lam) * abs(mpmath.cot(phi)))
        m = 1 - mpmath.mpf(lam) ** 2
        exact = mpmath.mpf(1) / 2 + u / mpmath.pi
        paper = mpmath.mpf(1) / 2 + mpmath.ellipe(u, m) / (2 * mpmath.ellipe(m))
    assert positive_transfer_probability(angle, lam) == pytest.approx(float(exact), abs=1e-14)
    assert paper_ellipse_arc_fraction(angle, lam) == pytest.approx(float(paper), abs=1e-12)


def test_supremum_against_mpmath_maximization():
    with mpmath.workdps(40):
        g = lambda x: x / (2 * mpmath.sqrt(1 + x**2)) - mpmath.atan(x) / mpmath.pi  # noqa: E731
        x_star = mpmath.findroot(lambda x: mpmath.diff(g, x), 1.2)
        sup = g(x_star)
    best = largest_arc_fraction_gap()
    assert best["lambda_cot_phi"] == pytest.approx(float(x_star), abs=1e-14)
    assert best["gap"] == pytest.approx(float(sup), abs=1e-15)
    assert best["gap"] == pytest.approx(0.10525683117650936, abs=1e-15)
    assert best["paper_ellipse_arc_fraction"] - best["positive_transfer_probability"] == (
        pytest.approx(best["gap"], abs=1e-15)
    )


def test_key_numbers_at_60_degrees():
    lam = np.array([1.0, 0.5, 0.1])
    np.testing.assert_allclose(
        positive_transfer_probability(60, lam), [2 / 3, 0.5894561875110335, 0.5183572510008665]
    )
    np.testing.assert_allclose(
        paper_ellipse_arc_fraction(60, lam), [2 / 3, 0.6148913048326733, 0.528366007757534]
    )


# ------------------------------------------------------------------------- Fig. 4


@given(angles, contractions, radii)
def test_fig4_arrays_are_consistent(angle, lam, r):
    fig = fig4_geometry(angle, lam, radius=r, points=181)
    a, b = _vectors(angle)
    assert fig["circle"].shape == fig["ellipse"].shape == (181, 2)
    np.testing.assert_allclose(np.hypot(*fig["circle"].T), r, rtol=1e-12)
    x, y = fig["ellipse"].T
    np.testing.assert_allclose((x / lam) ** 2 + y**2, r**2, rtol=1e-10)
    np.testing.assert_allclose(fig["line_1"] @ a, 0, atol=1e-12 * r)
    np.testing.assert_allclose(fig["line_2"] @ b, 0, atol=1e-12 * r)
    for key, on_curve in [
        ("circle_arc_boundaries", lambda p: np.hypot(*p.T) - r),
        ("ellipse_arc_boundaries", lambda p: np.hypot(p[:, 0] / lam, p[:, 1]) - r),
    ]:
        pts = fig[key]
        np.testing.assert_allclose(on_curve(pts), 0, atol=1e-9 * r)
        np.testing.assert_allclose(pts[:2] @ a, 0, atol=1e-9 * r)
        np.testing.assert_allclose(pts[2:] @ b, 0, atol=1e-9 * r)
    np.testing.assert_array_equal(
        fig["ellipse_positive"], _transfer_rate(fig["ellipse"], angle) > 0
    )


def test_fig4_circle_has_the_larger_arcs_positive():
    fig = fig4_geometry(60, 0.4, points=36_001)
    assert fig["circle_positive"][:-1].mean() == pytest.approx(2 / 3, abs=1e-3)
    assert fig["ellipse_positive"][:-1].mean() == pytest.approx(
        positive_transfer_probability(60, 0.4), abs=1e-3
    )


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("angle", [0, 180, -5, 200, float("nan"), float("inf"), "60", True, None])
def test_bad_angle_is_one_line_naming_it(angle):
    for func in (positive_transfer_probability, paper_ellipse_arc_fraction):
        with pytest.raises(ParameterError) as info:
            func(angle, 0.5)
        message = str(info.value)
        assert message.startswith("angle: expected") and "\n" not in message
    with pytest.raises(ParameterError, match=r"^angle: "):
        fig4_geometry(angle, 0.5)


@pytest.mark.parametrize("lam", [0, -0.1, 1.5, float("nan"), float("-inf"), "x"])
def test_bad_contraction_is_one_line_naming_it(lam):
    for func in (positive_transfer_probability, paper_ellipse_arc_fraction):
        with pytest.raises(ParameterError, match=r"^contraction: expected a number in \(0, 1\]"):
            func(60, lam)


def test_angle_degrees_keyword_is_the_same_call():
    """The angle is in degrees; ``angle_degrees=`` says so where the call is written."""
    assert positive_transfer_probability(angle_degrees=60, contraction=0.5) == (
        positive_transfer_probability(60, 0.5)
    )
    assert positive_transfer_probability(angle=60, contraction=0.5) == (
        positive_transfer_probability(60, 0.5)
    )
    grid = positive_transfer_probability(angle_degrees=np.array([30.0, 150.0]), contraction=1.0)
    np.testing.assert_array_equal(grid, positive_transfer_probability([30.0, 150.0], 1.0))


def test_angle_degrees_errors_name_the_unit():
    with pytest.raises(ParameterError, match=r"^angle_degrees: expected an angle in degrees in"):
        positive_transfer_probability(angle_degrees=200, contraction=0.5)
    with pytest.raises(ParameterError, match=r"^angle: expected an angle in degrees in"):
        positive_transfer_probability(-math.pi / 3, 0.5)


@pytest.mark.parametrize(
    "arguments",
    [
        {"angle": 60, "angle_degrees": 60, "contraction": 0.5},
        {"contraction": 0.5},
        {"angle_degrees": 60},
    ],
    ids=["both", "neither", "no-contraction"],
)
def test_angle_given_twice_or_not_at_all_is_a_type_error(arguments):
    with pytest.raises(TypeError, match=r"positive_transfer_probability\(\)"):
        positive_transfer_probability(**arguments)


def test_bad_array_element_is_named():
    with pytest.raises(ParameterError, match=r"^angle: .*got 180\.0"):
        positive_transfer_probability(np.array([30.0, 180.0]), 0.5)
    with pytest.raises(ParameterError, match=r"^contraction: .*got 0\.0"):
        paper_ellipse_arc_fraction(30.0, [0.5, 0.0])
    with pytest.raises(ParameterError, match=r"^radius: "):
        fig4_geometry(30, 0.5, radius=0)
    with pytest.raises(ParameterError, match=r"^points: "):
        fig4_geometry(30, 0.5, points=2)


def test_public_names_are_exported():
    for name in (
        "positive_transfer_probability",
        "paper_ellipse_arc_fraction",
        "paper_arc_fraction_gap",
        "largest_arc_fraction_gap",
        "fig4_geometry",
    ):
        assert name in theory.__all__
    for name in ("geometry-positive-transfer", "ellipse-arc-fraction", "transfer-decays"):
        assert name in theory.list_derivations()


@pytest.mark.parametrize(
    ("angle", "lam_peak", "gap_peak"),
    [(60, 0.4399, 0.02587), (30, 0.3340, 0.05903), (10, 0.1673, 0.09104)],
)
def test_gap_peaks_quoted_in_the_docs(angle, lam_peak, gap_peak):
    res = scipy.optimize.minimize_scalar(
        lambda lam: -paper_arc_fraction_gap(angle, lam),
        bounds=(1e-6, 1),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert res.x == pytest.approx(lam_peak, abs=5e-4)
    assert -res.fun == pytest.approx(gap_peak, abs=5e-6)
