"""Sweeps run one after another inside ``shared_local_cluster`` start one LocalCluster
between them (a readings search runs two or three sweeps), and compute the same rows."""

from __future__ import annotations

import pytest
from sweep_helpers import rows_without_wall_time

from verification.sweep import execute, run_sweep

CONFIG = """
    command = "simulate fake"
    seed = 11
    [fixed]
    trials = 50
    [grid]
    x = [0.0, 1.0, 2.0]
    """


@pytest.mark.slow  # LocalClusters of its own
def test_two_sweeps_in_a_shared_block_start_one_cluster(
    write_config, fake_modules, tmp_path, monkeypatch
):
    pytest.importorskip("distributed")
    started = []
    real = execute.local_cluster

    def counted(workers, *args, **kwargs):
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(execute, "local_cluster", counted)
    config = write_config(CONFIG)
    with execute.shared_local_cluster(2):
        for name in ("first", "second"):
            run_sweep(config, tmp_path / name, workers=2, quiet=True, command_modules=fake_modules)
    assert started == [2]
    assert execute._SHARED == {}
    run_sweep(config, tmp_path / "alone", workers=2, quiet=True, command_modules=fake_modules)
    assert started == [2, 2]
    first = rows_without_wall_time(tmp_path / "first")
    assert first == rows_without_wall_time(tmp_path / "second")
    assert first == rows_without_wall_time(tmp_path / "alone")
