"""Loading graphs into a ``pyoxigraph.Store``: one graph at a time, or a large file in parts.

A graph's triples come as N-Triples bytes made by reviewgraph or as a file the engine parses
itself (:class:`GraphLoad`).  Large N-Triples files are cut at line ends and the parts
bulk-loaded side by side, one per core (:func:`_bulk_load_parts`); the load then counts each
graph and optimises the database (:func:`_finish`).
"""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from reviewgraph.errors import InputError, Location
from reviewgraph.stores.base import (
    StoreError,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

from reviewgraph.stores.oxquery import FORMATS

__all__ = ["BULK_MIN_BYTES", "MAX_TERM_BYTES", "PART_BYTES", "Check", "GraphLoad"]

BULK_MIN_BYTES = 4_000_000
"""Files at least this large are loaded with Oxigraph's bulk loader (into a new generation)."""

PART_BYTES = 32_000_000
"""Large N-Triples files are cut (at line ends) into parts of about this size, bulk-loaded
side by side, one per core (see :func:`_bulk_load_parts`)."""

MAX_LOAD_THREADS = 4
"""At most this many parts load at once (each holds its part and its sorted indexes)."""

Check = Callable[[ox.Store], None]
"""A check of a load's result, run before it is published; it raises to refuse the load."""


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
                method(path=load.path, format=FORMATS[load.format], to_graph=graph)
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


def _release_writer(exc: BaseException) -> None:
    """Let go of the database a failed load was writing, before its folder is removed.

    pyoxigraph closes a database only when the last reference to its ``Store`` goes, and the
    frames in ``exc``'s traceback (the load, the check, the compaction) still hold the writer.
    While it is open, RocksDB's own threads may write into the folder that is being removed,
    so the removal can leave it behind (a refused first load left an empty store folder).
    Clearing the finished frames' locals drops those references (only this exception's: an
    exception it arose while handling may belong to the caller, whose locals are theirs).
    """
    traceback.clear_frames(exc.__traceback__)


def _disk_error(exc: OSError) -> StoreError:
    """A failure to write the store's files (a full disk) as a one-line environment error."""

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


def _checked_finish(
    writer: ox.Store, loads: Sequence[GraphLoad], clock: _Clock, check: Check | None
) -> dict[str, int]:
    """:func:`_finish`, with ``check`` run beside it (the check is Python over the records the
    reader made; compaction and counting run in Rust without the GIL, so the two share the
    cores).  A check that raises refuses the load all the same: nothing is published until
    both are done."""
    if check is None:
        return _finish(writer, loads, clock)
    with ThreadPoolExecutor(max_workers=1) as pool:
        checking = pool.submit(check, writer)
        try:
            counts = _finish(writer, loads, clock)
        finally:
            checking.result()  # the check's refusal, if any, wins over a compaction error
    clock.lap("check")
    return counts
