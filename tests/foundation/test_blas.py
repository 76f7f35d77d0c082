"""foundation.blas: the fastweights command runs OpenBLAS's Haswell kernels wherever the CPU
can, so a seed gives the same numbers on every such machine; a user's own choice wins."""

import json
import os
import subprocess
import sys

import pytest

from foundation.blas import PINNED_KERNELS, can_pin

CAN_PIN = can_pin()

PROBE = """
import json, sys
from foundation.blas import kernels, pin_kernels
if sys.argv[1] == "numpy-first":
    import numpy
pinned = pin_kernels()
import os
print(json.dumps([pinned, os.environ.get("OPENBLAS_CORETYPE"), kernels()]))
"""


def _probe(order, **env):
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, order],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.skipif(not CAN_PIN, reason="this CPU has no AVX2+FMA: OpenBLAS chooses")
def test_before_numpy_it_pins_the_haswell_kernels():
    assert _probe("pin-first") == [True, PINNED_KERNELS, PINNED_KERNELS]


def test_after_numpy_it_changes_nothing():
    pinned, variable, _ = _probe("numpy-first")
    assert (pinned, variable) == (False, None)


@pytest.mark.skipif(not CAN_PIN, reason="needs x86-64 kernels and scipy-openblas")
def test_a_users_own_choice_wins():
    pinned, variable, running = _probe("pin-first", OPENBLAS_CORETYPE="Sandybridge")
    assert (pinned, variable, running) == (False, "Sandybridge", "Sandybridge")


@pytest.mark.skipif(not CAN_PIN, reason="this CPU has no AVX2+FMA: OpenBLAS chooses")
def test_the_command_records_the_kernels_it_ran(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    out = tmp_path / "results.json"
    subprocess.run(
        [sys.executable, "-m", "verification.cli", "verify", "--quick", "--claim",
         "eq2-zero-one", "--json", str(out)],
        env=clean, capture_output=True, check=True,
    )  # fmt: skip
    assert json.loads(out.read_text())["meta"]["versions"]["openblas_kernels"] == PINNED_KERNELS
