"""The tutorial (docs/tutorial.md) runs as written: every ``reviewgraph`` command on the page is
run in a copy of docs/tutorial/ and its output is compared with the output the page shows.

The page's ``console`` blocks are the source of truth: a line ``$ reviewgraph ...`` is a command
and the lines after it, up to the next ``$`` line or the end of the block, are its output.
Other ``$`` lines (``mkdir``, ``cd``, ``sed``) are the reader's shell steps; the only one with an
effect, the ``sed`` that makes the deliberate mistake, is reproduced here and checked against
the page.  No network, one temporary folder, a fixed "today" (``REVIEWGRAPH_TODAY``).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph.analysis import ReviewGraph
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.validate import validate_dataset

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "tutorial.md"
DATA = ROOT / "docs" / "tutorial"
TODAY = "2026-11-25"
AS_OF = date(2025, 1, 1)

CSV = "kirkup-east-kent.csv"
YAML = ("kirkup-east-kent.yaml", "bodies.yaml")

# The deliberate mistake of step 4, exactly as the page makes it.
SED = "sed '2s/,Accepted,/,Acepted,/' kirkup-east-kent.csv > typo.csv"

# Every reviewgraph command the page runs; a command added to the page must be added here.
VALIDATE_CSV = "reviewgraph validate kirkup-east-kent.csv"
VALIDATE_TYPO = "reviewgraph validate typo.csv"
VALIDATE_YAML = "reviewgraph validate kirkup-east-kent.yaml bodies.yaml"
GAPS_YAML = "reviewgraph gaps kirkup-east-kent.yaml bodies.yaml --as-of 2025-01-01"
GAPS_CSV = "reviewgraph gaps kirkup-east-kent.csv --as-of 2025-01-01"
GAPS_GRACE = "reviewgraph gaps kirkup-east-kent.yaml bodies.yaml --as-of 2025-01-01 --grace-years 1"
REPORT = "reviewgraph report kirkup-east-kent.yaml bodies.yaml --as-of 2025-01-01 -o report.html"
COMMANDS = {
    VALIDATE_CSV,
    VALIDATE_TYPO,
    VALIDATE_YAML,
    GAPS_YAML,
    GAPS_CSV,
    GAPS_GRACE,
    REPORT,
}

# What the page says the gaps are, as of 2025-01-01.
FINDINGS_YAML = [
    ("not-followed-through", "ek-trust-programme", ("c",)),
    ("unanswered", "kirkup-east-kent-2022/4", ()),
]
FINDINGS_CSV = [("not-followed-through", "kirkup-east-kent-2022/5/commitment", ("c",))]
FINDINGS_GRACE_1 = [
    ("not-followed-through", "ek-compassion-and-conduct-reports", ("c",)),
    ("not-followed-through", "ek-local-forum", ("c",)),
    ("not-followed-through", "ek-national-oversight-group", ("c",)),
    ("not-followed-through", "ek-outcome-measures-taskforce", ("c",)),
    ("not-followed-through", "ek-teamworking-report", ("c",)),
    ("not-followed-through", "ek-trust-programme", ("c",)),
    ("unanswered", "kirkup-east-kent-2022/4", ()),
]


def page_text() -> str:
    return PAGE.read_text(encoding="utf-8")


def page_commands() -> dict[str, str]:
    """Each ``$ reviewgraph ...`` command in the page's console blocks, with its shown output."""
    shown: dict[str, list[str]] = {}
    for block in re.findall(r"```console\n(.*?)```", page_text(), flags=re.S):
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:].strip()
                if command.startswith("reviewgraph "):
                    assert command not in shown, f"the page runs {command!r} twice"
                    current = shown[command] = []
                else:
                    current = None
            elif current is not None:
                current.append(line)
    return {command: "\n".join(lines) for command, lines in shown.items()}


def shell_lines() -> list[str]:
    return [
        line[2:].strip()
        for block in re.findall(r"```console\n(.*?)```", page_text(), flags=re.S)
        for line in block.splitlines()
        if line.startswith("$ ") and not line.startswith("$ reviewgraph ")
    ]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of docs/tutorial/ as the current folder, with the page's typo.csv made in it."""
    work = tmp_path / "east-kent"
    shutil.copytree(DATA, work)
    lines = (work / CSV).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",Accepted,", ",Acepted,")  # sed '2s/,Accepted,/,Acepted,/'
    (work / "typo.csv").write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("REVIEWGRAPH_TODAY", TODAY)
    return work


def run(command: str) -> Result:
    args = shlex.split(command)
    assert args[0] == "reviewgraph"
    return CliRunner().invoke(main, args[1:], env={"REVIEWGRAPH_TODAY": TODAY})


def shown(command: str) -> str:
    commands = page_commands()
    assert command in commands, f"the page no longer runs {command!r}"
    return commands[command]


def check(command: str, exit_code: int) -> Result:
    result = run(command)
    assert result.exit_code == exit_code, result.output
    assert result.output.rstrip("\n") == shown(command).rstrip("\n")
    return result


# ------------------------------------------------------------------ the page itself


def test_the_page_runs_exactly_the_commands_this_test_knows() -> None:
    assert set(page_commands()) == COMMANDS
    assert SED in shell_lines()
    assert all(line.split()[0] in {"mkdir", "cd", "sed"} for line in shell_lines()), shell_lines()


def test_the_page_links_to_the_finished_files_and_the_rules() -> None:
    text = page_text()
    for name in (CSV, *YAML):
        assert f"(tutorial/{name})" in text
        assert (DATA / name).is_file()
    assert "(concepts.md)" in text
    for category in (
        "not followed through",
        "parked",
        "unanswered",
        "overdue response",
        "orphaned",
    ):
        assert f"**{category}**" in text


def test_the_page_shows_the_csv_header_and_first_row_of_the_finished_file() -> None:
    header, first = (DATA / CSV).read_text(encoding="utf-8").splitlines()[:2]
    text = page_text()
    assert f"```text\n{header}\n{first}\n```" in text


def test_the_page_yaml_excerpts_are_in_the_finished_file() -> None:
    """Each line of the page's YAML excerpts (comments and '...' elisions aside) occurs in
    the finished files, so the excerpts cannot show keys or values the files do not have."""
    finished = "\n".join((DATA / name).read_text(encoding="utf-8") for name in YAML)
    finished_lines = {line.split(" #")[0].rstrip() for line in finished.splitlines()}
    for block in re.findall(r"```yaml\n(.*?)```", page_text(), flags=re.S):
        for line in block.splitlines():
            code = line.split(" #")[0].rstrip()
            if not code.strip() or code.strip().startswith("#") or "..." in code:
                continue
            assert code in finished_lines, f"not in the finished files: {line!r}"


# ------------------------------------------------------------------ the data


def test_both_versions_are_valid_without_the_seeds() -> None:
    for files in ([DATA / CSV], [DATA / name for name in YAML], [DATA / CSV, DATA / "bodies.yaml"]):
        loaded = read_dataset(files)
        report = validate_dataset(loaded, as_of=date.fromisoformat(TODAY))
        assert report.conforms, [str(p) for p in report.violations]
        assert not any("seeds" in f for f in loaded.files)


def test_both_versions_hold_the_same_review() -> None:
    from_csv = read_dataset([DATA / CSV]).dataset
    from_yaml = read_dataset([DATA / name for name in YAML]).dataset
    assert [r.id for r in from_csv.reviews] == [r.id for r in from_yaml.reviews]
    assert [(r.id, r.summary) for r in from_csv.recommendations] == [
        (r.id, r.summary) for r in from_yaml.recommendations
    ]
    assert from_yaml.reviews[0].stated_recommendations == len(from_yaml.recommendations) == 5


def test_every_citation_records_when_it_was_read() -> None:
    ds = read_dataset([DATA / name for name in YAML]).dataset
    for name in (
        "reviews",
        "recommendations",
        "responses",
        "stances",
        "commitments",
        "status_claims",
        "deliverables",
    ):
        for item in getattr(ds, name):
            for citation in item.citations:
                assert citation.accessed == date.fromisoformat(TODAY), (item.id, citation.source)


def _gaps(files: list[Path], grace_years: int = 2) -> list[tuple[str, str, tuple[str, ...]]]:
    graph = ReviewGraph.from_dataset(read_dataset(files).dataset)
    result = graph.gaps(as_of=AS_OF, grace_years=grace_years)
    assert result.as_of == AS_OF
    return [(f.category, f.item, f.rules) for f in result.findings]


def test_the_analysis_finds_what_the_page_says() -> None:
    yaml_files = [DATA / name for name in YAML]
    assert _gaps(yaml_files) == FINDINGS_YAML
    assert _gaps([DATA / CSV]) == FINDINGS_CSV
    assert _gaps(yaml_files, grace_years=1) == FINDINGS_GRACE_1
    text = page_text()
    for _, item, _ in FINDINGS_YAML + FINDINGS_CSV:
        assert f"`{item}`" in text


# ------------------------------------------------------------------ the commands, as shown


def test_validate_the_tracker_table(folder: Path) -> None:
    result = check(VALIDATE_CSV, 0)
    assert "0 violation(s)" in result.output


def test_the_deliberate_mistake_gives_the_line_the_page_shows(folder: Path) -> None:
    result = check(VALIDATE_TYPO, 2)
    line = shown(VALIDATE_TYPO)
    assert line.count("\n") == 0 and line.startswith("Error: typo.csv:2 (column stance): ")
    assert "'Acepted' is not a stance" in result.output


def test_validate_the_yaml(folder: Path) -> None:
    result = check(VALIDATE_YAML, 0)
    assert "0 violation(s), 0 warning(s)" in result.output


def test_gaps_on_the_yaml(folder: Path) -> None:
    result = check(GAPS_YAML, 0)
    for _, item, _ in FINDINGS_YAML:
        assert item in result.output


def test_gaps_on_the_tracker_table(folder: Path) -> None:
    result = check(GAPS_CSV, 0)
    assert FINDINGS_CSV[0][1] in result.output
    assert "kirkup-east-kent-2022/4" not in result.output


def test_gaps_with_a_shorter_grace_period(folder: Path) -> None:
    result = check(GAPS_GRACE, 0)
    for _, item, _ in FINDINGS_GRACE_1:
        assert item in result.output


def test_gaps_as_json_lists_the_same_findings(folder: Path) -> None:
    result = run(GAPS_YAML + " --format json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == AS_OF.isoformat()
    assert [(f["category"], f["item"], tuple(f["rules"])) for f in data["findings"]] == (
        FINDINGS_YAML
    )


def test_the_report_is_written_and_states_the_date(folder: Path) -> None:
    check(REPORT, 0)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "2025-01-01" in html
    assert "kirkup-east-kent-2022/4" in html
    assert "ek-trust-programme" in html
