"""The report's figures: exact theory as lines, simulation as points with interval bars.

Every figure function takes the run's ``seed`` and ``quick`` and returns a
:class:`~verification.report.document.Figure` (SVG and PNG bytes, caption, the numbers
drawn). Each draws its randomness from ``claim_seed(seed, "figure:<name>", ...)``, so
figures are reproducible and independent of the claims. Matplotlib's object API with the
Agg canvas (no pyplot state, no display); the Okabe-Ito colour-blind-safe palette; axes
labelled with the paper's symbols (mathtext: ε_f is ``$\\epsilon_f$``); every kind of
mark in the legend; curves that would cover each other drawn in panels of their own.
Interval bars are 95%. :func:`drawn` renders a figure (SVG for the HTML, PNG at
:data:`PNG_DPI` for the Markdown) and checks that none of its texts overlap
(:func:`text_overlaps`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D

from ..engine.model import claim_seed
from .document import Figure
from .figure_specs import FigureSpec, figure, figure_specs
from .figure_style import (
    OKABE_ITO,
    drawn,
    errorbars,
    new_figure,
)
from .notation import mathtext, parameter_text

__all__ = [
    "SENSITIVITY_SECTION",
    "FigureRun",
    "build_figures",
]


SENSITIVITY_SECTION = "sensitivity"
"""The report section (``verification.report.sensitivity``) the sensitivity figure is
shown in."""


def _seed(seed: int, name: str, *path: int | str) -> int:
    return claim_seed(seed, f"figure:{name}", *path)


# ---------------------------------------------------------------- E[cos θ] against ρ


@figure("cos-vs-rho", claims=("eq2-zero-one", "eq3-signed"))
def cos_vs_rho(seed: int, quick: bool) -> Figure:
    """E[cos θ] against ρ: exact ρ(2/π)asin ρ vs the paper's ρ²; both measured."""
    from simulation import simulate_pair
    from theory import expected_cos_theta, paper_expected_cos

    rho = np.linspace(0.0, 1.0, 201)
    sim_rho = (0.1, 0.3, 0.5, 0.7, 0.9)
    trials = 20_000 if quick else 50_000
    sims = [
        simulate_pair(
            (1.0, 0.0),
            (r, float(np.sqrt(1 - r * r))),
            trials=trials,
            seed=_seed(seed, "cos-vs-rho", str(r)),
        ).to_dict()
        for r in sim_rho
    ]
    fig, ax = new_figure()
    ax.plot(rho, expected_cos_theta(rho), color=OKABE_ITO["blue"],
            label="exact ⟨cos θ⟩ = ρ (2/π) arcsin ρ")  # fmt: skip
    ax.plot(rho, paper_expected_cos(rho), "--", color=OKABE_ITO["vermillion"],
            label="paper, Eq. (2)/(3): ρ²")  # fmt: skip
    errorbars(ax, sim_rho, [s["expected_cos"] for s in sims], color=OKABE_ITO["blue"],
               label="simulated ⟨cos θ⟩")  # fmt: skip
    errorbars(ax, sim_rho, [s["improvement_ratio_unit_step"] for s in sims], fmt="s",
               color=OKABE_ITO["vermillion"],
               label="simulated ratio of expected improvements (fixed-length step)")  # fmt: skip
    ax.set_xlabel("ρ = cos(a, b)")
    ax.set_ylabel("⟨cos θ⟩ (circles)\nratio of expected improvements (squares)")
    ax.set_title("What Eq. (2)/(3) computes")
    ax.legend(fontsize=8, loc="upper left")
    return Figure(
        "cos-vs-rho",
        "E[cos θ] against ρ: exact vs the paper's ρ²",
        "For two input vectors at cosine ρ: the exact expectation of cos θ over Gaussian "
        "weight noise (line) and its simulation (circles), against the paper's ρ² (dashed), "
        "which the simulation shows to be the ratio of expected improvements for a "
        "fixed-length step (squares), not the expected cosine. 95% intervals, "
        f"simulation.simulate_pair, {trials} trials each.",
        data={"rho": list(sim_rho), "simulated": sims},
        **drawn(fig),
    )


# ---------------------------------------------------------------- the .943 curve


@figure("ratio-vs-retrained", claims=("ratio-943", "ratio-943-limit"))
def ratio_vs_retrained(seed: int, quick: bool) -> Figure:
    """Unretrained/retrained ratio against M (n = 10, K = 100, distinct 0/1 vectors)."""
    from simulation import simulate_retrain
    from theory import retrain_ratio

    k, n = 100, 10
    ms = np.arange(1, k)
    exact = [retrain_ratio("zero-one", n, k, int(m), q=0.5, without_replacement=True) for m in ms]
    sim_m = (10, 50, 90) if quick else (5, 10, 25, 50, 75, 95)
    trials = 10_000 if quick else 20_000
    sims = [
        simulate_retrain(
            "zero-one", n, k, m, q=0.5, without_replacement=True, trials=trials,
            seed=_seed(seed, "ratio-vs-retrained", m),
        ).improvement_ratio.to_dict()
        for m in sim_m
    ]  # fmt: skip
    fig, ax = new_figure()
    ax.plot(ms, [e["improvement_ratio"] for e in exact], color=OKABE_ITO["blue"],
            label="exact, n = 10 (c = C/D at n = 10)")  # fmt: skip
    ax.plot(ms, [e["paper_improvement_ratio"] for e in exact], "--", color=OKABE_ITO["vermillion"],
            label="paper: M·.25 / (1 + (M-1)·.25)")  # fmt: skip
    errorbars(ax, sim_m, sims, color=OKABE_ITO["black"], label="simulated (95%)")
    ax.axvline(50, color="#999999", linewidth=0.8)
    ax.annotate(".943 (paper) vs .954 (exact) at M = 50", (50, 0.9), xytext=(55, 0.55),
                arrowprops={"arrowstyle": "->", "color": "#555555"}, fontsize=8)  # fmt: skip
    ax.set_xlabel("M, number of associations retrained (of K = 100)")
    ax.set_ylabel("unretrained / retrained improvement")
    ax.set_title("The .943: ratio of expected first-step improvements")
    ax.legend(fontsize=8, loc="lower right")
    return Figure(
        "ratio-vs-retrained",
        "Improvement ratio against the number retrained",
        "Ratio of the expected first-step improvement of an unretrained association to that "
        "of a retrained one, retraining M of K = 100 distinct random 10-bit vectors after "
        "Gaussian weight noise: exact at n = 10 (line, theory.retraining), the paper's "
        "formula with c = .25 (dashed, the n → ∞ value), simulated (points, 95% intervals, "
        f"simulation.simulate_retrain, {trials} trials each).",
        data={"m": ms.tolist(), "exact": exact, "simulated_m": list(sim_m), "simulated": sims},
        **drawn(fig),
    )


# ---------------------------------------------------------------- transfer against n


@figure("transfer-vs-n", claims=("inverse-n", "eq2-random-vectors", "zero-one-independence"))
def transfer_vs_n(seed: int, quick: bool) -> Figure:
    """E[cos θ] against n, 0/1 (q = 1/2) and {1, 0, -1} (p = 1/3) inputs, log-log."""
    from simulation import simulate_ensemble_cos
    from theory import ensemble_expected_cos

    grid = np.unique(np.round(np.geomspace(2, 200, 16)).astype(int))
    sim_n = (4, 10, 40) if quick else (4, 10, 40, 100)
    trials = 20_000 if quick else 40_000
    settings: dict[str, tuple[dict[str, Any], str, str]] = {
        "zero-one": ({"q": 0.5}, OKABE_ITO["orange"], "0/1, q = 1/2"),
        "signed": ({"p": 1 / 3}, OKABE_ITO["blue"], "{1, 0, -1}, p = 1/3"),
    }
    fig, ax = new_figure()
    data: dict[str, Any] = {"n": grid.tolist()}
    for inputs, (prob, colour, text) in settings.items():
        exact = [ensemble_expected_cos(inputs, int(n), **prob) for n in grid]
        ax.plot(grid, exact, color=colour, label=f"exact ⟨cos θ⟩, {text}")
        sims = [
            simulate_ensemble_cos(
                inputs, n, trials=trials, seed=_seed(seed, "transfer-vs-n", inputs, n), **prob
            ).expected_cos.to_dict()
            for n in sim_n
        ]
        errorbars(ax, sim_n, sims, color=colour, label=f"simulated, {text}")
        data[inputs] = {"exact": exact, "simulated_n": list(sim_n), "simulated": sims}
    ax.plot(grid, np.full(grid.shape, 0.25), "--", color=OKABE_ITO["orange"],
            label="paper, 0/1: ⟨cos θ⟩ = .25")  # fmt: skip
    ax.plot(grid, 1.0 / grid, "--", color=OKABE_ITO["blue"],
            label="paper, {1, 0, -1}: ⟨cos θ⟩ = 1/n")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n (dimension of the input vectors)")
    ax.set_ylabel("⟨cos θ⟩")
    ax.set_title("Transfer between two random associations against n")
    ax.legend(fontsize=8)
    return Figure(
        "transfer-vs-n",
        "Transfer against n: the 1/n law",
        "E[cos θ] for a random pair of nonzero input vectors: exact (lines, theory.ensembles, "
        "exact enumeration), simulated (points with 95% interval bars, "
        f"simulation.simulate_ensemble_cos, {trials} trials each) and the paper's values "
        "(dashed: .25 for 0/1 inputs, 1/n for {1, 0, -1} inputs). For 0/1 inputs transfer "
        "does not vanish with n (it tends to 1/6, not .25); for {1, 0, -1} inputs it falls as "
        "1/n (n E[cos θ] → 2/π).",
        data=data,
        **drawn(fig),
    )


# ---------------------------------------------------------------- Fig. 4


@figure(
    "fig4",
    claims=("geometry-positive-transfer", "ellipse-arc-fraction", "transfer-decays"),
    background=True,  # the slow symbolic derivations (geometry, ellipse) are built there
)
def fig4(seed: int, quick: bool) -> Figure:
    """Fig. 4 (circle, ellipse, lines, positive arcs) and P(positive) against λ."""
    from simulation import simulate_geometry
    from theory import fig4_geometry, paper_ellipse_arc_fraction, positive_transfer_probability

    angle, contraction = 60.0, 0.5
    geo = fig4_geometry(angle, contraction)
    fig, (left, right) = new_figure(10.0, 4.6, columns=2)
    for key, positive_key, style, text in (
        ("circle", "circle_positive", "-", "circle (start of retraining)"),
        ("ellipse", "ellipse_positive", "-", f"ellipse after retraining on 1 (λ = {contraction})"),
    ):
        points = geo[key]
        positive = geo[positive_key]
        left.plot(points[:, 0], points[:, 1], style, color="#BBBBBB", linewidth=1)
        masked = np.where(positive[:, None], points, np.nan)
        colour = OKABE_ITO["green"] if key == "circle" else OKABE_ITO["purple"]
        left.plot(masked[:, 0], masked[:, 1], style, color=colour, linewidth=3,
                  label=f"{text}: positive-transfer arcs")  # fmt: skip
    for key, colour, text in (("line_1", OKABE_ITO["black"], "line 1"),
                              ("line_2", OKABE_ITO["blue"], "line 2")):  # fmt: skip
        line = geo[key]
        left.plot(line[:, 0], line[:, 1], color=colour, linewidth=1.2)
        left.annotate(text, line[1], fontsize=8, color=colour)
    left.plot([0], [0], "o", color=OKABE_ITO["black"])
    left.annotate("O", (0.03, 0.03))
    left.set_aspect("equal")
    left.set_xlabel("w₁ - w₁*")
    left.set_ylabel("w₂ - w₂*")
    left.set_title(f"Fig. 4: weight space, φ = {angle:g}°")
    left.legend(fontsize=7, loc="lower left")

    lam = np.linspace(0.02, 1.0, 99)
    right.plot(lam, positive_transfer_probability(angle, lam), color=OKABE_ITO["blue"],
               label="exact P(positive transfer)")  # fmt: skip
    right.plot(lam, paper_ellipse_arc_fraction(angle, lam), "--", color=OKABE_ITO["vermillion"],
               label="paper: ellipse arc-length fraction")  # fmt: skip
    sim_lam = (1.0, 0.75, 0.5, 0.25, 0.1)
    trials = 10_000 if quick else 40_000
    sims = [
        simulate_geometry(
            angle, lv, trials=trials, seed=_seed(seed, "fig4", str(lv)), radius=None
        ).positive_transfer_probability.to_dict()
        for lv in sim_lam
    ]
    errorbars(right, sim_lam, sims, color=OKABE_ITO["black"], label="simulated (95%)")
    right.axhline(0.5, color="#999999", linewidth=0.8)
    right.set_xlabel("λ, contraction of the error along input 1 (1 = start of retraining)")
    right.set_ylabel("P(positive transfer)")
    right.set_title("Transfer decays as retraining proceeds")
    right.legend(fontsize=8)
    return Figure(
        "fig4",
        "Fig. 4 and the probability of positive transfer during retraining",
        f"Left: the two-weight network's weight space (φ = {angle:g}° between the inputs), the "
        "noise circle and the ellipse it becomes after retraining on association 1, with the "
        "positive-transfer arcs thick. Right: P(positive transfer) against the contraction λ: "
        "exact (line), the paper's reading as a fraction of the ellipse's arc length "
        "(dashed) and simulated (points, 95% Wilson intervals, radius log-uniform on "
        f"[0.01, 100], {trials} trials each).",
        data={"angle": angle, "contraction": list(sim_lam), "simulated": sims},
        **drawn(fig),
    )


# ---------------------------------------------------------------- Sec. 5.3, n dimensions


@figure("retraining-errors", claims=("transfer-decays",))
def retraining_errors(seed: int, quick: bool) -> Figure:
    """Expected error of retrained and unretrained associations during retraining."""
    from simulation import draw_inputs, simulate_retraining_errors
    from theory import expected_errors_during_retraining

    k, n, m, steps = 20, 10, 10, 30
    rng = np.random.default_rng(_seed(seed, "retraining-errors", "inputs"))
    x = draw_inputs(rng, "zero-one", n, k, q=0.5, without_replacement=True)[0]
    retrained = np.arange(k) < m
    epsilon = 0.5 / float(np.linalg.eigvalsh(x[retrained].T @ x[retrained]).max())
    exact = expected_errors_during_retraining(x, retrained, epsilon, steps)
    trials = 4_000 if quick else 20_000
    sim = simulate_retraining_errors(x, retrained, epsilon, steps, trials=trials,
                                     seed=_seed(seed, "retraining-errors"))  # fmt: skip
    t = np.arange(steps + 1)
    # Two panels: the four associations' curves, and the group means (which would lie on
    # top of the retrained associations' curves if drawn in the same panel).
    fig, (left, right) = new_figure(10.0, 3.7, columns=2)
    shown = (0, 1, m, m + 1)
    colours = (OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["vermillion"], OKABE_ITO["orange"])
    est, low, high = sim.estimate, sim.ci_low, sim.ci_high
    for kk, colour in zip(shown, colours, strict=True):
        kind = "retrained" if retrained[kk] else "unretrained"
        left.plot(t, exact[:, kk], color=colour, label=f"association {kk + 1} ({kind})")
        left.errorbar(t[::3], est[::3, kk], yerr=[est[::3, kk] - low[::3, kk],
                      high[::3, kk] - est[::3, kk]], fmt="o", color=colour, capsize=2,
                      markersize=4)  # fmt: skip
    handles = left.get_legend_handles_labels()[0]
    handles += [
        Line2D([], [], color="#555555", label=r"exact $\langle E_k(t)\rangle$ (lines)"),
        Line2D([], [], color="#555555", marker="o", linestyle="none", markersize=4,
               label="simulated mean, 95% interval (points)"),
    ]  # fmt: skip
    left.legend(handles=handles, fontsize=7)
    right.plot(t, exact[:, retrained].mean(axis=1), "-", color=OKABE_ITO["blue"], linewidth=2,
               label="exact, mean of the 10 retrained")  # fmt: skip
    right.plot(t, exact[:, ~retrained].mean(axis=1), "--", color=OKABE_ITO["vermillion"],
               linewidth=2, label="exact, mean of the 10 unretrained")  # fmt: skip
    right.legend(fontsize=7)
    for ax, title in ((left, "four of the associations"), (right, "the two groups")):
        ax.set_xlabel("t, retraining steps (full-batch gradient descent on 10 of 20)")
        ax.set_ylabel(r"$\langle E_k(t)\rangle$")
        ax.set_title(f"Errors during retraining (Sec. 5.3): {title}", fontsize=10)
    inside = (low <= exact) & (exact <= high)
    return Figure(
        "retraining-errors",
        "Expected errors during retraining",
        "Twenty fixed random 10-bit input vectors, Gaussian weight noise (σ = 1), then "
        f"full-batch gradient descent (ε = {epsilon:.4f}, half the largest stable step) on the "
        "first ten: exact expected error ½σ²|P_t x_k|² (lines, theory) and simulated mean "
        "error (points, 95% intervals every third step, simulation."
        f"simulate_retraining_errors, {trials} trials) for two retrained and two unretrained "
        "associations (left), and the exact group means (right). The unretrained associations "
        "improve quickly at first and then level off: the transfer decays. "
        f"{int(inside.sum())} of {inside.size} simulated 95% intervals contain the exact value.",
        data={
            "epsilon": epsilon,
            "inputs": x.tolist(),
            "exact": exact.tolist(),
            "simulated_estimate": est.tolist(),
            "intervals_containing_exact": int(inside.sum()),
            "intervals": int(inside.size),
        },
        **drawn(fig),
    )


# ---------------------------------------------------------------- Fig. 2


@figure(
    "fig2",
    claims=("deblur-transfer", "deblur-new-return", "deblur-control"),
    needs=("deblur-runs",),
)
def fig2(seed: int, quick: bool) -> Figure:
    """Fig. 2 reproduced: retrained vs unretrained error over 20 sweeps, 10% and 50%; the new
    associations with fast weights and in the control, in panels of their own (their curves
    nearly coincide)."""
    from ..claims.deblur import FRACTIONS
    from ..shared.deblur_runs import deblur_run

    run = deblur_run(seed, quick).to_dict()  # the typed result's JSON data
    fig = MplFigure(figsize=(12.0, 4.4), layout="constrained")
    left, fast, control = fig.subplots(1, 3, gridspec_kw={"width_ratios": (1.25, 1, 1)})
    control.sharey(fast)
    colours = {0.1: OKABE_ITO["blue"], 0.5: OKABE_ITO["vermillion"]}
    data: dict[str, Any] = {"seeds": run["seeds"]}
    for condition in run["conditions"]:
        fraction = condition["retrain_fraction"]
        if fraction not in FRACTIONS:
            continue
        sweeps = np.asarray(condition["sweeps"])
        colour = colours.get(fraction, OKABE_ITO["black"])
        if condition["fast_weights"]:
            for key, fmt, text in (("retrained_error", "o-", "retrained"),
                                   ("unretrained_error", "s--", "unretrained")):  # fmt: skip
                values = condition[key]
                if values[0]["estimate"] is None:
                    continue
                errorbars(left, sweeps, values, fmt=fmt, color=colour,
                           label=f"{fraction:.0%} retrained: {text}")  # fmt: skip
            errorbars(fast, sweeps, condition["new_error"], fmt="o-", color=colour,
                       label=f"{fraction:.0%} retrained, during retraining")  # fmt: skip
            after = condition["new_error_after_decay"]
            errorbars(fast, [sweeps[-1] + 3], [after], fmt="D", color=colour,
                       label=f"{fraction:.0%} retrained, after the decay")  # fmt: skip
        else:
            errorbars(control, sweeps, condition["new_error"], fmt="x:", color=colour,
                       label=f"{fraction:.0%} retrained, slow weights only")  # fmt: skip
        data[f"{fraction:g}-{'fast' if condition['fast_weights'] else 'control'}"] = {
            key: condition[key]
            for key in (
                "retrained_error",
                "unretrained_error",
                "new_error",
                "new_error_after_decay",
            )
        }
    left.set_xlabel("sweeps through the retrained subset")
    left.set_title("Fig. 2: old associations during retraining", fontsize=10)
    fast.set_xlabel("sweeps (last point: after the decay)")
    fast.set_title("The 5 new associations: fast weights", fontsize=10)
    control.set_xlabel("sweeps")
    control.set_title("The 5 new associations: control", fontsize=10)
    for ax in (left, fast, control):
        ax.set_ylabel("average error of an output unit, mean |y - t|")
        ax.legend(fontsize=7)
    return Figure(
        "fig2",
        "Fig. 2 reproduced: deblurring by retraining a subset",
        "Left: average error of an output unit on the retrained and the unretrained old "
        "associations during the first 20 sweeps of retraining, 10% and 50% retrained, fast "
        f"weights; means over {run['seeds']} seeds with 95% t intervals "
        "(simulation.run_deblur_conditions). Middle: the 5 new associations' error during "
        "retraining with fast weights and after the fast weights decayed (diamonds). Right: "
        "the same in the control, where retraining changes only the slow weights (same "
        "scale; its curves nearly coincide with the middle panel's, so they are drawn apart).",
        data=data,
        **drawn(fig),
    )


# ---------------------------------------------------------------- Sec. 4 sensitivity


@figure(
    "deblur-sensitivity", claims=("deblur-transfer", "deblur-new-return"), needs=("deblur-runs",)
)
def deblur_sensitivity(seed: int, quick: bool) -> Figure:
    """Transfer ratio and damage remaining at every reading of the unstated parameters."""
    from ..claims.deblur import (
        EARLY_SWEEP,
        FRACTIONS,
        damage_remaining,
        sensitivity_readings,
        transfer_ratio,
    )
    from ..shared.deblur_runs import deblur_runs

    runs = deblur_runs(seed, quick)
    fig, (left, right) = new_figure(10.0, 4.1, columns=2)
    data: dict[str, Any] = {}
    panels = (
        (left, transfer_ratio, "nearly_as_much", "transfer"),
        (right, damage_remaining, "damage_remaining", "new_return"),
    )
    measured = {
        (key, fraction): sensitivity_readings(runs, partial(measure, fraction=fraction))
        for _, measure, _, key in panels
        for fraction in FRACTIONS
    }
    labels = [r.label for r in next(iter(measured.values()))]
    # A reading with no interval anywhere (nothing moved: no ratio) gets no column; the
    # caption names it.
    kept = [i for i in range(len(labels)) if any(rs[i].simulated for rs in measured.values())]
    dropped = [labels[i] for i in range(len(labels)) if i not in kept]
    hollow_drawn = False
    for ax, _, threshold, key in panels:
        readings = {fraction: measured[(key, fraction)] for fraction in FRACTIONS}
        hollow_drawn = _sensitivity_panel(ax, readings, kept, labels, threshold, hollow_drawn)
        for fraction in FRACTIONS:
            data[f"{key}-{fraction:g}"] = [
                {
                    "reading": r.label,
                    "intact": r.intact,
                    "simulated": None if r.simulated is None else r.simulated.as_dict(),
                }
                for r in readings[fraction]
            ]
        _sensitivity_legend(ax, threshold, hollow_drawn)
    left.set_ylabel(f"unretrained / retrained improvement\nafter {EARLY_SWEEP} sweeps")
    left.set_title("Transfer (claimed: at least .8)", fontsize=10)
    right.set_ylabel("damage to the new associations\nleft after the decay")
    right.set_title("The new associations return (claimed: below .25)", fontsize=10)
    return Figure(
        "deblur-sensitivity",
        "The Sec. 4 claims at other readings of the unstated parameters",
        _sensitivity_caption(dropped),
        data=data,
        section=SENSITIVITY_SECTION,
        **drawn(fig),
    )


_SENSITIVITY_COLOURS = {0.1: OKABE_ITO["blue"], 0.5: OKABE_ITO["vermillion"]}
_SENSITIVITY_MARKERS = {0.1: "o", 0.5: "s"}


def _sensitivity_panel(
    ax: Any, measured: Mapping[float, Sequence[Any]], kept: list[int], labels: list[str],
    threshold: str, hollow_drawn: bool,
) -> bool:  # fmt: skip
    """One panel: each fraction's readings (``measured``) in the columns ``kept`` and the
    claim's threshold (dashed); whether a hollow point (original learning not intact) was
    drawn in it or before."""
    from ..claims.deblur import THRESHOLDS

    colours, markers = _SENSITIVITY_COLOURS, _SENSITIVITY_MARKERS
    for k, (fraction, readings) in enumerate(measured.items()):
        for column, i in enumerate(kept):
            r = readings[i]
            if r.simulated is None:
                # halfway up the panel, beside the other fraction's point
                ax.text(column + (k - 0.5) * 0.18, 0.5, "no interval", rotation=90,
                        fontsize=7, ha="center", va="center", color="#555555",
                        transform=ax.get_xaxis_transform())  # fmt: skip
                continue
            sim = r.simulated
            hollow_drawn |= not r.intact
            ax.errorbar(
                column + (k - 0.5) * 0.18, sim.estimate,
                yerr=[[sim.estimate - sim.ci95_low], [sim.ci95_high - sim.estimate]],
                fmt=markers[fraction], color=colours[fraction], capsize=3, markersize=6,
                markerfacecolor=colours[fraction] if r.intact else "white",
            )  # fmt: skip
    ax.axhline(THRESHOLDS[threshold], color=OKABE_ITO["black"], linestyle="--", linewidth=1)
    ax.set_xticks(np.arange(len(kept)))
    ticks = [mathtext(parameter_text(labels[i])) for i in kept]
    ax.set_xticklabels(ticks, fontsize=8, rotation=45, ha="right", rotation_mode="anchor")
    return hollow_drawn


def _sensitivity_legend(ax: Any, threshold: str, hollow_drawn: bool) -> None:
    """The panel's legend."""
    from ..claims.deblur import FRACTIONS, THRESHOLDS

    colours, markers = _SENSITIVITY_COLOURS, _SENSITIVITY_MARKERS
    handles = [
        Line2D([], [], color=colours[f], marker=markers[f], linestyle="none",
               label=f"{f:.0%} retrained: mean, 95% interval")
        for f in FRACTIONS
    ]  # fmt: skip
    if hollow_drawn:
        handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="white",
                              linestyle="none",
                              label="hollow: original learning not intact"))  # fmt: skip
    handles.append(Line2D([], [], color=OKABE_ITO["black"], linestyle="--",
                          label=f"threshold {THRESHOLDS[threshold]:g}"))  # fmt: skip
    ax.legend(handles=handles, fontsize=7)


def _sensitivity_caption(dropped: list[str]) -> str:
    from ..claims.deblur import EARLY_SWEEP, INTACT_WRONG_OUTPUTS

    missing = (
        f" Not drawn (no interval at any part: the network's errors barely moved): "
        f"{', '.join(parameter_text(label) for label in dropped)}."
        if dropped
        else ""
    )
    return (
        "Left: ratio of the unretrained to the retrained associations' mean improvement after "
        f"{EARLY_SWEEP} retraining sweeps (deblur-transfer); right: the part of the "
        "retraining's damage to the 5 new associations left after the fast weights decayed "
        "(deblur-new-return); 10% and 50% retrained, at the defaults and at each reading of "
        "the parameters the paper does not state (one changed at a time). Points: means over "
        "seeds with 95% t intervals; hollow: the original learning is not intact (more than "
        f"{INTACT_WRONG_OUTPUTS:.0%} of the old outputs wrong), so the reading does not count. "
        "Dashed: the claim's threshold. ε_f, α_f: the fast weights' learning rate and "
        "momentum; initial ±r: initial weights uniform on [-r, r]; c: the constant of "
        f"E = c Σ (y - t)².{missing}"
    )


@figure("transfer-chain", claims=("linear-analysis-explains-sec4",), needs=("transfer-chains",))
def transfer_chain(seed: int, quick: bool) -> Figure:
    """Where the transfer goes: the chain from the linear prediction to the measured ratio
    (``verification.report.chain_figure``)."""
    from .chain_figure import transfer_chain_figure

    return transfer_chain_figure(seed, quick)


def _timed(spec: FigureSpec, seed: int, quick: bool) -> tuple[Figure, float]:
    start = time.perf_counter()
    figure = spec.draw(seed, quick)
    return figure, time.perf_counter() - start


def _timed_figure(name: str, seed: int, quick: bool) -> tuple[Figure, float]:
    return _timed(next(s for s in figure_specs() if s.name == name), seed, quick)


class FigureRun:
    """Drawing the figures, split like :class:`verification.engine.registry.ClaimRun`:
    the figures marked ``background`` in the background process, those that need named
    inputs (``verification.shared``) last, once the inputs are there."""

    def __init__(self, seed: int, quick: bool, claim_ids: Iterable[str] | None = None) -> None:
        from ..background import current
        from ..shared import start

        self.seed, self.quick = seed, quick
        self.worker = current()
        self.done: dict[str, tuple[Figure, float]] = {}
        wanted = None if claim_ids is None else set(claim_ids)
        self.selected = [
            spec for spec in figure_specs() if wanted is None or wanted & set(spec.claims)
        ]
        if self.worker is not None:
            for spec in self.selected:
                if spec.background:
                    key = ("figure", spec.name, seed, quick)
                    self.worker.submit(key, _timed_figure, spec.name, seed, quick)
        start([name for spec in self.selected for name in spec.needs], seed, quick)

    def _run(self, specs: list[FigureSpec], progress: bool) -> None:
        from ..progress import steps

        for spec in steps(specs, len(specs), "figures", progress):
            if self.worker is not None and spec.background:
                key = ("figure", spec.name, self.seed, self.quick)
                args = (spec.name, self.seed, self.quick)
                self.done[spec.name] = self.worker.result(key, _timed_figure, *args)
            else:
                self.done[spec.name] = _timed(spec, self.seed, self.quick)

    def compute_local(self, progress: bool = False) -> None:
        """Draw, here, the figures that need nothing from the background."""
        self._run([s for s in self.selected if not s.background and not s.needs], progress)

    def finish(
        self, timings: dict[str, float] | None = None, progress: bool = False
    ) -> list[Figure]:
        """Draw or fetch the rest; every figure in order."""
        self._run([s for s in self.selected if s.name not in self.done], progress)
        if timings is not None:
            for figure, seconds in self.done.values():
                timings[f"figure:{figure.name}"] = seconds
        return [self.done[s.name][0] for s in self.selected]


def build_figures(
    seed: int,
    quick: bool,
    timings: dict[str, float] | None = None,
    progress: bool = False,
    claim_ids: Iterable[str] | None = None,
) -> list[Figure]:
    """Build every figure (or those of ``claim_ids``); ``timings`` gets seconds per figure."""
    run = FigureRun(seed, quick, claim_ids)
    run.compute_local(progress)
    return run.finish(timings, progress)
