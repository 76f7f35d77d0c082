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

All four come from one run of the experiment, the named input ``deblur-runs``
(``verification.shared.deblur_runs``): phases 1-2 shared, retraining on 10 % and 50 % with
fast weights and in the control, paired seed by seed (``simulation.run_deblur_conditions``).

The paper does not state the fast weights' ε and α, the initial weights or the error
constant, so every part is also measured at other readings of them (the same input's runs
at ``SENSITIVITY_AXES``, one at a time around the defaults), for display
(:func:`verification.verdict.decide_sensitivity`: each part keeps its verdict at the
defaults). Each claim's verdict is decided over the whole box of readings
(:func:`decide_over_readings`, the input ``readings-evidence``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from simulation.deblur_results import DeblurConditionsResult
from simulation.results import interval_dict

from ..engine.model import (
    Part,
    Reading,
    Simulated,
    claim_seed,
    sensitive_threshold_part,
)
from ..engine.provenance import (
    EVIDENCE_OF_SIMULATOR,
    Provenance,
    digest,
    readings_digest,
    simulate_command,
)
from ..engine.registry import ClaimSpec, Context, register
from ..readings.measure import (
    EARLY_SWEEP,
    FRACTIONS,
    Measured,
    Sec4Samples,
    Undefined,
    control,
    damage,
    fast_to_slow,
    learned,
    transfer,
)
from ..readings.measure import INTACT_WRONG_OUTPUTS as _INTACT
from ..readings.measure import THRESHOLDS as _THRESHOLDS
from ..shared.deblur_runs import (
    SENSITIVITY_AXES,
    DeblurRuns,
    deblur_seeds,
    reading_label,
    sensitivity_seeds,
)

__all__ = [
    "EARLY_SWEEP",
    "FRACTIONS",
    "INTACT_WRONG_OUTPUTS",
    "NEEDS",
    "THRESHOLDS",
    "control_minus_fast",
    "damage_remaining",
    "decide_over_readings",
    "fast_to_slow_rms",
    "learned_fraction",
    "sensitivity_readings",
    "transfer_ratio",
]

NEEDS = ("deblur-runs", "readings-evidence")
"""The named inputs every Sec. 4 claim reads: its runs and its evidence over the box."""

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


INTACT_WRONG_OUTPUTS = _INTACT
"""A reading's original learning is *intact* when, after the 1300 sweeps, at most this
fraction of the old associations' outputs is on the wrong side of 0.5 (mean over seeds).
The defaults give 3-5% (it varies with the seeds: one seed stuck on a flat spot counts),
the readings where learning breaks down 20-50% (ε_f = .05, c = 1; chance is 50%): 10%
lies in the gap, so seed noise at the defaults' own level does not flip it. Only intact
readings count for the claims about retraining: where nothing was learned, the later phases
measure nothing the paper describes."""


DeblurRun = DeblurConditionsResult
"""A ``run_deblur_conditions(..., per_seed=True)`` result (``deblur-runs``)."""


def _measured(value: Measured, undefined: str = "the quantity has no interval") -> Simulated:
    """A quantity of the Sec. 4 path (:mod:`verification.readings.measure`) as a claim's
    number: where it is undefined, a RuntimeError (``deblur: <undefined>``) that the
    sensitivity readings note and the defaults raise."""
    if isinstance(value, Undefined):
        raise RuntimeError(f"deblur: {undefined}")
    return value


def _samples(run: DeblurRun) -> Sec4Samples:
    return Sec4Samples.from_run(run)


# ---------------------------------------------------------------- the measured quantities


def learned_fraction(run: DeblurRun) -> Simulated:
    """Fraction of seeds whose network learned every old association (exact binomial)."""
    return _measured(learned(_samples(run)))


def fast_to_slow_rms(run: DeblurRun) -> Simulated:
    """RMS fast weight / RMS slow weight after the original learning (mean over seeds)."""
    return _measured(fast_to_slow(_samples(run)), _NO_INTERVAL)


_NO_INTERVAL = "a quantity has no interval (one seed, or a zero mean)"
_UNDEFINED_RATIO = "{} is indistinguishable from 0; the ratio is undefined"


def transfer_ratio(run: DeblurRun, fraction: float) -> Simulated:
    """Unretrained / retrained mean improvement after :data:`EARLY_SWEEP` sweeps."""
    what = "the retrained associations' improvement"
    return _measured(transfer(_samples(run), fraction), _UNDEFINED_RATIO.format(what))


def damage_remaining(run: DeblurRun, fraction: float) -> Simulated:
    """Part of the retraining's damage to the new associations left after the decay."""
    what = "the retraining's damage to the new associations"
    return _measured(damage(_samples(run), fraction), _UNDEFINED_RATIO.format(what))


def control_minus_fast(run: DeblurRun, fraction: float) -> Simulated:
    """Control minus fast weights: increase of the new associations' error (paired t mean
    of the per-seed differences)."""
    return _measured(control(_samples(run), fraction), _NO_INTERVAL)


def _reading(
    point: Mapping[str, Any],
    run: DeblurRun,
    measure: Callable[[DeblurRun], Simulated],
) -> Reading:
    wrong = run.condition(FRACTIONS[0]).original_learning.old_wrong_output_fraction
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
        intact=wrong.estimate <= INTACT_WRONG_OUTPUTS,
        simulated=simulated,
        measures={"wrong_output_fraction": interval_dict(wrong), "seeds": int(run.seeds)},
        note=note,
    )


def sensitivity_readings(
    runs: DeblurRuns, measure: Callable[[DeblurRun], Simulated]
) -> list[Reading]:
    """``measure`` at the defaults (first) and at every sensitivity reading of ``runs``
    (the input ``deblur-runs``)."""
    readings = [_reading({}, runs.defaults, measure)]
    readings += [_reading(p, run, measure) for p, run in runs.readings]
    return readings


def _sensitive_part(
    ctx: Context,
    label: str,
    quantity: str,
    measure: Callable[[DeblurRun], Simulated],
    threshold: str,
    above: bool,
    parameters: Mapping[str, Any],
    provenance: Callable[[Context, DeblurRun], Provenance],
) -> Part:
    runs = ctx.input("deblur-runs")
    part = sensitive_threshold_part(
        label,
        quantity,
        sensitivity_readings(runs, measure),
        threshold=THRESHOLDS[threshold],
        above=above,
        parameters=parameters,
    )
    return replace(part, provenance=provenance(ctx, runs.defaults))


# ---------------------------------------------------------------- provenance


def _defaults_options(ctx: Context) -> dict[str, Any]:
    """The defaults' run as command options: its seeds and its seed (``deblur-runs``)."""
    return {"seeds": deblur_seeds(ctx.quick), "seed": claim_seed(ctx.seed, "deblur") % (2**63)}


def _printed(
    output: str, fraction: float = FRACTIONS[0]
) -> Callable[[Context, DeblurRun], Provenance]:
    """A number ``fastweights simulate deblur`` prints (at ``output`` of its JSON): the
    same seeds give every condition the same numbers as the claim's joint run."""

    def provenance(ctx: Context, run: DeblurRun) -> Provenance:
        options = {**_defaults_options(ctx), "retrain_fraction": fraction}
        return Provenance(
            simulate_command("deblur", options), output, digest(run), EVIDENCE_OF_SIMULATOR
        )

    return provenance


def _derived(note: str) -> Callable[[Context, DeblurRun], Provenance]:
    """A number computed from ``fastweights simulate deblur-reading``'s per-seed numbers
    (``note`` says how; none of its outputs is the number itself)."""

    def provenance(ctx: Context, run: DeblurRun) -> Provenance:
        command = simulate_command("deblur-reading", _defaults_options(ctx))
        return Provenance(command, None, digest(run), EVIDENCE_OF_SIMULATOR, note)

    return provenance


# ---------------------------------------------------------------- the box of readings


def decide_over_readings(ctx: Context, parts: Any) -> tuple[Any, dict[str, Any]]:
    """The claim's verdict over the box (``ClaimSpec.decide``) and its evidence."""
    analysis = ctx.input("readings-evidence")
    verdict = analysis.claims[ctx.claim_id]
    evidence = {
        **_readings_evidence(ctx.readings),
        "source": analysis.source,
        "readings": analysis.readings,
        "seeds_per_reading": analysis.seeds,
        "rerun_seeds": analysis.rerun_seeds,
        "confirm_seeds": analysis.confirm_seeds,
        **verdict.as_dict(),
        "joint": analysis.joint.as_dict(),
    }
    return verdict.outcome, evidence


def _readings_evidence(readings: str | None) -> dict[str, Any]:
    """The hash of the readings evidence the verdict read and the command that rebuilds it
    (``evidence`` None for ``--readings builtin``: a small search run now, from the seed)."""

    from ..evidence import read_manifest
    from ..shared.readings_evidence import BUILTIN_READINGS, stored_search

    if readings == BUILTIN_READINGS:
        return {
            "evidence": None,
            "evidence_command": "fastweights verify --readings builtin (the search runs anew)",
        }
    directory = stored_search() if readings is None else readings
    manifest = read_manifest(directory) or {}
    command = manifest.get("command") or f"fastweights readings --out {directory}"
    return {"evidence": readings_digest(directory), "evidence_command": command}


# ---------------------------------------------------------------- original learning


def _original_parts(ctx: Context) -> list[Part]:
    run = ctx.input("deblur-runs").defaults
    original = run.condition(FRACTIONS[0]).original_learning
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
                "wrong_output_fraction": interval_dict(original.old_wrong_output_fraction),
                "old_error": interval_dict(original.old_error),
            },
            provenance=_printed("original_learning.learned_fraction.estimate"),
        ),
        _sensitive_part(
            ctx,
            "fast weights near zero",
            "RMS fast weight / RMS slow weight after the 1300 sweeps",
            fast_to_slow_rms,
            "fast_to_slow_rms",
            above=False,
            parameters={"fast_weight_max_abs": interval_dict(original.fast_weight_max_abs)},
            provenance=_printed("original_learning.fast_to_slow_rms_ratio.estimate"),
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
        needs=NEEDS,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- Fig. 2: the transfer


def _transfer_parts(ctx: Context) -> list[Part]:
    run = ctx.input("deblur-runs").defaults
    parts = []
    for fraction in FRACTIONS:
        condition = run.condition(fraction)
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
                    "ratio_by_sweep": [
                        interval_dict(r)["estimate"] for r in condition.improvement_ratio
                    ],
                },
                provenance=_printed(f"improvement_ratio[{EARLY_SWEEP - 1}].estimate", fraction),
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
        needs=NEEDS,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- the new associations return


def _return_parts(ctx: Context) -> list[Part]:
    run = ctx.input("deblur-runs").defaults
    parts = []
    for fraction in FRACTIONS:
        condition = run.condition(fraction)
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
                    "new_error_before_retraining": interval_dict(
                        condition.new_error_before_retraining
                    ),
                    "new_error_after_retraining": interval_dict(
                        condition.new_error_after_retraining
                    ),
                    "new_error_after_decay": interval_dict(condition.new_error_after_decay),
                },
                provenance=_derived(
                    f"mean(new_after_decay - new_before) / mean(new_after_retraining - "
                    f"new_before) over the seeds of fractions['{fraction:g}'] in the output"
                ),
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
        needs=NEEDS,
        decide=decide_over_readings,
    )
)

# ---------------------------------------------------------------- the control


def _control_parts(ctx: Context) -> list[Part]:
    run = ctx.input("deblur-runs").defaults
    parts = []
    for comparison in run.control_comparison:
        fraction = comparison.retrain_fraction
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
                    "new_error_change_fast": interval_dict(comparison.new_error_change_fast),
                    "new_error_change_control": interval_dict(comparison.new_error_change_control),
                },
                provenance=_derived(
                    f"mean(control_new_after_decay - new_after_decay) over the seeds of "
                    f"fractions['{fraction:g}'] in the output"
                ),
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
        needs=NEEDS,
        decide=decide_over_readings,
    )
)
