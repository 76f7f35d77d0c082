"""Theory against simulation for given input vectors (issue 10, part 3), fixed seeds.

The exact values of ``theory.vector_transfer`` must lie inside the simulator's 99.9%
intervals (``--blur noise``, and ``decay`` with σ = h), and the intervals must be narrow
enough to tell the 0/1 coding from the ±1 coding of the same patterns (Sec. 5.2).
"""

from fractions import Fraction

import numpy as np
import pytest

import simulation
import theory

LEVEL = 0.999


def _patterns(coding):
    rng = np.random.default_rng(np.random.SeedSequence(1987))
    bits = rng.integers(0, 2, size=(24, 12))
    return bits if coding == "zero-one" else 2 * bits - 1


def _epsilon(x, retrained):
    lam = np.linalg.eigvalsh(x[retrained].T @ x[retrained]).max()
    return Fraction(1, int(np.ceil(lam * (1 - 1e-12))))


@pytest.mark.parametrize("coding", ["zero-one", "signed"])
@pytest.mark.parametrize(("blur", "sd"), [("noise", Fraction(1)), ("decay", Fraction(1, 2))])
def test_the_exact_values_lie_in_the_simulated_intervals(coding, blur, sd):
    x = _patterns(coding)
    retrained = list(range(6))
    eps = _epsilon(x, retrained)
    exact = theory.vector_transfer(x, retrained, 8, eps, noise_sd=sd)
    assert exact.arithmetic == "exact"
    measured = simulation.simulate_vector_transfer(
        x, retrained, 8, float(eps), blur=blur, trials=20_000, seed=42, noise_sd=float(sd),
        decay=float(sd), level=LEVEL,
    )  # fmt: skip
    for key in ("improvement_ratio", "improvement_ratio_finite_step"):
        interval = getattr(measured, key)
        assert interval.contains(float(getattr(exact, key))), key
        assert interval.width < 0.05  # narrow enough to mean something
    for side, values in zip(("retrained", "unretrained"), exact.expected_errors, strict=True):
        sim = getattr(measured.expected_errors, side)
        for t, value in enumerate(values):
            assert sim.ci_low[t] <= float(value) <= sim.ci_high[t], (side, t)
            assert sim.ci_high[t] - sim.ci_low[t] < 0.1 * float(value) + 1e-12


def test_the_intervals_separate_zero_one_from_signed_coding():
    """The same patterns: 0/1 coding transfers far more than ±1 coding (Sec. 5.2)."""
    retrained = list(range(6))
    results = {}
    for coding in ("zero-one", "signed"):
        x = _patterns(coding)
        eps = float(_epsilon(x, retrained))
        results[coding] = simulation.simulate_vector_transfer(
            x, retrained, 0, eps, trials=20_000, seed=7, level=LEVEL
        ).improvement_ratio
    assert results["signed"].ci_high < results["zero-one"].ci_low
