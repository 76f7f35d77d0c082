"""Helpers shared by the sweep tests (a module of its own: ``conftest`` is not importable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from verification.sweep import read_rows


def rows_without_wall_time(directory: Path) -> dict[str, dict[str, Any]]:
    """The rows of DIR/results.jsonl by key, without ``wall_time_s`` (which varies)."""
    rows = read_rows(directory / "results.jsonl").rows
    assert len({row["key"] for row in rows}) == len(rows)
    return {row["key"]: {k: v for k, v in row.items() if k != "wall_time_s"} for row in rows}
