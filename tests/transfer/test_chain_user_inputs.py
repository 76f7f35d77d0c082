"""``fastweights chain --inputs FILE --targets FILE`` (issue 22, item 2) on the user's own
associations: needs issue 22, item 1 (``simulation.associations``,
``run_deblur_conditions(..., associations=...)``, ``verification.inputs_file.load_associations``).

The command's JSON against ``transfer_chains(..., inputs="given")`` on the same run made
here by the library; the chain starts at Sec. 5's linear theory for these vectors (never
the paper's 0/1 formulas) and is ``theory.vector_transfer`` on each network's retrained
rows; the files are what every network learned; the refusals.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from chain_runs import chain_run
from cli_capture import run_in_process

import theory
from verification.inputs_file import default_epsilon, load_associations
from verification.transfer_chain import GIVEN_CHAIN_RUNGS, transfer_chains

SMALL = {"n_hidden": 20, "original_sweeps": 300, "new_sweeps": 60, "retrain_sweeps": 2}
SEEDS, SEED, FRACTIONS = 6, 5, (0.2, 0.5)


_cli = run_in_process


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """30 associations of real-valued 8-dimensional inputs (not 0/1) and 4 target bits."""
    root = tmp_path_factory.mktemp("chain-user")
    rng = np.random.default_rng(np.random.SeedSequence(22))
    inputs = rng.normal(size=(30, 8)).round(3)
    targets = rng.integers(0, 2, size=(30, 4)).astype(float)
    np.savetxt(root / "inputs.csv", inputs, delimiter=",", fmt="%.3f")
    np.save(root / "targets.npy", targets)
    return root / "inputs.csv", root / "targets.npy", inputs


def _argv(files, *extra: str) -> list[str]:
    inputs, targets, _ = files
    return [
        "chain",
        *("--inputs", str(inputs), "--targets", str(targets)),
        *("--seeds", str(SEEDS), "--seed", str(SEED), "--fractions", "0.2,0.5"),
        *(f"--{k.replace('_', '-')}={v}" for k, v in SMALL.items()),
        "--quiet",
        *extra,
    ]


@pytest.fixture(scope="module")
def run(files):
    inputs, targets, _ = files
    associations = load_associations(str(inputs), str(targets))
    return chain_run(SEEDS, SEED, FRACTIONS, associations=associations, **SMALL)


@pytest.fixture(scope="module")
def result(files, tmp_path_factory):
    plot = tmp_path_factory.mktemp("plot") / "ladder.png"
    status, out, err = _cli(_argv(files, "--json", "--plot", str(plot)))
    assert status == 0, err
    return json.loads(out), plot


def test_every_network_learned_the_files_associations(files, run):
    _, _, inputs = files
    for s in range(run.blurred.seeds):
        old_inputs, old_targets = run.blurred.old(s)
        np.testing.assert_array_equal(old_inputs, inputs)
        assert old_targets.shape == (30, 4)


def test_the_json_is_transfer_chains_on_given_inputs_on_the_same_run(run, result):
    got, plot = result
    expected = [
        json.loads(json.dumps(c.to_dict())) for c in transfer_chains(run, FRACTIONS, inputs="given")
    ]
    assert got["chains"] == expected
    assert got["inputs"]["associations"] == 30 and got["inputs"]["n_input"] == 8
    assert got["inputs"]["n_output"] == 4 and got["plot"] == str(plot)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_chain_starts_at_the_linear_theory_for_these_vectors(result):
    got, _ = result
    for chain in got["chains"]:
        keys = [rung["rung"] for rung in chain["rungs"]]
        assert keys[0] == "linear_vectors"
        assert "paper" not in keys and "ensemble" not in keys
        assert [s["to"] for s in chain["steps"]] == list(GIVEN_CHAIN_RUNGS[1:])


def test_the_linear_rung_is_theory_transfer_for_each_retrained_set(files, run):
    _, _, inputs = files
    for chain in transfer_chains(run, FRACTIONS, inputs="given"):
        ratio = chain.ratios["linear_vectors"]
        mask = run.blurred.retrained(chain.fraction)
        for s in range(SEEDS):
            rows = [int(i) for i in np.flatnonzero(mask[s])]
            rates = theory.vector_transfer(
                inputs, rows, steps=1, epsilon=default_epsilon(inputs, rows), exact=False
            ).first_order_rate
            assert ratio.numerator[s] == pytest.approx(rates[1], rel=1e-12)
            assert ratio.denominator[s] == pytest.approx(rates[0], rel=1e-12)


def test_the_table_names_the_files(files, result):
    status, out, err = _cli(_argv(files))
    assert status == 0, err
    assert str(files[0]) in out.splitlines()[0]
    assert "linear theory, these x" in out and "paper: c = .25" not in out


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--associations", "30"], "--associations"),
        (["--n-input", "8"], "--n-input"),
        (["--new-inputs", "x.csv"], "--new-targets"),
    ],
)
def test_sizes_come_from_the_files(files, extra, option):
    status, out, err = _cli(_argv(files, *extra))
    assert status == 2 and out == "" and err.count("\n") == 1
    assert option in err, err


def test_a_bad_file_is_one_line_naming_it(files, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    _, targets, _ = files
    status, out, err = _cli(["chain", "--inputs", str(empty), "--targets", str(targets)])
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "--inputs" in err, err
