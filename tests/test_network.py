"""GEXF and GraphML as network tools read them: networkx reads the dynamic GEXF (each node
starts on its item's date), and GraphML opens in networkx and python-igraph with labels."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree as ET

import networkx as nx
import pytest

from reviewgraph.analysis.asof import Index
from reviewgraph.io.export import export_dataset
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset

BASE = "https://w3id.org/reviewgraph/id/"


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return read_dataset().dataset


def test_gexf_is_dynamic_with_each_node_starting_on_its_items_date(seeds: Dataset) -> None:
    data = export_dataset(seeds, "gexf")
    graph = nx.read_gexf(io.BytesIO(data))
    assert graph.graph["mode"] == "dynamic"
    ix = Index(seeds)
    dated = 0
    for item in seeds.items():
        # the date the item came into being; a source's is its own date
        when = ix.item_date(item.id) or getattr(item, "date", None)
        start = graph.nodes[BASE + item.id].get("start")
        if when is None:
            assert start is None, item.id
        else:
            assert start == when.earliest.isoformat(), item.id
            dated += 1
    assert dated > 100
    # an edge starts when both its ends exist
    for u, v, attrs in graph.edges(data=True):
        ends = [s for s in (graph.nodes[u].get("start"), graph.nodes[v].get("start")) if s]
        if ends:
            assert attrs["start"] == max(ends)


def test_gexf_keeps_the_edge_type_for_direction_and_types_attributes(seeds: Dataset) -> None:
    root = ET.fromstring(export_dataset(seeds, "gexf"))
    ns = {"g": root.tag.split("}")[0].strip("{")}
    assert root.find("g:graph", ns).get("timeformat") == "date"  # type: ignore[union-attr]
    edges = root.findall(".//g:edge", ns)
    assert edges
    assert {e.get("type") for e in edges} <= {None, "directed"}
    declared = {
        a.get("title"): a.get("type")
        for a in root.findall(".//g:attributes[@class='edge']/g:attribute", ns)
    }
    assert declared["kind"] == "string"
    kinds = set(re.findall(rb'for="(\d+)" value="(\w+)"', export_dataset(seeds, "gexf")))
    assert kinds
    nodes = {
        a.get("title"): a.get("type")
        for a in root.findall(".//g:attributes[@class='node']/g:attribute", ns)
    }
    assert nodes["government"] == "boolean"
    assert "integer" in set(nodes.values()) or "long" in set(nodes.values())


def test_merged_bodies_end_on_the_day_of_the_change(seeds: Dataset) -> None:
    graph = nx.read_gexf(io.BytesIO(export_dataset(seeds, "gexf")))
    ending = [c for c in seeds.body_changes if c.kind.value in ("merged-into", "abolished")]
    assert ending
    for change in ending:
        assert graph.nodes[BASE + change.body]["end"] <= change.date.earliest.isoformat()


def test_graphml_has_labels_for_cytoscape_and_yed(seeds: Dataset) -> None:
    data = export_dataset(seeds, "graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    assert graph.number_of_nodes() > 500
    for _, attrs in graph.nodes(data=True):
        assert attrs["name"] == attrs["label"]
    root = ET.fromstring(data)
    y = "{http://www.yworks.com/xml/graphml}"
    labels = [e.text for e in root.iter(f"{y}NodeLabel")]
    assert len(labels) == graph.number_of_nodes()
    assert all(labels)
    assert sorted(labels) == sorted(a["label"] for _, a in graph.nodes(data=True))


def test_graphml_opens_in_igraph(seeds: Dataset, tmp_path: object) -> None:
    igraph = pytest.importorskip("igraph")
    data = export_dataset(seeds, "graphml")
    projected = nx.read_graphml(io.BytesIO(data))
    path = f"{tmp_path}/g.graphml"
    with open(path, "wb") as handle:
        handle.write(data)
    graph = igraph.Graph.Read_GraphML(path)
    assert graph.vcount() == projected.number_of_nodes()
    assert graph.ecount() == projected.number_of_edges()
    names = set(graph.vs["name"])
    assert "Kark" in " ".join(n for n in names if n)
