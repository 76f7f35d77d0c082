"""Runnable Examples (issue 21, item 5): at least 60% of the public names of ``theory`` and of
``simulation`` carry one, so the share cannot fall without a test failing.

A public name is one in the package's ``__all__``. It counts when the docstring of the
object it names (where it is defined: a function, a class or a module) holds a ``>>>``
example that ``doctest`` finds, i.e. one that ``pytest --doctest-modules`` runs
(``testpaths`` covers ``foundation``, ``theory`` and ``simulation``). A constant
(``theory.KERNELS``, ``MAX_ENUMERATION_N``, ...) has no docstring of its own: it counts
as a name without an Example.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import sys
import types

import pytest

PACKAGES = ("theory", "simulation")
MINIMUM_SHARE = 0.60


def _has_example(obj: object) -> bool:
    """``obj`` is a function, class or module whose own docstring has a runnable example."""
    finder = doctest.DocTestFinder(recurse=False)
    if isinstance(obj, types.ModuleType):
        tests = finder.find(obj)
    elif inspect.isclass(obj) or inspect.isroutine(obj):
        module = sys.modules[obj.__module__]
        tests = finder.find(obj, obj.__qualname__, module=module)
    else:  # a constant: its docstring would be its type's
        return False
    return any(test.examples for test in tests)


def _coverage(package: str) -> tuple[list[str], list[str]]:
    """(names with an Example, names without) among ``package.__all__``."""
    module = importlib.import_module(package)
    with_example, without = [], []
    for name in module.__all__:
        (with_example if _has_example(getattr(module, name)) else without).append(name)
    return with_example, without


@pytest.mark.parametrize("package", PACKAGES)
def test_most_public_names_show_a_runnable_example(package):
    with_example, without = _coverage(package)
    share = len(with_example) / (len(with_example) + len(without))
    assert share >= MINIMUM_SHARE, (
        f"{package}: {len(with_example)} of {len(with_example) + len(without)} public names "
        f"({share:.0%}) have an Example, below {MINIMUM_SHARE:.0%}; without: {without}"
    )


def test_the_count_sees_examples_and_their_absence():
    """The check itself: a documented example counts; a bare docstring and a constant do not."""

    def documented() -> None:
        """Doubles.

        Examples:
            >>> 2 * 2
            4
        """

    def bare() -> None:
        """No example here."""

    documented.__module__ = bare.__module__ = __name__
    documented.__qualname__, bare.__qualname__ = "documented", "bare"
    assert _has_example(documented)
    assert not _has_example(bare)
    assert not _has_example(400)  # int's own docstring has '>>>' lines: not the constant's
    assert not _has_example(("a", "b"))
