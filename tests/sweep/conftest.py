"""Fixtures for the sweep tests: fake commands, config files, one shared 2-worker cluster."""

from __future__ import annotations

import logging
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sweep_fakes import fake_simulate, with_fake_commands
from sweep_helpers import rows_without_wall_time

from verification.sweep import run_sweep


@pytest.fixture(scope="session")
def fake_modules() -> dict[tuple[str, ...], types.ModuleType]:
    """The real commands plus ``simulate fake``, ``theory fake`` and ``bench busy``."""
    return with_fake_commands()


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a TOML config (dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "sweep.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def reference_rows(
    tmp_path: Path, fake_modules: dict[tuple[str, ...], types.ModuleType], monkeypatch
) -> Callable[[Path], dict[str, dict[str, Any]]]:
    """Rows of an uninterrupted in-process run of a config (the fake command's sleep skipped:
    it changes nothing but the wall time)."""

    def run(config: Path) -> dict[str, dict[str, Any]]:
        with monkeypatch.context() as patch:
            patch.setattr(fake_simulate, "time", types.SimpleNamespace(sleep=lambda _: None))
            out = tmp_path / f"reference-{config.stem}"
            run_sweep(config, out, in_process=True, quiet=True, command_modules=fake_modules)
        return rows_without_wall_time(out)

    return run


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """One 2-worker LocalCluster over loopback, shared by every Dask test (startup is slow)."""
    pytest.importorskip("distributed")
    from verification.sweep.execute import local_cluster

    with local_cluster(2, logging.CRITICAL) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def cluster_client(cluster: Any) -> Iterator[Any]:
    """A client of the shared cluster for the tests themselves (worker pids, executing tasks)."""
    import distributed

    with distributed.Client(cluster, set_as_default=False) as client:
        yield client
