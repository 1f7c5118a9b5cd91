"""Recurrence threads, and what was promised before an item (``docs/concepts.md``).

A **thread** as of D (known on K) is a connected component, of two or more items, of the graph
whose edges are the **bridging** relations between items used at (D, K): ``repeats`` and
``extends`` links, and a commitment answering exactly one recommendation (it is in that
recommendation's thread).  **Attaching** relations add an item to a thread without bridging
two: an ``echoes`` link X -> Y attaches X to the thread Y is in, and a commitment answering
several recommendations is attached to each of their threads.  Where Y is in no thread, Y and
the items attached to it form a thread of their own (an echo thread).

Its **length** is the number of distinct reviews among its members; its **depth** the number
of bridging links on its longest chain.

What ``gaps`` needs (:class:`ThreadLinks`, :func:`promised_before`) is plain adjacency and
union-find; only the measures of :func:`summarise` (longest chains) import NetworkX.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from reviewgraph.analysis.asof import ACCEPTING, Index
from reviewgraph.analysis.days import date_value
from reviewgraph.analysis.order import natural_key
from reviewgraph.analysis.results import (
    NO_RECURRENCE,
    EarlierItem,
    Recurrence,
    RecurrenceCounts,
)
from reviewgraph.models import Link
from reviewgraph.vocab.concepts import Status

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "ATTACHING",
    "BRIDGING",
    "RECURRENCE_TYPES",
    "EchoLinks",
    "Thread",
    "ThreadEdge",
    "ThreadLinks",
    "echo_links",
    "link_known_on",
    "longest_chain",
    "promised_before",
    "recurrences",
    "summarise",
    "thread_edges",
    "thread_links",
]

RECURRENCE_TYPES = frozenset({"repeats", "extends", "echoes"})
"""The link types that take part in recurrence (``implemented by``, ``responds to``,
``endorses``, ``comments on``, ``commissioned`` and ``examines`` do not)."""

BRIDGING = frozenset({"repeats", "extends", "answers"})
"""Relations that join two items into one thread (``answers``: a commitment answering exactly
one recommendation)."""

ATTACHING = frozenset({"echoes", "answers-several"})
"""Relations that attach an item to a thread without bridging (``answers-several``: a
commitment answering several recommendations, to each of them)."""

_LINKS = frozenset({"repeats", "extends"})
"""The bridging relations that are links, and so count in a thread's depth."""


class ThreadEdge(NamedTuple):
    """One relation between two items used at (D, K): from the later item to the earlier (a
    commitment to the recommendation it answers)."""

    later: str
    earlier: str
    relation: str
    """``repeats``, ``extends``, ``echoes``, ``answers`` or ``answers-several``."""


@dataclass(frozen=True)
class Thread:
    """A thread: its bridging members (``core``) and the members attached to it."""

    id: str
    core: tuple[str, ...]
    attached: tuple[str, ...]
    members: tuple[str, ...]
    """Every member, by date then id."""


_Key = tuple[date, tuple[tuple[int, int, str], ...]]


def _order(days: Mapping[str, date | None]) -> Callable[[str], _Key]:
    def key(m: str) -> _Key:
        return (days.get(m) or date.max, natural_key(m))

    return key


class ThreadLinks:
    """The threads of a set of :class:`ThreadEdge`, by plain union-find (no NetworkX).

    Parameters
    ----------
    edges : iterable of ThreadEdge
        The relations between items used at (D, K).
    days : mapping of str to date or None
        Each item's day (latest), for the threads' ids and order.

    Examples
    --------
    >>> e = [ThreadEdge("b", "a", "repeats"), ThreadEdge("x", "b", "echoes"),
    ...      ThreadEdge("x", "z", "echoes")]
    >>> links = ThreadLinks(e, {})
    >>> [(t.id, t.core, t.attached) for t in links.threads]
    [('a', ('a', 'b'), ('x',)), ('z', ('z',), ('x',))]
    >>> links.threads_of("x")
    ('a', 'z')

    A recommendation and the commitment answering it are no thread until something recurs:

    >>> ThreadLinks([ThreadEdge("c", "r", "answers")], {}).threads
    ()
    >>> e = [ThreadEdge("c", "r", "answers"), ThreadEdge("x", "r", "echoes")]
    >>> [(t.id, t.core, t.attached) for t in ThreadLinks(e, {}).threads]
    [('c', ('c', 'r'), ('x',))]
    """

    def __init__(self, edges: Iterable[ThreadEdge], days: Mapping[str, date | None]) -> None:
        self.edges: tuple[ThreadEdge, ...] = tuple(sorted(set(edges)))
        self.days = days
        key = _order(days)
        parent: dict[str, str] = {}

        def find(n: str) -> str:
            root = n
            while parent[root] != root:
                root = parent[root]
            while parent[n] != root:
                parent[n], n = root, parent[n]
            return root

        for e in self.edges:
            if e.relation in BRIDGING:
                for n in (e.later, e.earlier):
                    parent.setdefault(n, n)
                a, b = find(e.later), find(e.earlier)
                if a != b:
                    parent[a] = b
        parts: dict[str, set[str]] = {}
        for n in parent:
            parts.setdefault(find(n), set()).add(n)
        part_of: dict[str, frozenset[str]] = {}
        for group in parts.values():
            frozen = frozenset(group)
            part_of.update(dict.fromkeys(group, frozen))
        # a part holding a repeats/extends link is a thread; one joined by answers alone (a
        # recommendation and the commitments taking it up) becomes one only when echoed
        linked = {
            part_of[e.later] for e in self.edges if e.relation in _LINKS and e.later != e.earlier
        }
        attached: dict[frozenset[str], set[str]] = {part: set() for part in linked}

        def target(e: ThreadEdge) -> frozenset[str]:
            return part_of.get(e.earlier, frozenset({e.earlier}))

        for e in self.edges:  # echoes first: they make echo threads
            if e.relation == "echoes" and e.later not in target(e):
                attached.setdefault(target(e), set()).add(e.later)
        for e in self.edges:  # then a commitment answering several joins those that exist
            if e.relation == "answers-several" and target(e) in attached:
                if e.later not in target(e):
                    attached[target(e)].add(e.later)
        threads = []
        for part, extra in attached.items():
            core = sorted(part, key=key)
            members = sorted(part | extra, key=key)
            threads.append(
                Thread(
                    id=core[0],
                    core=tuple(core),
                    attached=tuple(sorted(extra, key=key)),
                    members=tuple(members),
                )
            )
        threads.sort(key=lambda t: key(t.id))
        self.threads: tuple[Thread, ...] = tuple(threads)
        self.by_id: dict[str, Thread] = {t.id: t for t in threads}
        self._core_edges: dict[str, tuple[ThreadEdge, ...]] | None = None
        self._of: dict[str, list[str]] = {}
        for t in threads:
            for m in t.members:
                self._of.setdefault(m, []).append(t.id)

    def __contains__(self, node: object) -> bool:
        return node in self._of

    def __iter__(self) -> Iterator[str]:
        return iter(self._of)

    def threads_of(self, item: str) -> tuple[str, ...]:
        """The ids of the threads an item is a member of (bridging or attached)."""
        return tuple(self._of.get(item, ()))

    def core_edges(self, thread: Thread) -> tuple[ThreadEdge, ...]:
        """The bridging edges between two members of ``thread``'s core, in edge order.

        The cores of the threads are disjoint, so every edge is bucketed once, on first use
        (measuring each thread against every edge was quadratic: 63% of ``report`` on a
        25 MB workbook).

        Examples
        --------
        >>> e = [ThreadEdge("b", "a", "repeats"), ThreadEdge("x", "b", "echoes"),
        ...      ThreadEdge("d", "c", "extends")]
        >>> links = ThreadLinks(e, {})
        >>> [(t.id, links.core_edges(t)) for t in links.threads]  # doctest: +NORMALIZE_WHITESPACE
        [('a', (ThreadEdge(later='b', earlier='a', relation='repeats'),)),
         ('c', (ThreadEdge(later='d', earlier='c', relation='extends'),))]
        """
        if self._core_edges is None:
            core_of = {m: t.id for t in self.threads for m in t.core}
            buckets: dict[str, list[ThreadEdge]] = {}
            for e in self.edges:
                if e.relation not in BRIDGING or e.later == e.earlier:
                    continue
                owner = core_of.get(e.later)
                if owner is not None and core_of.get(e.earlier) == owner:
                    buckets.setdefault(owner, []).append(e)
            self._core_edges = {k: tuple(v) for k, v in buckets.items()}
        return self._core_edges.get(thread.id, ())


EchoLinks = ThreadLinks
"""The former name of :class:`ThreadLinks` (``find_gaps`` takes it under this name)."""


def _day(ix: Index, item_id: str) -> date | None:
    when = ix.item_date(item_id)
    return when.latest if when is not None else None


def _used(day: date | None, as_of: date, known_on: date | None) -> bool:
    return day is None or (day <= as_of and (known_on is None or day <= known_on))


def link_known_on(ix: Index, link: Link) -> date | None:
    """The knowledge date (latest day) of a link: the later of its later end's day and the day
    of the earliest dated source citing it (an inferred link: its later end's day); see
    :meth:`~reviewgraph.analysis.asof.Index.link_known_date`.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> link_known_on(ix, ix.facts.links[0])
    datetime.date(2020, 3, 1)
    """
    known = ix.link_known_date(link)
    return known.latest if known is not None else None


def thread_edges(ix: Index, as_of: date, known_on: date | None = None) -> Iterator[ThreadEdge]:
    """The recurrence relations between items used at (``as_of``, ``known_on``).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> sorted(thread_edges(Index(demo_dataset()), date(2021, 1, 1)))
    ... # doctest: +NORMALIZE_WHITESPACE
    [ThreadEdge(later='demo-2020/1', earlier='demo-2010/4', relation='repeats'),
     ThreadEdge(later='demo-old-pledge', earlier='demo-2010/4', relation='answers'),
     ThreadEdge(later='demo-pledge', earlier='demo-2020/1', relation='answers'),
     ThreadEdge(later='demo-rules', earlier='demo-2020/1', relation='answers')]
    """
    items = ix.items
    for link in ix.facts.links:
        kind = link.type.value
        a, b = link.from_, link.to
        if kind not in RECURRENCE_TYPES or a not in items or b not in items:
            continue
        if not (_used(_day(ix, a), as_of, known_on) and _used(_day(ix, b), as_of, known_on)):
            continue
        if known_on is not None and not _used(link_known_on(ix, link), as_of, known_on):
            continue
        yield ThreadEdge(a, b, kind)
    for c in ix.facts.commitments:
        answers = sorted({r for r in c.answers if r in ix.recs})
        if not _used(_day(ix, c.id), as_of, known_on):
            continue
        relation = "answers" if len(answers) == 1 else "answers-several"
        for r in answers:
            if _used(_day(ix, r), as_of, known_on):
                yield ThreadEdge(c.id, r, relation)


def thread_links(ix: Index, as_of: date, known_on: date | None = None) -> ThreadLinks:
    """The threads as of ``as_of`` (known on ``known_on``), without NetworkX.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> [t.members for t in thread_links(Index(demo_dataset()), date(2021, 1, 1)).threads]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('demo-2010/4', 'demo-old-pledge', 'demo-2020/1', 'demo-pledge', 'demo-rules')]
    """
    edges = list(thread_edges(ix, as_of, known_on))
    nodes = {n for e in edges for n in (e.later, e.earlier)}
    return ThreadLinks(edges, {n: _day(ix, n) for n in nodes})


echo_links = thread_links
"""The former name of :func:`thread_links`."""


def _rec_followed_through(ix: Index, rec_id: str, as_of: date) -> bool:
    claim = ix.status_as_of(rec_id, as_of)
    if claim is not None and claim.status is Status.DELIVERED:
        return True
    answering = [c for c in ix.answering.get(rec_id, ()) if c.made_on.latest <= as_of]
    return bool(answering) and all(ix.delivered(c.id, as_of)[0] for c in answering)


def _earlier_item(ix: Index, m: str, as_of: date) -> EarlierItem | None:
    """Item ``m`` as an earlier item as of ``as_of`` (``None``: undated, or neither a
    recommendation nor a commitment)."""
    when = ix.item_date(m)
    if when is None:
        return None
    if m in ix.recs:
        choice = ix.stance_as_of(m, as_of)
        return EarlierItem(
            item=m,
            item_type="recommendation",
            date=date_value(when),
            accepted=choice is not None and choice.value in ACCEPTING,
            followed_through=_rec_followed_through(ix, m, as_of),
        )
    if m in ix.commitments:
        return EarlierItem(
            item=m,
            item_type="commitment",
            date=date_value(when),
            accepted=True,
            followed_through=ix.delivered(m, as_of)[0],
        )
    return None


def promised_before(
    ix: Index,
    links: ThreadLinks,
    item: str,
    as_of: date,
    nft_items: Iterable[str] = (),
    memo: dict[str, EarlierItem | None] | None = None,
) -> RecurrenceCounts:
    """What was promised before an item: the recommendations and commitments in any of its
    threads (for a commitment, also those of the recommendations it answers) dated strictly
    before it, each with its date, whether it was accepted and whether it was followed
    through as of ``as_of``.

    ``recommended_before``, ``accepted_before`` and ``not_followed_through_before`` count the
    recommendations among them (the last: accepted ones answered by a commitment in
    ``nft_items``); ``committed_before`` the commitments.

    ``memo`` keeps each earlier item as worked out for ``as_of`` (an item's stance and whether
    it was followed through do not depend on which later item it is earlier than), for a
    caller that asks about many items on the same date, as ``gaps`` does.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> d = date(2023, 1, 1)
    >>> r = promised_before(ix, thread_links(ix, d), "demo-rules", d, {"demo-old-pledge"})
    >>> r.threads, r.promised_before, r.earlier, r.committed_before
    (('demo-2010/4',), 3, ('demo-2010/4', 'demo-2020/1'), 1)
    >>> [(e.item, e.accepted, e.followed_through) for e in r.earlier_items]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('demo-2010/4', True, False), ('demo-old-pledge', True, False),
     ('demo-2020/1', True, False)]
    """
    seeds = [item]
    commitment = ix.commitments.get(item)
    if commitment is not None:
        seeds.extend(commitment.answers)
    threads: list[str] = []
    for s in seeds:
        for t in links.threads_of(s):
            if t not in threads:
                threads.append(t)
    if not threads:
        return NO_RECURRENCE
    threads.sort(key=_order(links.days))
    day = _day(ix, item)
    candidates = {m for t in threads for m in links.by_id[t].members} - {item}
    earlier: list[EarlierItem] = []
    if day is not None:
        known = {} if memo is None else memo
        for m in candidates:
            if m in known:
                found = known[m]
            else:
                found = known[m] = _earlier_item(ix, m, as_of)
            if found is not None and found.date.latest < day:
                earlier.append(found)
    earlier.sort(key=lambda e: (e.date.latest, natural_key(e.item)))
    nft = nft_items if isinstance(nft_items, set | frozenset) else set(nft_items)
    recs = [e for e in earlier if e.item_type == "recommendation"]
    accepted = [e for e in recs if e.accepted]
    broken = [e for e in accepted if any(c.id in nft for c in ix.answering.get(e.item, ()))]
    return RecurrenceCounts(
        recurrence=threads[0] if threads else None,
        threads=tuple(threads),
        promised_before=len(earlier),
        recommended_before=len(recs),
        accepted_before=len(accepted),
        not_followed_through_before=len(broken),
        committed_before=len(earlier) - len(recs),
        earlier=tuple(sorted((e.item for e in recs), key=natural_key)),
        earlier_items=tuple(earlier),
    )


# --------------------------------------------------------------------------- measures (NetworkX)


def longest_chain(graph: nx.DiGraph) -> list[str]:
    """A longest chain of a thread's bridging edges, latest item first (cycles condensed).

    Each edge may carry a ``weight`` (default 1); the chain with the greatest total weight is
    chosen, and a part of a cycle is shown by its first id.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("c", "b"), ("b", "a"), ("d", "a")])
    >>> longest_chain(g)
    ['c', 'b', 'a']
    """
    return _longest(graph)[0]


def _longest(graph: nx.DiGraph) -> tuple[list[str], int]:
    import networkx as nx

    condensed = nx.condensation(graph)
    heads = {n: min(condensed.nodes[n]["members"], key=natural_key) for n in condensed}
    for a, b, data in graph.edges(data=True):
        u, v = condensed.graph["mapping"][a], condensed.graph["mapping"][b]
        if u != v:
            w = data.get("weight", 1)
            condensed.edges[u, v]["weight"] = max(w, condensed.edges[u, v].get("weight", w))
    order = list(
        nx.lexicographical_topological_sort(condensed, key=lambda n: natural_key(heads[n]))
    )
    path = nx.dag_longest_path(condensed, topo_order=order)
    total = sum(condensed.edges[u, v]["weight"] for u, v in pairwise(path))
    return [heads[n] for n in path], total


def _measure(links: ThreadLinks, thread: Thread) -> tuple[int, list[str]]:
    import networkx as nx

    step = len(thread.core) + 1  # one link outweighs every answer on a chain
    graph = nx.DiGraph()
    for e in links.core_edges(thread):
        weight = step if e.relation in _LINKS else 1
        if graph.has_edge(e.later, e.earlier):
            weight = max(weight, graph.edges[e.later, e.earlier]["weight"])
        graph.add_edge(e.later, e.earlier, weight=weight)
    if not graph:
        return 0, [thread.id]
    chain, total = _longest(graph)
    return total // step, chain


def recurrences(
    links: ThreadLinks, ix: Index, only: Iterable[str] | None = None
) -> list[Recurrence]:
    """Every thread of ``links``, measured, longest first (see :func:`summarise`).

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> ix = Index(demo_dataset())
    >>> [(r.id, r.length, r.depth) for r in recurrences(thread_links(ix, date(2021, 1, 1)), ix)]
    [('demo-2010/4', 2, 1)]
    """
    reviews = {n: set(ix.reviews_of(n)) for n in links}
    return summarise(links, reviews, only)


def summarise(
    links: ThreadLinks,
    reviews: Mapping[str, Iterable[str]],
    only: Iterable[str] | None = None,
) -> list[Recurrence]:
    """Measure the threads of ``links``, given each member's reviews.

    Ordered by length, then depth, then size (each largest first), then id (naturally).

    Parameters
    ----------
    links : ThreadLinks
        The threads.
    reviews : mapping of str to iterable of str
        Each member's reviews.
    only : iterable of str, optional
        Keep only the threads with at least one of these members.

    Examples
    --------
    >>> e = [ThreadEdge("b", "a", "repeats"), ThreadEdge("c", "a", "echoes")]
    >>> days = {"a": date(2010, 1, 1), "b": date(2015, 1, 1), "c": None}
    >>> r = summarise(ThreadLinks(e, days), {"a": ["r1"], "b": ["r2"], "c": ["r3"]})[0]
    >>> r.id, r.members, r.attached, r.length, r.depth, r.longest_chain
    ('a', ('a', 'b', 'c'), ('c',), 3, 1, ('b', 'a'))
    """
    wanted = set(only) if only is not None else None
    found: list[Recurrence] = []
    for thread in links.threads:
        if wanted is not None and not wanted & set(thread.members):
            continue
        depth, chain = _measure(links, thread)
        member_reviews = sorted(
            {r for m in thread.members for r in reviews.get(m, ())}, key=natural_key
        )
        known = [d for d in (links.days.get(m) for m in thread.members) if d is not None]
        found.append(
            Recurrence(
                id=thread.id,
                members=thread.members,
                attached=thread.attached,
                reviews=tuple(member_reviews),
                length=len(member_reviews),
                depth=depth,
                longest_chain=tuple(chain),
                first=min(known) if known else None,
                last=max(known) if known else None,
            )
        )
    found.sort(key=lambda r: (-r.length, -r.depth, -len(r.members), natural_key(r.id)))
    return found
