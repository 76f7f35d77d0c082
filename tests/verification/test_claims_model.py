"""The claim data model: seeds per claim, intervals at two levels, JSON objects."""

import json
import math

import numpy as np
import pytest
from scipy import stats

from verification.engine.model import (
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


def test_a_normal_estimate_gives_both_intervals_from_its_standard_error():
    from simulation import mean_estimate

    x = np.random.default_rng(5).exponential(size=2000)
    s = Simulated.from_estimate(mean_estimate(x, 0.95))
    se = x.std(ddof=1) / math.sqrt(x.size)
    zd, z95 = stats.norm.ppf(0.5 + DECISION_LEVEL / 2), stats.norm.ppf(0.975)
    assert s.ci_low == pytest.approx(x.mean() - zd * se, rel=1e-12)
    assert s.ci_high == pytest.approx(x.mean() + zd * se, rel=1e-12)
    assert s.ci95_low == pytest.approx(x.mean() - z95 * se, rel=1e-12)
    assert s.level == DECISION_LEVEL and s.trials == x.size
    assert s.se == pytest.approx(se, rel=1e-12) and s.half_width == pytest.approx(zd * se)


def test_a_t_estimate_over_seeds_gives_the_t_interval_at_the_decision_level():
    from simulation.seed_statistics import t_mean, t_ratio_of_means

    x = np.random.default_rng(6).normal(2.0, 1.0, size=12)
    y = x + np.random.default_rng(7).normal(1.0, 0.5, size=12)
    mean = Simulated.from_estimate(t_mean(x))
    low, high = stats.t.interval(DECISION_LEVEL, x.size - 1, x.mean(), stats.sem(x))
    assert (mean.ci_low, mean.ci_high) == pytest.approx((low, high), rel=1e-12)
    assert mean.trials == 12
    ratio = Simulated.from_estimate(t_ratio_of_means(x, y))
    r = x.mean() / y.mean()
    cov = np.cov(x, y, ddof=1)
    se = math.sqrt((cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (12 * y.mean() ** 2))
    low, high = stats.t.interval(DECISION_LEVEL, 11, r, se)
    assert (ratio.ci_low, ratio.ci_high) == pytest.approx((low, high), rel=1e-12)


def test_wilson_proportion_at_the_decision_level_is_made_from_its_counts():
    from simulation import proportion_estimate

    est = proportion_estimate(620, 1000, 0.95)
    s = Simulated.from_estimate(est)
    direct = proportion_estimate(620, 1000, DECISION_LEVEL)
    assert (s.ci_low, s.ci_high) == (direct.ci_low, direct.ci_high)
    assert (s.ci95_low, s.ci95_high) == (est.ci_low, est.ci_high) and s.trials == 1000
    assert s.se == pytest.approx(direct.width / 2 / stats.norm.ppf(0.5 + DECISION_LEVEL / 2))


def test_an_interval_without_its_making_cannot_be_moved_to_another_level():
    from simulation import Estimate

    with pytest.raises(ValueError, match="sample size"):
        Simulated.from_estimate(Estimate(0.5, 0.4, 0.6))
    with pytest.raises(ValueError, match="only known at"):
        Simulated.from_estimate(Estimate(0.5, 0.4, 0.6, n=10))


def test_clopper_pearson_is_exact_at_the_boundaries():
    zero = Simulated.from_count(0, 1000)
    assert zero.ci_low == 0.0 and 0 < zero.ci_high < 0.01
    full = Simulated.from_count(50, 50)
    assert full.ci_high == 1.0 and full.ci_low < 1.0
    mid = Simulated.from_count(30, 100)
    assert mid.ci_low < 0.3 < mid.ci_high and mid.ci95_low > mid.ci_low


def test_difference_of_independent_estimates_adds_standard_errors():
    zd = stats.norm.ppf(0.5 + DECISION_LEVEL / 2)
    a = Simulated(0.6, 0.59, 0.61, DECISION_LEVEL, 0.595, 0.605, 100, se=0.01 / zd)
    b = Simulated(0.5, 0.48, 0.52, DECISION_LEVEL, 0.49, 0.51, 100, se=0.02 / zd)
    d = Simulated.difference(a, b)
    assert d.estimate == pytest.approx(0.1)
    assert d.half_width == pytest.approx(math.hypot(0.01, 0.02))
    assert d.se == pytest.approx(math.hypot(0.01, 0.02) / zd)
    with pytest.raises(ValueError, match="standard error"):
        Simulated.difference(Simulated.from_count(3, 10), b)


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
