"""Formulas for the report: presentation MathML from sympy (HTML) and LaTeX (Markdown).

``sympy.printing.mathml(expr, printer="presentation")`` prints every symbol name as it is.
The derivations in ``theory`` name some symbols with LaTeX (``\\langle XY\\rangle``,
``\\frac{\\partial E_A}{\\partial w_k}``) so that ``sympy.latex`` renders them; for MathML
such symbols are swapped for placeholders before printing and the placeholders replaced by
MathML built from the name (:func:`name_to_mathml`): LaTeX commands become Unicode,
``_x`` / ``^x`` become ``msub`` / ``msup``. No network, no JavaScript: browsers render
MathML Core natively.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy.printing.mathml import mathml

__all__ = ["all_formulas", "derivation_formulas", "expr_to_mathml", "name_to_mathml"]

_COMMANDS = {
    r"\langle": "⟨",
    r"\rangle": "⟩",
    r"\partial": "∂",
    r"\cdot": "·",
    r"\infty": "∞",
    r"\to": "→",
    r"\sup": "sup ",
    r"\int": "∫",
    r"\cos": "cos ",
    r"\sin": "sin ",
    r"\,": " ",
    r"\theta": "θ",
    r"\rho": "ρ",
    r"\Delta": "Δ",
    r"\lambda": "λ",
    r"\epsilon": "ε",
    r"\varepsilon": "ε",
    r"\sigma": "σ",
    r"\alpha": "α",
    r"\phi": "φ",
    r"\eta": "η",
    r"\pi": "π",
    r"\mu": "μ",
    r"\nu": "ν",
    r"\kappa": "κ",
    r"\tau": "τ",
}
_NEEDS_PLACEHOLDER = re.compile(r"[\\{}()<>⟨⟩/=,]| ")
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def _strip_commands(name: str) -> str:
    """Turn the LaTeX in a symbol name into Unicode text that keeps ``_``/``^`` groups."""
    text = name
    # \frac{A}{B} -> A/B (innermost first; no nested braces inside A or B).
    frac = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while frac.search(text):
        text = frac.sub(r"\1/\2", text)
    text = re.sub(r"\\(?:mathrm|text|operatorname)\{([^{}]*)\}", r"\1", text)
    text = unicodedata.normalize("NFC", re.sub(r"\\dot\{([^{}])\}", "\\1\u0307", text))
    for command in sorted(_COMMANDS, key=len, reverse=True):
        pattern = re.escape(command) + (r"(?![A-Za-z])" if command[-1].isalpha() else "")
        text = re.sub(pattern, _COMMANDS[command], text)  # no backslash in any replacement
    return re.sub(r"\\([A-Za-z]+)", r"\1", text)  # any command left: its name


def _run_to_mathml(text: str) -> str:
    """A run of plain text as ``mi``/``mn``/``mo`` elements."""
    parts = []
    for token in re.findall(r"[A-Za-zΑ-ω\u0307]+|\d+(?:\.\d+)?|\s+|.", text):
        if token.isspace():
            continue
        escaped = html.escape(token, quote=False)
        if token[0].isdigit():
            parts.append(f"<mn>{escaped}</mn>")
        elif token[0].isalpha():
            parts.append(f"<mi>{escaped}</mi>")
        else:
            parts.append(f"<mo>{escaped}</mo>")
    if not parts:
        return "<mrow></mrow>"
    return parts[0] if len(parts) == 1 else "<mrow>" + "".join(parts) + "</mrow>"


def _group(text: str, start: int) -> tuple[str, int]:
    """The script group at ``text[start]``: ``{...}`` (balanced) or one character."""
    if start >= len(text):
        return "", start
    if text[start] != "{":
        return text[start], start + 1
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
    return text[start + 1 :], len(text)


def _scripted_to_mathml(text: str) -> str:
    """Unicode text with ``_``/``^`` scripts as MathML (scripts attach to the last token)."""
    pieces: list[str] = []
    run = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "_^":
            tokens = re.findall(r"[A-Za-zΑ-ω\u0307]|\d+|\s+|.", run)
            base_token = tokens[-1] if tokens else ""
            before = run[: len(run) - len(base_token)]
            if before:
                pieces.append(_run_to_mathml(before))
            base = _run_to_mathml(base_token)
            script, i = _group(text, i + 1)
            script_ml = _scripted_to_mathml(script)
            tag = "msub" if ch == "_" else "msup"
            if i < len(text) and text[i] in "_^" and text[i] != ch:
                other, i = _group(text, i + 1)
                sub, sup = (script_ml, _scripted_to_mathml(other))
                if ch == "^":
                    sub, sup = sup, sub
                pieces.append(f"<msubsup>{base}{sub}{sup}</msubsup>")
            else:
                pieces.append(f"<{tag}>{base}{script_ml}</{tag}>")
            run = ""
            continue
        run += ch
        i += 1
    if run:
        pieces.append(_run_to_mathml(run))
    return pieces[0] if len(pieces) == 1 else "<mrow>" + "".join(pieces) + "</mrow>"


def name_to_mathml(name: str) -> str:
    """MathML for a symbol whose name is written in LaTeX, e.g. ``\\langle XY\\rangle``."""
    return _scripted_to_mathml(_strip_commands(name))


def expr_to_mathml(expr: Any, display: bool = True) -> str:
    """A ``<math>`` element (presentation MathML) for a sympy expression."""
    expr = sp.sympify(expr)
    replacements: dict[str, str] = {}
    mapping = {}
    for i, symbol in enumerate(sorted(expr.free_symbols, key=str)):
        name = getattr(symbol, "name", None)
        if isinstance(symbol, sp.Symbol) and name and _NEEDS_PLACEHOLDER.search(name):
            placeholder = f"zzplaceholder{i}zz"
            mapping[symbol] = sp.Symbol(placeholder, **symbol.assumptions0)
            replacements[f"<mi>{placeholder}</mi>"] = name_to_mathml(name)
    if mapping:
        expr = expr.xreplace(mapping)
    body = mathml(expr, printer="presentation")
    for placeholder, markup in replacements.items():
        body = body.replace(placeholder, markup)
    mode = "block" if display else "inline"
    return f'<math xmlns="{_MATHML_NS}" display="{mode}">{body}</math>'


def derivation_formulas(name: str) -> dict[str, Any]:
    """A derivation of ``theory`` as data for the report: steps with MathML and LaTeX.

    Returns ``{"name", "title", "section", "steps": [{"name", "note", "latex", "mathml"}]}``.
    """
    import theory

    d = theory.derivation(name)
    return {
        "name": d.name,
        "title": d.title,
        "section": d.section,
        "steps": [
            {
                "name": step.name,
                "note": step.note,
                "latex": step.latex,
                "mathml": expr_to_mathml(step.expr),
            }
            for step in d.steps
        ],
    }


def all_formulas(names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """:func:`derivation_formulas` of every name (a missing derivation is left out)."""
    import importlib
    import pkgutil

    import theory

    for module in pkgutil.iter_modules(theory.__path__):  # register every derivation
        if not module.name.startswith("_"):
            importlib.import_module(f"theory.{module.name}")
    known = set(theory.list_derivations())
    return {name: derivation_formulas(name) for name in names if name in known}
