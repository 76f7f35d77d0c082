"""The blurred networks and the first-order prediction of the first sweep (deblur_capture)."""

import numpy as np
import pytest

from simulation import run_deblur, run_deblur_conditions
from simulation.deblur_capture import BlurredNetworks, first_order_rates
from simulation.deblur_protocol import DeblurSettings, _draw_problems, spawn_seeds
from simulation.fastslow import FastSlowNetwork, NetworkLayout

SHORT = {"original_sweeps": 60, "new_sweeps": 20, "retrain_sweeps": 2}
SMALL = {"associations": 20, "n_hidden": 12, **SHORT}


def _without_blurred(result):
    return {k: v for k, v in result.items() if k != "blurred"}


def test_capturing_changes_no_number_and_is_the_same_in_any_chunking():
    plain = run_deblur_conditions(seeds=5, seed=3, per_seed=True, **SMALL).to_dict()
    captured = run_deblur_conditions(
        seeds=5, seed=3, per_seed=True, capture_blurred=True, chunk_size=2, **SMALL
    ).to_dict()
    assert _without_blurred(captured) == plain
    alone = run_deblur_conditions(
        seeds=5, seed=3, capture_blurred=True, chunk_size=1, threads=1, **SMALL
    ).to_dict()["blurred"]
    blurred = captured["blurred"]
    assert isinstance(blurred, BlurredNetworks) and blurred.seeds == 5
    for name in ("weights", "inputs", "targets", "order"):
        np.testing.assert_array_equal(getattr(blurred, name), getattr(alone, name), err_msg=name)


def test_the_captured_problem_is_the_seeds_problem_and_its_masks_nest():
    settings = DeblurSettings(**SMALL)
    blurred = run_deblur_conditions(seeds=3, seed=8, capture_blurred=True, **SMALL).blurred
    problems = _draw_problems(spawn_seeds(8, 3), settings)
    np.testing.assert_array_equal(blurred.inputs, problems.inputs)
    np.testing.assert_array_equal(blurred.targets, problems.targets)
    np.testing.assert_array_equal(blurred.order, problems.order)
    small, half = blurred.retrained(0.1), blurred.retrained(0.5)
    assert small.sum(axis=1).tolist() == [2, 2, 2] and half.sum(axis=1).tolist() == [10] * 3
    assert np.all(half[small])  # the 10% subset lies inside the 50% subset
    assert blurred.new_inputs(0).shape == (5, 10) and blurred.old(1)[1].shape == (20, 10)


def test_the_captured_weights_give_the_errors_measured_before_retraining():
    """A plain float64 forward pass at the captured weights (W1, W2 as rows of units)
    reproduces the per-seed error of the retrained associations at sweep 0."""
    result = run_deblur_conditions(
        seeds=3, seed=4, per_seed=True, capture_blurred=True, include_control=False, **SMALL
    ).to_dict()
    blurred = result["blurred"]
    condition = result["conditions"][0]
    mask = blurred.retrained(condition["retrain_fraction"])
    for s in range(blurred.seeds):
        w1, w2 = blurred.matrices(s)
        x, t = blurred.old(s)
        h = 1 / (1 + np.exp(-(x @ w1[:, :-1].T + w1[:, -1])))
        y = 1 / (1 + np.exp(-(h @ w2[:, :-1].T + w2[:, -1])))
        error = np.abs(y - t).mean(axis=1)[mask[s]].mean()
        measured = condition["per_seed"]["retrained_error"][s][0]
        assert error == pytest.approx(measured, abs=1e-5)  # float32 network, float64 here


@pytest.mark.parametrize(
    ("measure", "error_function"),
    [("absolute", "squared"), ("squared", "squared"), ("absolute", "cross-entropy")],
)
def test_first_order_rates_are_the_directional_derivative_of_the_measured_error(
    measure, error_function
):
    layout = NetworkLayout(6, 8, 4)
    rng = np.random.default_rng(np.random.SeedSequence(21))
    s, k = 3, 9
    inputs = rng.integers(0, 2, (s, k, 6)).astype(float)
    targets = rng.integers(0, 2, (s, k, 4)).astype(float)
    net = FastSlowNetwork(
        layout, rng.uniform(-1, 1, (s, layout.size)), rng.normal(0, 0.1, (s, layout.size))
    )
    retrained = net.cases(inputs[:, :4], targets[:, :4])
    every = net.cases(inputs, targets)
    rates = first_order_rates(net, retrained, inputs, targets, measure, 0.5, error_function)
    direction = net.gradient(retrained, 0.5, error_function)[0].copy()
    slow = net.slow.copy()

    def errors(eps):
        net.slow = slow - eps * direction
        diff = net.outputs(every) - targets
        return (np.abs(diff) if measure == "absolute" else diff**2).mean(axis=2)

    eps = 1e-6
    derivative = (errors(eps) - errors(-eps)) / (2 * eps)
    np.testing.assert_allclose(rates, -derivative, rtol=1e-5, atol=1e-9)


def test_the_prediction_is_reported_and_matches_a_tiny_first_step():
    """With ε_s = ε_f = 1e-4 and no decay, the first sweep is an infinitesimal step: the
    predicted ratio is the measured one (float64), seed by seed."""
    params = {**SMALL, "dtype": "float64", "slow_epsilon": 1e-4, "fast_epsilon": 1e-4, "h": 0.0}
    params["original_sweeps"] = 0  # the blur alone; a tiny step from random weights
    result = run_deblur(seeds=4, seed=2, retrain_fraction=0.5, per_seed=True, **params).to_dict()
    per_seed = result["per_seed"]
    retrained = np.asarray(per_seed["retrained_error"])
    unretrained = np.asarray(per_seed["unretrained_error"])
    gain_r, gain_u = retrained[:, 0] - retrained[:, 1], unretrained[:, 0] - unretrained[:, 1]
    epsilon = 2e-4  # ε_s + ε_f
    np.testing.assert_allclose(gain_r / epsilon, per_seed["first_order_retrained"], rtol=2e-3)
    np.testing.assert_allclose(gain_u / epsilon, per_seed["first_order_unretrained"], rtol=2e-2)
    predicted = result["predicted_improvement_ratio"]
    assert predicted["estimate"] == pytest.approx(
        result["improvement_ratio"][0]["estimate"], rel=2e-2
    )


def test_no_unretrained_associations_no_prediction():
    result = run_deblur(seeds=2, seed=1, retrain_fraction=1.0, per_seed=True, **SMALL).to_dict()
    assert result["predicted_improvement_ratio"] == {
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
    }
    assert result["per_seed"]["first_order_unretrained"] is None
