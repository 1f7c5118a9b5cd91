"""Reading and checking a 25 MB one-table CSV tracker and a 25 MB workbook (issue 16).

Targets: under 60 s and under 2 GB peak RSS on the 2-core machine.  Each run records, in
``extra_info``, its CPU time (``time.process_time``: the figure to trust on a shared machine),
its wall time, and its peak RSS (``VmHWM``), each of a fresh process that reads
and checks the file (the imports included, as a command would), never of the data's making.

Marked ``slow``: making the 25 MB workbook takes minutes and 2 GB (it is cached between runs
in the benchmarks' data folder), so the default selection leaves these out::

    pytest benchmarks/test_bench_spreadsheet.py --benchmark-only -m slow -k csv
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TARGET_MB = 25.0

pytestmark = pytest.mark.slow


def _tracker_csv(path: Path, megabytes: float) -> int:
    """A tracker built like a real one (owners, due dates, dated status rows), to a size."""
    header = (
        "review_id,review_title,review_date,rec_label,rec_summary,addressees,stance,"
        "stance_date,stance_source,commitment,owner,due_date,status,status_date,"
        "status_assessor,assessor_role,status_source\n"
    )
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        size = len(header)
        while size < megabytes * 1_000_000:
            review, rec = divmod(rows, 200)
            owner = f"Department number {rec % 40}"
            line = (
                f"rev-{review},Review number {review},2019-0{1 + review % 9},{rec},"
                f"Recommendation {rec} of review {review}: make the service safer.,{owner},"
                f"accepted,2019-11,https://example.org/r/{review},,{owner},2021-0{1 + rec % 9},"
                f"in progress,2022-03,{owner},owner,https://example.org/s/{review}/{rec}\n"
            )
            out.write(line)
            size += len(line)
            rows += 1
    return rows


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sheet") / "tracker.csv"
    _tracker_csv(path, TARGET_MB)
    return path


@pytest.fixture(scope="module")
def big_workbook() -> Path:
    """A workbook of generated data (every sheet), grown to the target size; cached."""
    from common import _generator_hash, data_dir
    from generate import generate_dataset

    from reviewgraph.io.workbook import write_workbook

    path = data_dir() / f"workbook-{TARGET_MB:g}mb-{_generator_hash()}.xlsx"
    if path.is_file():
        return path
    triples = 400_000
    while True:  # grow until the workbook reaches the target size (twice is enough)
        data = write_workbook(generate_dataset(triples))
        if len(data) >= TARGET_MB * 1_000_000 or triples > 20_000_000:
            break
        triples = int(triples * TARGET_MB * 1_000_000 / len(data) * 1.05)
    path.write_bytes(data)
    return path


_CHILD = """
import json, resource, sys, time
cpu, wall = time.process_time(), time.perf_counter()
from reviewgraph.io.files import read_dataset
items = len(read_dataset([sys.argv[1]], max_mb=100).dataset)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
try:  # this process's own high-water mark (ru_maxrss keeps the parent's across fork and exec)
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak = int(status.split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"items": items, "cpu_s": cpu, "wall_s": wall, "peak_rss_mb": peak}))
"""


def _measure(benchmark: Any, path: Path) -> None:
    """Read and check one file in a fresh process (imports included, as a command would),
    so that its peak RSS is its own, not the data generator's."""
    benchmark.group = "spreadsheet"
    benchmark.extra_info["mb"] = round(path.stat().st_size / 1e6, 1)
    got: dict[str, Any] = {}

    def run() -> None:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True
        )
        got.update(json.loads(done.stdout))

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update({k: round(v, 1) for k, v in got.items()})
    assert got["cpu_s"] < 60 and got["peak_rss_mb"] < 2000, got


def test_read_and_check_a_25mb_tracker_csv(benchmark: Any, big_csv: Path) -> None:
    _measure(benchmark, big_csv)


def test_read_and_check_a_25mb_workbook(benchmark: Any, big_workbook: Path) -> None:
    _measure(benchmark, big_workbook)
