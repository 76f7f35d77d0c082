"""The engine: what checks any paper, knowing none (import its modules; this package
imports nothing, so that a module of the engine loads only what it needs).

=====================  ====================================================================
module                 what it holds
=====================  ====================================================================
``model``              ``Part``, ``Claim``, ``Simulated``, ``DECISION_LEVEL``, ``claim_seed``:
                       the vocabulary every claim, reading and figure speaks
``provenance``         ``Provenance``: the command and evidence behind each number
``registry``           ``ClaimSpec``, ``register``, ``Context``, ``claim_specs``, the runner
                       (``evaluate_claims``: background jobs, named inputs, timings)
``results``            ``results.json``: ``run_claims``, ``meta``, ``results_document``
``paper``              the ``Paper`` type and the registry of papers (``current_paper``,
                       ``checking``, ``register_paper``)
=====================  ====================================================================

Also in the engine layer, outside this package: ``verification.verdict``,
``verification.evidence``, the named inputs' machinery (``verification.shared.spec``,
``verification.shared.executor``), the report's data and figure plumbing
(``verification.report.document``, ``figure_specs``, ``figure_style``, ``notation``,
``numbers``, ``mathml``) and the sweep engine (``verification.sweep``); see
``docs/architecture.md`` and ``tests/architecture/test_layers.py``.
"""

__all__: list[str] = []
