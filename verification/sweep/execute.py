"""Running a sweep: every point in this process, or on dask.distributed.

Both paths call :func:`compute_point`, which parses the point's argv with the command's
own parser and calls the command's ``run`` — the same code as ``fastweights COMMAND``. A
row is recorded the moment its point completes (in completion order); a point whose
worker dies is re-run by the Dask scheduler (``distributed.scheduler.allowed-failures``
times, then reported as failed and left for ``--resume``). A point whose command raises
is reported and gets no row, so ``--resume`` tries it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import json
import logging
import os
import re
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tqdm import tqdm

from .. import allocator, cli
from ..errors import UsageError
from .command import CommandSpec, parse_point_argv, resolve_command
from .config import SweepConfig, load_config
from .points import (
    Point,
    check_grid_size,
    check_outputs,
    execution_argv,
    expand_points,
    validate_points,
)
from .store import ResultStore

__all__ = [
    "WORKER_ENVIRONMENT",
    "SweepSummary",
    "check_scheduler",
    "compute_point",
    "local_cluster",
    "make_row",
    "run_sweep",
]

Task = tuple[Point, str, list[str]]
"""A point, its command's module name, and the argv its parser reads."""

Outcome = dict[str, Any]
"""``{"result": ..., "wall_time_s": ...}`` or ``{"error": "Type: message"}``."""

INSTALL_HINT = "pip install 'fastweights[distributed]'"

_ADDRESS = re.compile(
    r"^(?:(?:tcp|tls)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})/?$"
)
_SCHEDULER_EXPECTED = "the address of a running Dask scheduler (tcp://HOST:PORT)"


def check_scheduler(address: str, timeout: float = 5.0) -> str:
    """Check ``--scheduler``: a ``[tcp://]HOST:PORT`` address where a Dask scheduler answers.

    A malformed address is refused without any network traffic; a well-formed one must
    accept a TCP connection and answer a Dask ``identity`` request as a scheduler within
    ``timeout`` seconds (a ``Client`` pointed at something else can wait forever).
    Nothing is created either way.
    """
    match = _ADDRESS.match(address.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise UsageError("--scheduler", _SCHEDULER_EXPECTED, address)
    host, port = match["host"].strip("[]"), int(match["port"])
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            "--scheduler", f"{_SCHEDULER_EXPECTED}; connecting failed: {reason}", address
        ) from None
    url = address.strip() if "://" in address else f"tcp://{address.strip()}"
    try:
        reply = asyncio.run(_identity(url, timeout))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = f"{type(exc).__name__} {exc}".strip()
        raise UsageError(
            "--scheduler", f"{_SCHEDULER_EXPECTED}; no Dask answer there ({reason})", address
        ) from None
    if not (isinstance(reply, Mapping) and reply.get("type") == "Scheduler"):
        raise UsageError("--scheduler", f"{_SCHEDULER_EXPECTED}; not a scheduler there", address)
    return url


async def _identity(address: str, timeout: float) -> Any:
    import distributed.comm

    connect: Any = getattr(distributed.comm, "connect")  # noqa: B009 - not in its __all__
    comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout)
    try:
        await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), timeout)
        return await asyncio.wait_for(comm.read(), timeout)
    finally:
        comm.abort()


def compute_point(module_name: str, argv: Sequence[str]) -> Outcome:
    """Run one point: parse ``argv`` with the command's parser, call its ``run``.

    Runs wherever the point runs (this process or a Dask worker). The result goes
    through JSON here, so it is the same plain data whichever way it travels back;
    ``wall_time_s`` is the command's own time, parsing excluded. An exception becomes
    ``{"error": ...}`` (a one-line message), not a row.
    """
    allocator.tune()
    try:
        options = parse_point_argv(module_name, argv)
        start = time.perf_counter()
        result = options._module.run(options)
        wall_time = time.perf_counter() - start
        result = json.loads(json.dumps(result, allow_nan=False))
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {"result": result, "wall_time_s": wall_time}


def make_row(point: Point, outcome: Outcome) -> dict[str, Any]:
    """The line recorded for a completed point."""
    return {
        "key": point.key,
        "command": point.command,
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in point.options.items()},
        "replicate": point.replicate,
        "seed": point.seed,
        "argv": list(point.argv),
        "result": outcome["result"],
        "wall_time_s": outcome["wall_time_s"],
    }


@dataclass
class SweepSummary:
    """What a sweep did (the ``fastweights sweep --json`` output)."""

    out: str
    results: str
    command: str
    execution: str
    points: int
    already_done: int
    computed: int
    failed: list[dict[str, Any]] = field(default_factory=list)
    elapsed_s: float = 0.0
    dropped_torn_bytes: int = 0
    rows_of_other_points: int = 0

    def to_json(self) -> dict[str, Any]:
        """As JSON-able data."""
        return asdict(self)


def _in_process(tasks: Sequence[Task]) -> Iterator[tuple[Point, Outcome]]:
    for point, module_name, argv in tasks:
        yield point, compute_point(module_name, argv)


@contextlib.contextmanager
def _dask_client(scheduler: str | None, workers: int, quiet: bool) -> Iterator[tuple[Any, str]]:
    import distributed

    Client: Any = distributed.Client
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            del exc  # its frames hold the half-built client; let it go now, not at exit
            raise UsageError("--scheduler", f"{_SCHEDULER_EXPECTED}; {reason}", scheduler) from None
        with client:
            count = len(client.nthreads())
            yield client, f"Dask scheduler {scheduler} ({count} workers when the sweep started)"
        return
    with (
        local_cluster(workers, logging.CRITICAL) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client, f"LocalCluster on 127.0.0.1, {workers} worker processes"


_ENVIRONMENT_AT_START = frozenset(os.environ)
"""The variables set before any Dask Nanny ran here: the user's, which are respected."""

WORKER_ENVIRONMENT: dict[str, str | None] = dict(allocator.ENVIRONMENT)
"""Changes to ``distributed.nanny.pre-spawn-environ`` for the sweep's LocalCluster workers.

Dask starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``: glibc then returns every
freed block above 64 kB to the kernel and stops adapting its thresholds, so each new
large numpy array is mapped afresh and page-faulted in, page by page; a point that
allocates arrays of a few hundred kB in a loop ran 1.2-1.7x slower in a worker than
in-process (``docs/performance.md``). The workers get :mod:`verification.allocator`'s
setting instead — the one every fastweights process uses — unless the user set these
variables before starting fastweights. Dask's thread limits (``OMP_NUM_THREADS=1``, ...)
are kept: one thread per worker process is what a sweep wants."""


def local_cluster(
    workers: int,
    log_level: int = logging.WARNING,
    environment: Mapping[str, str | None] = WORKER_ENVIRONMENT,
) -> Any:
    """The ``LocalCluster`` a sweep runs on: ``workers`` one-thread processes on loopback.

    Its workers get ``environment`` (:data:`WORKER_ENVIRONMENT`; ``{}``: Dask's own). Its
    scheduler's HTTP server (metrics; there is no dashboard) takes a free port, not 8787:
    on a shared machine 8787 is often taken, and Dask's fallback warns.
    """
    import dask
    import distributed

    LocalCluster: Any = distributed.LocalCluster
    for key in {*environment, *dask.config.get("distributed.nanny.pre-spawn-environ", {})}:
        if key not in _ENVIRONMENT_AT_START:
            # A Dask Nanny started earlier in this process may have left its own value in
            # os.environ (it sets its pre-spawn variables in its own process), and Dask
            # lets os.environ win over its configuration.
            os.environ.pop(key, None)
    changes = {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in environment.items()}
    with dask.config.set(changes):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=log_level,
        )


def _on_dask(client: Any, tasks: Sequence[Task]) -> Iterator[tuple[Point, Outcome]]:
    import distributed

    as_completed: Any = distributed.as_completed
    token = uuid.uuid4().hex[:8]
    pending: dict[str, Point] = {}
    futures = []
    for point, module_name, argv in tasks:
        future = client.submit(
            compute_point,
            module_name,
            argv,
            key=f"fastweights-point-{point.key}-{token}",
            pure=False,
        )
        pending[future.key] = point
        futures.append(future)
    for future in as_completed(futures, loop=client.loop):
        point = pending.pop(future.key)
        if future.status == "finished":
            outcome: Outcome = future.result()
        else:
            try:
                exc = future.exception()
            except (Exception, asyncio.CancelledError) as cancelled:  # a cancelled future
                exc = cancelled
            outcome = {"error": f"{type(exc).__name__}: {exc}"}
        future.release()
        yield point, outcome


def _dask_available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_sweep(
    config_path: str | Path,
    out: str | Path | None = None,
    *,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    in_process: bool = False,
    quiet: bool = False,
    command_modules: Mapping[tuple[str, ...], ModuleType] | None = None,
    notify: Callable[[str], None] = _stderr,
) -> SweepSummary:
    """Run (or with ``resume``, finish) the sweep a TOML config describes.

    Every point is parsed and validated before any runs. Rows go to
    ``OUT/results.jsonl`` (``OUT`` defaults to ``CONFIG-STEM-sweep``). Execution: a
    ``LocalCluster`` with ``workers`` processes (default: one per core), the Dask
    scheduler at ``scheduler``, or this process (``in_process``, or Dask not installed,
    which ``notify`` reports once). ``command_modules`` replaces the discovered commands
    (tests); the modules must be importable by name on the workers.
    """
    config = load_config(config_path)
    modules = cli.command_modules() if command_modules is None else command_modules
    spec = resolve_command(config.command, modules)
    if out is not None and not str(out).strip():
        raise UsageError("--out", "a directory path (give . for the current directory)", str(out))
    out_dir = check_sweep_directory(
        Path(out) if out is not None else Path(f"{Path(config_path).stem}-sweep")
    )
    if workers is not None and workers < 1:
        raise UsageError("--workers", "a positive number of worker processes", workers)
    check_grid_size(config)
    points = expand_points(config, spec)
    check_outputs(points, spec, out_dir)
    sharing = 1 if in_process else workers or os.cpu_count() or 1
    validate_points(points, spec, out_dir, sharing)
    if scheduler is not None and (workers is not None or in_process):
        raise UsageError("--scheduler", "no --workers or --in-process with it", scheduler)
    notice = None
    if not in_process and not _dask_available():
        if scheduler is not None:
            raise UsageError(
                "--scheduler", f"dask.distributed installed ({INSTALL_HINT})", scheduler
            )
        notice = f"sweep: dask.distributed is not installed ({INSTALL_HINT}); running in-process"
        in_process = True
    if scheduler is not None:
        scheduler = check_scheduler(scheduler)
    store = ResultStore(out_dir)
    created = not os.path.lexists(out_dir)
    try:
        return _run_locked(
            store, config, spec, points, resume, scheduler, workers, in_process, quiet, notify,
            notice,
        )  # fmt: skip
    except BaseException:
        if created:
            store.remove_if_unused()
        raise


def check_sweep_directory(out_dir: Path) -> Path:
    """Check the sweep's ``--out`` without creating it: a directory, or creatable."""
    text = str(out_dir)
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        raise UsageError("--out", "a directory (this path is a file)", text)
    for parent in out_dir.parents:
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise UsageError("--out", f"a path below a directory ({parent} is a file)", text)
            break
    return out_dir


def _run_locked(
    store: ResultStore,
    config: SweepConfig,
    spec: CommandSpec,
    points: list[Point],
    resume: bool,
    scheduler: str | None,
    workers: int | None,
    in_process: bool,
    quiet: bool,
    notify: Callable[[str], None],
    notice: str | None,
) -> SweepSummary:
    out_dir = store.directory
    with store.locked():
        if not resume and store.results_path.exists() and store.results_path.stat().st_size:
            raise UsageError(
                "--out",
                "a directory without results.jsonl (or --resume to finish it)",
                str(out_dir),
            )
        stored = store.load(drop_torn_line=resume)
        if stored.torn_bytes:
            notify(
                f"sweep: dropped a torn last line ({stored.torn_bytes} bytes) from "
                f"{store.results_path}, left by an interrupted run; its point runs again"
            )
        planned = {point.key for point in points}
        done = stored.keys & planned
        others = len(stored.keys - planned)
        if others:
            notify(
                f"sweep: {others} rows in {store.results_path} are not points of this config; kept"
            )
        pending = [point for point in points if point.key not in done]
        summary = SweepSummary(
            out=str(out_dir),
            results=str(store.results_path),
            command=spec.name,
            execution="in-process" if in_process or not pending else "",
            points=len(points),
            already_done=len(done),
            computed=0,
            dropped_torn_bytes=stored.torn_bytes,
            rows_of_other_points=others,
        )
        if notice is not None:  # only once every check passed: an error stays one line
            notify(notice)
        manifest = _manifest(config.to_json(), spec, points)
        store.write_manifest(manifest | {"state": "running"})
        start = time.perf_counter()
        store.open()
        try:
            _execute(store, spec, pending, summary, scheduler, workers, in_process, quiet)
        finally:
            store.close()
            summary.elapsed_s = time.perf_counter() - start
            complete = summary.already_done + summary.computed == summary.points
            store.write_manifest(manifest | {"state": "complete" if complete else "incomplete"})
    return summary


def _execute(
    store: ResultStore,
    spec: CommandSpec,
    pending: Sequence[Point],
    summary: SweepSummary,
    scheduler: str | None,
    workers: int | None,
    in_process: bool,
    quiet: bool,
) -> None:
    if not pending:
        return
    tasks = [
        (point, spec.module.__name__, execution_argv(point, spec, store.directory))
        for point in pending
    ]
    bar = tqdm(
        total=summary.points,
        initial=summary.already_done,
        unit="point",
        desc="sweep",
        file=sys.stderr,
        disable=quiet or not sys.stderr.isatty(),
    )
    with contextlib.ExitStack() as stack:
        stack.callback(bar.close)
        if in_process:
            outcomes = _in_process(tasks)
        else:
            count = workers if workers is not None else os.cpu_count() or 1
            client, summary.execution = stack.enter_context(_dask_client(scheduler, count, quiet))
            outcomes = _on_dask(client, tasks)
        for point, outcome in outcomes:
            if "error" in outcome:
                summary.failed.append({"point": point.label, "error": outcome["error"]})
            else:
                store.append(make_row(point, outcome))
                summary.computed += 1
            bar.update(1)


def _manifest(config: dict[str, Any], spec: CommandSpec, points: Sequence[Point]) -> dict[str, Any]:
    try:
        version = importlib.metadata.version("fastweights")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        version = "unknown"
    return {
        "command": spec.name,
        "config": config,
        "varied": list(points[0].varied) if points else [],
        "points": len(points),
        "fastweights_version": version,
    }
