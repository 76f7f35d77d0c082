"""Items 3 and 6: retraining m of K associations, the ".943" of Sec. 5.1, exactly at finite n.

Model: K associations with inputs x_1..x_K learned perfectly, Gaussian noise
``g ~ N(0, sigma^2 I)`` added to the weights (weight error ``e = g``), then
full-batch gradient descent on the retrained set R (``|R| = m``) with step -> 0.
The first-order improvement rate of association k is

    -dE_k/dt = (x_k.e) sum_{j in R} (x_j.e)(x_j.x_k),
    E_noise[-dE_k/dt] = sigma^2 sum_{j in R} (x_j.x_k)^2.

Over an input ensemble with ``C = E[(x.y)^2]``, ``D = E[|x|^4]``, ``c = C/D``
(see ``ensembles``), unretrained over retrained:

    ratio = m C / (D + (m - 1) C) = m c / (1 + (m - 1) c).

The paper uses c = .25 (0/1 inputs, q = 1/2, the n -> infinity value): 50/53 = .943.
At its own n = 10 the exact ratio is 650/681 = .9545 (with replacement) and
.9543 (without).

Derivation: ``ratio-943``; ``numeric(m, c)`` is the ratio.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from ._notation import Label
from ._validate import ParameterError, check_count
from .derivation import Derivation, Step, register
from .ensembles import check_ensemble, ensemble_moments, vector_count

__all__ = [
    "check_retrain_arguments",
    "expected_improvement_rates",
    "improvement_ratio",
    "ratio_943_derivation",
    "retrain_ratio",
    "retrain_ratio_exact",
]


@register(
    "ratio-943",
    title="Retraining m of K associations: unretrained/retrained ratio m c/(1+(m-1)c)",
)
def ratio_943_derivation() -> Derivation:
    """Derive the unretrained/retrained ratio of expected first-step improvements.

    Steps: the gradient flow on the retrained set, the improvement rate of
    association k, its noise expectation (``E[g g^T] = sigma^2 I``), the ensemble
    expectation for k in R (one diagonal term D, m - 1 off-diagonal C) and k not
    in R (m off-diagonal terms), the ratio, the paper's 50 x .25 / (1 + 49 x .25)
    = 50/53, and the exact value at n = 10, q = 1/2, m = 50 (650/681).
    """
    m = sp.Symbol("m", positive=True, integer=True)
    c_sym, d_sym, c_ratio = sp.symbols("C D c", positive=True)
    sigma = sp.Symbol("sigma", positive=True)
    j = sp.Symbol("j", integer=True)
    x = sp.IndexedBase("x")
    dot_jk = Label(r"x_j \cdot x_k")
    rate = Label(r"-\dot E_k")
    flow = sp.Eq(Label(r"\dot e"), -sp.Sum(Label(r"(x_j \cdot e)") * x[j], (j, 1, m)))
    rate_expr = Label(r"(x_k \cdot e)") * sp.Sum(Label(r"(x_j \cdot e)") * dot_jk, (j, 1, m))
    noise_expectation = sigma**2 * sp.Sum(dot_jk**2, (j, 1, m))
    retrained = sigma**2 * (d_sym + (m - 1) * c_sym)
    unretrained = sigma**2 * m * c_sym
    ratio_cd = sp.simplify(unretrained / retrained)
    ratio = sp.simplify(ratio_cd.subs(c_sym, c_ratio * d_sym))
    closed_check = sp.simplify(ratio - m * c_ratio / (1 + (m - 1) * c_ratio))
    paper = ratio.subs({m: 50, c_ratio: sp.Rational(1, 4)})
    c_ten = ensemble_moments("zero-one", 10, q=sp.Rational(1, 2))["c"]
    at_ten = ratio.subs({m: 50, c_ratio: c_ten})
    c_ten_without = ensemble_moments("zero-one", 10, q=sp.Rational(1, 2), without_replacement=True)[
        "c"
    ]
    at_ten_without = ratio.subs({m: 50, c_ratio: c_ten_without})
    steps = (
        Step("gradient-flow", flow, "full-batch gradient descent on R, step -> 0"),
        Step("improvement-rate", sp.Eq(rate, rate_expr), "-dE_k/dt = -(x_k.e)(x_k.de/dt)"),
        Step(
            "noise-expectation",
            sp.Eq(Label(r"\langle -\dot E_k\rangle"), noise_expectation),
            "E[(x_k.g)(x_j.g)] = sigma^2 x_k.x_j",
        ),
        Step(
            "retrained",
            sp.Eq(Label(r"\langle -\dot E_{k \in R}\rangle"), retrained),
            "j = k gives |x_k|^4 (mean D); m - 1 others (x_j.x_k)^2 (mean C)",
        ),
        Step(
            "unretrained",
            sp.Eq(Label(r"\langle -\dot E_{k \notin R}\rangle"), unretrained),
            "m terms (x_j.x_k)^2, j != k",
        ),
        Step("ratio-CD", sp.Eq(sp.Symbol("r"), ratio_cd), "unretrained / retrained"),
        Step("ratio", sp.Eq(sp.Symbol("r"), ratio), "c = C/D"),
        Step("ratio-check", closed_check, "equals m c / (1 + (m-1) c): difference 0"),
        Step("paper-943", sp.Eq(Label("r_{paper}"), paper), "m = 50, c = 1/4: .9434"),
        Step(
            "exact-n10",
            sp.Eq(Label("r_{n=10}"), at_ten),
            f"m = 50, 0/1 inputs, q = 1/2, with replacement: c = {c_ten}",
        ),
        Step(
            "exact-n10-without-replacement",
            sp.Eq(Label("r'_{n=10}"), at_ten_without),
            f"distinct vectors out of 2^10: c = {c_ten_without}",
        ),
    )
    return Derivation(
        name="ratio-943",
        title="Retraining m of K associations: unretrained/retrained ratio m c/(1+(m-1)c)",
        section="Sec. 5.1 (the .943)",
        steps=steps,
        result=ratio,
        symbols=(m, c_ratio),
        numeric=sp.lambdify((m, c_ratio), ratio, "numpy"),
    )


def improvement_ratio(m: int, c: Any) -> Any:
    """``m c / (1 + (m - 1) c)``: unretrained over retrained expected improvement rate.

    ``m``: number of retrained associations (>= 1); ``c``: ``C/D`` in [0, 1]
    (a float, or a sympy Rational / Fraction for an exact result of the same type).

    Examples:
        The paper's .943 (Sec. 5.1): 50 retrained associations, c = q^2 = 1/4; a Fraction in,
        a Fraction out:

        >>> from fractions import Fraction
        >>> from theory import improvement_ratio
        >>> improvement_ratio(50, Fraction(1, 4))
        Fraction(50, 53)
        >>> round(improvement_ratio(50, 0.25), 3)
        0.943
    """
    m = check_count("m", m)
    try:
        value = float(c)
    except (TypeError, ValueError):
        raise ParameterError("c", "a number in [0, 1]", c) from None
    if not (np.isfinite(value) and 0.0 <= value <= 1.0):
        raise ParameterError("c", "a number in [0, 1]", c)
    return m * c / (1 + (m - 1) * c)


def _check_sizes(
    kind: str, n: int, associations: object, retrained: object, without_replacement: bool
) -> tuple[int, int]:
    big_k = check_count("associations", associations)
    m = check_count("retrained", retrained)
    if m > big_k:
        raise ParameterError("retrained", f"an integer in [1, associations = {big_k}]", m)
    if without_replacement:
        total = vector_count(kind, n)
        if big_k > total:
            base = "2^n" if kind == "zero-one" else "3^n"
            raise ParameterError(
                "associations",
                f"at most {base} = {total} distinct vectors without replacement",
                big_k,
            )
    return big_k, m


def check_retrain_arguments(
    inputs: object,
    n: object,
    associations: object,
    retrained: object,
    q: object = None,
    p: object = None,
    without_replacement: object = False,
) -> tuple[str, sp.Rational, int, int]:
    """Every argument check of :func:`retrain_ratio` / :func:`retrain_ratio_exact`, no work.

    Raises :class:`ParameterError` (the message those functions give); returns the
    ensemble kind, the exact probability (q or p), n and M.

    Examples:
        >>> from theory import check_retrain_arguments
        >>> check_retrain_arguments("zero-one", 10, 100, 50, q=0.5)
        ('zero-one', 1/2, 10, 50)
        >>> check_retrain_arguments("zero-one", 10, 100, 500, q=0.5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: retrained: expected an integer in [1, ... = 100], got 500
    """
    kind, prob = check_ensemble(inputs, q, p, without_replacement)
    n_ = check_count("n", n)
    _, m = _check_sizes(kind, n_, associations, retrained, bool(without_replacement))
    return kind, prob, n_, m


def retrain_ratio_exact(
    inputs: str,
    n: int,
    associations: int,
    retrained: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> dict[str, sp.Rational]:
    """As :func:`retrain_ratio`, with every value an exact sympy Rational.

    Examples:
        Retraining 10 of 100 random ±1 associations in n = 100 dimensions (p = 1/2):

        >>> from theory import retrain_ratio_exact
        >>> retrain_ratio_exact("signed", 100, 100, 10, p=0.5)["improvement_ratio"]
        10/109
    """
    kind, prob, n, m = check_retrain_arguments(
        inputs, n, associations, retrained, q, p, without_replacement
    )
    c = ensemble_moments(
        kind,
        n,
        q=prob if kind == "zero-one" else None,
        p=prob if kind == "signed" else None,
        without_replacement=without_replacement,
    )["c"]
    if kind == "zero-one":
        c_paper = prob**2
        c_limit = prob**2
    else:
        c_paper = sp.Rational(1, n)
        c_limit = sp.Integer(0)
    return {
        "improvement_ratio": improvement_ratio(m, c),
        "paper_improvement_ratio": improvement_ratio(m, c_paper),
        "limit_improvement_ratio": improvement_ratio(m, c_limit),
        "c": c,
        "c_paper": c_paper,
        "c_limit": c_limit,
    }


def retrain_ratio(
    inputs: str,
    n: int,
    associations: int,
    retrained: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> dict[str, float]:
    """Ratio of expected first-step improvements, unretrained over retrained (Sec. 5.1, 6).

    ``inputs``: ``"zero-one"`` (give ``q``) or ``"signed"`` (give ``p``); ``n``: dimension;
    ``associations``: K learned; ``retrained``: M <= K retrained by full-batch
    gradient descent (step -> 0); ``without_replacement``: K distinct vectors
    (q = 1/2 or p = 1/3 only; K <= 2^n resp. 3^n).

    Returns floats: ``improvement_ratio`` (exact at this n), ``paper_improvement_ratio``
    (c = q^2 for 0/1, c = 1/n for signed), ``limit_improvement_ratio`` (n -> infinity,
    K and M fixed: c -> q^2 resp. 0), and ``c``, ``c_paper``, ``c_limit``.

    Examples:
        The paper's setting (Sec. 5.1): n = 10, q = 1/2, 100 associations, 50 retrained. The
        exact ratio at n = 10 is higher than the paper's .943, because c = C/D is 13/44, not 1/4:

        >>> from theory import retrain_ratio
        >>> r = retrain_ratio("zero-one", 10, 100, 50, q=0.5)
        >>> round(r["improvement_ratio"], 4), round(r["paper_improvement_ratio"], 4)
        (0.9545, 0.9434)
        >>> round(r["c"], 4), r["c_paper"]
        (0.2955, 0.25)
    """
    exact = retrain_ratio_exact(inputs, n, associations, retrained, q, p, without_replacement)
    return {key: float(value) for key, value in exact.items()}


def expected_improvement_rates(
    inputs: npt.ArrayLike, retrained: Sequence[int] | npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Expected first-order improvement rate of every association, for fixed vectors.

    ``inputs``: array (K, n), row k the input vector x_k (finite numbers);
    ``retrained``: indices of the retrained set R (distinct, in [0, K)).
    Returns shape (K,): ``sum_{j in R} (x_j.x_k)^2`` (sigma = 1; multiply by sigma^2).

    Examples:
        Retraining x_0 = (1, 1, 0) improves it at |x_0|^4 = 4 and each other association at
        (x_0.x_k)^2 = 1:

        >>> from theory import expected_improvement_rates
        >>> expected_improvement_rates([[1, 1, 0], [1, 0, 1], [0, 1, 1]], retrained=[0])
        array([4., 1., 1.])
    """
    try:
        x = np.asarray(inputs, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("inputs", "a (K, n) array of numbers", inputs) from None
    if x.ndim != 2 or x.size == 0:
        raise ParameterError("inputs", "a non-empty (K, n) array of numbers", x.shape)
    if not np.all(np.isfinite(x)):
        raise ParameterError("inputs", "finite numbers (no NaN or infinity)", "non-finite")
    try:
        r = np.asarray(retrained)
    except (TypeError, ValueError):
        raise ParameterError("retrained", "distinct row indices of inputs", retrained) from None
    if r.ndim != 1 or (r.size > 0 and not np.issubdtype(r.dtype, np.integer)):
        raise ParameterError("retrained", "a 1-D sequence of integer row indices", retrained)
    r = r.astype(int)
    if np.any((r < 0) | (r >= x.shape[0])) or np.unique(r).size != r.size:
        raise ParameterError("retrained", f"distinct row indices in [0, {x.shape[0]})", r.tolist())
    gram = x @ x[r].T  # (K, m): x_k . x_j
    out: npt.NDArray[np.float64] = np.sum(gram**2, axis=1)
    return out
