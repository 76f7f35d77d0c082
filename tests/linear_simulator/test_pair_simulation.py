"""simulate_pair and simulate_ensemble_cos against the exact theory (99% intervals).

The references come from ``theory`` (never used inside ``simulation``); where the paper's
value differs from the exact one by more than 0.02, the interval must exclude it too.
"""

import itertools
import math

import numpy as np
import pytest

from simulation import ParameterError, simulate_ensemble_cos, simulate_pair
from theory import (
    ensemble_expected_cos,
    expected_cos_theta,
    improvement_ratio_gradient_step,
    improvement_ratio_unit_step,
    orthant_probability,
    paper_expected_cos,
)

LEVEL = 0.99


def inside(estimate, value):
    return estimate.ci_low <= value <= estimate.ci_high


def rho(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


PAIRS = {
    "zero-one, rho = 1/2": ([1, 1, 0, 0], [1, 0, 1, 0]),
    "zero-one, n_a != n_b": ([1, 1, 1, 0, 0, 0], [1, 0, 0, 1, 0, 0]),
    "signed": ([1, -1, 1, 0, 1], [1, 1, 1, -1, 0]),
    "real, negative rho": ([0.5, 2.0, -1.0], [-1.0, -0.5, 1.0]),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_pair_agrees_with_the_exact_theory(name):
    a, b = PAIRS[name]
    result = simulate_pair(a, b, trials=100_000, seed=11, level=LEVEL)
    r = rho(a, b)
    assert inside(result.expected_cos, expected_cos_theta(r))
    assert inside(result.improvement_ratio_unit_step, improvement_ratio_unit_step(a, b))
    assert inside(result.improvement_ratio_gradient_step, improvement_ratio_gradient_step(a, b))
    # a small step on A improves B iff XY(a·b) > 0: probability ½ + arcsin|ρ|/π
    assert inside(result.positive_transfer_probability, orthant_probability(abs(r)))
    for key in ("expected_cos", "improvement_ratio_unit_step", "improvement_ratio_gradient_step"):
        assert getattr(result, key).width < 0.02
    if abs(paper_expected_cos(r) - expected_cos_theta(r)) > 0.02:
        # Eq. (2)/(3) names E[cos θ], but gives ρ²: the simulation tells them apart.
        assert not inside(result.expected_cos, paper_expected_cos(r))


def test_footnote_2_fails_when_n_a_differs_from_n_b():
    """Gradient-proportional steps: ratio ρ² n_a/n_b = 1/4, not the unit-step ρ² = 1/6."""
    a, b = PAIRS["zero-one, n_a != n_b"]
    result = simulate_pair(a, b, trials=100_000, seed=12, level=LEVEL)
    assert not inside(result.improvement_ratio_gradient_step, 1 / 6)
    assert inside(result.improvement_ratio_unit_step, 1 / 6)


def test_results_do_not_depend_on_the_noise_scale():
    a, b = PAIRS["signed"]
    small = simulate_pair(a, b, trials=2000, seed=13, noise_sd=1e-3)
    large = simulate_pair(a, b, trials=2000, seed=13, noise_sd=1e3)
    for key in ("expected_cos", "improvement_ratio_unit_step", "improvement_ratio_gradient_step"):
        assert getattr(small, key).estimate == pytest.approx(getattr(large, key).estimate, rel=1e-9)


def test_pair_is_bit_identical_for_every_chunk_size():
    a, b = PAIRS["zero-one, rho = 1/2"]
    runs = [
        simulate_pair(a, b, trials=10_000, seed=14, chunk_size=c) for c in (1, 4096, 9000, None)
    ]
    assert all(run == runs[0] for run in runs[1:])
    assert simulate_pair(a, b, trials=10_000, seed=15) != runs[0]


ENSEMBLES = [
    ("zero-one", 10, {"q": 0.5}, False, 0.25),
    ("zero-one", 10, {"q": 0.5}, True, 0.25),
    ("zero-one", 20, {"q": 0.2}, False, 0.04),
    ("signed", 10, {"p": 1 / 3}, False, 0.1),
    ("signed", 10, {"p": 1 / 3}, True, 0.1),
    ("signed", 40, {"p": 0.25}, False, 1 / 40),
]


@pytest.mark.parametrize(("inputs", "n", "prob", "without", "paper"), ENSEMBLES)
def test_ensemble_cos_agrees_with_the_exact_theory(inputs, n, prob, without, paper):
    """Paper: q² for 0/1 inputs (Eq. 2 at typical counts), 1/n for signed inputs (Eq. 3)."""
    result = simulate_ensemble_cos(
        inputs, n, without_replacement=without, trials=100_000, seed=16, level=LEVEL, **prob
    )
    exact = ensemble_expected_cos(inputs, n, without_replacement=without, **prob)
    assert inside(result.expected_cos, exact)
    assert result.expected_cos.ci_high - result.expected_cos.ci_low < 0.01
    if abs(paper - exact) > 0.02:
        assert not inside(result.expected_cos, paper)


def test_ensemble_improvement_ratios_agree_with_enumeration():
    """Over the ensemble the unit-step ratio of means is E[(a·b)²/|a|²] / E[|b|²] and the
    gradient-step one E[(a·b)²] / E[|b|⁴] (conditional expectations over the Gaussian
    noise, as in docs/theory.md), averaged over all pairs of nonzero 0/1 vectors, n = 5."""
    n, q = 5, 0.3
    vectors = [np.array(v, float) for v in itertools.product([0, 1], repeat=n) if any(v)]
    weight = [q ** v.sum() * (1 - q) ** (n - v.sum()) for v in vectors]
    sums = np.zeros(4)
    for (a, wa), (b, wb) in itertools.product(zip(vectors, weight, strict=True), repeat=2):
        ab2 = (a @ b) ** 2
        sums += wa * wb * np.array([ab2 / (a @ a), b @ b, ab2, (b @ b) ** 2])
    unit, gradient = sums[0] / sums[1], sums[2] / sums[3]
    result = simulate_ensemble_cos("zero-one", n, q=q, trials=100_000, seed=17, level=LEVEL)
    assert inside(result.improvement_ratio_unit_step, unit)
    assert inside(result.improvement_ratio_gradient_step, gradient)


def test_ensemble_is_bit_identical_for_every_chunk_size():
    runs = [
        simulate_ensemble_cos(
            "signed", 6, p=1 / 3, without_replacement=True, trials=5000, seed=18, chunk_size=c
        )
        for c in (1, 3000, None)
    ]
    assert all(run == runs[0] for run in runs[1:])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate_pair([1, 0], [0, 0]), "b"),
        (lambda: simulate_pair([1, 0], [1, 0, 1]), "b"),
        (lambda: simulate_pair([1, math.nan], [1, 0]), "a"),
        (lambda: simulate_pair([1, 0], [1, 1], trials=0), "trials"),
        (lambda: simulate_pair([1, 0], [1, 1], noise_sd=0.0), "noise_sd"),
        (lambda: simulate_pair([1, 0], [1, 1], noise_sd=-1.0), "noise_sd"),
        (lambda: simulate_pair([1, 0], [1, 1], seed=-1), "seed"),
        (lambda: simulate_pair([1, 0], [1, 1], chunk_size=0), "chunk_size"),
        (lambda: simulate_ensemble_cos("zero-one", 0, q=0.5), "n"),
        (lambda: simulate_ensemble_cos("zero-one", 4, q=1.5), "q"),
        (lambda: simulate_ensemble_cos("signed", 4, p=0.6), "p"),
        (lambda: simulate_ensemble_cos("zero-one", 1, q=0.5, without_replacement=True), "n"),
        (
            lambda: simulate_ensemble_cos("zero-one", 4, q=0.4, without_replacement=True),
            "without_replacement",
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter(call, name):
    with pytest.raises(ParameterError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{name}: expected") and "\n" not in message
