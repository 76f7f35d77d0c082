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


@pytest.fixture
def stored_blas_kernels():
    """Fails, saying why, unless OpenBLAS runs the kernels the stored numbers were made with
    (the root ``conftest.py`` pins them where the CPU can run them)."""
    from foundation.blas import PINNED_KERNELS as expected
    from foundation.blas import can_pin, kernels

    core = kernels()
    if not can_pin() and core != expected:
        pytest.skip(
            f"!!! this machine cannot run OpenBLAS's {expected} kernels (it needs Linux "
            f"x86-64 with AVX2 and FMA; {core} ran): the stored numbers' bit-for-bit "
            "comparison is not defined here and was NOT made !!!"
        )
    if core != expected:
        pytest.fail(
            f"these numbers were stored with OpenBLAS's {expected} kernels, but {core} ran "
            f"(OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!r}); other kernels move "
            "float32 results in their last digits, so a bit-for-bit comparison is not defined",
            pytrace=False,
        )
