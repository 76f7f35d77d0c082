"""The compiled per-case kernel (simulation/_case_kernel.py, issue 20).

* Bit for bit against a numpy transcription of the same operations in the same order
  (numpy's elementwise float32/float64 arithmetic is correctly rounded, so any
  reassociation, contraction into FMA or other exp in the compiled code would show).
* Its logistic against numpy's (a few ulp), at the extremes, inf and NaN.
* The same numbers for any chunking and thread count; a second process loads the
  compiled code from the disk cache; ``simulate deblur`` imports no ``scipy.stats``; the
  t quantile is ``scipy.stats.t.ppf``'s bit for bit.
(The kernel against the independent per-case reference of Sec. 3 at 1e-12:
``test_fastslow_modes.py``.)
"""

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pytest

from simulation import _case_kernel as ck
from simulation.deblur_protocol import DeblurCondition, DeblurSettings, simulate_deblur, spawn_seeds
from simulation.estimate import t_quantile
from simulation.fastslow import FastSlowLearning, FastSlowNetwork, NetworkLayout

LAYOUT = NetworkLayout(n_input=4, n_hidden=20, n_output=3)  # H = 20: two 8-lane blocks + 4


def _np_logistic(z, c):
    """The kernel's logistic, op for op, in numpy (arrays of c's dtype)."""
    q = ck.COEFFICIENTS
    x = -z
    xs = np.where(x != x, c[ck.ZERO], x)
    xs = np.where(xs > c[ck.EXP_HI], c[ck.EXP_HI], xs)
    xs = np.where(xs < c[ck.EXP_LO], c[ck.EXP_LO], xs)
    k = np.floor(xs * c[ck.LOG2E] + c[ck.HALF])
    r = (xs - k * c[ck.LN2_HI]) - k * c[ck.LN2_LO]
    p = c[q + 13] * r + c[q + 12]
    for i in range(11, -1, -1):
        p = p * r + c[q + i]
    e = p * np.ldexp(np.ones_like(p), k.astype(np.int32))
    e = np.where(x > c[ck.EXP_HI], c[ck.INF], e)
    e = np.where(x != x, x, e)
    return c[ck.ONE] / (c[ck.ONE] + e)


def _lane_sum(v, zero):
    full = len(v) - len(v) % 8
    if full == 0:
        acc = zero
    else:
        lanes = v[:8].copy()
        for base in range(8, full, 8):
            lanes = lanes + v[base : base + 8]
        l0, l1, l2, l3, l4, l5, l6, l7 = lanes
        acc = ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))
    for h in range(full, len(v)):
        acc = acc + v[h]
    return acc


def _np_sweep(weights, velocities, inputs, targets, order, c, squared, permanent, every):
    """per_case_sweep transcribed into numpy (the flat (H, m) layout of the output weights;
    the order of every operation as in the kernel)."""
    n1, h, m = LAYOUT.n_input + 1, LAYOUT.n_hidden, LAYOUT.n_output
    a, b = n1 * h, n1 * h + h * m
    one, zero = c[ck.ONE], c[ck.ZERO]
    for s in range(weights.shape[1]):
        ws, wf = weights[0, s], weights[1, s]
        vs, vf = velocities[0, s], velocities[1, s]
        count = order.shape[1]
        for j in range(count):
            x, t = inputs[s, order[s, j]], targets[s, order[s, j]]
            decay = c[ck.KEEP] if (every or j == count - 1) else one
            z = np.full(h, zero)
            for i in range(n1):
                z = z + x[i] * (ws[i * h : (i + 1) * h] + wf[i * h : (i + 1) * h])
            hidden = _np_logistic(z, c)
            w2 = (ws[a:b] + wf[a:b]).reshape(h, m)
            net = np.array([_lane_sum(hidden * w2[:, k], zero) for k in range(m)])
            net = net + (ws[b:] + wf[b:])
            y = _np_logistic(net, c)
            d = y - t
            if squared:
                d = d * y
                d = d * (one - y)
            delta = d * c[ck.SCALE]
            back = delta[0] * w2[:, 0]
            for k in range(1, m):
                back = back + delta[k] * w2[:, k]
            back = (back * hidden) * (one - hidden)
            g = np.concatenate([np.outer(x, back).ravel(), np.outer(hidden, delta).ravel(), delta])
            d_s = c[ck.ALPHA_S] * vs - c[ck.EPS_S] * g
            d_f = c[ck.ALPHA_F] * vf - c[ck.EPS_F] * g
            vs[:], vf[:] = d_s, d_f
            if permanent:
                ws[:] = (ws + d_s) + d_f
            else:
                ws[:] = ws + d_s
                wf[:] = (wf + d_f) * decay


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    ("squared", "permanent", "every"),
    [(True, False, True), (True, False, False), (False, False, True), (True, True, True)],
)
def test_kernel_is_its_numpy_transcription_bit_for_bit(dtype, squared, permanent, every):
    rng = np.random.default_rng(7)
    seeds, count = 3, 6
    slow = rng.normal(size=(seeds, LAYOUT.size)).astype(dtype)
    fast = (0.3 * rng.normal(size=(seeds, LAYOUT.size))).astype(dtype)
    net = FastSlowNetwork(LAYOUT, slow, fast)
    inputs = rng.integers(0, 2, size=(seeds, count, LAYOUT.n_input)).astype(float)
    targets = 0.1 + 0.8 * rng.integers(0, 2, size=(seeds, count, LAYOUT.n_output))
    cases = net.cases(inputs, targets)
    c = ck.constants(net.dtype, 0.8, 0.5, 0.3, 0.4, 1.0 - 0.2, 1.4)
    weights, velocities = net._weights.copy(), net._velocities.copy()
    for _ in range(3):
        order = np.stack([rng.permutation(count) for _ in range(seeds)]).astype(np.int64)
        ck.per_case_sweep(
            net._weights, net._velocities, cases.inputs, cases.targets, order, c,
            LAYOUT.n_hidden, squared, permanent, every,
        )  # fmt: skip
        _np_sweep(weights, velocities, cases.inputs, cases.targets, order, c, squared,
                  permanent, every)  # fmt: skip
    np.testing.assert_array_equal(net._weights, weights)
    np.testing.assert_array_equal(net._velocities, velocities)
    assert not np.array_equal(net.slow, slow)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logistic_is_numpys_within_a_few_ulp_and_at_the_extremes(dtype):
    c = ck.constants(np.dtype(dtype), 0, 0, 0, 0, 1, 1)
    z = np.concatenate([np.linspace(-80, 80, 100_001), [-1e4, 1e4, 0.0]]).astype(dtype)
    out = np.empty_like(z)
    ck.logistic(z, out, c)
    np.testing.assert_array_equal(out, _np_logistic(z, c))
    with np.errstate(over="ignore"):
        expected = 1 / (1 + np.exp(-z.astype(np.float64)))
    ulp = np.finfo(dtype).eps
    np.testing.assert_allclose(out, expected, rtol=4 * ulp, atol=np.finfo(dtype).tiny)
    special = np.array([np.inf, -np.inf, np.nan, -1000.0, 1000.0], dtype=dtype)
    ck.logistic(special, special, c)
    assert special[0] == 1 and special[1] == 0 and np.isnan(special[2])
    assert special[3] == 0 and special[4] == 1


def test_per_case_numbers_do_not_depend_on_chunks_or_threads():
    tiny = {"original_sweeps": 4, "new_sweeps": 2, "retrain_sweeps": 2, "associations": 20}
    settings = DeblurSettings(updates="per-case", **tiny)
    children = spawn_seeds(11, 5)
    conditions = [DeblurCondition(0.5), DeblurCondition(0.5, False)]
    one = simulate_deblur(children, replace(settings, chunk_size=5, threads=1), conditions)
    for chunk, threads in [(1, 2), (2, 2), (3, 1)]:
        other = simulate_deblur(
            children, replace(settings, chunk_size=chunk, threads=threads), conditions
        )
        for key, value in one["shared"].items():
            np.testing.assert_array_equal(other["shared"][key], value)
        for c1, c2 in zip(one["conditions"], other["conditions"], strict=True):
            for key, value in c1.items():
                np.testing.assert_array_equal(c2[key], value)


_SECOND_PROCESS = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from simulation.fastslow import FastSlowLearning, FastSlowNetwork, NetworkLayout
    from simulation._case_kernel import per_case_sweep
    layout = NetworkLayout(3, 4, 2)
    net = FastSlowNetwork(layout, np.zeros((1, layout.size), dtype=sys.argv[1]))
    cases = net.cases(np.ones((1, 2, 3)), np.ones((1, 2, 2)))
    start = time.perf_counter()
    net.train_cases(cases, np.array([[0, 1]]), FastSlowLearning())
    stats = per_case_sweep.stats
    print(json.dumps({"hits": len(stats.cache_hits), "misses": len(stats.cache_misses),
                      "seconds": time.perf_counter() - start}))
    """
)


def test_a_second_process_loads_the_kernel_from_the_disk_cache(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}

    def run():
        out = subprocess.run(
            [sys.executable, "-c", _SECOND_PROCESS, "float32"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout)

    first, second = run(), run()
    assert first["misses"] == 1 and first["hits"] == 0  # compiled (and written) here
    assert second["misses"] == 0 and second["hits"] == 1  # loaded
    assert second["seconds"] < first["seconds"] / 3


def test_simulate_deblur_imports_no_scipy_stats():
    code = textwrap.dedent(
        """
        import sys
        from verification.cli import main
        try:
            main(["simulate", "deblur", "--seeds", "3", "--original-sweeps", "3",
                  "--new-sweeps", "2", "--retrain-sweeps", "2", "--updates", "per-case",
                  "--json"])
        except SystemExit as exit:
            assert not exit.code, exit.code
        print("scipy.stats" in sys.modules, file=sys.stderr)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False"


def test_t_quantile_is_scipy_stats_bit_for_bit():
    from scipy import stats

    for level in (0.5, 0.9, 0.95, 0.99, 0.999):
        for dof in [*range(1, 120), 159, 199, 999, 10_000]:
            expected = float(stats.t.ppf(0.5 + level / 2.0, dof))
            assert t_quantile(level, dof) == expected, (level, dof)


def test_the_numpy_loop_still_matches_the_kernel_closely():
    """The engine before issue 20 (kept for the benchmark) and the kernel differ only in
    the order of the matrix products' sums and the exp's last bits."""
    rng = np.random.default_rng(3)
    slow = rng.uniform(-0.5, 0.5, size=(2, LAYOUT.size)).astype("float32")
    a, b = FastSlowNetwork(LAYOUT, slow), FastSlowNetwork(LAYOUT, slow)
    inputs = rng.integers(0, 2, size=(2, 8, LAYOUT.n_input)).astype(float)
    targets = rng.integers(0, 2, size=(2, 8, LAYOUT.n_output)).astype(float)
    learning = FastSlowLearning()
    ca, cb = a.cases(inputs, targets), b.cases(inputs, targets)
    for _ in range(5):
        order = np.stack([rng.permutation(8) for _ in range(2)])
        a.train_cases(ca, order, learning)
        b._train_cases_numpy(cb, order, learning)
    np.testing.assert_allclose(a.slow, b.slow, rtol=1e-5, atol=1e-6)
