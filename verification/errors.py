"""The errors the command line reports as one line and exit status 2."""

from __future__ import annotations

from foundation.errors import ParameterError

__all__ = ["USER_ERRORS", "UsageError"]


class UsageError(ValueError):
    """A bad option or an unusable path, reported as ``name: expected ..., got ...``."""

    def __init__(self, name: str, accepts: str, got: object) -> None:
        super().__init__(f"{name}: expected {accepts}, got {got!r}")
        self.name = name


USER_ERRORS: tuple[type[Exception], ...] = (UsageError, ParameterError)
"""What the command line reports as one line: a bad option, or a bad argument to a public
function of ``theory`` or ``simulation`` (both raise ``foundation``'s ``ParameterError``)."""
