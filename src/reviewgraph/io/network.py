"""GEXF and GraphML as network tools read them: dates for Gephi's timeline, labels for yEd
and Cytoscape.

GEXF reserves an edge's ``type`` for ``directed``/``undirected``/``mutual``, so the edge kind
of the projection (``answersRecommendation``, ``repeats``, ...) goes into the attribute
``kind``.  Each node whose item has a date (a review's publication, a recommendation's
review's, a commitment's making, a stance's, a claim's, a due date's statement, a response,
deliverable or body change) starts on that day, and an edge on the later of its two ends'
days, so the file is in GEXF's dynamic mode and Gephi's timeline plays the story; a body
that was merged, replaced, split or abolished ends on the day of that change.  Attributes
keep their types (strings, booleans, integers).

GraphML gets a ``name`` on every node (the label Cytoscape shows) and yEd's node graphics
with the label, so both tools show labels, not IRIs, when the file is opened.
"""

from __future__ import annotations

import io
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx

__all__ = ["ENDING_CHANGES", "dynamic_graph", "gexf_bytes", "graphml_bytes", "node_start"]

ENDING_CHANGES = frozenset({"merged-into", "replaced-by", "split-into", "abolished"})
"""The body changes after which the body no longer exists."""

_OWN_DATE = ("published", "made_on", "since", "asserted_on", "stated_on", "date")
_VIA = {
    "Recommendation": ("partOf", "published"),
    "Stance": ("inResponse", "date"),
}


def node_start(graph: Any, node: str) -> str | None:
    """The first day of the item a node stands for (ISO), or ``None`` if it has no date.

    Examples
    --------
    >>> from reviewgraph.io.projection import to_networkx
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> g = to_networkx(demo_dataset())
    >>> node_start(g, "https://w3id.org/reviewgraph/id/demo-2020/1")
    '2020-03-01'
    """
    attrs = graph.nodes[node]
    kind = attrs.get("type")
    fields = ("since", "asserted_on") if kind == "StatusClaim" else _OWN_DATE
    for name in fields:
        value = attrs.get(f"{name}_earliest")
        if value:
            return str(value)
    if kind == "DueDateStatement":  # stated on the date of the earliest dated source citing it
        cited = [
            graph.nodes[target]
            for _, target, data in graph.out_edges(node, data=True)
            if data.get("type") == "cites" and graph.nodes[target].get("date_latest")
        ]
        if cited:
            first = min(cited, key=lambda n: str(n["date_latest"]))
            return str(first["date_earliest"])
        return None
    via = _VIA.get(str(kind))
    if via is not None:
        edge, name = via
        for _, target, key in graph.out_edges(node, keys=True):
            if key == edge:
                value = graph.nodes[target].get(f"{name}_earliest")
                if value:
                    return str(value)
    return None


def dynamic_graph(graph: Any) -> Any:
    """A copy of a projection ready for GEXF: edge kinds as ``kind``, ``start`` and ``end``
    from the dates, the item id as ``item_id`` (GEXF takes ``id`` as the node's own)."""
    out = nx.MultiDiGraph()
    starts = {n: node_start(graph, n) for n in graph.nodes}
    ends: dict[str, str] = {}
    for u, _, data in graph.edges(data=True):
        if data.get("type") == "bodyChange" and data.get("change_kind") in ENDING_CHANGES:
            day = str(data.get("date_earliest", ""))
            if day and (u not in ends or day < ends[u]):
                ends[u] = day
    for node, data in graph.nodes(data=True):
        attrs = dict(data)
        if "id" in attrs:
            attrs["item_id"] = attrs.pop("id")
        if starts[node]:
            attrs["start"] = starts[node]
        if node in ends:
            attrs["end"] = ends[node]
        out.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = dict(data)
        attrs["kind"] = attrs.pop("type", "")
        days = [d for d in (starts[u], starts[v]) if d]
        if days:
            attrs["start"] = max(days)
        out.add_edge(u, v, key=key, **attrs)
    return out


def gexf_bytes(graph: Any) -> bytes:
    """Write a projection as dynamic GEXF 1.2 (see :func:`dynamic_graph`).

    Examples
    --------
    >>> from reviewgraph.io.projection import to_networkx
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> text = gexf_bytes(to_networkx(demo_dataset())).decode()
    >>> 'mode="dynamic"' in text, 'timeformat="date"' in text
    (True, True)
    """
    buffer = io.BytesIO()
    nx.write_gexf(dynamic_graph(graph), buffer)
    return buffer.getvalue()


_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_Y = "http://www.yworks.com/xml/graphml"


def graphml_bytes(graph: Any) -> bytes:
    """Write a projection as GraphML with ``name`` and yEd label graphics on every node.

    Examples
    --------
    >>> from reviewgraph.models import Body, Dataset
    >>> from reviewgraph.io.projection import to_networkx
    >>> text = graphml_bytes(to_networkx(Dataset(bodies=(Body(id="dhsc", name="DHSC"),))))
    >>> "<y:NodeLabel>DHSC</y:NodeLabel>" in text.decode()
    True
    """
    copy = nx.MultiDiGraph(graph)
    for _, attrs in copy.nodes(data=True):
        attrs["name"] = attrs.get("label", "")
    buffer = io.BytesIO()
    nx.write_graphml(copy, buffer)
    ET.register_namespace("", _GRAPHML)
    ET.register_namespace("y", _Y)
    root = ET.fromstring(buffer.getvalue())
    key = ET.Element(f"{{{_GRAPHML}}}key", {"id": "yed_graphics", "for": "node"})
    key.set("yfiles.type", "nodegraphics")
    root.insert(0, key)
    label_key = next(  # none when the graph has no node
        (
            k.get("id")
            for k in root.iter(f"{{{_GRAPHML}}}key")
            if k.get("attr.name") == "label" and k.get("for") == "node"
        ),
        None,
    )
    for node in root.iter(f"{{{_GRAPHML}}}node"):
        text = next(
            (
                d.text or ""
                for d in node.findall(f"{{{_GRAPHML}}}data")
                if d.get("key") == label_key
            ),
            node.get("id", ""),
        )
        data = ET.SubElement(node, f"{{{_GRAPHML}}}data", {"key": "yed_graphics"})
        shape = ET.SubElement(data, f"{{{_Y}}}ShapeNode")
        width = str(min(max(len(text), 8), 40) * 7)
        ET.SubElement(shape, f"{{{_Y}}}Geometry", {"width": width, "height": "30"})
        ET.SubElement(shape, f"{{{_Y}}}NodeLabel").text = text
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
