"""The toy paper's one figure: the share of heads against the paper's one half."""

from __future__ import annotations

from verification.report.document import Figure
from verification.report.figure_specs import figure
from verification.report.figure_style import OKABE_ITO, drawn, new_figure

__all__ = ["coin"]


@figure("coin", claims=("coin-half",))
def coin(seed: int, quick: bool) -> Figure:
    """A bar at one half."""
    fig, ax = new_figure(4.0, 3.0)
    ax.bar(["paper"], [0.5], color=OKABE_ITO["blue"], label="the paper's 1/2")
    ax.set_ylabel("share of heads")
    ax.legend()
    return Figure(
        name="coin", title="Heads", caption="The paper's share of heads.", data={}, **drawn(fig)
    )
