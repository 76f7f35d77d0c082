"""The declared box of readings of what Sec. 4 of the paper leaves unstated.

A *reading* is one choice of every parameter of the Sec. 4 experiment that the paper does
not fix (:class:`simulation.DeblurSettings` fields); the *box* is the set of readings a
careful reviewer could take for 1986-87 back-propagation practice. Each
:class:`Dimension` gives its values or range, the toolkit's default, why that range is
plausible, and whether the paper's text says something about it (``text``). What the
paper states (ε_s = .02, α_s = .9, h = .01, 1300 and 400 sweeps, 10-100-10, 100 + 5
associations) is not a dimension: it is held at the paper's value.

Sources the ranges rely on (cited as ``[RHW86]`` etc. in :attr:`Dimension.why`):

- [RHW86] Rumelhart, Hinton & Williams (1986), *Learning internal representations by
  error propagation*, PDP vol. 1, ch. 8: E = ½ Σ (t - o)², weight changes either after
  each pattern or accumulated over a sweep, momentum α = .9, small random initial weights.
- [MR88] McClelland & Rumelhart (1988), *Explorations in Parallel Distributed
  Processing*, the ``bp`` program: per-pattern (``lgrain pattern``) or per-sweep
  (``lgrain epoch``) updates, initial weights uniform in ±wrange/2 with wrange = 1, and
  the advice to use targets of .1/.9 instead of 0/1 so the logistic need not saturate.
- [H87] Hinton (1987), *Connectionist learning procedures*, CMU-CS-87-115: the
  cross-entropy error for logistic outputs, whose derivative has no y(1 - y) factor.
- [HP87] the paper itself, Sec. 3-4 (quoted in ``text``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BOX",
    "CATEGORICAL_STRATA",
    "Dimension",
    "against_text",
    "changed_from_defaults",
    "dimension",
    "jsonable",
    "reading_key",
    "value_text",
]


@dataclass(frozen=True)
class Dimension:
    """One unstated parameter of Sec. 4 and the readings of it the box allows.

    Attributes:
        name: the :class:`simulation.DeblurSettings` field (and ``simulate deblur`` option).
        symbol: the paper's symbol or a short name for figures (``ε_f``).
        default: the toolkit's default reading.
        values: the levels of a categorical dimension (``()`` for a continuous one).
        low, high: the range of a continuous dimension.
        log: a continuous dimension sampled uniformly in log(value).
        why: why this range is plausible for 1986-87 back-propagation practice.
        text: what the paper's text says about it ('' when it says nothing).
        against: the levels the text speaks against (its reading is strained there).
        only_when: the dimension matters only when these other fields have these values
            (elsewhere it is held at its default, where every level gives the same run).
    """

    name: str
    symbol: str
    default: Any
    why: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    log: bool = False
    text: str = ""
    against: tuple[Any, ...] = ()
    only_when: Mapping[str, Any] | None = None

    @property
    def categorical(self) -> bool:
        return bool(self.values)

    def value_at(self, u: float) -> Any:
        """The reading at quantile ``u`` in [0, 1): a level (equal shares) or a number."""
        if not 0.0 <= u <= 1.0:
            raise ValueError(f"{self.name}: quantile {u!r} outside [0, 1]")
        if self.categorical:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        assert self.low is not None and self.high is not None
        if self.log:
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            value = self.low + u * (self.high - self.low)
        return float(f"{value:.4g}")  # readable labels; 4 digits is finer than any effect

    def describe(self) -> str:
        """``{batch, per-case}`` or ``[0.001, 1] (log)``."""
        if self.categorical:
            return "{" + ", ".join(value_text(v) for v in self.values) + "}"
        scale = " (log-uniform)" if self.log else ""
        return f"[{self.low:g}, {self.high:g}]{scale}"


def value_text(value: Any, digits: int | None = None) -> str:
    """A reading's value as text: ``0.1/0.9`` for targets, ``0.0322`` (``digits``
    significant digits when given) for a number, the word for a level."""
    if isinstance(value, (tuple, list)):
        return "/".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:.{digits}g}" if digits else f"{value:g}"
    return str(value)


def jsonable(reading: Mapping[str, Any]) -> dict[str, Any]:
    """A reading as JSON data (targets as a list)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in reading.items()}


def reading_key(reading: Mapping[str, Any]) -> str:
    """The same text for the same reading, whether its targets are a tuple or a list."""
    return json.dumps(jsonable(reading), sort_keys=True)


BOX: tuple[Dimension, ...] = (
    Dimension(
        "updates",
        "updates",
        "batch",
        values=("batch", "per-case"),
        why="[RHW86] and [MR88] use both: a weight change after every pattern, or one "
        "change per sweep from the summed derivatives.",
        text='"changing the weights after each sweep" (Sec. 4) states batch updates for the '
        "original learning; per-case updates go against it.",
        against=("per-case",),
    ),
    Dimension(
        "error_function",
        "E",
        "squared",
        values=("squared", "cross-entropy"),
        why="[H87] proposes the cross-entropy error for logistic outputs (no y(1 - y) factor, "
        "so saturated wrong outputs still learn); squared error is [RHW86]'s.",
        text='"The error produced by the network is defined to be the squared difference" '
        "(Sec. 3); cross-entropy goes against it.",
        against=("cross-entropy",),
    ),
    Dimension(
        "fast_phases",
        "fast learning",
        "all",
        values=("all", "retraining"),
        why="The paper gives no ε_f for any phase; fast weights that learn only while "
        "retraining (and always decay) are the simplest way to have them deblur without "
        "destabilising the original learning.",
        text='"The fast weights were very close to zero because the errors were very small '
        'towards the end of the training" (Sec. 4) suggests they were learning in the '
        "original training too; 'retraining' strains that explanation.",
        against=("retraining",),
    ),
    Dimension(
        "fast_epsilon",
        "ε_f",
        0.02,
        low=0.001,
        high=1.0,
        log=True,
        why="Fast weights 'change more rapidly' (Sec. 1) than slow ones with ε_s = .02, but no "
        "value is given: from 20 times slower to 50 times faster, log-uniform.",
    ),
    Dimension(
        "fast_momentum",
        "α_f",
        0.0,
        low=0.0,
        high=0.9,
        why="Sec. 3 says fast and slow weights differ in ε and α; from no momentum to the slow "
        "weights' α = .9 [RHW86].",
    ),
    Dimension(
        "init_scale",
        "initial ±r",
        0.5,
        low=0.1,
        high=4.0,
        log=True,
        why="'Small random weights' [RHW86]; the bp program's default is uniform in ±.5 "
        "[MR88]. The paper says nothing about them, and the 10% transfer ratio climbs with "
        "the range (docs/deblur.md, 'The box to its edge'): from ±.1 to ±4, past ±2-3 where "
        "it stops climbing.",
    ),
    Dimension(
        "targets",
        "targets",
        (0.0, 1.0),
        values=((0.0, 1.0), (0.1, 0.9)),
        why="'Random binary output vectors' (Sec. 4) as 0/1 targets, or as .1/.9, which [MR88] "
        "advises for logistic units.",
    ),
    Dimension(
        "error_factor",
        "c",
        0.5,
        values=(0.5, 1.0),
        why="E = c Σ (y - t)²: c = ½ is [RHW86]'s convention; c = 1 reads 'the squared "
        "difference summed over all cases' literally (and doubles every ε).",
    ),
    Dimension(
        "decay_per",
        "decay per",
        "update",
        values=("update", "sweep"),
        why="'after each weight change' (Sec. 3) vs once per sweep (Sec. 4's 'by 1% after "
        "each weight update', with one update per sweep); they differ only with per-case "
        "updates.",
        only_when={"updates": "per-case"},
    ),
    Dimension(
        "error_measure",
        "error of Fig. 2",
        "absolute",
        values=("absolute", "squared"),
        why="Fig. 2's 'average error of an output unit': mean |y - t| or mean (y - t)².",
    ),
    Dimension(
        "control_rule",
        "control",
        "matched",
        values=("matched", "slow"),
        why="The paper runs no control; retraining in the slow weights with the fast weights' "
        "ε and α added (matched) or with ε_s, α_s alone (slow).",
    ),
)
"""The box, in the order of the design's columns."""

CATEGORICAL_STRATA: tuple[str, ...] = ("updates", "error_function", "fast_phases")
"""Dimensions crossed in the design (every combination gets the same number of readings);
the others are filled by a scrambled Sobol sequence within each stratum."""


def dimension(name: str) -> Dimension:
    """The box's dimension called ``name`` (KeyError if there is none)."""
    for dim in BOX:
        if dim.name == name:
            return dim
    raise KeyError(name)


def against_text(reading: Mapping[str, Any], box: Sequence[Dimension] = BOX) -> list[str]:
    """The dimensions at which ``reading`` takes a level the paper's text speaks against."""
    out = []
    for dim in box:
        value = reading.get(dim.name, dim.default)
        if isinstance(value, list):
            value = tuple(value)
        if value in dim.against:
            out.append(dim.name)
    return out


def changed_from_defaults(
    reading: Mapping[str, Any], box: Sequence[Dimension] = BOX
) -> dict[str, Any]:
    """The dimensions of the box where ``reading`` differs from the defaults, in the box's
    order, as JSON data (the options a sweep point sets)."""
    out = {}
    for dim in box:
        if dim.name in reading:
            value = jsonable({dim.name: reading[dim.name]})[dim.name]
            if value != jsonable({dim.name: dim.default})[dim.name]:
                out[dim.name] = value
    return out
