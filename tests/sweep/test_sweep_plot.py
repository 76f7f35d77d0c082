"""sweep-plot: measured values against exact ones from the matching theory command."""

from __future__ import annotations

import pytest
from sweep_helpers import reseal

from verification.commands import sweep_plot
from verification.errors import UsageError
from verification.evidence import write_manifest
from verification.sweep import plot_sweep, run_sweep

SIMULATED = """
    command = "simulate fake"
    seed = 4
    replicates = 2
    [fixed]
    trials = 2000
    [grid]
    x = [0.5, 1.0, 2.0, 4.0, 8.0]
    flag = [false, true]
    blur = ["noise", "decay"]
    """


def swept(write_config, fake_modules, tmp_path, text):
    out = tmp_path / "out"
    run_sweep(write_config(text), out, in_process=True, quiet=True, command_modules=fake_modules)
    return out


def test_simulated_points_are_drawn_against_the_theory_commands_exact_values(
    write_config, fake_modules, tmp_path
):
    out = swept(write_config, fake_modules, tmp_path, SIMULATED)
    result = plot_sweep(out, command_modules=fake_modules)
    png = (out / "sweep.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert result["exact_from"] == "theory fake" and result["panels"] == ["value"]
    assert len(result["points"]) == 40
    for point in result["points"]:
        options, measured = point["options"], point["measured"]["value"]
        if options["blur"] == "decay":  # the theory assumes Gaussian-noise blur
            assert point["exact"]["value"] is None and point["exact_inside_ci"]["value"] is None
            continue
        exact = 2 * options["x"] + (1.0 if options["flag"] else 0.0)
        assert point["exact"]["value"] == exact
        assert point["variants"]["value"] == {"paper_": 2 * options["x"]}
        inside = measured["ci_low"] <= exact <= measured["ci_high"]
        assert point["exact_inside_ci"]["value"] is inside
    covered = [p["exact_inside_ci"]["value"] for p in result["points"] if p["exact"]["value"]]
    assert sum(covered) >= 15, "a 95% interval should cover the exact value at most of 20 points"
    text = sweep_plot.render(result)
    assert text.startswith(f"wrote {out / 'sweep.png'}") and "inside CI" in text
    assert sorted(p.name for p in out.iterdir()) == [
        ".sweep.lock", "manifest.json", "results.jsonl", "sweep.json", "sweep.png",
    ]  # fmt: skip


def test_points_are_ordered_as_the_grid(write_config, fake_modules, tmp_path):
    out = swept(write_config, fake_modules, tmp_path, SIMULATED)
    lines = (out / "results.jsonl").read_text().splitlines()
    (out / "results.jsonl").write_text("\n".join(reversed(lines)) + "\n")
    reseal(out)  # rows in another order, as a Dask run writes them: the evidence still checks
    labels = [p["label"] for p in plot_sweep(out, command_modules=fake_modules)["points"]]
    assert labels[:3] == [
        "x=0.5, flag=False, blur=noise",
        "x=0.5, flag=False, blur=noise",
        "x=0.5, flag=False, blur=decay",
    ]


def test_a_theory_sweep_draws_its_exact_values(write_config, fake_modules, tmp_path):
    out = swept(
        write_config,
        fake_modules,
        tmp_path,
        'command = "theory fake"\n[grid]\nx = [1.0, 2.0, 3.0]\n',
    )
    result = plot_sweep(out, command_modules=fake_modules)
    assert result["exact_from"] is None and result["panels"] == ["value"]
    assert [p["exact"]["value"] for p in result["points"]] == [2.0, 4.0, 6.0]
    assert [p["measured"]["value"] for p in result["points"]] == [None, None, None]
    assert (out / "sweep.png").exists()


def test_not_a_sweep_directory(tmp_path, write_config, fake_modules):
    # behaviour changed with issue 18: the evidence (manifest.json) is checked first
    with pytest.raises(UsageError, match=r"manifest.json: missing \(not a finished fastweights"):
        plot_sweep(tmp_path, command_modules=fake_modules)
    (tmp_path / "sweep.json").write_text('{"command": "simulate fake", "varied": []}')
    with pytest.raises(UsageError, match=r"manifest.json: missing"):
        plot_sweep(tmp_path, command_modules=fake_modules)
    (tmp_path / "results.jsonl").write_text("")
    write_manifest(
        tmp_path, kind="sweep", command="fastweights sweep c.toml", options={}, seed=1,
        design=[], files=["results.jsonl", "sweep.json"],
    )  # fmt: skip
    with pytest.raises(UsageError, match=r"^DIR: expected a sweep directory with rows"):
        plot_sweep(tmp_path, command_modules=fake_modules)


def test_a_theory_sweep_never_draws_an_input_against_itself(write_config, fake_modules, tmp_path):
    out = swept(
        write_config,
        fake_modules,
        tmp_path,
        'command = "theory geometry"\n[fixed]\ncontraction = 0.5\n'
        "[grid]\nangle = [30.0, 60.0, 80.0]\n",
    )
    result = plot_sweep(out, command_modules=fake_modules)
    assert "positive_transfer_probability" in result["panels"]
    assert "angle" not in result["panels"] and "contraction" not in result["panels"]
    for key in result["panels"]:
        xs = [p["options"]["angle"] for p in result["points"]]
        assert [p["exact"][key] for p in result["points"]] != xs


def test_coinciding_lines_are_drawn_once_and_named_together(write_config, fake_modules, tmp_path):
    out = swept(
        write_config,
        fake_modules,
        tmp_path,
        'command = "theory retrain"\n[fixed]\ninputs = "zero-one"\nq = 0.5\nassociations = 20\n'
        "retrained = 10\n[grid]\nn = [10, 20, 40]\n",
    )
    result = plot_sweep(out, command_modules=fake_modules)
    assert result["panels"] == ["improvement_ratio", "c"]  # c_paper, c_limit: variants of c
    # for 0/1 inputs the paper's formula is its large-n limit: one line, both names
    assert result["lines"]["improvement_ratio"] == [
        "improvement_ratio",
        "paper_improvement_ratio = limit_improvement_ratio",
    ]
    assert result["lines"]["c"] == ["c", "c_paper = c_limit"]
    point = result["points"][0]
    assert point["variants"]["c"] == {"paper_": 0.25, "limit_": 0.25}
