"""The errors the command line reports as one line and exit status 2.

There is one exception to catch: :class:`UsageError` (a bad option or an unusable path) is
a ``foundation`` :class:`~foundation.errors.ParameterError`, the error every public function
of ``theory``, ``simulation`` and ``verification`` raises for a value it does not accept; so
``except ParameterError`` catches them all.
"""

from __future__ import annotations

from foundation.errors import ParameterError

__all__ = ["USER_ERRORS", "UsageError"]


class UsageError(ParameterError):
    """A bad option or an unusable path, reported as ``name: expected ..., got ...``."""


USER_ERRORS: tuple[type[Exception], ...] = (ParameterError,)
"""What the command line reports as one line: a bad option (:class:`UsageError`), or a bad
argument to a public function of ``theory``, ``simulation`` or ``verification`` (all raise
``foundation``'s ``ParameterError``)."""
