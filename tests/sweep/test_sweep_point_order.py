"""A sweep on workers runs its longest points first (issue 20): the estimated time of
each point orders the submission, so a sweep does not end with one worker running a long
point alone. The order changes no number (a point's seed comes from its options)."""

from __future__ import annotations

import argparse
import json
import logging

import pytest
from sweep_helpers import rows_without_wall_time

from verification.commands import simulate_deblur_reading
from verification.resources import PER_CASE_COST
from verification.sweep import run_sweep
from verification.sweep.execute import local_cluster, longest_first

SLEEPS = [0.0, 0.3, 0.1, 0.2, 0.0]
POINTS = "\n".join(f"[[points]]\nx = {i}.0\nsleep = {s}\n" for i, s in enumerate(SLEEPS))
CONFIG = f'command = "simulate fake"\nseed = 3\n[fixed]\ntrials = 50\n{POINTS}'


def test_longest_first_is_a_stable_sort_by_decreasing_time():
    tasks = [(key, "module", []) for key in "abcde"]
    seconds = {"a": 1.0, "b": 3.0, "c": 1.0, "e": 2.0}
    assert [t[0] for t in longest_first(tasks, seconds)] == ["b", "e", "a", "c", "d"]


def test_a_per_case_reading_is_estimated_longer_than_a_batch_one():
    parser = argparse.ArgumentParser()
    simulate_deblur_reading.add_arguments(parser)

    def seconds(*argv: str) -> float:
        (need,) = simulate_deblur_reading.estimate(parser.parse_args(list(argv)))
        return need.seconds

    batch = seconds("--seeds", "40", "--updates", "batch")
    assert seconds("--seeds", "40", "--updates", "per-case") == pytest.approx(PER_CASE_COST * batch)
    assert seconds("--seeds", "10", "--updates", "batch") == pytest.approx(batch / 4)


@pytest.mark.slow  # a LocalCluster of its own (one worker, so its rows come in run order)
def test_one_worker_runs_the_points_longest_first_with_the_same_rows(
    write_config, fake_modules, tmp_path
):
    pytest.importorskip("distributed")
    config = write_config(CONFIG)
    with local_cluster(1, logging.CRITICAL) as cluster:
        summary = run_sweep(
            config, tmp_path / "dask", scheduler=cluster.scheduler_address, quiet=True,
            command_modules=fake_modules,
        )  # fmt: skip
    assert (summary.computed, summary.failed) == (len(SLEEPS), [])
    lines = (tmp_path / "dask" / "results.jsonl").read_text().splitlines()
    order = [json.loads(line)["options"]["sleep"] for line in lines]
    assert order == sorted(SLEEPS, reverse=True)
    run_sweep(config, tmp_path / "here", in_process=True, quiet=True, command_modules=fake_modules)
    assert rows_without_wall_time(tmp_path / "dask") == rows_without_wall_time(tmp_path / "here")
