"""The deblurring experiment on the user's own associations (issue 22, items 1 and 4).

The paper's own random associations, written to files and given back with
``--inputs/--targets``, reproduce the default run bit for bit for the seed they belong to:
each seed still draws the paper's problem first (``simulation/deblur_associations.py``),
so its initial weights, its retraining order and (not given) its new associations are
the default run's. Every seed's stream is checked, not only seed 0's.
"""

import json
from dataclasses import fields

import numpy as np
import pytest

from simulation import ParameterError, run_deblur, run_deblur_conditions
from simulation.associations import Associations, array_sha256
from simulation.deblur_associations import input_codes
from verification.cli import main
from verification.errors import UsageError
from verification.inputs_file import file_sha256, load_associations

SHORT = {"original_sweeps": 40, "new_sweeps": 10, "retrain_sweeps": 3}
SHORT_ARGV = ["--original-sweeps", "40", "--new-sweeps", "10", "--retrain-sweeps", "3"]
SEEDS, SEED = 3, 4


@pytest.fixture(scope="module")
def default_run():
    """Today's default run (drawn associations), its per-seed numbers and its problems."""
    return run_deblur_conditions(
        seeds=SEEDS, retrain_fractions=(0.1, 0.5), seed=SEED, per_seed=True,
        capture_blurred=True, **SHORT,
    )  # fmt: skip


def _per_seed_rows(result, seed):
    """Every per-seed array of every condition, row ``seed``."""
    rows = {}
    for condition in result.conditions:
        for item in fields(condition.per_seed):
            value = getattr(condition.per_seed, item.name)
            if value is not None:
                rows[(condition.key, item.name)] = value[seed]
    return rows


def _assert_same_seed(got, expected, seed):
    got_rows, expected_rows = _per_seed_rows(got, seed), _per_seed_rows(expected, seed)
    assert got_rows.keys() == expected_rows.keys()
    for key, value in expected_rows.items():
        np.testing.assert_array_equal(got_rows[key], value, err_msg=str(key))


@pytest.mark.parametrize("seed", range(SEEDS))
@pytest.mark.parametrize("give_new", [False, True])
def test_a_seeds_own_associations_reproduce_its_default_numbers_bit_for_bit(
    default_run, seed, give_new
):
    blurred = default_run.blurred
    inputs, targets = blurred.old(seed)
    new = {}
    if give_new:
        new = {"new_inputs": blurred.new_inputs(seed), "new_targets": blurred.targets[seed, 100:]}
    associations = Associations(inputs, targets, **new)
    got = run_deblur_conditions(
        seeds=SEEDS, retrain_fractions=(0.1, 0.5), seed=SEED, per_seed=True,
        capture_blurred=True, associations=associations, **SHORT,
    )  # fmt: skip
    _assert_same_seed(got, default_run, seed)
    np.testing.assert_array_equal(got.blurred.weights[seed], blurred.weights[seed])
    np.testing.assert_array_equal(got.blurred.order, blurred.order)  # every seed's order
    for other in range(SEEDS):  # every seed learned the given associations
        np.testing.assert_array_equal(got.blurred.old(other)[0], inputs)
        np.testing.assert_array_equal(got.blurred.old(other)[1], targets)
    for other in {*range(SEEDS)} - {seed}:  # another problem: other numbers
        assert not np.array_equal(
            got.conditions[0].per_seed.retrained_error[other],
            default_run.conditions[0].per_seed.retrained_error[other],
        )
    np.testing.assert_array_equal(got.blurred.new_inputs(seed), blurred.new_inputs(seed))


def test_drawn_new_inputs_are_distinct_binary_vectors_never_an_old_input(default_run):
    """Seed 1's old problem given to every seed: the other seeds' drawn new codes may hit
    one of these old inputs, and are then passed over for a free code of the draw."""
    inputs, targets = default_run.blurred.old(1)
    got = run_deblur_conditions(
        seeds=12, retrain_fractions=(0.1,), seed=SEED, capture_blurred=True,
        include_control=False, associations=Associations(inputs, targets), **SHORT,
    )  # fmt: skip
    old = set(input_codes(inputs).tolist())
    assert len(old) == 100
    for seed in range(12):
        new = got.blurred.new_inputs(seed)
        codes = input_codes(new).tolist()
        assert len(codes) == 5 and len(set(codes)) == 5 and not old & set(codes)


def test_the_files_reproduce_the_default_command_line_run(tmp_path, capsys, default_run):
    """Seed 0's problem written to .npy and .csv files: the JSON of a one-seed run with
    --inputs/--targets is the default run's, with the files recorded in parameters."""
    argv = ["simulate", "deblur", "--seeds", "1", "--seed", str(SEED), "--json", "--quiet"]
    argv += [*SHORT_ARGV, "--retrain-fraction", "0.5"]
    assert main(argv) == 0
    expected = json.loads(capsys.readouterr().out)
    inputs, targets = default_run.blurred.old(0)
    np.save(tmp_path / "x.npy", inputs)
    np.savetxt(tmp_path / "t.csv", targets, delimiter=",")
    files = ["--inputs", str(tmp_path / "x.npy"), "--targets", str(tmp_path / "t.csv")]
    assert main([*argv, *files]) == 0
    got = json.loads(capsys.readouterr().out)
    source = got["parameters"].pop("associations_source")
    assert got == expected
    assert source["inputs"]["file"] == str(tmp_path / "x.npy")
    assert source["targets"]["sha256"] == file_sha256(tmp_path / "t.csv")
    assert source["targets"]["array_sha256"] == array_sha256(targets)
    assert source["new_inputs"] == source["new_targets"] == "drawn per seed"
    text = [a for a in argv if a != "--json"]
    assert main([*text, *files]) == 0  # the text names the files
    assert "your associations: inputs " + str(tmp_path / "x.npy") in capsys.readouterr().out


def test_same_seed_same_numbers_in_any_chunking_and_threads():
    rng = np.random.default_rng(7)
    inputs = rng.uniform(-1.0, 2.0, size=(12, 6))  # structured, not binary
    targets = rng.uniform(0.1, 0.9, size=(12, 3))
    associations = Associations(inputs, targets, inputs[:2] + 0.5, targets[:2])
    sizes = {"n_hidden": 8, "per_seed": True, **SHORT}
    runs = [
        run_deblur(seeds=5, seed=3, associations=associations, chunk_size=c, threads=t, **sizes)
        for c, t in ((1, 1), (2, 2), (5, 1))
    ]
    per_case = [
        run_deblur(seeds=3, seed=3, associations=associations, chunk_size=c, threads=t,
                   updates="per-case", **sizes)
        for c, t in ((1, 2), (3, 1))
    ]  # fmt: skip
    for group in (runs, per_case):
        for other in group[1:]:
            assert other.to_dict() == group[0].to_dict()
    result = runs[0]
    assert result.parameters["n_input"] == 6 and result.parameters["n_output"] == 3
    assert result.parameters["associations"] == 12
    assert result.parameters["new_associations"] == 2
    assert np.all(np.isfinite(result.per_seed.retrained_error))
    predicted = result.predicted_improvement_ratio  # first order, on these networks
    assert predicted is not None and np.isfinite(predicted.estimate)


def test_the_sizes_come_from_the_arrays_and_a_conflicting_one_is_refused():
    associations = Associations(np.eye(4), np.full((4, 2), 0.5))
    kwargs = {"seeds": 1, "associations": associations, **SHORT}
    for name, value in (("n_input", 5), ("n_output", 3), ("new_associations", 2)):
        given = Associations(np.eye(4), np.full((4, 2), 0.5), np.eye(4)[:1], np.ones((1, 2)))
        with pytest.raises(ParameterError, match=f"^{name}: expected ") as info:
            run_deblur(**{**kwargs, "associations": given, name: value})
        assert "\n" not in str(info.value)
    result = run_deblur(**kwargs, n_input=4, n_output=2, n_hidden=3)  # the same sizes: fine
    assert result.parameters["associations"] == 4
    with pytest.raises(ParameterError, match=r"^inputs: expected at most 62 columns"):
        run_deblur(seeds=1, associations=Associations(np.ones((2, 63)), np.ones((2, 1))))
    with pytest.raises(
        ParameterError, match=r"^inputs: expected rows \+ new associations <= 2\^2 = 4 "
    ):
        run_deblur(**{**kwargs, "associations": Associations(np.ones((4, 2)), np.ones((4, 1)))},
                   new_associations=1)  # fmt: skip
    with pytest.raises(ParameterError, match=r"^inputs: expected entries small enough"):
        run_deblur(seeds=1, associations=Associations(np.full((2, 4), 1e30), np.ones((2, 1))))
    with pytest.raises(ParameterError, match=r"^associations: expected an integer >= 1"):
        run_deblur(seeds=1, associations="my file")  # neither a count nor Associations


@pytest.mark.parametrize(
    ("arrays", "start"),
    [
        ((np.ones(3), np.ones((3, 1))), "inputs: expected a 2-D array"),
        ((np.ones((0, 2)), np.ones((0, 1))), "inputs: expected at least one row"),
        ((np.array([[1.0, np.nan]]), np.ones((1, 1))), "inputs: expected finite numbers"),
        ((np.array([["a"]]), np.ones((1, 1))), "inputs: expected a 2-D array of real numbers"),
        ((np.ones((3, 2)), np.ones((2, 1))), "targets: expected 3 rows, one per input row"),
        ((np.ones((1, 2)), np.array([[1.0001]])), "targets: expected targets in [0, 1]"),
        ((np.ones((1, 2)), np.array([[-1e-9]])), "targets: expected targets in [0, 1]"),
        ((np.ones((1, 2)), np.ones((1, 1)), np.ones((1, 2))), "new_targets: expected an array"),
        ((np.ones((1, 2)), np.ones((1, 1)), None, np.ones((1, 1))), "new_inputs: expected an"),
        (
            (np.ones((1, 2)), np.ones((1, 1)), np.ones((1, 3)), np.ones((1, 1))),
            "new_inputs: expected 2 columns",
        ),
        (
            (np.ones((1, 2)), np.ones((1, 1)), np.ones((2, 2)), np.ones((1, 1))),
            "new_targets: expected 2 rows",
        ),
        (
            (np.ones((1, 2)), np.ones((1, 1)), np.ones((1, 2)), np.ones((1, 2))),
            "new_targets: expected 1 columns",
        ),
        (
            (np.ones((1, 2)), np.ones((1, 1)), np.ones((1, 2)), np.full((1, 1), 2.0)),
            "new_targets: expected targets in [0, 1]",
        ),
    ],
)
def test_bad_arrays_are_refused_in_one_line_naming_the_field(arrays, start):
    with pytest.raises(ParameterError) as info:
        Associations(*arrays)
    assert str(info.value).startswith(start) and "\n" not in str(info.value)


def test_targets_may_be_exactly_0_and_1_and_the_arrays_are_frozen_copies():
    inputs = np.array([[0.0, 1.0]])
    associations = Associations(inputs, np.array([[0, 1]]))  # integers, the closed ends
    assert associations.targets.dtype == np.float64
    inputs[0, 0] = 5.0
    assert associations.inputs[0, 0] == 0.0
    with pytest.raises(ValueError):
        associations.inputs[0, 0] = 1.0


def _write(path, array):
    if path.suffix == ".npy":
        np.save(path, array)
    else:
        np.savetxt(path, array, delimiter=",")
    return path


def test_load_associations_reads_npy_and_csv_and_records_the_files(tmp_path):
    x = _write(tmp_path / "x.csv", np.eye(3))
    t = _write(tmp_path / "t.npy", np.full((3, 2), 0.25))
    xn = _write(tmp_path / "xn.npy", np.ones((1, 3)))
    tn = _write(tmp_path / "tn.csv", np.zeros((1, 2)))
    loaded = load_associations(x, t, xn, tn)
    np.testing.assert_array_equal(loaded.inputs, np.eye(3))
    assert loaded.new_count == 1 and loaded.n_output == 2
    assert loaded.source["new_targets"] == {"file": str(tn), "sha256": file_sha256(tn)}
    assert load_associations(x, t).new_inputs is None


@pytest.mark.parametrize(
    ("files", "start"),
    [
        ({"targets": ("t.txt", "1\n")}, "targets: expected a file ending in .npy or .csv"),
        ({"targets": ("t.csv", "")}, "targets: expected at least one row of numbers"),
        ({"targets": ("t.csv", "1,2\n3\n")}, "targets: expected a CSV of numbers, one target"),
        ({"targets": ("t.csv", "nan\n1\n0\n")}, "targets: expected finite numbers"),
        ({"targets": ("t.csv", "1\n0\n")}, "targets: expected 3 rows"),
        ({"targets": ("t.csv", "1\n0\n1.5\n")}, "targets: expected targets in [0, 1]"),
        ({"inputs": ("x.npy", b"not numpy")}, "inputs: expected a valid .npy file"),
        ({"new_inputs": ("xn.csv", "1,0\n")}, "new_inputs: expected 3 columns"),
        ({"new_targets": ("tn.csv", "-0.5\n")}, "new_targets: expected targets in [0, 1]"),
        ({"new_targets": ("tn.npy", None)}, "new_targets: expected an existing, readable file"),
    ],
)
def test_bad_files_are_refused_in_one_line_naming_the_option(tmp_path, files, start):
    paths = {
        "inputs": _write(tmp_path / "x.csv", np.eye(3)),
        "targets": _write(tmp_path / "t.csv", np.ones((3, 1))),
        "new_inputs": _write(tmp_path / "xn.csv", np.ones((1, 3))),
        "new_targets": _write(tmp_path / "tn.csv", np.ones((1, 1))),
    }
    for name, (file_name, content) in files.items():
        path = tmp_path / ("bad-" + file_name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
        paths[name] = path
    with pytest.raises(ParameterError) as info:
        load_associations(**paths)
    assert str(info.value).startswith(start), str(info.value)
    assert "\n" not in str(info.value)


def test_new_inputs_without_new_targets_is_refused(tmp_path):
    x = _write(tmp_path / "x.csv", np.eye(2))
    t = _write(tmp_path / "t.csv", np.ones((2, 1)))
    with pytest.raises(UsageError, match=r"^new_targets: expected a file as well \(with --new-"):
        load_associations(x, t, new_inputs=x)
    with pytest.raises(UsageError, match=r"^new_inputs: expected a file as well \(with --new-"):
        load_associations(x, t, new_targets=t)


@pytest.fixture
def files(tmp_path):
    return {
        "x": str(_write(tmp_path / "x.npy", np.eye(4))),
        "t": str(_write(tmp_path / "t.csv", np.full((4, 2), 0.5))),
        "wide": str(_write(tmp_path / "wide.csv", np.full((4, 2), 2.0))),
        "short": str(_write(tmp_path / "short.csv", np.full((3, 2), 0.5))),
    }


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--inputs", "{x}"], "--targets"),
        (["--inputs", "{x}", "--targets", "0.1,0.9"], "--targets"),
        (["--targets", "{t}"], "--inputs"),
        (["--new-inputs", "{x}"], "--new-inputs"),
        (["--inputs", "{x}", "--targets", "{wide}"], "--targets"),
        (["--inputs", "{x}", "--targets", "{short}"], "--targets"),
        (["--inputs", "{x}", "--targets", "{t}", "--new-inputs", "{x}"], "--new-targets"),
        (["--inputs", "{x}", "--targets", "{t}", "--n-input", "3"], "--n-input"),
        (["--inputs", "{x}", "--targets", "{t}", "--n-output", "3"], "--n-output"),
        (["--inputs", "{x}", "--targets", "{t}", "--associations", "5"], "--associations"),
        (["--inputs", "{x}.missing.npy", "--targets", "{t}"], "--inputs"),
    ],
)
def test_bad_files_at_the_command_line_are_one_line_exit_2(capsys, files, args, flag):
    argv = ["simulate", "deblur", "--seeds", "1", "--quiet", *SHORT_ARGV]
    assert main([*argv, *(a.format(**files) for a in args)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"fastweights: error: {flag}: expected"), err


def test_inputs_wider_than_the_papers_twenty_units_are_taken():
    """A researcher's inputs are often wider than 20 units: up to 62 (the draw's codes are
    64-bit integers); each seed learns these very rows, drawn new ones are distinct 0/1
    rows of the same width."""
    rng = np.random.default_rng(np.random.SeedSequence(50))
    inputs = (rng.random((30, 50)) < 0.3).astype(float)
    targets = rng.integers(0, 2, (30, 3)).astype(float)
    run = run_deblur_conditions(
        seeds=2, retrain_fractions=(0.5,), include_control=False, per_seed=True,
        capture_blurred=True, associations=Associations(inputs, targets),
        original_sweeps=50, new_sweeps=10, retrain_sweeps=2, n_hidden=12,
    )  # fmt: skip
    assert run.parameters["n_input"] == 50
    for s in range(2):
        old_inputs, old_targets = run.blurred.old(s)
        np.testing.assert_array_equal(old_inputs, inputs)
        np.testing.assert_array_equal(old_targets, targets)
        new = run.blurred.new_inputs(s)
        assert new.shape[1] == 50 and set(np.unique(new)) <= {0.0, 1.0}
        rows = {tuple(r) for r in np.concatenate([inputs, new])}
        assert len(rows) == len(inputs) + len(new)
