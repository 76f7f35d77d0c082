"""Config errors are one line naming the key (or the point), exit 2, before anything runs."""

from __future__ import annotations

import pytest
from sweep_fakes import fake_simulate

from verification.cli import main
from verification.errors import UsageError
from verification.sweep import ConfigError, load_config, run_sweep

GOOD = """
    command = "simulate fake"
    seed = 3
    [fixed]
    sleep = 0.0
    [grid]
    x = [0.5, 1.5]
    """


def fails(write_config, fake_modules, text, tmp_path):
    """The ConfigError message a config raises (nothing may be written)."""
    path = write_config(text)
    with pytest.raises(UsageError) as info:
        run_sweep(path, tmp_path / "out", in_process=True, quiet=True, command_modules=fake_modules)
    assert not (tmp_path / "out").exists(), "a bad config must stop the sweep before it writes"
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('command = "simulate fake"\nseed = 1\ncolour = 3\n', "config: colour: unknown key"),
        ("seed = 1\n", "config: command: expected a command"),
        ('command = "simulate fake"\nseed = -1\n', "config: seed: expected a non-negative"),
        ('command = "simulate fake"\nseed = 1\nreplicates = 0\n', "config: replicates:"),
        ('command = "simulate fake"\nseed = 1\ngrid = 3\n', "config: grid: expected a table"),
        (
            'command = "simulate fake"\nseed = 1\n[grid]\nx = 1.0\n',
            "config: grid.x: expected a non-empty list",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[grid]\nx = []\n',
            "config: grid.x: expected a non-empty list",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[grid]\nx = [1.0, 2.0, 1.0]\n',
            "config: grid.x: value 1.0 appears twice",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nx = 1.0\n[grid]\nx = [2.0]\n',
            "config: grid.x: also set in [fixed]",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nx = nan\n',
            "config: fixed.x: expected a finite number",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nx = 1979-05-27\n',
            "config: fixed.x: expected a string",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nx = [1, "a"]\n',
            "config: fixed.x: expected a list of numbers",
        ),
    ],
)
def test_structural_errors_name_the_key(write_config, fake_modules, tmp_path, text, expected):
    assert fails(write_config, fake_modules, text, tmp_path).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'command = "simulate nothing"\nseed = 1\n',
            "config: command: unknown command 'simulate nothing'",
        ),
        ('command = "sweep"\nseed = 1\n', "config: command: expected a command a sweep can run ("),
        (
            'command = "simulate fake"\nseed = 1\n[grid]\nwidth = [1, 2]\n',
            "config: grid.width: unknown option of 'simulate fake'",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nseed = 4\n[grid]\nx = [1.0]\n',
            "config: fixed.seed: set by the sweep itself",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\njson = true\n[grid]\nx = [1.0]\n',
            "config: fixed.json: set by the sweep itself",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nflag = 1\n[grid]\nx = [1.0]\n',
            "config: fixed.flag: is a switch",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nlabel = true\n[grid]\nx = [1.0]\n',
            "config: fixed.label: takes a value",
        ),
        ('command = "simulate fake"\n[grid]\nx = [1.0]\n', "config: seed: missing"),
        (
            'command = "theory fake"\nreplicates = 2\n[grid]\nx = [1.0]\n',
            "config: replicates: 'theory fake' takes no --seed",
        ),
        (
            'command = "simulate fake"\nseed = 1\n[fixed]\nx = 1.0\nx_ = 2.0\n',
            "config: fixed.x_: unknown option",
        ),
    ],
)
def test_command_errors_name_the_key(write_config, fake_modules, tmp_path, text, expected):
    assert fails(write_config, fake_modules, text, tmp_path).startswith(expected)


def test_the_same_option_under_two_spellings_is_refused(write_config, fake_modules, tmp_path):
    text = (
        'command = "simulate fake"\nseed = 1\n[fixed]\nx = 1.0\ndraw-scale = 2.0\n'
        "[grid]\ndraw_scale = [3.0]\n"
    )
    message = fails(write_config, fake_modules, text, tmp_path)
    assert message == "config: grid.draw_scale: names the same option as fixed.draw-scale"


def test_an_invalid_value_at_any_grid_point_is_reported_before_anything_runs(
    write_config, fake_modules, tmp_path, monkeypatch
):
    calls = []
    monkeypatch.setattr(fake_simulate, "run", lambda options: calls.append(options))
    text = 'command = "simulate fake"\nseed = 1\n[grid]\nx = [1.0, 2.0]\ntrials = [10, "many"]\n'
    message = fails(write_config, fake_modules, text, tmp_path)
    assert message.startswith("config: point (x=1.0, trials=many): argument --trials: invalid int")
    assert calls == []


def test_the_commands_own_validate_runs_on_every_point_first(write_config, fake_modules, tmp_path):
    text = 'command = "simulate fake"\nseed = 1\n[grid]\nx = [1.0, 2.0, -3.0]\n'
    message = fails(write_config, fake_modules, text, tmp_path)
    assert message == "config: point (x=-3.0): --x: expected a non-negative number, got -3.0"


def test_a_missing_required_option_is_reported(write_config, fake_modules, tmp_path):
    text = 'command = "simulate fake"\nseed = 1\n[grid]\ntrials = [10]\n'
    message = fails(write_config, fake_modules, text, tmp_path)
    assert message == "config: point (trials=10): the following arguments are required: --x"


def test_invalid_toml_names_the_file(write_config, fake_modules, tmp_path):
    message = fails(write_config, fake_modules, "command = \n", tmp_path)
    assert message.startswith("config: sweep.toml: not valid TOML")


def test_cli_reports_a_bad_config_on_one_line_with_exit_2(write_config, capsys, tmp_path):
    path = write_config('command = "simulate nothing"\nseed = 1\n')
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--in-process"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("fastweights: error: config: command: unknown command")


def test_cli_reports_a_missing_config_file(capsys, tmp_path):
    assert main(["sweep", str(tmp_path / "nothing.toml"), "--in-process"]) == 2
    assert "CONFIG: expected a readable TOML file" in capsys.readouterr().err


def test_load_config_keeps_file_order_and_converts_lists(write_config):
    path = write_config(
        'command = "theory pair"\n[fixed]\na = [1, 1, 0, 0]\n'
        "[grid]\nb = [[1, 0, 1, 0], [0, 1, 1, 0]]\n"
    )
    config = load_config(path)
    assert config.command == ("theory", "pair")
    assert config.seed is None and config.replicates == 1
    assert config.fixed == {"a": (1, 1, 0, 0)}
    assert config.grid == {"b": ((1, 0, 1, 0), (0, 1, 1, 0))}
    assert config.to_json()["grid"] == {"b": [[1, 0, 1, 0], [0, 1, 1, 0]]}


def test_config_error_is_a_usage_error():
    assert issubclass(ConfigError, UsageError)
    assert str(ConfigError("grid.n", "bad")) == "config: grid.n: bad"
