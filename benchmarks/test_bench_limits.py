"""Every command at the input limit: one file of each data format, just under the 25 MB
``--max-input-mb`` default, through ``validate``, ``gaps`` and ``report`` (issue 18,
"Benchmarks at the limits").

The budget is 60 s and 2 GB per command on the 2-core machine.  Each command runs in a new
process (the command line's own ``main``, in a small wrapper that writes the process's peak
RSS, ``VmHWM``, at exit), with a time limit of ``RG_LIMITS_TIMEOUT`` seconds (default 600);
``extra_info`` records its wall seconds, its CPU seconds (``wait4``'s user + system time), its
peak RSS, its exit code and the machine's load.  The budget is checked only softly: a run over
it, or one stopped at the time limit, is a figure (``within_budget: false``, ``timed_out``), not
a failure.  A test fails only when a command ends in a way that is neither a result nor a
refusal at a documented limit (the input size, the YAML value cap, the report size):
``validate`` exits 1 when the data has violations (the
one-table CSV cannot hold every citation, so its read-back has some), and a file over one of
the limits of docs/reliability.md is refused with exit 2 (a 25 MB YAML file of this data has
more than the 1,000,000 values a YAML document may expand to, so ``yaml-max-values`` adds the
largest YAML file under that cap).

The inputs are made from :func:`generate.generate_dataset` by the package's own writers
(``export`` for Turtle, N-Triples, framed JSON-LD, the tracker CSV and the workbook; YAML, which
the package reads but does not write, as the nested sections the reader takes), sized by
trial to between 98% and 100% of the limit, in a child process (the workbook takes minutes and
gigabytes), and cached in the benchmarks' data folder under the generator's hash.  Each row of
figures is also appended to ``limits-results.jsonl`` in that folder.  Marked ``slow``::

    env -u PYTHONDONTWRITEBYTECODE pytest benchmarks/test_bench_limits.py --benchmark-only \\
        -m slow -k 'nt or ttl'
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from reviewgraph.io.files import DEFAULT_MAX_INPUT_MB
from reviewgraph.io.yamldoc import MAX_NODES

pytestmark = pytest.mark.slow

LIMIT_BYTES = int(DEFAULT_MAX_INPUT_MB * 1_000_000)
"""The largest file the default ``--max-input-mb`` accepts (a larger one is refused)."""
LOWEST = 0.98
"""An input is at least this share of its limit."""
BUDGET_S = 60.0
BUDGET_MB = 2000.0
TIMEOUT_S = float(os.environ.get("RG_LIMITS_TIMEOUT", "600"))
AS_OF = "2025-07-01"
INPUT_VERSION = 1
"""Bump when a writer below changes, so that cached inputs are made again."""

INPUTS = {
    "yaml": ".yaml",
    "yaml-max-values": ".yaml",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "ttl": ".ttl",
    "nt": ".nt",
    "jsonld": ".jsonld",
}
"""Each input by name, with its file ending (``yaml-max-values``: the largest YAML file whose
values stay within the YAML cap, :data:`reviewgraph.io.yamldoc.MAX_NODES`)."""

COMMANDS = ("validate", "gaps", "report")

REFUSALS = ("MB input limit", "the document expands to more than", "(--max-report-mb)")
"""What the one-line messages of the documented input limits a run may meet say."""


def _bench(name: str) -> Any:
    """A module of the benchmarks folder (``generate``, ``common``), imported at run time:
    mypy is not led into ``generate.py``, whose ``type: ignore`` comments it refuses."""
    return importlib.import_module(name)


# --------------------------------------------------------------------------- inputs


def _plain(value: Any) -> Any:
    """A dumped model's value as YAML gives it: a date range as its text."""
    if isinstance(value, dict):
        if set(value) == {"text", "earliest", "latest"}:
            return value["text"]
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _entry(item: Any, implied: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = _plain(
        item.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    )
    if implied is not None:
        entry.pop(implied, None)  # given by the section the entry is nested in
    return entry


def yaml_document(dataset: Any) -> dict[str, Any]:
    """A dataset as one YAML document of the reader's sections: recommendations nested in
    their reviews, stances in their responses, due dates and status claims in their
    commitments, everything else in its own top-level list."""
    nested: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for collection, parent in (
        ("recommendations", "review"),
        ("stances", "response"),
        ("due_dates", "commitment"),
        ("status_claims", "about"),
    ):
        by_parent = nested.setdefault(collection, {})
        for item in getattr(dataset, collection):
            by_parent.setdefault(getattr(item, parent), []).append(_entry(item, parent))

    def section(collection: str, children: dict[str, str]) -> list[dict[str, Any]]:
        out = []
        for item in getattr(dataset, collection):
            entry = _entry(item)
            for kind, key in children.items():
                if item.id in nested[kind]:
                    entry[key] = nested[kind][item.id]
            out.append(entry)
        return out

    doc: dict[str, Any] = {}
    for collection in ("sources", "bodies", "people", "themes"):
        doc[collection] = section(collection, {})
    doc["reviews"] = section("reviews", {"recommendations": "recommendations"})
    doc["responses"] = section("responses", {"stances": "stances"})
    doc["commitments"] = section(
        "commitments", {"due_dates": "due_dates", "status_claims": "status"}
    )
    for collection in ("deliverables", "links", "body_changes", "elections"):
        doc[collection] = section(collection, {})
    return {k: v for k, v in doc.items() if v}


def count_values(value: Any) -> int:
    """How many values a parsed YAML document holds, counted as
    :func:`reviewgraph.io.yamldoc.parse_yaml` counts them against its cap (every scalar,
    list and mapping, keys apart)."""
    if isinstance(value, dict):
        return 1 + sum(count_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_values(v) for v in value)
    return 1


def write_yaml(dataset: Any) -> tuple[bytes, int]:
    """A dataset as YAML text (no anchors or aliases), and how many values it holds."""
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[valid-type,misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    doc = yaml_document(dataset)
    text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return text.encode("utf-8"), count_values(doc)


def write_input(name: str, dataset: Any) -> tuple[bytes, int | None]:
    """The bytes of an input made from a dataset (and, for YAML, its number of values)."""
    if name.startswith("yaml"):
        return write_yaml(dataset)
    from reviewgraph.io.export import export_dataset

    return export_dataset(dataset, name), None


def _fits(name: str, size: int, values: int | None) -> float:
    """How full an input is, against its binding limit (1.0 is at the limit)."""
    if name == "yaml-max-values":
        assert values is not None
        return values / MAX_NODES
    return size / LIMIT_BYTES


def make_input(name: str, path: Path) -> dict[str, Any]:
    """Write the input ``name`` to ``path``, at 98-100% of its limit; return what it holds.

    The number of triples to generate is found by trial: a small probe, then proportional
    steps from the last size, since every writer's output grows about linearly with the data.
    """
    generate = _bench("generate")
    started = time.perf_counter()
    triples, trials = 50_000, []
    while True:
        dataset = generate.generate_dataset(triples)
        data, values = write_input(name, dataset)
        full = _fits(name, len(data), values)
        trials.append({"triples_asked": triples, "bytes": len(data), "full": round(full, 4)})
        if LOWEST <= full <= 1.0 and len(data) <= LIMIT_BYTES:
            break
        if len(trials) > 8:
            raise RuntimeError(f"{name}: no size between {LOWEST} and 1.0 of the limit: {trials}")
        triples = max(1_000, int(triples * (LOWEST + 1.0) / 2 / full))
        del dataset, data
    sink = generate.TriplesSink()
    from reviewgraph.rdf.mapping import to_graph

    to_graph(dataset, graph=sink)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    meta = {
        "input": name,
        "bytes": len(data),
        "mb": round(len(data) / 1e6, 2),
        "items": len(dataset),
        "triples": sink.count,
        "yaml_values": values,
        "made_s": round(time.perf_counter() - started, 1),
        "trials": trials,
    }
    path.with_name(path.name + ".json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta


@cache
def limit_input(name: str) -> tuple[Path, dict[str, Any]]:
    """The cached input ``name`` and what it holds, made in a child process on first use."""
    common = _bench("common")
    folder: Path = common.data_dir()
    path = folder / (
        f"limits-{name}-{DEFAULT_MAX_INPUT_MB:g}mb-{common._generator_hash()}-v{INPUT_VERSION}"
        f"{INPUTS[name]}"
    )
    meta_path = path.with_name(path.name + ".json")
    if not (path.is_file() and meta_path.is_file()):
        subprocess.run([sys.executable, __file__, "make", name, str(path)], check=True)
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    return path, meta


# --------------------------------------------------------------------------- runs

_CHILD = """
import atexit, os, sys

def _peak():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    with open(os.environ["RG_LIMITS_PEAK_FILE"], "w") as out:
                        out.write(line.split()[1])
    except OSError:
        pass

atexit.register(_peak)
from reviewgraph.cli import main
main(prog_name="reviewgraph")
"""
"""The command line, as the ``reviewgraph`` script runs it, writing its own peak RSS (kB) at
exit (``ru_maxrss`` of a child can hold its parent's high-water mark, carried over ``exec``)."""


def command_args(command: str, data: Path, out: Path) -> list[str]:
    """The arguments of one command on one file (its output written under ``out``)."""
    if command == "validate":
        return ["validate", str(data)]
    if command == "gaps":
        target = out / "gaps.json"
        return ["gaps", str(data), "--as-of", AS_OF, "--format", "json", "-o", str(target)]
    if command == "report":
        return ["report", str(data), "--as-of", AS_OF, "-o", str(out / "report.html")]
    raise ValueError(command)


def run_measured(args: list[str], folder: Path, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """Run the command line with ``args`` in a new process; return its figures.

    The process (in a session of its own) is killed at ``timeout`` seconds; its standard
    output and error are kept in ``folder``.
    """
    peak_file = folder / "peak-kb.txt"
    peak_file.unlink(missing_ok=True)
    env = {**os.environ, "RG_LIMITS_PEAK_FILE": str(peak_file)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed command starts from its bytecode
    load = os.getloadavg()
    with (folder / "stdout.txt").open("wb") as out, (folder / "stderr.txt").open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, *args],
            stdout=out,
            stderr=err,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if not timed_out and time.perf_counter() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                timed_out = True
            time.sleep(0.02)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    try:
        peak_mb = int(peak_file.read_text()) * 1024 / 1e6
        peak_source = "VmHWM"
    except (OSError, ValueError):
        peak_mb, peak_source = usage.ru_maxrss * 1024 / 1e6, "ru_maxrss"
    return {
        "exit_code": process.returncode,
        "timed_out": timed_out,
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "user_s": round(usage.ru_utime, 2),
        "system_s": round(usage.ru_stime, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_source": peak_source,
        "ru_maxrss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1),
        "load_before": [round(x, 2) for x in load],
        "stdout_tail": (folder / "stdout.txt").read_text(errors="replace")[-600:],
        "stderr_tail": (folder / "stderr.txt").read_text(errors="replace")[-600:],
    }


def outcome(command: str, got: dict[str, Any]) -> str:
    """``ok``, ``violations`` (validate's exit 1), ``refused`` (a documented limit's one-line
    refusal, exit 2), ``timeout``, or ``error`` (anything else: the test fails)."""
    code, err = got["exit_code"], got["stderr_tail"]
    if got["timed_out"]:
        return "timeout"
    if code == 0:
        return "ok"
    if code == 1 and command == "validate" and "Traceback" not in err:
        return "violations"
    if code == 2 and "Traceback" not in err and any(r in err for r in REFUSALS):
        return "refused"
    return "error"


def _items_read(stdout: str) -> int | None:
    """The item count ``validate`` prints in its last line (``1 file(s), N item(s): ...``)."""
    for line in reversed(stdout.splitlines()):
        if " item(s)" in line:
            return int(line.split(" item(s)")[0].rsplit(" ", 1)[-1].replace(",", ""))
    return None


def _record(row: dict[str, Any]) -> None:
    common = _bench("common")
    with (common.data_dir() / "limits-results.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, default=str) + "\n")


@pytest.mark.parametrize(
    ("name", "command"),
    [(name, command) for name in INPUTS for command in COMMANDS],
    ids=[f"{name}-{command}" for name in INPUTS for command in COMMANDS],
)
def test_command_at_the_input_limit(
    benchmark: Any, tmp_path: Path, name: str, command: str
) -> None:
    path, meta = limit_input(name)
    benchmark.group = "limits"
    benchmark.extra_info.update(
        label=f"{command} {name}",
        size=f"{meta['mb']} MB",
        mb=meta["mb"],
        items=meta["items"],
        triples=meta["triples"],
        yaml_values=meta["yaml_values"],
    )
    got: dict[str, Any] = {}

    def run() -> None:
        got.update(run_measured(command_args(command, path, tmp_path), tmp_path))

    benchmark.pedantic(run, rounds=1, iterations=1)
    result = outcome(command, got)
    within = not got["timed_out"] and got["wall_s"] <= BUDGET_S and got["peak_rss_mb"] <= BUDGET_MB
    figures = {k: v for k, v in got.items() if not k.endswith("_tail")}
    benchmark.extra_info.update(
        figures,
        outcome=result,
        within_budget=within,
        wall=f">{TIMEOUT_S:g} s" if got["timed_out"] else f"{got['wall_s']} s",
    )
    if command == "validate":
        benchmark.extra_info["items_read"] = _items_read(got["stdout_tail"])
    for output in ("gaps.json", "report.html"):
        if (tmp_path / output).is_file():
            benchmark.extra_info["output_bytes"] = (tmp_path / output).stat().st_size
    _record(
        {
            "input": name,
            "command": command,
            "at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            **dict(benchmark.extra_info),
            "stderr_tail": got["stderr_tail"][-300:] if result != "ok" else "",
        }
    )
    assert result != "error", f"{command} {path.name}: exit {got['exit_code']}\n{got}"


def main(argv: list[str]) -> int:
    """``python benchmarks/test_bench_limits.py make NAME PATH``: write one input (the child
    process :func:`limit_input` starts)."""
    if len(argv) != 3 or argv[0] != "make" or argv[1] not in INPUTS:
        raise SystemExit(f"usage: make {{{','.join(INPUTS)}}} PATH")
    meta = make_input(argv[1], Path(argv[2]))
    print(json.dumps(meta), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
