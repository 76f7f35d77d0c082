"""Helpers shared by the sweep tests (a module of its own: ``conftest`` is not importable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from verification.sweep import read_rows

VARYING = ("wall_time_s", "row_sha256")
"""A row's fields that vary between runs: its wall time, and its checksum (which covers
the wall time)."""


def rows_without_wall_time(directory: Path) -> dict[str, dict[str, Any]]:
    """The rows of DIR/results.jsonl by key, without ``wall_time_s`` (which varies) and the
    row's checksum (checked here: every row must carry a matching one)."""
    rows = read_rows(directory / "results.jsonl", sealed=True).rows
    assert len({row["key"] for row in rows}) == len(rows)
    return {row["key"]: {k: v for k, v in row.items() if k not in VARYING} for row in rows}


def reseal(directory: Path) -> None:
    """Record DIR's files anew in its manifest.json (a test that rearranges a finished
    sweep's rows on purpose, as a Dask run could have written them)."""
    from verification.evidence import read_manifest, write_manifest

    manifest = read_manifest(directory)
    assert manifest is not None
    write_manifest(
        directory,
        kind=manifest["kind"],
        command=manifest["command"],
        options=manifest["options"],
        seed=manifest["seed"],
        design=manifest["design"],
        files=list(manifest["files"]),
        state=manifest["state"],
    )


def as_interrupted(directory: Path) -> None:
    """Mark DIR's manifest ``running``, as a run killed mid-way leaves it (no files)."""
    from verification.evidence import read_manifest, write_manifest

    manifest = read_manifest(directory)
    assert manifest is not None
    write_manifest(
        directory,
        kind=manifest["kind"],
        command=manifest["command"],
        options=manifest["options"],
        seed=manifest["seed"],
        design=manifest["design"],
        state="running",
    )
