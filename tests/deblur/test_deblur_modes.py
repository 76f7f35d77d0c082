"""The deblurring protocol's modes: per-case updates, cross-entropy, mapped targets, fast
weights that learn only while retraining, and the decay per update or per sweep."""

import json
from dataclasses import replace

import numpy as np
import pytest

from simulation import ParameterError, run_deblur, run_deblur_conditions
from simulation.deblur_protocol import (
    DeblurCondition,
    DeblurSettings,
    _draw_problems,
    _right_side,
    case_order_seed,
    simulate_deblur,
    spawn_seeds,
)

#: Few sweeps: a per-case sweep of the 100 old associations is 100 weight changes.
TINY = {"original_sweeps": 12, "new_sweeps": 6, "retrain_sweeps": 3}
ALL_MODES = {
    "updates": "per-case",
    "error_function": "cross-entropy",
    "targets": (0.1, 0.9),
    "fast_phases": "retraining",
    "decay_per": "sweep",
}
CONDITIONS = [DeblurCondition(0.1), DeblurCondition(0.5, fast_weights=False)]


def _assert_equal_raw(a, b, index):
    """Seed ``index`` of batch ``a`` equals seed 0 of batch ``b``, bit for bit."""
    for key, value in b["shared"].items():
        np.testing.assert_array_equal(a["shared"][key][index], value[0], err_msg=key)
    for ca, cb in zip(a["conditions"], b["conditions"], strict=True):
        for key, value in cb.items():
            np.testing.assert_array_equal(ca[key][index], value[0], err_msg=key)


def _assert_same_raw(a, b):
    for key, value in a["shared"].items():
        np.testing.assert_array_equal(value, b["shared"][key], err_msg=key)
    for ca, cb in zip(a["conditions"], b["conditions"], strict=True):
        for key, value in ca.items():
            np.testing.assert_array_equal(value, cb[key], err_msg=key)


def _differ(a, b, key="old_error_after_training"):
    return not np.array_equal(a["shared"][key], b["shared"][key])


@pytest.mark.parametrize(
    ("dtype", "modes"),
    [
        ("float32", {"updates": "per-case"}),
        ("float64", {"updates": "per-case"}),
        ("float32", ALL_MODES),
    ],
)
def test_per_case_seed_gives_identical_numbers_alone_or_in_any_batch(dtype, modes):
    settings = DeblurSettings(dtype=dtype, chunk_size=3, threads=2, **TINY, **modes)
    children = spawn_seeds(11, 5)
    batch = simulate_deblur(children, settings, CONDITIONS)
    alone = replace(settings, chunk_size=1, threads=1)
    for i in (0, 4):
        _assert_equal_raw(batch, simulate_deblur(children[i : i + 1], alone, CONDITIONS), i)
    # another chunking, and the same children objects used once more
    other = simulate_deblur(children, replace(settings, chunk_size=2, threads=1), CONDITIONS)
    _assert_same_raw(batch, other)


def test_case_order_stream_is_a_grandchild_the_problem_never_uses():
    fresh = spawn_seeds(3, 2)[1]
    for phase in range(3):
        expected = spawn_seeds(3, 2)[1].spawn(1)[0].spawn(3)[phase]
        got = case_order_seed(fresh, phase)
        assert got.generate_state(4).tolist() == expected.generate_state(4).tolist()
    assert fresh.n_children_spawned == 0  # deriving the stream did not spawn
    # the problem (inputs, targets, weights, retraining subset) is the batch mode's
    base = DeblurSettings(**TINY)
    a = _draw_problems(spawn_seeds(3, 2), base)
    b = _draw_problems(spawn_seeds(3, 2), replace(base, updates="per-case"))
    for name in ("inputs", "targets", "initial_weights", "order"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_per_case_changes_the_numbers():
    children = spawn_seeds(2, 2)
    batch = simulate_deblur(children, DeblurSettings(**TINY), CONDITIONS)
    per_case = simulate_deblur(children, DeblurSettings(updates="per-case", **TINY), CONDITIONS)
    assert _differ(batch, per_case)


def test_per_case_retraining_orders_are_shared_by_fast_and_control_and_any_condition_list():
    # with ε_f = 0 nothing is fast, so the control retrains exactly as the fast condition
    # does -- if, and only if, both see the same case orders
    params = {"updates": "per-case", "fast_epsilon": 0.0, **TINY}
    both = run_deblur_conditions(
        seeds=2, retrain_fractions=(0.1, 0.5), per_seed=True, **params
    ).to_dict()
    for fast, control in (both["conditions"][0:2], both["conditions"][2:4]):
        assert fast["per_seed"]["retrained_error"] == control["per_seed"]["retrained_error"]
        assert fast["per_seed"]["new_error"] == control["per_seed"]["new_error"]
    alone = run_deblur(seeds=2, retrain_fraction=0.5, per_seed=True, **params).to_dict()
    fifty = both["conditions"][2]["per_seed"]
    assert alone["per_seed"]["retrained_error"] == fifty["retrained_error"]


@pytest.mark.parametrize("updates", ["batch", "per-case"])
def test_fast_weights_learn_only_while_retraining(updates):
    settings = DeblurSettings(updates=updates, fast_phases="retraining", **TINY)
    raw = simulate_deblur(spawn_seeds(4, 3), settings, CONDITIONS)
    shared = raw["shared"]
    assert np.all(shared["fast_max_abs_after_training"] == 0.0)
    assert np.all(shared["fast_max_abs_after_new_learning"] == 0.0)
    fast, control = raw["conditions"]
    assert np.all(fast["fast_max_abs_after_retraining"] > 0.0)
    assert np.all(control["fast_max_abs_after_retraining"] == 0.0)  # the control is unchanged
    # the slow weights did learn before retraining, and the default mode differs
    assert np.all(shared["old_error_after_training"] < 0.5)
    default = simulate_deblur(spawn_seeds(4, 3), replace(settings, fast_phases="all"), CONDITIONS)
    assert _differ(raw, default)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_decay_per_sweep_is_decay_per_update_in_batch_mode(dtype):
    settings = DeblurSettings(dtype=dtype, fast_epsilon=0.05, h=0.1, **TINY)
    children = spawn_seeds(6, 3)
    per_update = simulate_deblur(children, settings, CONDITIONS)
    per_sweep = simulate_deblur(children, replace(settings, decay_per="sweep"), CONDITIONS)
    _assert_same_raw(per_update, per_sweep)


def test_decay_per_sweep_differs_from_decay_per_update_in_per_case_mode():
    settings = DeblurSettings(updates="per-case", fast_epsilon=0.05, h=0.1, **TINY)
    children = spawn_seeds(6, 2)
    per_update = simulate_deblur(children, settings, CONDITIONS)
    per_sweep = simulate_deblur(children, replace(settings, decay_per="sweep"), CONDITIONS)
    assert _differ(per_update, per_sweep, "fast_max_abs_after_training")
    # fewer shrinks: larger fast weights
    assert np.all(
        per_sweep["shared"]["fast_max_abs_after_training"]
        > per_update["shared"]["fast_max_abs_after_training"]
    )


# ---------------------------------------------------------------- targets
def test_targets_map_the_same_bits():
    base = DeblurSettings()
    a = _draw_problems(spawn_seeds(0, 2), base)
    b = _draw_problems(spawn_seeds(0, 2), replace(base, targets=(0.1, 0.9)))
    assert set(np.unique(b.targets)) == {0.1, 0.9}
    np.testing.assert_array_equal(b.targets, np.where(a.targets == 1.0, 0.9, 0.1))
    for name in ("inputs", "initial_weights", "order"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_right_side_is_relative_to_the_middle_of_the_targets():
    y = np.array([0.45, 0.55, 0.5, 0.45, 0.95, 0.05])
    t = np.array([0.9, 0.9, 0.9, 0.1, 0.1, 0.1])
    # 0.45 is within .5 of 0.9 but on the wrong side of the middle 0.5
    assert _right_side(y, t, 0.5).tolist() == [False, True, False, True, False, True]
    assert _right_side(np.array([0.25, 0.35]), np.array([0.4, 0.4]), 0.3).tolist() == [
        False,
        True,
    ]
    assert not _right_side(np.array([np.nan]), np.array([1.0]), 0.5)[0]


def test_targets_reach_the_run_and_its_parameters():
    result = run_deblur(seeds=2, per_seed=True, targets="0.1,0.9", **TINY).to_dict()
    assert result["parameters"]["targets"] == [0.1, 0.9]
    default = run_deblur(seeds=2, per_seed=True, **TINY).to_dict()
    assert result["per_seed"]["new_error"] != default["per_seed"]["new_error"]
    json.dumps(result, allow_nan=False)


# ---------------------------------------------------------------- settings
def test_settings_carry_the_modes():
    params = DeblurSettings().scientific()
    assert {k: params[k] for k in ALL_MODES} == {
        "updates": "batch",
        "error_function": "squared",
        "targets": [0.0, 1.0],
        "fast_phases": "all",
        "decay_per": "update",
    }
    settings = DeblurSettings.from_params({**ALL_MODES, "targets": [0.2, 0.7]})
    assert settings.targets == (0.2, 0.7)
    assert DeblurSettings.from_params({"targets": "0.2, 0.7"}).targets == (0.2, 0.7)
    assert settings.learning().error_function == "cross-entropy"
    assert json.loads(json.dumps(settings.scientific())) == settings.scientific()
    assert DeblurSettings(fast_epsilon=1.0).fast_epsilon == 1.0  # ε_f up to 1 (and beyond)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"updates": "online"}, "updates"),
        ({"updates": None}, "updates"),
        ({"error_function": "hinge"}, "error_function"),
        ({"targets": (0.9, 0.1)}, "targets"),
        ({"targets": (0.5, 0.5)}, "targets"),
        ({"targets": (-0.1, 0.9)}, "targets"),
        ({"targets": (0.1, 1.1)}, "targets"),
        ({"targets": (0.1,)}, "targets"),
        ({"targets": "0.1;0.9"}, "targets"),
        ({"targets": "low,high"}, "targets"),
        ({"targets": 0.5}, "targets"),
        ({"targets": (0.1, float("nan"))}, "targets"),
        ({"fast_phases": "new"}, "fast_phases"),
        ({"decay_per": "case"}, "decay_per"),
    ],
)
def test_bad_modes_are_one_line_parameter_errors(kwargs, name):
    with pytest.raises(ParameterError, match=rf"^{name}: expected") as info:
        run_deblur(seeds=2, **TINY, **kwargs).to_dict()
    assert "\n" not in str(info.value)


def test_sensitivity_points_know_a_default_in_another_spelling():
    from simulation.deblur_sensitivity import sensitivity_points

    axes = {"targets": ("0,1", [0, 1], (0.1, 0.9)), "updates": ("batch", "per-case")}
    assert sensitivity_points(axes) == [{}, {"targets": (0.1, 0.9)}, {"updates": "per-case"}]
    assert sensitivity_points({"targets": ("0.9,0.1",)}) == [{}, {"targets": "0.9,0.1"}]
