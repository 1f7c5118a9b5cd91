"""The worked examples in docs/ load, validate and round-trip, so the docs cannot go stale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reviewgraph.io.files import read_dataset
from reviewgraph.io.tracker import write_tracker
from reviewgraph.validate import validate_dataset

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
AS_OF = date(2026, 11, 25)


def test_yaml_example_is_valid_and_complete() -> None:
    loaded = read_dataset([EXAMPLES / "review.yaml"])
    report = validate_dataset(loaded, as_of=AS_OF)
    assert report.conforms, [str(p) for p in report.violations]
    ds = loaded.dataset
    assert [r.id for r in ds.recommendations] == ["demo-review-2023/1", "demo-review-2023/2"]
    # the shorthand "2" in a response answering one review resolves to its recommendation
    assert [s.recommendation for s in ds.stances] == ["demo-review-2023/2"]
    targets = sorted(d.target.text for d in ds.due_dates)
    assert targets == ["by December 2023", "summer 2024"]
    assert ds.reviews[0].alternatives[0].field == "stated_recommendations"


def test_turtle_example_is_the_yaml_example() -> None:
    from_yaml = read_dataset([EXAMPLES / "review.yaml"]).dataset
    from_turtle = read_dataset([EXAMPLES / "review.ttl"]).dataset
    assert from_turtle == from_yaml


def test_tracker_example_round_trips_to_canonical_labels() -> None:
    loaded = read_dataset([EXAMPLES / "tracker.csv"])
    report = validate_dataset(loaded, as_of=AS_OF)
    assert report.conforms, [str(p) for p in report.violations]
    ds = loaded.dataset
    assert {s.stance.value for s in ds.stances} == {"accepted", "not-accepted"}
    assert {c.status.value for c in ds.status_claims} == {"delivered", "in-progress"}
    written = write_tracker(ds)
    original = (EXAMPLES / "tracker.csv").read_text(encoding="utf-8")
    # tracker labels (Supported, Closed-implemented) come back as rg's own labels
    canonical = (
        original.replace(",Accepted,", ",accepted,")
        .replace(",Supported,", ",accepted,")
        .replace(",Not accepted,", ",not accepted,")
        .replace(",Closed-implemented,", ",delivered,")
        .replace(",In progress,", ",in progress,")
    )
    assert written == canonical


def test_canonical_tracker_is_a_fixed_point(tmp_path: Path) -> None:
    first = write_tracker(read_dataset([EXAMPLES / "tracker.csv"]).dataset)
    path = tmp_path / "again.csv"
    path.write_text(first, encoding="utf-8")
    assert write_tracker(read_dataset([path]).dataset) == first
