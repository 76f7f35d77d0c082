"""Derivations as data: named steps, each a sympy expression with its LaTeX.

A :class:`Derivation` is what every module of ``theory`` builds: the chain of
steps that leads from the paper's model to a result, the result itself, and a
numeric function of the result made with ``sympy.lambdify`` (numpy module).
Builders are registered by name with :func:`register` and built once
(:func:`derivation` caches them), so ``fastweights derive NAME`` and the report
show exactly what the tests check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = [
    "Derivation",
    "Step",
    "derivation",
    "derivation_title",
    "list_derivations",
    "register",
]


@dataclass(frozen=True)
class Step:
    """One step of a derivation: a name, a sympy expression and a sentence of explanation.

    Examples:
        >>> import sympy as sp
        >>> from theory import Step
        >>> x, y = sp.symbols("x y")
        >>> step = Step("double", sp.Eq(y, 2 * x), "y is twice x")
        >>> step.expr.rhs, step.latex
        (2*x, 'y = 2 x')
    """

    name: str
    expr: sp.Basic
    note: str = ""

    @property
    def latex(self) -> str:
        """The step's expression as LaTeX (``sympy.latex``)."""
        return str(sp.latex(self.expr))


@dataclass(frozen=True)
class Derivation:
    """A named derivation.

    Attributes:
        name: registry key, e.g. ``"eq1-factorization"``.
        title: one line for listings.
        section: where in Hinton & Plaut (1987) the claim is, e.g. ``"Sec. 5, Eq. (1)"``.
        steps: the derivation, in order.
        result: the final sympy expression.
        symbols: the free symbols ``numeric`` takes, in order.
        numeric: ``sympy.lambdify(symbols, result, "numpy")``.

    Examples:
        Every registered derivation is one; Eq. (3), evaluated at n_agree = 2, n_disagree = 1,
        n_a = 3, n_b = 4:

        >>> from theory import derivation
        >>> d = derivation("eq3-signed")
        >>> d.section, d.symbols
        ('Sec. 5.2, Eq. (3)', (n_agree, n_disagree, n_a, n_b))
        >>> d.step("eq3").expr.rhs == d.result
        True
        >>> round(d.numeric(2, 1, 3, 4), 12)
        0.083333333333
    """

    name: str
    title: str
    section: str
    steps: tuple[Step, ...]
    result: sp.Basic
    symbols: tuple[sp.Symbol, ...] = ()
    numeric: Callable[..., Any] = field(default=lambda *args: None, compare=False)

    def step(self, name: str) -> Step:
        """The step called ``name`` (KeyError if there is none)."""
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)


_BUILDERS: dict[str, Callable[[], Derivation]] = {}
_TITLES: dict[str, str] = {}


def register(
    name: str, title: str
) -> Callable[[Callable[[], Derivation]], Callable[[], Derivation]]:
    """Decorator: register a zero-argument builder of the derivation ``name``.

    ``title`` is the one-line title the built derivation carries, known without
    building it (``fastweights derive --list`` lists titles in milliseconds).
    """

    def deco(builder: Callable[[], Derivation]) -> Callable[[], Derivation]:
        if name in _BUILDERS:
            raise RuntimeError(f"derivation {name!r} registered twice")
        _BUILDERS[name] = builder
        _TITLES[name] = title
        return builder

    return deco


def derivation_title(name: str) -> str:
    """The registered title of ``name``, without building the derivation.

    Examples:
        >>> from theory import derivation_title
        >>> derivation_title("ratio-943")
        'Retraining m of K associations: unretrained/retrained ratio m c/(1+(m-1)c)'
    """
    _check_name(name)
    return _TITLES[name]


@functools.cache
def _import_every_module() -> None:
    """Import every module of the package: derivations register when their module loads.

    ``theory`` imports its modules lazily (``foundation.lazy``), so a registry read before
    the modules that fill it are imported would look empty.
    """
    import importlib
    import pkgutil
    import sys

    package = __name__.rpartition(".")[0]
    for info in pkgutil.iter_modules(sys.modules[package].__path__):
        importlib.import_module(f"{package}.{info.name}")


def _check_name(name: str) -> None:
    from ._validate import ParameterError

    _import_every_module()
    if name not in _BUILDERS:
        raise ParameterError("name", "one of " + ", ".join(list_derivations()), name)


def list_derivations() -> list[str]:
    """Names of all registered derivations, sorted.

    Examples:
        >>> from theory import list_derivations
        >>> names = list_derivations()
        >>> names[:3]
        ['cos-gap', 'dimension-independence', 'ellipse-arc-fraction']
        >>> "eq2-zero-one" in names and names == sorted(names)
        True
    """
    _import_every_module()
    return sorted(_BUILDERS)


@functools.cache
def derivation(name: str) -> Derivation:
    """Build (once) and return the derivation ``name``.

    Examples:
        >>> from theory import derivation
        >>> d = derivation("eq2-zero-one")
        >>> [step.name for step in d.steps][:3]
        ['cos-ab', 'numerator', 'stated-denominator']
    """
    _check_name(name)
    return _BUILDERS[name]()
