"""The CSV tracker table: one row per recommendation, as committees and auditors publish it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import DATA
from hypothesis import given
from hypothesis import strategies as st

from reviewgraph.errors import InputError, ValidationFailed
from reviewgraph.io.authoring import Collected
from reviewgraph.io.files import Loaded, read_dataset
from reviewgraph.io.tracker import (
    COLUMNS,
    REQUIRED_COLUMNS,
    neutralise,
    read_tracker_rows,
    unneutralise,
    write_tracker,
)
from reviewgraph.models import Dataset, Recommendation, Review
from reviewgraph.vocab.concepts import AssessorRole, StanceValue, Status

CANONICAL = DATA / "tracker" / "canonical.csv"
LABELS = DATA / "tracker" / "labels-bom.csv"


def read_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Loaded:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    return read_dataset(["t.csv"])


def test_the_columns_are_the_seventeen_of_the_issue() -> None:
    assert COLUMNS == (
        "review_id",
        "review_title",
        "review_date",
        "rec_label",
        "rec_summary",
        "addressees",
        "stance",
        "stance_date",
        "stance_source",
        "commitment",
        "owner",
        "due_date",
        "status",
        "status_date",
        "status_assessor",
        "assessor_role",
        "status_source",
    )
    assert set(REQUIRED_COLUMNS) <= set(COLUMNS)
    header = next(csv.reader(io.StringIO(CANONICAL.read_text(encoding="utf-8"))))
    assert tuple(header) == COLUMNS


# --------------------------------------------------------------------------- round trip


def test_csv_to_dataset_to_csv_is_the_identity() -> None:
    original = CANONICAL.read_text(encoding="utf-8")
    assert write_tracker(read_dataset([CANONICAL]).dataset) == original


def test_the_canonical_sample_reads_into_separate_axes() -> None:
    """Said (stance), undertook (commitment, due date) and happened (status) stay apart."""
    ds = read_dataset([CANONICAL]).dataset
    assert [r.id for r in ds.reviews] == ["audit-2019", "select-2021"]
    assert ds.get("audit-2019").title == "Audit of registers, 2019"  # type: ignore[union-attr]
    rec = ds.get("audit-2019/1")
    assert isinstance(rec, Recommendation)
    assert rec.addressees == ("department-of-health", "nhs-england")
    stances = {s.recommendation: s.stance for s in ds.stances}
    assert stances["audit-2019/10"] is StanceValue.ACCEPTED_IN_PRINCIPLE
    assert "audit-2019/4" not in stances
    (commitment,) = [c for c in ds.commitments if c.answers == ("audit-2019/1",)]
    assert commitment.owner == "nhs-england"
    assert commitment.made_on.text == "2019-02-06"
    (due,) = [d for d in ds.due_dates if d.commitment == commitment.id]
    assert (str(due.target.earliest), str(due.target.latest)) == ("2020-03-01", "2020-03-31")
    claims = {c.about: c for c in ds.status_claims}
    assert claims[commitment.id].status is Status.IN_PROGRESS
    assert claims[commitment.id].role is AssessorRole.INDEPENDENT_SCRUTINY
    assert claims["audit-2019/3a"].status is Status.NO_EVIDENCE_FOUND  # no commitment
    rec10 = ds.get("audit-2019/10")
    assert isinstance(rec10, Recommendation) and rec10.summary == "=SUM(A1:A2) is text here"
    review = ds.get("select-2021")
    assert isinstance(review, Review) and review.published is not None
    assert review.published.text == "summer 2021"


def test_rows_and_columns_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    loaded = read_dataset(["tracker/canonical.csv"])
    assert str(loaded.where("audit-2019/3a")) == "tracker/canonical.csv:4 (column rec_label)"
    assert str(loaded.where("select-2021/r2/commitment/due-1")) == (
        "tracker/canonical.csv:6 (column due_date)"
    )


def test_a_bom_crlf_and_other_trackers_labels_are_read() -> None:
    ds = read_dataset([LABELS]).dataset
    stances = {s.recommendation: s.stance for s in ds.stances}
    assert stances == {
        "gao-2020/1": StanceValue.ACCEPTED,  # Supported
        "gao-2020/2": StanceValue.ACCEPTED_IN_PRINCIPLE,  # Accept in principle
        "gao-2020/3": StanceValue.NOT_ACCEPTED,  # rejected
    }
    statuses = {c.about: c.status for c in ds.status_claims}
    assert statuses == {
        "gao-2020/1/commitment": Status.DELIVERED,  # Closed–implemented
        "gao-2020/2": Status.IN_PROGRESS,  # In the Works
        "gao-2020/3": Status.DROPPED,  # Promise Broken
    }
    assert ds.reviews[0].id == "gao-2020"  # the BOM is not part of the first column name


def test_labels_are_written_back_as_rgs_own() -> None:
    written = write_tracker(read_dataset([LABELS]).dataset)
    rows = list(csv.DictReader(io.StringIO(written)))
    assert [r["stance"] for r in rows] == ["accepted", "accepted in principle", "not accepted"]
    assert [r["status"] for r in rows] == ["delivered", "in progress", "dropped"]


def test_optional_columns_may_be_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = read_csv(tmp_path, monkeypatch, "rec_label,review_id\n1,r-1\n2,r-1\n").dataset
    assert [r.id for r in ds.recommendations] == ["r-1/1", "r-1/2"]
    assert (ds.stances, ds.commitments, ds.status_claims) == ((), (), ())


# --------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5%", "'-5%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("plain", "plain"),
        ("'quoted", "'quoted"),
        ("'=looks neutralised", "''=looks neutralised"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert unneutralise(written) == cell


@given(st.text())
def test_neutralising_round_trips_any_text(cell: str) -> None:
    written = neutralise(cell)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralise(written) == cell


@pytest.mark.parametrize("summary", ['=HYPERLINK("http://x")', "+1", "-1", "@me", "'=x"])
def test_formulas_survive_a_dataset_round_trip(summary: str) -> None:
    ds = Dataset(
        reviews=(Review(id="r", title="T"),),
        recommendations=(Recommendation(id="r/1", review="r", label="1", summary=summary),),
    )
    written = write_tracker(ds)
    row = next(csv.DictReader(io.StringIO(written)))
    assert row["rec_summary"] == neutralise(summary) != summary
    out = Collected()
    read_tracker_rows(written, "t.csv", out)
    assert out.problems == []
    assert out.items["recommendations"][0].summary == summary


# --------------------------------------------------------------------------- errors

ERRORS = [
    (
        "ragged row",
        "review_id,rec_label,stance,stance_date\nr-1,1,accepted,2020-01-01\nr-1,2,accepted\n",
        InputError,
        r"^t\.csv:3: the row has 3 cells but the header has 4",
    ),
    (
        "unknown column",
        "review_id,rec_label,colour\nr-1,1,red\n",
        InputError,
        r"^t\.csv:1: unknown column 'colour' \(expected: review_id, review_title, ",
    ),
    (
        "missing required column",
        "review_id,stance\nr-1,accepted\n",
        InputError,
        r"^t\.csv:1: missing required column 'rec_label'",
    ),
    (
        "bad date",
        "review_id,rec_label,stance,stance_date\nr-1,1,accepted,2020-02-30\n",
        ValidationFailed,
        r"^t\.csv:2 \(column stance_date\): .*'2020-02-30' is not a possible date",
    ),
    (
        "bad due date",
        "review_id,rec_label,stance,stance_date,commitment,due_date\n"
        "r-1,1,accepted,2020-01-01,Do it,whenever\n",
        ValidationFailed,
        r"^t\.csv:2 \(column due_date\): .*'whenever' is not a date reviewgraph understands",
    ),
    (
        "unknown stance",
        "review_id,rec_label,stance,stance_date\nr-1,1,accepted,2020-01-01\n"
        "r-1,2,maybe,2020-01-01\n",
        ValidationFailed,
        r"^t\.csv:3 \(column stance\): .*'maybe' is not a stance \(accepted, accepted in",
    ),
    (
        "unknown status",
        "review_id,rec_label,status,status_date\nr-1,1,sort of done,2020-01-01\n",
        ValidationFailed,
        r"^t\.csv:2 \(column status\): .*'sort of done' is not a status",
    ),
    (
        "ambiguous status",
        "review_id,rec_label,status,status_date\nr-1,1,Open,2020-01-01\n",
        ValidationFailed,
        r"^t\.csv:2 \(column status\): .*'Open' is ambiguous as a status",
    ),
    (
        "unknown assessor role",
        "review_id,rec_label,status,status_date,assessor_role\nr-1,1,delivered,2020,judge\n",
        ValidationFailed,
        r"^t\.csv:2 \(column assessor_role\): .*'judge' is not an assessor role",
    ),
    (
        "a stance without its date",
        "review_id,rec_label,stance\nr-1,1,accepted\n",
        ValidationFailed,
        r"^t\.csv:2 \(column stance_date\): a stance needs its stance_date",
    ),
    (
        "an empty label",
        "review_id,rec_label\nr-1,\n",
        ValidationFailed,
        r"^t\.csv:2 \(column rec_label\): rec_label is empty",
    ),
    (
        "header only",
        "review_id,rec_label\n",
        InputError,
        r"^t\.csv(:\d+)?: the CSV file has a header but no rows",
    ),
]


@pytest.mark.parametrize(
    ("label", "text", "error", "message"), ERRORS, ids=[case[0] for case in ERRORS]
)
def test_errors_name_the_row_and_column(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    label: str,
    text: str,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as caught:
        read_csv(tmp_path, monkeypatch, text)
    if isinstance(caught.value, ValidationFailed):
        assert len(caught.value.problems) == 1
        text_of = str(caught.value.problems[0])
    else:
        text_of = str(caught.value)
    assert re.search(message, text_of), text_of


def test_every_bad_row_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "review_id,rec_label,stance,stance_date\n"
        "r-1,1,maybe,2020-01-01\n"
        "r-1,2,accepted,2020-01-01\n"
        "r-1,3,accepted,someday\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_csv(tmp_path, monkeypatch, text)
    rows = [str(p).split(" ")[0] for p in caught.value.problems]
    assert rows == ["t.csv:2", "t.csv:4"]
