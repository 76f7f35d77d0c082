"""docs/census.md, the census of the paper's sentences, against the registry and the paper.

Every registered claim appears in the census, every id the census names is registered,
every verdict is one of those counted at the end and the counts match the rows, and every
quote is in the paper's text (its pieces between "…" in order, the rows of each table in
the paper's order). The paper's text is read from ``$FASTWEIGHTS_PAPER_TEXT``; without it
only the quote tests are skipped.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from verification.engine.registry import claim_specs

CENSUS = Path(__file__).resolve().parents[2] / "docs" / "census.md"
ROOT = Path(__file__).resolve().parents[2]
PAPER_TEXT = Path(
    os.environ.get(
        "FASTWEIGHTS_PAPER_TEXT",
        # where the project keeps the paper, beside the checkout (it is not redistributed)
        str(ROOT.parent / "shared" / "paper" / "hinton-plaut-1987-fast-weights.txt"),
    )
)
HEADER = ("The paper's words", "Decided by", "Note")
COUNTS_HEADER = ("Census verdict", "Sentences")
DECIDED = "decided by a claim"
TOTAL = "all sentences listed"
ID = re.compile(r"`([^`]+)`")
ELISION = "…"
MIN_FRAGMENT = 12
"""Characters of the shortest quoted piece: an elision must leave words to find."""

LATEX = {r"\varepsilon": "ε", r"\alpha": "α", r"\theta": "θ", r"\sigma": "σ"}


@dataclass(frozen=True)
class Row:
    table: str
    quote: str
    decided_by: str
    note: str

    @property
    def ids(self) -> list[str]:
        return ID.findall(self.decided_by)

    @property
    def verdict(self) -> str:
        return DECIDED if self.ids else self.decided_by


def _cells(line: str) -> list[str]:
    """The cells of a markdown table row (``\\|`` is a pipe inside a cell)."""
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [c.replace(r"\|", "|").strip() for c in re.split(r"(?<!\\)\|", inner)]


def _tables(text: str) -> list[tuple[str, tuple[str, ...], list[list[str]]]]:
    """(heading, header, rows) of every markdown table, under the latest heading."""
    tables: list[tuple[str, tuple[str, ...], list[list[str]]]] = []
    heading, lines = "", text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1]) <= set("|-: "):
            header = tuple(_cells(line))
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            tables.append((heading, header, rows))
            continue
        i += 1
    return tables


def census_rows(text: str) -> list[Row]:
    rows = []
    for heading, header, cells in _tables(text):
        if header != HEADER:
            continue
        for row in cells:
            assert len(row) == 3, (heading, row)
            rows.append(Row(heading, *row))
    return rows


def census_counts(text: str) -> dict[str, int]:
    tables = [rows for _, header, rows in _tables(text) if header == COUNTS_HEADER]
    assert len(tables) == 1, "docs/census.md needs exactly one counts table"
    return {label: int(number) for label, number in tables[0]}


def normalise(text: str) -> str:
    """The words without typography: LaTeX Greek letters, ``$``, emphasis, dashes,
    quotation marks, whitespace, line-end hyphenation and spaces before punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)
    for command, letter in LATEX.items():
        text = text.replace(command, letter)
    text = text.replace("$", "").replace("*", "")
    text = re.sub("[\u2010-\u2015]", "-", text)
    text = re.sub("[\u201c\u201d]", '"', text)
    text = re.sub("[\u2018\u2019]", "'", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([,.;:)])", r"\1", text)
    return text.replace("( ", "(").strip()


def locate(quote: str, paper: str) -> int | None:
    """Where ``quote`` starts in the normalised ``paper``: its pieces between "…" found in
    order; None when a piece is missing."""
    start, position = None, 0
    for piece in quote.split(ELISION):
        piece = normalise(piece)
        if not piece:
            continue
        found = paper.find(piece, position)
        if found < 0:
            return None
        start = found if start is None else start
        position = found + len(piece)
    return start


@pytest.fixture(scope="module")
def census() -> str:
    return CENSUS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rows(census: str) -> list[Row]:
    found = census_rows(census)
    assert found, "docs/census.md has no census table"
    return found


@pytest.fixture(scope="module")
def paper() -> str:
    if not PAPER_TEXT.is_file():
        pytest.skip(
            f"!!! the paper's text is not at {PAPER_TEXT}: the census's quotes were NOT "
            "checked against the paper (set FASTWEIGHTS_PAPER_TEXT) !!!"
        )
    return normalise(PAPER_TEXT.read_text(encoding="utf-8"))


def test_every_registered_claim_is_in_the_census(rows: list[Row]):
    named = {claim_id for row in rows for claim_id in row.ids}
    missing = [spec.id for spec in claim_specs() if spec.id not in named]
    assert not missing, f"registered claims missing from docs/census.md: {missing}"


def test_every_id_in_the_census_is_registered(rows: list[Row]):
    registered = {spec.id for spec in claim_specs()}
    unknown = sorted({i for row in rows for i in row.ids} - registered)
    assert not unknown, f"docs/census.md names ids the registry does not have: {unknown}"


def test_decided_by_holds_only_ids_or_a_counted_verdict(rows: list[Row], census: str):
    verdicts = set(census_counts(census)) - {DECIDED, TOTAL}
    for row in rows:
        if row.ids:
            rest = ID.sub("", row.decided_by).replace(",", "").strip()
            assert not rest, f"text beside the ids belongs in the note: {row.decided_by!r}"
        else:
            assert row.decided_by in verdicts, f"not a counted verdict: {row.decided_by!r}"


def test_the_counts_match_the_rows(rows: list[Row], census: str):
    counts = census_counts(census)
    tally = {label: 0 for label in counts}
    for row in rows:
        tally[row.verdict] = tally.get(row.verdict, 0) + 1
    tally[TOTAL] = len(rows)
    assert counts == tally


def test_no_sentence_is_listed_twice(rows: list[Row]):
    quotes = [normalise(row.quote) for row in rows]
    assert len(quotes) == len(set(quotes))


def test_every_quote_is_in_the_paper(rows: list[Row], paper: str):
    for row in rows:
        pieces = [normalise(p) for p in row.quote.split(ELISION)]
        short = [p for p in pieces if 0 < len(p) < MIN_FRAGMENT]
        assert not short, f"{row.table}: pieces too short to find: {short}"
        assert locate(row.quote, paper) is not None, f"{row.table}: not in the paper: {row.quote}"


def test_each_table_follows_the_papers_order(rows: list[Row], paper: str):
    for table in dict.fromkeys(row.table for row in rows):
        found = [locate(row.quote, paper) for row in rows if row.table == table]
        starts = [start for start in found if start is not None]  # missing: the test above
        assert starts == sorted(starts), f"{table}: rows out of the paper's order"


def test_normalise_and_locate():
    paper = normalise("the rate $\\varepsilon = .02$ and *all* the\n\nweights—so ε , he said “yes”")
    assert locate("the rate ε = .02 and all … weights-so ε, he said", paper) == 0
    assert locate('he said "yes"', paper) is not None
    assert locate("weights-so … the rate", paper) is None  # pieces out of order
    assert locate("the rate ε = .03", paper) is None
