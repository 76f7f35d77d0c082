"""Claims of the deblurring experiment (Sec. 4, Fig. 2): measured, with no exact theory.

Every verdict here compares a measured interval (across seeds, Student-t or Wilson, taken
to the decision level) with a documented threshold (:data:`THRESHOLDS`): ``reproduced``
when the interval lies wholly on the paper's side, ``refuted`` when wholly on the other,
``inconclusive`` when it straddles.

=============================  ===============================================================
``deblur-original-learning``   after 1300 sweeps the 100 associations are learned perfectly
                               and the fast weights are very close to zero
``deblur-transfer``            early in retraining, the unretrained associations improve very
                               nearly as much as the retrained ones, also at 10 %
``deblur-new-return``          when the fast weights decay, the new associations come back
``deblur-control``             fast weights cost the new associations less than retraining
                               in the slow weights (the control)
=============================  ===============================================================

All four come from one run of the experiment (:func:`deblur_run`, cached per seed and
precision): phases 1-2 shared, retraining on 10 % and 50 % with fast weights and in the
control, paired seed by seed (``simulation.run_deblur_conditions``).

The paper does not state the fast weights' ε and α, the initial weights or the error
constant, so every part is also measured at other readings of them
(:data:`SENSITIVITY_AXES`, one at a time around the defaults, :func:`deblur_sensitivity_runs`,
computed with the defaults' run), for display (:func:`verification.verdict.decide_sensitivity`:
each part keeps its verdict at the defaults). Each claim's verdict is decided over the whole
box of readings (:func:`decide_over_readings`, ``verification.readings``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np

from simulation.estimate import Estimate

from ..readings.measure import EARLY_SWEEP, FRACTIONS
from ..readings.measure import INTACT_WRONG_OUTPUTS as _INTACT
from ..readings.measure import THRESHOLDS as _THRESHOLDS
from .model import (
    DISPLAY_LEVEL,
    Part,
    Reading,
    Simulated,
    claim_seed,
    sensitive_threshold_part,
)
from .registry import ClaimSpec, Context, register

__all__ = [
    "EARLY_SWEEP",
    "FRACTIONS",
    "INTACT_WRONG_OUTPUTS",
    "SENSITIVITY_AXES",
    "THRESHOLDS",
    "compute_deblur_run",
    "compute_deblur_runs",
    "control_minus_fast",
    "damage_remaining",
    "deblur_run",
    "deblur_seeds",
    "deblur_sensitivity_runs",
    "fast_to_slow_rms",
    "learned_fraction",
    "reading_label",
    "sensitivity_readings",
    "sensitivity_seeds",
    "start_deblur_run",
    "transfer_ratio",
]

# The thresholds, fractions and the intact criterion live with the measurement at a reading
# (verification.readings.measure), so the defaults and every reading are judged alike.
THRESHOLDS = _THRESHOLDS
"""The documented thresholds of the Sec. 4 claims.

``learned_fraction``: "knew the associations perfectly" is read as: most networks (more
than half of the seeds) have every output of every old association on the right side of
0.5. ``fast_to_slow_rms``: "very close to zero": RMS fast weight below 1% of the RMS slow
weight. ``nearly_as_much``: "very nearly as good": the unretrained associations' mean
improvement at least 80% of the retrained ones'. ``damage_remaining``: "the new
associations return": after the decay, less than 25% of the increase in their error caused
by retraining remains. ``control_minus_fast``: the control's increase of the new
associations' error exceeds that with fast weights."""


SENSITIVITY_AXES: dict[str, tuple[Any, ...]] = {
    "fast_epsilon": (0.005, 0.05),
    "fast_momentum": (0.9,),
    "init_scale": (0.1, 1.0),
    "error_measure": ("squared",),
    "error_factor": (1.0,),
}
"""Other readings of what the paper does not state, one at a time around the defaults.

The readings ``docs/deblur.md`` found to matter: slower (ε_f = .005) and faster (.05, past
the stability cliff) fast weights; fast weights with the slow weights' momentum (α_f = .9,
the largest fast weights); smaller and larger initial weights (uniform on ±.1, ±1); Fig. 2's
error as the squared instead of the absolute error; and the literal "squared difference"
error E = Σ (y - t)² (c = 1 instead of ½, which doubles every ε)."""

INTACT_WRONG_OUTPUTS = _INTACT
"""A reading's original learning is *intact* when, after the 1300 sweeps, at most this
fraction of the old associations' outputs is on the wrong side of 0.5 (mean over seeds).
The defaults give 3-5% (it varies with the seeds: one seed stuck on a flat spot counts),
the readings where learning breaks down 20-50% (ε_f = .05, c = 1; chance is 50%): 10%
lies in the gap, so seed noise at the defaults' own level does not flip it. Only intact
readings count for the claims about retraining: where nothing was learned, the later phases
measure nothing the paper describes."""


def deblur_seeds(quick: bool) -> int:
    """Seeds of the experiment: 200 (40 with ``--quick``)."""
    return 40 if quick else 200


def sensitivity_seeds(quick: bool) -> int:
    """Seeds per sensitivity reading: 30 (6 with ``--quick``: enough to refute the clear
    cases, e.g. a transfer ratio of .45 against .8; the rest stay inconclusive there)."""
    return 6 if quick else 30


def reading_label(point: Mapping[str, Any]) -> str:
    """``"fast_epsilon = 0.005"`` (``"defaults"`` for no change)."""
    if not point:
        return "defaults"
    return ", ".join(
        f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}"
        for name, value in point.items()
    )


Runs = tuple[Mapping[str, Any], list[tuple[dict[str, Any], Mapping[str, Any]]]]
_RUNS: dict[tuple[int, bool], Runs] = {}


def start_deblur_run(seed: int, quick: bool) -> None:
    """Start the defaults' run (and, with ``quick``, the first readings of
    :func:`deblur_sensitivity_runs`) as one job in the current background process (if
    there is one); this process computes the other readings when it first needs them."""
    from ..background import current

    worker = current()
    if worker is not None and (seed, quick) not in _RUNS:
        worker.submit(("deblur", seed, quick), _background_runs, seed, quick)


def _points() -> list[dict[str, Any]]:
    from simulation.deblur_sensitivity import sensitivity_points

    return sensitivity_points(SENSITIVITY_AXES)[1:]  # [0] is the defaults


def _background_readings(quick: bool) -> int:
    """Readings computed in the background process after the defaults' run (one thread:
    the other core is this process's, which computes the other readings meanwhile, one
    after the other). Measured balance on 2 cores: with ``quick`` the defaults' run (40
    seeds) and 2 readings there, 5 here; in full the defaults' run (200 seeds) there, all 7
    readings here. Running the defaults' run on two threads meanwhile was slower (45 s
    instead of 36 s in full)."""
    return 2 if quick else 0


def _background_runs(seed: int, quick: bool) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    defaults = compute_deblur_run(seed, quick, threads=1)  # the other core is this process
    return defaults, [
        _sensitivity_run(seed, quick, p) for p in _points()[: _background_readings(quick)]
    ]


def _runs(seed: int, quick: bool) -> Runs:
    from ..background import current

    key = (seed, quick)
    if key not in _RUNS:
        worker = current()
        if worker is None:
            runs = compute_deblur_runs(seed, quick)
        else:
            points = _points()
            here = [_sensitivity_run(seed, quick, p) for p in points[_background_readings(quick) :]]
            defaults, there = worker.result(("deblur", seed, quick), _background_runs, seed, quick)
            runs = (defaults, list(zip(points, there + here, strict=True)))
        if len(_RUNS) >= 4:
            _RUNS.pop(next(iter(_RUNS)))
        _RUNS[key] = runs
    return _RUNS[key]


def deblur_run(seed: int, quick: bool) -> Mapping[str, Any]:
    """One run of the experiment for the claims and the Fig. 2 figure (cached).

    Seeded by ``claim_seed(seed, "deblur")``: the same for every deblurring claim, and
    independent of the other claims. Fetched from the background process when
    :func:`start_deblur_run` started it there.
    """
    return _runs(seed, quick)[0]


def deblur_sensitivity_runs(
    seed: int, quick: bool
) -> list[tuple[dict[str, Any], Mapping[str, Any]]]:
    """The experiment at every reading of :data:`SENSITIVITY_AXES` (cached, computed with
    :func:`deblur_run`): a list of ``(changed parameters, run_deblur_conditions result)``,
    the defaults left out.

    Reading ``p`` is seeded by ``claim_seed(seed, "deblur", "sensitivity", label(p))``:
    keyed by the reading itself, so adding or removing a reading changes no other
    reading's numbers.
    """
    return _runs(seed, quick)[1]


def compute_deblur_run(seed: int, quick: bool, threads: int | None = None) -> Mapping[str, Any]:
    """Run the experiment at the defaults (no cache): what :func:`deblur_run` returns."""
    from simulation import run_deblur_conditions

    return run_deblur_conditions(
        seeds=deblur_seeds(quick),
        retrain_fractions=FRACTIONS,
        seed=claim_seed(seed, "deblur") % (2**63),
        include_control=True,
        per_seed=True,
        capture_blurred=True,  # the networks at the start of retraining (transfer_chain)
        chunk_size=20 if quick else 25,  # whole chunks per thread; changes no number
        threads=threads,
    )


def _sensitivity_run(seed: int, quick: bool, point: Mapping[str, Any]) -> Mapping[str, Any]:
    from simulation import run_deblur_conditions

    seeds = sensitivity_seeds(quick)
    return run_deblur_conditions(
        seeds=seeds,
        retrain_fractions=FRACTIONS,
        seed=claim_seed(seed, "deblur", "sensitivity", reading_label(point)) % (2**63),
        include_control=True,
        per_seed=True,
        chunk_size=seeds,
        threads=1,
        **point,
    )


def compute_deblur_runs(seed: int, quick: bool) -> Runs:
    """The defaults' run and every sensitivity run, in this process (no cache).

    The defaults' run first, on the cores' threads; then the readings, whose batches are
    small, side by side, one thread each (a second thread inside a small run mostly adds
    overhead). With a background process, :func:`deblur_run` splits the same runs between
    the two processes instead. Threads, chunks and processes change no number.
    """
    from concurrent.futures import ThreadPoolExecutor

    from simulation.deblur_protocol import default_threads

    points = _points()
    defaults = compute_deblur_run(seed, quick)
    with ThreadPoolExecutor(max_workers=default_threads()) as pool:
        readings = [pool.submit(_sensitivity_run, seed, quick, p) for p in points]
        return defaults, list(zip(points, [r.result() for r in readings], strict=True))


def _t_simulated(estimate: Estimate | None) -> Simulated:
    """A mean (or delta-method ratio) over seeds with its t intervals at both levels."""
    if estimate is None:
        raise RuntimeError("deblur: a quantity has no interval (one seed, or a zero mean)")
    return Simulated.from_estimate(estimate)


def _samples(condition: Mapping[str, Any], key: str) -> np.ndarray:
    """The per-seed values ``key`` of a condition: (S,) or (S, sweeps + 1)."""
    return np.asarray(condition["per_seed"][key], dtype=float)


def _condition(run: Mapping[str, Any], fraction: float, fast: bool) -> Mapping[str, Any]:
    for condition in run["conditions"]:
        if condition["retrain_fraction"] == fraction and condition["fast_weights"] == fast:
            found: Mapping[str, Any] = condition
            return found
    raise RuntimeError(f"deblur: no condition with fraction {fraction}, fast weights {fast}")


def _seed_count(run: Mapping[str, Any]) -> int:
    return int(run["seeds"])


# ---------------------------------------------------------------- the measured quantities


def learned_fraction(run: Mapping[str, Any]) -> Simulated:
    """Fraction of seeds whose network learned every old association (exact binomial)."""
    from simulation.seed_statistics import seed_fraction

    condition = _condition(run, FRACTIONS[0], True)
    learned = seed_fraction(condition["per_seed"]["old_learned_after_training"])
    return Simulated.from_count(int(learned.successes or 0), _seed_count(run))


def fast_to_slow_rms(run: Mapping[str, Any]) -> Simulated:
    """RMS fast weight / RMS slow weight after the original learning (mean over seeds)."""
    from simulation.seed_statistics import t_mean

    condition = _condition(run, FRACTIONS[0], True)
    return _t_simulated(t_mean(_samples(condition, "fast_to_slow_rms_after_training")))


def _check_denominator(values: Mapping[str, float | None], what: str) -> None:
    """A ratio of means needs a denominator distinguishable from 0 (its 95% interval): where
    nothing moved (a saturated network), the delta method's interval is meaningless."""
    low, high = values["ci_low"], values["ci_high"]
    if low is None or high is None or low <= 0.0 <= high:
        raise RuntimeError(f"deblur: {what} is indistinguishable from 0; the ratio is undefined")


def transfer_ratio(run: Mapping[str, Any], fraction: float) -> Simulated:
    """Unretrained / retrained mean improvement after :data:`EARLY_SWEEP` sweeps."""
    from simulation.seed_statistics import t_ratio_of_means

    condition = _condition(run, fraction, True)
    improvement = condition["retrained_improvement"][EARLY_SWEEP - 1]
    _check_denominator(improvement, "the retrained associations' improvement")
    retrained = _samples(condition, "retrained_error")  # (S, sweeps + 1)
    unretrained = _samples(condition, "unretrained_error")
    gain_r = retrained[:, 0] - retrained[:, EARLY_SWEEP]
    gain_u = unretrained[:, 0] - unretrained[:, EARLY_SWEEP]
    return _t_simulated(t_ratio_of_means(gain_u, gain_r))


def damage_remaining(run: Mapping[str, Any], fraction: float) -> Simulated:
    """Part of the retraining's damage to the new associations left after the decay."""
    condition = _condition(run, fraction, True)
    damage = condition["new_error_change_after_retraining"]
    _check_denominator(damage, "the retraining's damage to the new associations")
    return _t_simulated(_damage_remaining(condition))


def control_minus_fast(run: Mapping[str, Any], fraction: float) -> Simulated:
    """Control minus fast weights: increase of the new associations' error (paired t mean
    of the per-seed differences)."""
    from simulation.seed_statistics import t_mean

    fast, control = _condition(run, fraction, True), _condition(run, fraction, False)
    before = _samples(fast, "new_error")[:, 0]
    fast_change = _samples(fast, "new_error_after_decay") - before
    control_change = _samples(control, "new_error_after_decay") - before
    return _t_simulated(t_mean(control_change - fast_change))


def _reading(
    point: Mapping[str, Any],
    run: Mapping[str, Any],
    measure: Callable[[Mapping[str, Any]], Simulated],
) -> Reading:
    wrong = _condition(run, FRACTIONS[0], True)["original_learning"]["old_wrong_output_fraction"]
    note = ""
    try:
        simulated: Simulated | None = measure(run)
    except RuntimeError as error:  # no interval here (e.g. a saturated network: no change)
        if not point:
            raise
        simulated, note = None, str(error).removeprefix("deblur: ")
    return Reading(
        label=reading_label(point),
        parameters=dict(point),
        intact=wrong["estimate"] <= INTACT_WRONG_OUTPUTS,
        simulated=simulated,
        measures={"wrong_output_fraction": dict(wrong), "seeds": _seed_count(run)},
        note=note,
    )


def sensitivity_readings(
    seed: int, quick: bool, measure: Callable[[Mapping[str, Any]], Simulated]
) -> list[Reading]:
    """``measure`` at the defaults (first) and at every sensitivity reading."""
    readings = [_reading({}, deblur_run(seed, quick), measure)]
    readings += [_reading(p, run, measure) for p, run in deblur_sensitivity_runs(seed, quick)]
    return readings


def _sensitive_part(
    ctx: Context,
    label: str,
    quantity: str,
    measure: Callable[[Mapping[str, Any]], Simulated],
    threshold: str,
    above: bool,
    parameters: Mapping[str, Any],
) -> Part:
    return sensitive_threshold_part(
        label,
        quantity,
        sensitivity_readings(ctx.seed, ctx.quick, measure),
        threshold=THRESHOLDS[threshold],
        above=above,
        parameters=parameters,
    )


# ---------------------------------------------------------------- the box of readings
_ANALYSES: dict[tuple[int, bool, str | None], Any] = {}


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


def start_builtin_search(seed: int, quick: bool) -> None:
    """Start the built-in search in the current background process (if there is one)."""
    from ..background import current

    worker = current()
    if worker is not None and (seed, quick, BUILTIN_READINGS) not in _ANALYSES:
        worker.submit(("readings", seed, quick), builtin_search_rows, seed, quick)


BUILTIN_READINGS = "builtin"
"""``--readings builtin``: run the small built-in search instead of reading a stored one."""


def stored_search() -> str:
    """The directory of the full search shipped with fastweights
    (``verification/data/readings/full-1987``: ``fastweights readings --seed 1987``, 256
    readings x 10 seeds, re-runs on 40, one confirmation on 160), the default evidence of
    the Sec. 4 verdicts."""
    from pathlib import Path

    return str(Path(__file__).resolve().parents[1] / "data" / "readings" / "full-1987")


def check_readings_directory(directory: str) -> None:
    """A stored search: ``DIR/search`` and ``DIR/rerun`` with their rows (else a one-line
    :class:`~verification.errors.UsageError` naming ``--readings``)."""
    from pathlib import Path

    from ..errors import UsageError

    for stage in ("search", "rerun"):
        if not (Path(directory) / stage / "results.jsonl").is_file():
            raise UsageError(
                "--readings",
                "the directory of a finished 'fastweights readings' search",
                directory,
            )


def readings_analysis(ctx: Context) -> Any:
    """The Sec. 4 claims judged over the box (cached): the claims' own run at the
    defaults, and the search in ``ctx.readings``: a stored ``fastweights readings``
    directory, ``"builtin"`` (the small built-in search, run now) or None (the stored full
    search shipped with fastweights, :func:`stored_search`)."""
    from pathlib import Path

    from ..background import current
    from ..readings.analysis import measured
    from ..readings.measure import compact_run
    from ..readings.search import analyse_rows, stage_rows

    key = (ctx.seed, ctx.quick, ctx.readings)
    if key not in _ANALYSES:
        defaults = measured({}, compact_run(deblur_run(ctx.seed, ctx.quick)))
        if ctx.readings != BUILTIN_READINGS:
            directory = stored_search() if ctx.readings is None else ctx.readings
            check_readings_directory(directory)
            search = stage_rows(Path(directory) / "search")
            reruns = stage_rows(Path(directory) / "rerun")
            reruns += stage_rows(Path(directory) / "confirm")  # none: no such stage
            source = (
                "the full search shipped with fastweights (fastweights readings --seed 1987: "
                f"{len(search)} readings x 10 seeds, re-runs on 40 and 160)"
                if ctx.readings is None
                else f"the stored search in {ctx.readings}"
            )
        else:
            worker = current()
            args = (builtin_search_rows, ctx.seed, ctx.quick)
            if worker is not None:
                search, reruns = worker.result(("readings", ctx.seed, ctx.quick), *args)
            else:
                search, reruns = builtin_search_rows(ctx.seed, ctx.quick)
            size = builtin_search_size(ctx.quick)
            source = (
                f"the built-in search ({size.readings} readings x {size.seeds} seeds, "
                f"re-runs on {size.rerun_seeds} seeds; `fastweights readings` runs "
                "256 x 10 with re-runs on 40, and `--readings DIR` uses it)"
            )
        _ANALYSES[key] = analyse_rows(search, reruns, source, defaults=defaults)
    return _ANALYSES[key]


def decide_over_readings(ctx: Context, parts: Any) -> tuple[Any, dict[str, Any]]:
    """The claim's verdict over the box (``ClaimSpec.decide``) and its evidence."""
    analysis = readings_analysis(ctx)
    verdict = analysis.claims[ctx.claim_id]
    evidence = {
        "source": analysis.source,
        "readings": analysis.readings,
        "seeds_per_reading": analysis.seeds,
        "rerun_seeds": analysis.rerun_seeds,
        "confirm_seeds": analysis.confirm_seeds,
        **verdict.as_dict(),
        "joint": analysis.joint.as_dict(),
    }
    return verdict.outcome, evidence


# ---------------------------------------------------------------- original learning


def _original_parts(ctx: Context) -> list[Part]:
    run = deblur_run(ctx.seed, ctx.quick)
    original = _condition(run, FRACTIONS[0], True)["original_learning"]
    return [
        _sensitive_part(
            ctx,
            "associations learned",
            "fraction of seeds whose network has every output of every old association on the "
            "right side of 0.5 after the 1300 sweeps",
            learned_fraction,
            "learned_fraction",
            above=True,
            parameters={
                "wrong_output_fraction": original["old_wrong_output_fraction"],
                "old_error": original["old_error"],
            },
        ),
        _sensitive_part(
            ctx,
            "fast weights near zero",
            "RMS fast weight / RMS slow weight after the 1300 sweeps",
            fast_to_slow_rms,
            "fast_to_slow_rms",
            above=False,
            parameters={"fast_weight_max_abs": original["fast_weight_max_abs"]},
        ),
    ]


_SETUP = (
    "The Sec. 4 protocol (simulation.run_deblur_conditions, defaults = the paper's values and "
    "the toolkit's documented assumptions, see the assumptions section): a 10-100-10 logistic "
    "network with slow and fast weights; 100 distinct random 10-bit inputs with random 10-bit "
    "targets, 1300 full-batch sweeps (ε = .02, α = .9, h = .01); 5 new associations for 400 "
    "sweeps; retraining on 10% or 50% of the old associations for 20 sweeps, with fast weights "
    "and in the control (slow weights only); then the fast weights decay. Error: the average "
    "error of an output unit, mean |y - t|. Intervals across seeds: Student t (Wilson-type "
    "exact binomial for fractions of seeds), taken to the decision level. Also run at other "
    "readings of what the paper leaves unstated, one at a time ("
    + "; ".join(
        reading_label({name: v}) for name, values in SENSITIVITY_AXES.items() for v in values
    )
    + f"), {sensitivity_seeds(False)} seeds each ({sensitivity_seeds(True)} with --quick), "
    "seeded per reading, shown beside each part's verdict at the defaults. The claim's verdict "
    "is decided over the whole box of readings of the unstated parameters (fastweights "
    "readings; docs/deblur.md), counting for the claims about retraining only readings whose "
    f"original learning is intact (at most {INTACT_WRONG_OUTPUTS:.0%} of the old outputs on the "
    "wrong side of 0.5)."
)

register(
    ClaimSpec(
        id="deblur-original-learning",
        section="Sec. 4",
        statement=(
            "After prolonged training (1300 sweeps with ε = .02 and α = .9) the network knew "
            "the associations perfectly, and all the knowledge was in the slow weights. The "
            "fast weights were very close to zero [...]"
        ),
        quantity=(
            "after the 1300 sweeps: the fraction of networks that learned every association "
            f"(claimed > {THRESHOLDS['learned_fraction']:g}), and the size of the fast weights "
            f"relative to the slow (claimed < {THRESHOLDS['fast_to_slow_rms']:g})"
        ),
        derivations=(),
        setup=_SETUP,
        evaluate=_original_parts,
        prefetch=start_deblur_run,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- Fig. 2: the transfer


def _transfer_parts(ctx: Context) -> list[Part]:
    run = deblur_run(ctx.seed, ctx.quick)
    parts = []
    for fraction in FRACTIONS:
        condition = _condition(run, fraction, True)
        parts.append(
            _sensitive_part(
                ctx,
                f"{fraction:.0%} retrained, after {EARLY_SWEEP} sweeps",
                "mean improvement of the unretrained old associations / that of the retrained "
                f"ones, after {EARLY_SWEEP} retraining sweeps (fast weights)",
                partial(transfer_ratio, fraction=fraction),
                "nearly_as_much",
                above=True,
                parameters={
                    "retrain_fraction": fraction,
                    "sweep": EARLY_SWEEP,
                    "ratio_by_sweep": [r["estimate"] for r in condition["improvement_ratio"]],
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="deblur-transfer",
        section="Sec. 4, Fig. 2",
        statement=(
            "The main result, shown in figure 2, was that in the early stages of retraining the "
            "improvements in the associations that were not retrained were very nearly as good "
            "as in the associations that were explicitly retrained. This rather surprising "
            "result held even if only 10% of the old associations were retrained."
        ),
        quantity=(
            "the ratio of the mean improvement (error before retraining minus error after "
            f"{EARLY_SWEEP} sweeps) of the unretrained to that of the retrained old "
            "associations; 'very nearly as good' is read as a ratio of at least "
            f"{THRESHOLDS['nearly_as_much']:g}"
        ),
        derivations=(),
        setup=_SETUP + " Ratio of means over seeds with a delta-method t interval.",
        evaluate=_transfer_parts,
        prefetch=start_deblur_run,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- the new associations return


def _damage_remaining(condition: Mapping[str, Any]) -> Estimate | None:
    """mean(after decay - before) / mean(after retraining - before), paired over seeds."""
    from simulation.seed_statistics import t_ratio_of_means

    new = _samples(condition, "new_error")  # (S, sweeps + 1)
    after_decay = _samples(condition, "new_error_after_decay")
    before, after_retraining = new[:, 0], new[:, -1]
    return t_ratio_of_means(after_decay - before, after_retraining - before, DISPLAY_LEVEL)


def _return_parts(ctx: Context) -> list[Part]:
    run = deblur_run(ctx.seed, ctx.quick)
    parts = []
    for fraction in FRACTIONS:
        condition = _condition(run, fraction, True)
        parts.append(
            _sensitive_part(
                ctx,
                f"{fraction:.0%} retrained",
                "fraction of the retraining's increase in the new associations' error that "
                "remains after the fast weights decayed",
                partial(damage_remaining, fraction=fraction),
                "damage_remaining",
                above=False,
                parameters={
                    "retrain_fraction": fraction,
                    "new_error_before_retraining": condition["new_error_before_retraining"],
                    "new_error_after_retraining": condition["new_error_after_retraining"],
                    "new_error_after_decay": condition["new_error_after_decay"],
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="deblur-new-return",
        section="Sec. 1, 2, 6",
        statement=(
            "The fast weights cancel out the changes in the slow weights [...] When the fast "
            "weights decay away, the new associations return. [...] As soon as the fast weights "
            "have decayed back to zero, the new knowledge is restored."
        ),
        quantity=(
            "(new associations' error after the decay - before retraining) / (after retraining "
            "- before retraining): the part of the damage retraining did to the 5 new "
            f"associations that remains after the decay; claimed < "
            f"{THRESHOLDS['damage_remaining']:g}"
        ),
        derivations=(),
        setup=_SETUP + " Ratio of paired means over seeds with a delta-method t interval.",
        evaluate=_return_parts,
        prefetch=start_deblur_run,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- the control


def _control_parts(ctx: Context) -> list[Part]:
    run = deblur_run(ctx.seed, ctx.quick)
    parts = []
    for comparison in run["control_comparison"]:
        fraction = comparison["retrain_fraction"]
        parts.append(
            _sensitive_part(
                ctx,
                f"{fraction:.0%} retrained",
                "increase of the new associations' error from before retraining to after the "
                "decay: control (slow weights only) minus fast weights",
                partial(control_minus_fast, fraction=fraction),
                "control_minus_fast",
                above=True,
                parameters={
                    "retrain_fraction": fraction,
                    "new_error_change_fast": comparison["new_error_change_fast"],
                    "new_error_change_control": comparison["new_error_change_control"],
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="deblur-control",
        section="Sec. 2, 6",
        statement=(
            "The advantage of using fast weights rather than slow ones for deblurring is that it "
            "does not permanently interfere with the new associations. [...] they allow this "
            "effect to be used for temporarily deblurring old memories without causing "
            "significant interference to new memories."
        ),
        quantity=(
            "the paired difference, control minus fast weights, of the increase in the new "
            "associations' error from before retraining to after the decay; claimed > 0"
        ),
        derivations=(),
        setup=_SETUP + " Paired per-seed differences, Student t interval.",
        evaluate=_control_parts,
        prefetch=start_deblur_run,
        decide=decide_over_readings,
    )
)
