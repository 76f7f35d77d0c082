"""Synthetic compact runs: per-seed numbers with chosen means, for analysis tests."""

import numpy as np


def compact_row(
    rng,
    seeds=10,
    learned=1.0,
    wrong=0.02,
    fast_rms=0.001,
    transfer=(0.9, 0.95),
    damage=(0.1, 0.1),
    control=(0.05, 0.05),
    noise=0.01,
    slow_transfer=None,
    control_gains=True,
):
    """A compact run whose claims' estimates are about the given values; the control's
    transfer (Sec. 6) is ``slow_transfer`` (default: the same as with fast weights), and
    ``control_gains=False`` leaves the control's improvements out (a row stored before
    compact_run recorded them)."""
    row = {
        "seeds": seeds,
        "seed": 0,
        "parameters": {},
        "learned": [bool(u < learned) for u in rng.random(seeds)],
        "wrong_output_fraction": list(wrong + noise * 0.1 * rng.standard_normal(seeds)),
        "fast_to_slow_rms": list(fast_rms + noise * 0.01 * rng.standard_normal(seeds)),
        "old_error_after_training": list(0.05 + 0.01 * rng.standard_normal(seeds)),
        "fractions": {},
    }
    for i, key in enumerate(("0.1", "0.5")):
        gain_r = 0.1 + noise * rng.standard_normal(seeds)
        gain_u = transfer[i] * gain_r + noise * rng.standard_normal(seeds)
        before = 0.1 + noise * rng.standard_normal(seeds)
        after_retraining = before + 0.2 + noise * rng.standard_normal(seeds)
        after_decay = before + damage[i] * 0.2 + noise * rng.standard_normal(seeds)
        control_after = after_decay + control[i] + noise * rng.standard_normal(seeds)
        row["fractions"][key] = {
            "retrained_gain": list(gain_r),
            "unretrained_gain": list(gain_u),
            "retrained_gain_1": list(gain_r),
            "unretrained_gain_1": list(gain_u),
            "new_before": list(before),
            "new_after_retraining": list(after_retraining),
            "new_after_decay": list(after_decay),
            "control_new_after_decay": list(control_after),
        }
        if control_gains:
            slow = transfer[i] if slow_transfer is None else slow_transfer[i]
            c_gain_r = gain_r + 0.1 * noise * rng.standard_normal(seeds)
            c_gain_u = gain_u + (slow - transfer[i]) * gain_r
            c_gain_u = c_gain_u + 0.1 * noise * rng.standard_normal(seeds)
            for suffix in ("", "_1"):
                row["fractions"][key][f"control_retrained_gain{suffix}"] = list(c_gain_r)
                row["fractions"][key][f"control_unretrained_gain{suffix}"] = list(c_gain_u)
    return row


def rng(seed=0):
    return np.random.default_rng(seed)
