"""The one-table CSV export says what it cannot hold, in its header comment and on stderr,
and says nothing when it holds everything (issue #16: never silently dropped)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.io.tracker import comment_lines, tracker_losses, write_tracker

TWO_OF_EACH = """\
sources:
  - id: src-a
    url: https://example.org/a
bodies:
  - id: dhsc
    name: Department of Health and Social Care
review:
  id: demo-2024
  title: A demo review
  kind: audit report
  published: 2024-03-14
  citations: [{source: src-a}]
  recommendations:
    - label: "1"
      summary: Do the thing.
      addressees: [dhsc]
      citations: [{source: src-a}]
responses:
  - id: reply-1
    by: dhsc
    date: 2024-05-01
    answers: [demo-2024]
    citations: [{source: src-a}]
    stances:
      - recommendation: demo-2024/1
        stance: accepted in principle
  - id: reply-2
    by: dhsc
    date: 2024-09-01
    answers: [demo-2024]
    citations: [{source: src-a}]
    stances:
      - recommendation: demo-2024/1
        stance: accepted
commitments:
  - id: c-first
    summary: Write the plan.
    owner: dhsc
    made_on: 2024-05-01
    answers: [demo-2024/1]
    citations: [{source: src-a}]
  - id: c-second
    summary: Carry the plan out.
    owner: dhsc
    made_on: 2024-09-01
    answers: [demo-2024/1]
    citations: [{source: src-a}]
links:
  - type: extends
    from: c-second
    to: c-first
    basis: stated
    citations: [{source: src-a}]
"""


def _dataset(tmp_path: Path, text: str = TWO_OF_EACH) -> object:
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    return read_dataset([tmp_path / "d.yaml"]).dataset


def test_each_kind_of_loss_is_named_with_its_count(tmp_path: Path) -> None:
    losses = tracker_losses(_dataset(tmp_path))  # type: ignore[arg-type]
    said = "\n".join(losses)
    assert "1 of 2 stances" in said  # only the latest stance is a row
    assert "1 of 2 commitments" in said  # only the first commitment
    assert "all 1 links" in said
    assert "kind (all 1)" in said  # the review's kind has no column
    assert "by (all 2)" in said  # nor the responder


def test_the_table_starts_with_the_losses_as_comments_and_still_reads(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path)
    text = write_tracker(dataset)  # type: ignore[arg-type]
    said = comment_lines(text)
    assert said[0].startswith("This one-table CSV cannot hold everything")
    assert said[1:] == tracker_losses(dataset)  # type: ignore[arg-type]
    first_row = next(line for line in text.splitlines() if not line.startswith("#"))
    assert first_row.startswith("review_id,review_title")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    again = read_dataset([tmp_path / "t.csv"]).dataset
    assert [s.stance.value for s in again.stances] == ["accepted"]


def test_a_table_that_holds_everything_says_nothing(tmp_path: Path) -> None:
    csv = (
        "review_id,review_title,review_date,rec_label,stance,stance_date,stance_source\n"
        "r-1,A review,2024-01,1,accepted,2024-03,https://example.org/s\n"
    )
    (tmp_path / "t.csv").write_text(csv, encoding="utf-8")
    dataset = read_dataset([tmp_path / "t.csv"]).dataset
    assert tracker_losses(dataset) == []
    assert not write_tracker(dataset).startswith("#")


def test_export_says_the_losses_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(TWO_OF_EACH, encoding="utf-8")
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(
        main, ["export", str(tmp_path / "d.yaml"), "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert "warning: 1 of 2 commitments" in "\n".join(warned)
    assert len(warned) == len(comment_lines(out.read_text(encoding="utf-8")))
