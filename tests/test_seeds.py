"""The bundled seed dataset: what the issue asks it to hold, and that it validates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.results import GapsResult
from reviewgraph.io.files import Loaded, read_dataset
from reviewgraph.validate import validate_dataset
from reviewgraph.vocab.concepts import AssessorRole, Status


@pytest.fixture(scope="module")
def seeds() -> Loaded:
    return read_dataset()


@pytest.mark.parametrize(
    ("review_id", "count", "published"),
    [
        ("messenger-2022", 7, date(2022, 6, 8)),
        ("berwick-2013", 10, date(2013, 8, 6)),
        ("kark-2019", 7, date(2019, 2, 6)),
        ("rose-2015", 19, date(2015, 7, 16)),
        ("francis-2013", 290, date(2013, 2, 6)),
    ],
)
def test_stated_counts_and_publication_dates(
    seeds: Loaded, review_id: str, count: int, published: date
) -> None:
    review = next(r for r in seeds.dataset.reviews if r.id == review_id)
    assert review.stated_recommendations == count
    assert review.published is not None
    assert review.published.is_precise
    assert review.published.earliest == published


@pytest.mark.parametrize("review_id", ["messenger-2022", "kark-2019"])
def test_all_seven_recommendations_are_encoded(seeds: Loaded, review_id: str) -> None:
    labels = sorted(r.label for r in seeds.dataset.recommendations if r.review == review_id)
    assert labels == [str(n) for n in range(1, 8)]


def test_berwick_numbers_only_the_recommendations_whose_wording_was_found(seeds: Loaded) -> None:
    # the report states ten; the wording of 1-8 was found in public pages, that of 9 and 10 was not,
    # so those two are carried by the themes "Structures" and "Enforcement" and never invented
    berwick = [r for r in seeds.dataset.recommendations if r.review == "berwick-2013"]
    numbered = sorted((r.label for r in berwick if not r.is_theme), key=int)
    assert numbered == [str(n) for n in range(1, 9)]
    themes = {r.id for r in berwick if r.is_theme}
    assert {"berwick-2013/structures-and-regulation", "berwick-2013/enforcement"} <= themes


def test_minimum_sizes(seeds: Loaded) -> None:
    ds = seeds.dataset
    assert len(ds.recommendations) >= 45
    assert len(ds.commitments) >= 30
    assert len(ds.status_claims) >= 30
    assert len(ds.links) >= 8
    compiler_silence = [
        c
        for c in ds.status_claims
        if c.status is Status.NO_EVIDENCE_FOUND and c.role is AssessorRole.COMPILER
    ]
    assert len(compiler_silence) < len(ds.status_claims) / 2
    # the compiler's "no evidence found" claims say what was searched
    assert all(c.note and len(c.note) > 40 for c in compiler_silence)


def test_seeds_validate_with_no_violations(seeds: Loaded) -> None:
    report = validate_dataset(seeds, as_of=date(2026, 11, 25))
    assert report.conforms, "\n".join(str(p) for p in report.violations)
    # every warning that remains is explained in docs/seeds.md
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "seeds.md").read_text(encoding="utf-8")
    for warning in report.warnings:
        item_id = warning.item.split(" ", 1)[1]
        assert item_id in doc, f"warning not explained in docs/seeds.md: {warning}"


def test_every_citation_names_a_source_with_a_web_address(seeds: Loaded) -> None:
    index = seeds.dataset.index()
    for item in seeds.dataset.items():
        for citation in getattr(item, "citations", ()):
            source = index[citation.source]
            assert getattr(source, "url", None), f"{item.id} cites {source.id}, which has no URL"


def test_disputed_facts_keep_both_claims(seeds: Loaded) -> None:
    messenger = next(r for r in seeds.dataset.reviews if r.id == "messenger-2022")
    assert {a.field for a in messenger.alternatives} >= {"announced"}
    kark = next(r for r in seeds.dataset.reviews if r.id == "kark-2019")
    assert {a.field for a in kark.alternatives} >= {"stated_recommendations"}
    for alternative in [*messenger.alternatives, *kark.alternatives]:
        assert alternative.citations


def test_no_event_is_invented_to_the_day(seeds: Loaded) -> None:
    # Griffiths is known only to the month; the dataset must not pretend otherwise
    griffiths = next(r for r in seeds.dataset.reviews if r.id == "griffiths-1983")
    assert griffiths.published is not None
    assert not griffiths.published.is_precise


# --------------------------------------------------------------------------- docs/seeds.md counts

ROOT = Path(__file__).resolve().parents[1]


def _doc_counts() -> dict[str, int]:
    """The counts table of docs/seeds.md, read between its markers."""
    text = (ROOT / "docs" / "seeds.md").read_text(encoding="utf-8")
    start, end = text.index("<!-- counts:start"), text.index("<!-- counts:end -->")
    rows: dict[str, int] = {}
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[1].isdigit():
            rows[cells[0]] = int(cells[1])
    return rows


def test_seeds_page_counts_agree_with_the_data(seeds: Loaded) -> None:
    ds = seeds.dataset
    expected = {
        "reviews": len(ds.reviews),
        "recommendations": len(ds.recommendations),
        "of which numbered as the review numbers them": sum(
            not r.is_theme for r in ds.recommendations
        ),
        "responses": len(ds.responses),
        "stances on single recommendations": len(ds.stances),
        "blanket stances": sum(len(r.blanket) for r in ds.responses),
        "commitments": len(ds.commitments),
        "due-date statements": len(ds.due_dates),
        "dated status claims": len(ds.status_claims),
        "deliverables": len(ds.deliverables),
        "typed links": len(ds.links),
        "bodies": len(ds.bodies),
        "dated body changes": len(ds.body_changes),
        "sources": len(ds.sources),
    }
    doc = _doc_counts()
    for name, n in expected.items():
        assert doc.get(name) == n, f"docs/seeds.md says {name}: {doc.get(name)}, the data {n}"


def test_seeds_page_counts_are_the_generated_table(seeds: Loaded) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("seed_audit", ROOT / "tools" / "seed_audit.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("seed_audit", tool)
    spec.loader.exec_module(tool)
    text = (ROOT / "docs" / "seeds.md").read_text(encoding="utf-8")
    assert tool.counts_table(seeds.dataset) in text


# --------------------------------------------------------------------------- golden cases (#15)
# As of 2025-07-01 with a grace period of two years, under the rules of docs/concepts.md.


@pytest.fixture(scope="module")
def rg() -> ReviewGraph:
    return ReviewGraph.from_paths()


def _items(result: GapsResult, category: str, review: str) -> set[str]:
    return {f.item for f in result.findings if f.category == category and review in f.reviews}


def test_berwick_unanswered_only_where_no_body_with_standing_answered(rg: ReviewGraph) -> None:
    gaps = rg.gaps("2025-07-01", grace_years=2)
    # NHS England accepted the report's challenges (Aug 2013) and Hard Truths answered the rest;
    # the one left is the independent review of structures and regulation by the end of 2017,
    # addressed to the department alone, which no stance of the department answers.
    assert _items(gaps, "unanswered", "berwick-2013") == {"berwick-2013/structures-and-regulation"}
    rec = rg.index.recs["berwick-2013/structures-and-regulation"]
    assert rec.addressees == ("dhsc",)
    ds = rg.dataset
    assert not [s for s in ds.stances if s.recommendation == rec.id]
    dhsc_blankets = [
        r for r in ds.responses if r.by == "dhsc" and any(b.review == rec.review for b in r.blanket)
    ]
    assert not dhsc_blankets
