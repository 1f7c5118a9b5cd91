"""Stores: where reviewgraph keeps RDF and runs SPARQL, behind one interface.

Choose a store by name with :func:`open_store` (``memory``, the default; ``rdflib``;
``oxigraph:PATH``) or open a SPARQL 1.1 endpoint with :func:`open_endpoint`, and query any
store the same way with :func:`select`, :func:`ask` and :func:`construct`; get an rdflib
``Graph`` back with :func:`to_rdflib`.  This room holds the engines only: loading files into a store
(:func:`reviewgraph.io.store.load_files`) and reading a store back as records or models
(:func:`reviewgraph.io.store.read_facts`, :func:`reviewgraph.io.store.read_store`) live in
:mod:`reviewgraph.io`.

Examples
--------
>>> from reviewgraph.io.store import load_files
>>> from reviewgraph.stores import open_store, select
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

from reviewgraph.stores.api import (
    STORE_KINDS,
    ask,
    construct,
    open_endpoint,
    open_store,
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
    "ask",
    "construct",
    "open_endpoint",
    "open_store",
    "select",
    "select_terms",
    "to_rdflib",
    "wrap_graph",
]
