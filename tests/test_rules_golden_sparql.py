"""The golden rule cases of ``tests/rules/`` on the SPARQL route (issue #14).

Each case's dataset is asked, on rdflib and on pyoxigraph, the questions the SPARQL route
answers (:func:`oracles.sparql_route.sparql_answers`: the named queries, finished in Python
only where ``docs/concepts.md``, "How the routes divide the work", says so), and compared with
the case's expectations, which were written from the decision table by hand:

* the findings of ``gaps``: exactly the expected categories and items, and for each finding
  that names ``rules``, those rules;
* the ``status:`` facts the route answers: ``stance`` and ``responder`` (the stance as of D with
  standing, ``stance-asof.rq``) and ``status`` (a commitment's evidence, ``status-asof.rq``; a
  recommendation's direct claims competing with its roll-up, ``rollup.rq``).

The other facts of a case (owners, recurrence threads, scorecards, finding content) are the
Python route's (``tests/test_rules_golden.py``).  A case this route cannot answer yet is a
strict expected failure, with its reason, in :data:`WAITING`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from oracles.sparql_route import NOT_RECORDED, sparql_answers
from rules_golden import CASES, Check, load_case

from reviewgraph.analysis import ReviewGraph

pytest.importorskip("pyoxigraph")

FILES = sorted(CASES.glob("*.yaml"))

STATUS_FACTS = ("stance", "responder", "status")
"""The facts of a ``status:`` expectation that the SPARQL route answers."""

WAITING: dict[str, str] = {}
"""Cases the SPARQL route does not meet yet, with the reason (strict expected failures)."""


def _answerable(check: Check) -> bool:
    return check.gaps is not None or any(
        set(facts) & set(STATUS_FACTS) for facts in check.status.values()
    )


def _plain(value: Any) -> Any:
    """YAML gives every scalar as text; ``null`` stays ``None``."""
    return None if value is None else str(value)


def _compare(rg: ReviewGraph, check: Check, engine: Literal["rdflib", "oxigraph"]) -> None:
    where = f"as of {check.as_of}, known on {check.known_on}, on {engine}"
    got = sparql_answers(rg, check.as_of, check.grace_years, engine, known_on=check.known_on)
    if check.gaps is not None:
        findings = {(c, i): rules for c, i, rules in got["gaps"]}
        want = {(str(e["category"]), str(e["item"])): e for e in check.gaps}
        assert sorted(findings) == sorted(want), f"{where}: findings differ"
        for key, expected in want.items():
            if "rules" in expected:
                assert list(findings[key]) == [str(r) for r in expected["rules"]], (where, key)
    for item, expected in check.status.items():
        stance = got["stances"].get(item)
        actual = {
            "stance": stance[0] if stance else None,
            "responder": stance[4] if stance else None,
            "status": got["status_of"].get(item, NOT_RECORDED),
        }
        for name in STATUS_FACTS:
            if name in expected:
                assert actual[name] == _plain(expected[name]), (where, item, name)


def _param(path: Path) -> Any:
    marks = []
    if path.stem in WAITING:
        marks.append(pytest.mark.xfail(strict=True, reason=WAITING[path.stem]))
    return pytest.param(path, id=path.stem, marks=marks)


ANSWERABLE = [p for p in FILES if any(_answerable(c) for c in load_case(p).checks)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("path", [_param(p) for p in ANSWERABLE])
def test_case_on_the_sparql_route(path: Path, engine: Literal["rdflib", "oxigraph"]) -> None:
    case = load_case(path)
    rg = ReviewGraph.from_dataset(case.dataset)
    for check in case.checks:
        if _answerable(check):
            _compare(rg, check, engine)


def test_every_table_row_and_defect_with_findings_is_asked_of_the_sparql_route() -> None:
    names = {p.stem for p in ANSWERABLE}
    rows = [
        "not-followed-through-a",
        "not-followed-through-b",
        "not-followed-through-c",
        "orphaned",
        "parked",
        "unanswered",
        "overdue-response",
        "lapsed",
        "reversed",
    ]
    for row in rows:
        assert f"table-{row}" in names, row
    assert {"defect-1-smith-non-addressee", "defect-2-blanket-fire-brigade",
            "defect-3-rollup-ignores-commitments", "defect-6-reversal"} <= names  # fmt: skip
    assert set(WAITING) <= {p.stem for p in FILES}
