"""Random input vectors: values, frequencies, distinctness and uniformity without replacement."""

import numpy as np
import pytest
from scipy import stats

from simulation import ParameterError, draw_inputs
from simulation.inputs import _draw_distinct_rejecting, input_ensemble


def rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("q", [0.5, 0.2, 1.0])
def test_zero_one_components_are_bernoulli_q(q):
    x = draw_inputs(rng(1), "zero-one", 20, 50, q=q, trials=200)
    assert x.shape == (200, 50, 20) and x.dtype == np.float64
    assert set(np.unique(x)) <= {0.0, 1.0}
    # 200 000 components: the frequency is within 5 binomial sd of q
    assert abs(x.mean() - q) <= 5 * np.sqrt(q * (1 - q) / x.size) + 1e-12


@pytest.mark.parametrize("p", [1 / 3, 0.1, 0.5])
def test_signed_components_are_plus_minus_one_with_probability_p(p):
    x = draw_inputs(rng(2), "signed", 20, 50, p=p, trials=200)
    assert set(np.unique(x)) <= {-1.0, 0.0, 1.0}
    for value in (1.0, -1.0):
        freq = np.mean(x == value)
        assert abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / x.size)


def test_fair_bits_are_independent_across_components():
    x = draw_inputs(rng(3), "zero-one", 8, 1, q=0.5, trials=40_000)[:, 0]
    codes = x @ (2 ** np.arange(8))
    counts = np.bincount(codes.astype(int), minlength=256)
    assert stats.chisquare(counts).pvalue > 1e-3


@pytest.mark.parametrize(("inputs", "prob"), [("zero-one", {"q": 0.5}), ("signed", {"p": 1 / 3})])
def test_without_replacement_vectors_are_distinct(inputs, prob):
    x = draw_inputs(rng(4), inputs, 4, 14, without_replacement=True, trials=300, **prob)
    for trial in x:
        assert np.unique(trial, axis=0).shape[0] == 14


@pytest.mark.parametrize("draw", ["codes", "rejection"])
def test_without_replacement_is_a_uniform_ordered_subset(draw):
    """n = 3, K = 4 of the 8 vectors: every vector is equally likely in every position."""
    ensemble = input_ensemble("zero-one", 3, q=0.5, without_replacement=True, associations=4)
    if draw == "codes":
        x = ensemble.draw(rng(5), 4, 16_000)
    else:
        x = _draw_distinct_rejecting(rng(5), ensemble, 4, 16_000).transpose(1, 2, 0)
    codes = (x @ (2 ** np.arange(3))).astype(int)  # (T, 4)
    assert np.all(np.sort(codes, axis=1)[:, 1:] != np.sort(codes, axis=1)[:, :-1])
    for position in range(4):
        counts = np.bincount(codes[:, position], minlength=8)
        assert stats.chisquare(counts).pvalue > 1e-3
    # pairs (first, second): uniform over the 56 ordered distinct pairs
    pair_counts = np.bincount(codes[:, 0] * 8 + codes[:, 1], minlength=64)
    off_diagonal = pair_counts[np.arange(64) // 8 != np.arange(64) % 8]
    assert stats.chisquare(off_diagonal).pvalue > 1e-3


def test_without_replacement_can_take_every_vector():
    x = draw_inputs(rng(6), "signed", 2, 9, p=1 / 3, without_replacement=True, trials=50)
    assert all(np.unique(t, axis=0).shape[0] == 9 for t in x)


def test_without_replacement_at_large_n_uses_packed_rows():
    x = draw_inputs(rng(7), "zero-one", 70, 30, q=0.5, without_replacement=True, trials=20)
    assert x.shape == (20, 30, 70)
    assert all(np.unique(t, axis=0).shape[0] == 30 for t in x)


def test_component_major_draw_is_the_same_numbers():
    ensemble = input_ensemble("signed", 7, p=0.2)
    x_cm = ensemble.draw_components(rng(9), 5, 3)
    x = ensemble.draw(rng(9), 5, 3)
    assert x_cm.shape == (7, 3, 5) and x_cm.dtype == np.int8
    assert np.array_equal(x, x_cm.transpose(1, 2, 0).astype(float))


def test_same_generator_state_gives_the_same_draw():
    a = draw_inputs(rng(8), "zero-one", 10, 100, q=0.5, without_replacement=True, trials=5)
    b = draw_inputs(rng(8), "zero-one", 10, 100, q=0.5, without_replacement=True, trials=5)
    assert np.array_equal(a, b)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"inputs": "binary", "n": 3, "associations": 2, "q": 0.5}, "inputs"),
        ({"inputs": "zero-one", "n": 0, "associations": 2, "q": 0.5}, "n"),
        ({"inputs": "zero-one", "n": 3, "associations": 2, "q": 1.5}, "q"),
        ({"inputs": "zero-one", "n": 3, "associations": 2, "q": 0.0}, "q"),
        ({"inputs": "zero-one", "n": 3, "associations": 2, "q": float("nan")}, "q"),
        ({"inputs": "zero-one", "n": 3, "associations": 2}, "q"),
        ({"inputs": "zero-one", "n": 3, "associations": 2, "q": 0.5, "p": 0.2}, "p"),
        ({"inputs": "signed", "n": 3, "associations": 2, "p": 0.6}, "p"),
        ({"inputs": "signed", "n": 3, "associations": 2, "q": 0.5}, "q"),
        (
            {
                "inputs": "zero-one",
                "n": 3,
                "associations": 9,
                "q": 0.5,
                "without_replacement": True,
            },
            "associations",
        ),
        (
            {
                "inputs": "signed",
                "n": 2,
                "associations": 10,
                "p": 1 / 3,
                "without_replacement": True,
            },
            "associations",
        ),
        (
            {
                "inputs": "zero-one",
                "n": 3,
                "associations": 2,
                "q": 0.3,
                "without_replacement": True,
            },
            "without_replacement",
        ),
        (
            {"inputs": "signed", "n": 3, "associations": 2, "p": 0.25, "without_replacement": True},
            "without_replacement",
        ),
        ({"inputs": "zero-one", "n": 3, "associations": 0, "q": 0.5}, "associations"),
        ({"inputs": "zero-one", "n": 3, "associations": 2, "q": 0.5, "trials": 0}, "trials"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ParameterError) as info:
        draw_inputs(rng(), **kwargs)
    assert str(info.value).startswith(f"{name}: expected")
