"""The import graph between the modules of the four packages, read with ``ast``.

Shared by ``test_no_import_cycles.py`` and ``test_layers.py``. Every ``import`` and
``from ... import`` statement counts, wherever it stands: at module level, inside a
function or under ``if TYPE_CHECKING``. A lazy import inside a function is the usual way
to hide a cycle from the interpreter, not to remove it: the two modules still need each
other, and a refactoring that moves the import to the top turns it into a failure at
import time. So the graph does not distinguish them.

An edge ``a -> b`` means module ``a`` imports module ``b``: ``from pkg import name``
points at ``pkg.name`` when that is a module, else at ``pkg``; ``import a.b.c`` at
``a.b.c``. With ``ancestors=True`` it also points at every package ``__init__`` the import
runs first (``verification.claims`` for ``verification.engine.model``), except the
importer's own packages, which are already being imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["PACKAGES", "ROOT", "cycles", "import_graph", "modules"]

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("foundation", "theory", "simulation", "verification")


def modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root`` by dotted name (a package by its own)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _known(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(
    root: Path = ROOT, packages: tuple[str, ...] = PACKAGES, ancestors: bool = False
) -> dict[str, dict[str, int]]:
    """``{module: {imported module: line of the first such import}}`` inside ``packages``."""
    known = modules(root, packages)
    graph: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        base = name.split(".") if is_package else name.split(".")[:-1]
        edges: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parent = base[: len(base) - (node.level - 1)]
                    source = ".".join(parent + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [
                    f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                    for alias in node.names
                ]
            for target in targets:
                module = _known(target, known)
                if module is None:
                    continue
                if module != name:
                    edges.setdefault(module, node.lineno)
                if ancestors:
                    parts = module.split(".")
                    for k in range(1, len(parts)):
                        package = ".".join(parts[:k])
                        if package in known and not (name + ".").startswith(package + "."):
                            edges.setdefault(package, node.lineno)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found
