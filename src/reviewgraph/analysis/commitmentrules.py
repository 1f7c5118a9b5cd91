"""A commitment's due dates, its replacements and lapse, and its owner as of D.

The rules are the sections "Due dates: the target in force, and who stated it", "Lapsed
pledges" and "Succession of bodies: the owner as of D" of ``docs/concepts.md``.
:class:`CommitmentRules` is mixed into :class:`~reviewgraph.analysis.asof.Index`, whose lookups
it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from reviewgraph.analysis.days import date_value
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.owners import ChangeFact, walk_owner
from reviewgraph.analysis.resultparts import DueStatement, OwnerAsOf
from reviewgraph.dates import DateRange
from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    DueDateStatement,
    Election,
    StatusClaim,
)
from reviewgraph.vocab.concepts import AssessorRole, CommitmentOrigin, StatedByRole

NO_OWNER = OwnerAsOf()
"""The owner of a commitment that names none (one frozen result serves them all)."""

__all__ = ["CommitmentRules"]


class CommitmentRules:
    """The commitment rules, mixed into :class:`~reviewgraph.analysis.asof.Index`."""

    commitments: dict[str, Commitment]
    bodies: dict[str, Body]
    dues_for: Mapping[str, Sequence[DueDateStatement]]
    claims_about: Mapping[str, Sequence[StatusClaim]]
    changes_of: Mapping[str, Sequence[BodyChange]]
    replaces: Mapping[str, Sequence[Commitment]]
    elections: list[Election]
    _facts: dict[str, list[ChangeFact]] | None
    _memo: dict[tuple[Any, ...], object]

    def source_date(self, cites: Iterable[Citation]) -> DateRange | None:
        raise NotImplementedError  # pragma: no cover - provided by Index

    def themes_of(self, item_id: str) -> tuple[str, ...]:
        raise NotImplementedError  # pragma: no cover - provided by Index

    @staticmethod
    def claim_date(claim: StatusClaim) -> DateRange:
        raise NotImplementedError  # pragma: no cover - provided by EvidenceRules

    def replacement_end(self, commitment: Commitment, as_of: date) -> str:
        raise NotImplementedError  # pragma: no cover - provided by EvidenceRules

    # ------------------------------------------------------------------ due dates

    def stated_date(self, due: DueDateStatement) -> DateRange | None:
        """When a due date was stated: its ``stated_on``, else the date of the earliest dated
        source citing it; never the commitment's date (``None``: never in force).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
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
        >>> from reviewgraph.analysis.asof import Index
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
        >>> from reviewgraph.analysis.asof import Index
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
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.due_result(ix.facts.due_dates[0]).target.latest
        datetime.date(2021, 12, 31)
        """
        key = ("due-result", due.id)
        found = self._memo.get(key)
        if found is None:  # one frozen result per statement, however many findings show it
            when = self.stated_date(due)
            found = self._memo[key] = DueStatement(
                id=due.id,
                target=date_value(due.target),
                stated_on=date_value(when) if when is not None else None,
                stated_by=due.stated_by,
                stated_by_role=self.due_role(due),
            )
        return found  # type: ignore[return-value]

    # ------------------------------------------------------------------ commitments

    def chain_start(self, commitment: Commitment) -> DateRange:
        """When a commitment, or the earliest of the commitments it replaced, was made.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
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
        >>> from reviewgraph.analysis.asof import Index
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
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.owner_as_of(ix.commitments["demo-pledge"], date(2023, 1, 1)).current
        'demo-agency-2'
        """
        if commitment.owner is None:
            return NO_OWNER
        key = ("owner", commitment.id, as_of)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._owner_as_of(commitment, as_of)
        return found  # type: ignore[return-value]

    def _owner_as_of(self, commitment: Commitment, as_of: date) -> OwnerAsOf:
        assert commitment.owner is not None
        if commitment.owner not in self.changes_of:  # most owners never changed: one result each
            key = ("unchanged-owner", commitment.owner)
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = OwnerAsOf(
                    original=commitment.owner, current=commitment.owner
                )
            return found  # type: ignore[return-value]
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
