"""Render analysis results as text: an aligned ``table``, ``csv``, ``json`` or ``md`` (Markdown).

Each ``render_*`` function takes a result of :class:`reviewgraph.analysis.ReviewGraph` and a
format name and returns a string.  Every output states the date it was computed for: a title
line in ``table`` and ``md``, an ``as_of`` column in ``csv``, the ``as_of`` field in ``json``.
CSV cells pass through :func:`reviewgraph.io.tracker.neutralise`, so that no spreadsheet reads a
cell as a formula.  The formats and the writer behind every renderer are in
:mod:`reviewgraph.report.formats`, and :func:`render_gaps` is in :mod:`reviewgraph.report.gaps`;
both are importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from reviewgraph.analysis.results import (
    ContestedResult,
    DiffResult,
    GapsResult,
    RecurringResult,
    ScorecardResult,
    SlippageResult,
    StatusResult,
    TimelineResult,
    TraceResult,
)
from reviewgraph.report.formats import (
    FORMATS,
    Cell,
    Format,
    _check,
    _day,
    _emit,
    _owner,
    _text,
    promised_text,
)
from reviewgraph.report.gaps import render_gaps

__all__ = [
    "FORMATS",
    "Format",
    "promised_text",
    "render",
    "render_contested",
    "render_diff",
    "render_gaps",
    "render_recurring",
    "render_scorecard",
    "render_slippage",
    "render_status",
    "render_timeline",
    "render_trace",
]


def render_status(result: StatusResult, fmt: str = "table") -> str:
    """Render :meth:`~reviewgraph.analysis.ReviewGraph.status` as one row per fact.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> s = ReviewGraph.from_dataset(demo_dataset()).status("demo-pledge", "2021-07-01")
    >>> "in-progress" in render_status(s, "md")
    True
    """
    rows: list[list[Cell]] = [["label", result.label]]
    if result.stance is not None:
        rows.append(["stance", result.stance.value or "no stance"])
        rows.append(["stance date", _day(result.stance.date)])
    rows.append(["status", result.status.status])
    rows.append(["status date", _day(result.status.date)])
    rows.append(
        [
            "status by",
            f"{result.status.assessor or ''} ({result.status.role or ''})"
            if result.status.claim
            else "",
        ]
    )
    fate = result.fate
    if fate is not None:
        rows.append(["delivered", fate.delivered])
        rows.append(["delivered on", fate.delivered_on])
        rows.append(
            ["current target", fate.current_target.target.text if fate.current_target else ""]
        )
        rows.append(["owner", _owner(fate.owner)])
        rows.append(["not followed through", ",".join(fate.not_followed_through) or "no"])
        rows.append(["evidence", " ; ".join((*fate.claims, *fate.deliverables))])
    for s in result.answers:
        rows.append([f"answers {s.recommendation}", s.value or "no stance"])
    if result.commitments:
        rows.append(["commitments", " ; ".join(result.commitments)])
    title = f"{result.item_type} {result.item} as of {result.as_of}"
    return _emit(result, fmt, title, ["field", "value"], rows)


def render_trace(result: TraceResult, fmt: str = "table") -> str:
    """Render a trace, one row per item, before the traced item first.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> t = ReviewGraph.from_dataset(demo_dataset()).trace("demo-2020/1", "2023-01-01")
    >>> [line.split(",")[2] for line in render_trace(t, "csv").splitlines()[1:3]]
    ['before', 'self']
    """
    header = [
        "item",
        "direction",
        "distance",
        "type",
        "date",
        "stance",
        "status",
        "delivered",
        "not_followed_through",
        "owner",
        "label",
    ]
    rows: list[Sequence[Cell]] = []
    for s in result.steps:
        fate = s.fate
        rows.append(
            [
                s.item,
                s.direction,
                s.distance,
                s.item_type,
                _day(s.date),
                s.stance.value if s.stance else None,
                fate.status.status if fate else None,
                fate.delivered if fate else None,
                ",".join(fate.not_followed_through) if fate else None,
                _owner(fate.owner) if fate else None,
                s.label,
            ]
        )
    return _emit(result, fmt, f"Trace of {result.item} as of {result.as_of}", header, rows)


def render_recurring(result: RecurringResult, fmt: str = "table") -> str:
    """Render recurrences, longest first.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> r = ReviewGraph.from_dataset(demo_dataset()).recurring("2023-01-01")
    >>> render_recurring(r, "md").splitlines()[4].split(" | ")[:5]
    ['| demo-2010/4', '2', '1', '2010-06-01', '2020-05-01']
    >>> render_recurring(r, "md").splitlines()[4].split(" | ")[5].split(" ; ")[:3]
    ['demo-2010/4', 'demo-old-pledge', 'demo-2020/1']
    """
    header = ["recurrence", "length", "depth", "first", "last", "members"]
    rows = [
        [r.id, r.length, r.depth, r.first, r.last, " ; ".join(r.members)]
        for r in result.recurrences
    ]
    return _emit(result, fmt, f"Recurrences as of {result.as_of}: {len(rows)}", header, rows)


def render_scorecard(result: ScorecardResult, fmt: str = "table") -> str:
    """Render a scorecard, one row per body or review.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> s = ReviewGraph.from_dataset(demo_dataset()).scorecard("review", "2023-01-01")
    >>> render_scorecard(s, "csv").splitlines()[2]
    '2023-01-01,demo-2020,The 2020 review,2,1,0,0,0,0,1,2,1,1,1,760'
    """
    header = [
        result.by,
        "label",
        "stances",
        "accepted",
        "accepted_in_principle",
        "accepted_in_part",
        "not_accepted",
        "noted",
        "to_be_considered",
        "commitments",
        "delivered",
        "delivered_late",
        "not_followed_through",
        "median_days_to_delivery",
    ]
    rows = [
        [
            r.key,
            r.label,
            r.stances,
            r.accepted,
            r.accepted_in_principle,
            r.accepted_in_part,
            r.not_accepted,
            r.noted,
            r.to_be_considered,
            r.commitments,
            r.delivered,
            r.delivered_late,
            r.not_followed_through,
            r.median_days_to_delivery,
        ]
        for r in result.rows
    ]
    return _emit(result, fmt, f"Scorecard by {result.by} as of {result.as_of}", header, rows)


def render_slippage(result: SlippageResult, fmt: str = "table") -> str:
    """Render slippage, most slipped first.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> s = ReviewGraph.from_dataset(demo_dataset()).slippage("2023-01-01")
    >>> render_slippage(s, "csv").splitlines()[1]
    '2023-01-01,demo-pledge,2021-12,2022-06,1,181,2022-05-31,yes,no'
    """
    header = [
        "commitment",
        "first_target",
        "last_target",
        "revisions",
        "days_slipped",
        "delivered_on",
        "late_against_first",
        "late_against_last",
    ]
    rows = [
        [
            r.commitment,
            r.first_target.target.text,
            r.last_target.target.text,
            r.revisions,
            r.days_slipped,
            r.delivered_on,
            r.late_against_first,
            r.late_against_last,
        ]
        for r in result.rows
    ]
    return _emit(result, fmt, f"Slippage as of {result.as_of}", header, rows)


def render_contested(result: ContestedResult, fmt: str = "table") -> str:
    """Render contested commitments.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> c = ReviewGraph.from_dataset(demo_dataset()).contested("2023-01-01")
    >>> render_contested(c).splitlines()[0]
    'Contested as of 2023-01-01 (claims since 2021-01-01): 0'
    """
    header = ["commitment", "owner_side", "owner_claim", "independent", "independent_claim"]
    rows = [
        [
            r.commitment,
            r.owner_bucket,
            r.owner_side.claim,
            r.independent_bucket,
            r.independent.claim,
        ]
        for r in result.rows
    ]
    title = f"Contested as of {result.as_of} (claims since {result.window_start}): {len(rows)}"
    return _emit(result, fmt, title, header, rows)


def render_timeline(result: TimelineResult, fmt: str = "table") -> str:
    """Render a timeline, oldest first.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> t = ReviewGraph.from_dataset(demo_dataset()).timeline("2011-01-01")
    >>> render_timeline(t, "csv").splitlines()[1]
    '2011-01-01,2010-06-01,review-published,demo-2010,,The 2010 review'
    """
    header = ["date", "kind", "item", "about", "label"]
    rows = [[e.date.text, e.kind, e.item, " ; ".join(e.about), e.label] for e in result.events]
    return _emit(result, fmt, f"Timeline to {result.as_of}", header, rows)


def render_diff(result: DiffResult, fmt: str = "table") -> str:
    """Render what changed between two sets of findings: new, closed, changed.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.analysis.diff import diff_findings
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> d = diff_findings(rg.gaps("2021-01-01"), rg.gaps("2023-01-01"))
    >>> render_diff(d).splitlines()[0]
    'Findings from 2021-01-01 to 2023-01-01: 2 new, 0 closed, 1 changed'
    """
    header = ["change", "finding", "category", "item", "what changed", "before", "after", "label"]
    rows: list[list[Cell]] = []
    for f in result.new:
        rows.append(["new", f.id, f.category, f.item, "", "", ",".join(f.rules), f.label])
    for f in result.closed:
        rows.append(["closed", f.id, f.category, f.item, "", ",".join(f.rules), "", f.label])
    for c in result.changed:
        from reviewgraph.analysis.diff import facts_of

        a, b = facts_of(c.before), facts_of(c.after)
        for name in c.changed:
            rows.append(
                [
                    "changed",
                    c.id,
                    c.after.category,
                    c.after.item,
                    name,
                    _text(_fact(a[name])),
                    _text(_fact(b[name])),
                    c.after.label,
                ]
            )
    title = (
        f"Findings from {result.before} to {result.after}: {len(result.new)} new, "
        f"{len(result.closed)} closed, {len(result.changed)} changed"
    )
    return _emit(result, fmt, title, header, rows)


def _fact(value: Any) -> Cell:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return value  # type: ignore[no-any-return]


_RENDERERS: dict[type[BaseModel], Callable[[Any, str], str]] = {
    DiffResult: render_diff,
    GapsResult: render_gaps,
    StatusResult: render_status,
    TraceResult: render_trace,
    RecurringResult: render_recurring,
    ScorecardResult: render_scorecard,
    SlippageResult: render_slippage,
    ContestedResult: render_contested,
    TimelineResult: render_timeline,
}


def render(result: BaseModel, fmt: str = "table") -> str:
    """Render any analysis result with the renderer for its type.

    Raises
    ------
    ValueError
        If the format is unknown.
    TypeError
        If the result is not an analysis result.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> import json
    >>> json.loads(render(ReviewGraph.from_dataset(demo_dataset()).gaps("2023-01-01"),
    ...                   "json"))["as_of"]
    '2023-01-01'
    """
    _check(fmt)
    renderer = _RENDERERS.get(type(result))
    if renderer is None:
        raise TypeError(f"cannot render a {type(result).__name__}")
    return renderer(result, fmt)
