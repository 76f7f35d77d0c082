"""Importing this module registers every claim family; :data:`CLAIM_ORDER` is the paper's order.

The report and ``fastweights verify`` list the claims in this order (Section 5, the
analysis the report is mainly about, first; then Sections 4.1 and 5.3, then Section 4's
experiment, then whether the analysis explains the experiment); a claim missing from the
list comes last, in registration order.
"""

from . import (
    deblur,  # noqa: F401  Sec. 4: the deblurring experiment, Fig. 2
    ensembles,  # noqa: F401  Sec. 5.1-5.2: the .943, 4p²n, 1/n, dimension
    geometry,  # noqa: F401  Sec. 4.1, 5.3: Figs. 3-4
    pair,  # noqa: F401  Sec. 5: Eq. (1)-(3), footnote 2
    transfer_chain,  # noqa: F401  Sec. 4.1/5 vs Sec. 4: where the transfer goes
)

__all__ = ["CLAIM_ORDER"]

CLAIM_ORDER = (
    "eq1-factorization",
    "eq2-zero-one",
    "eq2-random-vectors",
    "footnote-2",
    "ratio-943",
    "ratio-943-limit",
    "eq3-signed",
    "numerator-4p2n",
    "inverse-n",
    "dimension-independence",
    "zero-one-independence",
    "geometry-positive-transfer",
    "ellipse-arc-fraction",
    "transfer-decays",
    "deblur-original-learning",
    "deblur-transfer",
    "deblur-new-return",
    "deblur-control",
    "linear-analysis-explains-sec4",
)
