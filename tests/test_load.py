"""Loading files and folders: YAML, CSV, Turtle, N-Triples and JSON-LD, checked as a whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA

from reviewgraph._build.artifacts import generate_context
from reviewgraph.errors import InputError, InputTooLargeError, ValidationFailed
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Body, Dataset
from reviewgraph.rdf.mapping import to_graph

BODIES = "bodies:\n  - id: dept\n    name: Department\n"


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working folder, so that messages name files relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- folders


def test_a_folder_is_read_recursively_in_a_stable_order(here: Path) -> None:
    write(
        here,
        {
            "data/b.yaml": "people:\n  - id: jo\n    name: Jo\n",
            "data/a/bodies.yml": BODIES,
            "data/a/notes.txt": "not data",
            "data/README.md": "# not data",
        },
    )
    loaded = read_dataset(["data"])
    assert loaded.files == ("data/a/bodies.yml", "data/b.yaml")
    assert [i.id for i in loaded.dataset.items()] == ["dept", "jo"]


def test_files_and_folders_combine(here: Path) -> None:
    write(here, {"one/bodies.yaml": BODIES, "two.yaml": "people:\n  - {id: jo, name: Jo}\n"})
    assert len(read_dataset(["one", "two.yaml"]).dataset) == 2


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({"empty.yaml": ""}, "empty.yaml", r"^empty\.yaml: the file is empty$"),
        ({"blank.yaml": "  \n\n\t\n"}, "blank.yaml", r"^blank\.yaml: the file is empty$"),
        ({"c.yaml": "# only a comment\n"}, "c.yaml", r"^c\.yaml(:\d+)?: the file holds no data"),
        ({"empty.csv": ""}, "empty.csv", r"^empty\.csv: the file is empty$"),
        ({"bom.csv": b"\xef\xbb\xbf"}, "bom.csv", r"^bom\.csv: the file is empty$"),
        ({"empty.ttl": "# nothing\n"}, "empty.ttl", r"^empty\.ttl: the file holds no triples"),
        ({"d/x.txt": "x"}, "d", r"^d: the folder holds no YAML, CSV or RDF files$"),
        ({}, "missing.yaml", r"^missing\.yaml: no such file or folder$"),
        ({"notes.txt": "x"}, "notes.txt", r"^notes\.txt: not a data file \(expected \.yaml, "),
        (
            {"latin1.yaml": "bodies:\n  - id: a\n    name: Caf\u00e9\n".encode("latin-1")},
            "latin1.yaml",
            r"^latin1\.yaml:3: the file is not valid utf-8 \(byte 0xe9\)",
        ),
    ],
)
def test_unreadable_inputs_are_refused_by_name(
    here: Path, files: dict[str, Any], target: str, message: str
) -> None:
    write(here, files)
    with pytest.raises(InputError, match=message):
        read_dataset([target])


def test_another_encoding_can_be_named(here: Path) -> None:
    write(here, {"latin1.yaml": "bodies:\n  - id: a\n    name: Caf\u00e9\n".encode("latin-1")})
    body = read_dataset(["latin1.yaml"], encoding="latin-1").dataset.bodies[0]
    assert body.name == "Caf\u00e9"


def test_the_size_limit(here: Path) -> None:
    write(here, {"big.yaml": "bodies:\n" + "  - {id: b, name: B}  # padding padding\n" * 5000})
    with pytest.raises(InputTooLargeError, match=r"^big\.yaml: the file is 0\.\d+ MB, over the "):
        read_dataset(["big.yaml"], max_mb=0.1)
    with pytest.raises(ValidationFailed, match="the id is already used"):
        read_dataset(["big.yaml"], max_mb=1)  # within the limit, it is read (and checked)


# --------------------------------------------------------------------------- across files


def test_duplicate_ids_across_files_name_both_places(here: Path) -> None:
    write(
        here,
        {
            "a.yaml": BODIES,
            "b.yaml": "people:\n  - id: jo\n    name: Jo\nbodies:\n  - id: dept\n    name: Again\n",
        },
    )
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["a.yaml", "b.yaml"])
    (problem,) = caught.value.problems
    assert str(problem).startswith("b.yaml:5: body dept: ")
    assert "a.yaml:2" in str(problem)


def test_duplicate_ids_between_yaml_and_csv(here: Path) -> None:
    write(
        here,
        {
            "r.yaml": "review:\n  id: r-1\n  title: From YAML\n",
            "t.csv": "review_id,review_title,rec_label\nr-1,From CSV,1\n",
        },
    )
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["r.yaml", "t.csv"])
    messages = [str(p) for p in caught.value.problems]
    assert any("r-1" in m and "r.yaml:2" in m and "t.csv:2" in m for m in messages), messages


def test_dangling_references_are_named_with_file_and_line(here: Path) -> None:
    write(
        here,
        {
            "bodies.yaml": BODIES,
            "review.yaml": "review:\n  id: r\n  title: T\n  publisher: dept\n"
            "  recommendations:\n    - label: '1'\n      addressees: [dept, nobody]\n",
        },
    )
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["bodies.yaml", "review.yaml"])
    (problem,) = caught.value.problems
    assert str(problem) == (
        "review.yaml:6: recommendation r/1: addressees refers to 'nobody', "
        "which no loaded file defines"
    )


def test_references_inside_nested_nodes_are_checked(here: Path) -> None:
    write(
        here,
        {"r.yaml": "review:\n  id: r\n  title: T\n  citations: [{source: nowhere}]\n"},
    )
    with pytest.raises(ValidationFailed, match="source refers to 'nowhere'"):
        read_dataset(["r.yaml"])


def test_a_body_named_in_a_csv_is_replaced_by_its_definition(here: Path) -> None:
    write(
        here,
        {
            "bodies.yaml": "bodies:\n  - id: nhs-england\n    name: NHS England\n"
            "    abbreviation: NHSE\n",
            "t.csv": "review_id,rec_label,addressees\nr-1,1,NHS England\n",
        },
    )
    ds = read_dataset(["t.csv", "bodies.yaml"]).dataset
    assert ds.bodies == (Body(id="nhs-england", name="NHS England", abbreviation="NHSE"),)


# --------------------------------------------------------------------------- RDF input


@pytest.mark.parametrize(
    ("suffix", "rdf_format"), [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld")]
)
def test_rdf_files_round_trip(
    here: Path, tiny_dataset: Dataset, suffix: str, rdf_format: str
) -> None:
    graph = to_graph(tiny_dataset)
    if rdf_format == "json-ld":
        text = graph.serialize(format="json-ld", context=generate_context()["@context"])
    else:
        text = graph.serialize(format=rdf_format)
    write(here, {f"tiny{suffix}": text})
    loaded = read_dataset([f"tiny{suffix}"])
    assert loaded.dataset == tiny_dataset
    assert str(loaded.where("tiny-2020/1")) == f"tiny{suffix}"


def test_rdf_input_keeps_triples_outside_the_model(here: Path, tiny_dataset: Dataset) -> None:
    text = to_graph(tiny_dataset).serialize(format="turtle")
    text += '\n<http://example.org/x> <http://example.org/says> "bonjour"@fr .\n'
    write(here, {"tiny.ttl": text})
    assert read_dataset(["tiny.ttl"]).dataset.extra_triples == (
        '<http://example.org/x> <http://example.org/says> "bonjour"@fr',
    )


def test_yaml_and_turtle_of_the_same_items_agree(here: Path) -> None:
    yaml_path = DATA / "yaml" / "located-problems.yaml"
    from_yaml = read_dataset([yaml_path]).dataset
    write(here, {"same.ttl": to_graph(from_yaml).serialize(format="turtle")})
    assert read_dataset(["same.ttl"]).dataset == from_yaml


REMOTE = [
    {"@context": "https://w3id.org/reviewgraph/context.jsonld", "@id": "urn:x"},
    {"@context": ["https://schema.org/", {"rg": "https://w3id.org/reviewgraph/ns#"}]},
    {"@context": {"@import": "https://example.org/context.jsonld"}},
    {"@graph": [{"@context": "http://example.org/inner", "@id": "urn:x"}]},
    {"@context": {"rg": {"@id": "urn:rg", "@context": "https://example.org/scoped"}}},
]


@pytest.mark.parametrize("document", REMOTE, ids=range(len(REMOTE)))
def test_remote_json_ld_contexts_are_refused(here: Path, document: dict[str, Any]) -> None:
    write(here, {"remote.jsonld": json.dumps(document)})
    with pytest.raises(InputError, match=r"^remote\.jsonld: the JSON-LD names a remote context"):
        read_dataset(["remote.jsonld"])


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.ttl", "<a> <b> .\n", r"^bad\.ttl(:1)?: turtle syntax error"),
        ("bad.nt", "<http://a> <http://b> c .\n", r"^bad\.nt(:1)?: nt syntax error"),
        ("bad.jsonld", '{"@id": ', r"^bad\.jsonld(:\d+)?: JSON syntax error"),
    ],
)
def test_rdf_syntax_errors_name_the_file(here: Path, name: str, text: str, message: str) -> None:
    write(here, {name: text})
    with pytest.raises(InputError, match=message):
        read_dataset([name])


def test_rdf_items_that_break_the_model_name_file_and_item(
    here: Path, tiny_dataset: Dataset
) -> None:
    text = to_graph(tiny_dataset).serialize(format="nt")
    text = "\n".join(line for line in text.splitlines() if "purl.org/dc/terms/title" not in line)
    write(here, {"broken.nt": text + "\n"})
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["broken.nt"])
    messages = sorted(str(p) for p in caught.value.problems)
    assert any(m.startswith("broken.nt: ") and "tiny-2020" in m and "title" in m for m in messages)


def test_data_fixtures_all_load() -> None:
    """The shipped test fixtures are themselves valid input (the guard for this file's data)."""
    for path in sorted((DATA / "yaml").glob("*.yaml")) + sorted((DATA / "tracker").glob("*.csv")):
        assert len(read_dataset([path]).dataset) > 0, path


# --------------------------------------------------------------------------- no network


def test_the_suite_cannot_reach_the_network() -> None:
    """conftest.py refuses connections to anything but this machine, for every test."""
    import socket

    from conftest import NetworkBlockedError

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        with pytest.raises(NetworkBlockedError, match=r"192\.0\.2\.1"):
            s.connect(("192.0.2.1", 80))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass  # loopback is allowed
