"""``fastweights theory pair``: JSON keys, JSON-only stdout, one-line errors with exit 2."""

import json

import pytest

import theory
from verification.cli import main


def test_json_keys_and_values(capsys):
    assert main(["theory", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # the whole of stdout is one JSON document
    assert captured.err == ""
    assert tuple(data) == theory.PAIR_KEYS
    assert data["rho"] == 0.5
    assert data["expected_cos"] == pytest.approx(1 / 6, abs=1e-15)
    assert data["paper_expected_cos"] == 0.25
    assert data["improvement_ratio_unit_step"] == pytest.approx(0.25, abs=1e-15)
    assert data["improvement_ratio_gradient_step"] == pytest.approx(0.25, abs=1e-15)


def test_signed_vectors_and_unequal_lengths(capsys):
    assert main(["theory", "pair", "--a", "1,-1,1,1", "--b", "1,0,0,0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rho"] == pytest.approx(0.5, abs=1e-15)
    assert data["paper_expected_cos"] == pytest.approx(0.25, abs=1e-15)  # Eq. (3): 1/(4 * 1)
    assert data["improvement_ratio_gradient_step"] == pytest.approx(1.0, abs=1e-15)


def test_text_output(capsys):
    assert main(["theory", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0"]) == 0
    out = capsys.readouterr().out
    assert "0.1667" in out and "0.2500" in out and "{" not in out


@pytest.mark.parametrize(
    ("a", "b", "name"),
    [
        ("1,2,0", "1,0,1", "a"),
        ("1,0,1", "1,0,0.5", "b"),
        ("1,0", "1,0,1", "b"),
        ("0,0,0", "1,0,1", "a"),
        ("1,0,1", "0,0,0", "b"),
        ("nan,1", "1,0", "a"),
        ("1,inf", "1,0", "a"),
        ("1,x", "1,0", "a"),
        ("", "1,0", "a"),
    ],
)
def test_bad_vectors_are_one_line_exit_2(capsys, a, b, name):
    assert main(["theory", "pair", "--a", a, "--b", b, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"fastweights: error: --{name}: expected")


def test_missing_option_is_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["theory", "pair", "--a", "1,0"])
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
