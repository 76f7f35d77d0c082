"""Sec. 5.3: the paper's reading, "the fraction of the circumference of the ellipse
that lies in the two larger arcs", as an exact arc-length fraction.

The ellipse ``e'(t) = r (λ cos t, sin t)`` (see :mod:`theory.geometry`) has speed
``|de'/dt| = r √(1 - m sin² t)`` with ``m = 1 - λ²``, so its arc length from t = 0 is
``r E(t | m)``, the incomplete elliptic integral of the second kind (parameter m,
as scipy's ``ellipeinc`` and sympy's ``elliptic_e``), and its perimeter is
``4 r E(m)``. The positive-transfer sectors (between lines 1 and 2, angle
``π - min(φ, π - φ)``) cut out the arcs ``t ∈ (-u, π/2)`` and ``(π - u, 3π/2)`` (or their
mirror images when φ > π/2), ``u = atan(λ |cot φ|)``. Hence

    F = ½ + E(u | m) / (2 E(m))      (paper's reading; = P exactly only at λ = 1 or φ = π/2)

versus the exact probability ``P = ½ + u/π``. Because ``√(1 - m sin² θ)`` decreases on
[0, π/2], ``F ≥ P``: points are carried along the ellipse at the original angle t,
not uniformly in arc length, and the paper's measure over-weights the flat sides
near line 1, where transfer is positive. As λ → 0 with ``x = λ|cot φ|`` fixed,
``F - P → x/(2√(1+x²)) - atan(x)/π``, whose maximum, at ``x = √(π²/4 - 1)``, is the
supremum of the gap over the whole domain:

    sup (F - P) = ½√(1 - 4/π²) - arccos(2/π)/π ≈ 0.10526   (approached as φ, λ → 0).
"""

from __future__ import annotations

import functools
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import scipy.special
import sympy as sp

from .derivation import Derivation, Step, derivation, register
from .geometry import LAMBDA, PHI, RADIUS, T, checked_angles, exact_probability_expr

__all__ = [
    "ellipse_arc_fraction",
    "largest_arc_fraction_gap",
    "paper_arc_fraction_gap",
    "paper_ellipse_arc_fraction",
]

M = sp.Symbol("m", nonnegative=True)  # elliptic parameter m = 1 - λ²
U = sp.Symbol("u", positive=True)  # atan(λ |cot φ|), in (0, π/2)
X = sp.Symbol("x", positive=True)  # λ |cot φ|


def _elliptic_e_numeric(*args: Any) -> Any:
    """``elliptic_e(m)`` -> scipy ``ellipe``; ``elliptic_e(t, m)`` -> scipy ``ellipeinc``."""
    if len(args) == 1:
        return scipy.special.ellipe(args[0])
    return scipy.special.ellipeinc(args[0], args[1])


def _arc_fraction_expr() -> sp.Expr:
    u = sp.atan(LAMBDA * sp.Abs(sp.cot(PHI)))
    m = 1 - LAMBDA**2
    return sp.Rational(1, 2) + sp.elliptic_e(u, m) / (2 * sp.elliptic_e(m))


@register(
    "ellipse-arc-fraction",
    title="Sec. 5.3: arc-length fraction of the ellipse in the larger arcs (paper's reading)",
)
def ellipse_arc_fraction() -> Derivation:
    """Derive the arc-length fraction F of the ellipse in the positive-transfer sectors.

    Also: F = P at λ = 1 (``start-check`` is 0), the λ → 0 limit of the gap at fixed
    ``x = λ|cot φ|``, and the gap's supremum. ``numeric(phi, lambda)`` evaluates F
    (φ in radians) with scipy's ``ellipeinc``/``ellipe``.
    """
    ellipse = RADIUS * sp.Matrix([LAMBDA * sp.cos(T), sp.sin(T)])
    speed_squared = sp.simplify(sp.diff(ellipse, T).dot(sp.diff(ellipse, T)))
    speed_check = sp.simplify(speed_squared - RADIUS**2 * (1 - (1 - LAMBDA**2) * sp.sin(T) ** 2))
    arc_check = sp.simplify(sp.diff(sp.elliptic_e(T, M), T) - sp.sqrt(1 - M * sp.sin(T) ** 2))
    perimeter = RADIUS * sp.elliptic_e(2 * sp.pi, M)
    one_arc = RADIUS * (sp.elliptic_e(sp.pi / 2, M) - sp.elliptic_e(-U, M))
    fraction_u = sp.simplify(2 * one_arc / perimeter)
    fraction_target = sp.Rational(1, 2) + sp.elliptic_e(U, M) / (2 * sp.elliptic_e(M))
    fraction_check = sp.simplify(fraction_u - fraction_target)
    result = _arc_fraction_expr()
    start_check = sp.simplify(result.subs(LAMBDA, 1) - exact_probability_expr().subs(LAMBDA, 1))
    # λ -> 0 at fixed x: m -> 1, where E(u|1) = ∫_0^u cos θ dθ = sin u (u <= π/2), E(1) = 1.
    theta = sp.Symbol("theta", positive=True)
    e_at_one = sp.integrate(sp.cos(theta), (theta, 0, U))
    gap_limit = sp.simplify(
        (fraction_target - (sp.Rational(1, 2) + U / sp.pi))
        .subs(sp.elliptic_e(U, M), e_at_one)
        .subs(M, 1)
        .subs(U, sp.atan(X))
    )
    x_star = sp.sqrt(sp.pi**2 / 4 - 1)
    slope = sp.factor(sp.simplify(sp.diff(gap_limit, X)))
    stationary = sp.simplify(slope.subs(X, x_star))
    acos_check = sp.simplify(sp.cos(sp.atan(x_star)) - 2 / sp.pi)  # both angles in (0, π/2)
    gap_sup = sp.sqrt(1 - 4 / sp.pi**2) / 2 - sp.acos(2 / sp.pi) / sp.pi
    sup_check = sp.simplify(
        gap_limit.subs(X, x_star).subs(sp.atan(x_star), sp.acos(2 / sp.pi)) - gap_sup
    )
    f_sym = sp.Symbol("F")
    steps = (
        Step("ellipse", sp.Eq(sp.Symbol("e'"), ellipse, evaluate=False), "lambda = contraction"),
        Step("speed-squared", sp.Eq(sp.Symbol("|de'/dt|^2"), speed_squared), "arc-length element"),
        Step("speed-check", speed_check, "= r^2 (1 - m sin^2 t), m = 1 - lambda^2"),
        Step("arc-length-check", arc_check, "d/dt E(t|m) = sqrt(1 - m sin^2 t): s(t) = r E(t|m)"),
        Step("perimeter", sp.Eq(sp.Symbol("L"), perimeter), "E(2 pi | m) = 4 E(m)"),
        Step(
            "positive-arc",
            sp.Eq(sp.Symbol("L_+"), one_arc),
            "one positive arc t in (-u, pi/2), u = atan(lambda |cot phi|)",
        ),
        Step("fraction", sp.Eq(f_sym, fraction_u), "two positive arcs over the perimeter"),
        Step("fraction-check", fraction_check, "minus 1/2 + E(u|m)/(2 E(m)) simplifies to 0"),
        Step("result", sp.Eq(f_sym, result), "the paper's reading of Sec. 5.3"),
        Step("start-check", start_check, "lambda = 1 (circle): F - P = 0"),
        Step(
            "gap-limit",
            sp.Eq(sp.Symbol(r"(F - P)_{\lambda \to 0}"), gap_limit),
            "lambda -> 0 at fixed x = lambda |cot phi|",
        ),
        Step(
            "gap-limit-slope",
            sp.Eq(sp.Symbol(r"\frac{d}{dx}(F - P)_{\lambda \to 0}"), slope),
            "> 0 while sqrt(1 + x^2) < pi/2, < 0 after; the limit gap is 0 at x = 0 and x -> oo",
        ),
        Step("stationary", stationary, "the slope vanishes at x* = sqrt(pi^2/4 - 1)"),
        Step("acos-check", acos_check, "cos(atan x*) - 2/pi = 0, so atan x* = acos(2/pi)"),
        Step(
            "gap-supremum",
            sp.Eq(sp.Symbol(r"\sup (F - P)"), gap_sup),
            "approached as phi -> 0, lambda -> 0 with lambda cot phi = sqrt(pi^2/4 - 1)",
        ),
        Step("supremum-check", sup_check, "limit gap at x* minus the closed form = 0"),
    )
    return Derivation(
        name="ellipse-arc-fraction",
        title="Sec. 5.3: arc-length fraction of the ellipse in the larger arcs (paper's reading)",
        section="Sec. 5.3, Fig. 4",
        steps=steps,
        result=result,
        symbols=(PHI, LAMBDA),
        numeric=sp.lambdify(
            (PHI, LAMBDA), result, modules=[{"elliptic_e": _elliptic_e_numeric}, "numpy"]
        ),
    )


@overload
def paper_ellipse_arc_fraction(angle: float, contraction: float) -> float: ...
@overload
def paper_ellipse_arc_fraction(angle: npt.ArrayLike, contraction: npt.ArrayLike) -> Any: ...
def paper_ellipse_arc_fraction(angle: npt.ArrayLike, contraction: npt.ArrayLike) -> Any:
    """The paper's reading: F = ½ + E(u|m)/(2E(m)), u = atan(λ|cot φ|), m = 1 - λ² (Sec. 5.3).

    Args:
        angle: φ in degrees, in (0, 180); float or array.
        contraction: λ in (0, 1]; float or array (broadcast with ``angle``).

    Returns:
        The fraction of the ellipse's arc length in the positive-transfer sectors:
        a float for scalar arguments, else an array.
    """
    phi, lam, scalar = checked_angles(angle, contraction)
    value = np.asarray(derivation("ellipse-arc-fraction").numeric(phi, lam), dtype=float)
    return float(value) if scalar else value


@overload
def paper_arc_fraction_gap(angle: float, contraction: float) -> float: ...
@overload
def paper_arc_fraction_gap(angle: npt.ArrayLike, contraction: npt.ArrayLike) -> Any: ...
def paper_arc_fraction_gap(angle: npt.ArrayLike, contraction: npt.ArrayLike) -> Any:
    """F - P: the paper's arc-length fraction minus the exact probability (always >= 0)."""
    from .geometry import positive_transfer_probability

    return paper_ellipse_arc_fraction(angle, contraction) - positive_transfer_probability(
        angle, contraction
    )


@functools.cache
def largest_arc_fraction_gap() -> dict[str, float]:
    """The supremum of F - P over φ ∈ (0, π), λ ∈ (0, 1] (not attained).

    Returns ``gap`` = ½√(1 - 4/π²) - arccos(2/π)/π, the limit values of the exact
    probability and of the paper's fraction there, and ``lambda_cot_phi`` = √(π²/4 - 1),
    the value of λ|cot φ| along which φ, λ → 0 approach it.
    """
    d = derivation("ellipse-arc-fraction")
    x_star = float(sp.sqrt(sp.pi**2 / 4 - 1))
    gap = float(d.step("gap-supremum").expr.rhs)
    probability = 0.5 + float(np.arctan(x_star)) / np.pi
    return {
        "gap": gap,
        "lambda_cot_phi": x_star,
        "positive_transfer_probability": probability,
        "paper_ellipse_arc_fraction": probability + gap,
    }
