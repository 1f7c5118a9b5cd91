"""One entry point for every source: files, a store on disk, or a SPARQL endpoint.

:func:`open_source` takes what the command line's ``DATA``, ``--store``, ``--endpoint`` and
``--graph`` take, one to one, and returns a :class:`Source` whose methods are the analyses
(``gaps``, ``status``, ``trace``, ...), ``query`` and ``export``.  Every command of the
command line is a few lines over it.

Examples
--------
>>> from reviewgraph.source import open_source
>>> with open_source() as source:                  # the bundled seeds
...     gaps = source.gaps(as_of="2025-07-01")
>>> gaps.as_of
datetime.date(2025, 7, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

from reviewgraph.errors import StoreError
from reviewgraph.vocab.constants import BASE_IRI

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.analysis.graph import ReviewGraph
    from reviewgraph.analysis.results import GapsResult, StatusResult, TraceResult
    from reviewgraph.io.files import Loaded
    from reviewgraph.stores.base import Store

__all__ = ["Source", "SourceUsageError", "open_source"]


class SourceUsageError(StoreError):
    """Raised when the options of :func:`open_source` do not go together."""


class Source:
    """Data to analyse: files read through the models, or a store read for the analysis.

    Build one with :func:`open_source`; close it (or use it as a context manager) to release
    a store's locks.
    """

    def __init__(
        self,
        paths: Iterable[str | Path] = (),
        store: Store | None = None,
        *,
        encoding: str = "utf-8",
        max_mb: float = 25.0,
        base: str = BASE_IRI,
        progress: Any = None,
        columns: Mapping[str, str] | None = None,
        input_format: str | None = None,
        stdin: BinaryIO | None = None,
        with_seeds: bool = False,
    ) -> None:
        self.paths = tuple(Path(p) for p in paths)
        self.store = store
        self.encoding, self.max_mb, self.base, self.progress = encoding, max_mb, base, progress
        self.columns = dict(columns) if columns is not None else None
        self.input_format, self.stdin, self.with_seeds = input_format, stdin, with_seeds

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the store, if any."""
        if self.store is not None:
            self.store.close()

    # -- reading

    @cached_property
    def loaded(self) -> Loaded:
        """The files as checked models, each item with its file and line (files only)."""
        from reviewgraph.io.files import read_dataset

        return read_dataset(
            self.paths,
            max_mb=self.max_mb,
            encoding=self.encoding,
            base=self.base,
            progress=self.progress,
            columns=self.columns,
            input_format=self.input_format,
            stdin=self.stdin,
            with_seeds=self.with_seeds,
        )

    def located(self) -> Loaded:
        """Every item as a model with where it came from (a file and line, or a store's graph)."""
        if self.store is None:
            return self.loaded
        from reviewgraph.io.store import read_store_located

        return read_store_located(self.store, self.base)

    def review_graph(self, around: Iterable[str] | None = None) -> ReviewGraph:
        """The analysis of the source; ``around`` some items, read from a store without an
        analysis index only what their analysis needs."""
        from reviewgraph.analysis.graph import ReviewGraph

        if self.store is None:
            return ReviewGraph.from_dataset(self.loaded.dataset, self.base)
        return ReviewGraph.from_store(self.store, self.base, around=around)

    # -- the analyses

    def gaps(self, **options: Any) -> GapsResult:
        """:meth:`ReviewGraph.gaps`; a review's gaps read only that review's neighbourhood."""
        around = None
        if options.get("review") and not options.get("body") and not options.get("theme"):
            around = [options["review"]]
        return self.review_graph(around).gaps(**options)

    def status(self, item_id: str, **options: Any) -> StatusResult:
        """:meth:`ReviewGraph.status` of one item."""
        return self.review_graph([item_id]).status(item_id, **options)

    def trace(self, item_id: str, **options: Any) -> TraceResult:
        """:meth:`ReviewGraph.trace` of one item."""
        return self.review_graph([item_id]).trace(item_id, **options)

    def __getattr__(self, name: str) -> Any:
        if name in ("recurring", "scorecard", "slippage", "contested", "timeline"):
            return getattr(self.review_graph(), name)
        raise AttributeError(f"a Source has no attribute {name!r}")

    def export(self, format: str) -> bytes:
        """The data in an export format (the same bytes from files and from a store)."""
        from reviewgraph.io.export import export_dataset, export_store

        if self.store is not None:
            return export_store(self.store, format, self.base)
        return export_dataset(self.loaded.dataset, format, self.base)

    def counts(self) -> dict[str, int]:
        """How many items of each kind the source holds."""
        if self.store is not None:
            from reviewgraph.io.store import item_counts

            return item_counts(self.store, self.base)
        from reviewgraph.models import ITEM_TYPES

        dataset = self.loaded.dataset
        return {name: len(getattr(dataset, name)) for name in ITEM_TYPES}

    def files(self) -> Iterator[str]:
        """The files the source was read from (files only)."""
        yield from self.loaded.files


def open_source(
    paths: Iterable[str | Path] = (),
    *,
    store: str | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    encoding: str = "utf-8",
    max_mb: float = 25.0,
    base: str = BASE_IRI,
    progress: Any = None,
    columns: Mapping[str, str] | str | Path | None = None,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    with_seeds: bool = False,
) -> Source:
    """Open the data to analyse: files (by default the bundled seeds), a store loaded by
    ``reviewgraph load`` (``oxigraph:PATH``), or a SPARQL endpoint (``graph``: only the
    graphs loaded under that IRI).

    ``columns`` maps a foreign tracker's header onto the one-table CSV's columns: a mapping
    (``{"Rec no": "rec_label"}``), ``"old=new,..."``, or the path of a file of ``old=new``
    lines.  The path ``-`` reads standard input (or ``stdin``) as ``input_format`` (yaml,
    csv, ttl, nt or jsonld).  ``with_seeds`` reads the bundled seeds beside the files, so
    that they can refer to the seeds' items.

    Raises
    ------
    SourceUsageError
        If files are given with a store or an endpoint, both a store and an endpoint are
        given, ``graph`` is given without an endpoint, the store is not ``oxigraph:PATH``, or
        ``columns``, ``input_format`` or ``with_seeds`` are given with a store or endpoint.
    InputError
        If the column mapping cannot be read or names a column the format does not have.
    StoreEnvironmentError
        If the store is locked or the endpoint does not answer.

    Examples
    --------
    >>> import io
    >>> csv = b"review_id,rec_label,Position,stance_date\\nr-1,1,accepted,2024-03\\n"
    >>> with open_source(["-"], input_format="csv", stdin=io.BytesIO(csv),
    ...                  columns="Position=stance") as source:
    ...     [s.stance.value for s in source.loaded.dataset.stances]
    ['accepted']
    """
    paths = tuple(paths)
    files_only = {"columns": columns, "input_format": input_format, "with_seeds": with_seeds}
    given = [k for k, v in files_only.items() if v not in (None, False)]
    if given and (store is not None or endpoint is not None):
        raise SourceUsageError(
            f"{given[0].replace('_', '-')} is for files: it does not go with --store or --endpoint"
        )
    if graph is not None and endpoint is None:
        raise SourceUsageError("--graph goes with --endpoint")
    if store is not None and endpoint is not None:
        raise SourceUsageError("give --store or --endpoint, not both")
    if (store is not None or endpoint is not None) and paths:
        raise SourceUsageError(
            "give DATA or --store/--endpoint, not both (load files into a store with "
            "'reviewgraph load')"
        )
    options: dict[str, Any] = {"encoding": encoding, "max_mb": max_mb, "base": base}
    if store is not None:
        if not str(store).startswith("oxigraph:"):
            raise SourceUsageError(
                f"--store {store}: a store to read from is oxigraph:PATH (memory and rdflib "
                "stores hold nothing between runs: give DATA instead)"
            )
        from reviewgraph.stores import open_store

        return Source(store=open_store(store), **options)
    if endpoint is not None:
        from reviewgraph.stores import open_endpoint

        return Source(store=open_endpoint(endpoint, graph=graph), **options)
    from reviewgraph.io.tracker import column_mapping

    return Source(
        paths,
        progress=progress,
        columns=column_mapping(columns),
        input_format=input_format,
        stdin=stdin,
        with_seeds=with_seeds,
        **options,
    )
