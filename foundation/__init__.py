"""The toolkit's foundation: what ``theory``, ``simulation`` and ``verification`` share.

No mathematics, and no import of the three packages above it (a test checks that), so
``theory`` and ``simulation`` can both use it and still never import each other.

=====================  ===========================================================
``ParameterError``     the one ``ValueError`` for bad input: ``name: expected ..., got ...``
=====================  ===========================================================
"""

from .errors import ParameterError

__all__ = ["ParameterError"]
