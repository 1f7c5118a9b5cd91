"""Findings as of a date: not followed through, parked, unanswered, overdue response, orphaned;
and contested statuses.

The rules are the decision table of ``docs/concepts.md``.  Every finding carries a
:class:`~reviewgraph.analysis.results.Why`: the rule, the dates compared and the citations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from reviewgraph.analysis.asof import ACCEPTING, PARKING, Index, add_months, date_value, minus_years
from reviewgraph.analysis.recurrence import EchoLinks
from reviewgraph.analysis.results import (
    CitationRef,
    ContestedRow,
    DateCompared,
    DueProgress,
    Fate,
    Finding,
    OwnerAsOf,
    RecurrenceCounts,
    Why,
)
from reviewgraph.analysis.scope import Scope
from reviewgraph.dates import DateRange
from reviewgraph.models import Commitment, Recommendation, Review
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
    "not-followed-through": 0,
    "orphaned": 1,
    "parked": 2,
    "unanswered": 3,
    "overdue-response": 4,
}

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


@dataclass(frozen=True)
class FollowThrough:
    """The outcome of the not-followed-through rules for one commitment."""

    rules: tuple[str, ...]
    why: Why | None


def not_followed_through(ix: Index, c: Commitment, as_of: date, cutoff: date) -> FollowThrough:
    """Apply the not-followed-through rules to one commitment.

    Parameters
    ----------
    ix : Index
        The dataset's index.
    c : Commitment
        The commitment.
    as_of : date
        D.
    cutoff : date
        D minus the grace period: a commitment made before it is past the grace period.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> d = date(2023, 1, 1)
    >>> not_followed_through(ix, ix.commitments["demo-rules"], d, minus_years(d, 2)).rules
    ('c',)
    """
    none = FollowThrough((), None)
    if c.made_on.latest > as_of or not ix.qualifies(c, as_of):
        return none
    if ix.delivered(c.id, as_of)[0]:
        return none
    successor_done = ix.successor_delivered(c, as_of)
    if successor_done is True:
        return none
    dues = ix.dues_as_of(c.id, as_of)
    current = dues[-1] if dues else None
    claim = ix.status_as_of(c.id, as_of)
    rules: list[str] = []
    parts: list[str] = []
    dates: list[DateCompared] = [DateCompared(label="as of", date=as_of)]
    cites: list[CitationRef] = list(ix.item_citations(c.id))
    status_text = claim.status.value.replace("-", " ") if claim else "no evidence"
    if current is not None and current.target.latest < as_of:
        rules.append("a")
        by = f" by {current.stated_by}" if current.stated_by else ""
        parts.append(
            f"(a) its latest known target, {current.target.text!r} (stated "
            f"{ix.stated_date(current).text}{by}), ended on {current.target.latest} and it "
            "was not delivered by then"
        )
        dates.append(
            DateCompared(
                label="latest known target, last day",
                date=current.target.latest,
                text=current.target.text,
            )
        )
        cites.extend(ix.citations(current.id, current.citations))
    if claim is not None and claim.status is Status.DROPPED:
        rules.append("b")
        parts.append(f"(b) it was dropped (claim {claim.id}, {ix.claim_date(claim).text})")
        dates.append(
            DateCompared(
                label="dropped", date=ix.claim_date(claim).latest, text=ix.claim_date(claim).text
            )
        )
    elif successor_done is False:
        rules.append("b")
        parts.append(f"(b) it was replaced by {c.superseded_by}, which was not delivered either")
    if not dues and c.made_on.latest < cutoff:
        rules.append("c")
        parts.append(
            f"(c) no due date was known and it was made on {c.made_on.text}, more than the "
            f"grace period before {as_of} (cut-off {cutoff})"
        )
        dates.append(
            DateCompared(label="made, last day", date=c.made_on.latest, text=c.made_on.text)
        )
        dates.append(DateCompared(label="grace cut-off", date=cutoff))
    if not rules:
        return none
    if claim is not None:
        cites.extend(ix.citations(claim.id, claim.citations))
    explanation = (
        f"Commitment {c.id} was not followed through as of {as_of}: "
        + "; ".join(parts)
        + f". Its status as of that day: {status_text}."
    )
    return FollowThrough(
        tuple(rules),
        Why(
            rule="not-followed-through (" + ", ".join(rules) + ")",
            explanation=explanation,
            dates=tuple(dates),
            citations=tuple(_unique(cites)),
        ),
    )


def _unique(cites: Iterable[CitationRef]) -> list[CitationRef]:
    seen: dict[tuple[str, str, str | None], CitationRef] = {}
    for c in cites:
        seen.setdefault((c.item, c.source, c.locator), c)
    return list(seen.values())


def commitment_fate(ix: Index, c: Commitment, as_of: date, grace_years: int) -> Fate:
    """What became of a commitment as of ``as_of``, with its evidence.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> fate = commitment_fate(ix, ix.commitments["demo-pledge"], date(2023, 1, 1), 2)
    >>> fate.delivered, fate.delivered_on, fate.owner.current
    (True, datetime.date(2022, 5, 31), 'demo-agency-2')
    """
    claim = ix.status_as_of(c.id, as_of)
    delivered, on = ix.delivered(c.id, as_of)
    dues = ix.dues_as_of(c.id, as_of)
    nft = not_followed_through(ix, c, as_of, minus_years(as_of, grace_years))
    claims = ix.claims_as_of(c.id, as_of)
    deliverables = ix.deliverables_as_of(c.id, as_of)
    cites = list(ix.status_result(c.id, claim).citations)
    for d in deliverables:
        cites.extend(ix.citations(d.id, d.citations))
    return Fate(
        status=ix.status_result(c.id, claim),
        delivered=delivered,
        delivered_on=on,
        superseded_by=c.superseded_by,
        current_target=ix.due_result(dues[-1]) if dues else None,
        not_followed_through=nft.rules,
        owner=ix.owner_as_of(c, as_of),
        deliverables=tuple(d.id for d in deliverables),
        claims=tuple(cl.id for cl in claims),
        citations=tuple(_unique(cites)),
    )


def due_progress(ix: Index, commitment_id: str, as_of: date) -> DueProgress | None:
    """The first and current targets of a commitment known at ``as_of``, with the slippage.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> p = due_progress(Index(demo_dataset()), "demo-pledge", date(2023, 1, 1))
    >>> p.first.target.text, p.current.target.text, p.revisions, p.days_slipped
    ('2021-12', '2022-06', 1, 181)
    """
    dues = ix.dues_as_of(commitment_id, as_of)
    if not dues:
        return None
    first, last = dues[0], dues[-1]
    return DueProgress(
        first=ix.due_result(first),
        current=ix.due_result(last),
        revisions=len(dues) - 1,
        days_slipped=(last.target.latest - first.target.latest).days,
    )


def _owner_bodies(owner: OwnerAsOf) -> tuple[str, ...]:
    return tuple(b for b in (owner.original, owner.current) if b)


def find_gaps(
    ix: Index,
    echoes: EchoLinks,
    as_of: date,
    grace_years: int,
    scope: Scope,
) -> list[Finding]:
    """Every finding as of ``as_of``, ordered by category then item.

    Parameters
    ----------
    ix : Index
        The dataset's index.
    echoes : EchoLinks
        The ``repeats``/``echoes`` graph as of the date
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
        result = not_followed_through(ix, c, as_of, cutoff)
        owner = ix.owner_as_of(c, as_of)
        if result.why is not None:
            nft_items.add(c.id)
            findings.append(
                Finding(
                    category="not-followed-through",
                    item=c.id,
                    item_type="commitment",
                    label=ix.label(c.id),
                    rules=result.rules,
                    due=due_progress(ix, c.id, as_of),
                    owner=owner,
                    status=ix.status_result(c.id, ix.status_as_of(c.id, as_of)),
                    reviews=ix.reviews_of(c.id),
                    bodies=tuple(
                        sorted({*_owner_bodies(owner), *([c.made_by] if c.made_by else [])})
                    ),
                    themes=ix.themes_of(c.id),
                    date=date_value(c.made_on),
                    why=result.why,
                )
            )
        if owner.orphaned and c.made_on.latest <= as_of and not ix.delivered(c.id, as_of)[0]:
            last = owner.steps[-1]
            change = ix.items[last.change]
            findings.append(
                Finding(
                    category="orphaned",
                    item=c.id,
                    item_type="commitment",
                    label=ix.label(c.id),
                    due=due_progress(ix, c.id, as_of),
                    owner=owner,
                    status=ix.status_result(c.id, ix.status_as_of(c.id, as_of)),
                    reviews=ix.reviews_of(c.id),
                    bodies=tuple(sorted(set(_owner_bodies(owner)) | {last.from_body})),
                    themes=ix.themes_of(c.id),
                    date=date_value(c.made_on),
                    why=Why(
                        rule="orphaned",
                        explanation=(
                            f"Commitment {c.id} has no owner as of {as_of}: its owner "
                            f"{last.from_body} was {last.kind.replace('-', ' ')} on "
                            f"{last.date.text} ({last.change}) and no resulting body was named "
                            "for it."
                        ),
                        dates=(
                            DateCompared(label="as of", date=as_of),
                            DateCompared(
                                label="body change", date=last.date.latest, text=last.date.text
                            ),
                        ),
                        citations=ix.citations(last.change, getattr(change, "citations", ()) or ())
                        + ix.item_citations(c.id),
                    ),
                )
            )
    for rec in ix.facts.recommendations:
        finding = _parked(ix, rec, as_of, cutoff) or _unanswered(ix, rec, as_of, grace_years)
        if finding is not None:
            findings.append(finding)
    for review in ix.facts.reviews:
        finding = _overdue(ix, review, as_of)
        if finding is not None:
            findings.append(finding)
    out = []
    groups = _groups(ix, echoes)
    for f in findings:
        if not scope.matches(reviews=f.reviews, bodies=f.bodies, themes=f.themes, when=_range(f)):
            continue
        recurrence = _recurrence(ix, echoes, groups, f, as_of, nft_items)
        out.append(f.model_copy(update={"recurrence": recurrence}))
    out.sort(key=lambda f: (_ORDER[f.category], f.item))
    return out


def _range(f: Finding) -> DateRange | None:
    if f.date is None:
        return None
    return DateRange(text=f.date.text, earliest=f.date.earliest, latest=f.date.latest)


def _parked(ix: Index, rec: Recommendation, as_of: date, cutoff: date) -> Finding | None:
    choice = ix.stance_as_of(rec.id, as_of)
    if choice is None or choice.value not in PARKING or not choice.date.latest < cutoff:
        return None
    stance = ix.stance_result(rec.id, as_of)
    value = choice.value.value.replace("-", " ")
    return Finding(
        category="parked",
        item=rec.id,
        item_type="recommendation",
        label=ix.label(rec.id),
        stance=stance,
        status=ix.status_result(rec.id, ix.status_as_of(rec.id, as_of)),
        reviews=(rec.review,),
        bodies=tuple(
            sorted({*rec.addressees, *([choice.response.by] if choice.response.by else [])})
        ),
        themes=tuple(rec.themes),
        date=date_value(choice.date),
        why=Why(
            rule="parked",
            explanation=(
                f"Recommendation {rec.id} was '{value}' in {choice.response.id} on "
                f"{choice.date.text}, more than the grace period before {as_of} "
                f"(cut-off {cutoff}), with no later stance."
            ),
            dates=(
                DateCompared(label="as of", date=as_of),
                DateCompared(
                    label="stance, last day", date=choice.date.latest, text=choice.date.text
                ),
                DateCompared(label="grace cut-off", date=cutoff),
            ),
            citations=stance.citations + ix.item_citations(rec.id),
        ),
    )


def _unanswered(ix: Index, rec: Recommendation, as_of: date, grace_years: int) -> Finding | None:
    review = ix.reviews.get(rec.review)
    if review is None or not ix.expects_response(review):
        return None
    if review.published is None or review.published.latest > as_of:
        return None
    if ix.stance_as_of(rec.id, as_of) is not None:
        return None
    deadline = ix.response_deadline(review, grace_years)
    if deadline is None or not deadline < as_of:
        return None
    return Finding(
        category="unanswered",
        item=rec.id,
        item_type="recommendation",
        label=ix.label(rec.id),
        stance=ix.stance_result(rec.id, as_of),
        status=ix.status_result(rec.id, ix.status_as_of(rec.id, as_of)),
        reviews=(rec.review,),
        bodies=tuple(rec.addressees),
        themes=tuple(rec.themes),
        date=date_value(review.published),
        why=Why(
            rule="unanswered",
            explanation=(
                f"Recommendation {rec.id} of {review.id} (published {review.published.text}) "
                f"had no stance from its addressee or the government by {as_of}; a response "
                f"was due by {deadline}."
            ),
            dates=(
                DateCompared(label="as of", date=as_of),
                DateCompared(
                    label="published, last day",
                    date=review.published.latest,
                    text=review.published.text,
                ),
                DateCompared(label="response due", date=deadline),
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
        DateCompared(label="as of", date=as_of),
        DateCompared(label="response due", date=deadline),
    ]
    if published is not None:
        dates.insert(
            1, DateCompared(label="published, last day", date=published.latest, text=published.text)
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


def _groups(ix: Index, echoes: EchoLinks) -> dict[str, str]:
    """Each item of the echo graph with its recurrence's first item (earliest, then id)."""
    out: dict[str, str] = {}
    for component in echoes.components():
        first = min(component, key=lambda m: (_day(ix, m) or date.max, m))
        for member in component:
            out[member] = first
    return out


def _recurrence(
    ix: Index,
    echoes: EchoLinks,
    groups: dict[str, str],
    f: Finding,
    as_of: date,
    nft_items: set[str],
) -> RecurrenceCounts:
    seeds = [f.item]
    if f.item_type == "commitment":
        seeds.extend(ix.commitments[f.item].answers)
    earlier: set[str] = set()
    group: str | None = None
    for s in seeds:
        if s in echoes:
            earlier |= echoes.descendants(s)
            if group is None:
                group = groups[s]
    recs = sorted(e for e in earlier - set(seeds) if e in ix.recs)
    accepted = []
    for r in recs:
        choice = ix.stance_as_of(r, as_of)
        if choice is not None and choice.value in ACCEPTING:
            accepted.append(r)
    nft = [r for r in accepted if any(c.id in nft_items for c in ix.answering.get(r, ()))]
    return RecurrenceCounts(
        recurrence=group,
        recommended_before=len(recs),
        accepted_before=len(accepted),
        not_followed_through_before=len(nft),
        earlier=tuple(recs),
    )


def _day(ix: Index, item_id: str) -> date | None:
    when = ix.item_date(item_id)
    return when.latest if when is not None else None


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
                owner_side=ix.status_result(c.id, owner_side[0]),
                independent=ix.status_result(c.id, independent[0]),
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
