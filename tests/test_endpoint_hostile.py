"""The hostile-input corpus on the endpoint route (issues 17 and 18).

Everything that is refused from files is refused the same way by ``load --endpoint``, and
leaves the server as it was; what loads gives the same answers from the server as from the
files.  Hostile ids reach the server only as bound terms: ``status``, ``trace`` and
``gaps --review`` refuse them in the same one line as on the files route.  Run on the
Oxigraph server, and on Virtuoso where it is installed (as CI installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import VIRTUOSO_USER
from test_bad_inputs import AS_OF, BAD, CASES, Case

from reviewgraph.cli import main
from reviewgraph.io.export import export_dataset
from reviewgraph.models import Body, Dataset, Review
from reviewgraph.stores import open_endpoint
from reviewgraph.stores.base import ANNOTATIONS_GRAPH

HOSTILE_IDS = [
    "x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o",
    "kark-2019/1> . ?s ?p ?o } #",
    "x}\nSELECT * WHERE { ?s ?p ?o }",
    'x" . ?s ?p ?o . "',
    "x\\u003E",
    "a b",
    "x{y}",
]
LINE_LIKE = ["\u2028", "\u2029", "\u0085", "\r\n", "\t", '"', "\\", ">", "}"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def endpoint(request: pytest.FixtureRequest) -> dict[str, str]:
    """The query and update URLs of a real server, and the credentials it needs."""
    if request.param == "oxigraph":
        url = request.getfixturevalue("server")
        return {"query": f"{url}/query", "update": f"{url}/update"}
    urls = request.getfixturevalue("virtuoso")
    return {
        "query": urls["query"],
        "update": urls["update"],
        "REVIEWGRAPH_ENDPOINT_USER": VIRTUOSO_USER[0],
        "REVIEWGRAPH_ENDPOINT_PASSWORD": VIRTUOSO_USER[1],
    }


def _env(endpoint: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in endpoint.items() if k.startswith("REVIEWGRAPH_")}


def load(endpoint: dict[str, str], graph: str, *paths: str) -> tuple[int, str, str]:
    return run(
        "load", "--endpoint", endpoint["query"], "--update-endpoint", endpoint["update"],
        "--graph", graph, *paths, env=_env(endpoint),
    )  # fmt: skip


@pytest.fixture(scope="module")
def seeds(endpoint: dict[str, str]) -> list[str]:
    graph = "https://example.org/hostile-seeds/"
    code, _, err = load(endpoint, graph)
    assert code == 0, err
    return ["--endpoint", endpoint["query"], "--graph", graph]


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds in an Oxigraph store on disk (the other route that reads around an item)."""
    path = tmp_path_factory.mktemp("hostile") / "st"
    assert run("load", "--store", f"oxigraph:{path}")[0] == 0
    return ["--store", f"oxigraph:{path}"]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
@pytest.mark.parametrize("command", [["status"], ["trace"], ["gaps", "--review"]])
def test_hostile_ids_are_refused_in_one_line_as_on_the_other_routes(
    command: list[str], hostile: str, seeds: list[str], disk: list[str], endpoint: dict[str, str]
) -> None:
    """Refused as from a store on disk, word for word.  From the files the line differs (the
    files' analysis looks the id up, a store's binds it first), and ``gaps --review`` there
    answers no findings rather than refusing the id."""
    served = run(*command, hostile, "--as-of", "2025-07-01", *seeds, env=_env(endpoint))
    assert served == run(*command, hostile, "--as-of", "2025-07-01", *disk)
    files = run(*command, hostile, "--as-of", "2025-07-01")
    assert served[0] == 2 and served[1] == ""
    if command[0] == "gaps":  # the files' gaps --review lists no review of that id
        assert files[0] == 0 and ": 0\n" in files[1]
    else:
        assert files[0] == 2 and files[1] == ""
    for _, _, err in (served, files) if command[0] != "gaps" else (served,):
        lines = [line for line in err.splitlines() if line]
        assert len(lines) == 1 and lines[0].startswith("Error: "), err
        assert repr(hostile)[1:-1][:8] in lines[0]


def _hostile_text(folder: Path) -> Path:
    """A dataset whose text holds characters that line- or term-based writers could mangle."""
    reviews = tuple(
        Review(id=f"r-{n}", title=f"before{c}after {n} SERVICE <http://127.0.0.1:9/>")
        for n, c in enumerate(LINE_LIKE)
    )
    dataset = Dataset(bodies=(Body(id="dhsc", name='Health\u2028and "care" }'),), reviews=reviews)
    path = folder / "hostile-text.ttl"
    path.write_bytes(export_dataset(dataset, "ttl"))
    return path


@pytest.fixture(scope="module")
def hostile_text(
    endpoint: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[str]]:
    """The hostile text as a Turtle file, and loaded into the server (once per server)."""
    path = _hostile_text(tmp_path_factory.mktemp("hostile-text"))
    graph = "https://example.org/hostile-text/"
    code, _, err = load(endpoint, graph, str(path))
    assert code == 0, err
    return path, ["--endpoint", endpoint["query"], "--graph", graph]


@pytest.mark.parametrize(
    "command",
    [
        ["gaps", "--as-of", "2025-07-01", "--format", "json"],
        ["stats"],
        ["export", "--format", "nt", "-o", "-"],
        ["export", "--format", "jsonld", "-o", "-"],
    ],
)
def test_hostile_text_reads_back_from_the_server_as_from_the_files(
    command: list[str], hostile_text: tuple[Path, list[str]], endpoint: dict[str, str]
) -> None:
    path, source = hostile_text
    files = run(*command, str(path))
    served = run(*command, *source, env=_env(endpoint))
    assert files[0] == 0, files[2]
    assert served == files
    assert len(files[1]) > 100


REFUSED = [c for c in CASES if c.exit_code == 2]
REPORTED = [c for c in CASES if c.exit_code == 1]


def test_each_bad_input_gets_the_same_answer_from_load_endpoint_as_from_load_store(
    server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each input of the corpus that ``validate`` refuses: ``load --endpoint`` says what
    ``load --store`` says, line for line, with the same exit code; what is refused leaves the
    server holding nothing of it.  (The engine loads of both routes accept some inputs that
    ``validate`` refuses: issue 18, item 5.)"""
    monkeypatch.chdir(BAD)
    endpoint = {"query": f"{server}/query", "update": f"{server}/update"}
    differ, refused = [], 0
    for number, case in enumerate(REFUSED):
        graph = f"https://example.org/hostile-refused/{number}/"
        local = run("load", "--store", f"oxigraph:{tmp_path / str(number)}", case.path)
        served = load(endpoint, graph, case.path)
        same = served[0] == local[0] and (served[0] == 0 or served[1:] == local[1:])
        if not same:
            differ.append((case.path, served, local))
        if served[0] == 2:
            refused += 1
            held = open_endpoint(endpoint["query"], graph=graph).dataset()
            assert [g for g in held if g != ANNOTATIONS_GRAPH] == [], case.path
    assert not differ, differ[:3]
    assert refused >= 100 and len(REFUSED) >= 140


@pytest.mark.parametrize("case", REPORTED, ids=[c.path for c in REPORTED])
def test_inputs_with_violations_give_the_same_answers_from_the_server(
    case: Case, server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``gaps`` as from the files; ``validate`` as from a store on disk (neither store knows
    the line an item came from)."""
    monkeypatch.chdir(BAD)
    graph = f"https://example.org/hostile-reported/{case.path.replace('/', '-')}/"
    endpoint = {"query": f"{server}/query", "update": f"{server}/update"}
    code, _, err = load(endpoint, graph, case.path)
    assert code == 0, err
    disk = ["--store", f"oxigraph:{tmp_path / 'st'}"]
    assert run("load", *disk, case.path)[0] == 0
    source = ["--endpoint", endpoint["query"], "--graph", graph]
    gaps = ["gaps", "--as-of", AS_OF]
    assert run(*gaps, *source) == run(*gaps, case.path)
    validate = ["validate", "--as-of", AS_OF]
    served = run(*validate, *source)
    assert served == run(*validate, *disk)
    assert served[0] == 1 and "violation" in served[1]
