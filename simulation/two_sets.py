"""Sec. 6's prediction: two unrelated sets learned together, one retrained (measured).

Hinton & Plaut (1987), Sec. 6: "if two unrelated sets of associations are learned at the
same time, and if the internal representations used for different associations share the
same units, then retraining on one set of associations will substantially improve
performance on the other set. One problem with this prediction is that with sufficient
learning, connectionist networks tend to use different sets of units for representing
unrelated items."

Protocol (the Sec. 4 network and protocol, :mod:`simulation.deblur_protocol`, reused by
import; every parameter a field of :class:`~simulation.deblur_protocol.DeblurSettings`):

1. *Original learning* of the K = 100 random associations (10-100-10, ε = .02, α = .9,
   h = .01, full-batch sweeps), checkpointed after each of the ``lengths`` (default 100,
   300, 1300, 3000 sweeps): one training history per seed, so the lengths are paired.
   Set A is the first M of the seed's random order of the K associations, set B the next
   M (M = K/2 = 50 by default: A is exactly Sec. 4's "50 % retrained" subset and B its
   unretrained rest; random inputs and targets make the two sets unrelated).
2. At each checkpoint, measured on a copy: the *hidden codes* (the hidden units' states,
   logistic in (0, 1)) of A's and B's items, and their overlap (:func:`mean_abs_cos`,
   :func:`joint_active_share`), after the original learning and again after the blur.
3. *Blurring* the Sec. 4 way (the copy learns 5 new associations for 400 sweeps, no
   rehearsal), then *retraining on set A only* for ``retrain_sweeps`` sweeps; the average
   error of an output unit on A, B and the new associations before and after each sweep.

Momentum is reset at the start of each phase, as in Sec. 4. The transfer of sweep k is
B's gain over A's, ``mean_s(B_0 - B_k) / mean_s(A_0 - A_k)`` over seeds (paired per seed).

Randomness: ``SeedSequence(seed).spawn(S)``; seed i's problem, initial weights, order
(hence sets A and B) and per-case orders come from child i alone
(``deblur_protocol._draw_problems``), exactly as in :func:`simulation.run_deblur`, so the
checkpoint at 1300 sweeps is seed for seed the Sec. 4 experiment's 50 % condition, and
seed i's numbers are bit-for-bit the same in any chunk or thread.

Shapes: S seeds, L lengths, M items per set, H hidden units, R retraining sweeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError, check_count, check_level
from .deblur_protocol import (
    NEW_PHASE,
    ORIGINAL_PHASE,
    RETRAINING_PHASE,
    DeblurSettings,
    _case_errors,
    _case_orders,
    _draw_problems,
    _sweep,
    _wrong_side,
    default_threads,
    spawn_seeds,
)
from .estimate import Estimate, from_standard_error
from .fastslow import Cases, FastSlowNetwork
from .seed_statistics import t_mean, t_ratio_of_means

__all__ = [
    "ACTIVE_THRESHOLD",
    "LENGTHS",
    "PER_SEED_KEYS",
    "TwoSetsResult",
    "check_simulate_two_sets_arguments",
    "hidden_codes",
    "joint_active_share",
    "mean_abs_cos",
    "ratio_trend",
    "simulate_two_sets",
]

Array = npt.NDArray[Any]
FloatArray = npt.NDArray[np.float64]

LENGTHS = (100, 300, 1300, 3000)
"""Sweeps of original learning at which the sets are blurred and retrained: well before,
before, at (the paper's 1300) and well past the paper's length."""

ACTIVE_THRESHOLD = 0.5
"""A hidden unit is *active* for an item when its state exceeds this (the logistic's middle)."""

PER_SEED_KEYS = (
    "a_error",
    "b_error",
    "new_error",
    "cos_ab",
    "cos_aa",
    "joint_active",
    "active_share",
    "cos_ab_blurred",
    "joint_active_blurred",
    "wrong_fraction",
)
"""The per-seed arrays of :attr:`TwoSetsResult.per_seed`: ``a_error``, ``b_error``,
``new_error`` (S, L, R + 1), the error on A, B and the new associations before (0) and
after each retraining sweep; the rest (S, L): ``cos_ab`` (:func:`mean_abs_cos` of A's and
B's codes after the original learning), ``cos_aa`` (the same within A, pairs of distinct
items), ``joint_active`` (:func:`joint_active_share` of A and B), ``active_share`` (mean
share of the H units active for an item of A or B), ``cos_ab_blurred`` and
``joint_active_blurred`` (A and B after the blur, at the start of retraining),
``wrong_fraction`` (share of the K old associations' outputs on the wrong side of the
targets' middle after the original learning)."""


# --------------------------------------------------------------------------- overlap


def _unit_rows(codes: FloatArray) -> FloatArray:
    """Each code (last axis) divided by its Euclidean norm; a zero code stays zero."""
    norm = np.linalg.norm(codes, axis=-1, keepdims=True)
    result: FloatArray = np.divide(codes, norm, out=np.zeros_like(codes), where=norm > 0)
    return result


def mean_abs_cos(codes_a: npt.ArrayLike, codes_b: npt.ArrayLike | None = None) -> FloatArray:
    """Mean |cos| between the hidden codes of two sets of items, per seed (S,).

    ``codes_a`` (S, Ka, H), ``codes_b`` (S, Kb, H): the mean over all Ka Kb pairs (a, b)
    of |h_a·h_b| / (|h_a| |h_b|). With ``codes_b`` None, the mean over the Ka (Ka - 1)
    ordered pairs of distinct items of ``codes_a`` (Ka >= 2). A zero code has cos 0 with
    every code. For logistic codes (all positive) |cos| = cos: the uncentred cosine that
    Sec. 5's analysis uses for the vectors feeding the weights being changed (here, the
    hidden-to-output weights), so it is the overlap that governs the transfer there.

    Examples:
        One seed; A's two codes against B's one code (0, 1), and A's codes with each other:

        >>> import numpy as np
        >>> from simulation import mean_abs_cos
        >>> a = np.array([[[1.0, 0.0], [1.0, 1.0]]])  # (S, Ka, H) = (1, 2, 2)
        >>> b = np.array([[[0.0, 1.0]]])
        >>> mean_abs_cos(a, b).round(4)  # (0 + 1/sqrt(2)) / 2
        array([0.3536])
        >>> mean_abs_cos(a).round(4)  # the pair (a_0, a_1): 1/sqrt(2)
        array([0.7071])
    """
    a = _unit_rows(np.asarray(codes_a, dtype=np.float64))
    if a.ndim != 3:
        raise ParameterError("codes_a", "an array of shape (S, K, H)", a.shape)
    if codes_b is None:
        k = a.shape[1]
        if k < 2:
            raise ParameterError("codes_a", "at least 2 items per seed", k)
        cos = np.abs(np.matmul(a, a.transpose(0, 2, 1)))
        diagonal = np.trace(cos, axis1=1, axis2=2)
        within: FloatArray = (cos.sum(axis=(1, 2)) - diagonal) / (k * (k - 1))
        return within
    b = _unit_rows(np.asarray(codes_b, dtype=np.float64))
    if b.ndim != 3 or b.shape[0] != a.shape[0] or b.shape[2] != a.shape[2]:
        accepts = f"an array of shape ({a.shape[0]}, K, {a.shape[2]})"
        raise ParameterError("codes_b", accepts, b.shape)
    between: FloatArray = np.abs(np.matmul(a, b.transpose(0, 2, 1))).mean(axis=(1, 2))
    return between


def joint_active_share(
    codes_a: npt.ArrayLike, codes_b: npt.ArrayLike, threshold: float = ACTIVE_THRESHOLD
) -> FloatArray:
    """Share of the H hidden units active (> ``threshold``) for both items of a pair, mean
    over the Ka Kb pairs (a, b), per seed (S,).

    ``codes_a`` (S, Ka, H), ``codes_b`` (S, Kb, H). Equal to (1/H) Σ_u p_A(u) p_B(u), where
    p_A(u) is the share of A's items for which unit u is active: 0 when the two sets use
    disjoint units, and it falls when either set's codes get sparser.

    Examples:
        Unit 0 is active for both of A's items, unit 1 for one of them; B's item uses both units:
        (1/H) sum_u p_A(u) p_B(u) = (1 * 1 + 1/2 * 1) / 2:

        >>> import numpy as np
        >>> from simulation import joint_active_share
        >>> a = np.array([[[0.9, 0.1], [0.9, 0.9]]])  # (S, Ka, H)
        >>> b = np.array([[[0.9, 0.9]]])
        >>> joint_active_share(a, b)
        array([0.75])
    """
    a = np.asarray(codes_a, dtype=np.float64)
    b = np.asarray(codes_b, dtype=np.float64)
    if a.ndim != 3:
        raise ParameterError("codes_a", "an array of shape (S, K, H)", a.shape)
    if b.ndim != 3 or b.shape[0] != a.shape[0] or b.shape[2] != a.shape[2]:
        accepts = f"an array of shape ({a.shape[0]}, K, {a.shape[2]})"
        raise ParameterError("codes_b", accepts, b.shape)
    p_a = (a > threshold).mean(axis=1)  # (S, H)
    p_b = (b > threshold).mean(axis=1)
    result: FloatArray = (p_a * p_b).mean(axis=1)
    return result


def hidden_codes(net: FastSlowNetwork, inputs: npt.ArrayLike) -> FloatArray:
    """The hidden units' states (S, K, H), in float64, at the effective weights w_s + w_f.

    ``inputs`` (S, K, n): 0/1 input vectors (the bias input is appended here):
    h = logistic(x W_1 + b_1), the forward pass of :class:`FastSlowNetwork` (Sec. 3).
    """
    x = np.asarray(inputs, dtype=np.float64)
    layout = net.layout
    if x.ndim != 3 or x.shape[0] != net.seeds or x.shape[2] != layout.n_input:
        accepts = f"an array of shape ({net.seeds}, K, {layout.n_input})"
        raise ParameterError("inputs", accepts, x.shape)
    hidden_w, _, _ = layout.views(net.effective_weights().astype(np.float64))
    augmented = np.concatenate([x, np.ones((*x.shape[:2], 1))], axis=2)
    with np.errstate(over="ignore"):
        codes: FloatArray = 1.0 / (1.0 + np.exp(-np.matmul(augmented, hidden_w)))
    return codes


# --------------------------------------------------------------------------- statistics


def ratio_trend(
    numerators: npt.ArrayLike,
    denominators: npt.ArrayLike,
    x: npt.ArrayLike,
    level: float = 0.95,
) -> Estimate:
    """Least-squares slope of R_l = mean_s(num_sl) / mean_s(den_sl) against x_l, with a
    paired delta-method Student-t interval over the S seeds.

    ``numerators``, ``denominators`` (S, L); ``x`` (L,), L >= 2 distinct values. The
    slope is Σ_l w_l R_l with w_l = (x_l - x̄) / Σ (x - x̄)²; seed s's influence on it is
    d_s = Σ_l w_l (num_sl - R_l den_sl) / mean(den_l), its standard error sd(d) / sqrt(S),
    S - 1 degrees of freedom. With every denominator 1 the R_l are means and this is
    exactly the t interval of the per-seed slopes.

    Examples:
        Two seeds whose ratios rise by exactly 1 per unit of x: slope 1, no spread; then two
        that disagree at x = 2:

        >>> from simulation import ratio_trend
        >>> ones = [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
        >>> e = ratio_trend([[1.0, 2.0, 3.0], [0.0, 1.0, 2.0]], ones, x=[0.0, 1.0, 2.0])
        >>> e.estimate, e.se, e.method, e.dof
        (1.0, 0.0, 't', 1)
        >>> e = ratio_trend([[1.0, 2.0, 4.0], [1.0, 2.0, 2.0]], ones, x=[0.0, 1.0, 2.0])
        >>> e.estimate, e.se, [round(v, 3) for v in e.ci(0.95)]  # Student t, 1 d.o.f.
        (1.0, 0.5, [-5.353, 7.353])
    """
    num = np.asarray(numerators, dtype=np.float64)
    den = np.asarray(denominators, dtype=np.float64)
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    if num.ndim != 2 or num.shape[0] < 2:
        raise ParameterError("numerators", "an array of shape (S, L), S >= 2", num.shape)
    if den.shape != num.shape:
        raise ParameterError("denominators", f"an array of shape {num.shape}", den.shape)
    if xs.shape != (num.shape[1],) or np.ptp(xs) == 0:
        raise ParameterError("x", f"{num.shape[1]} values, not all equal", xs.shape)
    if not (np.all(np.isfinite(num)) and np.all(np.isfinite(den))):
        raise ParameterError("numerators", "finite per-seed values", "a NaN or infinity")
    mean_den = den.mean(axis=0)
    if np.any(mean_den == 0):
        raise ParameterError("denominators", "a nonzero mean at every x", 0)
    ratios = num.mean(axis=0) / mean_den
    centred = xs - xs.mean()
    weights = centred / float(centred @ centred)
    slope = float(weights @ ratios)
    influence = ((num - ratios * den) / mean_den) @ weights  # (S,)
    s = num.shape[0]
    se = float(influence.std(ddof=1)) / math.sqrt(s)
    method = "t" if np.all(den == 1) else "t-delta"
    return from_standard_error(slope, se, s, check_level(level), method, s - 1)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class TwoSetsResult:
    """Per-seed measurements of :func:`simulate_two_sets` and their summaries.

    ``lengths`` (L,): sweeps of original learning; ``seeds``, ``seed``: S and the root
    seed; ``set_size``: M; ``settings``: the network's parameters; ``per_seed``: the
    arrays of :data:`PER_SEED_KEYS`.

    Examples:
        A small network (8 associations, 6-8-6) and two lengths of original learning, so that
        it runs in milliseconds; ``summary()`` is the command's JSON:

        >>> from simulation import DeblurSettings, simulate_two_sets
        >>> small = DeblurSettings(associations=8, n_input=6, n_hidden=8, n_output=6, new_sweeps=20)
        >>> r = simulate_two_sets(seeds=3, seed=1, lengths=(20, 80), settings=small)
        >>> r.lengths, r.seeds, r.set_size, r.per_seed["a_error"].shape  # (S, L, R + 1)
        ((20, 80), 3, 4, (3, 2, 21))
        >>> [round(r.mean("cos_ab", length).estimate, 3) for length in r.lengths]
        [0.964, 0.885]
        >>> sorted(r.summary(sweeps=(1,))["lengths"][0])  # doctest: +NORMALIZE_WHITESPACE
        ['active_share', 'cos_aa', 'cos_ab', 'joint_active', 'original_sweeps',
         'transfer_sweep_1', 'wrong_fraction']
    """

    lengths: tuple[int, ...]
    seeds: int
    seed: int
    set_size: int
    settings: DeblurSettings
    per_seed: Mapping[str, FloatArray] = field(repr=False)

    def index(self, length: int) -> int:
        """The position of ``length`` in :attr:`lengths`."""
        if length not in self.lengths:
            raise ParameterError("length", "one of " + ", ".join(map(str, self.lengths)), length)
        return self.lengths.index(length)

    def gains(self, length: int, sweep: int) -> tuple[FloatArray, FloatArray]:
        """Per-seed gains (S,) of B and of A after ``sweep`` retraining sweeps:
        error before retraining minus error after."""
        j = self.index(length)
        if not 1 <= sweep < self.per_seed["a_error"].shape[2]:
            raise ParameterError("sweep", "a recorded retraining sweep >= 1", sweep)
        a, b = self.per_seed["a_error"][:, j], self.per_seed["b_error"][:, j]
        return b[:, 0] - b[:, sweep], a[:, 0] - a[:, sweep]

    def transfer(self, length: int, sweep: int, level: float = 0.95) -> Estimate | None:
        """B's mean gain / A's mean gain (delta-method t interval, paired per seed)."""
        gain_b, gain_a = self.gains(length, sweep)
        return t_ratio_of_means(gain_b, gain_a, level)

    def mean(self, key: str, length: int, level: float = 0.95) -> Estimate | None:
        """Mean over seeds of ``per_seed[key]`` (S, L) at ``length``, t interval."""
        return t_mean(self.per_seed[key][:, self.index(length)], level)

    def transfer_trend(self, sweep: int, level: float = 0.95) -> Estimate:
        """Slope of the transfer of ``sweep`` against log10(sweeps of original learning)."""
        pairs = [self.gains(length, sweep) for length in self.lengths]
        gain_b = np.stack([b for b, _ in pairs], axis=1)
        gain_a = np.stack([a for _, a in pairs], axis=1)
        return ratio_trend(gain_b, gain_a, np.log10(self.lengths), level)

    def trend(self, key: str, level: float = 0.95) -> Estimate:
        """Slope of the mean of ``per_seed[key]`` (S, L) against log10(sweeps), per decade
        (the t interval of the per-seed slopes)."""
        values = self.per_seed[key]
        return ratio_trend(values, np.ones_like(values), np.log10(self.lengths), level)

    def summary(self, sweeps: Sequence[int] = (1, 5), level: float = 0.95) -> dict[str, Any]:
        """JSON-able: per length the transfer after each of ``sweeps`` and the overlap
        means, with ``{"estimate", "ci_low", "ci_high"}`` at ``level``; and the trends."""

        def interval(estimate: Estimate | None) -> dict[str, float | None]:
            if estimate is None:
                return {"estimate": None, "ci_low": None, "ci_high": None}
            return {key: float(value) for key, value in estimate.to_dict().items()}

        rows = []
        for length in self.lengths:
            row: dict[str, Any] = {"original_sweeps": length}
            for k in sweeps:
                row[f"transfer_sweep_{k}"] = interval(self.transfer(length, k, level))
            for key in ("cos_ab", "cos_aa", "joint_active", "active_share", "wrong_fraction"):
                row[key] = interval(self.mean(key, length, level))
            rows.append(row)
        return {
            "seeds": self.seeds,
            "seed": self.seed,
            "set_size": self.set_size,
            "level": level,
            "lengths": rows,
            "trend_per_decade": {
                **{f"transfer_sweep_{k}": interval(self.transfer_trend(k, level)) for k in sweeps},
                "cos_ab": interval(self.trend("cos_ab", level)),
                "joint_active": interval(self.trend("joint_active", level)),
            },
        }


# --------------------------------------------------------------------------- protocol

Progress = Callable[[int], None]


def _gather(net: FastSlowNetwork, inputs: Array, targets: Array, chosen: Array) -> Cases:
    gather = chosen[:, :, None]
    return net.cases(
        np.take_along_axis(inputs, gather, axis=1), np.take_along_axis(targets, gather, axis=1)
    )


def _simulate_chunk(
    children: Sequence[np.random.SeedSequence],
    s: DeblurSettings,
    lengths: Sequence[int],
    set_size: int,
    progress: Progress,
) -> dict[str, FloatArray]:
    """The whole protocol for the seeds in ``children``: :data:`PER_SEED_KEYS` arrays."""
    k, m = s.associations, set_size
    problems = _draw_problems(children, s)
    net = FastSlowNetwork(s.layout, problems.initial_weights.astype(np.dtype(s.dtype)))
    inputs, targets = problems.inputs, problems.targets
    old_inputs, old_targets = inputs[:, :k], targets[:, :k]
    old = net.cases(old_inputs, old_targets)
    new = net.cases(inputs[:, k:], targets[:, k:])
    chosen_a, chosen_b = problems.order[:, :m], problems.order[:, m : 2 * m]
    set_a = _gather(net, old_inputs, old_targets, chosen_a)
    rows = np.arange(len(children))[:, None]
    x_a, x_b = old_inputs[rows, chosen_a], old_inputs[rows, chosen_b]
    learning = s.learning()
    retraining_only = s.fast_phases == "retraining"
    early = replace(learning, fast_epsilon=0.0) if retraining_only else learning
    middle = 0.5 * (s.targets[0] + s.targets[1])
    shape, sweeps = (len(children), len(lengths)), s.retrain_sweeps + 1
    out = {key: np.empty(shape) for key in PER_SEED_KEYS}
    for key in ("a_error", "b_error", "new_error"):
        out[key] = np.empty((*shape, sweeps))

    def errors(network: FastSlowNetwork, cases: Cases, targets: FloatArray) -> FloatArray:
        """Per-case errors (S, K) of ``cases`` (whose targets are ``targets``)."""
        return _case_errors(network.outputs(cases), targets, s.error_measure)

    def set_means(case_errors: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Mean error (S,) of set A and of set B, from the old associations' (S, K)."""
        a = np.take_along_axis(case_errors, chosen_a, axis=1).mean(axis=1)
        b = np.take_along_axis(case_errors, chosen_b, axis=1).mean(axis=1)
        return a, b

    orders = _case_orders(children, s, ORIGINAL_PHASE)
    done = 0
    with np.errstate(over="ignore"):
        for j, length in enumerate(lengths):
            for _ in range(length - done):  # 1. original learning, continued
                _sweep(net, old, early, s, orders)
                progress(1)
            done = length
            codes_a, codes_b = hidden_codes(net, x_a), hidden_codes(net, x_b)
            out["cos_ab"][:, j] = mean_abs_cos(codes_a, codes_b)
            out["cos_aa"][:, j] = mean_abs_cos(codes_a)
            out["joint_active"][:, j] = joint_active_share(codes_a, codes_b)
            both = np.concatenate([codes_a, codes_b], axis=1)
            out["active_share"][:, j] = (both > ACTIVE_THRESHOLD).mean(axis=(1, 2))
            y_old = net.outputs(old).astype(np.float64)
            out["wrong_fraction"][:, j] = _wrong_side(y_old, old_targets, middle).mean(axis=(1, 2))

            branch = net.copy()  # 2. blurring: the new associations, no rehearsal
            branch.reset_velocities()
            new_orders = _case_orders(children, s, NEW_PHASE)
            for _ in range(s.new_sweeps):
                _sweep(branch, new, early, s, new_orders)
                progress(1)
            blurred_a, blurred_b = hidden_codes(branch, x_a), hidden_codes(branch, x_b)
            out["cos_ab_blurred"][:, j] = mean_abs_cos(blurred_a, blurred_b)
            out["joint_active_blurred"][:, j] = joint_active_share(blurred_a, blurred_b)

            branch.reset_velocities()  # 3. retraining on set A only
            retrain_orders = _case_orders(children, s, RETRAINING_PHASE)
            for i in range(sweeps):
                if i > 0:
                    _sweep(branch, set_a, learning, s, retrain_orders)
                    progress(1)
                a, b = set_means(errors(branch, old, old_targets))
                out["a_error"][:, j, i], out["b_error"][:, j, i] = a, b
                out["new_error"][:, j, i] = errors(branch, new, targets[:, k:]).mean(axis=1)
    return out


def check_simulate_two_sets_arguments(
    seeds: int = 20,
    seed: int = 0,
    lengths: Sequence[int] = LENGTHS,
    set_size: int | None = None,
    settings: DeblurSettings | None = None,
) -> tuple[int, int, tuple[int, ...], int, DeblurSettings]:
    """Every check :func:`simulate_two_sets` makes (nothing simulated); the checked values.

    ``lengths``: strictly increasing, each >= 1; ``set_size`` M: 1 <= M, 2 M <= K (default
    K // 2); ``settings.retrain_sweeps`` >= 1 (``settings.original_sweeps`` is unused: the
    ``lengths`` replace it).

    Examples:
        >>> from simulation import check_simulate_two_sets_arguments
        >>> seeds, seed, lengths, set_size, settings = check_simulate_two_sets_arguments(
        ...     seeds=2, lengths=(100, 300)
        ... )
        >>> seeds, seed, lengths, set_size, settings.associations  # M = K // 2 by default
        (2, 0, (100, 300), 50, 100)
        >>> check_simulate_two_sets_arguments(lengths=(300, 100))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: lengths: expected ...
    """
    count = check_count("seeds", seeds)
    root = check_count("seed", seed, minimum=0)
    s = settings if settings is not None else DeblurSettings()
    checked = tuple(check_count("lengths", value) for value in lengths)
    if not checked or any(b <= a for a, b in pairwise(checked)):
        raise ParameterError("lengths", "strictly increasing sweep counts >= 1", lengths)
    size = s.associations // 2 if set_size is None else check_count("set_size", set_size)
    if size < 1 or 2 * size > s.associations:
        accepts = f"an integer in [1, {s.associations // 2}] (two sets of K = {s.associations})"
        raise ParameterError("set_size", accepts, size)
    check_count("retrain_sweeps", s.retrain_sweeps)
    return count, root, checked, size, s


def simulate_two_sets(
    seeds: int = 20,
    seed: int = 0,
    lengths: Sequence[int] = LENGTHS,
    set_size: int | None = None,
    settings: DeblurSettings | None = None,
    progress: Progress | None = None,
) -> TwoSetsResult:
    """Sec. 6's two sets, learned together for each of ``lengths`` sweeps, blurred, and
    set A retrained: the per-seed measurements (module docstring).

    ``settings``: the Sec. 4 network's parameters (default: the paper's and the toolkit's
    documented assumptions, ``docs/deblur.md``); its ``chunk_size`` and ``threads`` never
    change a number. ``progress`` is called with the number of sweeps done.

    Examples:
        Sec. 6 on a small network (the full run is ``fastweights simulate two-sets``): the
        hidden codes of the two sets overlap less after longer learning:

        >>> from simulation import DeblurSettings, simulate_two_sets
        >>> small = DeblurSettings(associations=8, n_input=6, n_hidden=8, n_output=6, new_sweeps=20)
        >>> r = simulate_two_sets(seeds=3, seed=1, lengths=(20, 80), settings=small)
        >>> [round(r.mean("joint_active", length).estimate, 3) for length in r.lengths]
        [0.279, 0.174]
        >>> round(r.transfer(80, sweep=1).estimate, 3)  # B's gain over A's after one sweep
        0.19
    """
    count, root, checked, size, s = check_simulate_two_sets_arguments(
        seeds, seed, lengths, set_size, settings
    )
    children = spawn_seeds(root, count)
    report: Progress = progress if progress is not None else (lambda _n: None)
    chunks = [children[i : i + s.chunk_size] for i in range(0, count, s.chunk_size)]

    def work(chunk: Sequence[np.random.SeedSequence]) -> dict[str, FloatArray]:
        return _simulate_chunk(chunk, s, checked, size, report)

    threads = min(s.threads or default_threads(), len(chunks))
    if threads == 1:
        parts = [work(chunk) for chunk in chunks]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(work, chunks))
    per_seed = {key: np.concatenate([p[key] for p in parts]) for key in PER_SEED_KEYS}
    return TwoSetsResult(checked, count, root, size, s, per_seed)
