"""The as-of rules: what a dataset said about an item on a given day (as of D, known on K).

The rules are those of ``docs/concepts.md`` (second edition). :class:`Index` holds the lookups
and the rules that need them; the stance rules live in :mod:`reviewgraph.analysis.stances`, the
evidence rules in :mod:`reviewgraph.analysis.evidence`, the rules of a commitment's due dates,
lapse and owner in :mod:`reviewgraph.analysis.commitmentrules` and those of a review's response
in :mod:`reviewgraph.analysis.reviewrules`, and all four are mixed into it. Knowing on K is a
narrower index: :meth:`Index.known_by` keeps only what had been asserted, stated or
published by K, and every rule then reads valid time at D.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from reviewgraph.analysis.commitmentrules import CommitmentRules
from reviewgraph.analysis.days import add_months, add_period, counts, date_value, minus_years
from reviewgraph.analysis.evidence import NOT_RECORDED, Evidence, EvidenceRules, RollUp
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.owners import ChangeFact, walk_owner
from reviewgraph.analysis.ranks import kind_defaults, role_rank, status_rank
from reviewgraph.analysis.resultparts import CitationRef
from reviewgraph.analysis.reviewrules import ReviewRules
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
from reviewgraph.vocab.concepts import FulfilmentDegree
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


class Index(StanceRules, EvidenceRules, CommitmentRules, ReviewRules):
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
