"""The user's input file, --retrained SPEC and default ε (verification/inputs_file.py)."""

from fractions import Fraction

import numpy as np
import pytest

from verification import inputs_file
from verification.errors import UsageError
from verification.inputs_file import (
    default_epsilon,
    load_inputs,
    parse_retrained,
    transfer_inputs,
)


def _refused(call, start):
    with pytest.raises(UsageError) as info:
        call()
    message = str(info.value)
    assert message.startswith(start), message
    assert "\n" not in message
    return message


def test_csv_and_npy_give_the_same_float64_array(tmp_path):
    x = np.array([[1, 0, -1], [0.5, 2, 3]])
    np.save(tmp_path / "x.npy", x)
    (tmp_path / "x.csv").write_text("# a comment\n1,0,-1\n\n0.5, 2 ,3\n")
    for name in ("x.npy", "x.csv"):
        got = load_inputs(tmp_path / name)
        assert got.dtype == np.float64 and np.array_equal(got, x)
    np.save(tmp_path / "b.npy", np.array([[True, False], [False, True]]))
    assert load_inputs(tmp_path / "b.npy").tolist() == [[1.0, 0.0], [0.0, 1.0]]
    (tmp_path / "col.CSV").write_text("1\n2\n3\n")  # one column: K = 3, n = 1
    assert load_inputs(tmp_path / "col.CSV").shape == (3, 1)


@pytest.mark.parametrize(
    ("name", "content", "start"),
    [
        ("x.txt", "1,2\n", "inputs: expected a file ending in .npy or .csv"),
        ("x.csv", "", "inputs: expected at least one row of numbers"),
        ("x.csv", "\n  \n# only a comment\n", "inputs: expected at least one row of numbers"),
        ("x.csv", "1,2,3\n4,5\n", "inputs: expected a CSV of numbers, one input vector per row"),
        ("x.csv", "a,b\n1,2\n", "inputs: expected a CSV of numbers"),
        ("x.csv", "1,2\n3,nan\n", "inputs: expected finite numbers"),
        ("x.csv", "1,inf\n3,4\n", "inputs: expected finite numbers"),
        ("x.csv", b"\xff\xfe\x00\x01", "inputs: expected a CSV of numbers"),
        ("x.npy", b"not a numpy file at all", "inputs: expected a valid .npy file"),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, name, content, start):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    _refused(lambda: load_inputs(path), start)


@pytest.mark.parametrize(
    ("array", "start"),
    [
        (np.ones(4), "inputs: expected a 2-D array"),
        (np.ones((2, 2, 2)), "inputs: expected a 2-D array"),
        (np.ones((0, 3)), "inputs: expected at least one row and one column"),
        (np.array([[1.0, np.nan]]), "inputs: expected finite numbers"),
        (np.array([["a", "b"]]), "inputs: expected an array of real numbers"),
        (np.array([[1 + 1j, 2]]), "inputs: expected an array of real numbers"),
        (np.array([[1, None]], dtype=object), "inputs: expected an array of real numbers"),
    ],
)
def test_bad_arrays_are_refused_in_one_line(tmp_path, array, start):
    path = tmp_path / "x.npy"
    np.save(path, array, allow_pickle=True)
    _refused(lambda: load_inputs(path), start)


def test_missing_file_directory_and_truncated_npy(tmp_path):
    _refused(lambda: load_inputs(tmp_path / "nope.csv"), "inputs: expected an existing")
    (tmp_path / "dir.npy").mkdir()
    _refused(lambda: load_inputs(tmp_path / "dir.npy"), "inputs: expected an existing")
    np.save(tmp_path / "x.npy", np.ones((50, 50)))
    data = (tmp_path / "x.npy").read_bytes()
    (tmp_path / "x.npy").write_bytes(data[: len(data) // 2])
    _refused(lambda: load_inputs(tmp_path / "x.npy"), "inputs: expected a valid .npy file")


def test_a_file_too_large_for_memory_is_refused_before_reading(tmp_path, monkeypatch):
    np.save(tmp_path / "x.npy", np.ones((100, 100)))
    (tmp_path / "x.csv").write_text("1,2\n" * 1000)
    monkeypatch.setattr(inputs_file, "available_memory", lambda: 20_000)
    read = []
    monkeypatch.setattr(np, "load", lambda *a, **k: read.append(a))
    monkeypatch.setattr(np, "loadtxt", lambda *a, **k: read.append(a))
    for name in ("x.npy", "x.csv"):
        message = _refused(lambda n=name: load_inputs(tmp_path / n), "inputs: expected work that")
        assert "needed" in message and "available" in message
    assert read == []


def test_unknown_available_memory_skips_the_check(monkeypatch):
    monkeypatch.setattr(inputs_file, "available_memory", lambda: None)
    inputs_file.check_fits("inputs", 10**30, "x")
    assert inputs_file.available_memory is not None


def test_available_memory_is_a_positive_number_here():
    from verification.inputs_file import available_memory

    memory = available_memory()
    assert memory is None or memory > 0


# ------------------------------------------------------------------------ SPEC


def test_spec_forms():
    assert parse_retrained("0,3,7", 10) == [0, 3, 7]
    assert parse_retrained(" 7 , 0,3", 10) == [0, 3, 7]
    assert parse_retrained("first:3", 10) == [0, 1, 2]
    assert parse_retrained("first : 9", 10) == list(range(9))
    drawn = parse_retrained("random:4", 10, seed=5)
    assert len(drawn) == 4 and len(set(drawn)) == 4 and drawn == sorted(drawn)
    assert parse_retrained("random:4", 10, seed=5) == drawn  # reproducible
    assert {tuple(parse_retrained("random:4", 10, seed=s)) for s in range(20)} != {tuple(drawn)}


def test_random_subset_is_its_own_stream():
    """random:M does not reuse the simulation's block streams SeedSequence(seed, (b,))."""
    seq = np.random.SeedSequence([3, inputs_file.RETRAINED_STREAM])
    expected = sorted(np.random.default_rng(seq).choice(50, size=7, replace=False).tolist())
    assert parse_retrained("random:7", 50, seed=3) == expected
    block0 = np.random.default_rng(np.random.SeedSequence(3, spawn_key=(0,)))
    assert sorted(block0.choice(50, size=7, replace=False).tolist()) != expected


@pytest.mark.parametrize(
    ("spec", "start"),
    [
        ("", "retrained: expected row indices such as 0,3,7"),
        ("a,b", "retrained: expected row indices such as 0,3,7"),
        ("1;2", "retrained: expected row indices such as 0,3,7"),
        ("1,-2", "retrained: expected row indices such as 0,3,7"),
        ("1.5", "retrained: expected row indices such as 0,3,7"),
        ("last:3", "retrained: expected row indices such as 0,3,7"),
        ("first:", "retrained: expected row indices such as 0,3,7"),
        ("first:-1", "retrained: expected row indices such as 0,3,7"),
        ("10", "retrained: expected row indices in [0, 10)"),
        ("1,1", "retrained: expected distinct row indices"),
        ("0,1,2,3,4,5,6,7,8,9", "retrained: expected between 1 and rows - 1 = 9 rows"),
        ("first:0", "retrained: expected a count between 1 and rows - 1 = 9"),
        ("random:0", "retrained: expected a count between 1 and rows - 1 = 9"),
        ("first:10", "retrained: expected a count between 1 and rows - 1 = 9"),
        ("random:11", "retrained: expected a count between 1 and rows - 1 = 9"),
    ],
)
def test_bad_specs_are_refused_in_one_line(spec, start):
    _refused(lambda: parse_retrained(spec, 10), start)


def test_one_row_and_negative_seed_are_refused():
    _refused(lambda: parse_retrained("0", 1), "retrained: expected a file of at least 2 rows")
    _refused(lambda: parse_retrained("random:2", 5, seed=-1), "seed: expected an integer >= 0")


# ------------------------------------------------------------------- default ε


def test_default_epsilon_is_exact_for_integers_and_stable():
    x = np.array([[1.0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 1]])
    eps = default_epsilon(x, [0, 1])  # A has eigenvalues 3, 1 (and 0): eps = 1/3
    assert eps == Fraction(1, 3)
    y = 0.5 * x
    lam = np.linalg.eigvalsh(y[:2].T @ y[:2]).max()
    assert default_epsilon(y, [0, 1]) == pytest.approx(1 / lam, rel=1e-14)
    rng = np.random.default_rng(np.random.SeedSequence(9))
    for _ in range(20):
        z = rng.integers(-3, 4, size=(6, 5)).astype(float)
        if not z[:3].any():
            continue
        eps = default_epsilon(z, [0, 1, 2])
        lam = np.linalg.eigvalsh(z[:3].T @ z[:3]).max()
        assert isinstance(eps, Fraction) and 0.5 < float(eps) * lam <= 1 + 1e-12


def test_all_zero_retrained_rows_are_refused():
    x = np.array([[0.0, 0], [1, 1]])
    _refused(lambda: default_epsilon(x, [0]), "retrained: expected rows with at least one")


def test_transfer_inputs_describes_the_choice(tmp_path):
    (tmp_path / "x.csv").write_text("1,0\n0,1\n1,1\n")
    given = transfer_inputs(str(tmp_path / "x.csv"), "first:2", 0, None)
    assert given.epsilon == Fraction(1) and given.describe()["epsilon_rule"] == "1/ceil(lambda_max)"
    given = transfer_inputs(str(tmp_path / "x.csv"), "2", 0, Fraction(1, 4))
    assert given.describe() == {
        "file": str(tmp_path / "x.csv"),
        "rows": 3,
        "columns": 2,
        "retrained": [2],
        "epsilon_rule": "given",
    }
