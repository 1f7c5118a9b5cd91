"""An empty workbook to fill in: headers, dropdowns, a README sheet and worked examples.

:func:`write_template` writes the sheets of :mod:`reviewgraph.io.workbook` with, for every
column that holds a controlled vocabulary, a dropdown (openpyxl data validation) listing the
concepts of its SKOS scheme and the other trackers' labels mapped to them
(``ontology/mappings.ttl``); a README sheet saying for each column what it holds, whether it
is required and what a blank means; and one worked example row per sheet, taken from the
bundled demo and seed data.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Any

from reviewgraph.models import ITEM_TYPES, Dataset, Item

__all__ = ["column_notes", "vocabulary", "write_template", "write_template_folder"]


def vocabulary(enum: type[StrEnum]) -> list[str]:
    """The labels a dropdown offers for a concept column: the notations first, then every
    other label the reader accepts (the scheme's labels and other trackers' labels).

    Examples
    --------
    >>> from reviewgraph.vocab.concepts import StanceValue
    >>> labels = vocabulary(StanceValue)
    >>> labels[0], "Supported" in labels
    ('accepted', True)
    """
    from reviewgraph.vocab.concepts import SCHEMES, normalise_label, resolve_label
    from reviewgraph.vocab.ontology import concept_labels

    out = [m.value for m in enum]
    seen = {normalise_label(v) for v in out}
    for label in sorted(concept_labels(SCHEMES[enum])):
        key = normalise_label(label)
        if key in seen:
            continue
        try:
            resolve_label(label, enum)  # only labels that name one concept
        except ValueError:
            continue
        seen.add(key)
        out.append(label)
    return out


def _comment(iri: Any) -> str:
    from rdflib.namespace import RDFS

    from reviewgraph.vocab.ontology import load_ontology

    text = load_ontology().value(iri, RDFS.comment)
    return str(text) if text is not None else ""


def column_notes(model: type[Item]) -> list[tuple[str, str, bool, str]]:
    """For each column of a model's sheet: ``(column, what it holds, required, blank)``.

    Examples
    --------
    >>> from reviewgraph.models import StatusClaim
    >>> notes = {c: (req, blank) for c, _, req, blank in column_notes(StatusClaim)}
    >>> notes["status"], notes["role"]
    ((True, 'not allowed'), (False, 'compiler'))
    """
    from reviewgraph.io.workbook import _specs

    out = [
        (
            "id",
            "the item's identifier (a slug; lower-case letters, digits, - and /)",
            True,
            "not allowed",
        )
    ]
    for column, spec in _specs(model).items():
        info = model.model_fields[spec.name]
        if spec.required:
            blank = "not allowed"
        elif info.default in (None, ()):
            blank = "not given"
        elif isinstance(info.default, StrEnum):
            blank = info.default.value.replace("-", " ")
        else:
            blank = str(info.default).lower()
        holds = _comment(spec.iri) or spec.name.replace("_", " ")
        out.append((column, holds, spec.required, blank))
    return out


def _examples() -> Dataset:
    from reviewgraph.analysis._demo import demo_dataset
    from reviewgraph.io.files import read_dataset

    examples = demo_dataset().merge(read_dataset().dataset)
    if not examples.elections:  # neither ships one yet: a made-up row shows the columns
        from reviewgraph.models import Election

        election = Election(
            id="demo-election-2024",
            title="General election (example)",
            date="2024-07-04",
            formed_government=("demo-dept",),
        )
        examples = examples.merge(Dataset(elections=(election,)))
    return examples


def _example_rows() -> dict[str, list[str]]:
    from reviewgraph.io.workbook import SHEETS, _rows_of

    examples = _examples()
    out = {}
    for sheet, collection in SHEETS.items():
        items = getattr(examples, collection)
        if items:
            out[sheet] = next(_rows_of(items[:1], ITEM_TYPES[collection]))
    return out


def write_template() -> bytes:
    """Return the bytes of an empty workbook with dropdowns, a README and worked examples.

    Examples
    --------
    >>> write_template()[:2]
    b'PK'
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from reviewgraph.io.workbook import SHEETS, _fixed_time, _specs, columns_of

    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    readme.append(["sheet", "column", "holds", "required", "a blank means"])
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_column: dict[type[StrEnum], str] = {}
    examples = _example_rows()
    for sheet, collection in SHEETS.items():
        model = ITEM_TYPES[collection]
        ws = book.create_sheet(sheet)
        header = columns_of(model)
        ws.append(header)
        if sheet in examples:
            ws.append([c or None for c in examples[sheet]])
            for cell in ws[2]:
                cell.data_type = "s" if cell.value is not None else cell.data_type
        for column, holds, required, blank in column_notes(model):
            readme.append([sheet, column, holds, "required" if required else "optional", blank])
        for n, column in enumerate(header, start=1):
            spec = _specs(model).get(column)
            enum = spec.target if spec is not None else None
            if not (isinstance(enum, type) and issubclass(enum, StrEnum)):
                continue
            if enum not in list_column:
                letter = get_column_letter(len(list_column) + 1)
                list_column[enum] = letter
                labels = vocabulary(enum)
                lists.cell(row=1, column=len(list_column), value=enum.__name__)
                for row, label in enumerate(labels, start=2):
                    lists.cell(row=row, column=len(list_column), value=label)
                list_column[enum] = f"lists!${letter}$2:${letter}${len(labels) + 1}"
            check = DataValidation(type="list", formula1=f"={list_column[enum]}", allow_blank=True)
            check.error = f"pick one of the {column} labels, or leave it blank"
            check.prompt = f"{column}: pick from the list"
            ws.add_data_validation(check)
            letter = get_column_letter(n)
            check.add(f"{letter}2:{letter}10000")
    readme.append([])
    readme.append(
        [
            "how to read",
            "",
            "One row per item. Many rows about one commitment (due dates, status claims) are "
            "its history. Lists of ids are separated by ';'. Dates keep their precision "
            "(2024-03, summer 2024, 2024/25). Nested values (names, blanket, fulfils, "
            "alternatives, citations with locators) are JSON, with the YAML keys.",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_time(buffer.getvalue())


def write_template_folder(folder: Path) -> list[Path]:
    """Write the template as a folder of CSV files, one per sheet, plus ``README.md``
    (CSV has no dropdowns: the README lists each vocabulary's labels)."""
    import csv

    from reviewgraph.io.export import write_atomic
    from reviewgraph.io.tracker import neutralise
    from reviewgraph.io.workbook import SHEETS, _specs, columns_of

    folder.mkdir(parents=True, exist_ok=True)
    examples = _example_rows()
    written = []
    lines = [
        "# The workbook as CSV files",
        "",
        "| file | column | holds | required | a blank means |",
        "|---|---|---|---|---|",
    ]
    vocabularies: dict[str, list[str]] = {}
    for sheet, collection in SHEETS.items():
        model = ITEM_TYPES[collection]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns_of(model))
        if sheet in examples:
            writer.writerow([neutralise(c) for c in examples[sheet]])
        path = folder / f"{sheet.replace(' ', '_')}.csv"
        write_atomic(path, buffer.getvalue().encode("utf-8"))
        written.append(path)
        for column, holds, required, blank in column_notes(model):
            need = "required" if required else "optional"
            lines.append(f"| {path.name} | `{column}` | {holds} | {need} | {blank} |")
            spec = _specs(model).get(column)
            enum = spec.target if spec is not None else None
            if isinstance(enum, type) and issubclass(enum, StrEnum):
                vocabularies[column] = vocabulary(enum)
    lines += ["", "## Labels of the controlled vocabularies", ""]
    for column, labels in sorted(vocabularies.items()):
        lines.append(f"- `{column}`: " + ", ".join(labels))
    readme = folder / "README.md"
    write_atomic(readme, ("\n".join(lines) + "\n").encode("utf-8"))
    return [readme, *written]


_DOC_HEAD = """# Authoring data in a workbook

<!-- generated from the models by reviewgraph.io.template.spreadsheet_doc; a test checks it -->

A workbook (`.xlsx`) or a folder of CSV files, one per sheet, holds everything a YAML file
can. Start from the template:

```bash
reviewgraph template -o tracker.xlsx          # a workbook with dropdowns and a README sheet
reviewgraph template --format csv -o tracker/ # the same as a folder of CSV files
reviewgraph validate tracker.xlsx
reviewgraph export seeds/ --format xlsx -o seeds.xlsx   # any data, losslessly
```

Each sheet holds one kind of item, one item per row, and its columns are the YAML keys.
Lists of ids are separated by `;`. Dates keep their precision (`2024-03`, `summer 2024`,
`2024/25`). Nested values (`names`, `blanket`, `fulfils`, `alternatives`, and citations with a
locator or an access date) are JSON with the YAML keys; citations that only name sources are
source ids separated by `;`. The template's example rows show each form; delete them before
filling in your own.

## History, `since`, stated on and known on

Many rows about one commitment are its history, not a conflict: each status claim is a row
of **status claims** (`about` names the commitment) and each due date a row of **due dates**
(`commitment` names it). As of a date D:

- a status claim counts once it is asserted (`asserted_on` on or before D); the status it
  gives has held since `since` (blank: since it was asserted). The latest claim asserted by D
  wins, by the assessor roles' rank.
- a due date counts once it is stated (`stated_on`, blank: when the commitment was made), so
  a target first stated in 2025 is not known at a 2023 as-of date; what was known on D is the
  latest due date stated by then.
- a commitment exists from `made_on`.

**Required** columns must be filled in on every row; a blank in an optional column means
what the last column says ("not given": the item simply does not say it).
"""


def spreadsheet_doc() -> str:
    """The page ``docs/authoring-spreadsheet.md``, generated from the models' fields."""
    from reviewgraph.io.workbook import SHEETS

    lines = [_DOC_HEAD]
    for sheet, collection in SHEETS.items():
        model = ITEM_TYPES[collection]
        lines += [f"## Sheet `{sheet}`", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        lines += ["| column | holds | required | a blank means |", "|---|---|---|---|"]
        for column, holds, required, blank in column_notes(model):
            need = "**required**" if required else "optional"
            lines.append(f"| `{column}` | {holds.replace('|', '/')} | {need} | {blank} |")
        lines.append("")
    return "\n".join(lines)
