"""What the HTML report shows, computed once per commitment in one pass over the data.

The report needs, for every commitment made by the as-of date, its fate in one word (on
time, late, open, not followed through), its owner with the succession followed, its
targets, its status claims and its delivery; and headline figures per review and per body.
Everything here is read from the analysis :class:`~reviewgraph.analysis.asof.Index`, and
each commitment is looked at once, so the report grows linearly with the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from reviewgraph.analysis.asof import minus_years
from reviewgraph.analysis.findings import not_followed_through

if TYPE_CHECKING:
    from reviewgraph.analysis.asof import Index
    from reviewgraph.analysis.results import GapsResult, OwnerAsOf
    from reviewgraph.models import DueDateStatement, Recommendation, StatusClaim

__all__ = [
    "STANDALONE",
    "STATUS_LABELS",
    "CommitmentFacts",
    "Figures",
    "ReportFacts",
    "Source",
    "report_facts",
]

Fate = Literal["delivered-on-time", "delivered-late", "open", "not-followed-through"]

STATUS_LABELS: dict[str, str] = {
    "delivered-on-time": "Delivered on time",
    "delivered-late": "Delivered late",
    "open": "Open",
    "not-followed-through": "Not followed through",
    "parked": "Parked",
    "unanswered": "Unanswered",
}
"""The statuses the report counts and filters by, with their labels."""

STANDALONE = "(standalone)"
"""The review key of commitments and findings that answer no review."""


@dataclass
class Figures:
    """The headline figures of a set of commitments and recommendations.

    Examples
    --------
    >>> f = Figures()
    >>> f.add("delivered-late"); f.add("open"); f.add("parked")
    >>> f.promised, f.delivered, f.as_dict()["delivered-late"]
    (2, 1, 1)
    """

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_LABELS, 0))

    def add(self, status: str) -> None:
        """Count one commitment (by its fate) or one parked or unanswered recommendation."""
        self.counts[status] += 1

    @property
    def promised(self) -> int:
        """The commitments counted."""
        return sum(self.counts[s] for s in STATUS_LABELS if s not in ("parked", "unanswered"))

    @property
    def delivered(self) -> int:
        """The commitments delivered, on time or late."""
        return self.counts["delivered-on-time"] + self.counts["delivered-late"]

    def as_dict(self) -> dict[str, int]:
        """Every figure by its status key, with ``promised`` first."""
        return {"promised": self.promised, **self.counts}


@dataclass(frozen=True)
class Source:
    """A source cited, once: its id, title and link."""

    id: str
    title: str
    url: str | None


@dataclass
class CommitmentFacts:
    """One commitment as the report shows it."""

    id: str
    label: str
    summary: str
    made_on: date
    made_text: str
    fate: Fate
    delivered_on: date | None
    reviews: tuple[str, ...]
    themes: tuple[str, ...]
    owner: OwnerAsOf
    responder: str | None
    answers: tuple[Recommendation, ...]
    dues: tuple[DueDateStatement, ...]
    claims: tuple[StatusClaim, ...]
    deliverables: tuple[tuple[str, date, str], ...]
    """Each deliverable dated by the as-of date: its id, day and title."""
    sources: tuple[Source, ...]
    categories: set[str] = field(default_factory=set)
    """The finding categories reported about it."""

    @property
    def bodies(self) -> tuple[str, ...]:
        """Its owners along the succession: the original, every step's bodies, the current."""
        seen: dict[str, None] = {}
        for body in (
            self.owner.original,
            *(b for s in self.owner.steps for b in (s.from_body, s.to_body)),
            self.owner.current,
        ):
            if body:
                seen[body] = None
        return tuple(seen)

    @property
    def body_key(self) -> str:
        """The body it counts for: its owner as of the date."""
        if self.owner.orphaned:
            return "(orphaned)"
        return self.owner.current or self.owner.original or "(no owner)"


@dataclass
class ReportFacts:
    """Everything the report shows, grouped once."""

    as_of: date
    commitments: list[CommitmentFacts]
    by_review: dict[str, list[CommitmentFacts]]
    total: Figures
    review_figures: dict[str, Figures]
    body_figures: dict[str, Figures]
    body_commitments: dict[str, list[CommitmentFacts]]
    years: list[tuple[int, int, int]]
    """Per year: the year, commitments made by its end, commitments delivered by its end."""


def _sources(ix: Index, cites: list[tuple[str, str | None]]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for source_id, _ in cites:
        if source_id in seen:
            continue
        src = ix.sources.get(source_id)
        title = (src.title if src else None) or source_id
        seen[source_id] = Source(source_id, title, src.url if src else None)
    return tuple(seen.values())


def _commitment(ix: Index, c_id: str, as_of: date, cutoff: date) -> CommitmentFacts:
    c = ix.commitments[c_id]
    delivered, on = ix.delivered(c.id, as_of)
    dues = ix.dues_as_of(c.id, as_of)
    fate: Fate
    if delivered:
        late = bool(on and dues and on > dues[0].target.latest)
        fate = "delivered-late" if late else "delivered-on-time"
    elif not_followed_through(ix, c, as_of, cutoff).rules:
        fate = "not-followed-through"
    else:
        fate = "open"
    claims = sorted(ix.claims_as_of(c.id, as_of), key=lambda k: (ix.claim_date(k).latest, k.id))
    deliverables = ix.deliverables_as_of(c.id, as_of)
    response = ix.responses.get(c.response or "")
    cites: list[tuple[str, str | None]] = [(x.source, x.locator) for x in c.citations]
    for due in dues:
        cites += [(x.source, x.locator) for x in due.citations]
    for claim in claims:
        cites += [(x.source, x.locator) for x in claim.citations]
    for d in deliverables:
        cites += [(x.source, x.locator) for x in d.citations]
    return CommitmentFacts(
        id=c.id,
        label=c.title or ix.label(c.id),
        summary=c.summary,
        made_on=c.made_on.latest,
        made_text=c.made_on.text,
        fate=fate,
        delivered_on=on,
        reviews=ix.reviews_of(c.id) or (STANDALONE,),
        themes=ix.themes_of(c.id),
        owner=ix.owner_as_of(c, as_of),
        responder=(response.by if response else None) or c.made_by,
        answers=tuple(ix.recs[r] for r in c.answers if r in ix.recs),
        dues=tuple(dues),
        claims=tuple(claims),
        deliverables=tuple((d.id, d.date.latest, d.title) for d in deliverables),
        sources=_sources(ix, cites),
    )


def report_facts(ix: Index, gaps: GapsResult) -> ReportFacts:
    """Compute what the report shows, as of the date of ``gaps``.

    Parameters
    ----------
    ix : Index
        The index of the data.
    gaps : GapsResult
        The findings the report lists (their date is the report's).

    Returns
    -------
    ReportFacts

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> facts = report_facts(rg.index, rg.gaps(as_of="2023-01-01"))
    >>> sorted((c.id, c.fate) for c in facts.commitments)  # doctest: +NORMALIZE_WHITESPACE
    [('demo-old-pledge', 'not-followed-through'), ('demo-pledge', 'delivered-late'),
     ('demo-rules', 'not-followed-through')]
    >>> facts.total.promised, facts.total.delivered, facts.total.counts["parked"]
    (3, 1, 1)
    """
    as_of = gaps.as_of
    cutoff = minus_years(as_of, gaps.grace_years)
    commitments = [
        _commitment(ix, c.id, as_of, cutoff)
        for c in ix.commitments.values()
        if c.made_on.latest <= as_of
    ]
    commitments.sort(key=lambda c: (c.made_on, c.id))
    by_id = {c.id: c for c in commitments}
    total = Figures()
    review_figures: dict[str, Figures] = defaultdict(Figures)
    body_figures: dict[str, Figures] = defaultdict(Figures)
    by_review: dict[str, list[CommitmentFacts]] = defaultdict(list)
    body_commitments: dict[str, list[CommitmentFacts]] = defaultdict(list)
    for c in commitments:
        total.add(c.fate)
        for review in c.reviews:
            review_figures[review].add(c.fate)
            by_review[review].append(c)
        body_figures[c.body_key].add(c.fate)
        body_commitments[c.body_key].append(c)
    for f in gaps.findings:
        if f.item in by_id:
            by_id[f.item].categories.add(f.category)
        if f.category not in ("parked", "unanswered"):
            continue
        total.add(f.category)
        for review in f.reviews or (STANDALONE,):
            review_figures[review].add(f.category)
        for body in f.bodies:
            body_figures[body].add(f.category)
    made: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for c in commitments:
        made[c.made_on.year] += 1
        if c.delivered_on is not None:
            done[c.delivered_on.year] += 1
    years: list[tuple[int, int, int]] = []
    if made:
        so_far_made = so_far_done = 0
        for year in range(min(made), as_of.year + 1):
            so_far_made += made[year]
            so_far_done += done[year]
            years.append((year, so_far_made, so_far_done))
    return ReportFacts(
        as_of=as_of,
        commitments=commitments,
        by_review=dict(by_review),
        total=total,
        review_figures=dict(review_figures),
        body_figures=dict(body_figures),
        body_commitments=dict(body_commitments),
        years=years,
    )
