"""``fastweights theory geometry``: JSON keys, JSON-only stdout, one-line errors with exit 2."""

import json

import pytest

import theory
from verification.cli import main


def test_json_keys_and_values(capsys):
    assert main(["theory", "geometry", "--angle", "60", "--contraction", "0.5", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # the whole of stdout is one JSON document
    assert captured.err == ""
    for key in ("positive_transfer_probability", "paper_ellipse_arc_fraction"):
        assert key in data
    assert data["positive_transfer_probability"] == pytest.approx(
        theory.positive_transfer_probability(60, 0.5), abs=1e-15
    )
    assert data["paper_ellipse_arc_fraction"] == pytest.approx(0.6148913048326733, abs=1e-12)
    assert data["start_probability"] == pytest.approx(2 / 3, abs=1e-15)
    assert data["paper_minus_exact"] > 0


def test_start_of_retraining_both_readings_agree(capsys):
    assert main(["theory", "geometry", "--angle", "60", "--contraction", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["positive_transfer_probability"] == pytest.approx(2 / 3, abs=1e-15)
    assert data["paper_ellipse_arc_fraction"] == pytest.approx(2 / 3, abs=1e-15)


def test_text_output(capsys):
    assert main(["theory", "geometry", "--angle", "120", "--contraction", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "0.5184" in out and "0.5284" in out


@pytest.mark.parametrize(
    ("angle", "contraction", "name"),
    [
        ("0", "0.5", "angle"),
        ("180", "0.5", "angle"),
        ("-30", "0.5", "angle"),
        ("nan", "0.5", "angle"),
        ("60", "0", "contraction"),
        ("60", "1.5", "contraction"),
        ("60", "inf", "contraction"),
    ],
)
def test_bad_values_are_one_line_exit_2(capsys, angle, contraction, name):
    argv = ["theory", "geometry", "--angle", angle, "--contraction", contraction, "--json"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and f"{name}: expected" in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["--angle", "sixty", "--contraction", "0.5"],
        ["--angle", "60"],
    ],
)
def test_unparsable_or_missing_options_are_one_line_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(["theory", "geometry", *argv])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
