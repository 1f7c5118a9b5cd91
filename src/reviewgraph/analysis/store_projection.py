"""Build the NetworkX projection straight from SPARQL on any store, without building models.

:func:`projection_from_store` returns the graph that
``to_networkx(read_store(store), base)`` returns (same nodes in the same order, attributes of
the same types, edge keys and edge attributes; see :mod:`reviewgraph.analysis.projection` for
the contract), but reads only what the projection needs, in six SELECT queries, and never
builds the pydantic models:

1. the dataset's language: how many text literals carry each language tag (``from_graph``
   reads only text in the most common one);
2. the ``rdf:type`` and every IRI- or literal-valued field of every subject under ``base``
   (``VALUES (?p ?dt)`` lists each predicate with the datatype its field needs, then
   ``?s ?p ?o``);
3. the ``rg:DateRange`` of every date field (text, earliest, latest in one row);
4. the citations, 5. the fulfilments and 6. the blanket stances (one row each).

Every predicate, datatype and default comes from the models' field table
(:func:`reviewgraph.rdf.mapping.field_specs`); only the three ``rg:DateRange`` predicates are named
here, as :mod:`reviewgraph.rdf.mapping` names them.  The queries are joins on bound variables,
``OPTIONAL`` patterns for optional fields and FILTERs (no ``FILTER NOT EXISTS``, no ``UNION``
inside an ``OPTIONAL``): linear on Oxigraph.  They never join ``?s a ?t`` with a variable
class either: rdflib would enumerate every typed node first (6 s instead of 0.3 s for the
dates of the seeds); which subjects are items, and of which class, is told by the ``rdf:type``
rows of query 2, in Python.  Rows are made distinct in Python, since Oxigraph's union default
graph repeats a triple that two graphs hold.

Only the store's data is read: an item is an IRI under ``base`` that the data types with an
item class.  The ontology annotations graph that stores keep
(:data:`reviewgraph.stores.ANNOTATIONS_GRAPH`, which ``to_rdflib`` leaves out) holds only
``rg:rank``, ``rg:expectsResponse`` and ``rg:responsePeriod`` of the ontology's concepts and
types nothing, so none of its triples can become (or add to) an item, whatever ``base``.

Data that :func:`reviewgraph.stores.read_store` refuses (an item missing a required field, a
field with two values where the model allows one) is projected as far as it goes rather than
refused: this function does not validate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

import networkx as nx
import pydantic_core
from pydantic import TypeAdapter
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, XSD

from reviewgraph.analysis.projection import _SKIP, _local
from reviewgraph.dates import DateRange
from reviewgraph.models import (
    ITEM_TYPES,
    BodyChange,
    Deliverable,
    Item,
    Link,
    Node,
    Recommendation,
    Response,
)
from reviewgraph.rdf.mapping import FieldSpec, _model_classes, _text_predicates, field_specs
from reviewgraph.stores.base import XSD_STRING, Store, Term
from reviewgraph.vocab.concepts import LinkType, concept_iri
from reviewgraph.vocab.namespaces import BASE_IRI, RG

__all__ = ["projection_from_store"]

_RDF_TYPE = str(RDF.type)
_LANGSTRING = str(RDF.langString)
_DATATYPES: dict[Any, str] = {
    str: XSD_STRING,
    int: str(XSD.integer),
    bool: str(XSD.boolean),
    date: str(XSD.date),
}
_NESTED = ("citations", "fulfils", "blanket")
"""The nested nodes the projection turns into edges (and the ``sources`` attribute)."""

_MISSING = object()

# --------------------------------------------------------------------------- the field plan


@dataclass(frozen=True)
class _Field:
    """How one field of an item class is read from a row and projected."""

    spec: FieldSpec
    key: str
    """The node attribute (``""``: none, the field only gives edges)."""
    shape: str
    """``iri`` (ref, url, concept), ``literal``, ``dates`` or ``nested``."""
    default: Any
    """The field's value when the store has none, as the projection writes it (None: none)."""
    convert: Callable[[Any, str], Any]
    """Row value and base to the field's value, or ``_MISSING`` when ``from_graph`` skips it."""


def _shape(spec: FieldSpec) -> str:
    target = spec.target
    if spec.kind in ("ref", "url") or (isinstance(target, type) and issubclass(target, StrEnum)):
        return "iri"
    if target is DateRange:
        return "dates"
    if isinstance(target, type) and issubclass(target, Node):
        return "nested"
    if spec.kind == "period" or target in _DATATYPES:
        return "literal"
    raise TypeError(f"field {spec.name!r}: no projection for {target!r}")  # pragma: no cover


def _ref(value: Any, base: str) -> Any:
    return value[len(base) :] if isinstance(value, str) and value.startswith(base) else _MISSING


def _url(value: Any, base: str) -> Any:
    return value if isinstance(value, str) else _MISSING


def _concepts(enum: type[StrEnum]) -> Callable[[Any, str], Any]:
    by_iri = {str(concept_iri(member)): member.value for member in enum}
    return lambda value, base: by_iri.get(value, _MISSING)


def _typed(target: type) -> Callable[[Any, str], Any]:
    return lambda value, base: value if type(value) is target else _MISSING


def _period(adapter: TypeAdapter[Any]) -> Callable[[Any, str], Any]:
    def convert(value: Any, base: str) -> Any:
        if not isinstance(value, str):
            return _MISSING
        # as read_store does: rdflib's canonical lexical form, then the model's validator
        return adapter.validate_python(str(RDFLiteral(value, datatype=XSD.duration)))

    return convert


def _converter(model: type[Node], spec: FieldSpec) -> Callable[[Any, str], Any]:
    target = spec.target
    if spec.kind == "ref":
        return _ref
    if spec.kind == "url":
        return _url
    if isinstance(target, type) and issubclass(target, StrEnum):
        return _concepts(target)
    if spec.kind == "period":
        annotation: Any = model.model_fields[spec.name].annotation
        return _period(TypeAdapter(annotation))
    if target in _DATATYPES:
        return _typed(target)
    return _url  # dates and nested nodes are read by their own queries


def _default(model: type[Node], name: str) -> Any:
    value = model.model_fields[name].default
    if value is None or value == ():
        return None
    return value.value if isinstance(value, StrEnum) else value


@dataclass(frozen=True)
class _Plan:
    """The field table of every item class, as the projection reads it."""

    fields: dict[type[Item], tuple[_Field, ...]]
    """Every field with a predicate, in the model's order."""
    by_predicate: dict[type[Item], dict[str, _Field]]
    """The IRI- and literal-valued fields by predicate."""
    dates: dict[type[Item], dict[str, _Field]]
    """The date fields by predicate."""
    classes: dict[str, type[Item]]
    """Item classes by their ``rdf:type``."""


@cache
def _plan() -> _Plan:
    fields: dict[type[Item], tuple[_Field, ...]] = {}
    by_predicate: dict[type[Item], dict[str, _Field]] = {}
    dates: dict[type[Item], dict[str, _Field]] = {}
    for model in ITEM_TYPES.values():
        out = []
        for spec in field_specs(model):
            key = "" if spec.name in _SKIP else spec.name.rstrip("_")
            if key == "label" and model is Recommendation:
                key = "label_in_review"  # as the projection names it
            shape = _shape(spec)
            out.append(
                _Field(spec, key, shape, _default(model, spec.name), _converter(model, spec))
            )
        projected = {f.spec.name for f in out if f.key} | set(_SKIP)
        missing = set(model.model_fields) - projected
        assert not missing, f"{model.__name__}: fields without a predicate: {missing}"
        fields[model] = tuple(out)
        by_predicate[model] = {str(f.spec.iri): f for f in out if f.shape in ("iri", "literal")}
        dates[model] = {str(f.spec.iri): f for f in out if f.shape == "dates"}
    shapes: dict[str, set[str]] = defaultdict(set)
    for table in by_predicate.values():
        for iri, f in table.items():
            shapes[iri].add(f.shape)
    mixed = [iri for iri, found in shapes.items() if len(found) > 1]
    assert not mixed, f"predicates both IRI- and literal-valued: {mixed}"
    classes = {str(model.rdf_type): model for model in ITEM_TYPES.values()}
    return _Plan(fields, by_predicate, dates, classes)


# --------------------------------------------------------------------------- queries


def _lit(text: str) -> str:
    """A string literal in N-Triples syntax (escaped)."""
    return Term(text, "literal", XSD_STRING).n3()


def _in(var: str, iris: Iterable[Any]) -> str:
    """``?var IN (<a>, <b>, ...)``: a FILTER, not a ``VALUES`` join (which rdflib evaluates
    as a nested loop over every solution of the rest of the group)."""
    listed = ", ".join(f"<{iri}>" for iri in sorted({str(i) for i in iris}))
    return f"{var} IN ({listed})"


def _subject(base: str) -> str:
    """``?s`` is an IRI under ``base`` (whether it is an item, of which class, is told by
    the ``rdf:type`` rows of the values query: a ``?s a ?t`` join here would lead rdflib to
    enumerate every typed node first)."""
    return f"isIRI(?s) && STRSTARTS(STR(?s), {_lit(base)})"


def _datatype(spec: FieldSpec, language: str | None) -> str:
    if spec.kind == "period":
        return str(XSD.duration)
    datatype = _DATATYPES[spec.target]
    return _LANGSTRING if datatype == XSD_STRING and language is not None else datatype


def _test(var: str, spec: FieldSpec, base: str, language: str | None) -> str:
    """The FILTER that keeps only the values ``from_graph`` reads for a field."""
    if spec.kind == "ref":
        return f"isIRI({var}) && STRSTARTS(STR({var}), {_lit(base)})"
    if _shape(spec) == "iri":
        return f"isIRI({var})"
    datatype = _datatype(spec, language)
    if datatype == _LANGSTRING:
        return f"LANG({var}) = {_lit(str(language))}"
    return f"DATATYPE({var}) = <{datatype}>"


@cache
def _language_query(base: str) -> str:
    text = " ".join(f"<{p}>" for p in sorted(_text_predicates()))
    nodes = _in("?c", (m.rdf_type for m in _model_classes()))
    return f"""SELECT ?lang (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
    VALUES ?p {{ {text} }}
    ?s ?p ?o .
    FILTER(isLiteral(?o) && DATATYPE(?o) IN (<{XSD_STRING}>, <{_LANGSTRING}>))
    OPTIONAL {{ ?s a ?c . FILTER(isBlank(?s) && {nodes}) }}
    FILTER({_subject(base)} || BOUND(?c))
  }} }}
  BIND(LANG(?o) AS ?lang)
}} GROUP BY ?lang"""


@cache
def _values_query(base: str, language: str | None) -> str:
    plan = _plan()
    pairs = {(_RDF_TYPE, "UNDEF")}
    for table in plan.by_predicate.values():
        for iri, f in table.items():
            datatype = "UNDEF" if f.shape == "iri" else f"<{_datatype(f.spec, language)}>"
            pairs.add((iri, datatype))
    values = "\n    ".join(f"(<{p}> {d})" for p, d in sorted(pairs))
    lang = ""
    if language is not None:
        lang = f" && (?dt != <{_LANGSTRING}> || LANG(?o) = {_lit(language)})"
    return f"""SELECT ?s ?p ?o WHERE {{
  VALUES (?p ?dt) {{
    {values}
  }}
  ?s ?p ?o .
  FILTER({_subject(base)} && IF(BOUND(?dt), DATATYPE(?o) = ?dt{lang}, isIRI(?o)))
}}"""


@cache
def _dates_query(base: str) -> str:
    plan = _plan()
    predicates = _in("?p", (p for table in plan.dates.values() for p in table))
    return f"""SELECT ?s ?p (STR(?text) AS ?tx) ?earliest ?latest WHERE {{
  ?s ?p ?d . FILTER({_subject(base)} && {predicates} && isBlank(?d))
  ?d a <{RG.DateRange}> ; <{RG.dateText}> ?text ;
     <{RG.earliest}> ?earliest ; <{RG.latest}> ?latest .
  FILTER(isLiteral(?text) && DATATYPE(?earliest) = <{XSD.date}>
    && DATATYPE(?latest) = <{XSD.date}>)
}}"""


@cache
def _nested_spec(name: str) -> tuple[FieldSpec, type[Node]]:
    """The field table entry of a nested-node field, and the node's class."""
    specs = {s for m in ITEM_TYPES.values() for s in field_specs(m) if s.name == name}
    assert len({(s.iri, s.target) for s in specs}) == 1, f"{name}: {specs}"
    spec = specs.pop()
    return spec, spec.target


@cache
def _nested_query(name: str, base: str, language: str | None) -> tuple[str, tuple[str, ...]]:
    """The query for one kind of nested node, and its value variables (the node's fields)."""
    spec, node = _nested_spec(name)
    patterns, variables = [], []
    for field in field_specs(node):
        if _shape(field) not in ("iri", "literal"):
            continue  # nested in nested (a blanket stance's citations): not projected
        var = f"?{field.name}"
        pattern = f"?n <{field.iri}> {var} . FILTER({_test(var, field, base, language)})"
        patterns.append(pattern if field.required else f"OPTIONAL {{ {pattern} }}")
        variables.append(field.name)
    body = "\n  ".join(patterns)
    query = f"""SELECT ?s {" ".join("?" + v for v in variables)} WHERE {{
  ?s <{spec.iri}> ?n . FILTER({_subject(base)} && isBlank(?n))
  ?n a <{node.rdf_type}> .
  {body}
}}"""
    return query, tuple(variables)


# --------------------------------------------------------------------------- reading


def _language(store: Store, base: str) -> str | None:
    """The language ``from_graph`` detects: the most common tag of text literals."""
    tags: dict[str | None, int] = {}
    for row in store.select(_language_query(base)):
        tag, n = row["lang"], row["n"]
        if isinstance(n, int):
            key = tag if isinstance(tag, str) and tag else None
            tags[key] = tags.get(key, 0) + n
    if not tags:
        return None
    return max(sorted(tags, key=lambda t: t or ""), key=tags.__getitem__)


def _nested(
    store: Store, name: str, base: str, language: str | None
) -> dict[str, set[tuple[Any, ...]]]:
    """Each item's nested nodes of one kind, as tuples of their fields' values."""
    query, variables = _nested_query(name, base, language)
    _, node = _nested_spec(name)
    converters = [
        _converter(node, spec) for spec in field_specs(node) if spec.name in set(variables)
    ]
    defaults = [_default(node, v) for v in variables]
    out: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for row in store.select(query):
        values = []
        for var, convert, default in zip(variables, converters, defaults, strict=True):
            raw = row[var]
            value = default if raw is None else convert(raw, base)
            values.append(None if value is _MISSING else value)
        out[str(row["s"])].add(tuple(values))
    return out


def _one(values: set[Any]) -> Any:
    return values.pop() if len(values) == 1 else min(values, key=str)


def _label(model: type[Item], item_id: str, values: dict[str, Any]) -> str:
    if model is Recommendation:
        return f"{values.get('review', '')} recommendation {values.get('label', '')}"
    for name in ("title", "name", "label", "summary"):
        value = values.get(name)
        if isinstance(value, str) and value:
            return value
    return item_id


def _node_attrs(
    model: type[Item],
    item_id: str,
    values: dict[str, Any],
    citations: Iterable[tuple[Any, ...]],
) -> dict[str, Any]:
    attrs: dict[str, Any] = {"id": item_id, "type": model.__name__}
    attrs["label"] = _label(model, item_id, values)
    for f in _plan().fields[model]:
        if not f.key:
            continue
        value = values.get(f.spec.name)
        if value is None:
            continue
        if f.shape == "dates":
            text, earliest, latest = value
            attrs[f.key] = text
            attrs[f"{f.key}_earliest"] = earliest.isoformat()
            attrs[f"{f.key}_latest"] = latest.isoformat()
        elif f.spec.many:
            attrs[f.key] = "; ".join(value)
        else:
            attrs[f.key] = value.isoformat() if isinstance(value, date) else value
    sources = sorted({c[0] for c in citations})
    if sources:
        attrs["sources"] = "; ".join(sources)
    return attrs


def _json_order(fields: tuple[str, ...]) -> Callable[[tuple[Any, ...]], bytes]:
    """Sort nested nodes as the models' canonical tuples do (by their JSON)."""
    return lambda values: pydantic_core.to_json(dict(zip(fields, values, strict=True)))


# --------------------------------------------------------------------------- the projection


def projection_from_store(store: Store, base: str = BASE_IRI) -> nx.MultiDiGraph:
    """Project a store's data onto a ``networkx.MultiDiGraph`` straight from SPARQL.

    The result equals ``to_networkx(read_store(store), base)`` (see
    :func:`reviewgraph.analysis.projection.to_networkx` for the nodes, edges and attributes)
    without reading the store back as models: six SELECT queries, on any store.

    Parameters
    ----------
    store : Store
        The store to read (memory, ``oxigraph:PATH``, rdflib or an endpoint).
    base : str
        The IRI base of identifiers.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI with ``id``, ``type`` and ``label`` attributes; typed edges.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.projection import to_networkx
    >>> from reviewgraph.stores import add_dataset, open_store
    >>> store = open_store("memory")
    >>> _ = add_dataset(store, demo_dataset(), "urn:x:demo")
    >>> g = projection_from_store(store)
    >>> later = "https://w3id.org/reviewgraph/id/demo-2020/1"
    >>> [(k, d["type"]) for _, _, k, d in g.out_edges(later, keys=True, data=True)
    ...  if d["type"] == "repeats"]
    [('demo-link', 'repeats')]
    >>> g.nodes[later]["type"], g.nodes[later]["review"]
    ('Recommendation', 'demo-2020')
    >>> expected = to_networkx(demo_dataset())
    >>> dict(g.nodes(data=True)) == dict(expected.nodes(data=True))
    True
    """
    language = _language(store, base)
    types, triples = _read_values(store, base, language)
    dates = _read_dates(store, base)
    nested = {name: _nested(store, name, base, language) for name in _NESTED}

    # the items, as from_graph orders them: by kind, then by identifier
    kinds = {model: i for i, model in enumerate(ITEM_TYPES.values())}
    items = sorted(
        (kinds[model], s[len(base) :], s, model) for s, found in types.items() for model in found
    )
    graph = nx.MultiDiGraph()
    records: list[tuple[str, str, type[Item], dict[str, Any]]] = []
    no_dates: dict[str, set[tuple[str, date, date]]] = {}
    for _, item_id, s, model in items:
        values = _values(model, triples.get(s, ()), dates.get(s, no_dates), base)
        citations = nested["citations"].get(s, ()) if "citations" in model.model_fields else ()
        graph.add_node(s, **_node_attrs(model, item_id, values, citations))
        records.append((s, item_id, model, values))
    _add_edges(graph, records, nested, base, language)
    return graph


def _read_values(
    store: Store, base: str, language: str | None
) -> tuple[dict[str, list[type[Item]]], dict[str, set[tuple[str, Any]]]]:
    """Query 2: each item's classes, and its (predicate, value) pairs."""
    classes = _plan().classes
    types: dict[str, list[type[Item]]] = defaultdict(list)
    triples: dict[str, set[tuple[str, Any]]] = defaultdict(set)
    rows: list[dict[str, Any]] = store.select(_values_query(base, language))
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        if p == _RDF_TYPE:
            model = classes.get(o)
            if model is not None and model not in types[s]:
                types[s].append(model)
        else:
            triples[s].add((p, o))
    return types, triples


def _read_dates(store: Store, base: str) -> dict[str, dict[str, set[tuple[str, date, date]]]]:
    """Query 3: each item's dates, by predicate, as (text, earliest, latest)."""
    dates: dict[str, dict[str, set[tuple[str, date, date]]]] = defaultdict(dict)
    rows: list[dict[str, Any]] = store.select(_dates_query(base))
    for row in rows:
        earliest, latest = row["earliest"], row["latest"]
        if isinstance(earliest, date) and isinstance(latest, date):
            found = dates[row["s"]].setdefault(row["p"], set())
            found.add((str(row["tx"]), earliest, latest))
    return dates


def _values(
    model: type[Item],
    triples: Iterable[tuple[str, Any]],
    dates: dict[str, set[tuple[str, date, date]]],
    base: str,
) -> dict[str, Any]:
    """One item's field values, as the model would hold them (enums as their values)."""
    plan = _plan()
    fields, date_fields = plan.by_predicate[model], plan.dates[model]
    collected: dict[str, set[Any]] = {}
    for p, o in triples:
        f = fields.get(p)
        if f is not None:
            value = f.convert(o, base)
            if value is not _MISSING:
                collected.setdefault(f.spec.name, set()).add(value)
    for p, found in dates.items():
        f = date_fields.get(p)
        if f is not None:
            collected.setdefault(f.spec.name, set()).update(found)
    values: dict[str, Any] = {}
    for f in plan.fields[model]:
        got = collected.get(f.spec.name)
        if got:
            values[f.spec.name] = tuple(sorted(got)) if f.spec.many else _one(got)
        elif f.default is not None:
            values[f.spec.name] = f.default
    return values


def _add_edges(
    graph: nx.MultiDiGraph,
    records: list[tuple[str, str, type[Item], dict[str, Any]]],
    nested: dict[str, dict[str, set[tuple[Any, ...]]]],
    base: str,
    language: str | None,
) -> None:
    """Add the edges in the order ``to_networkx`` adds them (item by item)."""
    plan = _plan()

    def end(node: str) -> None:
        if node not in graph:
            graph.add_node(node, id=node.removeprefix(base), type="Unknown", label=node)

    def edge(u: str, v: str, key: str, edge_type: str, **attrs: Any) -> None:
        clean = {
            k: a.isoformat() if isinstance(a, date) else a
            for k, a in attrs.items()
            if a is not None
        }
        end(u)
        end(v)
        graph.add_edge(u, v, key=key, type=edge_type, **clean)

    refs = {
        model: [
            (f.spec.name, f.spec.many, _local(str(f.spec.iri)))
            for f in fields
            if f.spec.kind == "ref"
        ]
        for model, fields in plan.fields.items()
    }
    orders = {name: _json_order(_nested_query(name, base, language)[1]) for name in _NESTED}
    for u, item_id, model, values in records:
        for name, many, key in refs[model]:
            value = values.get(name)
            if value is None:
                continue
            for ref in value if many else (value,):
                v = base + ref
                end(v)
                graph.add_edge(u, v, key=key, type=key)
        if "citations" in model.model_fields:
            cites = sorted(nested["citations"].get(u, ()), key=orders["citations"])
            for i, (source, locator, accessed) in enumerate(cites):
                edge(u, base + source, f"cites/{i}", "cites", locator=locator, accessed=accessed)
        if model is Link and {"type", "from_", "to"} <= values.keys():
            link_type = _local(str(concept_iri(LinkType(values["type"]))))
            edge(
                base + values["from_"],
                base + values["to"],
                item_id,
                link_type,
                link=item_id,
                basis=values.get("basis"),
                rationale=values.get("rationale"),
            )
        elif model is Deliverable:
            for commitment, degree in sorted(nested["fulfils"].get(u, ()), key=orders["fulfils"]):
                edge(u, base + commitment, "fulfils", "fulfils", degree=degree)
        elif model is Response:
            for review, stance in sorted(nested["blanket"].get(u, ()), key=orders["blanket"]):
                edge(u, base + review, f"blanketStance/{review}", "blanketStance", stance=stance)
        elif model is BodyChange and "body" in values:
            text, earliest, latest = values.get("date") or (None, None, None)
            for target in values.get("into", ()):
                edge(
                    base + values["body"],
                    base + target,
                    item_id,
                    "bodyChange",
                    change=item_id,
                    change_kind=values.get("kind"),
                    date=text,
                    date_earliest=earliest,
                    date_latest=latest,
                )
