"""The report: every part issue 4 lists, every figure and formula present, atomic writes."""

import base64
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest

from verification.engine.registry import claim_specs, evaluate_claims
from verification.report.figure_specs import figure_specs
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


def test_every_figure_is_embedded_as_svg_with_a_150_dpi_png_beside_it(parsed, quick_report):
    results = json.loads((quick_report / "results.json").read_text())
    # the registered figures, and the two of the readings section (drawn from the claims)
    names = {spec.name for spec in figure_specs()} | {
        "readings-map",
        "readings-fig2",
    }
    assert set(results["figures"]) == names
    assert len(parsed.images) == len(names)
    for image in parsed.images:
        src = image["src"] or ""
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1])
        assert svg.startswith(b"<?xml") and b"<svg" in svg[:400] and len(svg) > 10_000
    for name, figure in results["figures"].items():
        png = (quick_report / figure["file"]).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        svg = (quick_report / figure["svg"]).read_bytes()
        width_pt = float(re.search(rb'width="([\d.]+)pt"', svg[:1000]).group(1))
        dpi = struct.unpack(">I", png[16:20])[0] / (width_pt / 72)
        assert dpi >= 149.5, f"{name}: {dpi:.0f} dpi"
        assert figure["text_overlaps"] == [], f"{name}: {figure['text_overlaps']}"
    # Fig. 2's new associations: fast weights and control in panels of their own
    fig2 = (quick_report / "figures" / "fig2.svg").read_bytes()
    assert len(re.findall(rb'<g id="axes_\d+">', fig2)) == 3


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
    assert "| ε_f = 0.005 |" in sensitivity and "| defaults |" in sensitivity
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


# ---------------------------------------------------------------- issue 13: readable report


def _prose(text: str) -> str:
    """The report's words and numbers: no formulas, images, styles or tags."""
    text = re.sub(r"<math.*?</math>|<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r'src="data:[^"]*"', "", text)
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("$$"))
    return re.sub(r"<[^>]+>", " ", text)


_NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def _versions(report_dir):
    return json.loads((report_dir / "results.json").read_text())["meta"]["versions"]


def test_one_number_format_everywhere(quick_report):
    for name in ("report.md", "report.html"):
        text = _prose((quick_report / name).read_text(encoding="utf-8"))
        # the commit hash in the versions table ("e4e90a0", "1234e56") is not a number
        text = text.replace(_versions(quick_report).get("git_commit", "\0"), " ")
        e_notation = r"(?<![\w.])\d+(?:\.\d+)?e[-+]?\d+(?!\w|\.\d)"
        assert not re.findall(e_notation, text), f"e-notation in {name}"
        # more than four significant digits only where an interval's width asks for them,
        # and then the estimate and both ends have the same decimals
        estimates = {
            m.span(): m.groups()
            for m in re.finditer(rf"({_NUMBER}) \[({_NUMBER}), ({_NUMBER})\]", text)
        }
        for numbers in estimates.values():
            decimals = {len(n.split(".")[1]) if "." in n else 0 for n in numbers}
            assert len(decimals) == 1, f"{numbers} in {name}"
        inside = [range(a, b) for a, b in estimates]
        for m in re.finditer(r"(?<![\w.])-?\d+\.\d+", text):
            digits = m.group(0).lstrip("-").replace(".", "").lstrip("0")
            if len(digits) > 4:
                assert any(m.start() in span for span in inside), f"{m.group(0)} in {name}"


def test_the_first_part_carries_the_findings(quick_report):
    results = json.loads((quick_report / "results.json").read_text())
    page = (quick_report / "report.html").read_text(encoding="utf-8")
    order = [page.index(s) for s in ("<h1>", 'id="abstract"', 'id="summary"')]
    assert order == sorted(order) and page.index('<nav id="contents">') < order[0]
    abstract = _prose(page[order[1] : order[2]])
    counts: dict[str, int] = {}
    for claim in results["claims"]:
        counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
        assert claim["id"] in abstract or claim["verdict"] == "exact"
    assert f"{len(results['claims'])} claims checked." in abstract
    markdown = (quick_report / "report.md").read_text(encoding="utf-8")
    summary = markdown.split("## Summary", 1)[1].split("\n\n", 2)[1].splitlines()
    assert summary[0].startswith("| claim | quantity | paper | exact |")
    rows = {line.split(" | ")[0].strip("| "): line for line in summary[2:]}
    for claim in results["claims"]:
        box = claim["readings"] or {}
        depends = claim["verdict"] == "reading-dependent" or (
            box and box["holds_at_defaults"] != claim["verdict"]
        )
        if depends:
            assert rows[claim["id"]].rstrip(" |").endswith("†"), claim["id"]
        if box and not depends:
            assert not rows[claim["id"]].rstrip(" |").endswith("†"), claim["id"]


def test_long_parts_are_folded_in_the_html_and_full_in_the_markdown(quick_report):
    page = (quick_report / "report.html").read_text(encoding="utf-8")
    assert "<details open" not in page
    depth, outside = 0, 0
    for token in re.findall(r"<details|</details>|<math", page):
        depth += {"<details": 1, "</details>": -1}.get(token, 0)
        outside += token == "<math" and depth == 0
    assert outside == 0, "a formula outside any <details>"
    names = sorted({name for spec in claim_specs() for name in spec.derivations})
    steps = sum(len(f["steps"]) for f in all_formulas(names).values())
    markdown = (quick_report / "report.md").read_text(encoding="utf-8")
    assert markdown.count("\n   $$ ") == steps  # every step, in full
    assert "**The box.**" in markdown and "| ε_f (`fast_epsilon`) |" in markdown


def test_intervals_beside_verdicts_are_at_the_decision_level_and_bounded(quick_report):
    markdown = (quick_report / "report.md").read_text(encoding="utf-8")
    sensitivity = markdown.split("## Sensitivity of the Sec. 4 claims", 1)[1].split("\n## ", 1)[0]
    tables = [line for line in sensitivity.splitlines() if line.startswith("| reading |")]
    assert tables and all("[99.9%] | verdict |" in line for line in tables)
    rows = [line for line in sensitivity.splitlines() if line.startswith("| defaults |")]
    assert rows and all("(95%: " in line for line in rows)
    for line in sensitivity.splitlines():
        if line.startswith("| ") and not line.startswith("| reading"):
            wrong_outputs = line.split(" | ")[1]
            assert "[-" not in wrong_outputs, line  # a share of outputs stays in [0, 1]
    page = (quick_report / "report.html").read_text(encoding="utf-8")
    assert page.count('title="95%: ') > 20


def test_each_parameter_has_one_name(quick_report):
    from verification.readings.box import BOX

    for name in ("report.md", "report.html"):
        text = (quick_report / name).read_text(encoding="utf-8")
        for dim in BOX:
            if "_" in dim.name:  # names that are not also plain words
                assert text.count(dim.name) == 1, f"{dim.name} in {name}"


def test_derivation_steps_are_described_in_the_papers_symbols(quick_report):
    page = (quick_report / "report.html").read_text(encoding="utf-8")
    notes = re.findall(r'<span class="note">(.*?)</span>', page)
    assert notes and not [n for n in notes if re.search(r"\b(rho|theta|alpha|eps)\b|\^|->", n)]
    assert "ρ<sup>2</sup>" in page and "rho^2" not in page
