"""Recurrence threads and "promised before" (docs/concepts.md, "Recurrence threads"), written
from the page: what bridges, what attaches, a link's knowledge date, and the earlier items of
an item in several threads."""

from __future__ import annotations

from typing import Any

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.order import natural_key
from reviewgraph.models import Dataset


def _graph(links: list[dict[str, Any]], **more: Any) -> ReviewGraph:
    data: dict[str, Any] = {
        "sources": [
            {"id": "report-2016", "title": "Report", "date": "2016-05-01"},
            {"id": "note-2024", "title": "A later note", "date": "2024-02-01"},
        ],
        "bodies": [{"id": "dhsc", "name": "DHSC", "government": True}],
        "reviews": [
            {"id": f"r{y}", "title": f"R{y}", "published": f"{y}-01-10", "kind": "public inquiry"}
            for y in (2010, 2015, 2020)
        ],
        "recommendations": [
            {"id": f"r{y}/{n}", "review": f"r{y}", "label": str(n), "addressees": ["dhsc"]}
            for y in (2010, 2015, 2020)
            for n in (1, 2)
        ],
        "links": links,
        **more,
    }
    return ReviewGraph.from_dataset(Dataset.model_validate(data))


def _threads(rg: ReviewGraph, **kw: Any) -> list[list[str]]:
    return sorted(sorted(t.members) for t in rg.recurring(**kw).recurrences)


def test_extends_bridges_and_echoes_of_echoes_do_not_chain() -> None:
    rg = _graph(
        [
            {"id": "l1", "type": "extends", "from": "r2015/1", "to": "r2010/1"},
            # an echo of an echo: r2020/2 echoes r2015/2, which echoes r2010/2
            {"id": "l2", "type": "echoes", "from": "r2015/2", "to": "r2010/2"},
            {"id": "l3", "type": "echoes", "from": "r2020/2", "to": "r2015/2"},
            {"id": "l4", "type": "comments-on", "from": "r2020/1", "to": "r2015/1"},
        ]
    )
    assert _threads(rg, as_of="2021-01-01") == [
        ["r2010/1", "r2015/1"],
        ["r2010/2", "r2015/2"],
        ["r2015/2", "r2020/2"],
    ]


def test_a_link_counts_only_once_known() -> None:
    cited = [{"source": "note-2024"}]
    stated = {"id": "l1", "type": "repeats", "from": "r2015/1", "to": "r2010/1"}
    rg = _graph([{**stated, "citations": cited}])
    # the link's ends existed in 2015, but the only source stating it is dated 2024
    assert _threads(rg, as_of="2025-01-01") == [["r2010/1", "r2015/1"]]
    assert _threads(rg, as_of="2025-01-01", known_on="2023-12-31") == []
    assert _threads(rg, as_of="2025-01-01", known_on="2024-02-01") == [["r2010/1", "r2015/1"]]
    # the earliest dated source decides
    rg = _graph([{**stated, "citations": [*cited, {"source": "report-2016"}]}])
    assert _threads(rg, as_of="2025-01-01", known_on="2016-05-01") == [["r2010/1", "r2015/1"]]
    # an inferred link is known when its later end is
    rg = _graph([{**stated, "basis": "inferred", "citations": cited}])
    assert _threads(rg, as_of="2025-01-01", known_on="2015-01-10") == [["r2010/1", "r2015/1"]]
    assert _threads(rg, as_of="2025-01-01", known_on="2015-01-09") == []


def test_an_item_in_two_threads_counts_the_earlier_items_of_both() -> None:
    commitments = [
        {
            "id": "c-2011",
            "summary": "Answer 2010/2",
            "made_on": "2011-03-01",
            "owner": "dhsc",
            "answers": ["r2010/2"],
        },
        {
            "id": "c-2021",
            "summary": "A programme for two asks",
            "made_on": "2021-06-01",
            "owner": "dhsc",
            "answers": ["r2015/1", "r2020/2"],
        },
    ]
    rg = _graph(
        [
            {"id": "l1", "type": "repeats", "from": "r2015/1", "to": "r2010/1"},
            {"id": "l2", "type": "echoes", "from": "r2020/1", "to": "r2015/1"},
            {"id": "l3", "type": "echoes", "from": "r2020/1", "to": "r2010/2"},
        ],
        commitments=commitments,
    )
    threads = rg.recurring("2023-01-01").recurrences
    # r2010/2 is answered by c-2011 alone, so the echo thread of r2010/2 holds c-2011; the
    # programme answering two recommendations is attached to the thread of the one that has
    # a thread (r2015/1's), and bridges nothing; r2020/1 is shown in both threads
    assert sorted(sorted(t.members) for t in threads) == [
        ["c-2011", "r2010/2", "r2020/1"],
        ["c-2021", "r2010/1", "r2015/1", "r2020/1"],
    ]
    by_id = {t.id: t for t in threads}
    assert set(by_id) == {"r2010/1", "r2010/2"}
    assert by_id["r2010/1"].attached == ("r2020/1", "c-2021")
    assert by_id["r2010/2"].attached == ("r2020/1",)
    assert (by_id["r2010/1"].depth, by_id["r2010/2"].depth) == (1, 0)
    # promised before r2020/1 (2020-01-10): the earlier items of both its threads
    gaps = rg.gaps("2023-01-01")
    unanswered = {f.item: f for f in gaps.findings if f.category == "unanswered"}
    r = unanswered["r2020/1"].recurrence
    assert r.threads == ("r2010/1", "r2010/2")
    assert [e.item for e in r.earlier_items] == ["r2010/1", "r2010/2", "c-2011", "r2015/1"]
    assert (r.promised_before, r.recommended_before, r.committed_before) == (4, 3, 1)
    assert r.earlier == ("r2010/1", "r2010/2", "r2015/1")
    # no stance anywhere: no recommendation was accepted; a commitment always is
    assert r.accepted_before == 0
    assert [e.accepted for e in r.earlier_items] == [False, False, True, False]
    assert not any(e.followed_through for e in r.earlier_items)


def test_an_answer_alone_is_no_thread() -> None:
    commitments = [
        {
            "id": "c",
            "summary": "Do it",
            "made_on": "2011-03-01",
            "owner": "dhsc",
            "answers": ["r2010/1"],
        }
    ]
    accepted = {
        "responses": [{"id": "resp", "by": "dhsc", "date": "2011-03-01", "answers": ["r2010"]}],
        "stances": [
            {"id": "resp/1", "response": "resp", "recommendation": "r2010/1", "stance": "accepted"}
        ],
    }
    rg = _graph([], commitments=commitments, **accepted)
    # a recommendation and the commitment taking it up: nothing recurred
    assert rg.recurring("2022-01-01").recurrences == ()
    finding = next(f for f in rg.gaps("2022-01-01").findings if f.item == "c")
    assert finding.recurrence.threads == () and finding.recurrence.promised_before == 0


def test_threads_are_listed_longest_then_deepest() -> None:
    rg = _graph(
        [
            # three reviews, one bridging link and an echo: depth 1
            {"id": "l1", "type": "repeats", "from": "r2020/1", "to": "r2010/1"},
            {"id": "l2", "type": "echoes", "from": "r2015/1", "to": "r2010/1"},
            # three reviews, two bridging links: depth 2
            {"id": "l3", "type": "repeats", "from": "r2015/2", "to": "r2010/2"},
            {"id": "l4", "type": "extends", "from": "r2020/2", "to": "r2015/2"},
        ]
    )
    got = [(t.id, t.length, t.depth) for t in rg.recurring("2021-01-01").recurrences]
    assert got == [("r2010/2", 3, 2), ("r2010/1", 3, 1)]
    # before 2020: the first is an echo thread (depth 0), the second a single link
    got = [(t.id, t.length, t.depth) for t in rg.recurring("2019-01-01").recurrences]
    assert got == [("r2010/2", 2, 1), ("r2010/1", 2, 0)]


def test_natural_order_of_ids() -> None:
    ids = ["stance-10", "stance-2", "kark-2019/10", "kark-2019/5", "a"]
    assert sorted(ids, key=natural_key) == [
        "a",
        "kark-2019/5",
        "kark-2019/10",
        "stance-2",
        "stance-10",
    ]
