"""Helpers for the fault tests: run ``fastweights`` as a separate process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

CLI = "import sys; from verification.cli import main; sys.exit(main())"
"""``python -c CLI ARGS...`` is ``fastweights ARGS...`` (no console script needed)."""

REPO = Path(__file__).resolve().parents[2]


def cli_argv(args: Sequence[str]) -> list[str]:
    """The argv that runs ``fastweights ARGS`` in a fresh interpreter."""
    return [sys.executable, "-c", CLI, *args]


def run_cli(
    args: Sequence[str], cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``fastweights ARGS`` to completion; stdout and stderr captured as text."""
    return subprocess.run(
        cli_argv(args), capture_output=True, text=True, cwd=cwd, timeout=timeout, check=False
    )


def descendants(pid: int) -> set[int]:
    """The live (not zombie) descendants of process ``pid`` (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie counts as dead)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"
