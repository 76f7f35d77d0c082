"""``fastweights readings``: the two sweeps, readings.json, resume, and bad input.

A short protocol (``protocol=``) keeps the real simulator fast enough for a test; the
box, the design, the re-runs and the analysis are the real ones.
"""

import json

import pytest

from verification.cli import main
from verification.readings.search import SearchSize, load_analysis, run_readings, stage_rows

SHORT = {
    "associations": 20,
    "original_sweeps": 40,
    "new_sweeps": 10,
    "retrain_sweeps": 6,
    "n_hidden": 8,
}
TINY = SearchSize("test", readings=8, seeds=3, rerun_seeds=4, near=1)


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    out = tmp_path_factory.mktemp("readings")
    run_readings(out, size=TINY, seed=5, in_process=True, quiet=True, protocol=SHORT)
    return out


def test_a_search_writes_both_stages_and_its_analysis(search):
    rows = stage_rows(search / "search")
    assert len(rows) == TINY.readings
    assert all(row["seeds"] == TINY.seeds for _, row in rows)
    reruns = stage_rows(search / "rerun")
    assert reruns, "the candidates and the defaults are re-run"
    assert all(row["seeds"] == TINY.rerun_seeds for _, row in reruns)
    data = load_analysis(search)
    assert data["readings"] == TINY.readings and data["rerun_seeds"] == TINY.rerun_seeds
    assert data["protocol"] == SHORT
    assert {d["name"] for d in data["box"]} >= {"updates", "error_function", "fast_phases"}
    for claim in data["claims"].values():
        assert claim["verdict"] in {"reproduced", "refuted", "reading-dependent", "inconclusive"}
        assert claim["reason"]
        if claim["best"] is not None:
            assert claim["best_rerun"]["label"] == claim["best"]["label"]
    assert data["joint"]["verdict"]
    for text in (search / "search.toml", search / "rerun.toml"):
        assert "[[points]]" in text.read_text()


def test_resume_recomputes_nothing_and_gives_the_same_analysis(search, tmp_path):
    before = (search / "readings.json").read_text()
    lines = (search / "search" / "results.jsonl").read_text()
    run_readings(search, size=TINY, seed=5, in_process=True, quiet=True, protocol=SHORT,
                 resume=True)  # fmt: skip
    assert (search / "search" / "results.jsonl").read_text() == lines
    after = json.loads((search / "readings.json").read_text())
    assert after == json.loads(before)


def test_another_seed_cannot_resume_the_search(search, capsys):
    from verification.errors import UsageError

    with pytest.raises(UsageError, match="--resume"):
        run_readings(search, size=TINY, seed=6, in_process=True, quiet=True,
                     protocol=SHORT, resume=True)  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--seed", "-1"], "--seed: expected an integer >= 0"),
        (["--workers", "0"], "--workers: expected a positive number"),
        (["--out", ""], "--out: expected a directory path"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys, tmp_path):
    assert main(["readings", "--quiet", "--out", str(tmp_path / "x"), *argv]) == 2
    assert not (tmp_path / "x").exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize("command", ["verify", "report"])
def test_verify_and_report_refuse_a_directory_that_holds_no_search(command, tmp_path, capsys):
    assert main([command, "--quick", "--quiet", "--readings", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--readings" in err
