"""Rows of a one-table tracker, read into items honestly.

A tracker row may say everything about one recommendation at one moment: the review, the
recommendation, a stance, a commitment with its owner and due date, and a status.  Several
rows for the same recommendation are its history (dated status rows), not a conflict.  Every
non-empty cell either lands in an item or produces a message naming its row and column, and
whatever the reader had to assume (a commitment made from an ``owner`` cell, the date a due
date was stated on, the date a commitment was made on, an assessor's role) is said once, with
a count, as a note.

The rules for dates, in order of preference:

- a due date counts as stated on ``due_stated_on``; else on the latest date in its row (the
  status date, else the stance date), never earlier;
- a commitment counts as made on ``made_on``; else on the stance date; else on the earliest
  date in its rows.

The cells of a row once checked, and the messages about them, are in
:mod:`reviewgraph.io.tracker_cells`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError, Location
from reviewgraph.io.authoring import Collected, slugify
from reviewgraph.io.tracker_cells import (
    _COLUMN_OF,
    _CONCEPTS,
    _NEEDS,
    DATE_COLUMNS,
    _canon_union,
    _concept,
    _date,
    _folded,
    _makes_commitment,
    _Notes,
    _reason,
    _Rec,
    _Row,
    _source_id,
    _split,
    row_list,
)
from reviewgraph.models import (
    ID_PATTERN,
    Body,
    Citation,
    Commitment,
    DueDateStatement,
    Item,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
)
from reviewgraph.vocab.concepts import AssessorRole, Status

__all__ = ["DATE_COLUMNS", "RowReader", "row_list"]


class RowReader:
    """Collect checked rows, then build items from all rows at once (:meth:`finish`)."""

    def __init__(self, file: str, out: Collected) -> None:
        self.file, self.out = file, out
        self.problems: list[DataError] = []
        self.reviews: dict[str, dict[str, Any]] = {}
        self.recs: dict[str, _Rec] = {}
        self.citations: dict[str, tuple[Citation, ...]] = {}
        """The citation of each source cell's text (one shared, frozen tuple per text)."""

    # ------------------------------------------------------------------ messages

    def problem(self, row: int, column: str, message: str, item: str | None = None) -> None:
        self.problems.append(DataError(message, Location(self.file, row, column), item=item))

    def fail(self, item_id: str, row: int, column: str) -> None:
        """Remember that an item could not be made, so references to it say why once."""
        self.out.failed.setdefault(item_id, Location(self.file, row, column))

    # ------------------------------------------------------------------ reading

    def row(self, cells: dict[str, str], number: int) -> None:
        """Check one row's cells and file it under its recommendation."""
        row = _Row(number, {k: v for k, v in cells.items() if v})
        ok = True
        for name in DATE_COLUMNS:
            if row.get(name):
                try:
                    row.dates[name] = _date(row.get(name))
                except (ValueError, ValidationError) as exc:
                    self.problem(number, name, f"{name}: {_reason(exc)}")
                    ok = False
        for name, enum in _CONCEPTS.items():
            if row.get(name):
                try:
                    row.concepts[name] = _concept(row.get(name), enum)
                except ValueError as exc:
                    self.problem(number, name, f"{name}: {exc}")
                    ok = False
        for name, needed in _NEEDS.items():
            if row.get(name) and not row.get(needed):
                self.problem(
                    number,
                    name,
                    f"{name} is given but {needed} is empty, so the cell would be lost "
                    f"(fill in {needed}, or clear {name})",
                )
                ok = False
        if row.get("made_on") and not _makes_commitment(row):
            self.problem(
                number,
                "made_on",
                "made_on is given but the row makes no commitment "
                "(fill in commitment, owner or due_date, or clear made_on)",
            )
            ok = False
        for value, date in (("stance", "stance_date"), ("status", "status_date")):
            if row.get(value) and not row.get(date):
                self.problem(number, date, f"a {value} needs its {date}")
                ok = False
        review_id, label = row.get("review_id"), row.get("rec_label")
        if not review_id or not label:
            missing = "review_id" if not review_id else "rec_label"
            self.problem(number, missing, f"{missing} is empty")
            return
        if not re.match(ID_PATTERN, review_id):
            self.problem(
                number,
                "review_id",
                f"review_id: {review_id!r} is not a valid id (lower-case letters, digits "
                "and hyphens)",
            )
            return
        self._review(row, review_id, ok)
        rec_id = f"{review_id}/{slugify(label)}"
        rec = self.recs.get(rec_id)
        if rec is None:
            rec = self.recs[rec_id] = _Rec(review_id, label, number)
        elif rec.label != label:
            self.problem(
                number,
                "rec_label",
                f"rec_label {label!r} gives the same id as {rec.label!r} in row {rec.first_row}"
                f" ({rec_id}); make the labels differ in letters or digits",
            )
            return
        summary = row.get("rec_summary")
        if summary:
            if rec.summary is None:
                rec.summary = (summary, number)
            elif rec.summary[0] != summary:
                self._differs(row, "rec_summary", rec.summary, f"recommendation {rec_id}")
        rec.addressees.update(self.body(a, number, "addressees") for a in _split(row, "addressees"))
        if ok:
            rec.rows.append(row)
        else:
            # the row's recommendation stands; what depended on a bad cell is not made
            for name in ("stance", "status"):
                if row.get(name):
                    self.fail(f"{rec_id}/{name}", number, name)

    def _review(self, row: _Row, review_id: str, ok: bool) -> None:
        review = self.reviews.setdefault(review_id, {"row": row.number, "cites": set()})
        for name in ("review_title", "review_date"):
            value = row.get(name)
            if not value:
                continue
            if name == "review_date" and name not in row.dates:
                continue  # said where the cell was read
            if name not in review:
                review[name] = (value, row.number)
            elif review[name][0] != value:
                self._differs(row, name, review[name], f"review {review_id}")

    def _differs(self, row: _Row, column: str, earlier: tuple[str, int], item: str) -> None:
        self.problem(
            row.number,
            column,
            f"{column} differs from an earlier row (row {earlier[1]}: {earlier[0]!r}); rows "
            "about the same item must agree on it",
            item=item,
        )

    def body(self, cell: str, row: int, column: str) -> str:
        """The id of the body a cell names (by id, name or alias), minting a new one if none."""
        if self.out.names is None:
            from reviewgraph.io.names import NameIndex

            self.out.names = NameIndex(self.out.items["bodies"])
        body_id: str = self.out.names.resolve(cell)
        if body_id not in self.out.placeholders and body_id not in self.out.names.defined:
            self.out.placeholders[body_id] = Body(id=body_id, name=cell)
            self.out.locations.setdefault(body_id, Location(self.file, row, column))
        return body_id

    def source(self, row: _Row, column: str) -> tuple[Citation, ...]:
        cell = row.get(column)
        if not cell:
            return ()
        cited = self.citations.get(cell)
        if cited is None:
            source_id = _source_id(cell)
            if source_id not in self.out.locations:
                url = cell if cell.startswith(("http://", "https://")) else None
                item = Source(id=source_id, url=url, title=None if url else cell)
                self.out.record("sources", item, Location(self.file, row.number, column))
            cited = self.citations[cell] = (Citation(source=source_id),)
        return cited

    # ------------------------------------------------------------------ building

    def finish(self) -> None:
        """Build the items of every recommendation's rows, and say what was assumed."""
        notes = _Notes()
        responses: dict[str, dict[str, Any]] = {}
        stances: dict[str, tuple[Stance, int]] = {}
        for rec_id, rec in self.recs.items():
            self._build(rec_id, rec, responses, stances, notes)
            rec.rows = []  # built: the cells are not needed any more (a big tracker's peak)
        for review_id, review in self.reviews.items():
            title = review.get("review_title", (review_id, 0))[0]
            date = review.get("review_date", (None, 0))[0]
            self._add(
                "reviews",
                Review,
                review["row"],
                "review_id",
                id=review_id,
                title=title,
                published=date,
                citations=tuple(review["cites"]),
            )
        for _response_id, response in responses.items():
            self._add("responses", Response, response["row"], "stance_date", **response["fields"])
        for stance, number in stances.values():
            self.out.record("stances", stance, Location(self.file, number, "stance"))
        self.out.problems.extend(_folded(self.problems))
        self.out.notes.extend(notes.messages(self.file))

    def _add(self, collection: str, model: type[Item], row: int, column: str, **fields: Any) -> str:
        try:
            item = model.model_validate(fields)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = str(err["loc"][0]) if err["loc"] else column
            msg = str(err["msg"]).removeprefix("Value error, ")
            self.problem(row, _COLUMN_OF.get(name, column), f"{_COLUMN_OF.get(name, name)}: {msg}")
            self.fail(str(fields.get("id")), row, column)
            return str(fields.get("id"))
        self.out.record(collection, item, Location(self.file, row, column))
        return item.id

    def _build(
        self,
        rec_id: str,
        rec: _Rec,
        responses: dict[str, dict[str, Any]],
        stances: dict[str, tuple[Stance, int]],
        notes: _Notes,
    ) -> None:
        review = self.reviews[rec.review]
        commitment_rows = [r for r in rec.rows if _makes_commitment(r)]
        commitment_id = f"{rec_id}/commitment" if commitment_rows else None
        owner: tuple[str, int] | None = None
        summary: tuple[str, int] | None = None
        made: list[tuple[DateRange, str, _Row]] = []  # (date, how, row)
        cites: set[Citation] = set()
        response_of: dict[int, str] = {}
        for row in rec.rows:
            stance_cites, status_cites = (
                self.source(row, "stance_source"),
                self.source(row, "status_source"),
            )
            rec.citations.update(stance_cites or status_cites)
            review["cites"].update(stance_cites or status_cites)
            if "stance" in row.concepts:
                date = row.dates["stance_date"]
                response_id = f"{rec.review}/response-{slugify(date.text)}"
                response_of[row.number] = response_id
                response = responses.setdefault(
                    response_id,
                    {
                        "row": row.number,
                        "fields": {"id": response_id, "date": date.text, "answers": [rec.review]},
                        "cites": set(),
                    },
                )
                response["cites"].update(stance_cites)
                response["fields"]["citations"] = tuple(response["cites"])
                stance_id = f"{response_id}/{slugify(rec.label)}"
                value = row.concepts["stance"]
                earlier = stances.get(stance_id)
                if earlier is not None and earlier[0].stance != value:
                    self.problem(
                        row.number,
                        "stance",
                        f"stance differs from row {earlier[1]} ({earlier[0].stance.value!r}) "
                        "for the same recommendation and stance_date",
                        item=f"recommendation {rec_id}",
                    )
                elif earlier is None:
                    stances[stance_id] = (
                        Stance(
                            id=stance_id,
                            response=response_id,
                            recommendation=rec_id,
                            stance=value,
                            citations=stance_cites,
                        ),
                        row.number,
                    )
                else:
                    merged = _canon_union(earlier[0].citations, stance_cites)
                    stances[stance_id] = (
                        earlier[0].model_copy(update={"citations": merged}),
                        earlier[1],
                    )
            if not _makes_commitment(row):
                continue
            cites.update(stance_cites or status_cites)
            for name, slot in (("commitment", "summary"), ("owner", "owner")):
                cell = row.get(name)
                if not cell:
                    continue
                cell_value: str = self.body(cell, row.number, name) if name == "owner" else cell
                current = summary if slot == "summary" else owner
                if current is None:
                    if slot == "summary":
                        summary = (cell_value, row.number)
                    else:
                        owner = (cell_value, row.number)
                elif current[0] != cell_value:
                    self._differs(row, name, current, f"commitment {commitment_id}")
            if "made_on" in row.dates:
                made.append((row.dates["made_on"], "given", row))
            elif "stance_date" in row.dates:
                made.append((row.dates["stance_date"], "stance", row))
            else:
                dated = [row.dates[n] for n in DATE_COLUMNS if n in row.dates and n != "due_date"]
                if dated:
                    made.append((min(dated, key=lambda d: d.earliest), "earliest", row))
        rec_fields = {
            "id": rec_id,
            "review": rec.review,
            "label": rec.label,
            "summary": rec.summary[0] if rec.summary else None,
            "addressees": tuple(rec.addressees),
            "citations": tuple(rec.citations),
        }
        self._add("recommendations", Recommendation, rec.first_row, "rec_label", **rec_fields)
        about = rec_id
        if commitment_id is not None:
            about = commitment_id
            self._commitment(
                commitment_id, rec, commitment_rows, summary, owner, made, cites, response_of, notes
            )
        self._claims(about, rec, owner[0] if owner else None, notes)

    def _commitment(
        self,
        commitment_id: str,
        rec: _Rec,
        rows: list[_Row],
        summary: tuple[str, int] | None,
        owner: tuple[str, int] | None,
        made: list[tuple[DateRange, str, _Row]],
        cites: set[Citation],
        response_of: dict[int, str],
        notes: _Notes,
    ) -> None:
        first = rows[0].number
        if summary is None:
            notes.add("no-text", first)
            text = rec.summary[0] if rec.summary else f"recommendation {rec.label}"
            summary = (text, first)
        given = {d.text: r for d, how, r in made if how == "given"}
        if len(given) > 1:
            (a, ra), (_b, rb) = list(given.items())[:2]
            self.problem(
                rb.number,
                "made_on",
                f"made_on differs from an earlier row (row {ra.number}: {a!r}); a commitment is "
                "made once",
                item=f"commitment {commitment_id}",
            )
            self.fail(commitment_id, rb.number, "made_on")
            return
        choice = [m for m in made if m[1] == "given"] or [m for m in made if m[1] == "stance"]
        choice = choice or made
        if not choice:
            cell = next(n for n in ("commitment", "owner", "due_date") if rows[0].get(n))
            self.problem(
                first,
                cell,
                "a commitment needs a date: give made_on (or stance_date)",
                item=f"commitment {commitment_id}",
            )
            self.fail(commitment_id, first, "made_on")
            return
        made_on, how, made_row = min(choice, key=lambda m: (m[0].earliest, m[2].number))
        if how != "given":
            notes.add(f"made-{how}", made_row.number)
        self._add(
            "commitments",
            Commitment,
            first,
            "commitment" if rows[0].get("commitment") else "owner",
            id=commitment_id,
            summary=summary[0],
            owner=owner[0] if owner else None,
            made_on=made_on,
            response=response_of.get(made_row.number),
            answers=(f"{rec.review}/{slugify(rec.label)}",),
            citations=tuple(cites),
        )
        seen: dict[tuple[str, str | None], int] = {}
        for row in rows:
            if "due_date" not in row.dates:
                continue
            target = row.dates["due_date"]
            stated = row.dates.get("due_stated_on")
            if stated is None:
                notes.add("stated-latest", row.number)
                names = ("status_date", "stance_date", "made_on", "review_date")
                dated = [row.dates[n] for n in names if n in row.dates]
                stated = max(dated, key=lambda d: d.latest) if dated else made_on
            key = (target.text, stated.text)
            if key in seen:
                continue
            seen[key] = row.number
            cites_row = self.source(row, "stance_source") or self.source(row, "status_source")
            self._add(
                "due_dates",
                DueDateStatement,
                row.number,
                "due_date",
                id=f"{commitment_id}/due-{len(seen)}",
                commitment=commitment_id,
                target=target,
                stated_on=stated,
                citations=cites_row,
            )

    def _claims(self, about: str, rec: _Rec, owner: str | None, notes: _Notes) -> None:
        seen: dict[tuple[Any, ...], int] = {}
        for row in rec.rows:
            status = row.concepts.get("status")
            if not isinstance(status, Status):
                continue
            assessor_cell = row.get("status_assessor")
            assessor = (
                self.body(assessor_cell, row.number, "status_assessor") if assessor_cell else None
            )
            role = row.concepts.get("assessor_role")
            if role is None:
                if assessor is None:
                    self.problem(
                        row.number,
                        "assessor_role",
                        "assessor_role is empty and there is no status_assessor to derive it "
                        "from: give the role (owner, sponsor, independent scrutiny, commentator, "
                        "compiler) or name the assessor",
                    )
                    self.fail(f"{about}/status", row.number, "assessor_role")
                    continue
                if assessor == owner or (owner is None and assessor in rec.addressees):
                    role = AssessorRole.OWNER
                    notes.add("role-owner", row.number)
            key = (status, row.dates["status_date"].text, row.get("since"), assessor, role)
            if key in seen:
                continue
            seen[key] = row.number
            claim_id = f"{about}/status-{len(seen)}"
            location = Location(self.file, row.number, "status")
            fields = {
                "id": claim_id,
                "about": about,
                "status": status,
                "asserted_on": row.dates["status_date"],
                "since": row.dates.get("since"),
                "assessor": assessor,
                "role": role or AssessorRole.COMPILER,
                "citations": self.source(row, "status_source"),
            }
            claim_id = self._add("status_claims", StatusClaim, row.number, "status", **fields)
            if role is None:
                # decided once every file is read: the assessor's relation to the owner
                self.out.derive_roles.append((claim_id, location, owner, tuple(rec.addressees)))
