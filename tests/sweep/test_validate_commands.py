"""Each theory/simulate command's ``validate``: run's argument checks, without the work.

A sweep calls ``validate`` on every grid point before any point runs (issue 6: "an
invalid value at any grid point is reported before anything runs"). Here, for every
command: invalid options make ``validate`` raise exactly what ``run`` raises; valid
options pass ``validate`` without touching the expensive code (patched to fail); and a
sweep whose grid holds one invalid point stops with exit status 2 before writing a row.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence

import pytest

import simulation
import theory
from verification.cli import main
from verification.command_registry import command_modules
from verification.errors import USER_ERRORS
from verification.sweep.command import leaf_parser

MODULES = {" ".join(path): module for path, module in command_modules().items()}


def _fail(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the expensive part of the command ran")


@pytest.fixture
def no_heavy_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function doing a command's real work fails if called."""
    heavy = [
        ("simulation.pair", "stream_moments"),
        ("simulation.retrain", "stream_moments"),
        ("simulation.geometry", "stream_moments"),
        ("simulation.deblur", "simulate_deblur"),
        ("simulation.deblur_sensitivity", "run_deblur_conditions"),
        ("theory.retraining", "ensemble_moments"),
        ("theory.pair", "expected_cos_theta"),
        ("theory.geometry", "derivation"),
        ("theory.ellipse", "derivation"),
    ]
    for module_name, name in heavy:  # by module name: ``simulation.pair`` is also a function
        monkeypatch.setattr(importlib.import_module(module_name), name, _fail)
    monkeypatch.setattr(theory, "derivation", _fail)


def _options(command: str, argv: Sequence[str]) -> argparse.Namespace:
    """The namespace the command's own parser makes of ``argv`` (as a sweep point's)."""
    return leaf_parser(MODULES[command].__name__).parse_args(list(argv))


RETRAIN = ["--inputs", "zero-one", "--q", "0.5", "--n", "10"]
INVALID: list[tuple[str, list[str], str]] = [
    ("theory pair", ["--a", "1,2", "--b", "1,0"], "a: expected components in {-1, 0, 1}"),
    ("theory pair", ["--a", "0,0", "--b", "1,1"], "a: expected a nonzero vector"),
    ("theory pair", ["--a", "1,0,1", "--b", "1,0"], "b: expected a vector of the same length"),
    ("theory pair", ["--a", "1,x", "--b", "1,0"], "a: expected comma-separated numbers"),
    ("theory retrain", [*RETRAIN, "--associations", "100", "--retrained", "200"], "retrained:"),
    ("theory retrain", [*RETRAIN[:2], "--q", "3/2", *RETRAIN[4:], "--associations", "9",
                        "--retrained", "2"], "q: expected a number in (0, 1]"),
    ("theory retrain", ["--inputs", "zero-one", "--q", "1/2", "--n", "3", "--associations", "9",
                        "--retrained", "2", "--without-replacement"], "associations: expected"),
    ("theory retrain", ["--inputs", "zero-one", "--q", "0.3", "--n", "3", "--associations", "4",
                        "--retrained", "2", "--without-replacement"], "without_replacement:"),
    ("theory retrain", ["--inputs", "signed", "--p", "0.6", "--n", "3", "--associations", "4",
                        "--retrained", "2"], "p: expected a number in (0, 1/2]"),
    ("theory retrain", [*RETRAIN[:4], "--n", "0", "--associations", "4", "--retrained", "2"], "n:"),
    ("theory geometry", ["--angle", "60", "--contraction", "0"], "contraction: expected"),
    ("theory geometry", ["--angle", "180", "--contraction", "0.5"], "angle: expected"),
    ("simulate pair", ["--a", "0,0", "--b", "1,1"], "a: expected a nonzero vector"),
    ("simulate pair", ["--a", "1,nan", "--b", "1,1"], "a: expected finite numbers"),
    ("simulate pair", ["--a", "1,0", "--b", "1,1", "--noise-sd", "0"], "noise_sd: expected"),
    ("simulate pair", ["--a", "1,0", "--b", "1,1", "--chunk-size", "0"], "chunk_size: expected"),
    ("simulate pair", ["--a", "1,0", "--b", "1,1", "--seed", "-1"], "seed: expected"),
    ("simulate retrain", [*RETRAIN, "--associations", "100", "--retrained", "200"], "retrained:"),
    ("simulate retrain", [*RETRAIN, "--associations", "5", "--retrained", "5"], "retrained:"),
    ("simulate retrain", [*RETRAIN[:3], "0", *RETRAIN[4:], "--associations", "5",
                          "--retrained", "2"], "q: expected a number in (0, 1]"),
    ("simulate retrain", ["--inputs", "zero-one", "--q", "0.5", "--n", "3", "--associations",
                          "9", "--retrained", "2", "--without-replacement"], "associations:"),
    ("simulate retrain", [*RETRAIN, "--associations", "5", "--retrained", "2", "--outputs", "0"],
     "outputs: expected"),
    ("simulate retrain", [*RETRAIN, "--associations", "5", "--retrained", "2",
                          "--chunk-size", "0"], "chunk_size: expected"),
    ("simulate geometry", ["--angle", "60", "--contraction", "0"], "contraction: expected"),
    ("simulate geometry", ["--angle", "0", "--contraction", "0.5"], "angle: expected"),
    ("simulate geometry", ["--angle", "60", "--contraction", "0.5", "--steps", "0"], "steps:"),
    ("simulate geometry", ["--angle", "60", "--contraction", "0.5", "--radius", "0"], "radius:"),
    ("simulate deblur", ["--retrain-fraction", "0"], "retrain_fraction: expected"),
    ("simulate deblur", ["--seeds", "0"], "seeds: expected"),
    ("simulate deblur", ["--h", "1.0"], "h: expected"),
    ("simulate deblur", ["--chunk-size", "0"], "chunk_size: expected"),
    ("simulate deblur", ["--decay-updates", "200000"], "decay_updates: expected"),
    ("simulate deblur", ["--original-sweeps", "-1"], "original_sweeps: expected"),
    ("simulate deblur-sensitivity", ["--axis", "bogus=1,2"], "bogus: expected a parameter"),
    ("simulate deblur-sensitivity", ["--axis", "h=0.5,2"], "h: expected"),
    ("simulate deblur-sensitivity", ["--axis", "fast_epsilon=0.01,abc"], "fast_epsilon:"),
    ("simulate deblur-sensitivity", ["--axis", "h"], "axis: expected NAME=V1,V2"),
    ("simulate deblur-sensitivity", ["--seeds", "0"], "seeds: expected"),
    ("derive", ["no-such-derivation"], "name: expected one of"),
]  # fmt: skip


@pytest.mark.parametrize(("command", "argv", "start"), INVALID, ids=[c for c, *_ in INVALID])
def test_validate_raises_what_run_raises(no_heavy_work, command, argv, start):
    module = MODULES[command]
    with pytest.raises(USER_ERRORS) as by_validate:
        module.validate(_options(command, argv))
    with pytest.raises(USER_ERRORS) as by_run:
        module.run(_options(command, argv))
    assert type(by_validate.value) is type(by_run.value)
    assert str(by_validate.value) == str(by_run.value)
    assert str(by_validate.value).startswith(start)
    assert "\n" not in str(by_validate.value)


VALID: list[tuple[str, list[str]]] = [
    ("theory pair", ["--a", "1,-1,0,1", "--b", "1,1,0,1"]),
    ("theory retrain", ["--inputs", "signed", "--p", "1/3", "--n", "12", "--associations",
                        "500000", "--retrained", "5", "--without-replacement"]),
    ("theory geometry", ["--angle", "60", "--contraction", "0.25"]),
    ("simulate pair", ["--a", "1,0,1", "--b", "1,1,0", "--trials", str(10**12)]),
    ("simulate retrain", [*RETRAIN, "--associations", "1000", "--retrained", "999", "--trials",
                          str(10**12), "--blur", "decay", "--learning", "gradient"]),
    ("simulate geometry", ["--angle", "30", "--contraction", "0.5", "--trials", str(10**12)]),
    ("simulate deblur", ["--seeds", "100000", "--retrain-fraction", "0.5", "--h", "0.5"]),
    ("simulate deblur-sensitivity", ["--axis", "h=0.0,0.5", "--axis", "init_scale=0.1,1",
                                     "--product", "--seeds", "1000"]),
    ("simulate deblur-sensitivity", ["--seeds", "1000"]),
    ("derive", ["ratio-943"]),
]  # fmt: skip


@pytest.mark.parametrize(("command", "argv"), VALID, ids=[c for c, _ in VALID])
def test_validate_accepts_valid_options_without_doing_the_work(no_heavy_work, command, argv):
    start = time.perf_counter()
    assert MODULES[command].validate(_options(command, argv)) is None
    assert time.perf_counter() - start < 0.5


def test_every_theory_and_simulate_command_has_validate():
    commands = [name for name in MODULES if name.split()[0] in ("theory", "simulate")]
    assert len(commands) >= 7
    missing = [name for name in commands if not callable(getattr(MODULES[name], "validate", None))]
    assert missing == []


def test_the_library_functions_check_before_working(no_heavy_work):
    """The checks live in the library: calling it directly refuses the same values."""
    with pytest.raises(simulation.ParameterError, match=r"^retrained: "):
        simulation.simulate_retrain("zero-one", 10, 100, 200, q=0.5)
    with pytest.raises(simulation.ParameterError, match=r"^h: "):
        simulation.deblur_sensitivity({"h": (0.5, 2.0)}, seeds=2)
    with pytest.raises(theory.ParameterError, match=r"^retrained: "):
        theory.retrain_ratio("zero-one", 10, 100, 200, q=0.5)


SWEEP = """\
command = "simulate retrain"
seed = 1
[fixed]
inputs = "zero-one"
q = 0.5
associations = 100
trials = 200
[grid]
n = [10, 20]
retrained = [5, 200]
"""


def test_a_sweep_with_one_invalid_grid_point_stops_before_any_row(tmp_path, capsys, monkeypatch):
    calls: list[object] = []
    module = MODULES["simulate retrain"]
    monkeypatch.setattr(module, "run", calls.append)
    config = tmp_path / "retrain.toml"
    config.write_text(SWEEP)
    out = tmp_path / "out"
    assert main(["sweep", str(config), "--out", str(out), "--in-process", "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(
        "fastweights: error: config: point (n=10, retrained=200): retrained: expected an "
        "integer in [1, K - 1] = [1, 99]"
    )
    assert calls == []
    results = out / "results.jsonl"
    assert not results.exists() or results.stat().st_size == 0


def test_a_theory_sweep_names_the_point_beyond_2_to_the_n(tmp_path, capsys):
    config = tmp_path / "theory.toml"
    config.write_text(
        'command = "theory retrain"\n[fixed]\ninputs = "zero-one"\nq = 0.5\n'
        "associations = 9\nretrained = 3\nwithout-replacement = true\n[grid]\nn = [4, 3, 5]\n"
    )
    out = tmp_path / "out"
    assert main(["sweep", str(config), "--out", str(out), "--in-process", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastweights: error: config: point (n=3): associations: expected at most")
    assert not (out / "results.jsonl").exists()


def test_the_cli_starts_without_matplotlib_or_scipy_stats():
    code = (
        "import json, sys; import verification.cli as c; c.build_parser(); "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'matplotlib' or m.startswith('scipy.stats'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
