"""Oversize requests are refused up front, in one line naming the option and the limit."""

from __future__ import annotations

import time

import pytest
from fault_helpers import run_cli

from verification.errors import UsageError
from verification.resources import Need, check_needs, format_bytes, memory_limit

PAIR = ["simulate", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0"]
RETRAIN = ["simulate", "retrain", "--inputs", "zero-one", "--q", "0.5", "--n", "10"]
GEOMETRY = ["simulate", "geometry", "--angle", "30", "--contraction", "0.5"]

OVERSIZE = [
    ([*RETRAIN, "--associations", "1000000000", "--retrained", "50"], "--associations", "memory"),
    ([*RETRAIN, "--associations", "100000", "--retrained", "5", "--trials", "10000000"],
     "--associations", "finishes"),
    ([*GEOMETRY, "--steps", "1000000000"], "--steps", "finishes"),
    ([*PAIR, "--trials", "1000000000000"], "--trials", "finishes"),
    (["simulate", "deblur", "--seeds", "100000000"], "--seeds", "finishes"),
    (["simulate", "deblur", "--original-sweeps", "1000000000"], "--original-sweeps", "finishes"),
    (["simulate", "deblur-sensitivity", "--axis", "n_hidden=10000000"], "--axis", "memory"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "option", "what"), OVERSIZE, ids=lambda v: str(v)[:40])
def test_an_oversize_request_is_refused_within_seconds(argv, option, what, tmp_path):
    start = time.monotonic()
    done = run_cli(argv, cwd=tmp_path, timeout=30)
    assert time.monotonic() - start < 15
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"fastweights: error: {option}: expected a request that")
    assert what in done.stderr
    assert list(tmp_path.iterdir()) == []


_PAIR_SWEEP = 'command = "simulate pair"\nseed = 1\n[fixed]\na = [1, 1, 0, 0]\nb = [1, 0, 1, 0]\n'
_GRID = "[grid]\nnoise-sd = [{}]\ntrials = [{}]\n".format(
    ", ".join(str(1 + i) for i in range(3000)), ", ".join(str(100 + i) for i in range(3400))
)


@pytest.mark.parametrize(
    "config",
    [_PAIR_SWEEP.replace("seed = 1", "seed = 1\nreplicates = 10000000"), _PAIR_SWEEP + _GRID],
    ids=["replicates 10^7", "grid of 10^7 points"],
)
def test_an_oversize_sweep_is_refused_before_it_is_expanded(config, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(config)
    start = time.monotonic()
    done = run_cli(["sweep", str(path), "--in-process"], cwd=tmp_path, timeout=30)
    assert time.monotonic() - start < 15
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "expected a request that fits in memory" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.toml"]


def test_a_sweep_point_too_big_is_named(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'command = "simulate geometry"\nseed = 1\n[fixed]\nangle = 30\ncontraction = 0.5\n'
        "[grid]\nsteps = [10, 1000000000]\n"
    )
    done = run_cli(["sweep", str(path), "--in-process"], cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "fastweights: error: config: point (steps=1000000000): --steps: expected a request"
    )


def test_simulate_geometry_memory_does_not_grow_with_steps():
    from simulation import simulate_geometry

    assert simulate_geometry(30, 0.5, trials=200, steps=50) == simulate_geometry(
        30, 0.5, trials=200, steps=50, chunk_size=64
    )
    import tracemalloc

    tracemalloc.start()
    simulate_geometry(30, 0.5, trials=4096, steps=400)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20  # the error history of every step was 4096 * 401 * 2 * 8 = 26 MB


def test_the_limits_can_be_set_and_are_checked(monkeypatch):
    monkeypatch.setenv("FASTWEIGHTS_MEMORY_LIMIT", "1M")
    monkeypatch.setenv("FASTWEIGHTS_TIME_LIMIT", "2m")
    assert memory_limit() == 2**20
    with pytest.raises(UsageError, match=r"^--x: expected a request that fits in memory"):
        check_needs([Need("--x", 1, bytes=2 * 2**20)])
    with pytest.raises(UsageError, match=r"finishes within 2 min \(it would take about 3 min\)"):
        check_needs([Need("--x", 1, seconds=180)])
    check_needs([Need("--x", 1, seconds=180)], workers=2)
    monkeypatch.setenv("FASTWEIGHTS_TIME_LIMIT", "soon")
    with pytest.raises(UsageError, match=r"^FASTWEIGHTS_TIME_LIMIT: expected"):
        check_needs([])
    assert format_bytes(3 * 2**30) == "3 GB"


def test_a_memory_error_is_one_line(monkeypatch, capsys):
    from verification.cli import main
    from verification.commands import theory_pair

    def exhausted(options):
        raise MemoryError

    monkeypatch.setattr(theory_pair, "run", exhausted)
    assert main(["theory", "pair", "--a", "1,0", "--b", "1,1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fastweights: error: out of memory")


def test_sweep_workers_get_the_allocator_setting_of_this_process():
    pytest.importorskip("distributed")
    import logging
    import os

    import distributed

    from verification import allocator
    from verification.sweep.execute import local_cluster

    def environment():
        return {k: os.environ.get(k) for k in allocator.ENVIRONMENT}

    with (
        local_cluster(1, logging.CRITICAL) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        (seen,) = client.run(environment).values()
    assert seen == allocator.ENVIRONMENT  # not Dask's MALLOC_TRIM_THRESHOLD_=65536
