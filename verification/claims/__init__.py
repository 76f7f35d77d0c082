"""The registry of Hinton & Plaut's (1987) claims, each with a verdict computed from numbers.

=============================  ==============================================================
``evaluate_claims(seed, ...)``  evaluate every registered claim -> list of :class:`Claim`
``claim_specs()``               the registered :class:`ClaimSpec` s, in the paper's order
``Claim``, ``Part``             a claim with its parts; ``as_dict()`` is its JSON object
``Simulated``                   a simulated value with its decision and 95% intervals
``DECISION_LEVEL``              the interval level the verdicts use (0.999)
``DEFAULT_SEED``                the seed of ``fastweights verify`` / ``report`` (the paper's)
=============================  ==============================================================

One module per claim family: ``pair`` (Eq. 1-3, footnote 2), ``ensembles`` (the .943,
4p²n, 1/n, dimension independence), ``geometry`` (Sec. 4.1, 5.3), ``deblur`` (Sec. 4),
``transfer_chain`` (Sec. 4.1/5 vs Sec. 4); the paper (``verification.papers``) lists them
and the claims' order. Computations several claims share are named inputs
(``verification.shared``).
"""

from .model import (
    DECISION_LEVEL,
    DISPLAY_LEVEL,
    AlternativeResult,
    Claim,
    Part,
    Simulated,
    claim_seed,
)
from .registry import (
    DEFAULT_SEED,
    ClaimSpec,
    Context,
    claim_specs,
    evaluate_claim,
    evaluate_claims,
    register,
)

__all__ = [
    "DECISION_LEVEL",
    "DEFAULT_SEED",
    "DISPLAY_LEVEL",
    "AlternativeResult",
    "Claim",
    "ClaimSpec",
    "Context",
    "Part",
    "Simulated",
    "claim_seed",
    "claim_specs",
    "evaluate_claim",
    "evaluate_claims",
    "register",
]
