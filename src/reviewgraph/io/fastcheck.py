"""Check Turtle and N-Triples loaded by the engine itself, before the load is published.

``load`` hands large Turtle and N-Triples files straight to Oxigraph, without reading them
through the models (a million triples load in seconds that way).  So that such a load cannot
poison the store, :func:`check_new_graphs` runs a few SPARQL queries over the generation
being built, before it is published: every item's class is one reviewgraph knows, each
item has its required fields, no identifier is defined in two files, and every reference
resolves.  Each problem names the file and the item.  Value checks (dates, concepts, text
limits) still need ``--validate``, which reads every file through the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reviewgraph.errors import DataError, DuplicateIdError, Location, UnknownReferenceError

__all__ = ["MAX_PROBLEMS", "check_new_graphs"]

MAX_PROBLEMS = 50
"""At most this many problems are reported for one load (each query stops there)."""

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@lru_cache(maxsize=1)
def _schema() -> tuple[dict[str, list[tuple[str, str]]], dict[str, str], set[str]]:
    """Item classes with their required single-valued fields (name, predicate), the
    reference predicates (with a field name), and every class of the models and the
    ontology."""
    from reviewgraph import models
    from reviewgraph.rdf.mapping import field_specs

    required: dict[str, list[tuple[str, str]]] = {}
    references: dict[str, str] = {}
    classes: set[str] = set()
    nodes = [getattr(models, n) for n in dir(models)]
    for model in nodes:
        if not (isinstance(model, type) and issubclass(model, models.Node)):
            continue
        rdf_type = getattr(model, "rdf_type", None)
        if rdf_type is None:
            continue
        classes.add(str(rdf_type))
        specs = field_specs(model)
        for spec in specs:
            if spec.kind == "ref":
                references.setdefault(str(spec.iri), spec.name)
        if issubclass(model, models.Item):
            required[str(rdf_type)] = [
                (s.name, str(s.iri)) for s in specs if s.required and not s.many and s.name != "id"
            ]
    from rdflib import OWL, RDF, RDFS, URIRef

    from reviewgraph.vocab.ontology import load_ontology

    ontology = load_ontology()
    for kind in (OWL.Class, RDFS.Class):
        classes.update(str(c) for c in ontology.subjects(RDF.type, kind) if isinstance(c, URIRef))
    return required, references, classes


def _values(name: str, iris: Sequence[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(f'<{i}>' for i in iris)} }}"


def check_new_graphs(store: Any, graphs: dict[str, str], base: str) -> list[DataError]:
    """Problems in the named graphs ``graphs`` (IRI to file name) of a ``pyoxigraph.Store``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> g = ox.NamedNode("urn:g")
    >>> s = ox.NamedNode("https://w3id.org/reviewgraph/id/r")
    >>> rg = "https://w3id.org/reviewgraph/ns#"
    >>> store.add(ox.Quad(s, ox.NamedNode(_RDF_TYPE), ox.NamedNode(rg + "Review"), g))
    >>> [str(p) for p in check_new_graphs(store, {"urn:g": "r.nt"}, "https://w3id.org/reviewgraph/id/")]
    ['r.nt: r: title is required']
    """
    if not graphs:
        return []
    import pyoxigraph as ox

    required, references, classes = _schema()
    rg = "https://w3id.org/reviewgraph/ns#"
    problems: list[DataError] = []

    def run(query: str) -> list[Any]:
        result = store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return list(result)

    def where(graph: Any, subject: Any) -> tuple[Location, str | None]:
        file = graphs.get(graph.value, graph.value)
        value = subject.value if isinstance(subject, ox.NamedNode) else None
        item = value.removeprefix(base) if value is not None else None
        return Location(file), item

    in_new = _values("g", sorted(graphs))
    # an unknown class in the project's namespace
    known = ", ".join(f"<{c}>" for c in sorted(classes))
    for row in run(
        f"SELECT ?g ?s ?c WHERE {{ {in_new} GRAPH ?g {{ ?s a ?c }} "
        f'FILTER(STRSTARTS(STR(?c), "{rg}")) FILTER(?c NOT IN ({known})) }} '
        f"LIMIT {MAX_PROBLEMS}"
    ):
        location, item = where(row["g"], row["s"])
        short = row["c"].value.removeprefix(rg)
        problems.append(DataError(f"rg:{short} is not a reviewgraph class", location, item))
    # required fields
    for cls, fields in sorted(required.items()):
        if not fields or len(problems) >= MAX_PROBLEMS:
            continue
        lacking = " || ".join(
            f"NOT EXISTS {{ GRAPH ?g {{ ?s <{pred}> ?o{n} }} }}"
            for n, (_, pred) in enumerate(fields)
        )
        for row in run(
            f"SELECT ?g ?s WHERE {{ {in_new} GRAPH ?g {{ ?s a <{cls}> }} FILTER({lacking}) }} "
            f"LIMIT {MAX_PROBLEMS}"
        ):
            location, item = where(row["g"], row["s"])
            graph, subject = row["g"].value, row["s"].value
            have = {
                r["p"].value
                for r in run(
                    f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ <{subject}> ?p ?o }} }}"
                )
            }
            for name, pred in fields:
                if pred not in have:
                    problems.append(DataError(f"{name} is required", location, item))
    # an identifier defined in two files (or in a file and the store)
    for row in run(
        f"SELECT ?g ?s (MIN(STR(?h)) AS ?other) WHERE {{ {in_new} GRAPH ?g {{ ?s a ?c }} "
        f"GRAPH ?h {{ ?s a ?d }} FILTER(?h != ?g) "
        f"FILTER(STR(?g) > STR(?h) || ?h NOT IN ({', '.join(f'<{g}>' for g in sorted(graphs))})) "
        f'FILTER(STRSTARTS(STR(?c), "{rg}")) FILTER(STRSTARTS(STR(?d), "{rg}")) }} '
        f"GROUP BY ?g ?s LIMIT {MAX_PROBLEMS}"
    ):
        location, item = where(row["g"], row["s"])
        problems.append(
            DuplicateIdError(
                f"the id is already defined in graph <{row['other'].value}>", location, item
            )
        )
    # references that resolve to nothing
    preds = _values("p", sorted(references))
    for row in run(
        f"SELECT ?g ?s ?p ?o WHERE {{ {in_new} {preds} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ ?o a ?t }} }} LIMIT {MAX_PROBLEMS}"
    ):
        location, item = where(row["g"], row["s"])
        target = (
            row["o"].value.removeprefix(base)
            if isinstance(row["o"], ox.NamedNode)
            else str(row["o"])
        )
        name = references[row["p"].value]
        problems.append(
            UnknownReferenceError(
                f"{name} refers to {target!r}, which neither the files nor the store define",
                location,
                item,
            )
        )
    return problems[:MAX_PROBLEMS]
