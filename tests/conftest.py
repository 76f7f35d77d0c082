"""Shared test configuration: hypothesis profiles, and the check that OpenBLAS runs the
kernels that stored numbers were made with (``stored_blas_kernels``; the root ``conftest.py``
pins them).

``ci`` (the default) is derandomized and thorough; ``dev`` is quick. Choose with
``HYPOTHESIS_PROFILE=dev``.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def openblas_core() -> str | None:
    """The name of the kernels numpy's OpenBLAS runs (e.g. ``"Haswell"``), or None when it
    cannot be read (a numpy not built with scipy-openblas)."""
    import ctypes
    import glob

    import numpy as np

    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libs, "libscipy_openblas*.so")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            if hasattr(lib, name):
                corename = getattr(lib, name)
                corename.restype = ctypes.c_char_p
                return corename().decode()
    return None


@pytest.fixture
def stored_blas_kernels():
    """Fails, saying why, unless OpenBLAS runs the kernels the stored numbers were made with
    (the root ``conftest.py`` pins them where the CPU can run them)."""
    expected = "Haswell"  # PINNED_BLAS_CORE of the root conftest.py
    core = openblas_core()
    if core != expected:
        pytest.fail(
            f"these numbers were stored with OpenBLAS's {expected} kernels, but {core} ran "
            f"(OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!r}); other kernels move "
            "float32 results in their last digits, so a bit-for-bit comparison is not defined",
            pytrace=False,
        )
