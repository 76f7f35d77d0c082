"""One memory-allocator setting for every fastweights process: glibc's, made deterministic.

glibc's ``malloc`` serves a large block (at least ``M_MMAP_THRESHOLD``, 128 kB at start) with
a fresh ``mmap`` and gives the top of its heap back to the kernel when more than
``M_TRIM_THRESHOLD`` is free there. Both thresholds adapt as the process frees blocks, up to
32 MB and 64 MB, unless either is set explicitly. A numpy loop that allocates and frees
arrays of a few hundred kB is then fast or slow — 0 or 200 page faults per array, about
35% of its time — depending on the heap's history: on what else the process allocated
before. Dask's workers set ``MALLOC_TRIM_THRESHOLD_=65536``, which turns the adaptation off
and makes every such array a fresh mapping: that is why a sweep point ran 1.2-1.7x slower
in a LocalCluster worker than in-process (``docs/performance.md``).

:func:`tune` sets both thresholds to the values the adaptation ends at, in this process
(``mallopt``); :data:`ENVIRONMENT` does the same for a worker process at its start. The
sweep's workers and the process that runs points in-process then allocate alike. The cost:
up to 64 MB of freed memory kept for reuse. A user's own ``MALLOC_*_`` setting wins.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ENVIRONMENT", "MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune"]

MMAP_THRESHOLD = 32 * 2**20
"""Blocks at least this large are mapped afresh (glibc's adaptive maximum on 64 bits)."""

TRIM_THRESHOLD = 2 * MMAP_THRESHOLD
"""Free memory at the top of the heap beyond this is returned to the kernel."""

ENVIRONMENT: dict[str, str | None] = {
    "MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD),
    "MALLOC_TRIM_THRESHOLD_": str(TRIM_THRESHOLD),
}
"""The same setting for a new process (glibc reads these once, at start)."""

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_USER_SET = any(name.startswith("MALLOC_") and name.endswith("_") for name in os.environ)
_TUNED: list[bool] = []


def tune() -> bool:
    """Set this process's thresholds (Linux with glibc; once); whether they are set."""
    if _TUNED:
        return _TUNED[0]
    applied = False
    if sys.platform.startswith("linux") and not _USER_SET:
        try:
            import ctypes

            libc = ctypes.CDLL(None)
            mallopt = libc.mallopt
            applied = bool(
                mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
            )
        except (OSError, AttributeError):  # not glibc (musl has no mallopt)
            applied = False
    _TUNED.append(applied)
    return applied
