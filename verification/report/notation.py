"""The paper's notation in the report's text and figures.

- :func:`parameter_text`: one name per parameter of the box of readings of the paper being
  checked (:meth:`verification.engine.paper.Paper.box`; for Hinton & Plaut the Sec. 4
  experiment's), the paper's symbol (``fast_epsilon = 0.005`` -> ``ε_f = 0.005``); the
  option name appears once, in the table of the box of readings (``ε_f (`fast_epsilon`)``).
- :func:`prose_math`: the ASCII of the derivations' step notes and titles
  (``E[cos theta] minus rho^2``, ``x_k^T S x_k``) in Unicode, with ``<sub>``/``<sup>`` in
  HTML, so the words beside the MathML use the same symbols.
- :func:`mathtext`: a label with the paper's symbols (``ε_f``, ``α_f``, ``E_k(t)``) as
  matplotlib mathtext, so subscripts are set as subscripts in the figures.
"""

from __future__ import annotations

import functools
import html
import re

from ..engine.paper import current_paper

__all__ = ["mathtext", "parameter_text", "prose_math", "symbols"]


def symbols() -> dict[str, str]:
    """The symbols of the paper's unstated parameters by option name (its box of readings;
    none when it has no box)."""
    return {d.name: d.symbol for d in current_paper().box()}


@functools.cache
def _patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    longest_first = sorted(map(re.escape, names), key=len, reverse=True)
    option = re.compile(r"\b(" + "|".join(longest_first) + r")(\s*=\s*)") if names else None
    underscored = [n for n in longest_first if "_" in n]
    bare = re.compile(r"\b(" + "|".join(underscored) + r")\b(?!`)") if underscored else None
    return option, bare


def parameter_text(text: str) -> str:
    """``fast_epsilon = 0.005, init_scale = 1`` -> ``ε_f = 0.005, initial ±r = 1``; an
    option name with an underscore standing alone (``depends on error_function``) becomes
    its symbol too."""
    names = symbols()
    option, bare = _patterns(tuple(names))
    if option is not None:
        text = option.sub(lambda m: names[m.group(1)] + m.group(2), text)
    if bare is not None:
        text = bare.sub(lambda m: names[m.group(1)], text)
    return text


_GREEK = {
    "theta": "θ",
    "rho": "ρ",
    "sigma": "σ",
    "lambda": "λ",
    "alpha": "α",
    "beta": "β",
    "kappa": "κ",
    "epsilon": "ε",
    "eps": "ε",
    "eta": "η",
    "phi": "φ",
    "psi": "ψ",
    "delta": "δ",
    "mu": "μ",
    "pi": "π",
}
_WORDS = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![a-z])"
)
_SYMBOLS_ASCII = (
    ("->", "→"),
    ("<=", "≤"),
    (">=", "≥"),
    ("!=", "≠"),
    ("+-", "±"),
    ("**", "^"),
)
_SUPERSCRIPTS = str.maketrans("0123456789+-T", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ᵀ")


def _unicode(text: str) -> str:
    for ascii_, symbol in _SYMBOLS_ASCII:
        text = text.replace(ascii_, symbol)
    text = re.sub(r"<(\w[^<>]*?\w)>", r"⟨\1⟩", text)  # <cos theta> -> ⟨cos θ⟩
    text = _WORDS.sub(lambda m: _GREEK[m.group(1)], text)
    text = re.sub(r"\bgrad\b ?", "∇", text)
    text = re.sub(r"\bsqrt\(", "√(", text)
    text = re.sub(r"\bsum_", "Σ_", text)
    text = re.sub(r"\bint_", "∫_", text)
    text = re.sub(r"(?:\b|(?<=_))(?:oo|infinity)\b", "∞", text)
    text = re.sub(r"(?<=[{\s])in(?=\s)", "∈", text) if "Σ_{" in text else text
    # a.b, x_j.e, (x.y): a dot between symbols (never between two digits)
    return re.sub(r"(?<=[A-Za-z)\]|])\.(?=[A-Za-z(|])|(?<=[A-Za-z)])\.(?=\d)", "·", text)


def prose_math(text: str, markup: bool = True) -> str:
    """ASCII math in a note as Unicode; with ``markup`` (HTML) escaped, with ``<sub>`` and
    ``<sup>`` for ``_x``, ``_{...}``, ``^x``, ``^{...}``. Without markup (Markdown): digits
    and ``T`` after ``^`` become superscript characters, subscripts stay ``_x``."""
    text = _unicode(text)
    if not markup:
        return re.sub(r"\^(-?\d+\b|T\b|\+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = html.escape(text, quote=False)
    text = re.sub(r"\^\{([^{}]*)\}", r"<sup>\1</sup>", text)
    text = re.sub(r"\^(-?\w+|[*+∞])", r"<sup>\1</sup>", text)
    text = re.sub(r"(?<=[\w)|Σ∫])_\{([^{}]*)\}", r"<sub>\1</sub>", text)
    return re.sub(r"(?<=[\w)|Σ∫])_(\w+|∞)", r"<sub>\1</sub>", text)


_TEX = {"ε": r"\epsilon", "α": r"\alpha", "λ": r"\lambda", "σ": r"\sigma", "θ": r"\theta",
        "ρ": r"\rho", "φ": r"\phi"}  # fmt: skip
_SUBSCRIPTED = re.compile(r"([A-Za-zεαλσθρφ])_(\w+|\{[^{}]*\})")


def mathtext(label: str) -> str:
    """``ε_f = 0.005`` -> ``$\\epsilon_f$ = 0.005``; ``⟨E_k(t)⟩`` -> mathtext; other labels
    unchanged (matplotlib would print ``_f`` literally)."""

    def one(match: re.Match[str]) -> str:
        base = _TEX.get(match.group(1), match.group(1))
        sub = match.group(2).strip("{}")
        return f"${base}_{{{sub}}}$"

    return _SUBSCRIPTED.sub(one, label)
