"""``fastweights verify``: the table, the JSON file, exit statuses, one-line user errors."""

import json

import pytest

from verification.cli import main
from verification.commands import verify

CHEAP = ["--claim", "eq2-zero-one", "--claim", "footnote-2"]


def test_table_and_json_file(tmp_path, capsys):
    target = tmp_path / "claims.json"
    status = main(["verify", "--quick", "--quiet", "--seed", "11", "--json", str(target), *CHEAP])
    out = capsys.readouterr().out
    assert status == 0
    assert "eq2-zero-one" in out and "different-quantity" in out and "99.9%" in out
    data = json.loads(target.read_text())
    assert set(data) == {"claims", "meta"}
    assert [c["id"] for c in data["claims"]] == ["eq2-zero-one", "footnote-2"]
    meta = data["meta"]
    assert meta["seed"] == 11 and meta["parameters"]["quick"] is True
    assert {"fastweights", "python", "numpy", "sympy"} <= set(meta["versions"])
    assert meta["time"]["seconds"] > 0
    claim = data["claims"][0]
    assert claim["simulated"]["ci_low"] <= claim["exact_value"] <= claim["simulated"]["ci_high"]


def test_same_seed_gives_identical_claims(tmp_path):
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        assert main(["verify", "--quick", "--quiet", "--json", str(path), *CHEAP]) == 0
    first, second = (json.loads(p.read_text()) for p in paths)
    assert first["claims"] == second["claims"]


def test_exit_status_is_1_when_inconclusive_or_disagreeing():
    good = {"verdict": "exact", "theory_simulation_disagree": False}
    assert verify.exit_status({"claims": [good]}) == 0
    assert verify.exit_status({"claims": [good, {**good, "verdict": "inconclusive"}]}) == 1
    assert verify.exit_status({"claims": [{**good, "theory_simulation_disagree": True}]}) == 1
    assert verify.exit_status({"claims": [{**good, "verdict": "refuted"}]}) == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["verify", "--seed", "-3"], "--seed: expected an integer >= 0"),
        (["verify", "--claim", "nope"], "claim: expected one of"),
        (["verify", "--json", "/nonexistent-dir/x.json"], "--json: expected a path in an existing"),
        (["report", "--seed", "-1"], "--seed: expected an integer >= 0"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_unwritable_paths_are_one_line_and_exit_2(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["report", "--out", str(blocker / "sub")]) == 2
    assert main(["report", "--out", str(blocker)]) == 2
    assert main(["verify", "--json", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("fastweights: error: --") for line in err)


def test_a_non_integer_seed_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["verify", "--seed", "x"])
    assert info.value.code == 2 and capsys.readouterr().err.count("\n") == 1
