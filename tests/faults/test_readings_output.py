"""``fastweights readings --out DIR``: the user's folders stay theirs, a refused run changes
nothing, two runs into one folder never interleave, ``--resume`` mends what failed."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest
from fault_helpers import run_cli
from readings_search_fixture import SEED, copy_search, make_search, snapshot

from verification.errors import UsageError
from verification.evidence import write_manifest
from verification.readings.search import read_search, write_search_manifest


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return make_search(tmp_path_factory.mktemp("finished") / "search")


@pytest.fixture
def search(finished, tmp_path):
    return copy_search(finished, tmp_path)


def _rows(directory: Path, stage: str) -> list[dict]:
    """A stage's rows without their wall times (the only field a re-run changes) and the
    rows' checksums (which cover the wall times)."""
    lines = (directory / stage / "results.jsonl").read_bytes().splitlines()
    changing = {"wall_time_s", "row_sha256"}
    return [{k: v for k, v in json.loads(line).items() if k not in changing} for line in lines]


def _analysis(directory: Path) -> dict:
    data = json.loads((directory / "readings.json").read_text())
    data.pop("source")
    return data


def _one_line_exit_2(result) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_a_folder_of_the_users_own_is_refused_and_untouched(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "search.toml").write_text("my own notes\n")
    err = _one_line_exit_2(run_cli(["readings", "--quick", "--out", str(mine)]))
    assert "--out: expected a new or empty directory" in err and "--force" in err
    assert snapshot(mine) == {"search.toml": b"my own notes\n"}


def test_a_refused_other_seed_changes_nothing_and_resume_still_works(search):
    before = snapshot(search)
    analysis = _analysis(search)
    err = _one_line_exit_2(run_cli(["readings", "--seed", "7", "--quick", "--out", str(search)]))
    assert "this one holds one: --resume finishes it, --force starts it anew" in err
    err = _one_line_exit_2(
        run_cli(["readings", "--seed", "7", "--resume", "--quick", "--out", str(search)])
    )
    assert "--resume: expected the search" in err and "records (seed 5" in err
    assert snapshot(search) == before
    make_search(search, resume=True)  # the same search resumes (nothing to compute)
    assert snapshot(search)["search/results.jsonl"] == before["search/results.jsonl"]
    assert _analysis(search) == analysis
    read_search(search)


def test_a_bad_scheduler_leaves_no_folder_behind(tmp_path):
    new = tmp_path / "new"
    err = _one_line_exit_2(run_cli(["readings", "--scheduler", "not a url", "--out", str(new)]))
    assert err.startswith("fastweights: error: --scheduler:")
    assert not os.path.lexists(new)


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_resume_needs_a_search_to_resume(tmp_path, state):
    out = tmp_path / "out"
    if state == "empty":
        out.mkdir()
    err = _one_line_exit_2(run_cli(["readings", "--resume", "--out", str(out)]))
    assert "--resume: expected a directory holding an interrupted" in err and state in err
    assert (state == "empty") == out.exists()


@pytest.mark.parametrize("where", ["/proc/forbidden/here", "FILE/below"])
def test_an_out_that_cannot_be_created_is_refused_before_computing(tmp_path, where):
    (tmp_path / "FILE").write_text("x")
    out = where.replace("FILE", str(tmp_path / "FILE"))
    err = _one_line_exit_2(run_cli(["readings", "--quick", "--in-process", "--out", out]))
    assert "--out: expected a directory fastweights readings can write" in err


def test_nothing_is_written_through_a_link_out_of_the_folder(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "results.jsonl").write_text("the user's\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "search").symlink_to(elsewhere)
    err = _one_line_exit_2(run_cli(["readings", "--quick", "--force", "--out", str(out)]))
    assert "is a link" in err and str(out / "search") in err
    assert snapshot(elsewhere) == {"results.jsonl": b"the user's\n"}
    assert sorted(os.listdir(out)) == ["search"]


def test_a_second_run_into_the_same_folder_is_refused(search):
    with (search / ".readings.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        before = snapshot(search)
        with pytest.raises(UsageError, match="no other 'fastweights readings' is writing"):
            make_search(search, resume=True)
        assert snapshot(search) == before
        # The command line says so in one line too (the size check comes first there).
        err = _one_line_exit_2(run_cli(["readings", "--force", "--quick", "--out", str(search)]))
        assert "no other 'fastweights readings' is writing to" in err
    assert snapshot(search) == before


def test_force_writes_a_search_into_a_users_folder_and_leaves_their_files(tmp_path, finished):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n")
    make_search(mine, force=True)
    assert (mine / "notes.txt").read_text() == "mine\n"
    assert _rows(mine, "search") == _rows(finished, "search")
    assert _analysis(mine) == _analysis(finished)
    read_search(mine)


def test_force_starts_a_finished_search_anew(search, finished):
    (search / "search" / "results.jsonl").write_bytes(b"")
    make_search(search, force=True)
    assert _rows(search, "search") == _rows(finished, "search")
    read_search(search)


def test_resume_recomputes_a_stage_whose_rows_were_edited(search, finished):
    path = search / "rerun" / "results.jsonl"
    path.write_bytes(path.read_bytes().replace(b"0.", b"9.", 1))
    with pytest.raises(UsageError):
        read_search(search)
    make_search(search, resume=True)
    assert _rows(search, "rerun") == _rows(finished, "rerun")
    assert _rows(search, "search") == _rows(finished, "search")
    read_search(search)


def _killed_in_the_search_stage(search: Path) -> None:
    """Leave ``search``'s manifests as a run killed during its search stage leaves them:
    the search's and the stage sweep's both still ``running``."""
    manifest = json.loads((search / "manifest.json").read_text())
    header = {k: manifest[k] for k in ("kind", "command", "options", "seed", "design")}
    write_search_manifest(search, header, (), "running")
    stage = json.loads((search / "search" / "manifest.json").read_text())
    write_manifest(
        search / "search", kind="sweep", command=stage["command"], options=stage["options"],
        seed=stage["seed"], design=stage["design"], state="running",
    )  # fmt: skip


def test_an_interrupted_search_is_refused_then_resumed(search, finished):
    _killed_in_the_search_stage(search)
    path = search / "search" / "results.jsonl"
    path.write_bytes(path.read_bytes()[:-100])
    for name in ("readings.json", "rerun.toml"):
        (search / name).unlink()
    with pytest.raises(UsageError, match="unfinished readings"):
        read_search(search)
    make_search(search, resume=True)
    for stage in ("search", "rerun"):
        assert _rows(search, stage) == _rows(finished, stage)
    assert _analysis(search) == _analysis(finished)
    read_search(search)


def test_resume_adopts_no_foreign_manifest(search):
    write_manifest(search, kind="sweep", command="x", options={}, seed=SEED, design=None)
    before = snapshot(search)
    for options in ({"resume": True}, {}):
        with pytest.raises(UsageError, match="--out: expected a new or empty directory"):
            make_search(search, **options)
    assert snapshot(search) == before


def test_an_edited_row_in_an_interrupted_stage_names_the_readings_mend(search):
    """A stage is a sweep, but its refusal names the command that mends the search."""
    _killed_in_the_search_stage(search)
    path = search / "search" / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    row = json.loads(lines[1])
    row["wall_time_s"] += 1.0  # an edit the row's own checksum catches
    lines[1] = (json.dumps(row) + "\n").encode()
    path.write_bytes(b"".join(lines))
    with pytest.raises(UsageError, match=r"mend: .*fastweights readings --resume --out "):
        make_search(search, resume=True)
