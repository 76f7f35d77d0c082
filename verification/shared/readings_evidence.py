"""Input ``readings-evidence``: the Sec. 4 claims judged over the box of readings.

The claims' own run at the defaults (``deblur-runs``) and a search over the box of
readings the paper leaves unstated (``verification.readings``), by ``--readings``: the
stored full search shipped with fastweights (default, :func:`stored_search`), a stored
``fastweights readings`` directory, or ``builtin``: a small search run now, seeded by
``claim_seed(seed, "deblur", "readings")`` and started in the background process when there
is one. The value is ``verification.readings.search.analyse_rows``'s analysis.

A stored search (the packaged one too) is read only after its evidence passes
:func:`verification.readings.search.check_search` (manifest, every file's rows and SHA-256,
seed, size, box and design): :func:`check_readings_directory` before anything is computed,
and again as its rows are read (each file checked against its hash as read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine.model import claim_seed
from .deblur_runs import deblur_run
from .executor import register_input
from .spec import InputSpec, Request

__all__ = [
    "BUILTIN_READINGS",
    "NAME",
    "STORED_MEND",
    "builtin_search_rows",
    "builtin_search_size",
    "check_readings_directory",
    "check_stored_search",
    "readings_seed",
    "stored_search",
]

STORED_MEND = "reinstall fastweights (pip install --force-reinstall fastweights)"
"""What mends the packaged search when it fails its check."""

NAME = "readings-evidence"

BUILTIN_READINGS = "builtin"
"""``--readings builtin``: run the small built-in search instead of reading a stored one."""


def readings_seed(seed: int) -> int:
    """The seed of the built-in search (design and runs), derived from the claims' seed."""
    return claim_seed(seed, "deblur", "readings") % (2**32)


def builtin_search_size(quick: bool) -> Any:
    """The built-in search: :data:`~verification.readings.search.BUILTIN_QUICK` with
    ``--quick``, else :data:`~verification.readings.search.BUILTIN`."""
    from ..readings.search import BUILTIN, BUILTIN_QUICK

    return BUILTIN_QUICK if quick else BUILTIN


def builtin_search_rows(seed: int, quick: bool) -> tuple[list[Any], list[Any]]:
    """Run the built-in search in a temporary directory, on the sweep engine in this
    process; its search and re-run rows as plain data (no run at the defaults: the claims'
    own run is the defaults)."""
    import tempfile

    from ..readings.search import search_rows

    options = {"in_process": True, "quiet": True, "notify": lambda _message: None}
    with tempfile.TemporaryDirectory(prefix="fastweights-readings-") as tmp:
        return search_rows(
            tmp, builtin_search_size(quick), readings_seed(seed), options, rerun_defaults=False
        )


def stored_search() -> str:
    """The directory of the full search shipped with fastweights (the paper's
    ``stored_readings`` under ``verification/data/readings``; for Hinton & Plaut (1987)
    ``full-1987``: ``fastweights readings --seed 1987``, 256 readings x 10 seeds, re-runs on
    40, one confirmation on 160), the default evidence of the Sec. 4 verdicts."""
    from pathlib import Path

    from ..engine.paper import current_paper

    data = Path(__file__).resolve().parents[1] / "data" / "readings"
    return str(data / current_paper().stored_readings)


def check_readings_directory(directory: str) -> None:
    """A stored search that passes :func:`~verification.readings.search.check_search`
    (else one line, :class:`~verification.evidence.EvidenceError`, naming the file, what
    is wrong and ``fastweights readings --resume --out DIR``)."""
    from ..readings.search import check_search

    check_search(directory)


def check_stored_search() -> None:
    """The packaged search passes the same check, as the paper's full search (its seed,
    :data:`~verification.readings.search.FULL`)."""
    from ..engine.paper import current_paper
    from ..readings.search import FULL, check_search

    check_search(stored_search(), seed=current_paper().default_seed, size=FULL, mend=STORED_MEND)


def _stored_rows(readings: str | None) -> tuple[list[Any], list[Any], str]:
    from ..engine.paper import current_paper
    from ..readings.search import FULL, read_search

    if readings is None:
        search, reruns, made = read_search(
            stored_search(), seed=current_paper().default_seed, size=FULL, mend=STORED_MEND
        )
        size = made["options"]["size"]
        source = (
            f"the full search shipped with fastweights (fastweights readings --seed "
            f"{made['seed']}: {len(search)} readings x {size['seeds']} seeds, "
            f"re-runs on {size['rerun_seeds']} and {size['confirm_seeds']})"
        )
    else:
        search, reruns, _ = read_search(readings)
        source = f"the stored search in {readings}"
    return search, reruns, source


def _early(request: Request) -> tuple[list[Any], list[Any]]:
    """The built-in search's rows (started in the background process with ``builtin``)."""
    return builtin_search_rows(request.seed, request.quick)


def _is_builtin(request: Request) -> bool:
    return bool(request.option("readings") == BUILTIN_READINGS)


def _compute(request: Request, early: Callable[[], tuple[list[Any], list[Any]]] | None) -> Any:
    from ..readings.analysis import measured
    from ..readings.measure import compact_run
    from ..readings.search import analyse_rows

    defaults = measured({}, compact_run(deblur_run(request.seed, request.quick)))
    if not _is_builtin(request):
        search, reruns, source = _stored_rows(request.option("readings"))
    else:
        from ..readings.search import FULL

        search, reruns = early() if early is not None else _early(request)
        size = builtin_search_size(request.quick)
        source = (
            f"the built-in search ({size.readings} readings x {size.seeds} seeds, "
            f"re-runs on {size.rerun_seeds} seeds; `fastweights readings` runs "
            f"{FULL.readings} x {FULL.seeds} with re-runs on {FULL.rerun_seeds}, and "
            "`--readings DIR` uses it)"
        )
    return analyse_rows(search, reruns, source, defaults=defaults)


register_input(
    InputSpec(
        NAME,
        _compute,
        early=_early,
        start_if=_is_builtin,
        needs=("deblur-runs",),
        options=("readings",),
    )
)
