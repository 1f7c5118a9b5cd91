"""Loading: each store, the naive rdflib parse, and peak memory in a fresh process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ONE_MILLION, rounds
from generate import SIZES

from reviewgraph.io.store import load_files
from reviewgraph.stores import open_store

PROBE = Path(__file__).with_name("probe.py")


def _info(benchmark: Any, label: str, size: str, triples: int, **extra: Any) -> None:
    benchmark.group = "load"
    benchmark.extra_info.update(label=label, size=size, triples=triples, **extra)


def test_load_memory(benchmark: Any, size: str, nt_file: Path, triples: int) -> None:
    if SIZES[size] > ONE_MILLION:
        pytest.skip("the memory store is measured up to 1M triples")
    _info(benchmark, "memory", size, triples)

    def run() -> None:
        load_files(open_store("memory"), [nt_file])

    benchmark.pedantic(run, rounds=rounds(size), iterations=1)


@pytest.mark.parametrize("bulk", [False, True], ids=["atomic", "bulk"])
def test_load_oxigraph(
    benchmark: Any, size: str, nt_file: Path, triples: int, tmp_path: Path, bulk: bool
) -> None:
    _info(benchmark, "oxigraph bulk" if bulk else "oxigraph", size, triples)
    path = tmp_path / "db"

    def fresh() -> tuple[tuple[()], dict[str, Any]]:
        shutil.rmtree(path, ignore_errors=True)
        return (), {}

    def run() -> None:
        with open_store(f"oxigraph:{path}", writable=True) as store:
            load_files(store, [nt_file], bulk=bulk)

    benchmark.pedantic(run, setup=fresh, rounds=rounds(size, 3), iterations=1)


def test_load_rdflib(benchmark: Any, size: str, nt_file: Path, triples: int) -> None:
    if SIZES[size] > ONE_MILLION:
        pytest.skip("rdflib is measured up to 1M triples")
    _info(benchmark, "rdflib", size, triples)

    def run() -> None:
        load_files(open_store("rdflib"), [nt_file])

    benchmark.pedantic(run, rounds=rounds(size, 3), iterations=1)


def test_parse_rdflib_naive(benchmark: Any, size: str, nt_file: Path, triples: int) -> None:
    if SIZES[size] > ONE_MILLION:
        pytest.skip("rdflib is measured up to 1M triples")
    _info(benchmark, "naive rdflib parse", size, triples)

    def run() -> None:
        from rdflib import Graph

        Graph().parse(str(nt_file), format="nt")

    benchmark.pedantic(run, rounds=rounds(size, 3), iterations=1)


def probe(*args: str) -> dict[str, Any]:
    """Run ``probe.py`` in a fresh process; return what it measured."""
    done = subprocess.run(
        [sys.executable, str(PROBE), *args], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("bulk", [False, True], ids=["atomic", "bulk"])
def test_load_oxigraph_fresh_process(
    benchmark: Any, size: str, nt_file: Path, triples: int, tmp_path: Path, bulk: bool
) -> None:
    """What ``reviewgraph load FILE --store oxigraph:PATH`` costs, with its peak memory."""
    benchmark.group = "peak-memory"
    label = "load oxigraph bulk (new process)" if bulk else "load oxigraph (new process)"
    benchmark.extra_info.update(label=label, size=size, triples=triples)
    results: list[dict[str, Any]] = []

    def run() -> None:
        shutil.rmtree(tmp_path / "db", ignore_errors=True)
        extra = ["--bulk"] if bulk else []
        results.append(probe("load-oxigraph", str(tmp_path / "db"), str(nt_file), *extra))

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(
        load_s=round(results[-1]["seconds"], 2),
        triples_per_s=round(triples / results[-1]["seconds"]),
        peak_mib=results[-1]["maxrss_mib"],
        cpu_s=results[-1].get("cpu_seconds"),
        steps=" ".join(f"{k}:{v:.2f}s" for k, v in results[-1].get("steps", {}).items()),
    )


@pytest.mark.parametrize("syntax", ["nt", "ttl"])
def test_load_ratio_to_raw_bulk_load(
    benchmark: Any, size: str, triples: int, tmp_path: Path, syntax: str
) -> None:
    """``reviewgraph load`` against raw pyoxigraph ``bulk_load`` + ``optimize`` of the same
    file into a fresh on-disk store, both in new processes, timed in the same run (the
    issue's gate: at least 0.8x the raw rate)."""
    from common import nt_path, ttl_path

    source = nt_path(size) if syntax == "nt" else ttl_path(size)
    benchmark.group = "load-ratio"
    benchmark.extra_info.update(label=f"load vs raw bulk_load ({syntax})", size=size)
    results: dict[str, dict[str, Any]] = {}

    def run() -> None:
        for op in ("raw-bulk-load", "load-oxigraph"):
            shutil.rmtree(tmp_path / op, ignore_errors=True)
            results[op] = probe(op, str(tmp_path / op), str(source))

    benchmark.pedantic(run, rounds=1, iterations=1)
    raw, ours = results["raw-bulk-load"], results["load-oxigraph"]
    benchmark.extra_info.update(
        raw_s=round(raw["seconds"], 2),
        load_s=round(ours["seconds"], 2),
        ratio=round(raw["seconds"] / ours["seconds"], 2),
        raw_peak_mib=raw["maxrss_mib"],
        load_peak_mib=ours["maxrss_mib"],
        triples=triples,
        steps=" ".join(f"{k}:{v:.2f}s" for k, v in ours.get("steps", {}).items()),
    )
