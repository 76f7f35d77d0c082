"""A space-filling design over the box of readings (:mod:`verification.readings.box`).

The categorical dimensions of :data:`~verification.readings.box.CATEGORICAL_STRATA` are
crossed (2 x 2 x 2 = 8 strata); within each stratum a scrambled Sobol sequence
(``scipy.stats.qmc.Sobol``, a power-of-two number of points, so every one-dimensional
projection is balanced) fills the other dimensions: continuous ones uniformly (in log
where the box says so), categorical ones in equal shares. A dimension that matters only
in some strata (``only_when``) is held at its default elsewhere.

The design depends only on the count and the seed: stratum ``i`` scrambles its Sobol
sequence with ``SeedSequence(seed).spawn(8)[i]``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .box import (
    BOX,
    CATEGORICAL_STRATA,
    Dimension,
    changed_from_defaults,
    dimension,
    value_text,
)

__all__ = ["design", "reading_label", "strata"]


def strata(box: Sequence[Dimension] = BOX) -> list[dict[str, Any]]:
    """Every combination of the crossed categorical dimensions, in a fixed order."""
    dims = [d for d in box if d.name in CATEGORICAL_STRATA]
    return [
        dict(zip([d.name for d in dims], combo, strict=True))
        for combo in itertools.product(*(d.values for d in dims))
    ]


def design(count: int, seed: int, box: Sequence[Dimension] = BOX) -> list[dict[str, Any]]:
    """``count`` readings: ``count / 8`` per stratum, a power of two each.

    Returns dicts field -> value for every dimension of the box (targets as a tuple).
    Raises ValueError for a count that is not 8 times a power of two.
    """
    from scipy.stats import qmc

    cells = strata(box)
    per, rest = divmod(count, len(cells))
    if rest or per < 1 or per & (per - 1):
        raise ValueError(
            f"count: expected {len(cells)} times a power of two (8, 16, 32, ... 256), got {count}"
        )
    free = [d for d in box if d.name not in CATEGORICAL_STRATA]
    children = np.random.SeedSequence(seed).spawn(len(cells))
    readings = []
    for cell, child in zip(cells, children, strict=True):
        sampler = qmc.Sobol(d=len(free), scramble=True, seed=np.random.default_rng(child))
        points = sampler.random_base2(int(per).bit_length() - 1)
        for row in points:
            reading = dict(cell)
            for dim, u in zip(free, row, strict=True):
                reading[dim.name] = dim.value_at(float(u))
            for dim in free:
                if dim.only_when and any(reading[k] != v for k, v in dim.only_when.items()):
                    reading[dim.name] = dim.default
            readings.append(reading)
    return readings


def reading_label(reading: Mapping[str, Any], box: Sequence[Dimension] = BOX) -> str:
    """A short label of the dimensions that differ from the defaults (``"defaults"``)."""
    parts = [
        f"{dimension(name).symbol}={value_text(value, digits=3)}"
        for name, value in changed_from_defaults(reading, box).items()
    ]
    known = {d.name for d in box}
    parts += [f"{k}={value_text(v, digits=3)}" for k, v in reading.items() if k not in known]
    return ", ".join(parts) if parts else "defaults"
