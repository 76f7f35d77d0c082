"""Item 6: exact expectations over the random input ensembles of Sec. 5.1 and 5.2.

Ensembles (``inputs``):

* ``"zero-one"``: components iid, 1 with probability q, else 0 (the paper: q = 1/2);
* ``"signed"``: components iid, 1 and -1 each with probability p, else 0.

Drawn **with replacement** (iid vectors; the zero vector can occur) or **without
replacement** (distinct vectors, uniform over all ``N = 2^n`` resp. ``3^n``
vectors, zero included — so only q = 1/2 resp. p = 1/3; the paper draws 100
distinct vectors out of 2^10).

Moments (two different associations x, y; symbols n, q, p):

    zero-one:  C = E[(x.y)^2] = n q^2 (1 - q^2) + n^2 q^4,   D = E[|x|^4] = n q (1-q) + n^2 q^2
    signed:    C = 4 p^2 n,                                  D = 2 p n (1 - 2p) + 4 p^2 n^2
    without replacement:  C' = (C - D/N) / (1 - 1/N),  D unchanged;  c = C/D.

``c`` is what the retraining ratio of Sec. 5.1 needs (see ``retraining``).

Ensemble averages of ``E[cos theta]`` (exact over the Gaussian noise,
``rho (2/pi) asin(rho)``) and of ``rho^2`` (the paper's Eq. 2 / 3) are
conditioned on both vectors nonzero (without replacement also distinct), and
computed by exact enumeration of the multinomial counts over coordinate
categories, in float64 with log-weights (``scipy.special.gammaln``):

* zero-one: (both 1, a only, b only, neither), C(n+3, 3) terms;
* signed: (both nonzero s, a only, b only, neither) and, given s, the number
  that agree ~ Binomial(s, 1/2); summed as nonzero counts n_a, n_b (binomial),
  overlap s | n_a, n_b (hypergeometric), |agree - disagree| | s, in O(n^3).

Supported for ``1 <= n <= MAX_ENUMERATION_N`` (400); larger n raise
:class:`ParameterError` (no asymptotic stand-in is substituted silently).

Derivations: ``ensemble-moments-zero-one``, ``ensemble-moments-signed``;
``numeric(n, q)`` resp. ``numeric(n, p)`` returns ``(C, D, c)`` with replacement.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import sympy as sp
from scipy.special import gammaln, xlogy

from ._notation import Label
from ._validate import ParameterError, check_count
from .derivation import Derivation, Step, register

__all__ = [
    "INPUTS",
    "MAX_ENUMERATION_N",
    "check_ensemble",
    "ensemble_expected_cos",
    "ensemble_expected_rho_squared",
    "ensemble_moments",
    "ensemble_moments_signed_derivation",
    "ensemble_moments_zero_one_derivation",
    "exact_probability",
    "vector_count",
]

INPUTS = ("zero-one", "signed")
MAX_ENUMERATION_N = 400

_N = sp.Symbol("n", positive=True, integer=True)
_Q = sp.Symbol("q", positive=True)
_P = sp.Symbol("p", positive=True)


def _closed_zero_one() -> tuple[sp.Expr, sp.Expr]:
    n, q = _N, _Q
    return n * q**2 * (1 - q**2) + n**2 * q**4, n * q * (1 - q) + n**2 * q**2


def _closed_signed() -> tuple[sp.Expr, sp.Expr]:
    n, p = _N, _P
    return 4 * p**2 * n, 2 * p * n * (1 - 2 * p) + 4 * p**2 * n**2


def _moments_derivation(
    name: str,
    title: str,
    section: str,
    prob: sp.Symbol,
    coordinate: dict[int, sp.Expr],
    closed: tuple[sp.Expr, sp.Expr],
    vectors: sp.Expr,
) -> Derivation:
    """C and D from the law of one coordinate (``coordinate``: value -> probability)."""
    n = _N
    pairs = [(u * v, pu * pv) for u, pu in coordinate.items() for v, pv in coordinate.items()]
    mean_xy = sp.factor(sum(val * w for val, w in pairs))
    mean_xy2 = sp.factor(sum(val**2 * w for val, w in pairs))
    mean_x2 = sp.factor(sum(u**2 * pu for u, pu in coordinate.items()))
    mean_x4 = sp.factor(sum(u**4 * pu for u, pu in coordinate.items()))
    # (x.y)^2 = sum_i (x_i y_i)^2 + sum_{i != j} (x_i y_i)(x_j y_j); coordinates independent.
    c_moment = sp.expand(n * mean_xy2 + n * (n - 1) * mean_xy**2)
    d_moment = sp.expand(n * mean_x4 + n * (n - 1) * mean_x2**2)
    c_check = sp.simplify(c_moment - closed[0])
    d_check = sp.simplify(d_moment - closed[1])
    ratio = sp.simplify(c_moment / d_moment)
    limit = sp.limit(ratio, n, sp.oo)
    big_n = sp.Symbol("N", positive=True)
    without = sp.simplify((c_moment - d_moment / big_n) / (1 - 1 / big_n))
    result = sp.Tuple(c_moment, d_moment, ratio)
    steps = (
        Step(
            "E[x_i y_i]",
            sp.Eq(Label(r"\langle x_i y_i\rangle"), mean_xy),
            "one coordinate of two independent vectors",
        ),
        Step("E[(x_i y_i)^2]", sp.Eq(Label(r"\langle x_i^2 y_i^2\rangle"), mean_xy2), ""),
        Step("E[x_i^2]", sp.Eq(Label(r"\langle x_i^2\rangle"), mean_x2), ""),
        Step("E[x_i^4]", sp.Eq(Label(r"\langle x_i^4\rangle"), mean_x4), ""),
        Step(
            "C",
            sp.Eq(Label(r"C = \langle(x\cdot y)^2\rangle"), c_moment),
            "n diagonal terms, n(n-1) products of independent coordinates",
        ),
        Step("C-check", c_check, "equals the closed form: difference 0"),
        Step(
            "D",
            sp.Eq(Label(r"D = \langle|x|^4\rangle"), d_moment),
            "the same expansion of (x.x)^2",
        ),
        Step("D-check", d_check, "equals the closed form: difference 0"),
        Step("c", sp.Eq(sp.Symbol("c = C/D"), ratio), "the retraining ratio's transfer constant"),
        Step("c-limit", sp.Eq(Label(r"\lim_{n\to\infty} c"), limit), "K, M fixed"),
        Step(
            "without-replacement",
            sp.Eq(sp.Symbol("C'"), without),
            f"distinct pairs, uniform over all N = {vectors} vectors: "
            "(N^2 C - N D)/(N(N-1)); D is unchanged",
        ),
    )
    return Derivation(
        name=name,
        title=title,
        section=section,
        steps=steps,
        result=result,
        symbols=(n, prob),
        numeric=sp.lambdify((n, prob), result, "numpy"),
    )


@register(
    "ensemble-moments-zero-one",
    title="Moments of random 0/1 inputs, P(1) = q: C = E[(x.y)^2], D = E[|x|^4], c = C/D",
)
def ensemble_moments_zero_one_derivation() -> Derivation:
    """C = E[(x.y)^2], D = E[|x|^4] and c = C/D for 0/1 components with P(1) = q."""
    q = _Q
    return _moments_derivation(
        "ensemble-moments-zero-one",
        "Moments of random 0/1 inputs, P(1) = q: C = E[(x.y)^2], D = E[|x|^4], c = C/D",
        "Sec. 5.1",
        q,
        {1: q, 0: 1 - q},
        _closed_zero_one(),
        sp.Integer(2) ** _N,
    )


@register(
    "ensemble-moments-signed",
    title="Moments of random {1,0,-1} inputs, P(1) = P(-1) = p: C = 4p^2 n, D, c = C/D",
)
def ensemble_moments_signed_derivation() -> Derivation:
    """C = E[(x.y)^2] = 4 p^2 n, D = E[|x|^4] and c = C/D for {1, 0, -1} components."""
    p = _P
    return _moments_derivation(
        "ensemble-moments-signed",
        "Moments of random {1,0,-1} inputs, P(1) = P(-1) = p: C = 4p^2 n, D, c = C/D",
        "Sec. 5.2",
        p,
        {1: p, -1: p, 0: 1 - 2 * p},
        _closed_signed(),
        sp.Integer(3) ** _N,
    )


def exact_probability(name: str, value: object, upper: Fraction) -> sp.Rational:
    """``value`` as an exact rational in ``(0, upper]``.

    Accepts int, float, :class:`fractions.Fraction` or a sympy Rational. A float
    becomes the nearest rational with denominator <= 10^12 when that is the float to
    within rounding (0.1 -> 1/10, 1/3 -> 1/3), else its exact binary value.
    """
    accepts = f"a number in (0, {upper}]"
    shown = str(value) if isinstance(value, (Fraction, sp.Basic)) else value
    if isinstance(value, bool):
        raise ParameterError(name, accepts, shown)
    if isinstance(value, sp.Rational):
        frac = Fraction(int(value.p), int(value.q))
    elif isinstance(value, (Fraction, int, np.integer)):
        frac = Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
    elif isinstance(value, (float, np.floating)):
        if not math.isfinite(float(value)):
            raise ParameterError(name, accepts, shown)
        exact = Fraction(float(value))
        near = exact.limit_denominator(10**12)
        # The small-denominator rational when it is the float to within rounding, else exact.
        frac = near if near != 0 and abs(near - exact) <= abs(exact) * Fraction(1, 2**50) else exact
    else:
        raise ParameterError(name, accepts, shown)
    if not 0 < frac <= upper:
        raise ParameterError(name, accepts, shown)
    return sp.Rational(frac.numerator, frac.denominator)


def check_ensemble(
    inputs: object, q: object, p: object, without_replacement: object
) -> tuple[str, sp.Rational]:
    """Validate the ensemble; return (inputs, the exact probability q or p)."""
    if inputs not in INPUTS:
        raise ParameterError("inputs", "'zero-one' or 'signed'", inputs)
    if not isinstance(without_replacement, (bool, np.bool_)):
        raise ParameterError("without_replacement", "True or False", without_replacement)
    if inputs == "zero-one":
        if p is not None:
            raise ParameterError("p", "no p for zero-one inputs (they take q)", p)
        if q is None:
            raise ParameterError("q", "a number in (0, 1] for zero-one inputs", q)
        prob = exact_probability("q", q, Fraction(1))
        if without_replacement and prob != sp.Rational(1, 2):
            raise ParameterError(
                "without_replacement",
                "q = 1/2 for zero-one inputs (uniform over all 2^n vectors)",
                f"q = {prob}",
            )
        return "zero-one", prob
    if q is not None:
        raise ParameterError("q", "no q for signed inputs (they take p)", q)
    if p is None:
        raise ParameterError("p", "a number in (0, 1/2] for signed inputs", p)
    prob = exact_probability("p", p, Fraction(1, 2))
    if without_replacement and prob != sp.Rational(1, 3):
        raise ParameterError(
            "without_replacement",
            "p = 1/3 for signed inputs (uniform over all 3^n vectors)",
            f"p = {prob}",
        )
    return "signed", prob


def vector_count(inputs: str, n: int) -> int:
    """``N``: 2^n zero-one or 3^n signed vectors of length n."""
    base = 2 if inputs == "zero-one" else 3
    return int(base**n)


def ensemble_moments(
    inputs: str,
    n: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> dict[str, sp.Rational]:
    """Exact ``C = E[(x.y)^2]``, ``D = E[|x|^4]`` and ``c = C/D`` as sympy Rationals.

    ``inputs``: ``"zero-one"`` (give ``q``) or ``"signed"`` (give ``p``); ``n``: the
    dimension (>= 1); ``without_replacement``: distinct vectors, uniform over all
    vectors (then q must be 1/2, p 1/3). x and y are two different associations.

    Examples:
        The paper's 0/1 ensemble, n = 10, q = 1/2: c = 13/44, not the paper's q^2 = 1/4:

        >>> from theory import ensemble_moments
        >>> ensemble_moments("zero-one", 10, q=0.5)
        {'C': 65/8, 'D': 55/2, 'c': 13/44}
    """
    kind, prob = check_ensemble(inputs, q, p, without_replacement)
    n = check_count("n", n)
    closed = _closed_zero_one() if kind == "zero-one" else _closed_signed()
    sym = _Q if kind == "zero-one" else _P
    c_moment, d_moment = (sp.Rational(e.subs({_N: n, sym: prob})) for e in closed)
    if without_replacement:
        big_n = sp.Integer(vector_count(kind, n))
        c_moment = (c_moment - d_moment / big_n) / (1 - 1 / big_n)
    return {"C": c_moment, "D": d_moment, "c": c_moment / d_moment}


def _check_enumeration_n(n: object) -> int:
    value = check_count("n", n)
    if value > MAX_ENUMERATION_N:
        raise ParameterError(
            "n", f"an integer in [1, {MAX_ENUMERATION_N}] (exact enumeration)", value
        )
    return value


Summand = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def _cos_of_rho(rho: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Exact E[cos theta] over the noise for given rho: rho (2/pi) asin(rho)."""
    out: npt.NDArray[np.float64] = rho * (2.0 / np.pi) * np.arcsin(np.clip(rho, -1.0, 1.0))
    return out


def _rho_squared(rho: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = rho * rho
    return out


def _log_multinomial(n: int, *counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.full(np.broadcast(*counts).shape, gammaln(n + 1.0))
    for k in counts:
        out = out - gammaln(k + 1.0)
    return out


def _average_zero_one(n: int, q: float, summand: Summand) -> float:
    """E[summand(rho) | a, b nonzero] for iid 0/1 vectors, P(1) = q."""
    probs = (q * q, q * (1.0 - q), (1.0 - q) ** 2)  # both, one only (each), neither
    total = 0.0
    weight = 0.0
    grid = np.arange(n + 1, dtype=float)
    a_only, b_only = np.meshgrid(grid, grid, indexing="ij")
    max_log = -np.inf
    parts: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = []
    for both in range(n + 1):
        keep = (a_only + b_only <= n - both) & (a_only + both >= 1) & (b_only + both >= 1)
        ka, kb = a_only[keep], b_only[keep]
        if ka.size == 0:
            continue
        neither = n - both - ka - kb
        log_w = (
            _log_multinomial(n, np.full_like(ka, both), ka, kb, neither)
            + xlogy(both, probs[0])
            + xlogy(ka + kb, probs[1])
            + xlogy(neither, probs[2])
        )
        rho = both / np.sqrt((both + ka) * (both + kb))
        parts.append((log_w, summand(rho)))
        max_log = max(max_log, float(np.max(log_w)))
    for log_w, values in parts:
        w = np.exp(log_w - max_log)
        weight += float(np.sum(w))
        total += float(np.sum(w * values))
    return total / weight


def _log_binomial(
    n: float | npt.NDArray[np.float64], k: float | npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = gammaln(n + 1.0) - gammaln(k + 1.0) - gammaln(n - k + 1.0)
    return out


def _average_signed(n: int, p: float, summand: Summand) -> float:
    """E[summand(rho) | a, b nonzero] for iid {1,0,-1} vectors, P(1) = P(-1) = p.

    The multinomial over (both nonzero s, a only, b only, neither) is summed in
    the order: n_a, n_b ~ Binomial(n, 2p) independent (the nonzero counts);
    s | n_a, n_b ~ Hypergeometric(n, n_a, n_b); t = agree - disagree | s, with
    agree ~ Binomial(s, 1/2). Summands are even in t, so only |t| is tracked.
    The s-sum is a matrix product: about n^4/3 multiply-adds, n^3/3 summand evaluations.
    """
    grid = np.arange(n + 1, dtype=float)
    # P(n_a = k), k = 0..n (log), for the nonzero count of one vector.
    log_count = (
        _log_binomial(float(n), grid) + xlogy(grid, 2.0 * p) + xlogy(n - grid, 1.0 - 2.0 * p)
    )
    count_weight = np.exp(log_count - np.max(log_count[1:]))
    count_weight[0] = 0.0  # condition on nonzero vectors
    # P(|t| = j | s): rows s = 0..n, columns j = 0..n.
    s_col, j_row = grid[:, None], grid[None, :]
    valid = (j_row <= s_col) & ((s_col - j_row) % 2 == 0)
    agree = np.where(valid, (s_col + j_row) / 2.0, 0.0)
    t_given_s = np.where(
        valid,
        np.exp(_log_binomial(s_col, agree) - s_col * math.log(2.0)) * np.where(j_row > 0, 2.0, 1.0),
        0.0,
    )
    nb_col = grid[1:, None]  # n_b = 1..n
    nb_index = np.arange(1, n + 1)[:, None]
    log_fact = gammaln(grid + 1.0)  # log k!, k = 0..n
    log_choose_nb = log_fact[n] - log_fact[nb_index] - log_fact[n - nb_index]
    total = 0.0
    for n_a in range(1, n + 1):
        if count_weight[n_a] == 0.0:
            continue
        width = n_a + 1  # s <= n_a and |t| <= s
        # Hypergeometric P(s | n_a, n_b) = C(n_a, s) C(n - n_a, n_b - s) / C(n, n_b):
        # rows n_b = 1..n, columns s = 0..n_a.
        s_index = np.arange(width)[None, :]
        rest = nb_index - s_index
        ok = (rest >= 0) & (rest <= n - n_a)
        rest_ok = np.where(ok, rest, 0)
        log_h = (
            log_fact[n_a]
            - log_fact[s_index]
            - log_fact[n_a - s_index]
            + log_fact[n - n_a]
            - log_fact[rest_ok]
            - log_fact[n - n_a - rest_ok]
            - log_choose_nb
        )
        overlap = np.where(ok, np.exp(log_h), 0.0)
        # rows n_b, columns |t|; einsum (not BLAS): small products, no thread oversubscription
        abs_t = np.einsum("bs,st->bt", overlap, t_given_s[:width, :width])
        values = summand(grid[None, :width] / np.sqrt(n_a * nb_col))
        total += count_weight[n_a] * float(count_weight[1:] @ np.sum(abs_t * values, axis=1))
    return total / float(np.sum(count_weight)) ** 2


def _ensemble_average(
    inputs: str,
    n: int,
    q: object,
    p: object,
    without_replacement: bool,
    summand: Summand,
    same_vector_value: float,
) -> float:
    kind, prob = check_ensemble(inputs, q, p, without_replacement)
    n = _check_enumeration_n(n)
    average = _average_zero_one if kind == "zero-one" else _average_signed
    with_replacement = average(n, float(prob), summand)
    if not without_replacement:
        return with_replacement
    # Uniform iid pairs of nonzero vectors, minus the N - 1 pairs x = y (rho = 1):
    # over ordered distinct nonzero pairs, ((N-1)^2 E_iid - (N-1) f(1)) / ((N-1)(N-2)).
    nonzero = vector_count(kind, n) - 1
    if nonzero < 2:
        raise ParameterError(
            "n",
            "n >= 2 for zero-one inputs without replacement (two distinct nonzero vectors)",
            n,
        )
    return (with_replacement - same_vector_value / nonzero) * (nonzero / (nonzero - 1))


def ensemble_expected_cos(
    inputs: str,
    n: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> float:
    """Exact ``E[cos theta]`` over the noise and the input ensemble (a and b nonzero).

    ``E[ rho (2/pi) asin(rho) ]`` with ``rho = cos(a, b)``, averaged over pairs of
    random vectors conditioned on both nonzero (and distinct, without
    replacement). Arguments as in :func:`ensemble_moments`; n <= MAX_ENUMERATION_N.

    Examples:
        >>> from theory import ensemble_expected_cos
        >>> round(ensemble_expected_cos("zero-one", 4, q=0.5), 6)
        0.272741
    """
    return _ensemble_average(inputs, n, q, p, without_replacement, _cos_of_rho, 1.0)


def ensemble_expected_rho_squared(
    inputs: str,
    n: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> float:
    """Exact ``E[rho^2]`` (the ensemble average of Eq. 2 / Eq. 3) over nonzero pairs.

    Arguments as in :func:`ensemble_expected_cos`.

    Examples:
        >>> from theory import ensemble_expected_rho_squared
        >>> round(ensemble_expected_rho_squared("zero-one", 4, q=0.5), 6)  # 241/675
        0.357037
    """
    return _ensemble_average(inputs, n, q, p, without_replacement, _rho_squared, 1.0)
