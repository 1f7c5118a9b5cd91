"""The aged care royal commission example (examples/aged-care-royal-commission/) validates and
gives the answers docs/tutorial-spreadsheet.md describes.

Every expectation below was written by hand from the encoded data and the sources it cites:
which recommendations carry a stance, which claims the Government and the Inspector-General of
Aged Care made, and on which dates.  None is copied from the program's output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewgraph.analysis import ReviewGraph
from reviewgraph.cli import main
from reviewgraph.io.files import Loaded, read_dataset
from reviewgraph.validate import validate_dataset
from reviewgraph.vocab.concepts import AssessorRole

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "aged-care-royal-commission"
PAGE = ROOT / "docs" / "tutorial-spreadsheet.md"
REVIEW = "acqs-rc-2021"
AS_OF = "2025-10-01"

# The four recommendations a source read gives a stance for: three in the response of
# 11 May 2021, the levy in the Government's position of 11 March 2024.
ANSWERED = {
    f"{REVIEW}/1": "accepted",
    f"{REVIEW}/77": "accepted-in-principle",
    f"{REVIEW}/86": "accepted",
    f"{REVIEW}/aged-care-levy": "not-accepted",
}


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return read_dataset([DATA])


@pytest.fixture(scope="module")
def rg(loaded: Loaded) -> ReviewGraph:
    return ReviewGraph.from_dataset(loaded.dataset)


def test_validates_with_no_violations(loaded: Loaded) -> None:
    report = validate_dataset(loaded, as_of=date(2026, 12, 4))
    assert report.violations == []
    # the only warnings are recommendations whose addressee no source read names
    assert report.warnings
    assert all("no addressee" in w.message for w in report.warnings)


def test_the_review_and_its_recommendations(loaded: Loaded) -> None:
    ds = loaded.dataset
    (review,) = ds.reviews
    assert review.id == REVIEW
    assert review.stated_recommendations == 148
    assert review.published is not None and review.published.text == "2021-03-01"
    recs = [r for r in ds.recommendations if r.review == REVIEW]
    numbered = {r.label for r in recs if not r.is_theme}
    assert {"1", "12", "77", "86", "148"} <= numbered
    assert len(numbered) == 22
    assert len(recs) == 31
    assert all(int(label) <= 148 for label in numbered)


def test_every_item_is_cited_with_an_access_date(loaded: Loaded) -> None:
    ds = loaded.dataset
    sources = {s.id: s for s in ds.sources}
    cited = [
        *ds.reviews,
        *ds.recommendations,
        *ds.responses,
        *ds.stances,
        *ds.commitments,
        *ds.due_dates,
        *ds.status_claims,
        *ds.deliverables,
    ]
    for item in cited:
        assert item.citations, f"{item.id} has no citation"
        for citation in item.citations:
            assert citation.accessed == date(2026, 12, 4), item.id
            assert citation.locator, item.id
            source = sources[citation.source]
            assert source.url is not None
            assert source.url.startswith(("https://", "http://"))
            assert source.title


def test_stances_as_encoded(rg: ReviewGraph) -> None:
    for rec, value in ANSWERED.items():
        choice = rg.index.stance_as_of(rec, date(2025, 10, 1))
        assert choice is not None and choice.value == value, rec
    # the levy had no stance before the Government's position of 11 March 2024
    assert rg.index.stance_as_of(f"{REVIEW}/aged-care-levy", date(2024, 3, 1)) is None


def test_contested_lists_the_new_act_after_the_inspector_generals_report(
    rg: ReviewGraph,
) -> None:
    rows = rg.contested(as_of=AS_OF).rows
    assert [r.commitment for r in rows] == ["new-aged-care-act"]
    (row,) = rows
    # the Government's latest claim in the window: the minister's speech of 24 July 2025
    assert row.owner_side.assessor == "sam-rae"
    assert row.owner_side.status == "in-progress"
    assert row.owner_bucket == "open"
    # the Inspector-General's 2025 progress report, released 4 September 2025
    assert row.independent.assessor == "igac"
    assert row.independent.role == AssessorRole.INDEPENDENT_SCRUTINY
    assert row.independent.status == "partially-delivered"
    assert row.independent_bucket == "partly delivered"


def test_nothing_is_contested_before_the_report(rg: ReviewGraph) -> None:
    assert rg.contested(as_of="2025-09-01").rows == ()


def test_contested_on_the_command_line() -> None:
    result = CliRunner().invoke(main, ["contested", str(DATA), "--as-of", AS_OF, "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 2  # header and one row
    assert lines[1].split(",")[:3] == ["2025-10-01", "new-aged-care-act", "open"]
    assert lines[1].split(",")[4] == "partly delivered"


def test_gaps(rg: ReviewGraph, loaded: Loaded) -> None:
    findings = rg.gaps(as_of=AS_OF).findings
    nft = {f.item for f in findings if f.category == "not-followed-through"}
    # due 1 July 2022; the only claim read is "in progress" in September 2022
    assert "code-of-conduct" in nft
    # a body is held to its own word: these pledges answer recommendations the data gives no
    # stance for, and their targets (1 January 2023, 1 January 2025) passed undelivered
    assert nft == {"code-of-conduct", "pharmacists-in-aged-care", "younger-people-targets"}
    unanswered = {f.item for f in findings if f.category == "unanswered"}
    recs = {r.id for r in loaded.dataset.recommendations}
    assert unanswered == recs - set(ANSWERED)
    assert {f.category for f in findings} == {"not-followed-through", "unanswered"}


def test_slippage_of_the_new_act(rg: ReviewGraph) -> None:
    rows = {r.commitment: r for r in rg.slippage(as_of=AS_OF).rows}
    act = rows["new-aged-care-act"]
    assert act.first_target.target.text == "2023"
    assert act.last_target.target.text == "2025-11-01"
    assert act.revisions == 2


def test_scorecard_counts_the_governments_stances(rg: ReviewGraph) -> None:
    rows = {r.key: r for r in rg.scorecard(as_of=AS_OF).rows}
    gov = rows["australian-government"]
    assert (gov.stances, gov.accepted, gov.accepted_in_principle, gov.not_accepted) == (4, 2, 1, 1)


def test_the_tutorial_describes_the_contested_commitment() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert "new-aged-care-act" in page
    assert "reviewgraph contested examples/aged-care-royal-commission/ --as-of 2025-10-01" in page


def test_the_tutorial_shows_current_output() -> None:
    """The page's console blocks quote the program; they must not drift from it."""
    page = PAGE.read_text(encoding="utf-8")
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(DATA)])
    assert validated.exit_code == 0
    assert validated.output.strip().splitlines()[-1] in page
    contested = runner.invoke(main, ["contested", str(DATA), "--as-of", AS_OF])
    assert contested.exit_code == 0
    for line in contested.output.strip().splitlines():
        assert line in page, line
    gaps = runner.invoke(main, ["gaps", str(DATA), "--as-of", AS_OF])
    assert gaps.exit_code == 0
    assert "\n".join(gaps.output.splitlines()[:2]) in page


def test_turtle_round_trip_gives_identical_gaps(tmp_path: Path) -> None:
    runner = CliRunner()
    ttl = tmp_path / "aged-care.ttl"
    exported = runner.invoke(main, ["export", str(DATA), "--format", "ttl", "-o", str(ttl)])
    assert exported.exit_code == 0, exported.output
    args = ["gaps", "--as-of", AS_OF, "--format", "json"]
    from_yaml = runner.invoke(main, [args[0], str(DATA), *args[1:]])
    from_ttl = runner.invoke(main, [args[0], str(ttl), *args[1:]])
    assert from_yaml.exit_code == 0 and from_ttl.exit_code == 0
    assert from_ttl.output == from_yaml.output
