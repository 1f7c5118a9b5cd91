"""Records: the compact, read-only form of the models that the analysis reads.

A record has the attributes of its model (the same names, the same Python values: ids as
text, concepts as enum members, dates as :class:`Span`), but none of its validation, so that
tens of thousands of them are built in a fraction of a second from a store, a file or the
analysis index that ``reviewgraph load`` writes beside each store generation.  The record
classes are generated from the models' field table (:func:`reviewgraph.rdf.mapping.field_specs`),
so they cannot drift from the models.  :class:`Facts` holds every record of a dataset under the
same attribute names as :class:`~reviewgraph.models.Dataset`; :func:`to_model` turns one record
back into its validated model when a single item is shown in full.

The index file (:func:`dump_facts`, :func:`load_facts`) holds the records as they are, read
back with an unpickler that accepts nothing but records, dates and concepts.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError
from reviewgraph.models import ITEM_TYPES, Dataset, Item, Node
from reviewgraph.rdf.mapping import field_specs

__all__ = [
    "FACTS_FORMAT",
    "Facts",
    "Record",
    "Span",
    "dump_facts",
    "kind_of",
    "load_facts",
    "record_class",
    "record_from_model",
    "to_model",
]

FACTS_FORMAT = "reviewgraph-facts"
_VERSION = 1


class Span(tuple):  # type: ignore[type-arg]
    """A date with its precision, as :class:`~reviewgraph.dates.DateRange` holds it.

    Examples
    --------
    >>> span("2024", date(2024, 1, 1), date(2024, 12, 31)).latest
    datetime.date(2024, 12, 31)
    """

    __slots__ = ()

    @property
    def text(self) -> str:
        """The date as the source writes it."""
        return self[0]  # type: ignore[no-any-return]

    @property
    def earliest(self) -> date:
        """The earliest day it can mean."""
        return self[1]  # type: ignore[no-any-return]

    @property
    def latest(self) -> date:
        """The latest day it can mean."""
        return self[2]  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Span({self.text!r}, {self.earliest!r}, {self.latest!r})"


def span(text: str, earliest: date, latest: date) -> Span:
    """A :class:`Span` of its three values."""
    return tuple.__new__(Span, (text, earliest, latest))


class Record(tuple):  # type: ignore[type-arg]
    """Base of the record classes: a named tuple; ``model`` is the model class it stands for.

    Records are tuples, so building one from a row costs one C call; the fields are read by
    name (``record.summary``) as on the model.
    """

    __slots__ = ()
    model: ClassVar[type[Node]]
    fields: ClassVar[tuple[str, ...]]

    @classmethod
    def of(cls, *values: Any) -> Any:
        """A record of this kind from its field values, in the order of :attr:`fields`."""
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
    >>> Cite.of("src", "p. 3", None).locator
    'p. 3'
    """
    import operator

    names = (("id",) if issubclass(model, Item) else ()) + tuple(
        spec.name for spec in field_specs(model)
    )
    qualname = model.__name__ + "Record"
    namespace: dict[str, Any] = {
        "__slots__": (),
        "model": model,
        "fields": names,
        "__module__": __name__,
        "__qualname__": qualname,
    }
    for i, name in enumerate(names):
        namespace[name] = property(operator.itemgetter(i), doc=f"The ``{name}`` field.")
    cls = type(model.__name__, (Record,), namespace)
    globals()[qualname] = cls  # so that pickle finds it by name (see _Unpickler)
    return cls


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
    elections: tuple[Any, ...] = ()
    language: str | None = field(default=None, compare=False)
    """The language tag text was read in (not compared: the analysis does not depend on it)."""

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
        return span(value.text, value.earliest, value.latest)
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
    return tuple.__new__(cls, [_to_plain(getattr(model, n)) for n in cls.fields])


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


# -- the analysis index file


@cache
def _models() -> dict[str, type[Node]]:
    from reviewgraph.rdf.mapping import _model_classes

    return {model.__name__: model for model in _model_classes()}


class _Unpickler(pickle.Unpickler):
    """Reads only records, spans, dates and reviewgraph's concepts: an index file can name no
    other class or function, so a damaged or foreign file fails to load and runs nothing."""

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__:
            if name == "Span":
                return Span
            model = _models().get(name.removesuffix("Record")) if name.endswith("Record") else None
            if model is not None:
                return record_class(model)
        if module == "datetime" and name == "date":
            return date
        if module == "reviewgraph.vocab.concepts":
            from reviewgraph.vocab import concepts

            found = getattr(concepts, name, None)
            if isinstance(found, type) and issubclass(found, StrEnum):
                return found
        raise pickle.UnpicklingError(f"an analysis index may not name {module}.{name}")


def dump_facts(facts: Facts, base: str) -> bytes:
    """The records as the analysis index file that ``reviewgraph load`` keeps beside a graph.

    A pickle that :func:`load_facts` reads back with an unpickler restricted to records,
    dates and concepts, headed by the format, its version, the base and every kind's
    columns, so that an index written by another version (or for another base) is not used.

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> facts = Facts.from_dataset(Dataset(bodies=(Body(id="dhsc", name="DHSC"),)))
    >>> base = "https://example.org/"
    >>> load_facts(dump_facts(facts, base), base) == facts
    True
    """
    document = {
        "format": FACTS_FORMAT,
        "version": _VERSION,
        "base": base,
        "language": facts.language,
        "columns": _columns(),
        "kinds": {name: getattr(facts, name) for name in ITEM_TYPES},
    }
    return pickle.dumps(document, protocol=5)


@cache
def _columns() -> dict[str, tuple[str, ...]]:
    return {model.__name__: record_class(model).fields for model in _models().values()}


def load_facts(data: bytes, base: str) -> Facts:
    """Read an analysis index written by :func:`dump_facts`.

    Raises
    ------
    ValueError
        If the file is damaged, or is not an index of this version, for this base, with
        these columns.
    """
    try:
        document = _Unpickler(io.BytesIO(data)).load()
    except Exception as exc:  # a damaged file may raise almost anything while unpickling
        raise ValueError(f"not a readable analysis index ({type(exc).__name__})") from None
    if not isinstance(document, dict) or document.get("format") != FACTS_FORMAT:
        raise ValueError("not a reviewgraph analysis index")
    if document.get("version") != _VERSION or document.get("base") != base:
        raise ValueError("an analysis index of another version or base")
    if document.get("columns") != _columns():
        raise ValueError("an analysis index whose columns differ from these models")
    kinds = document.get("kinds")
    if not isinstance(kinds, dict) or set(kinds) != set(ITEM_TYPES):
        raise ValueError("an analysis index without every kind of item")
    return Facts(**kinds, language=document.get("language"))


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
