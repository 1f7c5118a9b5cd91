"""The parts the analysis results are built from, as frozen pydantic models.

Dates as the source wrote them, citations, the dates a rule compared and why a finding was
reported, filters, a stance, a status and a roll-up as of a date, a commitment's owner after
its body changes, recurrence counts and due-date statements.  The results themselves are in
:mod:`reviewgraph.analysis.results`, which re-exports every name here.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = [
    "CitationRef",
    "DateCompared",
    "DateValue",
    "DueProgress",
    "DueStatement",
    "EarlierItem",
    "Filters",
    "OwnerAsOf",
    "OwnerStep",
    "PendingChange",
    "RecommendationRef",
    "RecurrenceCounts",
    "ReversalInfo",
    "RollUpResult",
    "StanceAsOf",
    "StatusAsOf",
    "Why",
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DateValue(_Model):
    """A date as the source wrote it, with its earliest and latest possible day."""

    text: str
    earliest: date
    latest: date


class CitationRef(_Model):
    """One citation behind a finding: the item it is attached to, the source and where in it."""

    item: str
    source: str
    url: str | None = None
    title: str | None = None
    locator: str | None = None


class DateCompared(_Model):
    """One date a rule compared, labelled in plain words (``"target, latest day"``)."""

    label: str
    date: date
    text: str | None = None
    """The date as its source wrote it, when it came from the data."""


class Why(_Model):
    """Why a finding was reported: the rule, the dates it compared and the sources behind them."""

    rule: str
    """The rule that fired, e.g. ``"not-followed-through (a)"``."""
    explanation: str
    dates: tuple[DateCompared, ...] = ()
    citations: tuple[CitationRef, ...] = ()


class Filters(_Model):
    """The filters a result was computed with (``None``: not filtered)."""

    review: str | None = None
    body: str | None = None
    theme: str | None = None
    since: date | None = None
    until: date | None = None


class _Result(_Model):
    schema_version: Literal["2.0"] = "2.0"
    as_of: date
    known_on: date | None = None
    """The knowledge date the result was read as of (``None``: everything in the data)."""


class StanceAsOf(_Model):
    """The stance on a recommendation as of a date (``value`` is ``None``: no stance yet)."""

    recommendation: str
    value: str | None = None
    date: DateValue | None = None
    response: str | None = None
    stance: str | None = None
    """The stance item, or ``None`` when the value comes from a blanket stance."""
    blanket: bool = False
    respondent: str | None = None
    """The responder (the response's ``by``)."""
    interim: bool = False
    """Whether the stance was given in an interim response."""
    other_answers: tuple[str, ...] = ()
    """Bodies that answered without standing: "answered by X, not an addressee"."""
    citations: tuple[CitationRef, ...] = ()


class StatusAsOf(_Model):
    """The status of an item as of a date, from the evidence that wins (``"not-recorded"``:
    no claim and no deliverable)."""

    item: str
    status: str = "not-recorded"
    claim: str | None = None
    """The winning claim, deliverable, or (``kind`` ``rollup``) the recommendation itself."""
    kind: Literal["claim", "deliverable", "rollup"] | None = None
    date: DateValue | None = None
    role: str | None = None
    assessor: str | None = None
    asserted_on: DateValue | None = None
    searched_in: tuple[str, ...] = ()
    """For "searched, none found": where the assessor searched."""
    citations: tuple[CitationRef, ...] = ()


class RollUpResult(_Model):
    """A recommendation's status via the commitments answering it."""

    status: str
    date: DateValue | None = None
    """Its newest input's date (``None``: every commitment is not recorded)."""
    newest: str | None = None
    commitments: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


class PendingChange(_Model):
    """A body change announced but not yet in effect."""

    change: str
    kind: str
    date: DateValue
    announced: DateValue | None = None
    into: tuple[str, ...] = ()


class OwnerStep(_Model):
    """One body change followed to find a commitment's owner as of a date."""

    change: str
    kind: str
    date: DateValue
    from_body: str
    to_body: str | None = None
    """The successor; ``None`` where the change left the commitment orphaned."""


def _when(day: DateValue) -> str:
    """When a pending change takes effect, in words: ``on`` a day, ``in`` a month or year,
    ``between`` the ends of a range.

    Examples
    --------
    >>> _when(DateValue(text="2025-03-13..2027-03-13", earliest=date(2025, 3, 13),
    ...                 latest=date(2027, 3, 13)))
    'between 2025-03-13 and 2027-03-13'
    >>> _when(DateValue(text="2027", earliest=date(2027, 1, 1), latest=date(2027, 12, 31)))
    'in 2027'
    """
    if ".." in day.text:
        first, _, last = day.text.partition("..")
        return f"between {first} and {last}"
    return f"on {day.text}" if day.earliest == day.latest else f"in {day.text}"


class OwnerAsOf(_Model):
    """Who owned a commitment as of a date, after following body changes."""

    original: str | None = None
    current: str | None = None
    orphaned: bool = False
    steps: tuple[OwnerStep, ...] = ()
    pending: tuple[PendingChange, ...] = ()
    """Changes of the owner announced by the date and not yet in effect."""

    spelt: str = ""
    """The one spelling of ownership, ``mhclg (was home-office)`` (filled in)."""

    @model_validator(mode="after")
    def _spell(self) -> OwnerAsOf:
        if not self.spelt:
            object.__setattr__(self, "spelt", self.spelling())
        return self

    def spelling(self) -> str:
        """The one spelling of ownership: ``mhclg (was home-office)``.

        Examples
        --------
        >>> OwnerAsOf(original="a", current="a").spelt
        'a'
        """
        was = [s.from_body for s in reversed(self.steps) if s.from_body != self.current]
        seen = list(dict.fromkeys(was))
        notes = [f"was {', '.join(seen)}"] if seen else []
        for p in self.pending:
            into = f" {', '.join(p.into)}" if p.into else ""
            ann = f", announced {p.announced.text}" if p.announced else ""
            notes.append(f"to be {p.kind.replace('-', ' ')}{into} {_when(p.date)}{ann}")
        if self.orphaned:
            return "(orphaned" + ("; " + "; ".join(notes) if notes else "") + ")"
        head = self.current or "(no owner)"
        return head + (f" ({'; '.join(notes)})" if notes else "")


class EarlierItem(_Model):
    """A recommendation or commitment in a finding's threads, dated before its item."""

    item: str
    item_type: Literal["recommendation", "commitment"]
    date: DateValue
    accepted: bool
    """A recommendation: its stance as of the date accepts it to any degree; a commitment:
    always (it is a promise)."""
    followed_through: bool
    """Delivered as of the date (a recommendation: every commitment answering it is, or its
    own status is delivered)."""


class RecurrenceCounts(_Model):
    """How often the same thing had come up before a finding's item ("promised before")."""

    recurrence: str | None = None
    """The first of the threads the item belongs to (a thread's id), if any."""
    threads: tuple[str, ...] = ()
    """Every thread the item (or, for a commitment, a recommendation it answers) belongs to."""
    promised_before: int = 0
    """The earlier recommendations and commitments in those threads."""
    recommended_before: int = 0
    accepted_before: int = 0
    not_followed_through_before: int = 0
    committed_before: int = 0
    earlier: tuple[str, ...] = ()
    """The earlier recommendations counted (ids in natural order)."""
    earlier_items: tuple[EarlierItem, ...] = ()
    """Every earlier item, by date then id, with its date and fate."""


class DueStatement(_Model):
    """A due-date statement as the analysis used it."""

    id: str
    target: DateValue
    stated_on: DateValue | None = None
    stated_by: str | None = None
    stated_by_role: str | None = None
    """Owner, sponsor, contractor or commentator (``None``: not known)."""


class DueProgress(_Model):
    """A commitment's targets known as of the date: the first, the current and the slippage."""

    first: DueStatement
    current: DueStatement
    revisions: int
    """The due-date statements after the first."""
    days_slipped: int
    """The current target's latest day minus the first's (negative when brought forward)."""


class RecommendationRef(_Model):
    """A recommendation a finding concerns: id, label and summary."""

    id: str
    label: str | None = None
    summary: str | None = None


class ReversalInfo(_Model):
    """A reversal: the earlier accepting stance, the later not-accepted one, and the
    commitments whose expectation it ended."""

    earlier: StanceAsOf
    later: StanceAsOf
    ended: tuple[str, ...] = ()
