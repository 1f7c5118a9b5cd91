"""Spreadsheet outputs: workbooks for five analyses, -o on every analysis command, CSV for
Excel (BOM and CRLF), and formulas neutralised in both."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reviewgraph.analysis import ReviewGraph
from reviewgraph.analysis.results import CitationRef, Finding, GapsResult, Why
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.report.xlsx import render_xlsx

AS_OF = "2025-07-01"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture(scope="module")
def graph() -> ReviewGraph:
    return ReviewGraph.from_dataset(read_dataset().dataset)


@pytest.mark.parametrize("command", ["gaps", "scorecard", "slippage", "contested", "timeline"])
def test_workbooks_have_a_frozen_header_and_a_summary(command: str, tmp_path: Path) -> None:
    out = tmp_path / f"{command}.xlsx"
    code, _, err = run(command, "--as-of", AS_OF, "--format", "xlsx", "-o", str(out))
    assert code == 0, err
    book = load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    assert book["Summary"]["B1"].value == datetime(2025, 7, 1)
    assert len(book.sheetnames) >= 2
    for ws in book.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        # every column is at least as wide as its heading
        assert all(ws.column_dimensions[c.column_letter].width >= len(str(c.value)) for c in ws[1])


def test_gaps_workbook_has_a_sheet_per_category_with_dates_and_links(
    graph: ReviewGraph, tmp_path: Path
) -> None:
    gaps = graph.gaps(as_of=AS_OF)
    book = load_workbook(io.BytesIO(render_xlsx(gaps)))
    expected = {
        "Not followed through": gaps.of("not-followed-through"),
        "Parked": gaps.of("parked"),
        "Unanswered": gaps.of("unanswered"),
    }
    for name, findings in expected.items():
        if not findings:
            assert name not in book.sheetnames
            continue
        ws = book[name]
        header = [c.value for c in ws[1]]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(findings)
        assert [r[header.index("item")] for r in rows] == [f.item for f in findings]
        with_due = [f for f in findings if f.due is not None]
        for f in with_due:
            row = rows[[r[header.index("item")] for r in rows].index(f.item)]
            assert row[header.index("due (latest day)")] == datetime.combine(
                f.due.current.target.latest, datetime.min.time()
            )  # a date cell, not text
        first_source = header.index("source 1")
        links = [ws.cell(i, first_source + 1) for i in range(2, ws.max_row + 1)]
        assert any(c.hyperlink and c.hyperlink.target.startswith("https://") for c in links)
        for f, cell in zip(findings, links, strict=True):
            urls = [c.url for c in f.why.citations if c.url]
            if urls:
                assert cell.hyperlink is not None and cell.hyperlink.target == urls[0]


def test_formulas_are_neutralised_in_workbooks_and_csv() -> None:
    hostile = '=HYPERLINK("http://evil.example","x")'
    finding = Finding(
        category="parked",
        item="evil/1",
        item_type="recommendation",
        label=hostile,
        reviews=("evil",),
        why=Why(
            rule="parked",
            explanation="+SUM(1,2)",
            citations=(CitationRef(item="evil/1", source="s", title="@cmd", url=None),),
        ),
    )
    gaps = GapsResult(as_of=date(2025, 7, 1), grace_years=2, findings=(finding,))
    ws = load_workbook(io.BytesIO(render_xlsx(gaps)))["Parked"]
    header = [c.value for c in ws[1]]
    row = list(ws[2])
    assert row[header.index("label")].value == "'" + hostile
    assert row[header.index("label")].data_type == "s"
    assert row[header.index("why")].value == "'+SUM(1,2)"
    assert row[header.index("source 1")].value == "'@cmd"
    assert all(c.data_type != "f" for c in row)


def test_csv_for_excel_has_a_bom_and_crlf() -> None:
    code, plain, _ = run("gaps", "--as-of", AS_OF, "--format", "csv")
    code2, excel, _ = run("gaps", "--as-of", AS_OF, "--format", "csv", "--excel")
    assert code == code2 == 0
    assert excel.startswith(b"\xef\xbb\xbf")
    assert excel[3:].count(b"\r\n") == plain.count(b"\n")
    assert excel[3:].replace(b"\r\n", b"\n") == plain


@pytest.mark.parametrize(
    "args",
    [
        ("gaps",),
        ("trace", "messenger-2022/3"),
        ("recurring",),
        ("scorecard", "--by", "review"),
        ("timeline",),
        ("status", "messenger-2022/3"),
        ("slippage",),
        ("contested",),
    ],
)
def test_every_analysis_command_writes_to_a_file(args: tuple[str, ...], tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    code, printed, _ = run(*args, "--as-of", AS_OF, "--format", "md")
    code2, nothing, err = run(*args, "--as-of", AS_OF, "--format", "md", "-o", str(out))
    code3, dashed, _ = run(*args, "--as-of", AS_OF, "--format", "md", "-o", "-")
    assert code == code2 == code3 == 0
    assert out.read_bytes() == printed == dashed
    assert nothing == b""
    assert str(out) in err


@pytest.mark.parametrize(
    "args",
    [
        ("trace", "messenger-2022/3", "--format", "xlsx", "-o", "{out}"),
        ("gaps", "--format", "xlsx"),
        ("gaps", "--format", "json", "--excel", "-o", "{out}"),
    ],
)
def test_unsuitable_formats_are_usage_errors_and_write_nothing(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    code, _, err = run(*(a.replace("{out}", str(out)) for a in args), "--as-of", AS_OF)
    assert code == 2
    assert "Traceback" not in err
    assert not out.exists()
