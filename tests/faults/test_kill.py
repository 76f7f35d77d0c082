"""Killing ``report``, ``verify`` or ``sweep`` leaves no process running and no stray file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fault_helpers import alive, cli_argv, descendants

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _start(args: list[str], cwd: Path, workers: int) -> tuple[subprocess.Popen[bytes], set[int]]:
    """Start ``fastweights ARGS``; return it once it has ``workers`` descendants working."""
    process = subprocess.Popen(
        cli_argv(args),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert _wait_for(lambda: len(descendants(process.pid)) >= workers, 30), "no workers"
    time.sleep(1.0)  # let them get into their computation
    return process, descendants(process.pid)


def _finish(process: subprocess.Popen[bytes], family: set[int]) -> str:
    try:
        process.wait(timeout=30)
        assert _wait_for(lambda: not any(alive(pid) for pid in family), 10), [
            pid for pid in family if alive(pid)
        ]
    finally:
        for pid in family | {process.pid}:  # never leave anything behind, even on failure
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert process.stderr is not None
    with process.stderr:
        return process.stderr.read().decode()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
@pytest.mark.parametrize(
    "args",
    [["report", "--quick", "--quiet", "--out", "out"], ["verify", "--quick", "--quiet"]],
    ids=["report", "verify"],
)
def test_a_killed_run_leaves_no_worker_and_no_file(tmp_path, args, sig):
    process, family = _start(args, tmp_path, workers=1)
    os.kill(process.pid, sig)
    err = _finish(process, family)
    if sig == signal.SIGTERM:
        assert process.returncode == 143 and err == "fastweights: terminated\n"
    assert _files(tmp_path) == []  # not even the --out directory: it is made at the end


SWEEP = """command = "simulate pair"
seed = 1
[fixed]
a = [1, 1, 0, 0]
b = [1, 0, 1, 0]
[grid]
trials = [3000000, 3000001, 3000002, 3000003]
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_a_killed_sweep_leaves_no_worker_and_no_temporary_file(tmp_path, sig):
    pytest.importorskip("distributed")
    (tmp_path / "k.toml").write_text(SWEEP)
    process, family = _start(["sweep", "k.toml", "--workers", "2"], tmp_path, workers=3)
    os.kill(process.pid, sig)
    err = _finish(process, family)
    files = _files(tmp_path)
    assert not [f for f in files if ".tmp" in f]
    if sig == signal.SIGTERM:
        assert process.returncode == 143
        assert err == "fastweights: terminated\n"
        if "k-sweep/results.jsonl" not in files:  # no row yet: nothing of the run is left
            assert files == ["k.toml"]
