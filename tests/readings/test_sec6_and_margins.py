"""Sec. 6's claim over the box (the transfer with the relearning in the slow weights) and
every claim's margin, on synthetic per-seed numbers and on a tiny real search."""

import math

import numpy as np
import pytest
from readings_synthetic import compact_row, rng
from scipy import stats

from verification.engine.model import DECISION_LEVEL
from verification.readings.analysis import analyse, margin_text, measured, select_reruns
from verification.readings.box import BOX, dimension
from verification.readings.design import design
from verification.readings.measure import (
    CLAIMS,
    SEC4_CLAIMS,
    SEC6_CLAIM,
    THRESHOLDS,
    claim_outcomes,
    compact_run,
)

BAND = THRESHOLDS["slow_minus_fast"]


def test_the_difference_and_its_paired_interval_come_from_the_seeds():
    row = compact_row(rng(1), seeds=15, slow_transfer=(0.88, 0.95))
    part = claim_outcomes(row)[SEC6_CLAIM].parts[0]  # 10%, sweep 1, not weaker
    f = row["fractions"]["0.1"]
    u1, r1 = np.array(f["control_unretrained_gain_1"]), np.array(f["control_retrained_gain_1"])
    u2, r2 = np.array(f["unretrained_gain_1"]), np.array(f["retrained_gain_1"])
    t1, t2 = u1.mean() / r1.mean(), u2.mean() / r2.mean()
    z = (u1 - t1 * r1) / r1.mean() - (u2 - t2 * r2) / r2.mean()
    half = stats.t.ppf(0.5 + DECISION_LEVEL / 2, 14) * z.std(ddof=1) / math.sqrt(15)
    assert part.simulated.estimate == pytest.approx(t1 - t2, rel=1e-12)
    assert part.simulated.ci_high - part.simulated.estimate == pytest.approx(half, rel=1e-9)
    assert part.simulated.estimate == pytest.approx(0.88 - 0.9, abs=0.02)


@pytest.mark.parametrize(
    ("slow", "verdict"),
    [((0.9, 0.95), "reproduced"), ((0.6, 0.95), "refuted"), ((1.2, 0.95), "refuted")],
)
def test_just_as_well_is_a_two_sided_band(slow, verdict):
    """Within ±0.05 holds; a transfer much weaker or much stronger without fast weights
    fails (each side a part)."""
    at = claim_outcomes(compact_row(rng(2), seeds=40, slow_transfer=slow))[SEC6_CLAIM]
    assert at.outcome.verdict == verdict
    assert len(at.parts) == 8
    assert {p.spec.threshold for p in at.parts} == {-BAND, BAND}


def test_a_row_without_the_control_gains_is_not_in_this_evidence():
    row = compact_row(rng(3), seeds=20, control_gains=False)
    at = claim_outcomes(row)[SEC6_CLAIM]
    assert at.missing and at.outcome.verdict == "inconclusive"
    assert all("not in this evidence" in p.outcome.reason for p in at.parts)
    assert math.isnan(at.margin) and not at.holds
    others = claim_outcomes(row)
    assert all(not others[c].missing for c in SEC4_CLAIMS)


def _search(count=32, control_gains=True):
    g = rng(5)
    return [
        measured(r, compact_row(g, seeds=10, transfer=(0.5, 0.9), control_gains=control_gains))
        for r in design(count, seed=5)
    ]


def test_a_stored_search_without_the_control_gains_never_passes_sec6():
    """The defaults (the claims' own run) hold the numbers, the stored rows do not: the
    verdict is 'not in this evidence', never a pass from the defaults alone, never a crash;
    the Sec. 4 claims and the joint answer are unaffected."""
    search = _search(control_gains=False)
    reruns = [
        measured(r, compact_row(rng(6), seeds=40, transfer=(0.5, 0.9), control_gains=False))
        for r in select_reruns(search)
    ]
    defaults = measured({}, compact_row(rng(7), seeds=200, transfer=(0.5, 0.9)))
    assert claim_outcomes(defaults.row)[SEC6_CLAIM].outcome.verdict == "reproduced"
    result = analyse(defaults, search, reruns, source="test")
    sec6 = result.claims[SEC6_CLAIM]
    assert sec6.verdict == "inconclusive"
    assert sec6.outcome.reason.startswith("Not in this evidence")
    assert sec6.missing == len(search) + len(reruns)
    assert result.claims["deblur-transfer"].verdict == "refuted"
    assert set(result.joint.alone) == set(SEC4_CLAIMS)
    full = analyse(defaults, _search(), reruns=[], source="test")
    assert full.claims[SEC6_CLAIM].missing == 0


def test_every_verdict_states_its_margin_and_what_pushes_toward_it():
    """The transfer holds nowhere, but rises with the initial weights' range: the margin
    names the best value, its interval and the threshold, and 'higher init_scale'."""
    g = rng(8)
    scale = dimension("init_scale")
    search = []
    for reading in design(64, seed=3):
        u = math.log(reading["init_scale"] / scale.low) / math.log(scale.high / scale.low)
        search.append(measured(reading, compact_row(g, seeds=10, transfer=(0.4 + 0.3 * u, 0.9))))
    reruns = [
        measured(r, compact_row(g, seeds=40, transfer=(0.6, 0.9))) for r in select_reruns(search)
    ]
    defaults = measured({}, compact_row(g, seeds=200, transfer=(0.45, 0.9)))
    result = analyse(defaults, search, reruns, source="test")
    transfer = result.claims["deblur-transfer"]
    assert transfer.verdict == "refuted"
    ten = transfer.margin[0]
    assert ten.spec.label == "10% retrained" and ten.spec.threshold == 0.8
    assert ten.pushes and ten.pushes[0].toward == "higher init_scale" and ten.pushes[0].rho > 0
    runs = [defaults, *search, *reruns]
    lows = [m.claims["deblur-transfer"].parts[0].simulated.ci_low for m in runs]
    assert ten.best_value.ci_low == max(lows)
    assert "Margin" in transfer.outcome.reason and "higher init_scale" in transfer.outcome.reason
    assert transfer.as_dict()["margin"][0]["best"]["seeds"] in {10, 40, 200}
    assert margin_text(transfer.margin) in transfer.outcome.reason
    assert all(result.claims[c].margin for c in CLAIMS)


def test_the_box_reaches_the_edges_the_transfer_climbs_to():
    """Issue 19.4: the 10% transfer ratio climbs with the initial weights' range up to ±2-3
    (docs/deblur.md, 'The box to its edge'); the box reaches ±4."""
    assert dimension("init_scale").high >= 2.0
    assert {d.name for d in BOX} >= {"init_scale", "fast_epsilon", "fast_momentum"}
    readings = design(64, seed=0)
    assert max(r["init_scale"] for r in readings) > 2.0


def test_compact_run_keeps_the_controls_gains_at_sweeps_1_and_5():
    from simulation import run_deblur_conditions

    run = run_deblur_conditions(
        seeds=3, retrain_fractions=(0.1, 0.5), seed=2, per_seed=True, associations=20,
        original_sweeps=30, new_sweeps=5, retrain_sweeps=6, n_hidden=8,
    )  # fmt: skip
    row = compact_run(run)
    errors = run.condition(0.1, fast_weights=False).per_seed.retrained_error
    f = row["fractions"]["0.1"]
    assert f["control_retrained_gain"] == (errors[:, 0] - errors[:, 5]).tolist()
    assert f["control_retrained_gain_1"] == (errors[:, 0] - errors[:, 1]).tolist()
    assert len(f["control_unretrained_gain_1"]) == 3


def test_the_readings_text_states_each_margin():
    from verification.readings.report import summary_lines

    search = _search()
    defaults = measured({}, compact_row(rng(9), seeds=200, transfer=(0.5, 0.9)))
    data = analyse(defaults, search, [], source="test").as_dict()
    text = "\n".join(summary_lines(data))
    assert text.count("Margin (decision intervals):") == len(CLAIMS)
    assert "against the threshold > 0.8" in text
