"""rdflib's own memory store (``rdflib``), or a ``Graph`` a user brings, as a store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from reviewgraph.stores.base import (
    XSD_STRING,
    Bindings,
    PlainTriple,
    Row,
    Store,
    StoreError,
    Table,
    Term,
    Value,
    check_bindings,
    literal_value,
)
from reviewgraph.stores.oxload import GraphLoad, _syntax_error

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["RdflibStore", "rdflib_value", "to_rdflib_term"]


def to_rdflib_term(term: Term) -> Any:
    """A neutral term as an rdflib term."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.language:
        return RLiteral(term.value, lang=term.language)
    if term.datatype in (None, XSD_STRING):
        return RLiteral(term.value)
    return RLiteral(term.value, datatype=URIRef(term.datatype))


def rdflib_value(term: Any) -> Value:
    """An rdflib term as a Python value (see :mod:`reviewgraph.stores.base`)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, RLiteral):
        if term.language:
            return str(term)
        return literal_value(str(term), str(term.datatype) if term.datatype else XSD_STRING)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


class RdflibStore(Store):
    """rdflib's own memory store (``rdflib``), or a ``Graph`` a user brings.

    Queries run on rdflib's SPARQL engine with ``initBindings``; a new store is an rdflib
    ``Dataset`` whose default graph is the union of its named graphs.
    """

    kind: ClassVar[str] = "rdflib"

    def __init__(self, graph: Graph | None = None) -> None:
        from rdflib import Dataset

        super().__init__("rdflib" if graph is None else f"rdflib:{type(graph).__name__}")
        if graph is None:
            graph = Dataset(default_union=True)
        self.graph = graph
        self.writable = isinstance(graph, Dataset)

    def _query(self, query: str, bindings: Bindings | None) -> Any:
        init = {k: to_rdflib_term(v) for k, v in check_bindings(bindings).items()}
        prepared = _prepared(query)
        return self.graph.query(prepared, initBindings=init)

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query; rows as Python values."""
        result = self._query(query, bindings)
        if result.type != "SELECT":
            raise StoreError("the query is not a SELECT query")
        names = [str(v) for v in result.vars or ()]
        return [{n: rdflib_value(row[i]) for i, n in enumerate(names)} for row in result]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query; rows as rdflib terms."""
        result = self._query(query, bindings)
        if result.type != "SELECT":
            raise StoreError("the query is not a SELECT query")
        names = tuple(str(v) for v in result.vars or ())
        return Table(names, [tuple(row) for row in result])

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        result = self._query(query, bindings)
        if result.type != "ASK":
            raise StoreError("the query is not an ASK query")
        return bool(result.askAnswer)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        result = self._query(query, bindings)
        if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
            raise StoreError("the query is not a CONSTRUCT or DESCRIBE query")
        return cast("Graph", result.graph)

    def _named(self) -> dict[str, Graph]:
        from rdflib import Dataset, URIRef

        if not isinstance(self.graph, Dataset):
            return {}
        return {
            str(g.identifier): g
            for g in self.graph.graphs()
            if isinstance(g.identifier, URIRef) and len(g)
        }

    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples."""
        return {name: len(g) for name, g in sorted(self._named().items())}

    def graph_triples(self, name: str) -> Iterator[PlainTriple]:
        """Every triple of one named graph as plain values."""
        from reviewgraph.stores.plain import plain_triples

        graph = self._named().get(name)
        if graph is not None:
            yield from plain_triples(graph)

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple (of every named graph but ``exclude``, for a Dataset)."""
        from rdflib import Dataset

        if not isinstance(self.graph, Dataset):
            yield from self.graph
            return
        for name, graph in self._named().items():
            if name not in exclude:
                yield from graph

    def __len__(self) -> int:
        return len(self.graph)

    def _apply(self, loads: Sequence[GraphLoad], *, bulk: bool = False) -> dict[str, int]:
        """Set each graph to its new triples; on failure, put the old ones back."""
        from rdflib import Dataset, URIRef

        self._require_writable()
        dataset = cast(Dataset, self.graph)
        old = {load.graph: list(dataset.graph(URIRef(load.graph))) for load in loads}
        try:
            for load in loads:
                dataset.remove_graph(URIRef(load.graph))
                target: Graph = dataset.graph(URIRef(load.graph))
                try:
                    if load.data is not None:
                        target.parse(data=load.data, format="nt")
                    elif load.path is not None:
                        fmt = "turtle" if load.format == "ttl" else "nt"
                        target.parse(source=str(load.path), format=fmt)
                except Exception as exc:  # rdflib's parsers raise many unrelated types
                    raise _syntax_error(load, exc) from None
        except BaseException:
            for name, triples in old.items():
                dataset.remove_graph(URIRef(name))
                restored = dataset.graph(URIRef(name))
                for triple in triples:
                    restored.add(triple)
            raise
        return {load.graph: len(dataset.graph(URIRef(load.graph))) for load in loads}


_PREPARED: dict[str, Any] = {}


def _prepared(query: str) -> Any:
    """rdflib parses SPARQL slowly (tens of ms): prepare each distinct text once."""
    found = _PREPARED.get(query)
    if found is None:
        from rdflib.plugins.sparql import prepareQuery

        try:
            found = prepareQuery(query)
        except Exception as exc:  # pyparsing's ParseException and friends
            raise StoreError(f"the query is not valid SPARQL: {exc}") from None
        if len(_PREPARED) > 256:
            _PREPARED.clear()
        _PREPARED[query] = found
    return found
