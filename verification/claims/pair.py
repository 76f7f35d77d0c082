"""Claims about one pair of associations A, B (Sec. 5, Eq. (1)-(3) and footnote 2).

=====================  ===================================================================
``eq1-factorization``  Eq. (1): cos θ = cos(a, b) · sign((a·g)(b·g)), trial by trial
``eq2-zero-one``       Eq. (2): <cos θ> = n_ab² / (n_a n_b), 0/1 inputs
``eq2-random-vectors`` Sec. 5.1: "the expected value of cos(θ) is 0.25" (random 0/1 vectors)
``eq3-signed``         Eq. (3): <cos θ> = (n_agree - n_disagree)² / (n_a n_b), {1, 0, -1}
``footnote-2``         a step ε∇E instead of a fixed-length step "will not affect the
                       expected ratio"
=====================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..engine.model import DECISION_LEVEL, AlternativeResult, Part, Simulated, value_part
from ..engine.provenance import EVIDENCE_OF_SIMULATOR, Provenance, digest, simulate_command
from ..engine.registry import ClaimSpec, Context, register

__all__: list[str] = []

UNIT_STEP = (
    "the ratio of expected improvements of B (retraining on A over retraining on B), "
    "fixed-length step along steepest descent"
)
GRADIENT_STEP = (
    "the ratio of expected improvements of B (retraining on A over retraining on B), "
    "step proportional to the gradient (Δw = -ε∇E)"
)
EXPECTED_COS = "E[cos θ] over the Gaussian weight noise"

#: Resolution (largest informative half-width) of every cosine / ratio in this module.
RESOLUTION = 0.01


def _rho(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = np.asarray(a, float), np.asarray(b, float)
    return float(va @ vb / np.sqrt((va @ va) * (vb @ vb)))


def _pair_simulation(
    ctx: Context, label: str, a: Sequence[int], b: Sequence[int]
) -> tuple[dict[str, Simulated], dict[str, Provenance]]:
    """The simulated quantities of one pair and, for each, its provenance (the
    ``fastweights simulate pair`` command that prints it)."""
    from simulation import simulate_pair

    trials = ctx.trials(full=200_000, quick=40_000)
    seed = ctx.seed_for(label)
    result = simulate_pair(a, b, trials=trials, seed=seed, level=DECISION_LEVEL)
    keys = ("expected_cos", "improvement_ratio_unit_step", "improvement_ratio_gradient_step")
    command = simulate_command(
        "pair", {"a": [int(x) for x in a], "b": [int(x) for x in b], "trials": trials, "seed": seed}
    )
    evidence = digest(result)
    provenance = {
        key: Provenance(command, f"{key}.estimate", evidence, EVIDENCE_OF_SIMULATOR) for key in keys
    }
    return {key: Simulated.from_estimate(getattr(result, key)) for key in keys}, provenance


def _vector_text(v: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(x)) for x in v) + ")"


def _cos_part(ctx: Context, label: str, a: Sequence[int], b: Sequence[int]) -> Part:
    """<cos θ> for given vectors: paper ρ², exact ρ(2/π)asin ρ, alternative: unit-step ratio."""
    from theory import expected_cos_theta, improvement_ratio_unit_step, paper_expected_cos

    rho = _rho(a, b)
    sims, provenance = _pair_simulation(ctx, label, a, b)
    alternative = AlternativeResult(
        UNIT_STEP, float(improvement_ratio_unit_step(a, b)), sims["improvement_ratio_unit_step"]
    )
    part = value_part(
        label,
        EXPECTED_COS,
        paper=float(paper_expected_cos(rho)),
        exact=float(expected_cos_theta(rho)),
        simulated=sims["expected_cos"],
        resolution=RESOLUTION,
        alternatives=[alternative],
        parameters={"a": list(a), "b": list(b), "rho": rho},
    )
    return replace(part, provenance=provenance["expected_cos"])


# ---------------------------------------------------------------- Eq. (1), trial by trial


def _eq1_parts(ctx: Context) -> list[Part]:
    import theory
    from simulation.linear import gradients_from_residuals, network_outputs  # public module
    from simulation.pair import pair_statistics

    factorized = theory.derivation("eq1-factorization")
    proof = factorized.step("difference").expr
    symbolically_equal = bool(proof == 0)
    trials = ctx.trials(full=100_000, quick=20_000)
    pairs = {
        "0/1 vectors": ((1, 1, 1, 0, 0, 1), (1, 0, 1, 1, 0, 0)),
        "{1,0,-1} vectors": ((1, -1, 1, 0, 1, -1), (1, 1, -1, 1, 0, -1)),
    }
    parts = []
    for label, (a, b) in pairs.items():
        rng = np.random.default_rng(ctx.seed_for(label))
        x = np.array([a, b], dtype=float)[None]  # (1, 2, n)
        n = x.shape[-1]
        teacher = rng.standard_normal((trials, 1, n))
        noise = rng.standard_normal((trials, 1, n))
        out = network_outputs(np.concatenate([teacher + noise, teacher], axis=1), x)
        residual = out[..., :1] - out[..., 1:]  # y - d = (a.g, b.g), measured: (T, 2, 1)
        grads = gradients_from_residuals(residual, x, np.eye(2, dtype=bool))
        measured_cos = pair_statistics(grads[:, 0], grads[:, 1])["cos"]
        rho = _rho(a, b)
        predicted = factorized.numeric(rho, residual[:, 0, 0], residual[:, 1, 0])
        violations = int(np.count_nonzero(np.abs(measured_cos - predicted) > 1e-9))
        parts.append(
            value_part(
                label,
                "fraction of trials in which |cos θ - cos(a, b) sign((a·g)(b·g))| > 1e-9",
                paper=0.0,
                exact=0.0,
                simulated=Simulated.from_count(violations, trials),
                resolution=1e-3,
                symbolically_equal=symbolically_equal,
                parameters={"a": list(a), "b": list(b), "rho": rho, "violations": violations},
            )
        )
    return parts


register(
    ClaimSpec(
        id="eq1-factorization",
        section="Sec. 5, Eq. (1)",
        statement=(
            "Hence, the cosine of the angle, θ, between the directions of steepest descent for "
            "the two associations is given by [...] = Σ a_i b_i / (Σ a_i² · Σ b_i²)^½ · "
            "Σ a_i g_i · Σ b_i g_i / |Σ a_i g_i · Σ b_i g_i|"
        ),
        quantity=(
            "the fraction of trials in which the measured cos θ between -∇E_A and -∇E_B differs "
            "from cos(a, b) · sign((a·g)(b·g)) by more than 1e-9 (0 if Eq. (1) holds)"
        ),
        derivations=("eq1-factorization",),
        setup=(
            "Per trial: a teacher network (one linear output unit, weights ~ N(0, 1)) defines "
            "the targets of A and B; independent N(0, 1) noise g is added to every weight; "
            "the residuals y - d of A and B are measured on the network, the two gradients "
            "are formed from them (simulation.linear) and cos θ between them is measured "
            "(simulation.pair.pair_statistics). The theory's Eq. (1) (numeric function of the "
            "derivation) is evaluated on the measured residuals. Interval: Clopper-Pearson (exact "
            "binomial)."
        ),
        evaluate=_eq1_parts,
        background=True,
    )
)

# ---------------------------------------------------------------- Eq. (2), Eq. (3)

_EQ2_A, _EQ2_B = (1, 1, 1, 1, 0, 0, 0, 0), (1, 1, 0, 0, 1, 1, 0, 0)


def _eq2_parts(ctx: Context) -> list[Part]:
    return [_cos_part(ctx, "n_ab = 2, n_a = n_b = 4 (ρ = 1/2)", _EQ2_A, _EQ2_B)]


register(
    ClaimSpec(
        id="eq2-zero-one",
        section="Sec. 5.1, Eq. (2)",
        statement=(
            "So the expected value of equation 1 can be written as n_ab σ² / <|Σ a_i g_i · "
            "Σ b_i g_i|> = n_ab σ² / (n_a^½ σ n_b^½ σ) [...] and so the expected value of "
            "cos(θ) is given by <cos(θ)> = n_ab² / (n_a n_b)   (2)"
        ),
        quantity=EXPECTED_COS + ", 0/1 input vectors a, b with the paper's typical counts "
        "n_ab = n/4, n_a = n_b = n/2 (n = 8)",
        derivations=("eq1-factorization", "expected-cos-exact", "improvement-ratios", "cos-gap"),
        setup=(
            f"a = {_vector_text(_EQ2_A)}, b = {_vector_text(_EQ2_B)}. Per trial: teacher "
            "weights ~ N(0, 1) (perfect learning), N(0, 1) noise on every weight; the gradients "
            "of E_A and E_B are measured on the network (simulation.pair.simulate_pair). "
            "E[cos θ]: mean of the measured cos θ (CLT interval). The alternative quantity: "
            "mean improvement of B for a fixed-length step on A over that for a step on B "
            "(ratio of means, delta-method interval), from the same trials."
        ),
        evaluate=_eq2_parts,
    )
)


def _eq2_random_parts(ctx: Context) -> list[Part]:
    from simulation import simulate_ensemble_cos
    from theory import ensemble_expected_cos, ensemble_expected_rho_squared

    trials = ctx.trials(full=100_000, quick=30_000)
    parts = []
    for n in (10,):
        label = f"n = {n}, q = 1/2, without replacement"
        result = simulate_ensemble_cos(
            "zero-one",
            n,
            q=0.5,
            without_replacement=True,
            trials=trials,
            seed=ctx.seed_for(label),
            level=DECISION_LEVEL,
        )
        parts.append(
            value_part(
                label,
                EXPECTED_COS + " and over random pairs of distinct nonzero 0/1 vectors",
                paper=0.25,
                exact=ensemble_expected_cos("zero-one", n, q=0.5, without_replacement=True),
                simulated=Simulated.from_estimate(result.expected_cos),
                resolution=RESOLUTION,
                parameters={
                    "n": n,
                    "q": 0.5,
                    "without_replacement": True,
                    "exact_mean_rho_squared": ensemble_expected_rho_squared(
                        "zero-one", n, q=0.5, without_replacement=True
                    ),
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="eq2-random-vectors",
        section="Sec. 5.1",
        statement=(
            "If each component of a and b has value 1 with probability 0.5 and value 0 "
            "otherwise, the expected value of cos(θ) is 0.25."
        ),
        quantity=EXPECTED_COS + " and over random pairs of 0/1 vectors with P(1) = 1/2, at the "
        "paper's n = 10 (distinct nonzero vectors, as the paper draws without replacement)",
        derivations=("expected-cos-exact",),
        setup=(
            "Per trial: a pair of distinct nonzero 10-bit vectors drawn uniformly (pairs with a "
            "zero vector redrawn), then measured as for a fixed pair "
            "(simulation.ensemble_cos.simulate_ensemble_cos). Exact value: "
            "theory.ensembles.ensemble_expected_cos (exact enumeration over the ensemble)."
        ),
        evaluate=_eq2_random_parts,
    )
)

_EQ3_A, _EQ3_B = (1, 1, 1, 1, -1, 0), (1, 1, 1, -1, -1, 1)


def _eq3_parts(ctx: Context) -> list[Part]:
    return [_cos_part(ctx, "n_agree = 4, n_disagree = 1, n_a = 5, n_b = 6", _EQ3_A, _EQ3_B)]


register(
    ClaimSpec(
        id="eq3-signed",
        section="Sec. 5.2, Eq. (3)",
        statement=(
            "When the components of the input vectors can also take on values of -1, a "
            "modification of the derivation used above leads to <cos(θ)> = (n_agree - "
            "n_disagree)² / (n_a n_b)   (3)"
        ),
        quantity=EXPECTED_COS + ", input vectors with components in {1, 0, -1}",
        derivations=("expected-cos-exact", "improvement-ratios"),
        setup=(
            f"a = {_vector_text(_EQ3_A)}, b = {_vector_text(_EQ3_B)} (n_a ≠ n_b). Measured as "
            "for eq2-zero-one (simulation.pair.simulate_pair)."
        ),
        evaluate=_eq3_parts,
    )
)

# ---------------------------------------------------------------- footnote 2

_FOOTNOTE_PAIRS = {
    "n_a = 4, n_b = 3": ((1, 1, 1, 1, 0, 0, 0, 0), (1, 1, 0, 0, 1, 0, 0, 0)),
    "n_a = n_b = 4": ((1, 1, 1, 1, 0, 0, 0, 0), (1, 1, 0, 0, 1, 1, 0, 0)),
}


def _footnote_parts(ctx: Context) -> list[Part]:
    from theory import improvement_ratio_gradient_step, improvement_ratio_unit_step

    parts = []
    for label, (a, b) in _FOOTNOTE_PAIRS.items():
        sims, provenance = _pair_simulation(ctx, label, a, b)
        unit = float(improvement_ratio_unit_step(a, b))
        gradient = float(improvement_ratio_gradient_step(a, b))
        parts.append(
            replace(
                value_part(
                    label,
                    GRADIENT_STEP,
                    paper=unit,
                    exact=gradient,
                    simulated=sims["improvement_ratio_gradient_step"],
                    resolution=RESOLUTION,
                    alternatives=[
                        AlternativeResult(UNIT_STEP, unit, sims["improvement_ratio_unit_step"])
                    ],
                    parameters={
                        "a": list(a),
                        "b": list(b),
                        "n_a": int(np.count_nonzero(a)),
                        "n_b": int(np.count_nonzero(b)),
                        "gradient_over_unit": gradient / unit,
                    },
                ),
                provenance=provenance["improvement_ratio_gradient_step"],
            )
        )
    return parts


register(
    ClaimSpec(
        id="footnote-2",
        section="Sec. 5, footnote 2",
        statement=(
            "If the retraining involves multiplying the gradient by a coefficient, ε, to "
            "determine the weight change, the actual ratio may differ because the magnitudes "
            "of the gradients may differ for A and B. But this will not affect the expected "
            "ratio, so the analysis we give for the expected transfer is still valid."
        ),
        quantity=GRADIENT_STEP + "; the footnote says it equals the fixed-length-step ratio",
        derivations=("improvement-ratios",),
        setup=(
            "Two pairs of 0/1 vectors, one with n_a ≠ n_b and one with n_a = n_b "
            + "; ".join(
                f"{label}: a = {_vector_text(a)}, b = {_vector_text(b)}"
                for label, (a, b) in _FOOTNOTE_PAIRS.items()
            )
            + ". Measured as for eq2-zero-one: both ratios of mean improvements of B from the "
            "same trials (simulation.pair.simulate_pair), delta-method intervals. The paper's "
            "value is the fixed-length-step ratio (what the footnote says the gradient step "
            "does not change); the per-trial ratio for the gradient step is Cauchy-tailed (its "
            "expectation does not exist), so the ratio of expected improvements is the only "
            "reading of 'the expected ratio' with a value."
        ),
        evaluate=_footnote_parts,
    )
)
