"""Turn an authoring document (nested, as people write it) into flat, located items.

A YAML file nests recommendations in their review, stances in their response and due dates
and status claims in their commitment.  :func:`items_from_document` flattens that into the
item collections of :class:`~reviewgraph.models.Dataset`, deriving the identifiers of nested
items that have none, and records where each item came from in a side table, never as
triples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from reviewgraph.errors import DataError, Location
from reviewgraph.io.yamldoc import LocDict, LocList
from reviewgraph.models import ITEM_TYPES, Item

__all__ = ["Collected", "items_from_document", "noun_of", "slugify"]

_TOP_KEYS = {
    "sources": "sources",
    "bodies": "bodies",
    "people": "people",
    "themes": "themes",
    "review": "reviews",
    "reviews": "reviews",
    "responses": "responses",
    "commitments": "commitments",
    "status_claims": "status_claims",
    "deliverables": "deliverables",
    "links": "links",
    "body_changes": "body_changes",
    "elections": "elections",
}

_NOUNS = {
    "sources": "source",
    "bodies": "body",
    "people": "person",
    "themes": "theme",
    "reviews": "review",
    "recommendations": "recommendation",
    "responses": "response",
    "stances": "stance",
    "commitments": "commitment",
    "due_dates": "due date",
    "status_claims": "status claim",
    "deliverables": "deliverable",
    "links": "link",
    "body_changes": "body change",
    "elections": "election",
}


def noun_of(item: Item) -> str:
    """Name the kind of an item in plain words (``"status claim"``)."""
    for collection, model in ITEM_TYPES.items():
        if type(item) is model:
            return _NOUNS[collection]
    return "item"


def slugify(text: str) -> str:
    """Make an identifier segment from a label.

    Examples
    --------
    >>> slugify("33.10a")
    '33.10a'
    >>> slugify("Structures and regulation")
    'structures-and-regulation'

    Non-Latin labels are transliterated (see :func:`reviewgraph.io.names.name_slug`), so
    that different labels give different ids.
    """
    from reviewgraph.io.names import name_slug

    return name_slug(text)


@dataclass
class Collected:
    """Items read from documents, by collection, with where each came from."""

    items: dict[str, list[Item]] = field(default_factory=lambda: {k: [] for k in ITEM_TYPES})
    locations: dict[str, Location] = field(default_factory=dict)
    problems: list[DataError] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    placeholders: dict[str, Item] = field(default_factory=dict)
    """Bodies minted from names in CSV cells, by id; a body defined elsewhere wins."""
    occurrences: dict[str, list[Location]] = field(default_factory=dict)
    """Every place each id was defined, in reading order (to locate duplicates)."""
    failed: dict[str, Location] = field(default_factory=dict)
    """Ids of items that could not be made (a problem says why), with where they were written:
    a reference to one is reported once, as caused by that problem."""
    language: str | None = None
    """The language tag of the dataset's texts, when a file says it (a workbook's extra sheet)."""
    names: Any = None
    """The :class:`reviewgraph.io.names.NameIndex` that CSV cells' body names resolve through."""
    notes: list[DataError] = field(default_factory=list)
    """What a reader assumed (said once, with a count); shown by ``validate`` as warnings."""
    derive_roles: list[tuple[str, Location, str | None, tuple[str, ...]]] = field(
        default_factory=list
    )
    """Status claims read with a blank role: (claim id, where, owner, addressees); the role
    is derived once every body is known (see :func:`reviewgraph.io.files.read_dataset`)."""

    def record(self, collection: str, item: Item, location: Location) -> None:
        """Add an item read at ``location``."""
        self.items[collection].append(item)
        self.locations.setdefault(item.id, location)
        self.occurrences.setdefault(item.id, []).append(location)
        _share_fields_set(item)


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(item: Item) -> None:
    """Let items that were given the same fields share one set of those field names.

    A pydantic model keeps, beside its values, the set of fields it was given: a set of ten
    names is 728 bytes, about half of what a small item costs.  A frozen model never changes
    its set (``model_copy`` copies it first), so the items of a big file can share one set
    per combination, as ``model_construct(_fields_set=...)`` would let them.
    """
    given = item.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(item, "__pydantic_fields_set__", shared)


def _line(data: Any, key: str | None = None) -> int | None:
    if isinstance(data, LocDict):
        if key is not None and key in data.key_lines:
            return data.key_lines[key]
        return data.line
    return getattr(data, "line", None)


def _message(exc: ValidationError, data: Any) -> tuple[str, int | None]:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = f"{loc[-1]} is required"
    elif err["type"] == "extra_forbidden":
        msg = f"unknown key {loc[-1]!r}"
    elif err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("id", "0"):
        msg = f"{err['input']!r} is not a valid id (lower-case letters, digits and hyphens)"
    elif err["type"] == "tuple_type" and loc:
        msg = f"{'.'.join(loc)}: should be a list"
    elif err["type"] == "string_pattern_mismatch" and loc and loc[-1] == "url":
        msg = f"{'.'.join(loc)}: {err['input']!r} is not an http or https URL"
    elif loc:
        msg = f"{'.'.join(loc)}: {msg}"
    # point at the line of the innermost key we can find
    line = None
    node = data
    for part in loc:
        if isinstance(node, LocDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LocList) and part.isdigit() and int(part) < len(node):
            line = node.item_lines[int(part)]
            node = node[int(part)]
        else:
            break
    return msg, line or _line(data)


@cache
def _keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a model accepts: its field names and their aliases."""
    names = set(model.model_fields)
    names.update(f.alias for f in model.model_fields.values() if f.alias)
    return frozenset(names)


class _Builder:
    def __init__(self, file: str, out: Collected) -> None:
        self.file, self.out = file, out

    def add(
        self, collection: str, data: Any, defaults: dict[str, Any], line: int | None = None
    ) -> str | None:
        noun = _NOUNS[collection]
        if not isinstance(data, dict):
            where = Location(self.file, _line(data) or line)
            self.out.problems.append(
                DataError(f"each {noun} must be a mapping of keys to values", where)
            )
            return None
        model = ITEM_TYPES[collection]
        # an unquoted null, ~ or empty value means a known key was not given; an unknown key
        # is refused, with a value or without (``{summary: A, b.}`` makes a key ``b.``)
        known = _keys(model)
        record = {
            **defaults,
            **{k: v for k, v in data.items() if v is not None or k not in known},
        }
        item_id = record.get("id")
        loc = Location(self.file, _line(data))
        try:
            item = model.model_validate(record)
        except ValidationError as exc:
            msg, line = _message(exc, data)
            first = exc.errors()[0]
            if first["type"] == "extra_forbidden" and data.get(str(first["loc"][-1]), 0) is None:
                msg += (
                    " (a key without a value: if it is the end of a value cut at a comma, "
                    "quote the whole value)"
                )
            label = f"{noun} {item_id}" if isinstance(item_id, str) else noun
            self.out.problems.append(DataError(msg, Location(self.file, line), item=label))
            if isinstance(item_id, str):
                self.out.failed.setdefault(item_id, Location(self.file, line))
            return item_id if isinstance(item_id, str) else None
        self.out.record(collection, item, loc)
        return item.id

    def problem(self, message: str, data: Any, key: str | None = None) -> None:
        self.out.problems.append(DataError(message, Location(self.file, _line(data, key))))

    def entries(self, data: Any, key: str, noun: str) -> list[tuple[Any, int | None]]:
        """Return the entries of a nested list, each with the line it is written on."""
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"{key} must be a list of {noun}s", data, key)
            return []
        return list(zip(value, _item_lines(value), strict=True))


def _item_lines(value: list[Any]) -> list[int | None]:
    lines = getattr(value, "item_lines", None)
    return list(lines) if lines is not None else [None] * len(value)


def items_from_document(doc: Any, file: str, out: Collected | None = None) -> Collected:
    """Flatten one parsed YAML document into located items.

    Problems (wrong types, unknown keys, missing fields) are collected in ``problems``
    rather than raised, so that a file's every mistake is reported at once.

    Examples
    --------
    >>> from reviewgraph.io.yamldoc import parse_yaml
    >>> doc = parse_yaml('''
    ... review:
    ...   id: demo-2024
    ...   title: A demo review
    ...   kind: audit report
    ...   recommendations:
    ...     - label: "1.10"
    ...       summary: Do the thing.
    ... ''')
    >>> got = items_from_document(doc, "demo.yaml")
    >>> [r.id for r in got.items["recommendations"]], str(got.locations["demo-2024/1.10"])
    (['demo-2024/1.10'], 'demo.yaml:7')
    """
    out = out if out is not None else Collected()
    b = _Builder(file, out)
    if doc is None:
        return out
    if not isinstance(doc, dict):
        out.problems.append(
            DataError(
                "a reviewgraph YAML file must be a mapping of sections (review, bodies, ...)",
                Location(file, _line(doc) or 1),
            )
        )
        return out
    for key in doc:
        if key not in _TOP_KEYS:
            known = ", ".join(sorted(_TOP_KEYS))
            b.problem(f"unknown section {key!r} (expected one of: {known})", doc, key)
    for key, collection in _TOP_KEYS.items():
        if key not in doc or doc[key] is None:
            continue
        value = doc[key]
        entries = [value] if key == "review" else value
        if not isinstance(entries, list):
            b.problem(f"{key} must be a list", doc, key)
            continue
        lines = [_line(doc, key)] if key == "review" else _item_lines(entries)
        for entry, line in zip(entries, lines, strict=True):
            _add_entry(b, collection, entry, line)
    return out


def _add_entry(b: _Builder, collection: str, entry: Any, line: int | None = None) -> None:
    if not isinstance(entry, dict):
        b.add(collection, entry, {}, line)
        return
    nested = {
        k: entry[k] for k in ("recommendations", "stances", "due_dates", "status") if k in entry
    }
    own = LocDict({k: v for k, v in entry.items() if k not in nested})
    own.line, own.key_lines = entry.line, entry.key_lines  # type: ignore[attr-defined]
    if collection == "reviews":
        review_id = b.add("reviews", own, {})
        for rec, line in b.entries(entry, "recommendations", "recommendation"):
            defaults: dict[str, Any] = {"review": review_id}
            if isinstance(rec, dict) and "id" not in rec and isinstance(rec.get("label"), str):
                defaults["id"] = f"{review_id}/{slugify(rec['label'])}"
            b.add("recommendations", rec, defaults, line)
    elif collection == "responses":
        response_id = b.add("responses", own, {})
        answers = entry.get("answers")
        only = answers[0] if isinstance(answers, list) and len(answers) == 1 else None
        for n, (stance, line) in enumerate(b.entries(entry, "stances", "stance"), start=1):
            if isinstance(stance, dict):
                rec = stance.get("recommendation")
                if isinstance(rec, str) and "/" not in rec and isinstance(only, str):
                    located = LocDict({**stance, "recommendation": f"{only}/{slugify(rec)}"})
                    if isinstance(stance, LocDict):  # keep the stance's own lines
                        located.line, located.key_lines = stance.line, stance.key_lines
                    else:
                        located.line, located.key_lines = _line(entry) or 0, {}
                    stance = located
            defaults = {"id": f"{response_id}/stance-{n}", "response": response_id}
            b.add("stances", stance, defaults, line)
    elif collection == "commitments":
        commitment_id = b.add("commitments", own, {})
        for n, (due, line) in enumerate(b.entries(entry, "due_dates", "due date"), start=1):
            defaults = {"id": f"{commitment_id}/due-{n}", "commitment": commitment_id}
            b.add("due_dates", due, defaults, line)
        for n, (claim, line) in enumerate(b.entries(entry, "status", "status claim"), start=1):
            defaults = {"id": f"{commitment_id}/status-{n}", "about": commitment_id}
            b.add("status_claims", claim, defaults, line)
    else:
        b.add(collection, entry, _derived_id(collection, entry), line)


def _derived_id(collection: str, entry: dict[str, Any]) -> dict[str, Any]:
    if "id" in entry:
        return {}
    parts: list[Any]
    if collection == "links":
        parts = ["link", entry.get("type"), entry.get("from"), entry.get("to")]
    elif collection == "body_changes":
        parts = [entry.get("body"), "change", entry.get("kind"), entry.get("date")]
    elif collection == "status_claims":
        parts = [entry.get("about"), "claim", entry.get("asserted_on"), entry.get("status")]
    else:
        return {}
    if not all(isinstance(p, str) for p in parts):
        return {}
    return {"id": "/".join(slugify(p) if "/" not in p else p for p in parts)}
