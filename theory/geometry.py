"""Sec. 4.1 and 5.3: positive transfer in the two-weight network of Figs. 3-4.

Model: two input units, one linear output unit, associations 1 and 2 with inputs
``a`` and ``b`` at angle φ ∈ (0, π) (take ``a = (1, 0)``, ``b = (cos φ, sin φ)``;
only the angle matters). After perfect learning the weights sit at the solution
point O; noise of length r and uniformly random direction moves them to
``e = r (cos t, sin t)`` (t uniform on [0, 2π)). Retraining on association 1 is
gradient descent on ``E_1 = ½(a·e)²``: it multiplies the component of the error
along ``a`` by a contraction λ ∈ (0, 1] (λ = 1: the start of retraining) and leaves
the rest, so the circle's point t is carried to the ellipse point

    e' = r (λ cos t, sin t).

A further infinitesimal step on association 1 improves association 2 at the rate
``(a·e')(b·e')(a·b)`` ("positive transfer" when > 0). Exactly:

    P(positive transfer) = ½ + arctan(λ |cot φ|) / π          (independent of r)

which is ``1 - φ/π`` at λ = 1 for φ ≤ π/2 (the two larger arcs of the circle), is
symmetric under φ → π - φ, and decreases to ½ as λ → 0 (Sec. 5.3: "the transfer
effect diminishes"). The same value holds for isotropic Gaussian noise (the angle
is uniform whatever the radius): it is the orthant law ``½ + arcsin|ρ_λ|/π`` with
``ρ_λ = corr(a·e', b·e')``. The paper's arc-length reading is in :mod:`theory.ellipse`.

Public functions take the angle in **degrees** (60, not π/3) and accept floats or numpy
arrays (broadcast together; a float in gives a float out). An angle in radians is in
(0, 180) too, so it cannot be refused; ``positive_transfer_probability(angle_degrees=60,
contraction=0.5)`` says the unit where the call is written.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt
import sympy as sp

from ._validate import ParameterError, check_angle, check_contraction, is_numeric_like
from .derivation import Derivation, Step, derivation, register

__all__ = ["checked_angles", "positive_transfer_probability", "transfer_decays"]

Array = npt.NDArray[np.float64]

#: Symbols shared by the geometry derivations: φ (radians), λ, r, t.
PHI = sp.Symbol("phi", positive=True)
LAMBDA = sp.Symbol("lambda", positive=True)
RADIUS = sp.Symbol("r", positive=True)
T = sp.Symbol("t", real=True)


def geometry_vectors() -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    """``a = (1, 0)``, ``b = (cos φ, sin φ)`` and the ellipse point ``e' = r (λ cos t, sin t)``."""
    a = sp.Matrix([1, 0])
    b = sp.Matrix([sp.cos(PHI), sp.sin(PHI)])
    e = RADIUS * sp.Matrix([LAMBDA * sp.cos(T), sp.sin(T)])
    return a, b, e


def exact_probability_expr() -> sp.Expr:
    """``½ + atan(λ |cot φ|)/π`` as a sympy expression in (φ, λ)."""
    return sp.Rational(1, 2) + sp.atan(LAMBDA * sp.Abs(sp.cot(PHI))) / sp.pi


@register(
    "geometry-positive-transfer",
    title="Sec. 4.1/5.3: P(positive transfer) = 1/2 + atan(lambda |cot phi|)/pi",
)
def geometry_positive_transfer() -> Derivation:
    """Derive P(positive transfer) = ½ + atan(λ|cot φ|)/π for the two-weight network.

    Steps ``rate-check``, ``sign-rule``, ``boundary-line-2``, ``measure-*``,
    ``orthant-check`` and ``start`` are differences that simplify to 0.
    ``numeric(phi, lambda)`` takes φ in radians (numpy arrays broadcast).
    """
    a, b, e = geometry_vectors()
    eps = sp.Symbol("epsilon", positive=True)
    circle = RADIUS * sp.Matrix([sp.cos(T), sp.sin(T)])
    one_step = sp.simplify(circle - eps * a.dot(circle) * a)  # gradient step on E_1, |a| = 1

    def error_2(w: sp.Matrix) -> sp.Expr:
        return sp.Rational(1, 2) * b.dot(w) ** 2

    rate = -sp.diff(error_2(e - eps * a.dot(e) * a), eps).subs(eps, 0)
    rate = sp.factor(sp.expand(rate))
    rate_check = sp.simplify(rate - a.dot(e) * b.dot(e) * a.dot(b))
    # rate / (r² λ sin φ cos² t) = cos φ (tan t + λ cot φ); the divisor is > 0 (cos t ≠ 0).
    sign_rule = sp.simplify(
        rate / (RADIUS**2 * LAMBDA * sp.sin(PHI) * sp.cos(T) ** 2)
        - sp.cos(PHI) * (sp.tan(T) + LAMBDA * sp.cot(PHI))
    )
    line_1 = sp.solveset(a.dot(e), T, sp.Interval.Ropen(0, 2 * sp.pi))
    t_line_2 = -sp.atan(LAMBDA * sp.cot(PHI))
    line_2_check = sp.simplify(b.dot(e).subs(T, t_line_2))
    # Per half-period (-π/2, π/2) tan is an increasing bijection onto R. With c = cot φ:
    # c > 0 (φ < π/2): positive iff tan t > -λc; c < 0: positive iff tan t < -λc.
    c_pos = sp.Symbol("c", positive=True)
    c_neg = sp.Symbol("c", negative=True)
    target = sp.pi / 2 + sp.atan(LAMBDA * sp.Abs(sp.Symbol("c", real=True)))
    measure_pos = sp.pi / 2 - sp.atan(-LAMBDA * c_pos)
    measure_neg = sp.atan(-LAMBDA * c_neg) + sp.pi / 2
    check_pos = sp.simplify(measure_pos - target.subs(sp.Symbol("c", real=True), c_pos))
    check_neg = sp.simplify(measure_neg - target.subs(sp.Symbol("c", real=True), c_neg))
    negative_fraction = (2 * sp.pi - 2 * (sp.pi / 2 + sp.atan(LAMBDA * sp.Abs(sp.cot(PHI))))) / (
        2 * sp.pi
    )
    result = exact_probability_expr()
    result_check = sp.simplify(1 - negative_fraction - result)
    # Orthant law (Gaussian noise): with s = sin φ > 0 and cos φ = c s.
    s_pos, c_real = sp.Symbol("s", positive=True), sp.Symbol("c", real=True)
    rho = (LAMBDA * sp.cos(PHI)) / sp.sqrt(LAMBDA**2 * sp.cos(PHI) ** 2 + sp.sin(PHI) ** 2)
    rho_c = rho.subs({sp.cos(PHI): c_real * s_pos, sp.sin(PHI): s_pos})
    orthant_check = sp.simplify(rho_c - sp.sin(sp.atan(LAMBDA * c_real)))
    # λ = 1: atan(cot φ) = π/2 - φ on (0, π): derivative 0 and equal at φ = π/4.
    start_derivative = sp.simplify(sp.diff(sp.atan(sp.cot(PHI)) + PHI, PHI))
    start_value = sp.simplify(sp.atan(sp.cot(sp.pi / 4)) + sp.pi / 4 - sp.pi / 2)
    at_start = result.subs(LAMBDA, 1).subs(sp.Abs(sp.cot(PHI)), sp.cot(PHI))  # φ <= π/2
    start = sp.simplify(at_start.subs(sp.atan(sp.cot(PHI)), sp.pi / 2 - PHI))
    p_sym = sp.Symbol("P")
    steps = (
        Step(
            "contraction",
            sp.Eq(sp.Symbol("e_{+}"), one_step, evaluate=False),
            "a gradient step eps on E_1 = (a.e)^2/2 scales the a-component by 1 - eps |a|^2; "
            "steps compound to lambda",
        ),
        Step(
            "ellipse-point",
            sp.Eq(sp.Symbol("e'"), e, evaluate=False),
            "circle point t carried along",
        ),
        Step(
            "transfer-rate",
            sp.Eq(sp.Symbol(r"-\frac{dE_2}{d\epsilon}"), rate),
            "improvement of E_2 per unit step of retraining on association 1",
        ),
        Step("rate-check", rate_check, "rate minus (a.e')(b.e')(a.b) simplifies to 0"),
        Step(
            "sign-rule",
            sign_rule,
            "rate/(r^2 lambda sin(phi) cos^2 t) - cos(phi)(tan t + lambda cot(phi)) = 0: "
            "positive transfer iff cot(phi)(tan t + lambda cot(phi)) > 0",
        ),
        Step("boundary-line-1", line_1, "a.e' = 0 (line 1): t in {pi/2, 3pi/2}"),
        Step(
            "boundary-line-2",
            line_2_check,
            "b.e' = 0 (line 2) at t = -atan(lambda cot(phi)) (mod pi): substitution gives 0",
        ),
        Step("measure-cot-positive", check_pos, "phi < pi/2: {tan t > -lambda c} per half-period"),
        Step("measure-cot-negative", check_neg, "phi > pi/2: {tan t < -lambda c} per half-period"),
        Step(
            "negative-fraction",
            sp.Eq(sp.Symbol("P_-"), negative_fraction),
            "measure of the negative-transfer set / 2 pi",
        ),
        Step("result-check", result_check, "1 - P_- minus the result simplifies to 0"),
        Step("result", sp.Eq(p_sym, result), "independent of the radius r"),
        Step(
            "orthant-check",
            orthant_check,
            "Gaussian noise: rho_lambda = corr(a.e', b.e') = sin(atan(lambda cot phi)), so "
            "P = 1/2 + asin|rho_lambda|/pi (orthant law) agrees",
        ),
        Step("start-derivative", start_derivative, "d/dphi [atan(cot phi) + phi] = 0 on (0, pi)"),
        Step("start-value", start_value, "atan(cot(pi/4)) + pi/4 - pi/2 = 0"),
        Step(
            "start",
            sp.Eq(p_sym, start),
            "lambda = 1, phi <= pi/2: 1 - phi/pi, the two larger arcs",
        ),
        Step(
            "example-60",
            sp.Eq(p_sym, result.subs({PHI: sp.pi / 3, LAMBDA: 1})),
            "phi = 60 degrees, lambda = 1",
        ),
        Step("example-90", sp.Eq(p_sym, result.subs(PHI, sp.pi / 2)), "1/2 for all lambda"),
    )
    return Derivation(
        name="geometry-positive-transfer",
        title="Sec. 4.1/5.3: P(positive transfer) = 1/2 + atan(lambda |cot phi|)/pi",
        section="Sec. 4.1 and 5.3, Figs. 3-4",
        steps=steps,
        result=result,
        symbols=(PHI, LAMBDA),
        numeric=sp.lambdify((PHI, LAMBDA), result, "numpy"),
    )


@register(
    "transfer-decays",
    title="Sec. 5.3: P(positive transfer) decreases to 1/2 as retraining proceeds",
)
def transfer_decays() -> Derivation:
    """Sec. 5.3: the transfer effect diminishes as retraining contracts the error (λ ↓).

    dP/dλ = |cot φ| / (π (1 + λ² cot² φ)) > 0 for φ ≠ π/2; P → ½ as λ → 0; and the
    expected transfer rate over the circle, ``r² λ² cos² φ / 2``, decays like λ².
    ``numeric(phi, lambda)`` evaluates dP/dλ (φ in radians).
    """
    c = sp.Symbol("c", positive=True)  # |cot φ|, φ ≠ π/2
    p_c = sp.Rational(1, 2) + sp.atan(LAMBDA * c) / sp.pi
    slope_c = sp.simplify(sp.diff(p_c, LAMBDA))
    slope_positive = sp.true if slope_c.is_positive else sp.false
    limit_zero = sp.limit(p_c, LAMBDA, 0, "+")
    small_lambda = sp.series(p_c, LAMBDA, 0, 2).removeO()
    a, b, e = geometry_vectors()
    rate = sp.expand(a.dot(e) * b.dot(e) * a.dot(b))
    mean_rate = sp.simplify(sp.integrate(rate, (T, 0, 2 * sp.pi)) / (2 * sp.pi))
    result = sp.simplify(sp.diff(exact_probability_expr(), LAMBDA))
    steps = (
        Step("probability", sp.Eq(sp.Symbol("P"), p_c), "c = |cot phi| > 0 (phi != 90 degrees)"),
        Step("slope", sp.Eq(sp.Symbol(r"\frac{dP}{d\lambda}"), slope_c), "derivative in lambda"),
        Step("slope-positive", slope_positive, "sympy: the slope is positive for c, lambda > 0"),
        Step("limit", sp.Eq(sp.Symbol(r"P_{\lambda \to 0}"), limit_zero), "no bias left"),
        Step("small-lambda", sp.Eq(sp.Symbol("P"), small_lambda), "first order in lambda"),
        Step(
            "mean-rate",
            sp.Eq(sp.Symbol(r"\langle rate \rangle"), mean_rate),
            "expected transfer rate over the circle's points decays like lambda^2",
        ),
        Step("result", sp.Eq(sp.Symbol(r"\frac{dP}{d\lambda}"), result), "any phi in (0, pi)"),
    )
    return Derivation(
        name="transfer-decays",
        title="Sec. 5.3: P(positive transfer) decreases to 1/2 as retraining proceeds",
        section="Sec. 5.3, Fig. 4",
        steps=steps,
        result=result,
        symbols=(PHI, LAMBDA),
        numeric=sp.lambdify((PHI, LAMBDA), result, "numpy"),
    )


def _as_checked_array(value: object, checker: Any, name: str) -> Array:
    """Validate every element with ``checker`` (one line naming the first bad value)."""
    if not is_numeric_like(value):
        raise ParameterError(name, "a number or an array of numbers", value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "a number or an array of numbers", value) from None
    for x in arr.ravel():
        checker(float(x), name)
    return arr


def checked_angles(
    angle: Any, contraction: Any, angle_name: str = "angle"
) -> tuple[Array, Array, bool]:
    """Validated (φ in radians, λ) arrays and whether both inputs were scalars.

    ``angle`` is in degrees. Every argument check of :func:`positive_transfer_probability`
    and ``paper_ellipse_arc_fraction``; a bad value raises :class:`ParameterError`
    naming ``angle_name`` (``angle: expected an angle in degrees in (0, 180), got ...``).

    Examples:
        >>> from theory import checked_angles
        >>> phi, lam, scalar = checked_angles(90, 0.5)
        >>> print(f"{phi:.6f}", float(lam), scalar)  # pi/2 radians
        1.570796 0.5 True
        >>> checked_angles(200, 0.5)
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: angle: expected an angle in degrees in (0, 180), got 200
    """
    scalar = np.ndim(angle) == 0 and np.ndim(contraction) == 0
    if np.ndim(angle) == 0:
        phi = np.asarray(check_angle(angle, angle_name))
    else:
        phi = _as_checked_array(angle, check_angle, angle_name)
    if np.ndim(contraction) == 0:
        lam = np.asarray(check_contraction(contraction))
    else:
        lam = _as_checked_array(contraction, check_contraction, "contraction")
    return np.deg2rad(phi), lam.astype(float), scalar


class _NotGiven:
    """The default of an argument that was not passed (``None`` is a bad value, not absence)."""


_NOT_GIVEN: Any = _NotGiven()


@overload
def positive_transfer_probability(angle: float, contraction: float) -> float: ...
@overload
def positive_transfer_probability(*, angle_degrees: float, contraction: float) -> float: ...
@overload
def positive_transfer_probability(angle: npt.ArrayLike, contraction: npt.ArrayLike) -> Any: ...
@overload
def positive_transfer_probability(
    *, angle_degrees: npt.ArrayLike, contraction: npt.ArrayLike
) -> Any: ...
def positive_transfer_probability(
    angle: npt.ArrayLike = _NOT_GIVEN,
    contraction: npt.ArrayLike = _NOT_GIVEN,
    *,
    angle_degrees: npt.ArrayLike = _NOT_GIVEN,
) -> Any:
    """Exact P(positive transfer) = ½ + arctan(λ |cot φ|)/π (Sec. 4.1, 5.3).

    ``positive_transfer_probability(60, 0.5)`` and
    ``positive_transfer_probability(angle_degrees=60, contraction=0.5)`` are the same call;
    the keyword says the unit. The angle is in **degrees**: π/3 (1.047...) would be read
    as 1.047 degrees, a valid angle, and could not be refused.

    Args:
        angle: φ, the angle between the two input vectors, in degrees, in (0, 180);
            a float or an array. Positional; or give it as ``angle_degrees=`` instead.
        contraction: λ ∈ (0, 1], the factor by which retraining on association 1 has
            scaled the error component along its input (1 = start of retraining).
        angle_degrees: the same as ``angle`` (keyword only); give one of the two.

    Returns:
        A float if both arguments are scalars, else an array of the broadcast shape.

    Raises:
        ParameterError: an angle outside (0, 180) degrees or a contraction outside (0, 1]
            (``angle_degrees: expected an angle in degrees in (0, 180), got 200``).
        TypeError: both ``angle`` and ``angle_degrees``, or neither, or no ``contraction``.

    Examples:
        At the start of retraining (λ = 1) the probability is 1 - φ/180:

        >>> from theory import positive_transfer_probability
        >>> round(positive_transfer_probability(angle_degrees=60, contraction=1.0), 12)
        0.666666666667
        >>> positive_transfer_probability(angle_degrees=90, contraction=0.5)
        0.5
    """
    if (angle is _NOT_GIVEN) == (angle_degrees is _NOT_GIVEN):
        raise TypeError(
            "positive_transfer_probability() takes the angle in degrees once: "
            "as angle (positional) or as angle_degrees= (keyword), not "
            + ("both" if angle is not _NOT_GIVEN else "neither")
        )
    if contraction is _NOT_GIVEN:
        raise TypeError("positive_transfer_probability() missing argument: 'contraction'")
    if angle is _NOT_GIVEN:
        angle, angle_name = angle_degrees, "angle_degrees"
    else:
        angle_name = "angle"
    phi, lam, scalar = checked_angles(angle, contraction, angle_name)
    value = np.asarray(derivation("geometry-positive-transfer").numeric(phi, lam), dtype=float)
    return float(value) if scalar else value
