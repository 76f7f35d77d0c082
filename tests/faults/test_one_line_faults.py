"""Issue 18, items 4-6: every fault is one line on stderr, exit 2, the option named.

Each case runs ``fastweights`` in a fresh process (``fault_helpers.run_cli``) and asserts
the exit status, a single stderr line naming the option, and no traceback or warning.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.fault_helpers import cli_argv, run_cli


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("inputs") / "x.npy"
    np.save(path, np.array([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 1]], dtype=float))
    return str(path)


def _one_line(result: subprocess.CompletedProcess[str], option: str, status: int = 2) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    assert option in lines[0], lines[0]
    return lines[0]


def _run(args, env=None, **kw):
    return subprocess.run(
        cli_argv(args),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
        **kw,
    )


# ---------------------------------------------------------------- item 4: overflow


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["simulate", "deblur", "--error-factor", "1e300"], "--error-factor"),
        (["simulate", "deblur", "--init-scale", "1e300"], "--init-scale"),
        (["simulate", "deblur", "--slow-epsilon", "1e300"], "--slow-epsilon"),
    ],
)
def test_an_overflowing_deblur_option_is_refused_by_name(args, option):
    line = _one_line(run_cli([*args, "--quiet"]), option)
    assert "at most" in line


@pytest.mark.parametrize("command", ["theory", "simulate"])
@pytest.mark.parametrize("value", ["1e300", "1e-300", "1e400"])
def test_an_overflowing_noise_sd_is_refused_by_name(inputs, command, value):
    args = [command, "transfer", "--inputs", inputs, "--retrained", "first:1", "--noise-sd", value]
    line = _one_line(run_cli([*args, "--quiet"] if command == "simulate" else args), "--noise-sd")
    # a finite range derived from the inputs, or (1e400 reads as infinity) not a number at all
    assert re.search(r"--noise-sd: expected a number (in \[[0-9.e+-]+, [0-9.e+-]+\]|or a)", line)


def test_the_library_refuses_a_huge_noise_sd_as_a_parameter_error():
    import theory
    from foundation.errors import ParameterError

    x = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]])
    with pytest.raises(ParameterError, match=r"^noise_sd: expected"):
        theory.vector_transfer(x, [0], 2, 0.1, 1e300)
    assert theory.vector_transfer(x, [0], 2, 0.1, 1e100).improvement_ratio == pytest.approx(
        theory.vector_transfer(x, [0], 2, 0.1, 1.0).improvement_ratio
    )


def test_a_large_but_finite_error_factor_runs_without_warnings():
    result = run_cli(["simulate", "deblur", "--error-factor", "1e12", "--seeds", "2", "--quiet"])
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr


# ---------------------------------------------------------------- item 4: stdout

PAIR = ["theory", "pair", "--a", "1,0,1", "--b", "1,1,0"]


def test_a_closed_stdout_is_one_line():
    line = _one_line(_run(PAIR, preexec_fn=lambda: os.close(1)), "stdout")
    assert line.endswith("got a closed one")


def test_a_full_disk_on_stdout_is_one_line():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            cli_argv(PAIR), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    assert "No space left" in _one_line(result, "stdout")


def test_an_ascii_stdout_gets_ascii_spellings():
    result = _run(["derive", "eq2-zero-one"], env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and "\\u" not in result.stdout
    assert "cos(a, b)" in result.stdout


def test_ascii_spellings_replace_the_symbols():
    from verification.cli import _ASCII_SPELLINGS

    assert "θ ± ρ²".translate(_ASCII_SPELLINGS) == "theta +/- rho^2"


def test_an_unwritable_home_gives_no_matplotlib_messages(tmp_path):
    out = tmp_path / "r"
    result = _run(
        ["report", "--quick", "--claim", "eq2-zero-one", "--out", str(out), "--quiet"],
        env={"HOME": "/proc/forbidden", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert list((out / "figures").iterdir())


# ---------------------------------------------------------------- item 5: up front


@pytest.mark.parametrize(
    ("args", "option", "limit"),
    [
        (["theory", "transfer", "--steps", "10000000"], "--steps", "60"),
        (["simulate", "transfer", "--trials", "1000000000000"], "--trials", ""),
        (["simulate", "transfer", "--steps", "100000000000"], "--steps", ""),
    ],
)
def test_what_cannot_finish_is_refused_naming_the_option(inputs, args, option, limit):
    env = {"FASTWEIGHTS_TIME_LIMIT": limit} if limit else None
    full = [*args[:2], "--inputs", inputs, "--retrained", "first:1", *args[2:]]
    line = _one_line(_run(full, env=env), option)
    assert f"error: {option}: expected a request that " in line  # blamed on that option


def test_geometry_steps_beyond_the_limit_are_refused():
    args = ["simulate", "geometry", "--angle", "60", "--contraction", "0.5"]
    more = ["--steps", "1000000000", "--trials", "100"]
    line = _one_line(_run([*args, *more], env={"FASTWEIGHTS_TIME_LIMIT": "60"}), "--steps")
    assert "--steps: expected a request that finishes within 60 s" in line


def _sparse_npy(path: Path, shape: tuple[int, int], truncate: int | None = None) -> str:
    array = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=shape)
    del array
    if truncate is not None:
        os.truncate(path, truncate)
    return str(path)


@pytest.mark.parametrize("command", ["theory", "simulate"])
def test_a_huge_npy_counts_its_working_copies_and_is_refused_at_once(tmp_path, command):
    path = _sparse_npy(tmp_path / "big.npy", (1_500_000, 1000))  # 12 GB, sparse
    args = [command, "transfer", "--inputs", path, "--retrained", "first:1"]
    line = _one_line(_run(args, env={"FASTWEIGHTS_MEMORY_LIMIT": "20G"}), "--inputs")
    # the 12 GB file and its working copies, against the 20 GB allowed
    needs = re.search(
        r"--inputs: expected a request that fits in memory \(it needs about ([0-9.]+) GB", line
    )
    assert needs is not None and float(needs.group(1)) > 20


def test_a_cheap_property_is_refused_before_reading(tmp_path):
    path = _sparse_npy(tmp_path / "big.npy", (1_500_000, 1000))
    args = ["theory", "transfer", "--inputs", path, "--retrained", "first:2000000"]
    assert "1499999" in _one_line(run_cli(args), "--retrained")


def test_a_truncated_npy_is_refused_from_its_header(tmp_path):
    path = _sparse_npy(tmp_path / "cut.npy", (1000, 100), truncate=10_000)
    args = ["theory", "transfer", "--inputs", path, "--retrained", "0"]
    assert "promises" in _one_line(run_cli(args), "--inputs")


# ---------------------------------------------------------------- item 6: accepted


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["theory", "transfer", "--retrained", "first:٢"], "--retrained"),
        (["theory", "transfer", "--retrained", "٠"], "--retrained"),
        (["theory", "transfer", "--retrained", "first:1", "--steps", "٣"], "--steps"),
        (["simulate", "transfer", "--retrained", "first:1", "--decay", "0.3"], "--decay"),
        (
            [
                "simulate",
                "transfer",
                "--retrained",
                "first:1",
                "--blur",
                "decay",
                "--noise-sd",
                "2",
            ],
            "--noise-sd",
        ),
    ],
)
def test_transfer_options_that_should_not_be_accepted(inputs, args, option):
    line = _one_line(run_cli([*args[:2], "--inputs", inputs, *args[2:]]), option)
    assert re.search(rf"error: (argument )?{option}: expected ", line)  # the option refused


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["theory", "pair", "--a", "1,0,١", "--b", "1,1,0"], "--a"),
        (["theory", "retrain", "--associations", "4", "--retrained", "٢"], "--retrained"),
        (["simulate", "deblur", "--seeds", "٢"], "--seeds"),
        (["simulate", "deblur", "--error-factor", "١.٥"], "--error-factor"),
        (["simulate", "deblur", "--targets", "0,١"], "--targets"),
        (["simulate", "pair", "--a", "1,0,1", "--b", "1,1,0", "--trials", "٣٠"], "--trials"),
        (["theory", "geometry", "--angle", "٦٠", "--contraction", "0.5"], "--angle"),
    ],
)
def test_non_ascii_digits_are_refused(args, option):
    line = _one_line(run_cli(args), option)
    given = args[args.index(option) + 1]
    assert "expected" in line and f"got '{given}'" in line, line


@pytest.mark.parametrize("value", [None, "0.5", True, [0.5, None]])
def test_expected_cos_theta_names_what_it_got(value):
    import theory
    from foundation.errors import ParameterError

    with pytest.raises(ParameterError) as caught:
        theory.expected_cos_theta(value)
    assert str(caught.value).endswith(f"got {value!r}")


# ---------------------------------------------------------------- hypothesis


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    option=st.sampled_from(["--error-factor", "--init-scale", "--fast-epsilon"]),
    exponent=st.integers(14, 308),
)
def test_huge_deblur_values_never_traceback_or_warn(option, exponent):
    result = run_cli(["simulate", "deblur", option, f"1e{exponent}", "--seeds", "2", "--quiet"])
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    if result.returncode:
        _one_line(result, option)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.floats(min_value=1e-320, max_value=1e308).map(lambda v: f"{v:g}"))
def test_odd_noise_sd_never_traceback_or_warn(inputs, value):
    args = ["theory", "transfer", "--inputs", inputs, "--retrained", "0", "--noise-sd", value]
    result = run_cli([*args, "--steps", "2"])
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    if result.returncode:
        _one_line(result, "--noise-sd")
