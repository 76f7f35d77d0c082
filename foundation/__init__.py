"""The toolkit's foundation: what ``theory``, ``simulation`` and ``verification`` share.

No mathematics, and no import of the three packages above it (a test checks that), so
``theory`` and ``simulation`` can both use it and still never import each other.

=====================  ===========================================================
``ParameterError``     the one ``ValueError`` for bad input: ``name: expected ..., got ...``
``atomic``             ``write_atomically``: temporary file, ``fsync``, ``os.replace``,
                       ``fsync`` of the directory (import ``foundation.atomic``; not
                       imported here, so ``theory`` and ``simulation`` start without it)
``settings``           a parameter declared once (a settings-dataclass field): its
                       check, its command-line option, its docs row
``vectors``            checks of input arrays (numpy; not imported here)
``blas``               ``pin_kernels``: OpenBLAS's kernels chosen before numpy loads, so a
                       seed gives the same numbers on every Linux AVX2 machine (the CLI)
``lazy``               ``install``: a package's re-exports imported on first use (the
                       start-up of ``theory`` and ``simulation``)
=====================  ===========================================================
"""

from .errors import ParameterError

__all__ = ["ParameterError"]
