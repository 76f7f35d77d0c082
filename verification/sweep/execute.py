"""Running a sweep: every point in this process, or on dask.distributed.

Both paths call :func:`compute_point`, which parses the point's argv with the command's
own parser and calls the command's ``run`` — the same code as ``fastweights COMMAND``. A
row is recorded the moment its point completes (in completion order); a point whose
worker dies is re-run by the Dask scheduler (``distributed.scheduler.allowed-failures``
times, then reported as failed and left for ``--resume``). A point whose command raises
is reported and gets no row, so ``--resume`` tries it again.

The directory is evidence (:mod:`verification.evidence`): every check (config, points,
scheduler, workers, the directory and its links, and on ``--resume`` the evidence already
there) runs before the first write; the lock is the first write, ``manifest.json`` in
state ``running`` the second (it claims the folder), and the ``complete`` manifest, with
the SHA-256 and row count of ``results.jsonl`` and ``sweep.json``, the last. An
interrupted or failed run leaves it ``running`` or ``incomplete``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import json
import logging
import os
import re
import shlex
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tqdm import tqdm

from foundation.atomic import ignore_file_size_signal

from .. import allocator, command_registry
from ..errors import UsageError
from ..evidence import (
    EvidenceError,
    check_evidence,
    check_manifest,
    claim_directory,
    read_manifest,
    write_manifest,
)
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
from .store import LOCK_NAME, RESULTS_NAME, ResultStore, StoredRows, read_rows, seal_row

__all__ = [
    "EVIDENCE_KIND",
    "WORKER_ENVIRONMENT",
    "SweepSummary",
    "check_scheduler",
    "compute_point",
    "local_cluster",
    "longest_first",
    "make_row",
    "mend_command",
    "run_sweep",
    "shared_local_cluster",
    "sweep_design",
]

EVIDENCE_KIND = "sweep"
"""The ``kind`` of a sweep directory's ``manifest.json``."""

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
    """The line recorded for a completed point, sealed with its own checksum
    (:data:`~verification.sweep.store.ROW_CHECKSUM`)."""
    return seal_row(
        {
            "key": point.key,
            "command": point.command,
            "options": {
                k: list(v) if isinstance(v, tuple) else v for k, v in point.options.items()
            },
            "replicate": point.replicate,
            "seed": point.seed,
            "argv": list(point.argv),
            "result": outcome["result"],
            "wall_time_s": outcome["wall_time_s"],
        }
    )


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
    description = f"LocalCluster on 127.0.0.1, {workers} worker processes"
    shared = _SHARED.get(workers)
    if shared is not None:
        if shared.cluster is None:
            shared.cluster = shared.stack.enter_context(local_cluster(workers, logging.CRITICAL))
        with Client(shared.cluster, set_as_default=False) as client:
            yield client, description
        return
    with (
        local_cluster(workers, logging.CRITICAL) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client, description


@dataclass
class _SharedCluster:
    stack: contextlib.ExitStack
    cluster: Any = None


_SHARED: dict[int, _SharedCluster] = {}


@contextlib.contextmanager
def shared_local_cluster(workers: int | None = None) -> Iterator[None]:
    """Within this block, the sweeps that would each start a LocalCluster of ``workers``
    processes (default: one per core) share one, started by the first of them and shut
    down at the block's end (a readings search runs two or three sweeps in a row: one
    cluster saves a start, its workers' imports and their compiled kernels' loading,
    about 2 s each on 2 cores). What a sweep computes and records is unchanged."""
    count = workers if workers is not None else os.cpu_count() or 1
    if count in _SHARED:  # already inside such a block
        yield
        return
    with contextlib.ExitStack() as stack:
        _SHARED[count] = _SharedCluster(stack)
        try:
            yield
        finally:
            del _SHARED[count]


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

    Its worker processes never see Ctrl-C (:func:`_sigint_blocked`): the terminal sends
    SIGINT to the whole process group, and a worker's event loop turned it into
    ``CancelledError``/``KeyboardInterrupt`` tracebacks; this process tears them down.
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
    with dask.config.set(changes), _sigint_blocked():
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=log_level,
        )


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread while a LocalCluster starts; deliver it afterwards.

    The cluster's event-loop thread, and so every worker process its nannies spawn (now
    or when one is restarted), inherits the blocked mask, which survives ``exec``: a
    worker's SIGINT stays pending forever. Here the block ends when the cluster is up, and
    a Ctrl-C pressed meanwhile then raises ``KeyboardInterrupt`` as usual.

    multiprocessing's resource tracker is started first, here: starting it unblocks SIGINT
    in the thread that starts it (``resource_tracker.ensure_running``), which would
    otherwise be the thread that goes on to spawn the workers.
    """
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def longest_first(tasks: Sequence[Task], seconds: Mapping[str, float]) -> list[Task]:
    """The tasks in decreasing order of their points' estimated ``seconds`` (ties, and
    points without an estimate, in their given order).

    Workers take the longest points first (the longest-processing-time rule), so that the
    sweep does not end with one worker running a long point alone while the others wait.
    What a point computes does not depend on when it runs (its seed comes from its
    options), so the order changes no number, only the order of the rows in the file.

    Example:
        >>> tasks = [(p, "m", []) for p in ("a", "b", "c")]
        >>> [t[0] for t in longest_first(tasks, {"a": 1.0, "b": 5.0})]
        ['b', 'a', 'c']
    """

    def key(task: Task) -> float:
        point: Any = task[0]
        return -seconds.get(getattr(point, "key", point), 0.0)

    return sorted(tasks, key=key)


def _on_dask(client: Any, tasks: Sequence[Task]) -> Iterator[tuple[Point, Outcome]]:
    """Submit ``tasks`` in their order, each with a priority that keeps that order on the
    scheduler (Dask runs higher priorities first), and yield outcomes as they finish."""
    import distributed

    as_completed: Any = distributed.as_completed
    token = uuid.uuid4().hex[:8]
    pending: dict[str, Point] = {}
    futures = []
    for rank, (point, module_name, argv) in enumerate(tasks):
        future = client.submit(
            compute_point,
            module_name,
            argv,
            key=f"fastweights-point-{point.key}-{token}",
            pure=False,
            priority=len(tasks) - rank,
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
    force: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    in_process: bool = False,
    quiet: bool = False,
    command_modules: Mapping[tuple[str, ...], ModuleType] | None = None,
    notify: Callable[[str], None] = _stderr,
    mend: str | None = None,
) -> SweepSummary:
    """Run (or with ``resume``, finish) the sweep a TOML config describes.

    Every point is parsed and validated before any runs. Rows go to
    ``OUT/results.jsonl`` (``OUT`` defaults to ``CONFIG-STEM-sweep``), which ends with
    ``OUT/manifest.json`` (kind ``sweep``). Execution: a ``LocalCluster`` with
    ``workers`` processes (default: one per core), the Dask scheduler at ``scheduler``,
    or this process (``in_process``, or Dask not installed, which ``notify`` reports
    once). ``command_modules`` replaces the discovered commands (tests); the modules must
    be importable by name on the workers. ``mend``: the command a refusal names to mend
    the directory (default ``fastweights sweep CONFIG --resume|--force --out DIR``; a
    readings search's stage names ``fastweights readings --resume --out DIR``).

    ``OUT`` must be new, empty or a sweep's own (``force``: any directory; a fresh run
    with ``force`` replaces the rows there). ``resume`` checks the evidence already there
    first: a finished sweep must match its manifest, an unfinished one's rows their own
    checksums, and the seed and design must be the manifest's. Every refusal is one line
    (:class:`~verification.errors.UsageError`) and changes nothing.
    """
    ignore_file_size_signal()
    config = load_config(config_path)
    modules = command_registry.command_modules() if command_modules is None else command_modules
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
    seconds = validate_points(points, spec, out_dir, sharing)
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
    run = _Run(
        config_path=Path(config_path),
        config=config,
        spec=spec,
        points=points,
        resume=resume,
        force=force,
        options={"scheduler": scheduler, "workers": workers, "in_process": in_process},
        out=out_dir,
        mend_override=mend,
        seconds=seconds,
    )
    store.mend = run.mend("--resume")
    _check_directory(store, run)  # every check before the first write
    created = not os.path.lexists(out_dir)
    had_lock = os.path.lexists(store.lock_path)
    try:
        return _run_locked(store, run, scheduler, workers, in_process, quiet, notify, notice)
    except BaseException:
        if created:
            store.remove_if_unused()
        elif not had_lock and not os.path.lexists(store.evidence_path):
            with contextlib.suppress(OSError):  # refused under the lock: leave no lock file
                store.lock_path.unlink()
        raise


def mend_command(
    config_path: str | os.PathLike[str], out: str | os.PathLike[str], flag: str
) -> str:
    """``fastweights sweep CONFIG FLAG --out DIR``: the command that mends a sweep directory."""
    return f"fastweights sweep {shlex.quote(str(config_path))} {flag} --out {shlex.quote(str(out))}"


def sweep_design(points: Sequence[Point]) -> list[dict[str, Any]]:
    """What a sweep was asked to compute: each point's key, options, replicate and seed
    (as JSON reads back)."""
    design = [
        {
            "key": point.key,
            "options": dict(point.options),
            "replicate": point.replicate,
            "seed": point.seed,
        }
        for point in points
    ]
    loaded: list[dict[str, Any]] = json.loads(json.dumps(design, allow_nan=False))
    return loaded


@dataclass
class _Run:
    """One ``run_sweep`` call: what it was asked, for its manifest and its messages."""

    config_path: Path
    config: SweepConfig
    spec: CommandSpec
    points: list[Point]
    resume: bool
    force: bool
    options: dict[str, Any]
    out: Path
    mend_override: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    """Each point's estimated single-core seconds by key (:func:`validate_points`)."""

    @property
    def design(self) -> list[dict[str, Any]]:
        """The design recorded in the manifest."""
        return sweep_design(self.points)

    def mend(self, flag: str) -> str:
        """The command that mends this sweep's directory with ``flag`` (or the caller's)."""
        if self.mend_override is not None:
            return self.mend_override
        return mend_command(self.config_path, self.out, flag)

    def command_line(self) -> str:
        """The ``fastweights sweep ...`` command this run is (as far as run_sweep knows)."""
        words = ["fastweights", "sweep", str(self.config_path), "--out", str(self.out)]
        if self.resume:
            words.append("--resume")
        if self.force:
            words.append("--force")
        if self.options["scheduler"] is not None:
            words += ["--scheduler", str(self.options["scheduler"])]
        elif self.options["in_process"]:
            words.append("--in-process")
        elif self.options["workers"] is not None:
            words += ["--workers", str(self.options["workers"])]
        return " ".join(shlex.quote(word) for word in words)

    def manifest_options(self) -> dict[str, Any]:
        """The options recorded in the manifest: the config as read, and how it ran."""
        return {
            "config": str(self.config_path),
            "out": str(self.out),
            "resume": self.resume,
            "force": self.force,
            **self.options,
            "sweep": self.config.to_json(),
            "command": self.spec.name,
            "points": len(self.points),
        }


def check_sweep_directory(out_dir: Path) -> Path:
    """Check the sweep's ``--out`` without creating it: a directory, or creatable."""
    text = str(out_dir)
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        raise UsageError("--out", "a directory (this path is a file)", text)
    for parent in out_dir.parents:
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise UsageError("--out", f"a path below a directory ({parent} is a file)", text)
            if not os.access(parent, os.W_OK | os.X_OK) and not os.path.lexists(out_dir):
                raise UsageError("--out", f"a path where a directory can be made ({parent})", text)
            break
    return out_dir


def _only_leftovers(directory: Path) -> bool:
    """Whether ``directory`` holds only a sweep's lock and temporary files (a run killed
    before it wrote its manifest): the toolkit's, so it may be written into."""
    from foundation.atomic import TEMPORARY_PREFIX

    try:
        names = [path.name for path in directory.iterdir()]
    except OSError:
        return False
    return all(name == LOCK_NAME or name.startswith(TEMPORARY_PREFIX) for name in names)


def _check_output_links(run: _Run, directory: Path) -> None:
    """No point's output path goes through a symbolic link below the sweep directory."""
    for point in run.points:
        argv = execution_argv(point, run.spec, directory)
        for option in run.spec.options.values():
            if not option.output or option.flag is None or option.flag not in argv:
                continue
            target = Path(argv[argv.index(option.flag) + 1])
            relative = target.relative_to(directory)
            current = directory
            for part in relative.parts:
                current = current / part
                if current.is_symlink():
                    raise UsageError(
                        "--out",
                        f"a directory where no output of a point is a symbolic link "
                        f"({current.relative_to(directory)} is one)",
                        str(directory),
                    )


def _check_directory(store: ResultStore, run: _Run) -> StoredRows | None:
    """Every check of ``--out`` and of the evidence in it; nothing is written.

    Returns the rows already recorded (``None``: start afresh).
    """
    directory = store.directory
    if os.path.lexists(directory) and not _only_leftovers(directory):
        claim_directory(directory, EVIDENCE_KIND, force=run.force)
    elif directory.is_symlink():
        claim_directory(directory, EVIDENCE_KIND, force=run.force)  # refuses the link
    if not directory.is_dir():
        return None
    store.check_links()
    _check_output_links(run, directory)
    has_rows = store.results_path.exists() and store.results_path.stat().st_size > 0
    if not run.resume:
        if has_rows and not run.force:
            raise UsageError(
                "--out",
                "a directory without results.jsonl (or --resume to finish it, --force to "
                "start it afresh)",
                str(directory),
            )
        return None
    if read_manifest(directory) is None:  # not the toolkit's folder (--force): rows as they are
        return store.load(drop_torn_line=False) if has_rows else None
    manifest = check_manifest(directory, EVIDENCE_KIND, mend=run.mend("--force"))
    _check_same_design(store, run, manifest)
    if manifest.get("state") == "complete":
        check_evidence(directory, EVIDENCE_KIND, mend=run.mend("--force"))
        return store.load(drop_torn_line=False)
    stored = _read_sealed(store, run)
    planned = {point.key for point in run.points}
    for number, row in enumerate(stored.rows, 1):
        if row["key"] not in planned:
            raise EvidenceError(
                f"{store.results_path} line {number}",
                "a row of a point this sweep's design does not hold (extra)",
                f"delete that line, then {run.mend('--resume')}",
            )
    return stored


def _read_sealed(store: ResultStore, run: _Run) -> StoredRows:
    return read_rows(store.results_path, mend=run.mend("--resume"), sealed=True)


def _check_same_design(store: ResultStore, run: _Run, manifest: Mapping[str, Any]) -> None:
    """A resume runs the seed and design its manifest records, or is refused."""
    mend = "give the config this sweep was run with, or another --out"
    if manifest.get("kind") != EVIDENCE_KIND:
        raise EvidenceError(store.evidence_path, f"the manifest of a {manifest.get('kind')}", mend)
    if manifest.get("seed") != run.config.seed:
        raise EvidenceError(
            store.evidence_path,
            f"another seed ({manifest.get('seed')}, not {run.config.seed} as in the config)",
            mend,
        )
    recorded = manifest.get("design")
    if recorded != run.design:
        count = len(recorded) if isinstance(recorded, list) else "?"
        raise EvidenceError(
            store.evidence_path,
            f"another design ({count} points recorded, {len(run.points)} in the config, "
            "not the same)",
            mend,
        )


def _write_evidence(store: ResultStore, run: _Run, state: str) -> None:
    """Write ``sweep.json`` then ``manifest.json`` (last) in ``state``; one line if it fails."""
    files = [] if state == "running" else [RESULTS_NAME, "sweep.json"]
    summary = _manifest(run.config.to_json(), run.spec, run.points) | {"state": state}
    try:
        if state == "running":  # the claim comes first
            _write_manifest_json(store, run, state, [])
            store.write_manifest(summary)
        else:
            store.write_manifest(summary)
            _write_manifest_json(store, run, state, files)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise EvidenceError(
            store.evidence_path,
            f"writing the manifest failed ({reason}); the rows written before are kept",
            run.mend("--resume"),
        ) from None


def _write_manifest_json(store: ResultStore, run: _Run, state: str, files: list[str]) -> None:
    write_manifest(
        store.directory,
        kind=EVIDENCE_KIND,
        command=run.command_line(),
        options=run.manifest_options(),
        seed=run.config.seed,
        design=run.design,
        files=[name for name in files if (store.directory / name).exists()],
        state=state,
    )


def _run_locked(
    store: ResultStore,
    run: _Run,
    scheduler: str | None,
    workers: int | None,
    in_process: bool,
    quiet: bool,
    notify: Callable[[str], None],
    notice: str | None,
) -> SweepSummary:
    out_dir = store.directory
    spec, points = run.spec, run.points
    with store.locked():
        stored = _check_directory(store, run)  # again, now that no other sweep can write
        if stored is None and run.force and not run.resume:
            store.results_path.unlink(missing_ok=True)  # --force: start afresh
        if stored is None:
            stored = StoredRows(rows=[], torn_bytes=0)
        planned = {point.key for point in points}
        done = stored.keys & planned
        others = len(stored.keys - planned)
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
        manifest = read_manifest(out_dir)
        finished = manifest is not None and manifest.get("state") == "complete"
        if not pending and not stored.torn_bytes and finished:
            return summary  # a finished sweep, checked: nothing to write
        _write_evidence(store, run, "running")
        if stored.torn_bytes:
            store.load(drop_torn_line=True)
            notify(
                f"sweep: dropped a torn last line ({stored.torn_bytes} bytes) from "
                f"{store.results_path}, left by an interrupted run; its point runs again"
            )
        if others:
            notify(
                f"sweep: {others} rows in {store.results_path} are not points of this config; kept"
            )
        if notice is not None:  # only once every check passed: an error stays one line
            notify(notice)
        start = time.perf_counter()
        store.open()
        finished = False
        try:
            _execute(store, run, pending, summary, scheduler, workers, in_process, quiet)
            finished = True  # (every point run; some may have failed)
        finally:
            store.close()
            summary.elapsed_s = time.perf_counter() - start
            complete = summary.already_done + summary.computed == summary.points
            try:
                _write_evidence(store, run, "complete" if complete else "incomplete")
            except EvidenceError:
                if finished:
                    raise
                # already failing (Ctrl-C, a full disk): that error is the one to report
    return summary


def _execute(
    store: ResultStore,
    run: _Run,
    pending: Sequence[Point],
    summary: SweepSummary,
    scheduler: str | None,
    workers: int | None,
    in_process: bool,
    quiet: bool,
) -> None:
    if not pending:
        return
    spec = run.spec
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
            outcomes = _on_dask(client, longest_first(tasks, run.seconds))
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
