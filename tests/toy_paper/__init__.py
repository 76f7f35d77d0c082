"""A toy second paper, to prove the engine knows no paper: two claims about a fair coin
and one figure, registered only by the test that uses it (``tests/verification/
test_toy_paper.py``). Nothing here is imported by the toolkit."""

from __future__ import annotations

from verification.engine.paper import Paper

__all__ = ["PAPER"]

PAPER = Paper(
    key="toy-coin-1900",
    title="On Fair Coins",
    citation="Toy (1900)",
    report_title="Toy (1900), claim by claim",
    introduction="Toy (1900) claims that a fair coin comes up heads half the time.",
    default_seed=1900,
    claim_modules=("toy_paper.claims",),
    claim_order=("coin-half", "coin-not-always"),
    quantity_names={"coin-half": "share of heads"},
    figure_modules=("toy_paper.figures",),
    claim_groups=(("Coins (Sec. 1)", ()),),
)
