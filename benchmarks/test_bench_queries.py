"""Each named query on each store (in the text written for the store's engine: rdflib runs
``queries/rdflib/NAME.rq`` where one ships), the representative "unfulfilled" question in its
fast and naive shapes, and ``gaps`` (its four finding queries) with a parity check across
stores."""

from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
from common import (
    GAPS_QUERIES,
    NAIVE_UNFULFILLED,
    UNFULFILLED,
    data_dir,
    engine_of,
    gaps_json,
    query_text,
    run_named,
)
from common import sizes as configured_sizes
from conftest import rounds
from generate import SIZES

from reviewgraph.sparql import named as sparql
from reviewgraph.stores import Store, select

STORES = ("memory", "oxigraph", "rdflib", "endpoint")
BUDGET = float(os.environ.get("RG_BENCH_BUDGET", "120"))
"""Seconds one timed run may be projected to take; a query projected to take longer at a
size (from its times at the two sizes below, this run's or an earlier run's) is skipped, and
the summary says so, rather than running for many minutes."""

_MEDIANS = data_dir() / "medians.json"
_seen: dict[str, float] = json.loads(_MEDIANS.read_text()) if _MEDIANS.exists() else {}


def _key(store: str, what: str, size: str) -> str:
    return f"{store}|{what}|{size}"


def _store(request: pytest.FixtureRequest, name: str) -> Store:
    fixture = {"oxigraph": "disk_store"}.get(name, f"{name}_store")
    store: Store = request.getfixturevalue(fixture)
    return store


def _too_slow(store: str, what: str, size: str) -> None:
    """Skip when the times at smaller sizes project this one beyond the budget."""
    order = list(SIZES)
    at = order.index(size)
    if at == 0:
        return
    prev = _seen.get(_key(store, what, order[at - 1]))
    if prev is None:
        return
    growth = SIZES[size] / SIZES[order[at - 1]]
    before = _seen.get(_key(store, what, order[at - 2])) if at >= 2 else None
    if before:
        exponent = max(1.0, math.log(prev / before) / math.log(growth)) if prev > before else 1.0
    else:
        exponent = 1.0
    projected = prev * growth**exponent
    if projected > BUDGET:
        pytest.skip(
            f"{what} on {store}: {prev:.1f} s at {order[at - 1]}, projected {projected:,.0f} s "
            f"at {size} (over RG_BENCH_BUDGET={BUDGET:g} s)"
        )


def _record(benchmark: Any, store: str, what: str, size: str) -> None:
    _seen[_key(store, what, size)] = benchmark.stats.stats.median
    _MEDIANS.write_text(json.dumps(_seen, indent=1, sort_keys=True))


PARAMS = [
    (size, store, name)
    for size in configured_sizes()
    for store in STORES
    for name in sparql.query_names()
]


@pytest.mark.parametrize(("size", "store_name", "query"), PARAMS, scope="session")
def test_named_query(
    benchmark: Any,
    request: pytest.FixtureRequest,
    size: str,
    store_name: str,
    query: str,
    triples: int,
) -> None:
    _too_slow(store_name, query, size)
    store = _store(request, store_name)
    benchmark.group = f"query {query}"
    benchmark.extra_info.update(label=store_name, size=size, triples=triples)
    engine = engine_of(store)
    if query_text(query, engine) != query_text(query):
        # the store's engine runs its own text of this query (queries/rdflib/NAME.rq)
        benchmark.extra_info["text"] = f"{engine}/{query}.rq"
    slow = store_name == "rdflib" or SIZES[size] > 100_000
    rows = benchmark.pedantic(
        run_named, args=(store, query), rounds=1 if slow else rounds(size), iterations=1
    )
    benchmark.extra_info["rows"] = len(rows)
    _record(benchmark, store_name, query, size)


@pytest.mark.parametrize(
    ("size", "store_name"),
    [(size, store) for size in configured_sizes() for store in STORES],
    scope="session",
)
def test_gaps_query(
    benchmark: Any, request: pytest.FixtureRequest, size: str, store_name: str, triples: int
) -> None:
    """The ``gaps`` question in SPARQL on an open store; every store gives the same bytes."""
    _too_slow(store_name, "gaps", size)
    store = _store(request, store_name)
    benchmark.group = "gaps-query"
    benchmark.extra_info.update(label=store_name, size=size, triples=triples)
    slow = store_name == "rdflib" or SIZES[size] > 100_000
    data = benchmark.pedantic(
        gaps_json, args=(store,), rounds=1 if slow else rounds(size, 3), iterations=1
    )
    _record(benchmark, store_name, "gaps", size)
    reference = request.getfixturevalue("memory_store") if SIZES[size] <= 1_000_000 else None
    if reference is not None and store_name != "memory":
        assert data == gaps_json(reference), f"gaps differs on {store_name} at {size}"
    benchmark.extra_info["rows"] = sum(len(rows) for rows in json.loads(data).values())


@pytest.mark.parametrize(
    ("size", "store_name", "shape"),
    [
        (size, store, shape)
        for size in configured_sizes()
        for store in ("memory", "oxigraph", "rdflib")
        for shape in ("optional", "naive")
    ],
    scope="session",
)
def test_unfulfilled(
    benchmark: Any,
    request: pytest.FixtureRequest,
    size: str,
    store_name: str,
    shape: str,
    triples: int,
) -> None:
    """Commitments with no "delivered" claim as of D: OPTIONAL/!BOUND vs FILTER NOT EXISTS."""
    what = f"unfulfilled {shape}"
    _too_slow(store_name, what, size)
    store = _store(request, store_name)
    benchmark.group = "unfulfilled"
    label = store_name if shape == "optional" else f"{store_name} naive"
    benchmark.extra_info.update(label=label, size=size, triples=triples)
    text = UNFULFILLED if shape == "optional" else NAIVE_UNFULFILLED
    from common import AS_OF

    rows = benchmark.pedantic(
        select,
        args=(store, text, {"asOf": AS_OF}),
        rounds=1 if store_name == "rdflib" else rounds(size),
        iterations=1,
    )
    benchmark.extra_info["rows"] = len(rows)
    _record(benchmark, store_name, what, size)


def test_gaps_queries_exist() -> None:
    """The gaps route needs these named queries (kept here so a rename is noticed)."""
    assert set(GAPS_QUERIES) <= set(sparql.query_names())
