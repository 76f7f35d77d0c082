"""The report's words and numbers (issue 13): one number format, the paper's notation, the
summary's quantity column, the dependence marker and the abstract built from the verdicts."""

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from verification.engine.model import Claim, Simulated, threshold_part, value_part
from verification.engine.paper import default_paper
from verification.report.assumptions import assumptions
from verification.report.notation import mathtext, parameter_text, prose_math
from verification.report.numbers import (
    format_interval,
    format_percent_interval,
    format_value,
    tidy_numbers,
)
from verification.report.text import (
    DEPENDENCE_MARK,
    SUMMARY_HEADER,
    abstract,
    dependence,
    quantity_name,
    summary_rows,
)

QUANTITY_NAMES = default_paper().quantity_names

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_FROM_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def _decimals(text: str) -> set[int]:
    return {len(n.split(".")[1]) if "." in n else 0 for n in _NUMBER.findall(text)}


# ---------------------------------------------------------------- numbers


def test_lone_values_have_four_significant_digits_and_no_e_notation():
    assert format_value(1 / 6) == "0.1667"
    assert format_value(0.25) == "0.25"
    assert format_value(-1.0) == "-1"
    assert format_value(0.0) == "0"
    assert format_value(0.9433962264) == "0.9434"
    assert format_value(2.50062e-06) == "2.501×10⁻⁶"
    assert format_value(None) == "—"


def test_an_interval_and_its_estimate_share_the_digits_its_width_supports():
    assert format_interval(0.1677, 0.15995, 0.17545) == "0.168 [0.160, 0.175]"
    assert format_interval(-1.0617, -1.1996, -0.9237) == "-1.06 [-1.20, -0.92]"
    assert format_interval(4.4534, 4.3026, 4.6042) == "4.45 [4.30, 4.60]"
    # the mixed formats: one notation per interval
    assert format_interval(0.0, 0.0, 7.601e-05) == "0.000000 [0.000000, 0.000076]"
    assert format_interval(None, 2.50062e-06, 0.0488841) == "[0.000, 0.049]"
    assert format_interval(1.808e-11, -2.846e-11, 6.456e-11) == "1.8 [-2.8, 6.5]×10⁻¹¹"


def test_bounded_quantities_get_bounded_intervals():
    assert format_interval(0.0753, -0.0982, 0.2469, bounds=(0.0, 1.0)) == "0.08 [0.00, 0.25]"
    assert format_interval(0.98, 0.95, 1.01, bounds=(0.0, 1.0)) == "0.980 [0.950, 1.000]"
    assert format_percent_interval(0.12, -0.01, 0.53) == "12% [0%, 53%]"


@given(
    st.floats(-1e3, 1e3, allow_nan=False),
    st.floats(1e-9, 1e3, allow_nan=False),
    st.floats(0.0, 1.0),
)
def test_every_interval_is_written_in_one_notation_with_one_number_of_decimals(
    centre, width, position
):
    low, high = centre - width * position, centre + width * (1 - position)
    text = format_interval(centre, low, high)
    assert "e" not in text.lower()
    assert len(_decimals(text.split("×")[0])) == 1
    mantissas, _, power = text.partition("×10")
    numbers = [float(n) for n in _NUMBER.findall(mantissas)]
    scale = 10.0 ** int(power.translate(_FROM_SUPERSCRIPT)) if power else 1.0
    # written to the width's second significant digit: within a twentieth of the width
    for shown, value in zip(numbers, (centre, low, high), strict=True):
        assert math.isclose(shown * scale, value, abs_tol=width / 19 + 1e-12)


def test_raw_numbers_in_verdict_reasons_are_tidied_and_short_ones_left_alone():
    reason = (
        "The simulation interval [0.159950, 0.175450] contains exact 0.166667, half-width "
        "0.000189886 <= resolution 0.001; n = 10, radius on [0.01, 100], interval "
        "[2.50062e-06, 0.0488841], threshold 0.8, sweep 5, eq2-zero-one, by -0.04545 "
        "(-15.385% of the exact value; +1.146%)"
    )
    tidy = tidy_numbers(reason)
    assert "[0.160, 0.175]" in tidy and "exact 0.1667" in tidy
    assert "half-width 1.899×10⁻⁴" in tidy and "[0.000, 0.049]" in tidy
    assert "(-15.38% of the exact value; +1.146%)" in tidy
    for kept in ("resolution 0.001", "n = 10", "[0.01, 100]", "threshold 0.8", "eq2-zero-one"):
        assert kept in tidy
    assert not re.search(r"\de-\d", tidy)
    assert all(len(n.lstrip("-").replace(".", "").lstrip("0")) <= 4 for n in _NUMBER.findall(tidy))
    # an estimate with its interval, whatever the digits it came with: one format
    mixed = (
        "fast weights near zero 0.00169 [0.000909, 0.00248] (< 0.01); 4.36e-04 [0.000199, 6.73e-04]"
    )
    assert tidy_numbers(mixed) == (
        "fast weights near zero 0.0017 [0.0009, 0.0025] (< 0.01); 0.00044 [0.00020, 0.00067]"
    )


# ---------------------------------------------------------------- notation


def test_parameters_are_named_by_the_papers_symbols():
    text = parameter_text("fast_epsilon = 0.005, init_scale = 1; fast_momentum=0.9")
    assert text == "ε_f = 0.005, initial ±r = 1; α_f=0.9"
    assert mathtext("ε_f = 0.005") == r"$\epsilon_{f}$ = 0.005"
    assert mathtext("⟨E_k(t)⟩") == "⟨$E_{k}$(t)⟩"


def test_step_notes_use_the_symbols_of_the_mathml_beside_them():
    note = "E[cos theta] minus rho^2; grad E_A = X a; v_{t+1} = alpha v_t - eps S e_t, x -> oo"
    html = prose_math(note)
    assert "θ" in html and "ρ<sup>2</sup>" in html and "∇E<sub>A</sub>" in html
    assert "v<sub>t+1</sub>" in html and "→ ∞" in html
    assert not re.search(r"\b(theta|rho|alpha|eps)\b|\^|->", html)
    assert prose_math("(x.y)^2 and n_ab", markup=False) == "(x·y)² and n_ab"
    assert prose_math("a < b > c") == "a &lt; b &gt; c"  # escaped, not a bracket pair


# ---------------------------------------------------------------- summary and abstract


def _sim(estimate, half=0.01):
    return Simulated(estimate, estimate - half, estimate + half, 0.999, estimate - half / 2,
                     estimate + half / 2, 1000)  # fmt: skip


def _claims():
    exact = value_part("n = 8", "E[cos θ]", 1 / 6, 1 / 6, _sim(0.1667, 0.005), 0.01)
    approx = value_part("n = 10", "ratio", 0.943, 0.954, _sim(0.954, 0.004), 0.01)
    measured = threshold_part("10% retrained", "ratio", _sim(0.48, 0.06), 0.8, above=True)
    claims = [
        Claim.from_parts("eq2-random-vectors", "Sec. 5.1", "s", "E[cos θ]", (), "", [exact]),
        Claim.from_parts("ratio-943", "Sec. 5.1", "s", "ratio", (), "", [approx]),
        Claim.from_parts("eq2-zero-one", "Sec. 5.1, Eq. (2)", "s", "q", (), "", [exact]),
    ]
    sec4 = Claim.from_parts("deblur-transfer", "Sec. 4", "s", "q", (), "", [measured])
    boxed = Claim(**{**sec4.__dict__, "readings": {"holds_at_defaults": "refuted"}})
    control = Claim(
        **{
            **sec4.__dict__,
            "id": "deblur-control",
            "readings": {"holds_at_defaults": "reproduced"},
        }
    )
    return [*claims, boxed, control]


def test_the_summary_says_what_each_number_is_and_marks_assumption_dependent_verdicts():
    rows = summary_rows(_claims(), assumptions())
    assert SUMMARY_HEADER[1] == "quantity"
    by_id = {row[0]: row for row in rows}
    assert by_id["deblur-transfer"][1] == QUANTITY_NAMES["deblur-transfer"]
    assert by_id["deblur-transfer"][2] == "> 0.8"
    # verdict over the box equals the one at the defaults: no mark
    assert not by_id["deblur-transfer"][5].endswith(DEPENDENCE_MARK)
    # refuted over the box but reproduced at the defaults: marked
    assert by_id["deblur-control"][5].endswith(DEPENDENCE_MARK)
    # a linear claim resting on a documented reading of the paper's words: marked
    assert by_id["eq2-zero-one"][5].endswith(DEPENDENCE_MARK)
    assert not by_id["ratio-943"][5].endswith(DEPENDENCE_MARK)
    assert "reading" in dependence(_claims()[-1], assumptions())


def test_every_registered_claim_has_a_short_quantity_name():
    from verification.engine.registry import claim_specs

    for spec in claim_specs():
        assert spec.id in QUANTITY_NAMES, f"add {spec.id} to QUANTITY_NAMES"
    assert all(len(name) <= 70 for name in QUANTITY_NAMES.values())
    unnamed = Claim(**{**_claims()[0].__dict__, "id": "new", "quantity": "the quantity; more"})
    assert quantity_name(unnamed) == "the quantity"


def test_the_abstract_is_generated_from_the_verdicts():
    claims = _claims()
    text = abstract(claims, assumptions())
    assert text.startswith("5 claims checked.")
    assert "2 are exact" in text and "1 is an approximation" in text
    assert "`ratio-943`" in text and "approximation (off by 1.2%)" in text
    assert "Deblurring (Sec. 4), over the box of readings, 2:" in text
    assert "`deblur-transfer`" in text and f"{DEPENDENCE_MARK}: 2 verdicts depend" in text
    flipped = [claims[0], Claim(**{**claims[1].__dict__, "outcome": claims[3].outcome})]
    assert "is refuted" in abstract(flipped)


def test_intervals_of_bounded_quantities_stay_in_their_range():
    from verification.report.text import part_bounds, part_text

    def part(quantity, estimate, half):
        return threshold_part("p", quantity, _sim(estimate, half), 0.01, above=False)

    rms = part("RMS fast weight / RMS slow weight after the 1300 sweeps", 0.0015, 0.0018)
    assert part_bounds(rms) == (0.0, math.inf)
    assert part_text(rms) == "0.0015 [0.0000, 0.0033]"
    assert part_bounds(part("fraction of seeds whose network ...", 0.1, 0.1)) == (0.0, 1.0)
    assert part_bounds(part("P(positive transfer): the probability ...", 0.5, 0.1)) == (0, 1)
    assert part_bounds(part("E[cos θ] over the Gaussian weight noise", 0.2, 0.1)) == (-1, 1)
    # a difference of probabilities, or a ratio that may leave [0, 1]: unbounded
    assert part_bounds(part("P(positive transfer) at λ = 0.5 minus at λ = 1", 0.0, 0.1)) is None
    remains = part("fraction of the retraining's increase ... that remains", 0.9, 0.2)
    assert part_bounds(remains) is None and part_text(remains) == "0.90 [0.70, 1.10]"


def test_step_notes_with_inverses_pseudo_inverses_and_limits():
    assert prose_math("e_oo = B^T N^-1 d; (B^T B)^+") == (
        "e<sub>∞</sub> = B<sup>T</sup> N<sup>-1</sup> d; (B<sup>T</sup> B)<sup>+</sup>"
    )
    assert prose_math("e_oo = B^T N^-1 d; (B^T B)^+", markup=False) == "e_∞ = Bᵀ N⁻¹ d; (Bᵀ B)⁺"


def test_the_summary_names_where_each_claim_is_without_glosses():
    from verification.report.html import _short_section

    assert _short_section("Sec. 5, Eq. (1)") == "Sec. 5, Eq. (1)"  # the equation stays
    assert _short_section("Sec. 5.1 (the .943), at the paper's n = 10") == "Sec. 5.1"
    assert _short_section("Sec. 5.1 (the .943), n -> infinity") == "Sec. 5.1, n → ∞"
    assert _short_section("Sec. 4.1 (shown in Sec. 5.1)") == "Sec. 4.1"
