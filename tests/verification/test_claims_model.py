"""The claim data model: seeds per claim, intervals at two levels, JSON objects."""

import json
import math

import numpy as np
import pytest
from scipy import stats

from verification.claims.model import (
    DECISION_LEVEL,
    Claim,
    Simulated,
    claim_seed,
    threshold_part,
    value_part,
)


def test_claim_seed_depends_on_id_and_path_not_on_order():
    assert claim_seed(1, "a") == claim_seed(1, "a")
    assert claim_seed(1, "a") != claim_seed(1, "b")
    assert claim_seed(1, "a") != claim_seed(2, "a")
    assert claim_seed(1, "a", "n = 10") != claim_seed(1, "a", "n = 20")
    assert 0 <= claim_seed(123, "eq2-zero-one", 3) < 2**63


def test_normal_interval_is_rescaled_exactly_between_levels():
    z95, zd = stats.norm.ppf(0.975), stats.norm.ppf(0.5 + DECISION_LEVEL / 2)
    se = 0.01

    class Est:
        estimate, level = 0.5, 0.95
        ci_low, ci_high = 0.5 - z95 * se, 0.5 + z95 * se

    s = Simulated.from_estimate(Est(), 1000, "normal")
    assert s.ci_low == pytest.approx(0.5 - zd * se) and s.ci_high == pytest.approx(0.5 + zd * se)
    assert s.ci95_low == Est.ci_low and s.ci95_high == Est.ci_high
    assert s.level == DECISION_LEVEL and s.half_width == pytest.approx(zd * se)


def test_wilson_rescaling_matches_the_simulators_interval():
    from simulation import proportion_estimate

    est = proportion_estimate(620, 1000, 0.95)
    s = Simulated.from_estimate(est, 1000, "wilson")
    direct = proportion_estimate(620, 1000, DECISION_LEVEL)
    assert s.ci_low == pytest.approx(direct.ci_low) and s.ci_high == pytest.approx(direct.ci_high)


def test_clopper_pearson_is_exact_at_the_boundaries():
    zero = Simulated.from_count(0, 1000)
    assert zero.ci_low == 0.0 and 0 < zero.ci_high < 0.01
    full = Simulated.from_count(50, 50)
    assert full.ci_high == 1.0 and full.ci_low < 1.0
    mid = Simulated.from_count(30, 100)
    assert mid.ci_low < 0.3 < mid.ci_high and mid.ci95_low > mid.ci_low


def test_difference_of_independent_estimates_adds_standard_errors():
    a = Simulated(0.6, 0.59, 0.61, DECISION_LEVEL, 0.595, 0.605, 100)
    b = Simulated(0.5, 0.48, 0.52, DECISION_LEVEL, 0.49, 0.51, 100)
    d = Simulated.difference(a, b)
    assert d.estimate == pytest.approx(0.1)
    assert d.half_width == pytest.approx(math.hypot(0.01, 0.02))


def test_claim_json_object_has_the_issue_fields_and_the_verdict_part_first():
    sim = Simulated(0.1667, 0.163, 0.170, DECISION_LEVEL, 0.165, 0.168, 10_000)
    exact_part = value_part("a", "q", 0.25, 0.25, Simulated(0.25, 0.245, 0.255, DECISION_LEVEL,
                            0.247, 0.253, 10), 0.01)  # fmt: skip
    approx_part = value_part("b", "q", 0.25, 1 / 6, sim, 0.01)
    flag = threshold_part("c", "q", sim, threshold=0.1, above=True, exact=1 / 6)
    claim = Claim.from_parts("x", "Sec. 5", "words", "q", ["eq1"], "set-up", [exact_part,
                             approx_part, flag])  # fmt: skip
    assert claim.verdict == "approximation" and claim.primary is approx_part
    data = json.loads(json.dumps(claim.as_dict(), allow_nan=False))
    for key in (
        "id",
        "section",
        "statement",
        "paper_value",
        "exact_value",
        "simulated",
        "verdict",
        "reason",
        "gap",
        "relative_gap",
        "theory_simulation_disagree",
        "alternative_quantity",
        "alternative_value",
        "derivations",
        "setup",
        "parts",
    ):
        assert key in data  # fmt: skip
    assert data["paper_value"] == 0.25 and data["exact_value"] == pytest.approx(1 / 6)
    assert data["simulated"]["level"] == DECISION_LEVEL and len(data["parts"]) == 3
    assert data["parts"][2]["claimed_side"] == "above"
    assert np.isclose(data["gap"], 0.25 - 1 / 6)
