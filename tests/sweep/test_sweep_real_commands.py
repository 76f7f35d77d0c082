"""End to end with the real commands: a small `simulate retrain` sweep and its plot."""

from __future__ import annotations

import json

import pytest

from verification.cli import main
from verification.command_registry import command_modules

pytestmark = pytest.mark.skipif(
    not {("simulate", "retrain"), ("theory", "retrain")} <= set(command_modules()),
    reason="needs the simulate retrain and theory retrain commands",
)

CONFIG = """\
command = "simulate retrain"
seed = 1
[fixed]
inputs = "zero-one"
q = 0.5
associations = 50
trials = 3000
[grid]
n = [10, 40]
retrained = [5, 25]
blur = ["noise", "decay"]
"""


def test_a_simulate_retrain_sweep_and_its_plot(tmp_path, capsys):
    config = tmp_path / "retrain.toml"
    config.write_text(CONFIG)
    out = tmp_path / "out"
    assert main(["sweep", str(config), "--out", str(out), "--in-process", "--quiet"]) == 0
    assert "8 points, 8 computed now" in capsys.readouterr().out
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    for row in rows[:2]:  # each row is what the command itself prints
        assert main([*row["argv"], "--json", "--quiet"]) == 0
        assert json.loads(capsys.readouterr().out) == row["result"]
    assert main(["sweep-plot", str(out), "--json"]) == 0
    plotted = json.loads(capsys.readouterr().out)
    assert plotted["exact_from"] == "theory retrain"
    assert (out / "sweep.png").read_bytes().startswith(b"\x89PNG")
    assert plotted["panels"][0] == "improvement_ratio"
    for point in plotted["points"]:
        options = point["options"]
        if options["blur"] != "noise":
            assert point["exact"]["improvement_ratio"] is None
            continue
        theory_argv = [
            "theory", "retrain", "--inputs", "zero-one", "--q", "0.5", "--associations", "50",
            "--n", str(options["n"]), "--retrained", str(options["retrained"]), "--json",
        ]  # fmt: skip
        assert main(theory_argv) == 0
        exact = json.loads(capsys.readouterr().out)
        assert point["exact"]["improvement_ratio"] == exact["improvement_ratio"]
        assert point["variants"]["improvement_ratio"] == {
            "paper_": exact["paper_improvement_ratio"],
            "limit_": exact["limit_improvement_ratio"],
        }
