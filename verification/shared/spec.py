"""A named input: a computation shared by claims and figures, declared once.

A claim (``ClaimSpec.needs``) or a figure (``@figure(..., needs=...)``) names the inputs it
uses; :mod:`.executor` computes each once per request (seed, ``--quick`` and the options the
input declares) and, when a background process runs, starts the expensive part of it there
ahead of time. Every input is a pure function of its request: the same value whichever
process computes it, and whether or not anything was started early.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["InputSpec", "Request"]


@dataclass(frozen=True)
class Request:
    """What an input's value depends on: the root seed, ``--quick``, and the run options
    the input declares (``InputSpec.options``, e.g. ``("readings", "builtin")``)."""

    seed: int
    quick: bool
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, name: str) -> Any:
        """The value of option ``name`` (None when not given)."""
        return dict(self.options).get(name)


@dataclass(frozen=True)
class InputSpec:
    """A shared computation, by name.

    Attributes:
        name: how claims and figures ask for it (``ctx.input("deblur-runs")``).
        compute: ``(request, early) -> value`` in this process. When a background process
            runs and :attr:`early` is wanted, ``early`` is a function of no arguments that
            returns its result (waiting for the background process if it was started
            there, else computing it here), so ``compute`` can do the rest of the work
            first; else ``early`` is ``None`` and ``compute`` does all of the work its own
            way.
        early: ``request -> result``: the expensive, self-contained part worth starting in
            the background process before the claims run (scheduling only: a pure function
            of the request); None: nothing to start.
        start_if: whether :attr:`early` is wanted for this request (default: always).
        needs: the inputs this one uses (started before it).
        options: the run options besides seed and ``--quick`` its value depends on.
        keep: how many requests' values to keep cached (oldest dropped first).
    """

    name: str
    compute: Callable[[Request, Callable[[], Any] | None], Any]
    early: Callable[[Request], Any] | None = None
    start_if: Callable[[Request], bool] = field(default=lambda _request: True)
    needs: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    keep: int = 4
