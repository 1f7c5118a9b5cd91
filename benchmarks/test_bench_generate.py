"""The generator: its speed, and that its stream is exactly what ``to_graph`` writes."""

from __future__ import annotations

import io
from typing import Any

from generate import DEFAULT_SEED, generate_dataset, write_ntriples

from reviewgraph.rdf.mapping import to_graph


def _line(term: Any) -> str:
    return str(term.n3())


def test_generate_10k_matches_to_graph(benchmark: Any) -> None:
    benchmark.group = "generate"
    benchmark.extra_info.update(label="write_ntriples", size="10k")
    buffer = io.StringIO()
    benchmark.pedantic(lambda: write_ntriples(10_000, buffer, DEFAULT_SEED), rounds=1, iterations=1)
    streamed = {line for line in buffer.getvalue().splitlines() if line}
    graph = to_graph(generate_dataset(10_000))
    expected = {f"{_line(s)} {_line(p)} {_line(o)} ." for s, p, o in graph}
    assert streamed == expected
    benchmark.extra_info["triples"] = len(streamed)
