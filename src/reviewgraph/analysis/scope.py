"""The filters every analysis takes: review, body (with its predecessors and successors),
theme, and a date range."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from reviewgraph.analysis.asof import Index
from reviewgraph.analysis.resultparts import Filters
from reviewgraph.dates import DateRange

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["Scope", "related_bodies"]


def related_bodies(ix: Index, body: str, as_of: date) -> set[str]:
    """A body with every predecessor and successor through body changes counting at ``as_of``.

    The same body changes as the owner walk (:meth:`Index.owner_as_of`) reads.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> sorted(related_bodies(Index(demo_dataset()), "demo-agency-2", date(2022, 1, 1)))
    ['demo-agency', 'demo-agency-2']
    """
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_node(body)
    for changes in ix.changes_of.values():
        for change in changes:
            if change.date.latest <= as_of:
                for target in change.into:
                    graph.add_edge(change.body, target)
    related: set[str] = {body} | nx.ancestors(graph, body) | nx.descendants(graph, body)
    return related


class Scope:
    """A compiled set of filters.

    Parameters
    ----------
    filters : Filters
        What to keep.
    bodies : set of str, optional
        The body filter expanded with its predecessors and successors.

    Examples
    --------
    >>> scope = Scope(Filters(theme="planning"))
    >>> scope.matches(reviews=(), bodies=(), themes=("planning",), when=None)
    True
    >>> scope.matches(reviews=(), bodies=(), themes=(), when=None)
    False
    """

    def __init__(self, filters: Filters, bodies: set[str] | None = None) -> None:
        self.filters = filters
        self.bodies = bodies if bodies is not None else ({filters.body} if filters.body else None)

    @property
    def empty(self) -> bool:
        """Whether no filter is set.

        Examples
        --------
        >>> Scope(Filters()).empty
        True
        """
        f = self.filters
        return not (f.review or f.body or f.theme or f.since or f.until)

    def matches(
        self,
        *,
        reviews: Iterable[str],
        bodies: Iterable[str | None],
        themes: Iterable[str],
        when: DateRange | None,
    ) -> bool:
        """Whether something with these reviews, bodies, themes and date passes the filters.

        The date range keeps what has a date whose latest day lies within it.

        Examples
        --------
        >>> s = Scope(Filters(since=date(2020, 1, 1)))
        >>> s.matches(reviews=(), bodies=(), themes=(), when=DateRange.from_text("2019"))
        False
        """
        f = self.filters
        if f.review and f.review not in set(reviews):
            return False
        if self.bodies is not None and not self.bodies & {b for b in bodies if b}:
            return False
        if f.theme and f.theme not in set(themes):
            return False
        if f.since or f.until:
            if when is None:
                return False
            if f.since and when.latest < f.since:
                return False
            if f.until and when.latest > f.until:
                return False
        return True
