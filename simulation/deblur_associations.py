"""The deblurring experiment (Sec. 4) on the user's own associations (issue 22).

Two steps join an :class:`~simulation.associations.Associations` to the experiment:

* :func:`settings_params` — the :class:`~simulation.deblur_protocol.DeblurSettings`
  keywords with the sizes read from the arrays: ``associations`` = K, ``n_input`` = n,
  ``n_output`` = m, and ``new_associations`` = K_new when the new ones are given. An
  explicit value that disagrees is refused in one line; an equal one is accepted.
* :func:`place` — one seed's problem: the user's old associations (and new ones, if
  given) in place of the drawn ones.

The seed's stream is the paper's run's: each seed still draws a random problem of the
same sizes first (K + K_new distinct n-bit codes, then K + K_new target rows), so its
initial weights and retraining order — drawn next — are those the paper's run with these
sizes and this seed would use. Hence the draw's limits stay: n <= 62 (the codes are
64-bit integers) and K + K_new <= 2^n. When the new associations are not given they are
drawn as in the paper: the new block of the draw (codes K .. K + K_new - 1, target rows
K ..), except that a code equal to one of the user's old inputs (as a 0/1 vector) is passed over for
the next free code of the draw, taken from the new block first and then from the old
block (which the user's rows replace). So if the user's old associations are the seed's
own drawn ones, the seed's problem is exactly the paper's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validate import ParameterError
from .associations import Associations

__all__ = ["MAX_INPUT_WIDTH", "input_codes", "place", "settings_params"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_INPUT_WIDTH = 62
"""Widest input the experiment takes (``DeblurSettings.n_input``; its draw uses n-bit codes
held in 64-bit integers)."""


def settings_params(
    associations: Associations, params: dict[str, Any], new_default: int
) -> dict[str, Any]:
    """``params`` with the sizes of ``associations``; a conflicting explicit size refused
    (naming it), as are inputs wider than :data:`MAX_INPUT_WIDTH` and more rows than the
    draw can hold (K + K_new <= 2^n; K_new given, or ``params``' ``new_associations``, or
    ``new_default``)."""
    sizes = {
        "associations": (associations.count, "the rows of the associations' inputs"),
        "n_input": (associations.n_input, "the columns of the associations' inputs"),
        "n_output": (associations.n_output, "the columns of the associations' targets"),
    }
    if associations.new_count is not None:
        sizes["new_associations"] = (associations.new_count, "the rows of new_inputs")
    for name, (size, words) in sizes.items():
        if name in params and params[name] != size:
            raise ParameterError(name, f"{size}, {words} (or leave it out)", params[name])
    n = associations.n_input
    if n > MAX_INPUT_WIDTH:
        raise ParameterError(
            "inputs",
            f"at most {MAX_INPUT_WIDTH} columns (the experiment's n_input; each seed draws "
            "n-bit codes)",
            f"{n} columns",
        )
    new = associations.new_count
    if new is None:
        new = params.get("new_associations", new_default)
    if isinstance(new, int) and new >= 1 and associations.count + new > 2**n:
        raise ParameterError(
            "inputs",
            f"rows + new associations <= 2^{n} = {2**n} (each seed draws that many distinct "
            f"{n}-bit codes)",
            f"{associations.count} rows + {new} new",
        )
    return {**params, **{name: size for name, (size, _) in sizes.items()}}


def input_codes(inputs: FloatArray) -> IntArray:
    """The n-bit codes (first column the highest bit) of the rows of ``inputs`` (K, n) that
    are 0/1 vectors; rows with any other value have none."""
    binary = np.all((inputs == 0.0) | (inputs == 1.0), axis=1)
    weights = 1 << np.arange(inputs.shape[1] - 1, -1, -1, dtype=np.int64)
    codes: IntArray = inputs[binary].astype(np.int64) @ weights
    return codes


def place(
    associations: Associations,
    taken: IntArray,
    codes: npt.NDArray[np.integer[Any]],
    drawn_inputs: FloatArray,
    drawn_targets: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """One seed's inputs (K + K_new, n) and targets (K + K_new, m), the old ones first.

    ``codes`` (K + K_new,), ``drawn_inputs`` and ``drawn_targets``: the seed's draw (the
    paper's problem); ``taken``: :func:`input_codes` of the user's old inputs. The old
    rows are the user's; the new ones the user's, or else the drawn new block with codes
    equal to an old input passed over (module docstring).
    """
    k = associations.count
    if associations.new_inputs is not None and associations.new_targets is not None:
        return (
            np.concatenate([associations.inputs, associations.new_inputs]),
            np.concatenate([associations.targets, associations.new_targets]),
        )
    total = codes.shape[0]
    positions = np.concatenate([np.arange(k, total), np.arange(k)])
    free = positions[~np.isin(codes[positions], taken)][: total - k]
    return (
        np.concatenate([associations.inputs, drawn_inputs[free]]),
        np.concatenate([associations.targets, drawn_targets[k:]]),
    )
