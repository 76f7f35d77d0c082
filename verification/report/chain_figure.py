"""The figure of ``linear-analysis-explains-sec4``: where the transfer goes, as a ladder.

One panel per retrained fraction; one row per rung of ``verification.transfer_chain``
(top: the paper's linear prediction; bottom: the measured first-sweep ratio). The chain's
rungs are joined by a line, each adding one ingredient; the rungs beside the chain (the
linear theory's blur by learning, saturation under noise) are hollow. Points: ratios of
means over the networks with 95% delta-method t intervals; the paper's and the ensemble's
values are exact. Shaded: within the claim's tolerance of a linear reading. Drawn by
``chain_ladder.draw_chain_ladder``, which ``fastweights chain --plot`` draws with too.
"""

from __future__ import annotations

from ..claims.transfer_chain import CLAIM_ID, LINEAR_READINGS, TOLERANCE
from ..shared.transfer_chains import transfer_chain_result
from .chain_ladder import draw_chain_ladder
from .document import Figure
from .figure_style import drawn

__all__ = ["transfer_chain_figure"]


def transfer_chain_figure(seed: int, quick: bool) -> Figure:
    """The ladder from the paper's linear prediction to the measured ratio, 10% and 50%
    (:func:`~verification.report.chain_ladder.draw_chain_ladder`)."""
    chains = transfer_chain_result(seed, quick)
    fig, data = draw_chain_ladder(chains, LINEAR_READINGS, TOLERANCE, x_range=(0.0, 1.05))
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
