"""The fast/slow-weight back-prop network of Sec. 3 (simulation/fastslow.py)."""

import numpy as np
import pytest

from simulation import ParameterError
from simulation.fastslow import FastSlowLearning, FastSlowNetwork, NetworkLayout

LAYOUT = NetworkLayout(n_input=4, n_hidden=5, n_output=3)


def _network(seeds=3, seed=0, fast_scale=0.3, dtype=np.float64):
    rng = np.random.default_rng(seed)
    slow = rng.normal(size=(seeds, LAYOUT.size)).astype(dtype)
    fast = (fast_scale * rng.normal(size=(seeds, LAYOUT.size))).astype(dtype)
    return FastSlowNetwork(LAYOUT, slow, fast)


def _data(seeds=3, cases=6, seed=1):
    rng = np.random.default_rng(seed)
    inputs = rng.integers(0, 2, size=(seeds, cases, LAYOUT.n_input)).astype(float)
    targets = rng.integers(0, 2, size=(seeds, cases, LAYOUT.n_output)).astype(float)
    return inputs, targets


def _error(net, cases, factor):
    y = net.outputs(cases)
    return factor * ((y - cases.targets) ** 2).sum(axis=(1, 2))


@pytest.mark.parametrize("factor", [0.5, 1.0])
def test_gradient_matches_central_finite_differences(factor):
    net = _network()
    cases = net.cases(*_data())
    grad, _ = net.gradient(cases, factor)
    grad = grad.copy()
    step = 1e-6
    numeric = np.zeros_like(grad)
    for j in range(LAYOUT.size):
        for sign in (1.0, -1.0):
            net.fast[:, j] += sign * step  # dE/dw_f: the same derivative as dE/dw_s
            numeric[:, j] += sign * _error(net, cases, factor) / (2 * step)
            net.fast[:, j] -= sign * step
    assert np.max(np.abs(grad)) > 0.05  # a real signal, not all zeros
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
    # and with respect to the slow weights, for one parameter of every block
    for j in (0, LAYOUT.size // 2, LAYOUT.size - 1):
        net.slow[:, j] += step
        up = _error(net, cases, factor)
        net.slow[:, j] -= 2 * step
        down = _error(net, cases, factor)
        net.slow[:, j] += step
        np.testing.assert_allclose(grad[:, j], (up - down) / (2 * step), rtol=1e-6, atol=1e-8)


def test_views_write_through_to_the_flat_weights():
    flat = np.zeros((2, LAYOUT.size))
    hidden, output, bias = LAYOUT.views(flat)
    hidden[...] = 1.0
    output[...] = 2.0
    bias[...] = 3.0
    n1h = (LAYOUT.n_input + 1) * LAYOUT.n_hidden
    assert np.all(flat[:, :n1h] == 1.0)
    assert np.all(flat[:, n1h : -LAYOUT.n_output] == 2.0)
    assert np.all(flat[:, -LAYOUT.n_output :] == 3.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("h", [0.01, 0.25])
def test_fast_weights_decay_by_exactly_h_per_update_without_error_signal(dtype, h):
    net = _network(dtype=dtype)
    slow = net.slow.copy()
    empty = net.cases(np.zeros((3, 0, LAYOUT.n_input)), np.zeros((3, 0, LAYOUT.n_output)))
    learning = FastSlowLearning(fast_epsilon=0.5, fast_momentum=0.9, fast_decay=h)
    for _ in range(5):
        before = net.fast.copy()
        grad, _ = net.gradient(empty)
        assert not np.any(grad)  # no cases: no error signal
        net.train_sweep(empty, learning)
        np.testing.assert_array_equal(net.fast, before * dtype(1 - h))
    np.testing.assert_array_equal(net.slow, slow)
    # the decay phase (training stopped) does the same
    before = net.fast.copy()
    net.decay_fast(h, 3)
    np.testing.assert_array_equal(net.fast, before * dtype(1 - h) * dtype(1 - h) * dtype(1 - h))
    np.testing.assert_array_equal(net.slow, slow)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _plain_backprop(w1, b1, w2, b2, inputs, targets, epsilon, momentum, sweeps):
    """An independent, textbook back-prop with momentum: one network, case by case."""
    params = [w1.copy(), b1.copy(), w2.copy(), b2.copy()]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(sweeps):
        grads = [np.zeros_like(p) for p in params]
        for x, t in zip(inputs, targets, strict=True):
            w1_, b1_, w2_, b2_ = params
            hidden = np.array(
                [
                    _sigmoid(sum(x[i] * w1_[i, j] for i in range(len(x))) + b1_[j])
                    for j in range(len(b1_))
                ]
            )
            out = np.array(
                [
                    _sigmoid(sum(hidden[j] * w2_[j, k] for j in range(len(hidden))) + b2_[k])
                    for k in range(len(b2_))
                ]
            )
            d_out = (out - t) * out * (1 - out)
            d_hidden = np.array(
                [
                    sum(d_out[k] * w2_[j, k] for k in range(len(d_out)))
                    * hidden[j]
                    * (1 - hidden[j])
                    for j in range(len(hidden))
                ]
            )
            grads[0] += np.outer(x, d_hidden)
            grads[1] += d_hidden
            grads[2] += np.outer(hidden, d_out)
            grads[3] += d_out
        for p, v, g in zip(params, velocity, grads, strict=True):
            v *= momentum
            v -= epsilon * g
            p += v
    return params


def test_with_fast_epsilon_zero_it_is_ordinary_backprop():
    seeds, cases = 2, 5
    rng = np.random.default_rng(7)
    slow = rng.uniform(-0.5, 0.5, size=(seeds, LAYOUT.size))
    net = FastSlowNetwork(LAYOUT, slow)
    inputs, targets = _data(seeds, cases)
    learning = FastSlowLearning(
        slow_epsilon=0.3, slow_momentum=0.9, fast_epsilon=0.0, fast_momentum=0.5, fast_decay=0.1
    )
    training = net.cases(inputs, targets)
    for _ in range(15):
        net.train_sweep(training, learning)
    assert not np.any(net.fast)
    for s in range(seeds):
        w1_aug, w2, b2 = (v[s] for v in LAYOUT.views(slow))
        expected = _plain_backprop(
            w1_aug[:-1], w1_aug[-1], w2, b2[0], inputs[s], targets[s], 0.3, 0.9, 15
        )
        got_w1, got_w2, got_b2 = (v[s] for v in LAYOUT.views(net.slow))
        got = [got_w1[:-1], got_w1[-1], got_w2, got_b2[0]]
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)
        assert not np.allclose(got[2], w2)  # it really learned


def test_control_puts_both_changes_into_the_slow_weights():
    """permanent=True follows the same effective weights as fast weights with h = 0."""
    inputs, targets = _data()
    a, b = _network(fast_scale=0.0), _network(fast_scale=0.0)
    learning = FastSlowLearning(slow_epsilon=0.1, fast_epsilon=0.3, fast_momentum=0.5, fast_decay=0)
    ca, cb = a.cases(inputs, targets), b.cases(inputs, targets)
    for _ in range(10):
        a.train_sweep(ca, learning, permanent=True)
        b.train_sweep(cb, learning)
    assert not np.any(a.fast)
    assert np.any(b.fast)
    np.testing.assert_allclose(a.effective_weights(), b.effective_weights(), rtol=1e-12, atol=1e-13)


def test_fold_and_reset_keep_the_effective_weights():
    net = _network()
    before = net.effective_weights()
    net.fold_fast_into_slow()
    assert not np.any(net.fast)
    np.testing.assert_allclose(net.effective_weights(), before, rtol=1e-15)
    copy = net.copy()
    copy.slow += 1.0
    assert not np.allclose(copy.slow, net.slow)


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("fast_decay", 1.0, "h"),
        ("fast_decay", -0.01, "h"),
        ("slow_momentum", 1.0, "slow_momentum"),
        ("fast_epsilon", -1.0, "fast_epsilon"),
        ("error_factor", 0.0, "error_factor"),
    ],
)
def test_bad_learning_parameters_are_one_line_errors(field, value, name):
    with pytest.raises(ParameterError, match=rf"^{name}: expected") as info:
        FastSlowLearning(**{field: value})
    assert "\n" not in str(info.value)


def test_bad_shapes_are_rejected():
    with pytest.raises(ParameterError, match=r"^slow: expected"):
        FastSlowNetwork(LAYOUT, np.zeros((2, LAYOUT.size + 1)))
    with pytest.raises(ParameterError, match=r"^dtype: expected"):
        FastSlowNetwork(LAYOUT, np.zeros((2, LAYOUT.size), dtype=np.float16))
    net = _network()
    with pytest.raises(ParameterError, match=r"^inputs: expected"):
        net.cases(np.zeros((3, 2, 9)), np.zeros((3, 2, LAYOUT.n_output)))


# ---------------------------------------------------------------- stability diagnostics
def test_stability_limit_without_fast_weights_is_heavy_ball():
    from simulation.deblur_stability import stability_limit

    for eps, alpha in [(0.02, 0.9), (0.1, 0.0), (0.05, 0.5)]:
        learning = FastSlowLearning(slow_epsilon=eps, slow_momentum=alpha, fast_epsilon=0.0)
        assert stability_limit(learning) == pytest.approx(2 * (1 + alpha) / eps, rel=1e-8)


def test_fast_weights_lower_the_stability_limit():
    from simulation.deblur_stability import stability_limit

    limits = [stability_limit(FastSlowLearning(fast_epsilon=e)) for e in (0.0, 0.01, 0.05)]
    assert limits[0] > limits[1] > limits[2]
    assert limits[2] == pytest.approx(33.2, abs=0.1)  # the value quoted in docs/deblur.md


def test_largest_curvature_matches_the_explicit_hessian():
    from simulation.deblur_stability import largest_curvature

    net = _network(seeds=2, fast_scale=0.0)
    cases = net.cases(*_data(seeds=2))
    got = largest_curvature(net, cases, iterations=300)
    grad = lambda: net.gradient(cases)[0].copy()  # noqa: E731
    step = 1e-5
    base = net.slow.copy()
    for s in range(2):
        hessian = np.zeros((LAYOUT.size, LAYOUT.size))
        for j in range(LAYOUT.size):
            net.slow[...] = base
            net.slow[s, j] += step
            up = grad()[s]
            net.slow[s, j] -= 2 * step
            hessian[:, j] = (up - grad()[s]) / (2 * step)
        net.slow[...] = base
        eigenvalues = np.linalg.eigvalsh((hessian + hessian.T) / 2)
        top = eigenvalues[np.argmax(np.abs(eigenvalues))]
        assert got[s] == pytest.approx(top, rel=1e-4)
    np.testing.assert_array_equal(net.slow, base)
