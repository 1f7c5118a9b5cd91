"""Check Turtle and N-Triples loaded by the engine itself, before the load is published.

``load`` hands large Turtle and N-Triples files straight to Oxigraph, without reading them
through the models (a million triples load in seconds that way).  While the engine loads a
file, the one reader (:func:`reviewgraph.rdf.reader.read_triples`) reads the same file into
records on the other core, for the analysis index; :func:`check_records` checks those records
before the load is published, so that such a load cannot poison the store: every item's class
is one reviewgraph knows, each item has its required fields, no identifier is defined in two
files (or in a file and the store), and every reference resolves.  Each problem names the file
and the item.  Value checks (dates, concepts, text limits) still need ``--validate``, which
reads every file through the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewgraph.errors import DataError, DuplicateIdError, Location, UnknownReferenceError

__all__ = ["MAX_PROBLEMS", "ReadFile", "check_records"]

MAX_PROBLEMS = 50
"""At most this many problems are reported for one load."""

_RG = "https://w3id.org/reviewgraph/ns#"


@dataclass
class ReadFile:
    """One engine-loaded file as the reader saw it: its graph's records, and the classes in
    the project's namespace that its items were typed with."""

    file: str
    graph: str
    facts: Any
    types: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _classes() -> frozenset[str]:
    """Every class the models and the ontology know."""
    import pyoxigraph as ox

    from reviewgraph.rdf.mapping import _model_classes
    from reviewgraph.vocab.resources import ontology_file

    known = {str(model.rdf_type) for model in _model_classes()}
    data = ontology_file("reviewgraph.ttl").read_bytes()
    classes = {"http://www.w3.org/2002/07/owl#Class", "http://www.w3.org/2000/01/rdf-schema#Class"}
    for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
        if t.predicate.value.endswith("#type") and t.object.value in classes:
            known.add(t.subject.value)
    return frozenset(known)


def _required(model: Any) -> list[tuple[int, str]]:
    from reviewgraph.rdf.mapping import field_specs
    from reviewgraph.rdf.records import record_class

    names = record_class(model).fields
    wanted = {s.name for s in field_specs(model) if s.required and not s.many}
    return [(i, n) for i, n in enumerate(names) if n in wanted]


def check_records(
    files: Iterable[ReadFile],
    defined_elsewhere: Callable[[Iterable[str]], Mapping[str, set[str]]],
    *,
    defined_in_batch: Iterable[str] = (),
) -> list[DataError]:
    """Problems in the records of engine-loaded files.

    Parameters
    ----------
    files : iterable of ReadFile
        What the reader read from each file.
    defined_elsewhere : callable
        Given ids, the graphs of the store (other than those being replaced) that define
        each; only ids missing from the batch are asked about.
    defined_in_batch : iterable of str
        Ids the other files of the load (YAML, CSV, JSON-LD) define.

    Examples
    --------
    >>> from reviewgraph.rdf.reader import read_triples
    >>> rg, idb = "https://w3id.org/reviewgraph/ns#", "https://w3id.org/reviewgraph/id/"
    >>> triples = [(idb + "r", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", rg + "Review")]
    >>> read = ReadFile("r.nt", "urn:g", read_triples(triples))
    >>> [str(p) for p in check_records([read], lambda ids: {})]
    ['r.nt: r: title is required']
    """
    from reviewgraph.io.files import references
    from reviewgraph.models import ITEM_TYPES

    files = list(files)
    known = _classes()
    problems: list[DataError] = []
    where: dict[str, tuple[str, str]] = {}  # id -> (file, graph)
    for read in files:
        loc = Location(read.file)
        for item, type_iri in read.types:
            if type_iri.startswith(_RG) and type_iri not in known:
                short = type_iri.removeprefix(_RG)
                problems.append(DataError(f"rg:{short} is not a reviewgraph class", loc, item))
        for name, model in ITEM_TYPES.items():
            required = _required(model)
            for record in getattr(read.facts, name):
                for i, field_name in required:
                    if record[i] is None:
                        problems.append(DataError(f"{field_name} is required", loc, record.id))
                first = where.get(record.id)
                if first is not None:
                    problems.append(
                        DuplicateIdError(
                            f"the id is already defined in graph <{first[1]}>", loc, record.id
                        )
                    )
                else:
                    where[record.id] = (read.file, read.graph)
    batch = set(where) | set(defined_in_batch)
    elsewhere = defined_elsewhere(sorted(where))
    for item_id, graphs in sorted(elsewhere.items()):
        if graphs and item_id in where:
            file = where[item_id][0]
            problems.append(
                DuplicateIdError(
                    f"the id is already defined in graph <{sorted(graphs)[0]}>",
                    Location(file),
                    item_id,
                )
            )
    missing: dict[str, list[tuple[str, str, str]]] = {}
    for read in files:
        for name in ITEM_TYPES:
            for record in getattr(read.facts, name):
                for field_name, ref in references(record):
                    if ref not in batch:
                        missing.setdefault(ref, []).append((read.file, record.id, field_name))
    found = defined_elsewhere(sorted(missing)) if missing else {}
    for ref, users in sorted(missing.items()):
        if found.get(ref):
            continue
        for file, item_id, field_name in users:
            problems.append(
                UnknownReferenceError(
                    f"{field_name} refers to {ref!r}, which neither the files nor the store define",
                    Location(file),
                    item_id,
                )
            )
    return problems[:MAX_PROBLEMS]
