"""Layering, checked rather than hoped for: ``theory`` and ``simulation`` never import each
other or ``verification`` (the only place where they meet), and ``foundation`` (what all
three share) imports none of them.

Every ``import`` and ``from ... import`` statement of every module is read with ``ast``
(including imports inside functions and ``TYPE_CHECKING`` blocks), so a lazy import that
breaks the layering is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "foundation": {"theory", "simulation", "verification"},
    "theory": {"simulation", "verification"},
    "simulation": {"theory", "verification"},
}


def _imported_packages(path: Path, package: str) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside this package unless it climbs out
                depth = len(path.relative_to(ROOT / package).parts) - 1
                if node.level > depth + 1 and node.module:
                    found.add((node.module.split(".")[0], node.lineno))
            elif node.module:
                found.add((node.module.split(".")[0], node.lineno))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_does_not_import_forbidden_packages(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules found under {package}/"
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules
        for name, line in _imported_packages(path, package)
        if name in FORBIDDEN[package]
    ]
    assert not violations, "\n".join(violations)


def test_the_check_sees_a_violation(tmp_path, monkeypatch):
    """The checker itself can fail: a planted import of ``theory`` in a simulation-like
    package is reported, inside a function too."""
    package = tmp_path / "simulation"
    package.mkdir()
    (package / "bad.py").write_text("def f():\n    from theory import pair\n    return pair\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert ("theory", 2) in _imported_packages(package / "bad.py", "simulation")


NUMPY_FOR_ARGUMENT_CHECKS = {"vectors.py"}
"""foundation modules that may use numpy, to check array arguments (never imported by
``foundation/__init__``)."""


def test_foundation_holds_no_mathematics():
    """``foundation`` is errors, file handling and argument checks: no sympy or scipy, and
    numpy only in the argument checks of input arrays."""
    mathematics = {"numpy", "sympy", "scipy", "matplotlib"}
    violations = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / "foundation").rglob("*.py"))
        for name, line in _imported_packages(path, "foundation")
        if name in mathematics and not (name == "numpy" and path.name in NUMPY_FOR_ARGUMENT_CHECKS)
    ]
    init = (ROOT / "foundation" / "__init__.py").read_text()
    assert not any(f"import {m[:-3]}" in init for m in NUMPY_FOR_ARGUMENT_CHECKS)
    assert not violations, "\n".join(violations)
