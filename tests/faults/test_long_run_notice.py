"""A request within the limits but estimated to run for minutes or hours says so, with the
option that makes it long, before it starts (issue 18, item 5); a short one says nothing."""

from __future__ import annotations

import subprocess

from fault_helpers import cli_argv, run_cli

from verification.resources import NOTICE_SECONDS, Need, long_run_notice


def test_the_notice_names_the_longest_need_and_its_time():
    needs = [Need("--trials", 100, seconds=10.0), Need("--steps", 10**9, seconds=4 * 3600.0)]
    notice = long_run_notice(needs)
    assert notice is not None
    assert "about 4 h" in notice and "--steps 1000000000 makes it long" in notice
    assert long_run_notice([Need("--steps", 10, seconds=NOTICE_SECONDS)]) is None
    assert long_run_notice([]) is None
    assert "about 2 h" in long_run_notice(needs, workers=2)


def test_a_four_hour_geometry_run_announces_itself_before_it_starts():
    argv = ["simulate", "geometry", "--angle", "30", "--contraction", "0.5"]
    process = subprocess.Popen(
        cli_argv([*argv, "--steps", "1000000000", "--trials", "100"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stderr.readline()
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert first.startswith("fastweights: this request will take about ")
    assert "--steps 1000000000 makes it long" in first


def test_a_short_run_says_nothing_on_stderr():
    done = run_cli(["simulate", "geometry", "--angle", "30", "--contraction", "0.5"])
    assert done.returncode == 0 and done.stderr == ""
