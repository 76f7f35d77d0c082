"""The Sec. 4 deblurring protocol, its seeds, its summaries and its statistics."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from simulation import ParameterError, run_deblur, run_deblur_conditions
from simulation.deblur_protocol import (
    DECAY_CHECKPOINTS,
    DeblurCondition,
    DeblurSettings,
    _draw_problems,
    retrained_count,
    simulate_deblur,
    spawn_seeds,
)
from simulation.deblur_sensitivity import deblur_sensitivity, sensitivity_points
from simulation.seed_statistics import seed_mean, seed_proportion, seed_ratio_of_means

#: A reduced protocol for fast tests: the same code, fewer sweeps.
SHORT = {"original_sweeps": 60, "new_sweeps": 20, "retrain_sweeps": 4}


def _assert_equal_raw(a, b, index):
    """Seed ``index`` of batch ``a`` equals seed 0 of batch ``b``, bit for bit."""
    for key, value in b["shared"].items():
        np.testing.assert_array_equal(a["shared"][key][index], value[0], err_msg=key)
    for ca, cb in zip(a["conditions"], b["conditions"], strict=True):
        for key, value in cb.items():
            np.testing.assert_array_equal(ca[key][index], value[0], err_msg=key)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_seed_gives_identical_numbers_alone_or_in_any_batch(dtype):
    settings = DeblurSettings(dtype=dtype, chunk_size=4, threads=2, **SHORT)
    children = spawn_seeds(11, 7)
    conditions = [DeblurCondition(0.1), DeblurCondition(0.5, fast_weights=False)]
    batch = simulate_deblur(children, settings, conditions)
    alone = replace(settings, chunk_size=1, threads=1)
    for i in (0, 3, 6):
        _assert_equal_raw(batch, simulate_deblur(children[i : i + 1], alone, conditions), i)
    # and a different chunking of the whole batch
    other = simulate_deblur(children, replace(settings, chunk_size=3, threads=1), conditions)
    for i in range(7):
        _assert_equal_raw(batch, {k: _slice(v, i) for k, v in other.items()}, i)


def _slice(part, i):
    if isinstance(part, dict):
        return {k: v[i : i + 1] for k, v in part.items()}
    return [{k: v[i : i + 1] for k, v in c.items()} for c in part]


def test_seed_i_of_a_small_run_is_seed_i_of_a_large_run():
    small = run_deblur(seeds=2, seed=5, per_seed=True, **SHORT).to_dict()
    large = run_deblur(seeds=5, seed=5, per_seed=True, **SHORT).to_dict()
    for key in ("retrained_error", "new_error", "new_error_after_decay"):
        assert small["per_seed"][key] == large["per_seed"][key][:2]
    other = run_deblur(seeds=2, seed=6, per_seed=True, **SHORT).to_dict()
    assert other["per_seed"]["retrained_error"] != small["per_seed"]["retrained_error"]


def test_problems_follow_the_paper():
    settings = DeblurSettings()
    problems = _draw_problems(spawn_seeds(0, 3), settings)
    assert problems.inputs.shape == (3, 105, 10) and problems.targets.shape == (3, 105, 10)
    for s in range(3):
        rows = {tuple(r) for r in problems.inputs[s]}
        assert len(rows) == 105  # old and new inputs all distinct
        assert set(np.unique(problems.inputs[s])) <= {0.0, 1.0}
        assert sorted(problems.order[s]) == list(range(100))
    w = problems.initial_weights
    assert w.shape == (3, settings.layout.size) and np.abs(w).max() <= 0.5


@pytest.mark.parametrize(
    ("fraction", "count"), [(0.1, 10), (0.5, 50), (1.0, 100), (0.001, 1), (0.005, 1), (0.015, 2)]
)
def test_retrained_count(fraction, count):
    assert retrained_count(fraction, 100) == count


def test_the_ten_percent_subset_lies_inside_the_fifty_percent_subset():
    result = run_deblur_conditions(
        seeds=2, retrain_fractions=(0.1, 0.5), include_control=False, per_seed=True, **SHORT
    ).to_dict()
    ten, fifty = result["conditions"]
    assert ten["retrained_count"] == 10 and fifty["retrained_count"] == 50
    # before retraining, both see the same network: the same new-association error
    assert ten["per_seed"]["new_error"][0][0] == fifty["per_seed"]["new_error"][0][0]


def test_summary_keys_alignment_and_json():
    result = run_deblur(seeds=3, retrain_fraction=0.1, seed=2, **SHORT).to_dict()
    assert result["sweeps"] == list(range(5))
    for key in ("retrained_error", "unretrained_error", "new_error"):
        assert len(result[key]) == 5
        assert all(set(e) == {"estimate", "ci_low", "ci_high"} for e in result[key])
        assert all(e["ci_low"] <= e["estimate"] <= e["ci_high"] for e in result[key])
    assert len(result["improvement_ratio"]) == 4
    for key in ("new_error_before_retraining", "new_error_after_decay"):
        assert set(result[key]) == {"estimate", "ci_low", "ci_high"}
    assert result["new_error"][0] == result["new_error_before_retraining"]
    assert result["decay"]["updates"] == list(DECAY_CHECKPOINTS)
    assert result["decay"]["new_error"][0] == result["new_error"][-1]  # 0 decay updates
    assert result["retrained_count"] == 10 and result["unretrained_count"] == 90
    json.dumps(result, allow_nan=False)


def test_retraining_everything_has_no_unretrained_error_and_no_nan():
    result = run_deblur(seeds=2, retrain_fraction=1.0, **SHORT).to_dict()
    assert all(e["estimate"] is None for e in result["unretrained_error"])
    assert all(e["estimate"] is None for e in result["improvement_ratio"])
    json.dumps(result, allow_nan=False)


def test_one_seed_has_estimates_without_intervals():
    result = run_deblur(seeds=1, **SHORT).to_dict()
    assert result["retrained_error"][0]["ci_low"] is None
    assert isinstance(result["retrained_error"][0]["estimate"], float)
    json.dumps(result, allow_nan=False)


def test_the_control_keeps_its_retraining_and_fast_weights_decay_back():
    result = run_deblur_conditions(
        seeds=3, retrain_fractions=(0.5,), per_seed=True, **SHORT
    ).to_dict()
    fast, control = result["conditions"]
    assert fast["fast_weights"] and not control["fast_weights"]
    # the control has no fast weights after retraining: decay changes nothing
    assert control["per_seed"]["new_error_after_decay"] == [
        row[-1] for row in control["per_seed"]["new_error"]
    ]
    assert control["retraining"]["fast_weight_max_abs"]["estimate"] == 0.0
    assert control["new_error_recovered_fraction"]["estimate"] == 0.0
    # with fast weights, decay moves the new associations' error
    assert fast["per_seed"]["new_error_after_decay"] != [
        row[-1] for row in fast["per_seed"]["new_error"]
    ]
    (comparison,) = result["control_comparison"]
    diff = np.array(control["per_seed"]["new_error_after_decay"]) - np.array(
        fast["per_seed"]["new_error_after_decay"]
    )
    assert comparison["control_minus_fast"]["estimate"] == pytest.approx(diff.mean(), abs=1e-12)


def test_finite_decay_updates_interpolate_towards_the_limit():
    limit = run_deblur(seeds=2, per_seed=True, **SHORT).to_dict()
    none = run_deblur(seeds=2, per_seed=True, decay_updates=0, **SHORT).to_dict()
    assert none["per_seed"]["new_error_after_decay"] == [
        row[-1] for row in none["per_seed"]["new_error"]
    ]
    far = run_deblur(seeds=2, per_seed=True, decay_updates=5000, **SHORT).to_dict()
    np.testing.assert_allclose(
        far["per_seed"]["new_error_after_decay"],
        limit["per_seed"]["new_error_after_decay"],
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"retrain_fraction": 0.0}, "retrain_fraction"),
        ({"retrain_fraction": 1.5}, "retrain_fraction"),
        ({"retrain_fraction": math.nan}, "retrain_fraction"),
        ({"retrain_fraction": True}, "retrain_fraction"),
        ({"seeds": 0}, "seeds"),
        ({"seeds": 2.5}, "seeds"),
        ({"h": 1.0}, "h"),
        ({"h": -0.1}, "h"),
        ({"seed": -1}, "seed"),
        ({"fast_momentum": 1.0}, "fast_momentum"),
        ({"init_scale": 0.0}, "init_scale"),
        ({"dtype": "float16"}, "dtype"),
        ({"decay_updates": -1}, "decay_updates"),
        ({"decay_updates": 10**9}, "decay_updates"),
        ({"associations": 1020}, "associations"),
        ({"no_such_parameter": 1}, "no_such_parameter"),
    ],
)
def test_bad_input_is_a_one_line_parameter_error(kwargs, name):
    with pytest.raises(ParameterError, match=rf"^{name}: expected") as info:
        run_deblur(**{"seeds": 2, **SHORT, **kwargs}).to_dict()
    assert "\n" not in str(info.value)


def test_bad_fraction_lists_are_rejected():
    with pytest.raises(ParameterError, match=r"^retrain_fractions: expected"):
        run_deblur_conditions(seeds=2, retrain_fractions=(), **SHORT).to_dict()
    with pytest.raises(ParameterError, match=r"^retrain_fraction: expected"):
        run_deblur_conditions(seeds=2, retrain_fractions=(0.1, 2.0), **SHORT).to_dict()


# ---------------------------------------------------------------- statistics over seeds
def test_seed_mean_is_the_student_t_interval():
    x = np.array([0.3, 0.1, 0.4, 0.15, 0.9, 0.26])
    got = seed_mean(x)
    lo, hi = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=stats.sem(x))
    assert got["estimate"] == pytest.approx(x.mean())
    assert got["ci_low"] == pytest.approx(lo, rel=1e-12)
    assert got["ci_high"] == pytest.approx(hi, rel=1e-12)


def test_seed_ratio_of_means_delta_interval_covers():
    """Coverage of the delta-method t interval over many simulated experiments of 30 seeds."""
    rng = np.random.default_rng(3)
    true_ratio = 0.5
    hits = 0
    experiments = 2000
    for _ in range(experiments):
        den = rng.normal(0.1, 0.03, size=30)
        num = true_ratio * den + rng.normal(0.0, 0.01, size=30)
        e = seed_ratio_of_means(num, den)
        hits += e["ci_low"] <= true_ratio <= e["ci_high"]
    # 95 % nominal; binomial sd over 2000 experiments is 0.005
    assert 0.93 <= hits / experiments <= 0.97


def test_seed_ratio_with_zero_denominator_has_no_estimate():
    assert seed_ratio_of_means([1.0, 2.0], [1.0, -1.0])["estimate"] is None


def test_seed_proportion_is_the_wilson_interval():
    flags = [True] * 17 + [False] * 3
    got = seed_proportion(flags)
    ci = stats.binomtest(17, 20).proportion_ci(0.95, method="wilson")
    assert got["estimate"] == 0.85
    assert got["ci_low"] == pytest.approx(ci.low, rel=1e-9)
    assert got["ci_high"] == pytest.approx(ci.high, rel=1e-9)
    assert seed_proportion([True] * 5)["ci_low"] < 1.0  # does not collapse at 1


# ---------------------------------------------------------------- sensitivity
def test_sensitivity_points_one_at_a_time_and_product():
    points = sensitivity_points({"fast_epsilon": (0.02, 0.1), "init_scale": (0.1, 0.5)})
    assert points == [{}, {"fast_epsilon": 0.1}, {"init_scale": 0.1}]
    grid = sensitivity_points({"fast_epsilon": (0.0, 0.1), "h": (0.0, 0.5)}, mode="product")
    assert len(grid) == 4
    with pytest.raises(ParameterError, match=r"^bogus: expected"):
        sensitivity_points({"bogus": (1,)})


def test_sensitivity_rows_carry_the_headline_numbers():
    result = deblur_sensitivity({"fast_epsilon": (0.0,)}, seeds=2, **SHORT)
    rows = result.rows
    assert [r.parameters for r in rows] == [{}, {"fast_epsilon": 0.0}]
    for row in rows:
        assert [f.retrain_fraction for f in row.fractions] == [0.1, 0.5]
        assert row.fractions[0].control_minus_fast is not None
        assert row.fractions[0].improvement_ratio.sweeps == (1,)  # 4 retraining sweeps
    # without fast weights' learning the control and the fast condition coincide
    zero = rows[1].fractions[0].control_minus_fast
    assert zero is not None and zero.estimate == pytest.approx(0.0, abs=1e-6)
    data = result.to_dict()
    assert "control_minus_fast" in data["rows"][0]["fractions"][0]
    assert list(data["rows"][0]["fractions"][0]["improvement_ratio"]) == ["1"]
    json.dumps(data, allow_nan=False)


# ---------------------------------------------------------------- the full protocol
def test_full_protocol_with_the_papers_values_runs_and_blurs_and_deblurs():
    result = run_deblur_conditions(seeds=6, retrain_fractions=(0.1, 0.5), seed=0).to_dict()
    ten_fast, ten_control, fifty_fast, _ = result["conditions"]
    original = ten_fast["original_learning"]
    assert original["sweeps"] == 1300 and ten_fast["blurring"]["sweeps"] == 400
    assert ten_fast["sweeps"] == list(range(21))
    # learning happened: far below chance (0.5) after 1300 sweeps
    assert original["old_error"]["estimate"] < 0.15
    # blurring: the new learning damaged the old associations
    assert ten_fast["old_error_before_retraining"]["estimate"] > original["old_error"]["ci_high"]
    # retraining: both subsets improve over the 20 sweeps, the retrained one more
    for cond in (ten_fast, fifty_fast):
        r, u = cond["retrained_error"], cond["unretrained_error"]
        assert r[-1]["ci_high"] < r[0]["ci_low"]
        assert u[-1]["estimate"] < u[0]["estimate"]
        assert r[-1]["estimate"] < u[-1]["estimate"]
    # the control cannot recover the new associations by decay
    assert ten_control["new_error_after_decay"] == ten_control["new_error_after_retraining"]
    json.dumps(result, allow_nan=False)
