"""The toolkit's licence and citation metadata agree with ``pyproject.toml`` (issue 21)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_licence_is_bsd_3_clause_everywhere():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("BSD 3-Clause License")
    assert "Neither the name of the copyright holder" in text
    assert _project()["license"] == "BSD-3-Clause"
    assert "LICENSE" in _project()["license-files"]
    assert re.search(r"^license: BSD-3-Clause$", (ROOT / "CITATION.cff").read_text(), re.M)


def test_citation_names_this_version_and_the_paper():
    text = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^cff-version: 1\.2\.0$", text, re.M)
    version = re.search(r"^version: (\S+)$", text, re.M)
    assert version is not None and version.group(1) == _project()["version"]
    assert 'title: "Using Fast Weights to Deblur Old Memories"' in text
    assert "family-names: Hinton" in text and "family-names: Plaut" in text
    assert re.search(r"^\s+year: 1987$", text, re.M)
