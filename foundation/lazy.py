"""Lazy re-exports: a package's public names are imported from their submodules on first use.

A package lists its re-exports as ordinary relative imports inside ``if TYPE_CHECKING:``
(what readers and mypy see) and ends with ``install(__name__, __file__)``. Those import
lines are read once from the package's source (a regular expression: no import, not even
of ``ast``, which alone would cost a few milliseconds of start-up), and each name is
imported from its submodule the first time it is used: ``import theory`` costs no sympy,
``theory.pair_transfer`` imports ``theory.pair`` and what it needs, nothing else.

It lives in ``foundation`` (no mathematics), so ``theory`` and ``simulation`` share it
without importing each other.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from pathlib import Path
from typing import Any

__all__ = ["install", "lazy_names"]


_BLOCK = re.compile(r"^if (?:typing\.)?TYPE_CHECKING:[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", re.M)
_IMPORT = re.compile(r"from\s+\.(\w*)\s+import\s+(\([^)]*\)|[^\n]*)")


def lazy_names(init_file: str) -> dict[str, tuple[str, str | None]]:
    """``name -> (submodule, attribute)`` from the ``if TYPE_CHECKING:`` block of ``init_file``.

    ``from .pair import pair_transfer`` gives ``pair_transfer -> ("pair", "pair_transfer")``;
    ``from . import linear`` gives ``linear -> ("linear", None)`` (the submodule itself).
    """
    source = Path(init_file).read_text(encoding="utf-8")
    names: dict[str, tuple[str, str | None]] = {}
    for block in _BLOCK.finditer(source):
        for module, imported in _IMPORT.findall(block[1]):
            for item in imported.strip("()").split(","):
                words = item.split("#", 1)[0].split()
                if not words:
                    continue
                bound = words[-1] if len(words) == 3 and words[1] == "as" else words[0]
                if module:
                    names[bound] = (module, words[0])
                else:
                    names[bound] = (words[0], None)
    return names


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
