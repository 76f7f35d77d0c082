"""First-order transfer in the paper's network: gradient inner products, layer by layer (Sec. 3-5).

Model (Sec. 3-4): inputs ``x_k`` (n), one hidden layer of H logistic units with biases,
m logistic outputs with biases, ``σ(z) = 1/(1 + e^{-z})``:

    h_k = σ(W1 x̃_k),  y_k = σ(W2 h̃_k),  E_k = ½ Σ_j (y_kj - t_kj)²,

with ``x̃ = (x, 1)``, ``h̃ = (h, 1)`` (the bias is the last column of W1 (H, n+1) and of
W2 (m, H+1)). A gradient step of size ε on a retrained set S, ``Δw = -ε ∇E_S``, changes
the error of association k by ``-ε ∇E_k·∇E_S + O(ε²)``: the first-order transfer is the
matrix ``G_kl = ∇E_k·∇E_l`` summed over l ∈ S. Backpropagation (Sec. 3) splits it over
the two weight layers:

    G_kl = (h_k·h_l + 1) Σ_j δ_kj δ_lj                                  (output layer)
         + (x_k·x_l + 1) Σ_i h_ki(1-h_ki) h_li(1-h_li) β_ki β_li        (hidden layer)

with ``δ_kj = (y_kj - t_kj) y_kj (1 - y_kj)`` (the error left by the blur times the
outputs' derivative) and ``β_k = W2ᵀ δ_k`` (bias row dropped): the input overlap times the
hidden layer's tangent kernel times the back-propagated errors. Each layer contributes
``(input overlap + 1) × (overlap of the errors arriving at the layer)``.

With no hidden layer, one linear output unit and no bias (Sec. 5), the same rule gives
``G_ab = (a·b)(a·g)(b·g)`` for weight noise g, so ``cos θ = cos(a, b) sign((a·g)(b·g))``:
Eq. (1). The predicted first-step improvement ratio of a retrained index set S is

    mean_{k∉S} Σ_{l∈S} G_kl  /  mean_{k∈S} Σ_{l∈S} G_kl.

Derivation ``network-transfer`` (the decomposition checked by sympy on a 2-3-2 network,
and the reduction to Eq. (1)); numeric: :func:`network_gradient_kernel`,
:func:`linear_gradient_kernel`, :func:`layer_kernel`, :func:`predicted_improvement_ratio`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from ._notation import Label
from ._validate import ParameterError
from .derivation import Derivation, Step, register

__all__ = [
    "NetworkKernel",
    "layer_kernel",
    "linear_gradient_kernel",
    "network_gradient_kernel",
    "network_transfer_derivation",
    "predicted_improvement_ratio",
]

Array = npt.NDArray[np.float64]

_TITLE = "Sec. 3-5: grad E_k . grad E_l of a logistic network, layer by layer; Eq. (1) as a case"


class _Logistic(sp.Function):  # type: ignore[misc]  # sympy is untyped
    """σ(z) with σ' = σ(1 - σ), so every derivative stays a polynomial in the σ's."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = self.func(*self.args)
        return s * (1 - s)


def _forward(
    w1: sp.Matrix, w2: sp.Matrix, x: sp.Matrix
) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix, sp.Matrix]:
    """x̃, h, h̃, y of the symbolic network."""
    x_tilde = x.col_join(sp.Matrix([1]))
    h = (w1 * x_tilde).applyfunc(_Logistic)
    h_tilde = h.col_join(sp.Matrix([1]))
    return x_tilde, h, h_tilde, (w2 * h_tilde).applyfunc(_Logistic)


def _decomposed(w1: sp.Matrix, w2: sp.Matrix, pk: Any, pl: Any) -> sp.Expr:
    """The two-layer formula for G_kl from the forward passes of patterns k and l."""
    hidden = w1.rows

    def pieces(x: sp.Matrix, t: sp.Matrix) -> tuple[Any, ...]:
        x_tilde, h, h_tilde, y = _forward(w1, w2, x)
        delta = sp.Matrix([(y[j] - t[j]) * y[j] * (1 - y[j]) for j in range(y.rows)])
        beta = w2[:, :hidden].T * delta
        slope = sp.Matrix([h[i] * (1 - h[i]) for i in range(hidden)])
        return x_tilde, h_tilde, delta, beta, slope

    xk, hk, dk, bk, sk = pieces(*pk)
    xl, hl, dl, bl, sl = pieces(*pl)
    output = hk.dot(hl) * dk.dot(dl)
    inner = xk.dot(xl) * sum(sk[i] * sl[i] * bk[i] * bl[i] for i in range(hidden))
    return output + inner


@register("network-transfer", title=_TITLE)
def network_transfer_derivation() -> Derivation:
    """Derive G_kl = ∇E_k·∇E_l layer by layer and its linear case, Eq. (1).

    The checks (``logistic-derivative-check``, ``first-order-check``, ``kernel-check``,
    ``linear-check``, ``linear-cosine-check``) simplify to 0: the kernel on a generic
    network with n = 2 inputs, H = 3 hidden and m = 2 output units (17 weights, every
    weight, input and target a free symbol); the linear case with n = 3.
    ``numeric(hh, dd, xx, bb)`` evaluates ``(hh + 1) dd + (xx + 1) bb`` with ``hh = h_k·h_l``,
    ``dd = δ_k·δ_l``, ``xx = x_k·x_l``, ``bb = Σ_i h'_ki h'_li β_ki β_li``.
    """
    z = sp.Symbol("z", real=True)
    plain = 1 / (1 + sp.exp(-z))
    logistic_check = sp.simplify(sp.diff(plain, z) - plain * (1 - plain))

    n, hidden, m = 2, 3, 2
    w1 = sp.Matrix(hidden, n + 1, lambda i, j: sp.Symbol(f"u_{i + 1}{j + 1}", real=True))
    w2 = sp.Matrix(m, hidden + 1, lambda i, j: sp.Symbol(f"v_{i + 1}{j + 1}", real=True))
    weights = [*w1, *w2]

    def pattern(name: str) -> tuple[sp.Matrix, sp.Matrix]:
        x = sp.Matrix(sp.symbols(f"x_{name}1:{n + 1}", real=True))
        return x, sp.Matrix(sp.symbols(f"t_{name}1:{m + 1}", real=True))

    def error(x: sp.Matrix, t: sp.Matrix) -> sp.Expr:
        y = _forward(w1, w2, x)[3]
        return sp.Rational(1, 2) * sum((y[j] - t[j]) ** 2 for j in range(m))

    pk, pl = pattern("k"), pattern("l")
    e_k, e_l = error(*pk), error(*pl)
    grad_k = [sp.diff(e_k, w) for w in weights]
    grad_l = [sp.diff(e_l, w) for w in weights]
    inner_product = sum(a * b for a, b in zip(grad_k, grad_l, strict=True))
    kernel_check = sp.expand(inner_product - _decomposed(w1, w2, pk, pl))

    # First order: d/dε E_k(w - ε v) at ε = 0 is -∇E_k·v for every direction v
    # (v = ∇E_S gives -Σ_{l∈S} G_kl).
    eps = sp.Symbol("epsilon", positive=True)
    direction = sp.symbols(f"s1:{len(weights) + 1}", real=True)
    stepped = e_k.xreplace({w: w - eps * v for w, v in zip(weights, direction, strict=True)})
    slope = sum(gk * v for gk, v in zip(grad_k, direction, strict=True))
    first_order_check = sp.expand(sp.diff(stepped, eps).subs(eps, 0) + slope)

    # No hidden layer, one linear output, no bias, weights w* + g: Eq. (1).
    size = 3
    a, b, g, w_lin = (sp.Matrix(sp.symbols(f"{s}1:{size + 1}", real=True)) for s in "abgw")
    w_star = sp.Matrix([sp.Symbol(f"w^*_{i + 1}", real=True) for i in range(size)])

    noisy = {w_lin[i]: w_star[i] + g[i] for i in range(size)}

    def linear_gradient(x: sp.Matrix) -> list[sp.Expr]:
        e = sp.Rational(1, 2) * (w_lin.dot(x) - w_star.dot(x)) ** 2
        return [sp.diff(e, wi).xreplace(noisy) for wi in w_lin]

    ga, gb = linear_gradient(a), linear_gradient(b)
    linear_kernel = sum(p * q for p, q in zip(ga, gb, strict=True))
    linear_check = sp.expand(linear_kernel - a.dot(b) * a.dot(g) * b.dot(g))
    x_sym, y_sym = sp.symbols("X Y", real=True, nonzero=True)  # X = a.g, Y = b.g
    ab = Label(r"a \cdot b", real=True)
    na, nb = Label("|a|", positive=True), Label("|b|", positive=True)
    cos_theta = ab * x_sym * y_sym / sp.sqrt((na**2 * x_sym**2) * (nb**2 * y_sym**2))
    eq1 = ab / (na * nb) * sp.sign(x_sym * y_sym)
    linear_cosine_check = sp.simplify(sp.refine(cos_theta - eq1))

    names = (
        r"h_k \cdot h_l",
        r"\delta_k \cdot \delta_l",
        r"x_k \cdot x_l",
        r"\sum_i h'_{ki} h'_{li} \beta_{ki} \beta_{li}",
    )
    hh, dd, xx, bb = (Label(name, real=True) for name in names)
    result = (hh + 1) * dd + (xx + 1) * bb
    y_kj, t_kj, h_ki = Label("y_{kj}"), Label("t_{kj}"), Label("h_{ki}")
    summed = Label(r"\sum_{l \in S} G_{kl}")
    first_order = sp.Eq(Label(r"\Delta E_k"), -eps * summed + Label(r"O(\epsilon^2)"))
    hidden_gradient = sp.Eq(
        Label(r"\partial E_k/\partial W1_{il}"),
        h_ki * (1 - h_ki) * Label(r"(W2^T \delta_k)_i") * Label(r"\tilde x_{kl}"),
    )
    ratio = sp.Eq(
        Label("r"),
        Label(r"\langle\sum_{l \in S} G_{kl}\rangle_{k \notin S}")
        / Label(r"\langle\sum_{l \in S} G_{kl}\rangle_{k \in S}"),
    )
    steps = (
        Step("logistic-derivative-check", logistic_check, "sigma'(z) - sigma(1 - sigma) = 0"),
        Step(
            "first-order", first_order, "a step -eps grad E_S: -eps sum_{l in S} grad E_k.grad E_l"
        ),
        Step("first-order-check", first_order_check, "d/deps E_k(w - eps v) at 0 + grad E_k.v"),
        Step(
            "output-delta",
            sp.Eq(Label(r"\delta_{kj}"), (y_kj - t_kj) * y_kj * (1 - y_kj)),
            "dE_k/dW2_ji = delta_kj h~_ki (h~ = (h, 1): the bias sees a constant 1)",
        ),
        Step("hidden-error", hidden_gradient, "backpropagation; beta_k = W2^T delta_k"),
        Step("kernel", sp.Eq(Label("G_{kl}"), result), "sum over both layers' weights"),
        Step("kernel-check", kernel_check, "grad E_k.grad E_l minus the kernel, n-H-m = 2-3-2"),
        Step(
            "linear-kernel",
            sp.Eq(Label(r"G_{ab}"), a.dot(b) * a.dot(g) * b.dot(g)),
            "no hidden layer, linear output, no bias: delta = y - d = x . g",
        ),
        Step("linear-check", linear_check, "sympy gradients of (w.x - w*.x)^2/2, w = w* + g"),
        Step(
            "linear-cosine",
            sp.Eq(Label(r"\cos\theta"), eq1),
            "Eq. (1): G_ab / sqrt(G_aa G_bb) = cos(a, b) sign((a.g)(b.g))",
        ),
        Step("linear-cosine-check", linear_cosine_check, "difference 0 for X, Y nonzero"),
        Step("ratio", ratio, "predicted first-step improvement ratio, unretrained / retrained"),
    )
    return Derivation(
        name="network-transfer",
        title=_TITLE,
        section="Sec. 3-5 (issue 10)",
        steps=steps,
        result=result,
        symbols=(hh, dd, xx, bb),
        numeric=sp.lambdify((hh, dd, xx, bb), result, "numpy"),
    )


# ------------------------------------------------------------------------------- numeric


def _matrix(name: str, value: object, shape: tuple[int | None, ...]) -> Array:
    """A finite float array of the given shape (None: any size)."""
    wanted = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, f"an array of numbers of shape {wanted}", value) from None
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise ParameterError(name, f"an array of shape {wanted}", arr.shape)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(name, "finite numbers (no NaN or infinity)", "non-finite entries")
    return arr


def layer_kernel(layer_inputs: npt.ArrayLike, deltas: npt.ArrayLike, bias: bool) -> Array:
    """One weight layer's share of G: ``(x̃_k·x̃_l)(δ_k·δ_l)``, shape (K, K).

    ``layer_inputs``: (K, p), what the layer sees for each association; ``deltas``: (K, q),
    ∂E_k/∂(the layer's net inputs); ``bias``: the layer has biases (x̃ = (x, 1), +1).

    Examples:
        Two associations with orthogonal inputs and deltas 1 and 2, biases on: (x.x' + 1)(d.d'):

        >>> from theory import layer_kernel
        >>> layer_kernel([[1.0, 0.0], [0.0, 1.0]], [[1.0], [2.0]], bias=True)
        array([[2., 2.],
               [2., 8.]])
    """
    x = _matrix("layer_inputs", layer_inputs, (None, None))
    d = _matrix("deltas", deltas, (x.shape[0], None))
    overlap = x @ x.T + (1.0 if bias else 0.0)
    out: Array = overlap * (d @ d.T)
    return out


def _logistic(z: Array) -> Array:
    out: Array = 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1/(1 + e^-z), no overflow
    return out


@dataclass(frozen=True)
class NetworkKernel:
    """G = ∇E_k·∇E_l of a one-hidden-layer logistic network, by layer, each (K, K).

    Examples:
        >>> import numpy as np
        >>> from theory import NetworkKernel
        >>> kernel = NetworkKernel(output_layer=np.eye(2), hidden_layer=np.full((2, 2), 0.5))
        >>> kernel.matrix
        array([[1.5, 0.5],
               [0.5, 1.5]])
    """

    output_layer: Array
    hidden_layer: Array

    @property
    def matrix(self) -> Array:
        """G_kl, (K, K): the sum of the two layers' shares."""
        out: Array = self.output_layer + self.hidden_layer
        return out


def network_gradient_kernel(
    w1: npt.ArrayLike, w2: npt.ArrayLike, inputs: npt.ArrayLike, targets: npt.ArrayLike
) -> NetworkKernel:
    """G_kl = ∇E_k·∇E_l for every pair of associations, by backpropagation (vectorised).

    Args:
        w1: (H, n + 1), input-to-hidden weights, last column the hidden biases.
        w2: (m, H + 1), hidden-to-output weights, last column the output biases.
        inputs: X, (K, n), row k the input vector x_k.
        targets: T, (K, m), row k the target t_k.

    Returns:
        :class:`NetworkKernel`: ``output_layer`` = (h_k·h_l + 1)(δ_k·δ_l) and
        ``hidden_layer`` = (x_k·x_l + 1) Σ_i h'_ki h'_li β_ki β_li, both (K, K).

    Examples:
        A 2-2-1 logistic network and three associations; G is the sum of the layers' shares:

        >>> import numpy as np
        >>> from theory import network_gradient_kernel
        >>> w1 = [[0.5, -0.5, 0.0], [0.25, 0.5, 0.0]]
        >>> w2 = [[1.0, -1.0, 0.0]]
        >>> x = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
        >>> kernel = network_gradient_kernel(w1, w2, x, targets=[[1.0], [0.0], [1.0]])
        >>> kernel.matrix.round(4)
        array([[ 0.0284, -0.0262,  0.0284],
               [-0.0262,  0.026 , -0.0286],
               [ 0.0284, -0.0286,  0.0334]])
        >>> bool(np.allclose(kernel.matrix, kernel.output_layer + kernel.hidden_layer))
        True
    """
    first = _matrix("w1", w1, (None, None))
    hidden, n = first.shape[0], first.shape[1] - 1
    second = _matrix("w2", w2, (None, hidden + 1))
    x = _matrix("inputs", inputs, (None, n))
    t = _matrix("targets", targets, (x.shape[0], second.shape[0]))
    h = _logistic(x @ first[:, :n].T + first[:, n])
    y = _logistic(h @ second[:, :hidden].T + second[:, hidden])
    delta = (y - t) * y * (1.0 - y)
    back = (delta @ second[:, :hidden]) * h * (1.0 - h)  # β_ki h'_ki, (K, H)
    return NetworkKernel(layer_kernel(h, delta, bias=True), layer_kernel(x, back, bias=True))


def linear_gradient_kernel(
    weights: npt.ArrayLike, inputs: npt.ArrayLike, targets: npt.ArrayLike
) -> Array:
    """G_kl for linear outputs y = W x, no hidden layer, no bias (Sec. 5), shape (K, K).

    ``weights``: (m, n); ``inputs``: (K, n); ``targets``: (K, m). With targets ``W* x_k``
    and ``W = W* + g`` (one output) this is ``(x_k·x_l)(x_k·g)(x_l·g)``: Eq. (1).

    Examples:
        One linear output with weight error g = (1, 2) (targets 0): (x_k.x_l)(x_k.g)(x_l.g):

        >>> from theory import linear_gradient_kernel
        >>> x = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
        >>> linear_gradient_kernel([[1.0, 2.0]], x, targets=[[0.0], [0.0], [0.0]])
        array([[ 1.,  3.,  0.],
               [ 3., 18.,  6.],
               [ 0.,  6.,  4.]])
    """
    w = _matrix("weights", weights, (None, None))
    x = _matrix("inputs", inputs, (None, w.shape[1]))
    t = _matrix("targets", targets, (x.shape[0], w.shape[0]))
    return layer_kernel(x, x @ w.T - t, bias=False)


def predicted_improvement_ratio(kernel: npt.ArrayLike, retrained: npt.ArrayLike) -> float:
    """mean_{k∉S} Σ_{l∈S} G_kl / mean_{k∈S} Σ_{l∈S} G_kl for a (K, K) kernel G.

    ``retrained``: S as distinct indices in [0, K) or a boolean mask (K,), with at least
    one association outside S. The ratio of first-order improvements (step ε → 0).

    Examples:
        Retraining x_0 = (1, 0) of three inputs (linear noise kernel): the others gain
        (x_0.x_k)^2 = 1 and 0, x_0 itself |x_0|^4 = 1, so the ratio is ((1 + 0)/2) / 1:

        >>> from theory import linear_noise_kernel, predicted_improvement_ratio
        >>> kernel = linear_noise_kernel([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], bias=False)
        >>> predicted_improvement_ratio(kernel, retrained=[0])
        0.5
    """
    g = _matrix("kernel", kernel, (None, None))
    k = g.shape[0]
    if g.shape != (k, k):
        raise ParameterError("kernel", "a square (K, K) array", g.shape)
    arr = np.asarray(retrained)
    accepts = f"a boolean mask of length {k} or distinct indices in [0, {k})"
    if arr.dtype == np.bool_:
        if arr.shape != (k,):
            raise ParameterError("retrained", accepts, arr.tolist())
        mask = arr.copy()
    else:
        if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
            raise ParameterError("retrained", accepts, arr.tolist())
        if np.any((arr < 0) | (arr >= k)) or np.unique(arr).size != arr.size:
            raise ParameterError("retrained", accepts, arr.tolist())
        mask = np.zeros(k, dtype=bool)
        mask[arr] = True
    if not mask.any() or mask.all():
        raise ParameterError("retrained", "a set with associations both in and out of it", "all")
    improvement = g[:, mask].sum(axis=1)  # Σ_{l∈S} G_kl, (K,)
    denominator = float(improvement[mask].mean())
    if denominator == 0.0:
        raise ParameterError("retrained", "a set whose own first-order improvement is not 0", 0.0)
    return float(improvement[~mask].mean()) / denominator
