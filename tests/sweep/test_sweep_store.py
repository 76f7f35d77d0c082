"""results.jsonl: rows whole or absent; a torn last line is detected and dropped; one writer."""

from __future__ import annotations

import json
import os

import pytest

from verification.errors import UsageError
from verification.sweep import ResultStore, read_rows
from verification.sweep.store import write_atomically


def row(key, value=1.0):
    return {"key": key, "result": {"value": value}, "options": {"x": value}}


def test_rows_are_whole_lines_readable_back(tmp_path):
    store = ResultStore(tmp_path / "out")
    with store.locked():
        store.open()
        store.append(row("a"))
        store.append(row("b", 2.5))
        store.close()
    text = store.results_path.read_text()
    assert text.endswith("\n") and text.count("\n") == 2
    stored = read_rows(store.results_path)
    assert stored.rows == [row("a"), row("b", 2.5)] and stored.torn_bytes == 0
    assert stored.keys == {"a", "b"}


def test_a_torn_last_line_is_detected_and_dropped_on_request(tmp_path):
    store = ResultStore(tmp_path)
    whole = json.dumps(row("a")) + "\n"
    torn = json.dumps(row("b"))[:17]
    store.results_path.write_text(whole + torn)
    kept = store.load(drop_torn_line=False)
    assert kept.keys == {"a"} and kept.torn_bytes == len(torn)
    assert store.results_path.read_text() == whole + torn, "reading alone must not modify"
    dropped = store.load(drop_torn_line=True)
    assert dropped.keys == {"a"} and dropped.torn_bytes == len(torn)
    assert store.results_path.read_text() == whole
    assert store.load(drop_torn_line=True).torn_bytes == 0


def test_a_complete_json_object_without_its_newline_still_counts_as_torn(tmp_path):
    # A row is written with its newline in one write; without it the write did not finish.
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(row("a")))
    assert read_rows(path).rows == [] and read_rows(path).torn_bytes > 0


def test_a_bad_line_before_the_end_is_an_error_naming_it(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(row("a")) + "\n{not json\n" + json.dumps(row("b")) + "\n")
    with pytest.raises(UsageError, match=r"^results.jsonl line 2: expected a JSON row"):
        read_rows(path)
    path.write_text("[1, 2]\n")
    with pytest.raises(UsageError, match=r"^results.jsonl line 1: expected a JSON object"):
        read_rows(path)


def test_a_duplicated_point_is_an_error_not_silently_merged(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (row("a"), row("b"), row("a", 3.0))))
    with pytest.raises(UsageError, match=r"line 3: expected one row per point \(line 1"):
        read_rows(path)


def test_a_missing_file_has_no_rows(tmp_path):
    stored = read_rows(tmp_path / "results.jsonl")
    assert stored.rows == [] and stored.torn_bytes == 0


def test_a_second_sweep_on_the_same_directory_is_refused(tmp_path):
    first, second = ResultStore(tmp_path), ResultStore(tmp_path)
    with first.locked():
        with pytest.raises(UsageError, match="no other running sweep"), second.locked():
            pass
    with second.locked():
        pass


def test_the_manifest_is_replaced_atomically(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    store.write_manifest({"state": "running"})
    assert store.read_manifest() == {"state": "running"}

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.write_manifest({"state": "complete"})
    assert store.read_manifest() == {"state": "running"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.json"], "temporary left behind"


def test_write_atomically_writes_bytes(tmp_path):
    write_atomically(tmp_path / "f.bin", b"\x00\x01")
    assert (tmp_path / "f.bin").read_bytes() == b"\x00\x01"
