"""Stores: where reviewgraph keeps RDF and runs SPARQL, behind one interface.

Choose a store by name with :func:`open_store` (``memory``, the default; ``rdflib``;
``oxigraph:PATH``) or open a SPARQL 1.1 endpoint with :func:`open_endpoint`.  Load files with
:func:`load_files` (one named graph per file, atomic, ``replace`` and ``bulk`` options) and
query any store the same way with :func:`select`, :func:`ask` and :func:`construct`.  Users
can always get an rdflib ``Graph`` back with :func:`to_rdflib`, or models with
:func:`read_store`.

Examples
--------
>>> from reviewgraph.stores import open_store, load_files, select
>>> store = open_store("memory")
>>> _ = load_files(store)                       # the bundled seeds
>>> rows = select(store, '''
...     PREFIX rg: <https://w3id.org/reviewgraph/ns#>
...     SELECT ?label WHERE { ?r rg:partOf ?review ; rg:labelInReview ?label }
...     ORDER BY ?label LIMIT 1''')
>>> sorted(rows[0])
['label']
"""

from __future__ import annotations

from reviewgraph.io.store import LoadedGraph, LoadReport, add_dataset, graph_iri, load_files
from reviewgraph.stores.api import (
    STORE_KINDS,
    ask,
    construct,
    item_counts,
    open_endpoint,
    open_store,
    read_store,
    read_store_located,
    select,
    select_terms,
    to_rdflib,
    wrap_graph,
)
from reviewgraph.stores.base import (
    ANNOTATIONS_GRAPH,
    BindingError,
    EndpointError,
    GraphExistsError,
    Row,
    Store,
    StoreEnvironmentError,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    Table,
    Value,
)
from reviewgraph.stores.endpoint import EndpointStore
from reviewgraph.stores.oxigraph import MemoryStore, OxigraphStore
from reviewgraph.stores.rdflib_store import RdflibStore

__all__ = [
    "ANNOTATIONS_GRAPH",
    "STORE_KINDS",
    "BindingError",
    "EndpointError",
    "EndpointStore",
    "GraphExistsError",
    "LoadReport",
    "LoadedGraph",
    "MemoryStore",
    "OxigraphStore",
    "RdflibStore",
    "Row",
    "Store",
    "StoreEnvironmentError",
    "StoreError",
    "StoreLockedError",
    "StoreNotFoundError",
    "Table",
    "Value",
    "add_dataset",
    "ask",
    "construct",
    "graph_iri",
    "item_counts",
    "load_files",
    "open_endpoint",
    "open_store",
    "read_store",
    "read_store_located",
    "select",
    "select_terms",
    "to_rdflib",
    "wrap_graph",
]
