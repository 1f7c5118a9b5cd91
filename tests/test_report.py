"""The HTML report: self-contained, escaped, a working page, and checked in a real headless
browser (filters, keyboard, no console errors, no network, no overflow, WCAG 2.2 AA, print)."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browser import (
    ARTIFACTS,
    axe_violations,
    chromium,
    console_errors,
    requested_urls,
    set_width,
)
from click.testing import CliRunner

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.results import (
    CitationRef,
    Finding,
    GapsResult,
    RecurringResult,
    Why,
)
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset, Review, Source
from reviewgraph.report.html import render_report, safe_link
from reviewgraph.report.pdf import find_chromium

AS_OF = date(2025, 7, 1)


def _seed() -> tuple[str, ReviewGraph, GapsResult]:
    graph = ReviewGraph.from_dataset(read_dataset().dataset)
    gaps = graph.gaps(as_of=AS_OF)
    recurring = graph.recurring(as_of=AS_OF)
    html = render_report(graph.dataset, gaps, recurring, title="Seed report", index=graph.index)
    return html, graph, gaps


@pytest.fixture(scope="module")
def seed() -> tuple[str, ReviewGraph, GapsResult]:
    return _seed()


def _made(graph: ReviewGraph) -> list[str]:
    return [c.id for c in graph.dataset.commitments if c.made_on.latest <= AS_OF]


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_report_is_self_contained(seed: tuple[str, ReviewGraph, GapsResult]) -> None:
    html, _, _ = seed
    # nothing is fetched: no external scripts, styles, fonts or images
    assert re.findall(r"\bsrc=", html) == []
    assert "<link" not in html and "@import" not in html
    assert re.findall(r"url\((?!#)", html) == [], "only references inside the page"
    hrefs = re.findall(r'\bhref="([^"]*)"', html)
    assert any(h.startswith("https://") for h in hrefs), "the findings link to their sources"
    assert all(h.startswith(("http://", "https://", "#")) for h in hrefs)
    assert "as of 2025-07-01" in html


def test_the_policy_allows_exactly_the_inline_script_and_style(
    seed: tuple[str, ReviewGraph, GapsResult],
) -> None:
    html, _, _ = seed
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    rules = dict(r.strip().split(" ", 1) for r in policy.group(1).split(";"))
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 1 and len(styles) == 1
    assert rules["default-src"] == "'none'"
    assert rules["script-src"] == _sha(scripts[0])
    assert rules["style-src"] == _sha(styles[0])
    assert "unsafe" not in policy.group(1)
    assert ' style="' not in html, "no style attributes (the policy would block them)"
    assert len(scripts[0]) < 4000, "the script is small"


def test_the_page_reads_without_javascript(seed: tuple[str, ReviewGraph, GapsResult]) -> None:
    html, _, _ = seed
    # only the filter form (useless without the script) starts hidden
    hidden = re.findall(r"<(\w+)[^>]*\shidden[\s>]", html)
    assert hidden == ["form"]


def test_every_commitment_has_its_own_timeline(
    seed: tuple[str, ReviewGraph, GapsResult],
) -> None:
    html, graph, _ = seed
    cards = re.findall(r'<article class="c"[^>]*data-id="([^"]+)"(.*?)</article>', html, re.S)
    assert {c for c, _ in cards} == set(_made(graph))
    dues = {c: graph.index.dues_as_of(c, AS_OF) for c in _made(graph)}
    for c_id, card in cards:
        timelines = re.findall(r'<svg[^>]*class="tl".*?</svg>', card, re.S)
        assert len(timelines) == 1
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", timelines[0])
        assert labels.count("made") == 1
        assert [x for x in labels if x.startswith("target ")] == [
            f"target {i}" for i in range(1, len(dues[c_id]) + 1)
        ]
        assert timelines[0].count("<title>") >= 1 + len(dues[c_id])


def test_findings_show_the_recommendation_summary_and_sources_once(
    seed: tuple[str, ReviewGraph, GapsResult],
) -> None:
    html, graph, gaps = seed
    parked = gaps.of("parked")[0]
    summary = graph.index.recs[parked.item].summary
    assert summary and summary.replace("'", "&#x27;") in html
    assert graph.index.label(parked.item) not in html, "not the bare label"
    rows = re.findall(r"<tr data-f[^>]*>(.*?)</tr>", html, re.S)
    for row in rows:
        sources = re.search(r'data-label="sources">(.*?)</td>', row, re.S)
        if sources:
            links = re.findall(r'href="([^"]+)"', sources.group(1))
            assert len(links) == len(set(links)), "each source once"


def test_owner_shows_the_succession(seed: tuple[str, ReviewGraph, GapsResult]) -> None:
    html, graph, _ = seed
    moved = [
        c
        for c in graph.dataset.commitments
        if c.made_on.latest <= AS_OF and graph.index.owner_as_of(c, AS_OF).steps
    ]
    assert moved, "the seeds have a commitment whose owner changed"
    owner = graph.index.owner_as_of(moved[0], AS_OF)
    card = re.search(rf'data-id="{re.escape(moved[0].id)}".*?</article>', html, re.S)
    assert card is not None
    step = owner.steps[0]
    assert f"→ ({step.kind}, {step.date.text})" in card.group(0)


def _visible_ids(driver: Any) -> list[str]:
    return [
        el.get_attribute("data-id")
        for el in driver.find_elements("css selector", "article.c")
        if el.is_displayed()
    ]


def _figures(driver: Any) -> dict[str, int]:
    return {
        el.get_attribute("data-figure"): int(el.find_element("css selector", ".n").text)
        for el in driver.find_elements("css selector", "#total [data-figure]")
    }


def test_report_in_headless_chromium(
    tmp_path: Path, seed: tuple[str, ReviewGraph, GapsResult]
) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    html, graph, gaps = seed
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    kark = {c for c in _made(graph) if "kark-2019" in graph.index.reviews_of(c)}
    with chromium(tmp_path / "profile") as driver:
        set_width(driver, 1400)
        requested_urls(driver)  # the browser's own start-up pages
        driver.get(page.as_uri())
        figures = _figures(driver)
        shown_as_of = driver.find_element("id", "as-of").text
        everything = set(_visible_ids(driver))
        form_shown = driver.find_element("id", "filters").is_displayed()
        # a review chosen with the keyboard: focus the select and type the review's name
        select = driver.find_element("name", "review")
        select.send_keys("kark-2019")
        chosen = Select(select).first_selected_option.get_attribute("value")
        by_review = set(_visible_ids(driver))
        fragment = driver.execute_script("return location.hash")
        review_figures = _figures(driver)
        # a shared link opens with the same filters
        driver.get(page.as_uri() + "#status=parked")
        parked_rows = [
            el.get_attribute("data-status")
            for el in driver.find_elements("css selector", "tr[data-category]")
            if el.is_displayed()
        ]
        cards_when_parked = _visible_ids(driver)
        # the search box
        driver.get(page.as_uri())
        box = driver.find_element("name", "q")
        box.send_keys("appraisal")
        searched = set(_visible_ids(driver))
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE)
        cleared = set(_visible_ids(driver))
        errors = console_errors(driver)
        urls = requested_urls(driver)
    dataset = graph.dataset
    assert errors == []
    assert all(u.startswith("file://") for u in urls) and urls, urls
    assert shown_as_of == "2025-07-01"
    assert form_shown
    assert everything == set(_made(graph))
    assert figures["promised"] == len(_made(graph)) < len(dataset.commitments) + 1
    assert figures["parked"] == len(gaps.of("parked")) > 0
    assert figures["unanswered"] == len(gaps.of("unanswered"))
    assert figures["delivered"] == figures["delivered-on-time"] + figures["delivered-late"]
    assert chosen == "kark-2019"
    assert by_review == kark and kark
    assert fragment == "#review=kark-2019"
    assert review_figures["promised"] == len(kark) < figures["promised"]
    assert parked_rows and set(parked_rows) == {"parked"}
    assert len(parked_rows) == len(gaps.of("parked"))
    assert cards_when_parked == []
    assert searched and searched < everything
    models = {c.id: c for c in dataset.commitments}
    assert all("appraisal" in models[c].model_dump_json().lower() for c in searched)
    assert cleared == everything


def test_the_body_filter_keeps_predecessors(
    tmp_path: Path, seed: tuple[str, ReviewGraph, GapsResult]
) -> None:
    html, graph, _ = seed
    moved = next(
        c
        for c in graph.dataset.commitments
        if c.made_on.latest <= AS_OF
        and (o := graph.index.owner_as_of(c, AS_OF)).current not in (None, o.original)
    )
    original = graph.index.owner_as_of(moved, AS_OF).original
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    with chromium(tmp_path / "profile") as driver:
        driver.get(f"{page.as_uri()}#body={original}")
        shown = _visible_ids(driver)
    assert moved.id in shown
    owned = {
        c
        for c in _made(graph)
        if original
        in {
            graph.index.owner_as_of(graph.index.commitments[c], AS_OF).original,
            graph.index.owner_as_of(graph.index.commitments[c], AS_OF).current,
        }
        | {s.from_body for s in graph.index.owner_as_of(graph.index.commitments[c], AS_OF).steps}
    }
    assert set(shown) == owned


@pytest.mark.parametrize("width", [1400, 390])
def test_no_horizontal_overflow_and_wcag_aa(
    tmp_path: Path, width: int, seed: tuple[str, ReviewGraph, GapsResult]
) -> None:
    html, _, _ = seed
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    with chromium(tmp_path / "profile") as driver:
        set_width(driver, width, 1600)
        driver.get(page.as_uri())
        scroll, inner = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"report-{width}.png"))
        violations = axe_violations(driver)
    assert inner == width
    assert scroll <= width, f"the page is {scroll}px wide in a {width}px window"
    assert violations == []


def _hostile() -> tuple[Dataset, GapsResult]:
    payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
    dataset = Dataset(
        reviews=(Review(id="evil-2024", title=payload, published="2024-01-01"),),
        sources=(Source(id="evil-src", url=None, title="javascript-link"),),
    )
    finding = Finding(
        category="not-followed-through",
        item="evil-2024",
        item_type="review",
        label=payload,
        reviews=("evil-2024",),
        why=Why(
            rule="test",
            explanation=payload,
            citations=(
                CitationRef(item="evil-2024", source="evil-src", url="javascript:window.__pwned=3"),
            ),
        ),
    )
    gaps = GapsResult(as_of=AS_OF, grace_years=2, findings=(finding,))
    return dataset, gaps


def test_only_web_links_are_clickable() -> None:
    assert safe_link("JavaScript:alert(1)", "x") == "x"
    assert safe_link("data:text/html,hi", "x") == "x"
    assert safe_link("https://example.org/", "<b>").endswith(">&lt;b&gt;</a>")


def test_injected_markup_is_shown_as_text(tmp_path: Path) -> None:
    dataset, gaps = _hostile()
    html = render_report(dataset, gaps, RecurringResult(as_of=AS_OF))
    assert "<script>window" not in html
    assert "javascript:" not in html
    page = tmp_path / "evil.html"
    page.write_text(html, encoding="utf-8")
    with chromium(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        pwned = driver.execute_script("return window.__pwned === undefined ? null : window.__pwned")
        body = driver.find_element("tag name", "body").text
        hrefs = [a.get_attribute("href") for a in driver.find_elements("tag name", "a")]
    assert pwned is None
    assert "<script>window.__pwned = 1</script>" in body
    assert not any(h and h.startswith("javascript") for h in hrefs)


def test_report_pdf_prints_a4_with_a_page_per_review(tmp_path: Path) -> None:
    if find_chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    result = CliRunner().invoke(
        main, ["report", "--as-of", "2025-07-01", "-o", str(out), "--pdf", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b", data)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data))
    reviews = len(read_dataset().dataset.reviews)
    assert len(pages) > reviews, "a page break before each review"
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_report_pdf_without_chromium_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWGRAPH_CHROMIUM", str(tmp_path / "no-such-browser"))
    pdf = tmp_path / "r.pdf"
    result = CliRunner().invoke(
        main, ["report", "--as-of", "2025-07-01", "-o", str(tmp_path / "r.html"), "--pdf", str(pdf)]
    )
    assert result.exit_code == 2
    assert "Chromium is not installed" in result.output
    assert "Traceback" not in result.output
    assert not pdf.exists()
