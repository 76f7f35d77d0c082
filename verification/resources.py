"""What a command will need — memory and time — checked against the machine before it starts.

A command module may define ``estimate(options) -> Iterable[Need]``: for each option whose
value makes the run big, the peak memory and the single-core time it implies. The CLI
(and a sweep, for every point) calls it after the arguments are checked and before
anything runs; a need beyond the limits is refused in one line naming the option, what it
needs and the limit, e.g. ::

    fastweights: error: --associations: expected a request that fits in memory (it needs
    about 90 GB; 21.3 GB available), got 1000000000

The limits: the memory available now (``MemAvailable`` of ``/proc/meminfo``), and one day
of computing. ``FASTWEIGHTS_MEMORY_LIMIT`` (bytes, or ``512M``, ``8G``) and
``FASTWEIGHTS_TIME_LIMIT`` (seconds, or ``90m``, ``12h``, ``3d``) replace them.

Estimates are deliberately rough (within a few times of the truth, on the safe side):
they exist to refuse what cannot finish — 10^9 associations, 10^9 steps — at once instead
of after tens of seconds of swapping, not to predict run times. The time constants were
measured on a 2-core machine (``docs/performance.md``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import UsageError

__all__ = [
    "DEBLUR_PASSES_PER_SECOND",
    "DEFAULT_TIME_LIMIT",
    "NOTICE_SECONDS",
    "PER_CASE_COST",
    "SWEEP_POINT_BYTES",
    "SWEEP_POINT_SECONDS",
    "Need",
    "ResourceError",
    "available_memory",
    "check_needs",
    "deblur_need",
    "format_bytes",
    "format_seconds",
    "long_run_notice",
    "memory_limit",
    "streaming_needs",
    "time_limit",
]

DEFAULT_TIME_LIMIT = 24 * 3600.0
"""One day of single-core computing (``FASTWEIGHTS_TIME_LIMIT`` replaces it)."""

NOTICE_SECONDS = 60.0
"""A request estimated to take longer than this (but within the limit) is announced before it
starts, with its estimate, so a long run is never a surprise."""

_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
_TIME_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class ResourceError(UsageError):
    """A request that would not fit in memory or not finish in time (one line, exit 2)."""


@dataclass(frozen=True)
class Need:
    """What one option's value implies: peak ``bytes`` and single-core ``seconds``.

    ``option`` is the option as the command line spells it (``--steps``) or a sweep
    configuration key; ``value`` its value, for the message.
    """

    option: str
    value: object
    bytes: float = 0.0
    seconds: float = 0.0


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation now, or ``None`` if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return None


def _parse(name: str, text: str, units: dict[str, int]) -> float:
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([a-zA-Z]?)[bB]?\s*", text)
    if match is None or match[2].lower() not in units or float(match[1]) <= 0:
        examples = "512M or 8G" if "g" in units else "3600, 90m, 12h or 3d"
        accepts = f"a positive number with an optional unit, such as {examples}"
        raise UsageError(name, accepts, text)
    return float(match[1]) * units[match[2].lower()]


def memory_limit() -> float | None:
    """The memory a command may use: ``FASTWEIGHTS_MEMORY_LIMIT``, else what is available."""
    text = os.environ.get("FASTWEIGHTS_MEMORY_LIMIT")
    if text:
        return _parse("FASTWEIGHTS_MEMORY_LIMIT", text, _UNITS)
    available = available_memory()
    return None if available is None else float(available)


def time_limit() -> float:
    """The single-core seconds a command may take: ``FASTWEIGHTS_TIME_LIMIT``, else a day."""
    text = os.environ.get("FASTWEIGHTS_TIME_LIMIT")
    if text:
        return _parse("FASTWEIGHTS_TIME_LIMIT", text, _TIME_UNITS)
    return DEFAULT_TIME_LIMIT


def format_bytes(count: float) -> str:
    """``1.5 GB``, ``300 MB``, ``12 kB`` (powers of 1024, two significant digits or more)."""
    for unit, size in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count:.0f} B"


def format_seconds(seconds: float) -> str:
    """``40 s``, ``3.2 h``, ``12 days``, ``3e+05 years``."""
    if seconds < 120:
        return f"{seconds:.2g} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.2g} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.2g} h"
    if seconds < 730 * 86400:
        return f"{seconds / 86400:.3g} days"
    return f"{seconds / (365 * 86400):.3g} years"


def check_needs(needs: Iterable[Need], workers: int = 1) -> None:
    """Refuse the first need beyond the limits (:class:`ResourceError`, one line).

    ``workers`` processes share the time (a sweep); memory is per process.
    """
    memory = memory_limit()
    seconds = time_limit()
    for need in needs:
        if memory is not None and need.bytes > memory:
            raise ResourceError(
                need.option,
                f"a request that fits in memory (it needs about {format_bytes(need.bytes)}; "
                f"{format_bytes(memory)} available)",
                need.value,
            )
        if need.seconds / max(1, workers) > seconds:
            raise ResourceError(
                need.option,
                f"a request that finishes within {format_seconds(seconds)} (it would take "
                f"about {format_seconds(need.seconds / max(1, workers))})",
                need.value,
            )


def long_run_notice(needs: Iterable[Need], workers: int = 1) -> str | None:
    """One line announcing a request estimated to take more than :data:`NOTICE_SECONDS`
    (the longest need's time, shared by ``workers``), naming the option that makes it long;
    ``None`` for a shorter one."""
    longest = max(needs, key=lambda need: need.seconds, default=None)
    if longest is None:
        return None
    seconds = longest.seconds / max(1, workers)
    if seconds <= NOTICE_SECONDS:
        return None
    return (
        f"this request will take about {format_seconds(seconds)} of computing (an estimate; "
        f"{longest.option} {longest.value} makes it long; FASTWEIGHTS_TIME_LIMIT, now "
        f"{format_seconds(time_limit())}, refuses longer ones)"
    )


def streaming_needs(
    options: object,
    size_option: tuple[str, object],
    elements_per_trial: int,
    bytes_per_trial: float,
    seconds_per_trial: float,
    usual_seconds_per_trial: float,
    usual_trials: int,
) -> list[Need]:
    """The needs of a ``simulation`` command that streams trials in chunks.

    ``options`` carries ``trials`` and ``chunk_size`` (``--trials``, ``--chunk-size``);
    ``size_option`` is the option (and value) that makes one trial big. Memory is one
    chunk of trials (chosen as :mod:`simulation._streaming` does); it is blamed on
    ``--chunk-size`` when the user's chunk is what does not fit, else on ``size_option``.
    Time is blamed on ``--trials`` or on ``size_option``, whichever is further above its
    usual value (``usual_trials``; ``usual_seconds_per_trial``: a trial at the defaults).
    """
    from simulation._streaming import chunk_trial_count

    trials = int(getattr(options, "trials", 1))
    chunk_size = getattr(options, "chunk_size", None)
    chunk = chunk_trial_count(trials, elements_per_trial, chunk_size)
    smallest = chunk_trial_count(trials, elements_per_trial, 1)
    if chunk_size is not None and chunk > smallest:
        needs = [
            Need(*size_option, bytes=smallest * bytes_per_trial),
            Need("--chunk-size", chunk_size, bytes=chunk * bytes_per_trial),
        ]
    else:
        needs = [Need(*size_option, bytes=chunk * bytes_per_trial)]
    seconds = trials * seconds_per_trial
    if seconds_per_trial / usual_seconds_per_trial > trials / usual_trials:
        needs.append(Need(*size_option, seconds=seconds))
    else:
        needs.append(Need("--trials", trials, seconds=seconds))
    return needs


DEBLUR_PASSES_PER_SECOND = 3e9
"""Weights times cases passed per second by a Sec. 4 sweep with batch updates, one core
(measured 2026-12-07 on 2 vCPUs Xeon Sapphire Rapids: ``run_deblur(seeds=10, threads=1)``,
10 x 2110 weights x 174,000 case passes in 0.94 s of CPU, 3.9e9/s; rounded down so that a
slower machine is not promised too little)."""

PER_CASE_COST = 3.6
"""Time of a Sec. 4 run with per-case updates over the same run with batch updates, one
core (measured with the rate above: 3.35 s against 0.94 s): a weight change per case is a
pass over all the weights per case, where a batch sweep shares one among the cases."""

SWEEP_POINT_BYTES = 8 * 2**10
"""Memory per sweep point for its bookkeeping: the point, its task and future, its row."""
SWEEP_POINT_SECONDS = 2e-3
"""Time per sweep point for its bookkeeping: parsing, checking, scheduling, recording."""


def deblur_need(settings: object, seeds: int, conditions: int) -> tuple[float, float]:
    """Peak bytes and single-core seconds of the Sec. 4 experiment (``DeblurSettings``).

    Per seed in flight: slow and fast weights, their momenta, gradients and temporaries
    (about 24 copies of the W weights) and the activations and errors of every case (about
    12 copies of (K + K_new) (hidden + output) numbers); ``chunk_size`` seeds per thread;
    plus 100 MB for the process. Time: every sweep passes each of its cases through the
    W weights (forward, backward, the change): the original and new learning once per
    seed, then per condition the retraining sweeps, which also measure the old and new
    associations, and the fast weights' decay; at :data:`DEBLUR_PASSES_PER_SECOND`,
    :data:`PER_CASE_COST` times slower with per-case updates.
    """
    get = getattr
    dtype_bytes = 4 if get(settings, "dtype") == "float32" else 8
    n_in, n_hidden, n_out = (get(settings, f) for f in ("n_input", "n_hidden", "n_output"))
    old, new = get(settings, "associations"), get(settings, "new_associations")
    cases = old + new
    weights = (n_in + 1) * n_hidden + (n_hidden + 1) * n_out
    activations = cases * (n_hidden + n_out)
    per_seed = dtype_bytes * (24.0 * weights + 12.0 * activations)
    threads = get(settings, "threads") or 2
    in_flight = min(seeds, get(settings, "chunk_size") * threads)
    learning = get(settings, "original_sweeps") * old + get(settings, "new_sweeps") * new
    decay = get(settings, "decay_updates") or 1000  # a pass over the weights each
    retraining = conditions * (get(settings, "retrain_sweeps") * cases + decay)
    seconds = seeds * weights * (learning + retraining) / DEBLUR_PASSES_PER_SECOND
    if get(settings, "updates") == "per-case":
        seconds *= PER_CASE_COST
    return 100 * 2**20 + in_flight * per_seed, seconds
