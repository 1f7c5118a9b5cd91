"""The NetworkX projection: keys, typed nodes and edges, GraphML/GEXF-safe attributes, and the
graph algorithms the analysis runs on it."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import networkx as nx
import pytest

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis._demo import demo_dataset
from reviewgraph.analysis.recurrence import longest_chain, thread_edges
from reviewgraph.analysis.scope import related_bodies
from reviewgraph.io.projection import LINK_EDGE_TYPES, to_networkx
from reviewgraph.sparql.named import oxigraph_store, query_graph
from reviewgraph.vocab.namespaces import BASE_IRI


@pytest.fixture(scope="module")
def seeds() -> ReviewGraph:
    try:
        return ReviewGraph.from_paths()
    except Exception as exc:  # the seed files are still being written
        pytest.skip(f"the seed dataset does not load yet: {str(exc).splitlines()[0]}")


def _graphs(seeds: ReviewGraph | None = None) -> list[nx.MultiDiGraph]:
    out = [ReviewGraph.from_dataset(demo_dataset()).to_networkx()]
    if seeds is not None:
        out.append(seeds.to_networkx())
    return out


def _check_attrs(attrs: dict[str, Any]) -> None:
    for key, value in attrs.items():
        assert value is not None, key
        assert isinstance(value, str | int | bool | float), (key, type(value))


def test_nodes_are_iri_strings_with_types_and_safe_attributes() -> None:
    ds = demo_dataset()
    g = to_networkx(ds)
    assert isinstance(g, nx.MultiDiGraph)
    assert set(g.nodes) == {BASE_IRI + item.id for item in ds.items()}
    for node, attrs in g.nodes(data=True):
        assert isinstance(node, str) and node.startswith(BASE_IRI)
        assert {"id", "type", "label"} <= set(attrs)
        _check_attrs(attrs)
    for _, _, key, attrs in g.edges(keys=True, data=True):
        assert isinstance(key, str) and "type" in attrs
        _check_attrs(attrs)
    pledge = g.nodes[BASE_IRI + "demo-pledge"]
    assert pledge["made_on"] == "2020-05-01" and pledge["made_on_latest"] == "2020-05-01"
    assert pledge["answers"] == "demo-2020/1" and pledge["sources"] == "demo-response-src"


def test_edges_carry_links_fulfilments_blankets_and_body_changes() -> None:
    g = to_networkx(demo_dataset())
    types = {d["type"] for _, _, d in g.edges(data=True)}
    assert {
        "repeats",
        "fulfils",
        "blanketStance",
        "bodyChange",
        "cites",
        "answersRecommendation",
        "owner",
    } <= types
    assert types & LINK_EDGE_TYPES == {"repeats"}
    change = g.edges[BASE_IRI + "demo-agency", BASE_IRI + "demo-agency-2", "demo-agency-replaced"]
    assert change["change_kind"] == "replaced-by" and change["date_latest"] == "2021-09-01"


def test_graphml_and_gexf_can_hold_it(seeds: ReviewGraph) -> None:
    for g in _graphs(seeds):
        buffer = io.BytesIO()
        nx.write_graphml(g, buffer)
        buffer.seek(0)
        back = nx.read_graphml(buffer, force_multigraph=True)
        assert back.number_of_nodes() == g.number_of_nodes()
        assert back.number_of_edges() == g.number_of_edges()
        out = io.BytesIO()
        nx.write_gexf(g, out)
        assert out.getvalue().startswith(b"<?xml")


def test_the_projection_is_read_only_and_cached() -> None:
    rg = ReviewGraph.from_dataset(demo_dataset())
    g = rg.to_networkx()
    assert g is rg.to_networkx()
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")


def test_echo_closure_agrees_with_sparql_property_paths(seeds: ReviewGraph) -> None:
    query = (
        "PREFIX rg: <https://w3id.org/reviewgraph/ns#>\n"
        "SELECT ?a ?b WHERE { ?a (rg:repeats|rg:extends)+ ?b }"
    )
    for rg in (ReviewGraph.from_dataset(demo_dataset()), seeds):
        # the bridging links of the recurrence threads (the edges the threads are built on)
        links = [
            (e.later, e.earlier)
            for e in thread_edges(rg.index, date(2100, 1, 1))
            if e.relation in ("repeats", "extends")
        ]
        echoes = nx.DiGraph(links)
        by_nx = {(a, b) for a in echoes for b in nx.descendants(echoes, a)}
        store = oxigraph_store(query_graph(rg.to_rdf()))
        by_sparql = {
            (str(s["a"].value).removeprefix(rg.base), str(s["b"].value).removeprefix(rg.base))
            for s in store.query(query)
        }
        rows: list[Any] = list(rg.to_rdf().query(query))
        by_rdflib = {
            (str(row[0]).removeprefix(rg.base), str(row[1]).removeprefix(rg.base)) for row in rows
        }
        assert by_nx == by_sparql == by_rdflib
        assert by_nx


def test_longest_chain_survives_cycles() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("d", "a")])
    chain = longest_chain(g)
    assert chain[-1] == "c" and len(chain) == 3


def test_succession_uses_only_changes_counting_at_the_date() -> None:
    rg = ReviewGraph.from_dataset(demo_dataset())
    ix = rg.index
    assert related_bodies(ix, "demo-agency", date(2021, 8, 31)) == {"demo-agency"}
    assert related_bodies(ix, "demo-agency", date(2021, 9, 1)) == {
        "demo-agency",
        "demo-agency-2",
    }


def test_seed_succession_reaches_nhs_england(seeds: ReviewGraph) -> None:
    if "nhs-improvement" not in seeds.index.bodies:
        pytest.skip("the seeds have no nhs-improvement body yet")
    related = related_bodies(seeds.index, "nhs-improvement", date(2024, 1, 1))
    assert "nhs-england" in related
