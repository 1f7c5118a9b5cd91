"""The overviews of a :class:`~reviewgraph.analysis.ReviewGraph`, mixed into it.

Recurrence threads, scorecards, slippage, contested claims and the timeline: each a list over
the whole dataset as of a date, filtered by review, body, theme and a date range.  Here too are
the helpers every analysis method shares: reading the as-of date, and the filters' scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from reviewgraph.analysis.asof import Index
from reviewgraph.analysis.findings import contested_rows, window_start
from reviewgraph.analysis.recurrence import recurrences, thread_links
from reviewgraph.analysis.results import (
    ContestedResult,
    Filters,
    RecurringResult,
    ScorecardResult,
    SlippageResult,
    TimelineResult,
)
from reviewgraph.analysis.scope import Scope, related_bodies
from reviewgraph.analysis.scorecard import scorecard_rows, slippage_rows
from reviewgraph.analysis.timeline import timeline_events
from reviewgraph.collector import with_fewer_collections
from reviewgraph.models import Commitment, Recommendation
from reviewgraph.rdf.records import kind_of

__all__ = ["Overviews"]


def _as_of(value: date | str | None) -> date:
    if value is None:
        from reviewgraph.validate import today

        return today()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _day(value: date | str | None) -> date | None:
    return _as_of(value) if value is not None else None


class Overviews:
    """The overviews and shared helpers, mixed into :class:`~reviewgraph.analysis.ReviewGraph`."""

    index: Index

    # ------------------------------------------------------------------ helpers

    def _scope(
        self,
        as_of: date,
        review: str | None,
        body: str | None,
        theme: str | None,
        since: date | str | None,
        until: date | str | None,
    ) -> Scope:
        filters = Filters(
            review=review, body=body, theme=theme, since=_day(since), until=_day(until)
        )
        bodies = related_bodies(self.index, body, as_of) if body else None
        return Scope(filters, bodies)

    # ------------------------------------------------------------------ overviews

    @with_fewer_collections
    def recurring(
        self,
        as_of: date | str | None = None,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> RecurringResult:
        """Every recurrence thread as of a date (known on a date), longest first.

        A thread joins items by ``repeats`` and ``extends`` links, and a commitment to the one
        recommendation it answers; ``echoes`` links (and commitments answering several
        recommendations) attach items to threads without joining them.  Ordered by length
        (distinct reviews), then depth (bridging links on the longest chain), then size.  A
        thread passes the filters when one of its members does.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> [(r.members, r.length, r.depth) for r in rg.recurring(as_of="2023-01-01").recurrences]
        ... # doctest: +NORMALIZE_WHITESPACE
        [(('demo-2010/4', 'demo-old-pledge', 'demo-2020/1', 'demo-pledge', 'demo-rules'), 2, 1)]
        """
        day = _as_of(as_of)
        scope = self._scope(day, review, body, theme, since, until)
        ix = self.index.known_by(_day(known_on))
        links = thread_links(ix, day, ix.known_on)
        only = None
        if not scope.empty:
            only = [
                n
                for n in links
                if scope.matches(
                    reviews=ix.reviews_of(n),
                    bodies=self._bodies_of(n),
                    themes=ix.themes_of(n),
                    when=ix.item_date(n),
                )
            ]
        return RecurringResult(
            as_of=day,
            known_on=ix.known_on,
            filters=scope.filters,
            recurrences=tuple(recurrences(links, ix, only)),
        )

    def _bodies_of(self, item_id: str) -> tuple[str, ...]:
        item: Any = self.index.items.get(item_id)
        if kind_of(item) is Recommendation:
            return tuple(item.addressees)
        if kind_of(item) is Commitment:
            return tuple(b for b in (item.owner, item.made_by) if b)
        return ()

    @with_fewer_collections
    def scorecard(
        self,
        by: Literal["body", "review"] = "body",
        as_of: date | str | None = None,
        grace_years: int = 2,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> ScorecardResult:
        """Stances, commitments, delivered, delivered late, not followed through and the
        median days to delivery, per body (owner as of the date) or per review.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> [(r.key, r.stances, r.commitments, r.delivered)
        ...  for r in rg.scorecard("body", "2023-01-01").rows]
        [('demo-agency', 1, 1, 0), ('demo-agency-2', 0, 1, 1), ('demo-dept', 2, 1, 0)]
        """
        if by not in ("body", "review"):
            raise ValueError(f"by must be 'body' or 'review', not {by!r}")
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        scope = self._scope(day, review, body, theme, since, until)
        rows = scorecard_rows(ix, day, by, grace_years, scope)
        return ScorecardResult(
            as_of=day,
            known_on=ix.known_on,
            by=by,
            grace_years=grace_years,
            filters=scope.filters,
            rows=tuple(rows),
        )

    @with_fewer_collections
    def slippage(
        self,
        as_of: date | str | None = None,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> SlippageResult:
        """How each commitment's target moved and whether it was delivered late.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> row = rg.slippage(as_of="2023-01-01").rows[0]
        >>> row.commitment, row.revisions, row.first_target.target.text, row.last_target.target.text
        ('demo-pledge', 1, '2021-12', '2022-06')
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        scope = self._scope(day, review, body, theme, since, until)
        return SlippageResult(
            as_of=day,
            known_on=ix.known_on,
            filters=scope.filters,
            rows=tuple(slippage_rows(ix, day, scope)),
        )

    @with_fewer_collections
    def contested(
        self,
        as_of: date | str | None = None,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> ContestedResult:
        """Commitments whose latest owner-side claim (owner or sponsor) and latest independent
        scrutiny claim, both within the 24 months before the date, fall in different buckets.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.models import Dataset
        >>> claim = {"about": "c", "citations": [{"source": "s"}]}
        >>> ds = Dataset.model_validate({
        ...     "commitments": [{"id": "c", "summary": "Do it", "made_on": "2020-01-01"}],
        ...     "status_claims": [
        ...         {**claim, "id": "c/1", "status": "delivered", "asserted_on": "2021-01-01",
        ...          "role": "owner"},
        ...         {**claim, "id": "c/2", "status": "in progress", "asserted_on": "2021-02-01",
        ...          "role": "independent scrutiny"}]})
        >>> row = ReviewGraph.from_dataset(ds).contested(as_of="2022-01-01").rows[0]
        >>> row.owner_bucket, row.independent_bucket
        ('delivered', 'open')
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        scope = self._scope(day, review, body, theme, since, until)
        start = window_start(day)
        return ContestedResult(
            as_of=day,
            known_on=ix.known_on,
            window_start=start,
            filters=scope.filters,
            rows=tuple(contested_rows(ix, day, start, scope)),
        )

    @with_fewer_collections
    def timeline(
        self,
        as_of: date | str | None = None,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> TimelineResult:
        """Every dated event on or before the date, oldest first.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> [e.kind for e in rg.timeline(as_of="2011-01-01").events]
        ['review-published', 'response', 'stance', 'commitment-made']
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        scope = self._scope(day, review, body, theme, since, until)
        return TimelineResult(
            as_of=day,
            known_on=ix.known_on,
            filters=scope.filters,
            events=tuple(timeline_events(ix, day, scope)),
        )
