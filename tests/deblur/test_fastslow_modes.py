"""The network's error functions and per-case (on-line) weight changes (simulation/fastslow.py).

The per-case sweep is checked against a plain per-seed, per-case loop written from the
equations of Sec. 3 (separate weight matrices, ``np.outer``), which shares no code with
``FastSlowNetwork``.
"""

import numpy as np
import pytest

from simulation import ParameterError
from simulation.fastslow import FastSlowLearning, FastSlowNetwork, NetworkLayout

LAYOUT = NetworkLayout(n_input=4, n_hidden=5, n_output=3)


def _network(seeds=3, seed=0, fast_scale=0.3):
    rng = np.random.default_rng(seed)
    slow = rng.normal(size=(seeds, LAYOUT.size))
    fast = fast_scale * rng.normal(size=(seeds, LAYOUT.size))
    return FastSlowNetwork(LAYOUT, slow, fast)


def _data(seeds=3, cases=6, seed=1, targets=(0.0, 1.0)):
    rng = np.random.default_rng(seed)
    inputs = rng.integers(0, 2, size=(seeds, cases, LAYOUT.n_input)).astype(float)
    bits = rng.integers(0, 2, size=(seeds, cases, LAYOUT.n_output))
    low, high = targets
    return inputs, low + (high - low) * bits


def _error(net, cases, factor, function):
    y = net.outputs(cases)
    t = cases.targets
    if function == "squared":
        return factor * ((y - t) ** 2).sum(axis=(1, 2))
    return 2 * factor * -(t * np.log(y) + (1 - t) * np.log(1 - y)).sum(axis=(1, 2))


@pytest.mark.parametrize("function", ["squared", "cross-entropy"])
@pytest.mark.parametrize("targets", [(0.0, 1.0), (0.1, 0.9)])
@pytest.mark.parametrize("factor", [0.5, 1.0])
def test_gradient_matches_central_finite_differences(function, targets, factor):
    net = _network(fast_scale=0.3)
    cases = net.cases(*_data(targets=targets))
    grad = net.gradient(cases, factor, function)[0].copy()
    step = 1e-6
    numeric = np.zeros_like(grad)
    for j in range(LAYOUT.size):
        for sign in (1.0, -1.0):
            net.fast[:, j] += sign * step
            numeric[:, j] += sign * _error(net, cases, factor, function) / (2 * step)
            net.fast[:, j] -= sign * step
    assert np.max(np.abs(grad)) > 0.05
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_cross_entropy_delta_is_the_squared_delta_without_the_slope():
    """At an output unit, dE/dnet = 2c (y - t) (cross-entropy) vs 2c (y - t) y (1 - y)."""
    net = _network(seeds=1)
    cases = net.cases(*_data(seeds=1, cases=1))
    y = net.outputs(cases)
    t = cases.targets
    ce = net.gradient(cases, 0.5, "cross-entropy")[0][:, -LAYOUT.n_output :].copy()
    sq = net.gradient(cases, 0.5, "squared")[0][:, -LAYOUT.n_output :].copy()
    np.testing.assert_allclose(ce, (y - t)[:, 0], rtol=1e-14)
    np.testing.assert_allclose(sq, ((y - t) * y * (1 - y))[:, 0], rtol=1e-14)


def test_unknown_error_function_is_rejected():
    net = _network()
    cases = net.cases(*_data())
    with pytest.raises(ParameterError, match=r"^error_function: expected"):
        net.gradient(cases, 0.5, "hinge")
    with pytest.raises(ParameterError, match=r"^error_function: expected"):
        FastSlowLearning(error_function="absolute")
    assert FastSlowLearning().error_function == "squared"


# ---------------------------------------------------------------- per-case reference
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _unflatten(flat):
    """One seed's flat weights -> [W1 (n, H), b1 (H,), W2 (H, m), b2 (m,)] (copies)."""
    n, h, m = LAYOUT.n_input, LAYOUT.n_hidden, LAYOUT.n_output
    a = (n + 1) * h
    hidden = flat[:a].reshape(n + 1, h)
    return [
        hidden[:n].copy(),
        hidden[n].copy(),
        flat[a : a + h * m].reshape(h, m).copy(),
        flat[a + h * m :].copy(),
    ]


def _reference_per_case(
    slow, fast, inputs, targets, orders, learning, permanent=False, decay_every_change=True
):
    """Sec. 3 for one network, one case at a time, from the equations:

    g = dE/dw for the one case; Δ_s <- α_s Δ_s - ε_s g, w_s += Δ_s;
    Δ_f <- α_f Δ_f - ε_f g, w_f <- (w_f + Δ_f)(1 - h) (the (1 - h) after every change,
    or only after the sweep's last one); the control puts Δ_s + Δ_f into w_s.
    """
    ws, wf = _unflatten(slow), _unflatten(fast)
    vs = [np.zeros_like(p) for p in ws]
    vf = [np.zeros_like(p) for p in ws]
    c = learning.error_factor
    for order in orders:
        for j, case in enumerate(order):
            x, t = inputs[case], targets[case]
            w1, b1, w2, b2 = (a + b for a, b in zip(ws, wf, strict=True))
            hidden = _sigmoid(x @ w1 + b1)
            y = _sigmoid(hidden @ w2 + b2)
            if learning.error_function == "squared":
                d_out = 2 * c * (y - t) * y * (1 - y)
            else:
                d_out = 2 * c * (y - t)
            d_hidden = (w2 @ d_out) * hidden * (1 - hidden)
            grads = [np.outer(x, d_hidden), d_hidden, np.outer(hidden, d_out), d_out]
            last = j == len(order) - 1
            for i, g in enumerate(grads):
                vs[i] = learning.slow_momentum * vs[i] - learning.slow_epsilon * g
                vf[i] = learning.fast_momentum * vf[i] - learning.fast_epsilon * g
                if permanent:
                    ws[i] = ws[i] + vs[i] + vf[i]
                else:
                    ws[i] = ws[i] + vs[i]
                    wf[i] = wf[i] + vf[i]
                    if decay_every_change or last:
                        wf[i] = wf[i] * (1 - learning.fast_decay)
    return ws, wf


def _flat_parts(net, s):
    return _unflatten(net.slow[s]), _unflatten(net.fast[s])


@pytest.mark.parametrize(
    ("function", "permanent", "decay_every_change", "fast_momentum"),
    [
        ("squared", False, True, 0.5),
        ("squared", False, False, 0.5),
        ("cross-entropy", False, True, 0.0),
        ("cross-entropy", False, False, 0.9),
        ("squared", True, True, 0.5),
    ],
)
def test_per_case_sweeps_match_an_independent_reference(
    function, permanent, decay_every_change, fast_momentum
):
    seeds, count, sweeps = 3, 6, 4
    net = _network(seeds=seeds, fast_scale=0.2)
    slow0, fast0 = net.slow.copy(), net.fast.copy()
    inputs, targets = _data(seeds, count, targets=(0.1, 0.9))
    cases = net.cases(inputs, targets)
    learning = FastSlowLearning(
        slow_epsilon=0.3,
        slow_momentum=0.8,
        fast_epsilon=0.4,
        fast_momentum=fast_momentum,
        fast_decay=0.2,
        error_factor=0.7,
        error_function=function,
    )
    rng = np.random.default_rng(5)
    orders = np.array([[rng.permutation(count) for _ in range(seeds)] for _ in range(sweeps)])
    for order in orders:
        before = net.outputs(cases)
        got = net.train_cases(cases, order, learning, permanent, decay_every_change)
        np.testing.assert_array_equal(got, before)  # y at the weights before the sweep
    assert not np.allclose(net.slow, slow0)
    for s in range(seeds):
        ws, wf = _reference_per_case(
            slow0[s],
            fast0[s],
            inputs[s],
            targets[s],
            orders[:, s],
            learning,
            permanent,
            decay_every_change,
        )
        got_s, got_f = _flat_parts(net, s)
        for e, g in zip(ws + wf, got_s + got_f, strict=True):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-13)


def test_decay_once_per_sweep_differs_from_decay_per_change():
    inputs, targets = _data()
    learning = FastSlowLearning(fast_epsilon=0.3, fast_decay=0.1)
    order = np.tile(np.arange(6), (3, 1))
    a, b = _network(), _network()
    a.train_cases(a.cases(inputs, targets), order, learning, decay_every_change=True)
    b.train_cases(b.cases(inputs, targets), order, learning, decay_every_change=False)
    assert not np.allclose(a.fast, b.fast)


def test_per_case_order_is_checked():
    net = _network()
    cases = net.cases(*_data())
    with pytest.raises(ParameterError, match=r"^order: expected"):
        net.train_cases(cases, np.zeros((3, 5), dtype=int), FastSlowLearning())


@pytest.mark.parametrize("function", ["squared", "cross-entropy"])
def test_a_per_case_sweep_of_one_case_is_a_batch_sweep(function):
    inputs, targets = _data(cases=1)
    learning = FastSlowLearning(fast_epsilon=0.3, fast_momentum=0.5, error_function=function)
    a, b = _network(), _network()
    ca, cb = a.cases(inputs, targets), b.cases(inputs, targets)
    for _ in range(3):
        a.train_cases(ca, np.zeros((3, 1), dtype=int), learning)
        b.train_sweep(cb, learning)
    np.testing.assert_allclose(a.slow, b.slow, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(a.fast, b.fast, rtol=1e-14, atol=1e-15)
