"""The report's figures (issue 13): SVG and 150-dpi PNG, texts that never overlap, every
marker in the legend, the paper's notation, no curve hidden under another."""

import struct

import pytest
from matplotlib.figure import Figure as MplFigure

from verification.claims import deblur
from verification.engine.model import Reading, Simulated
from verification.report import figures
from verification.report.figure_style import PNG_DPI, text_overlaps
from verification.shared import deblur_runs


def _png_width(png: bytes) -> int:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">I", png[16:20])[0]


@pytest.fixture
def captured(monkeypatch):
    """The matplotlib figures the figure functions draw (and the real rendering of each)."""
    drawn = []
    real = figures.drawn

    def capture(fig):
        drawn.append(fig)
        return real(fig)

    monkeypatch.setattr(figures, "drawn", capture)
    return drawn


def test_overlapping_texts_are_found_and_rotated_labels_measured_as_drawn():
    crowded = MplFigure(figsize=(3, 2), layout="constrained")
    ax = crowded.subplots()
    ax.set_xticks(range(6), ["a long tick label"] * 6)
    assert any("overlaps" in problem for problem in text_overlaps(crowded))
    turned = MplFigure(figsize=(6, 3), layout="constrained")
    ax = turned.subplots()
    ax.set_xticks(range(6), ["a long tick label"] * 6, rotation=45, ha="right",
                  rotation_mode="anchor")  # fmt: skip
    assert text_overlaps(turned) == ()  # their upright boxes would overlap; the labels do not
    wide = MplFigure(figsize=(3, 2))
    wide.subplots().set_title("a title far wider than its figure " * 3)
    assert any("leaves the canvas" in problem for problem in text_overlaps(wide))


def test_retraining_errors_puts_the_group_means_in_a_panel_of_their_own(captured):
    figure = figures.retraining_errors(seed=3, quick=True)
    (fig,) = captured
    left, right = fig.axes
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert "simulated mean, 95% interval (points)" in labels  # the points have an entry
    assert any("$\\langle E_k(t)\\rangle$" in label for label in labels)
    assert left.get_ylabel() == right.get_ylabel() == r"$\langle E_k(t)\rangle$"
    assert [t.get_text() for t in right.get_legend().get_texts()] == [
        "exact, mean of the 10 retrained",
        "exact, mean of the 10 unretrained",
    ]
    assert figure.text_overlaps == ()
    assert figure.svg.startswith(b"<?xml") and b"<svg" in figure.svg[:400]
    assert _png_width(figure.png) == round(10.0 * PNG_DPI) and PNG_DPI >= 150


def _reading(label, intact, estimate):
    parameters = {} if label == "defaults" else {"x": 1}
    simulated = (
        None
        if estimate is None
        else Simulated(
            estimate, estimate - 0.1, estimate + 0.1, 0.999, estimate - 0.05, estimate + 0.05, 6
        )
    )
    return Reading(label, parameters, intact, simulated)


def test_deblur_sensitivity_has_no_empty_column_and_explains_its_hollow_markers(
    captured, monkeypatch
):
    def readings(runs, measure):
        fraction = measure.keywords["fraction"]
        return [
            _reading("defaults", True, 0.5),
            _reading("fast_epsilon = 0.05", False, None),  # nothing anywhere: no column
            _reading("fast_momentum = 0.9", False, 0.6),  # not intact: hollow
            _reading("init_scale = 1", True, 0.7 if fraction == 0.1 else None),
        ]

    monkeypatch.setattr(deblur, "sensitivity_readings", readings)
    monkeypatch.setattr(deblur_runs, "deblur_runs", lambda seed, quick: None)  # no run
    figure = figures.deblur_sensitivity(seed=1, quick=True)
    (fig,) = captured
    for ax in fig.axes:
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert ticks == ["defaults", r"$\alpha_{f}$ = 0.9", "initial ±r = 1"]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "hollow: original learning not intact" in legend
        assert "10% retrained: mean, 95% interval" in legend
        assert any(t.get_text() == "no interval" for t in ax.texts)  # not a silent gap
    assert "Not drawn (no interval at any part" in figure.caption
    assert "ε_f = 0.05" in figure.caption and "fast_epsilon" not in figure.caption
    assert figure.text_overlaps == ()
