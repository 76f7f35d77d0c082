"""OpenBLAS's matrix kernels, pinned so that the same seed gives the same numbers on every
x86-64 machine with AVX2.

OpenBLAS (numpy's BLAS) picks its kernels by CPU at start-up, and kernels sum in different
orders. float32 results of the Sec. 4 deblurring experiment then differ from one CPU kind to
another in their last digits, and long training amplifies them: measured 2026-12-03 on an
AMD EPYC with AVX-512, where OpenBLAS picks ``SkylakeX``, against ``Haswell`` on the same
machine, the pinned short run moved by 8e-6 relative and the default report's Sec. 4
simulated values by up to a few percent, one reading's part verdict went from inconclusive
to refuted (every claim's verdict stayed; docs/deblur.md, "Reproducibility and speed").

:func:`pin_kernels` sets ``OPENBLAS_CORETYPE=Haswell`` (AVX2 and FMA kernels, the ones the
stored readings search and the tests' pinned numbers were made with) before numpy is
imported, where the CPU can run them; the ``fastweights`` command calls it first. A user's
own ``OPENBLAS_CORETYPE`` wins. On other CPUs (ARM, x86-64 without AVX2) OpenBLAS chooses,
and numbers may differ in their last digits. :func:`kernels` says which kernels run (the
report records it in ``meta.versions``). Library users who want the command's numbers bit
for bit set ``OPENBLAS_CORETYPE=Haswell`` before importing numpy.
"""

from __future__ import annotations

import ctypes
import glob
import os
import platform
import sys

__all__ = ["PINNED_KERNELS", "kernels", "pin_kernels"]

PINNED_KERNELS = "Haswell"
"""The OpenBLAS kernels fastweights runs with where the CPU has AVX2 and FMA."""


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def pin_kernels() -> bool:
    """Set ``OPENBLAS_CORETYPE`` to :data:`PINNED_KERNELS` for this process and those it
    starts; True if it did. It does nothing once numpy is imported (OpenBLAS has chosen),
    when the variable is set already, or on a CPU without AVX2 and FMA."""
    if "numpy" in sys.modules or "OPENBLAS_CORETYPE" in os.environ:
        return False
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    if not {"avx2", "fma"} <= _cpu_flags():
        return False
    os.environ["OPENBLAS_CORETYPE"] = PINNED_KERNELS
    return True


def kernels() -> str | None:
    """The name of the kernels numpy's OpenBLAS runs (e.g. ``"Haswell"``), or None when it
    cannot be read (a numpy not built with the scipy-openblas wheels' library). Loads the
    library numpy uses (the same one, once loaded) without importing numpy."""
    import importlib.util

    spec = importlib.util.find_spec("numpy")
    if spec is None or spec.origin is None:
        return None
    libs = os.path.join(os.path.dirname(spec.origin), os.pardir, "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas*.so"))):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            if hasattr(lib, name):
                corename = getattr(lib, name)
                corename.restype = ctypes.c_char_p
                value = corename()
                return value.decode() if value else None
    return None
