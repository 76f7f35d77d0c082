"""Expectations of polynomials in independent centred Gaussians (a fast sympy.stats stand-in).

``E[G^k] = v^(k/2) (k-1)!!`` for even k and 0 for odd k, for ``G ~ N(0, v)``;
independence makes the expectation of a monomial the product of these. Used by the
derivations for ``E[XY]``, ``E[Y^2]`` and the like, where sympy.stats takes seconds.
The tests check it against sympy.stats.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

__all__ = ["gaussian_expectation", "half_normal_mean"]


def gaussian_expectation(expr: sp.Expr, variances: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``E[expr]`` where ``expr`` is a polynomial in the independent ``N(0, variances[s])``
    symbols ``s`` (other symbols are constants)."""
    gens = tuple(variances)
    poly = sp.Poly(sp.expand(expr), *gens)
    total = sp.Integer(0)
    for monomial, coeff in poly.terms():
        term = coeff
        for gen, power in zip(gens, monomial, strict=True):
            if power % 2:
                term = sp.Integer(0)
                break
            term = term * variances[gen] ** (power // 2) * sp.factorial2(power - 1)
        total = total + term
    return sp.simplify(total)


def half_normal_mean() -> sp.Expr:
    """``E|U|`` for ``U ~ N(0, 1)``: ``2 int_0^oo u phi(u) du = sqrt(2/pi)``."""
    u = sp.Symbol("u", positive=True)
    density = sp.exp(-(u**2) / 2) / sp.sqrt(2 * sp.pi)
    return sp.simplify(2 * sp.integrate(u * density, (u, 0, sp.oo)))
