"""The collector's thresholds are raised during an answer and put back after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from reviewgraph.analysis.graph import ReviewGraph
from reviewgraph.cli import main
from reviewgraph.collector import THRESHOLDS, fewer_collections


@pytest.fixture(autouse=True)
def _default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_thresholds_come_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == THRESHOLDS
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_disabled_collector_and_higher_thresholds_are_left_alone() -> None:
    gc.set_threshold(0)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    gc.set_threshold(500_000, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (500_000, 10, 10)
    assert gc.get_threshold() == (500_000, 10, 10)


def test_nested_blocks_restore_the_outer_thresholds() -> None:
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_a_command_runs_with_fewer_collections_and_puts_them_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, int, int]] = []
    original = ReviewGraph.gaps

    def gaps(self: ReviewGraph, *args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ReviewGraph, "gaps", gaps)
    result = CliRunner().invoke(main, ["gaps", "--as-of", "2025-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert seen == [THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10)


def test_the_library_analysis_runs_with_fewer_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewgraph.analysis import findings
    from reviewgraph.analysis._demo import demo_dataset

    seen: list[tuple[int, int, int]] = []
    original = findings.find_gaps

    def find_gaps(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return original(*args, **kwargs)

    monkeypatch.setattr("reviewgraph.analysis.graph.find_gaps", find_gaps)
    ReviewGraph.from_dataset(demo_dataset()).gaps(as_of="2023-01-01")
    assert seen == [THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10)
