"""Scorecards (per body or per review) and slippage of targets."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Literal

from reviewgraph.analysis.asof import Index, minus_years
from reviewgraph.analysis.commitments import not_followed_through
from reviewgraph.analysis.results import ScoreRow, SlippageRow
from reviewgraph.analysis.scope import Scope
from reviewgraph.vocab.concepts import StanceValue

__all__ = ["NO_OWNER", "ORPHANED", "UNKNOWN_RESPONDENT", "scorecard_rows", "slippage_rows"]

ORPHANED = "(orphaned)"
"""The scorecard key of commitments whose owner was abolished or split away."""
NO_OWNER = "(no owner)"
"""The scorecard key of commitments that name no owner."""
UNKNOWN_RESPONDENT = "(unknown respondent)"
"""The scorecard key of stances from responses that name no respondent."""

_STANCE_FIELDS = {
    StanceValue.ACCEPTED: "accepted",
    StanceValue.ACCEPTED_IN_PRINCIPLE: "accepted_in_principle",
    StanceValue.ACCEPTED_IN_PART: "accepted_in_part",
    StanceValue.NOT_ACCEPTED: "not_accepted",
    StanceValue.NOTED: "noted",
    StanceValue.TO_BE_CONSIDERED: "to_be_considered",
}


def slippage_rows(ix: Index, as_of: date, scope: Scope) -> list[SlippageRow]:
    """How each commitment's target moved, as of ``as_of``.

    Every commitment made by the date with at least one due date known then; revisions are
    the statements after the first; days slipped is the last target's latest day minus the
    first's (negative when brought forward); delivered late compares the delivery day with
    each target's latest day.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.results import Filters
    >>> [(r.commitment, r.revisions, r.days_slipped, r.late_against_first, r.late_against_last)
    ...  for r in slippage_rows(Index(demo_dataset()), date(2023, 1, 1), Scope(Filters()))]
    [('demo-pledge', 1, 181, True, False)]
    """
    rows = []
    for c in ix.facts.commitments:
        if c.made_on.latest > as_of:
            continue
        dues = ix.dues_as_of(c.id, as_of)
        if not dues:
            continue
        owner = ix.owner_as_of(c, as_of)
        if not scope.matches(
            reviews=ix.reviews_of(c.id),
            bodies=(owner.original, owner.current),
            themes=ix.themes_of(c.id),
            when=c.made_on,
        ):
            continue
        first, last = dues[0], dues[-1]
        _, on = ix.delivered(c.id, as_of)
        rows.append(
            SlippageRow(
                commitment=c.id,
                label=ix.label(c.id),
                statements=tuple(ix.due_result(d) for d in dues),
                first_target=ix.due_result(first),
                last_target=ix.due_result(last),
                revisions=len(dues) - 1,
                days_slipped=(last.target.latest - first.target.latest).days,
                delivered_on=on,
                late_against_first=(on > first.target.latest) if on else None,
                late_against_last=(on > last.target.latest) if on else None,
            )
        )
    rows.sort(key=lambda r: (-r.days_slipped, r.commitment))
    return rows


def scorecard_rows(
    ix: Index,
    as_of: date,
    by: Literal["body", "review"],
    grace_years: int,
    scope: Scope,
) -> list[ScoreRow]:
    """One row per body or per review, as of ``as_of``.

    By body, a delivered commitment counts for the body that owned it on the delivery day, one
    not followed through for the body charged with the miss, and any other for its owner as of
    the date; stances count for the body that gave them; by review, both count for the
    review (a commitment answering two reviews counts for each).  Delivered late means
    delivered after the latest day of the first target; the median is of the days from the
    commitment (its latest day) to delivery.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.results import Filters
    >>> rows = scorecard_rows(Index(demo_dataset()), date(2023, 1, 1), "review", 2,
    ...                       Scope(Filters()))
    >>> [(r.key, r.stances, r.commitments, r.delivered, r.delivered_late,
    ...   r.not_followed_through, r.median_days_to_delivery) for r in rows]
    [('demo-2010', 1, 1, 0, 0, 1, None), ('demo-2020', 2, 2, 1, 1, 1, 760.0)]
    """
    cutoff = minus_years(as_of, grace_years)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days: dict[str, list[int]] = defaultdict(list)
    for rec in ix.facts.recommendations:
        choice = ix.stance_as_of(rec.id, as_of)
        if choice is None:
            continue
        if not scope.matches(
            reviews=(rec.review,),
            bodies=(*rec.addressees, choice.response.by),
            themes=rec.themes,
            when=choice.date,
        ):
            continue
        keys = [rec.review] if by == "review" else [choice.response.by or UNKNOWN_RESPONDENT]
        for key in keys:
            counts[key]["stances"] += 1
            counts[key][_STANCE_FIELDS[choice.value]] += 1
    for c in ix.facts.commitments:
        if c.made_on.latest > as_of:
            continue
        owner = ix.owner_as_of(c, as_of)
        if not scope.matches(
            reviews=ix.reviews_of(c.id),
            bodies=(owner.original, owner.current),
            themes=ix.themes_of(c.id),
            when=c.made_on,
        ):
            continue
        delivered, on = ix.delivered(c.id, as_of)
        result = not_followed_through(ix, c, as_of, cutoff)
        if by == "review":
            keys = list(ix.reviews_of(c.id))
        else:
            # credit stays where it was earned: a delivery counts for the owner on the day
            held = ix.owner_as_of(c, on) if on is not None else owner
            if result.rules and result.charged_to is not None:
                keys = [result.charged_to]
            elif held.orphaned:
                keys = [ORPHANED]
            else:
                keys = [held.current or NO_OWNER]
        dues = ix.dues_as_of(c.id, as_of)
        late = bool(on and dues and on > dues[0].target.latest)
        nft = bool(result.rules)
        lapsed = ix.lapse(c, as_of) is not None
        for key in keys:
            row = counts[key]
            row["commitments"] += 1
            row["delivered"] += int(delivered)
            row["delivered_late"] += int(late)
            row["not_followed_through"] += int(nft)
            row["lapsed"] += int(lapsed)
            if on is not None:
                days[key].append((on - c.made_on.latest).days)
    rows = []
    for key in sorted(counts):
        median = float(statistics.median(days[key])) if days[key] else None
        rows.append(
            ScoreRow(
                key=key,
                label=ix.label(key) if key in ix.items else key,
                median_days_to_delivery=median,
                **dict(counts[key]),
            )
        )
    return rows
