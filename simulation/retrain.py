"""Retraining M of K random associations: the measured unretrained/retrained ratio (Sec. 5.1-5.2).

One trial: draw K input vectors from the ensemble (:mod:`simulation.inputs`); a teacher
network with weights w* ~ N(0, 1) (O output units) gives the targets; original learning
is perfect (the weights are the teacher's) or real full-batch gradient descent from zero
weights to a tolerance; the weights are blurred; then retraining starts on the first M
associations (the draw order is random, so they are a random subset) by full-batch
gradient descent. Measured, per trial, for the first step (step → 0, the paper's "very
small weight changes"): the first-order improvement rate -∇E_S · Δw of the retrained set
S = R and of the unretrained set S = U, divided by |R| = M and |U| = K - M (the mean
improvement rate of one association). Δw = -∇E_R (``step_rule="gradient"``, per unit ε)
or -∇E_R/|∇E_R| (``"unit"``, per unit length). The products run in the fast kernel
:func:`simulation.linear.two_set_improvement_rates`, one generation block at a time.

``improvement_ratio`` = mean over trials of the unretrained rate / mean over trials of the
retrained rate (a ratio of means, delta-method interval) — the paper's "ratio of the
expected improvements on an unretrained and a retrained association".
``positive_transfer_probability``: the fraction of trials in which the unretrained set
improves at the start of retraining (Wilson interval).

Blurring (``blur``):

* ``"noise"``: w ← w + g, g_i ~ N(0, σ²) (Sec. 5's assumption);
* ``"learning"``: learn ``interference_associations`` (default 5, as in Sec. 4) new
  associations — inputs from the same ensemble (drawn independently of the old ones),
  targets N(0, 1) — without rehearsal, by ``interference_steps`` (default 400, as in
  Sec. 4) full-batch gradient-descent sweeps with ε = 1/λ_max of their inputs;
* ``"decay"``: w ← (1 - h) w, h = ``decay`` (default 1/2). Whenever the targets were
  learned (perfectly or to the tolerance), the residuals become -h d = -h X w*; with the
  Gaussian teacher w* ~ N(0, I) they have the law of weight noise of sd h, so this blur
  obeys the same theory as ``"noise"`` (it would not for structured targets).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from foundation.settings import Anything, Choice, Integer, Real, Settings, parameter

from . import _parameters as shared
from ._streaming import Block, stream_moments
from ._validate import ParameterError
from .estimate import Estimate, proportion_estimate
from .inputs import INPUT_KINDS, InputEnsemble, input_ensemble
from .linear import (
    DECAY,
    STEP_RULES,
    blur_by_learning,
    blur_with_decay,
    network_outputs,
    train_by_gradient_descent,
    two_set_improvement_rates,
)
from .results import Result

__all__ = [
    "LEARNING_MODES",
    "OriginalLearningCheck",
    "RetrainArguments",
    "RetrainParameters",
    "RetrainResult",
    "RetrainSettings",
    "check_simulate_retrain_arguments",
    "simulate_retrain",
]

FloatArray = npt.NDArray[np.float64]

#: Original learning: ``"perfect"`` (by construction) or ``"gradient"`` (real descent).
LEARNING_MODES = ("perfect", "gradient")


_ENSEMBLE = "checked with the ensemble (inputs, n, q, p, without_replacement)"


@dataclass(frozen=True, kw_only=True)
class RetrainSettings(Settings):
    """The parameters of :func:`simulate_retrain`, declared once (checked in this order).

    The input ensemble (:func:`simulation.inputs.input_ensemble`) is checked as a whole
    once ``associations`` is reached and kept as ``ensemble``; ``k`` and ``m`` are K and M.

    Examples:
        >>> from simulation import check_simulate_retrain_arguments
        >>> s = check_simulate_retrain_arguments(
        ...     inputs="zero-one", n=10, associations=20, retrained=5, q=0.5, trials=500
        ... )
        >>> s.inputs, s.n, s.q, s.associations, s.retrained, s.blur, s.learning
        ('zero-one', 10, 0.5, 20, 5, 'noise', 'perfect')
    """

    inputs: str = parameter(kind=Choice(INPUT_KINDS), help="zero-one or signed input components")
    n: int = parameter(kind=Integer(1), help="input dimension n")
    q: float | None = parameter(
        None, Anything("a number in (0, 1] for zero-one inputs, else None"), "P(component = 1)"
    )
    p: float | None = parameter(
        None, Anything("a number in (0, 1/2] for signed inputs, else None"), "P(1) = P(-1)"
    )
    without_replacement: bool = parameter(
        False, Anything("True or False (True: q = 1/2 or p = 1/3)"), "distinct input vectors"
    )
    associations: int = parameter(
        kind=Anything("an integer >= 1 (at most 2^n or 3^n without replacement)"),
        help="associations learned, K",
    )
    retrained: int = parameter(kind=Integer(1), help="associations retrained, M < K")
    blur: str = shared.blur(
        "Gaussian weight noise (Sec. 5, default), learning 5 new associations without "
        "rehearsal (Sec. 4), or decay of the weights towards zero",
    )
    learning: str = parameter(
        "perfect",
        Choice(LEARNING_MODES),
        "original learning: perfect by construction (default) or real gradient descent",
    )
    step_rule: str = parameter(
        "gradient",
        Choice(STEP_RULES),
        "retraining step proportional to the gradient (default) or of fixed length",
    )
    trials: int = shared.trials(10_000)
    seed: int = shared.seed()
    noise_sd: float = shared.noise_sd()
    outputs: int = parameter(1, Integer(1), "output units (independent)", metavar="O")
    level: float = shared.level()
    learning_tolerance: float = parameter(
        1e-10, Real(0.0), "error E at which gradient learning stops", option=False
    )
    learning_max_steps: int = parameter(
        100_000, Integer(0), "most sweeps of gradient learning", option=False
    )
    decay: float = parameter(0.5, DECAY, "h of blur decay: w <- (1 - h) w", option=False)
    interference_associations: int = parameter(
        5, Integer(1), "new associations of blur learning", option=False
    )
    interference_steps: int = parameter(400, Integer(0), "sweeps of blur learning", option=False)
    chunk_size: int | None = shared.chunk_size()
    ensemble: InputEnsemble = field(init=False, repr=False, compare=False)

    @property
    def k(self) -> int:
        """K, the associations learned."""
        return self.associations

    @property
    def m(self) -> int:
        """M, the associations retrained."""
        return self.retrained

    def check_after(self, name: str) -> None:
        """The ensemble with K; M < K; enough trials with a nonzero retrained input."""
        if name == "associations":
            ensemble = input_ensemble(
                self.inputs, self.n, self.q, self.p, self.without_replacement, self.associations
            )
            object.__setattr__(self, "ensemble", ensemble)
            object.__setattr__(self, "associations", int(self.associations))
        elif name == "retrained" and self.m >= self.k:
            raise ParameterError(
                "retrained",
                f"an integer in [1, K - 1] = [1, {self.k - 1}] (some must be unretrained)",
                self.m,
            )
        elif name == "trials":
            _check_nonzero_inputs(self.ensemble, self.m, self.trials)


RetrainArguments = RetrainSettings
"""The former name of :class:`RetrainSettings` (the validated arguments)."""


def check_simulate_retrain_arguments(**arguments: Any) -> RetrainSettings:
    """Every argument check of :func:`simulate_retrain` (its parameters but ``progress``),
    without drawing or simulating anything: the checked :class:`RetrainSettings`.

    Raises :class:`ParameterError` with the message :func:`simulate_retrain` gives (M < K,
    K <= 2^n or 3^n without replacement, q in (0, 1], ...). Only what depends on the
    simulation itself (original learning not converging in ``learning_max_steps``) is
    left to the run.

    Examples:
        Nothing is drawn or simulated; a bad value fails at once, as :func:`simulate_retrain`
        would:

        >>> from simulation import check_simulate_retrain_arguments
        >>> ensemble = {"n": 10, "associations": 20, "retrained": 5}
        >>> check_simulate_retrain_arguments(inputs="signed", p=0.5, **ensemble).p
        0.5
        >>> check_simulate_retrain_arguments(inputs="zero-one", q=2, **ensemble)
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: q: expected a number in (0, 1], got 2
    """
    return RetrainSettings(**arguments)


def _check_nonzero_inputs(ensemble: InputEnsemble, m: int, trials: int) -> None:
    """Refuse a q (or p) so small that few trials have a nonzero retrained input.

    A trial whose M retrained inputs are all zero has a zero retrained improvement — the
    ratio's denominator — and carries no information. With independent components that
    happens with probability P(component = 0)^(n M); at least ``min(15, trials / 2)`` trials
    are required to be informative in expectation.
    """
    if ensemble.without_replacement:
        return  # distinct vectors: at most one of them is zero
    name, value = ("q", ensemble.q) if ensemble.kind == "zero-one" else ("p", ensemble.p)
    assert value is not None
    p_nonzero = value if ensemble.kind == "zero-one" else 2.0 * value
    if p_nonzero >= 1.0:
        return
    informative = -math.expm1(ensemble.n * m * math.log1p(-p_nonzero))  # 1 - P(all zero)
    expected = trials * informative
    if expected < min(15.0, trials / 2):
        raise ParameterError(
            name,
            f"a value at which trials have a nonzero retrained input (the ratio's "
            f"denominator): with n = {ensemble.n} and M = {m}, {expected:.3g} of the "
            f"{trials} trials would; raise it or the trials",
            value,
        )


@dataclass(frozen=True)
class RetrainParameters(Result):
    """The parameters a :func:`simulate_retrain` run used (the ensemble as checked)."""

    inputs: str
    n: int
    associations: int
    retrained: int
    q: float | None
    p: float | None
    without_replacement: bool
    blur: str
    noise_sd: float
    step_rule: str
    outputs: int
    learning: str
    level: float


@dataclass(frozen=True)
class OriginalLearningCheck(Result):
    """With ``learning="gradient"``: the tolerance, the largest error left after the
    original learning over all trials, and whether every trial reached the tolerance."""

    tolerance: float
    largest_remaining_error: float
    all_converged: bool


@dataclass(frozen=True)
class RetrainResult(Result):
    """:func:`simulate_retrain`'s result; ``to_dict()`` is ``fastweights simulate retrain
    --json`` (``original_learning`` only with ``learning="gradient"``)."""

    OPTIONAL = ("original_learning",)

    improvement_ratio: Estimate
    mean_improvement_retrained: Estimate
    mean_improvement_unretrained: Estimate
    positive_transfer_probability: Estimate
    trials: int
    seed: int
    parameters: RetrainParameters
    original_learning: OriginalLearningCheck | None = None


def simulate_retrain(
    inputs: str,
    n: int,
    associations: int,
    retrained: int,
    q: float | None = None,
    p: float | None = None,
    without_replacement: bool = False,
    blur: str = "noise",
    trials: int = 10_000,
    seed: int = 0,
    noise_sd: float = 1.0,
    chunk_size: int | None = None,
    progress: bool = False,
    step_rule: str = "gradient",
    outputs: int = 1,
    learning: str = "perfect",
    learning_tolerance: float = 1e-10,
    learning_max_steps: int = 100_000,
    decay: float = 0.5,
    interference_associations: int = 5,
    interference_steps: int = 400,
    level: float = 0.95,
) -> RetrainResult:
    """Measure the unretrained/retrained improvement ratio when retraining M of K.

    Returns a :class:`RetrainResult`: ``improvement_ratio``, ``mean_improvement_retrained``,
    ``mean_improvement_unretrained``, ``positive_transfer_probability``
    (:class:`~simulation.estimate.Estimate` s at ``level``; ``to_dict()`` gives their
    JSON), ``trials``, ``seed``, ``parameters`` and, with ``learning="gradient"``,
    ``original_learning`` (the largest remaining error and whether every trial reached
    ``learning_tolerance``).

    Examples:
        >>> r = simulate_retrain("zero-one", 10, 20, 5, q=0.5, trials=500, seed=1)
        >>> round(r.improvement_ratio.estimate, 3), r.parameters.retrained
        (0.691, 5)
        >>> r.original_learning is None, "original_learning" in r.to_dict()
        (True, False)
        >>> simulate_retrain("zero-one", 10, 20, 20, q=0.5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: retrained: expected an integer in [1, K - 1] = [1, 19] ...
    """
    args = check_simulate_retrain_arguments(
        inputs=inputs, n=n, associations=associations, retrained=retrained, q=q, p=p,
        without_replacement=without_replacement, blur=blur, trials=trials, seed=seed,
        noise_sd=noise_sd, chunk_size=chunk_size, step_rule=step_rule, outputs=outputs,
        learning=learning, learning_tolerance=learning_tolerance,
        learning_max_steps=learning_max_steps, decay=decay,
        interference_associations=interference_associations,
        interference_steps=interference_steps, level=level,
    )  # fmt: skip
    ensemble, k, m = args.ensemble, args.k, args.m
    blur_, learning_, rule = args.blur, args.learning, args.step_rule
    n_trials, seed_, sd, n_out, level_ = (
        args.trials, args.seed, args.noise_sd, args.outputs, args.level
    )  # fmt: skip
    tol, max_steps = args.learning_tolerance, args.learning_max_steps
    k_new, new_steps = args.interference_associations, args.interference_steps

    worst_learning_error = [0.0]
    positive = [0]

    def simulate_block(block: Block) -> tuple[FloatArray, FloatArray]:
        draws = _draw(block, ensemble, k, n_out, blur_, k_new)
        x_cm, teacher = draws["inputs"], draws["teacher"]
        if learning_ == "perfect":
            learned = teacher
        else:
            x = np.ascontiguousarray(x_cm.transpose(1, 2, 0), dtype=np.float64)
            trained = train_by_gradient_descent(x, network_outputs(teacher, x), tol, max_steps)
            if not np.all(trained.converged):
                raise ParameterError(
                    "learning_max_steps",
                    f"enough steps for original learning to reach E <= {tol:g}",
                    max_steps,
                )
            worst_learning_error[0] = max(worst_learning_error[0], float(trained.error.max()))
            learned = trained.weights
        if blur_ == "noise":
            blurred = learned + sd * draws["noise"]
        elif blur_ == "decay":
            blurred = blur_with_decay(learned, decay)
        else:
            new_x, new_d = draws["new_inputs"], draws["new_targets"]
            blurred = blur_by_learning(learned, new_x, new_d, new_steps)
        return two_set_improvement_rates(x_cm.astype(np.float32), blurred - teacher, m, rule)

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        rates = [simulate_block(block) for block in blocks]  # one block at a time
        retrained_rate = np.concatenate([r for r, _ in rates])
        unretrained_rate = np.concatenate([u for _, u in rates])
        positive[0] += int(np.count_nonzero(unretrained_rate > 0.0))
        return {"retrained": retrained_rate / m, "unretrained": unretrained_rate / (k - m)}

    moments = stream_moments(
        seed_,
        n_trials,
        k * ensemble.n + 3 * n_out * ensemble.n,
        simulate,
        cross=[("unretrained", "retrained")],
        chunk_size=chunk_size,
        progress=progress,
        desc="simulate retrain",
    )
    original_learning = None
    if learning_ == "gradient":
        original_learning = OriginalLearningCheck(
            tolerance=tol, largest_remaining_error=worst_learning_error[0], all_converged=True
        )
    return RetrainResult(
        improvement_ratio=moments.ratio("unretrained", "retrained", level_),
        mean_improvement_retrained=moments.mean("retrained", level_),
        mean_improvement_unretrained=moments.mean("unretrained", level_),
        positive_transfer_probability=proportion_estimate(positive[0], n_trials, level_),
        trials=n_trials,
        seed=seed_,
        parameters=RetrainParameters(
            inputs=ensemble.kind,
            n=ensemble.n,
            associations=k,
            retrained=m,
            q=ensemble.q,
            p=ensemble.p,
            without_replacement=ensemble.without_replacement,
            blur=blur_,
            noise_sd=sd,
            step_rule=rule,
            outputs=n_out,
            learning=learning_,
            level=level_,
        ),
        original_learning=original_learning,
    )


def _draw(
    block: Block,
    ensemble: InputEnsemble,
    k: int,
    n_out: int,
    blur: str,
    k_new: int,
) -> dict[str, Any]:
    """One block's random numbers, in a fixed order from its own generator: ``inputs``
    (int8, component-major (n, T, K)), ``teacher`` (T, O, n); ``noise`` (T, O, n) for
    ``blur="noise"``; ``new_inputs`` (T, K', n) and ``new_targets`` (T, K', O) for
    ``blur="learning"`` (new associations: drawn independently, with replacement, from the
    same ensemble)."""
    rng, size, n = block.rng, block.size, ensemble.n
    draws: dict[str, Any] = {
        "inputs": ensemble.draw_components(rng, k, size),
        "teacher": rng.standard_normal((size, n_out, n)),
    }
    if blur == "noise":
        draws["noise"] = rng.standard_normal((size, n_out, n))
    elif blur == "learning":
        new_ensemble = InputEnsemble(ensemble.kind, n, ensemble.q, ensemble.p)
        draws["new_inputs"] = new_ensemble.draw(rng, k_new, size)
        draws["new_targets"] = rng.standard_normal((size, k_new, n_out))
    return draws
