"""Named inputs (``verification.shared``) and the paper as data (``verification.papers``)."""

from __future__ import annotations

import numpy as np
import pytest

from verification.background import background
from verification.engine.model import claim_seed
from verification.engine.paper import default_paper
from verification.engine.registry import Context, claim_specs
from verification.report.figure_specs import figure_specs
from verification.shared import executor
from verification.shared.spec import InputSpec, Request

CALLS: list[tuple[str, Request]] = []


def _early(request: Request) -> list[float]:
    """A pure function of the request, like every input's early part."""
    rng = np.random.default_rng(claim_seed(request.seed, "test-input", str(request.quick)))
    return rng.normal(size=5).tolist()


def _compute(request: Request, early) -> list[float]:
    CALLS.append(("compute", request))
    part = early() if early is not None else _early(request)
    return [x * 2 for x in part]


@pytest.fixture
def cheap_input():
    """A cheap input with an early part, registered for the test only."""
    name = "test-input"
    spec = executor.register_input(InputSpec(name, _compute, early=_early, options=("mode",)))
    CALLS.clear()
    yield spec
    executor._SPECS.pop(name, None)
    executor.clear(name)


def test_an_input_is_computed_once_per_seed_and_precision(cheap_input):
    first = executor.value("test-input", 3, True)
    assert executor.value("test-input", 3, True) == first
    assert len(CALLS) == 1
    executor.value("test-input", 3, False)
    executor.value("test-input", 4, True)
    executor.value("test-input", 3, True, {"readings": "ignored: not an option of it"})
    assert len(CALLS) == 3
    executor.value("test-input", 3, True, {"mode": "other"})  # a declared option counts
    assert len(CALLS) == 4


def test_an_input_is_the_same_from_the_background_process(cheap_input):
    here = executor.value("test-input", 7, True)
    executor.clear("test-input")
    with background() as worker:
        executor.start(["test-input"], 7, True)
        started = executor._job_key("test-input", Request(7, True, (("mode", None),)))
        assert worker._executor is None or started in worker._futures
        there = executor.value("test-input", 7, True)
    assert there == here


def test_inputs_are_started_after_what_they_use():
    assert executor.with_needs(["transfer-chains", "readings-evidence"]) == [
        "deblur-runs",
        "transfer-chains",
        "readings-evidence",
    ]


def test_every_declared_need_is_a_known_input():
    known = set(executor.input_names())
    assert {"deblur-runs", "readings-evidence", "transfer-chains"} <= known
    for spec in claim_specs():
        assert set(spec.needs) <= known, spec.id
    for figure in figure_specs():
        assert set(figure.needs) <= known, figure.name
    for name in known:
        assert set(executor.input_spec(name).needs) <= known, name


def test_a_claim_reads_only_the_inputs_it_declares():
    ctx = Context(seed=1, claim_id="x", quick=True, needs=("deblur-runs",))
    with pytest.raises(RuntimeError, match="transfer-chains"):
        ctx.input("transfer-chains")
    with pytest.raises(RuntimeError, match="no input"):
        executor.input_spec("no-such-input")


def test_the_papers_claim_order_is_the_registry():
    paper = default_paper()
    registered = [spec.id for spec in claim_specs()]
    assert registered == list(paper.claim_order)
    assert len(set(paper.claim_order)) == len(paper.claim_order)


APPENDIX = {"pm1-reproduction"}
"""Figures of no claim: the report's appendix (drawn only in the whole report)."""


def test_every_figure_illustrates_registered_claims():
    registered = {spec.id for spec in claim_specs()}
    names = [figure.name for figure in figure_specs()]
    assert len(set(names)) == len(names)
    for figure in figure_specs():
        assert figure.claims or figure.name in APPENDIX, figure.name
        assert set(figure.claims) <= registered, figure.name


def test_the_paper_is_data():
    paper = default_paper()
    assert paper.default_seed == 1987
    assert paper.citation in paper.report_title and paper.citation in paper.introduction
    assert set(paper.quantity_names) <= set(paper.claim_order)
    assert paper.assumption_rows()


def test_a_background_claim_or_figure_cannot_have_needs():
    """The background process would compute the inputs again (without ``--readings``)."""
    from verification.engine.registry import ClaimSpec, register
    from verification.report.figure_specs import figure

    spec = ClaimSpec(
        "no-such-claim", "Sec. 0", "", "", (), "", lambda ctx: [],
        needs=("deblur-runs",), background=True,
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="background claims cannot have needs"):
        register(spec)
    assert "no-such-claim" not in {s.id for s in claim_specs()}
    with pytest.raises(RuntimeError, match="background figures cannot have needs"):
        figure("no-such-figure", claims=(), needs=("deblur-runs",), background=True)(
            lambda seed, quick: None
        )
    assert "no-such-figure" not in {f.name for f in figure_specs()}
