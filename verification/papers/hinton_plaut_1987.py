"""Hinton & Plaut (1987), *Using Fast Weights to Deblur Old Memories*, as data.

Everything specific to this paper that the engine reads: its title and citation, the
report's introduction, the default seed, the claim families (``verification/claims/``)
and the claims' order, the short names of their quantities, the figures
(``verification/report/figures.py``), the assumptions table
(``verification/report/assumptions.py``) and the stored search over the box of the
readings of Sec. 4 the paper leaves unstated (``verification/readings/box.py``). The
mathematics is in ``theory/``, the models in ``simulation/``.
"""

from __future__ import annotations

from typing import Any

from ..engine.paper import Paper

__all__ = [
    "CLAIM_GROUPS",
    "CLAIM_ORDER",
    "DEFAULT_SEED",
    "INTRODUCTION",
    "PAPER",
    "QUANTITY_NAMES",
    "parameters",
]

DEFAULT_SEED = 1987
"""The seed ``fastweights verify`` and ``fastweights report`` use unless told otherwise."""

INTRODUCTION = (
    "Hinton & Plaut (1987), *Using Fast Weights to Deblur Old Memories*, support their "
    "deblurring result (Sec. 4) with an analysis of transfer in linear networks (Sec. 4.1 and "
    "5). For every claim this report gives the paper's value, the exact value derived "
    "symbolically by `theory/` (sympy), and the value measured by `simulation/` on networks "
    "that are really trained, blurred and retrained (never computed from the formula it is "
    "compared with), and a verdict computed from these numbers alone."
)

CLAIM_ORDER = (
    "eq1-factorization",
    "eq2-zero-one",
    "eq2-random-vectors",
    "footnote-2",
    "ratio-943",
    "ratio-943-limit",
    "eq3-signed",
    "numerator-4p2n",
    "inverse-n",
    "dimension-independence",
    "zero-one-independence",
    "geometry-positive-transfer",
    "ellipse-arc-fraction",
    "transfer-decays",
    "deblur-original-learning",
    "deblur-transfer",
    "deblur-new-return",
    "deblur-control",
    "sec6-slow-relearning",
    "linear-analysis-explains-sec4",
    "sec6-two-sets-transfer",
    "sec6-separation-caveat",
)
"""The report and ``fastweights verify`` list the claims in this order (Section 5, the
analysis the report is mainly about, first; then Sections 4.1 and 5.3, then Section 4's
experiment, then whether the analysis explains the experiment)."""

QUANTITY_NAMES: dict[str, str] = {
    "eq1-factorization": "share of trials where Eq. (1)'s cos θ = ρ·sign(XY) fails",
    "eq2-zero-one": "⟨cos θ⟩ for a 0/1 pair with the typical counts",
    "eq2-random-vectors": "⟨cos θ⟩ for random 0/1 pairs, n = 10",
    "footnote-2": "ratio of expected improvements, gradient step",
    "ratio-943": "unretrained / retrained improvement, 50 of 100 retrained, n = 10",
    "ratio-943-limit": "the same ratio as n → ∞",
    "eq3-signed": "⟨cos θ⟩ for a {1, 0, -1} pair",
    "numerator-4p2n": "E[(n_agree - n_disagree)²], Eq. (3)'s numerator",
    "inverse-n": "exponent β of ⟨cos θ⟩ ∝ nᵝ, {1, 0, -1} inputs",
    "dimension-independence": "improvement ratio at K = n, M = K/2 for several n",
    "zero-one-independence": "transfer c = C/D between two 0/1 associations",
    "geometry-positive-transfer": "P(positive transfer) at the start of retraining",
    "ellipse-arc-fraction": "P(positive transfer) part-way through retraining",
    "transfer-decays": "change of P(positive transfer) as retraining proceeds",
    "deblur-original-learning": "share of networks that learned all 100; fast/slow weights",
    "deblur-transfer": "unretrained / retrained improvement after 5 sweeps",
    "deblur-new-return": "share of the damage to the 5 new associations left after decay",
    "deblur-control": "damage to the new associations: control minus fast weights",
    "sec6-slow-relearning": "transfer ratio, slow-weight relearning minus fast weights",
    "linear-analysis-explains-sec4": "first-sweep transfer ratio on Sec. 4's network",
    "sec6-two-sets-transfer": "set B's gain / set A's gain when only A is retrained",
    "sec6-separation-caveat": "trends of code overlap and transfer with learning length",
}
"""A plain-language name of each claim's quantity for the summary (the full definition is
the claim's ``quantity``); a claim without one is named by the start of that definition."""


CLAIM_GROUPS = (
    ("Linear networks (Sec. 4.1, 5)", ()),  # every claim not listed below
    (
        "Deblurring (Sec. 4)",
        (
            "deblur-original-learning",
            "deblur-transfer",
            "deblur-new-return",
            "deblur-control",
            "linear-analysis-explains-sec4",
        ),
    ),
    (
        "Conclusions (Sec. 6)",
        ("sec6-slow-relearning", "sec6-two-sets-transfer", "sec6-separation-caveat"),
    ),
)
"""The report's groups of claims: the linear analysis, the deblurring experiment, the
conclusions."""


def parameters(quick: bool) -> dict[str, Any]:
    """The Sec. 4 settings ``results.json`` records in ``meta.parameters``: the seeds of the
    deblurring runs and of the sensitivity runs, the axes of the sensitivity, and the
    claims' thresholds."""
    from ..claims.deblur import EARLY_SWEEP, INTACT_WRONG_OUTPUTS, THRESHOLDS
    from ..shared.deblur_runs import SENSITIVITY_AXES, deblur_seeds, sensitivity_seeds

    return {
        "deblur_seeds": deblur_seeds(quick),
        "deblur_sensitivity_seeds": sensitivity_seeds(quick),
        "deblur_sensitivity_axes": {k: list(v) for k, v in SENSITIVITY_AXES.items()},
        "deblur_intact_wrong_outputs": INTACT_WRONG_OUTPUTS,
        "deblur_early_sweep": EARLY_SWEEP,
        "deblur_thresholds": dict(THRESHOLDS),
    }


PAPER = Paper(
    key="hinton-plaut-1987",
    title="Using Fast Weights to Deblur Old Memories",
    citation="Hinton & Plaut (1987)",
    report_title="Hinton & Plaut (1987), claim by claim: theory against simulation",
    introduction=INTRODUCTION,
    default_seed=DEFAULT_SEED,
    claim_modules=(
        "verification.claims.pair",  # Sec. 5: Eq. (1)-(3), footnote 2
        "verification.claims.ensembles",  # Sec. 5.1-5.2: the .943, 4p²n, 1/n, dimension
        "verification.claims.geometry",  # Sec. 4.1, 5.3: Figs. 3-4
        "verification.claims.deblur",  # Sec. 4: the deblurring experiment, Fig. 2
        "verification.claims.sec6_slow",  # Sec. 6: the transfer without fast weights
        "verification.claims.transfer_chain",  # Sec. 4.1/5 vs Sec. 4: where the transfer goes
        "verification.claims.sec6_prediction",  # Sec. 6: two sets, and the caveat
    ),
    claim_order=CLAIM_ORDER,
    quantity_names=QUANTITY_NAMES,
    figure_modules=(
        "verification.report.figures",
        "verification.report.sec6_figure",
        "verification.report.pm1_figure",  # appendix: a ±1 reproduction (issue 19.5)
    ),
    assumptions="verification.report.assumptions:assumptions",
    stored_readings="full-1987",
    readings_box="verification.readings.box:BOX",
    input_modules=(
        "verification.shared.deblur_runs",
        "verification.shared.readings_evidence",
        "verification.shared.transfer_chains",
        "verification.shared.two_sets_runs",
    ),
    claim_groups=CLAIM_GROUPS,
    parameters="verification.papers.hinton_plaut_1987:parameters",
)
