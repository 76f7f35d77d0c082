"""The report: every part issue 4 lists, every figure and formula present, atomic writes."""

import base64
import json
import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest

from verification.claims import claim_specs, evaluate_claims
from verification.report.figures import FIGURES
from verification.report.mathml import all_formulas

pytestmark = pytest.mark.slow


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []
        self.math = 0
        self.tags: set[str] = set()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.add(tag)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "img":
            self.images.append(attributes)
        if tag == "math":
            self.math += 1
        for key in ("src", "href"):
            value = attributes.get(key)
            if value and not value.startswith(("data:", "#")):
                self.urls.append(value)


@pytest.fixture(scope="module")
def parsed(quick_report):
    collector = _Collector()
    collector.feed((quick_report / "report.html").read_text(encoding="utf-8"))
    return collector


def test_every_figure_is_embedded_as_a_non_empty_png(parsed, quick_report):
    # the registered figures, and the two of the readings section (drawn from the claims)
    names = {make.__name__.replace("_", "-") for make in FIGURES} | {
        "readings-map",
        "readings-fig2",
    }
    assert len(parsed.images) == len(names)
    for image in parsed.images:
        src = image["src"] or ""
        assert src.startswith("data:image/png;base64,")
        png = base64.b64decode(src.split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert {p.stem for p in (quick_report / "figures").glob("*.png")} == names


def test_every_derivation_step_is_rendered_as_mathml(parsed):
    names = sorted({name for spec in claim_specs() for name in spec.derivations})
    steps = sum(len(f["steps"]) for f in all_formulas(names).values())
    assert parsed.math == steps > 0


def test_the_html_is_self_contained(parsed):
    assert "script" not in parsed.tags and "link" not in parsed.tags
    assert parsed.urls == []


def test_every_part_of_the_report_is_there(parsed, quick_report, report_seed):
    ids = [spec.id for spec in claim_specs()]
    assert {"summary", "assumptions", "reproduce", "sensitivity"} <= parsed.ids
    assert {f"claim-{i}" for i in ids} <= parsed.ids
    assert "fig-deblur-sensitivity" in parsed.ids
    markdown = (quick_report / "report.md").read_text(encoding="utf-8")
    assert markdown.index("## Summary") < markdown.index(f"## `{ids[0]}`")
    for heading in (
        "## Sensitivity of the Sec. 4 claims to the unstated parameters",
        "## Assumptions the paper does not state",
        "## How to reproduce",
    ):
        assert heading in markdown
    sensitivity = markdown.split("## Sensitivity of the Sec. 4 claims", 1)[1].split("\n## ", 1)[0]
    assert "](figures/deblur-sensitivity.png)" in sensitivity
    for claim_id in ("deblur-original-learning", "deblur-transfer", "deblur-new-return"):
        assert f"**`{claim_id}`:" in sensitivity
    assert "| fast_epsilon = 0.005 |" in sensitivity and "| defaults |" in sensitivity
    assert f"fastweights report --seed {report_seed} --quick" in markdown
    assert "$$" in markdown  # LaTeX formulas
    for line in markdown.splitlines():
        if line.startswith("!["):
            target = line.split("](", 1)[1].rstrip(")")
            assert (quick_report / target).is_file()


def test_results_json_holds_the_claims_verify_computes(quick_report, report_seed):
    results = json.loads((quick_report / "results.json").read_text())
    assert {"claims", "meta", "figures"} <= set(results)
    by_id = {c["id"]: c for c in results["claims"]}
    cheap = ["eq2-zero-one", "transfer-decays"]
    for claim in evaluate_claims(report_seed, quick=True, ids=cheap, parallel=False):
        assert by_id[claim.id] == json.loads(json.dumps(claim.as_dict()))


def test_a_killed_run_leaves_the_previous_report_intact(quick_report, tmp_path):
    out = tmp_path / "copy"
    out.mkdir()
    before = {}
    for path in quick_report.rglob("*"):
        if path.is_file():
            target = out / path.relative_to(quick_report)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            before[str(target.relative_to(out))] = target.read_bytes()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "verification.cli",
            "report",
            "--out",
            str(out),
            "--quick",
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(4.0)  # well inside the computation (a quick report takes > 15 s)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
