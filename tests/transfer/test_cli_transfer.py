"""``fastweights theory transfer`` and ``simulate transfer``: output, and every refusal as
one line on stderr with exit status 2."""

import json

import numpy as np
import pytest

from verification import inputs_file
from verification.cli import main
from verification.command_registry import command_modules
from verification.errors import USER_ERRORS
from verification.sweep.command import leaf_parser

COMMANDS = (("theory", "transfer"), ("simulate", "transfer"))
QUICK = {("theory", "transfer"): [], ("simulate", "transfer"): ["--trials", "200", "--quiet"]}


@pytest.fixture
def pair_csv(tmp_path):
    """a = 1100 (retrained), b = 1010: ratio (a.b)^2/|a|^4 = 1/4; lambda_max = 2."""
    path = tmp_path / "pair.csv"
    path.write_text("1,1,0,0\n1,0,1,0\n")
    return str(path)


@pytest.fixture
def patterns(tmp_path):
    rng = np.random.default_rng(np.random.SeedSequence(40))
    bits = rng.integers(0, 2, size=(40, 20))
    np.save(tmp_path / "p01.npy", bits)
    np.savetxt(tmp_path / "pm.csv", 2 * bits - 1, fmt="%d", delimiter=",")
    return tmp_path


def _json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


def test_theory_json_is_exact_for_a_hand_computed_pair(capsys, pair_csv):
    data = _json(capsys, ["theory", "transfer", "--inputs", pair_csv, "--retrained", "0",
                          "--steps", "2"])  # fmt: skip
    assert data["arithmetic"] == "exact"
    assert data["epsilon_exact"] == "1/2" and data["inputs"]["epsilon_rule"] == "1/ceil(lambda_max)"
    assert data["improvement_ratio_exact"] == "1/4" and data["improvement_ratio"] == 0.25
    assert data["expected_errors"] == {
        "steps": [0, 1, 2],
        "retrained": [1.0, 0.0, 0.0],
        "unretrained": [1.0, 0.75, 0.75],
    }
    assert data["inputs"]["retrained"] == [0] and data["steps"] == 2


def test_theory_options_epsilon_and_noise_sd_stay_exact(capsys, pair_csv):
    argv = ["theory", "transfer", "--inputs", pair_csv, "--retrained", "0", "--steps", "1"]
    data = _json(capsys, [*argv, "--epsilon", "1/4", "--noise-sd", "0.5"])
    assert data["epsilon_exact"] == "1/4" and data["inputs"]["epsilon_rule"] == "given"
    # E_0 = sigma^2 |b|^2 / 2 = 1/4; |(I - A/4) b|^2 = 2 - 2/4 + 2/16 = 13/8: E_1 = 13/64
    assert data["expected_errors"]["unretrained"] == [0.25, 13 / 64]
    assert data["improvement_ratio_exact"] == "1/4"


def test_simulate_json_measures_what_theory_computes(capsys, patterns):
    argv = ["--inputs", str(patterns / "p01.npy"), "--retrained", "random:10", "--steps", "3",
            "--seed", "3"]  # fmt: skip
    exact = _json(capsys, ["theory", "transfer", *argv])
    measured = _json(capsys, ["simulate", "transfer", *argv, "--trials", "4000", "--quiet"])
    assert exact["inputs"] == measured["inputs"]  # the same random:10 rows, the same epsilon
    assert exact["epsilon"] == measured["parameters"]["epsilon"]
    for key in ("improvement_ratio", "improvement_ratio_finite_step"):
        assert measured[key]["ci_low"] <= exact[key] <= measured[key]["ci_high"]
    for side in ("retrained", "unretrained"):
        sim = measured["expected_errors"][side]
        assert all(
            lo <= value <= hi
            for value, lo, hi in zip(exact["expected_errors"][side], sim["ci_low"], sim["ci_high"],
                                     strict=True)
        )  # fmt: skip
    assert measured["trials"] == 4000 and measured["seed"] == 3


def test_float64_for_real_valued_inputs(capsys, tmp_path):
    path = tmp_path / "real.csv"
    path.write_text("0.5,1.25,-1\n1,0,0.75\n-0.5,2,1\n")
    data = _json(capsys, ["theory", "transfer", "--inputs", str(path), "--retrained", "0,2"])
    assert data["arithmetic"] == "float64" and "improvement_ratio_exact" not in data
    assert data["inputs"]["epsilon_rule"] == "1/lambda_max"
    assert len(data["expected_errors"]["retrained"]) == 21  # default --steps 20


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_text_output(capsys, pair_csv, path):
    assert main([*path, "--inputs", pair_csv, "--retrained", "0", "--steps", "2",
                 *QUICK[path]]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "improvement ratio, first order" in out and "2 rows x 4 columns" in out
    assert out.count("\n") >= 8
    if path[0] == "theory":
        assert "0.2500 (= 1/4)" in out and "0.5 (= 1/2), 1/ceil(lambda_max)" in out


# ------------------------------------------------------------------------ refusals


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, np.ndarray):
        np.save(path, content, allow_pickle=True)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return str(path)


GOOD = "1,0,1\n0,1,1\n1,1,0\n"
FILES = [
    ("x.txt", GOOD, "inputs: expected a file ending in .npy or .csv"),
    ("x.csv", "", "inputs: expected at least one row of numbers"),
    ("x.csv", "1,2,3\n4,5\n", "inputs: expected a CSV of numbers"),
    ("x.csv", "1,2\nx,y\n", "inputs: expected a CSV of numbers"),
    ("x.csv", "1,2\n3,nan\n", "inputs: expected finite numbers"),
    ("x.npy", np.array([[1.0, np.inf], [0, 1]]), "inputs: expected finite numbers"),
    ("x.npy", np.arange(4.0), "inputs: expected a 2-D array"),
    ("x.npy", np.ones((2, 2, 2)), "inputs: expected a 2-D array"),
    ("x.npy", np.ones((0, 2)), "inputs: expected at least one row and one column"),
    ("x.npy", np.array([["1", "0"], ["0", "1"]]), "inputs: expected an array of real numbers"),
    ("x.npy", b"garbage", "inputs: expected a valid .npy file"),
]
SPECS = [
    ("first:0", "retrained: expected a count between 1 and rows - 1 = 2"),
    ("random:3", "retrained: expected a count between 1 and rows - 1 = 2"),
    ("0,1,2", "retrained: expected between 1 and rows - 1 = 2 rows"),
    ("3", "retrained: expected row indices in [0, 3)"),
    ("1,1", "retrained: expected distinct row indices"),
    ("one", "retrained: expected row indices such as 0,3,7"),
    ("0,-1", "retrained: expected row indices such as 0,3,7"),
]
OPTIONS = [
    (["--epsilon", "1"], "epsilon: expected a stable step in (0, 2/lambda_max)"),
    (["--epsilon", "0"], "epsilon: expected a finite number > 0"),
    (["--epsilon=-1/2"], "epsilon: expected a finite number > 0"),
    (["--noise-sd", "0"], "noise_sd: expected a finite number > 0"),
    (["--steps", "-1"], "steps: expected an integer >= 0"),
    (["--seed", "-1", "--retrained", "random:1"], "seed: expected an integer >= 0"),
]


def _assert_one_line_exit_2(capsys, argv, start):
    assert main(argv) == 2, argv
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    name, _, rest = start.partition(":")  # errors name the option as typed: --noise-sd
    start = f"--{name.replace('_', '-')}:{rest}" if not name.startswith("--") else start
    assert captured.err.startswith(f"fastweights: error: {start}"), captured.err


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("name", "content", "start"), FILES, ids=[f[2][17:40] for f in FILES])
def test_bad_files_are_one_line_exit_2(capsys, tmp_path, path, name, content, start):
    file = _write(tmp_path, name, content)
    _assert_one_line_exit_2(capsys, [*path, "--inputs", file, "--retrained", "0", "--json",
                                     *QUICK[path]], start)  # fmt: skip


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("spec", "start"), SPECS, ids=[s for s, _ in SPECS])
def test_bad_specs_are_one_line_exit_2(capsys, tmp_path, path, spec, start):
    file = _write(tmp_path, "x.csv", GOOD)
    _assert_one_line_exit_2(capsys, [*path, "--inputs", file, "--retrained", spec, *QUICK[path]],
                            start)  # fmt: skip


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("extra", "start"), OPTIONS, ids=[o[1][:12] for o in OPTIONS])
def test_bad_options_are_one_line_exit_2(capsys, tmp_path, path, extra, start):
    file = _write(tmp_path, "x.csv", GOOD)
    argv = [*path, "--inputs", file, "--retrained", "0", *QUICK[path], *extra]
    _assert_one_line_exit_2(capsys, argv, start)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_missing_file_and_zero_retrained_rows(capsys, tmp_path, path):
    missing = str(tmp_path / "nope.npy")
    _assert_one_line_exit_2(capsys, [*path, "--inputs", missing, "--retrained", "0"],
                            "inputs: expected an existing, readable file")  # fmt: skip
    file = _write(tmp_path, "z.csv", "0,0\n1,1\n")
    _assert_one_line_exit_2(capsys, [*path, "--inputs", file, "--retrained", "0"],
                            "retrained: expected rows with at least one nonzero input")  # fmt: skip
    _assert_one_line_exit_2(
        capsys,
        [*path, "--inputs", file, "--retrained", "0", "--epsilon", "0.1"],
        "retrained: expected rows with at least one nonzero input",
    )


def test_simulate_only_options(capsys, tmp_path):
    file = _write(tmp_path, "x.csv", GOOD)
    base = ["simulate", "transfer", "--inputs", file, "--retrained", "0"]
    with pytest.raises(SystemExit) as info:  # too few trials for an interval: the parser's
        main([*base, "--trials", "1"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--trials" in err
    _assert_one_line_exit_2(capsys, [*base, "--decay", "0", "--blur", "decay"], "decay: expected")
    _assert_one_line_exit_2(capsys, [*base, "--chunk-size", "0"], "chunk_size: expected")


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_files_and_work_too_large_for_memory(capsys, tmp_path, monkeypatch, path):
    file = _write(tmp_path, "x.npy", np.ones((300, 300)))
    monkeypatch.setattr(inputs_file, "available_memory", lambda: 1_000_000)  # budget 0.5 MB
    _assert_one_line_exit_2(capsys, [*path, "--inputs", file, "--retrained", "0"],
                            "inputs: expected work that fits in memory")  # fmt: skip
    small = _write(tmp_path, "s.csv", GOOD)
    monkeypatch.setattr(inputs_file, "available_memory", lambda: 200_000)
    start = "inputs" if path[0] == "theory" else "trials"
    argv = [*path, "--inputs", small, "--retrained", "0", "--steps", "5000"]
    if path[0] == "simulate":
        argv = [*path, "--inputs", small, "--retrained", "0", "--trials", "100000"]
    _assert_one_line_exit_2(capsys, argv, f"{start}: expected work that fits in memory")


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    "extra", [["--steps", "x"], ["--epsilon", "abc"], ["--noise-sd", "nan"], ["--blur", "fog"]]
)
def test_unparseable_options_are_one_line_exit_2(capsys, tmp_path, path, extra):
    file = _write(tmp_path, "x.csv", GOOD)
    with pytest.raises(SystemExit) as info:
        main([*path, "--inputs", file, "--retrained", "0", *extra])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1


# ------------------------------------------------------------------------ validate


def _options(path, argv):
    return leaf_parser(command_modules()[path].__name__).parse_args(argv)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_validate_raises_what_run_raises_and_does_no_work(tmp_path, monkeypatch, path):
    import simulation
    import theory

    def fail(*_args, **_kwargs):
        raise AssertionError("the expensive part of the command ran")

    monkeypatch.setattr(theory, "vector_transfer", fail)
    monkeypatch.setattr(simulation, "simulate_vector_transfer", fail)
    module = command_modules()[path]
    file = _write(tmp_path, "x.csv", GOOD)
    assert module.validate(_options(path, ["--inputs", file, "--retrained", "random:2"])) is None
    for argv in (["--inputs", file, "--retrained", "5"], ["--inputs", file + "x", "--retrained",
                 "0"], ["--inputs", file, "--retrained", "0", "--epsilon", "3"]):  # fmt: skip
        with pytest.raises(USER_ERRORS) as by_validate:
            module.validate(_options(path, argv))
        with pytest.raises(USER_ERRORS) as by_run:
            module.run(_options(path, argv))
        assert str(by_validate.value) == str(by_run.value)
