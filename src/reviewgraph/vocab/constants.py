"""Constants that must be importable without rdflib or pydantic (the CLI's start stays fast)."""

from __future__ import annotations

__all__ = ["ANNOTATION_PREDICATES", "BASE_IRI", "RG_NS"]

BASE_IRI = "https://w3id.org/reviewgraph/id/"
"""The default base under which item identifiers are minted into IRIs."""

RG_NS = "https://w3id.org/reviewgraph/ns#"
"""The namespace of the reviewgraph ontology."""

ANNOTATION_PREDICATES = (
    RG_NS + "rank",
    RG_NS + "expectsResponse",
    RG_NS + "responsePeriod",
    "http://www.w3.org/2004/02/skos/core#broader",
)
"""The ontology's annotations that the named queries read (every store holds them).

``skos:broader`` is only used by the jurisdictions scheme: a government answers for an
addressee whose jurisdiction lies within its own (``stance-asof.rq``, ``skos:broader*``)."""
