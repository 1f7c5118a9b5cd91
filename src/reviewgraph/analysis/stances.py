"""Standing to answer, the stance of a recommendation as of D, and reversals.

The rules are the sections "Standing to answer", "Stance of a recommendation as of D" and
"Reversal" of ``docs/concepts.md``. :class:`StanceRules` is mixed into
:class:`~reviewgraph.analysis.asof.Index`, whose lookups it reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from reviewgraph.analysis.order import natural_key
from reviewgraph.dates import DateRange
from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    Recommendation,
    Response,
    Stance,
)
from reviewgraph.vocab.concepts import BodyChangeKind, StanceValue, concept_iri, within

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.analysis.resultparts import StanceAsOf

__all__ = ["ACCEPTING", "LINEAGE_KINDS", "PARKING", "Reversal", "StanceChoice", "StanceRules"]

ACCEPTING = frozenset(
    {StanceValue.ACCEPTED, StanceValue.ACCEPTED_IN_PRINCIPLE, StanceValue.ACCEPTED_IN_PART}
)
"""Stances that accept a recommendation to some degree."""

PARKING = frozenset({StanceValue.TO_BE_CONSIDERED, StanceValue.NOTED})
"""Stances that park a recommendation."""

LINEAGE_KINDS = frozenset(
    {
        BodyChangeKind.RENAMED,
        BodyChangeKind.MERGED_INTO,
        BodyChangeKind.REPLACED_BY,
        BodyChangeKind.SPLIT_INTO,
        BodyChangeKind.FUNCTION_TRANSFERRED_TO,
    }
)
"""Changes that make the resulting bodies successors (and the changed body a predecessor)."""


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
    standing: bool = True
    """Whether its responder has standing for the recommendation as of the day asked."""

    @property
    def blanket(self) -> bool:
        """Whether the value comes from the response's blanket stance.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).stance_as_of("demo-2020/1", date(2021, 1, 1)).blanket
        True
        """
        return self.stance is None

    @property
    def responder(self) -> str | None:
        """The body that gave the stance (``None``: the response names none)."""
        return self.response.by

    def sort_key(self) -> tuple[Any, ...]:
        """Key under which the **first** candidate wins: latest, specific, then natural id order.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> choice = Index(demo_dataset()).stance_as_of("demo-2020/2", date(2021, 1, 1))
        >>> choice.sort_key()[1]
        0
        """
        tiebreak = self.stance.id if self.stance else str(concept_iri(self.value))
        return (
            -self.date.latest.toordinal(),
            0 if self.stance else 1,
            natural_key(self.response.id),
            natural_key(tiebreak),
        )


@dataclass(frozen=True)
class Reversal:
    """A recommendation's reversal: an accepting stance, then a not-accepted one."""

    earlier: StanceChoice
    later: StanceChoice
    ended: tuple[str, ...]
    """The commitments whose expectation the reversal ended."""


class StanceRules:
    """The stance rules, mixed into :class:`~reviewgraph.analysis.asof.Index`."""

    recs: dict[str, Recommendation]
    responses: dict[str, Response]
    bodies: dict[str, Body]
    stances_on: Mapping[str, Sequence[Stance]]
    blankets_for: Mapping[str, Sequence[tuple[Response, int]]]
    answering: Mapping[str, Sequence[Commitment]]
    changes_of: Mapping[str, Sequence[BodyChange]]
    responses_answering: Mapping[str, Sequence[Response]]
    _memo: dict[tuple[Any, ...], object]

    def stance_date(self, stance: Stance) -> DateRange:
        """A stance's date: its own, else its response's.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.stance_date(ix.facts.stances[0]).text
        '2010-09-01'
        """
        if stance.date is not None:
            return stance.date
        return self.responses[stance.response].date

    # ---------------------------------------------------------------- bodies

    def ancestors(self, body_id: str) -> tuple[str, ...]:
        """The bodies above one on its ``parent`` chain, nearest first.

        Examples
        --------
        >>> from reviewgraph.models import Body, Dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ds = Dataset(bodies=(Body(id="a", name="A", parent="b"), Body(id="b", name="B")))
        >>> Index(ds).ancestors("a")
        ('b',)
        """
        out: list[str] = []
        body = self.bodies.get(body_id)
        while (
            body is not None and body.parent and body.parent not in out and body.parent != body_id
        ):
            out.append(body.parent)
            body = self.bodies.get(body.parent)
        return tuple(out)

    def is_government(self, body_id: str) -> bool:
        """Whether a body is a government body or its ``parent`` chain reaches one."""
        for b in (body_id, *self.ancestors(body_id)):
            body = self.bodies.get(b)
            if body is not None and body.government:
                return True
        return False

    def lineage(self, body_id: str, as_of: date, themes: Iterable[str] = ()) -> frozenset[str]:
        """A body with its predecessors and successors as of ``as_of``.

        Bodies joined by a chain of body-wide changes (renamed, merged into, replaced by, split
        into, function transferred to without a scope) effective by the day, in either
        direction. A scoped change joins its bodies only for items tagged with one of its
        themes (``themes``).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> sorted(Index(demo_dataset()).lineage("demo-agency", date(2023, 1, 1)))
        ['demo-agency', 'demo-agency-2']
        """
        wanted = frozenset(themes)
        key = ("lineage", body_id, as_of, wanted)
        found = self._memo.get(key)
        if found is not None:
            return found  # type: ignore[return-value]
        seen = {body_id}
        stack = [body_id]
        while stack:
            b = stack.pop()
            for other in self._joined(b, as_of, wanted):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        result = frozenset(seen)
        self._memo[key] = result
        return result

    def _joined(self, body_id: str, as_of: date, themes: frozenset[str]) -> list[str]:
        joined = self._memo.get(("joins", as_of))
        if joined is None:
            table: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
            for changes in self.changes_of.values():
                for c in changes:
                    if c.kind not in LINEAGE_KINDS or c.date.latest > as_of:
                        continue
                    scoped = bool(c.functions or c.themes or c.commitments)
                    scope = frozenset(c.themes) if scoped else None
                    for into in c.into:
                        if into != c.body:
                            table.setdefault(c.body, []).append((into, scope))
                            table.setdefault(into, []).append((c.body, scope))
            self._memo[("joins", as_of)] = joined = table
        return [
            other
            for other, scope in joined.get(body_id, ())  # type: ignore[attr-defined]
            if scope is None or scope & themes
        ]

    # ---------------------------------------------------------------- standing

    def has_standing(self, rec: Recommendation, response: Response, as_of: date) -> bool:
        """Whether a response's stances count for a recommendation as of ``as_of``.

        The five branches of "Standing to answer" in ``docs/concepts.md``: the respondent is an
        addressee, an ancestor of one, speaks for one (``on_behalf_of``, lineage included), is
        a predecessor or successor of one, or is a government body whose jurisdiction
        contains a government addressee's. A response naming no respondent, or a
        recommendation naming no addressee, always counts.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.has_standing(ix.recs["demo-2020/1"], ix.responses["demo-response"], date(2021, 1, 1))
        True
        """
        by = response.by
        if by is None or not rec.addressees:
            return True
        key = ("standing", rec.id, response.id, as_of)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = any(
                self._stands_for(by, a, rec, response, as_of) for a in rec.addressees
            )
        return bool(found)

    def _stands_for(
        self, by: str, addressee: str, rec: Recommendation, response: Response, as_of: date
    ) -> bool:
        if by == addressee or by in self.ancestors(addressee):
            return True
        family = self.lineage(addressee, as_of, rec.themes)
        if by in family or family.intersection(response.on_behalf_of):
            return True
        body = self.bodies.get(by)
        if body is None or not body.government or not self.is_government(addressee):
            return False
        other = self.bodies.get(addressee)
        if body.jurisdiction is None or other is None or other.jurisdiction is None:
            return True
        return within(other.jurisdiction, body.jurisdiction)

    # ---------------------------------------------------------------- stances

    def stance_candidates(self, rec_id: str, as_of: date) -> list[StanceChoice]:
        """Every candidate stance on a recommendation counting at ``as_of``, newest first.

        With and without standing (see :attr:`StanceChoice.standing`): a stance on the
        recommendation, and each blanket stance of another response that covers it.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> [c.value.value for c in ix.stance_candidates("demo-2020/2", date(2021, 1, 1))]
        ['to-be-considered']
        """
        key = ("candidates", rec_id, as_of)
        cached = self._memo.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
        rec = self.recs.get(rec_id)
        out: list[StanceChoice] = []
        if rec is not None:
            with_exception: set[str] = set()
            for st in self.stances_on.get(rec_id, ()):
                resp = self.responses.get(st.response)
                if resp is None:
                    continue
                with_exception.add(resp.id)
                when = self.stance_date(st)
                if when.latest <= as_of:
                    standing = self.has_standing(rec, resp, as_of)
                    out.append(
                        StanceChoice(rec_id, st.stance, when, resp, st, st.citations, standing)
                    )
            for resp, i in self.blankets_for.get(rec.review, ()):
                if resp.id in with_exception or resp.date.latest > as_of:
                    continue
                b = resp.blanket[i]
                standing = self.has_standing(rec, resp, as_of)
                if b.recommendations and rec_id not in b.recommendations:
                    continue
                if not b.recommendations and not standing:
                    continue
                out.append(
                    StanceChoice(rec_id, b.stance, resp.date, resp, None, b.citations, standing)
                )
            out.sort(key=StanceChoice.sort_key)
        self._memo[key] = out
        return out

    def stance_as_of(self, rec_id: str, as_of: date) -> StanceChoice | None:
        """The stance on a recommendation as of ``as_of``: the first candidate with standing.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> ix = Index(demo_dataset())
        >>> ix.stance_as_of("demo-2020/1", date(2020, 4, 1)) is None
        True
        """
        for choice in self.stance_candidates(rec_id, as_of):
            if choice.standing:
                return choice
        return None

    def other_answers(self, rec_id: str, as_of: date) -> list[StanceChoice]:
        """The candidate stances without standing: "answered by X, not an addressee"."""
        return [c for c in self.stance_candidates(rec_id, as_of) if not c.standing]

    def answered(self, rec_id: str, as_of: date) -> bool:
        """Whether any candidate stance (with or without standing) counts at ``as_of``."""
        return bool(self.stance_candidates(rec_id, as_of))

    def silent_responses(self, rec: Recommendation, as_of: date) -> list[Response]:
        """Responses dated by ``as_of`` that answer the recommendation's review but say nothing
        about it (no stance on it, no blanket stance covering it)."""
        spoke = {c.response.id for c in self.stance_candidates(rec.id, as_of)}
        out = [
            r
            for r in self.responses_answering.get(rec.review, ())
            if r.date.latest <= as_of and r.id not in spoke
        ]
        return sorted(out, key=lambda r: natural_key(r.id))

    # ---------------------------------------------------------------- reversal

    def speaks_for(self, body_id: str, rec: Recommendation, response: Response) -> set[str]:
        """The bodies a responder answers for on a recommendation: itself, the addressees it
        has standing for, the bodies its response names, and the bodies below it."""
        out = {body_id, *response.on_behalf_of, *rec.addressees}
        out.update(b for b in self.bodies if body_id in self.ancestors(b))
        return out

    def reversal(self, rec_id: str, as_of: date) -> Reversal | None:
        """The reversal of a recommendation as of ``as_of``, if its stance is one.

        The stance as of the day is a per-recommendation *not accepted*, and an earlier
        candidate of another, non-interim response accepted the recommendation to any degree,
        from the same responder or with standing.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).reversal("demo-2020/1", date(2023, 1, 1)) is None
        True
        """
        key = ("reversal", rec_id, as_of)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        found: Reversal | None = None
        later = self.stance_as_of(rec_id, as_of)
        if (
            later is not None
            and later.stance is not None
            and later.value is StanceValue.NOT_ACCEPTED
        ):
            for earlier in self.stance_candidates(rec_id, as_of):
                if earlier is later or earlier.response.id == later.response.id:
                    continue
                # earlier: on an earlier day (two stances dated alike are no reversal)
                if earlier.date.latest >= later.date.latest or earlier.value not in ACCEPTING:
                    continue
                if earlier.response.interim:
                    continue
                if earlier.standing or earlier.responder == later.responder:
                    found = Reversal(earlier, later, self._ended(rec_id, later))
                    break
        self._memo[key] = found
        return found

    def _ended(self, rec_id: str, later: StanceChoice) -> tuple[str, ...]:
        rec = self.recs[rec_id]
        bodies = self.speaks_for(later.responder, rec, later.response) if later.responder else None
        ended = [
            c.id
            for c in self.answering.get(rec_id, ())
            if c.made_on.latest < later.date.latest
            and (bodies is None or c.made_by in bodies or c.owner in bodies)
        ]
        return tuple(sorted(ended, key=natural_key))

    def expectation_ended(self, commitment: Commitment, as_of: date) -> Reversal | None:
        """The reversal that ended a commitment's expectation as of ``as_of``, if any."""
        for rec_id in commitment.answers:
            found = self.reversal(rec_id, as_of)
            if found is not None and commitment.id in found.ended:
                return found
        return None

    def stance_result(self, rec_id: str, as_of: date) -> StanceAsOf:
        """The stance as of ``as_of`` as a result model.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> from reviewgraph.analysis.asof import Index
        >>> Index(demo_dataset()).stance_result("demo-2020/1", date(2021, 1, 1)).blanket
        True
        """
        from reviewgraph.analysis.resultparts import StanceAsOf

        choice = self.stance_as_of(rec_id, as_of)
        others = tuple(
            sorted({c.responder for c in self.other_answers(rec_id, as_of) if c.responder},
                   key=natural_key)
        )  # fmt: skip
        if choice is None:
            return StanceAsOf(recommendation=rec_id, other_answers=others)
        return self.choice_result(choice, others)

    def choice_result(self, choice: StanceChoice, others: tuple[str, ...] = ()) -> StanceAsOf:
        """A candidate stance as a result model."""
        from reviewgraph.analysis.resultparts import StanceAsOf

        on = choice.stance.id if choice.stance else choice.response.id
        return StanceAsOf(
            recommendation=choice.recommendation,
            value=choice.value.value,
            date=_date_value(choice.date),
            response=choice.response.id,
            stance=choice.stance.id if choice.stance else None,
            blanket=choice.blanket,
            respondent=choice.response.by,
            interim=choice.response.interim,
            other_answers=others,
            citations=self.citations(on, choice.citations),  # type: ignore[attr-defined]
        )


def _date_value(when: DateRange) -> Any:
    from reviewgraph.analysis.days import date_value

    return date_value(when)
