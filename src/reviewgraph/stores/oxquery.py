"""Queries on a ``pyoxigraph.Store``, and pyoxigraph terms as reviewgraph's values.

What the in-memory and the on-disk Oxigraph stores share (:mod:`reviewgraph.stores.oxigraph`):
:class:`OxigraphQueries` runs SELECT, ASK and CONSTRUCT over the union of the named graphs,
binding values with a ``VALUES`` block, and the converters turn pyoxigraph terms into Python
values, plain terms and rdflib terms.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from reviewgraph.stores.base import (
    XSD_STRING,
    Bindings,
    PlainTerm,
    PlainTriple,
    Row,
    Store,
    StoreError,
    Table,
    Term,
    Value,
    check_bindings,
    literal_value,
    with_values,
)

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "FORMATS",
    "OxigraphQueries",
    "ox_plain",
    "ox_to_rdflib",
    "ox_value",
    "parse_plain",
    "to_ox",
]

FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
"""The RDF formats the engine parses itself, by reviewgraph's name for them."""

_COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


# --------------------------------------------------------------------------- conversions


def ox_value(term: Any) -> Value:
    """A pyoxigraph term as a Python value (see :mod:`reviewgraph.stores.base`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def ox_plain(term: Any) -> PlainTerm:
    """A pyoxigraph term as a plain value: an IRI's text, ``"_:label"`` for a blank node, or
    ``(lexical form, datatype IRI, language tag or "")`` for a literal.

    Examples
    --------
    >>> ox_plain(ox.Literal("a", language="en"))
    ('a', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'en')
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return str(term.value)
    if kind is ox.Literal:
        return (str(term.value), str(term.datatype.value), str(term.language or ""))
    if kind is ox.BlankNode:
        return "_:" + str(term.value)
    raise StoreError(f"cannot read {term!r}")


def parse_plain(path: Path, fmt: str) -> Iterator[PlainTriple]:
    """Parse an N-Triples (``nt``) or Turtle (``ttl``) file into plain triples, in Rust."""
    plain = ox_plain
    for t in ox.parse(path=str(path), format=FORMATS[fmt]):
        yield plain(t.subject), t.predicate.value, plain(t.object)  # type: ignore[misc]


def ox_to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (``xsd:string`` literals as plain literals)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"cannot convert {term!r} to rdflib")


def to_ox(term: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A neutral term as a pyoxigraph term."""
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def _graph_of(triples: Iterator[Any]) -> Graph:
    from rdflib import Graph

    graph = Graph()
    for t in triples:
        graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
    return graph


# --------------------------------------------------------------------------- pyoxigraph


class OxigraphQueries(Store):
    """Queries on a ``pyoxigraph.Store`` over the union of its graphs."""

    _ox: ox.Store

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        # Bindings go in as a VALUES block, as for an endpoint, not as pyoxigraph's
        # ``substitutions``: on pyoxigraph 0.5 substitutions can lead the planner astray
        # (the ``contested`` query: 42 s with substitutions, 0.24 s with VALUES, at 1M
        # triples), and VALUES also binds variables the SELECT does not project.
        text = with_values(query, check_bindings(bindings))
        try:
            return self._ox.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(f"the query is not valid SPARQL: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable that the SELECT does not project
            raise StoreError(f"the query cannot be run: {exc}") from None

    def _solutions(self, query: str, bindings: Bindings | None) -> ox.QuerySolutions:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("the query is not a SELECT query")
        return result

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query; rows as Python values."""
        result = self._solutions(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: ox_value(s[i]) for i, n in enumerate(names)} for s in result]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query; rows as rdflib terms."""
        result = self._solutions(query, bindings)
        names = tuple(v.value for v in result.variables)
        rows = [tuple(ox_to_rdflib(s[i]) for i in range(len(names))) for s in result]
        return Table(names, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("the query is not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("the query is not a CONSTRUCT or DESCRIBE query")
        return _graph_of(iter(result))

    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples."""
        result = self._ox.query(_COUNT_GRAPHS)
        assert isinstance(result, ox.QuerySolutions)
        counts: dict[str, int] = {}
        for solution in result:
            name, n = solution[0], solution[1]
            if isinstance(name, ox.NamedNode) and isinstance(n, ox.Literal):
                counts[name.value] = int(n.value)
        return dict(sorted(counts.items()))

    def graph_names(self) -> list[str]:
        """The names of the named graphs."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of every named graph (rdflib terms), except ``exclude``.

        A triple held by two graphs is yielded twice.
        """
        skip = set(exclude)
        convert = ox_to_rdflib
        for graph in self._ox.named_graphs():
            if graph.value in skip:
                continue
            for q in self._ox.quads_for_pattern(None, None, None, graph):
                yield convert(q.subject), convert(q.predicate), convert(q.object)

    def graph_triples(self, name: str) -> Iterator[PlainTriple]:
        """Every triple of one named graph, as plain values (see :func:`ox_plain`)."""
        plain = ox_plain
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            yield plain(q.subject), q.predicate.value, plain(q.object)  # type: ignore[misc]

    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for hot paths that call pyoxigraph directly).

        Its data is in named graphs: query it with ``use_default_graph_as_union=True``.
        """
        return self._ox
