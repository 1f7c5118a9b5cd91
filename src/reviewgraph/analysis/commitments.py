"""The commitment rows of the decision table: lapsed, not followed through (a, b, c), orphaned;
and a commitment's fate as of D.

The rules are the decision table of ``docs/concepts.md`` ("A body is held to its own word",
"Lapsed pledges", "Succession of bodies", "Due dates").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from reviewgraph.analysis.asof import Index, date_value, minus_years
from reviewgraph.analysis.days import compared
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.ranks import concept_label
from reviewgraph.analysis.results import (
    CitationRef,
    DateCompared,
    DueProgress,
    Fate,
    Finding,
    OwnerAsOf,
    RecommendationRef,
    Why,
)
from reviewgraph.models import Commitment, DueDateStatement
from reviewgraph.vocab.concepts import StanceValue, Status

__all__ = [
    "FollowThrough",
    "commitment_fate",
    "commitment_findings",
    "due_progress",
    "not_followed_through",
    "recommendation_refs",
]

_LABELLED_ROLES = {"contractor": "a contractor", "commentator": "a commentator"}


@dataclass(frozen=True)
class FollowThrough:
    """The outcome of the not-followed-through rules for one commitment."""

    rules: tuple[str, ...]
    why: Why | None
    charged_to: str | None = None
    """The owner on the day of the first miss (the body charged)."""


def _unique(cites: Iterable[CitationRef]) -> list[CitationRef]:
    seen: dict[tuple[str, str, str | None], CitationRef] = {}
    for c in cites:
        seen.setdefault((c.item, c.source, c.locator), c)
    return list(seen.values())


def expected(ix: Index, c: Commitment, as_of: date) -> bool:
    """Whether a commitment is judged as of ``as_of``: made by then, not lapsed, its
    expectation not ended by a reversal, and not replaced by an item existing then (a
    replaced commitment is shown in its replacement's history instead).

    Every other commitment is expected, whatever the stance on what it answers (its own word).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> expected(ix, ix.commitments["demo-pledge"], date(2021, 1, 1))
    True
    """
    if c.made_on.latest > as_of or ix.lapse(c, as_of) is not None:
        return False
    if ix.replaced(c, as_of):
        return False
    return ix.expectation_ended(c, as_of) is None


def not_followed_through(ix: Index, c: Commitment, as_of: date, cutoff: date) -> FollowThrough:
    """Apply the not-followed-through rules (a), (b), (c) to one commitment.

    Parameters
    ----------
    ix : Index
        The dataset's index (narrowed to the knowledge date, if any).
    c : Commitment
        The commitment.
    as_of : date
        D.
    cutoff : date
        D minus the grace period.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> d = date(2023, 1, 1)
    >>> not_followed_through(ix, ix.commitments["demo-rules"], d, minus_years(d, 2)).rules
    ('c',)
    """
    none = FollowThrough((), None)
    if not expected(ix, c, as_of) or ix.delivered(c.id, as_of)[0]:
        return none
    dues = ix.dues_as_of(c.id, as_of)
    current = dues[-1] if dues else None
    ev = ix.status_as_of(c.id, as_of)
    rules: list[str] = []
    parts: list[str] = []
    charged: list[str | None] = []
    dates: list[DateCompared] = [compared(label="as of", date=as_of)]
    cites: list[CitationRef] = list(ix.item_citations(c.id))
    if current is not None and current.target.latest < as_of:
        rules.append("a")
        parts.append(
            f"(a) its target in force, {current.target.text!r} ({_stated(ix, current)}), "
            f"ended on {current.target.latest} and it was not delivered by then"
        )
        charged.append(ix.owner_on(c, current.target.latest + timedelta(days=1)))
        dates.append(
            compared(
                label="target in force, last day",
                date=current.target.latest,
                text=current.target.text,
            )
        )
        cites.extend(ix.citations(current.id, current.citations))
    if ev is not None and ev.status is Status.DROPPED:
        rules.append("b")
        parts.append(f"(b) it was dropped ({ev.id}, {ev.date.text})")
        charged.append(ix.owner_on(c, ev.date.latest))
        dates.append(compared(label="dropped", date=ev.date.latest, text=ev.date.text))
    start = ix.chain_start(c)
    if not dues and start.latest < cutoff:
        rules.append("c")
        what = "it" if start == c.made_on else "the first commitment it replaced"
        parts.append(
            f"(c) no target was in force and {what} was made on {start.text}, more than the "
            f"grace period before {as_of} (cut-off {cutoff})"
        )
        charged.append(ix.owner_on(c, cutoff))
        dates.append(compared(label="made, last day", date=start.latest, text=start.text))
        dates.append(compared(label="grace cut-off", date=cutoff))
    if not rules:
        return none
    if ev is not None:
        cites.extend(ix.citations(ev.id, ev.citations))
    status_text = concept_label(ev.status.value) if ev else "not recorded"
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
        charged_to=charged[0],
    )


def _stated(ix: Index, due: DueDateStatement) -> str:
    when = ix.stated_date(due)
    role = ix.due_role(due)
    who = getattr(due, "stated_by", None)
    text = f"stated on {when.text}" if when is not None else "stated"
    if who:
        text += f" by {who}"
    if role in _LABELLED_ROLES:
        text = f"stated by {_LABELLED_ROLES[role]}, {who}, on {when.text if when else '?'}"
    return text


def recommendation_refs(ix: Index, rec_ids: Iterable[str]) -> tuple[RecommendationRef, ...]:
    """The recommendations a finding concerns: id, label and summary."""
    out = []
    for r in sorted(set(rec_ids), key=natural_key):
        rec = ix.recs.get(r)
        out.append(
            RecommendationRef(
                id=r,
                label=rec.label if rec is not None else None,
                summary=rec.summary if rec is not None else None,
            )
        )
    return tuple(out)


def _owner_bodies(owner: OwnerAsOf) -> tuple[str, ...]:
    return tuple(b for b in (owner.original, owner.current) if b)


def commitment_findings(ix: Index, c: Commitment, as_of: date, cutoff: date) -> list[Finding]:
    """The findings about one commitment as of ``as_of``: lapsed, not followed through,
    orphaned.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> d = date(2023, 1, 1)
    >>> [f.category for f in commitment_findings(ix, ix.commitments["demo-rules"], d,
    ...                                          minus_years(d, 2))]
    ['not-followed-through']
    """
    if c.made_on.latest > as_of:
        return []
    owner = ix.owner_as_of(c, as_of)
    election = ix.lapse(c, as_of)
    result = not_followed_through(ix, c, as_of, cutoff) if election is None else None
    orphaned = (
        election is None
        and owner.orphaned
        and not ix.delivered(c.id, as_of)[0]
        and not ix.replaced(c, as_of)
        and ix.expectation_ended(c, as_of) is None
    )
    if election is None and not orphaned and (result is None or result.why is None):
        return []  # most commitments: no finding, so nothing more to build
    stances = tuple(ix.stance_result(r, as_of) for r in c.answers)
    base = {
        "item": c.id,
        "item_type": "commitment",
        "label": ix.label(c.id),
        "owner": owner,
        "status": ix.status_result(c.id, ix.status_as_of(c.id, as_of)),
        "reviews": ix.reviews_of(c.id),
        "themes": ix.themes_of(c.id),
        "date": date_value(c.made_on),
        "recommendations": recommendation_refs(ix, c.answers),
        "stances": stances,
        "stance": next((s for s in stances if s.value is not None), None),
        "history": ix.history(c, as_of),
        "due": due_progress(ix, c.id, as_of),
    }
    bodies = {*_owner_bodies(owner), *([c.made_by] if c.made_by else [])}
    if election is not None:
        return [
            Finding(
                category="lapsed",
                **base,
                bodies=tuple(sorted(bodies, key=natural_key)),
                lapsed_on=election.id,
                why=Why(
                    rule="lapsed",
                    explanation=(
                        f"Manifesto pledge {c.id} of {c.made_by} lapsed at the election "
                        f"{election.id} on {election.date.text}: the government was formed by "
                        f"{', '.join(election.formed_government) or 'others'}."
                    ),
                    dates=(
                        compared(label="as of", date=as_of),
                        compared(
                            label="election", date=election.date.latest, text=election.date.text
                        ),
                    ),
                    citations=tuple(
                        _unique(
                            ix.item_citations(c.id) + ix.citations(election.id, election.citations)
                        )
                    ),
                ),
            )
        ]
    out: list[Finding] = []
    conflict = tuple(s for s in stances if s.value == StanceValue.NOT_ACCEPTED.value)
    if result is not None and result.why is not None:
        out.append(
            Finding(
                category="not-followed-through",
                **base,
                rules=result.rules,
                bodies=tuple(sorted(bodies, key=natural_key)),
                charged_to=result.charged_to,
                conflict=conflict,
                why=result.why,
            )
        )
    if orphaned:
        last = owner.steps[-1]
        change = ix.items[last.change]
        out.append(
            Finding(
                category="orphaned",
                **base,
                bodies=tuple(sorted(set(_owner_bodies(owner)) | {last.from_body})),
                conflict=conflict,
                why=Why(
                    rule="orphaned",
                    explanation=(
                        f"Commitment {c.id} has no owner as of {as_of}: its owner "
                        f"{last.from_body} was {last.kind.replace('-', ' ')} on "
                        f"{last.date.text} ({last.change}) and no resulting body was named "
                        "for it."
                    ),
                    dates=(
                        compared(label="as of", date=as_of),
                        compared(label="body change", date=last.date.latest, text=last.date.text),
                    ),
                    citations=ix.citations(last.change, getattr(change, "citations", ()) or ())
                    + ix.item_citations(c.id),
                ),
            )
        )
    return out


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
    ev = ix.status_as_of(c.id, as_of)
    delivered, on = ix.delivered(c.id, as_of)
    dues = ix.dues_as_of(c.id, as_of)
    nft = not_followed_through(ix, c, as_of, minus_years(as_of, grace_years))
    claims = ix.claims_as_of(c.id, as_of)
    deliverables = ix.deliverables_as_of(c.id, as_of)
    status = ix.status_result(c.id, ev)
    cites = list(status.citations)
    for d in deliverables:
        cites.extend(ix.citations(d.id, d.citations))
    return Fate(
        status=status,
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
    """The first target and the target in force of a commitment as of ``as_of``, with the
    slippage.

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
