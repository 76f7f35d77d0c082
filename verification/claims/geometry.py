"""Claims about the two-weight network of Figs. 3-4 (Sec. 4.1 and 5.3).

==============================  ==============================================================
``geometry-positive-transfer``  Sec. 4.1: positive transfer is more likely than not, for every
                                radius r of the noise
``ellipse-arc-fraction``        Sec. 5.3: P(positive transfer) = the fraction of the circle's
                                (then the ellipse's) circumference in the two larger arcs
``transfer-decays``             Sec. 5.3: as retraining proceeds, the transfer diminishes
==============================  ==============================================================
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from ..engine.model import DECISION_LEVEL, Part, Simulated, threshold_part, value_part
from ..engine.provenance import EVIDENCE_OF_SIMULATOR, Provenance, digest, simulate_command
from ..engine.registry import ClaimSpec, Context, register

__all__: list[str] = []

POSITIVE = "P(positive transfer): the probability that a small step on association 1 improves 2"

_SETUP = (
    "Per trial (simulation.geometry.simulate_geometry): two input units, one linear output "
    "unit, unit input vectors at angle φ in a random common orientation, a teacher with "
    "N(0, I) weights (perfect learning); noise of length r in a uniformly random direction "
    "(the circle of Fig. 4); retraining on association 1 by 10 real gradient-descent steps "
    "whose step size makes the error along input 1 contract by λ (λ = 1: no retraining; the "
    "contraction reached is measured); then the sign of the first-order improvement rate of "
    "association 2 for a further step on association 1. Proportion of trials with positive "
    "transfer, Wilson interval."
)


def _simulated_probability(
    ctx: Context, label: str, angle: float, contraction: float, trials: int, radius: float | None
) -> tuple[Simulated, Provenance | None]:
    """The simulated P(positive transfer) and its provenance: the ``fastweights simulate
    geometry`` command that prints it (None for a random radius, which the command does
    not offer: the claim's fallback, ``verify``, applies)."""
    from simulation import simulate_geometry

    seed = ctx.seed_for(label)
    result = simulate_geometry(
        angle,
        contraction,
        trials=trials,
        seed=seed,
        radius=radius,
        level=DECISION_LEVEL,
    )
    provenance = None
    if radius is not None:
        options = {"angle": angle, "contraction": contraction, "radius": radius}
        provenance = Provenance(
            simulate_command("geometry", {**options, "trials": trials, "seed": seed}),
            "positive_transfer_probability.estimate",
            digest(result),
            EVIDENCE_OF_SIMULATOR,
        )
    return Simulated.from_estimate(result.positive_transfer_probability), provenance


# ---------------------------------------------------------------- Sec. 4.1

#: (angle φ in degrees, radius r; None: r log-uniform on [0.01, 100] per trial)
_POSITIVE_SETTINGS = (
    (60.0, 0.01),
    (60.0, 1.0),
    (60.0, 100.0),
    (60.0, None),
    (30.0, 1.0),
    (80.0, 1.0),
    (120.0, 1.0),
)


def _positive_parts(ctx: Context) -> list[Part]:
    from theory import positive_transfer_probability

    parts = []
    trials = ctx.trials(full=40_000, quick=10_000)
    for angle, radius in _POSITIVE_SETTINGS:
        r_text = "r log-uniform on [0.01, 100]" if radius is None else f"r = {radius:g}"
        label = f"φ = {angle:g}°, {r_text}"
        simulated, provenance = _simulated_probability(ctx, label, angle, 1.0, trials, radius)
        part = threshold_part(
            label,
            POSITIVE + ", at the start of retraining (λ = 1)",
            simulated=simulated,
            threshold=0.5,
            above=True,
            exact=float(positive_transfer_probability(angle, 1.0)),
            parameters={"angle": angle, "radius": radius, "contraction": 1.0},
        )
        parts.append(replace(part, provenance=provenance))
    return parts


register(
    ClaimSpec(
        id="geometry-positive-transfer",
        section="Sec. 4.1, Figs. 3-4",
        statement=(
            "Thus, when we retrain a small amount on association 1, we are more likely than not "
            "to improve the performance on association 2, even though the associations are "
            "only randomly related to each other. [...] the geometrical argument we have just "
            "given is independent of the magnitude, r, of the noise vector."
        ),
        quantity=POSITIVE + " at the start of retraining; the claim: > 1/2 for every r "
        "(and every angle between the input vectors other than 90°)",
        derivations=("geometry-positive-transfer",),
        setup=_SETUP + " Parts: several radii r (0.01 to 100, and random) and angles φ.",
        evaluate=_positive_parts,
        background=True,
    )
)

# ---------------------------------------------------------------- Sec. 5.3, the arc reading

_ARC_SETTINGS = ((30.0, 1.0), (30.0, 0.5), (60.0, 0.5))


def _arc_parts(ctx: Context) -> list[Part]:
    from theory import paper_ellipse_arc_fraction, positive_transfer_probability

    parts = []
    trials = ctx.trials(full=60_000, quick=30_000)
    for angle, contraction in _ARC_SETTINGS:
        label = f"φ = {angle:g}°, λ = {contraction:g}"
        simulated, provenance = _simulated_probability(ctx, label, angle, contraction, trials, 1.0)
        part = value_part(
            label,
            POSITIVE + ", after retraining has contracted the error along input 1 by λ",
            paper=float(paper_ellipse_arc_fraction(angle, contraction)),
            exact=float(positive_transfer_probability(angle, contraction)),
            simulated=simulated,
            resolution=0.01,
            parameters={"angle": angle, "contraction": contraction, "radius": 1.0},
        )
        parts.append(replace(part, provenance=provenance))
    return parts


register(
    ClaimSpec(
        id="ellipse-arc-fraction",
        section="Sec. 5.3, Fig. 4",
        statement=(
            "At the start of retraining, the point in weight space lies somewhere on the circle, "
            "and the probability that the transfer will be positive is simply the fraction of "
            "the circumference that lies in the two larger arcs of the circle. [...] each point "
            "on the circle will move to the corresponding point on the ellipse. The probability "
            "of positive transfer is now equal to the fraction of the circumference of the "
            "ellipse that lies in the two larger arcs."
        ),
        quantity=POSITIVE + " after a given amount of retraining on association 1 "
        "(contraction λ of the error along input 1); the paper's value is the arc-length "
        "fraction of the ellipse in its two larger arcs",
        derivations=("geometry-positive-transfer", "ellipse-arc-fraction"),
        setup=_SETUP + " Radius r = 1 (the probability does not depend on it).",
        evaluate=_arc_parts,
        background=True,
    )
)

# ---------------------------------------------------------------- Sec. 5.3, transfer decays

_DECAY_ANGLE = 60.0
_DECAY_CONTRACTIONS = (1.0, 0.75, 0.5, 0.25)


def _decay_parts(ctx: Context) -> list[Part]:
    from theory import positive_transfer_probability

    trials = ctx.trials(full=50_000, quick=20_000)
    simulated = {
        lam: _simulated_probability(ctx, f"λ = {lam:g}", _DECAY_ANGLE, lam, trials, radius=None)[0]
        for lam in _DECAY_CONTRACTIONS
    }
    parts = []
    for before, after in itertools.pairwise(_DECAY_CONTRACTIONS):
        exact = float(
            positive_transfer_probability(_DECAY_ANGLE, after)
            - positive_transfer_probability(_DECAY_ANGLE, before)
        )
        parts.append(
            threshold_part(
                f"λ = {before:g} -> {after:g}",
                f"P(positive transfer) at λ = {after:g} minus at λ = {before:g} "
                f"(φ = {_DECAY_ANGLE:g}°)",
                simulated=Simulated.difference(simulated[after], simulated[before]),
                threshold=0.0,
                above=False,
                exact=exact,
                parameters={
                    "angle": _DECAY_ANGLE,
                    "from": before,
                    "to": after,
                    "simulated_probabilities": {
                        f"{lam:g}": simulated[lam].as_dict() for lam in (before, after)
                    },
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="transfer-decays",
        section="Sec. 5.3",
        statement=(
            "The analyses we have presented are for the transfer between random associations "
            "during the earliest stage of retraining. As retraining proceeds, the transfer "
            "effect diminishes."
        ),
        quantity=(
            "the change of P(positive transfer) between successive stages of retraining on "
            "association 1 (contraction λ = 1, .75, .5, .25 of the error along input 1); the "
            "claim: every change is negative"
        ),
        derivations=("transfer-decays", "geometry-positive-transfer"),
        setup=_SETUP
        + f" φ = {_DECAY_ANGLE:g}°, r log-uniform on [0.01, 100]; one independent run per λ; "
        "the difference of two runs has a normal interval (standard errors added in "
        "quadrature).",
        evaluate=_decay_parts,
        background=True,
    )
)
