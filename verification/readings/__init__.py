"""The Sec. 4 claims judged over a box of readings of what the paper leaves unstated.

=======================  ================================================================
module                   what it holds
=======================  ================================================================
``box``                  the declared box: every dimension, its range, why, and the text
``design``               a space-filling design over the box (strata x scrambled Sobol)
``measure``              the claims' quantities and verdicts at one reading, from seeds
``analysis``             shares, best and worst readings, verdicts, the joint answer
``search``               ``fastweights readings``: the two sweeps and ``readings.json``
``report``               the analysis as text
=======================  ================================================================
"""

from .analysis import ReadingsAnalysis, analyse, measured, select_reruns
from .box import BOX, Dimension
from .design import design, reading_label
from .measure import CLAIMS, PARTS, claim_outcomes, compact_run
from .search import FULL, QUICK, SearchSize, load_analysis, run_readings

__all__ = [
    "BOX",
    "CLAIMS",
    "FULL",
    "PARTS",
    "QUICK",
    "Dimension",
    "ReadingsAnalysis",
    "SearchSize",
    "analyse",
    "claim_outcomes",
    "compact_run",
    "design",
    "load_analysis",
    "measured",
    "reading_label",
    "run_readings",
    "select_reruns",
]
