"""Commands of the spreadsheet route: ``template`` and ``sheets``.

Registered on the main group from :mod:`reviewgraph.cli`; heavy libraries (openpyxl,
rdflib) are imported inside the commands so ``reviewgraph --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["sheets", "template"]


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="A workbook, or a folder of CSV files (one per sheet).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The workbook to write (xlsx), or the folder (csv).",
)
def template(fmt: str, output: Path) -> None:
    """Write an empty workbook to fill in: headers, dropdowns, a README sheet, examples.

    Every column that holds a controlled vocabulary gets a dropdown of its labels (other
    trackers' labels included); the README sheet says what each column holds, whether it is
    required and what a blank means; each sheet has one worked example row.

    Example: reviewgraph template -o tracker.xlsx
    """
    from reviewgraph.io.template import write_template, write_template_folder

    if fmt == "xlsx":
        from reviewgraph.io.export import write_atomic

        write_atomic(output, write_template())
    else:
        write_template_folder(output)
    click.echo(f"wrote {output} ({fmt} template)", err=True)


@click.command()
@click.argument("data", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the CSV files into (one per sheet).",
)
@click.option(
    "--max-input-mb",
    type=float,
    default=25.0,
    show_default=True,
    help="Refuse input files larger than this many megabytes.",
)
def sheets(data: tuple[Path, ...], output: Path, max_input_mb: float) -> None:
    """Write DATA as the workbook's layout in a folder of CSV files, one per sheet.

    Lossless: reading the folder back gives the same dataset (for a workbook file, use
    ``reviewgraph export --format xlsx``).

    Example: reviewgraph sheets seeds/ -o seeds-sheets/
    """
    from reviewgraph.errors import ReviewGraphError, ValidationFailed
    from reviewgraph.io.files import read_dataset
    from reviewgraph.io.workbook import write_csv_folder

    try:
        dataset = read_dataset(data, max_mb=max_input_mb).dataset
    except ValidationFailed as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        raise SystemExit(2) from None
    except ReviewGraphError as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from None
    written = write_csv_folder(dataset, output)
    click.echo(f"wrote {len(written)} file(s) to {output}", err=True)
