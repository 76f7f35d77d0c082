"""Sec. 6, "the analysis applies just as well if there are no fast weights": exact for the
linear network of Sec. 5 (sympy), and registered as a claim decided over the box."""

import numpy as np
import pytest

from verification.claims import sec6_slow
from verification.engine.paper import default_paper
from verification.engine.registry import claim_specs


@pytest.mark.parametrize(
    ("n_in", "n_out", "retrained", "unretrained"), [(2, 2, 2, 1), (3, 2, 1, 2)]
)
def test_the_linear_statement_is_exact(n_in, n_out, retrained, unretrained):
    """w = w_s + w_f: the same derivative for both, and the first-order improvement ratio
    of a step into the fast weights (with decay h) equals that of a step into the slow
    weights, whatever ε_f, ε_s and h: the difference simplifies to 0."""
    result = sec6_slow.linear_first_order_ratios(n_in, n_out, retrained, unretrained)
    assert result["derivatives_equal"]
    assert result["difference"] == 0
    free = {str(s) for s in result["ratio_fast"].free_symbols}
    assert not free & {"epsilon_f", "epsilon_s", "h"}, "the ratio does not depend on the step"


def test_the_linear_statement_numerically():
    """The same on numbers: a linear network, fast weights 0, one small step into either."""
    g = np.random.default_rng(0)
    w, x, t = g.normal(size=(4, 6)), g.normal(size=(6, 5)), g.normal(size=(4, 5))
    retrained = [0, 1]

    def errors(weights):
        return 0.5 * ((weights @ x - t) ** 2).sum(axis=0)

    grad = (w @ x[:, retrained] - t[:, retrained]) @ x[:, retrained].T
    ratios = []
    for step in (1e-6 * 0.02 * (1 - 0.01), 1e-6 * 0.2):  # fast (ε_f, decay h), slow
        gain = errors(w) - errors(w - step * grad)
        ratios.append(gain[2:].sum() / gain[retrained].sum())
    assert ratios[0] == pytest.approx(ratios[1], rel=1e-5)


def test_the_claim_is_registered_in_the_papers_order_and_decided_over_the_box():
    specs = {s.id: s for s in claim_specs()}
    spec = specs[sec6_slow.CLAIM_ID]
    order = list(default_paper().claim_order)
    assert order.index("deblur-control") < order.index(sec6_slow.CLAIM_ID)
    assert spec.needs == ("deblur-runs", "readings-evidence") and spec.decide is not None
    assert "just as well" in spec.statement and f"±{sec6_slow.BAND:g}" in spec.quantity
    assert "Sec. 6" in spec.section
