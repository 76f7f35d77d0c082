"""The Sec. 4 quantities have one measurement path: the claims' numbers on a run and the
readings' numbers on that run's compact row (a stored search's line) are the same."""

import json

import pytest

from simulation import run_deblur_conditions
from verification.claims import deblur
from verification.claims.sec6_slow import slow_minus_fast_at
from verification.readings.measure import (
    FRACTIONS,
    PARTS,
    SEC6_CLAIM,
    Sec4Samples,
    Undefined,
    claim_outcomes,
    compact_run,
)


@pytest.fixture(scope="module")
def run():
    return run_deblur_conditions(
        seeds=4, retrain_fractions=FRACTIONS, seed=5, per_seed=True, associations=20,
        original_sweeps=60, new_sweeps=10, retrain_sweeps=6, n_hidden=10,
    )  # fmt: skip


def _claims_numbers(run):
    numbers = {
        ("deblur-original-learning", 0): deblur.learned_fraction(run),
        ("deblur-original-learning", 1): deblur.fast_to_slow_rms(run),
    }
    for i, f in enumerate(FRACTIONS):
        for claim, measure in (
            ("deblur-transfer", deblur.transfer_ratio),
            ("deblur-new-return", deblur.damage_remaining),
            ("deblur-control", deblur.control_minus_fast),
        ):
            try:
                numbers[(claim, i)] = measure(run, f)
            except RuntimeError:
                numbers[(claim, i)] = None
    sec6 = [p for p in PARTS if p.claim == SEC6_CLAIM]
    for i in range(len(sec6)):
        try:
            numbers[(SEC6_CLAIM, i)] = slow_minus_fast_at(run, i)
        except RuntimeError:
            numbers[(SEC6_CLAIM, i)] = None
    return numbers


def test_the_claims_and_the_readings_measure_the_same_numbers(run):
    row = json.loads(json.dumps(compact_run(run)))  # as a search stores and reads it
    outcomes = claim_outcomes(row)
    claims = _claims_numbers(run)
    assert len(claims) == len(PARTS)
    for (claim, index), simulated in claims.items():
        at_reading = outcomes[claim].parts[index].simulated
        assert simulated == at_reading, (claim, index)  # bit for bit, every interval
    assert any(v is not None for v in claims.values())


def test_the_row_is_the_typed_samples_and_back(run):
    samples = Sec4Samples.from_run(run)
    row = compact_run(run)
    assert row == samples.to_row()
    again = Sec4Samples.from_row(json.loads(json.dumps(row)))
    assert json.dumps(again.to_row()) == json.dumps(row)
    for spec in PARTS:
        a, b = spec.measure(samples), spec.measure(again)
        assert a == b or (isinstance(a, Undefined) and isinstance(b, Undefined))


def test_conditions_are_found_by_key_not_by_float_equality(run):
    assert run.condition(0.1).retrain_fraction == 0.1
    assert run.condition(0.1000000000000001, fast_weights=False).fast_weights is False
    with pytest.raises(KeyError):
        run.condition(0.2)


def test_the_typed_result_gives_the_commands_json(run):
    data = run.to_dict()
    assert [c["retrain_fraction"] for c in data["conditions"]] == [0.1, 0.1, 0.5, 0.5]
    assert isinstance(data["conditions"][0]["per_seed"]["retrained_error"], list)
    first = data["conditions"][0]
    assert first["improvement_ratio"][0] == {
        k: v for k, v in zip(
            ("estimate", "ci_low", "ci_high"),
            (lambda e: (e.estimate, e.ci_low, e.ci_high))(run.conditions[0].improvement_ratio[0]),
            strict=True,
        )
    }  # fmt: skip
