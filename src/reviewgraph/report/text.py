"""Render analysis results as text: an aligned ``table``, ``csv``, ``json`` or ``md`` (Markdown).

Each ``render_*`` function takes a result of :class:`reviewgraph.analysis.ReviewGraph` and a
format name and returns a string.  Every output states the date it was computed for: a title
line in ``table`` and ``md``, an ``as_of`` column in ``csv``, the ``as_of`` field in ``json``.
CSV cells pass through :func:`reviewgraph.io.tracker.neutralise`, so that no spreadsheet reads a
cell as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.results import (
    CitationRef,
    ContestedResult,
    DateValue,
    DiffResult,
    Finding,
    FindingCategory,
    GapsResult,
    OwnerAsOf,
    RecurrenceCounts,
    RecurringResult,
    ScorecardResult,
    SlippageResult,
    StanceAsOf,
    StatusAsOf,
    StatusResult,
    TimelineResult,
    TraceResult,
)
from reviewgraph.io.tracker import neutralise

__all__ = [
    "FORMATS",
    "Format",
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

Format = Literal["table", "csv", "json", "md"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "md")
"""The output formats every renderer accepts."""

Cell = str | int | float | bool | date | None


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(value: DateValue | None) -> str:
    return value.text if value is not None else ""


def _owner(owner: OwnerAsOf | None) -> str:
    if owner is None or owner.original is None:
        return ""
    return owner.spelt


def _sources(cites: Sequence[CitationRef]) -> str:
    seen: list[str] = []
    for c in cites:
        where = c.url or c.source
        if where not in seen:
            seen.append(where)
    return " ; ".join(seen)


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")


def _emit(
    result: BaseModel,
    fmt: str,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    notes: Sequence[str] = (),
) -> str:
    _check(fmt)
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    as_of = getattr(result, "as_of", None)
    known_on = getattr(result, "known_on", None)
    if known_on is not None:  # both dates, wherever the date is stated
        title = title.replace(f"{as_of}", f"{as_of}, known on {known_on}", 1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        known = ["known_on"] if known_on is not None else []
        writer.writerow(["as_of", *known, *header])
        dates = [neutralise(_text(as_of))] + ([_text(known_on)] if known_on is not None else [])
        for row in rows:
            writer.writerow([*dates, *(neutralise(_text(c)) for c in row)])
        return out.getvalue()
    texts = [[_text(c) for c in row] for row in rows]
    if fmt == "md":

        def esc(cell: str) -> str:
            return cell.replace("|", "\\|").replace("\n", " ")

        lines = [f"**{title}**", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in texts)
        if not texts:
            lines.append("| " + " | ".join("" for _ in header) + " |")
        if notes:
            lines.append("")
            lines.extend(f"{i}. {esc(n)}" for i, n in enumerate(notes, 1))
        return "\n".join(lines) + "\n"
    widths = [len(h) for h in header]
    for row in texts:
        widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        clipped = [c if len(c) <= 60 else c[:57] + "..." for c in cells]
        return "  ".join(c.ljust(w) for c, w in zip(clipped, widths, strict=True)).rstrip()

    lines = [title, "", line(header), line(["-" * w for w in widths])]
    lines.extend(line(row) for row in texts)
    if not texts:
        lines.append("(none)")
    if notes:
        lines.append("")
        lines.extend(f"[{i}] {n}" for i, n in enumerate(notes, 1))
    return "\n".join(lines) + "\n"


def _evidence(status: StatusAsOf | None) -> str:
    from reviewgraph.analysis.ranks import concept_label

    if status is None or status.claim is None:
        return "not recorded"
    if status.status == "no-evidence-found":
        on = f" on {status.asserted_on.text}" if status.asserted_on else ""
        where = f"; searched: {', '.join(status.searched_in)}" if status.searched_in else ""
        return f"searched, none found (by {status.assessor or 'an unnamed assessor'}{on}{where})"
    who = ", ".join(x for x in (status.assessor, status.role) if x)
    when = f", {status.date.text}" if status.date else ""
    via = " via its commitments" if status.kind == "rollup" else ""
    kind = f"{status.kind} " if status.kind == "deliverable" else ""
    return f"{concept_label(status.status)}{via}{when}" + (
        f" ({kind}{status.claim}; {who})" if who else ""
    )


def _due(f: Finding) -> str:
    if f.due is None:
        return "none known" if f.item_type == "commitment" else ""
    text = f.due.current.target.text
    cur = f.due.current
    if cur.stated_by_role in ("contractor", "commentator"):
        on = f" on {cur.stated_on.text}" if cur.stated_on else ""
        text += f" (stated by a {cur.stated_by_role}, {cur.stated_by}{on})"
    if f.due.revisions:
        text += (
            f" (first {f.due.first.target.text}; {f.due.revisions} revision(s), "
            f"{f.due.days_slipped:+d} days)"
        )
    return text


def _before(f: Finding) -> str:
    return promised_text(f.recurrence)


def _first(r: RecurrenceCounts) -> str:
    return r.earlier_items[0].date.text if r.earlier_items else ""


def promised_text(r: RecurrenceCounts, listed: int = 4) -> str:
    """The "promised before" line: every earlier recommendation and commitment in the
    item's threads (docs/concepts.md, "Recurrence threads"), the first date, the split by
    kind with each kind's fate, and the earliest ``listed`` items with their dates.

    >>> from datetime import date
    >>> from reviewgraph.analysis.results import EarlierItem
    >>> def day(t): return DateValue(text=t, earliest=date.fromisoformat(t),
    ...                              latest=date.fromisoformat(t))
    >>> r = RecurrenceCounts(promised_before=2, recommended_before=1, accepted_before=1,
    ...     committed_before=1, earlier_items=(
    ...     EarlierItem(item="f/218", item_type="recommendation",
    ...                 date=day("2013-02-06"), accepted=True, followed_through=True),
    ...     EarlierItem(item="f-pledge", item_type="commitment",
    ...                 date=day("2013-11-19"), accepted=True, followed_through=False)))
    >>> for part in promised_text(r).split("; "):
    ...     print(part)
    2, first 2013-02-06 (recommendations 1: accepted 1, not followed through 0
    commitments 1: delivered 0): f/218 2013-02-06, f-pledge 2013-11-19
    >>> promised_text(RecurrenceCounts())
    '0'
    """
    if not r.promised_before:
        return "0"
    items = r.earlier_items
    parts = []
    if r.recommended_before:
        parts.append(
            f"recommendations {r.recommended_before}: accepted {r.accepted_before}, "
            f"not followed through {r.not_followed_through_before}"
        )
    if r.committed_before:
        delivered = sum(1 for e in items if e.item_type == "commitment" and e.followed_through)
        parts.append(f"commitments {r.committed_before}: delivered {delivered}")
    text = str(r.promised_before)
    if items:
        text += f", first {items[0].date.text}"
    text += f" ({'; '.join(parts)})"
    if items:
        shown = ", ".join(f"{e.item} {e.date.text}" for e in items[:listed])
        more = f" (+{len(items) - listed} more)" if len(items) > listed else ""
        text += f": {shown}{more}"
    return text


_NONE = "standalone pledges (answering no review)"

_CATEGORY_ORDER: tuple[FindingCategory, ...] = (
    "lapsed",
    "not-followed-through",
    "orphaned",
    "reversed",
    "parked",
    "unanswered",
    "overdue-response",
)


def render_gaps(result: GapsResult, fmt: str = "table") -> str:
    """Render the findings of :meth:`~reviewgraph.analysis.ReviewGraph.gaps`, grouped by review.

    Each finding shows its owner, due date and slippage, the latest evidence and its source,
    how often the same thing was recommended before, and why it is listed.

    Examples
    --------
    >>> from reviewgraph.analysis import ReviewGraph
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> gaps = ReviewGraph.from_dataset(demo_dataset()).gaps(as_of="2023-01-01")
    >>> render_gaps(gaps, "csv").splitlines()[1].split(",")[:5]
    ['2023-01-01', 'demo-2010', 'not-followed-through', 'demo-old-pledge', 'c']
    >>> render_gaps(gaps).splitlines()[0]
    'Findings as of 2023-01-01 (grace period 2 years): 3'
    """
    _check(fmt)
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    groups: dict[str, list[Finding]] = {}
    for f in result.findings:
        groups.setdefault(f.reviews[0] if f.reviews else _NONE, []).append(f)
    if fmt in ("csv", "md"):
        header = [
            "review",
            "category",
            "item",
            "rules",
            "label",
            "owner",
            "due",
            "first_due",
            "revisions",
            "days_slipped",
            "evidence",
            "evidence_sources",
            "recommended_before",
            "accepted_before",
            "not_followed_through_before",
            "why",
            "sources",
            "status",
            "stance",
            "responder",
            "recommendations",
            "charged_to",
            "promised_before",
            "committed_before",
            "first_promised",
            "earlier",
        ]
        rows: list[list[Cell]] = []
        for review in sorted(groups):
            for f in groups[review]:
                rows.append(
                    [
                        review,
                        f.category,
                        f.item,
                        ",".join(f.rules),
                        f.label,
                        _owner(f.owner),
                        f.due.current.target.text if f.due else "",
                        f.due.first.target.text if f.due else "",
                        f.due.revisions if f.due else None,
                        f.due.days_slipped if f.due else None,
                        _evidence(f.status),
                        _sources(f.status.citations) if f.status else "",
                        f.recurrence.recommended_before,
                        f.recurrence.accepted_before,
                        f.recurrence.not_followed_through_before,
                        f.why.explanation,
                        _sources(f.why.citations),
                        f.status.status if f.status else "",
                        f.stance.value or "" if f.stance else "",
                        f.stance.respondent or "" if f.stance else "",
                        " ".join(r.id for r in f.recommendations),
                        f.charged_to or "",
                        f.recurrence.promised_before,
                        f.recurrence.committed_before,
                        _first(f.recurrence),
                        " ".join(e.item for e in f.recurrence.earlier_items),
                    ]
                )
        title = (
            f"Findings as of {result.as_of} (grace period {result.grace_years} years): "
            f"{len(result.findings)}"
        )
        return _emit(result, fmt, title, header, rows)
    counts = " · ".join(f"{c.replace('-', ' ')} {len(result.of(c))}" for c in _CATEGORY_ORDER)
    lines = [
        f"Findings as of {result.as_of}"
        + (f", known on {result.known_on}" if result.known_on else "")
        + f" (grace period {result.grace_years} years): {len(result.findings)}",
        counts,
    ]
    n = 0
    for review in sorted(groups, key=lambda r: (r == _NONE, natural_key(r))):
        review_title = result.review_titles.get(review)
        heading = f"{review}: {review_title}" if review_title else review
        lines += ["", f"== {heading} ({len(groups[review])}) =="]
        for f in groups[review]:
            n += 1
            rule = f" ({','.join(f.rules)})" if f.rules else ""
            lines.append(f"[{n}] {f.category.replace('-', ' ')}{rule}: {f.item}")
            label = f.label if len(f.label) <= 100 else f.label[:97] + "..."
            if label and label != f.item:
                lines.append(f"    {label}")
            lines.extend(_finding_facts(f))
            lines.append(f"    promised before: {_before(f)}")
            lines.append(f"    why: {f.why.explanation}")
            cited = _sources(f.why.citations).split(" ; ")
            if cited != [""]:
                more = f" (+{len(cited) - 2} more)" if len(cited) > 2 else ""
                lines.append(f"    sources: {' ; '.join(cited[:2])}{more}")
    if not result.findings:
        lines += ["", "(none)"]
    return "\n".join(lines) + "\n"


def _stance(s: StanceAsOf) -> str:
    from reviewgraph.analysis.ranks import concept_label

    if not s.value:
        return "none"
    by = f" by {s.respondent}" if s.respondent else ""
    on = f" on {s.date.text}" if s.date else ""
    interim = " (interim)" if s.interim else ""
    return f"{concept_label(s.value)}{by}{on}{interim}"


def _finding_facts(f: Finding) -> list[str]:
    """The fact lines of one finding: what it concerns, who answered, target, evidence."""
    out = []
    for r in f.recommendations:
        if f.item_type == "recommendation" and r.summary:
            out.append(f"    summary: {r.summary}")
        elif f.item_type == "commitment":
            text = f"{r.id}: {r.summary}" if r.summary else r.id
            out.append(f"    answers: {text if len(text) <= 110 else text[:107] + '...'}")
    facts = []
    if f.item_type == "commitment":
        facts.append(f"owner: {_owner(f.owner) or 'none named'}")
        if f.charged_to and f.owner is not None and f.charged_to != f.owner.current:
            facts.append(f"charged to: {f.charged_to}")
        facts.append(f"due: {_due(f)}")
    if f.stance is not None and f.stance.value:
        facts.append(f"stance: {_stance(f.stance)}")
    if f.item_type != "review":
        facts.append(f"evidence: {_evidence(f.status)}")
    if facts:
        out.append("    " + " | ".join(facts))
    notes = []
    if f.stance is not None and f.stance.other_answers:
        notes.append(f"answered by {', '.join(f.stance.other_answers)}, not an addressee")
    if f.responded_without_stances:
        notes.append(f"responded without stances: {', '.join(f.responded_without_stances)}")
    for c in f.conflict:
        notes.append(f"conflict: answers {c.recommendation}, not accepted ({_stance(c)})")
    if f.reversal is not None:
        notes.append(
            f"reversed: {_stance(f.reversal.earlier)}, then {_stance(f.reversal.later)}"
            + (f"; ended: {', '.join(f.reversal.ended)}" if f.reversal.ended else "")
        )
    if f.history:
        notes.append(f"replaces: {', '.join(f.history)}")
    if f.lapsed_on:
        notes.append(f"lapsed at: {f.lapsed_on}")
    if f.rollup is not None and f.direct is not None:
        from reviewgraph.analysis.ranks import concept_label

        notes.append(
            f"status: direct {concept_label(f.direct.status)}, via commitments "
            f"{concept_label(f.rollup.status)}"
        )
    out.extend(f"    {n}" for n in notes)
    return out


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
