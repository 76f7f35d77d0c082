"""No import cycle between any two modules of ``foundation``, ``theory``, ``simulation`` and
``verification``, lazy imports inside functions included (``import_graph.py`` says why),
and counting the package ``__init__`` an import runs first."""

from __future__ import annotations

from import_graph import cycles, import_graph


def _describe(graph: dict[str, dict[str, int]], component: list[str]) -> str:
    inside = set(component)
    edges = [
        f"    {a} -> {b} (line {line})"
        for a in component
        for b, line in sorted(graph[a].items())
        if b in inside
    ]
    return " <-> ".join(component) + "\n" + "\n".join(edges)


def test_no_module_imports_itself_round_a_cycle():
    graph = import_graph(ancestors=True)
    assert len(graph) > 100
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_describe(graph, c) for c in found)


def test_the_check_sees_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "simulation"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import f\n")
    (package / "b.py").write_text("def f():\n    from . import a\n    return a\n")
    (package / "c.py").write_text("from simulation.a import f\n")
    graph = import_graph(tmp_path, ("simulation",))
    assert graph["simulation.b"] == {"simulation.a": 2}
    assert cycles(graph) == [["simulation.a", "simulation.b"]]
