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
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

__all__ = ["Background", "background", "current"]


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
                max_workers=1, mp_context=multiprocessing.get_context("fork")
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

    def close(self) -> None:
        """Cancel what was never fetched and stop the worker."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_CURRENT: list[Background] = []


def current() -> Background | None:
    """The background of the innermost :func:`background` block, if any."""
    return _CURRENT[-1] if _CURRENT else None


@contextmanager
def background(enabled: bool = True) -> Iterator[Background]:
    """A :class:`Background` for the duration of the block (closed on exit)."""
    worker = Background(enabled)
    _CURRENT.append(worker)
    try:
        yield worker
    finally:
        _CURRENT.pop()
        worker.close()
