"""The default run's numbers, computed on ``main`` before the update-schedule, error-function,
target, fast-phase and decay-schedule options existed (full precision, ``repr``).

Every new option's default must leave them unchanged; a change here means an existing
result changed.

Bit for bit with the OpenBLAS kernels they were made with (``Haswell``, which the root
``conftest.py`` pins as the ``fastweights`` command does; the ``stored_blas_kernels`` fixture
fails, naming the kernels, if others ran): other kernels sum in other orders and move float32
by ~1e-5 relative after these 43 sweeps (``SkylakeX``: 8e-6, measured 2026-12-03). float64
is compared to :data:`FLOAT64_RTOL`: an earlier machine's float64 kernels moved it by ~1e-14,
a million times below any change of the algorithm (another seed stream or update order moves
them in the first digits); see docs/deblur.md, "Reproducibility and speed".
"""

import numpy as np
import pytest

from simulation import run_deblur, run_deblur_conditions

pytestmark = pytest.mark.usefixtures("stored_blas_kernels")

FLOAT64_RTOL = 1e-12
"""Relative tolerance of the float64 pins (the CPU's BLAS kernel, not the code, moves them)."""

SHORT = {"original_sweeps": 30, "new_sweeps": 10, "retrain_sweeps": 3}

PER_SEED = {
    "float32": {
        "retrained_error": [
            [0.4537508652056455, 0.45027804279129857, 0.4458654992029919, 0.44116020221140406],
            [0.4781941714188738, 0.47750825763760557, 0.47644542060129513, 0.47500073647476937],
            [0.5165748891531601, 0.510404225545744, 0.501540960454051, 0.4919958062511552],
        ],
        "unretrained_error": [
            [0.4542515373353212, 0.45336828984126887, 0.45227872681501224, 0.4512469977087475],
            [0.4588051877437215, 0.45851374870329725, 0.45806539242597644, 0.4574419670026474],
            [0.45731162143468057, 0.45689395931267285, 0.45649279554350813, 0.4566823298197611],
        ],
        "new_error_after_decay": [0.46915038260399344, 0.4077222920053674, 0.48400503096773945],
        "old_error_after_training": [0.4484717588124197, 0.4553241783534729, 0.4584437325289608],
        "old_max_abs_error_after_training": [0.9999997939304706, 1.0, 1.0],
        "fast_weight_max_abs_after_training": 0.07626668860514958,
    },
    "float64": {
        "retrained_error": [
            [0.4537504845642403, 0.4502774267872435, 0.4458643384969386, 0.4411582893326135],
            [0.4781954965143487, 0.47750962095812177, 0.47644686093411404, 0.4750023115701956],
            [0.5166130692235822, 0.5104278727595848, 0.5015390705253313, 0.4919700250026214],
        ],
        "unretrained_error": [
            [0.45425060374896264, 0.453367433012072, 0.4522779872901886, 0.4512463505034053],
            [0.4588055136539237, 0.45851408755410195, 0.4580657545813845, 0.4574423698119535],
            [0.4573265864254529, 0.45690715124474146, 0.456503839783711, 0.45669513035821196],
        ],
        "new_error_after_decay": [0.4691527960228976, 0.407725291712698, 0.48396833639107123],
        "old_error_after_training": [0.4484712825735578, 0.455325224232385, 0.4584501900275699],
        "old_max_abs_error_after_training": [
            0.999999793808139,
            0.9999999587403531,
            0.999999999864019,
        ],
        "fast_weight_max_abs_after_training": 0.07627314493488006,
    },
}

SUMMARY = {
    "learned_fraction": 0.0,
    "learned_strict_fraction": 0.0,
    "old_wrong_output_fraction": 0.4086666666666667,
    "old_error": 0.45407988989828446,
    "fast_to_slow_rms_ratio": 0.06013371038369943,
}
IMPROVEMENT_RATIO_1 = {
    "estimate": 0.15415693911053716,
    "ci_low": -0.1843326764913261,
    "ci_high": 0.4926465547124004,
}
RECOVERED_FRACTION = {
    "estimate": -0.24576611852723385,
    "ci_low": -0.7141445364607786,
    "ci_high": 0.22261229940631083,
}
LONGER = {
    "learned_fraction": 0.0,
    "learned_strict_fraction": 0.0,
    "old_wrong_output_fraction": 0.050333333333333334,
    "old_error": 0.17146866648671497,
}  # original_sweeps=300

CONTROL = {
    "new_error": [
        [0.33634445618761477, 0.336968211915739, 0.3455125178192463, 0.3568874282489194],
        [0.30581292736830157, 0.3077967859242702, 0.327813116565565, 0.3674124184565096],
    ],
    "control_minus_fast": 0.012623965844324903,
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_default_per_seed_numbers_are_unchanged(dtype):
    result = run_deblur(seeds=3, per_seed=True, dtype=dtype, **SHORT).to_dict()
    pinned = PER_SEED[dtype]
    for key in (
        "retrained_error",
        "unretrained_error",
        "new_error_after_decay",
        "old_error_after_training",
        "old_max_abs_error_after_training",
    ):
        _assert_pinned(result["per_seed"][key], pinned[key], dtype, key)
    fast = result["original_learning"]["fast_weight_max_abs"]["estimate"]
    _assert_pinned(fast, pinned["fast_weight_max_abs_after_training"], dtype, "fast weight")


def _assert_pinned(actual, pinned, dtype, what):
    if dtype == "float32":
        assert actual == pinned, what
    else:
        np.testing.assert_allclose(actual, pinned, rtol=FLOAT64_RTOL, atol=0, err_msg=what)


def test_default_summary_numbers_are_unchanged():
    result = run_deblur(seeds=3, per_seed=True, **SHORT).to_dict()
    original = result["original_learning"]
    assert {k: original[k]["estimate"] for k in SUMMARY} == SUMMARY
    assert result["improvement_ratio"][0] == IMPROVEMENT_RATIO_1
    assert result["new_error_recovered_fraction"] == RECOVERED_FRACTION
    longer = run_deblur(seeds=3, **{**SHORT, "original_sweeps": 300}).to_dict()
    assert {k: longer["original_learning"][k]["estimate"] for k in LONGER} == LONGER


def test_default_control_numbers_are_unchanged():
    result = run_deblur_conditions(
        seeds=2, retrain_fractions=(0.5,), per_seed=True, error_measure="squared", **SHORT
    ).to_dict()
    assert result["conditions"][1]["per_seed"]["new_error"] == CONTROL["new_error"]
    comparison = result["control_comparison"][0]["control_minus_fast"]["estimate"]
    assert comparison == CONTROL["control_minus_fast"]
