"""The store layer: memory, rdflib, Oxigraph on disk and a SPARQL endpoint behind one API.

* every store loads files into one named graph each and gives back the same dataset and the
  same query rows;
* ``replace`` swaps a file's triples without stale ones; loading again without it is refused;
* a failed load (bad syntax, an unknown reference, a broken shape) leaves the store as it was,
  and on Oxigraph on disk so does a load killed part-way (SIGKILL);
* a second writer gets :class:`StoreLockedError`; readers open the store read-only and keep
  their snapshot while a load runs;
* the endpoint store works against a real Oxigraph server on a loopback port.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port
from rdflib import Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import XSD

from reviewgraph.errors import InputError, ValidationFailed
from reviewgraph.io.export import export_dataset
from reviewgraph.io.store import graph_iri, load_files, read_store
from reviewgraph.models import Dataset
from reviewgraph.stores import (
    ANNOTATIONS_GRAPH,
    BindingError,
    EndpointError,
    GraphExistsError,
    OxigraphStore,
    Store,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    ask,
    construct,
    open_endpoint,
    open_store,
    select,
    to_rdflib,
)
from reviewgraph.stores.base import Term, with_values

RG = "https://w3id.org/reviewgraph/ns#"
ID = "https://w3id.org/reviewgraph/id/"

BODIES_YAML = """\
bodies:
  - id: dept
    name: Department of Examples
    government: true
  - id: nhse
    name: {nhse}
    parent: dept
"""

COMMITMENTS = f"""
PREFIX rg: <{RG}>
SELECT ?asOf ?commitment ?made ?owner WHERE {{
  ?commitment a rg:Commitment ; rg:madeOn/rg:latest ?made .
  OPTIONAL {{ ?commitment rg:owner ?owner }}
  FILTER (?made <= ?asOf)
}}"""


def _write_files(folder: Path, dataset: Dataset, nhse: str = "NHS England") -> list[Path]:
    """The tiny dataset as two files: the bodies in YAML, everything else in Turtle."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = folder / "bodies.yaml"
    bodies.write_text(BODIES_YAML.format(nhse=nhse), encoding="utf-8")
    rest = folder / "rest.ttl"
    rest.write_bytes(export_dataset(dataset.model_copy(update={"bodies": ()}), "ttl"))
    return [bodies, rest]


@pytest.fixture
def files(tmp_path: Path, tiny_dataset: Dataset) -> list[Path]:
    return _write_files(tmp_path / "data", tiny_dataset)


@pytest.fixture(params=["memory", "rdflib", "oxigraph"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    spec = f"oxigraph:{tmp_path / 'db'}" if request.param == "oxigraph" else request.param
    opened = open_store(spec, writable=True)
    yield opened
    opened.close()


def _snapshot(store: Store) -> tuple[dict[str, int], Any]:
    """The graphs with their sizes, and the triples up to blank node labels."""
    return store.graphs(), to_isomorphic(to_rdflib(store))


# --------------------------------------------------------------------------- every store


def test_a_load_reads_back_as_the_dataset(store: Store, files: list[Path], tiny: Dataset) -> None:
    report = load_files(store, files)
    assert [g.file.rsplit("/", 1)[-1] for g in report.graphs] == ["bodies.yaml", "rest.ttl"]
    assert read_store(store) == tiny
    assert set(store.graphs()) == {graph_iri(f) for f in files} | {ANNOTATIONS_GRAPH}
    assert report.triples == sum(n for g, n in store.graphs().items() if g != ANNOTATIONS_GRAPH)


@pytest.fixture
def tiny(tiny_dataset: Dataset) -> Dataset:
    return tiny_dataset


def test_queries_give_the_same_rows_on_every_store(store: Store, files: list[Path]) -> None:
    load_files(store, files)
    reference = open_store("memory")
    load_files(reference, files)
    bindings = {"asOf": date(2025, 1, 1)}
    rows = sorted(select(store, COMMITMENTS, bindings), key=str)
    assert rows == sorted(select(reference, COMMITMENTS, bindings), key=str)
    assert rows == [
        {
            "asOf": date(2025, 1, 1),
            "commitment": ID + "tiny-register",
            "made": date(2020, 3, 1),
            "owner": ID + "nhse",
        }
    ]
    assert select(store, COMMITMENTS, {"asOf": date(2019, 1, 1)}) == []
    literal = Literal("2025-01-01", datatype=XSD.date)
    assert select(store, COMMITMENTS, {"?asOf": literal}) == rows
    assert ask(store, f"ASK {{ <{ID}nhse> a <{RG}Body> }}")
    built = construct(store, f"CONSTRUCT {{ ?b a <{RG}Body> }} WHERE {{ ?b a <{RG}Body> }}")
    assert len(built) == 2


def test_loading_a_file_again_needs_replace(store: Store, files: list[Path]) -> None:
    load_files(store, files)
    with pytest.raises(GraphExistsError, match=r"bodies\.yaml: already loaded .* --replace"):
        load_files(store, files[:1])


def test_replace_swaps_a_files_triples(store: Store, files: list[Path], tmp_path: Path) -> None:
    load_files(store, files)
    before = store.graphs()
    files[0].write_text(BODIES_YAML.format(nhse="NHS England (renamed)"), encoding="utf-8")
    report = load_files(store, files[:1], replace=True)
    assert [g.replaced for g in report.graphs] == [True]
    names = select(
        store,
        f"SELECT ?n WHERE {{ <{ID}nhse> <http://www.w3.org/2004/02/skos/core#prefLabel> ?n }}",
    )
    assert names == [{"n": "NHS England (renamed)"}]  # no stale name left
    assert store.graphs() == before


def test_a_syntax_error_leaves_the_store_unchanged(store: Store, files: list[Path]) -> None:
    load_files(store, files[:1])
    before = _snapshot(store)
    broken = files[1].with_name("broken.nt")
    broken.write_text("<http://example.org/s> <http://example.org/p> .\n", encoding="utf-8")
    files[0].write_text(BODIES_YAML.format(nhse="Changed"), encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.nt: N-Triples syntax error"):
        load_files(store, [files[0], files[1], broken], replace=True)
    assert _snapshot(store) == before


def test_an_unknown_reference_leaves_the_store_unchanged(store: Store, files: list[Path]) -> None:
    load_files(store, files)
    before = _snapshot(store)
    orphan = files[0].with_name("orphan.yaml")
    orphan.write_text("bodies:\n  - id: orphan\n    name: Orphan\n    parent: nowhere\n")
    with pytest.raises(ValidationFailed, match="parent refers to 'nowhere'"):
        load_files(store, [orphan])
    assert _snapshot(store) == before


def test_references_may_point_into_the_store(store: Store, files: list[Path]) -> None:
    load_files(store, files)
    child = files[0].with_name("child.yaml")
    child.write_text("bodies:\n  - id: child\n    name: Child\n    parent: nhse\n")
    load_files(store, [child])
    with pytest.raises(ValidationFailed, match="already defined in the store"):
        twin = files[0].with_name("twin.yaml")
        twin.write_text("bodies:\n  - id: child\n    name: Twin\n")
        load_files(store, [twin])


def test_validate_refuses_a_broken_shape(store: Store, files: list[Path]) -> None:
    load_files(store, files[:1])
    before = _snapshot(store)
    bad = files[0].with_name("bad.yaml")
    bad.write_text(
        textwrap.dedent(
            """\
            deliverables:
              - id: no-citation
                title: A deliverable nobody cites
                date: 2021-01-01
            """
        )
    )
    with pytest.raises(ValidationFailed, match="citation"):
        load_files(store, [bad], validate=True, as_of=date(2030, 1, 1))
    assert _snapshot(store) == before


def test_bindings_must_be_rdf_terms_or_dates(store: Store) -> None:
    with pytest.raises(BindingError, match=r"\?asOf must be an RDF term"):
        select(store, COMMITMENTS, {"asOf": "2025-01-01"})
    with pytest.raises(BindingError, match="not a valid xsd:date"):
        select(store, COMMITMENTS, {"asOf": Literal("soon", datatype=XSD.date)})
    with pytest.raises(BindingError, match="not a SPARQL variable"):
        select(store, COMMITMENTS, {"as of": date(2025, 1, 1)})
    with pytest.raises(BindingError, match="not a valid IRI"):
        select(store, COMMITMENTS, {"commitment": URIRef("http://e/a b")})


def test_values_go_inside_the_top_level_where() -> None:
    asof = {"d": Term("2024-01-01", "literal", XSD_DATE)}
    query = "# a { comment\nCONSTRUCT { ?s ?p ?d } WHERE { ?s ?p ?o }"
    text = with_values(query, asof)
    assert text.index("VALUES (?d)") > text.index("WHERE {")
    assert with_values("ASK { ?s ?p '{' }", asof).startswith("ASK { VALUES (?d)")
    with pytest.raises(StoreError, match="no WHERE group"):
        with_values("SELECT ?x", asof)


XSD_DATE = str(XSD.date)


def test_graph_iris_come_from_file_paths(tmp_path: Path) -> None:
    path = tmp_path / "a b.yaml"
    assert graph_iri(path) == path.resolve().as_uri()
    assert graph_iri(path, "https://example.org/g").startswith("https://example.org/g/")
    assert graph_iri(path, "https://example.org/g/").endswith("a%20b.yaml")
    with pytest.raises(StoreError, match="not an absolute IRI"):
        graph_iri(path, "reviews")


def test_unknown_store_names_are_refused() -> None:
    with pytest.raises(StoreError, match="unknown store 'oxigraph'"):
        open_store("oxigraph")


# --------------------------------------------------------------------------- on disk


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_writer_is_locked_out(tmp_path: Path, files: list[Path]) -> None:
    path = tmp_path / "db"
    holder = _child(
        """
        import sys, time
        from reviewgraph.stores import open_store
        store = open_store("oxigraph:" + sys.argv[1], writable=True)
        print("ready", flush=True)
        time.sleep(60)
        """,
        str(path),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match=r"locked by another process \(pid \d+\)"):
            open_store(f"oxigraph:{path}", writable=True)
    finally:
        holder.kill()
        holder.wait()
    # the lock dies with its holder
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, files)


def test_readers_open_read_only_and_keep_their_snapshot(
    tmp_path: Path, files: list[Path], tiny: Dataset
) -> None:
    path = tmp_path / "db"
    with pytest.raises(StoreNotFoundError, match="no reviewgraph store"):
        open_store(f"oxigraph:{path}")
    writer = open_store(f"oxigraph:{path}", writable=True)
    load_files(writer, files)
    reader = open_store(f"oxigraph:{path}")
    assert isinstance(reader, OxigraphStore) and not reader.writable
    with pytest.raises(StoreError, match="opened read-only"):
        load_files(reader, files, replace=True)
    files[0].write_text(BODIES_YAML.format(nhse="Renamed"), encoding="utf-8")
    load_files(writer, files[:1], replace=True)  # while the reader is open
    assert read_store(reader) == tiny  # the reader keeps its generation
    with open_store(f"oxigraph:{path}") as fresh:
        assert read_store(fresh).get("nhse").name == "Renamed"  # type: ignore[attr-defined]
    reader.close()
    writer.close()
    generations = sorted(p.name for p in path.glob("gen-*") if p.is_dir())
    assert len(generations) <= 2


def test_a_killed_load_leaves_the_store_as_it_was(tmp_path: Path, files: list[Path]) -> None:
    path = tmp_path / "db"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, files)
        before = _snapshot(store)
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as handle:
        for i in range(400_000):
            handle.write(f'<http://example.org/s/{i}> <http://example.org/p> "value {i}" .\n')
    loader = _child(
        """
        import sys
        from reviewgraph.stores import open_store
        from reviewgraph.io.store import load_files
        store = open_store("oxigraph:" + sys.argv[1], writable=True)
        load_files(store, [sys.argv[2]])
        print("finished", flush=True)
        """,
        str(path),
        str(big),
    )
    deadline = time.monotonic() + 30
    while not (path / "gen-000002").is_dir() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # well inside the bulk load of 400k triples (several seconds)
    assert loader.poll() is None, "the load finished before it could be killed"
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    with open_store(f"oxigraph:{path}") as reader:
        assert _snapshot(reader) == before
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, files, replace=True)  # the next load cleans up after the dead one
        assert _snapshot(store) == before
    assert len([p for p in path.glob("gen-*") if p.is_dir()]) == 1


def test_bulk_writes_in_place(tmp_path: Path, files: list[Path], tiny: Dataset) -> None:
    path = tmp_path / "db"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, files, bulk=True)
        assert isinstance(store, OxigraphStore) and store.generation == 1
        load_files(store, files, replace=True, bulk=True)
        assert store.generation == 1
        assert read_store(store) == tiny


def test_replacing_most_of_the_store_rebuilds_it(
    tmp_path: Path, files: list[Path], tiny: Dataset
) -> None:
    """Replacing graphs that hold most of the triples copies the rest into a new database."""
    path = tmp_path / "db"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, files)
        assert store.graphs()[graph_iri(files[1])] * 2 > len(store)
        report = load_files(store, files[1:], replace=True)
        assert [g.replaced for g in report.graphs] == [True]
        assert read_store(store) == tiny
        assert isinstance(store, OxigraphStore) and store.generation == 2


def test_a_foreign_oxigraph_folder_is_read_but_not_written(tmp_path: Path) -> None:
    import pyoxigraph as ox

    path = tmp_path / "plain"
    plain = ox.Store(str(path))
    plain.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    del plain
    with open_store(f"oxigraph:{path}") as store:
        assert select(store, "SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "o"}]
    with pytest.raises(StoreError, match="did not create"):
        open_store(f"oxigraph:{path}", writable=True)


# --------------------------------------------------------------------------- endpoint


def test_the_endpoint_loads_and_answers_like_memory(
    server: str, files: list[Path], tiny: Dataset
) -> None:
    endpoint = open_endpoint(
        f"{server}/query",
        update_url=f"{server}/update",
        gsp_url=f"{server}/store",
        graph="https://example.org/test-a/",
    )
    report = load_files(endpoint, files)
    assert all(g.graph.startswith("https://example.org/test-a/") for g in report.graphs)
    assert read_store(endpoint) == tiny
    memory = open_store("memory")
    load_files(memory, files)
    bindings = {"asOf": date(2025, 1, 1)}
    assert sorted(select(endpoint, COMMITMENTS, bindings), key=str) == sorted(
        select(memory, COMMITMENTS, bindings), key=str
    )
    with pytest.raises(GraphExistsError):
        load_files(endpoint, files[:1])
    files[0].write_text(BODIES_YAML.format(nhse="Via GSP"), encoding="utf-8")
    load_files(endpoint, files[:1], replace=True, bulk=True)  # Graph Store Protocol PUT
    assert read_store(endpoint).get("nhse").name == "Via GSP"  # type: ignore[attr-defined]
    before = _snapshot(endpoint)
    broken = files[1].with_name("broken.ttl")
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="Turtle syntax error"):
        load_files(endpoint, [files[0], broken], replace=True)
    assert _snapshot(endpoint) == before
    other = open_endpoint(f"{server}/query", graph="https://example.org/test-b/")
    assert other.dataset() == [ANNOTATIONS_GRAPH]


def test_an_endpoint_that_does_not_answer_is_an_environment_error() -> None:
    with pytest.raises(EndpointError, match="does not answer"):
        open_endpoint(f"http://127.0.0.1:{free_port()}/query", timeout=2)


def test_endpoint_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.headers.get("Authorization"))
            body = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_USER", "ann")
        monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_PASSWORD", "s3cret")
        monkeypatch.setenv("HOME", str(Path(os.devnull).parent))  # no ~/.netrc
        open_endpoint(f"http://127.0.0.1:{httpd.server_port}/sparql")
        # the manifest, then (none there) plain graph discovery: both with the credentials
        assert seen and set(seen) == {"Basic YW5uOnMzY3JldA=="}
    finally:
        httpd.shutdown()


def test_the_load_command_exits_3_when_another_writer_holds_the_store(
    tmp_path: Path, files: list[Path]
) -> None:
    from click.testing import CliRunner

    from reviewgraph.cli import main

    path = tmp_path / "db"
    runner = CliRunner()
    first = runner.invoke(main, ["load", *map(str, files), "--store", f"oxigraph:{path}"])
    assert first.exit_code == 0, first.output
    assert "loaded" in first.stdout
    holder = _child(
        """
        import sys, time
        from reviewgraph.stores import open_store
        store = open_store("oxigraph:" + sys.argv[1], writable=True)
        print("ready", flush=True)
        time.sleep(60)
        """,
        str(path),
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        second = runner.invoke(
            main, ["load", *map(str, files), "--store", f"oxigraph:{path}", "--replace"]
        )
    finally:
        holder.kill()
        holder.wait()
    assert second.exit_code == 3
    assert "locked by another process" in second.stderr
    assert "Traceback" not in second.output


def test_the_load_command_needs_one_target() -> None:
    from click.testing import CliRunner

    from reviewgraph.cli import main

    result = CliRunner().invoke(main, ["load"])
    assert result.exit_code == 2
    assert "give one of --store" in result.stderr


# --------------------------------------------------------------------------- parallel parts


def _nt_with_blank_nodes(path: Path, lines: int, shared: int) -> None:
    """N-Triples in which every 40th subject's blank node is used again 30 lines later (so
    cuts must fall between such pairs), and ``shared`` blank nodes are used at both ends of
    the file (so no cut is allowed at all)."""
    out = [f'_:s{j} <http://e/q> "shared {j}" .\n' for j in range(shared)]
    for i in range(lines):
        out.append(f'<http://e/s{i}> <http://e/p> "value {i}" .\n')
        if i % 40 == 0:
            out.append(f"<http://e/s{i}> <http://e/has> _:near{i} .\n")
        if i % 40 == 30:
            out.append(f'_:near{i - 30} <http://e/q> "near {i - 30}" .\n')
    out += [f"<http://e/t> <http://e/r> _:s{j} .\n" for j in range(shared)]
    path.write_text("".join(out), encoding="utf-8")


QUESTIONS = [
    # each blank node is still one node: its two uses meet
    "SELECT (COUNT(*) AS ?n) WHERE { <http://e/t> <http://e/r> ?b . ?b <http://e/q> ?x }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://e/has> ?b . ?b <http://e/q> ?x }",
    "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b <http://e/q> ?x }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize(("shared", "parted"), [(0, True), (3, False)])
def test_a_large_file_loads_in_parallel_parts_without_splitting_blank_nodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: int, parted: bool
) -> None:
    from reviewgraph.stores import oxigraph as oxi
    from reviewgraph.stores import oxload

    monkeypatch.setattr(oxi, "BULK_MIN_BYTES", 10_000)
    monkeypatch.setattr(oxload, "PART_BYTES", 60_000)
    monkeypatch.setattr(oxload, "SCAN_BYTES", 8_192)
    monkeypatch.setattr(oxload, "_load_threads", lambda: 2)
    cuts: list[int] = []
    real_cut = oxload._cut

    def spy(path: Path, size: int, threads: int) -> list[tuple[int, int]]:
        parts = real_cut(path, size, threads)
        cuts.append(len(parts))
        return parts

    monkeypatch.setattr(oxload, "_cut", spy)
    data = tmp_path / "big.nt"
    _nt_with_blank_nodes(data, 6_000, shared=shared)
    with open_store(f"oxigraph:{tmp_path / 'db'}", writable=True) as store:
        load_files(store, [data])
    memory = open_store("memory")
    load_files(memory, [data])
    assert (cuts[0] > 1) is parted, cuts
    with open_store(f"oxigraph:{tmp_path / 'db'}") as disk:
        for q in QUESTIONS:
            assert select(disk, q) == select(memory, q), q
        assert select(disk, QUESTIONS[0]) == [{"n": shared}]
        assert select(disk, QUESTIONS[1]) == [{"n": 150}]


def test_a_syntax_error_in_a_later_part_names_its_line_in_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewgraph.stores import oxigraph as oxi
    from reviewgraph.stores import oxload

    monkeypatch.setattr(oxi, "BULK_MIN_BYTES", 10_000)
    monkeypatch.setattr(oxload, "PART_BYTES", 60_000)
    monkeypatch.setattr(oxload, "_load_threads", lambda: 2)
    data = tmp_path / "broken.nt"
    good = [f'<http://e/s{i}> <http://e/p> "value {i}" .\n' for i in range(5_000)]
    good[4_000] = "<http://e/s> <http://e/p> this is not N-Triples .\n"
    data.write_text("".join(good), encoding="utf-8")
    path = tmp_path / "db"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        with pytest.raises(InputError, match=r"line 4001\b"):
            load_files(store, [data])
    # nothing was published: the first load into a new store left no store behind
    from reviewgraph.stores import StoreNotFoundError

    with pytest.raises(StoreNotFoundError):
        open_store(f"oxigraph:{path}")


@pytest.mark.parametrize("validate", [False, True])
def test_load_files_shows_progress_over_the_files_read_through_the_models(
    files: list[Path], validate: bool
) -> None:
    seen: list[Path] = []

    def progress(paths: list[Path]) -> Iterator[Path]:
        for path in paths:
            seen.append(path)
            yield path

    report = load_files(open_store("memory"), files, validate=validate, progress=progress)
    # YAML goes through the models; Turtle only when validating
    expected = [p.resolve() for p in files] if validate else [files[0].resolve()]
    assert seen == expected
    assert report.triples > 0
