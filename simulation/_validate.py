"""Argument checks for the public functions of ``simulation``.

Every check raises :class:`ParameterError`, a ``ValueError`` whose message is one
line naming the parameter and what it accepts. The command line turns it into
that line on stderr and exit status 2.
"""

from __future__ import annotations

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A public function was given a value outside what it accepts."""

    def __init__(self, name: str, accepts: str, got: object) -> None:
        super().__init__(f"{name}: expected {accepts}, got {got!r}")
        self.name = name
        self.accepts = accepts
