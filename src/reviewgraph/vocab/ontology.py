"""Read the shipped ontology and mappings once, and answer questions about their terms."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from reviewgraph.vocab.namespaces import bind_prefixes
from reviewgraph.vocab.resources import ontology_file

__all__ = ["concept_labels", "load_mappings", "load_ontology", "load_shapes"]


def _parse(name: str) -> Graph:
    graph = bind_prefixes(Graph(bind_namespaces="core"))
    graph.parse(data=ontology_file(name).read_text(encoding="utf-8"), format="turtle")
    return graph


@cache
def load_ontology() -> Graph:
    """Return ``ontology/reviewgraph.ttl`` as a graph (parsed once per process).

    Examples
    --------
    >>> from reviewgraph.vocab.namespaces import RG
    >>> from rdflib.namespace import RDFS
    >>> str(load_ontology().value(RG.Review, RDFS.label))
    'review'
    """
    return _parse("reviewgraph.ttl")


@cache
def load_mappings() -> Graph:
    """Return ``ontology/mappings.ttl``: other trackers' labels mapped to rg concepts."""
    return _parse("mappings.ttl")


@cache
def load_shapes() -> Graph:
    """Return ``ontology/shapes.ttl``, the SHACL shapes."""
    return _parse("shapes.ttl")


_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)


def concept_labels(scheme: URIRef) -> dict[str, frozenset[URIRef]]:
    """Map each label of ``scheme``'s concepts, and of tracker labels mapped to them, to IRIs.

    A tracker label counts when its exact matches, failing those its close matches, then
    its broad or narrow matches fall in ``scheme``; a label that maps to several concepts maps
    to all of them, so that callers can report it as ambiguous.
    """
    onto, maps = load_ontology(), load_mappings()
    members = set(onto.subjects(SKOS.inScheme, scheme))
    table: dict[str, set[URIRef]] = {}
    for concept in members:
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for label in onto.objects(concept, prop):
                table.setdefault(str(label), set()).add(URIRef(str(concept)))
    for tracker in set(maps.subjects(SKOS.prefLabel, None)):
        targets: set[URIRef] = set()
        for prop in _MATCHES:
            found = {URIRef(str(o)) for o in maps.objects(tracker, prop) if o in members}
            if found:
                targets = found
                break
        if not targets:
            continue
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in maps.objects(tracker, prop):
                table.setdefault(str(label), set()).update(targets)
    return {k: frozenset(v) for k, v in table.items()}
