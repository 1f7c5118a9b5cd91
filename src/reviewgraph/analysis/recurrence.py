"""Recurrences: groups of items joined by ``repeats`` or ``echoes`` links, found with NetworkX.

A recurrence as of D is a weakly connected component, of two or more items, of the graph whose
nodes are the items existing at D and whose edges are the ``repeats`` and ``echoes`` links
between them (from the later item to the earlier).  Its **length** is the number of distinct
reviews among its members; its **depth** the number of links on its longest chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from reviewgraph.analysis.asof import Index

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
from reviewgraph.analysis.results import Recurrence

__all__ = [
    "RECURRENCE_TYPES",
    "EchoLinks",
    "echo_graph",
    "echo_links",
    "longest_chain",
    "recurrences",
    "summarise",
]

RECURRENCE_TYPES = frozenset({"repeats", "echoes"})
"""The link types that make a recurrence."""


class EchoLinks:
    """The ``repeats``/``echoes`` links between items existing at a day, as plain adjacency
    (later item to earlier ones): what ``gaps`` needs, without importing NetworkX.

    Examples
    --------
    >>> links = EchoLinks([("c", "b"), ("b", "a")])
    >>> sorted(links.descendants("c")), sorted(map(sorted, links.components()))
    (['a', 'b'], [['a', 'b', 'c']])
    """

    def __init__(self, edges: Iterable[tuple[str, str]]) -> None:
        self.out: dict[str, set[str]] = {}
        self.into: dict[str, set[str]] = {}
        for a, b in edges:
            self.out.setdefault(a, set()).add(b)
            self.into.setdefault(b, set()).add(a)
            self.out.setdefault(b, set())
            self.into.setdefault(a, set())

    def __contains__(self, node: object) -> bool:
        return node in self.out

    def __iter__(self) -> Iterator[str]:
        return iter(self.out)

    def descendants(self, node: str) -> set[str]:
        """Every item reachable from ``node`` (the earlier ones it echoes, however far)."""
        seen: set[str] = set()
        stack = list(self.out.get(node, ()))
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(self.out[n])
        return seen

    def components(self) -> Iterator[set[str]]:
        """The weakly connected components."""
        seen: set[str] = set()
        for start in self.out:
            if start in seen:
                continue
            part = {start}
            stack = [start]
            while stack:
                n = stack.pop()
                for m in (*self.out[n], *self.into[n]):
                    if m not in part:
                        part.add(m)
                        stack.append(m)
            seen |= part
            yield part


def echo_links(ix: Index, as_of: date) -> EchoLinks:
    """The ``repeats``/``echoes`` links between items existing at ``as_of`` (see
    :func:`echo_graph`), as :class:`EchoLinks`.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> sorted(echo_links(Index(demo_dataset()), date(2021, 1, 1)).descendants("demo-2020/1"))
    ['demo-2010/4']
    """
    return EchoLinks(_echo_edges(ix, as_of))


def _echo_edges(ix: Index, as_of: date) -> Iterator[tuple[str, str]]:
    items = ix.items
    for link in ix.facts.links:
        if link.type.value not in RECURRENCE_TYPES:
            continue
        a, b = link.from_, link.to
        if a in items and b in items and ix.exists(a, as_of) and ix.exists(b, as_of):
            yield a, b


def echo_graph(ix: Index, as_of: date) -> nx.DiGraph:
    """The ``repeats``/``echoes`` links between items existing at ``as_of``, keyed by id.

    Edges run from the later item to the earlier one.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> list(echo_graph(Index(demo_dataset()), date(2021, 1, 1)).edges)
    [('demo-2020/1', 'demo-2010/4')]
    """
    import networkx as nx

    return nx.DiGraph(list(_echo_edges(ix, as_of)))


def longest_chain(graph: nx.DiGraph) -> list[str]:
    """A longest chain of links in a graph, latest item first (cycles are condensed).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("c", "b"), ("b", "a"), ("d", "a")])
    >>> longest_chain(g)
    ['c', 'b', 'a']
    """
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        return list(nx.dag_longest_path(graph, topo_order=_topo(graph)))
    condensed = nx.condensation(graph)
    path = nx.dag_longest_path(condensed)
    return [min(condensed.nodes[n]["members"]) for n in path]


def _topo(graph: nx.DiGraph) -> list[str]:
    import networkx as nx

    return list(nx.lexicographical_topological_sort(graph))


def recurrences(
    echoes: nx.DiGraph, ix: Index, only: Iterable[str] | None = None
) -> list[Recurrence]:
    """Every recurrence of an echo graph, longest first.

    Ordered by length, then depth, then size (each largest first), then id.

    Parameters
    ----------
    echoes : networkx.DiGraph
        What :func:`echo_graph` returns.
    ix : Index
        The dataset's index (for reviews and dates).
    only : iterable of str, optional
        Keep only the recurrences with at least one of these members.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> [(r.id, r.length, r.depth) for r in recurrences(echo_graph(ix, date(2021, 1, 1)), ix)]
    [('demo-2010/4', 2, 1)]
    """
    days = {n: _day(ix, n) for n in echoes}
    reviews = {n: set(ix.reviews_of(n)) for n in echoes}
    return summarise(echoes, days, reviews, only)


def summarise(
    echoes: nx.DiGraph,
    days: Mapping[str, date | None],
    reviews: Mapping[str, Iterable[str]],
    only: Iterable[str] | None = None,
) -> list[Recurrence]:
    """Group an echo graph into recurrences, given each member's day and reviews.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("b", "a")])
    >>> r = summarise(g, {"a": date(2010, 1, 1), "b": None}, {"a": ["r1"], "b": ["r2"]})[0]
    >>> r.id, r.members, r.length, r.depth
    ('a', ('a', 'b'), 2, 1)
    """
    wanted = set(only) if only is not None else None
    found: list[Recurrence] = []
    import networkx as nx

    for component in nx.weakly_connected_components(echoes):
        if len(component) < 2 or (wanted is not None and not component & wanted):
            continue
        members = sorted(component, key=lambda m: (days.get(m) or date.max, m))
        chain = longest_chain(nx.DiGraph(echoes.subgraph(component)))
        member_reviews = sorted({r for m in component for r in reviews.get(m, ())})
        known = [d for d in (days.get(m) for m in component) if d is not None]
        found.append(
            Recurrence(
                id=members[0],
                members=tuple(members),
                reviews=tuple(member_reviews),
                length=len(member_reviews),
                depth=max(len(chain) - 1, 0),
                longest_chain=tuple(chain),
                first=min(known) if known else None,
                last=max(known) if known else None,
            )
        )
    found.sort(key=lambda r: (-r.length, -r.depth, -len(r.members), r.id))
    return found


def _day(ix: Index, item_id: str) -> date | None:
    when = ix.item_date(item_id)
    return when.latest if when is not None else None
