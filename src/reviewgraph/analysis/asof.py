"""The as-of rules: what a dataset said about an item on a given day.

These functions implement the normative semantics of ``docs/concepts.md``:

* a dated item **counts at D** when its date's latest bound is on or before D;
* the **stance** of a recommendation as of D is the latest stance counting at D from a response
  by the body it was addressed to, or by a government body answering for it (a per-
  recommendation stance of a response replaces that response's blanket stance);
* the **status** of an item as of D is the latest status claim counting at D (a claim's date is
  ``since`` when given, else ``asserted_on``), ties broken by assessor role, then the less
  advanced status, then IRI order;
* the **owner** of a commitment as of D follows its owner's body changes.

They work on an :class:`Index` of a :class:`~reviewgraph.models.Dataset`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from reviewgraph.analysis.days import add_months, add_period, counts, date_value, minus_years
from reviewgraph.analysis.owners import ChangeFact, walk_owner
from reviewgraph.analysis.ranks import kind_defaults, role_rank, status_rank
from reviewgraph.analysis.results import (
    CitationRef,
    DueStatement,
    OwnerAsOf,
    StanceAsOf,
    StatusAsOf,
)
from reviewgraph.dates import DateRange
from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    Dataset,
    Deliverable,
    DueDateStatement,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
)
from reviewgraph.rdf.records import Facts, kind_of
from reviewgraph.vocab.concepts import (
    AssessorRole,
    FulfilmentDegree,
    StanceValue,
    Status,
    concept_iri,
)
from reviewgraph.vocab.namespaces import BASE_IRI

__all__ = [
    "ACCEPTING",
    "PARKING",
    "ChangeFact",
    "Index",
    "StanceChoice",
    "add_months",
    "add_period",
    "counts",
    "date_value",
    "kind_defaults",
    "minus_years",
    "role_rank",
    "status_rank",
    "walk_owner",
]

ACCEPTING = frozenset(
    {StanceValue.ACCEPTED, StanceValue.ACCEPTED_IN_PRINCIPLE, StanceValue.ACCEPTED_IN_PART}
)
"""Stances under which a commitment answering the recommendation is expected to be delivered."""

PARKING = frozenset({StanceValue.TO_BE_CONSIDERED, StanceValue.NOTED})
"""Stances that park a recommendation."""


@dataclass(frozen=True)
class StanceChoice:
    """A candidate stance on a recommendation: a stance item or a response's blanket stance."""

    recommendation: str
    value: StanceValue
    date: DateRange
    response: Response
    stance: Stance | None
    """``None`` for a blanket stance."""
    citations: tuple[Citation, ...]

    @property
    def blanket(self) -> bool:
        """Whether the value comes from the response's blanket stance.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).stance_as_of("demo-2020/1", date(2021, 1, 1)).blanket
        True
        """
        return self.stance is None

    def sort_key(self) -> tuple[int, int, str, str]:
        """Key under which the **first** candidate wins: latest, specific, then IRI order.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> choice = Index(demo_dataset()).stance_as_of("demo-2020/2", date(2021, 1, 1))
        >>> choice.sort_key()[1:3]
        (0, 'demo-response')
        """
        tiebreak = self.stance.id if self.stance else str(concept_iri(self.value))
        return (-self.date.latest.toordinal(), 0 if self.stance else 1, self.response.id, tiebreak)


class Index:
    """Lookups over a dataset that the as-of rules and the analyses share.

    Parameters
    ----------
    dataset : Dataset
        The items to index.
    base : str
        The IRI base of identifiers (IRI order is the order of ``base + id``).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> ix.stance_as_of("demo-2020/1", date(2021, 1, 1)).value
    <StanceValue.ACCEPTED: 'accepted'>
    """

    def __init__(self, dataset: Dataset | Facts, base: str = BASE_IRI) -> None:
        if isinstance(dataset, Dataset):
            dataset = Facts.from_dataset(dataset)
        self.facts = dataset
        self.base = base
        self.items = dataset.index()
        self.reviews: dict[str, Review] = {r.id: r for r in dataset.reviews}
        self.recs: dict[str, Recommendation] = {r.id: r for r in dataset.recommendations}
        self.responses: dict[str, Response] = {r.id: r for r in dataset.responses}
        self.commitments: dict[str, Commitment] = {c.id: c for c in dataset.commitments}
        self.deliverables: dict[str, Deliverable] = {d.id: d for d in dataset.deliverables}
        self.bodies: dict[str, Body] = {b.id: b for b in dataset.bodies}
        self.sources: dict[str, Source] = {s.id: s for s in dataset.sources}
        self.recs_of: dict[str, list[Recommendation]] = defaultdict(list)
        for rec in dataset.recommendations:
            self.recs_of[rec.review].append(rec)
        self.stances_on: dict[str, list[Stance]] = defaultdict(list)
        self.stances_in: dict[str, list[Stance]] = defaultdict(list)
        for st in dataset.stances:
            self.stances_on[st.recommendation].append(st)
            self.stances_in[st.response].append(st)
        self.blankets_for: dict[str, list[tuple[Response, int]]] = defaultdict(list)
        for resp in dataset.responses:
            for i, b in enumerate(resp.blanket):
                self.blankets_for[b.review].append((resp, i))
        self.claims_about: dict[str, list[StatusClaim]] = defaultdict(list)
        for claim in dataset.status_claims:
            self.claims_about[claim.about].append(claim)
        self.dues_for: dict[str, list[DueDateStatement]] = defaultdict(list)
        for due in dataset.due_dates:
            self.dues_for[due.commitment].append(due)
        self.fulfilled_by: dict[str, list[tuple[Deliverable, FulfilmentDegree]]] = defaultdict(list)
        for dlv in dataset.deliverables:
            for f in dlv.fulfils:
                self.fulfilled_by[f.commitment].append((dlv, f.degree))
        self.answering: dict[str, list[Commitment]] = defaultdict(list)
        for com in dataset.commitments:
            for rec_id in com.answers:
                self.answering[rec_id].append(com)
        self.changes_of: dict[str, list[BodyChange]] = defaultdict(list)
        for change in dataset.body_changes:
            self.changes_of[change.body].append(change)
        for changes in self.changes_of.values():
            changes.sort(key=lambda c: (c.date.latest, c.id))
        self._facts: dict[str, list[ChangeFact]] | None = None
        self._by_review: dict[str, list[Response]] | None = None
        self._memo: dict[tuple[Any, ...], object] = {}
        """Answers already given (the rules ask for the same item on the same day often)."""
        self._cites: dict[tuple[str, tuple[Citation, ...]], tuple[CitationRef, ...]] = {}

    # ------------------------------------------------------------------ general

    def iri(self, item_id: str) -> str:
        """Return the IRI string of an item.

        Examples
        --------
        >>> from reviewgraph.models import Dataset
        >>> Index(Dataset()).iri("kark-2019/5")
        'https://w3id.org/reviewgraph/id/kark-2019/5'
        """
        return self.base + item_id

    def label(self, item_id: str) -> str:
        """Return a short human label for an item (title, summary, name or id).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).label("demo-pledge")
        'Publish a plan'
        """
        item: Any = self.items.get(item_id)
        for name in ("title", "name", "label"):
            value = getattr(item, name, None)
            if isinstance(value, str) and value:
                if kind_of(item) is Recommendation:
                    return f"{item.review} recommendation {value}"
                return value
        summary = getattr(item, "summary", None)
        if isinstance(summary, str) and summary:
            return summary if len(summary) <= 120 else summary[:117] + "..."
        return item_id

    def item_type(self, item_id: str) -> str:
        """Return the kind of an item in lower case (``"commitment"``, ``"review"``, ...).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).item_type("demo-2020/1")
        'recommendation'
        """
        item: Any = self.items.get(item_id)
        if item is None:
            return "unknown"
        name = type(item).__name__
        return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")

    def item_date(self, item_id: str) -> Any:
        """Return the date an item came into being, if it has one.

        A review's publication date; a recommendation's review's; when a commitment was made;
        a deliverable's, response's, stance's, claim's (see :meth:`claim_date`) or change's date.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).item_date("demo-2020/1").text
        '2020-03-01'
        """
        item: Any = self.items.get(item_id)
        if kind_of(item) is Review:
            return item.published
        if kind_of(item) is Recommendation:
            review = self.reviews.get(item.review)
            return review.published if review else None
        if kind_of(item) is Commitment:
            return item.made_on
        if kind_of(item) in (Deliverable, Response, BodyChange):
            return item.date
        if kind_of(item) is Stance:
            return self.stance_date(item)
        if kind_of(item) is StatusClaim:
            return self.claim_date(item)
        if kind_of(item) is DueDateStatement:
            return self.stated_date(item)
        return None

    def exists(self, item_id: str, as_of: date) -> bool:
        """Whether an item exists at ``as_of``: it is undated, or its date counts.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.exists("demo-2020/1", date(2020, 1, 1)), ix.exists("demo-2020/1", date(2021, 1, 1))
        (False, True)
        """
        when = self.item_date(item_id)
        return when is None or when.latest <= as_of

    def reviews_of(self, item_id: str) -> tuple[str, ...]:
        """Return the reviews an item belongs to or answers, the most direct first.

        For a commitment, the reviews of the recommendations it answers come first (sorted),
        then any other review its response answers.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).reviews_of("demo-pledge")
        ('demo-2020',)
        """
        item: Any = self.items.get(item_id)
        found: set[str] = set()
        extra: set[str] = set()
        if kind_of(item) is Review:
            found.add(item.id)
        elif kind_of(item) is Recommendation:
            found.add(item.review)
        elif kind_of(item) is Commitment:
            for rec_id in item.answers:
                rec = self.recs.get(rec_id)
                if rec:
                    found.add(rec.review)
            resp = self.responses.get(item.response or "")
            if resp:
                extra.update(resp.answers)
        elif kind_of(item) is Deliverable:
            for f in item.fulfils:
                found.update(self.reviews_of(f.commitment))
        return (*sorted(found), *sorted(extra - found))

    def themes_of(self, item_id: str) -> tuple[str, ...]:
        """Return the themes of an item (a commitment's include its recommendations').

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).themes_of("demo-pledge")
        ('planning',)
        """
        item: Any = self.items.get(item_id)
        found: set[str] = set(getattr(item, "themes", ()) or ())
        if kind_of(item) is Commitment:
            for rec_id in item.answers:
                rec = self.recs.get(rec_id)
                if rec:
                    found.update(rec.themes)
        return tuple(sorted(found))

    def citations(self, item_id: str, cites: Iterable[Citation]) -> tuple[CitationRef, ...]:
        """Turn citations attached to ``item_id`` into result citations (with source urls).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.citations("demo-pledge", ix.commitments["demo-pledge"].citations)[0].url
        'https://example.org/response'
        """
        key = (item_id, tuple(cites))
        found = self._cites.get(key)
        if found is None:
            found = self._cites[key] = self._citations(item_id, key[1])
        return found

    def _citations(self, item_id: str, cites: Iterable[Citation]) -> tuple[CitationRef, ...]:
        out = []
        for c in cites:
            src = self.sources.get(c.source)
            out.append(
                CitationRef(
                    item=item_id,
                    source=c.source,
                    url=src.url if src else None,
                    title=src.title if src else None,
                    locator=c.locator,
                )
            )
        return tuple(out)

    def item_citations(self, item_id: str) -> tuple[CitationRef, ...]:
        """Return the citations attached to an item itself.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> [c.source for c in Index(demo_dataset()).item_citations("demo-2020")]
        ['demo-report']
        """
        item: Any = self.items.get(item_id)
        return self.citations(item_id, getattr(item, "citations", ()) or ())

    # ------------------------------------------------------------------ stances

    def stance_date(self, stance: Stance) -> DateRange:
        """A stance's date: its own, else its response's.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.stance_date(ix.facts.stances[0]).text
        '2010-09-01'
        """
        if stance.date is not None:
            return stance.date
        return self.responses[stance.response].date

    def eligible(self, rec: Recommendation, response: Response) -> bool:
        """Whether a response's stances count for a recommendation.

        They count when the response names no respondent, the recommendation names no
        addressee, the respondent is an addressee, or the respondent answers for government.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.eligible(ix.recs["demo-2020/1"], ix.responses["demo-response"])
        True
        """
        by = response.by
        if by is None or not rec.addressees or by in rec.addressees:
            return True
        body = self.bodies.get(by)
        return bool(body and body.government)

    def stance_candidates(self, rec_id: str, as_of: date) -> list[StanceChoice]:
        """Every stance on a recommendation that counts at ``as_of``, the winner first.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> [c.value.value for c in ix.stance_candidates("demo-2020/2", date(2021, 1, 1))]
        ['to-be-considered']
        """
        rec = self.recs.get(rec_id)
        if rec is None:
            return []
        out: list[StanceChoice] = []
        with_exception: set[str] = set()
        for st in self.stances_on.get(rec_id, ()):
            resp = self.responses.get(st.response)
            if resp is None:
                continue
            with_exception.add(resp.id)
            when = self.stance_date(st)
            if when.latest <= as_of and self.eligible(rec, resp):
                out.append(StanceChoice(rec_id, st.stance, when, resp, st, st.citations))
        for resp, i in self.blankets_for.get(rec.review, ()):
            if resp.id in with_exception:
                continue
            if resp.date.latest <= as_of and self.eligible(rec, resp):
                b = resp.blanket[i]
                out.append(StanceChoice(rec_id, b.stance, resp.date, resp, None, b.citations))
        out.sort(key=StanceChoice.sort_key)
        return out

    def stance_as_of(self, rec_id: str, as_of: date) -> StanceChoice | None:
        """The stance on a recommendation as of ``as_of``, or ``None`` if none counts yet.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.stance_as_of("demo-2020/1", date(2020, 4, 1)) is None
        True
        """
        key = ("stance", rec_id, as_of)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        found = self.stance_candidates(rec_id, as_of)
        choice = found[0] if found else None
        self._memo[key] = choice
        return choice

    def stance_result(self, rec_id: str, as_of: date) -> StanceAsOf:
        """The stance as of ``as_of`` as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).stance_result("demo-2020/1", date(2021, 1, 1)).blanket
        True
        """
        choice = self.stance_as_of(rec_id, as_of)
        if choice is None:
            return StanceAsOf(recommendation=rec_id)
        on = choice.stance.id if choice.stance else choice.response.id
        return StanceAsOf(
            recommendation=rec_id,
            value=choice.value.value,
            date=date_value(choice.date),
            response=choice.response.id,
            stance=choice.stance.id if choice.stance else None,
            blanket=choice.blanket,
            respondent=choice.response.by,
            citations=self.citations(on, choice.citations),
        )

    def qualifies(self, commitment: Commitment, as_of: date) -> bool:
        """Whether a commitment is expected to be delivered as of ``as_of``.

        It is when it answers no recommendation (a standalone pledge) or at least one whose
        stance as of the date accepts it (fully, in principle or in part).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.qualifies(ix.commitments["demo-pledge"], date(2021, 1, 1))
        True
        """
        if not commitment.answers:
            return True
        for rec_id in commitment.answers:
            choice = self.stance_as_of(rec_id, as_of)
            if choice is not None and choice.value in ACCEPTING:
                return True
        return False

    # ------------------------------------------------------------------ statuses

    @staticmethod
    def claim_date(claim: StatusClaim) -> DateRange:
        """A status claim's date: when the state began if given, else when it was asserted.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index.claim_date(demo_dataset().status_claims[0]).text
        '2021-06-01'
        """
        return claim.since if claim.since is not None else claim.asserted_on

    def claim_key(self, claim: StatusClaim) -> tuple[int, int, int, str]:
        """Key under which the **first** claim wins: latest, role order, less advanced, IRI.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.claim_key(ix.facts.status_claims[0])[1:3]
        (2, 3)
        """
        return (
            -self.claim_date(claim).latest.toordinal(),
            role_rank(claim.role),
            status_rank(claim.status),
            claim.id,
        )

    def claims_as_of(
        self, item_id: str, as_of: date, roles: Iterable[AssessorRole] | None = None
    ) -> list[StatusClaim]:
        """The status claims about an item counting at ``as_of``, the winner first.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> [c.status.value for c in Index(demo_dataset()).claims_as_of("demo-pledge",
        ...                                                              date(2022, 1, 1))]
        ['in-progress']
        """
        wanted = set(roles) if roles is not None else None
        found = [
            c
            for c in self.claims_about.get(item_id, ())
            if self.claim_date(c).latest <= as_of and (wanted is None or c.role in wanted)
        ]
        found.sort(key=self.claim_key)
        return found

    def status_as_of(self, item_id: str, as_of: date) -> StatusClaim | None:
        """The winning status claim about an item as of ``as_of`` (``None``: no evidence).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).status_as_of("demo-pledge", date(2021, 1, 1)) is None
        True
        """
        key = ("status", item_id, as_of)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        found = self.claims_as_of(item_id, as_of)
        claim = found[0] if found else None
        self._memo[key] = claim
        return claim

    def status_result(self, item_id: str, claim: StatusClaim | None) -> StatusAsOf:
        """A status claim (or none) as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> Index(demo_dataset()).status_result("demo-pledge", None).status
        'no-evidence'
        """
        if claim is None:
            return StatusAsOf(item=item_id)
        return StatusAsOf(
            item=item_id,
            status=claim.status.value,
            claim=claim.id,
            date=date_value(self.claim_date(claim)),
            role=claim.role.value,
            assessor=claim.assessor,
            citations=self.citations(claim.id, claim.citations),
        )

    def delivered(self, commitment_id: str, as_of: date) -> tuple[bool, date | None]:
        """Whether a commitment counts as delivered as of ``as_of``, and since when.

        It does when its status as of the date is ``delivered``, or a deliverable dated by
        then fulfils it in full.  The delivery day is the earliest latest-bound among the
        ``delivered`` claims and in-full deliverables counting at the date.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.delivered("demo-pledge", date(2023, 1, 1))
        (True, datetime.date(2022, 5, 31))
        """
        claim = self.status_as_of(commitment_id, as_of)
        days = [
            self.claim_date(c).latest
            for c in self.claims_about.get(commitment_id, ())
            if c.status is Status.DELIVERED and self.claim_date(c).latest <= as_of
        ]
        full = [
            d.date.latest
            for d, degree in self.fulfilled_by.get(commitment_id, ())
            if degree is FulfilmentDegree.IN_FULL and d.date.latest <= as_of
        ]
        if (claim is not None and claim.status is Status.DELIVERED) or full:
            return True, min(days + full)
        return False, None

    def deliverables_as_of(self, commitment_id: str, as_of: date) -> list[Deliverable]:
        """The deliverables fulfilling a commitment (in full or in part) dated by ``as_of``.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> [d.id for d in Index(demo_dataset()).deliverables_as_of("demo-pledge",
        ...                                                         date(2023, 1, 1))]
        ['demo-plan']
        """
        return sorted(
            (d for d, _ in self.fulfilled_by.get(commitment_id, ()) if d.date.latest <= as_of),
            key=lambda d: (d.date.latest, d.id),
        )

    def successor_delivered(self, commitment: Commitment, as_of: date) -> bool | None:
        """Whether what superseded a commitment was delivered as of ``as_of``.

        ``None`` when nothing superseded it by then (the successor must exist at the date).
        A deliverable is delivered once it exists; a commitment by :meth:`delivered` (its own
        successors are not followed).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.successor_delivered(ix.commitments["demo-pledge"], date(2023, 1, 1)) is None
        True
        """
        successor = commitment.superseded_by
        if successor is None:
            return None
        if successor in self.deliverables:
            return True if self.deliverables[successor].date.latest <= as_of else None
        other = self.commitments.get(successor)
        if other is None or other.made_on.latest > as_of:
            return None
        return self.delivered(other.id, as_of)[0]

    # ------------------------------------------------------------------ due dates

    def stated_date(self, due: DueDateStatement) -> DateRange:
        """When a due date was stated: its ``stated_on``, else when the commitment was made.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.stated_date(ix.facts.due_dates[0]).text
        '2020-05-01'
        """
        if due.stated_on is not None:
            return due.stated_on
        return self.commitments[due.commitment].made_on

    def dues_as_of(self, commitment_id: str, as_of: date) -> list[DueDateStatement]:
        """The due-date statements known at ``as_of``, in the order they were stated.

        Ordered by the latest day of the statement, then the latest day of the target, then
        IRI; the first is the first target and the last one the current target.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> [d.target.text for d in Index(demo_dataset()).dues_as_of("demo-pledge",
        ...                                                          date(2023, 1, 1))]
        ['2021-12', '2022-06']
        """
        found = [
            d for d in self.dues_for.get(commitment_id, ()) if self.stated_date(d).latest <= as_of
        ]
        found.sort(key=lambda d: (self.stated_date(d).latest, d.target.latest, d.id))
        return found

    def due_result(self, due: DueDateStatement) -> DueStatement:
        """A due-date statement as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.due_result(ix.facts.due_dates[0]).target.latest
        datetime.date(2021, 12, 31)
        """
        return DueStatement(
            id=due.id,
            target=date_value(due.target),
            stated_on=date_value(self.stated_date(due)),
            stated_by=due.stated_by,
        )

    # ------------------------------------------------------------------ owners

    def owner_as_of(self, commitment: Commitment, as_of: date) -> OwnerAsOf:
        """Who owned a commitment as of ``as_of``, following its owner's body changes.

        See :func:`walk_owner` for the rule.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.owner_as_of(ix.commitments["demo-pledge"], date(2023, 1, 1)).current
        'demo-agency-2'
        """
        if commitment.owner is None:
            return OwnerAsOf()
        key = ("owner", commitment.id, as_of)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._owner_as_of(commitment, as_of)
        return found  # type: ignore[return-value]

    def _owner_as_of(self, commitment: Commitment, as_of: date) -> OwnerAsOf:
        assert commitment.owner is not None
        if commitment.owner not in self.changes_of:  # most owners never changed
            return OwnerAsOf(original=commitment.owner, current=commitment.owner)
        evidence = [
            (due.stated_by, self.stated_date(due).latest)
            for due in self.dues_for.get(commitment.id, ())
            if due.stated_by is not None
        ]
        evidence.extend(
            (claim.assessor, self.claim_date(claim).latest)
            for claim in self.claims_about.get(commitment.id, ())
            if claim.assessor is not None and claim.role is AssessorRole.OWNER
        )
        return walk_owner(
            commitment.owner, commitment.made_on.latest, self._change_facts(), evidence, as_of
        )

    def _change_facts(self) -> dict[str, list[ChangeFact]]:
        cached = self._facts
        if cached is None:
            cached = {
                body: [
                    ChangeFact(c.id, c.kind, c.body, tuple(c.into), date_value(c.date))
                    for c in changes
                ]
                for body, changes in self.changes_of.items()
            }
            self._facts = cached
        return cached

    # ------------------------------------------------------------------ reviews

    def expects_response(self, review: Review) -> bool:
        """Whether a review expects a response: its own flag, else its kind's default.

        A review with neither is taken not to expect one.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
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
