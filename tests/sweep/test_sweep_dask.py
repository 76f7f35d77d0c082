"""On a 2-worker LocalCluster over loopback: the same rows as in-process; nothing lost when
the client or a worker is killed mid-sweep."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sweep_fakes import ENVIRONMENT
from sweep_helpers import rows_without_wall_time

from verification.sweep import run_sweep

pytest.importorskip("distributed")

SLOW_POINTS = """
    command = "simulate fake"
    seed = 5
    [fixed]
    sleep = {sleep}
    trials = 200
    [grid]
    x = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    flag = [false, true]
    """


def complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.slow  # LocalCluster workers import numpy/sympy on first use
def test_cluster_rows_equal_in_process_rows(
    cluster, write_config, fake_modules, reference_rows, tmp_path
):
    config = write_config(SLOW_POINTS.format(sleep=0.05))
    summary = run_sweep(
        config, tmp_path / "dask", scheduler=cluster.scheduler_address, quiet=True,
        command_modules=fake_modules,
    )  # fmt: skip
    assert (summary.computed, summary.failed) == (16, [])
    assert summary.execution.startswith(f"Dask scheduler {cluster.scheduler_address} (2 workers")
    assert rows_without_wall_time(tmp_path / "dask") == reference_rows(config)


@pytest.mark.slow  # LocalCluster workers import numpy/sympy on first use
def test_a_worker_killed_mid_point_loses_no_point(
    cluster, cluster_client, write_config, fake_modules, reference_rows, tmp_path
):
    config = write_config(SLOW_POINTS.format(sleep=0.3))
    out = tmp_path / "dask"
    pids = cluster_client.run(os.getpid)
    killed: dict[str, str] = {}

    def kill_a_busy_worker() -> None:
        wait_for(lambda: complete_lines(out / "results.jsonl") >= 2, 60, "the first rows")
        executing = cluster_client.run(
            lambda dask_worker: [str(task.key) for task in dask_worker.state.executing]
        )
        address, keys = next((a, k) for a, k in executing.items() if k)
        os.kill(pids[address], signal.SIGKILL)
        killed["key"] = keys[0].split("-")[2]
        killed["rows then"] = str(complete_lines(out / "results.jsonl"))

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    summary = run_sweep(
        config, out, scheduler=cluster.scheduler_address, quiet=True, command_modules=fake_modules
    )
    killer.join()
    assert "key" in killed, "no worker was killed"
    assert int(killed["rows then"]) < 16, "the kill came after the sweep had finished"
    assert (summary.computed, summary.failed) == (16, [])
    rows = rows_without_wall_time(out)  # raises if a point were recorded twice
    assert killed["key"] in rows
    assert rows == reference_rows(config)
    cluster_client.wait_for_workers(2, timeout=60)


@pytest.mark.slow
def test_a_client_killed_mid_sweep_then_resumed_gives_the_rows_of_an_uninterrupted_sweep(
    cluster, write_config, fake_modules, reference_rows, tmp_path
):
    config = write_config(SLOW_POINTS.format(sleep=0.3))
    out = tmp_path / "killed"
    command = [
        sys.executable, "-m", "sweep_fakes", "sweep", str(config),
        "--out", str(out), "--workers", "2", "--quiet",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, start_new_session=True, stderr=subprocess.DEVNULL, env=ENVIRONMENT
    )
    try:
        wait_for(lambda: complete_lines(out / "results.jsonl") >= 3, 120, "rows from the sweep")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        landed = complete_lines(out / "results.jsonl")
        assert 3 <= landed < 16, "the sweep must be killed mid-way"
        # The LocalCluster's worker processes die with the client that started them.
        wait_for(lambda: not _group_alive(process.pid), 30, "the killed sweep's workers to exit")
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["state"] == "running"  # never marked complete
    summary = run_sweep(
        config, out, resume=True, scheduler=cluster.scheduler_address, quiet=True,
        command_modules=fake_modules,
    )  # fmt: skip
    assert (summary.already_done, summary.computed, summary.failed) == (landed, 16 - landed, [])
    assert rows_without_wall_time(out) == reference_rows(config)
    assert json.loads((out / "sweep.json").read_text())["state"] == "complete"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
