"""Lazy re-exports: a package's public names are imported from their submodules on first use.

A package lists its re-exports as ordinary relative imports inside ``if TYPE_CHECKING:``
(what readers and mypy see) and ends with ``install(__name__, __file__)``. Those import
lines are read once from the package's source (``ast``, no import), and each name is
imported from its submodule the first time it is used: ``import theory`` costs no sympy,
``theory.pair_transfer`` imports ``theory.pair`` and what it needs, nothing else.

``simulation/_lazy.py`` is the same file (``theory`` and ``simulation`` never import each
other; a test keeps the two copies identical).
"""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path
from typing import Any

__all__ = ["install", "lazy_names"]


def lazy_names(init_file: str) -> dict[str, tuple[str, str | None]]:
    """``name -> (submodule, attribute)`` from the ``if TYPE_CHECKING:`` block of ``init_file``.

    ``from .pair import pair_transfer`` gives ``pair_transfer -> ("pair", "pair_transfer")``;
    ``from . import linear`` gives ``linear -> ("linear", None)`` (the submodule itself).
    """
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    names: dict[str, tuple[str, str | None]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and _is_type_checking(node.test)):
            continue
        for statement in node.body:
            if not isinstance(statement, ast.ImportFrom) or statement.level != 1:
                continue
            for alias in statement.names:
                bound = alias.asname or alias.name
                if statement.module is None:
                    names[bound] = (alias.name, None)
                else:
                    names[bound] = (statement.module, alias.name)
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _LazyPackage(types.ModuleType):
    """A package module whose re-exported names win over same-named submodules.

    Importing ``theory.derivation`` (the module) binds it as the package attribute
    ``derivation``; the package re-exports the *function* ``derivation`` from it, and that
    must stay what ``theory.derivation`` means, as it did when the package imported eagerly.
    """

    _lazy_names: dict[str, tuple[str, str | None]]

    def __setattr__(self, name: str, value: Any) -> None:
        entry = self.__dict__.get("_lazy_names", {}).get(name)
        if isinstance(value, types.ModuleType) and entry is not None:
            submodule, attribute = entry
            if attribute is not None and value.__name__ == f"{self.__name__}.{submodule}":
                value = getattr(value, attribute)
        super().__setattr__(name, value)


def install(package: str, init_file: str) -> None:
    """Make ``package`` (its ``__init__`` at ``init_file``) import its re-exports on first use."""
    module = sys.modules[package]
    names = lazy_names(init_file)
    module.__dict__["_lazy_names"] = names

    def __getattr__(name: str) -> Any:
        entry = names.get(name)
        if entry is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        submodule = importlib.import_module(f"{package}.{entry[0]}")
        for other, (where, attribute) in names.items():  # bind all names of that submodule
            if where == entry[0]:
                value = submodule if attribute is None else getattr(submodule, attribute)
                module.__dict__[other] = value
        return module.__dict__[name]

    def __dir__() -> list[str]:
        return sorted(set(module.__dict__) | set(names))

    module.__dict__["__getattr__"] = __getattr__
    module.__dict__["__dir__"] = __dir__
    module.__class__ = _LazyPackage
