"""docs/pm1-reproduction.md runs as shown: its Python blocks (with their assertions) in
order in one namespace, then each ``$ fastweights`` line, whose output must contain the
lines the page shows under it (issue 19, part 5)."""

import contextlib
import io
import re
import shlex
from pathlib import Path

from verification.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "pm1-reproduction.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def test_the_pm1_page_runs_as_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    python = [body for kind, body in blocks if kind == "python"]
    console = [body for kind, body in blocks if kind == "console"]
    assert len(python) == 2 and len(console) == 1
    namespace: dict = {}
    for body in python:
        exec(compile(body, str(PAGE), "exec"), namespace)  # the page's own code
    lines = console[0].splitlines()
    commands = [i for i, line in enumerate(lines) if line.startswith("$ ")]
    assert len(commands) == 2
    for start, end in zip(commands, [*commands[1:], len(lines)], strict=True):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main([*shlex.split(lines[start][2:])[1:], "--quiet"]) == 0
        shown = lines[start + 1 : end]
        assert shown and all(line in out.getvalue().splitlines() for line in shown)
