"""Where the transfer goes (issue 10, part 2): the chain, its statistics, the claim, the figure.

The simulation's first-order prediction against the theory's on the same captured
networks (independent implementations: forward-mode on the network's own gradient vs a
backpropagated kernel); the prediction against the measured first sweep (statistical);
the seed statistics against the project's helpers; the decision rule; the claim and its
figure end to end on a small run.
"""

import json

import numpy as np
import pytest

import theory
from simulation import run_deblur_conditions
from simulation.deblur_capture import first_order_rates
from simulation.fastslow import FastSlowNetwork
from simulation.seed_statistics import seed_mean, seed_ratio_of_means
from verification.claims import transfer_chain as claim
from verification.engine.registry import claim_specs, evaluate_claim
from verification.transfer_chain import (
    CHAIN_RUNGS,
    OTHER_ORDER,
    RUNGS,
    SeedRatio,
    transfer_chains,
)
from verification.verdict import VERDICTS

SMALL = {
    "associations": 40,
    "n_hidden": 20,
    "original_sweeps": 300,
    "new_sweeps": 60,
    "retrain_sweeps": 2,
}


@pytest.fixture(scope="module")
def small_run():
    return run_deblur_conditions(
        seeds=24, seed=10, per_seed=True, capture_blurred=True, chunk_size=12, **SMALL
    )


@pytest.fixture(scope="module")
def chains(small_run):
    return transfer_chains(small_run, (0.1, 0.5))


# ------------------------------------------ simulation against theory, same networks


def test_the_simulators_first_order_rates_are_the_theorys_kernel(small_run):
    """Per association, in float64: r_k (forward-mode along the network's own ∇E_S) equals
    Σ_{l∈S} ∇A_k·∇E_l (theory.measured_error_kernel, backpropagated)."""
    blurred = small_run.blurred
    mask = blurred.retrained(0.5)
    for s in range(4):
        net = FastSlowNetwork(blurred.layout, blurred.weights[s : s + 1].copy())
        inputs, targets = blurred.old(s)
        retrained = net.cases(inputs[mask[s]][None], targets[mask[s]][None])
        rates = first_order_rates(net, retrained, inputs[None], targets[None])[0]
        kernel = theory.measured_error_kernel(*blurred.matrices(s), inputs, targets)
        np.testing.assert_allclose(rates, kernel[:, mask[s]].sum(axis=1), rtol=1e-9, atol=1e-13)


def test_the_runs_first_order_means_match_the_theory_in_float32(small_run, chains):
    for chain in chains:
        simulated, theoretical = chain.ratios["simulation"], chain.ratios["measure"]
        np.testing.assert_allclose(simulated.numerator, theoretical.numerator, rtol=1e-3)
        np.testing.assert_allclose(simulated.denominator, theoretical.denominator, rtol=1e-3)
        assert abs(simulated.estimate - theoretical.estimate) < claim.CROSS_CHECK_TOLERANCE
        summary = next(
            c
            for c in small_run.to_dict()["conditions"]
            if c["retrain_fraction"] == chain.fraction and c["fast_weights"]
        )
        assert summary["predicted_improvement_ratio"]["estimate"] == pytest.approx(
            simulated.estimate, rel=1e-12
        )


def test_the_first_order_prediction_agrees_with_the_measured_first_sweep(chains):
    """Statistical: the first sweep is one finite step, so the measured ratio lies inside
    the first-order prediction's 99.9% interval and the paired difference is small."""
    for chain in chains:
        predicted, measured = chain.ratios["measure"], chain.ratios["measured"]
        low, high = predicted.ci(0.999)
        assert low <= measured.estimate <= high
        difference = measured.minus(predicted)
        assert abs(difference.estimate) < 0.05
        assert difference.ci(0.95)[1] - difference.ci(0.95)[0] < 0.1  # narrow enough to mean it


# ------------------------------------------------------------------- the chain itself


def test_the_chain_has_every_rung_and_its_steps_add_up(chains):
    for chain in chains:
        assert set(chain.ratios) == {r.key for r in RUNGS} - set(chain.exact) | {"simulation"}
        steps = chain.steps()
        assert [s["to"] for s in steps] == list(CHAIN_RUNGS[1:])
        total = sum(s["change"] for s in steps)
        assert total == pytest.approx(chain.value("measured") - chain.value("paper"), abs=1e-12)
        other = chain.steps(OTHER_ORDER)
        assert sum(s["change"] for s in other) == pytest.approx(
            chain.value("errors") - chain.value("hidden_weights"), abs=1e-12
        )
        assert chain.exact["paper"] == pytest.approx(
            theory.improvement_ratio(chain.retrained, 0.25)
        )
        json.dumps(chain.to_dict())


def test_linear_rungs_are_the_linear_theorys_ratios_seed_by_seed(small_run, chains):
    blurred = small_run.blurred
    chain = chains[0]
    mask = blurred.retrained(chain.fraction)
    for s in range(3):
        x = blurred.old(s)[0]
        x_tilde = np.hstack([x, np.ones((len(x), 1))])
        rates = theory.expected_improvement_rates(x_tilde, np.flatnonzero(mask[s]))
        assert chain.ratios["linear_noise"].numerator[s] == pytest.approx(rates[~mask[s]].mean())
        assert chain.ratios["linear_noise"].denominator[s] == pytest.approx(rates[mask[s]].mean())


# ---------------------------------------------------------------- seed statistics


def test_seed_ratio_intervals_are_the_projects_delta_method():
    rng = np.random.default_rng(np.random.SeedSequence(5))
    x, y = rng.normal(1.0, 0.3, 30), rng.normal(2.0, 0.4, 30)
    ratio = SeedRatio(x, y)
    reference = seed_ratio_of_means(x, y, 0.95)
    assert ratio.estimate == pytest.approx(reference["estimate"], rel=1e-12)
    assert ratio.ci(0.95) == pytest.approx((reference["ci_low"], reference["ci_high"]), rel=1e-12)
    sim = ratio.simulated()
    assert sim.ci_low < sim.ci95_low < sim.estimate < sim.ci95_high < sim.ci_high


def test_a_paired_difference_of_ratios_with_unit_denominators_is_a_paired_mean():
    rng = np.random.default_rng(np.random.SeedSequence(6))
    a, b = rng.normal(0.5, 0.2, 25), rng.normal(0.4, 0.2, 25)
    ones = np.ones(25)
    difference = SeedRatio(a, ones).minus(SeedRatio(b, ones))
    reference = seed_mean(a - b, 0.99)
    assert difference.estimate == pytest.approx(reference["estimate"], rel=1e-12)
    assert difference.ci(0.99) == pytest.approx((reference["ci_low"], reference["ci_high"]))
    same = SeedRatio(a, ones + a).minus(SeedRatio(a, ones + a))
    assert same.estimate == 0 and same.se == pytest.approx(0.0, abs=1e-15)


def test_seed_ratio_refuses_what_it_cannot_estimate():
    with pytest.raises(ValueError, match="numerator"):
        SeedRatio(np.ones(1), np.ones(1))
    with pytest.raises(ValueError, match="denominator"):
        SeedRatio(np.ones(3), np.array([1.0, -1.0, 0.0]))


# ----------------------------------------------------------------- the decision rule


@pytest.mark.parametrize(
    ("intervals", "verdict"),
    [
        ({"a": (-0.05, 0.08), "b": (-0.4, -0.3)}, "reproduced"),  # one reading explains
        ({"a": (-0.3, -0.11), "b": (0.2, 0.3)}, "refuted"),  # every reading surely outside
        ({"a": (-0.3, -0.09), "b": (-0.4, -0.3)}, "inconclusive"),  # a straddles -0.1
        ({"a": (-0.1, 0.1)}, "reproduced"),  # the edges count as within
    ],
)
def test_decide_explanation(intervals, verdict):
    outcome = claim.decide_explanation(intervals, tolerance=0.1)
    assert outcome.verdict == verdict
    assert all(name in outcome.reason for name in intervals)


# -------------------------------------------------------- the claim and its figure


@pytest.fixture
def patched(monkeypatch, small_run):
    from verification.shared import executor, transfer_chains

    monkeypatch.setattr(transfer_chains, "deblur_run", lambda seed, quick: small_run)
    executor.clear("transfer-chains")
    yield
    executor.clear("transfer-chains")


def test_the_claim_is_registered_in_the_papers_order():
    from verification.engine.paper import default_paper

    order = list(default_paper().claim_order)
    # after the Sec. 4 claims it explains, before the conclusions (Sec. 6)
    sec4 = [i for i, c in enumerate(order) if c.startswith("deblur-")]
    sec6 = [i for i, c in enumerate(order) if c.startswith("sec6-two-sets")]
    assert max(sec4) < order.index(claim.CLAIM_ID) < min(sec6)
    assert claim.CLAIM_ID in {s.id for s in claim_specs()}


def test_the_claim_end_to_end_on_a_small_run(patched):
    spec = next(s for s in claim_specs() if s.id == claim.CLAIM_ID)
    result = evaluate_claim(spec, seed=1, quick=True)
    assert [p.label for p in result.parts] == [
        "10% retrained, first sweep",
        "50% retrained, first sweep",
    ]
    assert result.verdict in VERDICTS and not result.outcome.theory_simulation_disagree
    for part in result.parts:
        params = part.parameters
        assert [r["rung"] for r in params["rungs"]] == [r.key for r in RUNGS]
        assert set(params["measured_minus_linear_readings"]) == set(claim.LINEAR_READINGS)
        assert abs(params["simulation_minus_theory_first_order"]) < claim.CROSS_CHECK_TOLERANCE
        assert part.paper_value == params["rungs"][0]["estimate"]
    json.dumps(result.as_dict())


def test_the_figure_draws_the_chain(patched):
    from verification.report.figure_specs import figure_specs

    spec = next(s for s in figure_specs() if s.name == "transfer-chain")
    assert spec.claims == (claim.CLAIM_ID,)
    assert spec.needs == ("transfer-chains",)  # drawn after the other figures
    figure = spec.draw(1, True)
    assert figure.png.startswith(b"\x89PNG") and figure.claim_ids == (claim.CLAIM_ID,)
    assert set(figure.data) == {"0.1", "0.5"}
    json.dumps(figure.data)
