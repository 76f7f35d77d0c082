"""The papers the toolkit checks, as data (:class:`Paper`); one module per paper.

``default_paper()`` is the one ``fastweights verify`` and ``report`` check: Hinton & Plaut
(1987), :mod:`.hinton_plaut_1987`.
"""

from .hinton_plaut_1987 import PAPER as HINTON_PLAUT_1987
from .paper import Paper

__all__ = ["HINTON_PLAUT_1987", "Paper", "default_paper"]


def default_paper() -> Paper:
    """The paper the commands check."""
    return HINTON_PLAUT_1987
