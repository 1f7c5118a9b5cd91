"""The bundled seed dataset: what the issue asks it to hold, and that it validates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

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
    # the seeds were last checked against their sources on 4 December 2026
    report = validate_dataset(seeds, as_of=date(2026, 12, 4))
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
    griffiths = next(r for r in seeds.dataset.reviews if r.id == "griffiths-1983")
    # the day of publication is the one the Secretary of State gave the House (25 October 1983);
    # the day the report reached ministers is known only to the month, and stays so
    assert griffiths.published is not None and griffiths.published.is_precise
    assert griffiths.published.earliest == date(1983, 10, 25)
    assert griffiths.delivered_to_ministers is not None
    assert not griffiths.delivered_to_ministers.is_precise
    assert {a.field for a in griffiths.alternatives} >= {"published"}


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


def _tool() -> Any:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("seed_audit", ROOT / "tools" / "seed_audit.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("seed_audit", tool)
    spec.loader.exec_module(tool)
    return tool


def test_audit_sample_is_fixed_and_covers_every_dated_kind(seeds: Loaded) -> None:
    tool = _tool()
    facts = tool.dated_facts(seeds.dataset)
    first, again = tool.sample(facts), tool.sample(facts)
    assert first == again and len(first) == 25 and len(set(first)) == 25
    kinds = {f.kind for f in first}
    assert {"publication", "stance", "status claim", "due date", "body change"} <= kinds
    assert kinds == set(tool.KINDS)
    # a different seed draws a different sample
    assert tool.sample(facts, seed=tool.SEED + 1) != first


def test_seeds_page_counts_are_the_generated_table(seeds: Loaded) -> None:
    tool = _tool()
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


def test_smith_succession_programme_is_not_unanswered(rg: ReviewGraph) -> None:
    gaps = rg.gaps("2025-07-01", grace_years=2)
    assert "smith-2015/succession-programme" not in _items(gaps, "unanswered", "smith-2015")


def test_smith_addressees_existed_when_the_review_was_published(rg: ReviewGraph) -> None:
    rec = rg.index.recs["smith-2015/succession-programme"]
    assert set(rec.addressees) == {"monitor", "nhs-trust-development-authority"}
    changes = {(c.body, c.into, c.date.earliest) for c in rg.dataset.body_changes}
    for body in rec.addressees:
        assert (body, ("nhs-improvement",), date(2016, 4, 1)) in changes
    # and the body that answered is the one they ended in: NHS Improvement merged into NHS England
    assert ("nhs-improvement", ("nhs-england",), date(2022, 7, 1)) in changes
    answered = [s for s in rg.dataset.stances if s.recommendation == rec.id]
    assert [rg.index.responses[s.response].by for s in answered] == ["nhs-england"]


def test_kark_3_and_4_are_not_parked(rg: ReviewGraph) -> None:
    gaps = rg.gaps("2025-07-01", grace_years=2)
    parked = _items(gaps, "parked", "kark-2019")
    assert not {"kark-2019/3", "kark-2019/4"} & parked
    # the ministers' approval of May 2022 is the later stance; the 2023 framework delivers both
    assert {"kark-2019/5", "kark-2019/6", "kark-2019/7"} <= parked
    for rec in ("kark-2019/3", "kark-2019/4"):
        commitments = [
            c for c in rg.dataset.commitments if rec in c.answers and c.made_on.latest.year == 2022
        ]
        assert commitments
        assert all(
            any(
                f.commitment == c.id and f.degree.value == "in-full"
                for d in rg.dataset.deliverables
                if d.id == "fppt-framework-2023"
                for f in d.fulfils
            )
            for c in commitments
        )


def test_kark_6_and_7_have_recorded_searches(rg: ReviewGraph) -> None:
    for rec in ("kark-2019/6", "kark-2019/7"):
        claims = [c for c in rg.dataset.status_claims if c.about == rec]
        assert claims and all(c.role.value == "compiler" for c in claims)
        assert all(
            "searched" in (c.note or "").lower() or "search" in (c.note or "") for c in claims
        )


def test_kark_5_was_promised_before_from_2013(rg: ReviewGraph) -> None:
    gaps = rg.gaps("2025-07-01", grace_years=2)
    kark5 = next(f for f in gaps.findings if f.item == "kark-2019/5")
    assert kark5.category == "parked"  # the consultation outcome that accepted it came on 21 July
    # the current rules count earlier recommendations: Francis 218 (6 February 2013)
    assert kark5.recurrence.recommended_before >= 1
    assert "francis-2013/218" in kark5.recurrence.earlier
    # at least two earlier promises, the first in 2013: Francis 218 and the government's
    # promise of 19 November 2013 (docs/concepts.md: "promised before" counts both kinds)
    assert kark5.recurrence.promised_before >= 2
    assert kark5.recurrence.earlier_items[0].date.latest.year == 2013
    assert {"francis-2013/218", "francis-fppt"} <= {e.item for e in kark5.recurrence.earlier_items}
    # ... and the text output says so, not only the count of recommendations
    from reviewgraph.report.text import promised_text

    assert promised_text(kark5.recurrence).startswith("2, first 2013-02-06 ")
    # its thread also holds the 2013 government promise (counted under issue #14's rules)
    thread = next(r for r in rg.recurring("2025-07-01").recurrences if "kark-2019/5" in r.members)
    assert {"francis-2013/218", "francis-fppt"} <= set(thread.members)
    assert rg.index.items["francis-fppt"].made_on.earliest == date(2013, 11, 19)


def test_barring_thread_starts_in_2013_and_reaches_2025(rg: ReviewGraph) -> None:
    thread = next(r for r in rg.recurring("2025-12-31").recurrences if "kark-2019/5" in r.members)
    assert thread.first is not None and thread.first.year == 2013
    assert {
        "francis-2013/218",
        "francis-fppt",
        "conservative-manifesto-2024-disbarring",
        "tyhp-statutory-barring",
        "managers-barring-legislation",
    } <= set(thread.members)


def test_one_management_standards_thread_from_francis_215(rg: ReviewGraph) -> None:
    core = {
        "francis-2013/215",
        "rose-2015/accredited-courses",
        "kark-2019/1",
        "messenger-2022/3",
        "messenger-framework",
    }
    on_the_day = [r for r in rg.recurring("2025-07-01").recurrences if core & set(r.members)]
    assert len(on_the_day) == 1 and core <= set(on_the_day[0].members)
    # the 10 Year Health Plan (3 July 2025) joins it once it exists
    later = next(
        r for r in rg.recurring("2025-12-31").recurrences if "francis-2013/215" in r.members
    )
    assert {"tyhp-leadership-framework", "managers-professional-standards"} <= set(later.members)


def test_messenger_section_holds_the_three_pledges(rg: ReviewGraph) -> None:
    gaps = rg.gaps("2025-07-01", grace_years=2)
    pledges = {
        "messenger-delivery-plan",
        "messenger-implementation-office",
        "messenger-workforce-stocktake",
    }
    by_item = {f.item: f for f in gaps.findings}
    for pledge in pledges:
        assert by_item[pledge].reviews[0] == "messenger-2022"
    assert by_item["kirkup-nhsi-full-response"].reviews[0] == "kirkup-liverpool-2018"
    # every finding belongs to a review, except a lapsed manifesto pledge, which answers none
    assert not [f for f in gaps.findings if not f.reviews and f.category != "lapsed"]


def test_nhs_england_abolition_is_recorded_as_announced(rg: ReviewGraph) -> None:
    changes = [c for c in rg.dataset.body_changes if c.body == "nhs-england"]
    assert any(c.date.earliest == date(2025, 3, 13) for c in changes)
    # from the announcement, every open finding NHS England owns says it is going away
    owned = [
        f
        for f in rg.gaps("2025-07-01").findings
        if f.owner is not None and f.owner.current == "nhs-england"
    ]
    assert owned
    for f in owned:
        assert f.owner.spelt.startswith("nhs-england (")
        assert "to be merged into dhsc between 2025-03-13 and 2027-03-13, announced 2025-03-13" in (
            f.owner.spelt
        )
    # the day before, nothing was announced; the change itself moves nothing until it happens
    before = rg.gaps("2025-03-12").findings
    assert all(not f.owner.pending for f in before if f.owner is not None)
