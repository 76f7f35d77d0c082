"""Sweeps: outputs stay inside the sweep directory, bad schedulers and sweep dirs are one line."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fault_helpers import run_cli
from sweep_fakes import ENVIRONMENT, with_fake_commands

from verification.errors import UsageError
from verification.sweep import ConfigError, expand_points, resolve_command, run_sweep
from verification.sweep.config import parse_config
from verification.sweep.points import check_outputs, execution_argv

PAIR = 'command = "simulate pair"\nseed = 1\n[fixed]\na = [1, 1, 0, 0]\nb = [1, 0, 1, 0]\n'


def _report_points(table: str):
    # a sweep no longer runs ``report`` (issue 18); the output rule is tested on a fake
    # command with an --out of its own
    spec = resolve_command(("simulate", "fake-writer"), with_fake_commands())
    table = {"fixed": {}} | json.loads(table)
    table["fixed"] = {"x": 1.0} | table["fixed"]
    config = parse_config({"command": "simulate fake-writer", "seed": 3} | table)
    return spec, expand_points(config, spec)


@pytest.mark.parametrize(
    "table",
    [
        '{"fixed": {"out": "../../x"}}',
        '{"fixed": {"out": "/tmp/elsewhere"}}',
        '{"grid": {"out": ["a", "b/../../.."]}}',
        '{"fixed": {"out": ""}}',
    ],
)
def test_a_config_cannot_send_output_outside_the_sweep_directory(table, tmp_path):
    spec, points = _report_points(table)
    with pytest.raises(ConfigError, match=r"a path inside the sweep directory"):
        check_outputs(points, spec, tmp_path / "sweep")


def test_two_points_may_not_write_to_the_same_place(tmp_path):
    spec, points = _report_points('{"replicates": 2, "fixed": {}}')
    with pytest.raises(ConfigError, match=r"would both write to 'written'"):
        check_outputs(points, spec, tmp_path / "sweep")


def test_output_paths_are_placed_inside_the_sweep_directory(tmp_path):
    spec, points = _report_points('{"grid": {"out": ["a", "b/c"]}}')
    check_outputs(points, spec, tmp_path)
    argvs = [execution_argv(p, spec, tmp_path) for p in points]
    assert [argv[argv.index("--out") + 1] for argv in argvs] == [
        str(tmp_path / "a"),
        str(tmp_path / "b/c"),
    ]


def test_a_refused_config_creates_nothing(tmp_path):
    config = tmp_path / "r.toml"
    config.write_text(
        'command = "simulate fake-writer"\nseed = 1\n[fixed]\nx = 1.0\nout = "../../x"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "sweep_fakes", "sweep", str(config), "--in-process"],
        cwd=tmp_path, env=ENVIRONMENT, capture_output=True, text=True, timeout=30,
        check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("fastweights: error: config: fixed.out: a path inside")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


@pytest.fixture
def dask_installed():
    """The scheduler checks run only where Dask is installed (without it, ``--scheduler``
    is refused for that reason first, tested in tests/sweep/test_sweep_run.py)."""
    pytest.importorskip("distributed", reason="Dask is not installed: --scheduler not checked")


@pytest.mark.usefixtures("dask_installed")
@pytest.mark.parametrize("address", ["garbage", "tcp://127.0.0.1:99999", "http://x:1", ":80"])
def test_a_malformed_scheduler_address_is_refused_at_once(address, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(PAIR + "[grid]\ntrials = [100, 200]\n")
    done = run_cli(["sweep", str(config), "--scheduler", address], cwd=tmp_path, timeout=20)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--scheduler: expected the address of a running Dask scheduler" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.usefixtures("dask_installed")
def test_a_scheduler_address_where_nothing_listens_is_refused_at_once(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(PAIR + "[grid]\ntrials = [100, 200]\n")
    with pytest.raises(UsageError, match="connecting failed"):
        run_sweep(config, tmp_path / "out", scheduler=f"tcp://127.0.0.1:{_free_port()}")
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("dask_installed")
def test_a_scheduler_address_where_something_else_listens_is_refused(tmp_path, monkeypatch):
    from verification.sweep import execute

    config = tmp_path / "c.toml"
    config.write_text(PAIR + "[grid]\ntrials = [100, 200]\n")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True).start()
        checked = execute.check_scheduler
        monkeypatch.setattr(execute, "check_scheduler", lambda a: checked(a, timeout=0.5))
        with pytest.raises(UsageError, match="no Dask answer there"):
            run_sweep(config, tmp_path / "out", scheduler=f"127.0.0.1:{port}")
        for connection in accepted:
            connection.close()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("out", ["", "{file}", "{file}/below"])
def test_a_bad_sweep_out_is_refused_before_anything_is_created(out, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(PAIR + "[grid]\ntrials = [100, 200]\n")
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match=r"^--out: expected a"):
        run_sweep(config, out.format(file=tmp_path / "file"), in_process=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "file"]


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("swept")
    config = root / "c.toml"
    config.write_text(PAIR + "[grid]\ntrials = [100, 200]\n")
    run_sweep(config, root / "out", in_process=True, quiet=True)
    return root / "out"


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


# behaviour changed with issue 18: the manifest is checked before sweep.json or a row is read
@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: (d / "sweep.json").write_text("{corrupt"), "sweep.json: 8 bytes where the"),
        (lambda d: (d / "sweep.json").write_text("[1, 2]"), "sweep.json: 6 bytes where the"),
        (lambda d: (d / "sweep.json").write_bytes(b"\xff\xfe"), "sweep.json: 2 bytes where the"),
        (lambda d: (d / "sweep.json").unlink(), "sweep.json: missing; mend:"),
        (
            lambda d: (d / "results.jsonl").write_text('{"key": "k", "options": {}}\n'),
            "results.jsonl: 1 rows where the manifest lists 2",
        ),
        (
            lambda d: (d / "results.jsonl").write_text('{"key": "k"}\n{"key": "k"}\n'),
            "results.jsonl: 26 bytes where the manifest lists",
        ),
        (
            lambda d: (d / "results.jsonl").write_text("not json\n"),
            "results.jsonl: 1 rows where the manifest lists 2",
        ),
    ],
)
def test_sweep_plot_on_a_damaged_directory_is_one_line(swept, tmp_path, damage, expected):
    target = _copy(swept, tmp_path / "damaged")
    damage(target)
    done = run_cli(["sweep-plot", str(target)], timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert expected in done.stderr
    assert done.stderr.rstrip().endswith(f"--force --out {target}")


@pytest.mark.parametrize("target", ["c.toml", "missing"])
def test_sweep_plot_on_a_file_or_nothing_is_one_line(swept, target):
    done = run_cli(["sweep-plot", str(swept.parent / target)], timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
