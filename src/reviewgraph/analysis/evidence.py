"""Evidence and status as of D: claims, deliverables, "not recorded" against "searched, none
found", and the roll-up of a recommendation's commitments.

The rules are the sections "Status of a commitment as of D, and its evidence" and
"Recommendation status as of D: the roll-up" of ``docs/concepts.md``. :class:`EvidenceRules`
is mixed into :class:`~reviewgraph.analysis.asof.Index`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.ranks import role_rank, status_rank
from reviewgraph.dates import DateRange
from reviewgraph.models import Citation, Commitment, Deliverable, Recommendation, StatusClaim
from reviewgraph.vocab.concepts import AssessorRole, FulfilmentDegree, Status

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.analysis.resultparts import CitationRef, RollUpResult, StatusAsOf

__all__ = ["NOT_RECORDED", "OPEN_ORDER", "Evidence", "EvidenceRules", "RollUp"]

NOT_RECORDED = "not-recorded"
"""The analysis's outcome when no evidence is used: nobody recorded looking."""

OPEN_ORDER = {
    NOT_RECORDED: 0,
    Status.NO_EVIDENCE_FOUND.value: 1,
    Status.NOT_STARTED.value: 2,
    Status.IN_PROGRESS.value: 3,
    Status.PARTIALLY_DELIVERED.value: 4,
}
"""The open states from the least to the most advanced (the roll-up takes the most)."""


_KIND_ORDER = {"claim": 0, "deliverable": 1, "rollup": 2}
"""Claims before deliverables before roll-ups (see :meth:`Evidence.key`)."""


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about an item: a status claim, a deliverable, or a roll-up."""

    id: str
    kind: Literal["claim", "deliverable", "rollup"]
    status: Status
    date: DateRange
    role: AssessorRole
    assessor: str | None
    citations: tuple[Citation, ...] = ()
    asserted_on: DateRange | None = None
    searched_in: tuple[str, ...] = ()

    def key(self) -> tuple[Any, ...]:
        """Key under which the **first** evidence wins: latest, role, less advanced, claims
        before deliverables, then natural id order."""
        return (
            -self.date.latest.toordinal(),
            role_rank(self.role),
            status_rank(self.status),
            _KIND_ORDER[self.kind],
            natural_key(self.id),
        )


@dataclass(frozen=True)
class RollUp:
    """The roll-up of the commitments answering a recommendation, as of a day."""

    status: str
    """A status concept id, or ``not-recorded``."""
    date: DateRange | None
    """The newest input's date (``None`` when every commitment is not recorded)."""
    newest: Evidence | None
    commitments: tuple[str, ...]
    dropped: tuple[str, ...]


class EvidenceRules:
    """The evidence rules, mixed into :class:`~reviewgraph.analysis.asof.Index`."""

    recs: dict[str, Recommendation]
    commitments: dict[str, Commitment]
    deliverables: dict[str, Deliverable]
    claims_about: Mapping[str, Sequence[StatusClaim]]
    fulfilled_by: Mapping[str, Sequence[tuple[Deliverable, FulfilmentDegree]]]
    answering: Mapping[str, Sequence[Commitment]]
    _memo: dict[tuple[Any, ...], object]

    def citations(self, item_id: str, cites: Iterable[Citation]) -> tuple[CitationRef, ...]:
        raise NotImplementedError  # pragma: no cover - provided by Index

    @staticmethod
    def claim_date(claim: StatusClaim) -> DateRange:
        """A status claim's date: when the state began if given, else when it was asserted.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index.claim_date(demo_dataset().status_claims[0]).text
        '2021-06-01'
        """
        return claim.since if claim.since is not None else claim.asserted_on

    def claim_key(self, claim: StatusClaim) -> tuple[Any, ...]:
        """Key under which the **first** claim wins: latest, role order, less advanced, id.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.claim_key(ix.facts.status_claims[0])[1:3]
        (2, 3)
        """
        return (
            -self.claim_date(claim).latest.toordinal(),
            role_rank(claim.role),
            status_rank(claim.status),
            natural_key(claim.id),
        )

    def claims_as_of(
        self, item_id: str, as_of: date, roles: Iterable[AssessorRole] | None = None
    ) -> list[StatusClaim]:
        """The status claims about an item counting at ``as_of``, the winner first.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
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

    def evidence_as_of(self, item_id: str, as_of: date) -> list[Evidence]:
        """The claims about an item and the deliverables fulfilling it, used at ``as_of``,
        the winner first.

        A deliverable reads as a claim by its ``by`` body in the owner's role, dated by its
        own date: *delivered* when it fulfils the commitment in full, *partially delivered*
        in part.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> [(e.kind, e.status.value) for e in Index(demo_dataset()).evidence_as_of(
        ...     "demo-pledge", date(2023, 1, 1))]
        [('deliverable', 'delivered'), ('claim', 'in-progress')]
        """
        key = ("evidence", item_id, as_of)
        cached = self._memo.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
        found = [
            self.claim_evidence(c)
            for c in self.claims_about.get(item_id, ())
            if self.claim_date(c).latest <= as_of
        ]
        for d, degree in self.fulfilled_by.get(item_id, ()):
            if d.date.latest <= as_of:
                found.append(
                    Evidence(
                        id=d.id,
                        kind="deliverable",
                        status=(
                            Status.DELIVERED
                            if degree is FulfilmentDegree.IN_FULL
                            else Status.PARTIALLY_DELIVERED
                        ),
                        date=d.date,
                        role=AssessorRole.OWNER,
                        assessor=d.by,
                        citations=d.citations,
                    )
                )
        found.sort(key=Evidence.key)
        self._memo[key] = found
        return found

    def claim_evidence(self, claim: StatusClaim) -> Evidence:
        """A status claim as evidence."""
        return Evidence(
            id=claim.id,
            kind="claim",
            status=claim.status,
            date=self.claim_date(claim),
            role=claim.role,
            assessor=claim.assessor,
            citations=claim.citations,
            asserted_on=claim.asserted_on,
            searched_in=tuple(claim.searched_in),
        )

    def direct_status(self, item_id: str, as_of: date) -> Evidence | None:
        """The winning claim or deliverable about an item itself (``None``: not recorded)."""
        found = self.evidence_as_of(item_id, as_of)
        return found[0] if found else None

    def status_as_of(self, item_id: str, as_of: date) -> Evidence | None:
        """The winning evidence about an item as of ``as_of`` (``None``: not recorded).

        For a recommendation the roll-up of its commitments competes with the direct claims
        as one more claim (see :meth:`rollup`).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).status_as_of("demo-pledge", date(2021, 1, 1)) is None
        True
        """
        key = ("status", item_id, as_of)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        direct = self.direct_status(item_id, as_of)
        winner = direct
        if item_id in self.recs:
            roll = self.rollup(item_id, as_of)
            # a roll-up that records nothing (every open commitment not recorded) is no claim
            if (
                roll is not None
                and roll.status != NOT_RECORDED
                and roll.date is not None
                and roll.newest is not None
            ):
                pseudo = Evidence(
                    id=item_id,
                    kind="rollup",
                    status=Status(roll.status),
                    date=roll.date,
                    role=roll.newest.role,
                    assessor=roll.newest.assessor,
                )
                if direct is None or pseudo.key() < direct.key():
                    winner = pseudo
        self._memo[key] = winner
        return winner

    def status_text(self, item_id: str, as_of: date) -> str:
        """The status concept id of an item as of ``as_of``, or ``not-recorded``."""
        ev = self.status_as_of(item_id, as_of)
        return ev.status.value if ev is not None else NOT_RECORDED

    def replacement_end(self, commitment: Commitment, as_of: date) -> str:
        """The end of a commitment's ``superseded_by`` chain among items existing at ``as_of``
        (a deliverable or a commitment; the commitment itself when nothing replaced it)."""
        current = commitment.id
        seen = {current}
        while True:
            com = self.commitments.get(current)
            nxt = com.superseded_by if com is not None else None
            if nxt is None or nxt in seen:
                return current
            if nxt in self.deliverables:
                return nxt if self.deliverables[nxt].date.latest <= as_of else current
            other = self.commitments.get(nxt)
            if other is None or other.made_on.latest > as_of:
                return current
            seen.add(nxt)
            current = nxt

    def rollup(self, rec_id: str, as_of: date) -> RollUp | None:
        """The roll-up of the commitments answering a recommendation as of ``as_of``.

        ``None`` when no commitment answering it was made by the day. See the roll-up table
        of ``docs/concepts.md``.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).rollup("demo-2020/1", date(2023, 1, 1)).status
        'partially-delivered'
        """
        key = ("rollup", rec_id, as_of)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        ends: dict[str, None] = {}
        for c in self.answering.get(rec_id, ()):
            if c.made_on.latest <= as_of:
                ends.setdefault(self.replacement_end(c, as_of), None)
        result: RollUp | None = None
        if ends:
            delivered, dropped, open_states = [], [], []
            newest: Evidence | None = None
            for end in sorted(ends, key=natural_key):
                if end in self.deliverables:
                    delivered.append(end)
                    d = self.deliverables[end]
                    ev = Evidence(end, "deliverable", Status.DELIVERED, d.date,
                                  AssessorRole.OWNER, d.by, d.citations)  # fmt: skip
                else:
                    ev = self.status_as_of(end, as_of)  # type: ignore[assignment]
                    if self.delivered(end, as_of)[0]:
                        delivered.append(end)
                    elif ev is not None and ev.status is Status.DROPPED:
                        dropped.append(end)
                    else:
                        open_states.append(ev.status.value if ev is not None else NOT_RECORDED)
                if ev is not None and (newest is None or ev.key() < newest.key()):
                    newest = ev
            if delivered and not open_states and not dropped:
                status = Status.DELIVERED.value
            elif delivered:
                status = Status.PARTIALLY_DELIVERED.value
            elif open_states:
                status = max(open_states, key=OPEN_ORDER.__getitem__)
            else:
                status = Status.DROPPED.value
            result = RollUp(
                status=status,
                date=newest.date if newest is not None else None,
                newest=newest,
                commitments=tuple(sorted(ends, key=natural_key)),
                dropped=tuple(dropped),
            )
        self._memo[key] = result
        return result

    def status_result(self, item_id: str, ev: Evidence | None) -> StatusAsOf:
        """A piece of evidence (or none) as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).status_result("demo-pledge", None).status
        'not-recorded'
        """
        key = ("status-result", item_id, id(ev))
        found = self._memo.get(key)
        if found is not None and found[0] is ev:  # type: ignore[index]
            return found[1]  # type: ignore[index,no-any-return]
        result = self._status_result(item_id, ev)
        self._memo[key] = (ev, result)  # holding ev keeps its id from being reused
        return result

    def _status_result(self, item_id: str, ev: Evidence | None) -> StatusAsOf:
        from reviewgraph.analysis.days import date_value
        from reviewgraph.analysis.resultparts import StatusAsOf

        if ev is None:
            return StatusAsOf(item=item_id)
        return StatusAsOf(
            item=item_id,
            status=ev.status.value,
            claim=ev.id,
            kind=ev.kind,
            date=date_value(ev.date),
            role=ev.role.value,
            assessor=ev.assessor,
            asserted_on=date_value(ev.asserted_on) if ev.asserted_on is not None else None,
            searched_in=ev.searched_in,
            citations=self.citations(ev.id, ev.citations),
        )

    def rollup_result(self, rec_id: str, as_of: date) -> RollUpResult | None:
        """The roll-up of a recommendation as a result model (``None``: no commitments)."""
        from reviewgraph.analysis.days import date_value
        from reviewgraph.analysis.resultparts import RollUpResult

        roll = self.rollup(rec_id, as_of)
        if roll is None:
            return None
        return RollUpResult(
            status=roll.status,
            date=date_value(roll.date) if roll.date is not None else None,
            newest=roll.newest.id if roll.newest is not None else None,
            commitments=roll.commitments,
            dropped=roll.dropped,
        )

    def delivered(self, commitment_id: str, as_of: date) -> tuple[bool, date | None]:
        """Whether a commitment counts as delivered as of ``as_of``, and since when.

        It does when its status as of the date is ``delivered``, or a deliverable dated by
        then fulfils it in full.  The delivery day is the earliest latest-bound among the
        ``delivered`` claims and in-full deliverables counting at the date.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.delivered("demo-pledge", date(2023, 1, 1))
        (True, datetime.date(2022, 5, 31))
        """
        key = ("delivered", commitment_id, as_of)
        found = self._memo.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        days = [
            e.date.latest
            for e in self.evidence_as_of(commitment_id, as_of)
            if e.status is Status.DELIVERED
        ]
        full = [
            e.date.latest
            for e in self.evidence_as_of(commitment_id, as_of)
            if e.kind == "deliverable" and e.status is Status.DELIVERED
        ]
        ev = self.direct_status(commitment_id, as_of)
        answer: tuple[bool, date | None] = (False, None)
        if (ev is not None and ev.status is Status.DELIVERED) or full:
            answer = (True, min(days))
        self._memo[key] = answer
        return answer

    def deliverables_as_of(self, commitment_id: str, as_of: date) -> list[Deliverable]:
        """The deliverables fulfilling a commitment (in full or in part) dated by ``as_of``.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> [d.id for d in Index(demo_dataset()).deliverables_as_of("demo-pledge",
        ...                                                         date(2023, 1, 1))]
        ['demo-plan']
        """
        return sorted(
            (d for d, _ in self.fulfilled_by.get(commitment_id, ()) if d.date.latest <= as_of),
            key=lambda d: (d.date.latest, natural_key(d.id)),
        )
