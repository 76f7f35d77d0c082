"""Verdicts over the box: the rule (verdict.decide_readings), the measurement at a
reading, and the analysis of a whole search (synthetic per-seed numbers)."""

import math

import numpy as np
import pytest
from readings_synthetic import compact_row, rng
from scipy import stats

from verification.engine.model import DECISION_LEVEL
from verification.readings.analysis import analyse, measured, select_reruns
from verification.readings.box import BOX
from verification.readings.design import design
from verification.readings.measure import CLAIMS, claim_outcomes, intact
from verification.verdict import Outcome, ReadingsEvidence, decide_readings

R, F, U = (Outcome(v, v) for v in ("reproduced", "refuted", "inconclusive"))


@pytest.mark.parametrize(
    ("defaults", "best", "worst", "verdict"),
    [
        (R, R, R, "reproduced"),
        (R, R, None, "reproduced"),
        (R, R, F, "reading-dependent"),
        (R, R, U, "inconclusive"),
        (F, F, F, "refuted"),
        (F, None, F, "refuted"),
        (F, R, F, "reading-dependent"),
        (F, U, F, "inconclusive"),
        (U, R, F, "reading-dependent"),
        (U, R, R, "inconclusive"),
        (U, F, F, "inconclusive"),
    ],
)
def test_decide_readings_is_symmetric(defaults, best, worst, verdict):
    out = decide_readings(
        ReadingsEvidence(defaults, best, worst, "B", "W", depends_on=("fast_phases",))
    )
    assert out.verdict == verdict
    if verdict == "reading-dependent":
        assert "fast_phases" in out.reason


def test_intervals_come_from_the_seeds():
    row = compact_row(rng(1), seeds=12)
    at = claim_outcomes(row)
    control = at["deblur-control"].parts[0].simulated
    diff = np.subtract(
        row["fractions"]["0.1"]["control_new_after_decay"],
        row["fractions"]["0.1"]["new_after_decay"],
    )
    half = stats.t.ppf(0.5 + DECISION_LEVEL / 2, 11) * diff.std(ddof=1) / math.sqrt(12)
    assert control.estimate == pytest.approx(diff.mean(), rel=1e-12)
    assert control.ci_high - control.estimate == pytest.approx(half, rel=1e-9)
    learned = at["deblur-original-learning"].parts[0].simulated
    assert learned.estimate == sum(row["learned"]) / 12


def test_a_ratio_whose_denominator_does_not_move_has_no_interval():
    row = compact_row(rng(2))
    row["fractions"]["0.1"]["retrained_gain"] = list(0.001 * rng(3).standard_normal(10))
    at = claim_outcomes(row)["deblur-transfer"]
    part = at.parts[0]
    assert part.simulated is None and part.outcome.verdict == "inconclusive"
    assert math.isnan(part.margin) and math.isnan(at.margin) and not at.holds


def test_a_ratio_of_two_losses_is_not_a_transfer():
    """Retraining that makes the retrained associations worse (both improvements negative)
    would give a positive ratio; the claim presupposes an improvement, so it fails there.
    Retraining that leaves the new associations better gives them nothing to return from:
    undefined, not a pass."""
    row = compact_row(rng(12), seeds=40)
    f = row["fractions"]["0.1"]
    f["retrained_gain"] = [-g for g in f["retrained_gain"]]
    f["unretrained_gain"] = [-1.5 * g for g in f["unretrained_gain"]]
    at = claim_outcomes(row)
    transfer = at["deblur-transfer"].parts[0]
    assert transfer.outcome.verdict == "refuted" and "worse" in transfer.outcome.reason
    assert transfer.margin == -math.inf and at["deblur-transfer"].outcome.verdict == "refuted"
    before = f["new_before"]
    f["new_after_retraining"] = [b - 0.2 for b in before]
    damage = claim_outcomes(row)["deblur-new-return"].parts[0]
    assert damage.outcome.verdict == "inconclusive" and "nothing" in damage.outcome.reason


def test_claims_hold_and_fail_where_the_numbers_say():
    good = claim_outcomes(compact_row(rng(4), seeds=40))
    assert {c: good[c].outcome.verdict for c in CLAIMS} == dict.fromkeys(CLAIMS, "reproduced")
    bad = claim_outcomes(
        compact_row(rng(5), seeds=40, learned=0.0, transfer=(0.4, 0.8), damage=(0.8, 0.8))
    )
    assert bad["deblur-original-learning"].outcome.verdict == "refuted"
    assert bad["deblur-transfer"].outcome.verdict == "refuted"  # 10% part refuted
    assert bad["deblur-new-return"].outcome.verdict == "refuted"
    broken = compact_row(rng(6), wrong=0.3)
    assert not intact(broken)
    at = claim_outcomes(broken)
    assert at["deblur-original-learning"].counted and not at["deblur-transfer"].counted


def _search(rule, count=64, seeds=10, seed=0):
    """Synthetic search: the transfer claim holds where ``rule(reading)``."""
    g = rng(seed)
    out = []
    for reading in design(count, seed=seed):
        transfer = (0.95, 0.97) if rule(reading) else (0.4, 0.7)
        out.append(measured(reading, compact_row(g, seeds=seeds, transfer=transfer)))
    return out


def _rerun(search, rule, seed=9):
    g = rng(seed)
    return [
        measured(r, compact_row(g, seeds=40, transfer=(0.95, 0.97) if rule(r) else (0.4, 0.7)))
        for r in select_reruns(search)
    ]


def test_a_claim_that_holds_only_in_part_of_the_box_is_reading_dependent_and_named():
    def rule(r):
        return r["fast_phases"] == "retraining"

    search = _search(rule)
    defaults = measured(
        {d.name: d.default for d in BOX}, compact_row(rng(7), seeds=200, transfer=(0.4, 0.7))
    )
    result = analyse(defaults, search, _rerun(search, rule), source="test")
    transfer = result.claims["deblur-transfer"]
    assert transfer.verdict == "reading-dependent"
    assert transfer.depends_on[0] == "fast_phases"
    assert transfer.best_rerun.reading["fast_phases"] == "retraining"
    assert transfer.holds == 32 and transfer.counted == 64
    assert 0.35 < transfer.share.ci95_low < 0.5 < transfer.share.ci95_high < 0.65
    others = {c: result.claims[c].verdict for c in CLAIMS if c != "deblur-transfer"}
    assert others == dict.fromkeys(others, "reproduced")
    assert result.joint.outcome.verdict == "reproduced"
    assert result.joint.best_rerun.reading["fast_phases"] == "retraining"
    json_ready = result.as_dict()
    assert json_ready["claims"]["deblur-transfer"]["verdict"] == "reading-dependent"


def test_a_claim_that_fails_everywhere_is_refuted_and_conflicts_are_found():
    search = _search(lambda r: False)
    defaults = measured({}, compact_row(rng(8), seeds=200, transfer=(0.4, 0.7)))
    result = analyse(defaults, search, _rerun(search, lambda r: False), source="test")
    assert result.claims["deblur-transfer"].verdict == "refuted"
    assert result.claims["deblur-transfer"].holds == 0
    assert result.joint.outcome.verdict == "refuted"
    assert "deblur-transfer" in result.joint.outcome.reason
