"""The paper is data: a toy second paper (``tests/toy_paper``: two claims, one figure)
builds a full report through the same engine, and ``--paper`` appears only while more than
one paper is registered."""

from __future__ import annotations

import json

import pytest
from toy_paper import PAPER

from verification.cli import build_parser, main
from verification.engine.paper import (
    checking,
    default_paper,
    register_paper,
    registered_papers,
    unregister_paper,
)
from verification.engine.registry import ClaimSpec, claim_specs, register


@pytest.fixture
def toy():
    register_paper(PAPER)
    yield PAPER
    unregister_paper(PAPER.key)


def _options(command: str) -> set[str]:
    parser = build_parser([command])
    leaf = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    return {option for action in leaf._actions for option in action.option_strings}


def test_paper_option_only_with_two_papers(toy):
    assert list(registered_papers()) == [default_paper().key, PAPER.key]
    assert "--paper" in _options("verify") and "--paper" in _options("report")
    unregister_paper(PAPER.key)
    assert "--paper" not in _options("verify") and "--paper" not in _options("report")


def test_the_toy_paper_builds_its_report(toy, tmp_path, capsys):
    out = tmp_path / "toy"
    assert main(["report", "--paper", PAPER.key, "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    results = json.loads((out / "results.json").read_text())
    assert [c["id"] for c in results["claims"]] == ["coin-half", "coin-not-always"]
    assert results["meta"]["seed"] == 1900  # the toy paper's default seed
    assert "deblur_seeds" not in results["meta"]["parameters"]  # Hinton & Plaut's, not its
    assert list(results["figures"]) == ["coin"]
    assert (out / "figures" / "coin.png").is_file()
    markdown = (out / "report.md").read_text()
    assert markdown.startswith("# Toy (1900), claim by claim")
    assert "Coins (Sec. 1)" in markdown and "Linear networks" not in markdown
    assert "Sec. 4 over the box" not in markdown
    html = (out / "report.html").read_text()
    assert "On Fair Coins" in html or "Toy (1900)" in html


def test_the_toy_paper_verifies(toy, tmp_path, capsys):
    target = tmp_path / "toy.json"
    assert main(["verify", "--paper", PAPER.key, "--json", str(target), "--quiet"]) == 0
    assert "coin-half" in capsys.readouterr().out
    verdicts = [c["verdict"] for c in json.loads(target.read_text())["claims"]]
    assert verdicts == ["exact", "reproduced"]


def test_claim_ids_are_unique_per_paper(toy):
    with checking(PAPER):
        assert [s.id for s in claim_specs()] == ["coin-half", "coin-not-always"]
    hp = {s.id for s in claim_specs()}
    assert not hp & {"coin-half", "coin-not-always"}
    first = claim_specs()[0]
    with pytest.raises(RuntimeError, match="registered twice"):
        register(ClaimSpec(**{**first.__dict__}))


def test_unregistered_modules_are_not_claims_of_the_default_paper(toy):
    with checking(PAPER):
        claim_specs()  # imports the toy claims
    assert all(s.evaluate.__module__ != "toy_paper.claims" for s in claim_specs())
