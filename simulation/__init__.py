"""Simulators of Hinton & Plaut (1987): measured transfer, never computed from a formula.

Nothing here imports ``theory``: every number is measured on a network that is
trained, blurred and retrained.

=========================  ====================================================
``ParameterError``         raised (a ``ValueError``) for bad input, one line
=========================  ====================================================

Linear networks (Sec. 4.1 and 5), measured with confidence intervals:

==============================  ===============================================
``simulate_pair``               cos θ and improvement ratios for given a, b
``simulate_ensemble_cos``       the same for a random nonzero pair of an ensemble
``simulate_retrain``            unretrained/retrained ratio, retraining M of K
``simulate_geometry``           P(positive transfer), two-weight network (Fig. 4)
``simulate_retraining_errors``  mean E_k after each retraining step (Sec. 5.3)
``draw_inputs``                 random 0/1 or {1,0,-1} inputs, with/without repl.
``Estimate``                    estimate, ci_low, ci_high; ``.as_dict()``
``mean_estimate``               mean with a CLT interval
``ratio_of_means_estimate``     ratio of means with a delta-method interval
``proportion_estimate``         proportion with a Wilson interval
``linear``                      the network: outputs, gradients, learning, blur,
                                retraining, first-order improvement rates
==============================  ===============================================
"""

from . import linear
from ._validate import ParameterError
from .curves import simulate_retraining_errors
from .ensemble_cos import simulate_ensemble_cos
from .estimate import Estimate, mean_estimate, proportion_estimate, ratio_of_means_estimate
from .geometry import simulate_geometry
from .inputs import draw_inputs
from .pair import simulate_pair
from .retrain import simulate_retrain

__all__ = [
    "Estimate",
    "ParameterError",
    "draw_inputs",
    "linear",
    "mean_estimate",
    "proportion_estimate",
    "ratio_of_means_estimate",
    "simulate_ensemble_cos",
    "simulate_geometry",
    "simulate_pair",
    "simulate_retrain",
    "simulate_retraining_errors",
]
