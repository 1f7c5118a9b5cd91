"""The NetworkX projection three ways: from the models (``to_networkx``), straight from SPARQL
on the store (``projection_from_store``), and by reading the store back as models first
(``read_store`` then ``to_networkx``, what exports and the Python analyses did); plus
``read_store`` alone."""

from __future__ import annotations

from typing import Any

from conftest import rounds

from reviewgraph.io.store import read_store
from reviewgraph.models import Dataset
from reviewgraph.stores import Store


def test_to_networkx_from_models(benchmark: Any, size: str, dataset: Dataset, triples: int) -> None:
    from reviewgraph.analysis.projection import to_networkx

    benchmark.group = "projection"
    benchmark.extra_info.update(label="to_networkx(models)", size=size, triples=triples)
    graph = benchmark.pedantic(to_networkx, args=(dataset,), rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_networkx_from_memory_sparql(
    benchmark: Any, size: str, memory_store: Store, triples: int
) -> None:
    from reviewgraph.analysis.store_projection import projection_from_store

    benchmark.group = "projection"
    benchmark.extra_info.update(label="projection_from_store(memory)", size=size, triples=triples)
    graph = benchmark.pedantic(
        projection_from_store, args=(memory_store,), rounds=rounds(size, 3), iterations=1
    )
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_networkx_from_read_store(
    benchmark: Any, size: str, memory_store: Store, triples: int
) -> None:
    from reviewgraph.analysis.projection import to_networkx

    def project() -> Any:
        return to_networkx(read_store(memory_store))

    benchmark.group = "projection"
    benchmark.extra_info.update(label="to_networkx(read_store(memory))", size=size, triples=triples)
    graph = benchmark.pedantic(project, rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_read_store_as_models(benchmark: Any, size: str, memory_store: Store, triples: int) -> None:
    benchmark.group = "projection"
    benchmark.extra_info.update(label="read_store(memory) -> models", size=size, triples=triples)
    dataset = benchmark.pedantic(
        read_store, args=(memory_store,), rounds=rounds(size, 3), iterations=1
    )
    benchmark.extra_info["items"] = len(dataset)
