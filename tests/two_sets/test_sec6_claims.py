"""The Sec. 6 claims' verdict logic on synthetic per-seed numbers: reproduced, refuted and
inconclusive are each reachable, decided at the decision level from the numbers alone."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.deblur_protocol import DeblurSettings
from simulation.two_sets import PER_SEED_KEYS, TwoSetsResult
from verification.claims.sec6_prediction import (
    CAVEAT_ID,
    SUBSTANTIAL,
    TRANSFER_ID,
    caveat_parts,
    transfer_parts,
)
from verification.engine.model import DECISION_LEVEL
from verification.engine.registry import claim_specs

LENGTHS = (100, 300, 1300, 3000)


def _result(gain_b: np.ndarray, gain_a: np.ndarray, overlap: np.ndarray) -> TwoSetsResult:
    """Per-seed numbers with the given gains (S, L) after every sweep k (linear in k) and
    the overlaps ``overlap`` (S, L) as every overlap measure."""
    s, sweeps = gain_a.shape[0], 6
    k = np.arange(sweeps) / (sweeps - 1)
    per_seed = {key: overlap.copy() for key in PER_SEED_KEYS}
    per_seed["a_error"] = 0.4 - gain_a[:, :, None] * k
    per_seed["b_error"] = 0.4 - gain_b[:, :, None] * k
    per_seed["new_error"] = np.full((s, len(LENGTHS), sweeps), 0.1)
    return TwoSetsResult(LENGTHS, s, 0, 50, DeblurSettings(), per_seed)


def _noise(seeds: int, scale: float, seed: int = 0) -> np.ndarray:
    return scale * np.random.default_rng(seed).standard_normal((seeds, len(LENGTHS)))


@pytest.mark.parametrize(
    ("ratio", "noise", "seeds", "verdict"),
    [(0.8, 0.005, 20, "reproduced"), (0.2, 0.005, 20, "refuted"), (0.5, 0.02, 5, "inconclusive")],
)
def test_transfer_verdict_follows_the_interval(ratio, noise, seeds, verdict):
    gain_a = 0.1 + _noise(seeds, noise, 1)
    gain_b = ratio * 0.1 + _noise(seeds, noise, 2)
    parts = transfer_parts(_result(gain_b, gain_a, np.full((seeds, 4), 0.5)))
    assert [p.label for p in parts] == ["after 1 retraining sweep", "after 5 retraining sweeps"]
    for part in parts:
        assert part.threshold == SUBSTANTIAL and part.above
        assert part.simulated.level == DECISION_LEVEL
        assert part.outcome.verdict == verdict, part.outcome.reason
    expected = gain_b[:, 2].mean() / gain_a[:, 2].mean()  # 1300 sweeps, linear in k
    assert parts[1].simulated.estimate == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("slope", "noise", "seeds", "verdict"),
    [(-0.1, 0.01, 20, "reproduced"), (0.1, 0.01, 20, "refuted"), (0.0, 0.05, 5, "inconclusive")],
)
def test_caveat_verdicts_follow_the_slopes(slope, noise, seeds, verdict):
    x = np.log10(LENGTHS)
    overlap = 0.5 + slope * x + _noise(seeds, noise, 3)
    gain_a = np.full((seeds, 4), 0.1) + _noise(seeds, 0.001, 4)
    gain_b = gain_a * (0.6 + slope * x) + _noise(seeds, noise / 10, 5)  # transfer moves alike
    parts = caveat_parts(_result(gain_b, gain_a, overlap))
    assert len(parts) == 3
    for part in parts:
        assert part.threshold == 0.0 and not part.above
        assert part.outcome.verdict == verdict, (part.label, part.outcome.reason)
    assert parts[0].simulated.estimate == pytest.approx(
        np.mean([np.polyfit(x, row, 1)[0] for row in overlap]), rel=1e-9
    )
    past = parts[0].parameters["past_the_paper"]
    assert past["from"] == 1300 and past["to"] == 3000
    assert past["cos_ab"]["estimate"] == pytest.approx((overlap[:, 3] - overlap[:, 2]).mean())


def test_the_claims_are_registered_and_read_one_input():
    specs = {spec.id: spec for spec in claim_specs()}
    for claim_id in (TRANSFER_ID, CAVEAT_ID):
        assert specs[claim_id].needs == ("two-sets-runs",)
        assert specs[claim_id].section == "Sec. 6"
    assert f"above {SUBSTANTIAL:g}" in specs[TRANSFER_ID].quantity


def test_the_background_process_and_a_fixed_seed_change_no_number():
    """The run computed in the background process (pickled back) gives the claims computed
    here, number for number (--quick: 10 networks)."""
    from verification.engine.registry import evaluate_claims
    from verification.shared import executor

    ids = [TRANSFER_ID, CAVEAT_ID]
    executor.clear("two-sets-runs")
    here = [c.as_dict() for c in evaluate_claims(3, quick=True, ids=ids, parallel=False)]
    executor.clear("two-sets-runs")
    there = [c.as_dict() for c in evaluate_claims(3, quick=True, ids=ids, parallel=True)]
    assert here == there
    assert {c["verdict"] for c in here} <= {"reproduced", "refuted", "inconclusive"}
