"""The verdict rules on synthetic numbers: every verdict kind, and every way to be inconclusive."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verification.verdict import (
    DECIDED,
    VERDICTS,
    Alternative,
    Outcome,
    SensitivityOutcome,
    combine,
    decide_sensitivity,
    decide_threshold,
    decide_value,
)

UNIT_STEP = "ratio of expected improvements, fixed-length step"


def test_exact_when_paper_equals_theory_and_narrow_interval_contains_it():
    out = decide_value(paper=0.25, exact=0.25, low=0.249, high=0.252, resolution=0.01)
    assert out.verdict == "exact" and out.decided
    assert out.gap is None and not out.theory_simulation_disagree


def test_equal_within_tolerance_counts_as_equal():
    out = decide_value(paper=0.25 + 1e-13, exact=0.25, low=0.245, high=0.255, resolution=0.01)
    assert out.verdict == "exact"
    out = decide_value(paper=0.25 + 1e-9, exact=0.25, low=0.2, high=0.3, resolution=0.1)
    assert out.verdict == "inconclusive"  # differ, both inside: too wide


def test_symbolic_equality_overrides_the_numeric_tolerance():
    out = decide_value(0.25, 0.25 + 1e-9, 0.245, 0.255, 0.01, symbolically_equal=True)
    assert out.verdict == "exact"
    out = decide_value(0.25, 0.25, 0.245, 0.255, 0.01, symbolically_equal=False)
    assert out.verdict == "inconclusive"


def test_equal_values_but_wide_interval_is_inconclusive():
    out = decide_value(paper=0.25, exact=0.25, low=0.1, high=0.4, resolution=0.01)
    assert out.verdict == "inconclusive" and not out.decided
    assert "too wide" in out.reason


def test_approximation_gives_the_gap():
    # ratio-943 at n = 10: paper 50/53, exact 0.9545
    out = decide_value(paper=50 / 53, exact=0.9545, low=0.951, high=0.958, resolution=0.01)
    assert out.verdict == "approximation" and out.decided
    assert out.gap == pytest.approx(50 / 53 - 0.9545)
    assert out.relative_gap == pytest.approx((50 / 53 - 0.9545) / 0.9545)


def test_different_quantity_names_the_quantity():
    # Eq. (2) at rho = 1/2: E[cos] = 1/6, the paper's 1/4 is the unit-step improvement ratio
    alt = Alternative(UNIT_STEP, exact=0.25, low=0.245, high=0.255)
    out = decide_value(0.25, 1 / 6, 0.16, 0.17, 0.01, alternatives=[alt])
    assert out.verdict == "different-quantity"
    assert out.alternative == UNIT_STEP and out.alternative_value == 0.25
    assert out.gap == pytest.approx(0.25 - 1 / 6) and out.decided


def test_alternative_whose_interval_also_contains_theory_gives_approximation():
    alt = Alternative(UNIT_STEP, exact=0.25, low=0.1, high=0.3)
    out = decide_value(0.25, 1 / 6, 0.16, 0.17, 0.01, alternatives=[alt])
    assert out.verdict == "approximation"


def test_alternative_with_another_value_gives_approximation():
    alt = Alternative("something else", exact=0.3, low=0.29, high=0.31)
    out = decide_value(0.25, 1 / 6, 0.16, 0.17, 0.01, alternatives=[alt])
    assert out.verdict == "approximation" and out.alternative is None


def test_both_inside_and_different_is_inconclusive_never_passed():
    out = decide_value(paper=0.943, exact=0.9545, low=0.93, high=0.97, resolution=0.05)
    assert out.verdict == "inconclusive" and not out.decided


def test_theory_outside_interval_flags_disagreement_even_when_paper_inside():
    out = decide_value(paper=0.25, exact=1 / 6, low=0.24, high=0.26, resolution=0.01)
    assert out.theory_simulation_disagree and not out.decided
    assert out.verdict == "inconclusive" and "DISAGREE" in out.reason


def test_refuted_when_paper_theory_and_alternatives_all_outside():
    alt = Alternative(UNIT_STEP, exact=0.25, low=0.4, high=0.5)
    out = decide_value(0.25, 1 / 6, 0.6, 0.7, 0.01, alternatives=[alt])
    assert out.verdict == "refuted" and out.theory_simulation_disagree and not out.decided


def test_surviving_alternative_prevents_refuted():
    alt = Alternative(UNIT_STEP, exact=0.25, low=0.24, high=0.26)
    out = decide_value(0.25, 1 / 6, 0.6, 0.7, 0.01, alternatives=[alt])
    assert out.verdict == "inconclusive" and out.theory_simulation_disagree


def test_alternative_outside_its_own_interval_flags_disagreement():
    alt = Alternative(UNIT_STEP, exact=0.25, low=0.3, high=0.31)
    out = decide_value(0.25, 1 / 6, 0.16, 0.17, 0.01, alternatives=[alt])
    assert out.theory_simulation_disagree and not out.decided
    assert out.verdict == "approximation"


def test_threshold_with_theory():
    assert decide_threshold(0.6, 0.7, 0.5, above=True, exact=0.65).verdict == "exact"
    assert decide_threshold(0.3, 0.4, 0.5, above=True, exact=0.35).verdict == "refuted"
    assert decide_threshold(0.45, 0.55, 0.5, above=True, exact=0.52).verdict == "inconclusive"
    assert decide_threshold(-0.2, -0.1, 0.0, above=False, exact=-0.15).verdict == "exact"
    out = decide_threshold(0.6, 0.7, 0.5, above=True, exact=0.8)
    assert out.theory_simulation_disagree and out.verdict == "inconclusive"
    out = decide_threshold(0.3, 0.4, 0.5, above=True, exact=0.2)
    assert out.theory_simulation_disagree and out.verdict == "refuted"


def test_threshold_without_theory():
    assert decide_threshold(0.85, 0.95, 0.8, above=True).verdict == "reproduced"
    assert decide_threshold(0.5, 0.7, 0.8, above=True).verdict == "refuted"
    out = decide_threshold(0.75, 0.85, 0.8, above=True)
    assert out.verdict == "inconclusive" and not out.decided


def test_combine_takes_the_weakest_part():
    exact = Outcome("exact", "e")
    approx = Outcome("approximation", "a", gap=0.1)
    inconclusive = Outcome("inconclusive", "i")
    assert combine([exact]) is exact
    both = combine([exact, approx], ["n=10", "limit"])
    assert both.verdict == "approximation" and both.gap == 0.1
    assert "approximation at limit:" in both.reason
    assert combine([exact, approx, inconclusive]).verdict == "inconclusive"
    # one refuted part refutes the claim (a conjunction), even beside an inconclusive one
    refuted = Outcome("refuted", "r")
    both_ways = combine([inconclusive, refuted], ["50%", "10%"])
    assert both_ways.verdict == "refuted" and both_ways.decided
    assert "1 refuted, 1 inconclusive" in both_ways.reason
    flagged = Outcome("exact", "x", theory_simulation_disagree=True)
    assert combine([exact, flagged]).theory_simulation_disagree


def test_bad_numbers_are_rejected():
    with pytest.raises(ValueError, match="paper"):
        decide_value(math.nan, 0.25, 0.2, 0.3, 0.01)
    with pytest.raises(ValueError, match="low"):
        decide_value(0.25, 0.25, 0.3, 0.2, 0.01)
    with pytest.raises(ValueError, match="outcomes"):
        combine([])


finite = st.floats(-10, 10, allow_nan=False)


@given(finite, finite, finite, finite, st.floats(1e-6, 1))
def test_every_outcome_is_a_known_verdict_and_disagreement_is_never_decided(p, t, a, b, res):
    low, high = min(a, b), max(a, b)
    out = decide_value(p, t, low, high, res)
    assert out.verdict in VERDICTS
    assert out.theory_simulation_disagree == (not low <= t <= high)
    if out.theory_simulation_disagree:
        assert not out.decided
    if out.verdict == "exact":
        assert abs(p - t) <= 1e-12 and (high - low) / 2 <= res
    if out.verdict in DECIDED - {"exact"}:
        assert not low <= p <= high


def test_limit_claim_checks_the_simulated_point_and_its_distance_to_the_limit():
    # ratio-943-limit: paper 50/53 = limit, simulated at n = 400 (exact 0.94376)
    out = decide_value(50 / 53, 50 / 53, 0.935, 0.952, 0.01, exact_simulated=0.94376)
    assert out.verdict == "exact" and "finite point" in out.reason
    # the point is too far from the limit to say anything about it
    out = decide_value(50 / 53, 50 / 53, 0.95, 0.96, 0.01, exact_simulated=0.9545)
    assert out.verdict == "inconclusive" and not out.theory_simulation_disagree
    out = decide_value(50 / 53, 50 / 53, 0.95, 0.98, 0.01, exact_simulated=0.97)
    assert out.verdict == "inconclusive" and "says nothing about the limit" in out.reason
    # the interval misses the simulated point's exact value: disagreement
    out = decide_value(50 / 53, 50 / 53, 0.90, 0.91, 0.01, exact_simulated=0.94376)
    assert out.theory_simulation_disagree and "simulated point" in out.reason
    # a paper value off the limit, excluded by the interval: approximation
    out = decide_value(0.9, 50 / 53, 0.94, 0.948, 0.01, exact_simulated=0.94376)
    assert out.verdict == "approximation" and out.gap == pytest.approx(0.9 - 50 / 53)


# ---------------------------------------------------------------- Sec. 4: unstated parameters

REPRODUCED = Outcome("reproduced", "in")
REFUTED = Outcome("refuted", "out")
UNDECIDED = Outcome("inconclusive", "straddles")


def _point(label, outcome, intact=True):
    return SensitivityOutcome(label, outcome, intact)


def test_reproduced_at_the_defaults_stays_reproduced_whatever_the_readings():
    out = decide_sensitivity(REPRODUCED, [_point("a = 1", REFUTED), _point("b = 2", UNDECIDED)])
    assert out.verdict == "reproduced" and out.decided
    assert "refuted at a = 1" in out.reason and "inconclusive at b = 2" in out.reason


def test_inconclusive_at_the_defaults_stays_inconclusive():
    out = decide_sensitivity(UNDECIDED, [_point("a = 1", REPRODUCED), _point("b = 2", REFUTED)])
    assert out.verdict == "inconclusive" and not out.decided


def test_refuted_at_the_defaults_stays_refuted_whatever_the_readings():
    points = [_point("a = 1", REFUTED), _point("b = 2", REPRODUCED), _point("c = 3", REPRODUCED)]
    out = decide_sensitivity(REFUTED, points)
    assert out.verdict == "refuted" and out.decided
    assert "reproduced at b = 2, c = 3" in out.reason and "refuted at a = 1" in out.reason
    assert out.reason.startswith("At the defaults: out")


def test_a_reading_whose_learning_broke_down_is_named_apart():
    out = decide_sensitivity(REFUTED, [_point("eps = 0.1", REPRODUCED, intact=False)])
    assert out.verdict == "refuted"
    assert "not intact (not counted): eps = 0.1" in out.reason


def test_no_readings_leave_the_defaults_verdict_and_a_disagreement_is_kept():
    assert decide_sensitivity(REFUTED, []) is REFUTED
    flagged = Outcome("refuted", "x", theory_simulation_disagree=True)
    out = decide_sensitivity(flagged, [_point("a = 1", REFUTED)])
    assert out.theory_simulation_disagree and not out.decided


@given(
    st.sampled_from(["reproduced", "refuted", "inconclusive"]),
    st.lists(
        st.tuples(st.sampled_from(["reproduced", "refuted", "inconclusive"]), st.booleans()),
        max_size=6,
    ),
)
def test_the_part_keeps_its_verdict_at_the_defaults(at_defaults, readings):
    """Symmetric: no reading rescues a refuted part or sinks a reproduced one; the claim's
    dependence on the readings is decided over the box (decide_readings)."""
    points = [_point(f"p{i}", Outcome(v, v), ok) for i, (v, ok) in enumerate(readings)]
    out = decide_sensitivity(Outcome(at_defaults, at_defaults), points)
    assert out.verdict == at_defaults
