"""A layered logistic network with a slow and a fast weight on every connection (Sec. 3).

Hinton & Plaut (1987), Sec. 3: every connection and bias has a slow weight ``w_s``
and a fast weight ``w_f``; the effective weight is ``w = w_s + w_f``. Both receive
the same error derivative ``g = dE/dw`` (back-propagation on the summed squared
error ``E = c * sum_cases sum_units (y - t)^2``), each is changed with its own
learning rate ε and momentum α, and after every weight change each fast weight
shrinks by the fraction h::

    Δ_s <- α_s Δ_s - ε_s g;   w_s <- w_s + Δ_s
    Δ_f <- α_f Δ_f - ε_f g;   w_f <- (w_f + Δ_f) (1 - h)

Weights change once per sweep through the training set (full batch).

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
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_count, check_positive, check_real

__all__ = [
    "DTYPES",
    "Cases",
    "FastSlowLearning",
    "FastSlowNetwork",
    "NetworkLayout",
]

Array = npt.NDArray[Any]

DTYPES = ("float32", "float64")


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
    """

    slow_epsilon: float = 0.02
    slow_momentum: float = 0.9
    fast_epsilon: float = 0.02
    fast_momentum: float = 0.0
    fast_decay: float = 0.01
    error_factor: float = 0.5

    def __post_init__(self) -> None:
        check_positive("slow_epsilon", self.slow_epsilon, allow_zero=True)
        check_positive("fast_epsilon", self.fast_epsilon, allow_zero=True)
        _check_fraction_below_one("slow_momentum", self.slow_momentum)
        _check_fraction_below_one("fast_momentum", self.fast_momentum)
        _check_fraction_below_one("h", self.fast_decay)
        check_positive("error_factor", self.error_factor)


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


class FastSlowNetwork:
    """S independent fast/slow-weight networks of the same layout.

    ``slow``, ``fast`` (S, P): the two weights of every connection and bias;
    ``slow_velocity``, ``fast_velocity`` (S, P): their last weight changes Δ_s, Δ_f
    (the momentum terms). Fast weights and velocities default to zero. The dtype
    of ``slow`` (float32 or float64) is the dtype of every computation.
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
        self.slow: Array = np.array(slow, order="C")
        self.fast: Array = self._state(fast)
        self.slow_velocity: Array = self._state(slow_velocity)
        self.fast_velocity: Array = self._state(fast_velocity)
        self._effective = np.empty_like(self.slow)
        self._gradient = np.empty_like(self.slow)
        self._step = np.empty_like(self.slow)
        shape = (self.seeds, layout.n_input + 1, layout.n_hidden)
        self._negated_hidden_weights = np.empty(shape, dtype=self.dtype)
        self._workspaces: dict[int, _Workspace] = {}

    def _state(self, value: Array | None) -> Array:
        if value is None:
            return np.zeros_like(self.slow)
        if value.shape != self.slow.shape:
            raise ParameterError("fast", f"an array of shape {self.slow.shape}", value.shape)
        return np.array(value, dtype=self.dtype, order="C")

    @property
    def seeds(self) -> int:
        """S, the number of networks."""
        return int(self.slow.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.slow.dtype

    def copy(self) -> FastSlowNetwork:
        """An independent copy (weights and velocities)."""
        return FastSlowNetwork(
            self.layout,
            self.slow.copy(),
            self.fast.copy(),
            self.slow_velocity.copy(),
            self.fast_velocity.copy(),
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
        self.slow_velocity[...] = 0
        self.fast_velocity[...] = 0

    def fold_fast_into_slow(self) -> None:
        """w_s <- w_s + w_f, w_f <- 0: the same effective weights, all of them slow."""
        self.slow += self.fast
        self.fast[...] = 0
        self.fast_velocity[...] = 0

    def decay_fast(self, fast_decay: float, updates: int = 1) -> None:
        """``updates`` weight changes with no error signal: w_f <- w_f (1 - h), each time.

        Only the decay acts (no momentum term: training has stopped); slow weights
        are untouched.
        """
        factor = 1.0 - _check_fraction_below_one("h", fast_decay)
        for _ in range(check_count("updates", updates, minimum=0)):
            np.multiply(self.fast, factor, out=self.fast)

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
        """Output states y (S, K, m) with the effective weights w_s + w_f."""
        np.add(self.slow, self.fast, out=self._effective)
        return self._forward(cases)[1]

    def gradient(self, cases: Cases, error_factor: float = 0.5) -> tuple[Array, Array]:
        """dE/dw (S, P) at the effective weights, and the outputs y (S, K, m).

        E = c * sum over cases and output units of (y - t)^2 with c = ``error_factor``.
        The returned gradient is an internal buffer, overwritten by the next call.
        """
        np.add(self.slow, self.fast, out=self._effective)
        hidden, outputs = self._forward(cases)
        ws = self._workspace(cases.count)
        grad_hidden_w, grad_output_w, grad_output_b = self.layout.views(self._gradient)
        _, output_w, _ = self.layout.views(self._effective)
        # output deltas: dE/dnet = 2c (y - t) y (1 - y)
        delta = outputs - cases.targets
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

    def train_sweep(
        self, cases: Cases, learning: FastSlowLearning, permanent: bool = False
    ) -> Array:
        """One sweep through ``cases`` and one weight change; returns y before the change.

        ``permanent=True`` is the control without fast weights: both weight changes
        (Δ_s with ε_s, α_s and Δ_f with ε_f, α_f) are added to the slow weights, the
        fast weights stay as they are and nothing decays.
        """
        grad, outputs = self.gradient(cases, learning.error_factor)
        step = self._step
        # slow: Δ_s <- α_s Δ_s - ε_s g ; w_s += Δ_s
        np.multiply(self.slow_velocity, learning.slow_momentum, out=self.slow_velocity)
        np.multiply(grad, learning.slow_epsilon, out=step)
        self.slow_velocity -= step
        self.slow += self.slow_velocity
        # fast: Δ_f <- α_f Δ_f - ε_f g ; w_f <- (w_f + Δ_f)(1 - h)
        np.multiply(self.fast_velocity, learning.fast_momentum, out=self.fast_velocity)
        np.multiply(grad, learning.fast_epsilon, out=step)
        self.fast_velocity -= step
        if permanent:
            self.slow += self.fast_velocity
        else:
            self.fast += self.fast_velocity
            np.multiply(self.fast, 1.0 - learning.fast_decay, out=self.fast)
        return outputs
