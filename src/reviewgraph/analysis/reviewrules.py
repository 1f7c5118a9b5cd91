"""When a review expects a response, when that response is late, and which responses answer it.

The rules are those of the "unanswered" and "overdue response" rows of the decision table in
``docs/concepts.md``. :class:`ReviewRules` is mixed into
:class:`~reviewgraph.analysis.asof.Index`, whose lookups it reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reviewgraph.analysis.days import add_months, add_period
from reviewgraph.analysis.ranks import kind_defaults
from reviewgraph.models import Recommendation, Response, Review, Stance
from reviewgraph.rdf.records import Facts

__all__ = ["ReviewRules"]


class ReviewRules:
    """The review rules, mixed into :class:`~reviewgraph.analysis.asof.Index`."""

    facts: Facts
    responses: dict[str, Response]
    recs_of: Mapping[str, Sequence[Recommendation]]
    stances_on: Mapping[str, Sequence[Stance]]
    _by_review: dict[str, list[Response]] | None
    _memo: dict[tuple[Any, ...], object]

    # ------------------------------------------------------------------ reviews

    def expects_response(self, review: Review) -> bool:
        """Whether a review expects a response: its own flag, else its kind's default.

        A review with neither is taken not to expect one.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.expects_response(ix.reviews["demo-2020"])
        True
        """
        if review.expects_response is not None:
            return review.expects_response
        if review.kind is None:
            return False
        return bool(kind_defaults()[review.kind][0])

    def response_deadline(self, review: Review, grace_years: int | None) -> date | None:
        """The day after which a review's response is late.

        Its ``response_due`` (latest day); else publication plus its ``response_period``, or
        its kind's period; else, when ``grace_years`` is given, publication plus that many
        years.  ``None`` when none applies or the review has no publication date.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.response_deadline(ix.reviews["demo-2020"], None)
        datetime.date(2020, 5, 1)
        """
        key = ("deadline", review.id, grace_years)
        if key not in self._memo:
            self._memo[key] = self._response_deadline(review, grace_years)
        return self._memo[key]  # type: ignore[return-value]

    def _response_deadline(self, review: Review, grace_years: int | None) -> date | None:
        if review.response_due is not None:
            return review.response_due.latest
        if review.published is None:
            return None
        period = review.response_period
        if period is None and review.kind is not None:
            period = kind_defaults()[review.kind][1]
        if period is not None:
            return add_period(review.published.latest, period)
        if grace_years is None:
            return None
        return add_months(review.published.latest, 12 * grace_years)

    def _answering_review(self) -> dict[str, list[Response]]:
        """Each review with the responses that name it (``answers`` or a blanket), once."""
        cached = self._by_review
        if cached is None:
            cached = defaultdict(list)
            for resp in self.facts.responses:
                for review in {*resp.answers, *(b.review for b in resp.blanket)}:
                    cached[review].append(resp)
            self._by_review = cached
        return cached

    def responses_to(self, review_id: str) -> list[Response]:
        """Every response that answers a review, through ``answers``, a blanket or a stance.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> [r.id for r in Index(demo_dataset()).responses_to("demo-2020")]
        ['demo-response']
        """
        found: dict[str, Response] = {r.id: r for r in self._answering_review().get(review_id, ())}
        for rec in self.recs_of.get(review_id, ()):
            for st in self.stances_on.get(rec.id, ()):
                answering = self.responses.get(st.response)
                if answering is not None:
                    found[answering.id] = answering
        return sorted(found.values(), key=lambda r: (r.date.latest, r.id))
