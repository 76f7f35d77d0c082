"""Sec. 6: the transfer effect without fast weights, the relearning in the slow weights.

"The analysis applies just as well if there are no fast weights and the relearning takes
place in the slow weights." (Hinton & Plaut 1987, Sec. 6.)

``sec6-slow-relearning`` measures it on Sec. 4's network with the control the toolkit
already runs (``simulation.run_deblur_conditions``: from the *same* blurred network per
seed, the retraining goes once into fast weights and once into the slow weights): the
transfer ratio (the unretrained old associations' mean improvement over the retrained
ones') with the relearning in the slow weights minus that with fast weights, paired seed by
seed, at 10% and 50% retrained, after the first and after the fifth sweep
(:func:`verification.readings.measure.slow_minus_fast`). It is decided over the box of
readings like the Sec. 4 claims (:func:`verification.claims.deblur.decide_over_readings`);
a stored search whose rows lack the control's improvements leaves it ``inconclusive``
("not in this evidence"), never passed.

**"Just as well", as a number**: the difference lies within ±:data:`BAND` (0.05), both
sides claimed (a transfer much stronger without fast weights would also mean the analysis
does not apply alike). Why 0.05: Sec. 4 calls a shortfall up to 0.2 of the retrained
improvement "very nearly as good" (the toolkit's 0.8); "just as well" has no "nearly", so
its tolerance must be well inside that: a quarter of it, 5% of the retrained improvement.
And it is decidable: the paired 99.9% interval's half-width at the defaults with the
``slow`` control rule is 0.01-0.07 on 10 seeds, and about a third of that on the
defaults' 200 seeds, so readings whose difference is near 0 are decided on the re-runs'
40 seeds; a band of 0.02 would leave most of them undecided.

**The linear network of Sec. 5** is exact (:func:`linear_first_order_ratios`): its error
depends on the slow and fast weights only through their sum w = w_s + w_f, so the
derivative with respect to either is the same dE/dw; a retraining step -ε g into the fast
weights (with decay h: -ε(1 - h) g) or -ε' g into the slow weights moves w along the same
direction g, and the first-order improvement ratio Σ_u ∇E_u·g / Σ_r ∇E_r·g does not
depend on the step's size: the same, identically, whichever weights learn.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..engine.model import Part, Simulated, sensitive_threshold_part
from ..engine.registry import ClaimSpec, Context, register
from ..readings.measure import (
    FRACTIONS,
    PARTS,
    SEC6_CLAIM,
    SEC6_SWEEPS,
    THRESHOLDS,
    PartSpec,
    Sec4Samples,
    Undefined,
)
from .deblur import _SETUP as DEBLUR_SETUP
from .deblur import NEEDS, decide_over_readings, sensitivity_readings

if TYPE_CHECKING:
    from simulation.deblur_results import DeblurConditionsResult

__all__ = ["BAND", "CLAIM_ID", "linear_first_order_ratios", "slow_minus_fast_at"]

CLAIM_ID = SEC6_CLAIM
BAND = THRESHOLDS["slow_minus_fast"]
"""'Just as well': the transfer ratio without fast weights within ±BAND of that with them."""


def linear_first_order_ratios(
    n_in: int = 2, n_out: int = 2, retrained: int = 2, unretrained: int = 1
) -> dict[str, Any]:
    """Sec. 5's linear network, symbolically (sympy): slow weights S, fast weights F (every
    entry a symbol), associations (x_k, t_k) with symbolic entries, E_k = ½|(S + F) x_k -
    t_k|². Returns whether ∂E/∂S and ∂E/∂F of the retrained set's error are equal, the
    first-order improvement ratio (unretrained / retrained, the limit of the improvements'
    ratio as the step goes to 0) for a step -ε_f g into the fast weights (starting at 0)
    followed by their decay (1 - h), and for a step -ε_s g into the slow weights, and their
    difference, simplified (0: the same statement, exact)."""
    import sympy as sp

    S = sp.Matrix(n_out, n_in, lambda i, j: sp.Symbol(f"s{i}{j}"))
    F = sp.Matrix(n_out, n_in, lambda i, j: sp.Symbol(f"f{i}{j}"))
    k = retrained + unretrained
    xs = [sp.Matrix(n_in, 1, lambda i, _j, c=c: sp.Symbol(f"x{c}{i}")) for c in range(k)]
    ts = [sp.Matrix(n_out, 1, lambda i, _j, c=c: sp.Symbol(f"t{c}{i}")) for c in range(k)]

    def error(w: sp.Matrix, cases: range) -> sp.Expr:
        return sum(((w * xs[c] - ts[c]).T * (w * xs[c] - ts[c]))[0, 0] / 2 for c in cases)

    r_cases, u_cases = range(retrained), range(retrained, k)
    e_r = error(S + F, r_cases)
    d_slow = sp.Matrix(n_out, n_in, lambda i, j: sp.diff(e_r, S[i, j]))
    d_fast = sp.Matrix(n_out, n_in, lambda i, j: sp.diff(e_r, F[i, j]))
    eps_f, eps_s, h, step = sp.symbols("epsilon_f epsilon_s h tau", positive=True)
    # the retraining starts with the fast weights at 0 (exactly so when they learn only
    # while retraining; "very close to zero" after training, Sec. 4): one step into the
    # fast weights, then their decay, against one step into the slow weights
    at_zero = {f: 0 for f in F}
    w0 = S
    fast_step = (S + (F - step * eps_f * d_fast) * (1 - h)).subs(at_zero)
    slow_step = (S - step * eps_s * d_slow + F).subs(at_zero)

    def ratio(w1: sp.Matrix) -> sp.Expr:
        gain_u = sp.diff(error(w0, u_cases) - error(w1, u_cases), step).subs(step, 0)
        gain_r = sp.diff(error(w0, r_cases) - error(w1, r_cases), step).subs(step, 0)
        return sp.cancel(gain_u / gain_r)

    ratio_fast, ratio_slow = ratio(fast_step), ratio(slow_step)
    return {
        "derivatives_equal": sp.simplify(d_slow - d_fast) == sp.zeros(n_out, n_in),
        "ratio_fast": ratio_fast,
        "ratio_slow": ratio_slow,
        "difference": sp.simplify(ratio_fast - ratio_slow),
    }


def slow_minus_fast_at(run: DeblurConditionsResult, index: int) -> Simulated:
    """Part ``index`` of the claim (:data:`verification.readings.measure.PARTS`) measured
    on a ``run_deblur_conditions(..., per_seed=True)`` result; a quantity with no interval
    there raises RuntimeError with the reason (shown as the reading's note)."""
    spec = _specs()[index]
    value = spec.measure(Sec4Samples.from_run(run))
    if isinstance(value, Undefined):
        raise RuntimeError(f"deblur: {value.note}")
    return value


def _specs() -> list[PartSpec]:
    return [p for p in PARTS if p.claim == CLAIM_ID]


def _parts(ctx: Context) -> list[Part]:
    runs = ctx.input("deblur-runs")
    parts = []
    for index, spec in enumerate(_specs()):
        fraction = FRACTIONS[index // (2 * len(SEC6_SWEEPS))]
        sweep = SEC6_SWEEPS[(index // 2) % len(SEC6_SWEEPS)]
        parts.append(
            sensitive_threshold_part(
                spec.label,
                "transfer ratio (unretrained / retrained mean improvement after "
                f"{sweep} sweep{'s' if sweep > 1 else ''}) with the retraining in the slow "
                "weights minus that with fast weights, paired over the same seeds",
                sensitivity_readings(runs, partial(slow_minus_fast_at, index=index)),
                threshold=spec.threshold,
                above=spec.above,
                parameters={"retrain_fraction": fraction, "sweep": sweep, "band": BAND},
            )
        )
    return parts


_LINEAR = (
    " For the linear network of Sec. 5 the statement is exact: its error depends on the "
    "weights only through w = w_s + w_f, so both receive the same derivative, a step into "
    "either moves w along the same direction, and the first-order improvement ratio does not "
    "depend on the step's size (verification.claims.sec6_slow.linear_first_order_ratios, "
    "sympy: the difference simplifies to 0; tested)."
)

register(
    ClaimSpec(
        id=CLAIM_ID,
        section="Sec. 6 (on Sec. 4-5)",
        statement=(
            "The analysis applies just as well if there are no fast weights and the "
            "relearning takes place in the slow weights."
        ),
        quantity=(
            "the transfer ratio (mean improvement of the unretrained old associations / that "
            "of the retrained ones) with the retraining in the slow weights (the control) "
            "minus that with fast weights, paired seed by seed, at 10% and 50% retrained, "
            "after sweeps 1 and 5; 'just as well' is read as a difference within "
            f"±{BAND:g} (each side a part): Sec. 4's 'very nearly as good' allows a shortfall "
            "of 0.2 of the retrained improvement, 'just as well' has no 'nearly', so a "
            "quarter of that; the paired 99.9% intervals (0.01-0.07 wide on 10 seeds) decide "
            "it"
        ),
        derivations=(),
        setup=DEBLUR_SETUP
        + " The control starts from the same blurred network per seed; at the box's 'matched' "
        "control rule the slow weights take the steps the fast and slow weights would have "
        "taken together, at 'slow' the slow weights' ε and α alone. Paired delta-method t "
        "interval of the difference of two ratios of means." + _LINEAR,
        evaluate=_parts,
        needs=NEEDS,
        decide=decide_over_readings,
    )
)
