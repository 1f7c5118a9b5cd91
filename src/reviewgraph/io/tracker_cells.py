"""The cells of a tracker row, and the messages about them.

The columns read as dates and as concepts, the cells that mean nothing without another, a row's
cells once checked (``_Row``) and everything the rows say about one recommendation (``_Rec``);
problems folded to one message per root cause, and the notes that say, with a count, what the
reader assumed.  :class:`~reviewgraph.io.tracker_rows.RowReader` reads rows with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from pydantic import ValidationError

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError, Location
from reviewgraph.models import Citation
from reviewgraph.vocab.concepts import AssessorRole, StanceValue, Status, resolve_label

__all__ = ["DATE_COLUMNS", "row_list"]

DATE_COLUMNS = (
    "review_date",
    "stance_date",
    "due_date",
    "status_date",
    "since",
    "due_stated_on",
    "made_on",
)
"""Cells read as dates (with their precision kept)."""

_CONCEPTS: dict[str, type[StrEnum]] = {
    "stance": StanceValue,
    "status": Status,
    "assessor_role": AssessorRole,
}

# cells that mean nothing without another cell of the same row
_NEEDS = {
    "stance_date": "stance",
    "stance_source": "stance",
    "status_date": "status",
    "status_source": "status",
    "status_assessor": "status",
    "assessor_role": "status",
    "since": "status",
    "due_stated_on": "due_date",
}

E = TypeVar("E", bound=StrEnum)


def row_list(rows: list[int]) -> str:
    """Name rows compactly, runs as ranges.

    Examples
    --------
    >>> row_list([2, 3, 4, 7, 9, 10])
    '2-4, 7, 9-10'
    """
    parts: list[str] = []
    ordered = sorted(set(rows))
    start = prev = ordered[0] if ordered else 0
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts) if ordered else ""


def _source_id(text: str) -> str:
    return "src-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=8192)
def _date(text: str) -> DateRange:
    """A cell's date; trackers repeat the same few dates, and a date is frozen, so the rows
    share one object per text (a big tracker holds hundreds of thousands of dates)."""
    return DateRange.from_text(text)


@lru_cache(maxsize=1024)
def _concept(text: str, enum: type[StrEnum]) -> StrEnum:
    return resolve_label(text, enum)


@dataclass
class _Row:
    """One row's cells, checked: text, dates and concepts."""

    number: int
    text: dict[str, str]
    dates: dict[str, DateRange] = field(default_factory=dict)
    concepts: dict[str, StrEnum] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.text.get(name, "")


@dataclass
class _Claim:
    row: int
    status: Status
    asserted_on: DateRange
    since: DateRange | None
    assessor: str | None
    role: AssessorRole | None
    citations: tuple[Citation, ...]


@dataclass
class _Rec:
    """Everything the rows say about one recommendation."""

    review: str
    label: str
    first_row: int
    summary: tuple[str, int] | None = None
    addressees: set[str] = field(default_factory=set)
    citations: set[Citation] = field(default_factory=set)
    rows: list[_Row] = field(default_factory=list)


def _canon_union(a: tuple[Citation, ...], b: tuple[Citation, ...]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _makes_commitment(row: _Row) -> bool:
    return any(row.get(n) for n in ("commitment", "owner", "due_date"))


def _split(row: _Row, column: str) -> list[str]:
    return [part.strip() for part in row.get(column).split(";") if part.strip()]


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return str(exc)


_COLUMN_OF = {
    "stance": "stance",
    "status": "status",
    "role": "assessor_role",
    "asserted_on": "status_date",
    "date": "stance_date",
    "published": "review_date",
    "target": "due_date",
    "made_on": "made_on",
    "title": "review_title",
    "summary": "rec_summary",
    "label": "rec_label",
}


def _folded(problems: list[DataError]) -> list[DataError]:
    """One message per root cause: the same message in the same column of many rows is
    said once, naming the other rows."""
    groups: dict[tuple[str | None, str, str | None], list[DataError]] = {}
    for p in problems:
        column = p.location.column if p.location else None
        groups.setdefault((column, p.message, p.item), []).append(p)
    out: list[DataError] = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            rows = [p.location.line for p in group[1:] if p.location and p.location.line]
            first = DataError(
                f"{first.message} (the same in row(s) {row_list(rows)})",
                first.location,
                item=first.item,
            )
        out.append(first)
    return out


_NOTES = {
    "no-text": "row(s) leave commitment empty but give owner or due_date: each made a "
    "commitment, its summary taken from rec_summary (rows {rows})",
    "made-stance": "commitment(s) have no made_on: each counts as made on its stance_date "
    "(rows {rows})",
    "made-earliest": "commitment(s) have no made_on and no stance_date: each counts as made on "
    "the earliest date in its row (rows {rows})",
    "stated-latest": "due date(s) have no due_stated_on: each counts as stated on the latest "
    "date in its row, the status_date, else the stance_date (rows {rows})",
    "role-owner": "status claim(s) leave assessor_role empty: the assessor is the commitment's "
    "owner, so the role is owner (rows {rows})",
}


@dataclass
class _Notes:
    rows: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, row: int) -> None:
        self.rows.setdefault(kind, []).append(row)

    def messages(self, file: str) -> list[DataError]:
        return [
            DataError(f"{len(rows)} " + _NOTES[kind].format(rows=row_list(rows)), Location(file))
            for kind, rows in self.rows.items()
            if rows
        ]
