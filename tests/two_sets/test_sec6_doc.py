"""docs/sec6.md states the claims' ids, the threshold of "substantially" and the input's
sizes as the code has them (so the page cannot drift from the claim module)."""

from __future__ import annotations

from pathlib import Path

from verification.claims.sec6_prediction import CAVEAT_ID, SUBSTANTIAL, TRANSFER_ID
from verification.shared.two_sets_runs import LENGTHS, two_sets_seeds

PAGE = Path(__file__).resolve().parents[2] / "docs" / "sec6.md"


def test_the_page_names_what_the_code_decides():
    text = PAGE.read_text(encoding="utf-8")
    assert TRANSFER_ID in text and CAVEAT_ID in text
    assert f"above {SUBSTANTIAL:g}" in text
    assert ", ".join(map(str, LENGTHS[:-1])) in text.replace(" (the paper's)", "")
    assert f"{two_sets_seeds(False)} networks ({two_sets_seeds(True)} with `--quick`)" in text
