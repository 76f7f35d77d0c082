"""simulation.two_sets (Sec. 6's prediction): the overlap measures on hand-made hidden codes
(exact), the trend statistic, and the protocol on a tiny network (shapes, seed for seed the
Sec. 4 protocol at the same length, chunking and a fixed seed never change a number)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation import ParameterError
from simulation.deblur_protocol import DeblurCondition, DeblurSettings, simulate_deblur, spawn_seeds
from simulation.seed_statistics import t_mean
from simulation.two_sets import (
    PER_SEED_KEYS,
    check_simulate_two_sets_arguments,
    joint_active_share,
    mean_abs_cos,
    ratio_trend,
    simulate_two_sets,
)

# --------------------------------------------------------------------------- overlap


def test_mean_abs_cos_between_sets_hand_made():
    a = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # (S=1, Ka=2, H=2)
    b = np.array([[[1.0, 1.0], [3.0, 0.0]]])
    # cos: (a1, b1) = 1/√2, (a1, b2) = 1, (a2, b1) = 1/√2, (a2, b2) = 0
    expected = (2 / math.sqrt(2) + 1.0) / 4
    assert mean_abs_cos(a, b) == pytest.approx([expected], abs=1e-15)


def test_mean_abs_cos_takes_absolute_values_and_zero_codes():
    a = np.array([[[1.0, 0.0]], [[0.0, 0.0]]])  # two seeds; seed 1's code is zero
    b = np.array([[[-1.0, 0.0]], [[1.0, 1.0]]])
    assert mean_abs_cos(a, b).tolist() == [1.0, 0.0]


def test_mean_abs_cos_within_a_set_leaves_out_each_item_with_itself():
    orthogonal = np.eye(3)[None]  # three orthogonal codes: every distinct pair has cos 0
    assert mean_abs_cos(orthogonal).tolist() == [0.0]
    same = np.ones((1, 4, 5))  # identical codes: every pair has cos 1
    assert mean_abs_cos(same) == pytest.approx([1.0], abs=1e-15)


def test_joint_active_share_hand_made():
    a = np.array([[[0.9, 0.9, 0.1, 0.1]]])
    b = np.array([[[0.9, 0.1, 0.9, 0.1]]])
    assert joint_active_share(a, b).tolist() == [0.25]  # unit 0 only, of 4
    disjoint = np.array([[[0.1, 0.1, 0.9, 0.9]]])
    assert joint_active_share(a, disjoint).tolist() == [0.0]
    assert joint_active_share(a, a).tolist() == [0.5]
    exactly_half = np.full((1, 1, 4), 0.5)  # not > .5: inactive
    assert joint_active_share(exactly_half, exactly_half).tolist() == [0.0]


def test_joint_active_share_is_the_mean_over_units_of_the_product_of_activity_rates():
    rng = np.random.default_rng(3)
    a, b = rng.random((2, 7, 11)), rng.random((2, 5, 11))
    pairs = (a[:, :, None, :] > 0.5) & (b[:, None, :, :] > 0.5)  # (S, Ka, Kb, H)
    assert joint_active_share(a, b) == pytest.approx(pairs.mean(axis=(1, 2, 3)), abs=1e-15)


def test_overlap_measures_refuse_bad_shapes():
    with pytest.raises(ParameterError, match="codes_b"):
        mean_abs_cos(np.ones((1, 2, 3)), np.ones((1, 2, 4)))
    with pytest.raises(ParameterError, match="codes_a"):
        mean_abs_cos(np.ones((1, 1, 3)))
    with pytest.raises(ParameterError, match="codes_a"):
        joint_active_share(np.ones((2, 3)), np.ones((1, 2, 3)))


# --------------------------------------------------------------------------- trend


def test_ratio_trend_of_means_is_the_t_interval_of_the_per_seed_slopes():
    rng = np.random.default_rng(5)
    x = np.log10([100, 300, 1300, 3000])
    values = rng.normal(size=(12, 4)) + 0.3 * x
    trend = ratio_trend(values, np.ones_like(values), x, 0.99)
    slopes = np.array([np.polyfit(x, row, 1)[0] for row in values])
    direct = t_mean(slopes, 0.99)
    assert direct is not None
    assert trend.estimate == pytest.approx(direct.estimate, abs=1e-12)
    assert trend.ci(0.99) == pytest.approx(direct.ci(0.99), abs=1e-12)
    assert trend.dof == 11 and trend.n == 12


def test_ratio_trend_of_exact_ratios():
    x = np.array([0.0, 1.0, 2.0])
    den = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 2.0]])
    num = den * (0.5 - 0.25 * x)  # every seed's ratio is exactly 0.5 - 0.25 x
    trend = ratio_trend(num, den, x)
    assert trend.estimate == pytest.approx(-0.25, abs=1e-15)
    assert trend.se == pytest.approx(0.0, abs=1e-15)
    assert trend.method == "t-delta"


def test_ratio_trend_refuses_what_it_cannot_estimate():
    with pytest.raises(ParameterError, match="x"):
        ratio_trend(np.ones((3, 2)), np.ones((3, 2)), [1.0, 1.0])
    with pytest.raises(ParameterError, match="denominators"):
        ratio_trend(np.ones((3, 2)), np.zeros((3, 2)), [1.0, 2.0])
    with pytest.raises(ParameterError, match="numerators"):
        ratio_trend(np.ones((1, 2)), np.ones((1, 2)), [1.0, 2.0])


# --------------------------------------------------------------------------- protocol

TINY = DeblurSettings(
    associations=8,
    new_associations=2,
    n_input=4,
    n_hidden=6,
    n_output=3,
    new_sweeps=5,
    retrain_sweeps=3,
    threads=1,
)


def test_protocol_shapes_and_values_on_a_tiny_network():
    result = simulate_two_sets(seeds=3, seed=2, lengths=(4, 9), settings=TINY)
    assert result.set_size == 4 and result.lengths == (4, 9)
    assert set(result.per_seed) == set(PER_SEED_KEYS)
    for key in ("a_error", "b_error", "new_error"):
        assert result.per_seed[key].shape == (3, 2, 4)
    for key in set(PER_SEED_KEYS) - {"a_error", "b_error", "new_error"}:
        values = result.per_seed[key]
        assert values.shape == (3, 2)
        assert np.all((values >= 0) & (values <= 1))
    gain_b, gain_a = result.gains(9, 1)
    errors = result.per_seed
    assert gain_a == pytest.approx(errors["a_error"][:, 1, 0] - errors["a_error"][:, 1, 1])
    assert gain_b == pytest.approx(errors["b_error"][:, 1, 0] - errors["b_error"][:, 1, 1])
    summary = result.summary(sweeps=(1, 3))
    assert [row["original_sweeps"] for row in summary["lengths"]] == [4, 9]
    assert set(summary["trend_per_decade"]) == {
        "transfer_sweep_1", "transfer_sweep_3", "cos_ab", "joint_active"
    }  # fmt: skip


@pytest.mark.parametrize("updates", ["batch", "per-case"])
def test_each_checkpoint_is_the_sec4_protocol_at_that_length_with_half_retrained(updates):
    """Set A is Sec. 4's 50 % retrained subset, set B its unretrained rest, seed for seed:
    the checkpoint after 9 sweeps gives the numbers of ``simulate_deblur`` run for 9."""
    settings = DeblurSettings(**{**TINY.scientific(), "updates": updates, "threads": 1})
    result = simulate_two_sets(seeds=3, seed=7, lengths=(4, 9), settings=settings)
    sec4 = DeblurSettings(**{**settings.scientific(), "original_sweeps": 9, "threads": 1})
    raw = simulate_deblur(spawn_seeds(7, 3), sec4, [DeblurCondition(0.5)])
    condition = raw["conditions"][0]
    np.testing.assert_allclose(result.per_seed["a_error"][:, 1], condition["retrained"], 1e-12)
    np.testing.assert_allclose(result.per_seed["b_error"][:, 1], condition["unretrained"], 1e-12)
    np.testing.assert_allclose(result.per_seed["new_error"][:, 1], condition["new"], 1e-12)


def test_chunks_threads_and_a_fixed_seed_change_no_number():
    one = simulate_two_sets(seeds=4, seed=11, lengths=(3, 6), settings=TINY)
    again = simulate_two_sets(seeds=4, seed=11, lengths=(3, 6), settings=TINY)
    chunked = DeblurSettings(**{**TINY.scientific(), "chunk_size": 1, "threads": 2})
    split = simulate_two_sets(seeds=4, seed=11, lengths=(3, 6), settings=chunked)
    alone = simulate_two_sets(seeds=1, seed=11, lengths=(3, 6), settings=TINY)
    other = simulate_two_sets(seeds=4, seed=12, lengths=(3, 6), settings=TINY)
    for key in PER_SEED_KEYS:
        np.testing.assert_array_equal(one.per_seed[key], again.per_seed[key])
        np.testing.assert_array_equal(one.per_seed[key], split.per_seed[key])
        np.testing.assert_array_equal(one.per_seed[key][:1], alone.per_seed[key])
    assert not np.array_equal(one.per_seed["a_error"], other.per_seed["a_error"])


def test_argument_checks():
    with pytest.raises(ParameterError, match="lengths"):
        check_simulate_two_sets_arguments(lengths=(300, 100))
    with pytest.raises(ParameterError, match="lengths"):
        check_simulate_two_sets_arguments(lengths=())
    with pytest.raises(ParameterError, match="set_size"):
        check_simulate_two_sets_arguments(set_size=51)
    with pytest.raises(ParameterError, match="seeds"):
        check_simulate_two_sets_arguments(seeds=0)
    with pytest.raises(ParameterError, match="retrain_sweeps"):
        check_simulate_two_sets_arguments(settings=DeblurSettings(retrain_sweeps=0))
    assert check_simulate_two_sets_arguments()[2:4] == ((100, 300, 1300, 3000), 50)
    with pytest.raises(ParameterError, match="length"):
        simulate_two_sets(seeds=2, lengths=(2,), settings=TINY).transfer(3, 1)
