"""Open stores by name and query any of them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewgraph.stores.base import ANNOTATIONS_GRAPH, Bindings, Row, Store, StoreError, Table

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from reviewgraph.stores.endpoint import EndpointStore
    from reviewgraph.stores.rdflib_store import RdflibStore

__all__ = [
    "STORE_KINDS",
    "ask",
    "construct",
    "open_endpoint",
    "open_store",
    "select",
    "select_terms",
    "to_rdflib",
    "wrap_graph",
]

STORE_KINDS = {
    "memory": "Oxigraph in memory (the default): fast loads and queries, nothing kept",
    "rdflib": "rdflib's own memory store (slower; for comparison and rdflib users)",
    "oxigraph:PATH": "Oxigraph on disk in the folder PATH: load once, query many times",
}
"""The ``--store`` values, with what each is for."""


def open_store(spec: str = "memory", *, writable: bool = False) -> Store:
    """Open a store by name: ``memory``, ``rdflib`` or ``oxigraph:PATH``.

    Parameters
    ----------
    spec : str
        The store (see :data:`STORE_KINDS`).
    writable : bool
        For ``oxigraph:PATH``: take the exclusive write lock, needed to load.  Commands that
        only read leave it false and open the database read-only.  Memory stores are always
        writable.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        If ``spec`` names no kind of store.
    StoreNotFoundError
        If a read-only ``oxigraph:PATH`` holds no store.
    StoreLockedError
        If ``writable`` and another process is loading into the store.

    Examples
    --------
    >>> open_store("memory")
    <MemoryStore memory>
    >>> open_store("postgres")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reviewgraph.errors.StoreError: unknown store 'postgres' (use memory, rdflib or ...)
    """
    from reviewgraph.stores.oxigraph import MemoryStore, OxigraphStore
    from reviewgraph.stores.rdflib_store import RdflibStore

    if spec == "memory":
        return MemoryStore()
    if spec == "rdflib":
        return RdflibStore()
    kind, sep, rest = spec.partition(":")
    if kind == "oxigraph" and sep and rest:
        return OxigraphStore(Path(rest).expanduser(), writable=writable)
    raise StoreError(
        f"unknown store {spec!r} (use memory, rdflib or oxigraph:PATH; "
        "for a SPARQL endpoint, --endpoint URL)"
    )


def open_endpoint(
    url: str,
    *,
    update_url: str | None = None,
    gsp_url: str | None = None,
    graph: str | None = None,
    timeout: float = 60.0,
    check: bool = True,
) -> EndpointStore:
    """Open a SPARQL 1.1 endpoint as a store.

    Credentials come from ``REVIEWGRAPH_ENDPOINT_USER``/``REVIEWGRAPH_ENDPOINT_PASSWORD``
    (or ``REVIEWGRAPH_ENDPOINT_TOKEN``) or ``~/.netrc``.

    Parameters
    ----------
    url : str
        The query endpoint.
    update_url, gsp_url : str, optional
        The SPARQL Update and Graph Store Protocol endpoints, needed to load.
    graph : str, optional
        The IRI under which loaded files' graphs are named, and queried.
    timeout : float
        Seconds to wait for each request.
    check : bool
        Ask the endpoint which graphs it holds now, so that one that does not answer fails
        here.

    Raises
    ------
    EndpointError
        If ``check`` and the endpoint does not answer or refuses the credentials.
    """
    from reviewgraph.stores.endpoint import EndpointStore

    store = EndpointStore(url, update_url=update_url, gsp_url=gsp_url, graph=graph, timeout=timeout)
    if check:
        store.ping()
    return store


def wrap_graph(graph: Graph) -> RdflibStore:
    """Use an rdflib ``Graph`` (or ``Dataset``) a user already holds as a store.

    The named queries also read the ontology's annotations: query
    ``reviewgraph.sparql.named.query_graph(graph)`` to have them.  A plain ``Graph`` is read-only;
    a ``Dataset`` can be loaded into.

    Examples
    --------
    >>> from rdflib import Graph
    >>> len(wrap_graph(Graph()))
    0
    """
    from reviewgraph.stores.rdflib_store import RdflibStore

    return RdflibStore(graph)


def select(store: Store, query: str, bindings: Bindings | None = None) -> list[Row]:
    """Run a SELECT query on any store; rows of Python values, the same from every engine.

    Bindings are RDF terms or dates, bound by the engine's own mechanism (never formatted
    into the text); see :mod:`reviewgraph.stores.base`.

    Raises
    ------
    BindingError
        If a binding is not an RDF term or a date.
    StoreError
        If the query is not a valid SELECT query.

    Examples
    --------
    >>> from datetime import date
    >>> store = open_store("memory")
    >>> select(store, "SELECT ?d WHERE { }", {"d": date(2025, 1, 1)})
    [{'d': datetime.date(2025, 1, 1)}]
    """
    return store.select(query, bindings)


def select_terms(store: Store, query: str, bindings: Bindings | None = None) -> Table:
    """Run a SELECT query; the variables and rows of rdflib terms (for W3C result formats)."""
    return store.select_terms(query, bindings)


def ask(store: Store, query: str, bindings: Bindings | None = None) -> bool:
    """Run an ASK query on any store."""
    return store.ask(query, bindings)


def construct(store: Store, query: str, bindings: Bindings | None = None) -> Graph:
    """Run a CONSTRUCT query on any store; the triples as an rdflib ``Graph``."""
    return store.construct(query, bindings)


def to_rdflib(store: Store, *, annotations: bool = False) -> Graph:
    """Copy a store's data into a new rdflib ``Graph`` (every file's graph, merged).

    The ontology annotations graph is left out unless ``annotations``.

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> from reviewgraph.io.store import add_dataset
    >>> store = open_store("memory")
    >>> _ = add_dataset(store, Dataset(bodies=(Body(id="dhsc", name="DHSC"),)), "urn:x:g")
    >>> len(to_rdflib(store))
    2
    """
    from rdflib import Graph

    from reviewgraph.vocab.namespaces import bind_prefixes

    graph = bind_prefixes(Graph(bind_namespaces="core"))
    exclude = () if annotations else (ANNOTATIONS_GRAPH,)
    for triple in store.triples(exclude=exclude):
        graph.add(triple)
    return graph
