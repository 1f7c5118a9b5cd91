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


# --------------------------------------------------------------------------- honest reading

REAL = DATA / "tracker" / "real-style.csv"
HISTORY = DATA / "tracker" / "history.csv"


def _notes(loaded: Loaded) -> list[str]:
    return [n.message for n in loaded.notes]


def test_owner_and_due_date_make_a_commitment_without_its_text() -> None:
    loaded = read_dataset([REAL])
    ds = loaded.dataset
    owners = {c.answers[0]: c.owner for c in ds.commitments}
    assert owners == {
        "fire-2019/33.10a": "home-office",
        "fire-2019/33.11b": "london-fire-brigade",
        "fire-2019/33.12": "london-fire-brigade",
        "fire-2019/33.13": "london-fire-brigade",
    }
    summary = ds.get("fire-2019/33.10a/commitment").summary  # type: ignore[union-attr]
    assert summary.startswith("Develop national guidelines")  # the recommendation's summary
    targets = {d.commitment: d.target.text for d in ds.due_dates}
    assert targets == {
        "fire-2019/33.10a/commitment": "by December 2021",
        "fire-2019/33.11b/commitment": "2021-06",
        "fire-2019/33.13/commitment": "2020-12",
    }
    (said,) = [n for n in _notes(loaded) if "leave commitment empty" in n]
    assert said.startswith("4 row(s)") and "rows 2-5" in said


def test_gaps_finds_the_overdue_commitments_of_a_real_style_tracker() -> None:
    from datetime import date

    from reviewgraph.analysis import ReviewGraph

    graph = ReviewGraph.from_dataset(read_dataset([REAL]).dataset)
    found = set(graph.gaps(as_of=date(2024, 1, 1)).items("not-followed-through"))
    assert {"fire-2019/33.10a/commitment", "fire-2019/33.11b/commitment"} <= found
    assert "fire-2019/33.13/commitment" not in found  # delivered before its target
    # before the first target passed, nothing was overdue yet
    early = graph.gaps(as_of=date(2020, 6, 1)).items("not-followed-through")
    assert "fire-2019/33.10a/commitment" not in early


def test_a_blank_role_is_derived_from_the_assessor_being_the_owner() -> None:
    loaded = read_dataset([REAL])
    (claim,) = [c for c in loaded.dataset.status_claims if c.about.startswith("fire-2019/33.12")]
    assert claim.role is AssessorRole.OWNER
    assert any("the role is owner" in n and n.startswith("1 ") for n in _notes(loaded))


def test_a_blank_role_that_cannot_be_derived_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "review_id,rec_label,owner,status,status_date,status_assessor\n"
        "r-1,1,Home Office,in progress,2022,Audit Office\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_csv(tmp_path, monkeypatch, text)
    (problem,) = caught.value.problems
    assert str(problem).startswith("t.csv:2 (column assessor_role): assessor_role is empty")


def test_a_blank_role_from_the_owners_parent_is_sponsor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bodies.yaml").write_text(
        "bodies:\n  - id: dept\n    name: The Department\n"
        "  - id: agency\n    name: The Agency\n    parent: dept\n",
        encoding="utf-8",
    )
    (tmp_path / "t.csv").write_text(
        "review_id,rec_label,owner,status,status_date,status_assessor,made_on\n"
        "r-1,1,The Agency,in progress,2022,The Department,2021\n",
        encoding="utf-8",
    )
    ds = read_dataset(["t.csv", "bodies.yaml"]).dataset
    (claim,) = ds.status_claims
    assert (claim.assessor, claim.role) == ("dept", AssessorRole.SPONSOR)
    assert ds.commitments[0].owner == "agency"  # the name resolved to the defined body


def test_dated_status_rows_are_history_and_status_answers_between_them() -> None:
    from datetime import date

    from reviewgraph.analysis import ReviewGraph

    ds = read_dataset([HISTORY]).dataset
    assert len(ds.commitments) == 1 and len(ds.status_claims) == 3
    graph = ReviewGraph.from_dataset(ds)
    item = "care-2020/1/commitment"
    expected = {
        date(2021, 6, 1): "not-started",
        date(2023, 1, 1): "in-progress",
        date(2025, 1, 1): "delivered",
    }
    for when, status in expected.items():
        assert graph.status(item, as_of=when).status.status == status, when
    (since,) = [c.since for c in ds.status_claims if c.since is not None]
    assert since.text == "2022-02"  # precision kept


def test_a_due_date_counts_from_when_it_was_stated() -> None:
    ds = read_dataset([HISTORY]).dataset
    stated = {d.target.text: d.stated_on.text for d in ds.due_dates if d.stated_on}
    assert stated == {"2022-12": "2020-06-01", "2025-06": "2025-07-01"}


def test_without_due_stated_on_a_due_date_is_stated_on_the_rows_latest_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "review_id,rec_label,stance,stance_date,owner,due_date,status,status_date,assessor_role\n"
        "r-1,1,accepted,2021-03,Home Office,2026-01,in progress,2025-07-14,owner\n"
    )
    loaded = read_csv(tmp_path, monkeypatch, text)
    (due,) = loaded.dataset.due_dates
    assert due.stated_on is not None and due.stated_on.text == "2025-07-14"  # never earlier
    (commitment,) = loaded.dataset.commitments
    assert commitment.made_on.text == "2021-03"  # the stance date
    notes = _notes(loaded)
    assert any(n.startswith("1 due date(s) have no due_stated_on") for n in notes), notes
    assert any(n.startswith("1 commitment(s) have no made_on") for n in notes), notes


def test_made_on_wins_and_else_the_earliest_date_of_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "review_id,rec_label,owner,status,status_date,assessor_role,made_on,since\n"
        "r-1,1,Home Office,in progress,2023,owner,2022-05,2022-11\n"
        "r-1,2,Home Office,in progress,2023-06,owner,,2022-11\n"
    )
    ds = read_csv(tmp_path, monkeypatch, text).dataset
    made = {c.answers[0]: c.made_on.text for c in ds.commitments}
    assert made == {"r-1/1": "2022-05", "r-1/2": "2022-11"}


def test_a_due_date_stated_in_2025_does_not_count_in_2023() -> None:
    from datetime import date

    from reviewgraph.analysis import ReviewGraph

    graph = ReviewGraph.from_dataset(read_dataset([HISTORY]).dataset)
    item = "care-2020/1/commitment"
    in_2023 = [f for f in graph.gaps(as_of=date(2023, 6, 1)).findings if f.item == item]
    assert in_2023 and in_2023[0].due is not None
    assert "2025-06" not in in_2023[0].due.model_dump_json()


CELLS = {
    "review_title": "A title",
    "review_date": "2020-01",
    "rec_summary": "Do the thing.",
    "addressees": "Home Office",
    "stance": "accepted",
    "stance_date": "2020-03",
    "stance_source": "https://example.org/s",
    "commitment": "We will do it.",
    "owner": "Cabinet Office",
    "due_date": "2021-07",
    "status": "delivered",
    "status_date": "2021-09",
    "status_assessor": "Audit Office",
    "assessor_role": "independent scrutiny",
    "status_source": "https://example.org/p",
    "since": "2021-08",
    "due_stated_on": "2020-04",
    "made_on": "2020-02",
}


@pytest.mark.parametrize("column", sorted(CELLS))
def test_every_cell_lands_in_the_dataset_or_gets_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str
) -> None:
    """One cell filled besides the required two: it is read, or a message names it."""
    from reviewgraph.io.tracker import ALL_COLUMNS

    assert set(CELLS) | set(REQUIRED_COLUMNS) == set(ALL_COLUMNS)
    value = CELLS[column]
    text = f"review_id,rec_label,{column}\nr-1,1,{value}\n"
    try:
        ds = read_csv(tmp_path, monkeypatch, text).dataset
    except ValidationFailed as exc:
        named = [
            p
            for p in exc.problems
            if p.location
            and p.location.line == 2
            and column in (p.location.column, *p.message.split())
        ]
        assert named, exc.problems
        return
    dumped = ds.model_dump_json()
    assert value in dumped or value.replace(" ", "-") in dumped or "cabinet-office" in dumped


def test_every_cell_of_a_full_row_lands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header = ",".join(["review_id", "rec_label", *CELLS])
    text = f"{header}\nr-1,1,{','.join(CELLS.values())}\n"
    ds = read_csv(tmp_path, monkeypatch, text).dataset
    dumped = ds.model_dump_json()
    for column, value in CELLS.items():
        assert value in dumped or value.replace(" ", "-") in dumped, column


def test_all_unknown_columns_are_named_at_once_and_columns_maps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewgraph.io.tracker import parse_columns

    text = "Review,No.,colour,review_title\nr-1,1,red,T\n"
    with pytest.raises(InputError) as caught:
        read_csv(tmp_path, monkeypatch, text)
    assert "unknown columns 'Review', 'No.', 'colour'" in str(caught.value)
    (tmp_path / "t.csv").write_text("Review,No.,review_title\nr-1,1,T\n", encoding="utf-8")
    mapping = parse_columns("Review=review_id,No.=rec_label")
    ds = read_dataset(["t.csv"], columns=mapping).dataset
    assert [r.id for r in ds.recommendations] == ["r-1/1"]
    with pytest.raises(InputError, match="'colour' is not a column"):
        parse_columns("x=colour")


def test_messages_come_in_row_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [f"r-1,{n},{'maybe' if n in (3, 9, 10) else 'accepted'},2020-01\n" for n in range(1, 12)]
    text = "review_id,rec_label,stance,stance_date\n" + "".join(rows)
    with pytest.raises(ValidationFailed) as caught:
        read_csv(tmp_path, monkeypatch, text)
    (problem,) = caught.value.problems  # one cause, one message
    assert str(problem).startswith("t.csv:4 (column stance)")
    assert "(the same in row(s) 10-11)" in str(problem)
    text = "review_id,rec_label,stance,stance_date\n" + "".join(
        f"r-1,{n},{'maybe' if n == 10 else 'accepted'},{'x' if n == 3 else '2020'}\n"
        for n in range(1, 12)
    )
    with pytest.raises(ValidationFailed) as caught:
        read_csv(tmp_path, monkeypatch, text)
    assert [p.location.line for p in caught.value.problems if p.location] == [4, 11]


def test_a_reference_to_an_invalid_item_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.yaml").write_text(
        "bodies:\n  - id: dept\n    name: D\n    government: perhaps\n", encoding="utf-8"
    )
    links = "".join(
        f"  - id: c-{n}\n    summary: S\n    made_on: 2020\n    owner: dept\n" for n in range(5)
    )
    (tmp_path / "c.yaml").write_text(f"commitments:\n{links}", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["b.yaml", "c.yaml"])
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2, messages
    assert "because dept is invalid (see b.yaml:4)" in messages[1]
    assert "and 4 more item(s)" in messages[1]


def test_rows_for_one_review_must_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "review_id,review_title,rec_label\nr-1,One,1\nr-1,Two,2\n"
    with pytest.raises(ValidationFailed) as caught:
        read_csv(tmp_path, monkeypatch, text)
    (problem,) = caught.value.problems
    assert str(problem).startswith("t.csv:3 (column review_title): review r-1: review_title")
