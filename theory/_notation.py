"""Labels for the left-hand sides of derivation steps: LaTeX for ``--latex``, plain text otherwise.

A :class:`Label` is a sympy Symbol whose name is readable text (``E[S²]/E[n_a n_b]``)
and whose LaTeX is the original markup (``\\langle S^2\\rangle/\\langle n_a n_b\\rangle``).
sympy's pretty printer would otherwise read ``^`` and ``_`` inside a LaTeX-like name
as super- and subscripts and garble it on a terminal.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

__all__ = ["Label", "plain_text"]

_LATEX: dict[str, str] = {}

# Longest patterns first: each LaTeX fragment and its plain-text rendering.
_REPLACEMENTS = (
    (r"\frac{2}{\pi}\arcsin", "(2/π) asin "),
    (r"\mathrm{sign}", "sign"),
    (r"\mathrm{paper}", "paper"),
    (r"\langle", "E["),
    (r"\rangle", "]"),
    (r"\cos\theta", "cos θ"),
    (r"\cos", "cos"),
    (r"\rho", "ρ"),
    (r"\Delta", "Δ"),
    (r"\partial", "∂"),
    (r"\infty", "∞"),
    (r"\int_0^\infty", "∫₀^∞"),
    (r"\cdot", "·"),
    (r"\dot E", "dE/dt"),
    (r"\dot e", "de/dt"),
    (r"\geq", "≥"),
    (r"\notin", "∉"),
    (r"\in", "∈"),
    (r"\to", "→"),
    (r"\lim", "lim"),
    (r"\pm", "±"),
    (r"\bar{a}", "ā"),
    (r"\bar{b}", "b̄"),
    (r"\,", " "),
    ("^2", "²"),
    ("^4", "⁴"),
    ("^*", "*"),
)


def plain_text(latex: str) -> str:
    """A readable one-line rendering of a small LaTeX label."""
    text = latex
    for pattern, replacement in sorted(_REPLACEMENTS, key=lambda pr: -len(pr[0])):
        text = text.replace(pattern, replacement)
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split()).replace("E[ ", "E[")


class Label(sp.Symbol):  # type: ignore[misc]  # sympy is untyped
    """A symbol printed as plain text by ``str``/``pretty`` and as LaTeX by ``latex``."""

    def __new__(cls, latex: str, **assumptions: Any) -> Label:
        text = plain_text(latex)
        _LATEX.setdefault(text, latex)
        obj: Label = super().__new__(cls, text, **assumptions)
        return obj

    def _latex(self, printer: Any) -> str:
        name = str(self.name)
        return _LATEX.get(name, name)

    def _pretty(self, printer: Any) -> Any:
        return prettyForm(self.name)

    def _sympystr(self, printer: Any) -> str:
        return str(self.name)
