"""``fastweights chain`` (issue 22, item 2) on the paper's random associations, and the
chain on given inputs (``transfer_chains(..., inputs="given")``).

The command's JSON against ``transfer_chains`` on the same run made here by the library;
its table and its plot; its refusals (one line naming the option, exit status 2). On
given inputs the top rung is Sec. 5's exact linear theory for these vectors, checked
against ``theory.vector_transfer`` (what ``theory transfer --inputs`` prints) seed by seed.
The command on the user's own files is tested in ``test_chain_user_inputs.py``.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from chain_runs import chain_run
from cli_capture import run_in_process

import theory
from foundation.errors import ParameterError
from verification.inputs_file import default_epsilon
from verification.transfer_chain import (
    ALL_RUNGS,
    CHAIN_RUNGS,
    GIVEN_CHAIN_RUNGS,
    transfer_chains,
)

SMALL = {
    "associations": 40,
    "n_hidden": 20,
    "original_sweeps": 300,
    "new_sweeps": 60,
    "retrain_sweeps": 2,
}
SEEDS, SEED, FRACTIONS = 6, 3, (0.1, 0.5)
ARGV = [
    "chain",
    *("--seeds", str(SEEDS), "--seed", str(SEED), "--fractions", "0.1,0.5"),
    *(f"--{k.replace('_', '-')}={v}" for k, v in SMALL.items()),
    "--quiet",
]
LABELS = {rung.key: rung.label for rung in ALL_RUNGS}


_cli = run_in_process


@pytest.fixture(scope="module")
def run():
    return chain_run(SEEDS, SEED, FRACTIONS, **SMALL)


@pytest.fixture(scope="module")
def cli_json(tmp_path_factory):
    plot = tmp_path_factory.mktemp("chain") / "ladder.png"
    status, out, err = _cli([*ARGV, "--json", "--plot", str(plot)])
    assert status == 0, err
    return json.loads(out), plot


# ------------------------------------------------------------------ the command's JSON


def test_the_json_is_transfer_chains_on_the_same_run(run, cli_json):
    result, _ = cli_json
    expected = [json.loads(json.dumps(c.to_dict())) for c in transfer_chains(run, FRACTIONS)]
    assert result["chains"] == expected
    assert [c["retrain_fraction"] for c in result["chains"]] == list(FRACTIONS)


def test_the_json_records_seed_parameters_inputs_and_plot(run, cli_json):
    result, plot = cli_json
    assert (result["seed"], result["seeds"], result["inputs"]) == (SEED, SEEDS, "paper")
    assert result["parameters"] == json.loads(json.dumps(run.parameters))
    assert result["plot"] == str(plot)
    for chain in result["chains"]:
        keys = [rung["rung"] for rung in chain["rungs"]]
        assert keys[:2] == ["paper", "ensemble"] and "linear_vectors" not in keys
        assert [s["to"] for s in chain["steps"]] == list(CHAIN_RUNGS[1:])


def test_the_plot_is_written_whole_and_nothing_else(cli_json):
    _, plot = cli_json
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in plot.parent.iterdir()) == ["ladder.png"]


def test_an_svg_plot(tmp_path):
    plot = tmp_path / "ladder.svg"
    argv = [*ARGV, "--seeds", "3", "--fractions", "0.25", "--plot", str(plot)]
    status, out, err = _cli(argv)
    assert status == 0, err
    assert plot.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert out.rstrip().endswith(f"wrote {plot}")


# ------------------------------------------------------------------- the command's table


def test_the_table_has_every_rung_with_its_value_interval_and_ingredient(cli_json):
    result, _ = cli_json
    status, out, err = _cli(ARGV)
    assert status == 0 and err == ""
    blocks = out.split("\n\n")[1:]
    assert len(blocks) == len(FRACTIONS)
    for block, chain in zip(blocks, result["chains"], strict=True):
        lines = block.splitlines()
        assert lines[0].startswith(f"{chain['retrain_fraction']:.0%} retrained")
        rows = lines[2:]
        assert len(rows) == len(chain["rungs"])
        changes = {s["to"]: s["change"] for s in chain["steps"]}
        for row, rung in zip(rows, chain["rungs"], strict=True):
            assert row.startswith(LABELS[rung["rung"]])
            assert f"{rung['estimate']:.4f}" in row
            assert rung["ingredient"] in row
            if rung["rung"] in ("paper", "ensemble"):
                assert "exact" in row
            else:
                assert f"[{rung['ci95_low']:.4f}, {rung['ci95_high']:.4f}]" in row
            if rung["rung"] in changes:
                assert f"{changes[rung['rung']]:+.4f}" in row


# ------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--seeds", "1"], "--seeds"),
        (["--fractions", "1"], "--fractions"),
        (["--fractions", "0.1,0.1"], "--fractions"),
        (["--fractions", "0.1,x"], "--fractions"),
        (["--associations", "4", "--fractions", "0.9"], "--fractions"),
        (["--retrain-sweeps", "0"], "--retrain-sweeps"),
        (["--plot", "missing/ladder.png"], "--plot"),
        (["--plot", "ladder.pdf"], "--plot"),
        (["--inputs", "x.csv"], "--inputs"),
        (["--targets", "t.csv"], "--targets"),
        (["--new-inputs", "x.csv"], "--new-inputs"),
        (["--seeds", "1000000000"], "--seeds"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(argv, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = _cli(["chain", *argv, "--quiet"])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("fastweights"), err
    assert option in err, err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------- the chain on given inputs


@pytest.fixture(scope="module")
def given(run):
    return transfer_chains(run, FRACTIONS, inputs="given")


def test_on_given_inputs_the_chain_starts_at_the_linear_theory_for_these_vectors(run, given):
    paper = transfer_chains(run, FRACTIONS)
    for chain, theirs in zip(given, paper, strict=True):
        assert chain.exact == {}
        assert chain.path == GIVEN_CHAIN_RUNGS
        assert [r.key for r in chain.rungs()] == [
            "linear_vectors",
            *(r.key for r in theirs.rungs() if r.key not in ("paper", "ensemble")),
        ]
        steps = chain.steps()
        assert [s["to"] for s in steps] == list(GIVEN_CHAIN_RUNGS[1:])
        assert all("interval" in s for s in steps)  # every rung per network: paired
        total = sum(s["change"] for s in steps)
        assert total == pytest.approx(chain.value("measured") - chain.value("linear_vectors"))
        for key, ratio in theirs.ratios.items():  # the other rungs are the paper chain's
            assert chain.ratios[key].estimate == ratio.estimate
        entries = chain.to_dict()["rungs"]
        assert entries[0]["rung"] == "linear_vectors" and "ci95_low" in entries[0]
        json.dumps(chain.to_dict())


def test_the_linear_rung_is_theory_transfer_on_each_networks_retrained_set(run, given):
    """Seed by seed, its two means are ``theory.vector_transfer``'s first-order rates
    (σ = 1): Sec. 5 for these very vectors, no bias, on that network's retrained rows."""
    blurred = run.blurred
    for chain in given:
        ratio = chain.ratios["linear_vectors"]
        mask = blurred.retrained(chain.fraction)
        for s in range(blurred.seeds):
            inputs, _ = blurred.old(s)
            rows = [int(i) for i in np.flatnonzero(mask[s])]
            result = theory.vector_transfer(
                inputs, rows, steps=1, epsilon=default_epsilon(inputs, rows), exact=False
            )
            retrained, unretrained = result.first_order_rate
            assert ratio.numerator[s] == pytest.approx(unretrained, rel=1e-12)
            assert ratio.denominator[s] == pytest.approx(retrained, rel=1e-12)


def test_the_ladder_of_a_given_chain_has_its_rungs(given):
    from verification.report.chain_ladder import draw_chain_ladder

    fig, data = draw_chain_ladder(given, ("linear_vectors", "linear_noise"), 0.1)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [r.label for r in given[0].rungs()]
    assert list(data) == ["0.1", "0.5"]
    for ax, chain in zip(fig.axes, given, strict=True):
        low, high = ax.get_xlim()
        for rung in chain.rungs():  # widened to every interval drawn
            lo, hi = chain.interval(rung.key, 0.95)
            assert low <= lo and hi <= high


def test_the_paper_rungs_refuse_inputs_that_are_not_the_papers(run):
    doubled = dataclasses.replace(run.blurred, inputs=run.blurred.inputs * 2.0)
    with pytest.raises(ValueError, match="0/1 inputs"):
        transfer_chains(dataclasses.replace(run, blurred=doubled), FRACTIONS)
    with pytest.raises(ValueError, match="inputs: expected one of paper, given"):
        transfer_chains(run, FRACTIONS, inputs="mine")


def test_a_rung_without_a_ratio_is_refused_naming_the_inputs(run):
    """All-zero inputs: the linear theory's retrained associations cannot improve."""
    zero = dataclasses.replace(run.blurred, inputs=np.zeros_like(run.blurred.inputs))
    with pytest.raises(ParameterError, match=r"^inputs: .*linear_vectors"):
        transfer_chains(dataclasses.replace(run, blurred=zero), FRACTIONS, inputs="given")
