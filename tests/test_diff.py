"""Stable finding ids and reviewgraph diff: new, closed and changed findings between two
as-of dates or two saved JSON outputs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.diff import diff_findings
from reviewgraph.analysis.results import RESULTS_SCHEMA_VERSION, GapsResult
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.io.store import add_dataset
from reviewgraph.stores import open_store

EARLIER, LATER = "2023-07-01", "2025-07-01"


def _gaps(as_of: str) -> GapsResult:
    return ReviewGraph.from_dataset(read_dataset().dataset).gaps(as_of=as_of)


def test_finding_ids_are_unique_and_derived_from_category_and_item() -> None:
    gaps = _gaps(LATER)
    ids = [f.id for f in gaps.findings]
    assert len(ids) == len(set(ids))
    assert all(f.id == f"{f.category}:{f.item}" for f in gaps.findings)
    assert RESULTS_SCHEMA_VERSION == "2.0"
    data = json.loads(gaps.model_dump_json())
    assert [f["id"] for f in data["findings"]] == ids


def test_ids_are_the_same_across_runs_and_routes() -> None:
    dataset = read_dataset().dataset
    store = open_store("memory")
    add_dataset(store, dataset, "urn:x:seeds")
    from_store = ReviewGraph.from_store(store).gaps(as_of=LATER)
    assert [f.id for f in from_store.findings] == [f.id for f in _gaps(LATER).findings]
    assert [f.id for f in _gaps(LATER).findings] == [f.id for f in _gaps(LATER).findings]


def test_diff_by_hand_is_new_closed_and_changed() -> None:
    old, new = _gaps(EARLIER), _gaps(LATER)
    result = diff_findings(old, new)
    before = {f.id: f for f in old.findings}
    after = {f.id: f for f in new.findings}
    assert {f.id for f in result.new} == after.keys() - before.keys()
    assert {f.id for f in result.closed} == before.keys() - after.keys()
    assert result.new, "findings appear as time passes"
    for change in result.changed:
        assert change.id in before and change.id in after
        assert before[change.id] != after[change.id]
    same = (before.keys() & after.keys()) - {c.id for c in result.changed}
    for key in same:  # unchanged findings have the same compared facts
        b, a = before[key], after[key]
        assert (b.rules, b.status, b.due) == (a.rules, a.status, a.due)
    assert diff_findings(new, new).new == diff_findings(new, new).closed == ()


def test_diff_command_from_saved_json_and_from_dates_agree(tmp_path: Path) -> None:
    saved = tmp_path / "old.json"
    runner = CliRunner()
    done = runner.invoke(main, ["gaps", "--as-of", EARLIER, "--format", "json", "-o", str(saved)])
    assert done.exit_code == 0, done.output
    by_file = runner.invoke(main, ["diff", "--from", str(saved), "--to", LATER, "--format", "json"])
    by_date = runner.invoke(main, ["diff", "--from", EARLIER, "--to", LATER, "--format", "json"])
    assert by_file.exit_code == by_date.exit_code == 0
    a, b = json.loads(by_file.stdout), json.loads(by_date.stdout)
    for key in ("new", "closed", "changed"):
        assert [x["id"] for x in a[key]] == [x["id"] for x in b[key]]
    # a saved output of schema 1.0 (no ids) is read too
    old = json.loads(saved.read_text())
    old["schema_version"] = "1.0"
    for f in old["findings"]:
        del f["id"]
    saved.write_text(json.dumps(old))
    again = runner.invoke(main, ["diff", "--from", str(saved), "--to", LATER, "--format", "json"])
    assert [x["id"] for x in json.loads(again.stdout)["new"]] == [x["id"] for x in b["new"]]


def test_diff_rejects_bad_sides_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    for side in ("not-a-date", str(bad)):
        done = CliRunner().invoke(main, ["diff", "--from", side, "--to", LATER])
        assert done.exit_code == 2
        assert "Traceback" not in done.output
