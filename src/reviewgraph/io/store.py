"""Load files into a store: one named graph per file, all or nothing.

YAML, CSV and JSON-LD files are read with reviewgraph's own loader (models, identifiers,
references, file and line in every message) and written with
:func:`reviewgraph.rdf.mapping.to_graph`.
N-Triples and Turtle files take the fast path: the engine parses them itself and nothing is
built in Python (``validate=True`` reads them through the models as well, to check them).
Each file's triples go into its own named graph, named by :func:`graph_iri`, so that
``replace=True`` swaps an edited file's triples without leaving stale ones.

Reading a store back (:func:`read_facts`, :func:`read_store`, ...) is
:mod:`reviewgraph.io.storeread`; its names are importable from here as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote, urlsplit

from reviewgraph.collector import with_fewer_collections
from reviewgraph.errors import (
    DataError,
    DuplicateIdError,
    Location,
    UnknownReferenceError,
    ValidationFailed,
)
from reviewgraph.io.storeread import item_counts, read_facts, read_store, read_store_located
from reviewgraph.stores.base import (
    ANNOTATIONS_GRAPH,
    GraphExistsError,
    Store,
    StoreError,
    Term,
    values_rows,
)
from reviewgraph.stores.endpoint import DEFAULT_DATASET
from reviewgraph.stores.oxload import GraphLoad
from reviewgraph.vocab.constants import ANNOTATION_PREDICATES, BASE_IRI
from reviewgraph.vocab.ntriples import write_triples as ntriples

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.io.authoring import Collected
    from reviewgraph.models import Dataset, Item

__all__ = [
    "DEFAULT_DATASET",
    "LoadReport",
    "LoadedGraph",
    "add_dataset",
    "graph_iri",
    "item_counts",
    "load_files",
    "ntriples",
    "read_facts",
    "read_store",
    "read_store_located",
]


_FAST = {".nt": "nt", ".ttl": "ttl"}
_CHUNK = 400


class _Writable(Protocol):
    def _apply(self, loads: Sequence[GraphLoad], *, bulk: bool = False) -> dict[str, int]: ...


@dataclass(frozen=True)
class LoadedGraph:
    """One file loaded: where from, into which graph, how many triples, and whether it
    replaced an earlier load of the same file."""

    file: str
    graph: str
    triples: int
    replaced: bool


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_files` did."""

    store: str
    graphs: tuple[LoadedGraph, ...]
    seconds: float
    validated: bool
    bulk: bool

    @property
    def triples(self) -> int:
        """The number of triples loaded (over every file)."""
        return sum(g.triples for g in self.graphs)

    def __str__(self) -> str:
        how = " (bulk, not atomic)" if self.bulk else ""
        return (
            f"loaded {len(self.graphs)} file(s), {self.triples:,} triples, into "
            f"{self.store} in {self.seconds:.1f} s{how}"
        )


def graph_iri(path: str | Path, base: str | None = None, name: str | None = None) -> str:
    """The IRI of the named graph that holds a file's triples.

    By default the file's ``file:`` URI (of its absolute path), so it is the same from any
    working folder.  With ``base`` (a shared endpoint's ``--graph``, the dataset IRI),
    ``base`` followed by ``name``: the file's path relative to the folder given, starting
    with that folder's own name (``seeds/kark-2019.yaml``), or the file's name for a file
    given by itself (see :func:`relative_names`).  Never a local absolute path.

    Raises
    ------
    StoreError
        If ``base`` is not an absolute IRI.

    Examples
    --------
    >>> graph_iri("/data/kark.yaml")
    'file:///data/kark.yaml'
    >>> graph_iri("/data/kark.yaml", "https://example.org/reviews/", "data/kark.yaml")
    'https://example.org/reviews/data/kark.yaml'
    """
    resolved = Path(path).resolve()
    if base is None:
        return resolved.as_uri()
    if not urlsplit(base).scheme or any(c in base for c in ' <>"{}|^`\\'):
        raise StoreError(f"{base!r} is not an absolute IRI")
    if not base.endswith(("/", "#")):
        base += "/"
    return base + quote(name or resolved.name, safe="/-._~")


def relative_names(paths: Sequence[str | Path]) -> dict[Path, str]:
    """Each data file under ``paths`` with its name relative to the folder given (that
    folder's name first), or its own name for a file given by itself.

    Raises
    ------
    InputError
        If two files would get the same name.

    Examples
    --------
    >>> from reviewgraph.vocab.resources import seeds_path
    >>> names = relative_names([seeds_path()])
    >>> names[(seeds_path() / "kark-2019.yaml").resolve()]
    'seeds/kark-2019.yaml'
    """
    from reviewgraph.errors import InputError
    from reviewgraph.io.files import display_name, find_files

    names: dict[Path, str] = {}
    taken: dict[str, Path] = {}
    for given in paths:
        top = Path(given).resolve()
        for found in find_files([given]):
            file = found.resolve()
            name = f"{top.name}/{file.relative_to(top).as_posix()}" if top.is_dir() else file.name
            if taken.get(name, file) != file:
                raise InputError(
                    f"two files would share the graph name {name!r} "
                    f"(also {display_name(taken[name])}): load them under different --graph IRIs",
                    Location(display_name(file)),
                )
            taken[name] = file
            names.setdefault(file, name)
    return names


# --------------------------------------------------------------------------- N-Triples


@cache
def _annotation_triples() -> bytes:
    """The ontology's annotations that the named queries read, as N-Triples.

    The same triples as :func:`reviewgraph.sparql.named.query_graph` adds, read from the ontology
    by Oxigraph's parser: milliseconds, where importing :mod:`reviewgraph.sparql.named` and parsing
    the ontology with rdflib cost about 0.3 s of every load in a new process.

    >>> from reviewgraph.sparql.named import _ANNOTATIONS
    >>> sorted(ANNOTATION_PREDICATES) == sorted(str(p) for p in _ANNOTATIONS)
    True
    """
    import pyoxigraph as ox

    from reviewgraph.stores.oxquery import ox_plain
    from reviewgraph.vocab.ntriples import write_plain
    from reviewgraph.vocab.resources import ontology_file

    wanted = set(ANNOTATION_PREDICATES)
    ontology = ontology_file("reviewgraph.ttl").read_bytes()
    triples = [
        (ox_plain(t.subject), t.predicate.value, ox_plain(t.object))
        for t in ox.parse(ontology, format=ox.RdfFormat.TURTLE)
        if t.predicate.value in wanted
    ]
    nt = write_plain
    return "".join(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in triples).encode("utf-8")


def _annotations() -> GraphLoad:
    return GraphLoad(ANNOTATIONS_GRAPH, "(ontology annotations)", data=_annotation_triples())


# --------------------------------------------------------------------------- checks


def _where_defined(store: Store, ids: Iterable[str], base: str) -> dict[str, set[str]]:
    """For each identifier, the graphs of the store in which it is typed (``a ?class``)."""
    from reviewgraph.rdf.mapping import item_iri

    found: dict[str, set[str]] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = [Term(str(item_iri(i, base))) for i in wanted[start : start + _CHUNK]]
        query = (
            "SELECT DISTINCT ?s ?g WHERE { "
            + values_rows("s", chunk)
            + " GRAPH ?g { ?s a ?class } }"
        )
        for row in store.select(query):
            iri, graph = str(row["s"]), str(row["g"])
            found.setdefault(iri[len(base) :], set()).add(graph)
    return found


def _check(
    store: Store,
    items: Sequence[Item],
    locations: dict[str, Location],
    replacing: set[str],
    base: str,
    existing: set[str],
    occurrences: dict[str, list[Location]] | None = None,
) -> list[DataError]:
    """Duplicate identifiers and unresolved references, against the batch and the store; a
    duplicate is reported where it was written again (``occurrences``)."""
    from reviewgraph.io.files import check_references, references

    problems = [
        p
        for p in check_references(items, locations, occurrences)
        if not isinstance(p, UnknownReferenceError)
    ]
    defined = {item.id for item in items}
    missing: dict[str, list[tuple[Item, str]]] = {}
    for item in items:
        for name, ref in references(item):
            if ref not in defined:
                missing.setdefault(ref, []).append((item, name))
    elsewhere: dict[str, set[str]] = {}
    if existing - replacing - {ANNOTATIONS_GRAPH}:
        elsewhere = _where_defined(store, [*defined, *missing], base)
    for ref, users in sorted(missing.items()):
        if elsewhere.get(ref, set()) - replacing - {ANNOTATIONS_GRAPH}:
            continue
        for item, name in users:
            problems.append(
                UnknownReferenceError(
                    f"{name} refers to {ref!r}, which neither the files nor the store define",
                    locations.get(item.id),
                    item=item.id,
                )
            )
    for item in items:
        others = elsewhere.get(item.id, set()) - replacing - {ANNOTATIONS_GRAPH}
        if others:
            problems.append(
                DuplicateIdError(
                    f"the id is already defined in the store (graph <{sorted(others)[0]}>)",
                    locations.get(item.id),
                    item=item.id,
                )
            )
    return problems


# --------------------------------------------------------------------------- loading


@dataclass
class _Read:
    """One file read through the models."""

    path: Path
    name: str
    collected: Collected


def _read(
    path: Path, *, max_mb: float, base: str, encoding: str, columns: dict[str, str] | None
) -> _Read:
    from reviewgraph.io.authoring import Collected
    from reviewgraph.io.files import display_name, read_file

    collected = Collected()
    read_file(path, collected, max_mb=max_mb, base=base, encoding=encoding, columns=columns)
    return _Read(path, display_name(path), collected)


def _file_dataset(read: _Read, real_bodies: set[str]) -> Dataset:
    from reviewgraph.models import ITEM_TYPES, Dataset

    fields: dict[str, Any] = {name: list(read.collected.items[name]) for name in ITEM_TYPES}
    for body_id, body in read.collected.placeholders.items():
        if body_id not in real_bodies:
            fields["bodies"].append(body)
            real_bodies.add(body_id)
    fields = {k: tuple(v) for k, v in fields.items()}
    return Dataset(**fields, extra_triples=tuple(read.collected.extra))


def _existing_dataset(store: Store, replacing: set[str], base: str) -> Dataset:
    return read_store(store, base, exclude=sorted(replacing))


def _validate(
    store: Store,
    reads: Sequence[_Read],
    batch: Dataset,
    locations: dict[str, Location],
    replacing: set[str],
    *,
    as_of: date | None,
    base: str,
) -> None:
    from reviewgraph.io.files import Loaded
    from reviewgraph.validate import validate_dataset

    others = set(store.graph_names()) - replacing - {ANNOTATIONS_GRAPH}
    whole = batch.merge(_existing_dataset(store, replacing, base)) if others else batch
    loaded = Loaded(whole, locations, tuple(r.name for r in reads))
    report = validate_dataset(loaded, as_of=as_of, base=base)
    if report.violations:
        problems: list[DataError] = []
        for p in report.violations:
            file, _, line = p.location.rpartition(":")
            where = (
                Location(file, int(line))
                if line.isdigit()
                else (Location(p.location) if p.location else None)
            )
            problems.append(DataError(p.message, where, item=p.item or None))
        raise ValidationFailed(problems)


@with_fewer_collections
def load_files(
    store: Store,
    paths: Iterable[str | Path] = (),
    *,
    validate: bool = False,
    replace: bool = False,
    bulk: bool = False,
    as_of: date | None = None,
    base: str = BASE_IRI,
    graph_base: str | None = None,
    max_mb: float | None = None,
    encoding: str = "utf-8",
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
    columns: Mapping[str, str] | str | Path | None = None,
    with_seeds: bool = False,
) -> LoadReport:
    """Load files and folders into a store, each file into its own named graph.

    The load is atomic: if any file cannot be read, breaks the model, refers to an item
    that neither the files nor the store define, or (with ``validate``) breaks a shape, the
    store is left as it was.  On Oxigraph on disk this holds even if the process is killed.

    Parameters
    ----------
    store : Store
        A writable store (``open_store(..., writable=True)``, or an endpoint with an update
        or Graph Store Protocol URL).
    paths : iterable of str or Path
        Files and folders (YAML, CSV, Turtle, N-Triples, JSON-LD); none means the bundled
        seeds.
    validate : bool
        Check the models and the SHACL shapes (over the whole store as it would be) first.
    replace : bool
        Replace the triples of files loaded before; without it, loading a file again is an
        error.
    bulk : bool
        The fast, non-atomic path: on Oxigraph on disk, write into the current database in
        place with the bulk loader; on an endpoint, one Graph Store Protocol request per
        file.  A failure part-way leaves the files before it loaded.
    as_of : date, optional
        "Today" for the validation rule that events may not lie in the future.
    base : str
        The IRI base of item identifiers.
    graph_base : str, optional
        Name graphs under this IRI (see :func:`graph_iri`); by default the store's own
        (an endpoint's ``graph``), else ``file:`` URIs.
    max_mb : float, optional
        Refuse a YAML, CSV or JSON-LD file larger than this (default
        :data:`reviewgraph.io.files.DEFAULT_MAX_INPUT_MB`).  N-Triples and Turtle are streamed by
        the engine and have no limit.
    encoding : str
        The text encoding of YAML and CSV files.
    columns : mapping, str or Path, optional
        Map a foreign tracker's CSV header onto the tracker table's columns, as ``--columns``
        does (:func:`reviewgraph.io.tracker.column_mapping`).
    with_seeds : bool
        Load the bundled seeds too (each seed file into its own graph), so the files can
        refer to their items.
    progress : callable, optional
        Wraps the list of files read through the models (YAML, CSV, JSON-LD, and every file
        when validating) and yields them back: a progress bar (the command line passes
        one when standard error is a terminal and the input is large).

    Returns
    -------
    LoadReport

    Raises
    ------
    InputError
        If a file cannot be read or parsed.
    ValidationFailed
        If items break the model, an identifier is used twice, a reference does not resolve,
        or (with ``validate``) a shape is broken; every problem names its file and line.
    GraphExistsError
        If a file was loaded before and ``replace`` is false.
    StoreError
        If the store is read-only.
    StoreEnvironmentError
        If the store is locked by another writer, or an endpoint does not answer.

    Examples
    --------
    >>> from reviewgraph.stores import open_store, select
    >>> store = open_store("memory")
    >>> report = load_files(store)            # the bundled seeds
    >>> report.triples > 1000
    True
    >>> query = "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/reviewgraph/ns#Review> }"
    >>> select(store, query)[0]["n"] >= 9
    True
    """
    from reviewgraph.errors import InputError
    from reviewgraph.io.files import DEFAULT_MAX_INPUT_MB, display_name, find_files
    from reviewgraph.io.tracker import column_mapping
    from reviewgraph.models import Dataset
    from reviewgraph.vocab.resources import seeds_path

    started = time.perf_counter()
    store._require_writable()
    limit = DEFAULT_MAX_INPUT_MB if max_mb is None else max_mb
    given = list(paths) or [seeds_path()]
    if with_seeds and paths:
        given = [seeds_path(), *given]
    if any(str(p) == "-" for p in given):
        raise InputError(
            "load reads files: standard input (-) cannot be loaded into a store (write it "
            "to a file first, or read it with the analysis commands and --input-format)"
        )
    mapping = column_mapping(columns)
    files = list(dict.fromkeys(p.resolve() for p in find_files(given)))
    gbase = graph_base if graph_base is not None else getattr(store, "graph_base", None)
    if gbase is None and store.kind == "endpoint":
        gbase = DEFAULT_DATASET  # never a file: URI (a local path) on a shared server
    names = relative_names(given) if gbase is not None else {}
    graph_of = {f: graph_iri(f, gbase, names.get(f)) for f in files}
    existing = set(store.graph_names())
    replacing = {g for g in graph_of.values() if g in existing}
    if replacing and not replace:
        first = next(f for f in files if graph_of[f] in existing)
        raise GraphExistsError(display_name(first), graph_of[first])

    through_models = [f for f in files if validate or f.suffix.lower() not in _FAST]
    reading = progress(through_models) if progress is not None else through_models
    reads = [_read(f, max_mb=limit, base=base, encoding=encoding, columns=mapping) for f in reading]
    datasets: dict[Path, Dataset] = {}
    if reads:
        problems = [p for r in reads for p in r.collected.problems]
        if problems:
            raise ValidationFailed(problems)
        items = [i for r in reads for name in r.collected.items for i in r.collected.items[name]]
        locations: dict[str, Location] = {}
        occurrences: dict[str, list[Location]] = {}
        for r in reads:
            for key, where in r.collected.locations.items():
                locations.setdefault(key, where)
            for key, places in r.collected.occurrences.items():
                occurrences.setdefault(key, []).extend(places)
        real = {i.id for r in reads for i in r.collected.items["bodies"]}
        minted = {b for r in reads for b in r.collected.placeholders} - real
        if minted and existing:
            for body_id, graphs_of in _where_defined(store, minted, base).items():
                if graphs_of - replacing - {ANNOTATIONS_GRAPH}:
                    real.add(body_id)  # the store defines it: no placeholder
        for r in reads:
            datasets[r.path] = _file_dataset(r, real)
        placeholders = [
            b for d in datasets.values() for b in d.bodies if b.id not in {i.id for i in items}
        ]
        problems = _check(
            store, [*items, *placeholders], locations, replacing, base, existing, occurrences
        )
        if problems:
            raise ValidationFailed(problems)
        if validate:
            batch = Dataset()
            for d in datasets.values():
                batch = batch.merge(d)
            _validate(store, reads, batch, locations, replacing, as_of=as_of, base=base)

    from reviewgraph.rdf.mapping import to_graph

    loads: list[GraphLoad] = []
    parsing: list[Any] = []
    indexes: list[Callable[[], bytes]] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for f in files:
            name = display_name(f)
            fast = _FAST.get(f.suffix.lower())
            if fast is not None:
                # the engine parses the file itself; its records are read from the same file
                # beside it, on the other core (the bulk loader releases the GIL)
                future = pool.submit(_read_file, f, fast, base, name, graph_of[f])
                parsing.append(future)
                index = _index_of(future, base)
                indexes.append(index)
                loads.append(
                    GraphLoad(graph_of[f], name, path=f, format=cast(Any, fast), index=index)
                )
            else:
                data = ntriples(to_graph(datasets[f], base))
                index = _dataset_index(datasets[f], base)
                loads.append(GraphLoad(graph_of[f], name, data=data, index=index))
        loads.append(_annotations())

        def check(engine: Any) -> None:
            """Before publishing: the records of the engine-loaded files are sound."""
            from reviewgraph.io.fastcheck import check_records

            others = existing - replacing - {ANNOTATIONS_GRAPH}

            def elsewhere(ids: Iterable[str]) -> dict[str, set[str]]:
                if not others:
                    return {}
                found = _where_defined(store, ids, base)
                new = set(graph_of.values()) | replacing | {ANNOTATIONS_GRAPH}
                return {i: g - new for i, g in found.items()}

            batch = {i.id for d in datasets.values() for i in d.items()}
            problems = check_records(
                [f.result() for f in parsing], elsewhere, defined_in_batch=batch
            )
            if problems:
                raise ValidationFailed(problems)
            for made in indexes:  # pickled here, beside compaction, which leaves a core idle
                made()

        from reviewgraph.stores.endpoint import EndpointStore
        from reviewgraph.stores.oxquery import OxigraphQueries

        # the stores whose load takes the checks of engine-parsed files (run before anything
        # is published or sent)
        if parsing and isinstance(store, OxigraphQueries | EndpointStore):
            counts = store._apply(loads, bulk=bulk, check=check)  # type: ignore[union-attr]
        else:
            counts = cast(_Writable, store)._apply(loads, bulk=bulk)
    graphs = tuple(
        LoadedGraph(load.file, load.graph, counts.get(load.graph, 0), load.graph in replacing)
        for load in loads
        if load.graph != ANNOTATIONS_GRAPH
    )
    return LoadReport(store.description, graphs, time.perf_counter() - started, validate, bulk)


def _read_file(path: Path, fmt: str, base: str, name: str, graph: str) -> Any:
    """Read an engine-loaded file into records (beside the engine's own load)."""
    from reviewgraph.io.fastcheck import ReadFile
    from reviewgraph.rdf.reader import read_triples
    from reviewgraph.stores.oxquery import parse_plain

    types: list[tuple[str, str]] = []
    facts = read_triples(parse_plain(path, fmt), base, types=types)
    return ReadFile(name, graph, facts, types)


def _index_of(future: Any, base: str) -> Callable[[], bytes]:
    """The analysis index of a file read by :func:`_read_file`, pickled on the first call.

    The load's check makes that call beside compaction (the step that leaves a core idle);
    the store asks again when it writes the index, and gets the same bytes.
    """
    from reviewgraph.rdf.records import dump_facts

    made: list[bytes] = []

    def index() -> bytes:
        if not made:
            made.append(dump_facts(future.result().facts, base))
        return made[0]

    return index


def _dataset_index(dataset: Dataset, base: str) -> Callable[[], bytes]:
    from reviewgraph.rdf.records import Facts, dump_facts

    data = dump_facts(Facts.from_dataset(dataset), base)
    return lambda: data


def add_dataset(
    store: Store, dataset: Dataset, graph: str, *, replace: bool = False, base: str = BASE_IRI
) -> int:
    """Write a dataset (models) into one named graph of a store; return its triple count.

    Raises
    ------
    GraphExistsError
        If the graph exists and ``replace`` is false.

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> from reviewgraph.stores import open_store
    >>> store = open_store("memory")
    >>> add_dataset(store, Dataset(bodies=(Body(id="dhsc", name="DHSC"),)), "urn:example:g")
    2
    """
    from reviewgraph.rdf.mapping import to_graph

    store._require_writable()
    if graph in store.graph_names() and not replace:
        raise GraphExistsError(graph, graph)
    data = ntriples(to_graph(dataset, base))
    index = _dataset_index(dataset, base)
    loads = [GraphLoad(graph, graph, data=data, index=index), _annotations()]
    return cast(_Writable, store)._apply(loads)[graph]
