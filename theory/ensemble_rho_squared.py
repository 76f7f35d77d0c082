"""Item 6: the ensemble average of Eq. (2) / (3), E[rho^2 | a, b nonzero], in closed form.

Given the counts of nonzero components n_a and n_b, the positions are uniform
and independent, so (indicator argument, ``I_i`` = coordinate i nonzero in both)

    0/1:     E[rho^2 | n_a, n_b] = E[n_ab^2]/(n_a n_b) = 1/n + (n_a - 1)(n_b - 1)/(n (n - 1))
    signed:  E[rho^2 | n_a, n_b] = E[s]/(n_a n_b)      = 1/n       (``inverse-n``)

The 0/1 form is bilinear in (n_a, n_b), and n_a, n_b are independent, so with
``m = E[n_a | n_a >= 1] = n q / (1 - (1 - q)^n)``:

    E[rho^2] = 1/n + (m - 1)^2 / (n (n - 1))       (n >= 2; 1 at n = 1)  -> q^2.

Without replacement (uniform over the N vectors, distinct pairs):
``((N - 1) E - 1) / (N - 2)``, as in ``ensembles``. These are exact rationals for
rational q, p, and they check the float enumeration of ``ensembles`` at large n.

Derivation: ``ensemble-rho-squared``; ``numeric(n, q)`` is the 0/1 value with replacement.
"""

from __future__ import annotations

import sympy as sp

from ._notation import Label
from ._validate import ParameterError, check_count
from .derivation import Derivation, Step, register
from .ensembles import check_ensemble, vector_count

__all__ = ["ensemble_expected_rho_squared_exact", "ensemble_rho_squared_derivation"]

_N = sp.Symbol("n", positive=True, integer=True)
_Q = sp.Symbol("q", positive=True)


def _closed(n: sp.Expr, q: sp.Expr) -> sp.Expr:
    mean = n * q / (1 - (1 - q) ** n)
    return 1 / n + (mean - 1) ** 2 / (n * (n - 1))


@register(
    "ensemble-rho-squared",
    title="Ensemble mean of Eq. (2): E[rho^2] = 1/n + (m-1)^2/(n(n-1)), m = E[n_a | n_a >= 1]",
)
def ensemble_rho_squared_derivation() -> Derivation:
    """Derive E[rho^2 | a, b nonzero] for 0/1 inputs exactly (signed: 1/n, see inverse-n)."""
    n, q = _N, _Q
    n_a, n_b = sp.symbols("n_a n_b", positive=True, integer=True)
    one = (n_a / n) * (n_b / n)  # P(I_i = 1 | n_a, n_b)
    two = (n_a * (n_a - 1) / (n * (n - 1))) * (n_b * (n_b - 1) / (n * (n - 1)))  # P(I_i I_j)
    second = sp.factor(sp.simplify(n * one + n * (n - 1) * two))
    conditional = sp.simplify(second / (n_a * n_b))
    bilinear = 1 / n + (n_a - 1) * (n_b - 1) / (n * (n - 1))
    check = sp.simplify(conditional - bilinear)
    mean = n * q / (1 - (1 - q) ** n)
    result = 1 / n + (mean - 1) ** 2 / (n * (n - 1))
    closed_check = sp.simplify(result - _closed(n, q))
    large_n = sp.limit(1 / n + (n * q - 1) ** 2 / (n * (n - 1)), n, sp.oo)
    steps = (
        Step("indicator", sp.Eq(sp.Symbol("P(I_i = 1)"), one), "positions uniform given counts"),
        Step("pair-indicator", sp.Eq(sp.Symbol("P(I_i I_j = 1)"), two), "i != j"),
        Step(
            "second-moment",
            sp.Eq(Label(r"\langle n_{ab}^2 | n_a, n_b\rangle"), second),
            "n P(I_i) + n(n-1) P(I_i I_j) (hypergeometric)",
        ),
        Step(
            "conditional",
            sp.Eq(Label(r"\langle\rho^2 | n_a, n_b\rangle"), bilinear),
            "bilinear in (n_a, n_b)",
        ),
        Step("conditional-check", check, "difference 0"),
        Step(
            "conditional-mean-count",
            sp.Eq(Label(r"\langle n_a | n_a \geq 1\rangle"), mean),
            "Binomial(n, q) conditioned on a nonzero vector",
        ),
        Step(
            "result",
            sp.Eq(Label(r"\langle\rho^2\rangle"), result),
            "independent n_a, n_b (n >= 2)",
        ),
        Step("closed-form-check", closed_check, "difference 0"),
        Step("large-n", sp.Eq(Label(r"\lim\langle\rho^2\rangle"), large_n), "(1-q)^n -> 0"),
    )
    return Derivation(
        name="ensemble-rho-squared",
        title="Ensemble mean of Eq. (2): E[rho^2] = 1/n + (m-1)^2/(n(n-1)), m = E[n_a | n_a >= 1]",
        section="Sec. 5.1, Eq. (2); Sec. 5.2, Eq. (3)",
        steps=steps,
        result=result,
        symbols=(n, q),
        numeric=sp.lambdify((n, q), result, "numpy"),
    )


def ensemble_expected_rho_squared_exact(
    inputs: str,
    n: int,
    q: object = None,
    p: object = None,
    without_replacement: bool = False,
) -> sp.Rational:
    """Exact ``E[rho^2 | a, b nonzero]`` (distinct too, without replacement), a sympy Rational.

    Arguments as in :func:`theory.ensemble_moments`; any n >= 1.

    Examples:
        >>> from theory import ensemble_expected_rho_squared_exact
        >>> ensemble_expected_rho_squared_exact("zero-one", 4, q=0.5)
        241/675
        >>> ensemble_expected_rho_squared_exact("signed", 4, p=0.5)  # 1/n for signed inputs
        1/4
    """
    kind, prob = check_ensemble(inputs, q, p, without_replacement)
    n = check_count("n", n)
    if kind == "signed":
        value = sp.Rational(1, n)
    elif n == 1:
        value = sp.Integer(1)
    else:
        value = sp.Rational(_closed(sp.Integer(n), prob))
    if not without_replacement:
        return value
    nonzero = vector_count(kind, n) - 1
    if nonzero < 2:
        raise ParameterError(
            "n",
            "n >= 2 for zero-one inputs without replacement (two distinct nonzero vectors)",
            n,
        )
    return sp.Rational((nonzero * value - 1), (nonzero - 1))
