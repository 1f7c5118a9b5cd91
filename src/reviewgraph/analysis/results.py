"""Typed results of the follow-through analysis, with a versioned JSON Schema.

Every result is a frozen pydantic model that serialises to JSON (``model_dump_json``), carries
the ``as_of`` date it was computed for and the ``schema_version`` of this module.  The schema of
all results together is :func:`results_schema`; its ``version`` is :data:`RESULTS_SCHEMA_VERSION`
and changes whenever a field is added, removed or changes meaning.  The parts results are built
from (dates, citations, stances, statuses, owners, due dates) are in
:mod:`reviewgraph.analysis.resultparts`, and importable from here too.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic.json_schema import models_json_schema

from reviewgraph.analysis.resultparts import (
    CitationRef,
    DateCompared,
    DateValue,
    DueProgress,
    DueStatement,
    EarlierItem,
    Filters,
    OwnerAsOf,
    OwnerStep,
    PendingChange,
    RecommendationRef,
    RecurrenceCounts,
    ReversalInfo,
    RollUpResult,
    StanceAsOf,
    StatusAsOf,
    Why,
    _Model,
    _Result,
)

__all__ = [
    "NO_RECURRENCE",
    "RESULTS_SCHEMA_VERSION",
    "CitationRef",
    "ContestedResult",
    "ContestedRow",
    "DateCompared",
    "DateValue",
    "DiffResult",
    "DueProgress",
    "DueStatement",
    "EarlierItem",
    "Fate",
    "Filters",
    "Finding",
    "FindingCategory",
    "FindingChange",
    "GapsResult",
    "OwnerAsOf",
    "OwnerStep",
    "PendingChange",
    "RecommendationRef",
    "Recurrence",
    "RecurrenceCounts",
    "RecurringResult",
    "ReversalInfo",
    "RollUpResult",
    "ScoreRow",
    "ScorecardResult",
    "SlippageResult",
    "SlippageRow",
    "StanceAsOf",
    "StatusAsOf",
    "StatusResult",
    "TimelineEvent",
    "TimelineResult",
    "TraceEdge",
    "TraceResult",
    "TraceStep",
    "Why",
    "finding_id",
    "results_schema",
]

RESULTS_SCHEMA_VERSION = "2.0"
"""The version of the result models; part of every result and of :func:`results_schema`."""

FindingCategory = Literal[
    "lapsed",
    "not-followed-through",
    "orphaned",
    "reversed",
    "parked",
    "unanswered",
    "overdue-response",
]
"""The kinds of finding :meth:`~reviewgraph.analysis.ReviewGraph.gaps` reports."""


def finding_id(category: str, item: str) -> str:
    """The stable id of a finding: its category and its item, ``"parked:kark-2019/3"``.

    The same finding has the same id in every run and by every route (files, a store, an
    endpoint); the rules that fired, its status or its dates may change under it, which
    :func:`reviewgraph.analysis.diff.diff_findings` reports as a change.

    Examples
    --------
    >>> finding_id("parked", "kark-2019/3")
    'parked:kark-2019/3'
    """
    return f"{category}:{item}"


NO_RECURRENCE = RecurrenceCounts()
"""Nothing promised before: a finding's recurrence until it is worked out, and that of an
item in no thread (results are frozen: one object serves)."""


class Finding(_Model):
    """One gap: a commitment not followed through, a parked or unanswered recommendation, ..."""

    id: str = ""
    """The finding's stable id (:func:`finding_id`), filled in from the category and item."""
    category: FindingCategory
    item: str
    item_type: Literal["commitment", "recommendation", "review"]
    label: str
    rules: tuple[str, ...] = ()
    """Every rule that fired, in the order of the decision table (``"a"``, ``"b"``, ``"c"``)."""
    owner: OwnerAsOf | None = None
    stance: StanceAsOf | None = None
    status: StatusAsOf | None = None
    reviews: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    date: DateValue | None = None
    """The date the finding is about: when the commitment was made, the stance taken, ..."""
    due: DueProgress | None = None
    """For a commitment: its targets as of the date (``None``: no target known)."""
    recurrence: RecurrenceCounts = NO_RECURRENCE
    recommendations: tuple[RecommendationRef, ...] = ()
    """The recommendation(s) it concerns: for a commitment, those it answers."""
    stances: tuple[StanceAsOf, ...] = ()
    """For a commitment: the stance on each recommendation it answers."""
    direct: StatusAsOf | None = None
    """For a recommendation: its status from the claims about it itself."""
    rollup: RollUpResult | None = None
    """For a recommendation: its status via the commitments answering it."""
    charged_to: str | None = None
    """The owner a miss is charged to (the owner on the day it happened)."""
    conflict: tuple[StanceAsOf, ...] = ()
    """For a commitment: the not-accepted stances (with standing) on what it answers."""
    responded_without_stances: tuple[str, ...] = ()
    """Responses that answered the review without a stance on this recommendation."""
    reversal: ReversalInfo | None = None
    history: tuple[str, ...] = ()
    """The commitments this one replaced."""
    lapsed_on: str | None = None
    """For a lapsed pledge: the election it lapsed at."""
    why: Why

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            data = {**data, "id": finding_id(str(data.get("category")), str(data.get("item")))}
        return data

    @property
    def rule(self) -> str | None:
        """The first rule that fired, or ``None`` for categories without sub-rules.

        Examples
        --------
        >>> Finding(category="parked", item="r/1", item_type="recommendation", label="r/1",
        ...         why=Why(rule="parked", explanation="...")).rule is None
        True
        """
        return self.rules[0] if self.rules else None


class GapsResult(_Result):
    """Every finding as of a date."""

    grace_years: int
    filters: Filters = Field(default_factory=Filters)
    findings: tuple[Finding, ...] = ()
    review_titles: dict[str, str] = Field(default_factory=dict)
    """The title of each review the findings name, for headings."""

    def of(self, category: FindingCategory) -> tuple[Finding, ...]:
        """Return the findings of one category.

        Examples
        --------
        >>> GapsResult(as_of=date(2024, 1, 1), grace_years=2).of("parked")
        ()
        """
        return tuple(f for f in self.findings if f.category == category)

    def items(self, category: FindingCategory | None = None) -> list[str]:
        """Return the ids of the items found, optionally of one category only.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ReviewGraph.from_dataset(demo_dataset()).gaps("2023-01-01").items("parked")
        ['demo-2020/2']
        """
        return [f.item for f in self.findings if category is None or f.category == category]


class Fate(_Model):
    """What became of a commitment as of a date, with the evidence."""

    status: StatusAsOf
    delivered: bool
    delivered_on: date | None = None
    superseded_by: str | None = None
    current_target: DueStatement | None = None
    not_followed_through: tuple[str, ...] = ()
    """The rules under which it was not followed through (empty: it was not a gap)."""
    owner: OwnerAsOf | None = None
    deliverables: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    citations: tuple[CitationRef, ...] = ()


class StatusResult(_Result):
    """The state of one item as of a date."""

    item: str
    item_type: str
    label: str
    stance: StanceAsOf | None = None
    """For a recommendation: its stance."""
    status: StatusAsOf
    fate: Fate | None = None
    """For a commitment: its fate."""
    answers: tuple[StanceAsOf, ...] = ()
    """For a commitment: the stances on the recommendations it answers."""
    commitments: tuple[str, ...] = ()
    """For a recommendation: the commitments answering it."""
    direct: StatusAsOf | None = None
    """For a recommendation: the status from the claims about it itself."""
    rollup: RollUpResult | None = None
    """For a recommendation: the roll-up of the commitments answering it."""
    answered: bool = False
    """For a recommendation: whether any body answered it (with or without standing)."""


class TraceStep(_Model):
    """One item on a trace, before or after the traced item."""

    item: str
    item_type: str
    label: str
    direction: Literal["before", "self", "after"]
    distance: int
    date: DateValue | None = None
    review: str | None = None
    stance: StanceAsOf | None = None
    fate: Fate | None = None


class TraceEdge(_Model):
    """A relation followed by a trace, from the earlier item to the later."""

    earlier: str
    later: str
    relation: str


class TraceResult(_Result):
    """Everything linked before and after an item, with the fate of each commitment."""

    item: str
    steps: tuple[TraceStep, ...] = ()
    edges: tuple[TraceEdge, ...] = ()

    def before(self) -> list[str]:
        """Return the ids of the items before the traced one, nearest first.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ReviewGraph.from_dataset(demo_dataset()).trace("demo-pledge", "2023-01-01").before()
        ['demo-2020/1', 'demo-2010/4']
        """
        return [s.item for s in self.steps if s.direction == "before"]

    def after(self) -> list[str]:
        """Return the ids of the items after the traced one, nearest first.

        Examples
        --------
        >>> from reviewgraph.analysis import ReviewGraph
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> ReviewGraph.from_dataset(demo_dataset()).trace("demo-pledge", "2023-01-01").after()
        ['demo-plan']
        """
        return [s.item for s in self.steps if s.direction == "after"]


class Recurrence(_Model):
    """A recurrence thread: items joined by ``repeats``/``extends`` links (and a commitment
    answering a single recommendation), with the items attached to it by ``echoes`` links (and
    commitments answering several recommendations)."""

    id: str
    """The thread's earliest bridging member by date, then id (for an echo thread, the item
    echoed)."""
    members: tuple[str, ...]
    """Every member, attached ones included, by date then id."""
    attached: tuple[str, ...] = ()
    """The members attached to the thread without bridging (by an echo, or as a commitment
    answering several recommendations)."""
    reviews: tuple[str, ...]
    length: int
    """The number of distinct reviews in the thread."""
    depth: int
    """The number of bridging links (``repeats``, ``extends``) on the longest chain."""
    longest_chain: tuple[str, ...]
    """The members on a longest chain, latest first."""
    first: date | None = None
    last: date | None = None


class RecurringResult(_Result):
    """Every recurrence as of a date, longest first."""

    filters: Filters = Field(default_factory=Filters)
    recurrences: tuple[Recurrence, ...] = ()


class ScoreRow(_Model):
    """The record of one body or one review."""

    key: str
    label: str
    stances: int = 0
    accepted: int = 0
    accepted_in_principle: int = 0
    accepted_in_part: int = 0
    not_accepted: int = 0
    noted: int = 0
    to_be_considered: int = 0
    commitments: int = 0
    delivered: int = 0
    delivered_late: int = 0
    not_followed_through: int = 0
    lapsed: int = 0
    median_days_to_delivery: float | None = None


class ScorecardResult(_Result):
    """One row per body (commitments by owner as of the date) or per review."""

    by: Literal["body", "review"]
    grace_years: int
    filters: Filters = Field(default_factory=Filters)
    rows: tuple[ScoreRow, ...] = ()


class SlippageRow(_Model):
    """How a commitment's target moved, and whether it was delivered late."""

    commitment: str
    label: str
    statements: tuple[DueStatement, ...]
    first_target: DueStatement
    last_target: DueStatement
    revisions: int
    days_slipped: int
    delivered_on: date | None = None
    late_against_first: bool | None = None
    late_against_last: bool | None = None


class SlippageResult(_Result):
    """Every commitment with a due date known as of the date."""

    filters: Filters = Field(default_factory=Filters)
    rows: tuple[SlippageRow, ...] = ()


class ContestedRow(_Model):
    """A commitment on which the owner's side and independent scrutiny disagree."""

    commitment: str
    label: str
    owner_side: StatusAsOf
    independent: StatusAsOf
    owner_bucket: str
    independent_bucket: str


class ContestedResult(_Result):
    """Every contested commitment as of the date."""

    window_start: date
    filters: Filters = Field(default_factory=Filters)
    rows: tuple[ContestedRow, ...] = ()


class TimelineEvent(_Model):
    """One dated event: a review published, a stance taken, a target set, a claim made, ..."""

    date: DateValue
    kind: str
    item: str
    label: str
    about: tuple[str, ...] = ()


class TimelineResult(_Result):
    """Every dated event on or before the date, oldest first."""

    filters: Filters = Field(default_factory=Filters)
    events: tuple[TimelineEvent, ...] = ()


class FindingChange(_Model):
    """A finding present at both ends of a diff whose facts changed."""

    id: str
    changed: tuple[str, ...]
    """What changed (see :data:`reviewgraph.analysis.diff.COMPARED`)."""
    before: Finding
    after: Finding


class DiffResult(_Result):
    """What changed between two sets of findings: new, closed and changed, by finding id."""

    before: str
    """The earlier side: an as-of date, or the file it was read from."""
    after: str
    before_as_of: date
    new: tuple[Finding, ...] = ()
    closed: tuple[Finding, ...] = ()
    changed: tuple[FindingChange, ...] = ()


_RESULT_MODELS: tuple[type[BaseModel], ...] = (
    GapsResult,
    StatusResult,
    TraceResult,
    RecurringResult,
    ScorecardResult,
    SlippageResult,
    ContestedResult,
    TimelineResult,
    DiffResult,
)


def results_schema() -> dict[str, Any]:
    """Return the JSON Schema of every analysis result, versioned.

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12) whose ``$defs`` hold each result model; ``version`` is
        :data:`RESULTS_SCHEMA_VERSION`.

    Examples
    --------
    >>> schema = results_schema()
    >>> schema["version"]
    '2.0'
    >>> "GapsResult" in schema["$defs"]
    True
    """
    _, defs = models_json_schema(
        [(m, "serialization") for m in _RESULT_MODELS],
        title="reviewgraph analysis results",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://w3id.org/reviewgraph/schema/results/{RESULTS_SCHEMA_VERSION}",
        "version": RESULTS_SCHEMA_VERSION,
        **defs,
        "oneOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in _RESULT_MODELS],
    }
