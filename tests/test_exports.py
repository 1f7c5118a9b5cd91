"""Every export format is written and read back by an independent reader."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from reviewgraph.cli import main
from reviewgraph.io.export import EXPORT_FORMATS, export_dataset, write_atomic
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset
from reviewgraph.rdf.mapping import to_graph

OX_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "nq": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return read_dataset().dataset


@pytest.fixture(scope="module")
def expected(seeds: Dataset) -> Graph:
    return to_graph(seeds)


@pytest.mark.parametrize("fmt", sorted(OX_FORMATS))
def test_rdf_exports_read_back_by_pyoxigraph(fmt: str, seeds: Dataset, expected: Graph) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    data = export_dataset(seeds, fmt)
    store = pyoxigraph.Store()
    store.load(data, format=getattr(pyoxigraph.RdfFormat, OX_FORMATS[fmt]))
    # back to rdflib through N-Triples written by Oxigraph, so rdflib's parser of the
    # export format is not what is being tested
    # back to rdflib through the terms Oxigraph parsed (their str() is N-Triples syntax),
    # so that rdflib's parser of the export format is not what is being tested
    lines = [f"{q.subject} {q.predicate} {q.object} ." for q in store]
    graph = Graph().parse(data="\n".join(lines), format="nt")
    assert same_graph(graph, expected)


def same_graph(a: Graph, b: Graph) -> bool:
    """Equal as graphs, checked quickly: the ground triples as sets, and the triples that
    touch blank nodes as multisets of their shapes (rdflib's isomorphism test takes tens of
    seconds on a graph of this size)."""
    from collections import Counter

    from rdflib import BNode

    def split(g: Graph) -> tuple[set[tuple[object, ...]], Counter[tuple[object, ...]]]:
        ground: set[tuple[object, ...]] = set()
        shapes: Counter[tuple[object, ...]] = Counter()
        for t in g:
            if any(isinstance(x, BNode) for x in t):
                shapes[tuple("_" if isinstance(x, BNode) else x for x in t)] += 1
            else:
                ground.add(t)
        return ground, shapes

    return len(a) == len(b) and split(a) == split(b)


def test_jsonld_is_read_by_pyld_with_remote_contexts_forbidden(
    seeds: Dataset, expected: Graph
) -> None:
    pyld = pytest.importorskip("pyld")
    from pyld import jsonld

    document = json.loads(export_dataset(seeds, "jsonld"))
    assert isinstance(document["@context"], dict), "the context is embedded, not referenced"

    def no_network(url: str, options: object = None) -> None:
        raise AssertionError(f"pyld tried to fetch {url}")

    jsonld.set_document_loader(no_network)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    graph = Graph().parse(data=nquads, format="nquads")
    assert pyld is not None
    assert same_graph(Graph() + graph, expected)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_read_back_by_networkx(fmt: str, seeds: Dataset) -> None:
    import networkx as nx

    from reviewgraph.io.projection import to_networkx

    data = export_dataset(seeds, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    graph = reader(io.BytesIO(data))
    projected = to_networkx(seeds)
    assert graph.number_of_nodes() == projected.number_of_nodes()
    assert graph.number_of_edges() == projected.number_of_edges()
    assert "https://w3id.org/reviewgraph/id/messenger-2022/3" in graph


def test_csv_export_is_the_tracker_table(seeds: Dataset) -> None:
    text = export_dataset(seeds, "csv").decode("utf-8")
    # the table starts with comment lines saying what it cannot hold (issue #16)
    body = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("".join(body))))
    assert len(rows) == len(seeds.recommendations)
    kark5 = next(r for r in rows if r["review_id"] == "kark-2019" and r["rec_label"] == "5")
    assert kark5["stance"] == "accepted"  # the July 2025 decision overtook "to be considered"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dot_export_is_read_by_graphviz(seeds: Dataset, tmp_path: Path) -> None:
    source = tmp_path / "g.dot"
    source.write_bytes(export_dataset(seeds, "dot"))
    done = subprocess.run(
        ["dot", "-Tsvg", str(source)], capture_output=True, check=True, timeout=120
    )
    assert b"<svg" in done.stdout
    assert b"recommendation 3" in done.stdout  # Graphviz writes hyphens as &#45; in SVG


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_exports_are_deterministic(fmt: str, seeds: Dataset) -> None:
    assert export_dataset(seeds, fmt) == export_dataset(seeds, fmt)


def test_cli_export_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "seeds.ttl"
    result = CliRunner().invoke(main, ["export", "--format", "ttl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Graph().parse(out, format="turtle")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old contents", encoding="utf-8")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_cli_export_failure_keeps_the_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("keep me", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("review: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(bad), "--format", "ttl", "-o", str(target)])
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "out.ttl"]
