"""The simulator of transfer for given input vectors (simulation/vector_transfer.py).

Its own properties only — reproducibility, chunking, what each blur does to a real
linear unit, argument checks; the comparison with the theory is test_transfer_agreement.
"""

import numpy as np
import pytest

import simulation
from simulation.vector_transfer import vector_transfer_memory

X = np.array(
    [[1, 1, 0, 1, 0, 0], [1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 0], [1, 1, 1, 0, 0, 1],
     [0, 0, 1, 1, 1, 0], [1, 0, 0, 0, 1, 1], [0, 1, 0, 1, 1, 1]], dtype=float,
)  # fmt: skip
RETRAINED = [0, 2, 5]
EPSILON = 1 / np.linalg.eigvalsh(X[RETRAINED].T @ X[RETRAINED]).max()


def _run(**kwargs):
    options = {"steps": 4, "epsilon": EPSILON, "trials": 600, "seed": 11, **kwargs}
    return simulation.simulate_vector_transfer(X, RETRAINED, **options)


def test_same_seed_same_numbers_whatever_the_chunk_size():
    base = _run()
    assert _run() == base
    assert _run(chunk_size=7) == base
    assert _run(seed=12) != base


def test_result_shape_and_what_it_measures():
    result = _run(steps=3)
    errors = result.expected_errors
    assert errors.steps == (0, 1, 2, 3)
    for band in (errors.retrained, errors.unretrained):
        est, low, high = (np.array(v) for v in (band.estimate, band.ci_low, band.ci_high))
        assert est.shape == (4,) and np.all(low <= est) and np.all(est <= high)
    # The step is stable: the retrained rows' mean error falls at every step.
    assert np.all(np.diff(errors.retrained.estimate) < 0)
    # Before retraining the blur is all the error there is; w* solved every association.
    assert result.original_learning.largest_residual < 1e-10
    ratio = result.improvement_ratio
    assert 0 < ratio.ci_low <= ratio.estimate <= ratio.ci_high
    assert list(result.parameters.retrained) == RETRAINED
    assert result.trials == 600 and result.seed == 11


def test_zero_steps_still_measures_the_first_step():
    result = _run(steps=0)
    assert result.expected_errors.steps == (0,)
    assert result.improvement_ratio_finite_step.estimate > 0


def test_decay_by_h_acts_as_noise_of_sd_h():
    """Targets X u, u ~ N(0, I): decay leaves residuals -h X u, the law of X g with sd h."""
    h = 0.3
    decay = _run(blur="decay", decay=h, trials=4000, seed=1)
    noise = _run(blur="noise", noise_sd=h, trials=4000, seed=2)
    for key in ("improvement_ratio", "improvement_ratio_finite_step"):
        a, b = getattr(decay, key), getattr(noise, key)
        assert abs(a.estimate - b.estimate) < 1.5 * (a.width + b.width) / 2
    a = np.array(decay.expected_errors.unretrained.estimate)
    b = np.array(noise.expected_errors.unretrained.estimate)
    np.testing.assert_allclose(a, b, rtol=0.1)


def test_learning_new_associations_blurs_and_retraining_recovers():
    result = _run(blur="learning", trials=200)
    errors = result.expected_errors
    assert errors.unretrained.estimate[0] > 0.01
    assert errors.retrained.estimate[-1] < errors.retrained.estimate[0]
    assert result.parameters.interference_associations == 5
    assert result.parameters.interference_steps == 400


def test_noise_sd_scales_errors_not_ratios():
    one, two = _run(noise_sd=1.0), _run(noise_sd=2.0)
    assert two.improvement_ratio.estimate == pytest.approx(one.improvement_ratio.estimate, rel=1e-9)
    np.testing.assert_allclose(
        two.expected_errors.retrained.estimate,
        4 * np.array(one.expected_errors.retrained.estimate),
        rtol=1e-9,
    )


def test_memory_estimate_grows_with_the_chunk_not_the_trials():
    small = vector_transfer_memory(40, 20, 20, trials=10**4)
    assert vector_transfer_memory(40, 20, 20, trials=10**9) == small
    assert vector_transfer_memory(40, 20, 20, trials=10, chunk_size=10) < small
    assert vector_transfer_memory(10**5, 10**3, 20, trials=10) > 10**9


@pytest.mark.parametrize(
    ("kwargs", "start"),
    [
        ({"inputs": np.ones(3)}, "inputs: expected a non-empty 2-D"),
        ({"inputs": X * np.nan}, "inputs: expected finite numbers"),
        ({"inputs": X * 1e200}, "inputs: expected entries small enough"),
        ({"retrained": list(range(7))}, "retrained: expected distinct row indices"),
        ({"retrained": [0, 0]}, "retrained: expected distinct row indices"),
        ({"retrained": [7]}, "retrained: expected distinct row indices"),
        ({"retrained": []}, "retrained: expected distinct row indices"),
        ({"inputs": np.vstack([np.zeros(6), X]), "retrained": [0]}, "retrained: expected rows"),
        ({"steps": -1}, "steps: expected an integer >= 0"),
        ({"epsilon": 0.0}, "epsilon: expected a finite number > 0"),
        ({"epsilon": 2.5 * EPSILON}, "epsilon: expected a stable step in (0, 2/lambda_max)"),
        ({"blur": "fog"}, "blur: expected one of noise, learning, decay"),
        ({"trials": 1}, "trials: expected an integer >= 2"),
        ({"seed": -1}, "seed: expected an integer >= 0"),
        ({"noise_sd": 0.0}, "noise_sd: expected a finite number > 0"),
        ({"decay": 1.5}, "decay: expected a number in (0, 1]"),
        ({"chunk_size": 0}, "chunk_size: expected an integer >= 1"),
    ],
)
def test_bad_arguments_are_one_line(kwargs, start):
    arguments = {"inputs": X, "retrained": RETRAINED, "steps": 2, "epsilon": EPSILON, **kwargs}
    with pytest.raises(simulation.ParameterError) as info:
        simulation.simulate_vector_transfer(**arguments)
    assert str(info.value).startswith(start) and "\n" not in str(info.value)
