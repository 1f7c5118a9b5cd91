"""Reading a store for the analysis, and the NetworkX projection the network exports use.

* ``read_facts`` with the analysis index that ``load`` keeps beside each graph (the route of
  every analysis command on a store loaded by reviewgraph);
* ``read_triples`` over the store's triples (the route for a store without an index: an
  endpoint, or a store another tool filled);
* ``to_networkx`` of the records (GraphML, GEXF, DOT);
* ``read_store``: the whole store back as validated models (validation, whole exports).
"""

from __future__ import annotations

from typing import Any

from conftest import rounds

from reviewgraph.io.store import read_facts, read_store
from reviewgraph.stores import ANNOTATIONS_GRAPH, Store


def _group(benchmark: Any, label: str, size: str, triples: int) -> None:
    benchmark.group = "read"
    benchmark.extra_info.update(label=label, size=size, triples=triples)


def test_read_facts_with_index(benchmark: Any, size: str, disk_store: Store, triples: int) -> None:
    _group(benchmark, "read_facts (disk, analysis index)", size, triples)
    facts = benchmark.pedantic(read_facts, args=(disk_store,), rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info["items"] = len(facts)


def test_read_facts_from_triples(
    benchmark: Any, size: str, disk_store: Store, triples: int
) -> None:
    from reviewgraph.rdf.reader import read_triples
    from reviewgraph.rdf.records import Facts

    def run() -> Facts:
        names = [g for g in disk_store.graph_names() if g != ANNOTATIONS_GRAPH]
        return Facts.union(read_triples(disk_store.graph_triples(g)) for g in names)

    _group(benchmark, "read_triples (disk, no index)", size, triples)
    facts = benchmark.pedantic(run, rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info["items"] = len(facts)


def test_to_networkx_from_records(
    benchmark: Any, size: str, disk_store: Store, triples: int
) -> None:
    from reviewgraph.io.projection import to_networkx

    facts = read_facts(disk_store)
    _group(benchmark, "to_networkx(records)", size, triples)
    graph = benchmark.pedantic(to_networkx, args=(facts,), rounds=rounds(size, 3), iterations=1)
    benchmark.extra_info.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def test_read_store_as_models(benchmark: Any, size: str, memory_store: Store, triples: int) -> None:
    _group(benchmark, "read_store(memory) -> models", size, triples)
    dataset = benchmark.pedantic(
        read_store, args=(memory_store,), rounds=rounds(size, 3), iterations=1
    )
    benchmark.extra_info["items"] = len(dataset)
