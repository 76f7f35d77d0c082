"""Item 5(b): exact ratios of expected improvements, for given vectors (Sec. 5, footnote 2).

The improvement of association B (to first order) from a weight change ``dw`` is
``-(dE_B) = -(b.e)(b.dw) = -Y (b.dw)`` with ``e = g`` the weight noise,
``X = a.g``, ``Y = b.g`` (sd ``sigma|a|``, ``sigma|b|``, correlation rho).

* Fixed-length step along steepest descent, ``dw = -eta sign(X) a/|a|``
  (the paper's assumption): the ratio of expected improvements of B (retraining
  on A over retraining on B) is **exactly rho^2**, for any ``|a|``, ``|b|``.
  So Eq. (2) / (3) is exact for the ratio of expected improvements, while the
  expected per-trial ratio (= E[cos theta]) is ``rho (2/pi) asin(rho)``.
* Step proportional to the gradient, ``dw = -eps X a`` (footnote 2): the ratio of
  expected improvements is ``(a.b)^2/|b|^4 = rho^2 |a|^2/|b|^2``. It equals the
  fixed-step value only when ``|a| = |b|`` (``n_a = n_b``); footnote 2's "this
  will not affect the expected ratio" is false in general. The per-trial ratio
  ``(X/Y)(a.b)/|b|^2`` has a Cauchy distribution: its expectation does not exist.

Derivation: ``improvement-ratios``; ``numeric(a_dot_b, norm_a, norm_b)`` returns
``(unit-step ratio, gradient-step ratio)``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import numpy as np
import sympy as sp

from ._gaussian import gaussian_expectation, half_normal_mean
from ._notation import Label
from ._validate import check_vector_pair
from .derivation import Derivation, Step, register

__all__ = [
    "improvement_ratio_gradient_step",
    "improvement_ratio_unit_step",
    "improvement_ratios_derivation",
]

_AB = Label(r"(a \cdot b)", real=True)
_NORM_A, _NORM_B = sp.symbols("|a| |b|", positive=True)


def _closed_unit() -> sp.Expr:
    return (_AB / (_NORM_A * _NORM_B)) ** 2


def _closed_gradient() -> sp.Expr:
    return _AB**2 / _NORM_B**4


@register(
    "improvement-ratios",
    title="Ratios of expected improvements of B: fixed-length step (rho^2) vs gradient step",
)
def improvement_ratios_derivation() -> Derivation:
    """Derive both ratios of expected improvements and the Cauchy law of the per-trial ratio.

    Symbols: ``a.b`` (real), ``|a|``, ``|b|``, ``sigma``, ``eta``, ``eps`` (positive);
    ``rho = a.b/(|a||b|)``. ``E[Y sign X] = rho sigma|b| sqrt(2/pi)`` and
    ``E|Y| = sigma|b| sqrt(2/pi)`` are computed (half-normal mean, by integration) from
    ``X = sigma|a| U``, ``Y = sigma|b|(rho U + sqrt(1 - rho^2) Z)``.
    """
    ab, na, nb = _AB, _NORM_A, _NORM_B
    sigma, eta, eps = sp.symbols("sigma eta epsilon", positive=True)
    rho = sp.Symbol("rho", real=True)
    u_normal, z_normal = sp.symbols("U Z", real=True)  # independent N(0, 1)
    unit = {u_normal: sp.Integer(1), z_normal: sp.Integer(1)}
    sd_x, sd_y = sigma * na, sigma * nb
    x_rv = sd_x * u_normal
    y_rv = sd_y * (rho * u_normal + sp.sqrt(1 - rho**2) * z_normal)

    # Fixed-length step eta along steepest descent: dw = -eta sign(X) a/|a|.
    # sign X = sign U; E[U sign U] = E|U|; E[Z sign U] = E[Z] E[sign U] = 0 (independent).
    abs_u = half_normal_mean()
    y_sign_x = sp.simplify(sd_y * (rho * abs_u + sp.sqrt(1 - rho**2) * 0))
    abs_y = sd_y * abs_u  # |Y| has the law of sd_y |U|
    unit_from_a = eta * ab / na * y_sign_x
    unit_from_b = eta * nb * abs_y
    unit_ratio = sp.simplify((unit_from_a / unit_from_b).subs(rho, ab / (na * nb)))
    unit_check = sp.simplify(unit_ratio - _closed_unit())

    # Step proportional to the gradient: dw = -eps X a.
    xy = gaussian_expectation(x_rv * y_rv, unit)
    yy = gaussian_expectation(y_rv**2, unit)
    grad_from_a = eps * ab * xy
    grad_from_b = eps * nb**2 * yy
    grad_ratio = sp.simplify((grad_from_a / grad_from_b).subs(rho, ab / (na * nb)))
    grad_check = sp.simplify(grad_ratio - _closed_gradient())
    difference = sp.factor(sp.simplify(grad_ratio - unit_ratio))

    # Per-trial ratio for the gradient step: (X/Y)(a.b)/|b|^2. Density of T = X/Y
    # (unit variances; scale by sd_x/sd_y): 2 int_0^oo y f_{XY}(t y, y) dy, where
    # f_{XY}(t y, y) = exp(-lambda y^2) / (2 pi sqrt(1 - rho^2)),
    # lambda = (t^2 - 2 rho t + 1) / (2 (1 - rho^2)) > 0.
    t_sym = sp.Symbol("t", real=True)
    y_pos, lam = sp.symbols("y lambda", positive=True)
    r = sp.Symbol("rho", real=True)
    var = 1 - r**2
    radial = sp.integrate(y_pos * sp.exp(-lam * y_pos**2), (y_pos, 0, sp.oo))
    ratio_density = sp.simplify(
        (2 * radial / (2 * sp.pi * sp.sqrt(var))).subs(
            lam, (t_sym**2 - 2 * r * t_sym + 1) / (2 * var)
        )
    )
    cauchy = sp.sqrt(var) / (sp.pi * ((t_sym - r) ** 2 + var))
    cauchy_check = sp.simplify(ratio_density - cauchy)
    # T - rho is a centred Cauchy with scale s = sqrt(1 - rho^2) > 0 (|rho| < 1); T has a
    # mean iff T - rho has one, and the right tail of its mean already diverges.
    scale = sp.Symbol("s", positive=True)
    u_pos = sp.Symbol("u", positive=True)
    tail_mean = sp.integrate(u_pos * scale / (sp.pi * (u_pos**2 + scale**2)), (u_pos, 0, sp.oo))
    result = sp.Tuple(unit_ratio, grad_ratio)
    imp = Label(r"\Delta E_B")
    steps = (
        Step(
            "first-order-improvement",
            sp.Eq(imp, -sp.Symbol("Y") * Label(r"b \cdot \Delta w")),
            "improvement of B from a weight change dw; Y = b.g",
        ),
        Step(
            "E[Y sign X]",
            sp.Eq(Label(r"\langle Y \mathrm{sign} X\rangle"), y_sign_x),
            "X = sigma|a| U, Y = sigma|b|(rho U + sqrt(1-rho^2) Z)",
        ),
        Step("E|Y|", sp.Eq(Label(r"\langle|Y|\rangle"), abs_y), "half-normal mean"),
        Step(
            "unit-step-from-A",
            sp.Eq(Label(r"\langle\Delta E_B\rangle_A"), unit_from_a),
            "dw = -eta sign(X) a/|a|: improvement eta Y sign(X) (a.b)/|a|",
        ),
        Step(
            "unit-step-from-B",
            sp.Eq(Label(r"\langle\Delta E_B\rangle_B"), unit_from_b),
            "dw = -eta sign(Y) b/|b|: improvement eta |Y| |b|",
        ),
        Step(
            "unit-step-ratio",
            sp.Eq(Label("R_{unit}"), unit_ratio),
            "= rho^2 exactly, for any |a|, |b|",
        ),
        Step("unit-step-check", unit_check, "R_unit - rho^2 = 0"),
        Step(
            "gradient-step-from-A",
            sp.Eq(Label(r"\langle\Delta E_B\rangle_A"), grad_from_a),
            "dw = -eps X a: improvement eps X Y (a.b)",
        ),
        Step(
            "gradient-step-from-B",
            sp.Eq(Label(r"\langle\Delta E_B\rangle_B"), grad_from_b),
            "dw = -eps Y b: improvement eps Y^2 |b|^2",
        ),
        Step(
            "gradient-step-ratio",
            sp.Eq(Label("R_{grad}"), grad_ratio),
            "(a.b)^2/|b|^4 = rho^2 |a|^2/|b|^2",
        ),
        Step("gradient-step-check", grad_check, "R_grad - (a.b)^2/|b|^4 = 0"),
        Step(
            "footnote-2",
            sp.Eq(Label("R_{grad} - R_{unit}"), difference),
            "zero only when |a| = |b| (n_a = n_b): footnote 2 is false in general",
        ),
        Step(
            "ratio-density",
            sp.Eq(Label("f_{X/Y}(t)"), ratio_density),
            "unit variances: 2 int_0^oo y f(t y, y) dy, with int_0^oo y exp(-lambda y^2) dy "
            "= 1/(2 lambda)",
        ),
        Step("cauchy-check", cauchy_check, "a Cauchy density, location rho, scale sqrt(1-rho^2)"),
        Step(
            "no-mean",
            sp.Eq(Label(r"\int_0^\infty u f_{X/Y}(\rho + u)\,du"), tail_mean),
            "so X/Y, and the per-trial ratio (X/Y)(a.b)/|b|^2, has no expectation",
        ),
    )
    return Derivation(
        name="improvement-ratios",
        title="Ratios of expected improvements of B: fixed-length step (rho^2) vs gradient step",
        section="Sec. 5, footnote 2",
        steps=steps,
        result=result,
        symbols=(ab, na, nb),
        numeric=sp.lambdify((ab, na, nb), result, "numpy"),
    )


@functools.cache
def _numeric() -> Any:
    return sp.lambdify((_AB, _NORM_A, _NORM_B), sp.Tuple(_closed_unit(), _closed_gradient()))


def _scalars(a: Iterable[object], b: Iterable[object]) -> tuple[float, float, float]:
    va, vb = check_vector_pair(a, b, allowed=None, nonzero=True)
    return float(va @ vb), float(np.sqrt(va @ va)), float(np.sqrt(vb @ vb))


def improvement_ratio_unit_step(a: Iterable[object], b: Iterable[object]) -> float:
    """Ratio of expected improvements of B, fixed-length steepest-descent step: ``rho^2``.

    ``a``, ``b``: input vectors of A and B (1-D, same length n, finite, nonzero).
    Expected improvement of B when retraining on A divided by that when
    retraining on B; exact over the Gaussian noise, for any sigma and step length.

    Examples:
        For a = (1, 1, 0, 0), b = (1, 0, 1, 1): a.b = 1, |a|^2 = 2, |b|^2 = 3, so rho^2 = 1/6:

        >>> from theory import improvement_ratio_unit_step
        >>> round(improvement_ratio_unit_step([1, 1, 0, 0], [1, 0, 1, 1]), 12)
        0.166666666667
    """
    return float(_numeric()(*_scalars(a, b))[0])


def improvement_ratio_gradient_step(a: Iterable[object], b: Iterable[object]) -> float:
    """Ratio of expected improvements of B, step proportional to the gradient: ``(a.b)^2/|b|^4``.

    ``a``, ``b``: as in :func:`improvement_ratio_unit_step`. Equals ``rho^2 |a|^2/|b|^2``.

    Examples:
        The same pair as :func:`improvement_ratio_unit_step`: (a.b)^2/|b|^4 = 1/9, not rho^2 = 1/6,
        because |a| != |b| (footnote 2); for |a| = |b| the two agree:

        >>> from theory import improvement_ratio_gradient_step
        >>> round(improvement_ratio_gradient_step([1, 1, 0, 0], [1, 0, 1, 1]), 12)
        0.111111111111
        >>> round(improvement_ratio_gradient_step([1, 1, 0, 0], [1, 0, 1, 0]), 12)  # rho^2 = 1/4
        0.25
    """
    return float(_numeric()(*_scalars(a, b))[1])
