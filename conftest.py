"""Loaded by pytest first, before anything imports numpy: pins OpenBLAS's matrix kernels as
the ``fastweights`` command does (:func:`foundation.blas.pin_kernels`).

Some tests compare with numbers stored earlier bit for bit
(``tests/deblur/test_deblur_pinned.py``, ``tests/readings/test_stored_search.py``); those
were made with OpenBLAS's ``Haswell`` kernels, and other kernels move float32 results in
their last digits. Those tests use the ``stored_blas_kernels`` fixture
(``tests/conftest.py``): it fails, naming the kernels that ran, when others run on a CPU that
could have run these, and skips loudly where none can (not Linux x86-64 with AVX2 and FMA).
"""

from foundation.blas import pin_kernels

pin_kernels()
