"""Plain values (:data:`~reviewgraph.stores.base.PlainTerm`) from rdflib terms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reviewgraph.stores.base import RDF_LANGSTRING, XSD_STRING, PlainTerm, PlainTriple, StoreError

__all__ = ["plain_triples", "rdflib_plain"]


def rdflib_plain(term: Any) -> PlainTerm:
    """An rdflib term as a plain value.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> rdflib_plain(URIRef("http://e/x")), rdflib_plain(Literal("a"))
    ('http://e/x', ('a', 'http://www.w3.org/2001/XMLSchema#string', ''))
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language:
            return (str(term), RDF_LANGSTRING, term.language)
        return (str(term), str(term.datatype) if term.datatype else XSD_STRING, "")
    if isinstance(term, BNode):
        return "_:" + str(term)
    raise StoreError(f"cannot read {term!r}")


def plain_triples(triples: Iterable[tuple[Any, Any, Any]]) -> Iterator[PlainTriple]:
    """rdflib triples (an rdflib ``Graph`` or any iterable of them) as plain triples."""
    for s, p, o in triples:
        yield rdflib_plain(s), str(p), rdflib_plain(o)  # type: ignore[misc]
