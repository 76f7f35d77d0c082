"""Provenance of every simulated number: the command that reproduces it, the hash of its evidence.

Each :class:`~verification.engine.model.Part` with a simulated value carries a
:class:`Provenance` (``results.json``: ``claims[].parts[].provenance``; the report's "How to
reproduce" lists them per claim):

``command``
    a command line that recomputes the number: ``fastweights simulate ... --seed S ...
    --json`` with the claim's own options (trials, seeds, the part's seed
    :func:`~verification.engine.model.claim_seed`) where one simulate command computes it,
    else ``fastweights verify --seed S [--quick] --claim ID --json verify.json`` (said so
    in ``note``).
``output``
    where the number is in that command's JSON output (a dotted path, ``[i]`` for a list
    index; ``verify.json: path`` for the fallback's file), or ``None`` when it is not
    printed directly (``note`` says how it follows).
``evidence``
    ``sha256:<hex>`` of what the number was computed from: for a number simulated in this
    run, the SHA-256 of the canonical JSON (:func:`canonical_json`) of the simulator's
    output as the claim read it (its intervals at the decision level, so not byte for byte
    the command's output, whose intervals are 95%); for the fallback, of the part's own
    simulated numbers. For the evidence a Sec. 4 verdict reads (a readings search), the
    claim's ``readings`` carries :func:`readings_digest` of its directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Provenance",
    "canonical_json",
    "digest",
    "fallback",
    "readings_digest",
    "simulate_command",
    "verify_command",
]

VERIFY_JSON = "verify.json"
"""The file the fallback command (``fastweights verify ... --json FILE``) writes."""

EVIDENCE_OF_SIMULATOR = "the simulator's output as the claim read it (canonical JSON)"
EVIDENCE_OF_PART = "the part's simulated numbers (canonical JSON)"


@dataclass(frozen=True)
class Provenance:
    """How to recompute one simulated number, and the hash of what it was computed from."""

    command: str
    output: str | None
    evidence: str
    evidence_of: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "output": self.output,
            "evidence": self.evidence,
            "evidence_of": self.evidence_of,
            "note": self.note,
        }


def _plain(value: Any) -> Any:
    """``value`` as plain JSON types: estimates as their dicts, numpy made plain, other
    objects (not data: e.g. captured networks) as ``"<TypeName>"``."""
    import numpy as np

    from simulation.estimate import Estimate
    from simulation.results import Result

    if isinstance(value, Result):  # a typed result: its JSON data
        return _plain(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Estimate):
        from simulation.estimate import estimates_to_dicts

        return _plain(estimates_to_dicts({"x": value})["x"])
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else repr(x)
    if value is None or isinstance(value, str):
        return value
    return f"<{type(value).__name__}>"


def canonical_json(value: Any) -> bytes:
    """The canonical JSON of ``value``: plain types (:func:`_plain`), keys sorted, no
    spaces, ASCII, non-finite numbers as strings."""
    text = json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.encode("ascii")


def digest(value: Any) -> str:
    """``sha256:<hex>`` of :func:`canonical_json` of ``value``."""
    return "sha256:" + hashlib.sha256(canonical_json(value)).hexdigest()


def _option_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_option_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}" if float(f"{value:g}") == value else repr(value)
    return str(value)


def simulate_command(which: str, options: Mapping[str, Any]) -> str:
    """``fastweights simulate WHICH --name=value ... --json`` (``True``: a bare flag;
    ``--name=value`` so that a value beginning with ``-`` is not read as an option)."""
    words = [f"fastweights simulate {which}"]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            words.append(flag)
        elif value is not None and value is not False:
            words.append(f"{flag}={_option_value(value)}")
    return " ".join([*words, "--json"])


def verify_command(seed: int, quick: bool, claim_id: str, readings: str | None = None) -> str:
    """``fastweights verify --seed S [--quick] --claim ID [--readings DIR] --json
    verify.json`` (verify writes its JSON to a file, :data:`VERIFY_JSON`)."""
    words = [f"fastweights verify --seed {seed}"]
    if quick:
        words.append("--quick")
    words.append(f"--claim {claim_id}")
    if readings is not None:
        words.append(f"--readings {readings}")
    return " ".join([*words, f"--json {VERIFY_JSON}"])


def fallback(
    seed: int, quick: bool, claim_id: str, index: int, simulated: Any, why: str
) -> Provenance:
    """The provenance of a number no single simulate command computes: ``verify`` of its
    claim, the part's own numbers hashed, and ``why`` in the note."""
    return Provenance(
        command=verify_command(seed, quick, claim_id),
        output=f"{VERIFY_JSON}: claims[0].parts[{index}].simulated.estimate",
        evidence=digest(simulated),
        evidence_of=EVIDENCE_OF_PART,
        note=why,
    )


def readings_digest(directory: str | os.PathLike[str]) -> str:
    """``sha256:<hex>`` of a readings search: :func:`verification.evidence.evidence_digest`,
    the hash of its ``manifest.json``, which pins every file's hash (a search is read only
    after its manifest and hashes have been checked, so it has one)."""
    from ..evidence import evidence_digest

    return evidence_digest(directory)
