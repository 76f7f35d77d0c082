"""Loaded by pytest first, before anything imports numpy: pins OpenBLAS's matrix kernels.

OpenBLAS (numpy's BLAS) picks its kernels by CPU, and kernels sum in different orders, so
float32 numbers of the deblurring experiment move in their last digits from one CPU kind to
another (~1e-4 relative after many sweeps; docs/deblur.md, "Reproducibility and speed").
Some tests compare with numbers stored earlier bit for bit
(``tests/deblur/test_deblur_pinned.py``, ``tests/readings/test_stored_search.py``): those
numbers were made with OpenBLAS's ``Haswell`` kernels (AVX2 and FMA), so on any x86-64 CPU
that has both the tests run with them; every machine of that kind then checks the same
numbers. A user's own ``OPENBLAS_CORETYPE`` is kept (the pinned tests then say which kernels
ran). Those tests check the ``stored_blas_kernels`` fixture (``tests/conftest.py``).
"""

import os
import platform
import sys

PINNED_BLAS_CORE = "Haswell"
"""The OpenBLAS kernels the stored and pinned numbers were computed with."""


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


if (
    "numpy" not in sys.modules
    and platform.machine().lower() in ("x86_64", "amd64")
    and {"avx2", "fma"} <= _cpu_flags()
):
    os.environ.setdefault("OPENBLAS_CORETYPE", PINNED_BLAS_CORE)
