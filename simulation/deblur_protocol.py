"""The deblurring experiment of Sec. 4, run for many seeds at once.

Protocol (Hinton & Plaut 1987, Sec. 4; the paper's values are the defaults, the
choices it leaves open are marked *assumed* and listed in ``docs/deblur.md``):

1. *Original learning.* K = 100 distinct input vectors drawn without replacement
   from the 2^n binary vectors (n = 10), each with a random 10-bit target; a
   10-100-10 logistic network with biases, slow weights uniform on
   [-init_scale, init_scale] (*assumed* 0.5), fast weights 0; 1300 full-batch sweeps
   with ε_s = .02, α_s = .9, h = .01 and (*assumed*) ε_f, α_f.
2. *Blurring.* 5 new random associations (inputs distinct from the old ones,
   *assumed*), 400 sweeps without rehearsal of the old.
3. *Retraining* on the first ``round(F K)`` old associations of a random order
   (so the 10 % subset lies inside the 50 % subset) for 20 sweeps; after each
   sweep the error on the retrained and the unretrained old associations, and on
   the 5 new ones, is measured.
4. *Decay.* Training stops; the fast weights shrink by (1 - h) per update with
   no error signal, and the new associations are measured again at the limit
   (fast weights 0, *assumed* default) or after ``decay_updates`` updates.

Momentum terms are reset at the start of each phase (*assumed*). The error of a
case is the average error of an output unit, mean_j |y_j - t_j| (Fig. 2's axis,
*assumed* absolute; ``error_measure="squared"`` gives mean_j (y_j - t_j)^2).

Choices the paper leaves open or states otherwise, each a field of
:class:`DeblurSettings` (defaults = the paper's text or the assumption above):

* ``updates``: ``"batch"`` (one weight change per sweep, the gradient summed over the
  sweep's cases: the paper's "changing the weights after each sweep") or ``"per-case"``
  (one change per case, in a fresh random order per sweep; in every phase).
* ``error_function``: ``"squared"`` (the paper's) or ``"cross-entropy"``
  (:meth:`FastSlowNetwork.gradient`).
* ``targets``: (LOW, HIGH), the values a target bit maps to (default (0, 1)).
* ``fast_phases``: ``"all"`` or ``"retraining"`` (the fast weights learn only while
  retraining; before, they decay and stay 0).
* ``decay_per``: ``"update"`` (w_f shrinks by (1 - h) after every weight change) or
  ``"sweep"`` (once per sweep: the same in batch mode, fewer shrinks per case).

The control (``fast_weights=False``) is identical up to retraining; then the
fast weights are folded into the slow ones and every retraining weight change
goes into the slow weights (with the same ε and α as the fast condition's slow
+ fast changes, ``control_rule="matched"``, or with ε_s, α_s alone,
``control_rule="slow"``), so nothing decays.

Randomness: ``SeedSequence(seed).spawn(S)``; seed i's problem, initial weights
and retraining order come from child i alone, and every array operation acts on
each seed's slice alone, so seed i's numbers are bit-for-bit the same whether it
runs alone, in a batch of 100, in any chunk size or thread. With per-case updates
the case orders come from other streams of child i (:func:`case_order_seed`), so
the problem, the initial weights and the retraining subset stay those of batch mode.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from foundation.settings import (
    Choice,
    Integer,
    Optional,
    Real,
    RealPair,
    Settings,
    parameter,
)

from ._validate import ParameterError
from .associations import Associations
from .deblur_associations import input_codes, place
from .deblur_capture import first_order_rates, retrained_count
from .fastslow import (
    DTYPES,
    ERROR_FUNCTIONS,
    Cases,
    FastSlowLearning,
    FastSlowNetwork,
    NetworkLayout,
)

__all__ = [
    "CONTROL_RULES",
    "DECAY_CHECKPOINTS",
    "DECAY_SCHEDULES",
    "ERROR_FUNCTIONS",
    "ERROR_MEASURES",
    "FAST_PHASES",
    "MAGNITUDE_HEADROOM",
    "SCALING_FIELDS",
    "UPDATE_SCHEDULES",
    "DeblurCondition",
    "DeblurSeeds",
    "DeblurSettings",
    "case_order_seed",
    "check_seeds",
    "check_targets",
    "default_threads",
    "largest_magnitude",
    "retrained_count",
    "seeds_per_chunk",
    "simulate_deblur",
    "spawn_seeds",
]

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]

#: Decay updates (with no error signal) after which the new associations are measured.
DECAY_CHECKPOINTS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)

#: Largest finite ``decay_updates`` (0.99^100000 is 1e-437: far past the limit anyway).
MAX_DECAY_UPDATES = 100_000

ERROR_MEASURES = ("absolute", "squared")
CONTROL_RULES = ("matched", "slow")
UPDATE_SCHEDULES = ("batch", "per-case")
FAST_PHASES = ("all", "retraining")
DECAY_SCHEDULES = ("update", "sweep")

#: Phases whose case orders (per-case updates) come from their own stream.
ORIGINAL_PHASE, NEW_PHASE, RETRAINING_PHASE = 0, 1, 2

TARGETS = RealPair(0.0, 1.0)
"""What ``targets`` accepts: LOW < HIGH in [0, 1], a pair or a ``"LOW,HIGH"`` string."""


def check_targets(value: object) -> tuple[float, float]:
    """(LOW, HIGH) from a pair of numbers or a ``"LOW,HIGH"`` string (as the command line
    and sweeps pass it); :class:`ParameterError` naming ``targets`` otherwise."""
    return TARGETS.check("targets", value)


SCALING_FIELDS = ("error_factor", "init_scale", "slow_epsilon", "fast_epsilon")
"""The settings with no upper bound of their own whose size scales every weight and
gradient: their bound is a relation with the others (:func:`largest_magnitude`)."""

MAGNITUDE_HEADROOM = 16.0
"""The worst-case magnitude must stay below the dtype's largest number divided by this:
room for the sums of slow and fast weights, momenta and a few temporaries."""

_MAGNITUDE_FIELDS = (
    *SCALING_FIELDS,
    *("slow_momentum", "fast_momentum", "associations", "new_associations"),
    *("n_input", "n_hidden", "n_output", "original_sweeps", "new_sweeps", "retrain_sweeps"),
    "error_function",
)


def largest_magnitude(
    *,
    error_factor: float,
    init_scale: float,
    slow_epsilon: float,
    fast_epsilon: float,
    slow_momentum: float,
    fast_momentum: float,
    associations: int,
    new_associations: int,
    n_input: int,
    n_hidden: int,
    n_output: int,
    original_sweeps: int,
    new_sweeps: int,
    retrain_sweeps: int,
    error_function: str,
    input_scale: float = 1.0,
) -> float:
    """A worst-case bound on every weight, net input and gradient of the experiment.

    Inputs lie in [-X, X] (``input_scale`` X >= 1; the paper's are 0/1, X = 1) and
    activations in [0, 1]; an output unit's error derivative is at most
    ``d`` = C/2 (squared error: 2C |y - t| y(1 - y) <= 2C / 4) or 2C (cross-entropy). Over
    the ``T`` sweeps of all phases, with ``c`` = K + K_new cases, learning rate ε (the larger
    of slow and fast) and momentum α (the larger), a weight moves by at most ε g / (1 - α)
    per sweep where ``g`` bounds its gradient. So an output weight stays below
    ``W_out`` = R + T ε d c / (1 - α); a hidden unit's back-propagated error below
    ``n_out d W_out / 4``, its gradient below ``c X`` times that, an input weight below
    ``W_in`` = R + T ε c X n_out d W_out / (4 (1 - α)). The result is the largest of these
    gradients and the net inputs (n X + 1) W_in, (H + 1) W_out. Python floats: an
    overflow is ``inf``.
    """
    cases = associations + new_associations
    sweeps = original_sweeps + new_sweeps + retrain_sweeps
    rate = max(slow_epsilon, fast_epsilon)
    persistence = 1.0 / (1.0 - max(slow_momentum, fast_momentum))
    slope = 2.0 * error_factor if error_function == "cross-entropy" else error_factor / 2.0
    output_gradient = slope * cases
    w_out = init_scale + sweeps * rate * persistence * output_gradient
    hidden_gradient = cases * n_output * slope * w_out / 4.0 * input_scale
    w_in = init_scale + sweeps * rate * persistence * hidden_gradient
    net_in = (n_input * input_scale + 1) * w_in
    return max(output_gradient, hidden_gradient, net_in, (n_hidden + 1) * w_out)


_MOMENTUM = Real(0.0, 1.0, low_closed=True, high_closed=False)
_RATE = Real(0.0, low_closed=True)


@dataclass(frozen=True, kw_only=True)
class DeblurSettings(Settings):
    """Every parameter of the experiment; defaults are the paper's values or documented
    assumptions (``docs/deblur.md``); each declared once (``foundation.settings``: its
    check, its ``simulate deblur`` option and its row in ``docs/usage.md``).

    ``updates``, ``error_function``, ``targets``, ``fast_phases``, ``decay_per``: the
    modes of the module docstring. ``targets`` may also be given as a list or a
    ``"LOW,HIGH"`` string; it is stored as a tuple of two floats.

    Execution-only fields (``chunk_size``; ``threads``, ``None`` = the usable cores, at
    most 2) never change a number. The fields are checked in :attr:`check_order` (the
    order the checks have always run in); the field order is that of the JSON record.
    """

    associations: int = parameter(100, Integer(1), "old associations (paper: 100)", metavar="K")
    new_associations: int = parameter(
        5, Integer(1), "new associations that blur the old (paper: 5)", metavar="K"
    )
    n_input: int = parameter(
        10, Integer(1, 62), "input units, at most 62 (64-bit codes; paper: 10)", metavar="N"
    )
    n_hidden: int = parameter(100, Integer(1), "hidden units (paper: 100)", metavar="H")
    n_output: int = parameter(10, Integer(1), "output units (paper: 10)", metavar="M")
    original_sweeps: int = parameter(
        1300, Integer(0), "sweeps of original learning (paper: 1300)", metavar="T"
    )
    new_sweeps: int = parameter(
        400, Integer(0), "sweeps on the new associations (paper: 400)", metavar="T"
    )
    retrain_sweeps: int = parameter(
        20, Integer(0), "retraining sweeps recorded (paper: 20)", metavar="T"
    )
    slow_epsilon: float = parameter(
        0.02, _RATE, "slow weights' learning rate (paper: 0.02)", metavar="EPS"
    )
    slow_momentum: float = parameter(
        0.9, _MOMENTUM, "slow weights' momentum (paper: 0.9)", metavar="ALPHA"
    )
    fast_epsilon: float = parameter(
        0.02, _RATE, "fast weights' learning rate (assumed default 0.02)", metavar="EPS"
    )
    fast_momentum: float = parameter(
        0.0, _MOMENTUM, "fast weights' momentum (assumed default 0)", metavar="ALPHA"
    )
    h: float = parameter(
        0.01,
        _MOMENTUM,
        "fraction each fast weight loses per update, in [0, 1) (paper: 0.01)",
        metavar="H",
    )
    error_factor: float = parameter(
        0.5, Real(0.0), "E = C sum (y - t)^2 (assumed 0.5, Rumelhart et al.)", metavar="C"
    )
    init_scale: float = parameter(
        0.5, Real(0.0), "initial slow weights uniform on [-R, R] (assumed 0.5)", metavar="R"
    )
    error_measure: str = parameter(
        "absolute",
        Choice(ERROR_MEASURES),
        "error of a case: mean over output units of |y - t| (absolute, default) "
        "or of (y - t)^2 (squared)",
    )
    strict_tolerance: float = parameter(
        0.1, Real(0.0, 1.0), "max |y - t| of the strict learned criterion (0.1)", metavar="TOL"
    )
    decay_updates: int | None = parameter(
        None,
        Optional(Integer(0, MAX_DECAY_UPDATES), none="decay to 0"),
        "decay updates before the final measurement (default: to 0)",
        metavar="D",
    )
    control_rule: str = parameter(
        "matched",
        Choice(CONTROL_RULES),
        "control's retraining: slow + fast changes (matched, default) or slow only",
    )
    updates: str = parameter(
        "batch",
        Choice(UPDATE_SCHEDULES),
        "one weight change per sweep (batch, the paper's, default) or per case, "
        "in a fresh random order per sweep (per-case)",
    )
    error_function: str = parameter(
        "squared",
        Choice(ERROR_FUNCTIONS),
        "squared (the paper's, default) or cross-entropy (dE/dnet = 2C (y - t))",
    )
    targets: tuple[float, float] = parameter(
        (0.0, 1.0),
        TARGETS,
        "values of a target bit 0 and 1, 0 <= LOW < HIGH <= 1 (default 0,1; e.g. 0.1,0.9)",
        metavar="LOW,HIGH",
    )
    fast_phases: str = parameter(
        "all",
        Choice(FAST_PHASES),
        "fast weights learn in every phase (all, default) or only while retraining",
    )
    decay_per: str = parameter(
        "update",
        Choice(DECAY_SCHEDULES),
        "fast weights shrink by (1 - h) after every weight change (update, default) "
        "or once per sweep (the same with batch updates)",
    )
    dtype: str = parameter(
        "float32", Choice(DTYPES), "arithmetic of the networks: float32 (default) or float64"
    )
    chunk_size: int = parameter(
        25, Integer(1), "seeds per batched chunk (never changes a number)", metavar="C"
    )
    threads: int | None = parameter(
        None,
        Optional(Integer(1), none="the usable cores, at most 2"),
        "threads over chunks of seeds (never changes a number)",
        metavar="N",
    )

    check_order: ClassVar[tuple[str, ...] | None] = (
        *("associations", "new_associations", "n_input", "n_hidden", "n_output"),
        *("original_sweeps", "new_sweeps", "retrain_sweeps"),
        *("slow_epsilon", "fast_epsilon", "slow_momentum", "fast_momentum", "h"),
        *("error_factor", "error_function", "init_scale", "strict_tolerance"),
        *("error_measure", "control_rule", "updates", "targets", "fast_phases", "decay_per"),
        *("dtype", "decay_updates", "chunk_size", "threads"),
    )

    def check_after(self, name: str) -> None:
        """Once the sizes are checked: the K + K_new inputs must be distinct n-bit vectors;
        once ``dtype`` is: the arithmetic stays finite (:func:`largest_magnitude`)."""
        if name == "dtype":
            self._check_finite()
        if name == "retrain_sweeps":
            total = self.associations + self.new_associations
            if total > 2**self.n_input:
                raise ParameterError(
                    "associations",
                    f"associations + new_associations <= 2^n_input = {2**self.n_input}",
                    total,
                )

    def _check_finite(self) -> None:
        """Refuse values of :data:`SCALING_FIELDS` that could overflow the arithmetic.

        The value blamed is the one furthest above its default; the message gives the
        largest value of it :func:`largest_magnitude` allows with the other settings.
        """
        values = {name: getattr(self, name) for name in _MAGNITUDE_FIELDS}
        ceiling = float(np.finfo(np.dtype(self.dtype)).max) / MAGNITUDE_HEADROOM
        if largest_magnitude(**values) <= ceiling:
            return
        defaults = {item.name: item.default for item in fields(self)}

        def excess(name: str) -> float:
            return math.log(max(values[name], 1e-300) / defaults[name])

        blamed = max(SCALING_FIELDS, key=excess)
        low, high = -690.0, math.log(values[blamed])  # exp(-690): about 1e-300
        for _ in range(80):  # the largest value of `blamed` that stays finite (bisection)
            middle = (low + high) / 2
            if largest_magnitude(**{**values, blamed: math.exp(middle)}) <= ceiling:
                low = middle
            else:
                high = middle
        raise ParameterError(
            blamed,
            f"a value for which {self.dtype} arithmetic stays finite: at most "
            f"{math.exp(low):.3g} with the other settings (weights, net inputs and "
            f"gradients can reach about {largest_magnitude(**values):.3g}, beyond "
            f"{self.dtype}'s {ceiling * MAGNITUDE_HEADROOM:.3g}/{MAGNITUDE_HEADROOM:g})",
            values[blamed],
        )

    def check_input_scale(self, scale: float) -> None:
        """Refuse (naming ``inputs``) input vectors whose largest |x| (``scale`` =
        max(1, max |x|)) could overflow the arithmetic with these settings."""
        if scale <= 1.0:
            return
        values = {name: getattr(self, name) for name in _MAGNITUDE_FIELDS}
        ceiling = float(np.finfo(np.dtype(self.dtype)).max) / MAGNITUDE_HEADROOM
        reach = largest_magnitude(**values, input_scale=scale)
        if reach > ceiling:
            raise ParameterError(
                "inputs",
                f"entries small enough for {self.dtype} arithmetic to stay finite with these "
                f"settings (weights, net inputs and gradients can reach about {reach:.3g})",
                f"max |x| = {scale:.3g}",
            )

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> DeblurSettings:
        """Build from keyword parameters; an unknown name is a :class:`ParameterError`."""
        known = {f.name for f in fields(cls)}
        for name in params:
            if name not in known:
                raise ParameterError(name, "a parameter of " + ", ".join(sorted(known)), name)
        return cls(**params)

    @property
    def layout(self) -> NetworkLayout:
        return NetworkLayout(self.n_input, self.n_hidden, self.n_output)

    def learning(self) -> FastSlowLearning:
        """The weight-change parameters of Sec. 3 for this experiment."""
        return FastSlowLearning(
            slow_epsilon=self.slow_epsilon,
            slow_momentum=self.slow_momentum,
            fast_epsilon=self.fast_epsilon,
            fast_momentum=self.fast_momentum,
            fast_decay=self.h,
            error_factor=self.error_factor,
            error_function=self.error_function,
        )

    def scientific(self) -> dict[str, Any]:
        """The parameters that determine the numbers (execution fields left out)."""
        values = asdict(self)
        del values["chunk_size"], values["threads"]
        values["targets"] = list(self.targets)  # as JSON has it
        return values


@dataclass(frozen=True)
class DeblurCondition(Settings):
    """One retraining condition: the fraction F of old associations retrained, and
    whether fast weights are used (``False`` is the control)."""

    retrain_fraction: float = parameter(
        0.1,
        Real(0.0, 1.0, words="a fraction in (0, 1]"),
        "fraction of the old associations retrained, in (0, 1] (default 0.1)",
        metavar="F",
    )
    fast_weights: bool = True


@dataclass(frozen=True, kw_only=True)
class DeblurSeeds(Settings):
    """How many seeds S a run has and the root of their streams (checked ``seed`` first)."""

    seeds: int = parameter(100, Integer(1), "independent networks (default 100)", metavar="S")
    seed: int = parameter(0, Integer(0), "root seed of all streams (default 0)", metavar="X")

    check_order: ClassVar[tuple[str, ...] | None] = ("seed", "seeds")


# --------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class _Problems:
    inputs: FloatArray  # (S, K + K_new, n), old associations first
    targets: FloatArray  # (S, K + K_new, m)
    initial_weights: FloatArray  # (S, P)
    order: npt.NDArray[np.intp]  # (S, K): retraining order of the old associations


def _draw_problems(
    children: Sequence[np.random.SeedSequence],
    s: DeblurSettings,
    associations: Associations | None = None,
) -> _Problems:
    """Each seed's associations, initial weights and retraining order, from its own child.

    A target bit b becomes LOW + (HIGH - LOW) b (``s.targets``; b itself for (0, 1)).
    With ``associations`` (sizes already in ``s``), each seed draws the same as without
    and the user's associations replace the drawn ones (:func:`deblur_associations.place`).
    """
    total = s.associations + s.new_associations
    low, high = s.targets
    bit_values = 1 << np.arange(s.n_input - 1, -1, -1)
    taken = None if associations is None else input_codes(associations.inputs)
    inputs, targets, weights, orders = [], [], [], []
    for child in children:
        rng = np.random.default_rng(child)
        codes = rng.choice(2**s.n_input, size=total, replace=False)
        drawn_inputs = ((codes[:, None] & bit_values) > 0).astype(np.float64)
        bits = rng.integers(0, 2, size=(total, s.n_output)).astype(np.float64)
        drawn_targets = low + (high - low) * bits
        if associations is None or taken is None:
            inputs.append(drawn_inputs)
            targets.append(drawn_targets)
        else:
            x, t = place(associations, taken, codes, drawn_inputs, drawn_targets)
            inputs.append(x)
            targets.append(t)
        weights.append(rng.uniform(-s.init_scale, s.init_scale, size=s.layout.size))
        orders.append(rng.permutation(s.associations))
    return _Problems(np.stack(inputs), np.stack(targets), np.stack(weights), np.stack(orders))


# --------------------------------------------------------------------------- measuring
def _case_errors(outputs: Array, targets: FloatArray, measure: str) -> FloatArray:
    """Per-case error (S, K): mean over output units of |y - t| (or (y - t)^2)."""
    diff = outputs.astype(np.float64) - targets
    err = np.abs(diff) if measure == "absolute" else diff * diff
    result: FloatArray = err.mean(axis=2)
    return result


def _subset_means(errors: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
    """Mean of ``errors`` (S, K) over the cases where ``mask`` (S, K) is true; 0 if none."""
    count = mask.sum(axis=1)
    total = np.where(mask, errors, 0.0).sum(axis=1)
    result: FloatArray = total / np.maximum(count, 1)
    return result


def _right_side(outputs: FloatArray, targets: FloatArray, middle: float) -> npt.NDArray[np.bool_]:
    """Where y is strictly on t's side of ``middle`` = (LOW + HIGH) / 2 (never for NaN).

    With targets (0, 1) this is |y - t| < .5 exactly (the comparison's sign is exact).
    """
    result: npt.NDArray[np.bool_] = (outputs - middle) * (targets - middle) > 0
    return result


def _wrong_side(outputs: FloatArray, targets: FloatArray, middle: float) -> npt.NDArray[np.bool_]:
    """Where y is not strictly on t's side of ``middle`` (never for NaN, as |y - t| >= .5)."""
    result: npt.NDArray[np.bool_] = (outputs - middle) * (targets - middle) <= 0
    return result


def _weight_stats(net: FastSlowNetwork) -> dict[str, FloatArray]:
    fast = net.fast.astype(np.float64)
    slow = net.slow.astype(np.float64)
    return {
        "fast_max_abs": np.abs(fast).max(axis=1),
        "fast_rms": np.sqrt((fast * fast).mean(axis=1)),
        "slow_rms": np.sqrt((slow * slow).mean(axis=1)),
    }


# --------------------------------------------------------------------------- schedules
def case_order_seed(child: np.random.SeedSequence, phase: int) -> np.random.SeedSequence:
    """The stream of seed ``child``'s per-case orders in ``phase`` (0 original learning,
    1 new learning, 2 retraining).

    ``SeedSequence(child.entropy, spawn_key=child.spawn_key + (0, phase))``: what
    ``child.spawn(1)[0].spawn(3)[phase]`` returns for a child that has not spawned
    before, built without spawning (``spawn`` would change ``child``, and a child
    used twice would then get other orders). :func:`_draw_problems` draws from
    ``child`` itself, so the orders leave everything else about the seed unchanged.
    """
    return np.random.SeedSequence(
        child.entropy, spawn_key=(*child.spawn_key, 0, phase), pool_size=child.pool_size
    )


Orders = list[np.random.Generator] | None


def _case_orders(
    children: Sequence[np.random.SeedSequence], s: DeblurSettings, phase: int
) -> Orders:
    """Each seed's generator of case orders for ``phase`` (``None`` in batch mode)."""
    if s.updates == "batch":
        return None
    return [np.random.default_rng(case_order_seed(child, phase)) for child in children]


def _sweep(
    net: FastSlowNetwork,
    cases: Cases,
    learning: FastSlowLearning,
    s: DeblurSettings,
    orders: Orders,
    permanent: bool = False,
) -> Array:
    """One sweep through ``cases``; returns y (S, K, m) at the weights before it.

    Batch: one weight change (then the decay, whether per update or per sweep).
    Per case: a change per case, seed i's cases in the order ``permutation(K)`` drawn
    from its own generator, one permutation per sweep.
    """
    if orders is None:
        return net.train_sweep(cases, learning, permanent)
    order = np.stack([rng.permutation(cases.count) for rng in orders])
    every = s.decay_per == "update"
    return net.train_cases(cases, order, learning, permanent, decay_every_change=every)


# --------------------------------------------------------------------------- protocol
Progress = Callable[[int], None]


def _simulate_chunk(
    children: Sequence[np.random.SeedSequence],
    s: DeblurSettings,
    conditions: Sequence[DeblurCondition],
    progress: Progress,
    capture: bool = False,
    associations: Associations | None = None,
) -> dict[str, Any]:
    """Run the whole protocol for the seeds in ``children``; per-seed arrays.

    ``capture``: also return, in ``shared``, the blurred network's effective weights
    (``blurred_weights``, float64) and the problem (``inputs``, ``targets``, ``order``).
    ``associations``: the user's, in place of the drawn ones (:func:`_draw_problems`).
    """
    k = s.associations
    problems = _draw_problems(children, s, associations)
    dtype = np.dtype(s.dtype)
    net = FastSlowNetwork(s.layout, problems.initial_weights.astype(dtype))
    inputs, targets = problems.inputs, problems.targets
    old = net.cases(inputs[:, :k], targets[:, :k])
    new = net.cases(inputs[:, k:], targets[:, k:])
    every = net.cases(inputs, targets)
    learning = s.learning()
    # before retraining, with fast_phases="retraining", Δ_f = α_f Δ_f - 0 g stays 0
    early = replace(learning, fast_epsilon=0.0) if s.fast_phases == "retraining" else learning
    middle = 0.5 * (s.targets[0] + s.targets[1])

    def measure(network: FastSlowNetwork) -> FloatArray:
        return _case_errors(network.outputs(every), targets, s.error_measure)

    shared: dict[str, Any] = {}
    with np.errstate(over="ignore"):
        # 1. original learning
        orders = _case_orders(children, s, ORIGINAL_PHASE)
        curve = np.empty((len(children), s.original_sweeps))
        for i in range(s.original_sweeps):
            y = _sweep(net, old, early, s, orders)
            curve[:, i] = _case_errors(y, targets[:, :k], s.error_measure).mean(axis=1)
            progress(1)
        shared["original_curve"] = curve
        y_old = net.outputs(old).astype(np.float64)
        absdiff = np.abs(y_old - targets[:, :k])
        errors = measure(net)
        shared["old_error_after_training"] = errors[:, :k].mean(axis=1)
        shared["old_max_abs_error_after_training"] = absdiff.max(axis=(1, 2))
        right = _right_side(y_old, targets[:, :k], middle)
        shared["old_learned_after_training"] = right.all(axis=(1, 2))
        wrong = _wrong_side(y_old, targets[:, :k], middle)
        shared["old_wrong_fraction_after_training"] = wrong.mean(axis=(1, 2))
        shared["new_error_before_new_learning"] = errors[:, k:].mean(axis=1)
        for key, value in _weight_stats(net).items():
            shared[f"{key}_after_training"] = value

        # 2. blurring: new associations without rehearsal
        net.reset_velocities()
        orders = _case_orders(children, s, NEW_PHASE)
        curve = np.empty((len(children), s.new_sweeps))
        for i in range(s.new_sweeps):
            y = _sweep(net, new, early, s, orders)
            curve[:, i] = _case_errors(y, targets[:, k:], s.error_measure).mean(axis=1)
            progress(1)
        shared["new_curve"] = curve
        errors = measure(net)
        shared["old_error_after_blurring"] = errors[:, :k].mean(axis=1)
        shared["new_error_before_retraining"] = errors[:, k:].mean(axis=1)
        for key, value in _weight_stats(net).items():
            shared[f"{key}_after_new_learning"] = value
        if capture:
            shared["blurred_weights"] = net.effective_weights().astype(np.float64)
            shared["inputs"], shared["targets"] = inputs, targets
            shared["order"] = problems.order

        # 3-4. retraining and decay, per condition
        results = []
        for condition in conditions:
            branch = net.copy()
            orders = _case_orders(children, s, RETRAINING_PHASE)  # the same for every condition
            results.append(
                _retrain_and_decay(branch, problems, s, condition, orders, measure, progress)
            )
    return {"shared": shared, "conditions": results}


def _retrain_and_decay(
    net: FastSlowNetwork,
    problems: _Problems,
    s: DeblurSettings,
    condition: DeblurCondition,
    orders: Orders,
    measure: Callable[[FastSlowNetwork], FloatArray],
    progress: Progress,
) -> dict[str, FloatArray]:
    """Phases 3 and 4 on ``net`` (modified in place); ``measure(net)`` gives case errors,
    ``orders`` the per-case orders of the retrained cases (``None``: batch)."""
    k = s.associations
    count = retrained_count(condition.retrain_fraction, k)
    chosen = problems.order[:, :count]
    retrained = np.zeros((net.seeds, k), dtype=bool)
    np.put_along_axis(retrained, chosen, True, axis=1)
    unretrained = ~retrained
    gather = chosen[:, :, None]
    cases = net.cases(
        np.take_along_axis(problems.inputs[:, :k], gather, axis=1),
        np.take_along_axis(problems.targets[:, :k], gather, axis=1),
    )
    learning = s.learning()
    rates = first_order_rates(
        net, cases, problems.inputs[:, :k], problems.targets[:, :k], s.error_measure,
        learning.error_factor, learning.error_function,
    )  # fmt: skip
    permanent = not condition.fast_weights
    if permanent:
        net.fold_fast_into_slow()
        if s.control_rule == "slow":
            learning = replace(learning, fast_epsilon=0.0)
    net.reset_velocities()

    def record(errors: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        old = errors[:, :k]
        return (
            _subset_means(old, retrained),
            _subset_means(old, unretrained),
            errors[:, k:].mean(axis=1),
        )

    sweeps = s.retrain_sweeps + 1
    out = {name: np.empty((net.seeds, sweeps)) for name in ("retrained", "unretrained", "new")}
    # the first-order prediction of the first sweep, at the blurred weights (deblur_capture)
    out["first_order_retrained"] = _subset_means(rates, retrained)
    out["first_order_unretrained"] = _subset_means(rates, unretrained)
    for i in range(sweeps):
        if i > 0:
            _sweep(net, cases, learning, s, orders, permanent=permanent)
            progress(1)
        out["retrained"][:, i], out["unretrained"][:, i], out["new"][:, i] = record(measure(net))
    for key, value in _weight_stats(net).items():
        out[f"{key}_after_retraining"] = value

    # 4. decay with no error signal
    checkpoints = len(DECAY_CHECKPOINTS)
    for name in ("retrained", "unretrained", "new"):
        out[f"decay_{name}"] = np.empty((net.seeds, checkpoints))
    done = 0
    fast_at_end = net.fast.copy()
    for j, updates in enumerate(DECAY_CHECKPOINTS):
        net.decay_fast(s.h, updates - done)
        done = updates
        values = record(measure(net))
        for name, value in zip(("retrained", "unretrained", "new"), values, strict=True):
            out[f"decay_{name}"][:, j] = value
    net.fast[...] = fast_at_end
    if s.decay_updates is None:
        net.fast[...] = 0
    else:
        net.decay_fast(s.h, s.decay_updates)
    values = record(measure(net))
    for name, value in zip(("retrained", "unretrained", "new"), values, strict=True):
        out[f"after_decay_{name}"] = value
    return out


def _concatenate(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    shared = {key: np.concatenate([p["shared"][key] for p in parts]) for key in parts[0]["shared"]}
    conditions = [
        {key: np.concatenate([p["conditions"][c][key] for p in parts]) for key in cond}
        for c, cond in enumerate(parts[0]["conditions"])
    ]
    return {"shared": shared, "conditions": conditions}


def simulate_deblur(
    children: Sequence[np.random.SeedSequence],
    settings: DeblurSettings,
    conditions: Sequence[DeblurCondition],
    progress: Progress | None = None,
    capture: bool = False,
    associations: Associations | None = None,
) -> dict[str, Any]:
    """Per-seed measurements of the whole protocol for the seeds ``children``.

    Phases 1-2 run once; each condition branches from the same blurred network.
    Returns ``{"shared": {name: (S, ...)}, "conditions": [{name: (S, ...)}, ...]}``.
    Seeds are processed in chunks of ``settings.chunk_size`` on ``settings.threads``
    threads; neither changes any number. ``capture``: add the blurred networks to
    ``shared`` (:func:`_simulate_chunk`). ``associations``: the user's old (and new)
    associations in place of the drawn ones, sizes already in ``settings``.
    """
    if not children:
        raise ParameterError("seeds", "an integer >= 1", 0)
    report: Progress = progress if progress is not None else (lambda _n: None)
    size = seeds_per_chunk(settings, len(children))
    wanted = settings.threads or default_threads()
    chunks = [children[i : i + size] for i in range(0, len(children), size)]

    def work(chunk: Sequence[np.random.SeedSequence]) -> dict[str, Any]:
        return _simulate_chunk(chunk, settings, conditions, report, capture, associations)

    threads = min(wanted, len(chunks))
    if threads == 1:
        parts = [work(chunk) for chunk in chunks]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(work, chunks))
    return _concatenate(parts)


def seeds_per_chunk(settings: DeblurSettings, seeds: int) -> int:
    """The seeds of one chunk: ``chunk_size``; with per-case updates on more than one
    thread at most ceil(S / threads), so that S seeds that fit one chunk still use every
    thread (the compiled per-case kernel holds no GIL and costs ~0.4 s per seed). Never
    changes a number."""
    wanted = settings.threads or default_threads()
    if settings.updates == "per-case" and wanted > 1:
        return max(1, min(settings.chunk_size, -(-seeds // wanted)))
    return settings.chunk_size


def check_seeds(seed: object, seeds: object) -> tuple[int, int]:
    """The root ``seed`` (an integer >= 0) and the number of ``seeds`` S (>= 1)
    (:class:`DeblurSeeds`)."""
    checked = DeblurSeeds(seeds=seeds, seed=seed)  # type: ignore[arg-type]
    return checked.seed, checked.seeds


def spawn_seeds(seed: int, seeds: int) -> list[np.random.SeedSequence]:
    """``SeedSequence(seed).spawn(seeds)``: child i is the same whatever ``seeds`` is."""
    root_seed, count = check_seeds(seed, seeds)
    return np.random.SeedSequence(root_seed).spawn(count)


def default_threads() -> int:
    """Threads to use by default: the usable cores, at most 2."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))
