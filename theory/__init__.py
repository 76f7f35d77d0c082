"""Exact theory of transfer in Hinton & Plaut (1987), Sec. 4.1 and 5.

=========================  ====================================================
``derivation(name)``       a registered derivation: named steps, result, numeric
``list_derivations()``     the registered names
``eq1_factorization()``    Eq. (1): gradient, cos(theta) = cos(a,b) sign(XY)
``ParameterError``         raised (a ``ValueError``) for bad input, one line
=========================  ====================================================
"""

from ._validate import ParameterError
from .derivation import Derivation, Step, derivation, list_derivations
from .gradient import eq1_factorization

__all__ = [
    "Derivation",
    "ParameterError",
    "Step",
    "derivation",
    "eq1_factorization",
    "list_derivations",
]
