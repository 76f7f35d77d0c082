"""The layer contract inside ``verification/``: imports only go downward.

From the bottom up (a module may import its own layer and any layer below it):

1. **engine**: what checks any paper, knowing none: the claim model, the verdicts, the
   runner, the ``Paper`` type and the registry of papers, the evidence, the named inputs'
   machinery, the report's data and figure plumbing, the sweep engine and the command
   registry it shares with the CLI.
2. **paper**: one paper's content: its claims, the readings search, its named inputs, its
   figures and assumptions, the transfer chain, the paper module itself.
3. **report**: rendering a report (HTML, Markdown, text, the sections) and writing it.
4. **entry**: the command line (``cli``, ``commands``, including the sweep's commands).

Each module is listed by name or by package prefix; a module of ``verification`` no layer
lists fails the test, so a new module is placed deliberately. The engine finds what is
above it only by name (``importlib``): a paper's modules (``Paper.claim_modules`` ...),
the built-in papers (``engine.paper.BUILTIN_PAPERS``) and the commands
(``command_registry.COMMANDS_PACKAGE``).
"""

from __future__ import annotations

import pytest
from import_graph import import_graph

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "engine",
        (
            "verification",
            "verification.allocator",
            "verification.background",
            "verification.command_registry",
            "verification.engine",
            "verification.errors",
            "verification.evidence",
            "verification.inputs_file",
            "verification.progress",
            "verification.resources",
            "verification.verdict",
            "verification.report",
            "verification.report.document",
            "verification.report.figure_specs",
            "verification.report.figure_style",
            "verification.report.mathml",
            "verification.report.notation",
            "verification.report.numbers",
            "verification.shared",
            "verification.shared.executor",
            "verification.shared.spec",
            "verification.sweep",
        ),
    ),
    (
        "paper",
        (
            "verification.claims",
            "verification.papers",
            "verification.readings",
            "verification.report.assumptions",
            "verification.report.chain_figure",
            "verification.report.chain_ladder",
            "verification.report.figures",
            "verification.report.pm1_figure",
            "verification.report.sec6_figure",
            "verification.shared.deblur_runs",
            "verification.shared.readings_evidence",
            "verification.shared.transfer_chains",
            "verification.shared.two_sets_runs",
            "verification.transfer_chain",
        ),
    ),
    (
        "report",
        (
            "verification.report.atomic",
            "verification.report.build",
            "verification.report.html",
            "verification.report.markdown",
            "verification.report.readings",
            "verification.report.sensitivity",
            "verification.report.text",
        ),
    ),
    ("entry", ("verification.cli", "verification.commands")),
)
"""Each layer's modules: a name stands for that module, and for a package every module
under it that no longer name lists."""


def layer_of(module: str) -> int | None:
    """The index of ``module``'s layer (the longest listed name that contains it)."""
    best: tuple[int, int] | None = None
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            inside = module == name or (module.startswith(name + ".") and name != "verification")
            if inside and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return None if best is None else best[1]


def test_every_module_of_verification_has_a_layer():
    graph = import_graph()
    missing = sorted(m for m in graph if m.startswith("verification") and layer_of(m) is None)
    assert not missing, "modules in no layer (tests/architecture/test_layers.py):\n" + "\n".join(
        missing
    )


def test_imports_only_go_down():
    graph = import_graph()
    upward = [
        f"{module} ({LAYERS[layer_of(module) or 0][0]}) imports {target} "
        f"({LAYERS[layer_of(target) or 0][0]}) on line {line}"
        for module, targets in sorted(graph.items())
        if module.startswith("verification")
        for target, line in sorted(targets.items())
        if target.startswith("verification") and (layer_of(target) or 0) > (layer_of(module) or 0)
    ]
    assert not upward, "imports climbing a layer:\n" + "\n".join(upward)


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("verification.engine.model", "engine"),
        ("verification.sweep.execute", "engine"),
        ("verification.claims.deblur", "paper"),
        ("verification.report.html", "report"),
        ("verification.commands.sweep", "entry"),
    ],
)
def test_modules_sit_where_the_docs_say(module, layer):
    assert LAYERS[layer_of(module) or 0][0] == layer
