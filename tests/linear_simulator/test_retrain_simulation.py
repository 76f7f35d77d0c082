"""simulate_retrain against the exact finite-n theory (99% intervals), and against a plain
per-trial reference implementation where the theory has no formula (learning blur, unit
step). Three blur modes, both step rules, several outputs, real gradient-descent learning."""

import math

import numpy as np
import pytest

from simulation import ParameterError, simulate_retrain
from simulation.linear import train_by_gradient_descent
from theory import retrain_ratio

LEVEL = 0.99
Z99 = 2.5758293035489004


def inside(estimate, value):
    return estimate.ci_low <= value <= estimate.ci_high


CASES = [
    # inputs, n, K, M, probability, without replacement
    ("zero-one", 10, 100, 50, {"q": 0.5}, False),
    ("zero-one", 10, 100, 50, {"q": 0.5}, True),
    ("zero-one", 30, 60, 20, {"q": 0.3}, False),
    ("signed", 10, 100, 50, {"p": 1 / 3}, False),
    ("signed", 6, 100, 10, {"p": 1 / 3}, True),
    ("signed", 40, 80, 40, {"p": 0.5}, False),
]


@pytest.mark.parametrize(("inputs", "n", "k", "m", "prob", "without"), CASES)
def test_ratio_agrees_with_the_exact_finite_n_theory(inputs, n, k, m, prob, without):
    result = simulate_retrain(
        inputs, n, k, m, without_replacement=without, trials=20_000, seed=21, level=LEVEL, **prob
    )
    theory = retrain_ratio(inputs, n, k, m, without_replacement=without, **prob)
    ratio = result.improvement_ratio
    assert inside(ratio, theory["improvement_ratio"])
    assert ratio.ci_high - ratio.ci_low < 0.03
    if abs(theory["paper_improvement_ratio"] - theory["improvement_ratio"]) > 0.02:
        assert not inside(ratio, theory["paper_improvement_ratio"])


def test_the_paper_943_is_excluded_at_its_own_n():
    """n = 10, K = 100, M = 50, 100 distinct vectors: exact 0.9543, paper 0.943 (a gap of
    0.011): with 60 000 trials the 99% interval excludes the paper's value."""
    result = simulate_retrain(
        "zero-one",
        10,
        100,
        50,
        q=0.5,
        without_replacement=True,
        trials=60_000,
        seed=22,
        level=LEVEL,
    )
    assert inside(result.improvement_ratio, 0.95433464)
    assert not inside(result.improvement_ratio, 50 * 0.25 / (1 + 49 * 0.25))


def test_several_output_units_have_the_same_ratio():
    result = simulate_retrain(
        "zero-one", 10, 40, 10, q=0.5, outputs=3, trials=10_000, seed=23, level=LEVEL
    )
    assert inside(
        result.improvement_ratio,
        retrain_ratio("zero-one", 10, 40, 10, q=0.5)["improvement_ratio"],
    )
    assert result.parameters.outputs == 3


def test_decay_with_a_gaussian_teacher_behaves_like_noise():
    """Decay leaves residuals -h d = -h X w*: Gaussian with covariance h² XXᵀ, exactly the
    law of weight noise of sd h, so the noise theory applies."""
    result = simulate_retrain(
        "signed", 8, 30, 10, p=0.5, blur="decay", trials=10_000, seed=24, level=LEVEL
    )
    assert inside(
        result.improvement_ratio, retrain_ratio("signed", 8, 30, 10, p=0.5)["improvement_ratio"]
    )


@pytest.mark.parametrize("blur", ["noise", "decay"])
def test_gradient_descent_learning_reaches_its_tolerance(blur):
    """Real full-batch descent from zero reaches E <= 1e-10 in every trial; with K >= n it
    learns the teacher, so every measured rate equals that of perfect learning on the same
    draws (a deterministic check, stronger than comparing two intervals)."""
    common = dict(
        inputs="zero-one",
        n=8,
        associations=24,
        retrained=12,
        q=0.5,
        blur=blur,
        trials=1000,
        seed=25,
    )
    learned = simulate_retrain(learning="gradient", learning_tolerance=1e-10, **common)
    perfect = simulate_retrain(learning="perfect", **common)
    assert learned.original_learning.all_converged
    assert learned.original_learning.largest_remaining_error <= 1e-10
    for key in ("improvement_ratio", "mean_improvement_retrained"):
        for end in ("estimate", "ci_low", "ci_high"):
            assert getattr(getattr(learned, key), end) == pytest.approx(
                getattr(getattr(perfect, key), end), rel=1e-6
            )


def test_gradient_descent_learning_that_cannot_converge_is_reported():
    with pytest.raises(ParameterError, match="learning_max_steps"):
        simulate_retrain(
            "zero-one",
            8,
            24,
            12,
            q=0.5,
            learning="gradient",
            learning_max_steps=3,
            trials=10,
            seed=26,
        )


def plain_reference(trials, seed, n, k, m, blur, step_rule, new=5, new_steps=50):
    """Per-trial loop, written independently: 0/1 inputs with q = 1/2, teacher w* ~ N(0, 1),
    perfect learning, blur, first-step improvement rates by explicit sums."""
    rng = np.random.default_rng(seed)
    unretrained, retrained = [], []
    for _ in range(trials):
        x = (rng.random((k, n)) < 0.5).astype(float)
        teacher = rng.standard_normal(n)
        d = x @ teacher
        if blur == "noise":
            w = teacher + rng.standard_normal(n)
        else:  # learning 5 new random associations, no rehearsal
            new_x = (rng.random((new, n)) < 0.5).astype(float)
            new_d = rng.standard_normal(new)
            eps = 1.0 / max(np.linalg.eigvalsh(new_x @ new_x.T)[-1], 1e-300)
            w = teacher.copy()
            for _ in range(new_steps):
                w -= eps * new_x.T @ (new_x @ w - new_d)
        r = x @ w - d
        grad_r = sum(r[j] * x[j] for j in range(m))
        step = -grad_r if step_rule == "gradient" else -grad_r / np.linalg.norm(grad_r)
        rates = [-(r[j] * x[j]) @ step for j in range(k)]
        retrained.append(np.mean(rates[:m]))
        unretrained.append(np.mean(rates[m:]))
    u, v = np.array(unretrained), np.array(retrained)
    ratio = u.mean() / v.mean()
    cov = np.cov(u, v)
    se = math.sqrt((cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / trials) / v.mean()
    return ratio, se


@pytest.mark.parametrize(("blur", "step_rule"), [("learning", "gradient"), ("noise", "unit")])
def test_agrees_with_a_plain_reference_where_there_is_no_formula(blur, step_rule):
    n, k, m = 10, 20, 8
    ref, ref_se = plain_reference(2000, 27, n, k, m, blur, step_rule, new_steps=20)
    result = simulate_retrain(
        "zero-one",
        n,
        k,
        m,
        q=0.5,
        blur=blur,
        step_rule=step_rule,
        interference_steps=50,
        trials=20_000,
        seed=28,
    )
    est = result.improvement_ratio
    se = est.se
    assert abs(est.estimate - ref) <= Z99 * math.hypot(se, ref_se)
    assert 0.0 < est.estimate < 1.5


def test_learning_blur_with_default_sweeps_runs_and_is_finite():
    result = simulate_retrain("zero-one", 10, 100, 50, q=0.5, blur="learning", trials=500, seed=29)
    assert all(math.isfinite(v) for v in result.improvement_ratio.to_dict().values())
    assert result.parameters.blur == "learning"


@pytest.mark.parametrize("blur", ["noise", "learning"])
def test_bit_identical_for_every_chunk_size(blur):
    kwargs = dict(
        inputs="zero-one",
        n=10,
        associations=100,
        retrained=50,
        q=0.5,
        blur=blur,
        interference_steps=5,
        trials=1000,
        seed=30,
    )
    runs = [simulate_retrain(chunk_size=c, **kwargs) for c in (1, 300, 600, None)]
    assert all(run == runs[0] for run in runs[1:])
    assert simulate_retrain(**{**kwargs, "seed": 31}) != runs[0]


def test_keys_of_the_result():
    result = simulate_retrain("signed", 5, 10, 3, p=0.2, trials=100, seed=32)
    assert {
        "improvement_ratio",
        "trials",
        "mean_improvement_retrained",
        "mean_improvement_unretrained",
    } <= set(result.to_dict())
    for key in (
        "improvement_ratio",
        "mean_improvement_retrained",
        "mean_improvement_unretrained",
        "positive_transfer_probability",
    ):
        assert set(result.to_dict()[key]) == {"estimate", "ci_low", "ci_high"}
    assert 0.5 < result.positive_transfer_probability.estimate <= 1.0
    assert result.trials == 100


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n": 0}, "n"),
        ({"associations": 0}, "associations"),
        ({"retrained": 11}, "retrained"),
        ({"retrained": 10}, "retrained"),
        ({"retrained": 0}, "retrained"),
        ({"q": 0.0}, "q"),
        ({"q": 1.01}, "q"),
        ({"q": math.inf}, "q"),
        ({"without_replacement": True, "q": 0.3}, "without_replacement"),
        ({"without_replacement": True, "n": 3}, "associations"),
        ({"blur": "fog"}, "blur"),
        ({"step_rule": "newton"}, "step_rule"),
        ({"learning": "osmosis"}, "learning"),
        ({"trials": 0}, "trials"),
        ({"trials": -5}, "trials"),
        ({"noise_sd": 0.0}, "noise_sd"),
        ({"noise_sd": math.nan}, "noise_sd"),
        ({"outputs": 0}, "outputs"),
        ({"interference_steps": -1}, "interference_steps"),
        ({"decay": 0.0}, "decay"),
        ({"seed": -1}, "seed"),
        ({"chunk_size": 0}, "chunk_size"),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter(kwargs, name):
    args = {
        "inputs": "zero-one",
        "n": 4,
        "associations": 10,
        "retrained": 5,
        "q": 0.5,
        "trials": 10,
        "seed": 0,
        **kwargs,
    }
    with pytest.raises(ParameterError) as info:
        simulate_retrain(**args)
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)


def test_train_by_gradient_descent_is_reachable_for_users():
    rng = np.random.default_rng(33)
    x = (rng.random((2, 12, 4)) < 0.5).astype(float)
    d = x @ rng.standard_normal((2, 4, 1))
    assert np.all(train_by_gradient_descent(x, d, tolerance=1e-12).converged)
