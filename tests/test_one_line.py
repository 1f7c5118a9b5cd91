"""Where docs/reliability.md promises one line, there is one line (issue 18, items 6, 8,
12 and 13): no traceback, a non-zero exit, and nothing half-written.

Each case is a command the red-team pass ran, and its siblings.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph.cli import main
from reviewgraph.stores import oxigraph, oxload

SMALL = "bodies:\n  - id: dhsc\n    name: Department of Health and Social Care\n"
TTL_HEAD = (
    "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    "@prefix rg: <https://w3id.org/reviewgraph/ns#> .\n"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line(result: Result, code: int = 2) -> str:
    text = result.output + result.stderr
    assert "Traceback" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == code, text
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


# -- query ------------------------------------------------------------------------------------


def test_binary_query_file(small: Path, tmp_path: Path) -> None:
    rq = tmp_path / "picture.rq"
    rq.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    line = one_line(run("query", str(rq), str(small)))
    assert line == f"Error: {rq}: the query file is not UTF-8 text (byte 0x89)"


def test_query_file_with_nul_bytes(small: Path, tmp_path: Path) -> None:
    rq = tmp_path / "nul.rq"
    rq.write_bytes(b"SELECT * WHERE { ?s ?p ?o }\x00")
    assert "holds NUL bytes" in one_line(run("query", str(rq), str(small)))


def test_graph_on_the_files_route(small: Path) -> None:
    line = one_line(run("query", "-e", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", str(small)))
    assert "GRAPH needs named graphs" in line and "--store" in line


def test_query_csv_neutralises_formulas(small: Path) -> None:
    text = 'SELECT ("=HYPERLINK(\\"x\\")" AS ?a) ("@SUM(1)" AS ?b) ("plain" AS ?c) WHERE {}'
    result = run("query", "-e", text, str(small), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1] == ['\'=HYPERLINK("x")', "'@SUM(1)", "plain"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "many"])
def test_max_input_mb_must_be_a_positive_number(small: Path, value: str) -> None:
    result = run("stats", str(small), "--max-input-mb", value)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "--max-input-mb" in result.stderr


def test_max_input_mb_nan_is_refused_by_the_library(small: Path) -> None:
    from reviewgraph.io.files import read_dataset

    for bad in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ValueError, match="max_mb must be a finite number above 0"):
            read_dataset([small], max_mb=bad)


def _query_process(small: Path, text: str, timeout: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "reviewgraph",
            "query",
            "-e",
            text,
            str(small),
            "--timeout",
            timeout,
        ],
        capture_output=True,
        text=True,
        timeout=120,  # the test's own guard: the command must stop long before
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?t ?w . ?e ?u ?v }"


@pytest.mark.parametrize(
    "text",
    [
        CROSS,
        'SELECT ?t WHERE { VALUES ?t { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" } '
        'FILTER(REGEX(?t, "^(a+)+$")) }',
    ],
    ids=["cross-product", "catastrophic-regex"],
)
def test_query_timeout_stops_the_work(small: Path, text: str) -> None:
    done = _query_process(small, text, "1")
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        "Error: the query ran past the 1 s limit and was stopped (raise it with --timeout)\n"
    )


def test_query_within_its_timeout_prints_its_answer(small: Path) -> None:
    done = _query_process(small, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "60")
    assert done.returncode == 0, done.stderr
    assert "(1 rows)" in done.stdout


def test_query_timeout_must_be_positive(small: Path) -> None:
    result = run("query", "-e", "SELECT * WHERE {}", str(small), "--timeout", "nan")
    assert result.exit_code == 2 and "--timeout" in result.stderr


# -- dates ------------------------------------------------------------------------------------

ANALYSES = ["gaps", "scorecard", "timeline", "slippage", "contested", "recurring"]


@pytest.mark.parametrize("command", [*ANALYSES, "validate"])
@pytest.mark.parametrize("day", ["0001-01-01", "0999-12-31", "9900-01-01", "9999-12-31"])
def test_as_of_out_of_range(command: str, day: str) -> None:
    result = run(command, "--as-of", day)
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr
    assert f"{day} is out of range (the years 1000 to 9899)" in result.stderr


@pytest.mark.parametrize("day", ["1000-01-01", "9899-12-31"])
def test_as_of_at_the_ends_of_the_range(day: str, tmp_path: Path) -> None:
    for command in ANALYSES:
        result = run(command, "--as-of", day)
        assert result.exit_code == 0, (command, result.output)
    out = tmp_path / "r.html"
    result = run("report", "--as-of", day, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_since_and_until_out_of_range(option: str) -> None:
    result = run("gaps", option, "0001-01-01")
    assert result.exit_code == 2 and "out of range" in result.stderr


def test_report_as_of_9999(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    line = one_line(run("report", "--as-of", "9999-12-31", "-o", str(out)))
    assert "9999-12-31 is out of range" in line
    assert not out.exists()


# -- streams and logging ---------------------------------------------------------------------


def test_latin1_stdout(tmp_path: Path) -> None:
    data = tmp_path / "names.yaml"
    data.write_text('bodies:\n  - id: dhsc\n    name: "Caf\\u00e9 \\u4e2d\\u6587"\n', "utf-8")
    for args in (["stats"], ["query", "-e", "SELECT ?o WHERE { ?s ?p ?o }"], ["timeline"]):
        done = subprocess.run(
            [sys.executable, "-m", "reviewgraph", *args, str(data)],
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "latin-1"},
        )
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
    assert "Caf\xe9 \\u4e2d\\u6587".encode("latin-1") in done.stdout or b"(none)" in done.stdout


# -- loading into a store ----------------------------------------------------------------------


def test_turtle_term_over_16_mib_on_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.ttl"
    size = oxigraph.MAX_TERM_BYTES + 1024
    big.write_text(
        TTL_HEAD
        + '<https://w3id.org/reviewgraph/id/r> a rg:Review ; dcterms:title "'
        + "a" * size
        + '" .\n',
        encoding="utf-8",
    )
    store = tmp_path / "st"
    line = one_line(run("load", str(big), "--store", f"oxigraph:{store}"))
    assert line.startswith(f"Error: {big}: ")
    assert "larger than" in line or "at most 20000 characters" in line


def test_full_disk_during_load(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "st"
    assert run("load", str(small), "--store", f"oxigraph:{store}").exit_code == 0
    before = sorted(p.name for p in store.iterdir())

    def full(*args: object, **kwargs: object) -> dict[str, int]:
        raise OSError(errno.ENOSPC, "No space left on device")

    # compaction and counting, on every load path (beside the checks, or in place)
    monkeypatch.setattr(oxload, "_finish", full)
    monkeypatch.setattr(oxigraph, "_finish", full)
    other = tmp_path / "other.yaml"
    other.write_text(SMALL.replace("dhsc", "nhse"), encoding="utf-8")
    line = one_line(run("load", str(other), "--store", f"oxigraph:{store}"), code=3)
    assert line == "Error: cannot write the store: the disk is full (No space left on device)"
    assert sorted(p.name for p in store.iterdir()) == before
    monkeypatch.undo()
    result = run("stats", "--store", f"oxigraph:{store}")
    assert result.exit_code == 0 and "bodies\t1" in result.stdout
