"""Transfer for the user's own input vectors: a linear unit, Gaussian weight noise (Sec. 5, 5.3).

Model: one linear unit ``y = w·x``; K associations with inputs ``x_k`` (rows of X, (K, n))
whose weights ``w*`` solved every one of them; then isotropic noise ``g ~ N(0, σ² I)``, so
the residual of association k is ``r_k = x_k·e`` with weight error ``e = g``. Retraining is
full-batch gradient descent with step ε on the retrained set S (``|S| = m``, the other
``K - m`` are unretrained), error ``Σ_{l∈S} ½ r_l²``, gradient ``A e`` with

    A = Σ_{l∈S} x_l x_lᵀ   (n, n),      e_t = P_t g,   P_t = (I - ε A)^t.

Exact results (derivation ``vector-transfer``):

* First-order improvement of k per unit ε (ε → 0, the paper's "very small weight
  changes"): ``(x_k·e)(x_kᵀ A e)``; its expectation ``σ² x_kᵀ A x_k = σ² Σ_{l∈S}(x_l·x_k)²``.
  So ``improvement_ratio`` = mean_{k∉S} x_kᵀAx_k / mean_{k∈S} x_kᵀAx_k is exact and free of
  σ and ε. This is the ratio reported as ``improvement_ratio``.
* The first real step of size ε: ``E[E_k(0) - E_k(1)] = σ²(ε x_kᵀAx_k - ½ ε² |A x_k|²)``;
  the ratio of its means (``improvement_ratio_finite_step``) is exact for that ε (σ-free,
  and tends to ``improvement_ratio`` as ε → 0).
* Every association, retrained or not, after t steps: ``E[½ r_k(t)²] = ½ σ² |P_t x_k|²``.

Arithmetic: when every input is an integer of size at most :data:`EXACT_MAX_ENTRY`,
everything is computed with Python integers and :class:`fractions.Fraction` (ε = p/q and σ
rational: ``P_t x_k = (qI - pA)^t x_k / q^t``), exactly, unless that would be slow or big:
the numbers grow by at most ``b = bits(q + p m n max|x|²)`` bits a step, and exact
arithmetic is used only while the work ``n² K T ⌈T b / 64⌉`` (64-bit limbs) is at most
:data:`EXACT_WORK_LIMIT` (about a second). Otherwise float64. ``arithmetic`` says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from foundation.vectors import check_input_matrix, retrained_mask

from ._gaussian import gaussian_expectation
from ._notation import Label
from ._validate import ParameterError, check_count
from .derivation import Derivation, Step, register
from .dynamics import expected_errors_during_retraining

__all__ = [
    "EXACT_MAX_ENTRY",
    "EXACT_WORK_LIMIT",
    "VectorTransfer",
    "VectorTransferArguments",
    "check_vector_transfer_arguments",
    "vector_transfer",
    "vector_transfer_derivation",
    "vector_transfer_memory",
]

Array = npt.NDArray[np.float64]
Number = Fraction | float

#: Largest |entry| for which integer inputs are treated exactly.
EXACT_MAX_ENTRY = 2**20
#: Largest work n² K T ⌈T b / 64⌉ done in exact rationals (about a second of Python ints).
EXACT_WORK_LIMIT = 10**8

_TITLE = (
    "Given inputs: E[improvement_k] = eps sigma^2 x_k^T A x_k, E[E_k(t)] = sigma^2|P_t x_k|^2/2"
)


@register("vector-transfer", title=_TITLE)
def vector_transfer_derivation() -> Derivation:
    """Derive the expected first-order and first-step improvements for given inputs.

    Checks (``gradient-check``, ``first-order-check``, ``finite-step-check``,
    ``integer-form-check``) simplify to 0 on a generic instance: n = 3 inputs, two
    retrained vectors, one association k, noise g_i ~ N(0, σ²) (exact Gaussian moments).
    ``numeric(sum_u, sum_r, m, u)`` is the ratio ``(sum_u / u) / (sum_r / m)`` of the sums
    of ``x_kᵀ A x_k`` over the u unretrained and the m retrained associations.
    """
    sigma, eps = sp.symbols("sigma epsilon", positive=True)
    n = 3
    g = sp.symbols(f"g1:{n + 1}", real=True)
    e = sp.Matrix(g)
    x1, x2, xk = (sp.Matrix(sp.symbols(f"{v}1:{n + 1}", real=True)) for v in ("p", "q", "x"))
    a_matrix = x1 * x1.T + x2 * x2.T
    loss = sp.Rational(1, 2) * (x1.dot(e) ** 2 + x2.dot(e) ** 2)
    gradient_check = sp.expand(sp.Matrix([sp.diff(loss, gi) for gi in g]) - a_matrix * e)

    variances = {gi: sigma**2 for gi in g}
    rate = xk.dot(e) * (xk.T * a_matrix * e)[0, 0]  # -dE_k/dε at ε = 0
    first_order = gaussian_expectation(rate, variances)
    quadratic = (xk.T * a_matrix * xk)[0, 0]
    first_order_check = sp.expand(first_order - sigma**2 * quadratic)

    after = (sp.eye(n) - eps * a_matrix) * e
    drop = sp.Rational(1, 2) * (xk.dot(e) ** 2 - xk.dot(after) ** 2)
    finite = gaussian_expectation(drop, variances)
    a_x = a_matrix * xk
    finite_step = sigma**2 * (eps * quadratic - sp.Rational(1, 2) * eps**2 * a_x.dot(a_x))
    finite_step_check = sp.expand(finite - finite_step)

    p, q = sp.symbols("p q", positive=True, integer=True)
    p_two = (sp.eye(n) - p / q * a_matrix) ** 2
    integer_form = (q * sp.eye(n) - p * a_matrix) ** 2 / q**2
    integer_form_check = sp.expand(p_two - integer_form)

    sum_u, sum_r = sp.symbols("Sigma_U Sigma_R", nonnegative=True)
    m, u = sp.symbols("m u", positive=True, integer=True)
    ratio = (sum_u / u) / (sum_r / m)
    quad = Label(r"x_k^T A x_k")
    steps = (
        Step("gradient-check", gradient_check, "grad E_S - A e = 0, A = sum_{l in S} x_l x_l^T"),
        Step(
            "first-order",
            sp.Eq(Label(r"-\dot E_k"), Label(r"(x_k \cdot e)(x_k^T A e)")),
            "improvement of k per unit eps as eps -> 0",
        ),
        Step(
            "expectation",
            sp.Eq(Label(r"\langle -\dot E_k\rangle"), sigma**2 * quad),
            "E[g g^T] = sigma^2 I",
        ),
        Step("first-order-check", first_order_check, "exact Gaussian moments, n = 3, |S| = 2"),
        Step(
            "finite-step",
            sp.Eq(
                Label(r"\langle E_k(0) - E_k(1)\rangle"),
                sigma**2 * (eps * quad - sp.Rational(1, 2) * eps**2 * Label(r"|A x_k|^2")),
            ),
            "one real step of size eps",
        ),
        Step("finite-step-check", finite_step_check, "exact Gaussian moments"),
        Step(
            "errors",
            sp.Eq(Label(r"\langle E_k(t)\rangle"), sigma**2 / 2 * Label(r"|P_t x_k|^2")),
            "P_t = (I - eps A)^t, every association (derivation retraining-dynamics)",
        ),
        Step("integer-form-check", integer_form_check, "eps = p/q: P_t = (qI - pA)^t / q^t"),
        Step("ratio", sp.Eq(Label("r"), ratio), "sums of x_k^T A x_k over U (u of them), R (m)"),
    )
    return Derivation(
        name="vector-transfer",
        title=_TITLE,
        section="Sec. 5 and 5.3 (issue 10, given inputs)",
        steps=steps,
        result=ratio,
        symbols=(sum_u, sum_r, m, u),
        numeric=sp.lambdify((sum_u, sum_r, m, u), ratio, "numpy"),
    )


# ------------------------------------------------------------------------------- checks


def _rational(name: str, value: object) -> Number:
    """A positive finite number; Fractions and ints stay exact."""
    accepts = "a finite number > 0"
    if isinstance(value, bool):
        raise ParameterError(name, accepts, value)
    if isinstance(value, Fraction | int | np.integer):
        exact = value if isinstance(value, Fraction) else Fraction(int(value))
        if exact <= 0:
            raise ParameterError(name, accepts, value)
        return exact
    if not isinstance(value, float | np.floating) or not (math.isfinite(value) and value > 0):
        raise ParameterError(name, accepts, value)
    return float(value)


def _largest_eigenvalue(x: Array, mask: npt.NDArray[np.bool_]) -> float:
    x_r = x[mask]
    if float(np.abs(x).max()) > math.sqrt(np.finfo(np.float64).max / x.shape[1]):
        return math.inf  # some x_k·x_l might overflow
    with np.errstate(under="ignore"):
        small = x_r @ x_r.T if x_r.shape[0] <= x_r.shape[1] else x_r.T @ x_r
        return float(np.linalg.eigvalsh(small)[-1])


@dataclass(frozen=True)
class VectorTransferArguments:
    """The validated arguments of :func:`vector_transfer` (X, the mask of S, T, ε, σ, λ_max)."""

    x: Array
    mask: npt.NDArray[np.bool_]
    steps: int
    epsilon: Number
    noise_sd: Number
    lambda_max: float


def check_vector_transfer_arguments(
    inputs: object, retrained: object, steps: object, epsilon: object, noise_sd: object = 1
) -> VectorTransferArguments:
    """Every argument check of :func:`vector_transfer`, without the work.

    ``inputs`` (K, n) finite; ``retrained`` distinct indices leaving at least one
    association out, not all zero vectors; ``steps`` >= 0; ``epsilon`` in (0, 2/λ_max(A))
    (a stable step; λ_max from float64); ``noise_sd`` > 0. Raises :class:`ParameterError`.

    Examples:
        >>> from theory import check_vector_transfer_arguments
        >>> args = check_vector_transfer_arguments([[1, 0], [1, 1]], [0], steps=2, epsilon=0.5)
        >>> args.mask, args.lambda_max
        (array([ True, False]), 1.0)
        >>> check_vector_transfer_arguments([[1, 0], [1, 1]], [0], 2, 5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: epsilon: expected a stable step in ... (0, 2) ..., got 5.0
    """
    x = check_input_matrix(inputs)
    mask = retrained_mask(retrained, x.shape[0])
    if not np.any(x[mask]):
        raise ParameterError(
            "retrained", "rows with at least one nonzero input (else nothing is retrained)", "0"
        )
    n_steps = check_count("steps", steps, minimum=0)
    eps = _rational("epsilon", epsilon)
    sd = _rational("noise_sd", noise_sd)
    lam = _largest_eigenvalue(x, mask)
    if not math.isfinite(lam):
        raise ParameterError("inputs", "entries small enough for finite dot products", "overflow")
    if lam <= 0.0:
        raise ParameterError("retrained", "rows whose dot products do not underflow to 0", lam)
    if float(eps) * lam >= 2.0:
        raise ParameterError(
            "epsilon",
            f"a stable step in (0, 2/lambda_max) = (0, {2.0 / lam:.6g}) (lambda_max of the "
            f"retrained inputs' A = {lam:.6g})",
            float(eps),
        )
    _check_noise_scale(x, mask, sd)
    return VectorTransferArguments(x, mask, n_steps, eps, sd, lam)


def _log10(value: Number) -> float:
    """log10 of a positive number, a Fraction included (no float conversion to overflow)."""
    if isinstance(value, Fraction):
        return math.log10(value.numerator) - math.log10(value.denominator)
    return math.log10(value)


def _check_noise_scale(x: Array, mask: npt.NDArray[np.bool_], sd: Number) -> None:
    """σ such that every reported number is a finite, nonzero float64.

    The results are σ² times ``|x_k|²/2`` (the errors at t = 0, which retraining never
    raises on average) and ``x_kᵀ A x_k`` (the first-order rates): σ² times the largest of
    them must stay below float64's largest number, and σ² times the retrained rows' mean
    rate (the ratios' denominator) above its smallest normal number.
    """
    with np.errstate(over="ignore", under="ignore"):
        rates = ((x @ x[mask].T) ** 2).sum(axis=1)
        largest = float(max((x * x).sum(axis=1).max() / 2, rates.max()))
        smallest = float(rates[mask].mean())
    info = np.finfo(np.float64)
    if not math.isfinite(largest) or smallest <= 0.0:
        raise ParameterError("inputs", "entries small enough for finite dot products", "overflow")
    high = (math.log10(float(info.max)) - math.log10(largest)) / 2
    low = (math.log10(float(info.tiny)) - math.log10(smallest)) / 2
    if not low <= _log10(sd) <= high:
        raise ParameterError(
            "noise_sd",
            f"a number in [{10**low:.3g}, {10**high:.3g}] (with these inputs: noise_sd^2 "
            "times the expected errors and rates must be a finite, nonzero float64)",
            float(sd) if _log10(sd) < 308 else _Shown(f"about 1e+{_log10(sd):.0f}"),
        )


class _Shown(str):
    """A number too large for a float, shown in a message without quotes."""

    def __repr__(self) -> str:
        return str(self)


# ------------------------------------------------------------------------------- result


@dataclass(frozen=True)
class VectorTransfer:
    """The exact expected transfer for given inputs (floats, or Fractions when exact).

    Attributes:
        arithmetic: ``"exact"`` (rationals) or ``"float64"``.
        epsilon, noise_sd: ε and σ used.
        improvement_ratio: first-order (ε → 0) unretrained/retrained ratio; σ-, ε-free.
        improvement_ratio_finite_step: the same for the first real step of size ε
            (``None`` when the retrained mean drop is exactly 0).
        first_order_rate: (retrained, unretrained) means of ``σ² x_kᵀ A x_k``.
        first_step_drop: (retrained, unretrained) means of ``E[E_k(0) - E_k(1)]``.
        expected_errors: (retrained, unretrained) tuples of the mean ``E[E_k(t)]``, t = 0..T.
        per_association: (T + 1, K) float array of every ``E[E_k(t)]``.

    Examples:
        ``to_dict()`` gives the JSON the command line prints (``fastweights theory transfer``):

        >>> from theory import vector_transfer
        >>> r = vector_transfer([[1, 0], [1, 1], [0, 1]], retrained=[0], steps=1, epsilon=0.5)
        >>> d = r.to_dict()
        >>> d["improvement_ratio"], d["improvement_ratio_exact"], d["expected_errors"]
        (0.5, '1/2', {'steps': [0, 1], 'retrained': [0.5, 0.125], 'unretrained': [0.75, 0.5625]})
        >>> r.per_association  # (steps + 1, K)
        array([[0.5  , 1.   , 0.5  ],
               [0.125, 0.625, 0.5  ]])
    """

    arithmetic: str
    epsilon: Number
    noise_sd: Number
    improvement_ratio: Number
    improvement_ratio_finite_step: Number | None
    first_order_rate: tuple[Number, Number]
    first_step_drop: tuple[Number, Number]
    expected_errors: tuple[tuple[Number, ...], tuple[Number, ...]]
    per_association: Array

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: floats, plus ``*_exact`` strings ("p/q") when exact."""
        finite = self.improvement_ratio_finite_step
        out: dict[str, Any] = {
            "arithmetic": self.arithmetic,
            "epsilon": float(self.epsilon),
            "noise_sd": float(self.noise_sd),
            "improvement_ratio": float(self.improvement_ratio),
            "improvement_ratio_finite_step": None if finite is None else float(finite),
            "mean_first_order_rate": _pair(self.first_order_rate),
            "mean_first_step_improvement": _pair(self.first_step_drop),
            "expected_errors": {
                "steps": list(range(len(self.expected_errors[0]))),
                "retrained": [float(v) for v in self.expected_errors[0]],
                "unretrained": [float(v) for v in self.expected_errors[1]],
            },
        }
        if self.arithmetic == "exact":
            out["epsilon_exact"] = str(self.epsilon)
            out["improvement_ratio_exact"] = str(self.improvement_ratio)
            out["improvement_ratio_finite_step_exact"] = None if finite is None else str(finite)
        return out


def _pair(values: tuple[Number, Number]) -> dict[str, float]:
    return {"retrained": float(values[0]), "unretrained": float(values[1])}


def _is_small_integer(x: Array) -> bool:
    return bool(np.all(x == np.round(x)) and np.abs(x).max() <= EXACT_MAX_ENTRY)


def _exact(c: VectorTransferArguments) -> VectorTransfer:
    x = c.x.astype(np.int64).astype(object)  # (K, n) Python ints
    eps, sd2 = Fraction(c.epsilon), Fraction(c.noise_sd) ** 2
    x_r = x[c.mask]
    a_matrix = x_r.T @ x_r  # (n, n)
    p, q = eps.numerator, eps.denominator
    step_matrix = q * np.eye(x.shape[1], dtype=np.int64).astype(object) - p * a_matrix
    current = x.T.copy()  # (n, K): q^t P_t x_k, integers
    m, u = int(c.mask.sum()), int((~c.mask).sum())
    means: list[tuple[Number, Number]] = []
    rows: list[list[float]] = []
    for t in range(max(c.steps, 1) + 1):
        if t:
            current = step_matrix @ current
        squared = (current * current).sum(axis=0)  # q^2t |P_t x_k|^2, (K,)
        scale = 2 * q ** (2 * t)
        means.append(
            (
                sd2 * Fraction(int(squared[c.mask].sum()), scale * m),
                sd2 * Fraction(int(squared[~c.mask].sum()), scale * u),
            )
        )
        rows.append([float(sd2) * (int(v) / scale) for v in squared])
    rates = ((x @ a_matrix) * x).sum(axis=1)  # x_k^T A x_k, integers
    rate = (
        sd2 * Fraction(int(rates[c.mask].sum()), m),
        sd2 * Fraction(int(rates[~c.mask].sum()), u),
    )
    return _assemble("exact", c, means, rate, np.array(rows, dtype=np.float64))


def _float(c: VectorTransferArguments) -> VectorTransfer:
    eps, sd = float(c.epsilon), float(c.noise_sd)
    table = expected_errors_during_retraining(c.x, c.mask, eps, max(c.steps, 1), sd)
    x_r = c.x[c.mask]
    rates = sd**2 * (((c.x @ x_r.T) ** 2).sum(axis=1))  # Σ_{l∈S} (x_l·x_k)² = x_kᵀ A x_k
    means: list[tuple[Number, Number]] = [
        (float(row[c.mask].mean()), float(row[~c.mask].mean())) for row in table
    ]
    rate = (float(rates[c.mask].mean()), float(rates[~c.mask].mean()))
    return _assemble("float64", c, means, rate, table)


def _assemble(
    kind: str,
    c: VectorTransferArguments,
    means: list[tuple[Number, Number]],
    rate: tuple[Number, Number],
    table: Array,
) -> VectorTransfer:
    """The result from the per-step (retrained, unretrained) means, t = 0..max(T, 1)."""
    drop = (means[0][0] - means[1][0], means[0][1] - means[1][1])
    shown = means[: c.steps + 1]
    return VectorTransfer(
        arithmetic=kind,
        epsilon=c.epsilon if kind == "exact" else float(c.epsilon),
        noise_sd=c.noise_sd if kind == "exact" else float(c.noise_sd),
        improvement_ratio=rate[1] / rate[0],
        improvement_ratio_finite_step=None if drop[0] == 0 else drop[1] / drop[0],
        first_order_rate=rate,
        first_step_drop=drop,
        expected_errors=(tuple(r for r, _ in shown), tuple(u for _, u in shown)),
        per_association=table[: c.steps + 1],
    )


def _exact_work(c: VectorTransferArguments) -> int:
    """n² K T ⌈T b / 64⌉: multiplications times 64-bit limbs of the largest numbers."""
    k, n = (int(size) for size in c.x.shape)
    eps = Fraction(c.epsilon)
    largest = int(np.abs(c.x).max())
    growth = (eps.denominator + eps.numerator * int(c.mask.sum()) * n * largest**2).bit_length()
    steps = max(c.steps, 1)
    return n * n * k * steps * -(-steps * growth // 64)


def vector_transfer_memory(k: int, n: int, steps: int) -> int:
    """Estimated peak bytes of :func:`vector_transfer` in float64: A and its products
    (3 n²), X and P_t X (4 n K), the per-step table (2 (T + 2) K). Exact arithmetic is only
    chosen for work <= :data:`EXACT_WORK_LIMIT`, which keeps its numbers small too.

    Examples:
        >>> from theory import vector_transfer_memory
        >>> vector_transfer_memory(k=100, n=50, steps=10)  # 8 (3 n^2 + 4 n K + 2 (T + 2) K)
        239200
    """
    return 8 * (3 * n * n + 4 * n * k + 2 * (max(steps, 1) + 2) * k)


def vector_transfer(
    inputs: npt.ArrayLike,
    retrained: Sequence[int] | npt.ArrayLike,
    steps: int,
    epsilon: Fraction | float,
    noise_sd: Fraction | float = 1,
    exact: bool | None = None,
) -> VectorTransfer:
    """Exact expected transfer when retraining the rows ``retrained`` of ``inputs``.

    Args:
        inputs: X, (K, n), one input vector per row (any finite reals).
        retrained: S, distinct row indices (1 <= |S| <= K - 1).
        steps: T >= 0 full-batch retraining steps for ``expected_errors``.
        epsilon: ε, the learning rate, in (0, 2/λ_max(A)); a Fraction/int stays exact.
        noise_sd: σ > 0 of the weight noise (default 1).
        exact: force rationals (``True``; inputs must be small integers) or float64
            (``False``); ``None`` chooses (see the module docstring).

    Returns:
        :class:`VectorTransfer`.

    Examples:
        Three inputs, x_0 = (1, 0) retrained for two steps of epsilon = 1/2; small integers and
        a Fraction step give exact rationals:

        >>> from fractions import Fraction
        >>> from theory import vector_transfer
        >>> r = vector_transfer([[1, 0], [1, 1], [0, 1]], [0], steps=2, epsilon=Fraction(1, 2))
        >>> r.arithmetic, r.improvement_ratio, r.improvement_ratio_finite_step
        ('exact', Fraction(1, 2), Fraction(1, 2))
        >>> [str(e) for e in r.expected_errors[0]], [str(e) for e in r.expected_errors[1]]
        (['1/2', '1/8', '1/32'], ['3/4', '9/16', '33/64'])
    """
    c = check_vector_transfer_arguments(inputs, retrained, steps, epsilon, noise_sd)
    small = _is_small_integer(c.x)
    if exact is None:
        exact = small and _exact_work(c) <= EXACT_WORK_LIMIT
    elif exact and not small:
        raise ParameterError("exact", f"integer inputs of size <= {EXACT_MAX_ENTRY}", True)
    return _exact(c) if exact else _float(c)
