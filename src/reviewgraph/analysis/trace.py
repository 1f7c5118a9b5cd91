"""Traces: everything before and after an item, found with NetworkX.

The trace graph has an edge from each earlier item to each later one it is related to:

* a link's two ends (``repeats``, ``echoes``, ``extends`` and ``examines`` point from the later
  item to the earlier; ``implemented by`` and ``commissioned`` from the earlier to the later);
* a recommendation to each commitment answering it;
* a commitment to each deliverable fulfilling it, and to what superseded it.

An item's trace is its ancestors (before) and descendants (after) in that graph, with the items
that do not exist yet at D left out, each with its distance in steps.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from reviewgraph.analysis.asof import Index, date_value
from reviewgraph.analysis.findings import commitment_fate
from reviewgraph.analysis.results import TraceEdge, TraceStep

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["TRACE_RELATIONS", "trace_graph", "trace_steps"]

TRACE_RELATIONS: dict[str, bool] = {
    "repeats": True,
    "echoes": True,
    "extends": True,
    "examines": True,
    "implementedBy": False,
    "commissioned": False,
    "answersRecommendation": True,
    "fulfils": True,
    "supersededBy": False,
}
"""Relations a trace follows; ``True`` where the relation points from later to earlier."""

_LINK_RELATION = {
    "repeats": "repeats",
    "echoes": "echoes",
    "extends": "extends",
    "examines": "examines",
    "implemented-by": "implementedBy",
    "commissioned": "commissioned",
}


def trace_graph(ix: Index) -> nx.DiGraph:
    """The trace graph (earlier -> later) over item ids, with each edge's ``relation``.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> g = trace_graph(Index(demo_dataset()))
    >>> g.edges["demo-2010/4", "demo-2020/1"]["relation"]
    'repeats'
    """
    import networkx as nx

    graph = nx.DiGraph()

    def edge(u: str, v: str, kind: str) -> None:
        earlier, later = (v, u) if TRACE_RELATIONS[kind] else (u, v)
        if earlier != later:
            graph.add_edge(earlier, later, relation=kind)

    facts = ix.facts
    for c in facts.commitments:
        for rec in c.answers:
            edge(c.id, rec, "answersRecommendation")
        if c.superseded_by is not None:
            edge(c.id, c.superseded_by, "supersededBy")
    for d in facts.deliverables:
        for f in d.fulfils:
            edge(d.id, f.commitment, "fulfils")
    for link in facts.links:
        kind = _LINK_RELATION.get(link.type.value)
        if kind is None:  # responds to, endorses, comments on: not followed yet (issue #14)
            continue
        if kind in TRACE_RELATIONS:
            edge(link.from_, link.to, kind)
    return graph


def trace_steps(
    graph: nx.DiGraph, ix: Index, item_id: str, as_of: date, grace_years: int
) -> tuple[list[TraceStep], list[TraceEdge]]:
    """The steps and edges of an item's trace as of ``as_of``.

    Steps before come nearest first, then the item, then the steps after, nearest first;
    ties by date, then id.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> steps, _ = trace_steps(trace_graph(ix), ix, "demo-2020/1", date(2023, 1, 1), 2)
    >>> [(s.direction, s.item) for s in steps]  # doctest: +NORMALIZE_WHITESPACE
    [('before', 'demo-2010/4'), ('self', 'demo-2020/1'), ('after', 'demo-pledge'),
     ('after', 'demo-rules'), ('after', 'demo-plan')]
    """
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    if item_id in graph:
        import networkx as nx

        before = dict(nx.single_source_shortest_path_length(graph.reverse(copy=False), item_id))
        after = dict(nx.single_source_shortest_path_length(graph, item_id))
    before.pop(item_id, None)
    after.pop(item_id, None)

    def step(node: str, direction: str, distance: int) -> TraceStep:
        when = ix.item_date(node)
        com = ix.commitments.get(node)
        rec = ix.recs.get(node)
        return TraceStep(
            item=node,
            item_type=ix.item_type(node),
            label=ix.label(node),
            direction=direction,
            distance=distance,
            date=date_value(when) if when is not None else None,
            review=rec.review if rec else (node if node in ix.reviews else None),
            stance=ix.stance_result(node, as_of) if rec else None,
            fate=commitment_fate(ix, com, as_of, grace_years) if com else None,
        )

    def order(found: dict[str, int]) -> list[str]:
        keep = [n for n in found if ix.exists(n, as_of)]
        return sorted(keep, key=lambda n: (found[n], _day(ix, n) or date.max, n))

    steps = [step(n, "before", before[n]) for n in order(before)]
    steps.append(step(item_id, "self", 0))
    steps.extend(step(n, "after", after[n]) for n in order(after))
    kept = {s.item for s in steps}
    edges = sorted(
        (
            TraceEdge(earlier=u, later=v, relation=d["relation"])
            for u, v, d in graph.edges(data=True)
            if u in kept and v in kept
        ),
        key=lambda e: (e.earlier, e.later, e.relation),
    )
    return steps, edges


def _day(ix: Index, item_id: str) -> date | None:
    when = ix.item_date(item_id)
    return when.latest if when is not None else None
