"""The one reader: RDF triples, as plain values, into :class:`~reviewgraph.rdf.records.Facts`.

Every route that reads RDF for the analysis ends here: a store's quads (in memory, on disk or
behind a SPARQL endpoint), a file parsed by the engine while ``reviewgraph load`` bulk-loads
it, or the triples of one item's neighbourhood.  It reads what :func:`~reviewgraph.rdf.mapping.
from_graph` reads, by the same field table, with the same leniency (a value of the wrong kind
is not the model's, and is left out), but builds records instead of validated models, and
never passes through rdflib terms.

Terms are plain values: an IRI is its text, a blank node is ``"_:"`` plus its label, and a
literal is a tuple ``(lexical form, datatype IRI, language tag or "")``.  The text of each
graph is read in the language most of its text literals carry (the rule of
:func:`~reviewgraph.rdf.mapping.from_graph`, applied per graph, so that every route reads the
same text whichever other graphs a store holds).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from reviewgraph.dates import DateRange
from reviewgraph.models import ITEM_TYPES, Node
from reviewgraph.rdf.mapping import FieldSpec, _model_classes, _text_predicates, field_specs
from reviewgraph.rdf.records import Facts, Record, Span, defaults, record_class, span
from reviewgraph.vocab.concepts import concept_from_iri
from reviewgraph.vocab.namespaces import BASE_IRI, RG

__all__ = ["PlainTerm", "PlainTriple", "canonical_key", "read_triples"]

PlainTerm = str | tuple[str, str, str]
PlainTriple = tuple[str, str, PlainTerm]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = XSD + "string"
_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DATE_TEXT, _EARLIEST, _LATEST = str(RG.dateText), str(RG.earliest), str(RG.latest)
_DATE_RANGE = str(RG.DateRange)
_SKIP = object()


@cache
def _type_models() -> dict[str, type[Node]]:
    return {str(model.rdf_type): model for model in _model_classes()}


@cache
def _known_predicates() -> frozenset[str]:
    found = {RDF_TYPE, _DATE_TEXT, _EARLIEST, _LATEST}
    for model in _model_classes():
        found.update(str(spec.iri) for spec in field_specs(model))
    return frozenset(found)


@cache
def _text_preds() -> frozenset[str]:
    return frozenset(str(p) for p in _text_predicates())


def canonical_key(value: Any) -> str:
    """The sort key the models give a list element (so records keep the models' order).

    An item sorts by id; a nested node by its JSON (as ``model_dump_json`` writes it); any
    other value by its text.

    Examples
    --------
    >>> from reviewgraph.models import Citation
    >>> from reviewgraph.rdf.records import record_from_model
    >>> c = Citation(source="s", locator="p. 3")
    >>> canonical_key(record_from_model(c)) == c.model_dump_json()
    True
    """
    if isinstance(value, Record):
        if "id" in value.fields:
            return str(value.id)
        return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Record):
        return {n: _jsonable(getattr(value, n)) for n in value.fields}
    if isinstance(value, Span):
        return {"text": value.text, "earliest": value.earliest.isoformat(),
                "latest": value.latest.isoformat()}  # fmt: skip
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _canonical(values: list[Any]) -> tuple[Any, ...]:
    unique = list(dict.fromkeys(values))
    return tuple(sorted(unique, key=canonical_key))


class _Graph:
    """The triples of one graph, grouped by subject, with the values the field table reads."""

    def __init__(self, triples: Iterable[PlainTriple]) -> None:
        known = _known_predicates()
        texts = _text_preds()
        self.out: dict[str, dict[str, list[PlainTerm]]] = {}
        self.tags: Counter[str] = Counter()
        self.text_subjects: list[tuple[str, str]] = []
        out = self.out
        # one copy of each repeated text (predicates, datatypes, tags, referenced IRIs): a
        # million triples hold a few thousand distinct ones, and the copies cost ~200 MB
        shared: dict[Any, Any] = {p: p for p in known}
        keep = shared.setdefault
        for s, p, o in triples:
            p = shared.get(p)  # type: ignore[assignment]
            if p is None:
                continue
            if isinstance(o, tuple):
                o = (o[0], keep(o[1], o[1]), keep(o[2], o[2]))
                if p in texts and o[1] in (_XSD_STRING, _LANGSTRING, ""):
                    self.text_subjects.append((s, o[2]))
            elif not o.startswith("_:"):
                o = keep(o, o)
            po = out.get(s)
            if po is None:
                out[s] = {p: [o]}
            elif p in po:
                po[p].append(o)
            else:
                po[p] = [o]

    def language(self, base: str) -> str:
        """The language tag most text literals of the dataset's nodes carry ("" for none)."""
        types = _type_models()
        tags: Counter[str] = Counter()
        for s, tag in self.text_subjects:
            if s.startswith("_:"):
                if not any(t in types for t in self.out.get(s, {}).get(RDF_TYPE, ())):
                    continue
            elif not s.startswith(base):
                continue
            tags[tag] += 1
        if not tags:
            return ""
        return max(sorted(tags), key=tags.__getitem__)


class _Reader:
    def __init__(self, graph: _Graph, base: str, language: str) -> None:
        self.graph, self.base, self.language = graph, base, language
        self.cut = len(base)

    def node(self, subject: str, model: type[Node], context: type[Node] | None) -> list[Any]:
        po = self.graph.out.get(subject, {})
        values: list[Any] = []
        for spec, default, convert in _plan(model):
            objects = po.get(spec.iri_text)
            if not objects:
                values.append(default)
                continue
            found = []
            for obj in objects:
                v = convert(self, obj, model, context)
                if v is not _SKIP:
                    found.append(v)
            if spec.many:
                values.append(_canonical(found) if found else default)
            elif len(found) == 1:
                values.append(found[0])
            elif found:
                # several values where the model holds one: the model would refuse the item;
                # the reader keeps the first in text order, and the loader's checks say so
                values.append(sorted(found, key=canonical_key)[0])
            else:
                values.append(default)
        return values

    # value converters, one per kind of field (chosen once per field by _plan)

    def ref(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        if type(obj) is str and obj.startswith(self.base) and not obj.startswith("_:"):
            return obj[self.cut :]
        return _SKIP

    def url(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        return obj if type(obj) is str and not obj.startswith("_:") else _SKIP

    def period(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        return obj[0] if type(obj) is tuple and obj[1] == XSD + "duration" else _SKIP

    def prop(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        for spec in field_specs(context) if context else ():
            if str(spec.iri) == obj:
                return spec.name
        return _SKIP

    def span(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        if type(obj) is not str or not obj.startswith("_:"):
            return _SKIP
        po = self.graph.out.get(obj)
        if po is None or _DATE_RANGE not in po.get(RDF_TYPE, ()):
            return _SKIP
        text, lo, hi = (po.get(p, ()) for p in (_DATE_TEXT, _EARLIEST, _LATEST))
        if len(text) != 1 or len(lo) != 1 or len(hi) != 1:
            return _SKIP
        t, a, b = text[0], lo[0], hi[0]
        if not (type(t) is tuple and type(a) is tuple and type(b) is tuple):
            return _SKIP
        if a[1] != XSD + "date" or b[1] != XSD + "date":
            return _SKIP
        try:
            return span(t[0], _day(a[0]), _day(b[0]))
        except ValueError:
            return _SKIP

    def text(self, obj: PlainTerm, model: type[Node], context: type[Node] | None) -> Any:
        if (
            type(obj) is tuple
            and obj[1] in (_XSD_STRING, _LANGSTRING, "")
            and (obj[2] == self.language)
        ):
            return obj[0]
        return _SKIP


_DAYS: dict[str, date] = {}


def _day(text: str) -> date:
    """An ``xsd:date`` as a date; each distinct day is parsed once and shared (the same days
    recur across thousands of items, and one object serves them all)."""
    found = _DAYS.get(text)
    if found is None:
        found = _DAYS[text] = date.fromisoformat(text)
    return found


def _literal(datatype: str, parse: Callable[[str], Any]) -> Callable[..., Any]:
    def convert(reader: _Reader, obj: PlainTerm, model: Any, context: Any) -> Any:
        if type(obj) is tuple and obj[1] == datatype:
            try:
                return parse(obj[0])
            except ValueError:
                return _SKIP
        return _SKIP

    return convert


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


def _concept(enum: type[StrEnum]) -> Callable[..., Any]:
    from rdflib import URIRef

    def convert(reader: _Reader, obj: PlainTerm, model: Any, context: Any) -> Any:
        if type(obj) is not str:
            return _SKIP
        try:
            return concept_from_iri(URIRef(obj), enum)
        except ValueError:
            return _SKIP

    return convert


def _nested(target: type[Node]) -> Callable[..., Any]:
    type_iri = str(target.rdf_type)
    cls = record_class(target)
    required = [i for i, n in enumerate(cls.fields) if _required(target, n)]
    new = tuple.__new__

    def convert(reader: _Reader, obj: PlainTerm, model: Any, context: Any) -> Any:
        if type(obj) is not str or not obj.startswith("_:"):
            return _SKIP
        po = reader.graph.out.get(obj)
        if po is None or type_iri not in po.get(RDF_TYPE, ()):
            return _SKIP
        values = reader.node(obj, target, model)
        for i in required:
            if values[i] is None:
                return _SKIP
        return new(cls, values)

    return convert


def _required(model: type[Node], name: str) -> bool:
    return model.model_fields[name].is_required()


class _Spec:
    __slots__ = ("iri_text", "many", "name")

    def __init__(self, spec: FieldSpec) -> None:
        self.name, self.many, self.iri_text = spec.name, spec.many, str(spec.iri)


@cache
def _plan(model: type[Node]) -> tuple[tuple[_Spec, Any, Callable[..., Any]], ...]:
    plan = []
    base_defaults = defaults(model)
    offset = 1 if "id" in record_class(model).fields else 0
    for i, spec in enumerate(field_specs(model)):
        convert: Callable[..., Any]
        target = spec.target
        if spec.kind == "ref":
            convert = _Reader.ref
        elif spec.kind == "url":
            convert = _Reader.url
        elif spec.kind == "period":
            convert = _Reader.period
        elif spec.kind == "property":
            convert = _Reader.prop
        elif isinstance(target, type) and issubclass(target, StrEnum):
            convert = _concept(target)
        elif target is DateRange:
            convert = _Reader.span
        elif isinstance(target, type) and issubclass(target, Node):
            convert = _nested(target)
        elif target is bool:
            convert = _literal(XSD + "boolean", _boolean)
        elif target is int:
            convert = _literal(XSD + "integer", int)
        elif target is date:
            convert = _literal(XSD + "date", _day)
        else:
            convert = _Reader.text
        plan.append((_Spec(spec), base_defaults[i + offset], convert))
    return tuple(plan)


def read_triples(
    triples: Iterable[PlainTriple],
    base: str = BASE_IRI,
    language: str | None = None,
    *,
    types: list[tuple[str, str]] | None = None,
) -> Facts:
    """Read the records of one graph's triples.

    Parameters
    ----------
    triples : iterable of (str, str, term)
        The graph's triples as plain values (see the module's description).
    base : str
        The IRI base of item identifiers.
    language : str, optional
        The language tag of text literals; by default the one most of them carry.
    types : list, optional
        Filled with ``(id, class)`` for every class of an item under ``base`` that is not
        an item class of the models (for the load's checks).

    Returns
    -------
    Facts

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> from reviewgraph.rdf.mapping import to_graph
    >>> from reviewgraph.stores.plain import plain_triples
    >>> ds = Dataset(bodies=(Body(id="dhsc", name="DHSC"),))
    >>> read_triples(plain_triples(to_graph(ds))) == Facts.from_dataset(ds)
    True
    """
    graph = _Graph(triples)
    lang = graph.language(base) if language is None else language
    reader = _Reader(graph, base, lang)
    kinds: dict[str, list[Any]] = {name: [] for name in ITEM_TYPES}
    by_type = {str(model.rdf_type): (name, model) for name, model in ITEM_TYPES.items()}
    cut = len(base)
    for subject, po in graph.out.items():
        if subject.startswith("_:") or not subject.startswith(base):
            continue
        for type_iri in po.get(RDF_TYPE, ()):
            found = by_type.get(type_iri)  # type: ignore[arg-type]
            if found is None:
                if types is not None and isinstance(type_iri, str):
                    types.append((subject[cut:], type_iri))
                continue
            name, model = found
            values = reader.node(subject, model, None)
            values.insert(0, subject[cut:])
            kinds[name].append(tuple.__new__(record_class(model), values))
    return Facts(
        **{name: tuple(sorted(rows, key=_by_id)) for name, rows in kinds.items()},
        language=lang or None,
    )


def _by_id(record: Any) -> str:
    return str(record.id)
