"""Where the transfer goes: the linear theory's and the network's kernels, ingredient by ingredient.

Sec. 5 predicts the first-step ratio of an unretrained to a retrained association's
improvement from a linear unit with isotropic Gaussian weight noise; Sec. 4 measures it on
a 10-100-10 logistic network blurred by learning 5 new associations. Every prediction here
is a first-order transfer kernel ``T_kl`` (the improvement of k per unit step along the
gradient of l), turned into a ratio by

    mean_{k∉S} Σ_{l∈S} T_kl  /  mean_{k∈S} Σ_{l∈S} T_kl

(:func:`improvement_means` gives the two means). The kernels, each adding one ingredient
(x̃ = (x, 1), h̃ = (h, 1): the biases' constant inputs; m output units):

``linear_noise_kernel``      (x̃_k·x̃_l)²: a linear unit, weight noise g ~ N(0, σ²I), the
                             expected kernel E[G_kl]/σ² (Sec. 5 for these vectors)
``linear_learning_kernel``   (x̃_k·x̃_l) x̃_kᵀ (BᵀB)⁺ x̃_l: the same unit blurred by *learning*
                             the new associations (rows of B) to convergence, new misfits
                             d ~ (0, σ²I): the weight change is B⁺d, in the span of the new
                             inputs (exact; derivation ``transfer-chain``)
``tangent_kernel``           Θ_kilj = ∂net_ki/∂w · ∂net_lj/∂w of the network (net: the
                             outputs' summed inputs) = (h̃_k·h̃_l) δ_ij
                             + (x̃_k·x̃_l) Σ_a W2_ia h'_ka h'_la W2_ja
``noise_transfer_kernel``    Σ_ij (s_ki Θ_kilj s_lj)²: E[G_kl]/σ² for weight noise
                             g ~ N(0, σ²I) on every weight, errors linearised
                             (y - t ≈ S J g); slopes s = 1 for linear outputs, y(1 - y) for
                             logistic ones. With Θ = (h̃_k·h̃_l) I (output weights only) it
                             is m (h̃_k·h̃_l)²: the linear theory on the hidden states.
``measured_error_kernel``    ∇A_k·∇E_l with the *actual* errors at the weights, where E is
                             the training error ½|y - t|² and A the measured one (Fig. 2's
                             mean_j |y_j - t_j|, or mean_j (y_j - t_j)²); with A = E it is
                             G_kl of ``network_gradient_kernel``.

:func:`transfer_kernels` evaluates all of them on one network (:class:`TransferKernels`,
also ``errors_linear``: the actual errors with the outputs' slopes left out, for taking
the last two ingredients in the other order); :data:`KERNELS` names them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
import sympy as sp

from ._notation import Label
from ._validate import ParameterError
from .derivation import Derivation, Step, register
from .network_transfer import _Logistic, _matrix

__all__ = [
    "KERNELS",
    "MEASURES",
    "TransferKernels",
    "improvement_means",
    "linear_learning_kernel",
    "linear_noise_kernel",
    "measured_error_kernel",
    "noise_transfer_kernel",
    "tangent_kernel",
    "transfer_chain_derivation",
    "transfer_kernels",
]

Array = npt.NDArray[np.float64]

#: Error measures of :func:`measured_error_kernel` (``simulation``'s ``error_measure``).
MEASURES = ("absolute", "squared")

_TITLE = "Sec. 4-5: first-order transfer kernels from the linear unit to the blurred network"


# ------------------------------------------------------------------------------ symbolic


def _quadratic_expectation(
    form: sp.Expr, gens: tuple[sp.Symbol, ...], variance: sp.Expr
) -> sp.Expr:
    """E[form] for a quadratic form in independent N(0, variance) ``gens``:
    ``variance`` times the sum of the coefficients of gᵢ² (E[gᵢgⱼ] = variance δᵢⱼ). Any
    other power of a gᵢ is refused (``theory._gaussian`` covers general polynomials, but
    simplifies its result, which takes seconds on these)."""
    total = sp.Integer(0)
    for monomial, coeff in sp.Poly(sp.expand(form), *gens).terms():
        if sum(monomial) != 2:
            raise ValueError(f"not a quadratic form in {gens}: a term of degree {sum(monomial)}")
        if max(monomial) == 2:
            total += coeff
    return sp.expand(variance * total)


@register("transfer-chain", title=_TITLE)
def transfer_chain_derivation() -> Derivation:
    """Derive the expected kernels of the chain; every ``*-check`` step simplifies to 0.

    ``tangent-check``: Θ of a generic 2-2-2 logistic network (all weights and inputs
    symbols) against the formula. ``noise-check``: E_g[G_kl] for errors S_k J_k g with
    generic 2x3 Jacobians, slopes and g ~ N(0, σ²I), exact Gaussian moments.
    ``learning-recursion-check``: the closed form of gradient descent on the new
    associations (two new inputs in three dimensions, generic entries) satisfies its
    recursion for every t (each power of a 2x2 N is αI + βN, Cayley-Hamilton);
    ``learning-limit-check``: its limit Bᵀ N⁻¹ d fits them;
    ``learning-expectation-check``: E_d[r_k r_l] over d ~ N(0, σ²I).
    """
    sigma, eps = sp.symbols("sigma epsilon", positive=True)

    # 1. The tangent kernel of a 2-2-2 network, from sympy derivatives.
    n, hidden, m = 2, 2, 2
    w1 = sp.Matrix(hidden, n + 1, lambda i, j: sp.Symbol(f"u_{i + 1}{j + 1}", real=True))
    w2 = sp.Matrix(m, hidden + 1, lambda i, j: sp.Symbol(f"v_{i + 1}{j + 1}", real=True))
    weights = [*w1, *w2]

    def forward(x: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
        x_tilde = x.col_join(sp.Matrix([1]))
        h = (w1 * x_tilde).applyfunc(_Logistic)
        return x_tilde, h, w2 * h.col_join(sp.Matrix([1]))  # net of the outputs

    xk, xl = (sp.Matrix(sp.symbols(f"x_{p}1:{n + 1}", real=True)) for p in "kl")
    (xtk, hk, netk), (xtl, hl, netl) = forward(xk), forward(xl)
    tangent_check = sp.Integer(0)
    for i in range(m):
        for j in range(m):
            direct = sum(sp.diff(netk[i], w) * sp.diff(netl[j], w) for w in weights)
            formula = (hk.dot(hl) + 1) * (1 if i == j else 0) + xtk.dot(xtl) * sum(
                w2[i, a] * hk[a] * (1 - hk[a]) * hl[a] * (1 - hl[a]) * w2[j, a]
                for a in range(hidden)
            )
            tangent_check += sp.expand(direct - formula) ** 2
    tangent_check = sp.expand(tangent_check)

    # 2. Weight noise g, linearised errors e_k = S_k J_k g: G_kl = e_kᵀ S_k J_k J_lᵀ S_l e_l.
    p = 3
    g = sp.symbols(f"g1:{p + 1}", real=True)
    jk = sp.Matrix(m, p, lambda i, j: sp.Symbol(f"J^k_{i + 1}{j + 1}", real=True))
    jl = sp.Matrix(m, p, lambda i, j: sp.Symbol(f"J^l_{i + 1}{j + 1}", real=True))
    sk = sp.diag(*sp.symbols(f"s^k_1:{m + 1}", real=True))
    sl = sp.diag(*sp.symbols(f"s^l_1:{m + 1}", real=True))
    theta = jk * jl.T
    ek, el = sk * jk * sp.Matrix(g), sl * jl * sp.Matrix(g)
    kernel = (ek.T * sk * theta * sl * el)[0, 0]
    expected = _quadratic_expectation(kernel, g, sigma**2)
    weighted = sk * theta * sl
    noise = sigma**2 * sum(weighted[i, j] ** 2 for i in range(m) for j in range(m))
    noise_check = sp.expand(expected - noise)

    # 3. Blur by learning: gradient descent on ½|B e - d|² from e = 0 (the old solution).
    b = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"b_{i + 1}{j + 1}", real=True))
    d = sp.Matrix(sp.symbols("d1:3", real=True))
    gram = b * b.T
    adjugate, det = gram.adjugate(), gram.det()  # N⁻¹ = adj(N)/det(N): polynomials only
    # Every power (I - eps N)^t of the 2x2 matrix N is alpha I + beta N (Cayley-Hamilton),
    # so checking one step from P = alpha I + beta N (free alpha, beta) checks every t.
    alpha, beta = sp.symbols("alpha beta", real=True)
    power = alpha * sp.eye(2) + beta * gram
    closed = b.T * adjugate * (sp.eye(2) - power) * d  # det(N) e_t
    after = b.T * adjugate * (sp.eye(2) - power * (sp.eye(2) - eps * gram)) * d
    step = closed - eps * b.T * (b * closed - det * d)  # det(N) [e_t - eps Bᵀ(B e_t - d)]
    learning_recursion_check = sum(c**2 for c in sp.expand(after - step))
    learning_limit_check = sp.expand(sum(c**2 for c in b * b.T * adjugate * d - det * d))
    # E over d of r_k r_l, r = a·Bᵀ N⁻¹ d, times det(N)² (N⁻¹ = adj(N)/det(N)): polynomials.
    adjugate = gram.adjugate()
    ak, al = (sp.Matrix(sp.symbols(f"{v}1:4", real=True)) for v in ("a", "c"))
    rk, rl = ak.dot(b.T * adjugate * d), al.dot(b.T * adjugate * d)
    learned = _quadratic_expectation(rk * rl, tuple(d), sigma**2)
    formula = sigma**2 * (ak.T * b.T * adjugate * adjugate * b * al)[0, 0]
    learning_expectation_check = sp.expand(learned - formula)

    xx, hh = Label(r"(\tilde x_k \cdot \tilde x_l)"), Label(r"(\tilde h_k \cdot \tilde h_l)")
    theta_label = Label(r"\Theta_{kilj}")
    result = sp.Eq(
        Label(r"\langle G_{kl}\rangle"),
        sigma**2 * Label(r"\sum_{ij} (s_{ki} \Theta_{kilj} s_{lj})^2"),
    )
    steps = (
        Step(
            "tangent",
            sp.Eq(
                theta_label,
                hh * Label(r"\delta_{ij}") + xx * Label(r"\sum_a W2_{ia} h'_{ka} h'_{la} W2_{ja}"),
            ),
            "d net_ki/dw . d net_lj/dw, both weight layers with biases",
        ),
        Step("tangent-check", tangent_check, "sympy derivatives of a 2-2-2 network, summed"),
        Step("noise", result, "errors y - t = S J g linearised, g ~ N(0, sigma^2 I)"),
        Step("noise-check", noise_check, "exact Gaussian moments, generic 2x3 Jacobians"),
        Step(
            "linear-noise",
            sp.Eq(Label(r"\langle G_{kl}\rangle_{linear}"), sigma**2 * xx**2),
            "one linear unit: Theta = x~_k . x~_l, s = 1 (Sec. 5 for these vectors)",
        ),
        Step(
            "learning",
            sp.Eq(Label("e_t"), Label(r"B^T N^{-1} (I - (I - \epsilon N)^t) d")),
            "learning the new rows B (N = B B^T) from the old solution; misfits d",
        ),
        Step(
            "learning-recursion-check",
            learning_recursion_check,
            "e_{t+1} = e_t - eps B^T(Be_t - d)",
        ),
        Step("learning-limit-check", learning_limit_check, "e_oo = B^T N^-1 d fits B e = d"),
        Step(
            "learning-kernel",
            sp.Eq(
                Label(r"\langle G_{kl}\rangle_{learning}"),
                sigma**2 * xx * Label(r"\tilde x_k^T (B^T B)^{+} \tilde x_l"),
            ),
            "E[d d^T] = sigma^2 I; (B^T B)^+ = B^T N^-2 B for independent new inputs",
        ),
        Step("learning-expectation-check", learning_expectation_check, "exact Gaussian moments"),
    )
    return Derivation(
        name="transfer-chain",
        title=_TITLE,
        section="Sec. 4-5 (issue 10)",
        steps=steps,
        result=result,
    )


# ------------------------------------------------------------------------------- numeric


def _augmented(name: str, inputs: npt.ArrayLike, bias: bool) -> Array:
    x = _matrix(name, inputs, (None, None))
    if not bias:
        return x
    out: Array = np.hstack([x, np.ones((x.shape[0], 1))])
    return out


def linear_noise_kernel(inputs: npt.ArrayLike, bias: bool = True) -> Array:
    """(x̃_k·x̃_l)², (K, K): E[G_kl]/σ² of a linear unit under weight noise N(0, σ²I).

    ``inputs``: X, (K, n); ``bias``: the unit has a bias (x̃ = (x, 1)), else x̃ = x.
    With ``bias=False`` its row sums over S are ``theory.expected_improvement_rates``.

    Examples:
        >>> from theory import linear_noise_kernel
        >>> x = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
        >>> linear_noise_kernel(x, bias=False)  # (x_k.x_l)^2
        array([[1., 1., 0.],
               [1., 4., 1.],
               [0., 1., 1.]])
        >>> linear_noise_kernel(x)  # (x_k.x_l + 1)^2
        array([[4., 4., 1.],
               [4., 9., 4.],
               [1., 4., 4.]])
    """
    x = _augmented("inputs", inputs, bias)
    gram = x @ x.T
    out: Array = gram * gram
    return out


def linear_learning_kernel(
    inputs: npt.ArrayLike, new_inputs: npt.ArrayLike, bias: bool = True
) -> Array:
    """(x̃_k·x̃_l) x̃_kᵀ (BᵀB)⁺ x̃_l, (K, K): E[G_kl]/σ² when the blur is learning.

    A linear unit that solved the old associations (inputs X, (K, n)) learns the new ones
    (``new_inputs``: B, (J, n)) by gradient descent, with or without momentum, to
    convergence. Every step is a combination of the new inputs, so the weight error is
    ``e = B⁺ d`` (the least-squares fit of the misfits d_j = t_j - w*·x̃_j; ``Bᵀ N⁻¹ d``
    when the new inputs are independent, N = BBᵀ) and the old residuals are
    ``r_k = x̃_k·e``. New targets independent of the old solution with misfits
    ``E[d dᵀ] = σ² I`` give ``E[r_k r_l] = σ² x̃_kᵀ (BᵀB)⁺ x̃_l``. Computed from the SVD of
    B̃ (singular values below ``1e-10`` of the largest count as 0).

    Examples:
        Blurred by learning one new input B = (1, 1), the weight error lies along B, so
        x_0 = (1, 0) and x_2 = (0, 1) get (x.x) x^T (B^T B)^+ x = 1/4 each:

        >>> from theory import linear_learning_kernel
        >>> x = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
        >>> linear_learning_kernel(x, new_inputs=[[1.0, 1.0]], bias=False)
        array([[0.25, 0.5 , 0.  ],
               [0.5 , 2.  , 0.5 ],
               [0.  , 0.5 , 0.25]])
    """
    x = _augmented("inputs", inputs, bias)
    b = _augmented("new_inputs", new_inputs, bias)
    if b.shape[1] != x.shape[1]:
        raise ParameterError("new_inputs", f"an array of shape (*, {x.shape[1] - bias})", b.shape)
    _, singular, vt = np.linalg.svd(b, full_matrices=False)
    keep = singular > 1e-10 * (singular[0] if singular.size else 0.0)
    if not keep.any():
        raise ParameterError("new_inputs", "at least one nonzero input vector", "all zero")
    u = (x @ vt[keep].T) / singular[keep]  # u_k = Σ⁻¹ Vᵀ x̃_k, so u_k·u_l = x̃_kᵀ (BᵀB)⁺ x̃_l
    out: Array = (x @ x.T) * (u @ u.T)
    return out


@dataclass(frozen=True)
class _Network:
    """A forward pass: x̃ (K, n+1), h (K, H), y (K, m), W2 without biases (m, H)."""

    x_tilde: Array
    hidden: Array
    outputs: Array
    w2: Array


def _logistic(z: Array) -> Array:
    out: Array = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


#: Most multiply-adds per matrix product in :func:`_gram`. OpenBLAS runs a product above
#: about 2.6e5 on several threads, and when the other core is busy those threads wait on
#: each other: a (100 x 101) times (101 x 100) product took 22 ms instead of 0.1-0.2 ms in
#: blocks (measured on 2 shared cores, load average 6). Blocks this small run on one thread.
_BLOCK_WORK = 2**18


def _gram(a: Array, b: Array) -> Array:
    """``a @ b.T`` (rows of a by rows of b), as one stacked product of blocks of at most
    :data:`_BLOCK_WORK` multiply-adds each (same numbers up to rounding)."""
    inner = a.shape[1]
    size = max(1, int((_BLOCK_WORK // max(inner, 1)) ** 0.5))
    blocks = []
    for x in (a, b):
        count = -(-x.shape[0] // size)
        padded = np.zeros((count * size, inner))
        padded[: x.shape[0]] = x
        blocks.append(padded.reshape(count, size, inner))
    left, right = blocks
    product = np.matmul(left[:, None], right[None].swapaxes(-1, -2))  # (nl, nr, size, size)
    nl, nr = product.shape[:2]
    full = product.transpose(0, 2, 1, 3).reshape(nl * size, nr * size)
    out: Array = full[: a.shape[0], : b.shape[0]]
    return out


def _forward(w1: npt.ArrayLike, w2: npt.ArrayLike, inputs: npt.ArrayLike) -> _Network:
    first = _matrix("w1", w1, (None, None))
    hidden, n = first.shape[0], first.shape[1] - 1
    second = _matrix("w2", w2, (None, hidden + 1))
    x = _augmented("inputs", _matrix("inputs", inputs, (None, n)), bias=True)
    h = _logistic(x @ first.T)
    y = _logistic(h @ second[:, :hidden].T + second[:, hidden])
    return _Network(x, h, y, second[:, :hidden])


def _tangent(net: _Network) -> Array:
    k, m = net.outputs.shape
    h_tilde = np.hstack([net.hidden, np.ones((k, 1))])
    slope = net.hidden * (1.0 - net.hidden)  # h'_ka, (K, H)
    a = (net.w2[None, :, :] * slope[:, None, :]).reshape(k * m, -1)  # W2_ia h'_ka
    theta = np.ascontiguousarray(_gram(a, a)).reshape(k, m, k, m)  # Σ_a W2_ia h'_ka h'_la W2_ja
    theta *= _gram(net.x_tilde, net.x_tilde)[:, None, :, None]
    outer = _gram(h_tilde, h_tilde)
    for i in range(m):
        theta[:, i, :, i] += outer
    return theta


def tangent_kernel(w1: npt.ArrayLike, w2: npt.ArrayLike, inputs: npt.ArrayLike) -> Array:
    """Θ (K, m, K, m): Θ_kilj = ∂net_ki/∂w · ∂net_lj/∂w over every weight and bias.

    ``w1`` (H, n + 1) and ``w2`` (m, H + 1) as in ``network_gradient_kernel`` (biases in
    the last column); ``inputs``: X, (K, n). net_k = W2 h̃_k are the outputs' summed inputs.

    Examples:
        Shape (K, m, K, m), symmetric under swapping (k, i) and (l, j); with
        :func:`noise_transfer_kernel`, E[G]/sigma^2 for linear outputs:

        >>> import numpy as np
        >>> from theory import noise_transfer_kernel, tangent_kernel
        >>> w1 = [[0.5, -0.5, 0.0], [0.25, 0.5, 0.0]]
        >>> w2 = [[1.0, -1.0, 0.0]]
        >>> theta = tangent_kernel(w1, w2, [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
        >>> theta.shape, bool(np.allclose(theta, theta.transpose(2, 3, 0, 1)))
        ((3, 1, 3, 1), True)
        >>> noise_transfer_kernel(theta).round(4)
        array([[3.7447, 3.678 , 2.8832],
               [3.678 , 4.1666, 3.3542],
               [2.8832, 3.3542, 3.0656]])
    """
    return _tangent(_forward(w1, w2, inputs))


def noise_transfer_kernel(tangent: npt.ArrayLike, slopes: npt.ArrayLike | None = None) -> Array:
    """Σ_ij (s_ki Θ_kilj s_lj)², (K, K): E[G_kl]/σ² under weight noise g ~ N(0, σ²I).

    ``tangent``: Θ, (K, m, K, m); ``slopes``: s, (K, m), the outputs' derivatives
    y(1 - y) (None: linear outputs, s = 1). The errors are the noise's first-order effect
    ``y_k - t_k = S_k J_k g``, so ``G_kl = gᵀ J_kᵀ S_k² Θ_kl S_l² J_l g`` and its mean is
    ``σ² tr(S_k² Θ_kl S_l² Θ_lk)``.

    Examples:
        For one linear output (slopes 1) the kernel is Theta_kl^2; slopes s scale it by
        (s_k s_l)^2:

        >>> import numpy as np
        >>> from theory import noise_transfer_kernel
        >>> theta = np.array([[1.0, 0.5], [0.5, 2.0]]).reshape(2, 1, 2, 1)
        >>> noise_transfer_kernel(theta)
        array([[1.  , 0.25],
               [0.25, 4.  ]])
        >>> noise_transfer_kernel(theta, slopes=[[0.5], [1.0]])
        array([[0.0625, 0.0625],
               [0.0625, 4.    ]])
    """
    theta = np.asarray(tangent, dtype=np.float64)
    if theta.ndim != 4 or theta.shape[:2] != theta.shape[2:]:
        raise ParameterError("tangent", "an array of shape (K, m, K, m)", theta.shape)
    if slopes is not None:
        s = _matrix("slopes", slopes, theta.shape[:2])
        theta = theta * s[:, :, None, None] * s[None, None, :, :]
    out: Array = np.einsum("kilj,kilj->kl", theta, theta)
    return out


def measured_error_kernel(
    w1: npt.ArrayLike,
    w2: npt.ArrayLike,
    inputs: npt.ArrayLike,
    targets: npt.ArrayLike,
    measure: str = "absolute",
) -> Array:
    """∇A_k·∇E_l, (K, K), at the weights: the rate at which a step down ∇E_l (training
    error ½|y_l - t_l|²) lowers the *measured* error A_k of association k.

    ``measure``: ``"absolute"`` (A_k = mean_j |y_kj - t_kj|, Fig. 2's average error of an
    output unit) or ``"squared"`` (A_k = mean_j (y_kj - t_kj)² = (2/m) E_k, so the kernel
    is (2/m) G). Shapes as in ``network_gradient_kernel``.

    Examples:
        With ``measure="squared"`` the kernel is (2/m) G, G of :func:`network_gradient_kernel`:

        >>> import numpy as np
        >>> from theory import measured_error_kernel, network_gradient_kernel
        >>> w1 = [[0.5, -0.5, 0.0], [0.25, 0.5, 0.0]]
        >>> w2 = [[1.0, -1.0, 0.0]]
        >>> x, t = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[1.0], [0.0], [1.0]]
        >>> measured_error_kernel(w1, w2, x, t).round(4)
        array([[ 0.0585, -0.0541,  0.0586],
               [-0.0576,  0.0572, -0.0627],
               [ 0.0507, -0.0509,  0.0596]])
        >>> squared = measured_error_kernel(w1, w2, x, t, measure="squared")
        >>> bool(np.allclose(squared, 2 * network_gradient_kernel(w1, w2, x, t).matrix))
        True
    """
    if measure not in MEASURES:
        raise ParameterError("measure", "one of " + ", ".join(MEASURES), measure)
    net = _forward(w1, w2, inputs)
    t = _matrix("targets", targets, net.outputs.shape)
    y = net.outputs
    slope = y * (1.0 - y)
    delta = (y - t) * slope  # ∂E_l/∂net_l
    m = y.shape[1]
    weight = np.sign(y - t) if measure == "absolute" else 2.0 * (y - t)
    rate = weight * slope / m  # ∂A_k/∂net_k
    out: Array = np.einsum("ki,kilj,lj->kl", rate, _tangent(net), delta)
    return out


def improvement_means(kernel: npt.ArrayLike, retrained: npt.ArrayLike) -> tuple[float, float]:
    """(mean_{k∉S} Σ_{l∈S} T_kl, mean_{k∈S} Σ_{l∈S} T_kl) of a (K, K) kernel T.

    ``retrained``: S as a boolean mask (K,) with associations both in and out of it. The
    ratio of the two is ``predicted_improvement_ratio``; kept apart here so that means over
    networks can be taken before dividing.

    Examples:
        >>> import numpy as np
        >>> from theory import improvement_means, linear_noise_kernel
        >>> kernel = linear_noise_kernel([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], bias=False)
        >>> improvement_means(kernel, np.array([True, False, False]))  # (unretrained, retrained)
        (0.5, 1.0)
    """
    t = _matrix("kernel", kernel, (None, None))
    mask = np.asarray(retrained)
    if mask.dtype != np.bool_ or mask.shape != (t.shape[0],) or t.shape[0] != t.shape[1]:
        raise ParameterError("retrained", f"a boolean mask of length {t.shape[0]}", mask.shape)
    if not mask.any() or mask.all():
        raise ParameterError("retrained", "a set with associations both in and out of it", "all")
    rates = t[:, mask].sum(axis=1)
    return float(rates[~mask].mean()), float(rates[mask].mean())


#: The kernels of :class:`TransferKernels`, in its order.
KERNELS = (
    "linear_noise",
    "linear_learning",
    "hidden_states",
    "hidden_weights",
    "errors_linear",
    "saturation",
    "errors",
    "measure",
)


@dataclass(frozen=True)
class TransferKernels:
    """The chain's (K, K) kernels for one blurred network.

    ``linear_noise``: (x̃_k·x̃_l)²; ``linear_learning``: (x̃_k·x̃_l) x̃_kᵀ(BᵀB)⁺x̃_l;
    ``hidden_states``: m (h̃_k·h̃_l)² (the linear theory on the hidden states: noise on the
    output weights only); ``hidden_weights``: Σ_ij Θ_kilj² (noise on every weight, linear
    outputs); ``errors_linear``: Σ_ij e_ki Θ_kilj e_lj with the actual errors e = y - t but
    the outputs' slopes left out (as if they were linear); ``saturation``:
    Σ_ij (y'_ki Θ_kilj y'_lj)² (noise, logistic outputs); ``errors``: G_kl = ∇E_k·∇E_l at the
    actual errors; ``measure``: ∇A_k·∇E_l (the measured error).

    Examples:
        >>> from theory import KERNELS, transfer_kernels
        >>> w1 = [[0.5, -0.5, 0.0], [0.25, 0.5, 0.0]]
        >>> w2 = [[1.0, -1.0, 0.0]]
        >>> x, t = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[1.0], [0.0], [1.0]]
        >>> kernels = transfer_kernels(w1, w2, x, t, new_inputs=[[1.0, -1.0]])
        >>> [name for name, _ in kernels.items()] == list(KERNELS)
        True
        >>> kernels.linear_noise  # (x_k.x_l + 1)^2
        array([[4., 4., 1.],
               [4., 9., 4.],
               [1., 4., 4.]])
    """

    linear_noise: Array
    linear_learning: Array
    hidden_states: Array
    hidden_weights: Array
    errors_linear: Array
    saturation: Array
    errors: Array
    measure: Array

    def items(self) -> Iterator[tuple[str, Array]]:
        """(name, kernel) in the order of :data:`KERNELS`."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)


def transfer_kernels(
    w1: npt.ArrayLike,
    w2: npt.ArrayLike,
    inputs: npt.ArrayLike,
    targets: npt.ArrayLike,
    new_inputs: npt.ArrayLike,
    measure: str = "absolute",
) -> TransferKernels:
    """Every kernel of the chain at the weights ``w1`` (H, n + 1), ``w2`` (m, H + 1).

    ``inputs`` X (K, n) and ``targets`` T (K, m): the old associations; ``new_inputs``
    (J, n): those whose learning blurred them; ``measure``: see
    :func:`measured_error_kernel`. Θ is formed once ((K m)² numbers); ``errors`` and
    ``measure`` come from the layer decomposition (``layer_kernel``'s form), which needs
    only (K, K) products.

    Examples:
        A 2-2-1 network blurred by learning the new input (1, -1); the chain ends at the
        measured error's kernel, and ``errors`` is :func:`network_gradient_kernel`'s G:

        >>> import numpy as np
        >>> from theory import network_gradient_kernel, predicted_improvement_ratio
        >>> from theory import transfer_kernels
        >>> w1 = [[0.5, -0.5, 0.0], [0.25, 0.5, 0.0]]
        >>> w2 = [[1.0, -1.0, 0.0]]
        >>> x, t = [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[1.0], [0.0], [1.0]]
        >>> kernels = transfer_kernels(w1, w2, x, t, new_inputs=[[1.0, -1.0]])
        >>> bool(np.allclose(kernels.errors, network_gradient_kernel(w1, w2, x, t).matrix))
        True
        >>> kernels.linear_learning.round(4)
        array([[0.8889, 0.4444, 0.    ],
               [0.4444, 0.3333, 0.    ],
               [0.    , 0.    , 0.    ]])
        >>> round(predicted_improvement_ratio(kernels.hidden_weights, [0]), 4)
        0.8761
    """
    if measure not in MEASURES:
        raise ParameterError("measure", "one of " + ", ".join(MEASURES), measure)
    net = _forward(w1, w2, inputs)
    t = _matrix("targets", targets, net.outputs.shape)
    y = net.outputs
    k, m = y.shape
    slope = y * (1.0 - y)
    h_tilde = np.hstack([net.hidden, np.ones((k, 1))])
    outer, inner = _gram(h_tilde, h_tilde), _gram(net.x_tilde, net.x_tilde)
    theta = _tangent(net)
    hidden_weights = np.einsum("kilj,kilj->kl", theta, theta)
    flat = theta.reshape(k * m, k * m)
    flat *= slope.reshape(-1, 1)
    flat *= slope.reshape(1, -1)
    saturation = np.einsum("kilj,kilj->kl", theta, theta)
    # ∂E_l/∂net_l and ∂A_k/∂net_k, and what reaches the hidden units' summed inputs
    delta = (y - t) * slope
    rate = (np.sign(y - t) if measure == "absolute" else 2.0 * (y - t)) * slope / m
    hidden_slope = net.hidden * (1.0 - net.hidden)
    error = y - t
    back, back_rate = (delta @ net.w2) * hidden_slope, (rate @ net.w2) * hidden_slope
    back_error = (error @ net.w2) * hidden_slope
    return TransferKernels(
        linear_noise=linear_noise_kernel(inputs),
        linear_learning=linear_learning_kernel(inputs, new_inputs),
        hidden_states=m * outer * outer,
        hidden_weights=hidden_weights,
        errors_linear=outer * _gram(error, error) + inner * _gram(back_error, back_error),
        saturation=saturation,
        errors=outer * _gram(delta, delta) + inner * _gram(back, back),
        measure=outer * _gram(rate, delta) + inner * _gram(back_rate, back),
    )
