"""Every command reads a store (``--store oxigraph:PATH``, ``--endpoint URL``) instead of DATA
and gives the same answers as from the files that were loaded; ``gaps`` JSON byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port

from reviewgraph.analysis import ReviewGraph
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.io.store import load_files
from reviewgraph.stores import open_store

GRAPH = "https://example.org/cli-stores/"
AS_OF = "2025-07-01"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The bundled seeds loaded into an Oxigraph store on disk by ``reviewgraph load``."""
    spec = f"oxigraph:{tmp_path_factory.mktemp('cli-store') / 'db'}"
    code, _, err = run("load", "--store", spec)
    assert code == 0, err
    yield ["--store", spec]


@pytest.fixture(scope="module")
def endpoint(server: str) -> list[str]:
    """The bundled seeds loaded into the Oxigraph server under one graph IRI."""
    code, _, err = run(
        "load", "--endpoint", f"{server}/query", "--update-endpoint", f"{server}/update",
        "--graph", GRAPH,
    )  # fmt: skip
    assert code == 0, err
    return ["--endpoint", f"{server}/query", "--graph", GRAPH]


COMMANDS = {
    "gaps-json": ["gaps", "--as-of", AS_OF, "--format", "json"],
    "gaps-2025-01-md": ["gaps", "--as-of", "2025-01-01", "--format", "md"],
    "gaps-filtered": ["gaps", "--as-of", AS_OF, "--body", "nhs-england", "--format", "csv"],
    "gaps-review": ["gaps", "--as-of", AS_OF, "--review", "kark-2019", "--format", "json"],
    "status": ["status", "messenger-framework", "--as-of", "2025-01-01", "--format", "json"],
    "trace": ["trace", "messenger-2022/3", "--as-of", AS_OF, "--format", "json"],
    "recurring": ["recurring", "--as-of", AS_OF, "--format", "json"],
    "scorecard": ["scorecard", "--by", "review", "--as-of", AS_OF, "--format", "json"],
    "slippage": ["slippage", "--as-of", AS_OF, "--format", "json"],
    "contested": ["contested", "--as-of", AS_OF, "--format", "json"],
    "timeline": ["timeline", "--as-of", AS_OF, "--format", "table"],
    "stats": ["stats"],
}


@pytest.fixture(scope="module")
def from_files() -> dict[str, bytes]:
    out = {}
    for name, argv in COMMANDS.items():
        code, stdout, err = run(*argv)
        assert code == 0, (name, err)
        out[name] = stdout
    return out


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("route", ["disk", "endpoint"])
def test_a_store_gives_the_same_bytes_as_the_files(
    name: str, route: str, request: pytest.FixtureRequest, from_files: dict[str, bytes]
) -> None:
    source = request.getfixturevalue(route)
    code, stdout, err = run(*COMMANDS[name], *source)
    assert code == 0, err
    assert stdout == from_files[name]
    assert len(stdout) > 100 or name == "stats"


def test_gaps_json_is_byte_identical_from_files_memory_disk_and_endpoint(
    disk: list[str], endpoint: list[str], from_files: dict[str, bytes]
) -> None:
    memory = open_store("memory")
    load_files(memory)
    api = ReviewGraph.from_store(memory).gaps(as_of=AS_OF).model_dump_json(indent=2)
    files = ReviewGraph.from_dataset(read_dataset().dataset).gaps(as_of=AS_OF)
    assert api == files.model_dump_json(indent=2)
    outputs = {run(*COMMANDS["gaps-json"], *src)[1] for src in ([], disk, endpoint)}
    assert len(outputs) == 1
    assert b'"not-followed-through"' in outputs.pop()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "csv", "graphml", "gexf", "dot"])
def test_exports_from_a_store_match_exports_from_files(
    fmt: str, disk: list[str], tmp_path: Path
) -> None:
    run("export", "--format", fmt, "-o", str(tmp_path / "files.out"))
    code, _, err = run("export", "--format", fmt, "-o", str(tmp_path / "store.out"), *disk)
    assert code == 0, err
    assert (tmp_path / "store.out").read_bytes() == (tmp_path / "files.out").read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "dot"])
def test_network_exports_from_an_endpoint_match_exports_from_files(
    fmt: str, endpoint: list[str], tmp_path: Path
) -> None:
    """Built from SPARQL on the endpoint (projection_from_store), not from models."""
    run("export", "--format", fmt, "-o", str(tmp_path / "files.out"))
    code, _, err = run("export", "--format", fmt, "-o", str(tmp_path / "store.out"), *endpoint)
    assert code == 0, err
    assert (tmp_path / "store.out").read_bytes() == (tmp_path / "files.out").read_bytes()


def test_the_report_from_a_store_matches_the_report_from_files(
    endpoint: list[str], tmp_path: Path
) -> None:
    run("report", "--as-of", AS_OF, "-o", str(tmp_path / "files.html"))
    code, _, err = run("report", "--as-of", AS_OF, "-o", str(tmp_path / "store.html"), *endpoint)
    assert code == 0, err
    assert (tmp_path / "store.html").read_bytes() == (tmp_path / "files.html").read_bytes()


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "table"])
def test_query_runs_on_the_store_itself(fmt: str, disk: list[str]) -> None:
    argv = ["query", "recurring", "--param", f"asOf={AS_OF}", "--format", fmt]
    code, stdout, err = run(*argv, *disk)
    assert code == 0, err
    _, expected, _ = run(*argv)
    # the same rows and the same header; engines may order rows without ORDER BY differently
    if fmt == "json":
        assert stdout.count(b'"type": "uri"') == expected.count(b'"type": "uri"') > 0
    else:
        assert sorted(stdout.splitlines()) == sorted(expected.splitlines())


def test_validate_reads_a_store_and_names_the_files(disk: list[str]) -> None:
    code, stdout, _ = run("validate", "--as-of", "2025-07-01", *disk)
    assert code == 1  # the seeds record events after 2025-07-01
    text = stdout.decode()
    assert "seeds/ten-year-plan-2025.yaml: commitment tyhp-college: made on '2025-07-03'" in text
    _, from_files, _ = run("validate", "--as-of", "2025-07-01")
    assert text.splitlines()[-1] == from_files.decode().splitlines()[-1]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["seeds"], "give DATA or --store/--endpoint, not both"),
        (["--endpoint", "http://127.0.0.1:9/query"], "give --store or --endpoint, not both"),
    ],
)
def test_data_and_a_store_together_is_a_usage_error(
    extra: list[str], message: str, disk: list[str]
) -> None:
    code, stdout, err = run("gaps", *disk, *extra)
    assert code == 2
    assert message in err
    assert stdout == b""
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--graph", GRAPH], "--graph goes with --endpoint"),
        (["--store", "memory"], "a store to read from is oxigraph:PATH"),
        (["--store", "postgres:x"], "a store to read from is oxigraph:PATH"),
    ],
)
def test_bad_store_options_are_usage_errors(argv: list[str], message: str) -> None:
    code, _, err = run("gaps", *argv)
    assert code == 2
    assert message in err


def test_a_store_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    code, stdout, err = run("gaps", "--store", f"oxigraph:{tmp_path / 'nothing'}")
    assert code != 0
    assert str(tmp_path / "nothing") in err
    assert len(err.strip().splitlines()) == 1
    assert stdout == b""
    assert not (tmp_path / "nothing").exists()


def test_an_endpoint_that_does_not_answer_exits_3() -> None:
    code, stdout, err = run(
        "status", "kark-2019/1", "--endpoint", f"http://127.0.0.1:{free_port()}/q"
    )
    assert code == 3
    assert "does not answer" in err
    assert stdout == b""
