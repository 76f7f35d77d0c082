"""``fastweights simulate deblur``: keys, JSON only on stdout, one-line errors with exit 2."""

import json

import pytest

from verification.cli import main

SHORT = ["--original-sweeps", "40", "--new-sweeps", "10", "--retrain-sweeps", "3"]


def test_json_has_the_interface_keys(capsys):
    argv = ["simulate", "deblur", "--seeds", "3", "--seed", "4", "--json", "--quiet", *SHORT]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert data["sweeps"] == [0, 1, 2, 3]
    for key in ("retrained_error", "unretrained_error"):
        assert len(data[key]) == 4
        assert all(set(e) == {"estimate", "ci_low", "ci_high"} for e in data[key])
    for key in ("new_error_before_retraining", "new_error_after_decay"):
        assert set(data[key]) == {"estimate", "ci_low", "ci_high"}
    predicted = data["predicted_improvement_ratio"]  # first order at the blurred weights
    assert set(predicted) == {"estimate", "ci_low", "ci_high"}
    assert predicted["ci_low"] < predicted["estimate"] < predicted["ci_high"]
    assert data["fast_weights"] is True and data["seeds"] == 3 and data["seed"] == 4
    assert data["retrained_count"] == 10
    assert data["parameters"]["original_sweeps"] == 40


def test_options_reach_the_experiment(capsys):
    argv = [
        "simulate", "deblur", "--seeds", "2", "--retrain-fraction", "0.5", "--no-fast-weights",
        "--fast-epsilon", "0.01", "--fast-momentum", "0.5", "--h", "0.05", "--init-scale", "0.3",
        "--dtype", "float64", "--control-rule", "slow", "--json", "--quiet", *SHORT,
    ]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fast_weights"] is False and data["retrained_count"] == 50
    par = data["parameters"]
    assert (par["fast_epsilon"], par["fast_momentum"], par["h"]) == (0.01, 0.5, 0.05)
    assert (par["init_scale"], par["dtype"], par["control_rule"]) == (0.3, "float64", "slow")


def test_mode_options_reach_the_experiment(capsys):
    argv = [
        "simulate", "deblur", "--seeds", "2", "--updates", "per-case",
        "--error-function", "cross-entropy", "--targets", "0.1,0.9", "--fast-phases",
        "retraining", "--decay-per", "sweep", "--associations", "20", "--new-associations",
        "3", "--n-input", "6", "--n-hidden", "8", "--n-output", "4", "--json", "--quiet",
        *SHORT,
    ]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    par = data["parameters"]
    assert (par["updates"], par["error_function"], par["targets"]) == (
        "per-case",
        "cross-entropy",
        [0.1, 0.9],
    )
    assert (par["fast_phases"], par["decay_per"]) == ("retraining", "sweep")
    sizes = ("associations", "new_associations", "n_input", "n_hidden", "n_output")
    assert [par[k] for k in sizes] == [20, 3, 6, 8, 4]
    assert data["retrained_count"] == 2
    assert data["original_learning"]["fast_weight_max_abs"]["estimate"] == 0.0


def test_same_seed_same_json(capsys):
    argv = ["simulate", "deblur", "--seeds", "2", "--json", "--quiet", *SHORT]
    main(argv)
    first = capsys.readouterr().out
    main([*argv, "--threads", "2", "--chunk-size", "1"])
    assert capsys.readouterr().out == first


def test_text_rendering(capsys):
    assert main(["simulate", "deblur", "--seeds", "2", "--quiet", *SHORT]) == 0
    out = capsys.readouterr().out
    assert "retrained" in out and "unretrained" in out and "new error after decay" in out


@pytest.mark.parametrize(
    ("option", "value", "name"),
    [
        ("--retrain-fraction", "0", "retrain_fraction"),
        ("--retrain-fraction", "1.01", "retrain_fraction"),
        ("--retrain-fraction", "nan", "retrain_fraction"),
        ("--seeds", "0", "seeds"),
        ("--h", "1", "h"),
        ("--h", "-0.5", "h"),
        ("--fast-momentum", "1.5", "fast_momentum"),
        ("--targets", "0.9,0.1", "targets"),
        ("--targets", "0.5,0.5", "targets"),
        ("--targets", "0.1,1.5", "targets"),
        ("--targets", "0.5", "targets"),
        ("--targets", "0.1,0.5,0.9", "targets"),
        ("--targets", "low,high", "targets"),
        ("--targets", "nan,0.9", "targets"),
        ("--targets=-0.1,0.9", None, "targets"),
        ("--associations", "0", "associations"),
        ("--new-associations", "2000", "associations"),
        ("--n-input", "63", "n_input"),
        ("--n-hidden", "0", "n_hidden"),
        ("--n-output", "0", "n_output"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, option, value, name):
    given = [option] if value is None else [option, value]
    assert main(["simulate", "deblur", *given, "--quiet", *SHORT]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    flag = "--" + name.replace("_", "-")  # the option the error is about, as a flag
    assert err.count("\n") == 1 and err.startswith(f"fastweights: error: {flag}: expected")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--updates", "online"),
        ("--error-function", "hinge"),
        ("--fast-phases", "new"),
        ("--decay-per", "case"),
        ("--n-hidden", "many"),
    ],
)
def test_bad_choice_is_one_line_exit_2(capsys, option, value):
    with pytest.raises(SystemExit) as info:
        main(["simulate", "deblur", option, value, "--quiet"])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and f"argument {option}: invalid" in err


def test_unparseable_option_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["simulate", "deblur", "--seeds", "many"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_sensitivity_command_tabulates_each_point(capsys):
    argv = ["simulate", "deblur-sensitivity", "--seeds", "2", "--axis", "fast_epsilon=0.0,0.02"]
    argv += ["--axis", "original_sweeps=30", "--quiet"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("| fast_epsilon = 0.0 |") == 2  # one line per retrained fraction
    assert "| original_sweeps = 30 |" in out and "| defaults |" in out


def test_sensitivity_command_json_and_bad_axis(capsys):
    argv = ["simulate", "deblur-sensitivity", "--seeds", "2", "--json", "--quiet"]
    argv += ["--axis", "original_sweeps=20", "--axis", "new_sweeps=5", "--product"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["parameters"] for r in data["rows"]] == [{"original_sweeps": 20, "new_sweeps": 5}]
    assert main(["simulate", "deblur-sensitivity", "--axis", "fast_epsilon"]) == 2
    assert capsys.readouterr().err.startswith("fastweights: error: --axis: expected")


@pytest.mark.parametrize("command", ["deblur", "deblur-sensitivity"])
def test_help_renders(capsys, command):
    with pytest.raises(SystemExit) as info:
        main(["simulate", command, "--help"])
    assert info.value.code == 0
    assert "--seeds" in capsys.readouterr().out


def test_sensitivity_axis_values_with_commas_are_separated_by_semicolons(capsys):
    from verification.commands.simulate_deblur_sensitivity import parse_axis

    assert parse_axis("targets=0.1,0.9;0.2,0.8") == ("targets", ["0.1,0.9", "0.2,0.8"])
    assert parse_axis("fast_epsilon=0.01;0.02") == ("fast_epsilon", [0.01, 0.02])
    argv = ["simulate", "deblur-sensitivity", "--seeds", "2", "--quiet"]
    argv += ["--axis", "targets=0.1,0.9;0.2,0.8", "--axis", "original_sweeps=10"]
    argv += ["--axis", "updates=per-case", "--product"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "| targets = 0.2,0.8, original_sweeps = 10, updates = per-case |" in out


@pytest.mark.parametrize("sweeps", ["0", "1", "4", "-1"])
def test_deblur_reading_refuses_fewer_retraining_sweeps_than_the_claims_read(capsys, sweeps):
    """The claims compare the improvement after 5 retraining sweeps (``EARLY_SWEEP``):
    fewer is one line naming --retrain-sweeps and what it accepts, before anything runs."""
    argv = ["simulate", "deblur-reading", "--seeds", "2", "--quiet", *SHORT]
    assert main([*argv, "--retrain-sweeps", sweeps]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"fastweights: error: --retrain-sweeps: expected an integer >= 5, got {sweeps}\n"


def test_deblur_reading_measures_at_five_retraining_sweeps(capsys):
    argv = ["simulate", "deblur-reading", "--seeds", "2", "--quiet", "--json", *SHORT]
    assert main([*argv, "--retrain-sweeps", "5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["fractions"]["0.1"]["retrained_curve"]) == 6


def test_every_deblur_setting_is_an_option_as_declared():
    """The options come from the declarations; not given, the settings' default applies."""
    import argparse

    from foundation.settings import declared
    from simulation.deblur_protocol import DeblurSettings
    from verification.commands import simulate_deblur

    parser = argparse.ArgumentParser()
    simulate_deblur.add_arguments(parser)
    actions = {action.dest: action for action in parser._actions}
    for item, declaration in declared(DeblurSettings):
        action = actions[item.name]
        assert action.help == declaration.help and action.default is None, item.name
    assert simulate_deblur.settings_from_options(parser.parse_args([])) == {}
