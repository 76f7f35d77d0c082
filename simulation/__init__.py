"""Simulators of Hinton & Plaut (1987): measured transfer, never computed from a formula.

Nothing here imports ``theory``: every number is measured on a network that is
trained, blurred and retrained.

=========================  ====================================================
``ParameterError``         raised (a ``ValueError``) for bad input, one line
=========================  ====================================================
"""

from ._validate import ParameterError

__all__ = ["ParameterError"]
