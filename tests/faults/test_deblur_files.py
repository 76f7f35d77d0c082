"""Issue 22: ``simulate deblur --inputs/--targets`` files that cannot be used are one line on
stderr, exit 2, naming the option, in a fresh process (no traceback, no warning)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.faults.fault_helpers import run_cli

SHORT = ["--seeds", "1", "--original-sweeps", "2", "--new-sweeps", "1", "--retrain-sweeps", "1"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("deblur-files")
    np.save(path / "x.npy", np.eye(4))
    np.savetxt(path / "t.csv", np.full((4, 2), 0.5), delimiter=",")
    (path / "ragged.csv").write_text("0.5,0.5\n0.5\n0.5,0.5\n0.5,0.5\n")
    np.save(path / "high.npy", np.full((4, 2), 1.5))
    np.save(path / "nan.npy", np.full((4, 2), np.nan))
    (path / "pickle.npy").write_bytes(b"\x93NUMPY garbage")
    return path


@pytest.mark.parametrize(
    ("files", "option", "words"),
    [
        (["--inputs", "x.npy", "--targets", "ragged.csv"], "--targets", "a CSV of numbers"),
        (["--inputs", "x.npy", "--targets", "high.npy"], "--targets", "targets in [0, 1]"),
        (["--inputs", "x.npy", "--targets", "nan.npy"], "--targets", "finite numbers"),
        (["--inputs", "pickle.npy", "--targets", "t.csv"], "--inputs", "a valid .npy file"),
        (["--inputs", "x.npy", "--targets", "t.csv", "--new-targets", "t.csv"], "--new-inputs",
         "a file as well"),
    ],
)  # fmt: skip
def test_an_unusable_file_is_one_line_naming_its_option(folder, files, option, words):
    args = [str(folder / a) if a.endswith((".npy", ".csv")) else a for a in files]
    result = run_cli(["simulate", "deblur", *SHORT, *args])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"fastweights: error: {option}: expected {words}"), lines[0]
    assert result.stdout == ""
