"""What the benchmarks share: sizes, data files, the gaps routes and the naive baseline.

Sizes come from ``RG_BENCH_SIZES`` (comma-separated names of :data:`generate.SIZES`,
default ``10k,100k``); generated files are cached in ``RG_BENCH_DATA`` (default a
``reviewgraph-bench`` folder in the system's temporary folder), named by size, seed and a hash
of the generator, so a changed generator never reuses stale data.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from generate import DEFAULT_SEED, SIZES, write_ntriples

from reviewgraph.stores import Store, select

AS_OF = date(2025, 1, 1)
GRACE_YEARS = 2
GAPS_QUERIES = ("not-followed-through", "parked", "unanswered", "overdue-response")
"""The named queries whose rows are the ``gaps`` findings (one per finding category)."""

NAIVE_UNFULFILLED = """\
PREFIX rg: <https://w3id.org/reviewgraph/ns#>
SELECT ?asOf ?commitment ?owner ?made WHERE {
  ?commitment a rg:Commitment ;
              rg:madeOn/rg:latest ?made .
  FILTER (?made <= ?asOf)
  OPTIONAL { ?commitment rg:owner ?owner }
  FILTER NOT EXISTS {
    ?claim rg:claimAbout ?commitment ;
           rg:statusValue rg:Delivered ;
           rg:assertedOn/rg:latest ?delivered .
    FILTER (?delivered <= ?asOf)
  }
}
"""
"""The naive baseline's question: commitments made by D with no "delivered" claim by D,
written the obvious way, with ``FILTER NOT EXISTS``."""

UNFULFILLED = NAIVE_UNFULFILLED.replace("  FILTER NOT EXISTS {\n", "  OPTIONAL {\n").replace(
    "    FILTER (?delivered <= ?asOf)\n  }\n}",
    "    FILTER (?delivered <= ?asOf)\n  }\n  FILTER (!BOUND(?claim))\n}",
)
"""The same question in the OPTIONAL/!BOUND shape (linear on Oxigraph, portable)."""


def sizes() -> list[str]:
    """The sizes to run, from ``RG_BENCH_SIZES``."""
    raw = os.environ.get("RG_BENCH_SIZES", "10k,100k")
    chosen = [s.strip().lower() for s in raw.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SIZES]
    if unknown:
        raise SystemExit(f"RG_BENCH_SIZES: unknown size {unknown[0]!r} (use {', '.join(SIZES)})")
    return chosen


def data_dir() -> Path:
    """The folder generated data and on-disk stores are cached in."""
    folder = Path(
        os.environ.get("RG_BENCH_DATA", Path(tempfile.gettempdir()) / "reviewgraph-bench")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _generator_hash() -> str:
    text = (Path(__file__).parent / "generate.py").read_bytes()
    return hashlib.sha256(text).hexdigest()[:8]


def nt_path(size: str, seed: int = DEFAULT_SEED) -> Path:
    """The N-Triples file of a size, generated on first use."""
    path = data_dir() / f"rg-{size}-{seed}-{_generator_hash()}.nt"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8", buffering=1 << 20) as handle:
            write_ntriples(SIZES[size], handle, seed)
        tmp.replace(path)
    return path


def ttl_path(size: str, seed: int = DEFAULT_SEED) -> Path:
    """The same graph as :func:`nt_path`, as Turtle (written by pyoxigraph on first use)."""
    import pyoxigraph as ox

    source = nt_path(size, seed)
    path = source.with_suffix(".ttl")
    if not path.exists():
        tmp = path.with_suffix(".ttl.part")
        triples = ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, str(tmp), format=ox.RdfFormat.TURTLE)
        tmp.replace(path)
    return path


def count_lines(path: Path) -> int:
    """The number of triples in an N-Triples file."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def grace_cutoff(as_of: date = AS_OF, years: int = GRACE_YEARS) -> date:
    """``as_of`` minus the grace period: the same day ``years`` earlier (29 February becomes
    28 February), as ``reviewgraph.analysis.asof.minus_years`` computes it (not imported here,
    to keep the analysis package out of the Oxigraph route's start-up)."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


_PARAM = re.compile(r"#\s*@param\s+\?(\w+)")


@cache
def query_text(name: str, engine: str = "oxigraph") -> tuple[str, tuple[str, ...]]:
    """A named query's text for ``engine`` and its parameter names, read without parsing it.

    ``engine`` is ``"oxigraph"``, ``"rdflib"`` or ``"endpoint"``: rdflib runs its own text of
    a query where one ships (``queries/rdflib/NAME.rq``), every other engine the main one; the
    same choice as ``reviewgraph.sparql.named.query_text``, made here through
    ``reviewgraph.vocab.resources.query_file`` so that the Oxigraph route never imports rdflib.
    (``reviewgraph.sparql.named.load_query`` checks each query's contract with rdflib's parser,
    which costs more than answering it on Oxigraph; the tests check the contract.)
    """
    from reviewgraph.vocab.resources import query_file

    text = query_file(name, engine).read_text(encoding="utf-8")
    return text, tuple(_PARAM.findall(text))


def engine_of(store: Store) -> str:
    """The engine whose text of a named query ``store`` runs
    (``reviewgraph.sparql.named.engine_for`` without importing rdflib)."""
    return {"rdflib": "rdflib", "endpoint": "endpoint"}.get(store.kind, "oxigraph")


def _params(name: str, as_of: date, item: str | None = None) -> dict[str, Any]:
    import pyoxigraph as ox

    values: dict[str, Any] = {
        "asOf": as_of,
        "graceCutoff": grace_cutoff(as_of),
        "windowStart": grace_cutoff(as_of),
        "item": ox.NamedNode("https://w3id.org/reviewgraph/id/" + (item or "r000010/1")),
    }
    return {p: values[p] for p in query_text(name)[1]}


def run_named(store: Store, name: str, as_of: date = AS_OF) -> list[dict[str, Any]]:
    """Run one named query on a store, in the text for the store's engine, with the
    benchmark's parameters."""
    return select(store, query_text(name, engine_of(store))[0], _params(name, as_of))


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, default=str, sort_keys=True)


def gaps_json(store: Store, as_of: date = AS_OF) -> bytes:
    """The ``gaps`` question answered in SPARQL on a store, rendered as sorted JSON."""
    out = {name: sorted(run_named(store, name, as_of), key=_key) for name in GAPS_QUERIES}
    return json.dumps(out, default=str, sort_keys=True, indent=1).encode("utf-8")


def naive_baseline(path: Path, as_of: date = AS_OF) -> int:
    """Plain rdflib: parse the file into a ``Graph`` and ask with ``FILTER NOT EXISTS``."""
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD

    graph = Graph()
    graph.parse(str(path), format="nt")
    rows = graph.query(
        NAIVE_UNFULFILLED, initBindings={"asOf": Literal(as_of.isoformat(), datatype=XSD.date)}
    )
    return len(list(rows))


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``func`` once; return the seconds it took and its result."""
    import time

    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result
