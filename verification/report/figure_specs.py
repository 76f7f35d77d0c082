"""Figures declare themselves: ``@figure(name, claims=..., needs=..., background=...)``.

Applied to a figure function ``(seed, quick) -> Figure`` where it is defined (the paper's
``figure_modules``, e.g. ``verification/report/figures.py``), the decorator registers a
:class:`FigureSpec` and sets the drawn figure's ``claim_ids`` to ``claims``;
:func:`figure_specs` lists the paper's figures in the order they were declared.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from .document import Figure

__all__ = ["FigureSpec", "figure", "figure_specs"]

Draw = Callable[[int, bool], Figure]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report.

    Attributes:
        name: the figure's file stem and anchor (``figures/<name>.png``).
        draw: ``(seed, quick) -> Figure``.
        claims: the claims it illustrates; a report restricted to some claims draws only
            their figures, and the figure is shown with the first of them present.
        needs: the named inputs (``verification.shared``) it reads; it is drawn after the
            figures that need none, once those inputs are computed.
        background: scheduling only: draw it in the background process when there is one
            (figures whose theory builds the slow symbolic derivations that process builds
            for its claims anyway).
        module: the module that declared it (a paper's figures are those its
            ``figure_modules`` declare).
    """

    name: str
    draw: Draw
    claims: tuple[str, ...]
    needs: tuple[str, ...] = ()
    background: bool = False
    module: str = ""


_FIGURES: dict[str, FigureSpec] = {}


def figure(
    name: str, claims: tuple[str, ...], needs: tuple[str, ...] = (), background: bool = False
) -> Callable[[Draw], Draw]:
    """Declare the decorated function as figure ``name`` illustrating ``claims``."""

    def declare(draw: Draw) -> Draw:
        @functools.wraps(draw)
        def drawn_figure(seed: int, quick: bool) -> Figure:
            made = draw(seed, quick)
            if made.name != name:
                raise RuntimeError(f"figure {name!r} drew a figure named {made.name!r}")
            return replace(made, claim_ids=claims)

        key = f"{draw.__module__}:{name}"
        if key in _FIGURES:
            raise RuntimeError(f"figure {name!r} declared twice")
        if background and needs:  # the background process would compute them again
            raise RuntimeError(f"figure {name!r}: background figures cannot have needs")
        _FIGURES[key] = FigureSpec(
            name, drawn_figure, tuple(claims), tuple(needs), background, draw.__module__
        )
        return drawn_figure

    return declare


def figure_specs() -> list[FigureSpec]:
    """The paper's figures (its ``figure_modules`` imported), in declaration order."""
    from ..engine.paper import current_paper

    paper = current_paper()
    paper.import_figures()
    return [spec for spec in _FIGURES.values() if spec.module in paper.figure_modules]
