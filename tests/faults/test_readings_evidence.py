"""A readings search's evidence is checked before any verdict reads it.

Torn, empty, edited, duplicated, extra or missing rows, a missing stage, another seed,
design or box, an unfinished run: refused in one line naming the file and the command that
mends it (exit 2 at the command line, no traceback). Random truncations and byte edits of
any file of a finished search are always refused.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fault_helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readings_search_fixture import SEED, TINY, copy_search, make_search

from foundation.errors import ParameterError
from verification.cli import main
from verification.errors import UsageError
from verification.evidence import EvidenceError
from verification.readings.search import (
    analyse_rows,
    check_search,
    read_search,
    stage_rows,
    write_search_manifest,
)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return make_search(tmp_path_factory.mktemp("finished") / "search")


@pytest.fixture
def search(finished, tmp_path):
    return copy_search(finished, tmp_path)


def _refused(directory: Path, *fragments: str) -> str:
    with pytest.raises(EvidenceError) as caught:
        read_search(directory)
    message = str(caught.value)
    assert "\n" not in message
    assert f"mend: fastweights readings --resume --out {directory}" in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def _one_line_exit_2(result) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    return result.stderr


def test_a_finished_search_passes_and_its_rows_are_the_design(search):
    rows, reruns, manifest = read_search(search)
    assert len(rows) == TINY.readings and reruns
    assert manifest["seed"] == SEED and manifest["state"] == "complete"
    command = f"fastweights readings --seed {SEED} (size 'test') --out "
    assert manifest["command"].startswith(command)
    listed = set(manifest["files"])
    assert {"search.toml", "rerun.toml", "readings.json", "search/results.jsonl",
            "rerun/results.jsonl", "search/sweep.json", "rerun/sweep.json"} <= listed  # fmt: skip
    assert manifest["files"]["search/results.jsonl"]["rows"] == TINY.readings


def test_a_row_cut_mid_line_is_refused_through_the_cli(search):
    path = search / "search" / "results.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    err = _one_line_exit_2(run_cli(["verify", "--quick", "--quiet", "--readings", str(search)]))
    assert f"{path}: a torn last line" in err
    assert f"mend: fastweights readings --resume --out {search}" in err


def test_an_empty_results_file_is_refused_through_the_cli(search):
    path = search / "search" / "results.jsonl"
    path.write_bytes(b"")
    err = _one_line_exit_2(run_cli(["report", "--quick", "--quiet", "--readings", str(search)]))
    assert f"{path}: 0 rows where the manifest lists {TINY.readings}" in err
    assert "holds at 0 of 0" not in err


def test_one_number_edited_in_the_reruns_is_refused_through_the_cli(search):
    path = search / "rerun" / "results.jsonl"
    row = json.loads(path.read_bytes().splitlines()[0])
    fraction = row["result"]["fractions"]["0.1"]
    fraction["unretrained_gain"][0] = fraction["retrained_gain"][0]
    lines = path.read_bytes().splitlines(keepends=True)
    lines[0] = (json.dumps(row) + "\n").encode()
    path.write_bytes(b"".join(lines))
    err = _one_line_exit_2(run_cli(["verify", "--quick", "--quiet", "--readings", str(search)]))
    assert str(path) in err and ("SHA-256" in err or "bytes where" in err)


def test_a_duplicated_row_is_refused(search):
    path = search / "rerun" / "results.jsonl"
    first = path.read_bytes().splitlines(keepends=True)[0]
    path.write_bytes(path.read_bytes() + first)
    message = _refused(search, "rows where the manifest lists")
    assert message.startswith(f"{path}: ")  # the file that is wrong is named first


def test_a_rows_file_the_manifest_does_not_list_is_refused(search):
    shutil.copy(search / "rerun" / "results.jsonl", search / "rerun" / "more.jsonl")
    message = _refused(search)
    assert message.startswith(f"{search / 'rerun' / 'more.jsonl'}: a rows file the manifest")


def test_a_missing_stage_is_refused(search):
    shutil.rmtree(search / "rerun")
    message = _refused(search)
    assert message.startswith(f"{search / 'rerun'}/") and ": missing;" in message


def test_a_stage_missing_from_the_manifest_is_refused(search):
    manifest = json.loads((search / "manifest.json").read_text())
    header = {k: manifest[k] for k in ("kind", "command", "options", "seed", "design")}
    files = [f for f in manifest["files"] if not f.startswith("rerun")]
    shutil.rmtree(search / "rerun")
    write_search_manifest(search, header, files, "complete")
    message = _refused(search)
    assert message.startswith(f"{search / 'rerun.toml'}: missing from the manifest")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda m: m.update(seed=6), "another design"),
        (lambda m: m["design"].reverse(), "another design"),
        (lambda m: m["options"]["box"][1].update(high=99.0), "another box"),
        (lambda m: m.update(state="running"), "an unfinished readings"),
        (lambda m: m["files"].pop("readings.json"), "readings.json: missing from the manifest"),
    ],
)
def test_another_seed_design_box_or_state_is_refused(search, change, fragment):
    manifest = json.loads((search / "manifest.json").read_text())
    change(manifest)
    header = {k: manifest[k] for k in ("kind", "command", "options", "seed", "design")}
    write_search_manifest(search, header, list(manifest["files"]), manifest["state"])
    with pytest.raises(EvidenceError, match=fragment) as caught:
        read_search(search)
    assert "\n" not in str(caught.value)


def test_a_search_of_another_seed_or_size_is_refused_where_one_is_expected(search):
    with pytest.raises(EvidenceError, match="another seed"):
        check_search(search, seed=SEED + 1)
    from verification.readings.search import QUICK

    with pytest.raises(EvidenceError, match="another size"):
        check_search(search, size=QUICK)


def test_no_verdict_rests_on_zero_readings(search):
    reruns = stage_rows(search / "rerun")
    with pytest.raises(ParameterError, match="no verdict rests on 0") as caught:
        analyse_rows([], reruns, source="test")
    assert "\n" not in str(caught.value)
    from verification.readings.analysis import analyse, measured

    defaults = measured(*reruns[0])
    with pytest.raises(ParameterError, match="0 readings"):
        analyse(defaults, [], [], "test")


def test_a_torn_stage_is_never_read_silently(search):
    path = search / "search" / "results.jsonl"
    path.write_bytes(path.read_bytes()[:-25])
    with pytest.raises(UsageError, match="torn"):
        stage_rows(search / "search")


def test_verify_refuses_before_computing_a_folder_holding_no_search(tmp_path, capsys):
    assert main(["verify", "--quick", "--quiet", "--readings", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--readings: expected the directory of a finished" in err


def _files(directory: Path) -> list[str]:
    return sorted(
        str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()
        and not p.name.endswith(".lock")
    )  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_truncation_or_byte_edit_of_any_file_is_refused(finished, tmp_path_factory, data):
    search = copy_search(finished, tmp_path_factory.mktemp("fuzz"))
    name = data.draw(st.sampled_from(_files(search)), label="file")
    path = search / name
    original = path.read_bytes()
    if data.draw(st.booleans(), label="truncate"):
        cut = data.draw(st.integers(0, len(original) - 1), label="keep")
        path.write_bytes(original[:cut])
    else:
        at = data.draw(st.integers(0, len(original) - 1), label="at")
        byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[at]), label="byte")
        path.write_bytes(original[:at] + bytes([byte]) + original[at + 1 :])
    with pytest.raises(UsageError) as caught:
        read_search(search)
    assert "\n" not in str(caught.value)
