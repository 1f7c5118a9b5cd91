"""Load and compare the golden rule cases of ``tests/rules/`` (issue #14).

A case is one YAML file::

    about: what the case shows, and the rows of docs/concepts.md it follows
    xfail: "issue #14: <rule>"     # present while the engine does not implement the rule
    dataset: {...}                 # an authoring document (docs/authoring-yaml.md)
    expected:                      # one check per pair of dates
      - as_of: 2023-01-01
        known_on: 2023-01-01       # optional; omitted: everything in the data
        grace_years: 2             # optional
        gaps:                      # the exact findings, written from the decision table
          - {category: unanswered, item: r-2020/1, stance: null}
        status:                    # optional: the state of single items
          r-2020/1: {stance: accepted, responder: dhsc}
        recurring:                 # optional: the exact threads, each by its members
          - [r-2010/1, r-2020/1]
        scorecard:                 # optional: rows by body (or review: ``scorecard_by``)
          home-office: {delivered: 2}
        order: [c-2, c-10]         # optional: these findings appear in this order

Each fact named in an expectation is either **compared** (it has an extractor below, reading
today's result models) or **awaited** (the revised rules define it but today's results have
no field for it: it is kept in the case for the engine to meet, and not compared yet). A fact
that is neither is a typo, and fails the case. To compare a new output field, move its name
from :data:`AWAITED` to :data:`FINDING_FACTS` (or :data:`STATUS_FACTS`) with an extractor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.results import Finding, StanceAsOf, StatusResult
from reviewgraph.io.authoring import items_from_document
from reviewgraph.io.files import check_references
from reviewgraph.io.yamldoc import parse_yaml
from reviewgraph.models import ITEM_TYPES, Dataset

__all__ = [
    "AWAITED",
    "CASES",
    "FINDING_FACTS",
    "STATUS_FACTS",
    "Case",
    "compare_check",
    "load_case",
]

CASES = Path(__file__).parent / "rules"
"""The folder of golden cases."""


def _owner_was(f: Finding) -> list[str] | None:
    if f.owner is None:
        return None
    return [s.from_body for s in reversed(f.owner.steps)]


def _stance_fact(s: StanceAsOf) -> dict[str, Any]:
    return {"stance": s.value, "responder": s.respondent, "date": s.date.text if s.date else None}


def _conflict(f: Finding) -> Any:
    found = [{"recommendation": s.recommendation, "stance": s.value, "responder": s.respondent}
             for s in f.conflict]  # fmt: skip
    return found[0] if len(found) == 1 else found


def _pending(f: Finding) -> Any:
    if f.owner is None or not f.owner.pending:
        return None
    p = f.owner.pending[0]
    return {
        "change": p.change,
        "kind": p.kind,
        "into": list(p.into),
        "date": p.date.text,
        "announced": p.announced.text if p.announced else None,
    }


FINDING_FACTS: dict[str, Callable[[Finding], Any]] = {
    "rules": lambda f: list(f.rules),
    "owner": lambda f: f.owner.current if f.owner else None,
    "owner_was": _owner_was,
    "orphaned": lambda f: f.owner.orphaned if f.owner else None,
    "stance": lambda f: f.stance.value if f.stance else None,
    "responder": lambda f: f.stance.respondent if f.stance else None,
    "status": lambda f: f.status.status if f.status else None,
    "target": lambda f: f.due.current.target.text if f.due else None,
    "target_stated_by": lambda f: f.due.current.stated_by if f.due else None,
    "recommended_before": lambda f: f.recurrence.recommended_before,
    "accepted_before": lambda f: f.recurrence.accepted_before,
    "not_followed_through_before": lambda f: f.recurrence.not_followed_through_before,
    "earlier_recommendations": lambda f: sorted(f.recurrence.earlier),
    "threads": lambda f: list(f.recurrence.threads),
    "promised_before": lambda f: f.recurrence.promised_before,
    "earlier": lambda f: [
        {
            "item": e.item,
            "date": e.date.text,
            "accepted": e.accepted,
            "followed_through": e.followed_through,
        }
        for e in f.recurrence.earlier_items
    ],
    "reviews": lambda f: list(f.reviews),
    "recommendations": lambda f: [
        {"id": r.id, "label": r.label, "summary": r.summary} for r in f.recommendations
    ],
    "other_answers": lambda f: list(f.stance.other_answers) if f.stance else [],
    "responded_without_stances": lambda f: list(f.responded_without_stances),
    "conflict": _conflict,
    "reversed_from": lambda f: _stance_fact(f.reversal.earlier) if f.reversal else None,
    "reversed_to": lambda f: _stance_fact(f.reversal.later) if f.reversal else None,
    "ended": lambda f: list(f.reversal.ended) if f.reversal else [],
    "history": lambda f: list(f.history),
    "evidence": lambda f: f.status.claim if f.status else None,
    "searched_by": lambda f: f.status.assessor if f.status else None,
    "searched_on": lambda f: (
        f.status.asserted_on.text if f.status and f.status.asserted_on else None
    ),
    "searched_in": lambda f: list(f.status.searched_in) if f.status else [],
    "charged_to": lambda f: f.charged_to,
    "owner_spelt": lambda f: f.owner.spelt if f.owner else None,
    "pending_change": _pending,
    "target_stated_on": lambda f: (
        f.due.current.stated_on.text if f.due and f.due.current.stated_on else None
    ),
    "target_role": lambda f: f.due.current.stated_by_role if f.due else None,
    "lapsed_on": lambda f: f.lapsed_on,
    "direct": lambda f: f.direct.status if f.direct else None,
    "rollup": lambda f: f.rollup.status if f.rollup else None,
    "rollup_date": lambda f: f.rollup.date.text if f.rollup and f.rollup.date else None,
    "dropped": lambda f: list(f.rollup.dropped) if f.rollup else [],
}
"""Facts of a finding that today's :class:`~reviewgraph.analysis.results.Finding` holds."""

STATUS_FACTS: dict[str, Callable[[StatusResult], Any]] = {
    "stance": lambda s: s.stance.value if s.stance else None,
    "responder": lambda s: s.stance.respondent if s.stance else None,
    "status": lambda s: s.status.status,
    "delivered": lambda s: s.fate.delivered if s.fate else None,
    "commitments": lambda s: sorted(s.commitments),
    "other_answers": lambda s: list(s.stance.other_answers) if s.stance else [],
    "answered": lambda s: s.answered,
    "direct": lambda s: s.direct.status if s.direct else None,
    "rollup": lambda s: s.rollup.status if s.rollup else None,
    "rollup_date": lambda s: s.rollup.date.text if s.rollup and s.rollup.date else None,
    "dropped": lambda s: list(s.rollup.dropped) if s.rollup else [],
    "evidence": lambda s: s.status.claim,
    "searched_by": lambda s: s.status.assessor,
    "searched_on": lambda s: s.status.asserted_on.text if s.status.asserted_on else None,
    "searched_in": lambda s: list(s.status.searched_in),
}
"""Facts of :meth:`~reviewgraph.analysis.ReviewGraph.status` that today's result holds."""

AWAITED: frozenset[str] = frozenset()
"""Facts the revised rules define that today's result models do not hold yet."""


@dataclass
class Check:
    """One expectation: the results as of a date (and known on a date)."""

    as_of: date
    known_on: date | None
    grace_years: int
    gaps: list[dict[str, Any]] | None
    status: dict[str, dict[str, Any]]
    recurring: list[list[str]] | None
    scorecard: dict[str, dict[str, Any]] | None
    scorecard_by: str = "body"
    order: list[str] = field(default_factory=list)
    awaited: list[str] = field(default_factory=list)


@dataclass
class Case:
    """A golden case: its dataset, the checks, and the rule it waits for (if any)."""

    name: str
    about: str
    xfail: str | None
    dataset: Dataset
    checks: list[Check]


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _parse_check(raw: dict[str, Any]) -> Check:
    known = {"as_of", "known_on", "grace_years", "gaps", "status", "recurring", "scorecard",
             "scorecard_by", "order"}  # fmt: skip
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown keys in a check: {sorted(unknown)}")
    as_of = _day(raw["as_of"])
    assert as_of is not None
    return Check(
        as_of=as_of,
        known_on=_day(raw.get("known_on")),
        grace_years=int(raw.get("grace_years") or 2),
        gaps=None if raw.get("gaps") is None and "gaps" not in raw else list(raw["gaps"] or []),
        status=dict(raw.get("status") or {}),
        recurring=None if "recurring" not in raw else [list(m) for m in raw["recurring"] or []],
        scorecard=None if "scorecard" not in raw else dict(raw["scorecard"] or {}),
        scorecard_by=str(raw.get("scorecard_by") or "body"),
        order=[str(i) for i in raw.get("order") or []],
    )


def load_case(path: Path) -> Case:
    """Read a case file: its dataset (checked like any YAML file) and its expectations."""
    doc = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    unknown = set(doc) - {"about", "xfail", "dataset", "expected"}
    if unknown:
        raise ValueError(f"{path.name}: unknown keys {sorted(unknown)}")
    collected = items_from_document(doc["dataset"], path.name)
    items = [item for name in ITEM_TYPES for item in collected.items[name]]
    problems = collected.problems + check_references(
        items, collected.locations, collected.occurrences
    )
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(str(p) for p in problems))
    dataset = Dataset(**{name: tuple(v) for name, v in collected.items.items()})
    return Case(
        name=path.stem,
        about=str(doc.get("about") or ""),
        xfail=doc.get("xfail"),
        dataset=dataset,
        checks=[_parse_check(c) for c in doc["expected"]],
    )


def _split(expected: dict[str, Any], facts: dict[str, Any], where: str) -> dict[str, Any]:
    """The expected facts that can be compared today; refuse names that are neither."""
    compared = {}
    for name, value in expected.items():
        if name in facts:
            compared[name] = value
        elif name not in AWAITED:
            raise AssertionError(f"{where}: {name!r} is neither a compared nor an awaited fact")
    return compared


def _plain(value: Any) -> Any:
    """One form for both sides: YAML gives every scalar as text (``"true"``, ``"2"``)."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None:
        return value
    text = str(value)
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def compare_check(graph: ReviewGraph, check: Check, where: str) -> None:
    """Assert that the engine's results as of the check's dates are the expected ones."""
    dates: dict[str, Any] = {}
    if check.known_on is not None:
        dates["known_on"] = check.known_on
    if check.gaps is not None:
        result = graph.gaps(as_of=check.as_of, grace_years=check.grace_years, **dates)
        got = {(f.category, f.item): f for f in result.findings}
        want = {(str(e["category"]), str(e["item"])): e for e in check.gaps}
        assert sorted(got) == sorted(want), f"{where}: findings differ"
        for key, expected in want.items():
            if "known_on" in expected:  # a fact of the result every finding is read under
                assert _plain(str(result.known_on)) == _plain(expected["known_on"]), where
            facts = _split(
                {k: v for k, v in expected.items() if k not in ("category", "item", "known_on")},
                FINDING_FACTS,
                f"{where} {key}",
            )
            actual = {name: FINDING_FACTS[name](got[key]) for name in facts}
            assert _plain(actual) == _plain(facts), f"{where} {key}"
        if check.order:
            seen = [f.item for f in result.findings if f.item in check.order]
            assert seen == check.order, f"{where}: findings in the order {seen}"
    for item, expected in check.status.items():
        facts = _split(expected, STATUS_FACTS, f"{where} status {item}")
        status = graph.status(item, as_of=check.as_of, grace_years=check.grace_years, **dates)
        actual = {name: STATUS_FACTS[name](status) for name in facts}
        assert _plain(actual) == _plain(facts), f"{where} status {item}"
    if check.recurring is not None:
        threads = graph.recurring(as_of=check.as_of, **dates).recurrences
        assert sorted(sorted(t.members) for t in threads) == sorted(
            sorted(m) for m in check.recurring
        ), f"{where}: threads differ"
    if check.scorecard is not None:
        by = "review" if check.scorecard_by == "review" else "body"
        rows = graph.scorecard(by, as_of=check.as_of, grace_years=check.grace_years, **dates).rows
        table = {r.key: r for r in rows}
        for key, expected in check.scorecard.items():
            assert key in table, f"{where}: no scorecard row {key!r}"
            actual = {name: getattr(table[key], name) for name in expected}
            assert _plain(actual) == _plain(dict(expected)), f"{where}: scorecard {key}"
