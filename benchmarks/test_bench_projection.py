"""The NetworkX projection: from the models, and built from a SPARQL SELECT on a store; and
reading a store back as models (what exports and the Python analyses need)."""

from __future__ import annotations

from typing import Any

from conftest import rounds

from reviewgraph.models import Dataset
from reviewgraph.stores import Store, read_store, select

BASE = "https://w3id.org/reviewgraph/id/"
EDGES = f"""
SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o .
  FILTER (isIRI(?o) && STRSTARTS(STR(?s), "{BASE}") && STRSTARTS(STR(?o), "{BASE}"))
}}"""
NODES = f"""
SELECT ?s ?type WHERE {{ ?s a ?type . FILTER (STRSTARTS(STR(?s), "{BASE}")) }}"""


def nx_from_store(store: Store) -> Any:
    """Items and the references between them, straight from SPARQL, IRI strings as keys."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for row in select(store, NODES):
        graph.add_node(row["s"], type=str(row["type"]).rsplit("#", 1)[-1])
    for row in select(store, EDGES):
        graph.add_edge(row["s"], row["o"], key=str(row["p"]).rsplit("#", 1)[-1])
    return graph


def test_to_networkx_from_models(benchmark: Any, size: str, dataset: Dataset, triples: int) -> None:
    from reviewgraph.analysis.projection import to_networkx

    benchmark.group = "projection"
    benchmark.extra_info.update(label="to_networkx(models)", size=size, triples=triples)
    graph = benchmark.pedantic(to_networkx, args=(dataset,), rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_networkx_from_memory_sparql(
    benchmark: Any, size: str, memory_store: Store, triples: int
) -> None:
    benchmark.group = "projection"
    benchmark.extra_info.update(label="memory SELECT edges", size=size, triples=triples)
    graph = benchmark.pedantic(
        nx_from_store, args=(memory_store,), rounds=rounds(size, 3), iterations=1
    )
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_read_store_as_models(benchmark: Any, size: str, memory_store: Store, triples: int) -> None:
    benchmark.group = "projection"
    benchmark.extra_info.update(label="read_store(memory) -> models", size=size, triples=triples)
    dataset = benchmark.pedantic(
        read_store, args=(memory_store,), rounds=rounds(size, 3), iterations=1
    )
    benchmark.extra_info["items"] = len(dataset)
