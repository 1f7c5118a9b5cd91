"""The as-of rules: what a dataset said about an item on a given day (as of D, known on K).

The rules are those of ``docs/concepts.md`` (second edition). :class:`Index` holds the lookups
and the rules that need them; the stance rules live in :mod:`reviewgraph.analysis.stances`, the
evidence rules in :mod:`reviewgraph.analysis.evidence`, and both are mixed into it. Knowing on
K is a narrower index: :meth:`Index.known_by` keeps only what had been asserted, stated or
published by K, and every rule then reads valid time at D.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from reviewgraph.analysis.days import add_months, add_period, counts, date_value, minus_years
from reviewgraph.analysis.evidence import NOT_RECORDED, Evidence, EvidenceRules, RollUp
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.owners import ChangeFact, walk_owner
from reviewgraph.analysis.ranks import kind_defaults, role_rank, status_rank
from reviewgraph.analysis.results import CitationRef, DueStatement, OwnerAsOf
from reviewgraph.analysis.stances import ACCEPTING, PARKING, Reversal, StanceChoice, StanceRules
from reviewgraph.dates import DateRange
from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    Dataset,
    Deliverable,
    DueDateStatement,
    Election,
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
    CommitmentOrigin,
    FulfilmentDegree,
    StatedByRole,
)
from reviewgraph.vocab.namespaces import BASE_IRI

__all__ = [
    "ACCEPTING",
    "NOT_RECORDED",
    "PARKING",
    "ChangeFact",
    "Evidence",
    "Index",
    "Reversal",
    "RollUp",
    "StanceChoice",
    "add_months",
    "add_period",
    "counts",
    "date_value",
    "kind_defaults",
    "minus_years",
    "natural_key",
    "role_rank",
    "status_rank",
    "walk_owner",
]


class Index(StanceRules, EvidenceRules):
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
        self.replaces: dict[str, list[Commitment]] = defaultdict(list)
        for com in dataset.commitments:
            if com.superseded_by:
                self.replaces[com.superseded_by].append(com)
        self.responses_answering: dict[str, list[Response]] = defaultdict(list)
        for resp in dataset.responses:
            for review_id in resp.answers:
                self.responses_answering[review_id].append(resp)
        self.elections: list[Election] = sorted(
            dataset.elections, key=lambda e: (e.date.latest, natural_key(e.id))
        )
        self.known_on: date | None = None
        """The knowledge date this index was narrowed to (``None``: everything)."""
        self._known: dict[date, Index] = {}
        self._facts: dict[str, list[ChangeFact]] | None = None
        self._by_review: dict[str, list[Response]] | None = None
        self._memo: dict[tuple[Any, ...], object] = {}
        """Answers already given (the rules ask for the same item on the same day often)."""
        self._cites: dict[tuple[str, tuple[Citation, ...]], tuple[CitationRef, ...]] = {}

    # ------------------------------------------------------------------ known on K

    def known_by(self, known_on: date | None) -> Index:
        """The index narrowed to what had been asserted, stated or published by ``known_on``.

        ``None`` gives this index (everything in the data). The knowledge dates are those of
        the table in ``docs/concepts.md`` ("Two time axes").

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> len(ix.known_by(date(2021, 1, 1)).facts.status_claims) < len(ix.facts.status_claims)
        True
        """
        if known_on is None:
            return self
        found = self._known.get(known_on)
        if found is None:
            found = Index(self._facts_known_by(known_on), self.base)
            found.known_on = known_on
            self._known[known_on] = found
        return found

    def _facts_known_by(self, k: date) -> Facts:
        f = self.facts

        def by(when: DateRange | None) -> bool:
            return when is not None and when.latest <= k

        reviews = tuple(r for r in f.reviews if r.published is None or by(r.published))
        kept_reviews = {r.id for r in reviews}
        recs = tuple(r for r in f.recommendations if r.review in kept_reviews)
        kept_recs = {r.id for r in recs}
        responses = tuple(r for r in f.responses if by(r.date))
        kept_responses = {r.id for r in responses}
        stances = tuple(
            st
            for st in f.stances
            if st.response in kept_responses
            and st.recommendation in kept_recs
            and by(self.stance_date(st))
        )
        commitments = tuple(c for c in f.commitments if by(c.made_on))
        kept_commitments = {c.id for c in commitments}
        dues = tuple(
            d for d in f.due_dates if d.commitment in kept_commitments and by(self.stated_date(d))
        )
        claims = tuple(c for c in f.status_claims if by(c.asserted_on))
        deliverables = tuple(d for d in f.deliverables if by(d.date))
        links = tuple(
            link
            for link in f.links
            if (known := self.link_known_date(link)) is None or known.latest <= k
        )
        changes = tuple(c for c in f.body_changes if by(c.announced or c.date))
        elections = tuple(e for e in f.elections if by(e.date))
        return dataclasses.replace(
            f,
            reviews=reviews,
            recommendations=recs,
            responses=responses,
            stances=stances,
            commitments=commitments,
            due_dates=dues,
            status_claims=claims,
            deliverables=deliverables,
            links=links,
            body_changes=changes,
            elections=elections,
        )

    def link_known_date(self, link: Any) -> DateRange | None:
        """When a link was known: the later of its later end's date and the date of the
        earliest dated source citing it (an inferred link, or one no dated source cites: its
        later end's date). ``None`` when nothing dates it: it is then always known."""
        ends = [self.item_date(link.from_), self.item_date(link.to)]
        dated = [e for e in ends if e is not None]
        later = max(dated, key=lambda d: d.latest) if dated else None
        cited = None if link.basis.value == "inferred" else self.source_date(link.citations)
        if cited is None or (later is not None and later.latest >= cited.latest):
            return later
        return cited

    def source_date(self, cites: Iterable[Citation]) -> DateRange | None:
        """The date of the earliest dated source among citations (``None``: none is dated)."""
        dates = [
            src.date
            for c in cites
            if (src := self.sources.get(c.source)) is not None and src.date is not None
        ]
        return min(dates, key=lambda d: d.latest) if dates else None

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

    # ------------------------------------------------------------------ due dates

    def stated_date(self, due: DueDateStatement) -> DateRange | None:
        """When a due date was stated: its ``stated_on``, else the date of the earliest dated
        source citing it; never the commitment's date (``None``: never in force).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.stated_date(ix.facts.due_dates[0]).text
        '2020-05-01'
        """
        if due.stated_on is not None:
            return due.stated_on
        return self.source_date(due.citations)

    def dues_as_of(self, commitment_id: str, as_of: date) -> list[DueDateStatement]:
        """The due-date statements stated by ``as_of``, in the order they were stated.

        Ordered by the latest day of the statement, then the latest day of the target, then
        natural id order; the first is the first target and the last one the target in force.
        A statement with no date is never among them.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> [d.target.text for d in Index(demo_dataset()).dues_as_of("demo-pledge",
        ...                                                          date(2023, 1, 1))]
        ['2021-12', '2022-06']
        """
        found: list[tuple[date, date, Any, DueDateStatement]] = []
        for d in self.dues_for.get(commitment_id, ()):
            when = self.stated_date(d)
            if when is not None and when.latest <= as_of:
                found.append((when.latest, d.target.latest, natural_key(d.id), d))
        found.sort(key=lambda t: t[:3])
        return [t[3] for t in found]

    def due_role(self, due: DueDateStatement) -> str | None:
        """In what role a target was stated: its ``stated_by_role``; else *owner* when
        ``stated_by`` is the commitment's maker or its owner as of the statement's date;
        else unknown (``None``).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.due_role(ix.facts.due_dates[1]), ix.due_role(ix.facts.due_dates[0])
        ('owner', None)
        """
        if due.stated_by_role is not None:
            return str(due.stated_by_role.value)
        c = self.commitments.get(due.commitment)
        if c is None or due.stated_by is None:
            return None
        if due.stated_by in (c.made_by, c.owner):
            return StatedByRole.OWNER.value
        when = self.stated_date(due)
        if when is not None and self.owner_as_of(c, when.latest).current == due.stated_by:
            return StatedByRole.OWNER.value
        return None

    def due_result(self, due: DueDateStatement) -> DueStatement:
        """A due-date statement as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.due_result(ix.facts.due_dates[0]).target.latest
        datetime.date(2021, 12, 31)
        """
        when = self.stated_date(due)
        return DueStatement(
            id=due.id,
            target=date_value(due.target),
            stated_on=date_value(when) if when is not None else None,
            stated_by=due.stated_by,
            stated_by_role=self.due_role(due),
        )

    # ------------------------------------------------------------------ commitments

    def chain_start(self, commitment: Commitment) -> DateRange:
        """When a commitment, or the earliest of the commitments it replaced, was made.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.chain_start(ix.commitments["demo-pledge"]).text
        '2020-05-01'
        """
        best = commitment.made_on
        seen = {commitment.id}
        stack = list(self.replaces.get(commitment.id, ()))
        while stack:
            c = stack.pop()
            if c.id in seen:
                continue
            seen.add(c.id)
            if c.made_on.latest < best.latest:
                best = c.made_on
            stack.extend(self.replaces.get(c.id, ()))
        return best

    def replaced(self, commitment: Commitment, as_of: date) -> bool:
        """Whether a commitment was replaced by an item existing at ``as_of`` (it is then not a
        finding of its own: it is shown in its replacement's history)."""
        return self.replacement_end(commitment, as_of) != commitment.id

    def history(self, commitment: Commitment, as_of: date) -> tuple[str, ...]:
        """The commitments a commitment replaced (directly or not), made by ``as_of``."""
        out: list[str] = []
        stack = list(self.replaces.get(commitment.id, ()))
        while stack:
            c = stack.pop()
            if c.id in out or c.made_on.latest > as_of:
                continue
            out.append(c.id)
            stack.extend(self.replaces.get(c.id, ()))
        return tuple(sorted(out, key=natural_key))

    def lapse(self, commitment: Commitment, as_of: date) -> Election | None:
        """The election at which a manifesto pledge lapsed, if it had by ``as_of``.

        The pledge belongs to the first election in its party's jurisdiction (any, where
        either is not recorded) dated on or after it was made; it lapses on that election's
        date when the party did not form the government.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ix = Index(demo_dataset())
        >>> ix.lapse(ix.commitments["demo-pledge"], date(2023, 1, 1)) is None
        True
        """
        if commitment.origin is not CommitmentOrigin.MANIFESTO or not commitment.made_by:
            return None
        party = self.bodies.get(commitment.made_by)
        where = party.jurisdiction if party is not None else None
        for e in self.elections:
            if e.date.latest < commitment.made_on.latest:
                continue
            if where is not None and e.jurisdiction is not None and e.jurisdiction != where:
                continue
            if commitment.made_by in e.formed_government or e.date.latest > as_of:
                return None
            return e
        return None

    # ------------------------------------------------------------------ owners

    def owner_as_of(self, commitment: Commitment, as_of: date) -> OwnerAsOf:
        """Who owned a commitment as of ``as_of``, following its owner's body changes.

        See :func:`walk_owner` for the rule; a change announced by the day but not yet in
        effect is listed as ``pending``.

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
        evidence: list[tuple[str, date]] = []
        for due in self.dues_for.get(commitment.id, ()):
            when = self.stated_date(due)
            if due.stated_by is not None and when is not None:
                evidence.append((due.stated_by, when.latest))
        evidence.extend(
            (claim.assessor, self.claim_date(claim).latest)
            for claim in self.claims_about.get(commitment.id, ())
            if claim.assessor is not None and claim.role is AssessorRole.OWNER
        )
        return walk_owner(
            commitment.owner,
            commitment.made_on.latest,
            self._change_facts(),
            evidence,
            as_of,
            commitment=commitment.id,
            themes=frozenset(self.themes_of(commitment.id)),
        )

    def _change_facts(self) -> dict[str, list[ChangeFact]]:
        cached = self._facts
        if cached is None:
            cached = {
                body: [
                    ChangeFact(
                        c.id,
                        c.kind,
                        c.body,
                        tuple(c.into),
                        date_value(c.date),
                        scoped=bool(c.functions or c.themes or c.commitments),
                        themes=frozenset(c.themes),
                        commitments=frozenset(c.commitments),
                        announced=date_value(c.announced) if c.announced is not None else None,
                    )
                    for c in changes
                ]
                for body, changes in self.changes_of.items()
            }
            self._facts = cached
        return cached

    def owner_on(self, commitment: Commitment, day: date) -> str | None:
        """The owner of a commitment on a day (the body a miss on that day is charged to)."""
        owner = self.owner_as_of(commitment, day)
        return owner.current

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
