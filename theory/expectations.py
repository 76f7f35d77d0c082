"""Item 5(a): the exact expectation of cos(theta) over the Gaussian noise, for given vectors.

Sec. 5, Eq. (1) factorizes ``cos(theta) = rho * sign(X Y)`` with ``X = a.g``,
``Y = b.g`` and ``rho = cos(a, b)``. ``(X, Y)`` is bivariate normal with
standard deviations ``sigma_x = sigma |a|``, ``sigma_y = sigma |b|`` and
correlation ``rho``. The orthant law (Sheppard 1899)

    P(X Y > 0) = 1/2 + asin(rho)/pi

gives ``E[cos theta] = rho (2/pi) asin(rho)`` exactly, and

    E|X Y| = sigma_x sigma_y (2/pi) (sqrt(1 - rho^2) + rho asin(rho)).

The paper (Sec. 5.1) instead divides ``E[X Y] = rho sigma_x sigma_y`` by a stated
``<|X Y|> = sigma_x sigma_y`` and reports ``rho^2`` (Eq. 2 / Eq. 3). The gap
``E[cos theta] - rho^2`` is never positive; it is largest in size at the root of
its derivative, ``|rho| ~ 0.857``, where it is ``-0.1728``.

Derivations: ``expected-cos-exact`` (numeric: rho -> E[cos theta]) and
``cos-gap`` (numeric: rho -> E[cos theta] - rho^2).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from ._gaussian import gaussian_expectation
from ._notation import Label
from ._validate import ParameterError, is_numeric_like
from .derivation import Derivation, Step, derivation, register

__all__ = [
    "cos_gap",
    "cos_gap_derivation",
    "cos_gap_extremum",
    "expected_abs_product",
    "expected_cos_derivation",
    "expected_cos_theta",
    "orthant_probability",
    "paper_expected_cos",
]

Real = float | npt.NDArray[np.float64]

_RHO = sp.Symbol("rho", real=True)
_SD_X, _SD_Y = sp.symbols("sigma_x sigma_y", positive=True)


def _exact_abs_product() -> sp.Expr:
    """``E|XY|`` in closed form (symbols rho, sigma_x, sigma_y)."""
    return _SD_X * _SD_Y * 2 / sp.pi * (sp.sqrt(1 - _RHO**2) + _RHO * sp.asin(_RHO))


def _exact_expected_cos() -> sp.Expr:
    """``E[cos theta]`` in closed form (symbol rho); the derivation proves it."""
    return _RHO * 2 / sp.pi * sp.asin(_RHO)


@functools.cache
def _closed_forms() -> dict[str, Any]:
    """Lambdified closed forms used by the public functions.

    They are the results of ``expected-cos-exact`` / ``cos-gap`` (the tests check
    the derivations' results simplify to them); using them directly keeps the
    command line from building the derivations on every call.
    """
    cos = _exact_expected_cos()
    return {
        "expected_cos": sp.lambdify((_RHO,), cos, "numpy"),
        "gap": sp.lambdify((_RHO,), cos - _RHO**2, "numpy"),
        "abs_product": sp.lambdify((_RHO, _SD_X, _SD_Y), _exact_abs_product(), "numpy"),
    }


@register(
    "expected-cos-exact",
    title="Exact E[cos theta] over Gaussian noise (orthant law) and E|XY|",
)
def expected_cos_derivation() -> Derivation:
    """Derive ``P(XY > 0)``, ``E[sign XY]``, ``E[cos theta]`` and ``E|XY|`` exactly.

    Route: ``X = sigma_x U``, ``Y = sigma_y (rho U + sqrt(1 - rho^2) Z)`` with
    ``U, Z`` independent standard normals (the covariance is computed, not assumed).
    In polar coordinates ``U = R cos(phi)``, ``Z = R sin(phi)``; rotational
    symmetry makes ``phi`` uniform and independent of ``R``. With
    ``rho = cos(alpha)``, ``alpha in [0, pi]``, ``rho U + sqrt(1-rho^2) Z = R cos(phi - alpha)``
    and ``cos(phi) cos(phi - alpha) = (cos(alpha) + cos(psi))/2`` with
    ``psi = 2 phi - alpha`` uniform on a circle. So ``XY > 0`` iff
    ``cos(psi) > cos(pi - alpha)``: an arc of length ``2(pi - alpha)`` out of ``2 pi``.
    ``E|XY|`` follows from ``E[R^2] = 2`` and ``E|cos(alpha) + cos(psi)|``.

    ``numeric(rho)`` is ``E[cos theta] = rho (2/pi) asin(rho)``.
    """
    rho, sd_x, sd_y = _RHO, _SD_X, _SD_Y
    alpha = sp.Symbol("alpha", positive=True)  # alpha = acos(rho), in (0, pi)
    phi, psi = sp.symbols("phi psi", real=True)
    u_normal, z_normal = sp.symbols("U Z", real=True)  # independent N(0, 1)
    unit = {u_normal: sp.Integer(1), z_normal: sp.Integer(1)}
    x_rv = sd_x * u_normal
    y_rv = sd_y * (rho * u_normal + sp.sqrt(1 - rho**2) * z_normal)
    covariance = gaussian_expectation(x_rv * y_rv, unit)
    variance_y = gaussian_expectation(y_rv**2, unit)

    product_to_sum = sp.simplify(
        sp.cos(phi) * sp.cos(phi - alpha) - (sp.cos(alpha) + sp.cos(2 * phi - alpha)) / 2
    )
    orthant_alpha = sp.integrate(1, (psi, -(sp.pi - alpha), sp.pi - alpha)) / (2 * sp.pi)
    orthant_alpha = sp.simplify(orthant_alpha)
    orthant = sp.Rational(1, 2) + sp.asin(rho) / sp.pi
    orthant_check = sp.simplify(
        (orthant_alpha.subs(alpha, sp.acos(rho)) - orthant).rewrite(sp.asin)
    )
    expected_sign = sp.simplify(2 * orthant - 1)
    expected_cos = rho * expected_sign
    closed_check = sp.simplify(expected_cos - _exact_expected_cos())

    # E|cos(alpha) + cos(psi)| over psi uniform on [0, pi] (the integrand is even in psi):
    # positive on [0, pi - alpha], negative on [pi - alpha, pi].
    integrand = sp.cos(alpha) + sp.cos(psi)
    mean_abs = (
        sp.integrate(integrand, (psi, 0, sp.pi - alpha))
        - sp.integrate(integrand, (psi, sp.pi - alpha, sp.pi))
    ) / sp.pi
    # XY = sigma_x sigma_y R^2 (cos alpha + cos psi)/2 and E[R^2] = 2 (chi-square, 2 d.o.f.).
    abs_product_alpha = sd_x * sd_y * sp.simplify(mean_abs)
    abs_product = _exact_abs_product()
    abs_check = sp.simplify(
        (abs_product_alpha.subs(alpha, sp.acos(rho)) - abs_product).rewrite(sp.asin)
    )
    paper_abs = sd_x * sd_y
    paper_value = rho * covariance / paper_abs

    p_sym = sp.Symbol(r"P(XY > 0)")
    cos_sym = Label(r"\langle\cos\theta\rangle")
    abs_sym = Label(r"\langle|XY|\rangle")
    steps = (
        Step(
            "covariance",
            sp.Eq(Label(r"\langle XY\rangle"), covariance),
            "X = sigma_x U, Y = sigma_y (rho U + sqrt(1-rho^2) Z), U, Z independent N(0,1)",
        ),
        Step(
            "variance-y",
            sp.Eq(Label(r"\langle Y^2\rangle"), variance_y),
            "so Y has sd sigma_y and corr(X, Y) = rho",
        ),
        Step(
            "product-to-sum",
            product_to_sum,
            "U = R cos(phi), Z = R sin(phi), rho = cos(alpha): "
            "cos(phi) cos(phi - alpha) - (cos(alpha) + cos(2 phi - alpha))/2 = 0",
        ),
        Step(
            "orthant-angle",
            sp.Eq(p_sym, orthant_alpha),
            "phi uniform (rotational symmetry), psi = 2 phi - alpha uniform on a circle; "
            "XY > 0 iff cos(psi) > cos(pi - alpha)",
        ),
        Step("orthant", sp.Eq(p_sym, orthant), "alpha = acos(rho) = pi/2 - asin(rho)"),
        Step("orthant-check", orthant_check, "the two forms differ by 0"),
        Step(
            "expected-sign",
            sp.Eq(Label(r"\langle\mathrm{sign}(XY)\rangle"), expected_sign),
            "E[sign] = 2 P(XY > 0) - 1",
        ),
        Step("expected-cos", sp.Eq(cos_sym, expected_cos), "Eq. (1): cos(theta) = rho sign(XY)"),
        Step("closed-form-check", closed_check, "equals rho (2/pi) asin(rho): difference 0"),
        Step(
            "abs-product-angle",
            sp.Eq(abs_sym, abs_product_alpha),
            "XY = sigma_x sigma_y R^2 (cos alpha + cos psi)/2, E[R^2] = 2",
        ),
        Step("abs-product", sp.Eq(abs_sym, abs_product), "alpha = acos(rho)"),
        Step("abs-product-check", abs_check, "the two forms differ by 0"),
        Step(
            "paper-abs-product",
            sp.Eq(abs_sym, paper_abs),
            "the paper's stated denominator (Sec. 5.1); exact only at |rho| = 1",
        ),
        Step(
            "paper-value",
            sp.Eq(Label(r"\cos\theta_{\mathrm{paper}}"), paper_value),
            "rho times E[XY] / stated E|XY|: Eq. (2) / (3)",
        ),
    )
    return Derivation(
        name="expected-cos-exact",
        title="Exact E[cos theta] over Gaussian noise (orthant law) and E|XY|",
        section="Sec. 5.1, Eq. (2); Sec. 5.2, Eq. (3)",
        steps=steps,
        result=expected_cos,
        symbols=(rho,),
        numeric=sp.lambdify((rho,), expected_cos, "numpy"),
    )


@register(
    "cos-gap",
    title="Gap between exact E[cos theta] and the paper's rho^2; its extremum",
)
def cos_gap_derivation() -> Derivation:
    """The gap ``E[cos theta] - rho^2`` and where its size is largest.

    The gap is even in rho, 0 at rho = 0 and |rho| = 1, and <= 0 in between
    (``(2/pi) asin`` is convex on [0, 1] with the same end values as the
    identity). Its extremum solves ``d gap / d rho = 0``, a transcendental
    equation; the root is found with ``sympy.nsolve`` at 30 digits.
    ``numeric(rho)`` is the gap.
    """
    rho = _RHO
    exact = rho * 2 / sp.pi * sp.asin(rho)
    gap = exact - rho**2
    slope = sp.diff(gap, rho)
    # nsolve may carry a ~1e-42 imaginary part from sqrt(1 - rho^2): keep the real part.
    root = sp.re(sp.nsolve(slope, rho, 0.85, prec=30))
    value = sp.re(gap.subs(rho, root).evalf(30))
    relative = sp.simplify(exact / rho**2)
    steps = (
        Step("gap", sp.Eq(Label(r"\Delta(\rho)"), gap), "exact E[cos theta] minus rho^2"),
        Step(
            "relative",
            sp.Eq(Label(r"\langle\cos\theta\rangle / \rho^2"), relative),
            "from 2/pi (rho -> 0) up to 1 (|rho| = 1)",
        ),
        Step(
            "relative-limit",
            sp.limit(relative, rho, 0),
            "as rho -> 0 the exact value is 2/pi of the paper's",
        ),
        Step("stationary", sp.Eq(slope, 0), "the extremum of the gap on (0, 1)"),
        Step("argmax", sp.Eq(Label(r"\rho^*"), root), "root of the stationary equation"),
        Step("max-gap", sp.Eq(Label(r"\Delta(\rho^*)"), value), "largest |gap| (at +-rho^*)"),
        Step(
            "gap-at-half",
            sp.Eq(Label(r"\Delta(1/2)"), sp.nsimplify(gap.subs(rho, sp.Rational(1, 2)))),
            "the typical 0/1 pair (q = 1/2): 1/6 - 1/4",
        ),
    )
    return Derivation(
        name="cos-gap",
        title="Gap between exact E[cos theta] and the paper's rho^2; its extremum",
        section="Sec. 5.1, Eq. (2); Sec. 5.2, Eq. (3)",
        steps=steps,
        result=gap,
        symbols=(rho,),
        numeric=sp.lambdify((rho,), gap, "numpy"),
    )


def _check_rho(rho: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], bool]:
    accepts = "finite numbers in [-1, 1]"
    if not is_numeric_like(rho):
        raise ParameterError("rho", accepts, rho)
    try:
        arr = np.asarray(rho, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("rho", accepts, rho) from None
    bad = ~np.isfinite(arr) | (np.abs(arr) > 1.0)
    if np.any(bad):
        raise ParameterError("rho", accepts, float(arr[bad].flat[0]))
    return arr, arr.ndim == 0


def _check_sd(name: str, value: object) -> float:
    accepts = "a positive finite number"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(name, accepts, value)
    x = float(value)
    if not (np.isfinite(x) and x > 0.0):
        raise ParameterError(name, accepts, value)
    return x


def _out(values: Any, scalar: bool) -> Real:
    arr = np.asarray(values, dtype=float)
    return float(arr) if scalar else arr


def expected_cos_theta(rho: npt.ArrayLike) -> Real:
    """Exact ``E[cos theta] = rho (2/pi) asin(rho)`` over the Gaussian noise (any sigma).

    ``rho``: cos(a, b), a float or an array (any shape) of values in [-1, 1].
    Returns a float for a scalar, else an array of the same shape.

    Examples:
        At rho = 1/2 the exact value is 1/6, not the paper's rho^2 = 1/4 (Eq. 2 / 3):

        >>> from theory import expected_cos_theta, paper_expected_cos
        >>> round(expected_cos_theta(0.5), 12), paper_expected_cos(0.5)
        (0.166666666667, 0.25)
    """
    arr, scalar = _check_rho(rho)
    return _out(_closed_forms()["expected_cos"](arr), scalar)


def orthant_probability(rho: npt.ArrayLike) -> Real:
    """``P(X Y > 0) = 1/2 + asin(rho)/pi`` for a bivariate normal with correlation rho.

    Examples:
        At rho = 1/2 the product of the two projections is positive two times in three:

        >>> from theory import orthant_probability
        >>> round(orthant_probability(0.5), 12)
        0.666666666667
        >>> orthant_probability([-1.0, 0.0, 1.0])
        array([0. , 0.5, 1. ])
    """
    arr, scalar = _check_rho(rho)
    return _out(0.5 + np.arcsin(arr) / np.pi, scalar)


def expected_abs_product(rho: npt.ArrayLike, sd_x: float = 1.0, sd_y: float = 1.0) -> Real:
    """Exact ``E|X Y| = sd_x sd_y (2/pi)(sqrt(1 - rho^2) + rho asin(rho))``.

    ``rho``: correlation of X and Y (float or array in [-1, 1]); ``sd_x``, ``sd_y``:
    their standard deviations (``sigma |a|``, ``sigma |b|`` in Sec. 5), positive.

    Examples:
        The paper's stated ``<|XY|> = sigma_x sigma_y`` holds only at ``|rho| = 1``:

        >>> from theory import expected_abs_product
        >>> round(expected_abs_product(1.0, sd_x=2.0, sd_y=3.0), 12)
        6.0
        >>> round(expected_abs_product(0.0, sd_x=2.0, sd_y=3.0), 6)  # 6 (2/pi)
        3.819719
    """
    arr, scalar = _check_rho(rho)
    sx, sy = _check_sd("sd_x", sd_x), _check_sd("sd_y", sd_y)
    return _out(_closed_forms()["abs_product"](arr, sx, sy), scalar)


def paper_expected_cos(rho: npt.ArrayLike) -> Real:
    """The paper's ``<cos theta> = rho^2`` (Eq. 2 for 0/1 inputs, Eq. 3 for {1, 0, -1}).

    Examples:
        >>> from theory import paper_expected_cos
        >>> paper_expected_cos([0.0, 0.5, 1.0])
        array([0.  , 0.25, 1.  ])
    """
    arr, scalar = _check_rho(rho)
    return _out(arr**2, scalar)


def cos_gap(rho: npt.ArrayLike) -> Real:
    """``E[cos theta] - rho^2``: exact minus the paper's value (<= 0; even in rho).

    Examples:
        At rho = 1/2 the gap is 1/6 - 1/4 = -1/12; it closes at rho = 0 and |rho| = 1:

        >>> from theory import cos_gap
        >>> round(cos_gap(0.5), 12)
        -0.083333333333
        >>> [round(float(g), 12) for g in cos_gap([0.0, 1.0, -0.5])]
        [0.0, 0.0, -0.083333333333]
    """
    arr, scalar = _check_rho(rho)
    return _out(_closed_forms()["gap"](arr), scalar)


def cos_gap_extremum() -> dict[str, float]:
    """Where the gap is largest in size: ``{"rho": 0.857..., "gap": -0.1728...}`` (rho >= 0).

    Examples:
        >>> from theory import cos_gap_extremum
        >>> {k: round(v, 4) for k, v in cos_gap_extremum().items()}
        {'rho': 0.857, 'gap': -0.1728}
    """
    d = derivation("cos-gap")
    return {
        "rho": float(d.step("argmax").expr.rhs),
        "gap": float(d.step("max-gap").expr.rhs),
    }
