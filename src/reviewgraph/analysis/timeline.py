"""The timeline: every dated event on or before a date, oldest first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from reviewgraph.analysis.asof import Index, date_value
from reviewgraph.analysis.results import TimelineEvent
from reviewgraph.analysis.scope import Scope
from reviewgraph.dates import DateRange

__all__ = ["EVENT_KINDS", "timeline_events"]

EVENT_KINDS = (
    "review-published",
    "response",
    "blanket-stance",
    "stance",
    "commitment-made",
    "due-date-stated",
    "status-claim",
    "deliverable",
    "body-change",
)
"""The kinds of event, in the order events of the same day are listed."""

_RANK = {k: i for i, k in enumerate(EVENT_KINDS)}


def _events(
    ix: Index,
) -> Iterator[tuple[TimelineEvent, DateRange, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """Yield (event, date, reviews, bodies, themes) for every dated event."""
    ds = ix.facts
    for r in ds.reviews:
        if r.published is not None:
            yield (
                _ev(r.published, "review-published", r.id, ix.label(r.id), ()),
                r.published,
                (r.id,),
                (*r.commissioned_by, *([r.publisher] if r.publisher else [])),
                r.themes,
            )
    for p in ds.responses:
        by = (p.by,) if p.by else ()
        yield (_ev(p.date, "response", p.id, ix.label(p.id), p.answers), p.date, p.answers, by, ())
        for b in p.blanket:
            yield (
                _ev(p.date, "blanket-stance", p.id, f"{b.stance.value} ({b.review})", (b.review,)),
                p.date,
                (b.review,),
                by,
                (),
            )
    for s in ds.stances:
        when = ix.stance_date(s)
        rec = ix.recs.get(s.recommendation)
        resp = ix.responses.get(s.response)
        yield (
            _ev(when, "stance", s.id, s.stance.value, (s.recommendation,)),
            when,
            (rec.review,) if rec else (),
            (resp.by,) if resp and resp.by else (),
            rec.themes if rec else (),
        )
    for c in ds.commitments:
        bodies = tuple(b for b in (c.owner, c.made_by) if b)
        yield (
            _ev(c.made_on, "commitment-made", c.id, ix.label(c.id), c.answers),
            c.made_on,
            ix.reviews_of(c.id),
            bodies,
            ix.themes_of(c.id),
        )
    for d in ds.due_dates:
        stated = ix.stated_date(d)
        if stated is None:  # never stated on a known day: never in force, no event
            continue
        when = stated
        com = ix.commitments.get(d.commitment)
        yield (
            _ev(when, "due-date-stated", d.id, f"target {d.target.text}", (d.commitment,)),
            when,
            ix.reviews_of(d.commitment),
            tuple(b for b in (com.owner if com else None, d.stated_by) if b),
            ix.themes_of(d.commitment),
        )
    for cl in ds.status_claims:
        when = ix.claim_date(cl)
        com = ix.commitments.get(cl.about)
        yield (
            _ev(when, "status-claim", cl.id, cl.status.value, (cl.about,)),
            when,
            ix.reviews_of(cl.about),
            tuple(b for b in (com.owner if com else None, cl.assessor) if b),
            ix.themes_of(cl.about),
        )
    for dl in ds.deliverables:
        about = tuple(f.commitment for f in dl.fulfils)
        reviews = tuple(sorted({r for a in about for r in ix.reviews_of(a)}))
        themes = tuple(sorted({t for a in about for t in ix.themes_of(a)}))
        yield (
            _ev(dl.date, "deliverable", dl.id, ix.label(dl.id), about),
            dl.date,
            reviews,
            (dl.by,) if dl.by else (),
            themes,
        )
    for bc in ds.body_changes:
        yield (
            _ev(bc.date, "body-change", bc.id, f"{bc.body} {bc.kind.value}", (bc.body, *bc.into)),
            bc.date,
            (),
            (bc.body, *bc.into),
            (),
        )


def _ev(when: DateRange, kind: str, item: str, label: str, about: tuple[str, ...]) -> TimelineEvent:
    return TimelineEvent(
        date=date_value(when), kind=kind, item=item, label=label, about=tuple(about)
    )


def timeline_events(ix: Index, as_of: date, scope: Scope) -> list[TimelineEvent]:
    """Every event whose date counts at ``as_of``, oldest first.

    Ordered by the latest day, then the earliest day, then the kind (in the order of
    :data:`EVENT_KINDS`), then the item.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.results import Filters
    >>> events = timeline_events(Index(demo_dataset()), date(2020, 6, 1),
    ...                          Scope(Filters(review="demo-2020")))
    >>> [(e.date.text, e.kind, e.item) for e in events]  # doctest: +NORMALIZE_WHITESPACE
    [('2020-03-01', 'review-published', 'demo-2020'),
     ('2020-05-01', 'response', 'demo-response'),
     ('2020-05-01', 'blanket-stance', 'demo-response'),
     ('2020-05-01', 'stance', 'demo-response/stance-2'),
     ('2020-05-01', 'commitment-made', 'demo-pledge'),
     ('2020-05-01', 'commitment-made', 'demo-rules'),
     ('2020-05-01', 'due-date-stated', 'demo-pledge/due-1')]
    """
    out = []
    for event, when, reviews, bodies, themes in _events(ix):
        if when.latest > as_of:
            continue
        if not scope.matches(reviews=reviews, bodies=bodies, themes=themes, when=when):
            continue
        out.append(event)
    out.sort(key=lambda e: (e.date.latest, e.date.earliest, _RANK[e.kind], e.item))
    return out
