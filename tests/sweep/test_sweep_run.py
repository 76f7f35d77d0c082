"""Running in-process: rows as the command prints them; resume runs only the missing points."""

from __future__ import annotations

import json

import pytest
from sweep_fakes import fake_simulate
from sweep_helpers import as_interrupted, rows_without_wall_time

from verification.cli import main
from verification.errors import UsageError
from verification.sweep import execute, run_sweep

FAKE = """
    command = "simulate fake"
    seed = 11
    replicates = 2
    [fixed]
    trials = 50
    [grid]
    x = [0.5, 1.5, 2.5]
    flag = [false, true]
    """


def sweep(config, out, modules, **kwargs):
    return run_sweep(config, out, in_process=True, quiet=True, command_modules=modules, **kwargs)


def test_each_row_is_what_the_named_command_prints(write_config, tmp_path, capsys):
    config = write_config(
        'command = "derive"\n[grid]\nname = ["eq1-factorization"]\nlatex = [false, true]\n'
    )
    out = tmp_path / "out"
    assert main(["sweep", str(config), "--out", str(out), "--in-process", "--quiet", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["points"], summary["computed"], summary["failed"]) == (2, 2, [])
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [row["options"] for row in rows] == [
        {"name": "eq1-factorization", "latex": False},
        {"name": "eq1-factorization", "latex": True},
    ]
    for row in rows:
        assert row["seed"] is None and row["wall_time_s"] >= 0 and row["command"] == "derive"
        assert main([*row["argv"], "--json"]) == 0
        assert row["result"] == json.loads(capsys.readouterr().out)


def test_rows_carry_options_seed_argv_and_the_commands_json(write_config, fake_modules, tmp_path):
    summary = sweep(write_config(FAKE), tmp_path / "out", fake_modules)
    assert (summary.points, summary.computed, summary.already_done) == (12, 12, 0)
    rows = rows_without_wall_time(tmp_path / "out")
    assert len(rows) == 12
    row = next(
        r
        for r in rows.values()
        if r["options"] == {"trials": 50, "x": 1.5, "flag": True} and r["replicate"] == 1
    )
    assert row["argv"][:2] == ["simulate", "fake"] and row["argv"][-2:] == [
        "--seed",
        str(row["seed"]),
    ]
    assert row["result"] == fake_simulate.run(
        fake_simulate_options(x=1.5, flag=True, trials=50, seed=row["seed"])
    )
    manifest = json.loads((tmp_path / "out" / "sweep.json").read_text())
    assert manifest["state"] == "complete" and manifest["points"] == 12
    assert manifest["varied"] == ["x", "flag"] and manifest["config"]["seed"] == 11


def fake_simulate_options(**values):
    from verification.sweep.command import parse_point_argv

    argv = [f"--{k}" if v is True else f"--{k}={v}" for k, v in values.items() if v is not False]
    return parse_point_argv(fake_simulate.__name__, argv)


def test_resume_computes_only_the_missing_points_and_drops_a_torn_line(
    write_config, fake_modules, tmp_path
):
    config, out = write_config(FAKE), tmp_path / "out"
    sweep(config, out, fake_modules)
    full = rows_without_wall_time(out)
    results = out / "results.jsonl"
    lines = results.read_text().splitlines(keepends=True)
    results.write_text("".join(lines[:3] + lines[5:]) + lines[3][: len(lines[3]) // 2])
    as_interrupted(out)  # (a finished sweep cut like this is refused: test_sweep_evidence.py)
    notes = []
    summary = sweep(config, out, fake_modules, resume=True, notify=notes.append)
    assert (summary.already_done, summary.computed) == (10, 2)
    assert summary.dropped_torn_bytes == len(lines[3]) // 2
    assert len(notes) == 1 and "torn last line" in notes[0]
    assert rows_without_wall_time(out) == full
    again = sweep(config, out, fake_modules, resume=True)
    assert (again.already_done, again.computed, again.execution) == (12, 0, "in-process")


def test_existing_results_need_resume(write_config, fake_modules, tmp_path):
    config, out = write_config(FAKE), tmp_path / "out"
    sweep(config, out, fake_modules)
    before = (out / "results.jsonl").read_bytes()
    with pytest.raises(UsageError, match=r"^--out: expected a directory without results.jsonl"):
        sweep(config, out, fake_modules)
    assert (out / "results.jsonl").read_bytes() == before


def test_a_resume_with_another_design_or_seed_is_refused_and_changes_nothing(
    write_config, fake_modules, tmp_path
):
    # behaviour changed with issue 18: a grown grid no longer resumes into the same --out
    out = tmp_path / "out"
    small = write_config(
        'command = "simulate fake"\nseed = 2\n[grid]\nx = [0.5, 1.5]\n', "small.toml"
    )
    sweep(small, out, fake_modules)
    as_interrupted(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    grown = write_config(
        'command = "simulate fake"\nseed = 2\n[grid]\nx = [1.5, 0.5, 2.5]\n', "big.toml"
    )
    with pytest.raises(UsageError, match=r"manifest.json: another design \(2 points recorded, 3"):
        sweep(grown, out, fake_modules, resume=True)
    other = write_config(
        'command = "simulate fake"\nseed = 3\n[grid]\nx = [0.5, 1.5]\n', "other.toml"
    )
    with pytest.raises(UsageError, match=r"manifest.json: another seed \(2, not 3"):
        sweep(other, out, fake_modules, resume=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sweep(small, out, fake_modules, resume=True).already_done == 2


def test_a_failing_point_gets_no_row_and_is_retried_on_resume(
    write_config, fake_modules, tmp_path, monkeypatch, capsys
):
    config, out = write_config(FAKE), tmp_path / "out"
    real_run = fake_simulate.run

    def failing(options):
        if options.x == 2.5 and options.flag:
            raise UsageError("--x", "something the simulator can do", options.x)
        return real_run(options)

    monkeypatch.setattr(fake_simulate, "run", failing)
    summary = sweep(config, out, fake_modules)
    assert summary.computed == 10 and len(summary.failed) == 2
    assert summary.failed[0] == {
        "point": "x=2.5, flag=True",
        "error": "UsageError: --x: expected something the simulator can do, got 2.5",
    }
    assert json.loads((out / "sweep.json").read_text())["state"] == "incomplete"
    from verification.commands import sweep as sweep_command

    text = sweep_command.render(summary.to_json())
    assert "failed: x=2.5, flag=True: UsageError" in text and "--resume" in text
    assert sweep_command.exit_status(summary.to_json()) == 1
    monkeypatch.setattr(fake_simulate, "run", real_run)
    assert sweep(config, out, fake_modules, resume=True).computed == 2
    assert len(rows_without_wall_time(out)) == 12


def test_an_interrupted_run_keeps_its_rows_and_releases_the_directory(
    write_config, fake_modules, tmp_path, monkeypatch
):
    config, out = write_config(FAKE), tmp_path / "out"
    real_run, calls = fake_simulate.run, []

    def interrupted(options):
        calls.append(options)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_run(options)

    monkeypatch.setattr(fake_simulate, "run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sweep(config, out, fake_modules)
    assert len(rows_without_wall_time(out)) == 3
    assert json.loads((out / "sweep.json").read_text())["state"] == "incomplete"
    monkeypatch.setattr(fake_simulate, "run", real_run)
    assert sweep(config, out, fake_modules, resume=True).computed == 9


def test_without_dask_the_sweep_runs_in_process_and_says_so_once(
    write_config, fake_modules, tmp_path, monkeypatch
):
    monkeypatch.setattr(execute, "_dask_available", lambda: False)
    notes = []
    summary = run_sweep(
        write_config(FAKE), tmp_path / "out", quiet=True, command_modules=fake_modules,
        notify=notes.append,
    )  # fmt: skip
    assert summary.execution == "in-process" and summary.computed == 12
    assert len(notes) == 1 and "dask.distributed is not installed" in notes[0]
    assert "fastweights[distributed]" in notes[0]
    with pytest.raises(UsageError, match=r"^--scheduler: expected dask.distributed installed"):
        run_sweep(
            write_config(FAKE), tmp_path / "o2", scheduler="tcp://127.0.0.1:1",
            command_modules=fake_modules,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "--workers: expected a positive number"),
        ({"scheduler": "tcp://127.0.0.1:1", "workers": 2}, "--scheduler: expected no --workers"),
    ],
)
def test_bad_execution_options(write_config, fake_modules, tmp_path, options, message):
    with pytest.raises(UsageError, match=f"^{message}"):
        run_sweep(write_config(FAKE), tmp_path / "out", command_modules=fake_modules, **options)


class _Terminal:
    """A stand-in for a terminal on stderr."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_progress_bar_on_a_terminal_and_none_with_quiet(
    write_config, fake_modules, tmp_path, monkeypatch
):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    config = write_config(FAKE)
    run_sweep(config, tmp_path / "a", in_process=True, command_modules=fake_modules)
    assert "12/12" in terminal.text and "point/s" in terminal.text
    terminal.text = ""
    run_sweep(config, tmp_path / "b", in_process=True, quiet=True, command_modules=fake_modules)
    assert terminal.text == ""
