"""Reading and checking a 25 MB one-table CSV tracker and a 25 MB workbook (issue 16).

Targets: under 60 s and under 2 GB peak RSS on the 2-core machine.  Peak RSS is the process's
high-water mark (``resource.getrusage``) after the run, recorded in ``extra_info``.
"""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import pytest

from reviewgraph.io.files import read_dataset

TARGET_MB = 25.0


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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sheet") / "tracker.csv"
    _tracker_csv(path, TARGET_MB)
    return path


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generate import generate_dataset

    from reviewgraph.io.workbook import write_workbook

    path = tmp_path_factory.mktemp("book") / "data.xlsx"
    triples = 400_000
    while True:  # grow until the workbook reaches the target size
        data = write_workbook(generate_dataset(triples))
        if len(data) >= TARGET_MB * 1_000_000 or triples > 20_000_000:
            break
        triples = int(triples * TARGET_MB * 1_000_000 / len(data) * 1.05)
    path.write_bytes(data)
    return path


def test_read_and_check_a_25mb_tracker_csv(benchmark: Any, big_csv: Path) -> None:
    benchmark.group = "spreadsheet"
    benchmark.extra_info["mb"] = round(big_csv.stat().st_size / 1e6, 1)

    def run() -> int:
        return len(read_dataset([big_csv], max_mb=100).dataset)

    benchmark.extra_info["items"] = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["peak_rss_mb"] = round(_peak_mb())


def test_read_and_check_a_25mb_workbook(benchmark: Any, big_workbook: Path) -> None:
    benchmark.group = "spreadsheet"
    benchmark.extra_info["mb"] = round(big_workbook.stat().st_size / 1e6, 1)

    def run() -> int:
        return len(read_dataset([big_workbook], max_mb=100).dataset)

    benchmark.extra_info["items"] = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["peak_rss_mb"] = round(_peak_mb())
