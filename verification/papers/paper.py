"""A paper as data: what the claim registry and the report engine read about it.

:class:`Paper` gathers what is specific to one paper: its title and citation, the default
seed, the modules that register its claims and draw its figures, the order of its claims,
the short names of their quantities, its assumptions and its stored search over the
readings it leaves unstated. The engine (``verification.claims.registry``,
``verification.report``) reads these fields. Not yet here: the box of those readings
(``verification/readings/box.py``), which the readings engine imports directly. Modules are
named by dotted path (imported when first needed), so a paper's module imports nothing
heavy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Paper"]


@dataclass(frozen=True)
class Paper:
    """One paper checked by the toolkit.

    Attributes:
        key: a short identifier (``"hinton-plaut-1987"``).
        title: the paper's title.
        citation: how the report cites it (``"Hinton & Plaut (1987)"``).
        report_title: the report's heading.
        introduction: the report's first paragraph (Markdown).
        default_seed: the root seed of ``fastweights verify`` and ``report`` unless told.
        claim_modules: the modules whose import registers the paper's claims.
        claim_order: the claims' ids in the order the report lists them; a registered
            claim missing here comes last, in registration order.
        quantity_names: a plain-language name of each claim's quantity for the summary.
        figure_modules: the modules whose import declares the paper's figures
            (``verification.report.figure_specs.figure``), drawn in declaration order.
        assumptions: ``"module:function"`` giving the report's assumptions table rows.
        stored_readings: the directory under ``verification/data/readings`` holding the
            stored search over the unstated parameters ("" when there is none).
    """

    key: str
    title: str
    citation: str
    report_title: str
    introduction: str
    default_seed: int
    claim_modules: tuple[str, ...]
    claim_order: tuple[str, ...]
    quantity_names: Mapping[str, str] = field(default_factory=dict)
    figure_modules: tuple[str, ...] = ()
    assumptions: str = ""
    stored_readings: str = ""

    def import_claims(self) -> None:
        """Import the claim modules (which registers the claims)."""
        for module in self.claim_modules:
            importlib.import_module(module)

    def import_figures(self) -> None:
        """Import the figure modules (which declares the figures)."""
        for module in self.figure_modules:
            importlib.import_module(module)

    def assumption_rows(self) -> list[Any]:
        """The rows of the assumptions table (none when the paper names no provider)."""
        if not self.assumptions:
            return []
        provider: Callable[[], list[Any]] = _resolve(self.assumptions)
        return provider()


def _resolve(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)
