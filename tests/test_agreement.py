"""One source of truth, proved: the ontology, the shapes, the JSON-LD context, the JSON Schema,
the vocabulary module and the models all describe the same terms."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SH, SKOS, XSD

from reviewgraph._build.artifacts import generate_context, generate_schema, generate_shapes
from reviewgraph.dates import DateRange
from reviewgraph.models import ITEM_TYPES, Dataset, Node
from reviewgraph.rdf.mapping import FieldSpec, field_specs, to_graph
from reviewgraph.vocab.concepts import SCHEMES, concept_from_iri, concept_iri
from reviewgraph.vocab.namespaces import PREFIXES, RG, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
NS = str(PREFIXES["rg"])
ONTOLOGY_IRI = URIRef("https://w3id.org/reviewgraph/ns")

EXTERNAL = {
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.publisher,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    SKOS.inScheme,
    FOAF.name,
    ORG.subOrganizationOf,
    ORG.originalOrganization,
    ORG.resultingOrganization,
    SCHEMA.url,
}
"""The external terms the models write, used as they are (no local domain or range)."""

FOR_EXTERNAL_DATA = {
    RG.rank: "orders the concepts of a scheme (statuses, assessor roles); stated on the "
    "concepts in the ontology itself, for queries and other software",
    RG.laterEnd: "says which end of a link of each type is the later item; stated on the "
    "link-type concepts in the ontology itself, for queries and other software",
}
"""rg: terms that no model, shape or enum writes, with the reason they exist."""


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "reviewgraph.ttl", format="turtle")


def all_models() -> list[type[Node]]:
    """Every model class, items first, then the nested node classes they hold."""
    found: list[type[Node]] = list(ITEM_TYPES.values())
    for model in found:
        for spec in field_specs(model):
            target = spec.target
            if isinstance(target, type) and issubclass(target, Node) and target not in found:
                found.append(target)
    return found


def _concept_shortcuts() -> set[URIRef]:
    from reviewgraph.vocab.concepts import LinkType

    return {concept_iri(t) for t in LinkType}


SHORTCUT_PREDICATES = _concept_shortcuts() | {RG.fulfils, SKOS.inScheme}
DATE_RANGE_PREDICATES = {RG.dateText: XSD.string, RG.earliest: XSD.date, RG.latest: XSD.date}

ALL_SPECS: list[tuple[type[Node], FieldSpec]] = [
    (model, spec) for model in all_models() for spec in field_specs(model)
]


def _id(pair: tuple[type[Node], FieldSpec]) -> str:
    return f"{pair[0].__name__}.{pair[1].name}"


def union_members(g: Graph, node: Any) -> set[URIRef]:
    """The classes a domain or range names: one class, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return {node}
    union = g.value(node, OWL.unionOf)
    assert union is not None, f"a class expression other than a union: {node}"
    return {URIRef(m) for m in Collection(g, union)}


def declared(iri: URIRef) -> bool:
    g = ontology()
    kinds = set(g.objects(iri, RDF.type))
    return bool(kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty})


def rg_terms() -> set[URIRef]:
    return {s for s in ontology().subjects() if isinstance(s, URIRef) and s.startswith(NS)}


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("name", ["reviewgraph.ttl", "shapes.ttl", "mappings.ttl"])
def test_turtle_files_parse_with_rdflib_and_pyoxigraph(name: str) -> None:
    path = ONTOLOGY / name
    with_rdflib = Graph().parse(path, format="turtle")
    with_oxigraph = list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(with_rdflib) > 50
    assert len(with_oxigraph) == len(with_rdflib)


def test_ontology_metadata() -> None:
    g = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        OWL.versionIRI,
        OWL.priorVersion,
    ):
        assert g.value(ONTOLOGY_IRI, prop) is not None, prop


# --------------------------------------------------------------------------- annotations


def test_every_class_and_property_is_annotated() -> None:
    g = ontology()
    classes = set(g.subjects(RDF.type, OWL.Class)) & rg_terms()
    properties = (
        set(g.subjects(RDF.type, OWL.ObjectProperty))
        | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    ) & rg_terms()
    assert {m.rdf_type for m in all_models()} <= classes
    assert {spec.iri for _, spec in ALL_SPECS if spec.iri.startswith(NS)} <= properties
    missing = []
    for term in sorted(classes | properties):
        needs = [RDFS.label, RDFS.comment, RDFS.isDefinedBy]
        if term in properties:
            needs += [RDFS.domain, RDFS.range]
        for prop in needs:
            if g.value(term, prop) is None:
                missing.append(f"{term.split('#')[1]} has no {prop.split('#')[1]}")
        if g.value(term, RDFS.isDefinedBy) not in (None, ONTOLOGY_IRI):
            missing.append(f"{term} is defined by {g.value(term, RDFS.isDefinedBy)}")
        if len(str(g.value(term, RDFS.comment) or "")) < 20:
            missing.append(f"{term.split('#')[1]} has no real definition")
    assert missing == []


def test_external_terms_get_no_local_axioms() -> None:
    g = ontology()
    for prop in (RDFS.domain, RDFS.range):
        foreign = {s for s in g.subjects(prop, None) if isinstance(s, URIRef)} - rg_terms()
        assert foreign == set(), f"local {prop} axioms on external terms"


# --------------------------------------------------------------------------- models vs ontology


def test_every_model_class_is_declared() -> None:
    g = ontology()
    for model in all_models():
        assert (model.rdf_type, RDF.type, OWL.Class) in g, model.__name__
    assert (RG.DateRange, RDF.type, OWL.Class) in g


def _expected_range(spec: FieldSpec) -> set[URIRef]:
    target = spec.target
    if spec.kind == "ref":
        return set(spec.to)
    if spec.kind == "period":
        return {XSD.duration}
    if spec.kind == "property":
        return {RDF.Property}
    if target is DateRange:
        return {RG.DateRange}
    if isinstance(target, type) and issubclass(target, StrEnum):
        return {SKOS.Concept}
    if isinstance(target, type) and issubclass(target, Node):
        return {target.rdf_type}
    datatypes = {str: XSD.string, bool: XSD.boolean, int: XSD.integer, date: XSD.date}
    return {datatypes[target]}


@pytest.mark.parametrize(("model", "spec"), ALL_SPECS, ids=[_id(p) for p in ALL_SPECS])
def test_every_emitted_predicate_is_declared_with_its_domain_and_range(
    model: type[Node], spec: FieldSpec
) -> None:
    if not spec.iri.startswith(NS):
        assert spec.iri in EXTERNAL, f"{spec.iri} is neither rg: nor a listed external term"
        return
    g = ontology()
    assert declared(spec.iri), f"{spec.iri} is not declared"
    literal = spec.kind in ("value", "period") and _expected_range(spec) <= {
        XSD.string,
        XSD.boolean,
        XSD.integer,
        XSD.date,
        XSD.duration,
    }
    kind = OWL.DatatypeProperty if literal else OWL.ObjectProperty
    assert (spec.iri, RDF.type, kind) in g, f"{spec.iri} should be an {kind}"
    domain = union_members(g, g.value(spec.iri, RDFS.domain))
    assert model.rdf_type in domain, f"the domain of {spec.iri} lacks {model.rdf_type}"
    range_ = union_members(g, g.value(spec.iri, RDFS.range))
    expected = _expected_range(spec)
    if spec.kind == "ref":
        assert expected <= range_, f"{spec.iri}: refers to {expected}, range is {range_}"
    else:
        assert range_ == expected, f"{spec.iri}: range {range_}, expected {expected}"


@pytest.mark.parametrize("iri", sorted(DATE_RANGE_PREDICATES), ids=lambda i: i.split("#")[1])
def test_date_range_predicates_are_declared(iri: URIRef) -> None:
    g = ontology()
    assert (iri, RDF.type, OWL.DatatypeProperty) in g
    assert g.value(iri, RDFS.domain) == RG.DateRange
    assert g.value(iri, RDFS.range) == DATE_RANGE_PREDICATES[iri]


@pytest.mark.parametrize("iri", sorted(SHORTCUT_PREDICATES), ids=lambda i: i.n3())
def test_shortcut_predicates_are_declared(iri: URIRef) -> None:
    if not iri.startswith(NS):
        assert iri in EXTERNAL
        return
    g = ontology()
    assert (iri, RDF.type, OWL.ObjectProperty) in g
    assert g.value(iri, RDFS.domain) is not None and g.value(iri, RDFS.range) is not None


def test_every_predicate_the_writer_emits_is_accounted_for(tiny_dataset: Dataset) -> None:
    """Not only the field table: whatever to_graph actually writes is declared."""
    written = set(to_graph(tiny_dataset).predicates())
    known = (
        {spec.iri for _, spec in ALL_SPECS}
        | SHORTCUT_PREDICATES
        | set(DATE_RANGE_PREDICATES)
        | {RDF.type}
    )
    assert written <= known, written - known
    for iri in written - {RDF.type}:
        assert declared(iri) or iri in EXTERNAL, iri


def test_every_rg_term_is_used_or_documented() -> None:
    used: set[URIRef] = {RG.DateRange, RG.Themes, *DATE_RANGE_PREDICATES, *SHORTCUT_PREDICATES}
    for model, spec in ALL_SPECS:
        used |= {model.rdf_type, spec.iri, *spec.to}
    for enum, scheme in SCHEMES.items():
        used |= {scheme, *(concept_iri(m) for m in enum)}
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    used |= {o for o in shapes.objects() if isinstance(o, URIRef) and o.startswith(NS)}
    unused = rg_terms() - used
    assert unused == set(FOR_EXTERNAL_DATA), unused ^ set(FOR_EXTERNAL_DATA)
    for term in FOR_EXTERNAL_DATA:  # documented terms are still really used in the ontology
        assert any(True for _ in ontology().subject_objects(term)), term


def test_the_rg_namespace_lists_exactly_the_ontology_terms() -> None:
    listed = {RG[name] for name in RG.__annotations__}
    assert listed == rg_terms()


# --------------------------------------------------------------------------- concept schemes


@pytest.mark.parametrize("enum", sorted(SCHEMES, key=lambda e: e.__name__))
def test_enums_match_their_concept_schemes(enum: type[StrEnum]) -> None:
    g = ontology()
    scheme = SCHEMES[enum]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    for member in enum:
        iri = concept_iri(member)
        assert (iri, RDF.type, SKOS.Concept) in g, iri
        assert str(g.value(iri, SKOS.notation)) == member.value
        assert (iri, SKOS.inScheme, scheme) in g
        assert g.value(iri, SKOS.prefLabel) is not None
        assert g.value(iri, SKOS.definition) is not None
        assert concept_from_iri(iri, enum) is member
    in_scheme = set(g.subjects(SKOS.inScheme, scheme))
    assert in_scheme == {concept_iri(m) for m in enum}, "the scheme and the enum differ"


def test_tracker_mappings_point_at_real_concepts() -> None:
    maps = Graph().parse(ONTOLOGY / "mappings.ttl", format="turtle")
    concepts = set(ontology().subjects(RDF.type, SKOS.Concept))
    targets = [
        o
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
        for o in maps.objects(None, p)
        if isinstance(o, URIRef) and o.startswith(NS)
    ]
    assert len(targets) > 20
    assert set(targets) <= concepts


# --------------------------------------------------------------------------- shapes


def test_every_shape_targets_a_declared_class_and_path() -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets >= {m.rdf_type for m in all_models()}
    for cls in targets:
        assert (cls, RDF.type, OWL.Class) in ontology(), cls
    paths = set(shapes.objects(None, SH.path))
    assert all(isinstance(p, URIRef) for p in paths), "only simple paths are used"
    for path in paths:
        assert declared(path) or path in EXTERNAL, path
    for cls in shapes.objects(None, SH["class"]):
        assert (cls, RDF.type, OWL.Class) in ontology(), cls


def test_every_property_shape_has_a_message_in_plain_words() -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) > 100
    for ps in property_shapes:
        message = shapes.value(ps, SH.message)
        assert message is not None and message.language == "en", ps
        assert "http://" not in message and "rg:" not in message, message
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None


def test_committed_shapes_are_the_generated_shapes() -> None:
    committed = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    assert isomorphic(committed, generate_shapes()), "run: python -m reviewgraph._build"


def test_the_shapes_file_is_written_byte_for_byte_alike_on_every_build() -> None:
    """Fresh blank-node labels on each build once reordered the file; now each build writes
    the committed bytes (so a rebuild leaves a clean checkout clean)."""
    from reviewgraph._build.artifacts import _stable_turtle

    first, second = _stable_turtle(generate_shapes()), _stable_turtle(generate_shapes())
    assert first == second
    assert first == (ONTOLOGY / "shapes.ttl").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- JSON-LD context


def _context() -> dict[str, Any]:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))


def test_committed_context_and_schema_are_the_generated_ones() -> None:
    assert _context() == generate_context(), "run: python -m reviewgraph._build"
    schema = json.loads((ONTOLOGY / "authoring.schema.json").read_text(encoding="utf-8"))
    assert schema == generate_schema(), "run: python -m reviewgraph._build"


def _expand(curie: str, prefixes: dict[str, str]) -> URIRef:
    prefix, _, local = curie.partition(":")
    assert prefix in prefixes, f"unknown prefix in {curie}"
    return URIRef(prefixes[prefix] + local)


def test_every_context_term_maps_to_a_declared_iri() -> None:
    context = _context()["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    assert prefixes["rg"] == NS
    for term, value in context.items():
        if term in prefixes or value in ("@id", "@type"):
            continue
        definition = {"@id": value} if isinstance(value, str) else value
        iri = _expand(definition["@id"], prefixes)
        assert declared(iri) or iri in EXTERNAL, f"{term} -> {iri}"
        coerced = definition.get("@type")
        if coerced not in (None, "@id"):
            datatype = _expand(coerced, prefixes)
            assert datatype.startswith(str(XSD)), term
            if iri.startswith(NS):
                assert ontology().value(iri, RDFS.range) == datatype, term
    values = {
        _expand(v if isinstance(v, str) else v["@id"], prefixes)
        for k, v in context.items()
        if k not in prefixes and v not in ("@id", "@type")
    }
    for _, spec in ALL_SPECS:
        assert spec.iri in values, f"no context term for {spec.iri}"


def test_json_ld_with_the_context_reads_as_plain_json_and_round_trips(
    tiny_dataset: Dataset,
) -> None:
    graph = to_graph(tiny_dataset)
    context = _context()["@context"]
    text = graph.serialize(format="json-ld", context=context)
    document = json.loads(text)
    terms = set(context)
    for node in document["@graph"]:
        assert set(node) <= terms, set(node) - terms  # no full IRIs or CURIEs as keys
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)


# --------------------------------------------------------------------------- JSON Schema


def test_the_json_schema_describes_what_the_loader_reads() -> None:
    from reviewgraph.io.authoring import _TOP_KEYS  # the sections items_from_document accepts

    schema = generate_schema()
    assert set(schema["properties"]) == set(_TOP_KEYS)
    assert schema["additionalProperties"] is False
    defs = schema["$defs"]
    for model in ITEM_TYPES.values():
        aliases = {info.alias or name for name, info in model.model_fields.items()}
        assert set(defs[model.__name__]["properties"]) >= aliases, model.__name__
    nested = {
        ("Review", "recommendations"): "RecommendationInReview",
        ("Response", "stances"): "StanceInResponse",
        ("Commitment", "due_dates"): "DueDateStatementInCommitment",
        ("Commitment", "status"): "StatusClaimInCommitment",
    }
    for (parent, key), child in nested.items():
        assert defs[parent]["properties"][key]["items"]["$ref"] == f"#/$defs/{child}"
    for enum in SCHEMES:  # editors offer the scheme's values
        assert set(defs[enum.__name__]["enum"]) == {m.value for m in enum}
