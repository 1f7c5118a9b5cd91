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
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
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
    "column_mapping",
    "comment_lines",
    "generate_tracker_rows",
    "neutralise",
    "parse_columns",
    "read_columns_file",
    "read_tracker_rows",
    "tracker_losses",
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


def column_mapping(columns: Mapping[str, str] | str | Path | None) -> dict[str, str] | None:
    """A column mapping from what ``--columns`` (and :func:`reviewgraph.open_source`,
    :func:`reviewgraph.load_files`) take: a mapping, ``old=new,...``, or the path of a
    mapping file (:func:`read_columns_file`).

    Raises
    ------
    InputError
        If the text is neither a file nor ``old=new,...``, or a new name is not a column.

    Examples
    --------
    >>> column_mapping("Rec no=rec_label"), column_mapping({"Lead": "owner"}), column_mapping(None)
    ({'Rec no': 'rec_label'}, {'Lead': 'owner'}, None)
    """
    if columns is None:
        return None
    if isinstance(columns, Path) or (isinstance(columns, str) and Path(columns).is_file()):
        return read_columns_file(Path(columns))
    if isinstance(columns, str):
        if "=" not in columns:
            raise InputError(
                "no such column mapping file (give a file of old=new lines, or old=new,...)",
                Location(columns),
            )
        return parse_columns(columns)
    for new in columns.values():
        if new not in ALL_COLUMNS:
            raise InputError(f"--columns: {new!r} is not a column of the tracker table")
    return dict(columns)


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


def read_columns_file(path: Path) -> dict[str, str]:
    r"""Read a column mapping file: one ``old=new`` a line, from a foreign tracker's header
    cell to a column of the tracker table; blank lines and lines starting with ``#`` are
    skipped.  (Header cells may hold commas here, unlike in ``old=new,...``.)

    Raises
    ------
    InputError
        If the file cannot be read, a line is not ``old=new``, names a column the format does
        not have, or maps the same header cell twice; the message names the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "columns.txt"
    >>> _ = f.write_text("# ours = theirs\nRec no=rec_label\nLead, if any=owner\n")
    >>> read_columns_file(f)
    {'Rec no': 'rec_label', 'Lead, if any': 'owner'}
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise InputError(f"cannot read the column mapping file: {reason}", Location(name)) from None
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            pair = parse_columns(line.replace(",", "\x00"))
        except InputError as exc:
            raise InputError(str(exc).replace("\x00", ","), Location(name, number)) from None
        ((old, new),) = ((o.replace("\x00", ","), n) for o, n in pair.items())
        if old in mapping:
            raise InputError(f"--columns: {old!r} is mapped twice", Location(name, number))
        mapping[old] = new
    if not mapping:
        raise InputError("the column mapping file maps no column (old=new)", Location(name))
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
    parser = csv.reader(_lines(text), strict=True)
    start = 1  # the line the record being read starts on
    header: list[str] | None = None
    reader = RowReader(file, out)
    data_rows = 0
    try:
        # streamed: one row is read, checked and filed at a time (a big tracker's peak)
        for cells in parser:
            number, start = start, parser.line_num + 1
            if header is None:
                if cells and cells[0].startswith("#"):
                    continue
                header = _header(cells, columns, file, number)
                continue
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
    except csv.Error as exc:
        hint = " (a quoted cell is not closed)" if "end of data" in str(exc) else ""
        raise InputError(f"CSV syntax error: {exc}{hint}", Location(file, start)) from None
    if header is None:
        raise InputError("the CSV file has no header row", Location(file, 1))
    if data_rows == 0:
        raise InputError("the CSV file has a header but no rows", Location(file))
    reader.finish()


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> Iterator[str]:
    """The lines of a text with their ends, split as ``newline=""`` splits them (at ``\\n``,
    ``\\r\\n`` and ``\\r`` only), without copying the whole text as a StringIO does."""
    begin = 0
    for end in _LINE_END.finditer(text):
        yield text[begin : end.end()]
        begin = end.end()
    if begin < len(text):
        yield text[begin:]


def _header(cells: list[str], columns: dict[str, str] | None, file: str, line: int) -> list[str]:
    """The header row, renamed by ``columns`` and checked: every unknown column named at once,
    none twice, the required ones present."""
    if not any(cell.strip() for cell in cells):
        raise InputError("the CSV file has no header row", Location(file, line))
    header = [(columns or {}).get(h.strip(), h.strip()) for h in cells]
    unknown = [h for h in header if h not in ALL_COLUMNS]
    if unknown:
        names = ", ".join(repr(h) for h in unknown)
        noun = "column" if len(unknown) == 1 else "columns"
        raise InputError(
            f"unknown {noun} {names} (expected: {', '.join(ALL_COLUMNS)}; "
            "map a foreign header with --columns old=new,...)",
            Location(file, line),
        )
    twice = [h for n, h in enumerate(header) if h in header[:n]]
    if twice:
        raise InputError(f"the column {twice[0]!r} appears twice", Location(file, line))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing required column {missing[0]!r}", Location(file, line))
    return header


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
    """Return the tracker table of a dataset as CSV text (see :func:`generate_tracker_rows`).

    When the table cannot hold all of the dataset (:func:`tracker_losses`), it starts with
    ``#`` comment lines that say what it leaves out; the reader skips them.
    """
    table = _table_text(dataset)
    losses = tracker_losses(dataset, table)
    if not losses:
        return table
    head = [
        "# This one-table CSV cannot hold everything in the data. Left out (use the workbook, "
        "export --format xlsx, for all of it):"
    ]
    return "".join(f"{line}\n" for line in head + [f"#   {loss}" for loss in losses]) + table


def comment_lines(table: bytes | str) -> list[str]:
    r"""The ``#`` comment lines a tracker table starts with, without the ``#``.

    Examples
    --------
    >>> comment_lines("# Left out:\n#   all 2 links\nreview_id,rec_label\n")
    ['Left out:', 'all 2 links']
    """
    text = table.decode("utf-8") if isinstance(table, bytes) else table
    lines = []
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    return lines


def _table_text(dataset: Dataset) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(generate_tracker_rows(dataset))
    return buffer.getvalue()


_WHY = {
    "stances": "a row holds one stance per recommendation, its latest",
    "commitments": "a row holds one commitment per recommendation, the first by id",
    "due_dates": "a row holds one due date per commitment, the latest stated",
    "status_claims": "a row holds one status claim, the latest",
    "responses": "responses are made from the rows' stance dates",
}


def tracker_losses(dataset: Dataset, table: str | None = None) -> list[str]:
    """Say what the one-table CSV of a dataset cannot hold, one line per kind of loss.

    The table is read back, and each kind of item, and each field's values, are counted on
    both sides: whatever the table holds fewer of is named, with the counts.  An empty list
    means the table holds it all (as for a dataset read from such a table).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> any("links" in line for line in tracker_losses(demo_dataset()))
    True
    """
    from reviewgraph.models import ITEM_TYPES

    if table is None:
        table = _table_text(dataset)
    back = Collected()
    try:
        read_tracker_rows(table, "table", back)
    except InputError as exc:  # pragma: no cover - the table is the writer's own
        return [f"the table could not be read back ({exc}), so nothing in it is certain"]
    back.items["bodies"].extend(
        b for k, b in back.placeholders.items() if k not in {x.id for x in back.items["bodies"]}
    )
    before = {name: list(getattr(dataset, name)) for name in ITEM_TYPES}
    out: list[str] = []
    for name in ITEM_TYPES:
        had, kept = len(before[name]), len(back.items[name])
        noun = name.replace("_", " ")
        if kept < had:
            why = f" ({_WHY[name]})" if name in _WHY else ""
            out.append(f"{had - kept} of {had} {noun}{why}" if kept else f"all {had} {noun}")
    for name in ITEM_TYPES:
        if not before[name] or not back.items[name]:
            continue  # said above, as whole items
        lost_items = len(before[name]) - len(back.items[name])
        had_values, kept_values = _census(before[name]), _census(back.items[name])
        fields = []
        for field_name, had in had_values.items():
            kept = kept_values.get(field_name, 0)
            if kept == 0:
                fields.append(f"{field_name} (all {had})")
            elif had - kept > lost_items:  # more than the whole items left out took with them
                fields.append(f"{field_name} ({had - kept} of {had})")
        if fields:
            out.append(f"{name.replace('_', ' ')}' values: {', '.join(fields)}")
    return out


def _census(items: list[Any]) -> dict[str, int]:
    """How many values each field holds over some items (a list counts its entries), ids
    and the fields that only point to a parent left out."""
    counts: dict[str, int] = {}
    for item in items:
        for field_name, info in type(item).model_fields.items():
            if field_name == "id":
                continue
            value = getattr(item, field_name)
            if value is None or value == info.default:
                continue
            key = info.alias or field_name
            counts[key] = counts.get(key, 0) + (len(value) if isinstance(value, tuple) else 1)
    return counts
