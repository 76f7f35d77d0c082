"""Named inputs: computations shared by several claims and figures, declared once.

=========================  ===================================================================
``spec.py``                 :class:`InputSpec` (name, compute, the part worth starting in the
                            background process, the inputs it uses, its options)
``executor.py``             :func:`value` (each input once per request, cached) and
                            :func:`start` (the early parts, in the background process)
``deblur_runs.py``          ``deblur-runs``: the Sec. 4 experiment, defaults and other readings
``readings_evidence.py``    ``readings-evidence``: the Sec. 4 claims over the box of readings
``transfer_chains.py``      ``transfer-chains``: the chain from the linear analysis to Sec. 4
=========================  ===================================================================

A claim declares ``ClaimSpec(needs=("deblur-runs", ...))`` and reads ``ctx.input(name)``;
a figure declares ``@figure(..., needs=...)``. Adding an input: one module here, listed in
the paper's ``input_modules`` (``verification/papers/``).
"""

from .executor import input_names, input_spec, start, value
from .spec import InputSpec, Request

__all__ = ["InputSpec", "Request", "input_names", "input_spec", "start", "value"]
