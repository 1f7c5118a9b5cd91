"""Render the findings of :meth:`~reviewgraph.analysis.ReviewGraph.gaps` as text.

:func:`render_gaps` groups the findings by review; in a ``table`` each finding shows what it
concerns, its owner, due date and slippage, the latest evidence and its source, how often the
same thing was promised before, and why it is listed.  The formats are those of
:mod:`reviewgraph.report.formats`.
"""

from __future__ import annotations

from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.resultparts import RecurrenceCounts, StanceAsOf, StatusAsOf
from reviewgraph.analysis.results import Finding, FindingCategory, GapsResult
from reviewgraph.report.formats import Cell, _check, _emit, _owner, _sources, promised_text

__all__ = ["render_gaps"]


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
