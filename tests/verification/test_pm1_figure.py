"""The report's appendix figure on the ±1 reproduction (issue 19.5): its numbers are the
paper's theory for that setting, the same as the worked example's (docs/pm1-reproduction.md,
computed there by its own code), and ±1 transfer falls like 1/n while 0/1 does not."""

from fractions import Fraction

import pytest

from verification.report.pm1_figure import DIMENSIONS, OBSERVED, pm1_prediction, pm1_reproduction


@pytest.fixture(scope="module")
def prediction():
    return pm1_prediction()


def test_the_ensemble_ratios_are_sec5s_exact_values(prediction):
    assert prediction.ensemble == {"±1": Fraction(5, 54), "0/1": Fraction(265, 416)}
    # ±1: M c / (1 + (M - 1) c) with c = 1/n (Eq. 3), exactly
    for n, value in zip(DIMENSIONS, prediction.by_dimension["±1"], strict=True):
        c = Fraction(1, n)
        assert value == 5 * c / (1 + 4 * c)


def test_the_drawn_sets_agree_with_the_worked_example(prediction):
    assert round(prediction.first_order["±1"], 3) == 0.093
    assert round(prediction.first_order["0/1"], 3) == 0.629
    assert round(prediction.undone["±1"], 3) == 0.101
    assert round(prediction.undone["0/1"], 2) == 0.47


def test_pm1_falls_like_one_over_n_and_zero_one_stays(prediction):
    pm1 = [float(v) * n for v, n in zip(prediction.by_dimension["±1"], DIMENSIONS, strict=True)]
    assert pm1[-1] == pytest.approx(5, rel=0.01)  # n x ratio -> M = 5
    zero_one = [float(v) for v in prediction.by_dimension["0/1"]]
    assert min(zero_one) > 0.62 and max(zero_one) < 0.68


def test_the_figure_carries_the_numbers_and_the_observation():
    made = pm1_reproduction(1987, False)
    assert made.name == "pm1-reproduction" and made.claim_ids == ()
    assert "5/54 = 0.093" in made.caption and "265/416 = 0.637" in made.caption
    assert made.data["observed"] == pytest.approx(OBSERVED)
    assert OBSERVED < float(Fraction(5, 54))  # the observation is below even the ±1 prediction
