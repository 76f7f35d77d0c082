"""simulate_geometry (Figs. 3-4) and simulate_retraining_errors (Sec. 5.3) against the exact
theory; the paper's ellipse-arc reading is excluded where it differs by more than 0.02."""

import numpy as np
import pytest

import theory
from simulation import ParameterError, simulate_geometry, simulate_retraining_errors

LEVEL = 0.99


def inside(estimate, value):
    return estimate.ci_low <= value <= estimate.ci_high


@pytest.mark.parametrize(
    ("angle", "contraction"), [(60, 1.0), (60, 0.3), (120, 0.5), (30, 0.3), (150, 0.1)]
)
def test_positive_transfer_agrees_with_the_exact_probability(angle, contraction):
    result = simulate_geometry(angle, contraction, trials=60_000, seed=41, level=LEVEL)
    estimate = result.positive_transfer_probability
    assert inside(estimate, theory.positive_transfer_probability(angle, contraction))
    assert estimate.ci_high - estimate.ci_low < 0.015
    assert result.achieved_contraction.estimate == pytest.approx(contraction, rel=1e-9)
    paper = theory.paper_ellipse_arc_fraction(angle, contraction)
    if abs(paper - theory.positive_transfer_probability(angle, contraction)) > 0.02:
        assert not inside(estimate, paper)


@pytest.mark.parametrize("radius", [1e-2, 1e2, None])
def test_positive_transfer_does_not_depend_on_the_radius(radius):
    result = simulate_geometry(45, 0.5, trials=40_000, seed=42, radius=radius, level=LEVEL)
    assert inside(
        result.positive_transfer_probability, theory.positive_transfer_probability(45, 0.5)
    )


def test_geometry_is_bit_identical_for_every_chunk_size():
    runs = [simulate_geometry(70, 0.4, trials=9000, seed=43, chunk_size=c) for c in (1, 4096, None)]
    assert all(run == runs[0] for run in runs[1:])


X = np.array([[1, 1, 0, 0, 1], [1, 0, 1, 0, 0], [0, 1, 1, 1, 0], [1, 1, 1, 1, 1]], float)
RETRAINED = np.array([True, False, True, False])


@pytest.mark.parametrize(("momentum", "epsilon"), [(0.0, 0.1), (0.6, 0.05)])
def test_errors_during_retraining_agree_with_the_exact_dynamics(momentum, epsilon):
    """All (steps + 1) x K means at once: each interval at 1 - 0.01/24 (Bonferroni), so the
    family is at 99%."""
    steps = 5
    result = simulate_retraining_errors(
        X, RETRAINED, epsilon, steps, trials=40_000, seed=44, momentum=momentum, level=1 - 0.01 / 24
    )
    exact = theory.expected_errors_during_retraining(
        X, RETRAINED, epsilon, steps, momentum=momentum
    )
    assert result.estimate.shape == exact.shape == (steps + 1, 4)
    assert np.all((result.ci_low <= exact) & (exact <= result.ci_high))
    # narrow: E_k = ½(x_k·e)² has coefficient of variation √2, so the width should be
    # about 2 z √2 / √T = 5.0% of the mean at z = 3.53, T = 40 000; allow 6%.
    assert np.all(result.ci_high - result.ci_low < 0.06 * exact)


def test_errors_during_retraining_with_unit_steps_and_noise_scale():
    result = simulate_retraining_errors(
        X, [0, 2], 0.01, 3, trials=2000, seed=45, step_rule="unit", noise_sd=2.0
    )
    # step 0: E[E_k] = ½ σ² |x_k|² for any retraining
    assert np.all(
        (result.ci_low[0] <= 2.0 * (X**2).sum(1)) & (2.0 * (X**2).sum(1) <= result.ci_high[0])
    )
    # retraining (small fixed-length steps) lowers the retrained associations' mean error
    assert np.all(np.diff(result.estimate[:, RETRAINED], axis=0) < 0)


def test_retraining_errors_are_bit_identical_for_every_chunk_size():
    runs = [
        simulate_retraining_errors(X, RETRAINED, 0.1, 3, trials=3000, seed=46, chunk_size=c)
        for c in (1, 1000, None)
    ]
    for run in runs[1:]:
        for key in ("estimate", "ci_low", "ci_high"):
            assert np.array_equal(getattr(run, key), getattr(runs[0], key))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate_geometry(0, 0.5), "angle"),
        (lambda: simulate_geometry(180, 0.5), "angle"),
        (lambda: simulate_geometry(float("nan"), 0.5), "angle"),
        (lambda: simulate_geometry(60, 0.0), "contraction"),
        (lambda: simulate_geometry(60, 1.5), "contraction"),
        (lambda: simulate_geometry(60, 0.5, trials=0), "trials"),
        (lambda: simulate_geometry(60, 0.5, radius=0.0), "radius"),
        (lambda: simulate_geometry(60, 0.5, steps=0), "steps"),
        (lambda: simulate_retraining_errors(X, RETRAINED, 0.1, -1), "steps"),
        (lambda: simulate_retraining_errors(X, RETRAINED, 0.0, 1), "epsilon"),
        (lambda: simulate_retraining_errors(X, RETRAINED, 0.1, 1, noise_sd=0.0), "noise_sd"),
        (lambda: simulate_retraining_errors(X, RETRAINED, 0.1, 1, momentum=1.0), "momentum"),
        (lambda: simulate_retraining_errors(X, [0, 9], 0.1, 1), "retrained"),
        (lambda: simulate_retraining_errors(X[0], RETRAINED, 0.1, 1), "inputs"),
        (lambda: simulate_retraining_errors(X, RETRAINED, 0.1, 1, trials=0), "trials"),
    ],
)
def test_bad_input_is_one_line_naming_the_parameter(call, name):
    with pytest.raises(ParameterError) as info:
        call()
    assert str(info.value).startswith(f"{name}: expected") and "\n" not in str(info.value)
