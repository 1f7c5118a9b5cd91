"""Records: the compact, read-only form of the models that the analysis reads.

A record has the attributes of its model (the same names, the same Python values: ids as
text, concepts as enum members, dates as :class:`Span`), but none of its validation, so that
tens of thousands of them are built in a fraction of a second from a store, a file or the
analysis index that ``reviewgraph load`` writes beside each store generation.  The record
classes are generated from the models' field table (:func:`reviewgraph.rdf.mapping.field_specs`),
so they cannot drift from the models.  :class:`Facts` holds every record of a dataset under the
same attribute names as :class:`~reviewgraph.models.Dataset`; :func:`to_model` turns one record
back into its validated model when a single item is shown in full.

The index file is JSON (:func:`facts_to_json`, :func:`facts_from_json`): each kind's records as
rows of plain values in the field table's order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError
from reviewgraph.models import ITEM_TYPES, Dataset, Item, Node
from reviewgraph.rdf.mapping import FieldSpec, field_specs

__all__ = [
    "FACTS_FORMAT",
    "Facts",
    "Record",
    "Span",
    "facts_from_json",
    "facts_to_json",
    "kind_of",
    "record_class",
    "record_from_model",
    "to_model",
]

FACTS_FORMAT = "reviewgraph-facts"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Span:
    """A date with its precision, as :class:`~reviewgraph.dates.DateRange` holds it."""

    text: str
    earliest: date
    latest: date


class Record(tuple):  # type: ignore[type-arg]
    """Base of the record classes: a named tuple; ``model`` is the model class it stands for.

    Records are tuples, so building one from a row costs one C call; the fields are read by
    name (``record.summary``) as on the model.
    """

    __slots__ = ()
    model: ClassVar[type[Node]]
    fields: ClassVar[tuple[str, ...]]

    def __new__(cls, *values: Any) -> Any:
        if len(values) != len(cls.fields):
            raise TypeError(f"{cls.__name__} takes {len(cls.fields)} values, not {len(values)}")
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(self.fields[:2], self, strict=False))
        return f"{type(self).__name__}({shown}, ...)"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"a {type(self).__name__} record has no field {name!r}")


def _default(model: type[Node], name: str) -> Any:
    info = model.model_fields[name]
    if info.is_required():
        return None
    value = info.get_default(call_default_factory=True)
    return tuple(value) if isinstance(value, list) else value


@cache
def record_class(model: type[Node]) -> type[Record]:
    """The record class of a model: its fields (``id`` first for items), read-only.

    Examples
    --------
    >>> from reviewgraph.models import Citation
    >>> Cite = record_class(Citation)
    >>> Cite.fields
    ('source', 'locator', 'accessed')
    >>> Cite("src", "p. 3", None).locator
    'p. 3'
    """
    import operator

    names = (("id",) if issubclass(model, Item) else ()) + tuple(
        spec.name for spec in field_specs(model)
    )
    namespace: dict[str, Any] = {
        "__slots__": (),
        "model": model,
        "fields": names,
        "__module__": __name__,
    }
    for i, name in enumerate(names):
        namespace[name] = property(operator.itemgetter(i), doc=f"The ``{name}`` field.")
    return type(model.__name__, (Record,), namespace)


def defaults(model: type[Node]) -> tuple[Any, ...]:
    """The value each field takes when the data says nothing (``None`` where required)."""
    names = record_class(model).fields
    return tuple(None if n == "id" else _default(model, n) for n in names)


@dataclass
class Facts:
    """Every record of a dataset, under the attribute names of :class:`~reviewgraph.models.Dataset`.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> facts = Facts.from_dataset(Dataset(bodies=(Body(id="dhsc", name="DHSC"),)))
    >>> facts.get("dhsc").name
    'DHSC'
    >>> len(facts)
    1
    """

    sources: tuple[Any, ...] = ()
    bodies: tuple[Any, ...] = ()
    people: tuple[Any, ...] = ()
    themes: tuple[Any, ...] = ()
    reviews: tuple[Any, ...] = ()
    recommendations: tuple[Any, ...] = ()
    responses: tuple[Any, ...] = ()
    stances: tuple[Any, ...] = ()
    commitments: tuple[Any, ...] = ()
    due_dates: tuple[Any, ...] = ()
    status_claims: tuple[Any, ...] = ()
    deliverables: tuple[Any, ...] = ()
    links: tuple[Any, ...] = ()
    body_changes: tuple[Any, ...] = ()
    language: str | None = None

    def __post_init__(self) -> None:
        self._index: dict[str, Any] | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Facts:
        """The records of a dataset's models (no RDF involved)."""
        return cls(
            **{
                name: tuple(record_from_model(item) for item in getattr(dataset, name))
                for name in ITEM_TYPES
            },
            language=dataset.language,
        )

    @classmethod
    def union(cls, parts: Iterable[Facts]) -> Facts:
        """The records of several datasets together, in id order within each kind.

        Raises
        ------
        DataError
            If two parts define the same id.
        """
        parts = list(parts)
        merged: dict[str, tuple[Any, ...]] = {}
        for name in ITEM_TYPES:
            rows = [r for part in parts for r in getattr(part, name)]
            rows.sort(key=_id)
            merged[name] = tuple(rows)
        facts = cls(**merged, language=next((p.language for p in parts if p.language), None))
        facts.index()
        return facts

    def items(self) -> list[Any]:
        """Every record, by kind, then id."""
        out: list[Any] = []
        for name in ITEM_TYPES:
            out.extend(getattr(self, name))
        return out

    def index(self) -> dict[str, Any]:
        """Each id with its record.

        Raises
        ------
        DataError
            If two records share an id.
        """
        if self._index is None:
            found: dict[str, Any] = {}
            for record in self.items():
                if record.id in found:
                    raise DataError("is defined twice in the store", item=record.id)
                found[record.id] = record
            self._index = found
        return self._index

    def get(self, item_id: str) -> Any:
        """The record with this id; ``LookupError`` if none."""
        found = self.index().get(item_id)
        if found is None:
            raise LookupError(f"no item with id {item_id!r}")
        return found

    def __len__(self) -> int:
        return sum(len(getattr(self, name)) for name in ITEM_TYPES)

    def to_dataset(self) -> Dataset:
        """Every record as its validated model (slow: for validation and full exports)."""
        return Dataset(
            **{name: tuple(to_model(r) for r in getattr(self, name)) for name in ITEM_TYPES},
            language=self.language,
        )


def _id(record: Any) -> str:
    return str(record.id)


# -- models <-> records


def _to_plain(value: Any) -> Any:
    if isinstance(value, DateRange):
        return Span(value.text, value.earliest, value.latest)
    if isinstance(value, Node):
        return record_from_model(value)
    if isinstance(value, tuple):
        return tuple(_to_plain(v) for v in value)
    return value


def record_from_model(model: Node) -> Any:
    """The record of a validated model.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> record_from_model(Body(id="dhsc", name="DHSC")).government
    False
    """
    cls = record_class(type(model))
    return cls(*(_to_plain(getattr(model, n)) for n in cls.fields))


def _from_plain(value: Any) -> Any:
    if isinstance(value, Span):
        return {"text": value.text, "earliest": value.earliest, "latest": value.latest}
    if isinstance(value, Record):
        return {n: _from_plain(getattr(value, n)) for n in value.fields}
    if isinstance(value, tuple):
        return [_from_plain(v) for v in value]
    return value


def to_model(record: Any) -> Any:
    """The validated model of a record (raises the model's ``ValidationError`` if invalid).

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> to_model(record_from_model(Body(id="dhsc", name="DHSC"))) == Body(id="dhsc", name="DHSC")
    True
    """
    data = {n: _from_plain(getattr(record, n)) for n in record.fields}
    return record.model.model_validate(data)


# -- records <-> JSON rows


Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


def _codec(spec: FieldSpec) -> tuple[Encode, Decode]:
    target = spec.target
    one: tuple[Encode, Decode]
    if spec.kind in ("ref", "url", "period", "property"):
        one = (_same, _same)
    elif target is DateRange:
        one = (_span_out, _span_in)
    elif isinstance(target, type) and issubclass(target, StrEnum):
        enum = target
        one = (_enum_out, enum)
    elif isinstance(target, type) and issubclass(target, Node):
        out, back = _row_codec(target)
        one = (out, back)
    elif target is date:
        one = (_date_out, date.fromisoformat)
    else:
        one = (_same, _same)
    if not spec.many:
        enc, dec = one
        return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))
    enc, dec = one
    return (lambda vs: [enc(v) for v in vs]), (lambda vs: tuple(dec(v) for v in vs))


def _same(value: Any) -> Any:
    return value


def _enum_out(value: StrEnum) -> str:
    return value.value


def _date_out(value: date) -> str:
    return value.isoformat()


def _span_out(value: Span) -> list[str]:
    return [value.text, value.earliest.isoformat(), value.latest.isoformat()]


def _span_in(value: list[str]) -> Span:
    return Span(value[0], date.fromisoformat(value[1]), date.fromisoformat(value[2]))


@cache
def _row_codec(model: type[Node]) -> tuple[Encode, Decode]:
    cls = record_class(model)
    codecs: list[tuple[Encode, Decode] | None] = [None] if issubclass(model, Item) else []
    for spec in field_specs(model):
        plain = spec.kind in ("ref", "url", "period", "property") or not (
            spec.target is DateRange
            or spec.target is date
            or (isinstance(spec.target, type) and issubclass(spec.target, StrEnum | Node))
        )
        codecs.append(None if plain and not spec.many else _codec(spec))
    names = cls.fields
    converted = [(i, c[1]) for i, c in enumerate(codecs) if c is not None]
    encoders = [(n, c[0] if c is not None else _same) for n, c in zip(names, codecs, strict=True)]
    new = tuple.__new__

    def encode(record: Any) -> list[Any]:
        return [enc(getattr(record, n)) for n, enc in encoders]

    def decode(row: list[Any]) -> Any:
        for i, dec in converted:
            row[i] = dec(row[i])
        return new(cls, row)

    return encode, decode


def facts_to_json(facts: Facts, base: str) -> bytes:
    """The records as the JSON index file that ``reviewgraph load`` writes.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> facts = Facts.from_dataset(Dataset(bodies=(Body(id="dhsc", name="DHSC"),)))
    >>> base = "https://example.org/"
    >>> facts_from_json(facts_to_json(facts, base), base) == facts
    True
    """
    rows = {}
    for name, model in ITEM_TYPES.items():
        encode = _row_codec(model)[0]
        rows[name] = [encode(r) for r in getattr(facts, name)]
    document = {
        "format": FACTS_FORMAT,
        "version": _VERSION,
        "base": base,
        "language": facts.language,
        "columns": {name: list(record_class(m).fields) for name, m in ITEM_TYPES.items()},
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def facts_from_json(data: bytes, base: str) -> Facts:
    """Read an index file written by :func:`facts_to_json`.

    Raises
    ------
    ValueError
        If the file is not an index of this version, for this base, with these columns.
    """
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != FACTS_FORMAT:
        raise ValueError("not a reviewgraph analysis index")
    if document.get("version") != _VERSION or document.get("base") != base:
        raise ValueError("an analysis index of another version or base")
    columns = document.get("columns", {})
    kinds: dict[str, tuple[Any, ...]] = {}
    for name, model in ITEM_TYPES.items():
        if columns.get(name) != list(record_class(model).fields):
            raise ValueError(f"an analysis index whose {name} columns differ")
        decode = _row_codec(model)[1]
        kinds[name] = tuple(decode(row) for row in document["rows"].get(name, ()))
    return Facts(**kinds, language=document.get("language"))


def iter_records(facts: Facts) -> Iterator[Any]:
    """Every record of every kind (the same order as :meth:`Facts.items`)."""
    yield from facts.items()


def kind_of(item: Any) -> type[Node]:
    """The model class a record (or a model) stands for.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> kind_of(record_from_model(Body(id="dhsc", name="DHSC"))) is Body
    True
    """
    model = getattr(type(item), "model", None)
    return model if model is not None else type(item)
