"""Assemble and write the report: claims, figures, derivations, assumptions, run facts.

:func:`build_report` and :func:`write_report` are what ``fastweights report`` does
(``fastweights verify`` uses :mod:`verification.engine.results` alone).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..background import background
from ..engine.paper import current_paper
from ..engine.registry import ClaimRun, select_specs
from ..engine.results import json_ready, meta, results_document
from .atomic import OutputDirectory, check_output_directory
from .document import ReportData
from .figures import FigureRun
from .html import render_html
from .markdown import render_markdown
from .mathml import all_formulas
from .readings import readings_figures

__all__ = ["REPORT_WRITES", "build_report", "write_report"]

REPORT_WRITES = ("report.md", "report.html", "results.json", "figures/")
"""What a report writes into its directory (``figures/``: every file under it)."""


def build_report(
    seed: int,
    quick: bool = False,
    command: str = "",
    ids: Sequence[str] | None = None,
    progress: bool = False,
    parallel: bool = True,
    readings: str | None = None,
) -> tuple[ReportData, dict[str, bytes]]:
    """Compute everything; return the report's data and its files (relative path -> bytes)."""
    started = time.time()
    timings: dict[str, float] = {}
    specs = select_specs(ids)
    names = tuple(sorted({name for spec in specs for name in spec.derivations}))
    with background(parallel) as worker:
        # The background process runs, in order: the claims that need slow symbolic
        # derivations, the named inputs' early parts (the deblurring experiment), the
        # figures marked background, then the formulas of every derivation; meanwhile this
        # process evaluates the other claims and draws the other figures.
        claim_run = ClaimRun(specs, seed, quick, readings)
        # a report of chosen claims draws their figures; the whole report draws every
        # figure, those of no claim (an appendix) too
        figure_run = FigureRun(seed, quick, None if ids is None else [spec.id for spec in specs])
        worker.submit("derivations", all_formulas, names)
        claim_run.compute_local(progress)
        figure_run.compute_local(progress)
        claims = claim_run.finish(timings, progress)
        figures = figure_run.finish(timings, progress)
        start = time.perf_counter()
        figures = [*figures, *readings_figures(claims)]
        timings["figures:readings"] = time.perf_counter() - start
        start = time.perf_counter()
        derivations = worker.result("derivations", all_formulas, names)
        timings["derivations (waiting)"] = time.perf_counter() - start
    start = time.perf_counter()
    meta_ = meta(seed, quick, started, timings, command)
    paper = current_paper()
    data = ReportData(claims, figures, derivations, paper.assumption_rows(), meta_, paper)
    files = {f"figures/{f.name}.png": f.png for f in figures}
    files |= {f"figures/{f.name}.svg": f.svg for f in figures if f.svg}
    results = results_document(claims, meta_, figures)
    markdown = render_markdown(data)
    html = render_html(data)
    render_seconds = time.perf_counter() - start
    meta_["time"]["parts"]["render"] = round(render_seconds, 3)
    results["meta"] = json_ready(meta_)
    files["results.json"] = (json.dumps(results, indent=1, allow_nan=False) + "\n").encode()
    files["report.md"] = markdown.encode()
    files["report.html"] = html.encode()
    return data, files


def write_report(
    directory: OutputDirectory | str | os.PathLike[str], files: Mapping[str, bytes]
) -> list[Path]:
    """Write the report's files atomically into ``directory`` (figures first, HTML last).

    ``directory`` is checked first if it is a bare path (see
    :func:`verification.report.atomic.check_output_directory`); the figures of an earlier
    report that this one does not draw are removed.
    """
    if not isinstance(directory, OutputDirectory):
        directory = check_output_directory("--out", directory, REPORT_WRITES)
    order = sorted(files, key=lambda name: (not name.startswith("figures/"), name == "report.html"))
    return directory.write({name: files[name] for name in order}, "report")
