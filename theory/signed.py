"""Item 4: Sec. 5.2, the {1, 0, -1} case: Eq. (3), the random-walk numerator, the 1/n law,
and the claimed independence of dimensionality.

* ``eq3-signed``: ``a.b = n_agree - n_disagree``, ``|a|^2 = n_a`` (nonzero components),
  so Eq. (3), ``(n_agree - n_disagree)^2/(n_a n_b)``, is ``rho^2``, by the same route
  as Eq. (2).
* ``numerator-4p2n``: ``S = a.b`` is a walk with steps +-1 (probability 2p^2 each),
  0 (1 - 4p^2); ``E[S^2] = 4 p^2 n`` exactly. The paper calls this "the square of the
  expected length", but ``(E|S|)^2 -> (2/pi) 4 p^2 n``: the value is the expected
  *squared* length.
* ``inverse-n``: ``E[n_a n_b] = (2pn)^2`` for independent vectors, so the paper's
  ratio of expectations is exactly 1/n. Beyond the paper: ``E[rho^2 | a, b nonzero] = 1/n``
  exactly for every n and p (given the nonzero counts, ``E[S^2] = E[s] = n_a n_b/n``),
  and ``2/pi <= n E[cos theta] <= 1`` with ``n E[cos theta] -> 2/pi``.
* ``dimension-independence``: with K = kappa n associations and M = f K retrained,
  the exact ratio ``M c_n/(1 + (M-1) c_n)``, ``c_n = 2p/(2pn - 2p + 1)``, tends to
  ``f kappa/(1 + f kappa)`` but depends on n (exactly independent only at p = 1/4).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import sympy as sp
from scipy.special import gammaln, xlogy

from ._gaussian import gaussian_expectation, half_normal_mean
from ._notation import Label
from ._validate import ParameterError, check_count, check_p, check_vector_pair
from .derivation import Derivation, Step, register
from .ensembles import (
    ensemble_expected_cos,
    ensemble_expected_rho_squared,
    ensemble_moments,
    vector_count,
)

__all__ = [
    "dimension_independence",
    "dimension_independence_derivation",
    "eq3_signed",
    "inverse_n_derivation",
    "n_times_expected_cos",
    "n_times_expected_rho_squared",
    "numerator_4p2n",
    "paper_cos_signed",
    "random_walk_moments",
    "signed_counts",
]


@register(
    "eq3-signed",
    title="Sec. 5.2, Eq. (3): <cos theta> = (n_agree - n_disagree)^2/(n_a n_b) = rho^2",
)
def eq3_signed() -> Derivation:
    """Eq. (3) by the paper's route: ``E[XY] = sigma^2 (n_agree - n_disagree)`` over a
    stated ``<|XY|> = sigma^2 sqrt(n_a n_b)``, times ``cos(a, b)``; it equals ``rho^2``.

    Examples:
        >>> from theory import eq3_signed
        >>> d = eq3_signed()
        >>> d.result
        (n_agree - n_disagree)**2/(n_a*n_b)
        >>> [step.name for step in d.steps]
        ['cos-ab', 'numerator', 'stated-denominator', 'eq3', 'eq3-is-rho-squared']
    """
    n_agree, n_dis = sp.symbols("n_agree n_disagree", positive=True, integer=True)
    a_only, b_only = sp.symbols(r"n_{a\bar{b}} n_{\bar{a}b}", positive=True, integer=True)
    n_a, n_b = sp.symbols("n_a n_b", positive=True, integer=True)
    sigma = sp.Symbol("sigma", positive=True)
    # a_i g_i over the agreeing / disagreeing / one-sided sets; b_i g_i = +- a_i g_i on overlaps.
    g_agree, g_dis, g_a, g_b = sp.symbols("G_agree G_disagree G_a G_b", real=True)
    variances = {
        g_agree: n_agree * sigma**2,
        g_dis: n_dis * sigma**2,
        g_a: a_only * sigma**2,
        g_b: b_only * sigma**2,
    }
    numerator = gaussian_expectation((g_agree + g_dis + g_a) * (g_agree - g_dis + g_b), variances)
    stated = sigma**2 * sp.sqrt(n_a * n_b)
    cos_ab = (n_agree - n_dis) / sp.sqrt(n_a * n_b)
    eq3 = sp.simplify(cos_ab * numerator / stated)
    check = sp.simplify(eq3 - cos_ab**2)
    cos_sym = Label(r"\langle\cos\theta\rangle")
    steps = (
        Step(
            "cos-ab",
            sp.Eq(Label(r"\cos(a, b)"), cos_ab),
            "a_i b_i = +1 (agree), -1 (disagree), 0; a_i^2 = 1 iff a_i != 0",
        ),
        Step(
            "numerator",
            sp.Eq(Label(r"\langle XY\rangle"), numerator),
            "X = G_agree + G_disagree + G_a-only, Y = G_agree - G_disagree + G_b-only",
        ),
        Step(
            "stated-denominator",
            sp.Eq(Label(r"\langle|XY|\rangle_{paper}"), stated),
            "the same stated denominator as in Sec. 5.1",
        ),
        Step("eq3", sp.Eq(cos_sym, eq3), "Eq. (3)"),
        Step("eq3-is-rho-squared", check, "Eq. (3) minus rho^2 = 0"),
    )
    return Derivation(
        name="eq3-signed",
        title="Sec. 5.2, Eq. (3): <cos theta> = (n_agree - n_disagree)^2/(n_a n_b) = rho^2",
        section="Sec. 5.2, Eq. (3)",
        steps=steps,
        result=eq3,
        symbols=(n_agree, n_dis, n_a, n_b),
        numeric=sp.lambdify((n_agree, n_dis, n_a, n_b), eq3, "numpy"),
    )


@register(
    "numerator-4p2n",
    title="Sec. 5.2: the random-walk numerator, E[S^2] = 4 p^2 n (the expected squared length)",
)
def numerator_4p2n() -> Derivation:
    """``E[S^2] = 4 p^2 n`` for the walk ``S = sum_i a_i b_i``; and ``(E|S|)^2 ~ (2/pi) 4 p^2 n``.

    ``numeric(n, p)`` is ``4 p^2 n``.
    """
    n = sp.Symbol("n", positive=True, integer=True)
    p = sp.Symbol("p", positive=True)
    step_law = {1: 2 * p**2, -1: 2 * p**2, 0: 1 - 4 * p**2}
    # P(a_i b_i = 1) = P(1,1) + P(-1,-1) = 2 p^2, likewise for -1.
    law_check = sp.simplify(sum(step_law.values()) - 1)
    mean = sp.simplify(sum(v * w for v, w in step_law.items()))
    second = sp.simplify(sum(v**2 * w for v, w in step_law.items()))
    expected_square = sp.expand(n * second + n * (n - 1) * mean**2)
    # Central limit: S ~ N(0, E[S^2]), and E|N(0, v)| = sqrt(v) E|U|.
    length = sp.simplify(sp.sqrt(expected_square) * half_normal_mean())
    length_squared = sp.simplify(length**2)
    ratio = sp.simplify(length_squared / expected_square)
    steps = (
        Step(
            "step-law",
            sp.Eq(Label("P(a_i b_i = \\pm 1)"), 2 * p**2),
            "both 1 or both -1 (p^2 + p^2); opposite signs likewise; else 0",
        ),
        Step("step-law-check", law_check, "the three probabilities sum to 1"),
        Step("step-mean", sp.Eq(Label(r"\langle a_i b_i\rangle"), mean), ""),
        Step("step-square", sp.Eq(Label(r"\langle(a_i b_i)^2\rangle"), second), ""),
        Step(
            "expected-square",
            sp.Eq(Label(r"\langle S^2\rangle"), expected_square),
            "n E[s^2] + n(n-1) E[s]^2: the numerator of Eq. (3), exactly 4 p^2 n",
        ),
        Step(
            "expected-length-large-n",
            sp.Eq(Label(r"\langle|S|\rangle"), length),
            "central limit: S ~ N(0, 4 p^2 n) for large n",
        ),
        Step(
            "square-of-expected-length",
            sp.Eq(Label(r"\langle|S|\rangle^2"), length_squared),
            "what the paper's words name: (2/pi) of the value it gives",
        ),
        Step("ratio", sp.Eq(Label(r"\langle|S|\rangle^2/\langle S^2\rangle"), ratio), ""),
    )
    return Derivation(
        name="numerator-4p2n",
        title="Sec. 5.2: the random-walk numerator, E[S^2] = 4 p^2 n (the expected squared length)",
        section="Sec. 5.2",
        steps=steps,
        result=expected_square,
        symbols=(n, p),
        numeric=sp.lambdify((n, p), expected_square, "numpy"),
    )


@register(
    "inverse-n",
    title="Sec. 5.2: the 1/n law; E[rho^2] = 1/n exactly, n E[cos theta] -> 2/pi",
)
def inverse_n_derivation() -> Derivation:
    """The 1/n law: ratio of expectations exactly 1/n; ``E[rho^2] = 1/n`` exactly; bounds and
    limit of ``n E[cos theta]``. ``numeric(n)`` is ``1/n``.
    """
    n = sp.Symbol("n", positive=True, integer=True)
    p = sp.Symbol("p", positive=True)
    n_a, n_b, s = sp.symbols("n_a n_b s", positive=True, integer=True)
    rho = sp.Symbol("rho", positive=True)
    mean_count = n * 2 * p  # n_a ~ Binomial(n, 2p): sum of n indicators
    denominator = sp.expand(mean_count**2)  # independent vectors
    ratio = sp.simplify(4 * p**2 * n / denominator)
    # Given s nonzero overlaps, S = sum of s independent fair +-1 signs: E[S^2 | s] = s.
    # Given n_a, n_b: each coordinate is in both with probability (n_a/n)(n_b/n).
    overlap_mean = n * (n_a / n) * (n_b / n)
    conditional = sp.simplify(overlap_mean / (n_a * n_b))
    series = sp.series(rho * 2 / sp.pi * sp.asin(rho), rho, 0, 6).removeO()
    lower = sp.simplify(2 / sp.pi * rho**2)
    upper = rho**2
    e_cos = Label(r"n\langle\cos\theta\rangle")
    steps = (
        Step("mean-count", sp.Eq(Label(r"\langle n_a\rangle"), mean_count), "Binomial(n, 2p)"),
        Step(
            "denominator",
            sp.Eq(Label(r"\langle n_a n_b\rangle"), denominator),
            "independent vectors: of order n^2",
        ),
        Step(
            "paper-ratio",
            sp.Eq(Label(r"\langle S^2\rangle/\langle n_a n_b\rangle"), ratio),
            "ratio of expectations: exactly 1/n",
        ),
        Step(
            "walk-given-overlap",
            sp.Eq(Label(r"\langle S^2 | s\rangle"), s),
            "s overlapping nonzero coordinates, each a fair +-1",
        ),
        Step(
            "overlap-mean",
            sp.Eq(Label(r"\langle s | n_a, n_b\rangle"), overlap_mean),
            "hypergeometric mean",
        ),
        Step(
            "rho-squared-exact",
            sp.Eq(Label(r"\langle\rho^2 | n_a, n_b\rangle"), conditional),
            "so E[rho^2 | a, b nonzero] = 1/n exactly, for every n and p",
        ),
        Step(
            "cos-series",
            sp.Eq(Label(r"\rho\,\frac{2}{\pi}\arcsin\rho"), series),
            "E[rho^4] = O(1/n^2), so n E[cos theta] -> (2/pi) n E[rho^2] = 2/pi",
        ),
        Step(
            "cos-bounds",
            sp.Interval(lower, upper),
            "(2/pi) rho^2 <= rho (2/pi) asin(rho) <= rho^2, so 2/pi <= n E[cos theta] <= 1",
        ),
        Step("cos-limit", sp.Eq(sp.Limit(e_cos, n, sp.oo), 2 / sp.pi), ""),
    )
    return Derivation(
        name="inverse-n",
        title="Sec. 5.2: the 1/n law; E[rho^2] = 1/n exactly, n E[cos theta] -> 2/pi",
        section="Sec. 5.2",
        steps=steps,
        result=ratio,
        symbols=(n,),
        numeric=sp.lambdify((n,), ratio, "numpy"),
    )


@register(
    "dimension-independence",
    title="Sec. 5.2: K = kappa n, M = f K: the ratio tends to f kappa/(1 + f kappa)",
)
def dimension_independence_derivation() -> Derivation:
    """K = kappa n associations, M = f K retrained: exact ratio at finite n and its limit.

    ``numeric(n, p, kappa, f)`` is the exact ratio with replacement.
    """
    n = sp.Symbol("n", positive=True, integer=True)
    p, kappa, f = sp.symbols("p kappa f", positive=True)
    c_n = 2 * p / (2 * p * n - 2 * p + 1)  # ensemble-moments-signed
    big_m = f * kappa * n
    ratio = sp.simplify(big_m * c_n / (1 + (big_m - 1) * c_n))
    limit = sp.factor(sp.limit(ratio, n, sp.oo))
    gap = sp.factor(sp.simplify(ratio - limit))
    paper_ratio = sp.simplify(big_m / n / (1 + (big_m - 1) / n))
    paper_gap = sp.factor(sp.simplify(paper_ratio - limit))
    quarter = sp.simplify(gap.subs(p, sp.Rational(1, 4)))
    steps = (
        Step(
            "c_n", sp.Eq(sp.Symbol("c_n"), c_n), "C/D for signed inputs (ensemble-moments-signed)"
        ),
        Step(
            "ratio",
            sp.Eq(sp.Symbol("r_n"), ratio),
            "M c_n / (1 + (M-1) c_n) with M = f kappa n",
        ),
        Step("limit", sp.Eq(sp.Limit(sp.Symbol("r_n"), n, sp.oo), limit), "the paper's claim"),
        Step("gap", sp.Eq(Label("r_n - r_\\infty"), gap), "nonzero at finite n, O(1/n)"),
        Step(
            "paper-ratio",
            sp.Eq(Label("r_n^{paper}"), paper_ratio),
            "with the paper's c = 1/n",
        ),
        Step("paper-gap", sp.Eq(Label("r_n^{paper} - r_\\infty"), paper_gap), ""),
        Step("gap-at-quarter", quarter, "p = 1/4: c_n = 1/(n+1), exactly independent of n"),
    )
    return Derivation(
        name="dimension-independence",
        title="Sec. 5.2: K = kappa n, M = f K: the ratio tends to f kappa/(1 + f kappa)",
        section="Sec. 5.2",
        steps=steps,
        result=ratio,
        symbols=(n, p, kappa, f),
        numeric=sp.lambdify((n, p, kappa, f), ratio, "numpy"),
    )


def signed_counts(a: Iterable[object], b: Iterable[object]) -> dict[str, int]:
    """``n_agree``, ``n_disagree``, ``n_a``, ``n_b`` of two {1, 0, -1} vectors.

    Examples:
        >>> from theory import paper_cos_signed, signed_counts
        >>> counts = signed_counts([1, -1, 0, 1], [1, 1, -1, 1])
        >>> counts
        {'n_agree': 2, 'n_disagree': 1, 'n_a': 3, 'n_b': 4}
        >>> round(paper_cos_signed(**counts), 12)  # Eq. (3): (2 - 1)^2 / (3 * 4)
        0.083333333333
    """
    va, vb = check_vector_pair(a, b, allowed=(-1, 0, 1), nonzero=True)
    prod = va * vb
    return {
        "n_agree": int(np.sum(prod == 1)),
        "n_disagree": int(np.sum(prod == -1)),
        "n_a": int(np.sum(va != 0)),
        "n_b": int(np.sum(vb != 0)),
    }


def paper_cos_signed(n_agree: int, n_disagree: int, n_a: int, n_b: int) -> float:
    """Eq. (3) as the paper computes it: ``(n_agree - n_disagree)^2 / (n_a n_b)``.

    Examples:
        >>> from theory import paper_cos_signed
        >>> round(paper_cos_signed(n_agree=2, n_disagree=1, n_a=3, n_b=4), 12)
        0.083333333333
        >>> paper_cos_signed(n_agree=3, n_disagree=0, n_a=3, n_b=3)  # a = b
        1.0
    """
    n_agree = check_count("n_agree", n_agree, minimum=0)
    n_disagree = check_count("n_disagree", n_disagree, minimum=0)
    n_a = check_count("n_a", n_a)
    n_b = check_count("n_b", n_b)
    if n_agree + n_disagree > min(n_a, n_b):
        raise ParameterError(
            "n_disagree",
            f"n_agree + n_disagree <= min(n_a, n_b) = {min(n_a, n_b)}",
            n_agree + n_disagree,
        )
    return (n_agree - n_disagree) ** 2 / (n_a * n_b)


def random_walk_moments(n: int, p: float) -> dict[str, float]:
    """Moments of ``S = sum_i a_i b_i`` for random {1,0,-1} vectors, exact at this n.

    Returns ``expected_square`` (``E[S^2] = 4 p^2 n``), ``expected_length`` (``E|S|``,
    an exact sum over the trinomial law of (agree, disagree)),
    ``square_of_expected_length`` and ``ratio`` = ``(E|S|)^2 / E[S^2]`` (-> 2/pi).
    ``n`` in [1, 2000].

    Examples:
        >>> from theory import random_walk_moments
        >>> m = random_walk_moments(4, 0.5)
        >>> m["expected_square"], round(m["expected_length"], 12)  # 4 p^2 n = 4; E|S| = 3/2
        (4.0, 1.5)
        >>> round(m["ratio"], 12)  # (E|S|)^2 / E[S^2] = 9/16 (2/pi as n grows)
        0.5625
    """
    n = check_count("n", n)
    if n > 2000:
        raise ParameterError("n", "an integer in [1, 2000]", n)
    p = check_p(p)
    grid = np.arange(n + 1, dtype=float)
    agree, disagree = np.meshgrid(grid, grid, indexing="ij")
    keep = agree + disagree <= n
    ag, dis = agree[keep], disagree[keep]
    rest = n - ag - dis
    log_w = (
        gammaln(n + 1.0)
        - gammaln(ag + 1.0)
        - gammaln(dis + 1.0)
        - gammaln(rest + 1.0)
        + xlogy(ag + dis, 2.0 * p * p)
        + xlogy(rest, 1.0 - 4.0 * p * p)
    )
    length = float(np.sum(np.exp(log_w) * np.abs(ag - dis)))
    square = 4.0 * p * p * n
    return {
        "expected_square": square,
        "expected_length": length,
        "square_of_expected_length": length**2,
        "ratio": length**2 / square,
    }


def n_times_expected_cos(n: int, p: float, without_replacement: bool = False) -> float:
    """``n E[cos theta]`` for random {1,0,-1} vectors (exact; in [2/pi, 1], -> 2/pi).

    Examples:
        >>> from theory import n_times_expected_cos
        >>> print(f"{n_times_expected_cos(10, 0.5):.6f}")  # between 2/pi = 0.636620 and 1
        0.678566
    """
    return float(n) * ensemble_expected_cos(
        "signed", n, p=p, without_replacement=without_replacement
    )


def n_times_expected_rho_squared(n: int, p: float, without_replacement: bool = False) -> float:
    """``n E[rho^2]`` (the ensemble mean of Eq. 3, times n): exactly 1 with replacement.

    Examples:
        >>> from theory import n_times_expected_rho_squared
        >>> print(f"{n_times_expected_rho_squared(10, 0.5):.12f}")  # E[rho^2] = 1/n exactly
        1.000000000000
    """
    return float(n) * ensemble_expected_rho_squared(
        "signed", n, p=p, without_replacement=without_replacement
    )


def dimension_independence(
    n: int,
    p: float,
    associations_per_dimension: float,
    retrained_fraction: float,
    without_replacement: bool = False,
) -> dict[str, float]:
    """Exact ratio for K = kappa n associations, M = f K retrained, against its n -> oo limit.

    ``associations_per_dimension`` kappa > 0 and ``retrained_fraction`` f in (0, 1];
    M = f kappa n enters the formula as a real number (need not be an integer).
    Returns ``improvement_ratio`` (exact c_n), ``paper_improvement_ratio`` (c = 1/n),
    ``limit_improvement_ratio`` (f kappa/(1 + f kappa)) and ``gap`` (exact - limit).

    Examples:
        K = 2n associations in n = 10 dimensions, half of them retrained:

        >>> from theory import dimension_independence
        >>> r = dimension_independence(10, 0.5, 2, 0.5)  # kappa = 2, f = 1/2
        >>> round(r["improvement_ratio"], 6), r["limit_improvement_ratio"]  # 10/19 -> 1/2
        (0.526316, 0.5)
    """
    n = check_count("n", n)
    kappa = _positive("associations_per_dimension", associations_per_dimension)
    fraction = _positive("retrained_fraction", retrained_fraction)
    if fraction > 1.0:
        raise ParameterError("retrained_fraction", "a number in (0, 1]", retrained_fraction)
    if without_replacement and kappa * n > vector_count("signed", n):
        raise ParameterError(
            "associations_per_dimension",
            f"kappa n <= 3^n = {vector_count('signed', n)} without replacement",
            kappa,
        )
    c = float(ensemble_moments("signed", n, p=p, without_replacement=without_replacement)["c"])
    big_m = fraction * kappa * n
    exact = big_m * c / (1.0 + (big_m - 1.0) * c)
    paper = big_m / (n + big_m - 1.0)
    limit = fraction * kappa / (1.0 + fraction * kappa)
    return {
        "improvement_ratio": exact,
        "paper_improvement_ratio": paper,
        "limit_improvement_ratio": limit,
        "gap": exact - limit,
    }


def _positive(name: str, value: object) -> float:
    accepts = "a positive finite number"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(name, accepts, value)
    x = float(value)
    if not (math.isfinite(x) and x > 0.0):
        raise ParameterError(name, accepts, value)
    return x
