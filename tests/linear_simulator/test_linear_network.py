"""The network itself: gradients, improvement rates, multi-output, learning, blur, retraining.

References are independent: finite differences of the error, plain per-network loops.
"""

import numpy as np
import pytest

from simulation import ParameterError
from simulation import linear as lin


def random_problem(seed=0, t=3, k=6, n=5, o=1):
    rng = np.random.default_rng(seed)
    x = (rng.random((t, k, n)) < 0.5).astype(float)
    teacher = rng.standard_normal((t, o, n))
    d = lin.teacher_targets(teacher, x)
    w = teacher + rng.standard_normal((t, o, n))
    return x, d, w


def total_error(w, x, d, mask):
    return lin.association_errors(w, x, d)[:, mask].sum(axis=1)


def test_outputs_and_errors_by_hand():
    x = np.array([[[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]])
    w = np.array([[0.5, -1.0, 2.0]])  # (T, n): one output unit
    d = np.array([[[1.0], [0.0]]])
    assert np.allclose(lin.network_outputs(w, x)[0, :, 0], [2.5, 1.0])
    assert np.allclose(lin.association_errors(w, x, d), [[0.5 * 1.5**2, 0.5 * 1.0**2]])


def test_set_gradients_match_finite_differences():
    x, d, w = random_problem(o=2)
    masks = np.array([[1, 1, 0, 0, 0, 0], [0, 0, 1, 0, 1, 1]], dtype=bool)
    grads = lin.set_gradients(w, x, d, masks)  # (T, S, O, n)
    h = 1e-6
    for s, mask in enumerate(masks):
        numeric = np.zeros_like(w)
        for o in range(w.shape[1]):
            for i in range(w.shape[2]):
                step = np.zeros_like(w)
                step[:, o, i] = h
                numeric[:, o, i] = (
                    total_error(w + step, x, d, mask) - total_error(w - step, x, d, mask)
                ) / (2 * h)
        assert np.allclose(grads[:, s], numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("rule", ["gradient", "unit"])
def test_improvement_rates_are_directional_derivatives(rule):
    x, d, w = random_problem(seed=1, o=2)
    retrained = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    rates = lin.improvement_rates(w, x, d, retrained, rule)
    grad = lin.set_gradients(w, x, d, retrained)[:, 0]
    direction = (
        -grad if rule == "gradient" else -grad / np.linalg.norm(grad, axis=(1, 2))[:, None, None]
    )
    h = 1e-6
    numeric = (
        lin.association_errors(w, x, d) - lin.association_errors(w + h * direction, x, d)
    ) / h
    assert np.allclose(rates, numeric, rtol=1e-4, atol=1e-4)
    # the set rates are the sums of the association rates
    measured = np.vstack([retrained, ~retrained])
    sets = lin.set_improvement_rates(w, x, d, retrained, measured, rule)
    assert np.allclose(sets[:, 0], rates[:, retrained].sum(1))
    assert np.allclose(sets[:, 1], rates[:, ~retrained].sum(1))


def test_output_units_are_independent_networks():
    """Footnote 1: a network with O outputs = O one-output networks (gradients, retraining)."""
    x, d, w = random_problem(seed=2, o=3)
    retrained = np.array([1, 0, 1, 0, 1, 0], dtype=bool)
    together = lin.retrain(w, x, d, retrained, 4, "gradient", 0.05)
    for o in range(3):
        alone = lin.retrain(w[:, o], x, d[:, :, o : o + 1], retrained, 4, "gradient", 0.05)
        assert np.allclose(together.weights[:, o], alone.weights[:, 0])
    errors_by_unit = sum(
        lin.retrain(w[:, o], x, d[:, :, o : o + 1], retrained, 4, "gradient", 0.05).errors
        for o in range(3)
    )
    assert np.allclose(together.errors, errors_by_unit)


def plain_retrain(w, x, d, retrained, steps, eps, alpha=0.0, rule="gradient"):
    """One network at a time, explicit sums over associations."""
    w = w.copy()
    velocity = np.zeros_like(w)
    errors = []
    for step in range(steps + 1):
        r = x @ w - d
        errors.append(0.5 * r**2)
        if step == steps:
            break
        grad = sum(r[k] * x[k] for k in range(len(x)) if retrained[k])
        if rule == "unit":
            change = -eps * grad / np.linalg.norm(grad)
        else:
            change = -eps * grad + alpha * velocity
        w, velocity = w + change, change
    return np.array(errors), w


@pytest.mark.parametrize(("rule", "alpha"), [("gradient", 0.0), ("gradient", 0.9), ("unit", 0.0)])
def test_retraining_matches_a_plain_loop(rule, alpha):
    x, d, w = random_problem(seed=3, t=4)
    retrained = np.array([0, 1, 1, 0, 1, 0], dtype=bool)
    result = lin.retrain(w, x, d, retrained, 7, rule, 0.03, alpha)
    for t in range(4):
        errors, final = plain_retrain(w[t, 0], x[t], d[t, :, 0], retrained, 7, 0.03, alpha, rule)
        assert np.allclose(result.errors[t], errors)
        assert np.allclose(result.weights[t, 0], final)
    if rule == "unit":
        one = lin.retrain(w, x, d, retrained, 1, rule, 0.03).weights
        assert np.allclose(np.linalg.norm(one - w, axis=(1, 2)), 0.03)


@pytest.mark.parametrize(("k", "n", "alpha"), [(30, 8, 0.0), (30, 8, 0.8), (4, 12, 0.0)])
def test_gradient_descent_learning_reaches_its_tolerance(k, n, alpha):
    rng = np.random.default_rng(4)
    x = (rng.random((5, k, n)) < 0.5).astype(float)
    d = lin.teacher_targets(rng.standard_normal((5, 2, n)), x)
    result = lin.train_by_gradient_descent(x, d, tolerance=1e-10, momentum=alpha)
    assert np.all(result.converged) and np.all(result.error <= 1e-10)
    assert np.all(lin.association_errors(result.weights, x, d).sum(1) <= 1e-10)
    assert np.all(result.steps > 0)


def test_gradient_descent_learning_is_per_trial():
    """A trial's training does not depend on the other trials in the batch."""
    rng = np.random.default_rng(5)
    x = (rng.random((6, 20, 6)) < 0.5).astype(float)
    d = lin.teacher_targets(rng.standard_normal((6, 1, 6)), x)
    together = lin.train_by_gradient_descent(x, d, tolerance=1e-9)
    alone = lin.train_by_gradient_descent(x[2:3], d[2:3], tolerance=1e-9)
    assert np.array_equal(together.weights[2], alone.weights[0])
    assert together.steps[2] == alone.steps[0]


def test_gradient_descent_reports_failure_to_converge():
    rng = np.random.default_rng(6)
    x = (rng.random((2, 20, 6)) < 0.5).astype(float)
    d = rng.standard_normal((2, 20, 1))  # 20 random targets in 6 dimensions: not learnable
    result = lin.train_by_gradient_descent(x, d, tolerance=1e-10, max_steps=200)
    assert not np.any(result.converged) and np.all(result.steps == 200)


def test_noise_blur_has_the_requested_sd():
    w = np.zeros((2000, 1, 50))
    g = lin.blur_with_noise(np.random.default_rng(7), w, noise_sd=0.3)
    assert abs(g.std() - 0.3) < 0.003 and abs(g.mean()) < 0.003


def test_decay_blur_shrinks_towards_zero():
    w = np.ones((2, 1, 3))
    assert np.allclose(lin.blur_with_decay(w, 0.25), 0.75)


def test_learning_blur_learns_the_new_associations_and_moves_only_in_their_span():
    rng = np.random.default_rng(8)
    n = 10
    old = rng.standard_normal((3, 1, n))
    new_x = (rng.random((3, 5, n)) < 0.5).astype(float)
    new_d = rng.standard_normal((3, 5, 1))
    after = lin.blur_by_learning(old, new_x, new_d, steps=2000)
    assert np.all(lin.association_errors(after, new_x, new_d) < 1e-12)
    for t in range(3):
        change = (after - old)[t, 0]
        projection = new_x[t].T @ np.linalg.lstsq(new_x[t].T, change, rcond=None)[0]
        assert np.allclose(projection, change, atol=1e-10)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda w, x, d, m: lin.retrain(w, x, d, m, -1), "steps"),
        (lambda w, x, d, m: lin.retrain(w, x, d, m, 1, "newton"), "step_rule"),
        (lambda w, x, d, m: lin.retrain(w, x, d, m, 1, epsilon=0.0), "epsilon"),
        (lambda w, x, d, m: lin.retrain(w, x, d, m, 1, momentum=1.0), "momentum"),
        (lambda w, x, d, m: lin.retrain(w, x, d, m, 1, "unit", momentum=0.5), "momentum"),
        (lambda w, x, d, m: lin.blur_with_noise(np.random.default_rng(), w, 0.0), "noise_sd"),
        (lambda w, x, d, m: lin.blur_with_decay(w, 1.5), "decay"),
        (lambda w, x, d, m: lin.blur_by_learning(w, x, d, -1), "interference_steps"),
        (lambda w, x, d, m: lin.set_gradients(w, x, d, m[:3]), "masks"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    x, d, w = random_problem()
    with pytest.raises(ParameterError) as info:
        call(w, x, d, np.ones(6, dtype=bool))
    assert str(info.value).startswith(f"{name}: expected")


@pytest.mark.parametrize("rule", ["gradient", "unit"])
def test_fast_kernel_equals_the_network_path(rule):
    """two_set_improvement_rates (float32, component-major, residuals as x·(w - w*)) gives
    the rates of set_improvement_rates (float64, y - d from the network) on the same draws."""
    rng = np.random.default_rng(9)
    x = rng.integers(-1, 2, size=(7, 30, 12)).astype(float)
    teacher = rng.standard_normal((7, 2, 12))
    d = lin.teacher_targets(teacher, x)
    w = teacher + rng.standard_normal((7, 2, 12))
    retrained = np.arange(30) < 11
    network = lin.set_improvement_rates(
        w, x, d, retrained, np.vstack([retrained, ~retrained]), rule
    )
    x_cm = np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)
    fast_r, fast_u = lin.two_set_improvement_rates(x_cm, w - teacher, 11, rule)
    assert np.allclose(fast_r, network[:, 0], rtol=2e-5)
    assert np.allclose(fast_u, network[:, 1], rtol=2e-5, atol=2e-5 * np.abs(network[:, 0]).max())
