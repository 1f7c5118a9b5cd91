"""Run the shipped SHACL shapes over a dataset: in chunks of items, side by side, in bounded
memory, with the shapes' SPARQL-based constraints run once over the whole dataset.

pyshacl spends about 100 µs per triple.  ``validate`` therefore writes the dataset as RDF a
chunk of items at a time (:data:`CHUNK_ITEMS`), and runs pyshacl on each chunk in a pool of
one process per core.  No shape path leaves an item and its blank nodes except through a
reference, and the only thing a shape asks of a referenced item is its class (``sh:class``),
so a chunk holds its items' triples and the ``rdf:type`` of every item they refer to; results
about those referenced items are dropped, since each is checked in its own chunk.  The
SPARQL-based constraints do follow references (a stance's review, a link's two ends), so they
run once, in bulk (:class:`BulkConstraint`), on an Oxigraph store in memory that the chunks'
triples are loaded into.  ``tests/test_shacl.py`` holds the proofs: chunks of one item agree
with pyshacl over the whole graph, and the bulk constraints agree with pyshacl's own runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from reviewgraph.models import Dataset, Item

__all__ = ["CHUNK_ITEMS", "BulkConstraint", "Result", "check_dataset", "check_graph"]

CHUNK_ITEMS = 10_000
"""The most items in a chunk (about 100,000 triples, some 150 MB in a worker).  Smaller chunks
cost more: each also holds, and pyshacl also checks, the items its own items refer to (2,000
items a chunk took 17% more CPU time than 10,000 on 25 MB of N-Triples)."""

Result = tuple[str, str, bool]
"""One SHACL result: the item it is about (or the node, when no item owns it), the shape's
message, and whether it is only a warning."""


@dataclass(frozen=True)
class BulkConstraint:
    """A SPARQL-based constraint of the shapes, as one query over all its focus nodes.

    pyshacl runs a SPARQL-based constraint once per focus node and parses its query again each
    time: at 200,000 triples, 80% of ``validate`` went to parsing the same queries.  A
    constraint whose shape is reached only through ``sh:targetClass`` (no other target, and no
    shape refers to it) has as focus nodes exactly the instances of those classes, so joining
    its query, with ``$this`` left free, to ``?this a ?class`` gives the same solutions as
    pre-binding ``$this`` to each of them in turn.
    """

    query: str
    message: str
    warning: bool


_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _prefixes(shapes: Graph, constraint: Any) -> str:
    lines = []
    for declarations in shapes.objects(constraint, SH.prefixes):
        for declare in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declare, SH.prefix)
            namespace = shapes.value(declare, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(lines))


def _targeted(shapes: Graph, shape: Any) -> list[Any]:
    """The classes of a shape reached only through ``sh:targetClass`` (empty otherwise)."""
    if any(shapes.value(shape, t) is not None for t in _TARGETS):
        return []
    return sorted(shapes.objects(shape, SH.targetClass), key=str)


def _parents(shapes: Graph, shape: Any) -> list[tuple[list[Any], URIRef, Any]] | None:
    """For a shape reached from property shapes through ``sh:node`` alone: each such property
    shape's node shape's classes, path and property shape (``[]`` if nothing refers to it;
    ``None`` if something else does, or a parent is not a top-level shape)."""
    found = []
    for referrer, link in shapes.subject_predicates(shape):
        path = shapes.value(referrer, SH.path)
        owners = list(shapes.subjects(SH.property, referrer))
        if link != SH.node or not isinstance(path, URIRef) or len(owners) != 1:
            return None
        classes = _targeted(shapes, owners[0])
        if not classes or next(shapes.subjects(None, owners[0]), None) is not None:
            return None
        found.append((classes, path, referrer))
    return sorted(found, key=lambda f: (str(f[1]), str(f[0])))


def _query(prefixes: str, classes: list[Any], inner: str, via: URIRef | None = None) -> str:
    """One query for a constraint over all instances of ``classes``; with ``via``, over every
    instance's values on that path (``$this`` is then the value, and ``?this`` the instance)."""
    values = " ".join(f"<{c}>" for c in classes)
    head = f"  VALUES ?class {{ {values} }}\n  ?this a/<{RDFS.subClassOf}>* ?class .\n"
    if via is None:
        body = re.sub(r"\$this\b", "?this", inner)
    else:
        head += f"  ?this <{via}> ?rg_shacl_value .\n"
        body = re.sub(r"[$?]this\b", "?rg_shacl_value", inner)
    return f"{prefixes}SELECT ?this WHERE {{\n{head}  {{ {body} }}\n}}"


@cache
def split_shapes() -> tuple[Graph, tuple[BulkConstraint, ...]]:
    """The shapes for pyshacl, without the SPARQL-based constraints that run in bulk, and
    those constraints.

    A constraint runs in bulk when its shape is reached only through ``sh:targetClass``, or,
    besides that, through ``sh:node`` from property shapes of such shapes.  In the second case
    the failure of a node is also a failure of each node that refers to it on that path,
    reported with the property shape's message, as pyshacl reports a failed ``sh:node``; that
    is a bulk constraint too.

    Examples
    --------
    >>> core, bulk = split_shapes()
    >>> [b.message for b in bulk]  # doctest: +NORMALIZE_WHITESPACE
    ['A blanket stance lists a recommendation of another review than its own.',
     "A response's blanket must be a well-formed blanket stance.",
     "A link's later end is dated before its earlier end.",
     'A stance is dated before the review it answers was published.',
     'A status claim is asserted before the commitment it is about was made.']
    """
    from reviewgraph.vocab.ontology import load_shapes

    shapes = load_shapes()
    core = Graph()
    for triple in shapes:
        core.add(triple)
    bulk = []
    for shape, constraint in sorted(
        shapes.subject_objects(SH.sparql), key=lambda pair: str(pair[0])
    ):
        classes = _targeted(shapes, shape)
        select = shapes.value(constraint, SH.select)
        parents = _parents(shapes, shape)
        if (
            not classes
            or select is None
            or parents is None
            or shapes.value(constraint, SH.deactivated) == Literal(True)
        ):
            continue  # pyshacl runs it, node by node
        core.remove((shape, SH.sparql, constraint))
        prefixes = _prefixes(shapes, constraint)
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        bulk.append(
            BulkConstraint(
                _query(prefixes, classes, str(select)),
                str(message or "breaks a shape"),
                shapes.value(shape, SH.severity) == SH.Warning,
            )
        )
        for parent_classes, path, prop in parents:
            bulk.append(
                BulkConstraint(
                    _query(prefixes, parent_classes, str(select), via=path),
                    str(shapes.value(prop, SH.message) or "breaks a shape"),
                    shapes.value(prop, SH.severity) == SH.Warning,
                )
            )
    return core, tuple(bulk)


def _owner(graph: Graph, node: Any, base: str) -> str:
    """The id of the item whose blank nodes lead to ``node`` (or the node itself, as text)."""
    seen = set()
    start = node
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        node = next(graph.subjects(None, node), None)
    if isinstance(node, URIRef) and node.startswith(base):
        return node[len(base) :]
    return str(start)


def _core_results(graph: Graph, base: str) -> Iterator[Result]:
    """pyshacl's results for ``graph`` against the shapes without the bulk constraints."""
    import pyshacl

    core, _ = split_shapes()
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=core,
        advanced=True,
        allow_warnings=True,
        inference="none",
        inplace=True,  # the graph is ours, and no shape adds to it
    )
    for result in results.subjects(RDF.type, SH.ValidationResult):
        yield (
            _owner(graph, results.value(result, SH.focusNode), base),
            str(results.value(result, SH.resultMessage) or "breaks a shape"),
            results.value(result, SH.resultSeverity) == SH.Warning,
        )


def _store_owner(store: Any, node: Any, base: str) -> str:
    """The id of the item whose blank nodes lead to ``node`` in an Oxigraph store."""
    import pyoxigraph as ox

    seen = set()
    start = node
    while isinstance(node, ox.BlankNode) and node not in seen:
        seen.add(node)
        node = next((q.subject for q in store.quads_for_pattern(None, None, node)), None)
    if isinstance(node, ox.NamedNode) and node.value.startswith(base):
        return str(node.value[len(base) :])
    return str(start.value if hasattr(start, "value") else start)


def _bulk_results(store: Any, base: str) -> Iterator[Result]:
    """The bulk constraints' results on an Oxigraph store holding the whole dataset."""
    for constraint in split_shapes()[1]:
        for row in store.query(constraint.query):
            yield (_store_owner(store, row[0], base), constraint.message, constraint.warning)


def check_graph(graph: Graph, base: str) -> list[Result]:
    """Every SHACL result of one graph (not chunked).

    Examples
    --------
    >>> from reviewgraph.models import Body
    >>> from reviewgraph.rdf.mapping import to_graph
    >>> from reviewgraph.vocab.namespaces import BASE_IRI
    >>> check_graph(to_graph(Dataset(bodies=(Body(id="dhsc", name="DHSC"),))), BASE_IRI)
    []
    """
    import pyoxigraph as ox

    from reviewgraph.vocab.ntriples import write_triples

    store = ox.Store()
    store.bulk_load(write_triples(graph), format=ox.RdfFormat.N_TRIPLES)
    return [*_core_results(graph, base), *_bulk_results(store, base)]


# --------------------------------------------------------------------------- chunks

_WORK: tuple[list[list[Item]], list[list[str]], dict[str, URIRef], str, str | None] | None = None
"""What the workers read, set before the pool forks: the chunks, each chunk's side-table
lines, each item's class, the base and the language."""


def _check_chunk(index: int) -> tuple[list[Result], bytes]:
    """Check chunk ``index`` of :data:`_WORK`: its results, and its own triples (N-Triples)."""
    from reviewgraph.rdf.mapping import _parse_ntriple, _Writer
    from reviewgraph.vocab.ntriples import write_triples

    assert _WORK is not None
    chunks, extras, class_of, base, language = _WORK
    graph = Graph()
    writer = _Writer(graph, base, language)
    for item in chunks[index]:
        writer.item(item)
    for line in extras[index]:
        graph.add(_parse_ntriple(line))
    own = write_triples(graph)
    mine = {item.id for item in chunks[index]}
    referred = {
        o[len(base) :]
        for o in graph.objects()
        if isinstance(o, URIRef) and o.startswith(base) and o[len(base) :] not in mine
    }
    for item_id in referred:
        if item_id in class_of:
            graph.add((URIRef(base + item_id), RDF.type, class_of[item_id]))
    found = [r for r in _core_results(graph, base) if r[0] in mine or r[0] not in class_of]
    return found, own


def _chunks(
    dataset: Dataset, size: int, parts: int, base: str
) -> tuple[list[list[Item]], list[list[str]]]:
    """The items in runs of equal length: at least four times ``parts`` of them, none over
    ``size`` items, each with the side-table lines about its items.  Runs, not items dealt in
    turn, so that a chunk refers to few items outside it (dealt in turn cost 35% more CPU
    time); many runs, so that the workers share out the kinds pyshacl is slow on, and the
    store is filled while they work."""
    items = dataset.items()
    count = max(4 * parts, -(-len(items) // size))
    step = max(1, -(-len(items) // count))
    chunks = [items[i : i + step] for i in range(0, len(items), step)] or [[]]
    chunk_of = {item.id: n for n, chunk in enumerate(chunks) for item in chunk}
    extras: list[list[str]] = [[] for _ in chunks]
    for line in dataset.extra_triples:  # with the item it is about, if any
        subject = line.split(" ", 1)[0]
        item_id = subject[1 + len(base) : -1] if subject.startswith("<" + base) else ""
        extras[chunk_of.get(item_id, 0)].append(line)
    return chunks, extras


def check_dataset(
    dataset: Dataset,
    base: str,
    *,
    chunk_items: int = CHUNK_ITEMS,
    workers: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> list[Result]:
    """Every SHACL result of ``dataset``, checked in chunks of ``chunk_items`` items.

    Parameters
    ----------
    dataset : Dataset
        The items.
    base : str
        The IRI base of identifiers.
    chunk_items : int
        Items per chunk.
    workers : int, optional
        Processes to check chunks in (by default one per core; one chunk is checked here).
    progress : callable, optional
        Called with the number of chunks done and the number in all, after each chunk.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.vocab.namespaces import BASE_IRI
    >>> check_dataset(demo_dataset(), BASE_IRI, chunk_items=3, workers=1)
    []
    """
    import pyoxigraph as ox

    global _WORK
    processes = workers or os.cpu_count() or 1
    chunks, extras = _chunks(dataset, chunk_items, processes, base)
    class_of = {item.id: item.rdf_type for item in dataset.items()}
    store = ox.Store()
    found: list[Result] = []
    _WORK = (chunks, extras, class_of, base, dataset.language)
    try:
        for done, (results, own) in enumerate(_run(len(chunks), processes), start=1):
            found += results
            store.bulk_load(own, format=ox.RdfFormat.N_TRIPLES)
            if progress is not None:
                progress(done, len(chunks))
    finally:
        _WORK = None
    found += _bulk_results(store, base)
    return found


def _run(count: int, workers: int) -> Iterable[tuple[list[Result], bytes]]:
    processes = min(workers, count)
    if processes <= 1:
        yield from map(_check_chunk, range(count))
        return
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")  # the workers read _WORK as it stands
    except ValueError:  # no fork (Windows): one chunk after another, here
        yield from map(_check_chunk, range(count))
        return
    with context.Pool(processes) as pool:
        yield from pool.imap_unordered(_check_chunk, range(count))
