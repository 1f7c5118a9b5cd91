"""Generate the files derived from the models: SHACL shapes, JSON-LD context, JSON Schema.

``ontology/shapes.ttl``, ``ontology/context.jsonld`` and ``ontology/authoring.schema.json``
are written by ``python -m reviewgraph._build`` from the model field table (plus the rules
below that no field can express), and a test fails when a committed file differs from what
this module generates.  So the models, the shapes and the context describe the same terms.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from reviewgraph.dates import DateRange
from reviewgraph.io.output import write_output
from reviewgraph.models import ITEM_TYPES, AlternativeClaim, Citation, Node
from reviewgraph.rdf.mapping import field_specs
from reviewgraph.vocab.concepts import concept_iri
from reviewgraph.vocab.constants import BASE_IRI
from reviewgraph.vocab.namespaces import PREFIXES, RG, RGSH, bind_prefixes

__all__ = [
    "CITABLE",
    "generate_context",
    "generate_framed_context",
    "generate_schema",
    "generate_shapes",
    "main",
]

CITABLE = (
    "reviews",
    "recommendations",
    "responses",
    "stances",
    "commitments",
    "due_dates",
    "status_claims",
    "deliverables",
    "links",
    "body_changes",
    "elections",
)
"""Item collections whose every item needs at least one citation."""

_NOUN = {
    "Source": "source",
    "Body": "body",
    "Person": "person",
    "Theme": "theme",
    "Review": "review",
    "Recommendation": "recommendation",
    "Response": "response",
    "Stance": "stance",
    "Commitment": "commitment",
    "DueDateStatement": "due-date statement",
    "StatusClaim": "status claim",
    "Deliverable": "deliverable",
    "Link": "link",
    "BodyChange": "body change",
    "Election": "election",
    "Citation": "citation",
    "AlternativeClaim": "alternative claim",
    "DatedName": "former name",
    "BlanketStance": "blanket stance",
    "Fulfilment": "fulfilment",
}

_WARNINGS = {
    ("Commitment", "owner"): "has no owner: say which body must deliver it",
    ("Recommendation", "addressees"): "has no addressee: say which body it was made to",
    ("Review", "kind"): "has no kind (independent review, public inquiry, ...)",
}

_SPARQL_RULES = [
    (
        "Stance",
        "A stance is dated before the review it answers was published.",
        """SELECT $this ?value WHERE {
  $this rg:recommendation/rg:partOf/rg:published/rg:earliest ?pub .
  OPTIONAL { $this rg:date/rg:latest ?own }
  OPTIONAL { $this rg:inResponse/rg:date/rg:latest ?resp }
  BIND(COALESCE(?own, ?resp) AS ?value)
  FILTER(BOUND(?value) && ?value < ?pub)
}""",
    ),
    (
        "StatusClaim",
        "A status claim is asserted before the commitment it is about was made.",
        """SELECT $this ?value WHERE {
  $this rg:claimAbout/rg:madeOn/rg:earliest ?made ;
        rg:assertedOn/rg:latest ?value .
  FILTER(?value < ?made)
}""",
    ),
    (
        "BlanketStance",
        "A blanket stance lists a recommendation of another review than its own.",
        """SELECT $this ?value WHERE {
  $this rg:review ?review ; rg:listedRecommendation ?value .
  ?value rg:partOf ?other .
  FILTER(?other != ?review)
}""",
    ),
    # the BIND comes after the patterns: Oxigraph ends the group at a BIND and joins what
    # follows it afterwards, which took 3.9 s at 200k triples where this order takes 0.01 s
    (
        "Link",
        "A link's later end is dated before its earlier end.",
        """SELECT $this ?value WHERE {
  $this rg:linkType ?type ; rg:linkFrom ?from ; rg:linkTo ?to .
  FILTER(?type IN (rg:repeats, rg:echoes, rg:extends, rg:examines, rg:respondsTo,
                   rg:endorses, rg:commentsOn, rg:implementedBy, rg:commissioned))
  ?from (rg:published|rg:madeOn|rg:date|rg:partOf/rg:published) ?fd .
  ?to (rg:published|rg:madeOn|rg:date|rg:partOf/rg:published) ?td .
  ?fd rg:earliest ?fe ; rg:latest ?fl .
  ?td rg:earliest ?te ; rg:latest ?tl .
  BIND(?type IN (rg:repeats, rg:echoes, rg:extends, rg:examines, rg:respondsTo,
                 rg:endorses, rg:commentsOn) AS ?fromIsLater)
  FILTER((?fromIsLater && ?fl < ?te) || (!?fromIsLater && ?tl < ?fe))
  BIND(?to AS ?value)
}""",
    ),
]


def _shape_iri(model: type[Node]) -> URIRef:
    return RGSH[model.__name__ + "Shape"]


def _words(name: str) -> str:
    return name.replace("_", " ")


def _list(g: Graph, items: list[Any]) -> BNode:
    head = BNode()
    Collection(g, head, items)
    return head


def _property_shape(g: Graph, model: type[Node], spec: Any, required_citation: bool) -> BNode:
    noun = _NOUN[model.__name__]
    ps = BNode()
    g.add((ps, SH.path, spec.iri))
    g.add((ps, SH.name, Literal(spec.name)))
    needs = spec.required or (spec.name == "citations" and required_citation)
    if needs:
        g.add((ps, SH.minCount, Literal(1)))
    if not spec.many:
        g.add((ps, SH.maxCount, Literal(1)))
    field = _words(spec.name)
    target = spec.target
    if spec.kind == "ref":
        g.add((ps, SH.nodeKind, SH.IRI))
        classes = spec.to
        if len(classes) == 1:
            g.add((ps, SH["class"], classes[0]))
        else:
            alts = []
            for cls in classes:
                alt = BNode()
                g.add((alt, SH["class"], cls))
                alts.append(alt)
            g.add((ps, SH["or"], _list(g, alts)))
        kinds = " or ".join(_NOUN[c.split("#")[1]] for c in classes)
        message = f"A {noun}'s {field} must refer to a {kinds}."
    elif spec.kind == "url":
        g.add((ps, SH.nodeKind, SH.IRI))
        g.add((ps, SH.pattern, Literal("^https?://")))
        message = f"A {noun}'s {field} must be an http or https address."
    elif spec.kind == "period":
        g.add((ps, SH.datatype, XSD.duration))
        message = f"A {noun}'s {field} must be an ISO 8601 period such as P2M."
    elif spec.kind == "property":
        g.add((ps, SH.nodeKind, SH.IRI))
        message = f"An {noun}'s {field} must name a property."
    elif isinstance(target, type) and issubclass(target, StrEnum):
        members = list(target)
        g.add((ps, SH["in"], _list(g, [concept_iri(m) for m in members])))
        allowed = ", ".join(m.value.replace("-", " ") for m in members)
        message = f"A {noun}'s {field} must be one of: {allowed}."
    elif target is DateRange:
        g.add((ps, SH.node, RGSH.DateRangeShape))
        message = f"A {noun}'s {field} must be a date range (text, earliest and latest day)."
    elif isinstance(target, type) and issubclass(target, Node):
        g.add((ps, SH.node, _shape_iri(target)))
        g.add((ps, SH["class"], target.rdf_type))
        message = f"A {noun}'s {field} must be a well-formed {_NOUN[target.__name__]}."
    elif target is bool:
        g.add((ps, SH.datatype, XSD.boolean))
        message = f"A {noun}'s {field} must be true or false."
    elif target is int:
        # xsd:integer, not xsd:nonNegativeInteger: Oxigraph stores derived integer types as
        # xsd:integer, and a round trip through a store must not change a literal
        g.add((ps, SH.datatype, XSD.integer))
        g.add((ps, SH.minInclusive, Literal(0)))
        message = f"A {noun}'s {field} must be a whole number, zero or more."
    elif getattr(target, "__name__", "") == "date":
        g.add((ps, SH.datatype, XSD.date))
        message = f"A {noun}'s {field} must be a date (YYYY-MM-DD)."
    else:
        g.add((ps, SH.nodeKind, SH.Literal))
        message = f"A {noun}'s {field} must be text."
    if needs and spec.name == "citations":
        message = f"A {noun} needs at least one citation (a source, where in it, when read)."
    elif needs:
        message += f" It is required{'' if spec.many else ', once'}."
    elif not spec.many:
        message += " Give it at most once."
    g.add((ps, SH.message, Literal(message, lang="en")))
    warning = _WARNINGS.get((model.__name__, spec.name))
    if warning:
        g.add((ps, SH.description, Literal(f"A {noun} {warning}.", lang="en")))
    return ps


def _warning_shape(g: Graph, model: type[Node], spec: Any, text: str) -> None:
    ws = BNode()
    g.add((_shape_iri(model), SH.property, ws))
    g.add((ws, SH.path, spec.iri))
    g.add((ws, SH.minCount, Literal(1)))
    g.add((ws, SH.severity, SH.Warning))
    g.add((ws, SH.message, Literal(f"A {_NOUN[model.__name__]} {text}.", lang="en")))


def generate_shapes() -> Graph:
    """Build the SHACL shapes graph from the models (the content of ``ontology/shapes.ttl``)."""
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.bind("sh", SH)
    nested: list[type[Node]] = []
    citable = {ITEM_TYPES[c] for c in CITABLE}
    for item_model in ITEM_TYPES.values():
        nested.extend(_nested(item_model))
    seen: set[type[Node]] = set()
    every: list[type[Node]] = [*ITEM_TYPES.values(), *nested]
    for model in every:
        if model in seen:
            continue
        seen.add(model)
        shape = _shape_iri(model)
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, model.rdf_type))
        g.add((shape, RDFS.label, Literal(f"{_NOUN[model.__name__]} shape", lang="en")))
        for spec in field_specs(model):
            g.add((shape, SH.property, _property_shape(g, model, spec, model in citable)))
            warning = _WARNINGS.get((model.__name__, spec.name))
            if warning:
                _warning_shape(g, model, spec, warning)
    dr = RGSH.DateRangeShape
    g.add((dr, RDF.type, SH.NodeShape))
    g.add((dr, SH.targetClass, RG.DateRange))
    g.add((dr, RDFS.label, Literal("date range shape", lang="en")))
    for path, datatype, message in (
        (RG.dateText, None, "A date range needs the date's text, once."),
        (RG.earliest, XSD.date, "A date range needs its earliest day, once, as a date."),
        (RG.latest, XSD.date, "A date range needs its latest day, once, as a date."),
    ):
        ps = BNode()
        g.add((dr, SH.property, ps))
        g.add((ps, SH.path, path))
        g.add((ps, SH.minCount, Literal(1)))
        g.add((ps, SH.maxCount, Literal(1)))
        g.add((ps, SH.datatype, datatype) if datatype else (ps, SH.nodeKind, SH.Literal))
        g.add((ps, SH.message, Literal(message, lang="en")))
    prefixes = BNode()
    g.add((RGSH.PrefixDeclarations, SH.declare, prefixes))
    g.add((prefixes, SH.prefix, Literal("rg")))
    g.add((prefixes, SH.namespace, Literal(str(PREFIXES["rg"]), datatype=XSD.anyURI)))
    for class_name, message, query in _SPARQL_RULES:
        constraint = BNode()
        g.add((RGSH[class_name + "Shape"], SH.sparql, constraint))
        g.add((constraint, SH.message, Literal(message, lang="en")))
        g.add((constraint, SH.prefixes, RGSH.PrefixDeclarations))
        g.add((constraint, SH.select, Literal(query)))
    return g


def _nested(model: type[Node]) -> list[type[Node]]:
    out: list[type[Node]] = []
    for spec in field_specs(model):
        target = spec.target
        if isinstance(target, type) and issubclass(target, Node):
            out.append(target)
            out.extend(_nested(target))
    return out


def generate_context() -> dict[str, Any]:
    """Build the JSON-LD context: one term per predicate and class the models use."""
    context: dict[str, Any] = {
        prefix: str(ns)
        for prefix, ns in sorted(PREFIXES.items())
        if prefix in ("rg", "dcterms", "foaf", "org", "schema", "skos", "xsd", "prov", "rdfs")
    }
    context["id"] = "@id"
    context["type"] = "@type"
    models: list[type[Node]] = [*ITEM_TYPES.values()]
    for item_model in ITEM_TYPES.values():
        models.extend(_nested(item_model))
    every: list[type[Node]] = [*models, Citation, AlternativeClaim]
    for model in every:
        context[model.__name__] = _compact(model.rdf_type)
        for spec in field_specs(model):
            term: dict[str, Any] = {"@id": _compact(spec.iri)}
            target = spec.target
            if spec.kind in ("ref", "url", "property") or (
                isinstance(target, type) and issubclass(target, StrEnum)
            ):
                term["@type"] = "@id"
            elif target is bool:
                term["@type"] = "xsd:boolean"
            elif target is int:
                term["@type"] = "xsd:integer"
            elif spec.kind == "period":
                term["@type"] = "xsd:duration"
            elif getattr(target, "__name__", "") == "date":
                term["@type"] = "xsd:date"
            if spec.many:
                term["@container"] = "@set"
            name = _term_name(spec.iri)
            existing = context.get(name)
            if existing is not None and existing != term:
                term.pop("@container", None)
                if isinstance(existing, dict):
                    existing.pop("@container", None)
                if existing != term:
                    name = f"{name}_{model.__name__}"
            context[name] = term
    context["DateRange"] = "rg:DateRange"
    context["dateText"] = {"@id": "rg:dateText"}
    context["earliest"] = {"@id": "rg:earliest", "@type": "xsd:date"}
    context["latest"] = {"@id": "rg:latest", "@type": "xsd:date"}
    for name in (
        "repeats",
        "echoes",
        "extends",
        "implementedBy",
        "commissioned",
        "examines",
        "respondsTo",
        "endorses",
        "commentsOn",
        "fulfils",
    ):
        context[name] = {"@id": f"rg:{name}", "@type": "@id"}
    context["inScheme"] = {"@id": "skos:inScheme", "@type": "@id"}
    context["rgid"] = BASE_IRI
    return {"@context": dict(sorted(context.items()))}


def _compact(iri: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return str(iri)


def _term_name(iri: URIRef) -> str:
    local = _compact(iri).split(":", 1)[1]
    return local


def generate_framed_context() -> dict[str, Any]:
    """Build the context of the framed JSON-LD export (see :mod:`reviewgraph.io.jsonld`)."""
    from reviewgraph.io.jsonld import framed_context

    return {"@context": framed_context()}


def generate_schema() -> dict[str, Any]:
    """Build a JSON Schema of the YAML authoring format, for editor completion."""
    from reviewgraph._build.schema import authoring_schema

    return authoring_schema()


def _stable_turtle(graph: Graph) -> str:
    """Turtle whose order does not change from run to run: the blank nodes (each shape's
    property shapes and lists) are relabelled canonically first, since the serialiser orders
    them by label and fresh labels are random."""
    from rdflib.compare import to_canonical_graph

    stable = Graph()
    for prefix, namespace in graph.namespaces():
        stable.bind(prefix, namespace, override=True, replace=True)
    for triple in to_canonical_graph(graph):
        stable.add(triple)
    return stable.serialize(format="turtle")


def _write(root: Path) -> None:
    onto = root / "ontology"
    shapes = _stable_turtle(generate_shapes())
    write_output(onto / "shapes.ttl", shapes.encode("utf-8"))
    context = json.dumps(generate_context(), indent=2, sort_keys=False) + "\n"
    write_output(onto / "context.jsonld", context.encode("utf-8"))
    framed = json.dumps(generate_framed_context(), indent=2, sort_keys=False) + "\n"
    write_output(onto / "context-framed.jsonld", framed.encode("utf-8"))
    schema = json.dumps(generate_schema(), indent=2, sort_keys=True) + "\n"
    write_output(onto / "authoring.schema.json", schema.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Write the generated files into the repository given (default: the current folder)."""
    args = sys.argv[1:] if argv is None else argv
    _write(Path(args[0]) if args else Path.cwd())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
