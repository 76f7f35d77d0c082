"""A layered logistic network with a slow and a fast weight on every connection (Sec. 3).

Hinton & Plaut (1987), Sec. 3: every connection and bias has a slow weight ``w_s``
and a fast weight ``w_f``; the effective weight is ``w = w_s + w_f``. Both receive
the same error derivative ``g = dE/dw`` (back-propagation on the summed squared
error ``E = c * sum_cases sum_units (y - t)^2``, or on the cross-entropy, see
:meth:`FastSlowNetwork.gradient`), each is changed with its own learning rate ε and
momentum α, and after every weight change each fast weight shrinks by the fraction h::

    Δ_s <- α_s Δ_s - ε_s g;   w_s <- w_s + Δ_s
    Δ_f <- α_f Δ_f - ε_f g;   w_f <- (w_f + Δ_f) (1 - h)

:meth:`FastSlowNetwork.train_sweep` changes the weights once per sweep through the
training set (full batch, the paper's "changing the weights after each sweep");
:meth:`FastSlowNetwork.train_cases` once per case, in a given order (on-line), with the
decay after every change or only after the sweep's last one.

The network has one hidden layer (Sec. 4 uses 10-100-10) and is batched over a
leading *seed* axis S: every array below carries one independent network per
seed, and every operation acts on each seed's slice alone (stacked ``matmul`` on
identical per-seed shapes), so a seed's numbers do not depend on which other
seeds share its batch.

Shapes (n inputs, H hidden, m outputs, K cases, P parameters per network)::

    inputs   (S, K, n)   0/1 input vectors
    targets  (S, K, m)   0/1 desired outputs
    weights  (S, P)      P = (n + 1) H + H m + m, laid out as
                         [input->hidden (n, H); hidden biases (1, H);
                          hidden->output (H, m); output biases (m,)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_choice, check_count, check_positive, check_real

__all__ = [
    "DTYPES",
    "ERROR_FUNCTIONS",
    "Cases",
    "FastSlowLearning",
    "FastSlowNetwork",
    "NetworkLayout",
]

Array = npt.NDArray[Any]

DTYPES = ("float32", "float64")

#: ``E = c Σ (y - t)²`` or ``E = 2c Σ -[t ln y + (1 - t) ln(1 - y)]`` (see ``gradient``).
ERROR_FUNCTIONS = ("squared", "cross-entropy")


def _check_fraction_below_one(name: str, value: object) -> float:
    accepts = "a number in [0, 1)"
    x = check_real(name, value, accepts)
    if not 0.0 <= x < 1.0:
        raise ParameterError(name, accepts, value)
    return x


@dataclass(frozen=True)
class FastSlowLearning:
    """The weight-change parameters of Sec. 3.

    ``slow_epsilon``, ``slow_momentum``: ε_s, α_s of the slow weights.
    ``fast_epsilon``, ``fast_momentum``: ε_f, α_f of the fast weights.
    ``fast_decay``: h, the fraction every fast weight loses after each weight change.
    Defaults: the paper's ε_s, α_s, h and the assumptions of ``docs/deblur.md``.
    ``error_factor``: c in ``E = c * sum (y - t)^2`` (0.5 is the convention of
    Rumelhart et al. 1986, whose derivative is ``(y - t)``; 1.0 reads the paper's
    "squared difference summed over all cases" literally and doubles every ε).
    ``error_function``: ``"squared"`` (the paper's) or ``"cross-entropy"``
    (:meth:`FastSlowNetwork.gradient`).
    """

    slow_epsilon: float = 0.02
    slow_momentum: float = 0.9
    fast_epsilon: float = 0.02
    fast_momentum: float = 0.0
    fast_decay: float = 0.01
    error_factor: float = 0.5
    error_function: str = "squared"

    def __post_init__(self) -> None:
        check_positive("slow_epsilon", self.slow_epsilon, allow_zero=True)
        check_positive("fast_epsilon", self.fast_epsilon, allow_zero=True)
        _check_fraction_below_one("slow_momentum", self.slow_momentum)
        _check_fraction_below_one("fast_momentum", self.fast_momentum)
        _check_fraction_below_one("h", self.fast_decay)
        check_positive("error_factor", self.error_factor)
        check_choice("error_function", self.error_function, ERROR_FUNCTIONS)


@dataclass(frozen=True)
class NetworkLayout:
    """Sizes of a one-hidden-layer network: n inputs, H hidden, m outputs (all with biases)."""

    n_input: int = 10
    n_hidden: int = 100
    n_output: int = 10

    def __post_init__(self) -> None:
        check_count("n_input", self.n_input)
        check_count("n_hidden", self.n_hidden)
        check_count("n_output", self.n_output)

    @property
    def size(self) -> int:
        """P, the number of weights and biases of one network."""
        return (self.n_input + 1) * self.n_hidden + self.n_hidden * self.n_output + self.n_output

    def views(self, flat: Array) -> tuple[Array, Array, Array]:
        """Views into ``flat`` (S, P): hidden weights with biases as the last row
        (S, n + 1, H), output weights (S, H, m) and output biases (S, 1, m).

        Each view splits only the contiguous last axis of ``flat``, so it is always
        a view (writes go through to ``flat``).
        """
        s = flat.shape[0]
        n1, h, m = self.n_input + 1, self.n_hidden, self.n_output
        a = n1 * h
        b = a + h * m
        hidden = flat[:, :a].reshape(s, n1, h)
        output = flat[:, a:b].reshape(s, h, m)
        output_bias = flat[:, b:].reshape(s, 1, m)
        return hidden, output, output_bias


@dataclass(frozen=True)
class Cases:
    """A training or test set for S networks: inputs with a bias column, and targets.

    ``inputs`` (S, K, n + 1): the 0/1 input vectors with a constant 1 appended (so
    the hidden biases are the last row of the hidden weight matrix); ``targets``
    (S, K, m). Build with :meth:`FastSlowNetwork.cases`.
    """

    inputs: Array
    targets: Array

    @property
    def count(self) -> int:
        """K, the number of cases per seed."""
        return int(self.inputs.shape[1])


@dataclass
class _Workspace:
    hidden: Array
    scratch: Array
    back: Array


@dataclass
class _CaseWorkspace:
    """Buffers of a per-case sweep through K cases: the cases in the sweep's order,
    (K, S, 1, ·), so that update j reads the contiguous (S, 1, ·) block j, and the
    one-case activations (S, 1, ·)."""

    inputs: Array  # (K, S, 1, n + 1)
    negated: Array  # (K, S, 1, n + 1): -inputs, so that a matmul gives -z
    targets: Array  # (K, S, 1, m)
    hidden: Array  # (S, 1, H)
    slope: Array  # (S, 1, H)
    back: Array  # (S, 1, H)
    outputs: Array  # (S, 1, m)
    scratch: Array  # (S, 1, m)


class _Rates(NamedTuple):
    """The learning parameters in the network's dtype, shaped to act on (2, S, P) pairs."""

    momentum: Array  # (2, 1, 1): α_s, α_f
    epsilon: Array  # (2, 1, 1): ε_s, ε_f
    keep: Any  # 1 - h, a scalar of the dtype


class FastSlowNetwork:
    """S independent fast/slow-weight networks of the same layout.

    ``slow``, ``fast`` (S, P): the two weights of every connection and bias;
    ``slow_velocity``, ``fast_velocity`` (S, P): their last weight changes Δ_s, Δ_f
    (the momentum terms). Fast weights and velocities default to zero. The dtype
    of ``slow`` (float32 or float64) is the dtype of every computation.

    The four are views into two (2, S, P) arrays (w_s and w_f side by side, Δ_s and
    Δ_f side by side), so that one array operation changes both weights. Assigning
    to one of them (``net.slow = x``) copies ``x`` into the view.
    """

    def __init__(
        self,
        layout: NetworkLayout,
        slow: Array,
        fast: Array | None = None,
        slow_velocity: Array | None = None,
        fast_velocity: Array | None = None,
    ) -> None:
        if slow.ndim != 2 or slow.shape[1] != layout.size:
            raise ParameterError("slow", f"an array of shape (S, {layout.size})", slow.shape)
        if slow.dtype.name not in DTYPES:
            raise ParameterError("dtype", "one of " + ", ".join(DTYPES), slow.dtype.name)
        self.layout = layout
        self._weights: Array = np.zeros((2, *slow.shape), dtype=slow.dtype)
        self._velocities: Array = np.zeros_like(self._weights)
        self._weights[0] = slow
        self._set_state(self._weights[1], "fast", fast)
        self._set_state(self._velocities[0], "slow_velocity", slow_velocity)
        self._set_state(self._velocities[1], "fast_velocity", fast_velocity)
        self._effective = np.empty_like(self.slow)
        self._gradient = np.empty_like(self.slow)
        self._step = np.empty_like(self._weights)
        shape = (self.seeds, layout.n_input + 1, layout.n_hidden)
        self._negated_hidden_weights = np.empty(shape, dtype=self.dtype)
        self._workspaces: dict[int, _Workspace] = {}
        self._case_workspaces: dict[int, _CaseWorkspace] = {}

    def _set_state(self, target: Array, name: str, value: Array | None) -> None:
        if value is None:
            return
        if value.shape != target.shape:
            raise ParameterError(name, f"an array of shape {target.shape}", value.shape)
        target[...] = value

    @property
    def slow(self) -> Array:
        """w_s (S, P), a view."""
        view: Array = self._weights[0]
        return view

    @slow.setter
    def slow(self, value: Array) -> None:
        self._weights[0] = value

    @property
    def fast(self) -> Array:
        """w_f (S, P), a view."""
        view: Array = self._weights[1]
        return view

    @fast.setter
    def fast(self, value: Array) -> None:
        self._weights[1] = value

    @property
    def slow_velocity(self) -> Array:
        """Δ_s (S, P), a view."""
        view: Array = self._velocities[0]
        return view

    @slow_velocity.setter
    def slow_velocity(self, value: Array) -> None:
        self._velocities[0] = value

    @property
    def fast_velocity(self) -> Array:
        """Δ_f (S, P), a view."""
        view: Array = self._velocities[1]
        return view

    @fast_velocity.setter
    def fast_velocity(self, value: Array) -> None:
        self._velocities[1] = value

    @property
    def seeds(self) -> int:
        """S, the number of networks."""
        return int(self._weights.shape[1])

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._weights.dtype

    def copy(self) -> FastSlowNetwork:
        """An independent copy (weights and velocities)."""
        return FastSlowNetwork(
            self.layout, self.slow, self.fast, self.slow_velocity, self.fast_velocity
        )

    def cases(self, inputs: Array, targets: Array) -> Cases:
        """Pack ``inputs`` (S, K, n) and ``targets`` (S, K, m) for this network's dtype."""
        s, k = inputs.shape[0], inputs.shape[1]
        if inputs.shape != (s, k, self.layout.n_input) or s != self.seeds:
            accepts = f"an array of shape ({self.seeds}, K, {self.layout.n_input})"
            raise ParameterError("inputs", accepts, inputs.shape)
        if targets.shape != (s, k, self.layout.n_output):
            raise ParameterError(
                "targets", f"an array of shape ({s}, {k}, {self.layout.n_output})", targets.shape
            )
        augmented = np.ones((s, k, self.layout.n_input + 1), dtype=self.dtype)
        augmented[:, :, :-1] = inputs
        return Cases(augmented, np.ascontiguousarray(targets, dtype=self.dtype))

    def effective_weights(self) -> Array:
        """w = w_s + w_f, (S, P), a new array."""
        return self.slow + self.fast

    def reset_velocities(self) -> None:
        """Forget the previous weight changes (Δ_s = Δ_f = 0), as at the start of a phase."""
        self._velocities[...] = 0

    def fold_fast_into_slow(self) -> None:
        """w_s <- w_s + w_f, w_f <- 0: the same effective weights, all of them slow."""
        slow, fast = self._weights
        np.add(slow, fast, out=slow)
        fast[...] = 0
        self._velocities[1] = 0

    def decay_fast(self, fast_decay: float, updates: int = 1) -> None:
        """``updates`` weight changes with no error signal: w_f <- w_f (1 - h), each time.

        Only the decay acts (no momentum term: training has stopped); slow weights
        are untouched.
        """
        factor = 1.0 - _check_fraction_below_one("h", fast_decay)
        fast = self.fast
        for _ in range(check_count("updates", updates, minimum=0)):
            np.multiply(fast, factor, out=fast)

    # ------------------------------------------------------------------ passes
    def _workspace(self, count: int) -> _Workspace:
        ws = self._workspaces.get(count)
        if ws is None:
            shape = (self.seeds, count, self.layout.n_hidden)
            ws = _Workspace(*(np.empty(shape, dtype=self.dtype) for _ in range(3)))
            self._workspaces[count] = ws
        return ws

    def _forward(self, cases: Cases) -> tuple[Array, Array]:
        """Hidden states (S, K, H) (a workspace buffer) and output states (S, K, m).

        Uses the effective weights in ``self._effective`` (filled by the caller).
        """
        hidden_w, output_w, output_b = self.layout.views(self._effective)
        np.negative(hidden_w, out=self._negated_hidden_weights)
        hidden = self._workspace(cases.count).hidden
        # logistic(z) = 1 / (1 + exp(-z)), with -z computed by the matmul itself
        np.matmul(cases.inputs, self._negated_hidden_weights, out=hidden)
        with np.errstate(over="ignore"):
            np.exp(hidden, out=hidden)
            hidden += 1
            np.reciprocal(hidden, out=hidden)
            net = np.matmul(hidden, output_w)
            net += output_b
            np.negative(net, out=net)
            np.exp(net, out=net)
            net += 1
            np.reciprocal(net, out=net)
        return hidden, net

    def outputs(self, cases: Cases) -> Array:
        """Output states y (S, K, m) with the effective weights w_s + w_f (a new array)."""
        np.add(self.slow, self.fast, out=self._effective)
        return self._forward(cases)[1]

    def gradient(
        self, cases: Cases, error_factor: float = 0.5, error_function: str = "squared"
    ) -> tuple[Array, Array]:
        """dE/dw (S, P) at the effective weights, and the outputs y (S, K, m).

        ``error_function="squared"``: E = c Σ_cases Σ_units (y - t)², c = ``error_factor``,
        so an output unit's dE/dnet = 2c (y - t) y (1 - y).

        ``"cross-entropy"``: E = 2c Σ_cases Σ_units -[t ln y + (1 - t) ln(1 - y)], so
        dE/dnet = 2c (y - t): the factor 2c makes it the squared error's derivative
        without the logistic's slope y (1 - y) (at c = ½ both are "(y - t) times
        something"; the cross-entropy does not vanish at a saturated wrong output).

        The returned gradient is an internal buffer, overwritten by the next call.
        """
        squared = check_choice("error_function", error_function, ERROR_FUNCTIONS) == "squared"
        np.add(self.slow, self.fast, out=self._effective)
        hidden, outputs = self._forward(cases)
        ws = self._workspace(cases.count)
        grad_hidden_w, grad_output_w, grad_output_b = self.layout.views(self._gradient)
        _, output_w, _ = self.layout.views(self._effective)
        # output deltas: dE/dnet = 2c (y - t) y (1 - y), or 2c (y - t) (cross-entropy)
        delta = outputs - cases.targets
        if squared:
            delta *= outputs
            delta *= 1 - outputs
        delta *= 2.0 * error_factor
        np.matmul(hidden.transpose(0, 2, 1), delta, out=grad_output_w)
        np.sum(delta, axis=1, keepdims=True, out=grad_output_b)
        # hidden deltas: (delta W2^T) h (1 - h)
        back = np.matmul(delta, output_w.transpose(0, 2, 1), out=ws.back)
        back *= hidden
        np.subtract(1, hidden, out=ws.scratch)
        back *= ws.scratch
        np.matmul(cases.inputs.transpose(0, 2, 1), back, out=grad_hidden_w)
        return self._gradient, outputs

    # ------------------------------------------------------------------ weight changes
    def _rates(self, learning: FastSlowLearning) -> _Rates:
        shape = (2, 1, 1)
        momentum = [learning.slow_momentum, learning.fast_momentum]
        epsilon = [learning.slow_epsilon, learning.fast_epsilon]
        return _Rates(
            np.array(momentum, dtype=self.dtype).reshape(shape),
            np.array(epsilon, dtype=self.dtype).reshape(shape),
            self.dtype.type(1.0 - learning.fast_decay),
        )

    def _change(self, grad: Array, rates: _Rates, permanent: bool, decay: bool) -> None:
        """One weight change with gradient ``grad`` (S, P), both weights at once:
        Δ <- α Δ - ε g (slow and fast), then w_s += Δ_s and w_f <- (w_f + Δ_f)(1 - h)
        (no (1 - h) unless ``decay``), or with ``permanent`` w_s += Δ_s + Δ_f."""
        velocities, step, weights = self._velocities, self._step, self._weights
        np.multiply(velocities, rates.momentum, out=velocities)
        np.multiply(rates.epsilon, grad, out=step)
        np.subtract(velocities, step, out=velocities)
        if permanent:
            slow = weights[0]
            np.add(slow, velocities[0], out=slow)
            np.add(slow, velocities[1], out=slow)
        else:
            np.add(weights, velocities, out=weights)
            if decay:
                fast = weights[1]
                np.multiply(fast, rates.keep, out=fast)

    def train_sweep(
        self, cases: Cases, learning: FastSlowLearning, permanent: bool = False
    ) -> Array:
        """One sweep through ``cases`` and one weight change; returns y before the change.

        ``permanent=True`` is the control without fast weights: both weight changes
        (Δ_s with ε_s, α_s and Δ_f with ε_f, α_f) are added to the slow weights, the
        fast weights stay as they are and nothing decays.
        """
        grad, outputs = self.gradient(cases, learning.error_factor, learning.error_function)
        self._change(grad, self._rates(learning), permanent, decay=True)
        return outputs

    def _case_workspace(self, count: int) -> _CaseWorkspace:
        ws = self._case_workspaces.get(count)
        if ws is None:
            s, n1 = self.seeds, self.layout.n_input + 1
            h, m = self.layout.n_hidden, self.layout.n_output
            shapes = [(count, s, 1, n1)] * 2 + [(count, s, 1, m)] + [(s, 1, h)] * 3
            shapes += [(s, 1, m)] * 2
            ws = _CaseWorkspace(*(np.empty(shape, dtype=self.dtype) for shape in shapes))
            self._case_workspaces[count] = ws
        return ws

    def train_cases(
        self,
        cases: Cases,
        order: npt.NDArray[np.integer[Any]],
        learning: FastSlowLearning,
        permanent: bool = False,
        decay_every_change: bool = True,
    ) -> Array:
        """One sweep of per-case (on-line) weight changes; returns y (S, K, m) at the
        weights before the sweep (what :meth:`train_sweep` returns).

        ``order`` (S, K): a permutation of the K cases per seed. For j = 0 .. K - 1,
        seed s's case ``order[s, j]`` alone gives the gradient g of its own error
        (:meth:`gradient` with one case) and one weight change, as in
        :meth:`train_sweep` (momentum acts per change). With ``decay_every_change=False``
        the fast weights shrink by (1 - h) only after the sweep's last change. With no
        cases nothing changes (a batch sweep would still apply momentum and decay).

        The changes run in the compiled kernel :func:`simulation._case_kernel.per_case_sweep`
        (one pass over a seed's weights per change; each seed alone, so the numbers do not
        depend on which seeds share the batch).
        """
        k = cases.count
        if order.shape != (self.seeds, k):
            raise ParameterError("order", f"an array of shape ({self.seeds}, {k})", order.shape)
        before = self.outputs(cases)
        if k == 0:
            return before
        squared = (
            check_choice("error_function", learning.error_function, ERROR_FUNCTIONS) == "squared"
        )
        from ._case_kernel import constants, per_case_sweep

        dtype = self.dtype
        consts = constants(
            dtype,
            learning.slow_momentum,
            learning.fast_momentum,
            learning.slow_epsilon,
            learning.fast_epsilon,
            float(dtype.type(1.0 - learning.fast_decay)),
            2.0 * learning.error_factor,
        )
        per_case_sweep(
            self._weights,
            self._velocities,
            cases.inputs,
            cases.targets,
            np.ascontiguousarray(order, dtype=np.int64),
            consts,
            self.layout.n_hidden,
            squared,
            permanent,
            decay_every_change,
        )
        return before

    def _train_cases_numpy(
        self,
        cases: Cases,
        order: npt.NDArray[np.integer[Any]],
        learning: FastSlowLearning,
        permanent: bool = False,
        decay_every_change: bool = True,
    ) -> Array:
        """:meth:`train_cases` written with numpy calls, a dozen per weight change (the
        engine before issue 20, kept for ``benchmarks/bench_deblur.py``'s before/after and
        the tests). The same numbers up to the order of the matrix products' sums and the
        exp's last bit (numpy's exp and BLAS here, :mod:`simulation._case_kernel` there).

        ``order`` (S, K): a permutation of the K cases per seed. For j = 0 .. K - 1,
        seed s's case ``order[s, j]`` alone gives the gradient g of its own error
        (:meth:`gradient` with one case) and one weight change, as in
        :meth:`train_sweep` (momentum acts per change). With ``decay_every_change=False``
        the fast weights shrink by (1 - h) only after the sweep's last change. With no
        cases nothing changes (a batch sweep would still apply momentum and decay).
        """
        k = cases.count
        if order.shape != (self.seeds, k):
            raise ParameterError("order", f"an array of shape ({self.seeds}, {k})", order.shape)
        before = self.outputs(cases)
        if k == 0:
            return before
        squared = (
            check_choice("error_function", learning.error_function, ERROR_FUNCTIONS) == "squared"
        )
        ws = self._case_workspace(k)
        rows = np.arange(self.seeds)[:, None]
        ws.inputs[:, :, 0, :] = cases.inputs[rows, order].transpose(1, 0, 2)
        np.negative(ws.inputs, out=ws.negated)
        ws.targets[:, :, 0, :] = cases.targets[rows, order].transpose(1, 0, 2)
        inputs_t = ws.inputs.transpose(0, 1, 3, 2)  # (K, S, n + 1, 1)
        rates = self._rates(learning)
        scale = 2.0 * learning.error_factor
        slow, fast = self._weights
        effective, grad = self._effective, self._gradient
        hidden_w, output_w, output_b = self.layout.views(effective)
        output_w_t = output_w.transpose(0, 2, 1)
        grad_hidden_w, grad_output_w, grad_output_b = self.layout.views(grad)
        hidden, slope, back = ws.hidden, ws.slope, ws.back
        hidden_row = hidden[:, 0, :]
        y, scratch = ws.outputs, ws.scratch
        delta = grad_output_b  # (S, 1, m): dE/dnet of the outputs is their biases' gradient
        delta_row = delta[:, 0, :]
        last = k - 1
        with np.errstate(over="ignore"):
            for j in range(k):
                np.add(slow, fast, out=effective)
                # forward, one case per seed: logistic(z) = 1 / (1 + exp(-z))
                np.matmul(ws.negated[j], hidden_w, out=hidden)
                np.exp(hidden, out=hidden)
                np.add(hidden, 1, out=hidden)
                np.reciprocal(hidden, out=hidden)
                np.matmul(hidden, output_w, out=y)
                np.add(y, output_b, out=y)
                np.negative(y, out=y)
                np.exp(y, out=y)
                np.add(y, 1, out=y)
                np.reciprocal(y, out=y)
                # backward: the same deltas as gradient(), written straight into the
                # output biases' gradient; outer products for one case (einsum is ~2x
                # faster than a broadcast multiply with its 10-long inner loop)
                np.subtract(y, ws.targets[j], out=delta)
                if squared:
                    np.multiply(delta, y, out=delta)
                    np.subtract(1, y, out=scratch)
                    np.multiply(delta, scratch, out=delta)
                if scale != 1.0:
                    np.multiply(delta, scale, out=delta)
                np.einsum("si,sk->sik", hidden_row, delta_row, out=grad_output_w)
                np.matmul(delta, output_w_t, out=back)
                np.multiply(back, hidden, out=back)
                np.subtract(1, hidden, out=slope)
                np.multiply(back, slope, out=back)
                np.multiply(inputs_t[j], back, out=grad_hidden_w)
                self._change(grad, rates, permanent, decay_every_change or j == last)
        return before
