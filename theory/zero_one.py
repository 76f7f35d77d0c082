"""Item 2: Sec. 5.1 and Eq. (2), the zero-one case, the paper's route and its exact counterpart.

For 0/1 vectors ``a.b = n_ab`` and ``|a|^2 = n_a``, so ``cos(a, b) = n_ab/sqrt(n_a n_b)``.
The paper splits ``X = a.g`` and ``Y = b.g`` over the disjoint sets S_ab, S_a-only,
S_b-only; only ``sum_{S_ab} g_i^2`` survives in ``E[XY] = n_ab sigma^2``. It then divides
by a stated ``<|XY|> = n_a^(1/2) sigma n_b^(1/2) sigma`` and multiplies by
``cos(a, b)``:

    <cos theta>_paper = n_ab^2 / (n_a n_b) = rho^2                       (Eq. 2)

With the typical values ``n_ab = n q^2``, ``n_a = n_b = n q`` this is ``q^2``
(1/4 at q = 1/2). The exact expectation over the noise is
``rho (2/pi) asin(rho)`` (``expectations``): 1/6 at rho = 1/2.

Derivation: ``eq2-zero-one``; ``numeric(n_ab, n_a, n_b)`` is the paper's value.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import sympy as sp

from ._gaussian import gaussian_expectation
from ._notation import Label
from ._validate import ParameterError, check_count, check_vector_pair
from .derivation import Derivation, Step, register

__all__ = ["eq2_zero_one", "paper_cos_zero_one", "zero_one_counts"]


@register(
    "eq2-zero-one",
    title="Sec. 5.1, Eq. (2): <cos theta> = n_ab^2/(n_a n_b) (paper's route), exact beside it",
)
def eq2_zero_one() -> Derivation:
    """Reproduce the paper's route to Eq. (2) as steps, and set the exact value beside it.

    Symbols: ``n_ab``, ``n_a``, ``n_b`` (counts), ``sigma``, ``n``, ``q``.

    Examples:
        >>> from theory import eq2_zero_one
        >>> d = eq2_zero_one()
        >>> d.result
        n_ab**2/(n_a*n_b)
        >>> d.section
        'Sec. 5.1, Eq. (2)'
    """
    n_ab, n_a, n_b = sp.symbols("n_ab n_a n_b", positive=True, integer=True)
    a_only, b_only = sp.symbols(r"n_{a\bar{b}} n_{\bar{a}b}", positive=True, integer=True)
    sigma, n, q = sp.symbols("sigma n q", positive=True)
    g_ab, g_a, g_b = sp.symbols("G_ab G_a G_b", real=True)  # sums of g_i over disjoint sets
    variances = {g_ab: n_ab * sigma**2, g_a: a_only * sigma**2, g_b: b_only * sigma**2}
    numerator = gaussian_expectation((g_ab + g_a) * (g_ab + g_b), variances)
    stated_denominator = sp.sqrt(n_a) * sigma * sp.sqrt(n_b) * sigma
    second_factor = numerator / stated_denominator
    cos_ab = n_ab / sp.sqrt(n_a * n_b)
    eq2 = sp.simplify(cos_ab * second_factor)
    rho = sp.Symbol("rho", real=True)
    rho_check = sp.simplify(eq2 - (n_ab / sp.sqrt(n_a * n_b)) ** 2)
    typical = sp.simplify(eq2.subs({n_ab: n * q**2, n_a: n * q, n_b: n * q}))
    at_half = typical.subs(q, sp.Rational(1, 2))
    exact = rho * 2 / sp.pi * sp.asin(rho)
    exact_typical = sp.simplify(
        exact.subs(rho, cos_ab).subs({n_ab: n * q**2, n_a: n * q, n_b: n * q})
    )
    exact_half = sp.nsimplify(exact_typical.subs(q, sp.Rational(1, 2)))
    exact_abs = (
        sigma**2
        * sp.sqrt(n_a * n_b)
        * 2
        / sp.pi
        * (sp.sqrt(1 - cos_ab**2) + cos_ab * sp.asin(cos_ab))
    )
    cos_sym = Label(r"\langle\cos\theta\rangle")
    steps = (
        Step(
            "cos-ab",
            sp.Eq(Label(r"\cos(a, b)"), cos_ab),
            "0/1 components: a.b = n_ab, |a|^2 = n_a",
        ),
        Step(
            "numerator",
            sp.Eq(Label(r"\langle XY\rangle"), numerator),
            "X = G_ab + G_a-only, Y = G_ab + G_b-only (disjoint sums of g_i): cross terms vanish",
        ),
        Step(
            "stated-denominator",
            sp.Eq(Label(r"\langle|XY|\rangle_{paper}"), stated_denominator),
            "as stated in Sec. 5.1 (not derived there)",
        ),
        Step(
            "second-factor",
            sp.Eq(Label(r"\langle\mathrm{sign}(XY)\rangle_{paper}"), second_factor),
            "expected numerator over stated expected denominator",
        ),
        Step("eq2", sp.Eq(cos_sym, eq2), "Eq. (2): times cos(a, b)"),
        Step("eq2-is-rho-squared", rho_check, "Eq. (2) minus rho^2 = 0"),
        Step(
            "typical-values",
            sp.Eq(cos_sym, typical),
            "n_ab = n q^2, n_a = n_b = n q",
        ),
        Step("paper-025", sp.Eq(cos_sym, at_half), "q = 1/2: the paper's .25"),
        Step(
            "exact",
            sp.Eq(Label(r"\langle\cos\theta\rangle_{exact}"), exact),
            "orthant law (expected-cos-exact), rho = n_ab/sqrt(n_a n_b)",
        ),
        Step(
            "exact-typical",
            sp.Eq(Label(r"\langle\cos\theta\rangle_{exact}"), exact_typical),
            "typical values: rho = q",
        ),
        Step(
            "exact-at-half",
            sp.Eq(Label(r"\langle\cos\theta\rangle_{exact}"), exact_half),
            "q = 1/2: 1/6, not 1/4",
        ),
        Step(
            "exact-denominator",
            sp.Eq(Label(r"\langle|XY|\rangle"), exact_abs),
            "exact E|XY| (Sheppard): not sigma^2 sqrt(n_a n_b) unless n_ab = n_a = n_b",
        ),
    )
    return Derivation(
        name="eq2-zero-one",
        title="Sec. 5.1, Eq. (2): <cos theta> = n_ab^2/(n_a n_b) (paper's route), exact beside it",
        section="Sec. 5.1, Eq. (2)",
        steps=steps,
        result=eq2,
        symbols=(n_ab, n_a, n_b),
        numeric=sp.lambdify((n_ab, n_a, n_b), eq2, "numpy"),
    )


def zero_one_counts(a: Iterable[object], b: Iterable[object]) -> dict[str, int]:
    """``n_ab``, ``n_a``, ``n_b`` of two 0/1 vectors (same length, nonzero).

    Examples:
        >>> from theory import paper_cos_zero_one, zero_one_counts
        >>> counts = zero_one_counts([1, 1, 0, 1], [1, 0, 1, 1])
        >>> counts
        {'n_ab': 2, 'n_a': 3, 'n_b': 3}
        >>> round(paper_cos_zero_one(**counts), 12)  # Eq. (2): n_ab^2 / (n_a n_b)
        0.444444444444
    """
    va, vb = check_vector_pair(a, b, allowed=(0, 1), nonzero=True)
    return {
        "n_ab": int(np.sum((va == 1) & (vb == 1))),
        "n_a": int(np.sum(va == 1)),
        "n_b": int(np.sum(vb == 1)),
    }


def paper_cos_zero_one(n_ab: int, n_a: int, n_b: int) -> float:
    """Eq. (2) as the paper computes it: ``n_ab^2 / (n_a n_b)``.

    ``n_ab`` (>= 0), ``n_a``, ``n_b`` (>= 1): counts of ones in both / in a / in b;
    ``n_ab <= min(n_a, n_b)``.

    Examples:
        >>> from theory import paper_cos_zero_one
        >>> round(paper_cos_zero_one(n_ab=2, n_a=3, n_b=3), 12)  # 2^2 / (3 * 3)
        0.444444444444
        >>> paper_cos_zero_one(n_ab=0, n_a=2, n_b=2)  # no shared ones: no transfer
        0.0
    """
    n_ab = check_count("n_ab", n_ab, minimum=0)
    n_a = check_count("n_a", n_a)
    n_b = check_count("n_b", n_b)
    if n_ab > min(n_a, n_b):
        raise ParameterError("n_ab", f"an integer in [0, min(n_a, n_b) = {min(n_a, n_b)}]", n_ab)
    return n_ab**2 / (n_a * n_b)
