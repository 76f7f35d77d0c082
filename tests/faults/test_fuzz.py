"""Every command, fuzzed: hypothesis-generated argument lists, two outcomes allowed.

Either the command succeeds (exit status 0, or the status its ``exit_status`` gives), or it
refuses in **one line** on stderr with exit status 2 — never a traceback, a warning, or
a second line. The commands are discovered as the CLI discovers them, so a command added
later is fuzzed without any change here; each command's options (flags, choices, value
types) are read from its own parser.

Values are drawn mostly from a pool of awkward ones (empty, negative, huge, NaN, paths that
escape, garbage) mixed with each option's default and choices, so most examples are
refused at once; an example the command accepts runs for real, for at most
``BUDGET_S`` seconds (then it is stopped: its arguments were accepted, which is what is tested
here; the background worker is killed and reaped as on Ctrl-C). Everything runs in a
temporary directory, with Dask left out (sweeps run in-process) and ``FASTWEIGHTS_TIME_LIMIT``
at one minute, so a valid request for an hour of work is refused too. ``FUZZ_SHOW=1``
prints every example with its outcome (``pytest -s``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verification import cli
from verification.command_registry import command_infos

BUDGET_S = 0.25
EXAMPLES = 8 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 15
"""Examples per command: bounded, derandomized (the same ones in every CI run)."""

PLAUSIBLE = ["1,1,0,0", "1,0,1,0", "30", "45", "0.5", "1/3", "10", "100", "5", "200"]
"""Values many options take (vectors, angles, probabilities, counts), to get past parsing."""

AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2",
    "3",
    "0.5",
    "1/3",
    "1e-9",
    "1e300",
    "-1e300",
    "nan",
    "inf",
    "1000000000",
    "99999999999999999999",
    "x",
    "1,0,1",
    "1,,0",
    "1,1,0,0",
    "1e300,1",
    "../../escape",
    "/proc/fastweights",
    "é",
    "--",
    "-x",
    "a=1",
    "n_hidden=10000000",
    "fast_epsilon=0.01,0.02",
    "eq1-factorization",
    "sweep.toml",
    "bad.toml",
    "swept",
    "tcp://127.0.0.1:1",
]


def _leaf_parser(module_name: str) -> argparse.ArgumentParser:
    from verification.sweep.command import leaf_parser

    return leaf_parser(module_name)


BY_METAVAR = {
    "VEC": ["1,1,0,0", "1,0,1,0"],
    "DEG": ["30", "120"],
    "LAMBDA": ["0.5", "1"],
    "T": ["30", "200"],
    "S": ["0", "2", "3"],
    "X": ["0", "7"],
    "C": ["64", "1"],
    "N": ["10", "4"],
    "K": ["20", "40"],
    "M": ["5", "2"],
    "Q": ["0.5", "1/3"],
    "P": ["1/3", "0.25"],
    "SD": ["1.0", "0.5"],
    "R": ["1.0", "2"],
    "O": ["1", "2"],
    "F": ["0.1", "0.5"],
    "ID": ["eq2-zero-one", "ratio-943"],
    "DIR": ["out", "swept"],
    "PATH": ["claims.json"],
    "NAME=V1,V2": ["fast_epsilon=0.01", "init_scale=0.5,1"],
}
"""Values that options of these metavars take (anything else: PLAUSIBLE)."""

POSITIONAL = ["sweep.toml", "swept", "eq1-factorization"]
"""Values positional arguments take here: a sweep config, a sweep directory, a derivation."""

NOISE = ["--bogus", "-q", "extra", "--json", "--help"]


def _good(action: argparse.Action) -> st.SearchStrategy[str]:
    """A value the option takes (a choice, its default) or a plausible one."""
    choices = [str(c) for c in action.choices or []]
    default = [] if action.default in (None, argparse.SUPPRESS) else [str(action.default)]
    if not action.option_strings:
        return st.sampled_from(choices or POSITIONAL)
    typical = BY_METAVAR.get(str(action.metavar), PLAUSIBLE)
    return st.sampled_from([*choices, *default] or typical) | st.sampled_from(typical)


@st.composite
def _argv(draw: st.DrawFn, module_name: str) -> list[str]:
    """An argument list: the options with good values, then up to two made awkward."""
    parser = _leaf_parser(module_name)
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    broken = set(draw(st.lists(st.integers(0, max(0, len(actions) - 1)), max_size=2)))
    words: list[str] = []
    for index, action in enumerate(actions):
        value = draw(st.sampled_from(AWKWARD)) if index in broken else draw(_good(action))
        if not action.option_strings:
            if index not in broken or draw(st.booleans()):
                words.append(value)
            continue
        flag = max(action.option_strings, key=len)
        if action.nargs == 0:
            if draw(st.booleans()):
                words.append(flag)
        elif action.required or index in broken or draw(st.booleans()):
            words += [flag, value]
    if draw(st.integers(0, 9)) == 0:
        words.append(draw(st.sampled_from(NOISE)))
    return words


class _OverBudget(BaseException):
    """The example ran longer than BUDGET_S: its arguments were accepted."""


_OURS = tuple(
    str(Path(__file__).resolve().parents[2] / package)
    for package in ("verification", "simulation", "theory")
)


def _over_budget(signum, frame):
    """Stop the example — but only in fastweights' own code, as Ctrl-C would (which that
    code must handle): an exception raised inside a library (sympy compiling a lambda, a
    gc callback, the test framework) can corrupt the interpreter. Elsewhere, try again in
    10 ms."""
    if frame is None or not frame.f_code.co_filename.startswith(_OURS):
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    raise _OverBudget


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A directory with a valid and a broken sweep config and a finished sweep."""
    root = tmp_path_factory.mktemp("fuzz") / "a" / "b"  # "../../escape" stays inside
    root.mkdir(parents=True)
    (root / "sweep.toml").write_text(
        'command = "theory pair"\n[fixed]\na = [1, 1, 0, 0]\n[grid]\nb = [[1, 0, 1, 0]]\n'
    )
    (root / "bad.toml").write_text("command = [\n")
    from verification.sweep import run_sweep

    run_sweep(root / "sweep.toml", root / "swept", in_process=True, quiet=True)
    import theory  # import everything heavy up front: an import is never interrupted

    theory.list_derivations()
    for info in command_infos():
        info.load()
    import matplotlib.figure  # noqa: F401

    return root


def _run(argv: list[str]) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _over_budget)
    signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status: int | None = cli.main(argv)
            except SystemExit as exit_:  # argparse: --help, or a usage error
                status = int(exit_.code or 0)
            except _OverBudget:
                status = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("info", command_infos(), ids=lambda info: " ".join(info.path))
def test_every_command_succeeds_or_refuses_in_one_line(info, workspace, monkeypatch):
    from verification.sweep import execute

    monkeypatch.chdir(workspace)
    monkeypatch.setenv("FASTWEIGHTS_TIME_LIMIT", "60")
    monkeypatch.setattr(execute, "_dask_available", lambda: False)
    module = info.load()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(argv=_argv(info.module_name))
    def check(argv):
        status, _, err = _run([*info.path, *argv])
        shown = " ".join([*info.path, *argv])
        if os.environ.get("FUZZ_SHOW"):
            print(f"{status}\t{shown}\t{err.strip()[:150]}", file=sys.__stderr__)
        assert "Traceback" not in err, f"fastweights {shown}\n{err}"
        if status is None or status == 0:
            return
        if status == 2:
            assert err.count("\n") == 1 and err.startswith("fastweights"), (
                f"fastweights {shown}\n{err}"
            )
            return
        allowed = {1} if hasattr(module, "exit_status") else set()
        assert status in allowed, f"fastweights {shown}: exit {status}\n{err}"

    check()
    for leftover in Path(workspace).rglob(".fastweights-tmp-*"):
        raise AssertionError(f"temporary file left behind: {leftover}")


def test_the_fuzz_runs_where_it_can_interrupt():
    assert hasattr(signal, "setitimer") and sys.platform != "win32"
    assert os.name == "posix"
