"""Findings as of a date: lapsed, not followed through, orphaned, reversed, parked, unanswered,
overdue response; and contested statuses.

The rules are the decision table of ``docs/concepts.md``.  Every finding carries a
:class:`~reviewgraph.analysis.results.Why`: the rule, the dates compared and the citations.
The commitment rules are in :mod:`reviewgraph.analysis.commitments`; this module puts the
findings together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from reviewgraph.analysis.asof import (
    PARKING,
    Index,
    StanceChoice,
    add_months,
    date_value,
    minus_years,
)
from reviewgraph.analysis.commitments import (
    FollowThrough,
    _owner_bodies,
    commitment_fate,
    commitment_findings,
    due_progress,
    not_followed_through,
    recommendation_refs,
)
from reviewgraph.analysis.days import compared
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.recurrence import EchoLinks, promised_before
from reviewgraph.analysis.results import (
    CitationRef,
    ContestedRow,
    EarlierItem,
    Finding,
    ReversalInfo,
    Why,
)
from reviewgraph.analysis.scope import Scope
from reviewgraph.dates import DateRange
from reviewgraph.models import Recommendation, Review
from reviewgraph.vocab.concepts import AssessorRole, Status

__all__ = [
    "BUCKETS",
    "FollowThrough",
    "bucket",
    "commitment_fate",
    "contested_rows",
    "due_progress",
    "find_gaps",
    "not_followed_through",
]

_ORDER = {
    "lapsed": 0,
    "not-followed-through": 1,
    "orphaned": 2,
    "reversed": 3,
    "parked": 4,
    "unanswered": 5,
    "overdue-response": 6,
}
"""The decision table's order of categories."""

BUCKETS = {
    Status.DELIVERED: "delivered",
    Status.PARTIALLY_DELIVERED: "partly delivered",
    Status.NOT_STARTED: "open",
    Status.IN_PROGRESS: "open",
    Status.DROPPED: "dropped",
    Status.NO_EVIDENCE_FOUND: "no evidence",
}
"""The bucket each status falls in when owner-side and independent claims are compared."""


def bucket(status: Status | None) -> str:
    """The bucket of a status (``None``, no claim, is ``"no evidence"``).

    Examples
    --------
    >>> bucket(Status.IN_PROGRESS), bucket(None)
    ('open', 'no evidence')
    """
    return "no evidence" if status is None else BUCKETS[status]


def _unique(cites: Iterable[CitationRef]) -> list[CitationRef]:
    seen: dict[tuple[str, str, str | None], CitationRef] = {}
    for c in cites:
        seen.setdefault((c.item, c.source, c.locator), c)
    return list(seen.values())


def finding_order(f: Finding) -> tuple[object, ...]:
    """The order of findings: by review (naturally), then the table's order of categories,
    then by item (naturally).

    Examples
    --------
    >>> w = Why(rule="parked", explanation="...")
    >>> a = Finding(category="parked", item="r/10", item_type="recommendation", label="",
    ...             reviews=("r",), why=w)
    >>> b = a.model_copy(update={"item": "r/2"})
    >>> [f.item for f in sorted([a, b], key=finding_order)]
    ['r/2', 'r/10']
    """
    review = f.reviews[0] if f.reviews else ""
    return (natural_key(review), _ORDER[f.category], natural_key(f.item))


def find_gaps(
    ix: Index,
    echoes: EchoLinks,
    as_of: date,
    grace_years: int,
    scope: Scope,
) -> list[Finding]:
    """Every finding as of ``as_of``, in :func:`finding_order`.

    Parameters
    ----------
    ix : Index
        The dataset's index (narrowed to a knowledge date with :meth:`Index.known_by`).
    echoes : EchoLinks
        The recurrence links as of the date
        (:func:`~reviewgraph.analysis.recurrence.echo_links`).
    as_of : date
        D.
    grace_years : int
        The grace period, in years.
    scope : Scope
        The filters.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.recurrence import echo_links
    >>> from reviewgraph.analysis.results import Filters
    >>> ds = demo_dataset()
    >>> ix = Index(ds)
    >>> d = date(2023, 1, 1)
    >>> [(f.category, f.item) for f in find_gaps(ix, echo_links(ix, d), d, 2, Scope(Filters()))]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('not-followed-through', 'demo-old-pledge'), ('not-followed-through', 'demo-rules'),
     ('parked', 'demo-2020/2')]
    """
    cutoff = minus_years(as_of, grace_years)
    findings: list[Finding] = []
    nft_items: set[str] = set()
    for c in ix.facts.commitments:
        for finding in commitment_findings(ix, c, as_of, cutoff):
            if finding.category == "not-followed-through":
                nft_items.add(c.id)
            findings.append(finding)
    for rec in ix.facts.recommendations:
        found = (
            _reversed(ix, rec, as_of)
            or _parked(ix, rec, as_of, cutoff)
            or _unanswered(ix, rec, as_of, grace_years)
        )
        if found is not None:
            findings.append(found)
    for review in ix.facts.reviews:
        overdue = _overdue(ix, review, as_of)
        if overdue is not None:
            findings.append(overdue)
    out = []
    earlier: dict[str, EarlierItem | None] = {}  # each earlier item, worked out once
    for f in findings:
        if not scope.empty and not scope.matches(
            reviews=f.reviews, bodies=f.bodies, themes=f.themes, when=_range(f)
        ):
            continue
        recurrence = promised_before(ix, echoes, f.item, as_of, nft_items, earlier)
        # most items are in no thread: their finding already holds the empty count
        out.append(
            f if recurrence == f.recurrence else f.model_copy(update={"recurrence": recurrence})
        )
    out.sort(key=finding_order)
    return out


def _range(f: Finding) -> DateRange | None:
    if f.date is None:
        return None
    return DateRange(text=f.date.text, earliest=f.date.earliest, latest=f.date.latest)


def _rec_finding_base(ix: Index, rec: Recommendation, as_of: date) -> dict[str, object]:
    return {
        "item": rec.id,
        "item_type": "recommendation",
        "label": ix.label(rec.id),
        "recommendations": recommendation_refs(ix, (rec.id,)),
        "stance": ix.stance_result(rec.id, as_of),
        "status": ix.status_result(rec.id, ix.status_as_of(rec.id, as_of)),
        "direct": ix.status_result(rec.id, ix.direct_status(rec.id, as_of)),
        "rollup": ix.rollup_result(rec.id, as_of),
        "reviews": (rec.review,),
        "themes": tuple(rec.themes),
    }


def _reversed(ix: Index, rec: Recommendation, as_of: date) -> Finding | None:
    found = ix.reversal(rec.id, as_of)
    if found is None:
        return None
    earlier, later = found.earlier, found.later
    bodies = {*rec.addressees, *(b for b in (earlier.responder, later.responder) if b)}
    ended = f"; the expectation of {', '.join(found.ended)} ended" if found.ended else ""
    return Finding(
        category="reversed",
        **_rec_finding_base(ix, rec, as_of),
        bodies=tuple(sorted(bodies, key=natural_key)),
        date=date_value(later.date),
        reversal=ReversalInfo(
            earlier=ix.choice_result(earlier), later=ix.choice_result(later), ended=found.ended
        ),
        why=Why(
            rule="reversed",
            explanation=(
                f"Recommendation {rec.id} was {earlier.value.value.replace('-', ' ')} by "
                f"{earlier.responder or 'an unnamed respondent'} on {earlier.date.text} "
                f"({earlier.response.id}), then not accepted by "
                f"{later.responder or 'an unnamed respondent'} on {later.date.text} "
                f"({later.response.id}){ended}."
            ),
            dates=(
                compared(label="as of", date=as_of),
                compared(label="accepted", date=earlier.date.latest, text=earlier.date.text),
                compared(label="not accepted", date=later.date.latest, text=later.date.text),
            ),
            citations=tuple(
                _unique(
                    _choice_citations(ix, earlier)
                    + _choice_citations(ix, later)
                    + ix.item_citations(rec.id)
                )
            ),
        ),
    )


def _choice_citations(ix: Index, choice: StanceChoice) -> tuple[CitationRef, ...]:
    on = choice.stance.id if choice.stance else choice.response.id
    return ix.citations(on, choice.citations)


def _parked(ix: Index, rec: Recommendation, as_of: date, cutoff: date) -> Finding | None:
    choice = ix.stance_as_of(rec.id, as_of)
    if choice is None or choice.value not in PARKING or not choice.date.latest < cutoff:
        return None
    base = _rec_finding_base(ix, rec, as_of)
    value = choice.value.value.replace("-", " ")
    by = choice.responder or "an unnamed respondent"
    return Finding(
        category="parked",
        **base,
        bodies=tuple(sorted({*rec.addressees, *([choice.responder] if choice.responder else [])})),
        date=date_value(choice.date),
        why=Why(
            rule="parked",
            explanation=(
                f"Recommendation {rec.id} was '{value}' by {by} in {choice.response.id} on "
                f"{choice.date.text}, more than the grace period before {as_of} "
                f"(cut-off {cutoff}), with no later stance."
            ),
            dates=(
                compared(label="as of", date=as_of),
                compared(label="stance, last day", date=choice.date.latest, text=choice.date.text),
                compared(label="grace cut-off", date=cutoff),
            ),
            citations=base["stance"].citations + ix.item_citations(rec.id),  # type: ignore[attr-defined]
        ),
    )


def _unanswered(ix: Index, rec: Recommendation, as_of: date, grace_years: int) -> Finding | None:
    review = ix.reviews.get(rec.review)
    if review is None or not ix.expects_response(review):
        return None
    if review.published is None or review.published.latest > as_of:
        return None
    if ix.answered(rec.id, as_of):
        return None
    deadline = ix.response_deadline(review, grace_years)
    if deadline is None or not deadline < as_of:
        return None
    silent = tuple(r.id for r in ix.silent_responses(rec, as_of))
    said = f" {', '.join(silent)} answered the review without a stance on it." if silent else ""
    return Finding(
        category="unanswered",
        **_rec_finding_base(ix, rec, as_of),
        bodies=tuple(rec.addressees),
        date=date_value(review.published),
        responded_without_stances=silent,
        why=Why(
            rule="unanswered",
            explanation=(
                f"Recommendation {rec.id} of {review.id} (published {review.published.text}) "
                f"had no stance from any body by {as_of}; a response was due by {deadline}." + said
            ),
            dates=(
                compared(label="as of", date=as_of),
                compared(
                    label="published, last day",
                    date=review.published.latest,
                    text=review.published.text,
                ),
                compared(label="response due", date=deadline),
            ),
            citations=ix.item_citations(rec.id) + ix.item_citations(review.id),
        ),
    )


def _overdue(ix: Index, review: Review, as_of: date) -> Finding | None:
    if not ix.expects_response(review):
        return None
    deadline = ix.response_deadline(review, None)
    if deadline is None or not deadline < as_of:
        return None
    if any(r.date.latest <= as_of for r in ix.responses_to(review.id)):
        return None
    bodies = {*review.commissioned_by, *([review.publisher] if review.publisher else [])}
    for rec in ix.recs_of.get(review.id, ()):
        bodies.update(rec.addressees)
    published = review.published
    dates = [
        compared(label="as of", date=as_of),
        compared(label="response due", date=deadline),
    ]
    if published is not None:
        dates.insert(
            1, compared(label="published, last day", date=published.latest, text=published.text)
        )
    return Finding(
        category="overdue-response",
        item=review.id,
        item_type="review",
        label=ix.label(review.id),
        reviews=(review.id,),
        bodies=tuple(sorted(bodies)),
        themes=tuple(review.themes),
        date=date_value(published) if published is not None else None,
        why=Why(
            rule="overdue-response",
            explanation=(
                f"Review {review.id} expected a response by {deadline}; none had been "
                f"given by {as_of}."
            ),
            dates=tuple(dates),
            citations=ix.item_citations(review.id),
        ),
    )


def contested_rows(ix: Index, as_of: date, window_start: date, scope: Scope) -> list[ContestedRow]:
    """Commitments whose latest owner-side and independent claims fall in different buckets.

    Only claims counting at ``as_of`` and dated (latest day) on or after ``window_start`` are
    considered; owner-side claims are the owner's and the sponsor's, independent claims those
    of independent scrutiny.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.results import Filters
    >>> ix = Index(demo_dataset())
    >>> contested_rows(ix, date(2022, 1, 1), date(2020, 1, 1), Scope(Filters()))
    []
    """
    rows = []
    for c in ix.facts.commitments:
        owner_side = [
            cl
            for cl in ix.claims_as_of(c.id, as_of, (AssessorRole.OWNER, AssessorRole.SPONSOR))
            if ix.claim_date(cl).latest >= window_start
        ]
        independent = [
            cl
            for cl in ix.claims_as_of(c.id, as_of, (AssessorRole.INDEPENDENT_SCRUTINY,))
            if ix.claim_date(cl).latest >= window_start
        ]
        if not owner_side or not independent:
            continue
        a, b = bucket(owner_side[0].status), bucket(independent[0].status)
        if a == b:
            continue
        owner = ix.owner_as_of(c, as_of)
        if not scope.matches(
            reviews=ix.reviews_of(c.id),
            bodies=_owner_bodies(owner),
            themes=ix.themes_of(c.id),
            when=c.made_on,
        ):
            continue
        rows.append(
            ContestedRow(
                commitment=c.id,
                label=ix.label(c.id),
                owner_side=ix.status_result(c.id, ix.claim_evidence(owner_side[0])),
                independent=ix.status_result(c.id, ix.claim_evidence(independent[0])),
                owner_bucket=a,
                independent_bucket=b,
            )
        )
    return rows


def window_start(as_of: date) -> date:
    """The first day of the 24 months before ``as_of`` that contested claims must fall in.

    Examples
    --------
    >>> window_start(date(2025, 7, 1))
    datetime.date(2023, 7, 1)
    """
    return add_months(as_of, -24)
