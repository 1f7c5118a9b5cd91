"""pytest-benchmark set-up: sizes, cached data and stores, and the end-of-run summary.

Run (from the repository root)::

    pytest benchmarks --benchmark-only --benchmark-json=benchmarks/results.json
    RG_BENCH_SIZES=10k,100k,1m pytest benchmarks --benchmark-only   # add 1M triples

After the run, the summary (ratios, triples per second, peak memory, and the scaling check,
which flags any benchmark whose time grows more than ``RG_BENCH_MAX_GROWTH`` (default 15) times
from 10k to 100k, against about 10 times more data) is printed and written to
``benchmarks/summary.json`` and ``benchmarks/summary.md``.  With ``RG_BENCH_STRICT=1`` a
flagged benchmark fails the run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from common import count_lines, data_dir, nt_path, sizes
from generate import SIZES, generate_dataset

from reviewgraph.io.store import load_files
from reviewgraph.models import Dataset
from reviewgraph.stores import ANNOTATIONS_GRAPH, Store, open_endpoint, open_store

HERE = Path(__file__).parent
MAX_GROWTH = float(os.environ.get("RG_BENCH_MAX_GROWTH", "15"))
ONE_MILLION = SIZES["1m"]


def rounds(size: str, small: int = 5) -> int:
    """How many rounds to time at a size (fewer for the big ones)."""
    n = SIZES[size]
    return small if n <= 10_000 else 3 if n <= 100_000 else 1


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give every test that takes ``size`` each configured size (smallest first)."""
    given = [m.args[0] for m in metafunc.definition.iter_markers("parametrize")]
    if "size" in metafunc.fixturenames and not any("size" in str(a) for a in given):
        metafunc.parametrize("size", sizes(), scope="session")


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="session")
def nt_file(size: str) -> Path:
    """The generated N-Triples file of this size."""
    return nt_path(size)


@pytest.fixture(scope="session")
def triples(nt_file: Path) -> int:
    """The number of triples in the file."""
    return count_lines(nt_file)


@pytest.fixture(scope="session")
def dataset(size: str) -> Dataset:
    """The same data as models (for validation, exports and the NetworkX projection)."""
    if SIZES[size] > ONE_MILLION:
        pytest.skip("models are built only up to 1M triples")
    return generate_dataset(SIZES[size])


@pytest.fixture(scope="session")
def memory_store(size: str, nt_file: Path) -> Store:
    """The default store (Oxigraph in memory), loaded."""
    if SIZES[size] > ONE_MILLION:
        pytest.skip("the memory store is measured up to 1M triples")
    store = open_store("memory")
    load_files(store, [nt_file])
    return store


@pytest.fixture(scope="session")
def rdflib_store(size: str, nt_file: Path) -> Store:
    """rdflib's own memory store, loaded."""
    if SIZES[size] > ONE_MILLION:
        pytest.skip("rdflib is measured up to 1M triples")
    store = open_store("rdflib")
    load_files(store, [nt_file])
    return store


@pytest.fixture(scope="session")
def disk_path(nt_file: Path) -> Path:
    """An Oxigraph store on disk holding the file, loaded once and kept between runs."""
    path = data_dir() / f"store-{nt_file.stem}"
    if not (path / "store.json").exists():
        shutil.rmtree(path, ignore_errors=True)
        with open_store(f"oxigraph:{path}", writable=True) as store:
            load_files(store, [nt_file])
    return path


@pytest.fixture(scope="session")
def disk_store(disk_path: Path) -> Iterator[Store]:
    """The on-disk store, opened read-only (as commands that only read open it)."""
    with open_store(f"oxigraph:{disk_path}") as store:
        yield store


def oxigraph_executable() -> str | None:
    """The Oxigraph server executable (the ``oxigraph`` PyPI package), if installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on a free loopback port, for the endpoint store."""
    executable = oxigraph_executable()
    if executable is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("server")
    process = subprocess.Popen(
        [executable, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def endpoint_store(size: str, nt_file: Path, server: str) -> Store:
    """The Oxigraph server as a SPARQL endpoint, holding this size under its own graph IRI."""
    if SIZES[size] > 100_000:
        pytest.skip("the endpoint is measured up to 100k triples")
    store = open_endpoint(
        f"{server}/query",
        update_url=f"{server}/update",
        gsp_url=f"{server}/store",
        graph=f"https://example.org/bench/{size}/",
    )
    if not set(store.graphs()) - {ANNOTATIONS_GRAPH}:
        load_files(store, [nt_file], bulk=True)
    return store


# --------------------------------------------------------------------------- summary


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    from importlib.metadata import version

    for package in ("pyoxigraph", "rdflib", "networkx", "pyshacl", "pytest-benchmark"):
        try:
            info[package] = version(package)
        except Exception:
            pass
    return info


def _rows(config: pytest.Config) -> list[dict[str, Any]]:
    session = getattr(config, "_benchmarksession", None)
    rows = []
    for bench in getattr(session, "benchmarks", []) or []:
        stats = bench.stats
        extra = dict(bench.extra_info)
        rows.append(
            {
                "group": bench.group or "",
                "name": bench.name,
                "label": extra.pop("label", bench.name),
                "size": extra.pop("size", ""),
                "median_s": stats.median,
                "min_s": stats.min,
                "rounds": stats.rounds,
                **extra,
            }
        )
        if rows[-1]["group"] == "load" and extra.get("triples") and stats.median:
            rows[-1]["triples_per_s"] = round(extra["triples"] / stats.median)
    return rows


def _ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by = {(r["group"], r["label"], r["size"]): r["median_s"] for r in rows}
    pairs = [
        (
            "gaps end to end: naive baseline / memory (SPARQL)",
            "gaps",
            "naive baseline",
            "memory (SPARQL)",
        ),
        (
            "gaps end to end: naive baseline / files (Python)",
            "gaps",
            "naive baseline",
            "files (Python)",
        ),
        ("gaps query: rdflib / memory", "gaps-query", "rdflib", "memory"),
        ("gaps query: oxigraph disk / memory", "gaps-query", "oxigraph", "memory"),
        (
            "unfulfilled: naive FILTER NOT EXISTS on rdflib / OPTIONAL on memory",
            "unfulfilled",
            "rdflib naive",
            "memory",
        ),
        (
            "unfulfilled: FILTER NOT EXISTS / OPTIONAL, both on memory",
            "unfulfilled",
            "memory naive",
            "memory",
        ),
        ("load: rdflib / memory", "load", "rdflib", "memory"),
        ("load: naive rdflib parse / memory", "load", "naive rdflib parse", "memory"),
        (
            "NetworkX projection: from models / from memory SPARQL",
            "projection",
            "to_networkx(models)",
            "memory SELECT edges",
        ),
    ]
    out = []
    for title, group, slow, fast in pairs:
        for size in dict.fromkeys(r["size"] for r in rows):
            a, b = by.get((group, slow, size)), by.get((group, fast, size))
            if a and b:
                out.append({"ratio": title, "size": size, "value": a / b})
    return out


def _scaling(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((r["group"], r["label"]), {})[r["size"]] = r
    out = []
    for (group, label), per in sorted(by.items()):
        small, large = per.get("10k"), per.get("100k")
        if not small or not large or small["median_s"] <= 0:
            continue
        growth = large["median_s"] / small["median_s"]
        data = (large.get("triples") or 100_000) / (small.get("triples") or 10_000)
        out.append(
            {
                "group": group,
                "label": label,
                "growth": growth,
                "data_growth": data,
                "flagged": growth > MAX_GROWTH and large["median_s"] > 0.05,
            }
        )
    return out


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        "| group | benchmark | size | median | rows / triples | extra |",
        "|---|---|---|---:|---:|---|",
    ]
    for r in summary["results"]:
        extra = ", ".join(
            f"{k}={v}"
            for k, v in r.items()
            if k
            not in {
                "group",
                "name",
                "label",
                "size",
                "median_s",
                "min_s",
                "rounds",
                "rows",
                "triples",
            }
        )
        count = r.get("rows", r.get("triples", ""))
        lines.append(
            f"| {r['group']} | {r['label']} | {r['size']} | {r['median_s'] * 1000:,.1f} ms "
            f"| {count} | {extra} |"
        )
    lines += ["", "| ratio | size | value |", "|---|---|---:|"]
    lines += [f"| {r['ratio']} | {r['size']} | {r['value']:,.1f}x |" for r in summary["ratios"]]
    lines += ["", "| scaling 10k -> 100k | growth | flagged |", "|---|---:|---|"]
    for s in summary["scaling"]:
        flag = "**yes**" if s["flagged"] else ""
        lines.append(f"| {s['group']}: {s['label']} | {s['growth']:,.1f}x | {flag} |")
    return "\n".join(lines) + "\n"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the summary and apply the scaling check."""
    rows = _rows(session.config)
    if not rows:
        return
    summary = {
        "machine": _machine(),
        "sizes": sizes(),
        "results": rows,
        "ratios": _ratios(rows),
        "scaling": _scaling(rows),
    }
    (HERE / "summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n")
    (HERE / "summary.md").write_text(_markdown(summary))
    session.config._rg_summary = summary  # type: ignore[attr-defined]
    flagged = [s for s in summary["scaling"] if s["flagged"]]
    if flagged and os.environ.get("RG_BENCH_STRICT") == "1":
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print the ratios and the scaling check after pytest-benchmark's tables."""
    summary = getattr(config, "_rg_summary", None)
    if not summary:
        return
    write = terminalreporter.write_line
    terminalreporter.section("reviewgraph: ratios")
    for r in summary["ratios"]:
        write(f"{r['ratio']} [{r['size']}]: {r['value']:,.1f}x")
    terminalreporter.section("reviewgraph: scaling check (10k -> 100k)")
    for s in summary["scaling"]:
        mark = "FLAG " if s["flagged"] else "     "
        write(
            f"{mark}{s['group']}: {s['label']}: {s['growth']:,.1f}x (data {s['data_growth']:.1f}x)"
        )
    write("written: benchmarks/summary.json, benchmarks/summary.md")
