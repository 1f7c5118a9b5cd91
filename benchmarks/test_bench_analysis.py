"""The Python analyses (:class:`reviewgraph.analysis.ReviewGraph`) over the models, each from a
new ``ReviewGraph`` (so the index and the NetworkX projection it builds are counted)."""

from __future__ import annotations

from typing import Any

import pytest
from common import AS_OF
from conftest import rounds

from reviewgraph.models import Dataset

QUESTIONS = ("gaps", "recurring", "scorecard", "slippage", "contested", "timeline")


@pytest.mark.parametrize("question", QUESTIONS)
def test_analysis_from_models(
    benchmark: Any, size: str, dataset: Dataset, triples: int, question: str
) -> None:
    from reviewgraph.analysis import ReviewGraph

    benchmark.group = "analysis"
    benchmark.extra_info.update(label=f"ReviewGraph.{question}", size=size, triples=triples)

    def run() -> int:
        result = getattr(ReviewGraph.from_dataset(dataset), question)(as_of=AS_OF)
        return len(result.model_dump_json())

    benchmark.extra_info["bytes"] = benchmark.pedantic(run, rounds=rounds(size, 3), iterations=1)


def test_recurrence_closure_on_the_projection(
    benchmark: Any, size: str, dataset: Dataset, triples: int
) -> None:
    """All earlier recommendations of every recommendation, on the NetworkX projection."""
    import networkx as nx

    from reviewgraph.io.projection import LINK_EDGE_TYPES, to_networkx

    benchmark.group = "analysis"
    benchmark.extra_info.update(label="echo closure (networkx)", size=size, triples=triples)
    graph = to_networkx(dataset)
    links = nx.DiGraph(
        (u, v) for u, v, d in graph.edges(data=True) if d.get("type") in LINK_EDGE_TYPES
    )

    def run() -> int:
        return sum(len(nx.descendants(links, n)) for n in links)

    benchmark.extra_info["pairs"] = benchmark.pedantic(run, rounds=rounds(size, 3), iterations=1)
