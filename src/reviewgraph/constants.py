"""Constants that must be importable without rdflib or pydantic (the CLI's start stays fast)."""

from __future__ import annotations

__all__ = ["BASE_IRI", "RG_NS"]

BASE_IRI = "https://w3id.org/reviewgraph/id/"
"""The default base under which item identifiers are minted into IRIs."""

RG_NS = "https://w3id.org/reviewgraph/ns#"
"""The namespace of the reviewgraph ontology."""
