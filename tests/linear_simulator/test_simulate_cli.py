"""``fastweights simulate pair|retrain|geometry``: fixed JSON keys, tables, one-line errors."""

import json

import pytest

from verification.cli import main

ESTIMATE_KEYS = {"estimate", "ci_low", "ci_high"}


def run_json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out)


def test_pair_json(capsys):
    data = run_json(
        capsys,
        [
            "simulate",
            "pair",
            "--a",
            "1,1,0,0",
            "--b",
            "1,0,1,0",
            "--trials",
            "2000",
            "--seed",
            "1",
            "--noise-sd",
            "0.5",
            "--quiet",
        ],
    )
    for key in ("expected_cos", "improvement_ratio_unit_step", "improvement_ratio_gradient_step"):
        assert set(data[key]) == ESTIMATE_KEYS
    assert data["trials"] == 2000


def test_retrain_json_and_fractions(capsys):
    data = run_json(
        capsys,
        [
            "simulate",
            "retrain",
            "--inputs",
            "signed",
            "--p",
            "1/3",
            "--n",
            "6",
            "--associations",
            "20",
            "--retrained",
            "5",
            "--without-replacement",
            "--blur",
            "decay",
            "--trials",
            "500",
            "--seed",
            "2",
            "--quiet",
        ],
    )
    assert set(data["improvement_ratio"]) == ESTIMATE_KEYS
    assert set(data["mean_improvement_retrained"]) == ESTIMATE_KEYS
    assert set(data["mean_improvement_unretrained"]) == ESTIMATE_KEYS
    assert data["trials"] == 500 and data["parameters"]["without_replacement"] is True


def test_geometry_json(capsys):
    data = run_json(
        capsys,
        "simulate geometry --angle 60 --contraction 0.5 --trials 1000 --seed 3".split(),
    )
    assert set(data["positive_transfer_probability"]) == ESTIMATE_KEYS


def test_same_seed_same_json_whatever_the_chunk_size(capsys):
    argv = [
        "simulate",
        "retrain",
        "--inputs",
        "zero-one",
        "--q",
        "0.5",
        "--n",
        "10",
        "--associations",
        "100",
        "--retrained",
        "50",
        "--trials",
        "700",
        "--seed",
        "4",
    ]
    first = run_json(capsys, argv)
    assert run_json(capsys, [*argv, "--chunk-size", "262"]) == first


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "pair", "--a", "1,1,0,0", "--b", "1,0,1,0", "--trials", "1000"],
        [
            "simulate",
            "retrain",
            "--inputs",
            "zero-one",
            "--q",
            "0.5",
            "--n",
            "5",
            "--associations",
            "10",
            "--retrained",
            "4",
            "--trials",
            "200",
        ],
        ["simulate", "geometry", "--angle", "45", "--contraction", "1", "--trials", "200"],
    ],
)
def test_tables_render(capsys, argv):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "[" in out and "trials" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "pair", "--a", "1,1", "--b", "1,0,1"], "b: expected"),
        (["simulate", "pair", "--a", "0,0", "--b", "1,0"], "a: expected"),
        (["simulate", "pair", "--a", "1,x", "--b", "1,0"], "a: expected"),
        (["simulate", "pair", "--a", "1,0", "--b", "1,1", "--trials", "0"], "trials: expected"),
        (
            ["simulate", "pair", "--a", "1,0", "--b", "1,1", "--noise-sd", "-1"],
            "--noise-sd: expected",
        ),
        (
            ["simulate", "pair", "--a", "1,0", "--b", "1,1", "--noise-sd", "nan"],
            "--noise-sd: expected",
        ),
        (
            [
                "simulate",
                "retrain",
                "--inputs",
                "zero-one",
                "--q",
                "2",
                "--n",
                "5",
                "--associations",
                "10",
                "--retrained",
                "4",
            ],
            "q: expected",
        ),
        (
            [
                "simulate",
                "retrain",
                "--inputs",
                "signed",
                "--p",
                "0.7",
                "--n",
                "5",
                "--associations",
                "10",
                "--retrained",
                "4",
            ],
            "p: expected",
        ),
        (
            [
                "simulate",
                "retrain",
                "--inputs",
                "zero-one",
                "--q",
                "0.5",
                "--n",
                "0",
                "--associations",
                "10",
                "--retrained",
                "4",
            ],
            "n: expected",
        ),
        (
            [
                "simulate",
                "retrain",
                "--inputs",
                "zero-one",
                "--q",
                "0.5",
                "--n",
                "5",
                "--associations",
                "10",
                "--retrained",
                "11",
            ],
            "retrained: expected",
        ),
        (
            [
                "simulate",
                "retrain",
                "--inputs",
                "zero-one",
                "--q",
                "0.5",
                "--n",
                "3",
                "--associations",
                "10",
                "--retrained",
                "4",
                "--without-replacement",
            ],
            "associations: expected",
        ),
        (["simulate", "geometry", "--angle", "180", "--contraction", "0.5"], "angle: expected"),
        (["simulate", "geometry", "--angle", "60", "--contraction", "0"], "contraction: expected"),
        (
            ["simulate", "geometry", "--angle", "60", "--contraction", "0.5", "--steps", "-1"],
            "steps: expected",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    try:
        status = main(argv)
    except SystemExit as exit_:  # rejected by the parser itself (--trials 0)
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_unparsable_probability_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(
            [
                "simulate",
                "retrain",
                "--inputs",
                "zero-one",
                "--q",
                "half",
                "--n",
                "5",
                "--associations",
                "10",
                "--retrained",
                "4",
            ]
        )
    assert info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
