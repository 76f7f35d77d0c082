"""``fastweights verify``: every claim of the paper with a verdict computed from the numbers.

Prints a table (claim, paper, exact, simulated with its interval, verdict); with
``--json PATH`` also writes ``{"claims": [...], "meta": {...}}`` to PATH (atomically).
Exit status 0 when every claim got a decided verdict from agreeing evidence; 1 when theory
and simulation disagree anywhere or a claim is inconclusive; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..engine.model import DECISION_LEVEL
from ..engine.paper import Paper, checking, default_paper, paper_by_key, registered_papers
from ..engine.results import command_line, results_document, run_claims
from ..errors import UsageError
from ..report.atomic import check_writable_file, write_atomically
from ._common import add_quiet_option

PATH = ("verify",)
HELP = "evaluate every claim of the paper: paper vs exact theory vs simulation, with a verdict"


def add_seed_option(parser: argparse.ArgumentParser) -> None:
    """``--seed S``: the one seed every simulation is derived from (default: the paper's)."""
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help=f"root seed (an integer >= 0; default {default_paper().default_seed}); the same "
        "seed gives identical claims",
    )


def add_paper_option(parser: argparse.ArgumentParser) -> None:
    """``--paper KEY``: which registered paper to check; offered only when there is more
    than one (:func:`verification.engine.paper.registered_papers`)."""
    papers = registered_papers()
    if len(papers) > 1:
        parser.add_argument(
            "--paper",
            choices=list(papers),
            default=next(iter(papers)),
            metavar="KEY",
            help=f"the paper to check: {', '.join(papers)} (default {next(iter(papers))})",
        )


def selected_paper(options: argparse.Namespace) -> Paper:
    """The paper ``--paper`` names (the default one without the option)."""
    key = getattr(options, "paper", None)
    return default_paper() if key is None else paper_by_key(key)


def check_seed(seed: int | None, paper: Paper | None = None) -> int:
    """``--seed``, checked; ``None`` (not given): the paper's default seed."""
    if seed is None:
        return (paper or default_paper()).default_seed
    if seed < 0:
        raise UsageError("--seed", "an integer >= 0", seed)
    return seed


def add_readings_option(parser: argparse.ArgumentParser) -> None:
    """``--readings DIR``: judge the Sec. 4 claims with a stored search over the box."""
    parser.add_argument(
        "--readings",
        metavar="DIR",
        default=None,
        help="judge the Sec. 4 claims over the search stored in DIR (from 'fastweights "
        "readings --out DIR'), or 'builtin' to run a small search now (default: the full "
        "search shipped with fastweights)",
    )


def check_readings(directory: str | None) -> str | None:
    """A stored search directory, ``builtin`` or None (the packaged search), checked before
    anything is computed: a stored search's evidence (and the packaged one's) must pass
    ``verification.readings.search.check_search`` (manifest, rows, SHA-256, seed, size,
    box, design); else one line naming the file and the command that mends it."""
    from ..engine.paper import current_paper
    from ..shared.readings_evidence import (
        BUILTIN_READINGS,
        check_readings_directory,
        check_stored_search,
    )

    if directory == BUILTIN_READINGS:
        return directory
    if directory is None:
        if current_paper().stored_readings:
            check_stored_search()
        return directory
    check_readings_directory(directory)
    return directory


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer trials and seeds (within about 15 s); every claim is still decided",
    )
    add_seed_option(parser)
    add_paper_option(parser)
    parser.add_argument(
        "--json",
        metavar="PATH",
        default=None,
        help="also write the claims and run facts as JSON to PATH",
    )
    parser.add_argument(
        "--claim",
        action="append",
        metavar="ID",
        default=None,
        help="evaluate only this claim (repeatable)",
    )
    add_readings_option(parser)
    add_quiet_option(parser)


def run(options: argparse.Namespace) -> dict[str, Any]:
    paper = selected_paper(options)
    seed = check_seed(options.seed, paper)
    target = None if options.json is None else check_writable_file("--json", options.json)
    with checking(paper):
        readings = check_readings(options.readings)
        claims, meta = run_claims(
            seed,
            bool(options.quick),
            command_line("verify", seed, bool(options.quick), options.claim, readings),
            ids=options.claim,
            progress=not options.quiet,
            readings=readings,
        )
        document = results_document(claims, meta)
    if target is not None:
        text = json.dumps(document, indent=1, allow_nan=False) + "\n"
        write_atomically(target, text.encode())
        document["json_file"] = str(target)
    return document


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    rows = [
        [
            c["id"],
            _paper(c),
            _number(c["exact_value"]),
            _simulated(c["simulated"]),
            c["verdict"] + (" ⚠ THEORY≠SIMULATION" if c["theory_simulation_disagree"] else ""),
        ]
        for c in result["claims"]
    ]
    level = f"{DECISION_LEVEL:.1%}"
    out = [_table(rows, ["claim", "paper", "exact", f"simulated [{level} interval]", "verdict"])]
    counts: dict[str, int] = {}
    for c in result["claims"]:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    out += _readings_lines(result["claims"])
    out.append("")
    out.append(", ".join(f"{n} {v}" for v, n in counts.items()))
    problems = [c["id"] for c in result["claims"] if not _decided(c)]
    if problems:
        out.append(
            "NOT DECIDED (inconclusive, or theory and simulation disagree): " + ", ".join(problems)
        )
    seconds = result["meta"]["time"]["seconds"]
    out.append(f"seed {result['meta']['seed']}, {seconds:.1f} s")
    if "json_file" in result:
        out.append(f"JSON written to {result['json_file']}")
    return "\n".join(out)


def _readings_lines(claims: list[dict[str, Any]]) -> list[str]:
    """The Sec. 4 claims over the box: their numbers above are at the defaults."""
    judged = [c for c in claims if c.get("readings")]
    if not judged:
        return []
    source = judged[0]["readings"]["source"]
    lines = [
        "",
        f"Sec. 4 claims: the numbers above are at the toolkit's defaults; each verdict is over "
        f"the box of readings of what the paper leaves unstated ({source}; docs/deblur.md):",
    ]
    for c in judged:
        r = c["readings"]
        best = r.get("best_rerun") or {}
        lines.append(
            f"  {c['id']}: {c['verdict']} (at the defaults {r['holds_at_defaults']}; holds at "
            f"{r['readings_where_it_holds']} of {r['counted_readings']} readings; most "
            f"favourable re-run: {best.get('verdict', '-')})"
        )
    joint = judged[0]["readings"].get("joint", {})
    if joint:
        lines.append(f"  all together: {joint.get('verdict')}")
    return lines


def _decided(claim: dict[str, Any]) -> bool:
    return claim["verdict"] != "inconclusive" and not claim["theory_simulation_disagree"]


def exit_status(result: dict[str, Any]) -> int:
    return 0 if all(_decided(c) for c in result["claims"]) else 1


def _number(value: float | None) -> str:
    from ..report.document import format_number

    return format_number(value)


def _paper(claim: dict[str, Any]) -> str:
    if claim["paper_value"] is None and claim["threshold"] is not None:
        part = next(p for p in claim["parts"] if p["threshold"] is not None)
        side = ">" if part["claimed_side"] == "above" else "<"
        return f"{side} {_number(claim['threshold'])}"
    return _number(claim["paper_value"])


def _simulated(sim: dict[str, Any] | None) -> str:
    if sim is None:
        return "—"
    return f"{_number(sim['estimate'])} [{_number(sim['ci_low'])}, {_number(sim['ci_high'])}]"
