"""What the endpoint store writes: a load's triples, as N-Triples, in bounded chunks.

Blank nodes stay blank: the triples of connected blank nodes always travel in the same chunk,
since a blank node written in two requests would become two nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from reviewgraph.stores.base import ANNOTATIONS_GRAPH, Term
from reviewgraph.vocab.ntriples import write_term

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.stores.oxigraph import GraphLoad

__all__ = [
    "DEFAULT_DATASET",
    "MANIFEST_GRAPH",
    "MANIFEST_NS",
    "chunks",
    "insert_data",
    "load_triples",
    "manifest_ops",
    "nt_bytes",
    "stand_in",
]

MANIFEST_GRAPH = "urn:reviewgraph:graph:manifest"
"""The graph in which loads record the graphs they wrote (readers list a dataset's graphs
from it: :meth:`reviewgraph.stores.endpoint.EndpointStore.dataset`)."""

DEFAULT_DATASET = "urn:reviewgraph:dataset/"
"""The dataset IRI under which files' graphs are named on an endpoint loaded without
``--graph`` (local stores name them by ``file:`` URI)."""

MANIFEST_NS = "https://w3id.org/reviewgraph/manifest#"
"""The terms of the manifest graph (``dataset``, ``source``, ``triples``)."""
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def load_triples(load: GraphLoad) -> list[Any]:
    """The graph's distinct triples (pyoxigraph), blank nodes renamed so files cannot share one."""
    import pyoxigraph as ox

    from reviewgraph.stores.oxigraph import _FORMATS, _syntax_error

    if load.data is not None:
        source: dict[str, Any] = {"input": load.data, "format": ox.RdfFormat.N_TRIPLES}
    else:
        source = {"path": load.path, "format": _FORMATS[load.format]}
    try:
        return list(dict.fromkeys(ox.parse(**source, rename_blank_nodes=True)))
    except SyntaxError as exc:
        raise _syntax_error(load, exc) from None


def nt_bytes(triples: Sequence[Any]) -> bytes:
    """Triples (pyoxigraph) as N-Triples.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    >>> nt_bytes([ox.Triple(s, p, ox.Literal("1"))])
    b'<http://e/s> <http://e/p> "1" .\\n'
    """
    import pyoxigraph as ox

    def term(t: Any) -> str:
        if isinstance(t, ox.NamedNode):
            return write_term(t.value)
        if isinstance(t, ox.BlankNode):
            return write_term(t.value, "bnode")
        return write_term(t.value, "literal", t.datatype.value, t.language)

    return "".join(
        f"{term(t.subject)} {term(t.predicate)} {term(t.object)} .\n" for t in triples
    ).encode("utf-8")


def insert_data(graph: str, triples: Sequence[Any]) -> str:
    """One ``INSERT DATA`` operation writing ``triples`` into ``graph`` (an IRI checked by
    :class:`~reviewgraph.stores.base.Term`)."""
    data = nt_bytes(triples).decode("utf-8")
    return f"INSERT DATA {{ GRAPH {Term(graph).n3()} {{\n{data}}} }}"


def chunks(triples: Sequence[Any], size: int) -> Iterator[list[Any]]:
    """Triples in chunks of at most ``size``, the triples of connected blank nodes together
    (a blank node written in two requests would become two nodes).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> p, b = ox.NamedNode("http://e/p"), ox.BlankNode("b")
    >>> ts = [ox.Triple(ox.NamedNode(f"http://e/{i}"), p, b) for i in range(3)]
    >>> ts += [ox.Triple(ox.NamedNode("http://e/x"), p, ox.Literal("1"))]
    >>> [len(c) for c in chunks(ts, 2)]
    [3, 1]
    """
    import pyoxigraph as ox

    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    blanks = [
        [t.value for t in (tr.subject, tr.object) if isinstance(t, ox.BlankNode)] for tr in triples
    ]
    for nodes in blanks:
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[Any, list[Any]] = {}
    for i, (triple, nodes) in enumerate(zip(triples, blanks, strict=True)):
        groups.setdefault(root(nodes[0]) if nodes else i, []).append(triple)
    chunk: list[Any] = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def manifest_ops(bodies: Sequence[tuple[GraphLoad, list[Any]]], dataset_iri: str) -> list[str]:
    """Update operations that record the loaded graphs in :data:`MANIFEST_GRAPH`: each file
    graph's dataset, source file and triple count (the annotations graph: its dataset)."""
    dataset = Term(dataset_iri).n3()
    ops, lines = [], []
    for load, triples in bodies:
        graph = Term(load.graph).n3()
        if load.graph != ANNOTATIONS_GRAPH:
            ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ {graph} ?p ?o }} }}")
            source = Term(load.file, "literal").n3()
            lines.append(f"{graph} <{MANIFEST_NS}source> {source} .")
            count = write_term(str(len(triples)), "literal", _XSD_INTEGER)
            lines.append(f"{graph} <{MANIFEST_NS}triples> {count} .")
        lines.append(f"{graph} <{MANIFEST_NS}dataset> {dataset} .")
    body = "\n".join(lines)
    ops.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n{body}\n}} }}")
    return ops


def stand_in(triples: list[Any], stand_ins: Sequence[tuple[str, str]]) -> list[Any]:
    """The triples with each literal of a datatype the server would not keep as written
    given its private stand-in datatype instead (reads turn it back); see
    :attr:`reviewgraph.stores.dialects.Dialect.stand_ins`.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> xsd = "http://www.w3.org/2001/XMLSchema#duration"
    >>> t = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
    ...               ox.Literal("P2M", datatype=ox.NamedNode(xsd)))
    >>> stand_in([t], [(xsd, "urn:reviewgraph:datatype:duration")])[0].object.datatype.value
    'urn:reviewgraph:datatype:duration'
    """
    if not stand_ins:
        return triples
    import pyoxigraph as ox

    mine = {theirs: ox.NamedNode(ours) for theirs, ours in stand_ins}
    out = []
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal) and obj.datatype.value in mine:
            obj = ox.Literal(obj.value, datatype=mine[obj.datatype.value])
            triple = ox.Triple(triple.subject, triple.predicate, obj)
        out.append(triple)
    return out
