"""Records, the one reader and the analysis index: every route reads the same records."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import EX, datasets

from reviewgraph.analysis import ReviewGraph
from reviewgraph.cli import main
from reviewgraph.io.store import load_files, read_facts
from reviewgraph.models import ITEM_TYPES, Dataset
from reviewgraph.rdf.mapping import to_graph
from reviewgraph.rdf.reader import read_triples
from reviewgraph.rdf.records import Facts, dump_facts, load_facts, to_model
from reviewgraph.stores import open_store
from reviewgraph.stores.base import BindingError, Term
from reviewgraph.stores.plain import plain_triples

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _kinds(facts: Facts) -> dict[str, tuple[object, ...]]:
    return {name: getattr(facts, name) for name in ITEM_TYPES}


@FAST
@given(datasets())
def test_the_reader_gives_the_records_of_the_models(dataset: Dataset) -> None:
    """RDF written from models, read back by the one reader, gives the models' records."""
    read = read_triples(plain_triples(to_graph(dataset, EX)), EX)
    assert _kinds(read) == _kinds(Facts.from_dataset(dataset))


@FAST
@given(datasets())
def test_every_record_turns_back_into_its_model(dataset: Dataset) -> None:
    facts = Facts.from_dataset(dataset)
    for name in ITEM_TYPES:
        assert tuple(to_model(r) for r in getattr(facts, name)) == getattr(dataset, name)


@FAST
@given(datasets())
def test_the_index_file_round_trips(dataset: Dataset) -> None:
    facts = Facts.from_dataset(dataset)
    assert _kinds(load_facts(dump_facts(facts, EX), EX)) == _kinds(facts)


def test_an_index_of_another_base_or_a_damaged_one_is_refused(tiny_dataset: Dataset) -> None:
    data = dump_facts(Facts.from_dataset(tiny_dataset), EX)
    with pytest.raises(ValueError, match="another version or base"):
        load_facts(data, "https://elsewhere.example/")
    with pytest.raises(ValueError, match="not a readable analysis index"):
        load_facts(data[: len(data) // 2], EX)
    with pytest.raises(ValueError, match="not a readable analysis index"):
        load_facts(b"\x00garbage", EX)


class _Exploit:
    def __reduce__(self) -> tuple[object, ...]:
        import os

        return (os.system, ("echo pwned",))


def test_an_index_file_can_run_nothing() -> None:
    """The unpickler accepts records, dates and concepts only: no function of any module."""
    hostile = pickle.dumps({"format": "reviewgraph-facts", "x": _Exploit()})
    with pytest.raises(ValueError, match="not a readable analysis index"):
        load_facts(hostile, EX)


def test_a_store_reads_the_same_with_and_without_its_index(
    tmp_path: Path, tiny_dataset: Dataset
) -> None:
    from reviewgraph.io.store import add_dataset

    store = open_store(f"oxigraph:{tmp_path / 'st'}", writable=True)
    add_dataset(store, tiny_dataset, "urn:x:tiny", base=EX)
    with_index = read_facts(store, EX)
    assert store.graph_index("urn:x:tiny") is not None
    index_files = list((tmp_path / "st" / "index").rglob("*.facts"))
    assert len(index_files) == 1
    index_files[0].write_bytes(b"damaged")  # a damaged index: the triples are read instead
    assert _kinds(read_facts(store, EX)) == _kinds(with_index)
    index_files[0].unlink()  # a lost one too
    assert _kinds(read_facts(store, EX)) == _kinds(with_index)
    assert _kinds(with_index) == _kinds(Facts.from_dataset(tiny_dataset))
    store.close()


def test_a_disk_store_keeps_the_indexes_of_graphs_a_load_did_not_touch(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_text("bodies:\n  - id: a\n    name: A\n", encoding="utf-8")
    (folder / "b.yaml").write_text("bodies:\n  - id: b\n    name: B\n", encoding="utf-8")
    store = open_store(f"oxigraph:{tmp_path / 'st'}", writable=True)
    load_files(store, [folder])
    (folder / "a.yaml").write_text("bodies:\n  - id: a\n    name: A2\n", encoding="utf-8")
    load_files(store, [folder / "a.yaml"], replace=True)
    graphs = [g for g in store.graph_names() if not g.startswith("urn:reviewgraph")]
    assert len(graphs) == 2 and all(store.graph_index(g) is not None for g in graphs)
    facts = read_facts(store)
    assert [(b.id, b.name) for b in facts.bodies] == [("a", "A2"), ("b", "B")]
    assert len(list((tmp_path / "st" / "index").iterdir())) == 1  # old generation's are gone
    store.close()


@pytest.mark.parametrize(
    "hostile",
    ["x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o", 'x" . ?s ?p ?o', "x\n}", "a b", "x{y}"],
)
def test_no_value_can_end_a_term_early(hostile: str) -> None:
    with pytest.raises(BindingError):
        Term("https://w3id.org/reviewgraph/id/" + hostile)


@pytest.mark.parametrize("command", ["status", "trace"])
@pytest.mark.parametrize(
    "hostile", ["x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o", "x}\nSELECT", 'x"']
)
def test_hostile_ids_on_every_route_are_one_line_errors(
    tmp_path: Path, command: str, hostile: str
) -> None:
    runner = CliRunner()
    store = tmp_path / "st"
    assert runner.invoke(main, ["load", "--store", f"oxigraph:{store}"]).exit_code == 0
    for route in ([], ["--store", f"oxigraph:{store}"]):
        result = runner.invoke(main, [command, hostile, *route])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.stderr.splitlines() if line]
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert "Traceback" not in result.output


def test_the_analysis_is_the_same_from_records_and_from_models() -> None:
    rg = ReviewGraph.from_paths()
    store = open_store("memory")
    load_files(store)
    from_store = ReviewGraph.from_store(store)
    for day in ("2014-01-01", "2019-07-01", "2025-07-01"):
        assert from_store.gaps(as_of=day) == rg.gaps(as_of=day)
        assert from_store.scorecard(as_of=day) == rg.scorecard(as_of=day)
        assert from_store.recurring(as_of=day) == rg.recurring(as_of=day)
