"""Every example in docs/usage.md runs as shown (in a temporary directory).

``console`` blocks: each ``$ fastweights ...`` line is run through the CLI and must exit 0;
``python`` blocks: executed in order, in one namespace; ``bash`` blocks (the full report,
about a minute) are documentation only.
"""

import contextlib
import io
import json
import re
import shlex
from pathlib import Path

import pytest

from verification.cli import main

USAGE = Path(__file__).resolve().parents[2] / "docs" / "usage.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def _blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(USAGE.read_text(encoding="utf-8")) if lang == kind]


def test_the_guide_has_examples_of_both_kinds():
    assert len(_blocks("console")) >= 3 and len(_blocks("python")) >= 3


def test_console_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands = [
        line[2:] for block in _blocks("console") for line in block.splitlines() if line[:2] == "$ "
    ]
    assert commands
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "fastweights"
        with contextlib.redirect_stdout(io.StringIO()):
            assert main([*words[1:], "--quiet"]) == 0, command
    assert (tmp_path / "eq2-report" / "report.html").is_file()
    claims = json.loads((tmp_path / "footnote-2.json").read_text())["claims"]
    assert [c["id"] for c in claims] == ["footnote-2"]


@pytest.mark.slow
def test_python_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in _blocks("python"):
            exec(compile(block, str(USAGE), "exec"), namespace)
    assert (tmp_path / "ratio-943-report" / "report.html").is_file()
