"""Loaded by pytest first, before anything imports numpy: pins OpenBLAS's matrix kernels as
the ``fastweights`` command does (:func:`foundation.blas.pin_kernels`).

Some tests compare with numbers stored earlier bit for bit
(``tests/deblur/test_deblur_pinned.py``, ``tests/readings/test_stored_search.py``); those
were made with OpenBLAS's ``Haswell`` kernels, and other kernels move float32 results in
their last digits. Those tests use the ``stored_blas_kernels`` fixture
(``tests/conftest.py``), which fails, naming the kernels that ran, when others run.
"""

from foundation.blas import pin_kernels

pin_kernels()
