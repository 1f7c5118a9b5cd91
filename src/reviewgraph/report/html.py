"""A self-contained HTML report to work in: headline figures, delivery over time, filters,
per-review and per-body sections, a timeline per commitment, recurrences and the findings.

The page fetches nothing: no external scripts, fonts, images or styles.  It reads as a plain
document without JavaScript; its one small inline script (the filters, see
:mod:`reviewgraph.report.assets`) is allowed by a hash in the page's content security policy,
which allows nothing else.  The drawings are SVG laid out in Python
(:mod:`reviewgraph.report.svg`).  Every piece of text from the data is escaped, and only
``http`` and ``https`` source links are made clickable.  The work is one pass over the
commitments and the findings, so the report grows linearly with the data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from reviewgraph.report.assets import CSS, SCRIPT, content_security_policy
from reviewgraph.report.facts import (
    STANDALONE,
    STATUS_LABELS,
    CommitmentFacts,
    Figures,
    ReportFacts,
    Source,
    report_facts,
)
from reviewgraph.report.formats import promised_text
from reviewgraph.report.svg import Scale, commitment_timeline, delivery_chart, recurrence_graphs

if TYPE_CHECKING:
    from reviewgraph.analysis.asof import Index
    from reviewgraph.analysis.results import Finding, GapsResult, OwnerAsOf, RecurringResult
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

_SYMBOLS = {
    "delivered-on-time": "✓",
    "delivered-late": "✓",
    "open": "○",
    "not-followed-through": "✗",
    "parked": "‖",
    "unanswered": "?",
}


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


def _attrs(**values: Iterable[str] | str | None) -> str:
    """``data-`` attributes from lists of tokens (ids never hold spaces)."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else " ".join(dict.fromkeys(value))
        out.append(f' data-{key}="{escape(text, quote=True)}"')
    return "".join(out)


def _badge(status: str) -> str:
    label = STATUS_LABELS.get(status) or CATEGORY_LABELS.get(status, status)
    return (
        f'<span class="badge s-{escape(status)}">{_SYMBOLS.get(status, "•")} {escape(label)}</span>'
    )


class _Page:
    """The pieces of one report, with the names of things looked up once."""

    def __init__(self, ix: Index, facts: ReportFacts) -> None:
        self.ix = ix
        self.facts = facts
        self.anchored: set[str] = set()
        self.names: dict[str, str] = {}

    def scale_of(self, c: CommitmentFacts) -> Scale:
        """A time scale from the year the commitment was made to past its last mark."""
        last = max([self.facts.as_of, *(d.target.latest for d in c.dues)]).year
        return Scale(min(c.made_on.year, last), last + 1)

    def name(self, item_id: str | None) -> str:
        if not item_id:
            return ""
        found = self.names.get(item_id)
        if found is None:
            found = self.ix.label(item_id) if item_id in self.ix.items else item_id
            self.names[item_id] = found
        return found

    def owner(self, owner: OwnerAsOf | None) -> str:
        """The owner with its succession: ``A → (merged into, 2020-04) B``."""
        if owner is None or not owner.original:
            return "none named"
        text = escape(self.name(owner.original))
        for step in owner.steps:
            to = escape(self.name(step.to_body)) if step.to_body else "<strong>orphaned</strong>"
            text += f" → ({escape(step.kind)}, {escape(step.date.text)}) {to}"
        return text

    def sources(self, sources: Iterable[Source]) -> str:
        links = [safe_link(s.url, s.title) for s in sources]
        return "<ul>" + "".join(f"<li>{x}</li>" for x in links) + "</ul>" if links else ""

    # ---------------------------------------------------------------- figures

    def figure_list(self, figures: Figures) -> str:
        values = figures.as_dict()
        shown = [("promised", "promised", values["promised"])]
        shown.append(("delivered", "delivered", figures.delivered))
        shown += [(k, STATUS_LABELS[k].lower(), values[k]) for k in STATUS_LABELS]
        items = "".join(
            f'<li data-figure="{k}"><span class="n">{n}</span>{escape(label)}</li>'
            for k, label, n in shown
        )
        return f'<ul class="figures" id="total">{items}</ul>'

    def figure_table(self, caption: str, key_head: str, rows: list[tuple[str, str, str]]) -> str:
        heads = "".join(f'<th scope="col" class="num">{escape(v)}</th>' for v in _FIGURE_HEADS)
        body = []
        for key, attrs, label in rows:
            figures = (
                self.facts.review_figures.get(key)
                if key_head == "review"
                else self.facts.body_figures.get(key)
            ) or Figures()
            values = figures.as_dict()
            cells = "".join(
                f'<td class="num" data-label="{escape(h)}">{values[k]}</td>'
                for k, h in zip(_FIGURE_KEYS, _FIGURE_HEADS, strict=True)
            )
            body.append(
                f'<tr data-f{attrs}><th scope="row" data-label="{key_head}">{label}</th>'
                f"{cells}</tr>"
            )
        return (
            f'<table class="stack"><caption class="meta">{escape(caption)}</caption>'
            f'<thead><tr><th scope="col">{key_head}</th>{heads}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    # ---------------------------------------------------------------- commitments

    def card(self, c: CommitmentFacts) -> str:
        anchor = "" if c.id in self.anchored else f' id="c-{escape(c.id, quote=True)}"'
        self.anchored.add(c.id)
        answers = "".join(
            f"<li><code>{escape(r.id)}</code> ({escape(r.label)})"
            f"{': ' + escape(r.summary) if r.summary else ''}</li>"
            for r in c.answers
        )
        targets = "".join(
            f"<li>{escape(d.target.text)}"
            f"{', stated by ' + escape(self.name(d.stated_by)) if d.stated_by else ''}"
            f"{' on ' + escape(d.stated_on.text) if d.stated_on else ''}</li>"
            for d in c.dues
        )
        claims = "".join(
            f"<li>{escape(k.status.value)}, {escape(k.asserted_on.text)} "
            f"({escape(k.role.value)}{': ' + escape(self.name(k.assessor)) if k.assessor else ''})"
            "</li>"
            for k in c.claims
        )
        delivered = (
            "<ul>"
            + "".join(f"<li>{escape(t)} ({d.isoformat()})</li>" for _, d, t in c.deliverables)
            + "</ul>"
            if c.deliverables
            else (c.delivered_on.isoformat() if c.delivered_on else "not yet")
        )
        rows = [
            ("Answers", f"<ul>{answers}</ul>" if answers else "no recommendation"),
            ("Responder", escape(self.name(c.responder)) or "not named"),
            ("Owner", self.owner(c.owner)),
            ("Made", escape(c.made_text)),
            ("Targets", f"<ul>{targets}</ul>" if targets else "none stated"),
            ("Status claims", f"<ul>{claims}</ul>" if claims else "none"),
            ("Delivered", delivered),
        ]
        dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        attrs = _attrs(
            id=c.id,
            count=c.fate,
            review=c.reviews,
            body=c.bodies,
            theme=c.themes,
            status=c.fate,
            category=sorted(c.categories) or ["none"],
        )
        sources = self.sources(c.sources)
        return (
            f'<article class="c"{anchor} data-f{attrs}>'
            f"<h5>{_badge(c.fate)} <code>{escape(c.id)}</code> {escape(c.label)}</h5>"
            f'<p>{escape(c.summary)}</p><dl class="kv">{dl}</dl>'
            f"{commitment_timeline(c, self.scale_of(c), self.facts.as_of, self.name)}"
            f"{'<div class=src>Sources: ' + sources + '</div>' if sources else ''}</article>"
        )

    # ---------------------------------------------------------------- findings

    def finding_row(self, f: Finding, by_id: dict[str, CommitmentFacts]) -> str:
        commitment = by_id.get(f.item)
        rec = self.ix.recs.get(f.item)
        what = f"<code>{escape(f.item)}</code>"
        if rec is not None:
            what += f" {escape(rec.label)}"
            if rec.summary:
                what += f"<br>{escape(rec.summary)}"
        elif commitment is not None:
            what += f" {escape(commitment.label)}"
            for r in commitment.answers:
                what += f"<br>answers <code>{escape(r.id)}</code>"
                what += f": {escape(r.summary)}" if r.summary else ""
        else:
            what += f" {escape(f.label)}"
        if commitment is not None:
            responder = self.name(commitment.responder)
            status: str = commitment.fate
        else:
            responder = self.name(f.stance.respondent) if f.stance else ""
            status = f.category if f.category in ("parked", "unanswered") else "none"
        target = ""
        if f.due is not None:
            target = escape(f.due.current.target.text)
            if f.due.revisions:
                target += (
                    f" (first {escape(f.due.first.target.text)}; {f.due.revisions} revision"
                    f"{'s' if f.due.revisions > 1 else ''})"
                )
        evidence = ""
        if f.status is not None:
            evidence = escape(f.status.status)
            if f.status.date is not None:
                evidence += f", {escape(f.status.date.text)}"
            if f.status.assessor:
                evidence += f" ({escape(self.name(f.status.assessor))})"
        if f.stance is not None and f.stance.value:
            evidence += ("<br>" if evidence else "") + f"stance: {escape(f.stance.value)}"
        if commitment is not None:
            evidence += f'<br><a href="#c-{escape(f.item, quote=True)}">timeline</a>'
        seen: dict[str, Source] = {}
        for cite in f.why.citations:
            source = self.ix.sources.get(cite.source)
            title = cite.title or (source.title if source else None) or cite.source
            seen.setdefault(cite.source, Source(cite.source, title, cite.url))
        bodies = list(f.bodies) + (list(commitment.bodies) if commitment else [])
        attrs = _attrs(
            review=f.reviews or (STANDALONE,),
            body=bodies or None,
            theme=f.themes,
            category=f.category,
            status=status,
            count=f.category if f.category in ("parked", "unanswered") else None,
            id=f.item if f.category in ("parked", "unanswered") else None,
        )
        before = f.recurrence.promised_before
        cells = [
            ("category", _badge(f.category)),
            ("item", what),
            ("responder", escape(responder)),
            ("owner", self.owner(f.owner) if f.owner else ""),
            ("target", target),
            ("evidence", evidence),
            ("promised before", escape(promised_text(f.recurrence)) if before else ""),
            ("why it is listed", escape(f.why.explanation)),
            ("sources", self.sources(seen.values())),
        ]
        tds = "".join(f'<td data-label="{k}">{v}</td>' for k, v in cells)
        return f"<tr data-f{attrs}>{tds}</tr>"


_FIGURE_KEYS = ("promised", *STATUS_LABELS)
_FIGURE_HEADS = ("promised", *(v.lower() for v in STATUS_LABELS.values()))


def _options(name: str, label: str, values: Iterable[tuple[str, str]]) -> str:
    opts = "".join(
        f'<option value="{escape(v, quote=True)}">{escape(text)}</option>' for v, text in values
    )
    return (
        f'<label>{escape(label)}<select name="{name}"><option value="">all</option>{opts}'
        "</select></label>"
    )


def render_report(
    dataset: Dataset,
    gaps: GapsResult,
    recurring: RecurringResult,
    title: str = "reviewgraph",
    index: Index | None = None,
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
    index : Index, optional
        The analysis index of ``dataset`` when one is at hand (else one is built).

    Returns
    -------
    str

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> page = render_report(rg.dataset, rg.gaps("2023-01-01"), rg.recurring("2023-01-01"))
    >>> page.startswith("<!DOCTYPE html>"), '<article class="c" id="c-demo-pledge"' in page
    (True, True)
    """
    if index is None:
        from reviewgraph.analysis.asof import Index

        index = Index(dataset)
    facts = report_facts(index, gaps)
    page = _Page(index, facts)
    as_of = gaps.as_of
    by_id = {c.id: c for c in facts.commitments}
    findings_of: dict[str, list[Finding]] = defaultdict(list)
    for finding in gaps.findings:
        findings_of[finding.reviews[0] if finding.reviews else STANDALONE].append(finding)
    published = {r.id: r.published.earliest if r.published else date.max for r in dataset.reviews}
    review_ids = sorted(
        set(facts.by_review) | set(findings_of),
        key=lambda r: (r == STANDALONE, published.get(r, date.max), r),
    )
    sections = []
    for review_id in review_ids:
        review = index.reviews.get(review_id)
        heading = review.title if review else "Standalone pledges (answering no review)"
        meta = f"<code>{escape(review_id)}</code>"
        if review is not None and review.published is not None:
            meta += f", published {escape(review.published.text)}"
        if review is not None and review.url:
            meta += f", {safe_link(review.url, 'the report')}"
        figures = facts.review_figures.get(review_id, Figures()).as_dict()
        line = "; ".join(f"{n} {k.replace('-', ' ')}" for k, n in figures.items() if n)
        cards = "".join(page.card(c) for c in facts.by_review.get(review_id, ()))
        rows = "".join(page.finding_row(f, by_id) for f in findings_of.get(review_id, ()))
        heads = "".join(
            f'<th scope="col">{h}</th>'
            for h in (
                "category",
                "item",
                "responder",
                "owner",
                "target",
                "evidence",
                "promised before",
                "why it is listed",
                "sources",
            )
        )
        table = (
            f'<table class="stack findings"><thead><tr>{heads}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
            if rows
            else "<p>No findings.</p>"
        )
        sections.append(
            f'<section class="review" data-group id="review-{escape(review_id, quote=True)}" '
            f'aria-labelledby="h-{escape(review_id, quote=True)}">'
            f'<h3 id="h-{escape(review_id, quote=True)}">{escape(heading)}</h3>'
            f'<p class="meta">{meta}</p><p>{escape(line) or "Nothing to count."}</p>'
            f"<h4>Commitments</h4>{cards or '<p>No commitments.</p>'}"
            f"<h4>Findings</h4>{table}</section>"
        )
    body_sections = []
    body_rows = []
    for key in sorted(facts.body_figures, key=lambda b: (b.startswith("("), page.name(b))):
        commitments = facts.body_commitments.get(key, [])
        chain = {key, *(b for c in commitments for b in c.bodies)}
        label = escape(page.name(key))
        body_rows.append((key, _attrs(body=sorted(chain)), label))
        if not commitments:
            continue
        items = "".join(
            f"<li data-f{_attrs(review=c.reviews, body=c.bodies, theme=c.themes, status=c.fate)}>"
            f'{_badge(c.fate)} <a href="#c-{escape(c.id, quote=True)}">{escape(c.label)}</a>'
            f" <code>{escape(c.id)}</code></li>"
            for c in commitments
        )
        line = "; ".join(
            f"{n} {k.replace('-', ' ')}" for k, n in facts.body_figures[key].as_dict().items() if n
        )
        body_sections.append(
            f'<section class="body" data-group aria-label="{label}">'
            f"<h3>{label}</h3><p>{escape(line)}</p><ul>{items}</ul></section>"
        )
    review_rows = [
        (r, _attrs(review=r), escape(index.reviews[r].title if r in index.reviews else r))
        for r in review_ids
    ]
    years = "".join(
        f'<tr><th scope="row">{y}</th><td class="num">{p}</td><td class="num">{d}</td></tr>'
        for y, p, d in facts.years
    )
    chart = (
        f"{delivery_chart(facts.years)}"
        '<p class="legend"><span>● solid line: promised</span>'
        "<span>■ dashed line: delivered</span></p>"
        "<details><summary>The figures by year</summary><table><thead><tr>"
        '<th scope="col">year</th><th scope="col" class="num">promised</th>'
        f'<th scope="col" class="num">delivered</th></tr></thead><tbody>{years}</tbody>'
        "</table></details>"
    )
    walk = {m: index.item_date(m) for g in recurring.recurrences for m in g.members}
    threads = recurrence_graphs(
        dataset, recurring, lambda m: d.earliest if (d := walk.get(m)) is not None else None
    )
    recurrences = "".join(
        f'<h3>{escape(gid)}</h3><div class="scroll">{svg}</div>' for gid, svg in threads
    )
    themes = sorted({t for c in facts.commitments for t in c.themes})
    bodies = sorted({b for c in facts.commitments for b in c.bodies}, key=page.name)
    form = (
        '<form id="filters" hidden role="search" aria-label="Filter the report">'
        + _options("review", "Review", ((r, r) for r in review_ids))
        + _options(
            "body", "Body (with predecessors and successors)", ((b, page.name(b)) for b in bodies)
        )
        + _options("theme", "Theme", ((t, page.name(t)) for t in themes))
        + _options("category", "Finding category", CATEGORY_LABELS.items())
        + _options("status", "Status", STATUS_LABELS.items())
        + '<label>Search<input type="search" name="q" autocomplete="off"></label>'
        '<button type="reset">Clear filters</button>'
        '<p id="shown" role="status" aria-live="polite"></p></form>'
    )
    review_table = page.figure_table("Per review", "review", review_rows)
    body_table = page.figure_table(
        "Per body (commitments by their owner as of the date)", "body", body_rows
    )
    legend = (
        '<p class="legend">On each timeline: <span>○ made</span> <span>◇ target (a dashed '
        "line joins a moved target)</span> <span>■ status claim</span> <span>● delivered</span>"
        "<span>┆ as of</span>; hover a mark for who and when.</p>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
        f"<title>{escape(title)}: as of {as_of.isoformat()}</title>"
        f"<style>{CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="sub">Commitments and their follow-through as of <strong id="as-of">'
        f"{as_of.isoformat()}</strong>, with a grace period of {gaps.grace_years} years.</p>"
        '</header><nav aria-label="Contents"><ul><li><a href="#summary">Headline figures</a>'
        '</li><li><a href="#delivery">Delivery over time</a></li><li><a href="#reviews">By '
        'review</a></li><li><a href="#bodies">By body</a></li><li><a href="#recurrences">'
        "Recurrences</a></li></ul></nav><main>"
        f"{form}"
        '<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">Headline figures'
        f"</h2>{page.figure_list(facts.total)}"
        f"{review_table}{body_table}</section>"
        '<section id="delivery" aria-labelledby="h-delivery"><h2 id="h-delivery">Delivery over '
        f"time</h2>{chart}</section>"
        '<section id="reviews" aria-labelledby="h-reviews"><h2 id="h-reviews">By review</h2>'
        f"{legend}{''.join(sections) or '<p>No reviews.</p>'}</section>"
        '<section id="bodies" aria-labelledby="h-bodies"><h2 id="h-bodies">By body</h2>'
        f"{''.join(body_sections) or '<p>No commitments.</p>'}</section>"
        '<section id="recurrences" aria-labelledby="h-recurrences"><h2 id="h-recurrences">'
        f"Recurrences</h2>{recurrences or '<p>No recurrences.</p>'}</section>"
        f"</main><script>{SCRIPT}</script></body></html>\n"
    )
