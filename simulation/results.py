"""The base of the simulators' typed results: frozen dataclasses whose ``to_dict()`` is
the JSON data of their command.

A result's fields are :class:`~simulation.estimate.Estimate`\\ s, tuples of them, numbers,
arrays (``numpy.ndarray``, written as nested lists) or other results, in the order of the
JSON keys. ``to_dict()`` walks them in that order: an ``Estimate`` becomes
``{"estimate", "ci_low", "ci_high"}`` (a non-finite bound, an estimate over one seed, as
``None``), an estimate that does not exist (``None`` in a field named in the class's
``INTERVALS``, also inside a tuple) ``{"estimate": None, "ci_low": None, "ci_high": None}``,
and a field named in ``OPTIONAL`` is left out while it is ``None``.

Examples:
    >>> from dataclasses import dataclass
    >>> from simulation.estimate import Estimate
    >>> from simulation.results import Result
    >>> @dataclass(frozen=True)
    ... class Example(Result):
    ...     INTERVALS = ("ratio",)
    ...     ratio: Estimate | None
    ...     trials: int
    >>> Example(Estimate(0.5, 0.4, 0.6), 10).to_dict()
    {'ratio': {'estimate': 0.5, 'ci_low': 0.4, 'ci_high': 0.6}, 'trials': 10}
    >>> Example(None, 1).to_dict()
    {'ratio': {'estimate': None, 'ci_low': None, 'ci_high': None}, 'trials': 1}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, ClassVar

import numpy as np

from .estimate import Estimate

__all__ = ["NO_INTERVAL", "Result", "interval_dict", "to_json"]

NO_INTERVAL: dict[str, float | None] = {"estimate": None, "ci_low": None, "ci_high": None}
"""The JSON of an estimate that does not exist (e.g. no unretrained associations)."""


def interval_dict(estimate: Estimate | None) -> dict[str, float | None]:
    """``{"estimate", "ci_low", "ci_high"}`` of ``estimate``: non-finite bounds (one seed)
    as ``None``; :data:`NO_INTERVAL` for ``None``."""
    if estimate is None:
        return dict(NO_INTERVAL)
    low, high = estimate.ci_low, estimate.ci_high
    return {
        "estimate": estimate.estimate,
        "ci_low": low if math.isfinite(low) else None,
        "ci_high": high if math.isfinite(high) else None,
    }


def to_json(value: Any, intervals: bool = False) -> Any:
    """``value`` as JSON data: results by their ``to_dict()``, estimates by
    :func:`interval_dict`, arrays and tuples as lists, mappings value by value.
    ``intervals``: ``None`` (also inside tuples) is :data:`NO_INTERVAL`."""
    if value is None:
        return dict(NO_INTERVAL) if intervals else None
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, Estimate):
        return interval_dict(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [to_json(item, intervals) for item in value]
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    return value


class Result:
    """A simulator's typed result (subclasses are frozen dataclasses): :meth:`to_dict`.

    ``INTERVALS``: the fields whose ``None`` (an estimate that does not exist) is written
    :data:`NO_INTERVAL`; ``OPTIONAL``: the fields left out while they are ``None``.
    """

    INTERVALS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON data of the result's command, keys in field order."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None and f.name in self.OPTIONAL:
                continue
            out[f.name] = to_json(value, f.name in self.INTERVALS)
        return out
