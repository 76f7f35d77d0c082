"""The two-weight network of Figs. 3-4 (Sec. 4.1, 5.3): how often is transfer positive?

One trial: two input units, one linear output unit; associations 1 and 2 with unit input
vectors at ``angle`` φ (a random common orientation), targets from a teacher w* ~ N(0, I)
(learning is perfect). Noise of length r (``radius``; ``None``: r log-uniform on
[10⁻², 10²] per trial) in a uniformly random direction is added to the weights — the
circle of Fig. 4. Then the network is retrained on association 1 by ``steps`` actual
full-batch gradient-descent steps with ε = 1 - λ^(1/steps) (for a unit input vector each
step scales the error component along it by 1 - ε, so after the steps it has contracted
by λ = ``contraction``: the circle's points have moved to the ellipse; λ = 1 means no
retraining). The contraction reached is measured on the network and reported. Finally
the test: does an infinitesimal further step on association 1 improve association 2
(first-order improvement rate -∇E_2 · Δw > 0)? ``positive_transfer_probability`` is the
fraction of trials where it does, with a Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from foundation.settings import Integer, Optional, Settings, parameter

from . import _parameters as shared
from ._streaming import Block, stream_moments
from ._validate import ANGLE, CONTRACTION, SCALE
from .estimate import Estimate, proportion_estimate
from .linear import improvement_rates, residuals, retrain, teacher_targets
from .results import Result

__all__ = [
    "GeometryParameters",
    "GeometryResult",
    "GeometrySettings",
    "check_simulate_geometry_arguments",
    "simulate_geometry",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class GeometrySettings(Settings):
    """The parameters of :func:`simulate_geometry`, declared once (checked in this order).

    Examples:
        The checked, declared parameters, defaults filled in:

        >>> from simulation import check_simulate_geometry_arguments
        >>> settings = check_simulate_geometry_arguments(angle=60, contraction=0.5)
        >>> settings.angle, settings.contraction, settings.trials, settings.steps
        (60.0, 0.5, 100000, 10)
    """

    angle: float = parameter(kind=ANGLE, help="angle φ between the two input vectors", unit="°")
    contraction: float = parameter(
        kind=CONTRACTION, help="contraction λ of the error along input 1 by retraining"
    )
    trials: int = shared.trials(100_000, minimum=1)
    seed: int = shared.seed()
    radius: float | None = parameter(
        1.0,
        Optional(SCALE, none="r log-uniform on [1e-2, 1e2] per trial"),
        "length of the noise vector",
        metavar="R",
    )
    steps: int = parameter(10, Integer(1), "gradient steps to reach LAMBDA", metavar="T")
    level: float = shared.level()
    chunk_size: int | None = shared.chunk_size()


def check_simulate_geometry_arguments(**arguments: Any) -> GeometrySettings:
    """Every argument check of :func:`simulate_geometry` (its parameters but ``progress``),
    without simulating anything: the checked :class:`GeometrySettings`.

    Raises :class:`ParameterError` with the message :func:`simulate_geometry` gives.

    Examples:
        >>> from simulation import check_simulate_geometry_arguments
        >>> check_simulate_geometry_arguments(angle=60, contraction=0.5, trials=500).trials
        500
        >>> check_simulate_geometry_arguments(angle=60, contraction=1.5)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: contraction: expected ... got 1.5
    """
    return GeometrySettings(**arguments)


@dataclass(frozen=True)
class GeometryParameters(Result):
    """The parameters a :func:`simulate_geometry` run used: φ in degrees, the requested λ,
    the noise radius (``None``: log-uniform per trial), the steps taken (0 for λ = 1) and ε."""

    angle: float
    contraction: float
    radius: float | None
    steps: int
    epsilon: float


@dataclass(frozen=True)
class GeometryResult(Result):
    """:func:`simulate_geometry`'s result; ``to_dict()`` is ``fastweights simulate
    geometry --json``."""

    positive_transfer_probability: Estimate
    achieved_contraction: Estimate
    trials: int
    seed: int
    parameters: GeometryParameters


def simulate_geometry(
    angle: float,
    contraction: float,
    trials: int = 100_000,
    seed: int = 0,
    radius: float | None = 1.0,
    steps: int = 10,
    chunk_size: int | None = None,
    progress: bool = False,
    level: float = 0.95,
) -> GeometryResult:
    """Measured P(positive transfer) after retraining on association 1 has contracted the
    error along its input by ``contraction`` (λ in (0, 1]); ``angle`` φ in degrees, (0, 180).

    Returns a :class:`GeometryResult`: ``positive_transfer_probability`` (an
    :class:`~simulation.estimate.Estimate`, Wilson, at ``level``), ``achieved_contraction``
    (mean measured λ, CLT interval), ``trials``, ``seed`` and the ``parameters`` used.

    Examples:
        >>> r = simulate_geometry(60, 0.5, trials=2000, seed=1)
        >>> r.positive_transfer_probability.estimate
        0.581
        >>> round(r.achieved_contraction.estimate, 6)
        0.5
        >>> r.parameters.steps, r.to_dict()["trials"]
        (10, 2000)
        >>> simulate_geometry(180, 0.5)
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: angle: expected an angle in degrees in (0, 180), got 180
    """
    given = {"angle": angle, "contraction": contraction, "trials": trials, "seed": seed}
    s = check_simulate_geometry_arguments(
        **given, radius=radius, steps=steps, chunk_size=chunk_size, level=level
    )
    angle_deg, lam, n_trials, seed_ = s.angle, s.contraction, s.trials, s.seed
    r_fixed, n_steps, level_ = s.radius, s.steps, s.level
    phi = np.deg2rad(angle_deg)
    if lam == 1.0:
        n_steps = 0
    epsilon = 1.0 - lam ** (1.0 / n_steps) if n_steps else 1.0
    first = np.array([True, False])
    successes = [0]

    def simulate(blocks: Sequence[Block]) -> dict[str, FloatArray]:
        parts = []
        for bl in blocks:
            orientation = bl.rng.uniform(0.0, 2.0 * np.pi, bl.size)
            teacher = bl.rng.standard_normal((bl.size, 1, 2))
            direction = bl.rng.uniform(0.0, 2.0 * np.pi, bl.size)
            if r_fixed is None:
                r = 10.0 ** bl.rng.uniform(-2.0, 2.0, bl.size)
            else:
                r = np.full(bl.size, r_fixed)
            parts.append((orientation, teacher, direction, r))
        orientation, teacher, direction, r = (np.concatenate(p) for p in zip(*parts, strict=True))
        angles = np.stack([orientation, orientation + phi], axis=1)  # (T, 2)
        x = np.stack([np.cos(angles), np.sin(angles)], axis=2)  # (T, 2, 2): unit a, b
        d = teacher_targets(teacher, x)
        noise = (r[:, None] * np.stack([np.cos(direction), np.sin(direction)], axis=1))[:, None]
        blurred = teacher + noise
        before = residuals(blurred, x, d)[:, 0, 0]
        if n_steps:
            after_weights = retrain(
                blurred, x, d, first, n_steps, "gradient", epsilon, record_errors=False
            ).weights
        else:
            after_weights = blurred
        after = residuals(after_weights, x, d)[:, 0, 0]
        positive = improvement_rates(after_weights, x, d, first)[:, 1] > 0.0
        successes[0] += int(np.count_nonzero(positive))
        ratio = np.divide(after, before, out=np.ones_like(after), where=before != 0.0)
        return {"contraction": ratio}

    moments = stream_moments(
        seed_, n_trials, 8, simulate, chunk_size=chunk_size, progress=progress,
        desc="simulate geometry",
    )  # fmt: skip
    if n_trials >= 2:
        achieved = moments.mean("contraction", level_)
    else:  # one trial: the value itself, with no spread to make an interval from
        value = float(moments.shift["contraction"])
        achieved = Estimate(value, value, value, level_, n=n_trials)
    return GeometryResult(
        positive_transfer_probability=proportion_estimate(successes[0], n_trials, level_),
        achieved_contraction=achieved,
        trials=n_trials,
        seed=seed_,
        parameters=GeometryParameters(
            angle=angle_deg, contraction=lam, radius=r_fixed, steps=n_steps, epsilon=epsilon
        ),
    )
