"""The figure of Sec. 6's caveat: transfer and code overlap against the length of learning.

Three panels over the sweeps of original learning (log scale), from the named input
``two-sets-runs`` (``simulation.simulate_two_sets``): B's gain / A's gain after 1 and 5
retraining sweeps with the threshold of "substantially"; the mean |cos| between A's and
B's hidden codes (and within A, for comparison); the share of hidden units active for both
items of an (A, B) pair (and for one item). Points: means (ratios of means) over the
networks with 95 % t (delta-method) intervals. Okabe-Ito colours, as the other figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..claims.sec6_prediction import CAVEAT_ID, SUBSTANTIAL, SWEEPS, TRANSFER_ID
from ..engine.model import DISPLAY_LEVEL
from ..shared.two_sets_runs import two_sets_result
from .document import Figure
from .figure_specs import figure
from .figure_style import OKABE_ITO, drawn, errorbars

__all__ = ["two_sets_caveat"]


def _interval(estimate: Any) -> dict[str, float]:
    return {key: float(v) for key, v in estimate.to_dict().items()}


@figure("two-sets-caveat", claims=(CAVEAT_ID, TRANSFER_ID), needs=("two-sets-runs",))
def two_sets_caveat(seed: int, quick: bool) -> Figure:
    """Transfer, mean |cos| and shared active units against the sweeps of original learning."""
    from matplotlib.figure import Figure as MplFigure

    result = two_sets_result(seed, quick)
    lengths = np.asarray(result.lengths, dtype=float)
    fig = MplFigure(figsize=(12.0, 4.0), layout="constrained")
    transfer_ax, cos_ax, units_ax = fig.subplots(1, 3)
    data: dict[str, Any] = {"seeds": result.seeds, "lengths": list(result.lengths)}
    for sweep, colour, shift in zip(
        SWEEPS, (OKABE_ITO["sky"], OKABE_ITO["blue"]), (0.96, 1.04), strict=False
    ):
        values = [_interval(result.transfer(n, sweep, DISPLAY_LEVEL)) for n in result.lengths]
        errorbars(transfer_ax, lengths * shift, values, fmt="o-", color=colour,
                   label=f"after {sweep} sweep{'s' if sweep > 1 else ''}")  # fmt: skip
        data[f"transfer_sweep_{sweep}"] = values
    transfer_ax.axhline(SUBSTANTIAL, linestyle="--", color=OKABE_ITO["vermillion"],
                        label=f"'substantially': {SUBSTANTIAL:g}")  # fmt: skip
    transfer_ax.set_ylabel("B's gain / A's gain (A retrained)")
    transfer_ax.set_title("Transfer to the set not retrained", fontsize=10)
    panels = (
        (cos_ax, (("cos_ab", "A with B", "o-", OKABE_ITO["green"]),
                  ("cos_aa", "A with A (distinct items)", "s--", OKABE_ITO["orange"])),
         "mean |cos| of hidden codes", "Overlap: mean |cos| of hidden codes"),
        (units_ax, (("joint_active", "active for both (A, B)", "o-", OKABE_ITO["purple"]),
                    ("active_share", "active for one item", "s--", OKABE_ITO["black"])),
         "share of the 100 hidden units", "Overlap: hidden units active (> .5)"),
    )  # fmt: skip
    for ax, series, ylabel, title in panels:
        for key, text, fmt, colour in series:
            values = [_interval(result.mean(key, n, DISPLAY_LEVEL)) for n in result.lengths]
            errorbars(ax, lengths, values, fmt=fmt, color=colour, label=text)
            data[key] = values
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
    for ax in (transfer_ax, cos_ax, units_ax):
        ax.set_xscale("log")
        ax.set_xticks(lengths, [str(n) for n in result.lengths])
        ax.minorticks_off()
        ax.set_xlabel("sweeps of original learning")
        ax.legend(fontsize=7)
    return Figure(
        "two-sets-caveat",
        "Sec. 6: transfer and overlap of two sets' hidden codes against the length of learning",
        "Sets A and B (50 random associations each) learned together by the Sec. 4 network for "
        "100 to 3000 sweeps (one history per network, checkpointed), blurred by 5 new "
        "associations for 400 sweeps, then A retrained (simulation.simulate_two_sets). Left: "
        "B's mean improvement over A's after 1 and 5 retraining sweeps (points shifted apart "
        "for legibility), with the threshold read for 'substantially'. Middle: mean |cos| "
        "between the hidden codes of A's and B's items, and of distinct items within A. "
        "Right: share of hidden units active (> .5) for both items of an (A, B) pair, and for "
        f"one item. Means (ratios of means) over {result.seeds} networks with 95% t "
        "(delta-method) intervals.",
        data=data,
        **drawn(fig),
    )
