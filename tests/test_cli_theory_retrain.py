"""``fastweights theory retrain``: JSON keys, exact values, one-line errors with exit 2."""

import json

import pytest

from verification.cli import main

PAPER = "theory retrain --inputs zero-one --q 0.5 --n 10".split()


def _retrain(options: str, extra: str = "") -> list[str]:
    """argv of ``theory retrain OPTIONS --associations 10 --retrained 5 EXTRA``."""
    return [
        "theory",
        "retrain",
        *options.split(),
        "--associations",
        "10",
        "--retrained",
        "5",
        *extra.split(),
    ]


def test_json_keys_and_paper_values(capsys):
    assert main([*PAPER, "--associations", "100", "--retrained", "50", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert captured.err == ""
    for key in ("improvement_ratio", "paper_improvement_ratio", "limit_improvement_ratio"):
        assert key in data
    assert data["improvement_ratio"] == pytest.approx(650 / 681, rel=1e-15)
    assert data["improvement_ratio_exact"] == "650/681"
    assert data["paper_improvement_ratio"] == pytest.approx(50 / 53, rel=1e-15)
    assert data["limit_improvement_ratio"] == pytest.approx(50 / 53, rel=1e-15)
    assert data["c"] == pytest.approx(13 / 44, rel=1e-15) and data["c_paper"] == 0.25


def test_without_replacement_and_fraction_syntax(capsys):
    args = "theory retrain --inputs zero-one --q 1/2 --n 10".split()
    assert (
        main(
            [*args, "--associations", "100", "--retrained", "50", "--without-replacement", "--json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["improvement_ratio_exact"] == "2675/2803"


def test_signed_inputs(capsys):
    args = "theory retrain --inputs signed --p 1/3 --n 4".split()
    assert (
        main(
            [*args, "--associations", "81", "--retrained", "10", "--without-replacement", "--json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["c_paper"] == 0.25 and data["limit_improvement_ratio"] == 0.0
    assert 0 < data["improvement_ratio"] < 1


def test_text_output(capsys):
    assert main([*PAPER, "--associations", "100", "--retrained", "50"]) == 0
    out = capsys.readouterr().out
    assert "0.9545 (= 650/681)" in out and "0.9434" in out


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        ([*PAPER, "--associations", "100", "--retrained", "101"], "retrained: expected"),
        (
            [*PAPER, "--associations", "1025", "--retrained", "5", "--without-replacement"],
            "associations: expected at most 2^n",
        ),
        (
            _retrain("--inputs zero-one --q 0.3 --n 10", "--without-replacement"),
            "without-replacement: expected q = 1/2",
        ),
        (
            _retrain("--inputs zero-one --q 1.5 --n 10"),
            "q: expected a number in (0, 1]",
        ),
        (
            _retrain("--inputs zero-one --q 0 --n 10"),
            "q: expected a number in (0, 1]",
        ),
        (
            _retrain("--inputs signed --p 0.6 --n 10"),
            "p: expected a number in (0, 1/2]",
        ),
        (
            _retrain("--inputs signed --q 0.5 --n 10"),
            "q: expected no q for signed inputs",
        ),
        (
            _retrain("--inputs zero-one --q 0.5 --n 0"),
            "n: expected an integer >= 1",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, start):
    assert main([*argv, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"fastweights: error: --{start}")


@pytest.mark.parametrize(
    "argv",
    [
        _retrain("--inputs zero-one --q nan --n 10"),
        _retrain("--inputs zero-one --q inf --n 10"),
        _retrain("--inputs binary --q 0.5 --n 10"),
        _retrain("--inputs zero-one --q 0.5 --p 0.2 --n 10"),
        _retrain("--inputs zero-one --n 10"),
        _retrain("--inputs zero-one --q 0.5 --n 2.5"),
    ],
)
def test_unparseable_options_are_one_line_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
