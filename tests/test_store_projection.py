"""The NetworkX projection built from SPARQL (``projection_from_store``) equals the one built
from models read back from the store (``to_networkx(read_store(store))``): the same nodes in
the same order, the same attributes (types and values), the same edges with the same keys and
attributes, on every kind of store and on generated and hypothesis datasets."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from strategies import datasets

from reviewgraph.analysis._demo import demo_dataset
from reviewgraph.analysis.projection import to_networkx
from reviewgraph.analysis.store_projection import projection_from_store
from reviewgraph.io.files import read_dataset
from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    Dataset,
    Link,
    Recommendation,
    Review,
)
from reviewgraph.rdf.mapping import to_graph
from reviewgraph.stores import (
    ANNOTATIONS_GRAPH,
    Store,
    add_dataset,
    load_files,
    open_store,
    read_store,
    wrap_graph,
)
from reviewgraph.vocab.namespaces import BASE_IRI, RG

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _dump(graph: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """Nodes with data and edges with keys and data, sorted; values with their types (so
    ``True`` never passes for ``1``, nor ``"1"`` for ``1``)."""

    def data(d: dict[str, Any]) -> list[tuple[str, str, Any]]:
        return sorted((k, type(v).__name__, v) for k, v in d.items())

    nodes = sorted((n, data(d)) for n, d in graph.nodes(data=True))
    edges = sorted((u, v, k, data(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return nodes, edges


def assert_same(store: Store, base: str = BASE_IRI) -> nx.MultiDiGraph:
    """Check the projection against ``to_networkx(read_store(...))``; return it."""
    expected = to_networkx(read_store(store, base), base)
    got = projection_from_store(store, base)
    assert isinstance(got, nx.MultiDiGraph)
    got_nodes, got_edges = _dump(got)
    expected_nodes, expected_edges = _dump(expected)
    assert got_nodes == expected_nodes
    assert got_edges == expected_edges
    # the same order too: nodes by kind then id, edges item by item
    assert list(got.nodes) == list(expected.nodes)
    assert list(got.edges(keys=True)) == list(expected.edges(keys=True))
    return got


def memory_store(dataset: Dataset, base: str = BASE_IRI) -> Store:
    store = open_store("memory")
    add_dataset(store, dataset, "urn:test:data", base=base)
    return store


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return read_dataset([]).dataset


# --------------------------------------------------------------------------- every store


def test_seeds_in_memory(seeds: Dataset) -> None:
    graph = assert_same(memory_store(seeds))
    assert graph.number_of_nodes() >= len(seeds)
    assert graph.number_of_edges() > graph.number_of_nodes()


def test_seed_files_in_memory_one_graph_per_file() -> None:
    store = open_store("memory")
    load_files(store)
    assert ANNOTATIONS_GRAPH in store.graph_names()  # present, and left out
    assert len(store.graph_names()) > 2
    assert_same(store)


def test_seed_files_in_oxigraph_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store)
    with open_store(f"oxigraph:{path}") as store:  # read-only, as commands open it
        assert_same(store)


def test_seed_files_in_rdflib_store() -> None:
    store = open_store("rdflib")
    load_files(store)
    assert_same(store)


def test_seeds_in_a_wrapped_rdflib_graph(seeds: Dataset) -> None:
    assert_same(wrap_graph(to_graph(seeds)))


def test_demo_dataset_equals_the_projection_of_the_models() -> None:
    ds = demo_dataset()
    got = assert_same(memory_store(ds))
    assert _dump(got) == _dump(to_networkx(ds))


# --------------------------------------------------------------------------- generated data


@cache
def _generate_module() -> ModuleType:
    """``benchmarks/generate.py``, the benchmarks' data generator (not a package)."""
    name = "_reviewgraph_bench_generate"
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / "generate.py")
    if spec is None or spec.loader is None:  # pragma: no cover
        pytest.skip("benchmarks/generate.py is not there")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("triples", "seed"), [(2_000, 1), (4_000, 7), (8_000, 20240601)])
def test_generated_datasets(triples: int, seed: int) -> None:
    dataset = _generate_module().generate_dataset(triples, seed)
    graph = assert_same(memory_store(dataset))
    types = {d["type"] for _, _, d in graph.edges(data=True)}
    assert {"cites", "fulfils", "owner", "answersRecommendation"} <= types
    if triples >= 8_000:
        assert types & {"echoes", "repeats"}


@given(datasets())
def test_hypothesis_datasets(dataset: Dataset) -> None:
    assert_same(memory_store(dataset))


# --------------------------------------------------------------------------- edge cases


def test_an_empty_store() -> None:
    store = open_store("memory")
    assert projection_from_store(store).number_of_nodes() == 0
    add_dataset(store, Dataset(), "urn:test:empty")  # only the annotations graph
    assert ANNOTATIONS_GRAPH in store.graph_names()
    graph = assert_same(store)
    assert graph.number_of_nodes() == 0 and graph.number_of_edges() == 0


def _small() -> Dataset:
    cite = (Citation(source="src", locator="p. 4", accessed=date(2024, 2, 3)),)
    return Dataset(
        bodies=(
            Body(id="dept", name="Department", government=True),
            Body(id="old-agency", name="Old agency"),
            Body(id="new-agency", name="New agency", parent="dept"),
        ),
        reviews=(
            Review(id="r-2010", title="Review 2010", published="2010-05"),
            Review(id="r-2020", title="Review 2020", published="summer 2020", citations=cite),
        ),
        recommendations=(
            Recommendation(id="r-2010/1", review="r-2010", label="1", addressees=("dept",)),
            Recommendation(id="r-2020/3", review="r-2020", label="3", citations=cite),
        ),
        commitments=(
            Commitment(
                id="plan",
                summary="Make a plan.",
                owner="old-agency",
                made_on="by March 2024",
                answers=("r-2020/3",),
            ),
        ),
        links=(
            Link(
                id="echo",
                type="echoes",
                from_="r-2020/3",
                to="r-2010/1",
                basis="inferred",
                rationale="Same ask.",
            ),
            Link(id="impl", type="implemented-by", from_="plan", to="not-in-the-data"),
        ),
        body_changes=(
            BodyChange(
                id="merger",
                kind="merged-into",
                body="old-agency",
                into=("new-agency", "elsewhere"),
                date="2021-09",
            ),
        ),
    )


def test_dates_with_precision_body_changes_and_links() -> None:
    graph = assert_same(memory_store(_small()))
    plan = graph.nodes[BASE_IRI + "plan"]
    assert (plan["made_on"], plan["made_on_earliest"], plan["made_on_latest"]) == (
        "by March 2024",
        "2024-03-01",
        "2024-03-31",
    )
    assert plan["origin"] == "response"  # a default the store does not hold
    review = graph.nodes[BASE_IRI + "r-2020"]
    assert review["published_earliest"] == "2020-06-01" and review["sources"] == "src"
    change = graph.edges[BASE_IRI + "old-agency", BASE_IRI + "new-agency", "merger"]
    assert change == {
        "type": "bodyChange",
        "change": "merger",
        "change_kind": "merged-into",
        "date": "2021-09",
        "date_earliest": "2021-09-01",
        "date_latest": "2021-09-30",
    }
    echo = graph.edges[BASE_IRI + "r-2020/3", BASE_IRI + "r-2010/1", "echo"]
    assert echo == {"type": "echoes", "link": "echo", "basis": "inferred", "rationale": "Same ask."}
    assert graph.edges[BASE_IRI + "plan", BASE_IRI + "not-in-the-data", "impl"]["type"] == (
        "implementedBy"
    )
    for missing in ("not-in-the-data", "elsewhere", "src"):
        assert graph.nodes[BASE_IRI + missing]["type"] == "Unknown"
    cites = graph.edges[BASE_IRI + "r-2020", BASE_IRI + "src", "cites/0"]
    assert cites == {"type": "cites", "locator": "p. 4", "accessed": "2024-02-03"}
    assert graph.nodes[BASE_IRI + "dept"]["government"] is True
    assert graph.nodes[BASE_IRI + "old-agency"]["government"] is False


def test_the_same_triples_in_two_graphs_count_once() -> None:
    # Oxigraph's union default graph repeats a triple held by two graphs (no blank nodes
    # here: two copies of a date would be two dates, which read_store refuses)
    ds = Dataset(
        bodies=(Body(id="dept", name="Department"), Body(id="agency", name="A", parent="dept")),
        reviews=(Review(id="r", title="R", commissioned_by=("dept", "agency")),),
    )
    store = memory_store(ds)
    add_dataset(store, ds, "urn:test:copy")
    graph = assert_same(store)
    assert graph.nodes[BASE_IRI + "r"]["commissioned_by"] == "agency; dept"
    assert graph.number_of_edges() == 3


def test_another_base_and_the_annotations_graph_left_out() -> None:
    # with the ontology's own namespace as the base, the annotations' subjects (rg:PublicInquiry
    # rg:expectsResponse true, ...) are "under the base", but they are not items
    base = str(RG)
    store = memory_store(_small(), base=base)
    graph = assert_same(store, base)
    assert base + "plan" in graph and not any("Inquiry" in n for n in graph)
    assert projection_from_store(store).number_of_nodes() == 0  # nothing under BASE_IRI


def test_only_the_datasets_language_and_well_typed_values_are_read(tmp_path: Path) -> None:
    ds = Dataset(
        bodies=(Body(id="dept", name="Department", abbreviation="DfX"),),
        reviews=(Review(id="r", title="Review", stated_recommendations=3),),
        language="en-GB",
    )
    graph = to_graph(ds)
    dept, review = URIRef(BASE_IRI + "dept"), URIRef(BASE_IRI + "r")
    graph.add((dept, SKOS.prefLabel, Literal("Ministère", lang="fr")))  # another language
    graph.add((dept, SKOS.altLabel, Literal("untagged")))  # no tag in a tagged dataset
    graph.add((review, RG.statedRecommendationCount, Literal("12")))  # a string, not a count
    graph.add((review, RG.expectsResponse, Literal("yes", datatype=XSD_STRING)))
    graph.add((review, DCTERMS.publisher, URIRef("https://example.org/not-an-item")))
    path = tmp_path / "data.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    memory = open_store("memory")
    load_files(memory, [path])
    for store in (wrap_graph(graph), memory):
        got = assert_same(store)
        attrs = got.nodes[BASE_IRI + "dept"]
        assert attrs["name"] == "Department" and attrs["abbreviation"] == "DfX"
        r = got.nodes[BASE_IRI + "r"]
        assert r["stated_recommendations"] == 3 and "expects_response" not in r
        assert "publisher" not in r
