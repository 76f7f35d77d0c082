"""Eq. (1) of Sec. 5: the error gradient of a linear unit and the factorization of cos(theta).

Model (Sec. 5): one linear output unit, ``y_A = sum_i w_i a_i``; perfect prior
learning at ``w*`` (``d_A = sum_i w*_i a_i``); then Gaussian noise ``g_i`` is added,
``w_i = w*_i + g_i``; error ``E_A = (y_A - d_A)^2 / 2``. Then

    dE_A/dw_k = a_k * sum_i a_i g_i                                   (Eq. 1, left)
    cos(theta) = cos(a, b) * sign((a.g)(b.g))                          (Eq. 1, right)

where theta is the angle between the steepest-descent directions of A and B.
The paper's printed display of Eq. (1) is garbled (it multiplies the chain rule
factors by a_i a second time); here it is derived, not copied.
"""

from __future__ import annotations

import sympy as sp

from ._notation import Label
from .derivation import Derivation, Step, register

__all__ = ["eq1_factorization"]


@register(
    "eq1-factorization",
    title="Eq. (1): gradient of a linear unit; cos(theta) = cos(a,b) sign((a.g)(b.g))",
)
def eq1_factorization() -> Derivation:
    """Derive dE_A/dw_k and prove cos(theta) = cos(a, b) * sign((a.g)(b.g)) exactly.

    The proof is symbolic: with ``X = a.g`` and ``Y = b.g`` nonzero reals and
    ``|a|, |b| > 0``, the cosine of the two gradients ``X a`` and ``Y b`` simplifies
    to ``(a.b)/(|a||b|) * sign(X Y)``; the step ``difference`` is identically 0.
    ``numeric(rho, X, Y)`` evaluates ``rho * sign(X Y)``.
    """
    n = sp.Symbol("n", integer=True, positive=True)
    i, k = sp.symbols("i k", integer=True, positive=True)
    a, w, w_star, g = (sp.IndexedBase(s) for s in ("a", "w", "w^*", "g"))
    y_a = sp.Sum(a[i] * w[i], (i, 1, n))
    d_a = sp.Sum(a[i] * w_star[i], (i, 1, n))
    error = sp.Rational(1, 2) * (y_a - d_a) ** 2
    grad = sp.diff(error, w[k]).doit()
    grad = sp.piecewise_fold(grad).args[0][0]  # the branch k <= n
    grad_noise = sp.simplify(grad.xreplace({w[i]: w_star[i] + g[i]}))

    # Vector-level proof with the scalars the gradient factorizes into.
    x_sym, y_sym = sp.symbols("X Y", real=True, nonzero=True)  # X = a.g, Y = b.g
    ab = Label(r"a \cdot b", real=True)
    na, nb = Label("|a|", positive=True), Label("|b|", positive=True)
    # grad E_A = X a, grad E_B = Y b: inner product X Y (a.b), norms |X||a|, |Y||b|.
    cos_theta = (x_sym * y_sym * ab) / sp.sqrt(x_sym**2 * na**2 * y_sym**2 * nb**2)
    rho = sp.Symbol("rho", real=True)
    factorized = (ab / (na * nb)) * sp.sign(x_sym * y_sym)
    difference = sp.simplify(sp.refine(cos_theta - factorized))
    result = rho * sp.sign(x_sym * y_sym)

    dE_dw = Label(r"\partial E_A/\partial w_k")
    steps = (
        Step("error", sp.Eq(Label("E_A"), error), "E_A = (y_A - d_A)^2 / 2 for a linear unit"),
        Step("gradient", sp.Eq(dE_dw, grad), "chain rule"),
        Step(
            "gradient-noise",
            sp.Eq(dE_dw, grad_noise),
            "perfect prior learning: all the error comes from the noise g",
        ),
        Step(
            "cos-theta",
            sp.Eq(Label(r"\cos\theta"), cos_theta),
            "grad E_A = X a, grad E_B = Y b",
        ),
        Step("factorized", sp.Eq(Label(r"\cos\theta"), factorized), "Eq. (1), right-hand side"),
        Step("difference", difference, "cos(theta) minus the factorized form simplifies to 0"),
        Step("result", sp.Eq(Label(r"\cos\theta"), result), "rho = cos(a, b)"),
    )
    return Derivation(
        name="eq1-factorization",
        title="Eq. (1): gradient of a linear unit; cos(theta) = cos(a,b) sign((a.g)(b.g))",
        section="Sec. 5, Eq. (1)",
        steps=steps,
        result=result,
        symbols=(rho, x_sym, y_sym),
        numeric=sp.lambdify((rho, x_sym, y_sym), result, "numpy"),
    )
