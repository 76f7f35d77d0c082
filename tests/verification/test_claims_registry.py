"""The claims registry: the fixed ids, their derivations, seeding and reproducibility."""

import pytest

import theory
from verification.engine.registry import claim_specs, evaluate_claims
from verification.errors import UsageError
from verification.report.mathml import all_formulas

FIXED_IDS = {
    "eq1-factorization",
    "eq2-zero-one",
    "ratio-943",
    "ratio-943-limit",
    "eq3-signed",
    "numerator-4p2n",
    "inverse-n",
    "dimension-independence",
    "geometry-positive-transfer",
    "transfer-decays",
    "footnote-2",
    "ellipse-arc-fraction",
    "deblur-transfer",
}
CHEAP = ["eq2-zero-one", "footnote-2", "transfer-decays"]


def test_every_fixed_claim_is_registered_once():
    ids = [spec.id for spec in claim_specs()]
    assert len(ids) == len(set(ids))
    assert FIXED_IDS <= set(ids)


@pytest.mark.slow
def test_every_named_derivation_exists():
    names = {name for spec in claim_specs() for name in spec.derivations}
    formulas = all_formulas(sorted(names))  # imports every theory module
    missing = names - set(theory.list_derivations())
    assert not missing, missing
    assert set(formulas) == names


def test_same_seed_same_claims_and_claims_do_not_depend_on_each_other():
    together = evaluate_claims(7, quick=True, ids=CHEAP, parallel=False)
    again = evaluate_claims(7, quick=True, ids=CHEAP, parallel=False)
    alone = evaluate_claims(7, quick=True, ids=[CHEAP[1]], parallel=False)
    assert [c.as_dict() for c in together] == [c.as_dict() for c in again]
    assert alone[0].as_dict() == together[1].as_dict()
    other_seed = evaluate_claims(8, quick=True, ids=[CHEAP[1]], parallel=False)
    assert other_seed[0].primary.simulated != alone[0].primary.simulated


def test_cheap_claims_get_the_verdicts_the_exact_theory_predicts():
    claims = {c.id: c for c in evaluate_claims(1987, quick=True, ids=CHEAP, parallel=False)}
    eq2 = claims["eq2-zero-one"]
    assert eq2.verdict == "different-quantity" and eq2.decided
    assert eq2.primary.exact_value == pytest.approx(1 / 6)
    assert "fixed-length step" in eq2.outcome.alternative
    footnote = claims["footnote-2"]
    assert footnote.verdict == "different-quantity"
    assert [p.outcome.verdict for p in footnote.parts] == ["different-quantity", "exact"]
    assert claims["transfer-decays"].verdict == "exact"


def test_unknown_claim_id_is_a_usage_error():
    with pytest.raises(UsageError, match="--claim: expected one of"):
        evaluate_claims(1, ids=["no-such-claim"])


def test_the_background_process_changes_no_number():
    ids = ["eq1-factorization", "transfer-decays", "ratio-943-limit"]  # two run in background
    inline = evaluate_claims(3, quick=True, ids=ids, parallel=False)
    forked = evaluate_claims(3, quick=True, ids=ids, parallel=True)
    assert [c.as_dict() for c in inline] == [c.as_dict() for c in forked]


DEBLUR_IDS = ["deblur-original-learning", "deblur-transfer", "deblur-new-return", "deblur-control"]


@pytest.mark.slow
def test_every_deblur_part_records_its_readings_and_is_decided_from_them(quick_report):
    """From the session's quick report (no extra run): each Sec. 4 part lists the defaults
    and every sensitivity reading with its own numbers and verdict, and the part's verdict
    is the sensitivity rule applied to them."""
    import json

    from simulation.deblur_sensitivity import sensitivity_points
    from verification.claims.deblur import INTACT_WRONG_OUTPUTS
    from verification.shared.deblur_runs import SENSITIVITY_AXES, reading_label, sensitivity_seeds
    from verification.verdict import Outcome, SensitivityOutcome, decide_sensitivity

    labels = [reading_label(p) for p in sensitivity_points(SENSITIVITY_AXES)]
    assert labels[0] == "defaults" and len(labels) == 8
    claims = {c["id"]: c for c in json.loads((quick_report / "results.json").read_text())["claims"]}
    for claim_id in DEBLUR_IDS:
        claim = claims[claim_id]
        for part in claim["parts"]:
            assert "Other readings of the unstated parameters" in part["reason"]
            points = part["sensitivity"]
            assert [p["label"] for p in points] == labels
            assert points[0]["parameters"] == {}
            assert points[0]["simulated"] == part["simulated"]
            for point in points[1:]:
                assert point["measures"]["seeds"] == sensitivity_seeds(True)
                wrong = point["measures"]["wrong_output_fraction"]["estimate"]
                assert point["intact"] == (wrong <= INTACT_WRONG_OUTPUTS)
                sim = point["simulated"]
                assert sim is None or sim["ci_low"] <= sim["estimate"] <= sim["ci_high"]
            expected = decide_sensitivity(
                Outcome(points[0]["verdict"], ""),
                [
                    SensitivityOutcome(p["label"], Outcome(p["verdict"], ""), p["intact"])
                    for p in points[1:]
                ],
            )
            assert part["verdict"] == expected.verdict
    # learning breaks down past the stability cliff (docs/deblur.md): never intact there
    transfer = claims["deblur-transfer"]["parts"][0]["sensitivity"]
    assert not next(p for p in transfer if p["label"] == "fast_epsilon = 0.05")["intact"]
    assert transfer[0]["intact"]


def test_each_sensitivity_reading_has_its_own_seed_whatever_the_other_readings(monkeypatch):
    """Adding a reading changes no other reading's numbers: the seeds are keyed by the
    reading, not by its position (the simulator is stubbed: only its arguments matter)."""
    import simulation
    from verification.shared import deblur_runs as deblur

    def seeds_of(axes):
        calls = {}

        def stub(**kwargs):
            point = {k: kwargs[k] for k in deblur.SENSITIVITY_AXES if k in kwargs}
            reading = kwargs["seeds"] == deblur.sensitivity_seeds(True)
            calls[deblur.reading_label(point) if reading else "main"] = kwargs
            return {}

        monkeypatch.setattr(simulation, "run_deblur_conditions", stub)
        monkeypatch.setattr(deblur, "SENSITIVITY_AXES", axes)
        deblur.compute_deblur_runs(5, quick=True)
        return {label: kwargs["seed"] for label, kwargs in calls.items()}

    base = seeds_of({"fast_epsilon": (0.005,), "init_scale": (1.0,)})
    more = seeds_of({"fast_momentum": (0.9,), "fast_epsilon": (0.005, 0.05), "init_scale": (1.0,)})
    assert set(base) == {"main", "fast_epsilon = 0.005", "init_scale = 1"}
    assert all(more[label] == seed for label, seed in base.items())
    assert len(set(more.values())) == len(more) == 5


@pytest.mark.slow
def test_every_deblur_claim_is_decided_over_the_box_of_readings(quick_report):
    """From the session's quick report: each Sec. 4 claim's verdict is the readings rule
    applied to its own evidence (the defaults, the best and worst readings' re-runs), the
    evidence says which search it came from, and the report has the section and figures."""
    import json

    from verification.verdict import Outcome, ReadingsEvidence, decide_readings

    results = json.loads((quick_report / "results.json").read_text())
    claims = {c["id"]: c for c in results["claims"]}
    for claim_id in DEBLUR_IDS:
        evidence = claims[claim_id]["readings"]
        assert evidence["source"].startswith("the full search shipped with fastweights")
        assert evidence["readings"] == 256 and evidence["rerun_seeds"] == 40
        assert evidence["claim"] == claim_id and evidence["counted_readings"] >= 1

        def outcome(entry):
            return None if entry is None else Outcome(entry["verdict"], "")

        expected = decide_readings(
            ReadingsEvidence(
                Outcome(evidence["holds_at_defaults"], ""),
                outcome(evidence["best_rerun"]),
                outcome(evidence["worst_rerun"]),
            )
        )
        assert claims[claim_id]["verdict"] == evidence["verdict"] == expected.verdict
        share = evidence["share"]
        assert 0.0 <= share["ci95_low"] <= share["estimate"] <= share["ci95_high"] <= 1.0
    assert {"readings-map", "readings-fig2"} <= set(results["figures"])
    html = (quick_report / "report.html").read_text(encoding="utf-8")
    assert 'id="readings"' in html and "readings-map" in html
