"""Analysis results as Excel workbooks (``--format xlsx``), through openpyxl.

Each workbook has a ``Summary`` sheet (what it is, the as-of date, the counts) and one sheet
per section: for gaps, one per finding category; for the others, one.  Every sheet has a
frozen header row with a filter, columns wide enough to read, dates as dates, numbers as
numbers, and each source as its own hyperlinked cell.  Text passes through
:func:`reviewgraph.io.tracker.neutralise`, so no cell is read as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from reviewgraph.analysis.results import (
    CitationRef,
    ContestedResult,
    DateValue,
    GapsResult,
    OwnerAsOf,
    ScorecardResult,
    SlippageResult,
    TimelineResult,
)
from reviewgraph.io.tracker import neutralise

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["XLSX_RESULTS", "Sheet", "render_xlsx", "sheets"]

XLSX_RESULTS = (GapsResult, ScorecardResult, SlippageResult, ContestedResult, TimelineResult)
"""The results that have a workbook form (gaps, scorecard, slippage, contested, timeline)."""

Links = tuple[tuple[str, str | None], ...]
"""Sources in a cell: each (title, url)."""


@dataclass
class Sheet:
    """One sheet: its name, column headers and rows (the last column may hold sources)."""

    name: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _links(cites: Sequence[CitationRef]) -> Links:
    seen: dict[str, tuple[str, str | None]] = {}
    for c in cites:
        seen.setdefault(c.source, (c.title or c.source, c.url))
    return tuple(seen.values())


def _day(value: DateValue | None) -> date | None:
    return value.earliest if value is not None else None


def _owner(owner: OwnerAsOf | None) -> str:
    if owner is None or not owner.original:
        return ""
    text = owner.original
    for step in owner.steps:
        text += f" -> ({step.kind}, {step.date.text}) {step.to_body or 'orphaned'}"
    return text


_CATEGORIES = {
    "not-followed-through": "Not followed through",
    "parked": "Parked",
    "unanswered": "Unanswered",
    "overdue-response": "Overdue response",
    "orphaned": "Orphaned owner",
}


def sheets(result: BaseModel) -> tuple[list[tuple[str, Any]], list[Sheet]]:
    """Return a result's summary lines and its sheets.

    Raises
    ------
    TypeError
        If the result has no workbook form.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> summary, found = sheets(ReviewGraph.from_dataset(demo_dataset()).gaps("2023-01-01"))
    >>> [(s.name, len(s.rows)) for s in found]
    [('Not followed through', 2), ('Parked', 1)]
    """
    if isinstance(result, GapsResult):
        out = []
        for category, name in _CATEGORIES.items():
            found = result.of(category)  # type: ignore[arg-type]
            if not found:
                continue
            sheet = Sheet(
                name,
                [
                    "review",
                    "item",
                    "rules",
                    "label",
                    "owner",
                    "due",
                    "due (latest day)",
                    "first due",
                    "revisions",
                    "days slipped",
                    "evidence",
                    "evidence date",
                    "recommended before",
                    "accepted before",
                    "not followed through before",
                    "promised before",
                    "first promised",
                    "why",
                    "sources",
                ],
            )
            for f in found:
                sheet.rows.append(
                    [
                        f.reviews[0] if f.reviews else "",
                        f.item,
                        ",".join(f.rules),
                        f.label,
                        _owner(f.owner),
                        f.due.current.target.text if f.due else "",
                        f.due.current.target.latest if f.due else None,
                        f.due.first.target.text if f.due else "",
                        f.due.revisions if f.due else None,
                        f.due.days_slipped if f.due else None,
                        f.status.status if f.status else "",
                        _day(f.status.date) if f.status else None,
                        f.recurrence.recommended_before,
                        f.recurrence.accepted_before,
                        f.recurrence.not_followed_through_before,
                        f.recurrence.promised_before,
                        f.recurrence.earlier_items[0].date.text
                        if f.recurrence.earlier_items
                        else "",
                        f.why.explanation,
                        _links(f.why.citations),
                    ]
                )
            out.append(sheet)
        summary = [
            ("Findings as of", result.as_of),
            ("Grace period (years)", result.grace_years),
            *((name, len(result.of(c))) for c, name in _CATEGORIES.items()),  # type: ignore[arg-type]
        ]
        return summary, out
    if isinstance(result, ScorecardResult):
        header = [result.by, "label", *(f.replace("_", " ") for f in _SCORE_FIELDS)]
        sheet = Sheet(f"By {result.by}", header)
        for r in result.rows:
            sheet.rows.append([r.key, r.label, *(getattr(r, f) for f in _SCORE_FIELDS)])
        return [("Scorecard as of", result.as_of), (f"Rows (by {result.by})", len(result.rows))], [
            sheet
        ]
    if isinstance(result, SlippageResult):
        sheet = Sheet(
            "Slippage",
            [
                "commitment",
                "label",
                "first target",
                "first target (latest day)",
                "last target",
                "last target (latest day)",
                "revisions",
                "days slipped",
                "delivered on",
                "late against first",
                "late against last",
            ],
        )
        for s in result.rows:
            sheet.rows.append(
                [
                    s.commitment,
                    s.label,
                    s.first_target.target.text,
                    s.first_target.target.latest,
                    s.last_target.target.text,
                    s.last_target.target.latest,
                    s.revisions,
                    s.days_slipped,
                    s.delivered_on,
                    s.late_against_first,
                    s.late_against_last,
                ]
            )
        return [("Slippage as of", result.as_of), ("Commitments", len(result.rows))], [sheet]
    if isinstance(result, ContestedResult):
        sheet = Sheet(
            "Contested",
            [
                "commitment",
                "label",
                "owner side",
                "owner claim",
                "owner claim date",
                "independent",
                "independent claim",
                "independent claim date",
                "sources",
            ],
        )
        for c in result.rows:
            sheet.rows.append(
                [
                    c.commitment,
                    c.label,
                    c.owner_bucket,
                    c.owner_side.claim or "",
                    _day(c.owner_side.date),
                    c.independent_bucket,
                    c.independent.claim or "",
                    _day(c.independent.date),
                    _links((*c.owner_side.citations, *c.independent.citations)),
                ]
            )
        return [
            ("Contested as of", result.as_of),
            ("Claims since", result.window_start),
            ("Commitments", len(result.rows)),
        ], [sheet]
    if isinstance(result, TimelineResult):
        sheet = Sheet("Timeline", ["date", "as written", "kind", "item", "about", "label"])
        for e in result.events:
            sheet.rows.append(
                [e.date.earliest, e.date.text, e.kind, e.item, " ; ".join(e.about), e.label]
            )
        return [("Timeline to", result.as_of), ("Events", len(result.events))], [sheet]
    raise TypeError(f"a {type(result).__name__} has no workbook form")


_SCORE_FIELDS = (
    "stances",
    "accepted",
    "accepted_in_principle",
    "accepted_in_part",
    "not_accepted",
    "noted",
    "to_be_considered",
    "commitments",
    "delivered",
    "delivered_late",
    "not_followed_through",
    "median_days_to_delivery",
)


def _text(value: str) -> str:
    return neutralise(value)


def render_xlsx(result: BaseModel) -> bytes:
    """Return a result as an ``.xlsx`` workbook.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> data = render_xlsx(ReviewGraph.from_dataset(demo_dataset()).slippage("2023-01-01"))
    >>> data[:2]
    b'PK'
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    summary, found = sheets(result)
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Summary"
    bold = Font(bold=True)
    for label, value in summary:
        first.append([label, value])
        if isinstance(value, date):
            first.cell(first.max_row, 2).number_format = "yyyy-mm-dd"
    first.column_dimensions["A"].width = 28
    first.column_dimensions["B"].width = 14
    link_font = Font(color="0B4EA2", underline="single")
    for sheet in found:
        ws = book.create_sheet(sheet.name[:31])
        n_links = max(
            (len(v) for row in sheet.rows for v in row if isinstance(v, tuple)), default=0
        )
        header = list(sheet.header)
        if header and header[-1] == "sources":
            header = header[:-1] + [f"source {i}" for i in range(1, max(n_links, 1) + 1)]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        widths = [len(h) for h in header]
        for r, row in enumerate(sheet.rows, start=2):
            col = 1
            for value in row:
                if isinstance(value, tuple):
                    for title, url in value:
                        cell = ws.cell(r, col, _text(title))
                        if url and url.lower().startswith(("http://", "https://")):
                            cell.hyperlink = url
                            cell.font = link_font
                        widths[col - 1] = max(widths[col - 1], min(len(title), 50))
                        col += 1
                    col = len(sheet.header) + n_links  # past every source column
                    continue
                cell = ws.cell(r, col, _text(value) if isinstance(value, str) else value)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                shown = 10 if isinstance(value, date) else len(str(value or ""))
                widths[col - 1] = max(widths[col - 1], min(shown, 60))
                col += 1
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
