"""Claims about many random associations (Sec. 5.1-5.2): the .943, 4p²n, 1/n, dimension.

==========================  ================================================================
``ratio-943``               retraining 50 of 100: unretrained/retrained = .943, at n = 10
``ratio-943-limit``         the same as n -> infinity (K, M fixed): the paper's c = .25 value
``numerator-4p2n``          E[(n_agree - n_disagree)²] = 4p²n (the random-walk numerator)
``inverse-n``               for {1, 0, -1} inputs the expected transfer goes as 1/n
``dimension-independence``  K ∝ n, M = fK: the ratio does not depend on n
``zero-one-independence``   Sec. 4.1: for 0/1 inputs the transfer from one retrained to one
                            unretrained association does not depend on n
==========================  ================================================================
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from ..engine.model import DECISION_LEVEL, Part, Simulated, value_part
from ..engine.registry import ClaimSpec, Context, register

__all__: list[str] = []

RATIO = (
    "ratio of the expected first-step improvements (step -> 0) of an unretrained and a "
    "retrained association, retraining M of K associations by full-batch gradient descent "
    "after Gaussian noise on the weights"
)

#: Resolution (largest informative half-width) of an improvement ratio.
RATIO_RESOLUTION = 0.01


def _simulated_ratio(ctx: Context, label: str, trials: int, **parameters: Any) -> Simulated:
    from simulation import simulate_retrain

    result = simulate_retrain(
        trials=trials, seed=ctx.seed_for(label), level=DECISION_LEVEL, **parameters
    )
    return Simulated.from_estimate(result.improvement_ratio)


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    return bool(sp.simplify(sp.nsimplify(a) - sp.nsimplify(b)) == 0)


# ---------------------------------------------------------------- the .943

_PAPER_RETRAIN = {"associations": 100, "retrained": 50}


def _ratio_943_parts(ctx: Context) -> list[Part]:
    from theory import retrain_ratio_exact

    label = "n = 10, K = 100, M = 50, q = 1/2, without replacement"
    setting = dict(inputs="zero-one", n=10, q=0.5, without_replacement=True, **_PAPER_RETRAIN)
    exact = retrain_ratio_exact(**setting)  # type: ignore[arg-type]
    simulated = _simulated_ratio(ctx, label, ctx.trials(full=60_000, quick=30_000), **setting)
    return [
        value_part(
            label,
            RATIO,
            paper=float(exact["paper_improvement_ratio"]),
            exact=float(exact["improvement_ratio"]),
            simulated=simulated,
            resolution=RATIO_RESOLUTION,
            symbolically_equal=_equal(exact["paper_improvement_ratio"], exact["improvement_ratio"]),
            parameters={
                **setting,
                "c_exact": str(exact["c"]),
                "c_paper": str(exact["c_paper"]),
                "exact_ratio": str(exact["improvement_ratio"]),
                "paper_ratio": str(exact["paper_improvement_ratio"]),
            },
        )
    ]


_STATEMENT_943 = (
    "So if we add random noise to the weights of a simple network that has learned 100 "
    "associations and then we retrain on 50 of them using very small weight changes, the "
    "ratio of the expected improvements on an unretrained and a retrained association at the "
    "start of the retraining will be 50 × .25 / (1 + 49 × .25) = .943"
)
_SETUP_943 = (
    "Per trial: K = 100 input vectors drawn from the ensemble, targets from a teacher network "
    "with N(0, 1) weights (perfect original learning), N(0, 1) noise on every weight, then the "
    "first-order improvement rate of every association for a gradient step on the first M = 50 "
    "(a random subset) is measured on the network (simulation.retrain.simulate_retrain). "
    "Ratio of the mean unretrained rate to the mean retrained rate over trials, delta-method "
    "interval. The paper's value uses c = .25 (q² at q = 1/2, the n -> infinity value of "
    "c = C/D); the exact value uses c at the given n (theory.retraining)."
)

register(
    ClaimSpec(
        id="ratio-943",
        section="Sec. 5.1 (the .943), at the paper's n = 10",
        statement=_STATEMENT_943,
        quantity=RATIO + "; 0/1 inputs with P(1) = 1/2, n = 10, K = 100 distinct vectors, M = 50",
        derivations=("ratio-943", "ensemble-moments-zero-one"),
        setup=_SETUP_943 + " Here n = 10 and the 100 vectors are distinct (as in Sec. 4).",
        evaluate=_ratio_943_parts,
    )
)

#: Dimension at which the n -> infinity claims are simulated.
LIMIT_N = 200


def _ratio_943_limit_parts(ctx: Context) -> list[Part]:
    from theory import retrain_ratio_exact

    label = f"n -> infinity (simulated at n = {LIMIT_N}), K = 100, M = 50, q = 1/2"
    setting = dict(inputs="zero-one", n=LIMIT_N, q=0.5, **_PAPER_RETRAIN)
    exact = retrain_ratio_exact(**setting)  # type: ignore[arg-type]
    simulated = _simulated_ratio(ctx, label, ctx.trials(full=9_000, quick=6_000), **setting)
    return [
        value_part(
            label,
            RATIO,
            paper=float(exact["paper_improvement_ratio"]),
            exact=float(exact["limit_improvement_ratio"]),
            simulated=simulated,
            resolution=RATIO_RESOLUTION,
            symbolically_equal=_equal(
                exact["paper_improvement_ratio"], exact["limit_improvement_ratio"]
            ),
            exact_simulated=float(exact["improvement_ratio"]),
            parameters={**setting, "limit_ratio": str(exact["limit_improvement_ratio"])},
        )
    ]


register(
    ClaimSpec(
        id="ratio-943-limit",
        section="Sec. 5.1 (the .943), n -> infinity",
        statement=_STATEMENT_943,
        quantity=RATIO + "; 0/1 inputs with P(1) = 1/2, K = 100, M = 50, in the limit n -> "
        "infinity",
        derivations=("ratio-943", "ensemble-moments-zero-one"),
        setup=_SETUP_943
        + f" The limit is simulated at n = {LIMIT_N} (vectors drawn with replacement), where "
        "the exact ratio is within the resolution of its limit; the check of theory against "
        "simulation uses the exact value at that n.",
        evaluate=_ratio_943_limit_parts,
    )
)

# ---------------------------------------------------------------- the random-walk numerator

_NUMERATOR_SETTINGS = ((10, 1 / 3), (20, 1 / 4))


def _numerator_parts(ctx: Context) -> list[Part]:
    from simulation import simulate_retrain
    from theory import ensemble_moments, random_walk_moments

    parts = []
    for n, p in _NUMERATOR_SETTINGS:
        label = f"n = {n}, p = {sp.nsimplify(p)}"
        trials = ctx.trials(full=400_000, quick=150_000)
        result = simulate_retrain(
            "signed",
            n,
            associations=2,
            retrained=1,
            p=p,
            trials=trials,
            seed=ctx.seed_for(label),
            level=DECISION_LEVEL,
        )
        paper = 4 * p * p * n
        # C = E[(x.y)^2] over the ensemble (theory.ensembles, derivation numerator-4p2n)
        exact = float(ensemble_moments("signed", n, p=sp.nsimplify(p))["C"])
        parts.append(
            value_part(
                label,
                "E[(n_agree - n_disagree)²] = E[(a·b)²] for two random {1, 0, -1} vectors",
                paper=paper,
                exact=exact,
                simulated=Simulated.from_estimate(result.mean_improvement_unretrained),
                resolution=0.05 * paper,
                parameters={
                    "n": n,
                    "p": p,
                    "square_of_expected_length": random_walk_moments(n, p)[
                        "square_of_expected_length"
                    ],
                },
            )
        )
    return parts


register(
    ClaimSpec(
        id="numerator-4p2n",
        section="Sec. 5.2",
        statement=(
            "For a pair of random vectors in which each component has a probability, p, of "
            "being a 1 and the same probability of being a -1, the expected value of the "
            "numerator of equation 3 is just the square of the expected length of a random "
            "walk [...]. The expected value of the numerator is therefore 4p²n."
        ),
        quantity=(
            "E[(n_agree - n_disagree)²], the expected numerator of Eq. (3) (the paper's words, "
            "'the square of the expected length', would be (E|S|)², which is about 2/π of it; "
            "its exact value is in each part's parameters)"
        ),
        derivations=("numerator-4p2n",),
        setup=(
            "Measured through the network: with K = 2 random {1, 0, -1} associations (drawn with "
            "replacement, zero vector included), N(0, 1) weight noise, and a gradient step on "
            "association 1, the first-order improvement rate of association 2 is "
            "(a·g)(b·g)(a·b), whose mean over noise and pairs is E[(a·b)²] at σ = 1 "
            "(simulation.retrain.simulate_retrain, mean_improvement_unretrained; CLT interval). "
            "Resolution: 5% of the value."
        ),
        evaluate=_numerator_parts,
    )
)

# ---------------------------------------------------------------- the 1/n law

_INVERSE_N = (10, 40)
_INVERSE_P = 1 / 3


def _inverse_n_parts(ctx: Context) -> list[Part]:
    import theory
    from simulation import simulate_ensemble_cos
    from theory import ensemble_expected_cos

    limit = theory.derivation("inverse-n").step("cos-limit").expr.rhs  # lim n E[cos θ]
    if not (limit.is_finite and limit.is_positive):
        raise RuntimeError(f"inverse-n: expected a finite positive limit of n E[cos θ], {limit}")
    exponent_limit = -1.0  # n E[cos θ] -> a finite positive constant: E[cos θ] ∝ n^-1
    n1, n2 = _INVERSE_N
    trials = {n1: ctx.trials(full=40_000, quick=15_000), n2: ctx.trials(full=120_000, quick=40_000)}
    estimates = {}
    for n in _INVERSE_N:
        result = simulate_ensemble_cos(
            "signed",
            n,
            p=_INVERSE_P,
            trials=trials[n],
            seed=ctx.seed_for(f"n = {n}"),
            level=DECISION_LEVEL,
        )
        estimates[n] = Simulated.from_estimate(result.expected_cos)
    exact = {n: ensemble_expected_cos("signed", n, p=_INVERSE_P) for n in _INVERSE_N}
    slope = _log_slope(estimates[n1], estimates[n2], n1, n2)
    finite_slope = math.log(exact[n2] / exact[n1]) / math.log(n2 / n1)
    return [
        value_part(
            f"n -> infinity (simulated between n = {n1} and n = {n2}), p = 1/3",
            "exponent β of E[cos θ] ∝ n^β for random {1, 0, -1} vectors (log-log slope)",
            paper=-1.0,
            exact=exponent_limit,
            simulated=slope,
            resolution=0.2,
            symbolically_equal=True,
            exact_simulated=finite_slope,
            parameters={
                "n": list(_INVERSE_N),
                "p": _INVERSE_P,
                "exact_expected_cos": [exact[n] for n in _INVERSE_N],
                "simulated_expected_cos": [estimates[n].as_dict() for n in _INVERSE_N],
                "limit_n_expected_cos": str(limit),
                "paper_n_expected_cos": 1.0,
            },
        )
    ]


def _log_slope(first: Simulated, second: Simulated, n1: int, n2: int) -> Simulated:
    """``log(E2/E1)/log(n2/n1)`` of two independent estimates (delta-method interval: the
    relative standard errors they carry add in quadrature)."""
    if first.estimate <= 0 or second.estimate <= 0:
        raise RuntimeError("inverse-n: a simulated E[cos θ] is not positive; add trials")
    if first.se is None or second.se is None:
        raise RuntimeError("inverse-n: expected estimates with a standard error")
    span = math.log(n2 / n1)
    estimate = math.log(second.estimate / first.estimate) / span
    se = math.hypot(first.se / first.estimate, second.se / second.estimate) / span
    return Simulated.from_standard_error(estimate, se, first.trials + second.trials)


register(
    ClaimSpec(
        id="inverse-n",
        section="Sec. 5.2",
        statement=(
            "Since the denominator has an expected value of order n², the expected transfer "
            "effect is inversely proportional to n."
        ),
        quantity=(
            "the exponent β in E[cos θ] ∝ n^β, n -> infinity, for random {1, 0, -1} vectors "
            "(P(1) = P(-1) = 1/3); the paper says β = -1"
        ),
        derivations=("inverse-n",),
        setup=(
            f"E[cos θ] is measured at n = {_INVERSE_N[0]} and n = {_INVERSE_N[1]} on random "
            "pairs of nonzero vectors (simulation.ensemble_cos.simulate_ensemble_cos) and the "
            "log-log slope between them formed, with a delta-method interval (independent "
            "runs). The exact β = -1 follows from the theory's limit n E[cos θ] -> 2/π (finite "
            "and nonzero); the exact finite-n slope between the two n (from "
            "theory.ensembles.ensemble_expected_cos) is what the interval is checked against. "
            "Resolution 0.2: enough to tell β = -1 from -1/2 or 0 (the 0/1 case). The constant "
            "differs: n E[cos θ] -> 2/π, while the paper's ratio of expectations gives 1 "
            "(= n E[ρ²] exactly, the ensemble mean of Eq. (3))."
        ),
        evaluate=_inverse_n_parts,
    )
)

# ---------------------------------------------------------------- dimension independence

#: (p, n, is-limit) settings; K = n associations, M = K / 2 retrained (kappa = 1, f = 1/2).
_DIMENSION_SETTINGS = (
    (1 / 3, 10, False),
    (1 / 4, 20, False),
    (1 / 4, 100, False),
    (1 / 3, 100, True),
)


def _dimension_parts(ctx: Context) -> list[Part]:
    from theory import dimension_independence

    parts = []
    for p, n, is_limit in _DIMENSION_SETTINGS:
        p_text = sp.nsimplify(p)
        label = (
            f"p = {p_text}, n -> infinity (simulated at n = {n})"
            if is_limit
            else f"p = {p_text}, n = {n}"
        )
        exact = dimension_independence(n, p, 1.0, 0.5)
        trials = (
            ctx.trials(full=100_000, quick=60_000)
            if n <= 20
            else ctx.trials(full=2_400, quick=1_600)
        )
        simulated = _simulated_ratio(
            ctx,
            label,
            trials,
            inputs="signed",
            n=n,
            associations=n,
            retrained=n // 2,
            p=p,
        )
        common = {
            "label": label,
            "quantity": RATIO + f"; K = n = {n}, M = K/2",
            "paper": exact["limit_improvement_ratio"],
            "simulated": simulated,
            "resolution": RATIO_RESOLUTION,
            "parameters": {
                "p": p,
                "n": n,
                "associations": n,
                "retrained": n // 2,
                "paper_formula_at_n": exact["paper_improvement_ratio"],
            },
        }
        if is_limit:
            parts.append(
                value_part(
                    **common,  # type: ignore[arg-type]
                    exact=exact["limit_improvement_ratio"],
                    exact_simulated=exact["improvement_ratio"],
                )
            )
        else:
            parts.append(value_part(**common, exact=exact["improvement_ratio"]))  # type: ignore[arg-type]
    return parts


register(
    ClaimSpec(
        id="dimension-independence",
        section="Sec. 5.2",
        statement=(
            "If the number of associations learned is proportional to the dimensionality of the "
            "input vectors, and if a constant fraction of the associations are retrained after "
            "adding noise to the weights, the ratio of the initial improvement on the "
            "unretrained associations to the improvement on the retrained associations is "
            "independent of the dimensionality."
        ),
        quantity=(
            RATIO + ", random {1, 0, -1} inputs, K = n associations, M = K/2; the claim: the "
            "same value at every n, namely the n -> infinity value f κ/(1 + f κ) = 1/3 of the "
            "paper's formula (c = 1/n)"
        ),
        derivations=("dimension-independence", "ensemble-moments-signed", "ratio-943"),
        setup=(
            "As for ratio-943 (simulation.retrain.simulate_retrain), with signed inputs drawn with "
            "replacement. Parts: p = 1/3 at n = 10; p = 1/4 (where the exact ratio is exactly "
            "1/3 at every n) at n = 20 and 100; p = 1/3 in the limit (simulated at n = 100, "
            "checked against the exact value at n = 100)."
        ),
        evaluate=_dimension_parts,
    )
)


# ---------------------------------------------------------------- 0/1 inputs: no 1/n law

_ZERO_ONE_N = 10


def _zero_one_parts(ctx: Context) -> list[Part]:
    from theory import retrain_ratio_exact

    parts = []
    for n, is_limit in ((_ZERO_ONE_N, False), (LIMIT_N, True)):
        label = f"n -> infinity (simulated at n = {n})" if is_limit else f"n = {n}"
        setting = dict(inputs="zero-one", n=n, associations=2, retrained=1, q=0.5)
        exact = retrain_ratio_exact(**setting)  # type: ignore[arg-type]
        trials = (
            ctx.trials(full=200_000, quick=60_000)
            if n <= 20
            else ctx.trials(full=60_000, quick=30_000)
        )
        simulated = _simulated_ratio(ctx, label, trials, **setting)
        common = {
            "label": label,
            "quantity": "transfer c = C/D from one retrained to one unretrained association "
            "(ratio of expected first-step improvements, K = 2, M = 1), 0/1 inputs, q = 1/2",
            "paper": float(exact["paper_improvement_ratio"]),
            "simulated": simulated,
            "resolution": RATIO_RESOLUTION,
            "parameters": {**setting, "exact_c": str(exact["c"])},
        }
        if is_limit:
            parts.append(
                value_part(
                    **common,  # type: ignore[arg-type]
                    exact=float(exact["limit_improvement_ratio"]),
                    exact_simulated=float(exact["improvement_ratio"]),
                    symbolically_equal=_equal(
                        exact["paper_improvement_ratio"], exact["limit_improvement_ratio"]
                    ),
                )
            )
        else:
            parts.append(
                value_part(
                    **common,  # type: ignore[arg-type]
                    exact=float(exact["improvement_ratio"]),
                    symbolically_equal=_equal(
                        exact["paper_improvement_ratio"], exact["improvement_ratio"]
                    ),
                )
            )
    return parts


register(
    ClaimSpec(
        id="zero-one-independence",
        section="Sec. 4.1 (shown in Sec. 5.1)",
        statement=(
            "If, however, the activity levels of the input units range between 0 and 1 (as in "
            "the simulation described above) random high-dimensional vectors are not close to "
            "orthogonal and we show in the next section that the expected transfer from one "
            "retrained [association] to one unretrained one is independent of the "
            "dimensionality of the vectors."
        ),
        quantity=(
            "the transfer from one retrained to one unretrained association, c = C/D (the "
            "ratio of their expected first-step improvements), random 0/1 vectors with "
            "P(1) = 1/2; the paper's value .25 at every n"
        ),
        derivations=("ensemble-moments-zero-one", "ratio-943"),
        setup=(
            "As for ratio-943 (simulation.retrain.simulate_retrain) with K = 2 associations "
            "and M = 1 retrained, vectors drawn with replacement; at the paper's n = 10, and "
            f"in the limit (simulated at n = {LIMIT_N}, checked against the exact value there). "
            "The exact c = (n + 3)/(4(n + 1)) depends on n and tends to the paper's .25."
        ),
        evaluate=_zero_one_parts,
    )
)
