"""The transfer chain drawn as a ladder: the one drawing of the report's figure
``transfer-chain`` (``chain_figure.py``) and of ``fastweights chain --plot``.

One panel per retrained fraction; one row per rung the chains hold
(``verification.transfer_chain.Chain.rungs``: from the linear theory at the top to the
measured first-sweep ratio at the bottom). The chain's own rungs (``Chain.path``) are
joined by a line, each adding one ingredient; the rungs beside it are hollow; exact rungs
are squares, the measured ratio a black diamond. Points: ratios of means over the networks
with their 95% delta-method t intervals. Shaded: within ``tolerance`` of the linear
readings the chain holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure as MplFigure

from ..engine.model import DISPLAY_LEVEL
from ..transfer_chain import SIDE_RUNGS, Chain
from .figure_style import OKABE_ITO, new_figure

__all__ = ["draw_chain_ladder"]

_COLOURS = {0.1: OKABE_ITO["blue"], 0.5: OKABE_ITO["vermillion"]}
"""The report's fractions' colours (Fig. 2's)."""
_OTHER_COLOURS = ("green", "purple", "orange", "sky")
"""Other fractions' colours, in the order the panels come (``fastweights chain --fractions``)."""


def _colour(fraction: float, index: int) -> str:
    if fraction in _COLOURS:
        return _COLOURS[fraction]
    return OKABE_ITO[_OTHER_COLOURS[index % len(_OTHER_COLOURS)]]


def _x_range(chain: Chain) -> tuple[float, float]:
    """[0, 1.05] (a ratio from no transfer to full), widened to every value and 95%
    interval of ``chain`` that falls outside it (given inputs can transfer negatively or
    more than fully)."""
    ends = [end for rung in chain.rungs() for end in chain.interval(rung.key, DISPLAY_LEVEL)]
    low, high = min(0.0, *ends), max(1.05, *ends)
    margin = 0.05 * (high - low) if (low, high) != (0.0, 1.05) else 0.0
    return low - (margin if low < 0.0 else 0.0), high + (margin if high > 1.05 else 0.0)


def draw_chain_ladder(
    chains: Sequence[Chain],
    readings: Sequence[str],
    tolerance: float,
    x_range: tuple[float, float] | None = None,
) -> tuple[MplFigure, dict[str, Any]]:
    """The ladder of ``chains`` (one panel each, side by side) and the numbers drawn
    (``{f"{fraction:g}": chain.to_dict()}``).

    ``readings``: the rungs that are readings of the linear theory; the band spans the
    ones a chain holds, widened by ``tolerance`` (the claim
    ``linear-analysis-explains-sec4``'s: within it a reading explains the measurement).
    ``x_range``: the ratio axis' limits (``None``: [0, 1.05] widened to every value and
    interval drawn).
    """
    if not chains:
        raise ValueError("chains: expected at least one chain")
    width = 10.0 if len(chains) <= 2 else 5.0 * len(chains)
    fig, axes = new_figure(width, 4.6, columns=len(chains))
    axes = np.atleast_1d(axes)
    rungs = chains[0].rungs()
    rows = {rung.key: i for i, rung in enumerate(rungs)}
    data: dict[str, Any] = {}
    for index, (ax, chain) in enumerate(zip(axes, chains, strict=True)):
        colour = _colour(chain.fraction, index)
        values = [chain.value(key) for key in readings if key in chain]
        if values:
            ax.axvspan(min(values) - tolerance, max(values) + tolerance, color=OKABE_ITO["sky"],
                       alpha=0.15, label=f"within {tolerance:g} of a linear reading")  # fmt: skip
        path = [(chain.value(key), rows[key]) for key in chain.path]
        ax.plot(*zip(*path, strict=True), "-", color=colour, alpha=0.5, linewidth=1.2)
        for rung in rungs:
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
        ax.set_yticks(range(len(rungs)))
        ax.set_yticklabels([r.label for r in rungs], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(*(x_range or _x_range(chain)))
        ax.set_xlabel("first-sweep ratio: unretrained / retrained improvement")
        of = "" if chain.associations is None else f" of {chain.associations}"
        ax.set_title(f"{chain.fraction:.0%} retrained (m = {chain.retrained}{of})", fontsize=10)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.legend(fontsize=7, loc="upper left")
        data[f"{chain.fraction:g}"] = chain.to_dict()
    for ax in axes[1:]:
        ax.tick_params(labelleft=False)
    return fig, data
