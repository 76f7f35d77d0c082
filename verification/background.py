"""Run expensive, independent jobs in a second process while the main one carries on.

``fastweights verify`` and ``report`` spend most of their time in two things that do not
depend on each other: the linear-network claims and figures (main process) and the Sec. 4
deblurring experiment plus the symbolic derivations (this background process). On a
2-core machine that halves the wall time. Jobs are pure functions of their arguments, so
the numbers are the same whether a job runs here, in the main process, or not in advance
at all (:meth:`Background.result` computes it in place when it was never submitted).

The process is forked (POSIX): it inherits the imported modules, so it starts at once.
Where ``fork`` is unavailable, or when this process already runs other threads (forking a
multi-threaded process can deadlock the child), the jobs simply run in the main process
when first needed.

The worker never outlives this process: on Linux it asks the kernel to kill it when its
parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, which covers SIGKILL of the parent);
elsewhere it checks its parent's PID every second. When the block is left by an error,
Ctrl-C or SIGTERM, the worker is killed at once instead of finishing its job, and reaped;
on a normal exit it is shut down and reaped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

__all__ = ["Background", "background", "current", "die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (child) process die when process ``parent`` does, however it dies.

    Call it first thing in a forked worker. Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``
    through ctypes; elsewhere a daemon thread that exits when the parent PID changes. If
    the parent is already gone (it died before the call), exit at once.
    """
    if not (sys.platform.startswith("linux") and _set_parent_death_signal(signal.SIGKILL)):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _set_parent_death_signal(signum: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return False


def _watch_parent(parent: int) -> None:  # pragma: no cover - not Linux
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _worker_start(parent: int) -> None:
    die_with_parent(parent)
    # The parent's handlers make no sense here: SIGTERM just ends the worker, Ctrl-C in the
    # terminal is the parent's to handle (it kills this worker itself).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CURRENT.clear()  # the parent's backgrounds are not this process's to use


class Background:
    """A one-worker process pool whose results are fetched by key."""

    def __init__(self, enabled: bool = True) -> None:
        self._executor: ProcessPoolExecutor | None = None
        if (
            enabled
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1
        ):
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_start,
                initargs=(os.getpid(),),
            )
        self._futures: dict[Hashable, Future[Any]] = {}

    def submit(self, key: Hashable, function: Callable[..., Any], *args: Any) -> None:
        """Start ``function(*args)`` in the background (once per key)."""
        if self._executor is not None and key not in self._futures:
            self._futures[key] = self._executor.submit(function, *args)

    def result(self, key: Hashable, function: Callable[..., Any], *args: Any) -> Any:
        """The job's result: from the background if submitted, else computed here."""
        future = self._futures.pop(key, None)
        if future is not None:
            return future.result()
        return function(*args)

    def close(self, kill: bool = False) -> None:
        """Cancel what was never fetched and stop the worker (reaped before returning).

        With ``kill`` (the block failed or was interrupted) the worker is killed at once,
        not left to finish a job nobody will fetch.
        """
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        if kill:
            for process in processes:
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    process.kill()
        executor.shutdown(wait=True, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AssertionError, AttributeError):
                process.join(timeout=5)


_CURRENT: list[Background] = []


def current() -> Background | None:
    """The background of the innermost :func:`background` block, if any."""
    return _CURRENT[-1] if _CURRENT else None


@contextmanager
def background(enabled: bool = True) -> Iterator[Background]:
    """A :class:`Background` for the duration of the block (closed on exit)."""
    worker = Background(enabled)
    _CURRENT.append(worker)
    failed = True
    try:
        yield worker
        failed = False
    finally:
        _CURRENT.pop()
        worker.close(kill=failed)
