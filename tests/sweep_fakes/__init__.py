"""Test support only (not a user-facing command): fake commands a sweep can run.

The sweep tests and ``benchmarks/bench_sweep.py`` need commands whose timing and output
they control, and Dask worker processes must be able to import them by name: this package
is ``sweep_fakes``, importable with ``tests/`` on the path (pytest's ``pythonpath``; Dask's
worker processes inherit ``sys.path``; a subprocess gets ``PYTHONPATH``, see
:data:`ENVIRONMENT`). They are not in ``verification/commands``, so ``fastweights`` never
lists them; pass :data:`COMMANDS` (or :func:`with_fake_commands`)
as ``command_modules`` to :func:`verification.sweep.run_sweep`, or run
``python -m sweep_fakes sweep|sweep-plot ...``.

- ``simulate fake``: sleeps ``--sleep`` seconds, returns a seeded estimate of ``2x``.
- ``theory fake``: the exact ``2x`` (and a ``paper_value``), for ``sweep-plot``.
- ``simulate fake-writer``: writes ``--out DIR/value.json`` (a point's output file).
- ``bench busy``: ``--units`` fixed chunks of single-threaded numpy work (benchmark).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from . import busy, fake_simulate, fake_theory, fake_writer

__all__ = ["COMMANDS", "ENVIRONMENT", "TESTS", "with_fake_commands"]

TESTS = str(Path(__file__).resolve().parents[1])
"""The ``tests/`` directory: on ``sys.path``, ``import sweep_fakes`` works."""

ENVIRONMENT = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(
        [TESTS, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    ),
}
"""The environment for ``python -m sweep_fakes ...`` in a subprocess."""

COMMANDS: dict[tuple[str, ...], ModuleType] = {
    tuple(module.PATH): module for module in (fake_simulate, fake_theory, fake_writer, busy)
}


def with_fake_commands() -> dict[tuple[str, ...], ModuleType]:
    """The real ``fastweights`` commands plus the fake ones."""
    from verification.command_registry import command_modules

    return command_modules() | COMMANDS
