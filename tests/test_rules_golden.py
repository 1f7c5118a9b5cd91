"""The golden rule cases of ``tests/rules/`` (issue #14): hand-built datasets whose exact
findings were written from the decision table of ``docs/concepts.md``, not from the code.

A case the engine does not meet yet carries ``xfail: "issue #14: <rule>"``; it runs as a strict
expected failure, so it turns into a hard failure (remove the line) the day the engine
implements the rule. ``tests/rules_golden.py`` holds the loader and the comparison.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rules_golden import AWAITED, CASES, FINDING_FACTS, STATUS_FACTS, compare_check, load_case

from reviewgraph.analysis import ReviewGraph

FILES = sorted(CASES.glob("*.yaml"))


def _param(path: Path) -> object:
    case = load_case(path)
    marks = []
    if case.xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in FILES])
def test_case(path: Path) -> None:
    case = load_case(path)
    graph = ReviewGraph.from_dataset(case.dataset)
    for check in case.checks:
        where = f"{case.name} as of {check.as_of}"
        if check.known_on is not None:
            where += f" known on {check.known_on}"
        compare_check(graph, check, where)


def test_there_is_a_case_for_every_observed_defect_and_every_table_row() -> None:
    names = {p.stem for p in FILES}
    defects = {n.split("-")[1] for n in names if n.startswith("defect-")}
    assert {"1", "2", "3", "4", "5", "6", "7a", "7b", "7c", "7d", "8a", "8b", "9"} <= defects
    for row in (
        "not-followed-through-a",
        "not-followed-through-b",
        "not-followed-through-c",
        "orphaned",
        "parked",
        "unanswered",
        "overdue-response",
        "lapsed",
        "reversed",
    ):
        assert f"table-{row}" in names, row


def test_compared_and_awaited_facts_do_not_overlap() -> None:
    assert not (set(FINDING_FACTS) & AWAITED)
    assert not (set(STATUS_FACTS) - {"stance", "responder", "status"}) & AWAITED


def test_every_case_the_concepts_page_names_exists_and_every_case_is_named() -> None:
    page = (CASES.parents[1] / "docs" / "concepts.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(?:tests/rules/)?([a-z0-9-]+)\.yaml`", page))
    names = {p.stem for p in FILES}
    assert named - names == set(), "the page names cases that do not exist"
    unnamed = {n for n in names - named if not n.startswith(("table-", "rollup-", "defect-"))}
    assert unnamed == set(), "cases the page does not mention"
