"""The compiled per-case sweep: one weight change per training case, for S networks.

:meth:`~simulation.fastslow.FastSlowNetwork.train_cases` calls :func:`per_case_sweep`;
it replaces a dozen small numpy calls per weight change (issue 20) by one pass per change
over the weights of one seed, which stay in the core's cache.

Shapes (n inputs, H hidden, m outputs, K cases, P = (n + 1) H + H m + m, S seeds)::

    weights     (2, S, P)   w_s and w_f side by side (changed in place)
    velocities  (2, S, P)   Δ_s and Δ_f side by side (changed in place)
    inputs      (S, K, n + 1)  the cases with the bias input 1 last
    targets     (S, K, m)
    order       (S, K)      seed s's cases in the order of its changes
    constants   (C,)        :func:`constants`: the rates and the exp's constants, in the
                            weights' dtype

Reproducibility (the toolkit's promise: a seed gives the same numbers on every AVX2
machine). Compiled without ``fastmath``, so LLVM neither reassociates nor contracts
(a * b + c stays two roundings): every sum runs in the order written, elementwise work
vectorizes over independent elements only, and SIMD width does not change a bit. The
logistic uses its own exp (:func:`_exp`: Cody-Waite reduction, a degree-13 Taylor
polynomial, 2^k from the exponent bits), made of IEEE additions and multiplications, so no
libm or SVML enters the numbers. ``tests/deblur/test_case_kernel.py`` checks the kernel bit
for bit against a numpy transcription of the same operations (numpy's elementwise ufuncs
are correctly rounded), and against the independent per-case reference.

Speed: an index that is an offset plus a loop counter (``row + h``) is unsigned
(``np.uint64``): numba lets a negative index count from the end, and with a signed offset
LLVM cannot prove ``row + h`` non-negative, so such a loop kept a branch per element and did
not vectorize (with them unsigned the kernel takes 0.6 of the time;
``benchmarks/bench_case_kernel_revision.py``). Loops stay separate per weight set and mode
rather than fused: a fused change per row of 100 was slower than forming the gradient in
an array and changing all P parameters in one loop.

Compiled once per machine: ``cache=True`` on module-level functions whose sizes are
arguments, so a second process loads the machine code from ``__pycache__`` (or
``NUMBA_CACHE_DIR``) instead of compiling again (about 0.1 s against several seconds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["constants", "per_case_sweep"]

Array = npt.NDArray[Any]

_OPTIONS: dict[str, Any] = {
    "cache": True,
    "nogil": True,
    "fastmath": False,
    "error_model": "numpy",
    "boundscheck": False,
}

F = TypeVar("F", bound=Callable[..., Any])


def _compiled(function: F) -> F:
    """``numba.njit`` with :data:`_OPTIONS` (typed for mypy)."""
    return cast(F, njit(**_OPTIONS)(function))


# indices into the constants array
ALPHA_S, ALPHA_F, EPS_S, EPS_F, KEEP, SCALE, ONE, ZERO = range(8)
LOG2E, HALF, LN2_HI, LN2_LO, EXP_HI, EXP_LO, INF = range(8, 15)
COEFFICIENTS = 15
DEGREE = 13
"""Degree of the Taylor polynomial of exp on |r| <= ln 2 / 2 (truncation below 1e-17)."""

# Cody-Waite splits of ln 2: k ln2_hi is exact for the k that occur (|k| < 2^8 in float32,
# < 2^11 in float64): ln2_hi has 9 (float32) and 32 (float64) significant bits.
_SPLIT = {
    "float32": (0.693359375, -2.12194440e-4, 88.0, -87.0),
    "float64": (6.93147180369123816490e-01, 1.90821492927058770002e-10, 709.0, -708.0),
}


def constants(
    dtype: np.dtype[Any],
    slow_momentum: float,
    fast_momentum: float,
    slow_epsilon: float,
    fast_epsilon: float,
    keep: float,
    scale: float,
) -> Array:
    """The kernel's constants (C,) in ``dtype`` (float32 or float64): α_s, α_f, ε_s, ε_f,
    1 - h, 2c, then those of :func:`_exp` (the Taylor coefficients 1/i!, i = 0 .. 13)."""
    ln2_hi, ln2_lo, hi, lo = _SPLIT[np.dtype(dtype).name]
    values = [slow_momentum, fast_momentum, slow_epsilon, fast_epsilon, keep, scale, 1.0, 0.0]
    values += [1.0 / math.log(2.0), 0.5, ln2_hi, ln2_lo, hi, lo, math.inf]
    values += [1.0 / math.factorial(i) for i in range(DEGREE + 1)]
    return np.array(values, dtype=dtype)


def _pow2_typing(typingctx: Any, k: Any, like: Any) -> Any:
    """2^k in the float type of ``like`` (k an integer-valued float of that type with 2^k a
    normal number), built from its exponent bits (a bitcast: no libm, vectorizes). k is
    converted to an integer of the float's width (float32 -> int32), which AVX2 does in
    one vector instruction; through int64 it would not vectorize (60% of the logistic's
    time)."""
    int_type: Any
    if like == types.float32:
        int_type, bias, shift = types.int32, 127, 23
    elif like == types.float64:
        int_type, bias, shift = types.int64, 1023, 52
    else:
        return None
    if k != like:
        return None
    signature = like(k, like)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        llvm_int = context.get_value_type(int_type)
        value = builder.fptosi(args[0], llvm_int)
        biased = builder.add(value, ir.Constant(llvm_int, bias))
        bits = builder.shl(biased, ir.Constant(llvm_int, shift))
        return builder.bitcast(bits, context.get_value_type(like))

    return signature, codegen


_pow2: Any = cast(Any, intrinsic)(_pow2_typing)


@_compiled
def logistic(z: Array, out: Array, c: Array) -> None:  # pragma: no cover - compiled
    """out = 1 / (1 + exp(-z)), elementwise over 1-d ``z`` and ``out`` (L,) (may be the
    same array), in the dtype of ``c`` (:func:`constants`), with an exp of its own.

    exp(x), x = -z: x is clamped to [EXP_LO, EXP_HI] (below, exp(x) < 2e-38 vanishes in
    1 + exp(x) anyway; above, exp(x) is taken as inf, so the logistic is 0; NaN stays NaN);
    x = k ln 2 + r with k = floor(x log2(e) + 1/2), |r| <= ln 2 / 2 (Cody-Waite: the
    product k ln2_hi is exact); exp(x) = 2^k (1 + r + r^2/2! + ... + r^13/13!) by Horner,
    2^k from its exponent bits. Relative error about 1 ulp. Branch-free, so it
    vectorizes; the constants are read once, outside the loop.
    """
    one, zero, inf = c[ONE], c[ZERO], c[INF]
    log2e, half, ln2_hi, ln2_lo = c[LOG2E], c[HALF], c[LN2_HI], c[LN2_LO]
    hi, lo = c[EXP_HI], c[EXP_LO]
    q = COEFFICIENTS
    c0, c1, c2, c3, c4 = c[q], c[q + 1], c[q + 2], c[q + 3], c[q + 4]
    c5, c6, c7, c8, c9 = c[q + 5], c[q + 6], c[q + 7], c[q + 8], c[q + 9]
    c10, c11, c12, c13 = c[q + 10], c[q + 11], c[q + 12], c[q + 13]
    for h in range(z.shape[0]):
        x = -z[h]
        xs = zero if x != x else x
        xs = hi if xs > hi else xs
        xs = lo if xs < lo else xs
        k = np.floor(xs * log2e + half)
        r = (xs - k * ln2_hi) - k * ln2_lo
        p = c13 * r + c12
        p = p * r + c11
        p = p * r + c10
        p = p * r + c9
        p = p * r + c8
        p = p * r + c7
        p = p * r + c6
        p = p * r + c5
        p = p * r + c4
        p = p * r + c3
        p = p * r + c2
        p = p * r + c1
        p = p * r + c0
        e = p * _pow2(k, p)
        e = inf if x > hi else e
        e = x if x != x else e
        out[h] = one / (one + e)


@_compiled
def _lane_dot(u: Array, w: Array, row: int, n: int, zero: Any) -> Any:  # pragma: no cover
    """Σ_h u[h] w[row + h] over h < n, each product rounded, the products summed in a fixed
    order that runs as 8 independent chains: lane l sums the products of h ≡ l (mod 8),
    h < 8 ⌊n / 8⌋, in increasing h; the lanes are added pairwise,
    ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)); then the last n mod 8 products in
    order (after ``zero`` when n < 8). The order is written here, so it does not depend on
    the machine, and 8 chains keep the adder busy where one would wait on each sum. (The
    products are formed where they are summed: an (n,) array of them cost 20% more.)"""
    full = n - n % 8
    r = np.uint64(row)
    if full == 0:
        acc = zero
    else:
        l0, l1, l2, l3 = u[0] * w[r], u[1] * w[r + 1], u[2] * w[r + 2], u[3] * w[r + 3]
        l4, l5, l6, l7 = u[4] * w[r + 4], u[5] * w[r + 5], u[6] * w[r + 6], u[7] * w[r + 7]
        for base in range(8, full, 8):
            ub = np.uint64(base)
            q = r + ub
            l0 += u[ub] * w[q]
            l1 += u[ub + 1] * w[q + 1]
            l2 += u[ub + 2] * w[q + 2]
            l3 += u[ub + 3] * w[q + 3]
            l4 += u[ub + 4] * w[q + 4]
            l5 += u[ub + 5] * w[q + 5]
            l6 += u[ub + 6] * w[q + 6]
            l7 += u[ub + 7] * w[q + 7]
        acc = ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))
    for h in range(full, n):
        acc += u[h] * w[r + np.uint64(h)]
    return acc


@_compiled
def _load(flat: Array, out: Array, n1: int, hidden_count: int, m: int) -> None:  # pragma: no cover
    """Copy one seed's parameters ``flat`` (P,) into the kernel's layout ``out`` (P,): the
    hidden weights (n + 1, H) as they are, the output weights transposed to (m, H) (so
    that every pass over them runs along H), the output biases (m,) last."""
    a = n1 * hidden_count
    for p in range(a):
        out[p] = flat[p]
    for h in range(hidden_count):
        for k in range(m):
            out[a + k * hidden_count + h] = flat[a + h * m + k]
    b = a + hidden_count * m
    for k in range(m):
        out[b + k] = flat[b + k]


@_compiled
def _store(
    local: Array, flat: Array, n1: int, hidden_count: int, m: int
) -> None:  # pragma: no cover
    """The inverse of :func:`_load`."""
    a = n1 * hidden_count
    for p in range(a):
        flat[p] = local[p]
    for k in range(m):
        for h in range(hidden_count):
            flat[a + h * m + k] = local[a + k * hidden_count + h]
    b = a + hidden_count * m
    for k in range(m):
        flat[b + k] = local[b + k]


@_compiled
def _change(
    ws: Array,
    wf: Array,
    vs: Array,
    vf: Array,
    w: Array,
    g: Array,
    c: Array,
    permanent: bool,
    decay: bool,
) -> None:  # pragma: no cover - compiled
    """One weight change of one network, all (P,) arrays: Δ <- α Δ - ε g for both weights,
    then w_s <- w_s + Δ_s and w_f <- w_f + Δ_f, times 1 - h if ``decay`` (a product with
    1 would change no bit, so it is not formed), or with ``permanent``
    w_s <- (w_s + Δ_s) + Δ_f; and the effective weights w = w_s + w_f, which the next
    change's forward and backward passes read (the same sum they would otherwise form)."""
    alpha_s, alpha_f, eps_s, eps_f, keep = c[ALPHA_S], c[ALPHA_F], c[EPS_S], c[EPS_F], c[KEEP]
    size = g.shape[0]
    if permanent:
        for p in range(size):
            d_s = alpha_s * vs[p] - eps_s * g[p]
            d_f = alpha_f * vf[p] - eps_f * g[p]
            vs[p] = d_s
            vf[p] = d_f
            new_s = (ws[p] + d_s) + d_f
            ws[p] = new_s
            w[p] = new_s + wf[p]
    elif decay:
        for p in range(size):
            d_s = alpha_s * vs[p] - eps_s * g[p]
            d_f = alpha_f * vf[p] - eps_f * g[p]
            vs[p] = d_s
            vf[p] = d_f
            new_s = ws[p] + d_s
            new_f = (wf[p] + d_f) * keep
            ws[p] = new_s
            wf[p] = new_f
            w[p] = new_s + new_f
    else:
        for p in range(size):
            d_s = alpha_s * vs[p] - eps_s * g[p]
            d_f = alpha_f * vf[p] - eps_f * g[p]
            vs[p] = d_s
            vf[p] = d_f
            new_s = ws[p] + d_s
            new_f = wf[p] + d_f
            ws[p] = new_s
            wf[p] = new_f
            w[p] = new_s + new_f


@_compiled
def per_case_sweep(
    weights: Array,
    velocities: Array,
    inputs: Array,
    targets: Array,
    order: Array,
    c: Array,
    n_hidden: int,
    squared: bool,
    permanent: bool,
    decay_every_change: bool,
) -> None:  # pragma: no cover - compiled
    """One sweep of per-case weight changes for each of the S networks, in place.

    For seed s and j = 0 .. K - 1, case ``order[s, j]`` alone: forward pass at
    w = w_s + w_f, output deltas δ = 2c (y - t) y (1 - y) (``squared``) or 2c (y - t),
    hidden deltas (Σ_k δ_k W2[h, k]) h (1 - h), gradient g (x_i δ_h for the hidden
    weights, h δ_k for the output weights, δ_k for the output biases), then Δ <- α Δ - ε g
    for both weights and w_s += Δ_s, w_f <- (w_f + Δ_f)(1 - h) (the (1 - h) only after
    the last change unless ``decay_every_change``), or with ``permanent``
    w_s <- (w_s + Δ_s) + Δ_f. Shapes in the module docstring; ``n_hidden`` is H.

    Every sum runs in index order from its first term: the hidden unit's net input over
    the inputs (bias last), the output's over the hidden units, then its bias; the hidden
    delta over the outputs. The effective weights w_s + w_f are formed once per change, by
    :func:`_change`, and kept in a (P,) array of their own.
    """
    seeds = weights.shape[1]
    size = weights.shape[2]
    count = order.shape[1]
    n1 = inputs.shape[2]
    m = targets.shape[2]
    hn = n_hidden
    a = n1 * hn
    b = a + hn * m
    scale, one, zero = c[SCALE], c[ONE], c[ZERO]
    dtype = weights.dtype
    ws = np.empty(size, dtype=dtype)
    wf = np.empty(size, dtype=dtype)
    vs = np.empty(size, dtype=dtype)
    vf = np.empty(size, dtype=dtype)
    w = np.empty(size, dtype=dtype)
    z = np.empty(hn, dtype=dtype)
    hidden = np.empty(hn, dtype=dtype)
    back = np.empty(hn, dtype=dtype)
    net = np.empty(m, dtype=dtype)
    y = np.empty(m, dtype=dtype)
    delta = np.empty(m, dtype=dtype)
    g = np.empty(size, dtype=dtype)
    for s in range(seeds):
        _load(weights[0, s], ws, n1, hn, m)
        _load(weights[1, s], wf, n1, hn, m)
        _load(velocities[0, s], vs, n1, hn, m)
        _load(velocities[1, s], vf, n1, hn, m)
        for p in range(size):
            w[p] = ws[p] + wf[p]
        for j in range(count):
            case = order[s, j]
            x = inputs[s, case]
            t = targets[s, case]
            decay = not permanent and (decay_every_change or j == count - 1)
            # forward, at the effective weights w = w_s + w_f
            for h in range(hn):
                z[h] = zero
            for i in range(n1):
                xi = x[i]
                row = np.uint64(i * hn)
                for h in range(hn):
                    z[h] += xi * w[row + np.uint64(h)]
            logistic(z, hidden, c)
            for k in range(m):
                row = a + k * hn
                net[k] = _lane_dot(hidden, w, row, hn, zero) + w[b + k]
            logistic(net, y, c)
            # backward
            for k in range(m):
                d = y[k] - t[k]
                if squared:
                    d = d * y[k]
                    d = d * (one - y[k])
                delta[k] = d * scale
            d0 = delta[0]
            for h in range(hn):
                back[h] = d0 * w[a + h]
            for k in range(1, m):
                dk = delta[k]
                row = np.uint64(a + k * hn)
                for h in range(hn):
                    back[h] += dk * w[row + np.uint64(h)]
            for h in range(hn):
                back[h] = (back[h] * hidden[h]) * (one - hidden[h])
            # the weight change, both weights at once: g (P,) in the kernel's layout
            for i in range(n1):
                xi = x[i]
                row = np.uint64(i * hn)
                for h in range(hn):
                    g[row + np.uint64(h)] = xi * back[h]
            for k in range(m):
                dk = delta[k]
                row = np.uint64(a + k * hn)
                for h in range(hn):
                    g[row + np.uint64(h)] = hidden[h] * dk
            for k in range(m):
                g[b + k] = delta[k]
            _change(ws, wf, vs, vf, w, g, c, permanent, decay)
        _store(ws, weights[0, s], n1, hn, m)
        _store(wf, weights[1, s], n1, hn, m)
        _store(vs, velocities[0, s], n1, hn, m)
        _store(vf, velocities[1, s], n1, hn, m)
