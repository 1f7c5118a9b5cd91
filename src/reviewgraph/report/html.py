"""A self-contained HTML report: headline figures, a timeline, the recurrences and the findings.

The page has no external scripts, fonts, images or styles, and no script at all: the timeline
and the recurrence graph are SVG laid out here in Python, so nothing is needed at run time
(no Graphviz, no JavaScript).  Every piece of text from the data is escaped, and only
``http`` and ``https`` source links are made clickable.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewgraph.analysis.results import Finding, GapsResult, RecurringResult
    from reviewgraph.models import Dataset

__all__ = ["CATEGORY_LABELS", "render_report", "safe_link"]

CATEGORY_LABELS = {
    "not-followed-through": "Not followed through",
    "parked": "Parked",
    "unanswered": "Unanswered",
    "overdue-response": "Overdue response",
    "orphaned": "Orphaned owner",
}
"""How each finding category is headed in the report."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;font-size:1.25rem}
.sub{color:#555;margin-top:0}
.figures{display:flex;flex-wrap:wrap;gap:.8rem;padding:0;list-style:none}
.figures li{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.figures .n{font-size:1.6rem;font-weight:700;display:block}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
.cat{white-space:nowrap;font-weight:600}
svg text{font-size:11px;font-family:inherit}
.legend span{margin-right:1rem}
code{font-size:.85em}
"""


def safe_link(url: str | None, text: str) -> str:
    """Return an escaped link when ``url`` is http or https, else just the escaped text.

    Examples
    --------
    >>> safe_link("https://example.org/a?b=1&c=2", "source")
    '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">source</a>'
    >>> safe_link("javascript:alert(1)", "source")
    'source'
    """
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">{escape(text)}</a>'
    return escape(text)


def _figures(dataset: Dataset, gaps: GapsResult) -> str:
    counts = [
        ("reviews", len(dataset.reviews)),
        ("recommendations", len(dataset.recommendations)),
        ("commitments", len(dataset.commitments)),
    ]
    counts += [(label.lower(), len(gaps.of(cat))) for cat, label in CATEGORY_LABELS.items()]  # type: ignore[arg-type]
    items = "".join(
        f'<li data-figure="{escape(name)}"><span class="n">{n}</span>{escape(name)}</li>'
        for name, n in counts
    )
    return f'<ul class="figures">{items}</ul>'


def _x(day: date, start: date, end: date, left: int, width: int) -> float:
    span = max((end - start).days, 1)
    return left + width * (day - start).days / span


def _timeline(dataset: Dataset, as_of: date) -> str:
    """An SVG, one lane per review: publication, stances, targets (with slippage), deliveries."""
    reviews = sorted(
        (r for r in dataset.reviews if r.published is not None),
        key=lambda r: (r.published.earliest if r.published else date.min, r.id),
    )
    if not reviews:
        return "<p>No dated reviews.</p>"
    rec_review = {r.id: r.review for r in dataset.recommendations}
    responses = {r.id: r for r in dataset.responses}
    commitment_review: dict[str, str] = {}
    for c in dataset.commitments:
        for rec in c.answers:
            if rec in rec_review:
                commitment_review.setdefault(c.id, rec_review[rec])
    start = date(min(r.published.earliest.year for r in reviews if r.published), 1, 1)
    end = date(as_of.year + 1, 1, 1)
    left, width, lane = 170, 760, 26
    height = 40 + lane * len(reviews)
    lanes = {r.id: 30 + lane * i for i, r in enumerate(reviews)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Timeline" '
        f'viewBox="0 0 {left + width + 20} {height}" width="100%">'
    ]
    for year in range(start.year, end.year + 1, max(1, (end.year - start.year) // 12 or 1)):
        x = _x(date(year, 1, 1), start, end, left, width)
        parts.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="12" text-anchor="middle">{year}</text>')
    xa = _x(as_of, start, end, left, width)
    parts.append(
        f'<line x1="{xa:.1f}" y1="18" x2="{xa:.1f}" y2="{height}" stroke="#c00" '
        f'stroke-dasharray="3,3"><title>as of {as_of.isoformat()}</title></line>'
    )
    for r in reviews:
        y = lanes[r.id]
        parts.append(f'<text x="4" y="{y + 4}">{escape(r.id)}</text>')
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + width}" y2="{y}" stroke="#ddd"/>')
        assert r.published is not None
        x = _x(r.published.latest, start, end, left, width)
        parts.append(
            f'<rect x="{x - 4:.1f}" y="{y - 6}" width="8" height="12" fill="#1f4e9c">'
            f"<title>{escape(r.id)} published {escape(r.published.text)}</title></rect>"
        )
    for stance in dataset.stances:
        review_id = rec_review.get(stance.recommendation)
        when = stance.date or (
            responses[stance.response].date if stance.response in responses else None
        )
        if review_id in lanes and when is not None and when.latest <= as_of:
            x = _x(when.latest, start, end, left, width)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{lanes[review_id] - 8}" r="3" fill="#7a5c00">'
                f"<title>stance on {escape(stance.recommendation)}: "
                f"{escape(stance.stance.value)} ({escape(when.text)})</title></circle>"
            )
    by_commitment: dict[str, list[date]] = {}
    for due in dataset.due_dates:
        by_commitment.setdefault(due.commitment, []).append(due.target.latest)
    for commitment_id, targets in sorted(by_commitment.items()):
        review_id = commitment_review.get(commitment_id)
        if review_id not in lanes:
            continue
        y = lanes[review_id] + 7
        first, last = targets[0], targets[-1]
        if len(targets) > 1 and first != last:
            x1, x2 = (_x(d, start, end, left, width) for d in (first, last))
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}" stroke="#c05800" '
                f'stroke-width="2"><title>{escape(commitment_id)}: target moved</title></line>'
            )
        for target in targets:
            x = _x(target, start, end, left, width)
            parts.append(
                f'<path d="M{x:.1f} {y - 4} l4 4 l-4 4 l-4 -4 z" fill="none" stroke="#c05800">'
                f"<title>{escape(commitment_id)}: due {target.isoformat()}</title></path>"
            )
    for deliverable in dataset.deliverables:
        if deliverable.date.latest > as_of:
            continue
        review_ids = {commitment_review.get(f.commitment) for f in deliverable.fulfils}
        for review_id in sorted(r for r in review_ids if r in lanes):
            x = _x(deliverable.date.latest, start, end, left, width)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{lanes[review_id] + 7}" r="4" fill="#2b8a3e">'
                f"<title>delivered: {escape(deliverable.title)} ({escape(deliverable.date.text)})"
                "</title></circle>"
            )
    parts.append("</svg>")
    legend = (
        '<p class="legend"><span>&#9632; review published</span><span>&#9679; stance</span>'
        "<span>&#9671; target (a line joins a moved target)</span>"
        '<span style="color:#2b8a3e">&#9679; delivery</span>'
        '<span style="color:#c00">&#8942; as of</span></p>'
    )
    return "".join(parts) + legend


def _recurrences(dataset: Dataset, recurring: RecurringResult) -> str:
    """Each recurrence drawn left to right by date, one row per group."""
    if not recurring.recurrences:
        return "<p>No recurrences.</p>"
    index = dataset.index()
    review_of = {r.id: r.review for r in dataset.recommendations}
    published = {r.id: r.published for r in dataset.reviews}
    links = [(link.from_, link.to, link.type.value) for link in dataset.links]
    row_height, box_w = 70, 150
    parts: list[str] = []
    for group in recurring.recurrences:
        members = list(group.members)

        def when(item_id: str) -> date:
            review_id = review_of.get(item_id, item_id)
            pub = published.get(review_id)
            item = index.get(item_id)
            made = getattr(item, "made_on", None) or getattr(item, "date", None)
            value = made or pub
            return value.earliest if value is not None else date.min

        members.sort(key=lambda m: (when(m), m))
        width = 20 + (box_w + 30) * len(members)
        pos = {m: 10 + (box_w + 30) * i for i, m in enumerate(members)}
        svg = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-label="Recurrence {escape(group.id)}" viewBox="0 0 {width} {row_height}" '
            f'width="{min(width, 1100)}">'
        ]
        for frm, to, kind in links:
            if frm in pos and to in pos:
                x1, x2 = pos[frm] + box_w / 2, pos[to] + box_w / 2
                svg.append(
                    f'<path d="M{x1:.0f} 20 C {x1:.0f} 2, {x2:.0f} 2, {x2:.0f} 20" fill="none" '
                    f'stroke="#888"><title>{escape(frm)} {escape(kind)} {escape(to)}</title></path>'
                )
        for m in members:
            x = pos[m]
            day = when(m)
            shown = day.isoformat() if day != date.min else ""
            svg.append(
                f'<rect x="{x}" y="22" width="{box_w}" height="40" rx="5" fill="#f5f0e6" '
                f'stroke="#7a5c00"><title>{escape(m)}</title></rect>'
                f'<text x="{x + 6}" y="38">{escape(m[:26])}</text>'
                f'<text x="{x + 6}" y="54" fill="#555">{shown}</text>'
            )
        svg.append("</svg>")
        reviews = "review" if group.length == 1 else "reviews"
        parts.append(
            f"<h3>{escape(group.id)}: {group.length} {reviews}, {len(group.members)} items</h3>"
            + "".join(svg)
        )
    return "".join(parts)


def _finding_rows(findings: Iterable[Finding], dataset: Dataset) -> str:
    index = dataset.index()
    rows = []
    for f in findings:
        sources = []
        for c in f.why.citations:
            source = index.get(c.source)
            url = c.url or getattr(source, "url", None)
            title = c.title or getattr(source, "title", None) or c.source
            sources.append(safe_link(url, title))
        owner = (f.owner.current or f.owner.original or "") if f.owner else ""
        if f.owner is not None and f.owner.orphaned:
            owner += " (orphaned)"
        before = f.recurrence.recommended_before
        rows.append(
            "<tr>"
            f'<td class="cat">{escape(CATEGORY_LABELS.get(f.category, f.category))}</td>'
            f"<td><code>{escape(f.item)}</code><br>{escape(f.label)}</td>"
            f"<td>{escape(owner)}</td>"
            f"<td>{before if before else ''}</td>"
            f"<td>{escape(f.why.explanation)}</td>"
            f"<td>{'<br>'.join(sources)}</td>"
            "</tr>"
        )
    return "".join(rows)


def render_report(
    dataset: Dataset, gaps: GapsResult, recurring: RecurringResult, title: str = "reviewgraph"
) -> str:
    """Return the report as one self-contained HTML page.

    Parameters
    ----------
    dataset : Dataset
        The data the results were computed from.
    gaps : GapsResult
        The findings as of a date.
    recurring : RecurringResult
        The recurrences as of the same date.
    title : str
        The page title.

    Returns
    -------
    str
    """
    as_of = gaps.as_of
    by_review: dict[str, list[Finding]] = {}
    for finding in gaps.findings:
        key = finding.reviews[0] if finding.reviews else "standalone pledges (answering no review)"
        by_review.setdefault(key, []).append(finding)
    sections = []
    for review_id in sorted(by_review, key=lambda r: (r not in gaps.review_titles, r)):
        heading = gaps.review_titles.get(review_id, review_id)
        sections.append(
            f'<h3 id="review-{escape(review_id)}">{escape(heading)} '
            f"<small>({len(by_review[review_id])})</small></h3>"
            "<table><thead><tr><th>category</th><th>item</th><th>owner</th>"
            "<th>promised before</th><th>why it is listed</th><th>sources</th></tr></thead>"
            f"<tbody>{_finding_rows(by_review[review_id], dataset)}</tbody></table>"
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}: as of {as_of.isoformat()}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="sub">Commitments and their follow-through as of <strong id="as-of">'
        f"{as_of.isoformat()}</strong>, with a grace period of {gaps.grace_years} years.</p>"
        f"{_figures(dataset, gaps)}"
        f"<h2>Timeline</h2>{_timeline(dataset, as_of)}"
        f"<h2>Recurrences</h2>{_recurrences(dataset, recurring)}"
        f'<h2>Findings</h2><div id="findings">{"".join(sections) or "<p>No findings.</p>"}</div>'
        "</body></html>\n"
    )
