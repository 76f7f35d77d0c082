"""Estimates and intervals: against direct numpy formulas, and their coverage (slow)."""

import itertools
import math

import numpy as np
import pytest

from simulation import (
    Estimate,
    ParameterError,
    mean_estimate,
    proportion_estimate,
    ratio_of_means_estimate,
    simulate_pair,
    simulate_retrain,
)
from simulation.estimate import StreamingMoments, normal_quantile
from theory import (
    expected_cos_theta,
    improvement_ratio_gradient_step,
    improvement_ratio_unit_step,
    retrain_ratio,
)

Z95 = 1.959963984540054


def test_normal_quantile_matches_the_standard_value():
    assert normal_quantile(0.95) == pytest.approx(Z95, rel=1e-12)


def test_estimate_as_dict_has_exactly_the_three_keys():
    est = Estimate(0.5, 0.4, 0.6)
    assert est.as_dict() == {"estimate": 0.5, "ci_low": 0.4, "ci_high": 0.6}
    assert est.contains(0.4) and not est.contains(0.61)
    assert est.width == pytest.approx(0.2)


def test_mean_estimate_is_the_clt_interval():
    x = np.random.default_rng(1).exponential(size=1000)
    est = mean_estimate(x)
    half = Z95 * x.std(ddof=1) / math.sqrt(x.size)
    assert est.estimate == pytest.approx(x.mean(), rel=1e-12)
    assert est.ci_low == pytest.approx(x.mean() - half, rel=1e-12)
    assert est.ci_high == pytest.approx(x.mean() + half, rel=1e-12)


def test_mean_estimate_has_no_cancellation_for_a_large_offset():
    x = 1e9 + np.random.default_rng(2).standard_normal(10_000)
    est = mean_estimate(x)
    # A naive Σx² - (Σx)²/T would lose every digit here (1e18 - 1e18); the interval
    # ends are ~1e9, so their difference is known to ~1e-7 absolute.
    assert est.width == pytest.approx(2 * Z95 * x.std(ddof=1) / 100, abs=1e-6)


def test_ratio_interval_is_the_delta_method():
    rng = np.random.default_rng(3)
    y = 2.0 + rng.standard_normal(500)
    x = 0.5 * y + rng.standard_normal(500)
    est = ratio_of_means_estimate(x, y)
    r = x.mean() / y.mean()
    cov = np.cov(x, y, ddof=1)
    var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (x.size * y.mean() ** 2)
    assert est.estimate == pytest.approx(r, rel=1e-12)
    assert est.ci_high - r == pytest.approx(Z95 * math.sqrt(var), rel=1e-9)


def test_wilson_interval_solves_its_defining_quadratic():
    # Wilson: the p with |p_hat - p| = z sqrt(p (1 - p) / n).
    for successes, trials in [(0, 10), (3, 10), (10, 10), (512, 1000)]:
        est = proportion_estimate(successes, trials)
        p_hat = successes / trials
        a = 1 + Z95**2 / trials
        b = -(2 * p_hat + Z95**2 / trials)
        c = p_hat**2
        roots = sorted(np.roots([a, b, c]).real)
        assert est.ci_low == pytest.approx(max(roots[0], 0.0), abs=1e-12)
        assert est.ci_high == pytest.approx(min(roots[1], 1.0), abs=1e-12)


def test_streaming_sums_match_one_pass_and_need_two_samples():
    rng = np.random.default_rng(4)
    x = rng.standard_normal(1000)
    moments = StreamingMoments()
    for part in np.array_split(x, 7):
        moments.add({"x": part})
    assert moments.mean("x").estimate == pytest.approx(mean_estimate(x).estimate, rel=1e-12)
    assert moments.mean("x").width == pytest.approx(mean_estimate(x).width, rel=1e-9)
    with pytest.raises(ParameterError, match="trials"):
        one = StreamingMoments()
        one.add({"x": x[:1]})
        one.mean("x")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: mean_estimate([1.0]), "samples"),
        (lambda: ratio_of_means_estimate([1.0, 2.0], [0.0, 0.0]), "y"),
        (lambda: ratio_of_means_estimate([1.0, 2.0], [1.0]), "den_samples"),
        (lambda: proportion_estimate(3, 2), "successes"),
        (lambda: proportion_estimate(1, 0), "trials"),
        (lambda: mean_estimate([1.0, 2.0], level=1.0), "level"),
    ],
)
def test_bad_input_is_one_line(call, name):
    with pytest.raises(ParameterError) as info:
        call()
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)


def _coverage(estimates, exact):
    return sum(e.contains(exact) for e in estimates)


@pytest.mark.slow
def test_delta_method_and_mean_intervals_cover_95_percent():
    """400 independent small simulations of a pair (ρ = 1/2, |a| != |b|): the 95% intervals
    must cover the exact values about 380 times (binomial sd 4.4; accept 366..394, ±3.3 sd)."""
    a, b = [1, 1, 1, 0], [1, 0, 0, 1]  # ρ = 1/√6, n_a = 3, n_b = 2
    exact_cos = expected_cos_theta(1 / math.sqrt(6))
    exact_unit = improvement_ratio_unit_step(a, b)
    exact_gradient = improvement_ratio_gradient_step(a, b)
    runs = [simulate_pair(a, b, trials=400, seed=10_000 + i) for i in range(400)]
    for key, exact in [
        ("expected_cos", exact_cos),
        ("improvement_ratio_unit_step", exact_unit),
        ("improvement_ratio_gradient_step", exact_gradient),
    ]:
        covered = _coverage([getattr(r, key) for r in runs], exact)
        assert 366 <= covered <= 394, (key, covered)


@pytest.mark.slow
def test_retraining_ratio_interval_covers_95_percent():
    """The delta-method interval of the ratio of mean first-step improvements, 400 runs of
    200 trials each (n = 10, K = 20, M = 10): coverage of the exact ratio within 366..394."""
    exact = retrain_ratio("zero-one", 10, 20, 10, q=0.5)["improvement_ratio"]
    runs = [
        simulate_retrain("zero-one", 10, 20, 10, q=0.5, trials=200, seed=20_000 + i)
        for i in range(400)
    ]
    covered = _coverage([r.improvement_ratio for r in runs], exact)
    assert 366 <= covered <= 394, covered


@pytest.mark.slow
def test_wilson_interval_covers_95_percent():
    rng = np.random.default_rng(5)
    successes = rng.binomial(200, 0.1, size=400)
    covered = sum(proportion_estimate(int(s), 200).contains(0.1) for s in successes)
    assert 366 <= covered <= 394


@pytest.mark.parametrize("trials", [1, 7, 1000, 10**6])
def test_wilson_interval_reaches_exactly_0_and_1_at_the_ends(trials):
    from simulation.estimate import proportion_estimate
    from simulation.seed_statistics import seed_proportion

    none = proportion_estimate(0, trials)
    assert none.ci_low == 0.0 and none.ci_high > 0.0
    every = proportion_estimate(trials, trials)
    assert every.ci_high == 1.0 and every.ci_low < 1.0
    assert seed_proportion(np.zeros(min(trials, 1000), dtype=bool))["ci_low"] == 0.0
    assert seed_proportion(np.ones(min(trials, 1000), dtype=bool))["ci_high"] == 1.0


# ----------------------------------------------------------------- Estimate as a type


def test_ci_at_the_level_it_was_made_is_its_own_interval():
    from simulation.seed_statistics import seed_fraction, t_mean, t_ratio_of_means

    rng = np.random.default_rng(11)
    x, y = rng.normal(1.0, 1.0, 30), rng.normal(2.0, 1.0, 30)
    for est in (
        mean_estimate(x, 0.9),
        ratio_of_means_estimate(x, y, 0.99),
        t_mean(x, 0.95),
        t_ratio_of_means(x, y, 0.999),
        seed_fraction(x > 1.0, 0.9),
    ):
        assert est.ci(est.level) == (est.ci_low, est.ci_high)
        assert est.n == 30


def test_ci_of_a_normal_mean_at_another_level_uses_its_standard_error():
    x = np.random.default_rng(12).exponential(size=500)
    est = mean_estimate(x, 0.95)
    se = x.std(ddof=1) / math.sqrt(x.size)
    assert est.method == "normal" and est.dof is None
    assert est.se == pytest.approx(se, rel=1e-12)
    low, high = stats_interval("norm", 0.999, None, x.mean(), se)
    assert est.ci(0.999) == pytest.approx((low, high), rel=1e-12)
    direct = mean_estimate(x, 0.999)
    assert est.ci(0.999) == pytest.approx((direct.ci_low, direct.ci_high), rel=1e-14)


def stats_interval(kind, level, dof, loc, scale):
    from scipy import stats

    dist = stats.norm if kind == "norm" else stats.t
    args = () if dof is None else (dof,)
    return dist.interval(level, *args, loc=loc, scale=scale)


@pytest.mark.parametrize("seeds", [2, 3, 8, 40])
def test_t_estimates_use_the_t_quantile_with_seeds_minus_one_dof(seeds):
    from simulation.seed_statistics import t_mean, t_ratio_of_means

    rng = np.random.default_rng(seeds)
    x, y = rng.normal(1.0, 1.0, seeds), rng.normal(3.0, 0.5, seeds)
    mean = t_mean(x)
    assert mean.method == "t" and mean.dof == seeds - 1
    sem = x.std(ddof=1) / math.sqrt(seeds)
    for level in (0.95, 0.999):
        want = stats_interval("t", level, seeds - 1, x.mean(), sem)
        assert mean.ci(level) == pytest.approx(want, rel=1e-12)
    ratio = t_ratio_of_means(x, y)
    assert ratio.method == "t-delta" and ratio.dof == seeds - 1
    want = stats_interval("t", 0.999, seeds - 1, ratio.estimate, ratio.se)
    assert ratio.ci(0.999) == pytest.approx(want, rel=1e-12)


def test_seed_dicts_are_the_typed_estimates_to_dict_and_none_where_undefined():
    from simulation.seed_statistics import (
        seed_mean,
        seed_proportion,
        seed_ratio_of_means,
        t_mean,
        t_ratio_of_means,
    )

    x = np.array([1.0, 2.5, 4.0, 3.0])
    y = np.array([2.0, 1.0, 3.0, 2.5])
    assert seed_mean(x) == t_mean(x).to_dict() == t_mean(x).as_dict()
    assert seed_ratio_of_means(x, y, 0.9) == t_ratio_of_means(x, y, 0.9).to_dict()
    assert seed_proportion(x > 2) == proportion_estimate(3, 4).to_dict()
    assert t_mean([2.0]) is None
    assert seed_mean([2.0]) == {"estimate": 2.0, "ci_low": None, "ci_high": None}
    assert t_ratio_of_means([1.0, 2.0], [1.0, -1.0]) is None
    assert seed_ratio_of_means([1.0, 2.0], [1.0, -1.0]) == dict.fromkeys(
        ("estimate", "ci_low", "ci_high")
    )
    assert seed_ratio_of_means([3.0], [2.0]) == {"estimate": 1.5, "ci_low": None, "ci_high": None}


def test_wilson_at_another_level_is_made_from_the_counts():
    for successes, trials in [(0, 7), (3, 10), (10, 10), (512, 1000)]:
        est = proportion_estimate(successes, trials, 0.95)
        assert est.successes == successes and est.n == trials and est.se is None
        direct = proportion_estimate(successes, trials, 0.999)
        assert est.ci(0.999) == (direct.ci_low, direct.ci_high)


def test_wilson_formula_agrees_with_scipy_to_rounding_and_exactly_at_the_ends():
    """scipy's binomtest(...).proportion_ci(method="wilson") is the same interval but not
    the same bits (~5% of bounds differ beyond the last ulp), so the formula is kept;
    this pins the agreement and the exact 0 and 1 ends."""
    from scipy.stats import binomtest

    rng = np.random.default_rng(13)
    cases = [(k, n) for n in (1, 2, 5, 50, 20_000) for k in sorted({0, 1, n // 2, n - 1, n})]
    cases += [(int(rng.integers(0, n + 1)), int(n)) for n in rng.integers(1, 10**5, 60)]
    for (k, n), level in itertools.product(cases, (0.9, 0.95, 0.999)):
        ours = proportion_estimate(k, n, level)
        theirs = binomtest(k, n).proportion_ci(level, method="wilson")
        assert ours.ci_low == pytest.approx(theirs.low, rel=1e-13, abs=1e-300)
        assert ours.ci_high == pytest.approx(theirs.high, rel=1e-13)
        assert (ours.ci_low == 0.0) == (k == 0) and (ours.ci_high == 1.0) == (k == n)


def test_clopper_pearson_is_scipys_exact_interval():
    from scipy.stats import binomtest

    for k, n in [(0, 10), (3, 10), (10, 10), (37, 200)]:
        est = proportion_estimate(k, n, 0.999, method="clopper-pearson")
        ci = binomtest(k, n).proportion_ci(0.999, method="exact")
        assert (est.ci_low, est.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)
        assert est.ci(0.95) == pytest.approx(
            tuple(binomtest(k, n).proportion_ci(0.95, method="exact")), rel=1e-12
        )


def test_an_interval_alone_is_known_at_its_level_only():
    est = Estimate(0.5, 0.4, 0.6, 0.9)
    assert est.ci(0.9) == (0.4, 0.6)
    with pytest.raises(ValueError, match=r"only known at 0\.9"):
        est.ci(0.95)
    with pytest.raises(ValueError, match="no standard error"):
        est.standard_error(0.95)


def test_estimates_to_dicts_converts_nested_results_and_leaves_the_rest():
    from simulation.estimate import estimates_to_dicts

    est = Estimate(0.5, 0.4, 0.6)
    result = {"a": est, "b": [est, 3], "c": {"d": (est,)}, "e": "text"}
    assert estimates_to_dicts(result) == {
        "a": est.to_dict(),
        "b": [est.to_dict(), 3],
        "c": {"d": (est.to_dict(),)},
        "e": "text",
    }
