"""The workbook format: one sheet per kind of item, columns named as the YAML keys.

A workbook (``.xlsx``, read and written with openpyxl) or a folder of CSV files, one per
sheet, holds everything a YAML file can: the columns of each sheet are the fields of its
model, taken from the models' field table (:func:`reviewgraph.rdf.mapping.field_specs`),
never from a hand-kept list.  Each row is one item, so many rows about one commitment (its
due dates, its status claims) are its history.  Dates are written as their text, so they keep
their precision.

How cells hold values:

- a date, a concept, a number or a text: its text (a concept's notation, ``true``/``false``);
- a list of ids (``addressees``): ids separated by ``;``;
- citations that give only sources: the source ids separated by ``;``; citations with a
  locator or an access date, and other nested values (``blanket``, ``names``, ``fulfils``,
  ``alternatives``): JSON, as the YAML keys give them;
- a blank cell: the field is not given (its default applies; the README sheet says which).

YAML -> workbook -> YAML gives the same dataset, so the same RDF graph and the same analyses.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError, InputError, Location
from reviewgraph.io.authoring import Collected
from reviewgraph.models import ITEM_TYPES, Citation, Dataset, Item, Node

__all__ = [
    "SHEETS",
    "columns_of",
    "dataset_rows",
    "is_sheet_csv",
    "read_csv_sheet",
    "read_workbook",
    "write_csv_folder",
    "write_workbook",
]

SHEETS: dict[str, str] = {
    "reviews": "reviews",
    "recommendations": "recommendations",
    "bodies": "bodies",
    "people": "people",
    "themes": "themes",
    "responses": "responses",
    "stances": "stances",
    "commitments": "commitments",
    "due dates": "due_dates",
    "status claims": "status_claims",
    "deliverables": "deliverables",
    "links": "links",
    "body changes": "body_changes",
    "elections": "elections",
    "sources": "sources",
}
"""Each sheet's name, with the dataset collection it holds."""

EXTRA_SHEET = "extra"
"""The sheet of what no model field covers: the dataset's language and extra triples."""


def _key(model: type[Node], name: str) -> str:
    alias = model.model_fields[name].alias
    return alias or name


def columns_of(model: type[Item]) -> list[str]:
    """The columns of a model's sheet: its fields, named as the YAML keys, ``id`` first.

    Examples
    --------
    >>> from reviewgraph.models import Link
    >>> columns_of(Link)
    ['id', 'type', 'from', 'to', 'basis', 'rationale', 'citations']
    """
    return ["id", *_specs(model)]


def _plain(value: Any) -> Any:
    """A value as YAML would give it: dates as their text, nested nodes as mappings."""
    if isinstance(value, DateRange):
        return value.text
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            v = getattr(value, name)
            if v != info.default:
                out[info.alias or name] = _plain(v)
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


_JSON_TEXT = "json:"
"""Marks a text cell written as a JSON string: text with characters a worksheet cannot
hold (control characters), or text that itself starts with this marker."""

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe_text(text: str) -> str:
    if _ILLEGAL.search(text) or text.startswith(_JSON_TEXT):
        return _JSON_TEXT + json.dumps(text)
    return text


def _date_cell(value: DateRange) -> str:
    """A date as its text, or as JSON with its bounds when the text alone does not give them."""
    try:
        if DateRange.from_text(value.text) == value:
            return value.text
    except ValueError:
        pass
    return json.dumps(value.model_dump(mode="json"), sort_keys=True)


def _cell(value: Any) -> str:
    if value is None or value == ():
        return ""
    if isinstance(value, DateRange):
        return _date_cell(value)
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        if all(isinstance(v, Citation) and v.locator is None and v.accessed is None for v in value):
            return "; ".join(v.source for v in value)
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    plain = _plain(value)
    return plain if isinstance(plain, str) else json.dumps(plain, ensure_ascii=False)


def _rows_of(items: tuple[Item, ...], model: type[Item]) -> Iterator[list[str]]:
    names = ["id", *(n for n in columns_of(model)[1:])]
    fields = {_key(model, n): n for n in model.model_fields}
    for item in items:
        yield [_cell(getattr(item, fields[c])) for c in names]


def dataset_rows(dataset: Dataset) -> Iterator[tuple[str, list[str], Iterator[list[str]]]]:
    """Yield each sheet of a dataset: ``(sheet name, header, rows)``; the extra sheet last."""
    for sheet, collection in SHEETS.items():
        model = ITEM_TYPES[collection]
        yield sheet, columns_of(model), _rows_of(getattr(dataset, collection), model)
    extra = [["language", dataset.language]] if dataset.language else []
    extra += [["triple", _safe_text(t)] for t in dataset.extra_triples]
    yield EXTRA_SHEET, ["kind", "value"], iter(extra)


@cache
def _specs(model: type[Item]) -> dict[str, Any]:
    """Each column of a model's sheet, with the field spec behind it."""
    from reviewgraph.rdf.mapping import field_specs

    return {_key(model, spec.name): spec for spec in field_specs(model)}


def _value(column: str, model: type[Item], text: str) -> Any:
    """The value a cell gives a field (the reverse of :func:`_cell`)."""
    spec = _specs(model).get(column)
    if text.startswith(_JSON_TEXT):
        return json.loads(text[len(_JSON_TEXT) :])
    if spec is not None and spec.target is DateRange and text.startswith("{"):
        return json.loads(text)
    if spec is not None and spec.target is DateRange and not spec.many:
        return _date(text)
    if spec is None or not spec.many:
        return text
    if text.startswith("["):
        return json.loads(text)
    parts = [p.strip() for p in text.split(";") if p.strip()]
    if spec.name == "citations":
        return [_citation(p) for p in parts]
    return parts


@lru_cache(maxsize=8192)
def _citation(source: str) -> Citation | dict[str, str]:
    """A citation of a source by id, one shared (frozen) object per source; an id that is
    not valid is left to the model to report, where the cell is."""
    try:
        return Citation(source=source)
    except ValidationError:
        return {"source": source}


@lru_cache(maxsize=8192)
def _date(text: str) -> DateRange | str:
    """A date cell's value, one shared (frozen) object per text: a big workbook repeats the
    same dates many times.  Text that is no date is left to the model to report."""
    try:
        return DateRange.from_text(text)
    except (ValueError, ValidationError):
        return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)  # as written: spaces are part of a text


def _read_rows(
    sheet: str, header: list[str], rows: Iterator[tuple[int, list[Any]]], file: str, out: Collected
) -> None:
    if sheet == EXTRA_SHEET:
        for _, cells in rows:
            kind, value = (_text(c) for c in [*cells, None, None][:2])
            if kind == "language":
                out.language = value
            elif kind == "triple":
                is_json = value.startswith(_JSON_TEXT)
                out.extra.append(json.loads(value[len(_JSON_TEXT) :]) if is_json else value)
        return
    collection = SHEETS[sheet]
    model = ITEM_TYPES[collection]
    known = columns_of(model)
    unknown = [h for h in header if h and h not in known]
    if unknown:
        names = ", ".join(repr(h) for h in unknown)
        raise InputError(
            f"unknown column(s) {names} in sheet {sheet!r} (expected: {', '.join(known)})",
            Location(file, 1),
        )
    where_file = f"{file}[{sheet}]"
    for number, cells in rows:
        texts = [_text(c) for c in cells]
        if not any(t.strip() for t in texts):
            continue
        record: dict[str, Any] = {}
        where = Location(where_file, number)
        try:
            for column, text in zip(header, texts, strict=False):
                if column and text:
                    record[column] = _value(column, model, text)
            item = model.model_validate(record)
        except json.JSONDecodeError as exc:
            out.problems.append(DataError(f"a cell is not valid JSON: {exc.msg}", where))
            continue
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else None
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = f"{field} is required"
            item_id = record.get("id")
            out.problems.append(
                DataError(
                    f"{field}: {msg}" if field and err["type"] != "missing" else msg,
                    Location(where.file, number, field),
                    item=f"{sheet} {item_id}" if isinstance(item_id, str) else None,
                )
            )
            if isinstance(item_id, str):
                out.failed.setdefault(item_id, Location(where.file, number))
            continue
        out.record(collection, item, Location(where.file, number, "id"))


def read_workbook(path: Path, name: str, out: Collected) -> None:
    """Read a workbook's sheets into ``out``; sheets the format does not know are skipped
    (the README sheet).

    The cells are read with python-calamine (a Rust reader, about forty times faster than
    openpyxl's on a big workbook, with the same values: texts, numbers, booleans, dates, and
    formulas' cached results); openpyxl writes the workbooks.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds for a file that is not xlsx
        reason = type(exc).__name__
        raise InputError(f"not a readable .xlsx workbook ({reason})", Location(name)) from None
    try:
        for sheet in book.sheet_names:
            if sheet not in SHEETS and sheet != EXTRA_SHEET:
                continue
            try:
                table = book.get_sheet_by_name(sheet)
            except Exception as exc:
                reason = type(exc).__name__
                raise InputError(
                    f"the sheet {sheet!r} cannot be read ({reason})", Location(name)
                ) from None
            if table.start is None:  # an empty sheet
                continue
            # rows come from the first row of the sheet, cells from its first used column
            pad = [None] * table.start[1]
            rows = ([*pad, *r] for r in table.iter_rows())
            header = [_text(h).strip() for h in next(rows, [])]
            numbered = ((n, r) for n, r in enumerate(rows, start=2))
            _read_rows(sheet, header, numbered, name, out)
    finally:
        book.close()


def _stem_sheet(path: Path) -> str | None:
    stem = path.stem.replace("_", " ")
    return stem if stem in SHEETS or stem == EXTRA_SHEET else None


def is_sheet_csv(path: Path, text: str) -> bool:
    """Whether a CSV file is a workbook sheet (named like one, with an ``id`` column first)."""
    first = text.removeprefix("\ufeff").split("\n", 1)[0].strip().split(",")[0]
    sheet = _stem_sheet(path)
    return sheet is not None and first in ("id", "kind")


def read_csv_sheet(path: Path, text: str, name: str, out: Collected) -> None:
    """Read one CSV file of a workbook folder (``due_dates.csv``) into ``out``."""
    from reviewgraph.io.tracker import unneutralise

    sheet = _stem_sheet(path)
    assert sheet is not None
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        rows = [(reader.line_num, [unneutralise(c) for c in r]) for r in reader]
    except csv.Error as exc:
        raise InputError(f"CSV syntax error: {exc}", Location(name)) from None
    _read_rows(sheet, header, iter(rows), name, out)


def write_workbook(dataset: Dataset) -> bytes:
    """Return a dataset as the bytes of an ``.xlsx`` workbook (cells are text, never formulas).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> write_workbook(demo_dataset())[:2]
    b'PK'
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet, header, rows in dataset_rows(dataset):
        ws = book.create_sheet(sheet)
        ws.append(header)
        for row in rows:
            ws.append([_as_text_cell(ws, c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_time(buffer.getvalue())


def _as_text_cell(ws: Any, value: str) -> Any:
    """A cell that holds text even when the text starts with ``=`` (never a formula)."""
    if not value:
        return None
    if value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _fixed_time(data: bytes) -> bytes:
    """Give every member of the zip the same date, so the same data gives the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # the time of writing, twice
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", body)
            target.writestr(fixed, body)
    return out.getvalue()


def write_csv_folder(dataset: Dataset, folder: Path) -> list[Path]:
    """Write a dataset as a folder of CSV files, one per sheet (``due_dates.csv``).

    Cells that a spreadsheet would run as formulas get the tracker table's ``'`` prefix.
    """
    from reviewgraph.io.export import write_atomic
    from reviewgraph.io.tracker import neutralise

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet, header, rows in dataset_rows(dataset):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([neutralise(c) for c in row] for row in rows)
        path = folder / f"{sheet.replace(' ', '_')}.csv"
        write_atomic(path, buffer.getvalue().encode("utf-8"))
        written.append(path)
    return written
