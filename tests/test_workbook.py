"""The workbook format (.xlsx) and its CSV-folder twin: lossless, from the models' fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewgraph.errors import ValidationFailed
from reviewgraph.io.files import read_dataset
from reviewgraph.io.workbook import (
    SHEETS,
    columns_of,
    write_csv_folder,
    write_workbook,
)
from reviewgraph.models import ITEM_TYPES, Dataset, Recommendation, Review
from reviewgraph.rdf.mapping import field_specs, to_graph


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return read_dataset().dataset


def _gaps(dataset: Dataset) -> str:
    from reviewgraph.analysis import ReviewGraph
    from reviewgraph.report.text import render

    result = ReviewGraph.from_dataset(dataset).gaps(as_of="2025-07-01")
    return render(result, "json")


def test_every_collection_has_a_sheet_and_every_field_a_column() -> None:
    assert sorted(SHEETS.values()) == sorted(ITEM_TYPES)
    for collection, model in ITEM_TYPES.items():
        columns = columns_of(model)
        assert len(columns) == len(field_specs(model)) + 1, collection
    assert "from" in columns_of(ITEM_TYPES["links"])  # the YAML key, not the field name
    assert "names" in columns_of(ITEM_TYPES["bodies"])


def test_seeds_round_trip_through_a_workbook(seeds: Dataset, tmp_path: Path) -> None:
    from rdflib.compare import isomorphic

    path = tmp_path / "seeds.xlsx"
    path.write_bytes(write_workbook(seeds))
    back = read_dataset([path]).dataset
    assert back == seeds
    assert isomorphic(to_graph(back), to_graph(seeds))
    assert _gaps(back) == _gaps(seeds)


def test_seeds_round_trip_through_a_csv_folder(seeds: Dataset, tmp_path: Path) -> None:
    written = write_csv_folder(seeds, tmp_path / "sheets")
    assert (tmp_path / "sheets" / "due_dates.csv") in written
    back = read_dataset([tmp_path / "sheets"]).dataset
    assert back == seeds
    assert _gaps(back) == _gaps(seeds)


def test_the_same_data_gives_the_same_bytes(seeds: Dataset) -> None:
    assert write_workbook(seeds) == write_workbook(seeds)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    ds = Dataset(
        reviews=(Review(id="r", title="=SUM(A1)"),),
        recommendations=(Recommendation(id="r/1", review="r", label="1", summary="+44 1"),),
    )
    path = tmp_path / "f.xlsx"
    path.write_bytes(write_workbook(ds))
    assert read_dataset([path]).dataset == ds
    write_csv_folder(ds, tmp_path / "csv")
    assert read_dataset([tmp_path / "csv"]).dataset == ds


def test_a_bad_cell_names_sheet_row_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "reviews.csv").write_text("id,title,published\nr-1,T,2024-02-30\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["book"])
    (problem,) = caught.value.problems
    assert str(problem).startswith("book/reviews.csv[reviews]:2 (column published): ")
    assert "'2024-02-30' is not a possible date" in str(problem)


# --------------------------------------------------------------------------- template


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reviewgraph.io.template import write_template

    path = tmp_path_factory.mktemp("template") / "tracker.xlsx"
    path.write_bytes(write_template())
    return path


def test_the_template_has_headers_examples_and_a_readme(template_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(template_path)
    for sheet, collection in SHEETS.items():
        header = [c.value for c in book[sheet][1]]
        assert header == columns_of(ITEM_TYPES[collection]), sheet
        assert book[sheet].max_row >= 2, f"{sheet} has no worked example"
    readme = list(book["README"].iter_rows(values_only=True))
    rows = {(r[0], r[1]): r for r in readme[1:] if r and r[0] in SHEETS}
    assert rows[("commitments", "made_on")][3] == "required"
    assert rows[("status claims", "role")][3:] == ("optional", "compiler")
    assert rows[("status claims", "since")][4] == "not given"
    assert all(r[2] for r in rows.values())  # every column says what it holds


def test_the_template_has_a_dropdown_for_every_vocabulary(template_path: Path) -> None:
    from enum import StrEnum

    from openpyxl import load_workbook

    from reviewgraph.io.workbook import _specs

    book = load_workbook(template_path)
    lists = book["lists"]
    columns = {
        lists.cell(row=1, column=n).value: [
            c for (c,) in lists.iter_rows(min_row=2, min_col=n, max_col=n, values_only=True) if c
        ]
        for n in range(1, lists.max_column + 1)
    }
    assert "Supported" in columns["StanceValue"]  # a tracker crosswalk label
    assert "in-progress" in columns["Status"]
    for sheet, collection in SHEETS.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        wanted = {
            header.index(column) + 1
            for column, spec in _specs(ITEM_TYPES[collection]).items()
            if isinstance(spec.target, type) and issubclass(spec.target, StrEnum)
        }
        from openpyxl.utils import column_index_from_string

        covered = {
            column_index_from_string(str(rng).split(":")[0].rstrip("0123456789"))
            for check in ws.data_validations.dataValidation
            for rng in check.sqref.ranges
        }
        assert wanted <= covered, sheet


def test_libreoffice_converts_the_template(template_path: Path, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed (apt-get install -y libreoffice-calc)")
        pytest.skip("LibreOffice is not installed")
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(template_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tracker.csv").exists(), done.stdout + done.stderr


def test_template_command_writes_a_workbook_and_a_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reviewgraph.cli import main

    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
    result = CliRunner().invoke(main, ["template", "--format", "csv", "-o", str(tmp_path / "f")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "f" / "status_claims.csv").read_text(encoding="utf-8").startswith("id,")
    assert "Supported" in (tmp_path / "f" / "README.md").read_text(encoding="utf-8")


def test_export_xlsx_and_sheets_round_trip(tmp_path: Path, seeds: Dataset) -> None:
    from click.testing import CliRunner

    from reviewgraph.cli import main

    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(main, ["export", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_dataset([out]).dataset == seeds
    result = CliRunner().invoke(main, ["sheets", "-o", str(tmp_path / "f")])
    assert result.exit_code == 0, result.output
    assert read_dataset([tmp_path / "f"]).dataset == seeds


def test_the_spreadsheet_page_is_generated_from_the_models() -> None:
    from reviewgraph.io.template import spreadsheet_doc

    page = Path(__file__).parent.parent / "docs" / "authoring-spreadsheet.md"
    assert page.read_text(encoding="utf-8") == spreadsheet_doc(), (
        "regenerate docs/authoring-spreadsheet.md with reviewgraph.io.template.spreadsheet_doc"
    )
    text = page.read_text(encoding="utf-8")
    for model in ITEM_TYPES.values():
        for spec in field_specs(model):
            column = model.model_fields[spec.name].alias or spec.name
            if spec.required:
                assert f"| `{column}` |" in text, column
