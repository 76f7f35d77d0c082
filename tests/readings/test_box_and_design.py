"""The box of readings and its space-filling design (verification/readings)."""

import math

import pytest

from verification.readings.box import BOX, CATEGORICAL_STRATA, against_text, dimension
from verification.readings.design import design, reading_label, strata


def test_every_dimension_is_a_deblur_setting_with_its_default():
    from simulation.deblur_protocol import DeblurSettings

    defaults = DeblurSettings()
    for dim in BOX:
        value = getattr(defaults, dim.name)
        value = tuple(value) if isinstance(value, list) else value
        assert value == dim.default, dim.name
        assert dim.why, dim.name
        if dim.categorical:
            assert dim.default in dim.values
        else:
            assert dim.low <= dim.default <= dim.high


@pytest.mark.parametrize("count", [8, 16, 256])
def test_design_is_balanced_over_the_strata(count):
    readings = design(count, seed=3)
    assert len(readings) == count
    for cell in strata():
        members = [r for r in readings if all(r[k] == v for k, v in cell.items())]
        assert len(members) == count // len(strata())


def test_design_stays_in_the_box_and_respects_only_when():
    readings = design(256, seed=1)
    for r in readings:
        for dim in BOX:
            value = r[dim.name]
            if dim.categorical:
                assert value in dim.values
            else:
                assert dim.low * 0.999 <= value <= dim.high * 1.001
        if r["updates"] == "batch":
            assert r["decay_per"] == "update"
    per_case = [r for r in readings if r["updates"] == "per-case"]
    assert {r["decay_per"] for r in per_case} == {"update", "sweep"}


def test_continuous_dimensions_fill_their_range():
    readings = design(256, seed=1)
    eps = sorted(math.log10(r["fast_epsilon"]) for r in readings)
    # log-uniform on [1e-3, 1]: every third of the log range holds about a third
    thirds = [sum(lo <= e < lo + 1 for e in eps) for lo in (-3, -2, -1)]
    assert all(70 <= t <= 100 for t in thirds), thirds


def test_design_depends_only_on_count_and_seed():
    assert design(16, seed=5) == design(16, seed=5)
    assert design(16, seed=5) != design(16, seed=6)


@pytest.mark.parametrize("count", [0, 7, 24, 100])
def test_bad_counts_are_refused(count):
    with pytest.raises(ValueError, match="count"):
        design(count, seed=0)


def test_labels_and_text():
    assert reading_label({d.name: d.default for d in BOX}) == "defaults"
    label = reading_label({"updates": "per-case", "fast_epsilon": 0.3})
    assert label == "updates=per-case, ε_f=0.3"
    assert against_text({"updates": "per-case", "error_function": "cross-entropy"}) == [
        "updates",
        "error_function",
    ]
    assert against_text({"fast_epsilon": 0.9}) == []
    assert set(CATEGORICAL_STRATA) <= {d.name for d in BOX}
    assert dimension("fast_epsilon").log
