"""Measure one operation in a fresh process: its own time and the process's peak memory.

``python benchmarks/probe.py OPERATION ARGS...`` prints one JSON line.  Operations:

* ``load-oxigraph PATH FILE [--bulk]``: ``load_files`` into a new on-disk store (with the
  seconds of each step of the store's load: prepare, load, optimize, count, close, publish);
* ``gaps-oxigraph PATH``: open the store read-only, answer ``gaps`` in SPARQL, render JSON;
* ``load-memory FILE``: load into the memory store;
* ``naive FILE``: the naive baseline (rdflib parse + FILTER NOT EXISTS).
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def peak_mib() -> int:
    """This process's peak resident memory in MiB.

    ``VmHWM`` belongs to the process image, so unlike ``ru_maxrss`` (which Linux carries over
    from the parent through ``fork`` and ``exec``) it does not report the benchmark runner's
    own memory.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    op, args = argv[0], argv[1:]
    out: dict[str, object] = {"operation": op}
    if op == "load-oxigraph":
        from reviewgraph.io.store import load_files
        from reviewgraph.stores import open_store

        with open_store(f"oxigraph:{args[0]}", writable=True) as store:
            report = load_files(store, [args[1]], bulk="--bulk" in args)
            steps = getattr(store, "last_load", {})
        out["triples"] = report.triples
        out["steps"] = {step: round(seconds, 3) for step, seconds in steps.items()}
    elif op == "gaps-oxigraph":
        from common import gaps_json

        from reviewgraph.stores import open_store

        with open_store(f"oxigraph:{args[0]}") as store:
            data = gaps_json(store)
        sys.stdout.buffer.write(b"")  # the rendered JSON is not printed, only hashed
        out["sha256"] = hashlib.sha256(data).hexdigest()
        out["bytes"] = len(data)
    elif op == "raw-bulk-load":
        import pyoxigraph as ox

        fmt = ox.RdfFormat.TURTLE if args[1].endswith(".ttl") else ox.RdfFormat.N_TRIPLES
        raw = ox.Store(args[0])
        raw.bulk_load(path=args[1], format=fmt)
        raw.optimize()
        out["triples"] = len(raw)
        del raw
    elif op == "gaps-cli":
        # the command exactly as a user runs it, in this process, its output thrown away
        import contextlib
        import io

        from reviewgraph.cli import main as cli

        argv = ["gaps", "--store", f"oxigraph:{args[0]}", "--as-of", args[1], "--format", "json"]
        raw = io.BytesIO()
        sink = io.TextIOWrapper(raw, encoding="utf-8")
        with contextlib.redirect_stdout(sink):
            cli.main(argv + args[2:], standalone_mode=False)
        sink.flush()
        out["bytes"] = len(raw.getvalue())
    elif op == "gaps-hops":
        # the hops of ``gaps --store``, timed one by one in a fresh process
        clock = time.perf_counter
        hops: dict[str, float] = {}
        mark = clock()
        from reviewgraph.analysis.asof import Index
        from reviewgraph.analysis.graph import ReviewGraph
        from reviewgraph.io.store import read_facts
        from reviewgraph.report.text import render
        from reviewgraph.stores import open_store

        hops["imports"], mark = clock() - started, clock()
        store = open_store(f"oxigraph:{args[0]}")
        hops["open"], mark = clock() - mark, clock()
        facts = read_facts(store)
        hops["read"], mark = clock() - mark, clock()
        graph = ReviewGraph(facts)
        assert isinstance(graph.index, Index)
        hops["index"], mark = clock() - mark, clock()
        result = graph.gaps(as_of=args[1])
        hops["rules"], mark = clock() - mark, clock()
        text = render(result, "json")
        hops["render"] = clock() - mark
        out["hops"] = {k: round(v, 3) for k, v in hops.items()}
        out["bytes"] = len(text.encode("utf-8"))
    elif op == "load-memory":
        from reviewgraph.io.store import load_files
        from reviewgraph.stores import open_store

        out["triples"] = load_files(open_store("memory"), [args[0]]).triples
    elif op == "naive":
        from common import naive_baseline

        out["rows"] = naive_baseline(Path(args[0]))
    else:
        raise SystemExit(f"unknown operation {op!r}")
    out["seconds"] = time.perf_counter() - started
    out["cpu_seconds"] = round(time.process_time(), 2)
    out["maxrss_mib"] = peak_mib()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
