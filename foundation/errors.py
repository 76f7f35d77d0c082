"""The one error a public function raises for a value outside what it accepts.

``theory`` and ``simulation`` each check their arguments (``_validate``) and both raise
this class, so ``except ParameterError`` catches either one's; the command line turns it
into one line on stderr and exit status 2.
"""

from __future__ import annotations

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A public function was given a value outside what it accepts.

    The message is one line naming the parameter and what it accepts, e.g.
    ``q: expected a number in (0, 1], got 1.5``.

    Examples:
        >>> from foundation.errors import ParameterError
        >>> error = ParameterError("q", "a number in (0, 1]", 1.5)
        >>> str(error), error.name, isinstance(error, ValueError)
        ('q: expected a number in (0, 1], got 1.5', 'q', True)
    """

    def __init__(self, name: str, accepts: str, got: object) -> None:
        super().__init__(f"{name}: expected {accepts}, got {got!r}")
        self.name = name
        self.accepts = accepts
