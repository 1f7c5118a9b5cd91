"""Export a dataset to the formats other tools read, and write files atomically.

:data:`EXPORT_FORMATS` is the registry the command line's ``--format`` choices come from.
RDF goes through rdflib's serialisers (JSON-LD compacted with the project's context embedded,
never a remote one); the tracker table through :mod:`reviewgraph.io.tracker`; GraphML and GEXF
through networkx; DOT as plain text for Graphviz.  Every output is deterministic: the same
data gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewgraph.vocab.constants import BASE_IRI

if TYPE_CHECKING:
    from reviewgraph.models import Dataset
    from reviewgraph.stores import Store

__all__ = [
    "EXPORT_FORMATS",
    "NETWORK_FORMATS",
    "ExportFormat",
    "export_dataset",
    "export_store",
    "write_atomic",
    "write_network",
]


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path``: the same as :func:`reviewgraph.io.output.write_output`
    (atomic for a regular file, direct for a device, ``-`` for standard output).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    from reviewgraph.io.output import write_output

    write_output(path, data)


def _graph(dataset: Dataset, base: str) -> Any:
    from reviewgraph.rdf.mapping import to_graph

    return to_graph(dataset, base)


def _sorted_lines(text: str) -> bytes:
    r"""Sort the lines of N-Triples or N-Quads text.

    Lines end at ``\n`` only: ``str.splitlines`` would also cut at U+2028, U+0085 and the
    like, which a literal may hold as they are, and sort the pieces of one triple apart.

    >>> _sorted_lines('<b> <p> "x\u2028y" .\n<a> <p> "z" .\n').decode().split("\n")
    ['<a> <p> "z" .', '<b> <p> "x\u2028y" .', '']
    """
    lines = sorted(line for line in text.split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rdf(format: str) -> Callable[[Dataset, str], bytes]:
    def write(dataset: Dataset, base: str) -> bytes:
        graph = _graph(dataset, base)
        if format in ("nquads", "trig"):
            from rdflib import Dataset as RDFDataset
            from rdflib import URIRef

            from reviewgraph.vocab.namespaces import bind_prefixes

            store = RDFDataset()
            named = store.graph(URIRef(base + "graph"))
            for triple in graph:
                named.add(triple)
            bind_prefixes(store, base)
            text = store.serialize(format=format)
        elif format == "nt":
            from reviewgraph.vocab.ntriples import write_triples

            text = write_triples(graph).decode("utf-8")
        else:
            text = graph.serialize(format=format)
        if format in ("nt", "nquads"):
            return _sorted_lines(text)
        return text.encode("utf-8")

    return write


def _jsonld_flat(dataset: Dataset, base: str) -> bytes:
    from reviewgraph.vocab.resources import ontology_file

    context = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))["@context"]
    context = {**context, "rgid": base}
    graph = _graph(dataset, base)
    text: str = graph.serialize(
        format="json-ld", context=context, auto_compact=True, sort_keys=True
    )
    return (text.rstrip() + "\n").encode("utf-8")


def _jsonld(dataset: Dataset, base: str) -> bytes:
    from reviewgraph.io.jsonld import framed_jsonld

    doc = framed_jsonld(json.loads(_jsonld_flat(dataset, base)), base)
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _csv(dataset: Dataset, base: str) -> bytes:
    from reviewgraph.io.tracker import write_tracker

    return write_tracker(dataset).encode("utf-8")


def _xlsx(dataset: Dataset, base: str) -> bytes:
    from reviewgraph.io.workbook import write_workbook

    return write_workbook(dataset)


def _network(format: str) -> Callable[[Dataset, str], bytes]:
    def write(dataset: Dataset, base: str) -> bytes:
        from reviewgraph.io.projection import to_networkx

        return write_network(to_networkx(dataset, base), format)

    return write


def write_network(
    graph: Any, format: str, around: str | None = None, depth: int = 2, base: str = BASE_IRI
) -> bytes:
    """Write a NetworkX projection (:func:`~reviewgraph.io.projection.to_networkx`)
    as ``graphml``, ``gexf`` (see :mod:`reviewgraph.io.network`) or ``dot`` (see
    :mod:`reviewgraph.io.dot`; ``around`` an item, only its neighbourhood of ``depth``).

    Examples
    --------
    >>> from reviewgraph.io.projection import to_networkx
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> graph = to_networkx(demo_dataset())
    >>> "demo-pledge" in write_network(graph, "dot", around="demo-2020/1", depth=1).decode()
    True
    """
    if format == "dot":
        from reviewgraph.io.dot import dot_text

        return dot_text(graph, around=around, depth=depth, base=base)
    from reviewgraph.io.network import gexf_bytes, graphml_bytes

    if format == "graphml":
        return graphml_bytes(graph)
    if format == "gexf":
        return gexf_bytes(graph)
    raise ValueError(f"{format!r} is not a network format (graphml, gexf or dot)")


NETWORK_FORMATS = ("graphml", "gexf", "dot")
"""The export formats written from the NetworkX projection (:func:`write_network`)."""


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its file ending, media type and writer."""

    suffix: str
    media_type: str
    write: Callable[[Dataset, str], bytes]
    description: str


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_FORMATS: dict[str, ExportFormat] = {
    "ttl": ExportFormat(".ttl", "text/turtle", _rdf("turtle"), "Turtle"),
    "nt": ExportFormat(".nt", "application/n-triples", _rdf("nt"), "N-Triples, sorted"),
    "nq": ExportFormat(".nq", "application/n-quads", _rdf("nquads"), "N-Quads, one named graph"),
    "trig": ExportFormat(".trig", "application/trig", _rdf("trig"), "TriG, one named graph"),
    "jsonld": ExportFormat(
        ".jsonld",
        "application/ld+json",
        _jsonld,
        "JSON-LD, framed: reviews, recommendations, stances, commitments, claims nested",
    ),
    "xml": ExportFormat(".rdf", "application/rdf+xml", _rdf("xml"), "RDF/XML"),
    "graphml": ExportFormat(".graphml", "application/graphml+xml", _network("graphml"), "GraphML"),
    "gexf": ExportFormat(".gexf", "application/gexf+xml", _network("gexf"), "GEXF, for Gephi"),
    "csv": ExportFormat(".csv", "text/csv", _csv, "the tracker table, one row per recommendation"),
    "dot": ExportFormat(".dot", "text/vnd.graphviz", _network("dot"), "DOT, for Graphviz"),
    "xlsx": ExportFormat(".xlsx", _XLSX, _xlsx, "the workbook, one sheet per kind, lossless"),
}
"""Every export format by name (the ``--format`` choices of ``reviewgraph export``)."""


def export_dataset(
    dataset: Dataset,
    format: str,
    base: str = BASE_IRI,
    flat: bool = False,
    around: str | None = None,
    depth: int = 2,
) -> bytes:
    """Return a dataset in an export format, as bytes (``flat``: JSON-LD as one ``@graph``
    of nodes rather than framed; see :mod:`reviewgraph.io.jsonld`).

    Raises
    ------
    ValueError
        If the format is not in :data:`EXPORT_FORMATS`.

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> ds = Dataset(bodies=(Body(id="dhsc", name="DHSC"),))
    >>> len(export_dataset(ds, "nt").decode().splitlines())
    2
    """
    chosen = EXPORT_FORMATS.get(format)
    if chosen is None:
        raise ValueError(f"unknown export format {format!r} (one of {', '.join(EXPORT_FORMATS)})")
    if flat and format == "jsonld":
        return _jsonld_flat(dataset, base)
    if around is not None and format == "dot":
        from reviewgraph.io.projection import to_networkx

        return write_network(to_networkx(dataset, base), "dot", around, depth, base)
    return chosen.write(dataset, base)


def export_store(
    store: Store,
    format: str,
    base: str = BASE_IRI,
    flat: bool = False,
    around: str | None = None,
    depth: int = 2,
) -> bytes:
    """Return a store's data in an export format, the same bytes as :func:`export_dataset`
    gives for the files that were loaded into it.

    GraphML, GEXF and DOT are written from the projection of the store's records
    (:func:`~reviewgraph.io.store.read_facts`, the analysis index where the store keeps one),
    without reading the items as models; the other formats read the items back
    (:func:`~reviewgraph.io.store.read_store`).

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> from reviewgraph.stores import open_store
    >>> from reviewgraph.io.store import add_dataset
    >>> ds = Dataset(bodies=(Body(id="dhsc", name="DHSC"),))
    >>> store = open_store("memory")
    >>> _ = add_dataset(store, ds, "urn:x:g")
    >>> export_store(store, "dot") == export_dataset(ds, "dot")
    True
    """
    if format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {format!r} (one of {', '.join(EXPORT_FORMATS)})")
    if format in NETWORK_FORMATS:
        from reviewgraph.io.projection import to_networkx
        from reviewgraph.io.store import read_facts

        return write_network(
            to_networkx(read_facts(store, base), base), format, around, depth, base
        )
    from reviewgraph.io.store import read_store

    return export_dataset(read_store(store, base), format, base, flat=flat)
