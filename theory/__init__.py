"""Exact theory of transfer in Hinton & Plaut (1987), Sec. 4.1 and 5.

=========================  ====================================================
``derivation(name)``       a registered derivation: named steps, result, numeric
``list_derivations()``     the registered names
``eq1_factorization()``    Eq. (1): gradient, cos(theta) = cos(a,b) sign(XY)
``ParameterError``         raised (a ``ValueError``) for bad input, one line
=========================  ====================================================

Sec. 4.1 and 5.3 (geometry of transfer; retraining dynamics):

=====================================  ==============================================
``positive_transfer_probability``      exact P(positive transfer), two-weight network
``paper_ellipse_arc_fraction``         the paper's reading: ellipse arc-length fraction
``paper_arc_fraction_gap``             F - P (>= 0)
``largest_arc_fraction_gap()``         sup of F - P (about 0.105, as phi, lambda -> 0)
``fig4_geometry``                      arrays for drawing Fig. 4
``expected_errors_during_retraining``  exact E[E_k(t)], full-batch GD on R, n dims
=====================================  ==============================================
"""

from ._validate import ParameterError
from .derivation import Derivation, Step, derivation, list_derivations
from .dynamics import expected_errors_during_retraining
from .ellipse import largest_arc_fraction_gap, paper_arc_fraction_gap, paper_ellipse_arc_fraction
from .fig4 import fig4_geometry
from .geometry import positive_transfer_probability
from .gradient import eq1_factorization

__all__ = [
    "Derivation",
    "ParameterError",
    "Step",
    "derivation",
    "eq1_factorization",
    "expected_errors_during_retraining",
    "fig4_geometry",
    "largest_arc_fraction_gap",
    "list_derivations",
    "paper_arc_fraction_gap",
    "paper_ellipse_arc_fraction",
    "positive_transfer_probability",
]
