"""Simulators of Hinton & Plaut (1987): measured transfer, never computed from a formula.

Nothing here imports ``theory``: every number is measured on a network that is
trained, blurred and retrained.

=========================  ====================================================
``ParameterError``         raised (a ``ValueError``) for bad input, one line
``check_*_arguments``      a function's argument checks alone (nothing simulated)
=========================  ====================================================

Linear networks (Sec. 4.1 and 5), measured with confidence intervals:

==============================  ===============================================
``simulate_pair``               cos θ and improvement ratios for given a, b
``simulate_ensemble_cos``       the same for a random nonzero pair of an ensemble
``simulate_retrain``            unretrained/retrained ratio, retraining M of K
``simulate_geometry``           P(positive transfer), two-weight network (Fig. 4)
``simulate_retraining_errors``  mean E_k after each retraining step (Sec. 5.3)
``simulate_vector_transfer``    given inputs X: first-order / first-step ratios and
                                per-step errors, blurred and retrained (issue 10)
``vector_transfer_memory``      its estimated peak memory (bytes)
``draw_inputs``                 random 0/1 or {1,0,-1} inputs, with/without repl.
``Estimate``                    estimate, ci_low, ci_high, se, n, dof, method;
                                ``.ci(level)``, ``.to_dict()``
``mean_estimate``               mean with a CLT interval
``ratio_of_means_estimate``     ratio of means with a delta-method interval
``proportion_estimate``         proportion with a Wilson interval
``linear``                      the network: outputs, gradients, learning, blur,
                                retraining, first-order improvement rates
==============================  ===============================================

Fast and slow weights, and the deblurring experiment (Sec. 3 and 4):

==============================  ===============================================
``run_deblur``                  Sec. 4 protocol, one condition, over seeds (CIs)
``run_deblur_conditions``       several fractions + the control, paired by seed
``deblur_sensitivity``          headline numbers over unstated parameters
``DeblurSettings``              every parameter (paper values / assumptions)
``DeblurSeeds``                 the number of seeds and the root seed
``DeblurCondition``             the retrained fraction of one condition
``Associations``                the user's own old (and new) associations for
                                ``run_deblur(associations=...)`` (issue 22)
``FastSlowNetwork``             S logistic nets, slow + fast weight per weight
``FastSlowLearning``            ε_s, α_s, ε_f, α_f, h of Sec. 3
``deblur_stability``            stability limit of the update vs Hessian curvature
``deblur_capture``              the networks at the start of retraining
                                (``BlurredNetworks``) and the first sweep's
                                first-order rates (``first_order_rates``)
``simulate_two_sets``           Sec. 6: two sets learned together for several
                                lengths, blurred, one retrained: the transfer to
                                the other and the overlap of their hidden codes
                                (``TwoSetsResult``; ``mean_abs_cos``,
                                ``joint_active_share``, ``ratio_trend``)
==============================  ===============================================
"""

from typing import TYPE_CHECKING

from foundation.lazy import install

if TYPE_CHECKING:  # the re-exports; at run time each is imported on first use (foundation.lazy)
    from . import deblur_capture, deblur_stability, linear
    from ._validate import ParameterError
    from .associations import Associations
    from .curves import simulate_retraining_errors
    from .deblur import (
        check_run_deblur_arguments,
        check_run_deblur_conditions_arguments,
        run_deblur,
        run_deblur_conditions,
    )
    from .deblur_protocol import DeblurCondition, DeblurSeeds, DeblurSettings
    from .deblur_sensitivity import check_deblur_sensitivity_arguments, deblur_sensitivity
    from .ensemble_cos import simulate_ensemble_cos
    from .estimate import Estimate, mean_estimate, proportion_estimate, ratio_of_means_estimate
    from .fastslow import FastSlowLearning, FastSlowNetwork
    from .geometry import GeometrySettings, check_simulate_geometry_arguments, simulate_geometry
    from .inputs import draw_inputs
    from .pair import PairSettings, check_simulate_pair_arguments, simulate_pair
    from .retrain import RetrainSettings, check_simulate_retrain_arguments, simulate_retrain
    from .two_sets import (
        TwoSetsResult,
        check_simulate_two_sets_arguments,
        joint_active_share,
        mean_abs_cos,
        ratio_trend,
        simulate_two_sets,
    )
    from .vector_transfer import (
        VectorTransferSettings,
        check_simulate_vector_transfer_arguments,
        simulate_vector_transfer,
        vector_transfer_memory,
    )

__all__ = [
    "Associations",
    "DeblurCondition",
    "DeblurSeeds",
    "DeblurSettings",
    "Estimate",
    "FastSlowLearning",
    "FastSlowNetwork",
    "GeometrySettings",
    "PairSettings",
    "ParameterError",
    "RetrainSettings",
    "TwoSetsResult",
    "VectorTransferSettings",
    "check_deblur_sensitivity_arguments",
    "check_run_deblur_arguments",
    "check_run_deblur_conditions_arguments",
    "check_simulate_geometry_arguments",
    "check_simulate_pair_arguments",
    "check_simulate_retrain_arguments",
    "check_simulate_two_sets_arguments",
    "check_simulate_vector_transfer_arguments",
    "deblur_capture",
    "deblur_sensitivity",
    "deblur_stability",
    "draw_inputs",
    "joint_active_share",
    "linear",
    "mean_abs_cos",
    "mean_estimate",
    "proportion_estimate",
    "ratio_of_means_estimate",
    "ratio_trend",
    "run_deblur",
    "run_deblur_conditions",
    "simulate_ensemble_cos",
    "simulate_geometry",
    "simulate_pair",
    "simulate_retrain",
    "simulate_retraining_errors",
    "simulate_two_sets",
    "simulate_vector_transfer",
    "vector_transfer_memory",
]

install(__name__, __file__)
