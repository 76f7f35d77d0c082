"""A paper as data: what the claim registry and the report engine read about it.

:class:`Paper` gathers what is specific to one paper: its title and citation, the default
seed, the modules that register its claims and draw its figures, the order of its claims,
the short names of their quantities, its assumptions and its stored search over the
readings it leaves unstated, the box of those readings, the named inputs its claims share,
the groups its claims are shown in and the parameters its report's ``meta`` records. The
engine (``verification.engine``, ``verification.report``, ``verification.shared``) reads
these fields and nothing else about a paper. Modules are named by dotted path (imported
when first needed), so a paper's module imports nothing heavy, and the engine never
imports a paper's module by name.

The papers are registered here: the built-in ones (:data:`BUILTIN_PAPERS`, each module's
``PAPER``) and any other :func:`register_paper` adds (a test's toy paper). The commands
check one paper at a time, :func:`current_paper`: the first built-in one unless a command
runs inside :func:`checking` (``--paper KEY``).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BUILTIN_PAPERS",
    "Paper",
    "checking",
    "current_paper",
    "default_paper",
    "paper_by_key",
    "register_paper",
    "registered_papers",
    "unregister_paper",
]

BUILTIN_PAPERS = ("verification.papers.hinton_plaut_1987",)
"""The modules whose ``PAPER`` the toolkit checks; the first is the default."""


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
        readings_box: ``"module:name"`` giving the box of the readings the paper leaves
            unstated (a sequence of ``verification.readings.box.Dimension``; "" for none).
        input_modules: the modules whose import registers the named inputs the claims and
            figures share (``verification.shared``).
        claim_groups: the report's groups of claims, each ``(heading, claim ids)``; the
            claims no group lists go into the first group that lists none (a trailing
            "Claims" group when there is none).
        parameters: ``"module:function"``: ``function(quick)`` gives the paper's settings
            ``results.json`` records in ``meta.parameters`` after the engine's own.
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
    readings_box: str = ""
    input_modules: tuple[str, ...] = ()
    claim_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parameters: str = ""

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

    def box(self) -> tuple[Any, ...]:
        """The box of readings the paper leaves unstated (empty when it names none)."""
        return tuple(_resolve(self.readings_box)) if self.readings_box else ()

    def import_inputs(self) -> None:
        """Import the input modules (which registers the named inputs)."""
        for module in self.input_modules:
            importlib.import_module(module)

    def meta_parameters(self, quick: bool) -> dict[str, Any]:
        """The paper's settings for ``meta.parameters`` (none without a provider)."""
        if not self.parameters:
            return {}
        provider: Callable[[bool], dict[str, Any]] = _resolve(self.parameters)
        return dict(provider(quick))

    def grouped(self, claim_ids: list[str]) -> list[tuple[str, list[str]]]:
        """``claim_ids`` in the paper's groups (headings with the ids in each, in order)."""
        groups = [(title, [i for i in claim_ids if i in ids]) for title, ids in self.claim_groups]
        listed = {i for _, ids in self.claim_groups for i in ids}
        rest = [i for i in claim_ids if i not in listed]
        for position, (_, ids) in enumerate(self.claim_groups):
            if not ids:
                groups[position][1].extend(rest)
                return groups
        return [*groups, ("Claims", rest)] if rest else groups


_PAPERS: dict[str, Paper] = {}
_CHECKING: list[Paper] = []


def register_paper(paper: Paper) -> Paper:
    """Add ``paper`` to the papers the commands can check (keys are unique)."""
    known = _PAPERS.get(paper.key)
    if known is not None and known is not paper:
        raise RuntimeError(f"paper {paper.key!r} registered twice")
    _PAPERS[paper.key] = paper
    return paper


def unregister_paper(key: str) -> None:
    """Remove the paper ``key`` (a test's toy paper, when the test ends)."""
    _PAPERS.pop(key, None)


def registered_papers() -> dict[str, Paper]:
    """Every paper by key: the built-in ones first, then those registered since."""
    builtin = {}
    for module in BUILTIN_PAPERS:
        paper: Paper = importlib.import_module(module).PAPER
        builtin[paper.key] = register_paper(paper)
    return builtin | _PAPERS


def default_paper() -> Paper:
    """The first built-in paper."""
    return next(iter(registered_papers().values()))


def paper_by_key(key: str) -> Paper:
    """The registered paper ``key``; ``KeyError`` naming the known keys otherwise."""
    papers = registered_papers()
    if key not in papers:
        raise KeyError(f"no paper {key!r} (known: {', '.join(papers)})")
    return papers[key]


def current_paper() -> Paper:
    """The paper being checked: the innermost :func:`checking`, else the default one."""
    return _CHECKING[-1] if _CHECKING else default_paper()


@contextlib.contextmanager
def checking(paper: Paper) -> Iterator[Paper]:
    """Within the block, :func:`current_paper` is ``paper``."""
    _CHECKING.append(paper)
    try:
        yield paper
    finally:
        _CHECKING.pop()


def _resolve(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)
