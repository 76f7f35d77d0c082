"""pair_transfer: the quantities of ``fastweights theory pair`` (pair.py)."""

import math

import numpy as np
import pytest
from hypothesis import given
from transfer_strategies import vector_pairs

import theory


def test_paper_example_pair():
    out = theory.pair_transfer([1, 1, 0, 0], [1, 0, 1, 0])
    assert tuple(out) == theory.PAIR_KEYS
    assert out["rho"] == 0.5
    assert out["expected_cos"] == pytest.approx(1 / 6, abs=1e-15)
    assert out["paper_expected_cos"] == 0.25  # Eq. (2): 1^2/(2 * 2)
    assert out["improvement_ratio_unit_step"] == pytest.approx(0.25, abs=1e-15)
    assert out["improvement_ratio_gradient_step"] == pytest.approx(0.25, abs=1e-15)


def test_unequal_lengths_separate_the_two_steps():
    out = theory.pair_transfer([1, 1, 1, 1], [1, 0, 0, 0])  # n_a = 4, n_b = 1
    assert out["rho"] == 0.5
    assert out["improvement_ratio_unit_step"] == pytest.approx(0.25, abs=1e-15)
    assert out["improvement_ratio_gradient_step"] == pytest.approx(1.0, abs=1e-15)


def test_signed_pair_uses_eq3():
    out = theory.pair_transfer([1, -1, 1, 0], [1, 1, 1, 1])  # agree 2, disagree 1
    assert out["paper_expected_cos"] == pytest.approx(1 / 12, abs=1e-15)
    assert out["rho"] == pytest.approx(1 / math.sqrt(12), abs=1e-15)


@given(vector_pairs(max_n=16))
def test_against_direct_numpy(pair):
    a, b = (np.array(v, float) for v in pair)
    out = theory.pair_transfer(a, b)
    rho = a @ b / math.sqrt((a @ a) * (b @ b))
    assert out["rho"] == pytest.approx(rho, abs=1e-15)
    assert out["expected_cos"] == pytest.approx(rho * 2 / math.pi * math.asin(rho), abs=1e-14)
    assert out["paper_expected_cos"] == pytest.approx(rho * rho, abs=1e-14)
    assert out["improvement_ratio_unit_step"] == pytest.approx(rho * rho, abs=1e-14)
    grad = rho * rho * (a @ a) / (b @ b)
    assert out["improvement_ratio_gradient_step"] == pytest.approx(grad, rel=1e-13, abs=1e-14)
    assert all(math.isfinite(v) for v in out.values())


@pytest.mark.parametrize(
    ("a", "b", "pattern"),
    [
        ([1, 2], [1, 0], r"^a: expected components in \{-1, 0, 1\}"),
        ([1, 0], [0.5, 1], r"^b: expected components in \{-1, 0, 1\}"),
        ([1, 0], [1, 0, 0], r"^b: expected a vector of the same length as a \(2\)"),
        ([0, 0], [1, 0], r"^a: expected a nonzero vector"),
        ([1, 0], [0, 0], r"^b: expected a nonzero vector"),
        ([float("nan"), 1], [1, 0], r"^a: expected finite numbers"),
    ],
)
def test_bad_vectors(a, b, pattern):
    with pytest.raises(theory.ParameterError, match=pattern):
        theory.pair_transfer(a, b)
