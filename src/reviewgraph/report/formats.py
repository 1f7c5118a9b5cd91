"""The output formats of the text renderers, and the one writer behind them.

:data:`FORMATS` names the formats every renderer accepts: an aligned ``table``, ``csv``,
``json`` or ``md`` (Markdown).  ``_emit`` writes one result in any of them (a title line that
states the date in ``table`` and ``md``, an ``as_of`` column in ``csv``, the result itself in
``json``; CSV cells pass through :func:`reviewgraph.io.tracker.neutralise`), and the texts of
the cells several renderers share are here too, with :func:`promised_text`, the "promised
before" line of a finding (the HTML report prints it as well).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel

from reviewgraph.analysis.resultparts import CitationRef, DateValue, OwnerAsOf, RecurrenceCounts
from reviewgraph.io.tracker import neutralise

__all__ = ["FORMATS", "Format", "promised_text"]

Format = Literal["table", "csv", "json", "md"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "md")
"""The output formats every renderer accepts."""

Cell = str | int | float | bool | date | None


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(value: DateValue | None) -> str:
    return value.text if value is not None else ""


def _owner(owner: OwnerAsOf | None) -> str:
    if owner is None or owner.original is None:
        return ""
    return owner.spelt


def _sources(cites: Sequence[CitationRef]) -> str:
    seen: list[str] = []
    for c in cites:
        where = c.url or c.source
        if where not in seen:
            seen.append(where)
    return " ; ".join(seen)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")


def _emit(
    result: BaseModel,
    fmt: str,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    notes: Sequence[str] = (),
) -> str:
    _check(fmt)
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    as_of = getattr(result, "as_of", None)
    known_on = getattr(result, "known_on", None)
    if known_on is not None:  # both dates, wherever the date is stated
        title = title.replace(f"{as_of}", f"{as_of}, known on {known_on}", 1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        known = ["known_on"] if known_on is not None else []
        writer.writerow(["as_of", *known, *header])
        dates = [neutralise(_text(as_of))] + ([_text(known_on)] if known_on is not None else [])
        for row in rows:
            writer.writerow([*dates, *(neutralise(_text(c)) for c in row)])
        return out.getvalue()
    texts = [[_text(c) for c in row] for row in rows]
    if fmt == "md":

        def esc(cell: str) -> str:
            return cell.replace("|", "\\|").replace("\n", " ")

        lines = [f"**{title}**", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in texts)
        if not texts:
            lines.append("| " + " | ".join("" for _ in header) + " |")
        if notes:
            lines.append("")
            lines.extend(f"{i}. {esc(n)}" for i, n in enumerate(notes, 1))
        return "\n".join(lines) + "\n"
    widths = [len(h) for h in header]
    for row in texts:
        widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        clipped = [c if len(c) <= 60 else c[:57] + "..." for c in cells]
        return "  ".join(c.ljust(w) for c, w in zip(clipped, widths, strict=True)).rstrip()

    lines = [title, "", line(header), line(["-" * w for w in widths])]
    lines.extend(line(row) for row in texts)
    if not texts:
        lines.append("(none)")
    if notes:
        lines.append("")
        lines.extend(f"[{i}] {n}" for i, n in enumerate(notes, 1))
    return "\n".join(lines) + "\n"


def promised_text(r: RecurrenceCounts, listed: int = 4) -> str:
    """The "promised before" line: every earlier recommendation and commitment in the
    item's threads (docs/concepts.md, "Recurrence threads"), the first date, the split by
    kind with each kind's fate, and the earliest ``listed`` items with their dates.

    >>> from datetime import date
    >>> from reviewgraph.analysis.results import EarlierItem
    >>> def day(t): return DateValue(text=t, earliest=date.fromisoformat(t),
    ...                              latest=date.fromisoformat(t))
    >>> r = RecurrenceCounts(promised_before=2, recommended_before=1, accepted_before=1,
    ...     committed_before=1, earlier_items=(
    ...     EarlierItem(item="f/218", item_type="recommendation",
    ...                 date=day("2013-02-06"), accepted=True, followed_through=True),
    ...     EarlierItem(item="f-pledge", item_type="commitment",
    ...                 date=day("2013-11-19"), accepted=True, followed_through=False)))
    >>> for part in promised_text(r).split("; "):
    ...     print(part)
    2, first 2013-02-06 (recommendations 1: accepted 1, not followed through 0
    commitments 1: delivered 0): f/218 2013-02-06, f-pledge 2013-11-19
    >>> promised_text(RecurrenceCounts())
    '0'
    """
    if not r.promised_before:
        return "0"
    items = r.earlier_items
    parts = []
    if r.recommended_before:
        parts.append(
            f"recommendations {r.recommended_before}: accepted {r.accepted_before}, "
            f"not followed through {r.not_followed_through_before}"
        )
    if r.committed_before:
        delivered = sum(1 for e in items if e.item_type == "commitment" and e.followed_through)
        parts.append(f"commitments {r.committed_before}: delivered {delivered}")
    text = str(r.promised_before)
    if items:
        text += f", first {items[0].date.text}"
    text += f" ({'; '.join(parts)})"
    if items:
        shown = ", ".join(f"{e.item} {e.date.text}" for e in items[:listed])
        more = f" (+{len(items) - listed} more)" if len(items) > listed else ""
        text += f": {shown}{more}"
    return text
