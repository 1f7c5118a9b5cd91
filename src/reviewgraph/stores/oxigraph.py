"""Oxigraph stores: in memory (the default) and on disk.

:class:`MemoryStore` (``memory``, the default) is an in-memory ``pyoxigraph.Store``: measured
on review-shaped graphs it loads about 15x and answers the named queries 10-600x faster than
rdflib's own memory store (``docs/performance.md``).

:class:`OxigraphStore` (``oxigraph:PATH``) keeps the data on disk so that it is loaded once
and queried many times.  The folder holds numbered *generations*, each a complete Oxigraph
database, and ``store.json`` names the current one::

    PATH/store.json        {"generation": 3, "graphs": {...}}   (replaced atomically)
    PATH/write.lock        held (flock, exclusive) by the one process loading
    PATH/gen-000003/       the current Oxigraph database, never written once published
    PATH/gen-000003.lock   held (flock, shared) by every process reading it

A load checkpoints the current generation into a new one (RocksDB hard links, about a
millisecond), applies every change there (dropping replaced graphs, loading each file with
Oxigraph's bulk loader when it is large), and publishes it by replacing ``store.json``.  If
anything fails, or the process is killed, ``store.json`` still names the old generation, so
the store is as it was; the half-built folder is removed by the next load.  Readers open the
current generation with ``Store.read_only`` and never see a generation being written, so
queries run while a load is in progress.  Old generations are removed once no reader holds
them.  ``bulk=True`` skips the checkpoint and writes into the current generation in place: it
is not atomic, and it needs no reader to be using the store.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import itertools
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pyoxigraph as ox

try:  # POSIX: flock; elsewhere (Windows) locks fall back to msvcrt, see _Lock
    import fcntl
except ImportError:  # pragma: no cover - exercised by a test that hides fcntl
    fcntl = None  # type: ignore[assignment]

from reviewgraph.errors import InputError, Location
from reviewgraph.stores.base import (
    XSD_STRING,
    Bindings,
    PlainTerm,
    PlainTriple,
    Row,
    Store,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    Table,
    Term,
    Value,
    check_bindings,
    literal_value,
    with_values,
)

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "GraphLoad",
    "MemoryStore",
    "OxigraphStore",
    "StoreDamagedError",
    "generations",
    "is_sealed",
    "ox_plain",
    "ox_to_rdflib",
    "ox_value",
    "parse_plain",
    "read_manifest",
    "to_ox",
]

BULK_MIN_BYTES = 4_000_000
"""Files at least this large are loaded with Oxigraph's bulk loader (into a new generation)."""

PART_BYTES = 32_000_000
"""Large N-Triples files are cut (at line ends) into parts of about this size, bulk-loaded
side by side, one per core (see :func:`_bulk_load_parts`)."""

MAX_LOAD_THREADS = 4
"""At most this many parts load at once (each holds its part and its sorted indexes)."""

Check = Callable[[ox.Store], None]
"""A check of a load's result, run before it is published; it raises to refuse the load."""

_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
_COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class GraphLoad:
    """One graph to (re)write: its IRI, the file it comes from, and its triples.

    The triples are either ``data`` (N-Triples bytes made by reviewgraph) or a ``path`` to
    an N-Triples or Turtle file that the engine parses itself (``format`` ``nt``/``ttl``).
    """

    graph: str
    file: str
    data: bytes | None = None
    path: Path | None = None
    format: Literal["nt", "ttl"] = "nt"
    index: Callable[[], bytes] | None = None
    """Makes the graph's analysis index (opaque bytes kept beside the graph), called once the
    graph is loaded and before the load is published; ``None`` keeps no index."""

    @property
    def size(self) -> int:
        """The size of the input in bytes."""
        if self.data is not None:
            return len(self.data)
        return self.path.stat().st_size if self.path is not None else 0


def _syntax_error(load: GraphLoad, exc: Exception) -> InputError:
    message = " ".join(str(exc).split())[:300]
    name = "Turtle" if load.format == "ttl" else "N-Triples"
    return InputError(f"{name} syntax error: {message}", Location(load.file))


# --------------------------------------------------------------------------- conversions


def ox_value(term: Any) -> Value:
    """A pyoxigraph term as a Python value (see :mod:`reviewgraph.stores.base`)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def ox_plain(term: Any) -> PlainTerm:
    """A pyoxigraph term as a plain value: an IRI's text, ``"_:label"`` for a blank node, or
    ``(lexical form, datatype IRI, language tag or "")`` for a literal.

    Examples
    --------
    >>> ox_plain(ox.Literal("a", language="en"))
    ('a', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'en')
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return str(term.value)
    if kind is ox.Literal:
        return (str(term.value), str(term.datatype.value), str(term.language or ""))
    if kind is ox.BlankNode:
        return "_:" + str(term.value)
    raise StoreError(f"cannot read {term!r}")


def parse_plain(path: Path, fmt: str) -> Iterator[PlainTriple]:
    """Parse an N-Triples (``nt``) or Turtle (``ttl``) file into plain triples, in Rust."""
    plain = ox_plain
    for t in ox.parse(path=str(path), format=_FORMATS[fmt]):
        yield plain(t.subject), t.predicate.value, plain(t.object)  # type: ignore[misc]


def ox_to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (``xsd:string`` literals as plain literals)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"cannot convert {term!r} to rdflib")


def to_ox(term: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A neutral term as a pyoxigraph term."""
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def _graph_of(triples: Iterator[Any]) -> Graph:
    from rdflib import Graph

    graph = Graph()
    for t in triples:
        graph.add((ox_to_rdflib(t.subject), ox_to_rdflib(t.predicate), ox_to_rdflib(t.object)))
    return graph


# --------------------------------------------------------------------------- pyoxigraph


class _OxigraphQueries(Store):
    """Queries on a ``pyoxigraph.Store`` over the union of its graphs."""

    _ox: ox.Store

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        # Bindings go in as a VALUES block, as for an endpoint, not as pyoxigraph's
        # ``substitutions``: on pyoxigraph 0.5 substitutions can lead the planner astray
        # (the ``contested`` query: 42 s with substitutions, 0.24 s with VALUES, at 1M
        # triples), and VALUES also binds variables the SELECT does not project.
        text = with_values(query, check_bindings(bindings))
        try:
            return self._ox.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(f"the query is not valid SPARQL: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable that the SELECT does not project
            raise StoreError(f"the query cannot be run: {exc}") from None

    def _solutions(self, query: str, bindings: Bindings | None) -> ox.QuerySolutions:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("the query is not a SELECT query")
        return result

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query; rows as Python values."""
        result = self._solutions(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: ox_value(s[i]) for i, n in enumerate(names)} for s in result]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query; rows as rdflib terms."""
        result = self._solutions(query, bindings)
        names = tuple(v.value for v in result.variables)
        rows = [tuple(ox_to_rdflib(s[i]) for i in range(len(names))) for s in result]
        return Table(names, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("the query is not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("the query is not a CONSTRUCT or DESCRIBE query")
        return _graph_of(iter(result))

    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples."""
        result = self._ox.query(_COUNT_GRAPHS)
        assert isinstance(result, ox.QuerySolutions)
        counts: dict[str, int] = {}
        for solution in result:
            name, n = solution[0], solution[1]
            if isinstance(name, ox.NamedNode) and isinstance(n, ox.Literal):
                counts[name.value] = int(n.value)
        return dict(sorted(counts.items()))

    def graph_names(self) -> list[str]:
        """The names of the named graphs."""
        return sorted(g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of every named graph (rdflib terms), except ``exclude``.

        A triple held by two graphs is yielded twice.
        """
        skip = set(exclude)
        convert = ox_to_rdflib
        for graph in self._ox.named_graphs():
            if graph.value in skip:
                continue
            for q in self._ox.quads_for_pattern(None, None, None, graph):
                yield convert(q.subject), convert(q.predicate), convert(q.object)

    def graph_triples(self, name: str) -> Iterator[PlainTriple]:
        """Every triple of one named graph, as plain values (see :func:`ox_plain`)."""
        plain = ox_plain
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            yield plain(q.subject), q.predicate.value, plain(q.object)  # type: ignore[misc]

    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for hot paths that call pyoxigraph directly).

        Its data is in named graphs: query it with ``use_default_graph_as_union=True``.
        """
        return self._ox


def _load_graph(target: ox.Store, load: GraphLoad, *, bulk: bool) -> None:
    """Load one graph's triples into ``target`` (the graph must be empty)."""
    graph = ox.NamedNode(load.graph)
    try:
        if load.data is not None:
            target.load(load.data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        elif load.path is not None:
            if bulk and load.format == "nt" and _load_threads() > 1:
                _bulk_load_parts(target, load, graph)
            else:
                method = target.bulk_load if bulk else target.load
                method(path=load.path, format=_FORMATS[load.format], to_graph=graph)
    except SyntaxError as exc:
        raise _syntax_error(load, exc) from None
    except MemoryError as exc:  # Oxigraph's parser: "Reached the buffer maximal size of ..."
        name = "Turtle" if load.format == "ttl" else "N-Triples"
        raise InputError(
            f"{name} syntax error: a single term (a literal or an IRI) is larger than the "
            f"parser's limit of {MAX_TERM_BYTES // (1 << 20)} MiB ({exc})",
            Location(load.file),
        ) from None
    except OSError as exc:
        raise _disk_error(exc) from None


MAX_TERM_BYTES = 16 * (1 << 20)
"""Oxigraph's parser refuses a single term (literal or IRI) larger than this (16 MiB)."""


def _disk_error(exc: OSError) -> StoreError:
    """A failure to write the store's files (a full disk) as a one-line environment error."""
    import errno

    from reviewgraph.stores.base import StoreEnvironmentError

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreEnvironmentError(f"cannot write the store: the disk is full ({exc.strerror})")
    text = " ".join(str(exc).split())[:300]
    return StoreEnvironmentError(f"cannot write the store: {text}")


def _load_threads() -> int:
    """How many parts of a file to bulk-load at once: the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_LOAD_THREADS))


_LABEL = re.compile(rb'_:([^\x00-\x20<>"{}|^`\\#]+)')
"""A blank node label, with any dots that end the triple (and, harmlessly, text in a literal,
an IRI or a comment that looks like one: that only leaves fewer places to cut)."""

SCAN_BYTES = 1 << 21
"""The file is scanned for blank node labels in blocks of about this size."""


def _scan(path: Path) -> tuple[list[int], dict[bytes, int], dict[bytes, int]]:
    """Cut ``path`` into blocks at line ends; return the offsets where they start (and the
    file's size), and the first and last block in which each blank node label is used."""
    starts = [0]
    first: dict[bytes, int] = {}
    last: dict[bytes, int] = {}
    with path.open("rb") as handle:
        while block := handle.read(SCAN_BYTES):
            block += handle.readline()
            number = len(starts) - 1
            for label in {m.rstrip(b".") for m in _LABEL.findall(block)}:
                first.setdefault(label, number)
                last[label] = number
            starts.append(starts[-1] + len(block))
    return starts, first, last


def _line_start(data: bytes, at: int) -> int:
    """The first offset at or after ``at`` that starts a line of ``data`` (or ``len(data)``)."""
    if at <= 0 or data[at - 1 : at] == b"\n":
        return max(at, 0)
    found = data.find(b"\n", at)
    return len(data) if found < 0 else found + 1


def _cut_in_block(
    data: bytes, number: int, first: dict[bytes, int], last: dict[bytes, int], ideal: int
) -> int | None:
    r"""The line start in block ``number`` (its bytes: ``data``) nearest to ``ideal`` (an
    offset in ``data``) that no blank node label is used on both sides of, if any.

    A label used here and in an earlier block forbids every cut up to its last use here; one
    used here and later, every cut after its first use here; one used only here, every cut
    between its first and last use.  (No label may be used both before and after the block.)

    >>> data = b'_:a <http://e/p> _:b .\n_:b <http://e/p> "1" .\n_:c <http://e/p> "2" .\n'
    >>> in_block_0 = {b"a": 0, b"b": 0, b"c": 0}
    >>> _cut_in_block(data, 0, in_block_0, in_block_0, 30)  # not between the uses of _:b
    46
    """
    spans: dict[bytes, list[int]] = {}
    for match in _LABEL.finditer(data):
        label = match.group(1).rstrip(b".")
        span = spans.setdefault(label, [match.start(), match.start()])
        span[1] = match.start()
    forbidden = []  # cuts x with low < x <= high would part a label's uses
    for label, (low, high) in spans.items():
        forbidden.append(
            (-1 if first[label] < number else low, len(data) if last[label] > number else high)
        )
    forbidden.sort()
    best: int | None = None
    allowed_from = 0
    for low, high in [*forbidden, (len(data) - 1, len(data))]:
        if low >= allowed_from:  # a gap: cuts in [allowed_from, low] are allowed
            ends_at = data.rfind(b"\n", 0, low) + 1  # the last line start up to ``low``
            for x in (
                _line_start(data, max(allowed_from, ideal)),
                _line_start(data, allowed_from),
                ends_at,
            ):
                if (
                    allowed_from <= x <= low
                    and x < len(data)
                    and (best is None or abs(x - ideal) < abs(best - ideal))
                ):
                    best = x
        allowed_from = max(allowed_from, high + 1)
    return best


def _cut(path: Path, size: int, threads: int) -> list[tuple[int, int]]:
    """Byte ranges of ``path`` that start and end at line ends, about ``PART_BYTES`` each
    and a multiple of ``threads`` in number (so that every thread gets as much work), and
    that share no blank node label (see :func:`_bulk_load_parts`)."""
    count = -(-size // PART_BYTES)
    count = -(-count // threads) * threads
    if count <= 1:
        return [(0, size)]
    starts, first, last = _scan(path)
    blocks = len(starts) - 1
    through = [0] * (blocks + 1)  # through[k]: labels used both before and after block k
    for label, start in first.items():
        if last[label] - start >= 2:
            through[start + 1] += 1
            through[last[label]] -= 1
    through = list(itertools.accumulate(through))
    cuts = [0]
    with path.open("rb") as handle:
        for i in range(1, count):
            ideal = size * i // count
            near = bisect.bisect_right(starts, ideal) - 1
            for number in sorted(range(blocks), key=lambda b: abs(b - near))[:5]:
                if through[number]:
                    continue
                handle.seek(starts[number])
                data = handle.read(starts[number + 1] - starts[number])
                x = _cut_in_block(data, number, first, last, ideal - starts[number])
                if x is not None and cuts[-1] < starts[number] + x < size:
                    cuts.append(starts[number] + x)
                    break
    cuts.append(size)
    return list(itertools.pairwise(cuts))


_LINE = re.compile(r"\bline (\d+)")


def _shift_lines(message: str, lines: int) -> str:
    """A parser's message about a part, with its line numbers counted in the whole file.

    >>> _shift_lines("Parser error at line 2 column 1: bad (line 2)", 1000)
    'Parser error at line 1002 column 1: bad (line 1002)'
    """
    return _LINE.sub(lambda m: f"line {int(m.group(1)) + lines}", message)


def _lines_before(path: Path, offset: int) -> int:
    lines = 0
    with path.open("rb") as handle:
        while offset > 0:
            chunk = handle.read(min(offset, 1 << 20))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _bulk_load_parts(target: ox.Store, load: GraphLoad, graph: ox.NamedNode) -> None:
    """Bulk-load an N-Triples file as parts cut at line ends, one per core at a time.

    Oxigraph's bulk loader parses a file on one thread and then sorts and writes its
    indexes on another, one after the other for a file under a million triples: about one
    core.  N-Triples is line-based (Oxigraph refuses a line break inside a triple, so no
    triple spans a cut), so parts of a file load independently into the same graph, and the
    loads use every core.  Oxigraph gives each blank node a new identifier in every load,
    though: a label used in two parts would become two nodes, so parts are cut only where no
    label is used on both sides (:func:`_cut`, a scan of the file: about 0.3 s at 1M
    triples); a file with no such place loads as one part.  A syntax error is reported from
    the first part that has one, with its line counted in the whole file.  Each part commits
    on its own: a failure can leave the parts before it in ``target``.
    """
    assert load.path is not None
    path = load.path
    threads = _load_threads()
    parts = _cut(path, path.stat().st_size, threads)
    if len(parts) == 1:
        target.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        return
    failed = threading.Event()

    def part(start: int, end: int) -> None:
        if failed.is_set():
            return
        with path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        try:
            target.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        except BaseException:
            failed.set()
            raise

    pool = ThreadPoolExecutor(max_workers=min(threads, len(parts)))
    try:
        futures = [pool.submit(part, start, end) for start, end in parts]
        errors = [(f.exception(), start) for f, (start, _) in zip(futures, parts, strict=True)]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for error, start in errors:
        if isinstance(error, SyntaxError) and start:
            raise SyntaxError(_shift_lines(str(error), _lines_before(path, start)))
        if error is not None:
            raise error


def _count(target: ox.Store, graph: str) -> int:
    """The number of triples in one graph of ``target``."""
    name = ox.NamedNode(graph)  # a valid IRI: its N-Triples form is safe in a query
    result = target.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    for solution in result:
        value = solution[0]
        return int(value.value) if isinstance(value, ox.Literal) else 0
    return 0


class _Clock:
    """Seconds spent in each step of a load (``OxigraphStore.last_load``)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = self.laps.get(step, 0.0) + now - self._last
        self._last = now


OPTIMIZE = True
"""Compact a database after loading into it (see :func:`_finish`; off only to measure)."""


def _finish(writer: ox.Store, loads: Sequence[GraphLoad], clock: _Clock) -> dict[str, int]:
    """Compact ``writer`` and count each loaded graph's triples, side by side.

    Compaction (``optimize``) merges the files the bulk loader wrote: at 1M triples it costs
    about 2 s and halves the time of the ``gaps`` queries afterwards.  It runs on one core,
    so the counting (a COUNT query per graph, 0.3-0.6 s at 1M) runs beside it.
    """
    writer.flush()
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(lambda: {load.graph: _count(writer, load.graph) for load in loads})
        if OPTIMIZE:
            writer.optimize()
        counts = counting.result()
    clock.lap("optimize+count")
    return counts


class MemoryStore(_OxigraphQueries):
    """Oxigraph in memory: the default store (``memory``).

    Examples
    --------
    >>> from reviewgraph.stores import open_store, select
    >>> store = open_store("memory")
    >>> select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    [{'n': 0}]
    """

    kind: ClassVar[str] = "memory"

    def __init__(self) -> None:
        super().__init__("memory")
        self._ox = ox.Store()
        self._indexes: dict[str, bytes] = {}

    def graph_index(self, name: str) -> bytes | None:
        """The analysis index kept with a graph when it was loaded, if any."""
        return self._indexes.get(name)

    def _apply(
        self, loads: Sequence[GraphLoad], *, bulk: bool = False, check: Check | None = None
    ) -> dict[str, int]:
        """Set each graph to its new triples; on failure (or if ``check`` raises on the
        result), put the old ones back."""
        counts = self._load_all(loads, bulk=bulk, check=check)
        for load in loads:
            self._indexes.pop(load.graph, None)
            if load.index is not None:
                self._indexes[load.graph] = load.index()
        return counts

    def _load_all(
        self, loads: Sequence[GraphLoad], *, bulk: bool, check: Check | None = None
    ) -> dict[str, int]:
        old: dict[str, list[ox.Quad]] = {}
        if not bulk:
            for load in loads:
                graph = ox.NamedNode(load.graph)
                old[load.graph] = list(self._ox.quads_for_pattern(None, None, None, graph))
        try:
            for load in loads:
                self._ox.remove_graph(ox.NamedNode(load.graph))
                _load_graph(self._ox, load, bulk=False)
            if check is not None:
                check(self._ox)
        except BaseException:
            if not bulk:
                for load in loads:
                    self._ox.remove_graph(ox.NamedNode(load.graph))
                for quads in old.values():
                    self._ox.extend(quads)
            raise
        return {load.graph: _count(self._ox, load.graph) for load in loads}


# --------------------------------------------------------------------------- on disk

_MANIFEST = "store.json"
_FORMAT = "reviewgraph-oxigraph-store"


def _gen_dir(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}"


def _index_dir(root: Path, generation: int) -> Path:
    return root / "index" / f"gen-{generation:06d}"


def _index_name(graph: str) -> str:
    import hashlib

    return hashlib.sha256(graph.encode("utf-8")).hexdigest()[:24] + ".facts"


def _gen_number(name: str) -> int | None:
    stem = name.removesuffix(".lock").removesuffix(".json")
    if stem.startswith("gen-") and stem[4:].isdigit():
        return int(stem[4:])
    return None


class _Lock:
    """An ``flock`` on a lock file, held until :meth:`release`.

    A shared (reader's) lock on a store that cannot be written (a read-only mount, an
    archive unpacked without write permission) is taken on a file opened read-only, or,
    if the lock file cannot even be created there, not at all: no writer can change such a
    store, so there is nothing to guard against.  Without ``fcntl`` (Windows) locks are
    advisory no-ops; Windows itself refuses to delete the files of a generation that a
    reader has open, so garbage collection leaves it for later.
    """

    def __init__(
        self, path: Path, *, exclusive: bool, wait: bool = False, advice: str | None = None
    ) -> None:
        self.path = path
        self._fd: int | None = _open_lock_file(path, exclusive=exclusive)
        if self._fd is None or fcntl is None:
            return
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(self._fd, flags if wait else flags | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            os.close(self._fd)
            self._fd = None
            if advice is not None:
                raise StoreLockedError(str(path.parent), holder, advice) from None
            raise StoreLockedError(str(path.parent), holder) from None
        if exclusive:
            os.ftruncate(self._fd, 0)
            os.write(self._fd, f"pid {os.getpid()}\n".encode())

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is not None:
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


_CANNOT_WRITE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def _open_lock_file(path: Path, *, exclusive: bool) -> int | None:
    """Open (creating) a lock file; for a shared lock on a store that cannot be written,
    open it read-only, or give ``None`` if it does not exist and cannot be made."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        if exclusive:
            raise StoreError(
                f"the store at {path.parent} cannot be written ({exc.strerror}); it can still "
                "be read"
            ) from None
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def _is_plain_oxigraph(path: Path) -> bool:
    return (path / "CURRENT").is_file() and not (path / _MANIFEST).exists()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StoreDamagedError(StoreError):
    """Raised when an on-disk store's manifest is missing, garbled or stale, or names a
    generation that is not there.  Nothing is changed; ``reviewgraph store check`` inspects
    the store and ``reviewgraph store repair`` recovers it from its newest complete
    generation."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        super().__init__(str(self))

    def __str__(self) -> str:
        return (
            f"the store at {self.path} is damaged: {self.what}; nothing was changed (inspect "
            f"it with 'reviewgraph store check {self.path}', recover it with "
            f"'reviewgraph store repair {self.path}')"
        )


def _lock_path(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}.lock"


def _seal_path(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}.json"


def generations(root: Path) -> list[int]:
    """The numbers of the generation folders in a store's folder, oldest first."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    return sorted(n for e in entries if e.is_dir() and (n := _gen_number(e.name)) is not None)


def read_seal(root: Path, generation: int) -> dict[str, Any] | None:
    """The seal of a generation (its manifest, written before it was published), if it has
    a readable one that names it."""
    try:
        data = json.loads(_seal_path(root, generation).read_text(encoding="utf-8"))
        checked = check_manifest(data)
    except (OSError, ValueError):
        return None
    return checked if checked["generation"] == generation else None


def is_sealed(root: Path, generation: int) -> bool:
    """Whether a generation was completed (its seal was written before publishing)."""
    return read_seal(root, generation) is not None


def check_manifest(data: Any) -> dict[str, Any]:
    """``data`` if it is a well-formed manifest; otherwise ``ValueError`` saying why."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError("it is not a reviewgraph store manifest")
    generation, graphs = data.get("generation"), data.get("graphs")
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        raise ValueError("its generation is not a number")
    if not isinstance(graphs, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("triples"), int) for info in graphs.values()
    ):
        raise ValueError("its list of graphs is garbled")
    return data


def read_manifest(root: Path) -> dict[str, Any]:
    """A store's manifest; a new store's (generation 0) if there is none and no generation.

    Raises
    ------
    StoreDamagedError
        If the manifest is missing while generations exist, or is garbled.
    """
    path = root / _MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if generations(root):
            raise StoreDamagedError(root, f"{_MANIFEST} is missing") from None
        return {"format": _FORMAT, "version": 1, "generation": 0, "graphs": {}}
    except OSError as exc:
        raise StoreError(f"{path} cannot be read: {exc.strerror}") from None
    try:
        return check_manifest(json.loads(text))
    except ValueError as exc:
        reason = " ".join(str(exc).split())[:200]
        raise StoreDamagedError(root, f"{_MANIFEST} is garbled ({reason})") from None


def _write_json(root: Path, target: Path, data: dict[str, Any]) -> None:
    """Replace ``target`` with ``data`` atomically (a temporary file, fsync, rename)."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_dir(root)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _disk_error(exc) from None


class OxigraphStore(_OxigraphQueries):
    """Oxigraph on disk (``oxigraph:PATH``): load once, query many times across runs.

    Parameters
    ----------
    path : Path
        The store's folder (created by the first load).
    writable : bool
        Take the exclusive write lock (needed to load).  A second writer gets
        :class:`~reviewgraph.stores.StoreLockedError`.  Readers need no write lock.

    Raises
    ------
    StoreNotFoundError
        If a read-only store is opened where there is none.
    StoreLockedError
        If ``writable`` and another process holds the write lock.
    """

    kind: ClassVar[str] = "oxigraph"

    def __init__(self, path: Path, *, writable: bool = False) -> None:
        super().__init__(f"oxigraph:{path}")
        self.path = path
        self.writable = writable
        self._plain = False
        self._write_lock: _Lock | None = None
        self._read_lock: _Lock | None = None
        self._created = False
        self.generation = 0
        self.manifest: dict[str, Any] = {}
        self.last_load: dict[str, float] = {}
        """Seconds spent in each step of the last load (for benchmarks)."""
        if writable:
            if _is_plain_oxigraph(path):
                raise StoreError(
                    f"{path} is an Oxigraph database that reviewgraph did not create; "
                    "reviewgraph can read it but loads only into its own stores "
                    "(choose a new folder)"
                )
            if path.exists() and not path.is_dir():
                raise StoreError(f"{path} is not a folder")
            self._created = not path.exists()
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store at {path}: {exc.strerror}") from None
            try:
                self._write_lock = _Lock(path / "write.lock", exclusive=True)
            except BaseException:
                self._remove_if_created()
                raise
        elif _is_plain_oxigraph(path):
            self._plain = True
            self._ox = ox.Store.read_only(str(path))
            return
        elif not (path / _MANIFEST).is_file() and generations(path):
            raise StoreDamagedError(path, f"{_MANIFEST} is missing")
        elif not (path / _MANIFEST).is_file():
            raise StoreNotFoundError(
                f"no reviewgraph store at {path} (create one with: "
                f"reviewgraph load DATA --store oxigraph:{path})"
            )
        try:
            self._open_current()
        except BaseException:
            self.close()
            raise

    # -- generations

    def _read_manifest(self) -> dict[str, Any]:
        return read_manifest(self.path)

    def _open_current(self) -> None:
        """Open the current generation read-only, holding a shared lock on it.

        A manifest that names a generation that is not there is a damaged store (and is
        refused), unless a writer published a newer one meanwhile (then read again).
        """
        for _ in range(20):
            manifest = self._read_manifest()
            generation = int(manifest["generation"])
            if generation == 0:
                self.manifest, self.generation = manifest, 0
                self._ox = ox.Store()  # nothing loaded yet: an empty store answers queries
                return
            if _gen_dir(self.path, generation).is_dir():
                lock = _Lock(_lock_path(self.path, generation), exclusive=False, wait=True)
                if _gen_dir(self.path, generation).is_dir():
                    self._release_read()
                    self._read_lock = lock
                    self.manifest, self.generation = manifest, generation
                    try:
                        self._ox = ox.Store.read_only(str(_gen_dir(self.path, generation)))
                    except OSError as exc:
                        raise StoreDamagedError(
                            self.path, f"generation {generation} cannot be opened ({exc})"
                        ) from None
                    return
                lock.release()
            if int(self._read_manifest()["generation"]) == generation:
                raise StoreDamagedError(
                    self.path, f"{_MANIFEST} names generation {generation}, which is missing"
                )
        raise StoreError(f"the store at {self.path} keeps changing; try again")

    def _release_read(self) -> None:
        if self._read_lock is not None:
            self._read_lock.release()
            self._read_lock = None

    def close(self) -> None:
        """Release the locks and the database handle.

        A store folder that this writer created and never published a generation into (a
        first load that failed) is removed, so no empty store with a ``write.lock`` is left.
        """
        self._ox = ox.Store()
        self._release_read()
        if self._write_lock is not None:
            if self._created and self.generation == 0:
                self._remove_if_created()
            self._write_lock.release()
            self._write_lock = None

    def _remove_if_created(self) -> None:
        if self._created:
            shutil.rmtree(self.path, ignore_errors=True)
            self._created = False

    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples (from the manifest)."""
        if self._plain:
            return super().graphs()
        graphs = self.manifest.get("graphs", {})
        return {name: int(info["triples"]) for name, info in sorted(graphs.items())}

    def graph_names(self) -> list[str]:
        """The names of the named graphs (from the manifest)."""
        if self._plain:
            return super().graph_names()
        return sorted(self.manifest.get("graphs", {}))

    def graph_index(self, name: str) -> bytes | None:
        """The analysis index written with a graph by the load that published it, if any."""
        info = self.manifest.get("graphs", {}).get(name, {})
        file = info.get("index") if isinstance(info, dict) else None
        if not isinstance(file, str) or self.generation == 0:
            return None
        try:
            return (_index_dir(self.path, self.generation) / file).read_bytes()
        except OSError:
            return None

    def _write_indexes(
        self, generation: int, loads: Sequence[GraphLoad], graphs: dict[str, Any]
    ) -> None:
        """Write each loaded graph's index beside ``generation``; link the others' from the
        current generation (they did not change)."""
        folder = _index_dir(self.path, generation)
        folder.mkdir(parents=True, exist_ok=True)
        loaded = {load.graph for load in loads}
        old = _index_dir(self.path, self.generation)
        for name, info in graphs.items():
            file = info.get("index")
            if name in loaded or not file or old == folder:
                continue
            with contextlib.suppress(FileExistsError):
                try:
                    os.link(old / file, folder / file)
                except OSError:
                    info.pop("index", None)  # lost: readers read the graph's triples instead
        for load in loads:
            info = graphs[load.graph]
            info.pop("index", None)
            if load.index is None:
                continue
            file = _index_name(load.graph)
            tmp = folder / f".{file}.tmp"
            with tmp.open("wb") as handle:
                handle.write(load.index())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, folder / file)
            info["index"] = file
        _fsync_dir(folder)

    def sources(self) -> dict[str, str]:
        """Each graph's IRI with the file it was loaded from."""
        graphs = self.manifest.get("graphs", {})
        return {name: str(info.get("file", "")) for name, info in sorted(graphs.items())}

    def _collect_garbage(self) -> None:
        """Remove every generation older than the current one that no reader holds, and any
        newer one that was never sealed (a load that did not finish).

        A sealed generation newer than the current one means the manifest is stale (or a
        load was stopped while publishing): nothing is removed and the store is refused
        until ``reviewgraph store repair`` has chosen.
        """
        indexes = self.path / "index"
        if indexes.is_dir():
            for entry in indexes.iterdir():
                number = _gen_number(entry.name)
                if number != self.generation and not _gen_dir(self.path, number or 0).is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
        if self.generation and not _gen_dir(self.path, self.generation).is_dir():
            raise StoreDamagedError(
                self.path, f"{_MANIFEST} names generation {self.generation}, which is missing"
            )
        newer = [
            n for n in generations(self.path) if n > self.generation and is_sealed(self.path, n)
        ]
        if newer:
            raise StoreDamagedError(
                self.path,
                f"{_MANIFEST} names generation {self.generation}, but generation {max(newer)} "
                "is complete and newer (a stale manifest, or a load stopped while publishing)",
            )
        for number in generations(self.path):
            if number == self.generation:
                continue
            lock_path = _lock_path(self.path, number)
            try:
                lock = _Lock(lock_path, exclusive=True)
            except StoreLockedError:
                continue  # a reader still uses it
            try:
                _seal_path(self.path, number).unlink(missing_ok=True)
                shutil.rmtree(_gen_dir(self.path, number), ignore_errors=True)
                shutil.rmtree(_index_dir(self.path, number), ignore_errors=True)
                lock_path.unlink(missing_ok=True)
            finally:
                lock.release()

    def _publish(self, generation: int, graphs: dict[str, Any]) -> None:
        """Seal the generation (its own copy of the manifest, beside it), then name it in
        the manifest: a generation with a seal is complete, whatever became of the manifest."""
        manifest = {"format": _FORMAT, "version": 1, "generation": generation, "graphs": graphs}
        if generation:
            _write_json(self.path, _seal_path(self.path, generation), manifest)
        _write_json(self.path, self.path / _MANIFEST, manifest)

    def _apply(
        self, loads: Sequence[GraphLoad], *, bulk: bool = False, check: Check | None = None
    ) -> dict[str, int]:
        """Set each graph to its new triples, atomically unless ``bulk``; ``check`` runs on
        the new generation before it is published (raising leaves the store as it was)."""
        self._require_writable()
        clock = _Clock()
        if not (self.path / _MANIFEST).is_file():
            self._publish(0, {})  # a new store: a first load that dies leaves it empty
        self._collect_garbage()
        graphs = dict(self.manifest.get("graphs", {}))
        targets = {load.graph for load in loads}
        if bulk and self.generation:
            return self._apply_in_place(loads, graphs, clock, check)
        numbers = [n for e in self.path.iterdir() if (n := _gen_number(e.name)) is not None]
        generation = max([self.generation, *numbers]) + 1
        new_dir = _gen_dir(self.path, generation)
        replaced = sum(int(graphs[g]["triples"]) for g in targets if g in graphs)
        total = sum(int(info["triples"]) for info in graphs.values())
        rebuild = self.generation > 0 and replaced * 2 > total
        writer: ox.Store | None = None
        try:
            if self.generation and not rebuild:
                self._ox.backup(str(new_dir))  # a checkpoint: hard links, not a copy
            writer = ox.Store(str(new_dir))
            if rebuild:
                self._copy_graphs(writer, [g for g in graphs if g not in targets])
            else:
                for graph in targets & set(graphs):
                    writer.remove_graph(ox.NamedNode(graph))
            clock.lap("prepare")
            for load in loads:
                _load_graph(writer, load, bulk=load.size >= BULK_MIN_BYTES)
            clock.lap("load")
            if check is not None:
                check(writer)
                clock.lap("check")
            counts = _finish(writer, loads, clock)
            writer = None  # closes the database before it is published
            clock.lap("close")
            for load in loads:
                graphs[load.graph] = {"file": load.file, "triples": counts[load.graph]}
            self._write_indexes(generation, loads, graphs)
            clock.lap("index")
        except OSError as exc:  # a full disk while writing the new generation
            writer = None
            shutil.rmtree(new_dir, ignore_errors=True)
            raise _disk_error(exc) from None
        except BaseException:
            writer = None
            shutil.rmtree(new_dir, ignore_errors=True)
            shutil.rmtree(_index_dir(self.path, generation), ignore_errors=True)
            raise
        self._publish(generation, graphs)
        self._open_current()
        self._collect_garbage()
        clock.lap("publish")
        self.last_load = clock.laps
        return counts

    def _copy_graphs(self, writer: ox.Store, names: Sequence[str]) -> None:
        for name in names:
            graph = ox.NamedNode(name)
            data = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            if data:
                writer.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def _apply_in_place(
        self,
        loads: Sequence[GraphLoad],
        graphs: dict[str, Any],
        clock: _Clock,
        check: Check | None = None,
    ) -> dict[str, int]:
        """``bulk``: write into the current generation (not atomic; no reader may hold it)."""
        generation = self.generation
        self._ox = ox.Store()
        self._release_read()
        try:
            lock = _Lock(
                self.path / f"gen-{generation:06d}.lock",
                exclusive=True,
                advice="it is being read, and a bulk load writes in place; load without "
                "--bulk, or try again when no one is reading",
            )
        except StoreLockedError:
            self._open_current()
            raise
        counts: dict[str, int] = {}
        try:
            writer = ox.Store(str(_gen_dir(self.path, generation)))
            try:
                for number, load in enumerate(loads):
                    writer.remove_graph(ox.NamedNode(load.graph))
                    graphs.pop(load.graph, None)
                    try:
                        _load_graph(writer, load, bulk=True)
                    except BaseException:
                        # Parts of the file may be in: remove them, and list what did load
                        # (the graphs after it are as they were).
                        writer.remove_graph(ox.NamedNode(load.graph))
                        for done in loads[:number]:
                            triples = _count(writer, done.graph)
                            graphs[done.graph] = {"file": done.file, "triples": triples}
                        raise
                clock.lap("load")
                if check is not None:
                    try:
                        check(writer)
                    except BaseException:
                        for load in loads:  # nothing of a refused bulk load stays
                            writer.remove_graph(ox.NamedNode(load.graph))
                        raise
                counts = _finish(writer, loads, clock)
                for load in loads:
                    graphs[load.graph] = {"file": load.file, "triples": counts[load.graph]}
                self._write_indexes(generation, loads, graphs)
            finally:
                del writer
                self._publish(generation, graphs)
        finally:
            lock.release()
            self._open_current()
        clock.lap("publish")
        self.last_load = clock.laps
        return counts
