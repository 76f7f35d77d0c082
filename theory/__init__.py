"""Exact theory of transfer in Hinton & Plaut (1987), Sec. 4.1 and 5.

=========================  ====================================================
``derivation(name)``       a registered derivation: named steps, result, numeric
``list_derivations()``     the registered names
``eq1_factorization()``    Eq. (1): gradient, cos(theta) = cos(a,b) sign(XY)
``ParameterError``         raised (a ``ValueError``) for bad input, one line
``check_*_arguments``      a function's argument checks alone (``checked_angles``)
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

Sec. 5.1-5.2, footnote 2, and the random-input ensembles (pairs; retraining m of K):

=======================================  ====================================================
``expected_cos_theta``                   exact E[cos theta] = rho (2/pi) asin(rho)
``orthant_probability``                  P(XY > 0) = 1/2 + asin(rho)/pi
``expected_abs_product``                 exact E|XY| (not the paper's sigma_x sigma_y)
``paper_expected_cos``                   the paper's <cos theta> = rho^2 (Eq. 2 / 3)
``cos_gap``                              E[cos theta] - rho^2 (<= 0)
``cos_gap_extremum()``                   largest |gap|: -0.1728 at |rho| = 0.857
``improvement_ratio_unit_step``          ratio of expected improvements, fixed step: rho^2
``improvement_ratio_gradient_step``      the same, gradient step: (a.b)^2/|b|^4
``pair_transfer``                        all of these for vectors a, b (theory pair)
``eq2_zero_one()``                       Eq. (2) by the paper's route (derivation)
``eq3_signed()``                         Eq. (3) by the paper's route (derivation)
``zero_one_counts``                      n_ab, n_a, n_b of two 0/1 vectors
``signed_counts``                        n_agree, n_disagree, n_a, n_b
``paper_cos_zero_one``                   Eq. (2) from the counts
``paper_cos_signed``                     Eq. (3) from the counts
``random_walk_moments``                  E[S^2] = 4 p^2 n against (E|S|)^2
``n_times_expected_cos``                 n E[cos theta], signed inputs (-> 2/pi)
``n_times_expected_rho_squared``         n E[rho^2], signed inputs (exactly 1)
``dimension_independence``               K = kappa n, M = f K: exact ratio vs limit
``ensemble_moments``                     exact C = E[(x.y)^2], D = E[|x|^4], c = C/D
``ensemble_expected_cos``                exact E[cos theta] over an input ensemble
``ensemble_expected_rho_squared``        exact E[rho^2] over an input ensemble
``ensemble_expected_rho_squared_exact``  the same in closed form, a sympy Rational
``MAX_ENUMERATION_N``                    largest n the enumerations accept (400)
``improvement_ratio``                    m c / (1 + (m - 1) c)
``retrain_ratio``                        the .943 at finite n (theory retrain)
``retrain_ratio_exact``                  the same, as sympy Rationals
``expected_improvement_rates``           sum_{j in R} (x_j.x_k)^2, fixed vectors
=======================================  ====================================================

Sec. 3-5 generalised (issue 10): first-order transfer in the paper's logistic network:

=================================  ==========================================================
``network_gradient_kernel``        G_kl = grad E_k . grad E_l, by layer (backpropagation)
``linear_gradient_kernel``         the same for a linear unit: (a.b)(a.g)(b.g), Eq. (1)
``layer_kernel``                   one layer's share: (x~_k.x~_l)(delta_k.delta_l)
``NetworkKernel``                  ``output_layer``, ``hidden_layer``, ``matrix`` (K, K)
``predicted_improvement_ratio``    mean_{k not in S} sum_S G_kl / mean_{k in S} sum_S G_kl
``vector_transfer``                given inputs X, retrained rows S: exact first-order and
                                   first-step ratios, E[E_k(t)] per step (theory transfer)
``VectorTransfer``                 its result; ``to_dict()`` for JSON
``check_vector_transfer_arguments``  its argument checks alone
``vector_transfer_memory``         its estimated peak memory (bytes)
=================================  ==========================================================

Where the transfer goes (issue 10, part 2): the linear theory's kernel and the network's,
one ingredient at a time (``transfer-chain``):

=================================  ==========================================================
``linear_noise_kernel``            (x~_k.x~_l)^2: linear unit, Gaussian weight noise
``linear_learning_kernel``         (x~_k.x~_l) x~_k^T (B^T B)^+ x~_l: blur by learning B
``tangent_kernel``                 Theta_kilj = d net_ki/dw . d net_lj/dw of the network
``noise_transfer_kernel``          sum_ij (s_ki Theta_kilj s_lj)^2: Gaussian weight noise
``measured_error_kernel``          grad A_k . grad E_l: the measured error (Fig. 2's)
``transfer_kernels``               all of them for one blurred network (TransferKernels)
``improvement_means``              (mean over k not in S, mean over k in S) of sum_S T_kl
``KERNELS``                        the names of TransferKernels' kernels, in order
=================================  ==========================================================
"""

from typing import TYPE_CHECKING

from foundation.lazy import install

if TYPE_CHECKING:  # the re-exports; at run time each is imported on first use (foundation.lazy)
    from ._validate import ParameterError
    from .derivation import Derivation, Step, derivation, derivation_title, list_derivations
    from .dynamics import expected_errors_during_retraining
    from .ellipse import (
        largest_arc_fraction_gap,
        paper_arc_fraction_gap,
        paper_ellipse_arc_fraction,
    )
    from .ensemble_rho_squared import ensemble_expected_rho_squared_exact
    from .ensembles import (
        MAX_ENUMERATION_N,
        ensemble_expected_cos,
        ensemble_expected_rho_squared,
        ensemble_moments,
    )
    from .expectations import (
        cos_gap,
        cos_gap_extremum,
        expected_abs_product,
        expected_cos_theta,
        orthant_probability,
        paper_expected_cos,
    )
    from .fig4 import fig4_geometry
    from .geometry import checked_angles, positive_transfer_probability
    from .gradient import eq1_factorization
    from .improvement import improvement_ratio_gradient_step, improvement_ratio_unit_step
    from .network_transfer import (
        NetworkKernel,
        layer_kernel,
        linear_gradient_kernel,
        network_gradient_kernel,
        predicted_improvement_ratio,
    )
    from .pair import PAIR_KEYS, check_pair_arguments, pair_transfer
    from .retraining import (
        check_retrain_arguments,
        expected_improvement_rates,
        improvement_ratio,
        retrain_ratio,
        retrain_ratio_exact,
    )
    from .signed import (
        dimension_independence,
        eq3_signed,
        n_times_expected_cos,
        n_times_expected_rho_squared,
        paper_cos_signed,
        random_walk_moments,
        signed_counts,
    )
    from .transfer_chain import (
        KERNELS,
        TransferKernels,
        improvement_means,
        linear_learning_kernel,
        linear_noise_kernel,
        measured_error_kernel,
        noise_transfer_kernel,
        tangent_kernel,
        transfer_kernels,
    )
    from .vector_transfer import (
        VectorTransfer,
        check_vector_transfer_arguments,
        vector_transfer,
        vector_transfer_memory,
    )
    from .zero_one import eq2_zero_one, paper_cos_zero_one, zero_one_counts

__all__ = [
    "KERNELS",
    "MAX_ENUMERATION_N",
    "PAIR_KEYS",
    "Derivation",
    "NetworkKernel",
    "ParameterError",
    "Step",
    "TransferKernels",
    "VectorTransfer",
    "check_pair_arguments",
    "check_retrain_arguments",
    "check_vector_transfer_arguments",
    "checked_angles",
    "cos_gap",
    "cos_gap_extremum",
    "derivation",
    "derivation_title",
    "dimension_independence",
    "ensemble_expected_cos",
    "ensemble_expected_rho_squared",
    "ensemble_expected_rho_squared_exact",
    "ensemble_moments",
    "eq1_factorization",
    "eq2_zero_one",
    "eq3_signed",
    "expected_abs_product",
    "expected_cos_theta",
    "expected_errors_during_retraining",
    "expected_improvement_rates",
    "fig4_geometry",
    "improvement_means",
    "improvement_ratio",
    "improvement_ratio_gradient_step",
    "improvement_ratio_unit_step",
    "largest_arc_fraction_gap",
    "layer_kernel",
    "linear_gradient_kernel",
    "linear_learning_kernel",
    "linear_noise_kernel",
    "list_derivations",
    "measured_error_kernel",
    "n_times_expected_cos",
    "n_times_expected_rho_squared",
    "network_gradient_kernel",
    "noise_transfer_kernel",
    "orthant_probability",
    "pair_transfer",
    "paper_arc_fraction_gap",
    "paper_cos_signed",
    "paper_cos_zero_one",
    "paper_ellipse_arc_fraction",
    "paper_expected_cos",
    "positive_transfer_probability",
    "predicted_improvement_ratio",
    "random_walk_moments",
    "retrain_ratio",
    "retrain_ratio_exact",
    "signed_counts",
    "tangent_kernel",
    "transfer_kernels",
    "vector_transfer",
    "vector_transfer_memory",
    "zero_one_counts",
]

install(__name__, __file__)
