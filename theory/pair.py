"""Transfer between one pair of associations (Sec. 5): everything ``fastweights theory pair`` shows.

For input vectors a, b with components in {1, 0, -1}:

=================================  ===========================================================
``rho``                            cos(a, b)
``expected_cos``                   exact E[cos theta] over Gaussian noise, rho (2/pi) asin(rho)
``paper_expected_cos``             Eq. (2) from n_ab, n_a, n_b (0/1 vectors) or Eq. (3) from
                                   n_agree, n_disagree, n_a, n_b, computed the paper's way
``improvement_ratio_unit_step``    E[improvement of B | retrain A] / E[... | retrain B],
                                   fixed-length steepest-descent step: rho^2
``improvement_ratio_gradient_step``  the same for a step proportional to the gradient:
                                   (a.b)^2/|b|^4
=================================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from ._validate import check_vector_pair
from .expectations import expected_cos_theta
from .improvement import improvement_ratio_gradient_step, improvement_ratio_unit_step
from .signed import paper_cos_signed, signed_counts
from .zero_one import paper_cos_zero_one, zero_one_counts

__all__ = ["PAIR_KEYS", "check_pair_arguments", "pair_transfer"]

PAIR_KEYS = (
    "rho",
    "expected_cos",
    "paper_expected_cos",
    "improvement_ratio_unit_step",
    "improvement_ratio_gradient_step",
)


def check_pair_arguments(
    a: Iterable[object], b: Iterable[object]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Every argument check of :func:`pair_transfer`: ``a``, ``b`` as float arrays.

    1-D, the same length, components in {1, 0, -1}, each nonzero; otherwise
    :class:`ParameterError` (one line).

    Examples:
        >>> from theory import check_pair_arguments
        >>> check_pair_arguments([1, 0, -1], [1, 1, 0])
        (array([ 1.,  0., -1.]), array([1., 1., 0.]))
        >>> check_pair_arguments([1, 0], [1, 0, 1])
        Traceback (most recent call last):
        ...
        foundation.errors.ParameterError: b: expected a vector of the same length as a (2), got 3
    """
    return check_vector_pair(a, b, allowed=(-1, 0, 1), nonzero=True)


def pair_transfer(a: Iterable[object], b: Iterable[object]) -> dict[str, float]:
    """The transfer quantities of Sec. 5 for input vectors ``a`` and ``b``.

    ``a``, ``b``: 1-D, same length n, components in {1, 0, -1}, each nonzero.
    Returns a dict with exactly the keys :data:`PAIR_KEYS` (floats).

    Examples:
        >>> from theory import pair_transfer
        >>> r = pair_transfer([1, 1, 0, 0], [1, 0, 1, 0])
        >>> {key: round(value, 6) for key, value in r.items()}  # doctest: +NORMALIZE_WHITESPACE
        {'rho': 0.5, 'expected_cos': 0.166667, 'paper_expected_cos': 0.25,
         'improvement_ratio_unit_step': 0.25, 'improvement_ratio_gradient_step': 0.25}
    """
    va, vb = check_pair_arguments(a, b)
    rho = float(np.clip(va @ vb / np.sqrt((va @ va) * (vb @ vb)), -1.0, 1.0))
    if np.all(va >= 0) and np.all(vb >= 0):
        z = zero_one_counts(va, vb)
        paper = paper_cos_zero_one(z["n_ab"], z["n_a"], z["n_b"])
    else:
        s = signed_counts(va, vb)
        paper = paper_cos_signed(s["n_agree"], s["n_disagree"], s["n_a"], s["n_b"])
    return {
        "rho": rho,
        "expected_cos": float(expected_cos_theta(rho)),
        "paper_expected_cos": paper,
        "improvement_ratio_unit_step": improvement_ratio_unit_step(va, vb),
        "improvement_ratio_gradient_step": improvement_ratio_gradient_step(va, vb),
    }
