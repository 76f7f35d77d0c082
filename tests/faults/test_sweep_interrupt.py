"""Ctrl-C during a sweep on a LocalCluster: exit 130, one line, no worker's traceback.

A terminal sends SIGINT to the whole foreground process group: the ``fastweights``
process and every Dask worker it started. The workers start with SIGINT blocked
(:func:`verification.sweep.execute._sigint_blocked`); before, a worker caught in its event
loop or still importing printed ``CancelledError``/``KeyboardInterrupt`` tracebacks. The
moments below cover a worker starting up, idle and computing (issue 18).
"""

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

SWEEP = """command = "simulate pair"
seed = 1
[fixed]
a = [1, 1, 0, 0]
b = [1, 0, 1, 0]
[grid]
trials = [30000000, 30000001, 30000002, 30000003]
"""


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _worker_pids(pid: int) -> set[int]:
    """The descendants running a Dask worker (not the resource tracker)."""
    found = set()
    for child in descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.add(child)
    return found


@pytest.mark.parametrize("moment", ["starting", "idle", "computing"])
def test_ctrl_c_on_a_local_cluster_is_exit_130_and_one_line(tmp_path, moment):
    pytest.importorskip("distributed")
    (tmp_path / "k.toml").write_text(SWEEP)
    process = subprocess.Popen(
        cli_argv(["sweep", "k.toml", "--workers", "2"]),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    family: set[int] = set()
    try:
        assert _wait_for(lambda: len(_worker_pids(process.pid)) >= 1, 60), "no worker started"
        if moment == "starting":
            time.sleep(0.2)  # a worker is importing
        elif moment == "idle":
            time.sleep(1.5)
        else:
            manifest = tmp_path / "k-sweep" / "manifest.json"
            assert _wait_for(manifest.exists, 60), "the sweep did not start computing"
            time.sleep(1.0)
        family = descendants(process.pid)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        process.wait(timeout=60)
        assert _wait_for(lambda: not any(alive(pid) for pid in family), 20)
    finally:
        for pid in family | {process.pid}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.wait(timeout=30)
    assert process.stderr is not None
    with process.stderr:
        err = process.stderr.read().decode()
    assert "Traceback" not in err, err
    assert process.returncode == 130 and err == "fastweights: interrupted\n", err
