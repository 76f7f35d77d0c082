"""Test support: run ``fastweights ARGV`` in this process and capture what it says."""

from __future__ import annotations

import contextlib
import io

from verification.cli import main

__all__ = ["run_in_process"]


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with stdout and stderr captured: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as done:
            status = int(done.code or 0)
    return status, out.getvalue(), err.getvalue()
