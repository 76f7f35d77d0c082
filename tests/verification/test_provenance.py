"""Every simulated number carries the command that reproduces it and the hash of its evidence;
running the printed command gives that number."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

from verification.engine.model import DECISION_LEVEL
from verification.engine.provenance import digest, readings_digest, simulate_command
from verification.evidence import evidence_digest
from verification.shared.readings_evidence import stored_search

CLI = "import sys; from verification.cli import main; sys.exit(main())"
SEED = 1987
CLAIMS = ("eq2-zero-one", "ellipse-arc-fraction", "deblur-transfer")
"""A linear ``simulate pair`` claim, a ``simulate geometry`` claim and a Sec. 4 claim."""

HASH = re.compile(r"^sha256:[0-9a-f]{64}$")


def _fastweights(words, cwd=None, timeout=300, statuses=(0,)):
    done = subprocess.run(
        [sys.executable, "-c", CLI, *words],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    assert done.returncode in statuses, done.stderr
    return done


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """``fastweights verify --quick`` of :data:`CLAIMS`: its claims by id."""
    target = tmp_path_factory.mktemp("verify") / "verify.json"
    words = ["verify", "--quick", "--quiet", "--seed", str(SEED), "--json", str(target)]
    for claim in CLAIMS:
        words += ["--claim", claim]
    # exit status 1: a claim is undecided (deblur-transfer over the stored search); the
    # JSON is written either way
    done = _fastweights(words, statuses=(0, 1))
    claims = {c["id"]: c for c in json.loads(target.read_text())["claims"]}
    undecided = [c for c in claims.values() if c["verdict"] == "inconclusive"]
    assert done.returncode == (1 if undecided else 0)
    return claims


@pytest.fixture
def packaged_readings_digest():
    """The hash of the packaged search: ``evidence_digest`` of its manifest."""
    return evidence_digest(stored_search())


def _at(document, path):
    """The value at a dotted ``path`` (``name[i]`` indexes a list) of ``document``."""
    value = document
    for piece in path.split("."):
        name, *indices = re.findall(r"[^\[\]]+", piece)
        value = value[name]
        for index in indices:
            value = value[int(index)]
    return value


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_running_the_printed_command_gives_the_reported_number(verified, claim_id):
    part = verified[claim_id]["parts"][0]
    provenance = part["provenance"]
    words = shlex.split(provenance["command"])
    assert words[:2] == ["fastweights", "simulate"], provenance
    assert "--json" in words and f"--seed={SEED}" not in words  # the part's own seed
    printed = json.loads(_fastweights(words[1:]).stdout)
    assert _at(printed, provenance["output"]) == part["simulated"]["estimate"]


def test_every_simulated_number_has_a_command_and_an_evidence_hash(verified):
    for claim in verified.values():
        for part in claim["parts"]:
            if part["simulated"] is None:
                continue
            provenance = part["provenance"]
            assert provenance["command"].startswith("fastweights "), claim["id"]
            assert HASH.match(provenance["evidence"]), provenance
            assert provenance["output"] or provenance["note"], provenance


def test_a_sec4_verdict_names_the_readings_evidence_it_read(verified, packaged_readings_digest):
    readings = verified["deblur-transfer"]["readings"]
    assert readings["evidence"] == packaged_readings_digest
    assert readings["evidence"] == readings_digest(stored_search())
    assert readings["evidence_command"].startswith("fastweights readings")


def test_the_evidence_hash_is_the_simulators_output_recomputed(verified):
    from simulation import simulate_pair

    provenance = verified["eq2-zero-one"]["parts"][0]["provenance"]
    words = dict(
        w.removeprefix("--").split("=", 1) for w in shlex.split(provenance["command"])[3:-1]
    )
    a, b = ([int(x) for x in words[k].split(",")] for k in ("a", "b"))
    trials, seed = int(words["trials"]), int(words["seed"])
    result = simulate_pair(a, b, trials=trials, seed=seed, level=DECISION_LEVEL)
    assert digest(result) == provenance["evidence"]
    assert (
        simulate_command("pair", {"a": a, "b": b, "trials": trials, "seed": seed})
        == (provenance["command"])
    )


def test_a_number_no_simulate_command_computes_says_so_and_names_verify():
    from verification.engine.registry import evaluate_claims

    (claim,) = evaluate_claims(SEED, quick=True, ids=["eq1-factorization"], parallel=False)
    provenance = claim.parts[0].provenance
    assert provenance is not None
    assert provenance.command == (
        f"fastweights verify --seed {SEED} --quick --claim eq1-factorization --json verify.json"
    )
    assert provenance.output == "verify.json: claims[0].parts[0].simulated.estimate"
    assert "no fastweights simulate command" in provenance.note


def test_how_to_reproduce_shows_each_claims_commands(tmp_path):
    out = tmp_path / "report"
    words = ["report", "--quick", "--quiet", "--claim", "eq2-zero-one", "--out", str(out)]
    _fastweights(words, timeout=120)
    provenance = json.loads((out / "results.json").read_text())["claims"][0]["parts"][0][
        "provenance"
    ]
    markdown = (out / "report.md").read_text(encoding="utf-8")
    section = markdown[markdown.index("## How to reproduce") :]
    assert provenance["command"] in section and provenance["evidence"] in section
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="reproduce"') :]
    assert provenance["evidence"] in section
    assert provenance["command"].replace('"', "&quot;") in section
