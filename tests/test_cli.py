"""The command line: documented, fast to start, deterministic, with the exit-code table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reviewgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
AS_OF = "2025-07-01"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_bytes(*args: str) -> bytes:
    """Standard output as bytes (``Result.stdout`` folds CRLF to LF)."""
    return CliRunner().invoke(main, list(args)).stdout_bytes


def commands() -> list[str]:
    assert isinstance(main, click.Group)
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_is_documented_with_an_example(name: str) -> None:
    assert f"reviewgraph {name}" in DOC, f"docs/cli.md does not mention `reviewgraph {name}`"
    code, out, _ = run(name, "--help")
    assert code == 0
    assert "Example: reviewgraph" in out


@pytest.mark.parametrize("name", commands())
def test_every_option_is_documented(name: str) -> None:
    assert isinstance(main, click.Group)
    command = main.commands[name]
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        longest = max(param.opts, key=len)
        if longest == "--help":
            continue
        assert longest in DOC, f"docs/cli.md does not document {name} {longest}"


def test_cli_reference_page_is_generated_from_the_code() -> None:
    from reviewgraph._build.docs import generate_cli_reference

    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert page == generate_cli_reference(), "run: python -m reviewgraph._build ."


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from reviewgraph.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'rdflib', 'networkx', 'pyoxigraph', 'pyshacl'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert re.search(r"reviewgraph, version \d+\.\d+\.\d+", out)


def test_gaps_states_the_date_and_is_deterministic() -> None:
    first = run("gaps", "--as-of", AS_OF)
    second = run("gaps", "--as-of", AS_OF)
    assert first[0] == 0
    assert first == second
    assert first[1].startswith(f"Findings as of {AS_OF}")
    assert "== messenger-2022: " in first[1]
    assert "not followed through (a): messenger-framework" in first[1]


def test_gaps_json_follows_the_results_schema() -> None:
    from reviewgraph.analysis.results import RESULTS_SCHEMA_VERSION, GapsResult

    code, out, _ = run("gaps", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == AS_OF
    assert data["schema_version"] == RESULTS_SCHEMA_VERSION
    parsed = GapsResult.model_validate(data)
    assert "kark-2019/5" in parsed.items("parked")


def test_gaps_csv_has_one_row_per_finding() -> None:
    import csv
    import io

    code, out, _ = run("gaps", "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["as_of"] == AS_OF for r in rows)
    framework = next(r for r in rows if r["item"] == "messenger-framework")
    assert framework["due"] == "by June 2025"
    assert framework["first_due"] == "by March 2024"
    assert int(framework["revisions"]) >= 1


def test_filters_narrow_the_findings() -> None:
    code, out, _ = run("gaps", "--as-of", AS_OF, "--review", "kark-2019", "--format", "json")
    assert code == 0
    items = [f["item"] for f in json.loads(out)["findings"]]
    assert items and all(i.startswith("kark-") for i in items)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gaps", "--as-of", "2025-13-01"), "is not a date"),
        (("gaps", "--format", "xls"), "Invalid value for '--format'"),
        (("trace", "no-such-item", "--as-of", AS_OF), "no item with id 'no-such-item'"),
        (("gaps", "no/such/file.yaml"), "no such file or folder"),
        (("query", "no-such-query"), "no query named"),
        (("query", "parked", "--param", "asOf"), "is not NAME=VALUE"),
    ],
)
def test_usage_and_input_errors_exit_2_without_a_traceback(
    args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    "command",
    [
        ("trace", "messenger-2022/3"),
        ("status", "messenger-framework"),
        ("recurring",),
        ("scorecard", "--by", "review"),
        ("slippage",),
        ("contested",),
        ("timeline", "--review", "kark-2019"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_analysis_commands_state_the_date(command: tuple[str, ...], fmt: str) -> None:
    code, out, err = run(*command, "--as-of", AS_OF, "--format", fmt)
    assert code == 0, err
    if fmt == "csv" and len(out.splitlines()) < 2:
        return  # a CSV with no rows has nowhere to state the date; the header names the column
    assert AS_OF in out


def test_query_formats_follow_the_w3c_results_formats() -> None:
    args = ("query", "parked", "--param", "asOf=2024-01-01", "--param", "knownOn=2024-01-01",
            "--param", "lineage=", "--param", "graceCutoff=2022-01-01")  # fmt: skip
    code, out, _ = run(*args, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:5] == [
        "asOf",
        "knownOn",
        "lineage",
        "graceCutoff",
        "recommendation",
    ]
    recs = {b["recommendation"]["value"] for b in data["results"]["bindings"]}
    assert "https://w3id.org/reviewgraph/id/kark-2019/5" in recs
    first = data["results"]["bindings"][0]
    assert first["asOf"] == {
        "type": "literal",
        "value": "2024-01-01",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    raw = run_bytes(*args, "--format", "csv").decode("utf-8")
    assert raw.split("\r\n")[0] == (
        "asOf,knownOn,lineage,graceCutoff,recommendation,value,day,response,respondent"
    )
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    code, out, _ = run(*args, "--format", "tsv")
    header, row = out.splitlines()[:2]
    assert header.startswith("?asOf\t?knownOn\t?lineage\t?graceCutoff\t?recommendation")
    assert row.startswith('"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>\t')


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
    ],
)
def test_query_refuses_updates(text: str) -> None:
    code, out, err = run("query", "-e", text)
    assert code == 2
    assert "is refused" in err
    assert "Traceback" not in out + err


def test_query_refuses_service_unless_allowed() -> None:
    text = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    code, _, err = run("query", "-e", text)
    assert code == 2
    assert "--allow-service" in err


def test_query_parameters_cannot_change_the_query() -> None:
    # a hostile value is bound as a typed term: it is refused, or matches nothing
    code, _, err = run(
        "query", "trace", "--param", "item=x> } ; DROP ALL ; { <y", "--param", f"asOf={AS_OF}"
    )
    assert code == 2
    assert "is not an IRI or identifier" in err
    code, _, err = run(
        "query", "parked", "--param", "asOf=2024-01-01' }", "--param", "knownOn=2024-01-01",
        "--param", "lineage=", "--param", "graceCutoff=2022-01-01",
    )  # fmt: skip
    assert code == 2
    assert "is not a date" in err


def test_query_list_names_every_shipped_query() -> None:
    from reviewgraph.sparql.named import query_names

    code, out, _ = run("query", "--list")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == query_names()


def test_stats_counts_the_seeds() -> None:
    code, out, _ = run("stats")
    assert code == 0
    counts = dict(line.split("\t") for line in out.splitlines())
    assert int(counts["reviews"]) >= 9
    assert int(counts["recommendations"]) >= 45


def test_the_progress_bar_appears_only_on_a_terminal_for_large_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewgraph import cli

    small = [tmp_path / f"f{i}.yaml" for i in range(3)]
    many = [tmp_path / f"g{i}.yaml" for i in range(60)]
    for f in small + many:
        f.write_text("bodies: []\n", encoding="utf-8")
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: False)
    assert cli._progress(many) == many  # not a terminal: the list itself, no bar
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    assert cli._progress(small) == small  # a terminal, but little to read
    assert list(cli._progress(many)) == many  # a terminal and 60 files: a bar over them
    assert "reading" in capsys.readouterr().err


def test_the_shapes_bar_appears_only_on_a_terminal_for_several_chunks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewgraph import cli

    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: False)
    bar = cli._chunk_bar("checking the shapes")
    for done in (1, 2, 3):
        bar(done, 3)
    assert capsys.readouterr().err == ""  # not a terminal
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True)
    bar = cli._chunk_bar("checking the shapes")
    bar(1, 1)
    assert capsys.readouterr().err == ""  # one chunk: nothing to show
    bar = cli._chunk_bar("checking the shapes")
    for done in (1, 2, 3):
        bar(done, 3)
    err = capsys.readouterr().err
    assert "checking the shapes" in err and "100%" in err
