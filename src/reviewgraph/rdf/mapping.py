"""Convert between models and RDF: :func:`to_graph` and :func:`from_graph` (pure, no I/O).

Both read the field table of :mod:`reviewgraph.models` (each field's :class:`~.models.Pred`),
so they cannot drift apart.  Items become IRIs under a base (``BASE_IRI`` unless given);
dates, citations and other nested values become blank nodes.  Shortcut triples are added for
SPARQL: each :class:`~.models.Link` also states ``<from> rg:<type> <to>``, each deliverable
``rg:fulfils`` its commitments, and each theme is ``skos:inScheme rg:Themes``.

Whatever a graph says that the models do not cover is kept in ``Dataset.extra_triples`` and
written back by :func:`to_graph`, so graph -> models -> graph is isomorphic.
"""

from __future__ import annotations

import re
import types
import typing
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.term import Node as RDFNode
from rdflib.util import from_n3

from reviewgraph.dates import DateRange
from reviewgraph.errors import DataError, ValidationFailed
from reviewgraph.models import ITEM_TYPES, Dataset, Deliverable, Item, Link, Node, Pred, Theme
from reviewgraph.rdf.tripleindex import TripleIndex
from reviewgraph.vocab.concepts import concept_from_iri, concept_iri
from reviewgraph.vocab.namespaces import BASE_IRI, RG, bind_prefixes
from reviewgraph.vocab.ntriples import write_rdflib

__all__ = ["FieldSpec", "field_specs", "from_graph", "item_iri", "to_graph"]


@dataclass(frozen=True)
class FieldSpec:
    """How one model field is written in RDF (derived from the model's annotations)."""

    name: str
    iri: URIRef
    kind: str
    target: Any
    many: bool
    required: bool
    to: tuple[URIRef, ...] = ()


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Return (element type, many) for ``T``, ``T | None`` and ``tuple[T, ...]``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(args[0])
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is tuple:
        return _unwrap(get_args(annotation)[0])[0], True
    return annotation, False


@cache
def field_specs(model: type[Node]) -> tuple[FieldSpec, ...]:
    """Return the RDF field table of a model class.

    Examples
    --------
    >>> from reviewgraph.models import Citation
    >>> [(f.name, f.kind) for f in field_specs(Citation)]
    [('source', 'ref'), ('locator', 'value'), ('accessed', 'value')]
    """
    specs = []
    for name, info in model.model_fields.items():
        pred = next((m for m in info.metadata if isinstance(m, Pred)), None)
        if pred is None:
            continue
        target, many = _unwrap(info.annotation)
        specs.append(
            FieldSpec(name, pred.iri, pred.kind, target, many, info.is_required(), pred.to)
        )
    return tuple(specs)


def item_iri(item_id: str, base: str = BASE_IRI) -> URIRef:
    """Mint the IRI of an item.

    Examples
    --------
    >>> str(item_iri("kark-2019/5"))
    'https://w3id.org/reviewgraph/id/kark-2019/5'
    """
    return URIRef(base + item_id)


class _Writer:
    def __init__(self, graph: Graph | TripleIndex, base: str, language: str | None) -> None:
        self.graph, self.base, self.language = graph, base, language
        self.prefix, self.count = "b", 0

    def blank(self) -> BNode:
        """A blank node labelled from its item and position, so output is deterministic."""
        self.count += 1
        return BNode(f"{self.prefix}x{self.count}")

    def item(self, item: Item) -> None:
        self.prefix = "b" + re.sub(r"[^A-Za-z0-9]", "_", item.id)
        self.count = 0
        self.node(URIRef(self.base + item.id), item)

    def node(self, subject: RDFNode, model: Node, context: type[Node] | None = None) -> None:
        add = self.graph.add
        add((subject, RDF.type, model.rdf_type))
        for spec in field_specs(type(model)):
            value = getattr(model, spec.name)
            if value is None or (value is False and _defaults_false(type(model), spec.name)):
                continue
            for v in value if spec.many else (value,):
                add((subject, spec.iri, self.term(spec, v, type(model), context)))
        if isinstance(model, Link):
            add((self.iri(model.from_), concept_iri(model.type), self.iri(model.to)))
        elif isinstance(model, Deliverable):
            for f in model.fulfils:
                add((subject, RG.fulfils, self.iri(f.commitment)))
        elif isinstance(model, Theme):
            add((subject, SKOS.inScheme, RG.Themes))

    def iri(self, item_id: str) -> URIRef:
        return URIRef(self.base + item_id)

    def term(
        self, spec: FieldSpec, value: Any, model: type[Node], context: type[Node] | None
    ) -> RDFNode:
        if spec.kind == "ref":
            return self.iri(value)
        if spec.kind == "url":
            return URIRef(value)
        if spec.kind == "period":
            return Literal(value, datatype=XSD.duration)
        if spec.kind == "property":
            return _field_iri(context, value)
        if isinstance(value, StrEnum):
            return concept_iri(value)
        if isinstance(value, DateRange):
            b = self.blank()
            self.graph.add((b, RDF.type, RG.DateRange))
            self.graph.add((b, RG.dateText, Literal(value.text)))
            self.graph.add((b, RG.earliest, Literal(value.earliest)))
            self.graph.add((b, RG.latest, Literal(value.latest)))
            return b
        if isinstance(value, Node):
            b = self.blank()
            self.node(b, value, model)
            return b
        if isinstance(value, bool):
            return Literal(value)
        if isinstance(value, int):
            return Literal(value, datatype=XSD.integer)
        if isinstance(value, date):
            return Literal(value)
        return Literal(value, lang=self.language)


def _defaults_false(model: type[Node], field_name: str) -> bool:
    return model.model_fields[field_name].default is False


def _field_iri(model: type[Node] | None, field_name: str) -> URIRef:
    for spec in field_specs(model) if model else ():
        if spec.name == field_name:
            return spec.iri
    raise DataError(f"an alternative names {field_name!r}, which is not a field here")


def to_graph(dataset: Dataset, base: str = BASE_IRI, graph: Graph | None = None) -> Graph:
    """Write a dataset as RDF.

    Parameters
    ----------
    dataset : Dataset
        The items to write.
    base : str
        The IRI under which identifiers are minted.
    graph : rdflib.Graph, optional
        A graph to add to; a new one with the project's prefixes bound by default.

    Returns
    -------
    rdflib.Graph

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> g = to_graph(Dataset(bodies=(Body(id="dhsc", name="DHSC"),)))
    >>> len(g)
    2
    """
    g = graph if graph is not None else bind_prefixes(Graph(bind_namespaces="core"), base)
    writer = _Writer(g, base, dataset.language)
    for item in dataset.items():
        writer.item(item)
    for line in dataset.extra_triples:
        s, p, o = _parse_ntriple(line)
        g.add((s, p, o))
    return g


def _parse_ntriple(line: str) -> tuple[Any, Any, Any]:
    parts = _split_n3(line)
    return tuple(from_n3(part) for part in parts)  # type: ignore[return-value]


def _split_n3(line: str) -> list[str]:
    """Split one N-Triples line (without the final dot) into its three terms."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n and len(out) < 3:
        while i < n and line[i] == " ":
            i += 1
        start = i
        if line[i] == "<":
            i = line.index(">", i) + 1
        elif line[i] == '"':
            i += 1
            while line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
            while i < n and line[i] != " ":
                if line[i] == "<":
                    i = line.index(">", i) + 1
                else:
                    i += 1
        else:
            while i < n and line[i] != " ":
                i += 1
        out.append(line[start:i])
    return out


class _Reader:
    def __init__(self, graph: Graph | TripleIndex, base: str, language: str | None) -> None:
        self.graph, self.base, self.language = graph, base, language
        self.used: set[tuple[Any, Any, Any]] = set()
        self.problems: list[DataError] = []

    def read(
        self, subject: RDFNode, model: type[Node], context: type[Node] | None = None
    ) -> dict[str, Any]:
        g = self.graph
        self.used.add((subject, RDF.type, model.rdf_type))
        data: dict[str, Any] = {}
        for spec in field_specs(model):
            values = []
            for obj in g.objects(subject, spec.iri):
                converted = self.value(spec, obj, model, context)
                if converted is _SKIP:
                    continue
                if not (converted is False and _defaults_false(model, spec.name)):
                    # an explicit ``false`` equal to the default is kept as an extra triple,
                    # since the writer leaves defaults out
                    self.used.add((subject, spec.iri, obj))
                values.append(converted)
            if spec.many:
                if values:
                    data[spec.name] = tuple(values)
            elif len(values) > 1:
                raise DataError(f"{_curie(spec.iri)} has {len(values)} values; expected one")
            elif values:
                data[spec.name] = values[0]
        return data

    def value(
        self, spec: FieldSpec, obj: RDFNode, model: type[Node], context: type[Node] | None
    ) -> Any:
        if spec.kind == "ref":
            if isinstance(obj, URIRef) and obj.startswith(self.base):
                return obj[len(self.base) :]
            return _SKIP
        if spec.kind == "url":
            return str(obj) if isinstance(obj, URIRef) else _SKIP
        if spec.kind == "property":
            return _field_named(context, obj)
        target = spec.target
        if spec.kind == "period":
            return str(obj) if _is_lit(obj, XSD.duration) else _SKIP
        if isinstance(target, type) and issubclass(target, StrEnum):
            try:
                return concept_from_iri(obj, target) if isinstance(obj, URIRef) else _SKIP
            except ValueError:
                return _SKIP
        if target is DateRange:
            return self.date_range(obj)
        if isinstance(target, type) and issubclass(target, Node):
            if not isinstance(obj, BNode) or (obj, RDF.type, target.rdf_type) not in self.graph:
                return _SKIP
            return target.model_validate(self.read(obj, target, model))
        if target in (bool, int, date):
            wanted = {bool: XSD.boolean, int: XSD.integer, date: XSD.date}[target]
            if isinstance(obj, Literal) and obj.datatype == wanted:
                value = obj.toPython()
                return value if isinstance(value, target) else _SKIP
            return _SKIP
        if isinstance(obj, Literal) and obj.datatype is None and obj.language == self.language:
            return str(obj)
        return _SKIP

    def date_range(self, obj: RDFNode) -> Any:
        g = self.graph
        if not isinstance(obj, BNode) or (obj, RDF.type, RG.DateRange) not in g:
            return _SKIP
        text, lo, hi = (g.value(obj, p) for p in (RG.dateText, RG.earliest, RG.latest))
        if not (isinstance(text, Literal) and _is_lit(lo, XSD.date) and _is_lit(hi, XSD.date)):
            return _SKIP
        assert isinstance(lo, Literal) and isinstance(hi, Literal)
        for p, o in (
            (RDF.type, RG.DateRange),
            (RG.dateText, text),
            (RG.earliest, lo),
            (RG.latest, hi),
        ):
            self.used.add((obj, p, o))
        return DateRange(text=str(text), earliest=lo.toPython(), latest=hi.toPython())


_SKIP = object()


def _is_lit(obj: Any, datatype: URIRef) -> bool:
    return isinstance(obj, Literal) and obj.datatype == datatype


def _curie(iri: URIRef) -> str:
    return iri.replace(str(RG), "rg:")


def _field_named(model: type[Node] | None, iri: RDFNode) -> Any:
    for spec in field_specs(model) if model else ():
        if spec.iri == iri:
            return spec.name
    return _SKIP


@cache
def _model_classes() -> tuple[type[Node], ...]:
    """Every model class an item can contain, items first."""
    found: list[type[Node]] = list(ITEM_TYPES.values())
    for model in found:  # grows while walking
        for spec in field_specs(model):
            target = spec.target
            if isinstance(target, type) and issubclass(target, Node) and target not in found:
                found.append(target)
    return tuple(found)


@cache
def _text_predicates() -> frozenset[URIRef]:
    return frozenset(
        spec.iri
        for model in _model_classes()
        for spec in field_specs(model)
        if spec.kind == "value" and spec.target is str
    )


def _detect_language(graph: Graph | TripleIndex, base: str) -> str | None:
    """Return the language tag that most text literals of the dataset's nodes carry.

    Only items under ``base`` and blank nodes typed with a model class count, so that text
    outside the model (in another language, or untagged) cannot hide the dataset's language.
    """
    types = {model.rdf_type for model in _model_classes()}

    def ours(subject: RDFNode) -> bool:
        if isinstance(subject, URIRef):
            return subject.startswith(base)
        return isinstance(subject, BNode) and any(
            t in types for t in graph.objects(subject, RDF.type)
        )

    tags = Counter(
        o.language
        for p in _text_predicates()
        for s, o in graph.subject_objects(p)
        if isinstance(o, Literal) and o.datatype is None and ours(s)
    )
    if not tags:
        return None
    return max(sorted(tags, key=lambda t: t or ""), key=tags.__getitem__)


def from_graph(
    graph: Graph | TripleIndex, base: str = BASE_IRI, language: str | None = None
) -> Dataset:
    """Read a dataset from RDF written by :func:`to_graph` (or by hand in the same shape).

    Parameters
    ----------
    graph : rdflib.Graph or TripleIndex
        The graph to read (a :class:`~reviewgraph.rdf.tripleindex.TripleIndex` reads faster).
    base : str
        The IRI base of item identifiers.
    language : str, optional
        The language tag of text literals; detected from the graph when not given.

    Returns
    -------
    Dataset

    Raises
    ------
    ValidationFailed
        If items in the graph break the model (each problem names the item).

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> ds = Dataset(bodies=(Body(id="dhsc", name="DHSC"),))
    >>> from_graph(to_graph(ds)) == ds
    True
    """
    lang = language if language is not None else _detect_language(graph, base)
    reader = _Reader(graph, base, lang)
    fields: dict[str, list[Item]] = {name: [] for name in ITEM_TYPES}
    for name, model in ITEM_TYPES.items():
        for subject in sorted(graph.subjects(RDF.type, model.rdf_type), key=str):
            if not (isinstance(subject, URIRef) and subject.startswith(base)):
                continue
            item_id = subject[len(base) :]
            try:
                data = reader.read(subject, model)
                fields[name].append(model.model_validate({"id": item_id, **data}))
            except ValidationError as exc:
                reader.problems.append(DataError(_first_error(exc), item=item_id))
            except DataError as exc:
                reader.problems.append(DataError(exc.message, item=item_id))
    _mark_shortcuts(graph, reader, base)
    if reader.problems:
        raise ValidationFailed(reader.problems)
    extra = tuple(
        f"{write_rdflib(s)} {write_rdflib(p)} {write_rdflib(o)}"
        for s, p, o in graph
        if (s, p, o) not in reader.used
    )
    return Dataset(**fields, extra_triples=extra, language=lang)


def _mark_shortcuts(graph: Graph | TripleIndex, reader: _Reader, base: str) -> None:
    for link_node in graph.subjects(RDF.type, RG.Link):
        frm, typ, to = (graph.value(link_node, p) for p in (RG.linkFrom, RG.linkType, RG.linkTo))
        if frm is not None and typ is not None and to is not None:
            reader.used.add((frm, typ, to))
    for deliverable in graph.subjects(RDF.type, RG.Deliverable):
        for fulfilment in graph.objects(deliverable, RG.fulfilment):
            commitment = graph.value(fulfilment, RG.fulfilledCommitment)
            if commitment is not None:
                reader.used.add((deliverable, RG.fulfils, commitment))
    for theme in graph.subjects(RDF.type, RG.Theme):
        reader.used.add((theme, SKOS.inScheme, RG.Themes))


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "string_pattern_mismatch" and where == "id":
        return f"{err['input']!r} is not a valid id (lower-case letters, digits and hyphens)"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg
