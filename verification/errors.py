"""The errors the command line reports as one line and exit status 2."""

from __future__ import annotations

import simulation
import theory

__all__ = ["USER_ERRORS", "UsageError"]


class UsageError(ValueError):
    """A bad option or an unusable path, reported as ``name: expected ..., got ...``."""

    def __init__(self, name: str, accepts: str, got: object) -> None:
        super().__init__(f"{name}: expected {accepts}, got {got!r}")
        self.name = name


USER_ERRORS: tuple[type[Exception], ...] = (
    UsageError,
    theory.ParameterError,
    simulation.ParameterError,
)
