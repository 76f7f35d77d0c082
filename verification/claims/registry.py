"""The registry of the paper's claims, and their evaluation with one seed.

Each claim family module (``pair``, ``ensembles``, ``geometry``, ``deblur``) registers
:class:`ClaimSpec` s with :func:`register`. :func:`evaluate_claims` evaluates them in
registration order; each claim draws its randomness from its own seed,
:func:`~verification.claims.model.claim_seed` ``(seed, id, ...)``, so the claims are
independent of one another and of their order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Claim, Part, claim_seed

__all__ = [
    "DEFAULT_SEED",
    "ClaimSpec",
    "Context",
    "claim_specs",
    "evaluate_claim",
    "evaluate_claims",
    "register",
]

DEFAULT_SEED = 1987
"""The seed ``fastweights verify`` and ``fastweights report`` use unless told otherwise."""


@dataclass(frozen=True)
class Context:
    """What a claim's evaluation gets: its seeds and the precision asked for."""

    seed: int
    claim_id: str
    quick: bool

    def seed_for(self, *path: int | str) -> int:
        """The seed of one simulation of this claim (``path`` names it, e.g. ``"r=0.01"``)."""
        return claim_seed(self.seed, self.claim_id, *path)

    def trials(self, full: int, quick: int) -> int:
        """``quick`` trials with ``--quick``, else ``full``."""
        return quick if self.quick else full


@dataclass(frozen=True)
class ClaimSpec:
    """A claim of the paper and how to evaluate it.

    Attributes:
        id: the fixed claim id (e.g. ``"eq2-zero-one"``).
        section: where in the paper (e.g. ``"Sec. 5.1, Eq. (2)"``).
        statement: the paper's own words.
        quantity: what the numbers are values of.
        derivations: ``theory.derivation`` names behind the exact values.
        setup: the simulation set-up, in words (trial counts are in each part).
        evaluate: ``Context -> parts``: runs the theory and the simulation.
        prefetch: optional ``(seed, quick) -> None`` that starts an expensive shared
            computation in the background process before the claims are evaluated
            (the deblurring experiment); the claim is then evaluated last.
    """

    id: str
    section: str
    statement: str
    quantity: str
    derivations: tuple[str, ...]
    setup: str
    evaluate: Callable[[Context], Sequence[Part]]
    prefetch: Callable[[int, bool], None] | None = None


_SPECS: dict[str, ClaimSpec] = {}


def register(spec: ClaimSpec) -> ClaimSpec:
    """Add ``spec`` to the registry (ids are unique)."""
    if spec.id in _SPECS:
        raise RuntimeError(f"claim {spec.id!r} registered twice")
    _SPECS[spec.id] = spec
    return spec


def claim_specs() -> list[ClaimSpec]:
    """Every registered claim, in the order of the paper."""
    from .families import CLAIM_ORDER  # importing registers the claims

    rank = {claim_id: i for i, claim_id in enumerate(CLAIM_ORDER)}
    specs = list(_SPECS.values())
    return sorted(specs, key=lambda s: (rank.get(s.id, len(rank)), specs.index(s)))


def evaluate_claim(spec: ClaimSpec, seed: int, quick: bool = False) -> Claim:
    """Evaluate one claim: its parts, each with an outcome, and the combined verdict."""
    parts = spec.evaluate(Context(seed=seed, claim_id=spec.id, quick=quick))
    return Claim.from_parts(
        spec.id,
        spec.section,
        spec.statement,
        spec.quantity,
        spec.derivations,
        spec.setup,
        parts,
    )


def evaluate_claims(
    seed: int,
    quick: bool = False,
    ids: Iterable[str] | None = None,
    timings: dict[str, float] | None = None,
    progress: bool = False,
    parallel: bool = True,
) -> list[Claim]:
    """Evaluate the registered claims (all, or those in ``ids``) with one seed.

    ``timings``, when given, receives the seconds each claim took; ``progress`` shows a
    bar on stderr (when it is a terminal); ``parallel`` runs the prefetched computations
    (the deblurring experiment) in a second process meanwhile. The claims, their order and
    their numbers are the same either way.
    """
    from ..background import background, current

    specs = claim_specs()
    if ids is not None:
        wanted = list(ids)
        known = {s.id for s in specs}
        unknown = [i for i in wanted if i not in known]
        if unknown:
            from ..errors import UsageError

            raise UsageError("claim", "one of " + ", ".join(sorted(known)), unknown[0])
        specs = [s for s in specs if s.id in wanted]
    if parallel and current() is None:
        with background():
            return _evaluate(specs, seed, quick, timings, progress)
    return _evaluate(specs, seed, quick, timings, progress)


def _evaluate(
    specs: Sequence[ClaimSpec],
    seed: int,
    quick: bool,
    timings: dict[str, float] | None,
    progress: bool,
) -> list[Claim]:
    from ..progress import steps

    for spec in specs:
        if spec.prefetch is not None:
            spec.prefetch(seed, quick)
    # Claims whose shared computation runs in the background come last.
    order = sorted(specs, key=lambda s: s.prefetch is not None)
    done: dict[str, Claim] = {}
    for spec in steps(order, len(order), "claims", progress):
        start = time.perf_counter()
        done[spec.id] = evaluate_claim(spec, seed, quick)
        if timings is not None:
            timings[spec.id] = time.perf_counter() - start
    return [done[spec.id] for spec in specs]
