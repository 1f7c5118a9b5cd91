"""The HTML report: self-contained, escaped, and checked in a real headless browser."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from browser import ARTIFACTS, chromium, console_errors

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.results import (
    CitationRef,
    Finding,
    GapsResult,
    RecurringResult,
    Why,
)
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset, Review, Source
from reviewgraph.report.html import render_report, safe_link

AS_OF = date(2025, 7, 1)


def _seed_report() -> tuple[str, GapsResult]:
    dataset = read_dataset().dataset
    graph = ReviewGraph.from_dataset(dataset)
    gaps = graph.gaps(as_of=AS_OF)
    recurring = graph.recurring(as_of=AS_OF)
    return render_report(dataset, gaps, recurring, title="Seed report"), gaps


def test_report_is_self_contained() -> None:
    html, _ = _seed_report()
    # no external scripts, styles, fonts or images: nothing is fetched
    assert "<script" not in html
    assert re.findall(r"\bsrc=", html) == []
    hrefs = re.findall(r'\bhref="([^"]*)"', html)
    assert hrefs, "the findings link to their sources"
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "<link" not in html
    assert "@import" not in html and "url(" not in html
    assert "as of 2025-07-01" in html


def test_only_web_links_are_clickable() -> None:
    assert safe_link("JavaScript:alert(1)", "x") == "x"
    assert safe_link("data:text/html,hi", "x") == "x"
    assert safe_link("https://example.org/", "<b>").endswith(">&lt;b&gt;</a>")


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    html, gaps = _seed_report()
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    with chromium(tmp_path / "profile") as driver:
        driver.get(page.as_uri())
        figures = {
            el.get_attribute("data-figure"): int(el.find_element("css selector", ".n").text)
            for el in driver.find_elements("css selector", "[data-figure]")
        }
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "report.png"))
        errors = console_errors(driver)
        shown_as_of = driver.find_element("id", "as-of").text
        svgs = len(driver.find_elements("css selector", "svg"))
    dataset = read_dataset().dataset
    assert errors == []
    assert shown_as_of == "2025-07-01"
    assert figures["reviews"] == len(dataset.reviews)
    assert figures["recommendations"] == len(dataset.recommendations)
    assert figures["commitments"] == len(dataset.commitments)
    assert figures["not followed through"] == len(gaps.of("not-followed-through"))
    assert figures["parked"] == len(gaps.of("parked"))
    assert figures["not followed through"] > 0
    assert svgs >= 2  # the timeline and at least one recurrence


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
