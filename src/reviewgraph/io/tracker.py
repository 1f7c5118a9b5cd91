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
import io
from collections.abc import Iterator
from typing import Any

from reviewgraph.errors import InputError, Location
from reviewgraph.io.authoring import Collected
from reviewgraph.io.tracker_rows import RowReader
from reviewgraph.models import (
    Body,
    Commitment,
    Dataset,
    DueDateStatement,
    Review,
    Source,
    Stance,
    StatusClaim,
)

__all__ = [
    "ALL_COLUMNS",
    "COLUMNS",
    "EXTRA_COLUMNS",
    "REQUIRED_COLUMNS",
    "generate_tracker_rows",
    "neutralise",
    "parse_columns",
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

EXTRA_COLUMNS = ("since", "due_stated_on", "made_on")
"""Optional columns beyond the seventeen: when a status held since, when a due date was
stated, when a commitment was made (each a date, its precision kept)."""

ALL_COLUMNS = COLUMNS + EXTRA_COLUMNS
"""Every column a tracker table may have."""

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


def parse_columns(spec: str) -> dict[str, str]:
    """Parse a ``--columns`` mapping, ``old=new,...``, from a foreign header onto the format.

    Raises
    ------
    InputError
        If a pair lacks its ``=`` or names a column the format does not have.

    Examples
    --------
    >>> parse_columns("Rec no=rec_label, Lead=owner")
    {'Rec no': 'rec_label', 'Lead': 'owner'}
    """
    mapping: dict[str, str] = {}
    for pair in spec.split(","):
        if not pair.strip():
            continue
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InputError(f"--columns: {pair.strip()!r} is not old=new")
        if new.strip() not in ALL_COLUMNS:
            raise InputError(
                f"--columns: {new.strip()!r} is not a column of the tracker table "
                f"({', '.join(ALL_COLUMNS)})"
            )
        mapping[old.strip()] = new.strip()
    return mapping


def read_tracker_rows(
    text: str, file: str, out: Collected, columns: dict[str, str] | None = None
) -> None:
    """Read a tracker table (text of a CSV file) into ``out``; problems name row and column.

    Lines starting with ``#`` before the header are comments.  ``columns`` renames header
    cells (a foreign tracker's ``Rec no`` to ``rec_label``) before they are checked.

    Raises
    ------
    InputError
        If the header lacks a required column, names unknown ones, or a row is ragged.

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
    rows: list[tuple[int, list[str]]] = []
    start = 1  # the line the record being read starts on
    try:
        for cells in parser:
            if not rows and cells and cells[0].startswith("#"):
                start = parser.line_num + 1
                continue
            rows.append((start, cells))
            start = parser.line_num + 1
    except csv.Error as exc:
        hint = " (a quoted cell is not closed)" if "end of data" in str(exc) else ""
        raise InputError(f"CSV syntax error: {exc}{hint}", Location(file, start)) from None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise InputError(
            "the CSV file has no header row", Location(file, rows[0][0] if rows else 1)
        )
    header_line = rows[0][0]
    header = [(columns or {}).get(h.strip(), h.strip()) for h in rows[0][1]]
    unknown = [h for h in header if h not in ALL_COLUMNS]
    if unknown:
        names = ", ".join(repr(h) for h in unknown)
        noun = "column" if len(unknown) == 1 else "columns"
        raise InputError(
            f"unknown {noun} {names} (expected: {', '.join(ALL_COLUMNS)}; "
            "map a foreign header with --columns old=new,...)",
            Location(file, header_line),
        )
    twice = [h for n, h in enumerate(header) if h in header[:n]]
    if twice:
        raise InputError(f"the column {twice[0]!r} appears twice", Location(file, header_line))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing required column {missing[0]!r}", Location(file, header_line))
    reader = RowReader(file, out)
    data_rows = 0
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(
                f"the row has {len(cells)} cells but the header has {len(header)}",
                Location(file, number),
            )
        data_rows += 1
        values = {h: unneutralise(c).strip() for h, c in zip(header, cells, strict=True)}
        reader.row(values, number)
    if data_rows == 0:
        raise InputError("the CSV file has a header but no rows", Location(file))
    reader.finish()


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

    from reviewgraph.io.names import name_slug

    def name(body_id: str | None) -> str:
        """The body's name when reading it back gives the same id, else its id."""
        item = index.get(body_id) if body_id else None
        if isinstance(item, Body) and name_slug(item.name).replace(".", "-") == item.id:
            return item.name
        return _text(body_id)

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
    rows: list[list[str]] = []
    extras: list[dict[str, str]] = []
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
        rows.append(row)
        extras.append(_extra_cells(row, commitment, dues[-1] if dues else None, claim))
    needed = [c for c in EXTRA_COLUMNS if any(e.get(c) for e in extras)]
    yield [*COLUMNS, *needed]
    for row, extra in zip(rows, extras, strict=True):
        yield [neutralise(cell) for cell in [*row, *(extra.get(c, "") for c in needed)]]


def _extra_cells(
    row: list[str],
    commitment: Commitment | None,
    due: DueDateStatement | None,
    claim: StatusClaim | None,
) -> dict[str, str]:
    """The optional cells a row needs so that reading it back assumes nothing wrong: made_on
    and due_stated_on when they differ from what the reader would assume, and since."""
    from reviewgraph.dates import DateRange

    cells = dict(zip(COLUMNS, row, strict=True))
    out: dict[str, str] = {}
    if claim is not None and claim.since is not None:
        out["since"] = claim.since.text
    if commitment is not None and commitment.made_on.text != cells["stance_date"]:
        out["made_on"] = commitment.made_on.text
    if due is not None and due.stated_on is not None:
        # the reader's order: status_date, stance_date, made_on, review_date
        cells["made_on"] = out.get("made_on", "")
        names = ("status_date", "stance_date", "made_on", "review_date")
        dated = [DateRange.from_text(cells[n]) for n in names if cells[n]]
        assumed = max(dated, key=lambda d: d.latest).text if dated else None
        if due.stated_on.text != assumed:
            out["due_stated_on"] = due.stated_on.text
    return out


def write_tracker(dataset: Dataset) -> str:
    """Return the tracker table of a dataset as CSV text (see :func:`generate_tracker_rows`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(generate_tracker_rows(dataset))
    return buffer.getvalue()
