"""The HTML report of generated data: 250 and 1,000 reviews (the target: 1,000 in under 30 s).

Times what ``reviewgraph report`` does after reading: the analysis (gaps, recurrences) and the
page.  The page is one pass over the commitments and findings, so four times the reviews should
take about four times as long.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from generate import generate_reviews

from reviewgraph.analysis import ReviewGraph
from reviewgraph.report.html import render_report

AS_OF = date(2025, 7, 1)
TARGET_SECONDS = 30.0


def _report(graph: ReviewGraph) -> str:
    gaps = graph.gaps(as_of=AS_OF)
    recurring = graph.recurring(as_of=AS_OF)
    return render_report(graph.dataset, gaps, recurring, index=graph.index)


@pytest.mark.parametrize("reviews", [250, 1000])
def test_report(benchmark: Any, reviews: int) -> None:
    dataset = generate_reviews(reviews)
    benchmark.group = "report"
    benchmark.extra_info.update(label="report", size=f"{reviews} reviews")

    def run() -> str:
        return _report(ReviewGraph.from_dataset(dataset))

    started = time.perf_counter()
    page = benchmark.pedantic(run, rounds=1, iterations=1)
    seconds = time.perf_counter() - started
    benchmark.extra_info.update(
        seconds=round(seconds, 2),
        bytes=len(page),
        commitments=len(dataset.commitments),
        reviews=len(dataset.reviews),
    )
    assert len(dataset.reviews) == reviews
    assert page.count('<section class="review"') >= reviews
    if reviews == 1000:
        assert seconds < TARGET_SECONDS, f"{seconds:.1f} s for {reviews} reviews"
