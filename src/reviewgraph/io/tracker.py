"""The CSV tracker table: one row per recommendation, as committees and auditors publish them.

Reading (:func:`read_tracker_rows`) turns each row into a review, a recommendation, a
response and stance, a commitment with a due date, and a status claim, as far as the row's
cells are filled.  Writing (:func:`generate_tracker_rows`, :func:`write_tracker`) is a
documented projection of any dataset: one row per recommendation with its latest stance,
its first commitment, that commitment's latest due date and its latest status claim.

Cells written for people have spreadsheet formulas neutralised (a leading ``'`` before
``=``, ``+``, ``-``, ``@``, tab or carriage return), and the reader removes exactly that
prefix, so CSV -> dataset -> CSV is the identity.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from reviewgraph.errors import DataError, InputError, Location
from reviewgraph.io.authoring import Collected, slugify
from reviewgraph.models import (
    Body,
    Commitment,
    Dataset,
    DueDateStatement,
    Item,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
)

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "generate_tracker_rows",
    "neutralise",
    "read_tracker_rows",
    "unneutralise",
    "write_tracker",
]

COLUMNS = (
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
"""The tracker table's columns, in order."""

REQUIRED_COLUMNS = ("review_id", "rec_label")
"""Columns every tracker table must have; the others may be left out or left empty."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Stop a spreadsheet reading a cell as a formula.

    Examples
    --------
    >>> neutralise("=HYPERLINK(1)"), neutralise("plain")
    ("'=HYPERLINK(1)", 'plain')
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) or _marked(cell) else cell


def _marked(cell: str) -> bool:
    """Whether a cell starts with the prefix :func:`neutralise` adds (``'`` before a formula
    start or before another such ``'``), so that a text that merely looks neutralised, such
    as ``'=x``, is itself prefixed and read back unchanged."""
    return len(cell) > 1 and cell[0] == "'" and cell[1:].startswith((*_FORMULA_STARTS, "'"))


def unneutralise(cell: str) -> str:
    """Remove exactly the prefix :func:`neutralise` adds.

    Examples
    --------
    >>> unneutralise("'=1+1"), unneutralise("'quoted"), unneutralise(neutralise("'=x"))
    ('=1+1', "'quoted", "'=x")
    """
    return cell[1:] if _marked(cell) else cell


def _source_id(url: str) -> str:
    return "src-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


class _RowReader:
    def __init__(self, file: str, out: Collected) -> None:
        self.file, self.out = file, out
        self.seen: dict[str, Item] = {}

    def add(self, collection: str, item: Item, row: int, column: str) -> None:
        existing = self.seen.get(item.id)
        if existing is not None:
            if isinstance(existing, Review) and isinstance(item, Review):
                existing, item = (
                    existing.model_copy(update={"citations": ()}),
                    item.model_copy(update={"citations": ()}),
                )
            if existing != item and collection not in ("responses", "sources", "bodies"):
                self.out.problems.append(
                    DataError(
                        "differs from an earlier row for the same id",
                        Location(self.file, row, column),
                        item=item.id,
                    )
                )
            return
        self.seen[item.id] = item
        self.out.record(collection, item, Location(self.file, row, column))

    def body(self, cell: str, row: int, column: str) -> str:
        body_id = slugify(cell).replace(".", "-")
        if body_id not in self.out.placeholders:
            self.out.placeholders[body_id] = Body(id=body_id, name=cell)
            self.out.locations.setdefault(body_id, Location(self.file, row, column))
        return body_id

    def source(self, cell: str, row: int, column: str) -> list[dict[str, Any]]:
        if not cell:
            return []
        source_id = _source_id(cell)
        url = cell if cell.startswith(("http://", "https://")) else None
        self.add("sources", Source(id=source_id, url=url, title=None if url else cell), row, column)
        return [{"source": source_id}]

    def row(self, cells: dict[str, str], row: int) -> None:
        def get(name: str) -> str:
            return unneutralise(cells.get(name) or "").strip()

        column = "review_id"
        try:
            review_id = get("review_id")
            label = get("rec_label")
            if not review_id or not label:
                missing = "review_id" if not review_id else "rec_label"
                raise DataError(f"{missing} is empty", Location(self.file, row, missing))
            stance_cites = self.source(get("stance_source"), row, "stance_source")
            status_cites = self.source(get("status_source"), row, "status_source")
            self.add(
                "reviews",
                Review(
                    id=review_id,
                    title=get("review_title") or review_id,
                    published=get("review_date") or None,
                    citations=tuple(stance_cites or status_cites),
                ),
                row,
                column,
            )
            column = "rec_label"
            rec_id = f"{review_id}/{slugify(label)}"
            addressees = [self.body(a, row, "addressees") for a in _split(get("addressees"))]
            self.add(
                "recommendations",
                Recommendation(
                    id=rec_id,
                    review=review_id,
                    label=label,
                    summary=get("rec_summary") or None,
                    addressees=tuple(addressees),
                    citations=tuple(stance_cites or status_cites),
                ),
                row,
                column,
            )
            response_id = None
            if get("stance"):
                column = "stance_date"
                if not get("stance_date"):
                    raise DataError(
                        "a stance needs its stance_date", Location(self.file, row, column)
                    )
                response_id = f"{review_id}/response-{slugify(get('stance_date'))}"
                self.add(
                    "responses",
                    Response(
                        id=response_id,
                        date=get("stance_date"),
                        answers=(review_id,),
                        citations=tuple(stance_cites),
                    ),
                    row,
                    column,
                )
                column = "stance"
                self.add(
                    "stances",
                    Stance(
                        id=f"{response_id}/{slugify(label)}",
                        response=response_id,
                        recommendation=rec_id,
                        stance=get("stance"),
                        citations=tuple(stance_cites),
                    ),
                    row,
                    column,
                )
            about = rec_id
            if get("commitment"):
                column = "commitment"
                made_on = get("stance_date") or get("review_date")
                if not made_on:
                    raise DataError(
                        "a commitment needs a stance_date (the date it was made)",
                        Location(self.file, row, column),
                    )
                about = f"{rec_id}/commitment"
                owner = self.body(get("owner"), row, "owner") if get("owner") else None
                self.add(
                    "commitments",
                    Commitment(
                        id=about,
                        summary=get("commitment"),
                        owner=owner,
                        made_on=made_on,
                        response=response_id,
                        answers=(rec_id,),
                        citations=tuple(stance_cites or status_cites),
                    ),
                    row,
                    column,
                )
                if get("due_date"):
                    column = "due_date"
                    self.add(
                        "due_dates",
                        DueDateStatement(
                            id=f"{about}/due-1",
                            commitment=about,
                            target=get("due_date"),
                            citations=tuple(stance_cites or status_cites),
                        ),
                        row,
                        column,
                    )
            if get("status"):
                column = "status_date"
                if not get("status_date"):
                    raise DataError(
                        "a status needs its status_date", Location(self.file, row, column)
                    )
                column = "status"
                assessor = get("status_assessor")
                self.add(
                    "status_claims",
                    StatusClaim(
                        id=f"{about}/status-1",
                        about=about,
                        status=get("status"),
                        asserted_on=get("status_date"),
                        assessor=self.body(assessor, row, "status_assessor") if assessor else None,
                        role=get("assessor_role") or "compiler",
                        citations=tuple(status_cites),
                    ),
                    row,
                    column,
                )
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else column
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "string_pattern_mismatch" and field == "id":
                msg = f"{err['input']!r} is not a valid id (lower-case letters, digits and hyphens)"
            col = _COLUMN_OF.get(field, column)
            self.out.problems.append(DataError(f"{col}: {msg}", Location(self.file, row, col)))
        except DataError as exc:
            self.out.problems.append(exc)


_COLUMN_OF = {
    "stance": "stance",
    "status": "status",
    "role": "assessor_role",
    "asserted_on": "status_date",
    "date": "stance_date",
    "published": "review_date",
    "target": "due_date",
    "made_on": "stance_date",
    "id": "review_id",
}


def read_tracker_rows(text: str, file: str, out: Collected) -> None:
    """Read a tracker table (text of a CSV file) into ``out``; problems name row and column.

    Raises
    ------
    InputError
        If the header lacks a required column, names an unknown one, or a row is ragged.

    Examples
    --------
    >>> out = Collected()
    >>> text = "review_id,rec_label,stance,stance_date\\nr-1,1,Accepted,2024-03\\n"
    >>> read_tracker_rows(text, "t.csv", out)
    >>> [s.stance.value for s in out.items["stances"]]
    ['accepted']
    """
    text = text.removeprefix("\ufeff")
    parser = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    start = 1  # the line the record being read starts on
    try:
        for cells in parser:
            rows.append(cells)
            start = parser.line_num + 1
    except csv.Error as exc:
        hint = " (a quoted cell is not closed)" if "end of data" in str(exc) else ""
        raise InputError(f"CSV syntax error: {exc}{hint}", Location(file, start)) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError("the CSV file has no header row", Location(file, 1))
    header = [h.strip() for h in rows[0]]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r} (expected: {', '.join(COLUMNS)})", Location(file, 1)
        )
    twice = [h for n, h in enumerate(header) if h in header[:n]]
    if twice:
        raise InputError(f"the column {twice[0]!r} appears twice", Location(file, 1))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing required column {missing[0]!r}", Location(file, 1))
    reader = _RowReader(file, out)
    data_rows = 0
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"the row has {len(cells)} cells but the header has {len(header)}",
                Location(file, number),
            )
        data_rows += 1
        reader.row(dict(zip(header, cells, strict=True)), number)
    if data_rows == 0:
        raise InputError("the CSV file has a header but no rows", Location(file))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def generate_tracker_rows(dataset: Dataset) -> Iterator[list[str]]:
    """Yield the tracker table of a dataset, header first, one row per recommendation.

    The table holds, for each recommendation, the latest stance on it (by date), its first
    commitment (by id) with that commitment's latest due date, and the latest status claim
    about the commitment (or about the recommendation when it has none).
    """
    index = dataset.index()
    responses = {r.id: r for r in dataset.responses}

    def name(body_id: str | None) -> str:
        item = index.get(body_id) if body_id else None
        return item.name if isinstance(item, Body) else _text(body_id)

    def url(citations: tuple[Any, ...]) -> str:
        for c in citations:
            src = index.get(c.source)
            if isinstance(src, Source):
                return src.url or src.title or ""
        return ""

    # index once, so the table is linear in the size of the dataset
    stances_of: dict[str, list[Stance]] = {}
    for each_stance in dataset.stances:
        stances_of.setdefault(each_stance.recommendation, []).append(each_stance)
    commitments_of: dict[str, list[Commitment]] = {}
    for each_commitment in dataset.commitments:
        for rec_id in each_commitment.answers:
            commitments_of.setdefault(rec_id, []).append(each_commitment)
    dues_of: dict[str, list[DueDateStatement]] = {}
    for due in dataset.due_dates:
        dues_of.setdefault(due.commitment, []).append(due)
    claims_of: dict[str, list[StatusClaim]] = {}
    for status_claim in dataset.status_claims:
        claims_of.setdefault(status_claim.about, []).append(status_claim)
    yield list(COLUMNS)
    for rec in sorted(dataset.recommendations, key=lambda r: r.id):
        review = index.get(rec.review)
        stances = sorted(
            stances_of.get(rec.id, []),
            key=lambda s: ((s.date or responses[s.response].date).latest, s.id),
        )
        stance = stances[-1] if stances else None
        commitments = sorted(commitments_of.get(rec.id, []), key=lambda c: c.id)
        commitment = commitments[0] if commitments else None
        about = commitment.id if commitment else rec.id
        dues = sorted(
            dues_of.get(commitment.id, []) if commitment else [],
            key=lambda d: ((d.stated_on.latest.isoformat() if d.stated_on else ""), d.id),
        )
        claims = sorted(claims_of.get(about, []), key=lambda s: (s.asserted_on.latest, s.id))
        claim = claims[-1] if claims else None
        stance_date = ""
        if stance is not None:
            stance_date = (stance.date or responses[stance.response].date).text
        row = [
            rec.review,
            review.title if isinstance(review, Review) else "",
            review.published.text if isinstance(review, Review) and review.published else "",
            rec.label,
            _text(rec.summary),
            ";".join(name(a) for a in rec.addressees),
            stance.stance.value.replace("-", " ") if stance else "",
            stance_date,
            url(stance.citations) if stance else "",
            commitment.summary if commitment else "",
            name(commitment.owner) if commitment and commitment.owner else "",
            dues[-1].target.text if dues else "",
            claim.status.value.replace("-", " ") if claim else "",
            claim.asserted_on.text if claim else "",
            name(claim.assessor) if claim and claim.assessor else "",
            claim.role.value.replace("-", " ") if claim else "",
            url(claim.citations) if claim else "",
        ]
        yield [neutralise(cell) for cell in row]


def write_tracker(dataset: Dataset) -> str:
    """Return the tracker table of a dataset as CSV text (see :func:`generate_tracker_rows`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(generate_tracker_rows(dataset))
    return buffer.getvalue()
