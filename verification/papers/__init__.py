"""The papers the toolkit checks, as data (:class:`~verification.engine.paper.Paper`); one
module per paper.

The built-in paper is Hinton & Plaut (1987), :mod:`.hinton_plaut_1987`; the registry of
papers (``default_paper``, ``current_paper``, ``register_paper``) is the engine's
(:mod:`verification.engine.paper`), which finds the built-in ones by module name.
"""

from .hinton_plaut_1987 import PAPER as HINTON_PLAUT_1987

__all__ = ["HINTON_PLAUT_1987"]
