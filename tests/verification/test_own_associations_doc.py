"""docs/own-associations.md runs as shown, on 2 networks instead of 100 (issue 22, item 3).

The page's numbers come from 100 networks (about 50 s for its commands, a minute for its
comparison); here, so that its code cannot rot in seconds: the data block runs as written,
each ``$ fastweights`` line runs with ``--seeds 2`` appended (the last value of an option
wins), and the comparison block runs with its one line ``SEEDS, SEED, FRACTIONS = 100, ...``
set to 2 networks. What does not depend on the networks must then be exactly what the page
shows: the files' shapes and the input overlaps it prints, and the rows it prints.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import numpy as np
import pytest

from verification.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "own-associations.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
FULL = "SEEDS, SEED, FRACTIONS = 100, 1, (0.1, 0.5)"
SHORT = "SEEDS, SEED, FRACTIONS = 2, 1, (0.1, 0.5)"
FILES = ("targets", "random", "shared-5", "shared-10", "shared-15", "family-targets")


def _blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(PAGE.read_text(encoding="utf-8")) if lang == kind]


def _labels(lines: list[str]) -> list[str]:
    """Each printed line up to its first number: what the line is about."""
    return [re.split(r"\s+[-+]?\d", line, maxsplit=1)[0] for line in lines]


def test_the_page_runs_as_shown_on_two_networks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data, comparison = _blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(data, str(PAGE), "exec"), namespace)  # the page's own data block
    for name in FILES:
        array = np.loadtxt(f"{name}.csv", delimiter=",")
        assert array.shape == ((100, 10) if "targets" in name else (100, 20)), name
        assert set(np.unique(array)) <= {0.0, 1.0}, name
    for name in FILES[1:5]:
        assert len(np.unique(np.loadtxt(f"{name}.csv", delimiter=","), axis=0)) == 100, name

    (console,) = _blocks("console")
    commands = [line[2:] for line in console.splitlines() if line.startswith("$ ")]
    assert len(commands) == 5
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "fastweights" and "--seeds" in words
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*words[1:], "--seeds", "2", "--quiet"]) == 0, command
    assert all(Path(plot).is_file() for plot in ("random.png", "shared-15.png", "family.png"))

    assert comparison.count(FULL) == 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(comparison.replace(FULL, SHORT), str(PAGE), "exec"), namespace)
    printed = out.getvalue().splitlines()
    shown = _blocks("text")[1].splitlines()
    assert _labels(printed) == _labels(shown)
    # the inputs' overlaps (the first two numbers of the overlap rows) need no network
    for got, want in zip(printed[1:6], shown[1:6], strict=True):
        assert got.split()[-4:-2] == want.split()[-4:-2], (got, want)
