"""``fastweights simulate two-sets``: its JSON, its one-line errors, and ``--verify-seed``
(the seed the Sec. 6 claims use)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from verification.engine.model import claim_seed

TINY = [
    *("--seeds", "2", "--lengths", "3,6", "--associations", "8", "--new-associations", "2"),
    *("--n-input", "4", "--n-hidden", "5", "--n-output", "3", "--new-sweeps", "4"),
    *("--retrain-sweeps", "5", "--quiet"),
]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verification.cli", "simulate", "two-sets", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_json_has_every_length_and_the_trends():
    done = _cli(*TINY, "--json", "--verify-seed", "1987")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["seed"] == claim_seed(1987, "two-sets") % (2**63)
    assert [row["original_sweeps"] for row in result["lengths"]] == [3, 6]
    assert set(result["trend_per_decade"]) == {
        "transfer_sweep_1", "transfer_sweep_5", "cos_ab", "joint_active"
    }  # fmt: skip
    again = json.loads(_cli(*TINY, "--json", "--verify-seed", "1987").stdout)
    assert again == result


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--lengths", "6,3"], "--lengths"),
        (["--lengths", "a,b"], "--lengths"),
        (["--original-sweeps", "10"], "--original-sweeps"),
        (["--set-size", "5"], "--set-size"),
    ],
)
def test_bad_options_are_one_line(args, name):
    done = _cli(*TINY, *args)
    assert done.returncode == 2
    assert name in done.stderr and len(done.stderr.strip().splitlines()) == 1
