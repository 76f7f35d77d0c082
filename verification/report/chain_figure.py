"""The figure of ``linear-analysis-explains-sec4``: where the transfer goes, as a ladder.

One panel per retrained fraction; one row per rung of ``verification.transfer_chain``
(top: the paper's linear prediction; bottom: the measured first-sweep ratio). The chain's
rungs are joined by a line, each adding one ingredient; the rungs beside the chain (the
linear theory's blur by learning, saturation under noise) are hollow. Points: ratios of
means over the networks with 95% delta-method t intervals; the paper's and the ensemble's
values are exact. Shaded: within the claim's tolerance of a linear reading.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..claims.transfer_chain import CLAIM_ID, LINEAR_READINGS, TOLERANCE
from ..engine.model import DISPLAY_LEVEL
from ..shared.transfer_chains import transfer_chain_result
from ..transfer_chain import CHAIN_RUNGS, RUNGS, SIDE_RUNGS
from .document import Figure
from .figure_style import OKABE_ITO, drawn, new_figure

__all__ = ["transfer_chain_figure"]

_COLOURS = {0.1: OKABE_ITO["blue"], 0.5: OKABE_ITO["vermillion"]}


def transfer_chain_figure(seed: int, quick: bool) -> Figure:
    """The ladder from the paper's linear prediction to the measured ratio, 10% and 50%."""
    chains = transfer_chain_result(seed, quick)
    fig, axes = new_figure(10.0, 4.6, columns=len(chains))
    axes = np.atleast_1d(axes)
    rows = {rung.key: i for i, rung in enumerate(RUNGS)}
    data: dict[str, Any] = {}
    for ax, chain in zip(axes, chains, strict=True):
        colour = _COLOURS.get(chain.fraction, OKABE_ITO["black"])
        readings = [chain.value(key) for key in LINEAR_READINGS]
        ax.axvspan(min(readings) - TOLERANCE, max(readings) + TOLERANCE, color=OKABE_ITO["sky"],
                   alpha=0.15, label=f"within {TOLERANCE:g} of a linear reading")  # fmt: skip
        path = [(chain.value(key), rows[key]) for key in CHAIN_RUNGS]
        ax.plot(*zip(*path, strict=True), "-", color=colour, alpha=0.5, linewidth=1.2)
        for rung in RUNGS:
            y = rows[rung.key]
            value = chain.value(rung.key)
            lo, hi = chain.interval(rung.key, DISPLAY_LEVEL)
            side = rung.key in SIDE_RUNGS
            measured = rung.key == "measured"
            marker = "D" if measured else ("s" if rung.key in chain.exact else "o")
            face = "white" if side else (OKABE_ITO["black"] if measured else colour)
            ax.errorbar(
                value, y, xerr=[[value - lo], [hi - value]], fmt=marker, capsize=3,
                markersize=7 if measured else 6, color=OKABE_ITO["black"] if measured else colour,
                markerfacecolor=face,
            )  # fmt: skip
            ax.annotate(f"{value:.3f}", (value, y), xytext=(6, 5), textcoords="offset points",
                        fontsize=7, color="#444444")  # fmt: skip
        ax.set_yticks(range(len(RUNGS)))
        ax.set_yticklabels([r.label for r in RUNGS], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0.0, 1.05)
        ax.set_xlabel("first-sweep ratio: unretrained / retrained improvement")
        ax.set_title(f"{chain.fraction:.0%} retrained (m = {chain.retrained} of 100)", fontsize=10)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.legend(fontsize=7, loc="upper left")
        data[f"{chain.fraction:g}"] = chain.to_dict()
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    seeds = chains[0].ratios["measured"].seeds
    return Figure(
        "transfer-chain",
        "Where the transfer goes: from the linear analysis to the measured ratio",
        "The ratio of the unretrained to the retrained associations' improvement in the first "
        "retraining sweep, predicted rung by rung on the networks of the claims' deblurring "
        f"run ({seeds} seeds, at their weights just before retraining) and measured (black "
        "diamond). Top: the paper's m c/(1 + (m - 1)c) with c = .25 and with the exact c of "
        "10-bit vectors (squares, exact); then the linear unit on these inputs x̃ = (x, 1) "
        "under Gaussian weight noise, the hidden states h̃ in place of x̃, the hidden layer's "
        "weights (the network's tangent kernel Θ, outputs linear), the actual errors y - t the "
        "blur left, the outputs' slopes y(1 - y) (G = ∇E_k·∇E_l), Fig. 2's error measure "
        "mean|y - t| (the full first-order prediction), and the measured finite first sweep. "
        "Hollow: beside the chain (the linear unit blurred by learning the 5 new associations, "
        "exact; the slopes under Gaussian noise instead of the actual errors). Points: ratios "
        "of means over seeds with 95% delta-method t intervals. Shaded: within "
        f"{TOLERANCE:g} of a reading of the linear analysis (the top four rungs), where "
        f"{CLAIM_ID} counts a measurement as explained (it decides on the paired "
        "difference measured - reading, at 99.9%).",
        claim_ids=(CLAIM_ID,),
        data=data,
        **drawn(fig),
    )
