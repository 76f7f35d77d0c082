"""The toy paper's two claims: a fair coin shows heads half the time, and not always."""

from __future__ import annotations

import numpy as np

from verification.engine.model import Part, Simulated, threshold_part, value_part
from verification.engine.registry import ClaimSpec, Context, register

__all__ = ["TOSSES"]

TOSSES = 4000


def _heads(ctx: Context) -> Simulated:
    rng = np.random.default_rng(ctx.seed_for("tosses"))
    return Simulated.from_count(int(rng.integers(0, 2, size=TOSSES).sum()), TOSSES)


def _half(ctx: Context) -> list[Part]:
    return [value_part("heads", "share of heads", 0.5, 0.5, _heads(ctx), resolution=0.1)]


def _not_always(ctx: Context) -> list[Part]:
    return [threshold_part("heads", "share of heads", _heads(ctx), 0.9, above=False)]


register(
    ClaimSpec(
        id="coin-half",
        section="Sec. 1",
        statement="Heads half the time.",
        quantity="share of heads in 4000 tosses",
        derivations=(),
        setup="4000 seeded tosses",
        evaluate=_half,
    )
)
register(
    ClaimSpec(
        id="coin-not-always",
        section="Sec. 1",
        statement="Not always heads.",
        quantity="share of heads in 4000 tosses",
        derivations=(),
        setup="4000 seeded tosses",
        evaluate=_not_always,
    )
)
