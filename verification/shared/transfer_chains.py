"""Input ``transfer-chains``: where the transfer goes, on the claims' deblurring run.

``verification.transfer_chain.transfer_chains`` at 10 % and 50 % retrained on the defaults'
run of ``deblur-runs`` (its networks captured at the start of retraining): the claim
``linear-analysis-explains-sec4`` and its figure both read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..readings.measure import FRACTIONS
from .deblur_runs import deblur_run
from .executor import register_input, value
from .spec import InputSpec, Request

__all__ = ["NAME", "transfer_chain_result"]

NAME = "transfer-chains"


def _compute(request: Request, _early: Callable[[], Any] | None) -> Any:
    from ..transfer_chain import transfer_chains

    return transfer_chains(deblur_run(request.seed, request.quick), FRACTIONS)


register_input(InputSpec(NAME, _compute, needs=("deblur-runs",)))


def transfer_chain_result(seed: int, quick: bool) -> Any:
    """The chains at 10 % and 50 % (a list of ``verification.transfer_chain.Chain``)."""
    return value(NAME, seed, quick)
