"""Reading only an item's neighbourhood from a store gives the same analysis of that item as
reading the whole store: status, trace and a review's gaps, on the seeds and on generated
datasets, on every kind of store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sparql import analysis_datasets

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.neighbourhood import HUB_ENTRIES, neighbourhood
from reviewgraph.io.store import add_dataset, load_files
from reviewgraph.models import Dataset
from reviewgraph.stores import Store, open_store
from reviewgraph.vocab.namespaces import RG

DATES = (date(2014, 1, 1), date(2025, 7, 1))


@pytest.fixture(scope="module")
def seeds_store() -> Store:
    store = open_store("memory")
    load_files(store)
    return store


@pytest.fixture(scope="module")
def seeds(seeds_store: Store) -> ReviewGraph:
    return ReviewGraph.from_store(seeds_store)


def _same_analysis(store: Store, full: ReviewGraph, as_of: date) -> Iterator[str]:
    """Yield what differs between the neighbourhood route and the whole dataset."""
    ds = full.dataset
    for item in [c.id for c in ds.commitments] + [r.id for r in ds.recommendations]:
        part = ReviewGraph.from_store(store, around=[item])
        if part.status(item, as_of) != full.status(item, as_of):
            yield f"status {item} {as_of}"
        if part.trace(item, as_of) != full.trace(item, as_of):
            yield f"trace {item} {as_of}"
    for review in ds.reviews:
        part = ReviewGraph.from_store(store, around=[review.id])
        if part.gaps(as_of, review=review.id) != full.gaps(as_of, review=review.id):
            yield f"gaps --review {review.id} {as_of}"


@pytest.mark.parametrize("as_of", DATES)
def test_every_seed_item_is_analysed_the_same_from_its_neighbourhood(
    seeds_store: Store, seeds: ReviewGraph, as_of: date
) -> None:
    assert list(_same_analysis(seeds_store, seeds, as_of)) == []


def test_a_neighbourhood_is_closed_under_references_and_smaller(
    seeds_store: Store, seeds: ReviewGraph
) -> None:
    part = neighbourhood(seeds_store, ["kark-2019/5"])
    ids = {i.id for i in part.items()}
    assert "kark-2019/5" in ids
    assert "kark-2019" in ids  # its review (a reference)
    assert any(c.answers == ("kark-2019/5",) for c in part.commitments)  # refers to it
    # closed: every reference of the part resolves inside it
    from reviewgraph.io.files import check_references

    assert check_references(part.items(), {}) == []
    # the seeds are one long chain of recurrences, and still: hubs are not entered from
    # their many referrers, so not every body's commitments and recommendations come along.
    # Kark 5's barring thread reaches the 2025 decision, whose professional-standards pledge is
    # in the management-standards thread with Messenger's framework, so about half of the
    # commitments come along; none of the reviews outside those threads' reach do.
    assert len(part.recommendations) < len(seeds.dataset.recommendations) / 2
    assert len(part.commitments) < len(seeds.dataset.commitments)
    outside = {"berwick-2013", "griffiths-1983", "rose-2015"}
    assert not [
        c for c in part.commitments if seeds.index.reviews_of(c.id)[:1] in [(r,) for r in outside]
    ]


def test_an_unknown_item_has_an_empty_neighbourhood(seeds_store: Store) -> None:
    assert len(neighbourhood(seeds_store, ["no-such-item"])) == 0
    with pytest.raises(LookupError, match="no item with id 'no-such-item'"):
        ReviewGraph.from_store(seeds_store, around=["no-such-item"]).status("no-such-item")


def test_hub_entries_name_classes_of_the_ontology() -> None:
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    from reviewgraph.vocab.resources import ontology_file

    onto = Graph().parse(data=ontology_file("reviewgraph.ttl").read_text(), format="turtle")

    classes = {str(c) for c in onto.subjects(RDF.type, OWL.Class)}
    named = set(HUB_ENTRIES) | {c for allowed in HUB_ENTRIES.values() for c in allowed}
    assert named <= classes
    assert str(RG.Body) in HUB_ENTRIES


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph"])
def test_the_neighbourhood_reads_the_same_from_every_store(
    kind: str, tmp_path: Path, seeds_store: Store, seeds: ReviewGraph
) -> None:
    spec = f"oxigraph:{tmp_path / 'db'}" if kind == "oxigraph" else kind
    store = open_store(spec, writable=True)
    load_files(store)
    for item in ("messenger-framework", "kark-2019/5", "rose-2015"):
        assert neighbourhood(store, [item]) == neighbourhood(seeds_store, [item])
    store.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(ds=analysis_datasets(), as_of=st.sampled_from(DATES))
def test_generated_items_are_analysed_the_same_from_their_neighbourhood(
    ds: Dataset, as_of: date
) -> None:
    store = open_store("memory")
    add_dataset(store, ds, "urn:x:generated")
    assert list(_same_analysis(store, ReviewGraph.from_dataset(ds), as_of)) == []
