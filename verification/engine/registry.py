"""The registry of the paper's claims, and their evaluation with one seed.

Each claim family module (``pair``, ``ensembles``, ``geometry``, ``deblur``, ...; the
paper's ``claim_modules``, ``verification.papers``) registers :class:`ClaimSpec` s with
:func:`register`. :func:`evaluate_claims` evaluates them in the paper's ``claim_order``;
each claim draws its randomness from its own seed,
:func:`~verification.engine.model.claim_seed` ``(seed, id, ...)``, so the claims are
independent of one another and of their order. A computation several claims share is a
named input (``verification.shared``): the claim declares it in ``needs`` and reads it with
``ctx.input(name)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .model import Claim, Part, claim_seed
from .paper import current_paper

if TYPE_CHECKING:
    from ..verdict import Outcome

__all__ = [
    "ClaimRun",
    "ClaimSpec",
    "Context",
    "claim_specs",
    "evaluate_claim",
    "evaluate_claims",
    "register",
    "select_specs",
    "timed_claim",
]


@dataclass(frozen=True)
class Context:
    """What a claim's evaluation gets: its seeds, the precision asked for, (Sec. 4) the
    search over the box of readings to judge it with (``None``: the stored one), and the
    named inputs it declared (``needs``; ``None``: any)."""

    seed: int
    claim_id: str
    quick: bool
    readings: str | None = None
    needs: tuple[str, ...] | None = None

    def input(self, name: str) -> Any:
        """The value of the named input ``name`` for this run (``verification.shared``:
        computed once per seed and precision, shared with the other claims and figures).
        The claim must declare it in ``ClaimSpec.needs``."""
        from ..shared.executor import value

        if self.needs is not None and name not in self.needs:
            raise RuntimeError(f"claim {self.claim_id!r} uses input {name!r} but needs only "
                               f"{self.needs!r}")  # fmt: skip
        return value(name, self.seed, self.quick, {"readings": self.readings})

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
        needs: the named inputs (``verification.shared``) it reads with ``ctx.input``;
            their expensive parts start in the background process before the claims are
            evaluated, and the claim is evaluated after the others.
        background: scheduling only: evaluate the whole claim in the background process
            when there is one (claims whose theory builds slow symbolic derivations), to
            balance the two processes; the numbers are the same wherever it runs.
        decide: optional ``(Context, parts) -> (outcome, evidence)`` that gives the claim's
            verdict instead of combining its parts' (Sec. 4: the verdict over the box of
            readings); ``evidence`` (JSON-able) is kept on the claim as ``readings``.
    """

    id: str
    section: str
    statement: str
    quantity: str
    derivations: tuple[str, ...]
    setup: str
    evaluate: Callable[[Context], Sequence[Part]]
    needs: tuple[str, ...] = ()
    background: bool = False
    decide: Callable[[Context, Sequence[Part]], tuple[Outcome, dict[str, Any]]] | None = None


_SPECS: dict[str, dict[str, ClaimSpec]] = {}
"""The registered claims by the module that registered them (their ``evaluate``'s), by id."""


def register(spec: ClaimSpec) -> ClaimSpec:
    """Add ``spec`` to the registry: under the module defining its ``evaluate``, which a
    paper lists in its ``claim_modules`` (ids are unique within a paper, checked by
    :func:`claim_specs`). A claim run whole in the background process (``background``)
    cannot also have ``needs``: the background process would compute them again, without
    ``--readings``."""
    registered = _SPECS.setdefault(spec.evaluate.__module__, {})
    if spec.id in registered:
        raise RuntimeError(f"claim {spec.id!r} registered twice")
    if spec.background and spec.needs:
        raise RuntimeError(f"claim {spec.id!r}: background claims cannot have needs")
    registered[spec.id] = spec
    return spec


def claim_specs() -> list[ClaimSpec]:
    """The claims of the paper being checked (:func:`~.paper.current_paper`), in its
    order; a claim id registered twice in one paper is an error."""
    paper = current_paper()
    paper.import_claims()  # importing registers the claims
    specs = [s for module in paper.claim_modules for s in _SPECS.get(module, {}).values()]
    ids = [s.id for s in specs]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise RuntimeError(f"paper {paper.key!r}: claims registered twice: {', '.join(twice)}")
    rank = {claim_id: i for i, claim_id in enumerate(paper.claim_order)}
    return sorted(specs, key=lambda s: (rank.get(s.id, len(rank)), specs.index(s)))


def evaluate_claim(
    spec: ClaimSpec, seed: int, quick: bool = False, readings: str | None = None
) -> Claim:
    """Evaluate one claim: its parts, each with an outcome, and the combined verdict (or
    the spec's own ``decide``)."""
    ctx = Context(seed=seed, claim_id=spec.id, quick=quick, readings=readings, needs=spec.needs)
    parts = _with_provenance(spec.id, seed, quick, spec.evaluate(ctx))
    claim = Claim.from_parts(
        spec.id,
        spec.section,
        spec.statement,
        spec.quantity,
        spec.derivations,
        spec.setup,
        parts,
    )
    if spec.decide is None:
        return claim
    outcome, evidence = spec.decide(ctx, parts)
    return replace(claim, outcome=outcome, readings=evidence)


def _with_provenance(claim_id: str, seed: int, quick: bool, parts: Sequence[Part]) -> list[Part]:
    """``parts``, each simulated number given a provenance: the claim's own (a simulate
    command), else ``fastweights verify`` of the claim (no simulate command computes it)."""
    from .provenance import fallback

    why = "no fastweights simulate command computes this number alone"
    return [
        p
        if p.simulated is None or p.provenance is not None
        else replace(p, provenance=fallback(seed, quick, claim_id, i, p.simulated.as_dict(), why))
        for i, p in enumerate(parts)
    ]


def select_specs(ids: Iterable[str] | None = None) -> list[ClaimSpec]:
    """The registered claims in ``ids`` (all when None), in the paper's order."""
    specs = claim_specs()
    if ids is None:
        return specs
    wanted = list(ids)
    known = {s.id for s in specs}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        from ..errors import UsageError

        raise UsageError("--claim", "one of " + ", ".join(sorted(known)), unknown[0])
    return [s for s in specs if s.id in wanted]


class ClaimRun:
    """The evaluation of some claims, split so that the caller can interleave other work.

    The constructor starts the background claims and then the named inputs the claims
    need (``verification.shared.start``) in the current background process;
    :meth:`compute_local` evaluates the claims that need neither; :meth:`finish` evaluates
    or fetches the rest and returns every claim in order.
    """

    def __init__(
        self, specs: Sequence[ClaimSpec], seed: int, quick: bool, readings: str | None = None
    ) -> None:
        from ..background import current
        from ..shared import start

        self.specs, self.seed, self.quick = list(specs), seed, quick
        self.readings = readings
        self.done: dict[str, Claim] = {}
        self.seconds: dict[str, float] = {}
        self.worker = current()
        # The single-threaded symbolic claims first, while this process evaluates its own
        # claims (two cores busy); then the shared inputs, which use both cores.
        for spec in self.specs:
            if spec.background and self.worker is not None:
                self.worker.submit(self._key(spec), timed_claim, spec.id, seed, quick)
        start([name for spec in self.specs for name in spec.needs], seed, quick,
              {"readings": readings})  # fmt: skip

    def _key(self, spec: ClaimSpec) -> tuple[str, str, int, bool]:
        return ("claim", spec.id, self.seed, self.quick)

    def _late(self, spec: ClaimSpec) -> bool:
        return bool(spec.needs) or spec.background

    def _run(self, specs: Sequence[ClaimSpec], progress: bool, desc: str) -> None:
        from ..progress import steps

        for spec in steps(specs, len(specs), desc, progress):
            if self.worker is not None and spec.background:
                claim, seconds = self.worker.result(
                    self._key(spec), timed_claim, spec.id, self.seed, self.quick
                )
            else:
                claim, seconds = timed_claim(spec.id, self.seed, self.quick, self.readings)
            self.done[spec.id] = claim
            self.seconds[spec.id] = seconds

    def compute_local(self, progress: bool = False) -> None:
        """Evaluate, in this process, the claims that need nothing from the background."""
        self._run([s for s in self.specs if not self._late(s)], progress, "claims")

    def finish(
        self, timings: dict[str, float] | None = None, progress: bool = False
    ) -> list[Claim]:
        """Evaluate or fetch the remaining claims; every claim in the paper's order."""
        self._run([s for s in self.specs if s.id not in self.done], progress, "claims (background)")
        if timings is not None:
            timings.update({s.id: self.seconds[s.id] for s in self.specs})
        return [self.done[s.id] for s in self.specs]


def evaluate_claims(
    seed: int,
    quick: bool = False,
    ids: Iterable[str] | None = None,
    timings: dict[str, float] | None = None,
    progress: bool = False,
    parallel: bool = True,
    readings: str | None = None,
) -> list[Claim]:
    """Evaluate the registered claims (all, or those in ``ids``) with one seed.

    ``timings``, when given, receives the seconds each claim took; ``progress`` shows a
    bar on stderr (when it is a terminal); ``parallel`` runs the named inputs' expensive
    parts (the deblurring experiment) and the claims marked ``background`` in a second process
    meanwhile. The claims, their order and their numbers are the same either way.
    ``readings``: the directory of a stored ``fastweights readings`` search to judge the
    Sec. 4 claims with (default: the stored full search; ``builtin``: a small one run now).
    """
    from ..background import background, current

    specs = select_specs(ids)
    if parallel and current() is None:
        with background():
            return _evaluate(specs, seed, quick, timings, progress, readings)
    return _evaluate(specs, seed, quick, timings, progress, readings)


def _evaluate(
    specs: Sequence[ClaimSpec],
    seed: int,
    quick: bool,
    timings: dict[str, float] | None,
    progress: bool,
    readings: str | None = None,
) -> list[Claim]:
    run = ClaimRun(specs, seed, quick, readings)
    run.compute_local(progress)
    return run.finish(timings, progress)


def timed_claim(
    claim_id: str, seed: int, quick: bool, readings: str | None = None
) -> tuple[Claim, float]:
    """Evaluate the registered claim ``claim_id``; return it and the seconds it took."""
    spec = next(s for s in claim_specs() if s.id == claim_id)
    start = time.perf_counter()
    claim = evaluate_claim(spec, seed, quick, readings)
    return claim, time.perf_counter() - start
