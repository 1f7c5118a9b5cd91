"""The :class:`ReviewGraph`: follow-through analysis over one dataset.

Its overviews (recurring, scorecard, slippage, contested, timeline) and the helpers every
analysis method shares are in :mod:`reviewgraph.analysis.overviews`, mixed into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reviewgraph.analysis.asof import Index, minus_years
from reviewgraph.analysis.findings import commitment_fate, find_gaps
from reviewgraph.analysis.overviews import Overviews, _as_of, _day
from reviewgraph.analysis.recurrence import echo_links
from reviewgraph.analysis.results import GapsResult, StatusResult, TraceResult
from reviewgraph.analysis.trace import trace_graph, trace_steps
from reviewgraph.collector import with_fewer_collections
from reviewgraph.models import Commitment, Dataset, Recommendation
from reviewgraph.rdf.records import Facts, kind_of
from reviewgraph.vocab.namespaces import BASE_IRI

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from rdflib import Graph

    from reviewgraph.stores import Store

__all__ = ["ReviewGraph"]


class ReviewGraph(Overviews):
    """Follow-through analysis of a dataset, as of any date.

    Build one with :meth:`from_dataset`, :meth:`from_paths` or :meth:`from_store`.  Every
    method takes ``as_of`` (a date or ISO string; by default today, or ``REVIEWGRAPH_TODAY``
    when set) and returns a frozen, JSON-serialisable result stating the date it used.
    List-returning methods also take the filters ``review``, ``body`` (which matches the
    body's predecessors and successors too), ``theme`` and a date range ``since``/``until``.

    Parameters
    ----------
    dataset : Dataset
        The items to analyse.
    base : str
        The IRI base of identifiers.

    Examples
    --------
    >>> from reviewgraph.models import Dataset
    >>> ds = Dataset.model_validate({
    ...     "reviews": [{"id": "r", "title": "A review", "published": "2019-01-10",
    ...                  "citations": [{"source": "s"}]}],
    ...     "recommendations": [{"id": "r/1", "review": "r", "label": "1",
    ...                          "citations": [{"source": "s"}]}],
    ...     "responses": [{"id": "resp", "date": "2019-03-01",
    ...                    "blanket": [{"review": "r", "stance": "accepted"}]}],
    ...     "commitments": [{"id": "c", "summary": "Do it", "made_on": "2019-03-01",
    ...                      "answers": ["r/1"], "citations": [{"source": "s"}]}],
    ... })
    >>> rg = ReviewGraph.from_dataset(ds)
    >>> gaps = rg.gaps(as_of="2021-06-01")
    >>> [(f.category, f.item, f.rules) for f in gaps.findings]
    [('not-followed-through', 'c', ('c',))]
    >>> gaps.as_of
    datetime.date(2021, 6, 1)
    """

    def __init__(self, dataset: Dataset | Facts, base: str = BASE_IRI) -> None:
        if isinstance(dataset, Dataset):
            self._dataset: Dataset | None = dataset
            facts = Facts.from_dataset(dataset)
        else:
            self._dataset, facts = None, dataset
        self.facts = facts
        self.base = base
        self.index = Index(facts, base)

    @property
    def dataset(self) -> Dataset:
        """The items as validated models (built on first use when read from a store)."""
        if self._dataset is None:
            self._dataset = self.facts.to_dataset()
        return self._dataset

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_dataset(cls, dataset: Dataset, base: str = BASE_IRI) -> ReviewGraph:
        """Build the analysis over a dataset.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> len(ReviewGraph.from_dataset(demo_dataset()).dataset.commitments)
        3
        """
        return cls(dataset, base)

    @classmethod
    def from_paths(
        cls, paths: Iterable[str | Path] = (), base: str = BASE_IRI, **options: Any
    ) -> ReviewGraph:
        """Read files and folders (by default the bundled seeds) and build the analysis.

        ``options`` go to :func:`reviewgraph.io.files.read_dataset`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "bodies.yaml").write_text("bodies:\\n  - id: dhsc\\n    name: DHSC\\n")
        >>> ReviewGraph.from_paths([folder]).index.bodies["dhsc"].name
        'DHSC'
        """
        from reviewgraph.io.files import read_dataset

        return cls(read_dataset(paths, base=base, **options).dataset, base)

    @classmethod
    def from_store(
        cls, store: Store, base: str = BASE_IRI, *, around: Iterable[str] | None = None
    ) -> ReviewGraph:
        """Build the analysis over the data in a store (memory, Oxigraph on disk, rdflib or
        a SPARQL endpoint), with the same answers as from the files that were loaded.

        Parameters
        ----------
        store : Store
            The store.
        base : str
            The IRI base of identifiers.
        around : iterable of str, optional
            Read only what the analysis of these items needs (see
            :func:`~reviewgraph.analysis.neighbourhood.neighbourhood`): :meth:`status` and
            :meth:`trace` of one of them, or :meth:`gaps` with ``review=`` one of them, give
            the same answers as over the whole store, from a fraction of it.  By default
            the whole store is read.

        Examples
        --------
        >>> from reviewgraph.stores import open_store
        >>> from reviewgraph.io.store import load_files
        >>> store = open_store("memory")
        >>> _ = load_files(store)                     # the bundled seeds
        >>> rg = ReviewGraph.from_store(store)
        >>> rg.gaps(as_of="2025-07-01") == ReviewGraph.from_paths().gaps(as_of="2025-07-01")
        True
        >>> part = ReviewGraph.from_store(store, around=["kark-2019/5"])
        >>> part.status("kark-2019/5", "2025-07-01") == rg.status("kark-2019/5", "2025-07-01")
        True
        """
        if around is not None:
            from reviewgraph.analysis.neighbourhood import neighbourhood
            from reviewgraph.errors import BindingError, StoreError

            try:
                return cls(neighbourhood(store, around, base), base)
            except BindingError:
                raise
            except StoreError:
                pass  # a server that cannot run the neighbourhood's queries: read it all
        from reviewgraph.io.store import read_facts

        return cls(read_facts(store, base), base)

    # ------------------------------------------------------------------ projections

    @cached_property
    def _projection(self) -> nx.MultiDiGraph:
        import networkx as nx

        from reviewgraph.io.projection import to_networkx

        return nx.freeze(to_networkx(self.facts, self.base))

    def to_networkx(self) -> nx.MultiDiGraph:
        """The dataset as a NetworkX ``MultiDiGraph`` keyed by IRI strings (read-only).

        See :func:`reviewgraph.io.projection.to_networkx`.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> g = ReviewGraph.from_dataset(demo_dataset()).to_networkx()
        >>> g.nodes["https://w3id.org/reviewgraph/id/demo-pledge"]["type"]
        'Commitment'
        """
        return self._projection

    @cached_property
    def _rdf(self) -> Graph:
        from reviewgraph.rdf.mapping import to_graph

        return to_graph(self.dataset, self.base)

    def to_rdf(self) -> Graph:
        """The dataset as an rdflib graph (built once; do not modify it).

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> len(ReviewGraph.from_dataset(demo_dataset()).to_rdf()) > 100
        True
        """
        return self._rdf

    @cached_property
    def _trace_graph(self) -> nx.DiGraph:
        return trace_graph(self.index)

    # ------------------------------------------------------------------ helpers

    def _require(self, item_id: str) -> None:
        if item_id not in self.index.items:
            raise LookupError(f"no item with id {item_id!r}")

    # ------------------------------------------------------------------ analyses

    @with_fewer_collections
    def gaps(
        self,
        as_of: date | str | None = None,
        grace_years: int = 2,
        review: str | None = None,
        body: str | None = None,
        theme: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        known_on: date | str | None = None,
    ) -> GapsResult:
        """Every finding as of a date: not followed through, orphaned, parked, unanswered and
        overdue responses, each with its rules, owner, recurrence counts and why.

        Parameters
        ----------
        as_of : date or str, optional
            D; by default today (or ``REVIEWGRAPH_TODAY``).
        grace_years : int
            The grace period in years (default 2).
        review, body, theme : str, optional
            Keep findings about this review, this body (or its predecessors and
            successors) or this theme.
        since, until : date or str, optional
            Keep findings whose date (the commitment, the stance, the publication) lies
            within this range.

        Returns
        -------
        GapsResult

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> result = rg.gaps(as_of="2023-01-01")
        >>> [(f.category, f.item, f.rules) for f in result.findings]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('not-followed-through', 'demo-old-pledge', ('c',)),
         ('not-followed-through', 'demo-rules', ('c',)),
         ('parked', 'demo-2020/2', ())]
        >>> r = result.findings[1].recurrence
        >>> r.recommended_before, r.accepted_before, r.not_followed_through_before
        (2, 2, 2)
        >>> rg.gaps(as_of="2023-01-01", theme="planning").items()
        ['demo-rules']
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        scope = self._scope(day, review, body, theme, since, until)
        echoes = echo_links(ix, day)
        findings = find_gaps(ix, echoes, day, grace_years, scope)
        named = {r for f in findings for r in f.reviews}
        titles = {r.id: r.title for r in self.facts.reviews if r.id in named}
        return GapsResult(
            as_of=day,
            known_on=ix.known_on,
            grace_years=grace_years,
            filters=scope.filters,
            findings=tuple(findings),
            review_titles=dict(sorted(titles.items())),
        )

    @with_fewer_collections
    def status(
        self,
        item_id: str,
        as_of: date | str | None = None,
        grace_years: int = 2,
        known_on: date | str | None = None,
    ) -> StatusResult:
        """The state of one recommendation or commitment as of a date.

        For a recommendation: its stance, its status claims and the commitments answering
        it.  For a commitment: its status, whether and when it was delivered, its current
        target, its owner, the rules under which it was not followed through, and the
        stances on the recommendations it answers.

        Raises
        ------
        LookupError
            If no item has the id.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> s = rg.status("demo-pledge", as_of="2021-07-01")
        >>> s.status.status, s.fate.delivered, s.fate.current_target.target.text
        ('in-progress', False, '2021-12')
        >>> rg.status("demo-2020/2", as_of="2021-07-01").stance.value
        'to-be-considered'
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        self._require(item_id)
        item = ix.items.get(item_id) or self.index.items[item_id]
        status = ix.status_result(item_id, ix.status_as_of(item_id, day))
        if kind_of(item) is Commitment:
            return StatusResult(
                as_of=day,
                known_on=ix.known_on,
                item=item_id,
                item_type="commitment",
                label=ix.label(item_id),
                status=status,
                fate=commitment_fate(ix, item, day, grace_years),
                answers=tuple(ix.stance_result(r, day) for r in item.answers),
            )
        if kind_of(item) is Recommendation:
            return StatusResult(
                as_of=day,
                known_on=ix.known_on,
                item=item_id,
                item_type="recommendation",
                label=ix.label(item_id),
                stance=ix.stance_result(item_id, day),
                status=status,
                commitments=tuple(
                    c.id for c in ix.answering.get(item_id, ()) if c.made_on.latest <= day
                ),
                direct=ix.status_result(item_id, ix.direct_status(item_id, day)),
                rollup=ix.rollup_result(item_id, day),
                answered=ix.answered(item_id, day),
            )
        return StatusResult(
            as_of=day,
            known_on=ix.known_on,
            item=item_id,
            item_type=ix.item_type(item_id),
            label=ix.label(item_id),
            status=status,
        )

    @with_fewer_collections
    def trace(
        self,
        item_id: str,
        as_of: date | str | None = None,
        grace_years: int = 2,
        known_on: date | str | None = None,
    ) -> TraceResult:
        """Everything before and after an item through links, answers, fulfilments and
        supersession, with the fate of every commitment on the way and its evidence.

        Raises
        ------
        LookupError
            If no item has the id.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> t = rg.trace("demo-2020/1", as_of="2023-01-01")
        >>> t.before(), t.after()
        (['demo-2010/4'], ['demo-pledge', 'demo-rules', 'demo-plan'])
        >>> [s.fate.delivered for s in t.steps if s.fate]
        [True, False]
        """
        day = _as_of(as_of)
        ix = self.index.known_by(_day(known_on))
        self._require(item_id)
        steps, edges = trace_steps(self._trace_graph, ix, item_id, day, grace_years)
        return TraceResult(
            as_of=day, known_on=ix.known_on, item=item_id, steps=tuple(steps), edges=tuple(edges)
        )

    # ------------------------------------------------------------------ SPARQL

    def query(
        self, name: str, engine: Literal["rdflib", "oxigraph"] = "rdflib", **params: Any
    ) -> list[dict[str, Any]]:
        """Run one of the named SPARQL queries (see :mod:`reviewgraph.sparql.named`) on this data.

        The graph queried holds the dataset plus the ontology annotations the queries read.

        Examples
        --------
        >>> from reviewgraph.analysis._demo import demo_dataset
        >>> rg = ReviewGraph.from_dataset(demo_dataset())
        >>> rows = rg.query("parked", asOf=date(2023, 1, 1), graceCutoff=date(2021, 1, 1))
        >>> [r["recommendation"] for r in rows]
        ['https://w3id.org/reviewgraph/id/demo-2020/2']
        """
        from reviewgraph.sparql import named as sparql

        if engine == "oxigraph":
            return sparql.run_oxigraph(name, self._oxigraph, **params)
        return sparql.run(name, self._query_graph, **params)

    @cached_property
    def _query_graph(self) -> Graph:
        from reviewgraph.sparql import named as sparql

        return sparql.query_graph(self._rdf)

    @cached_property
    def _oxigraph(self) -> Any:
        from reviewgraph.sparql import named as sparql

        return sparql.oxigraph_store(self._query_graph)

    def grace_cutoff(self, as_of: date | str | None = None, grace_years: int = 2) -> date:
        """The day before which a commitment or stance is past the grace period.

        Examples
        --------
        >>> from reviewgraph.models import Dataset
        >>> ReviewGraph(Dataset()).grace_cutoff("2024-02-29")
        datetime.date(2022, 2, 28)
        """
        return minus_years(_as_of(as_of), grace_years)
