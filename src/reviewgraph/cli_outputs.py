"""Commands about outputs, registered on the main group: ``reviewgraph export``,
``reviewgraph report`` and ``reviewgraph diff``.

Imports only click and the command line's own helpers at load time, so ``reviewgraph
--help`` stays light.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from reviewgraph.cli import (
    MAX_INPUT_MB_CEILING,
    InputFailure,
    PositiveNumber,
    _emit,
    _graph,
    _load,
    _loading,
    _open_source,
    _parse_day,
    _source_options,
)

__all__ = ["MAX_REPORT_MB", "diff", "export", "report"]

MAX_REPORT_MB = 256.0
"""The largest page ``report`` writes by default (``--max-report-mb``).  25 MB of input gives
10 MB of page from N-Triples, 144 MB from the tracker CSV and 363 MB from a workbook
(``benchmarks/test_bench_limits.py``): a page past this is more than a browser is asked to
hold, and is refused before anything is written."""


def _export_choices() -> list[str]:
    # the registry is a plain dict in a module that imports nothing heavy at load time
    from reviewgraph.io.export import EXPORT_FORMATS

    return list(EXPORT_FORMATS)


@click.command()
@_source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_export_choices()),
    required=True,
    help="The output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="The file to write (written atomically: a failed run leaves no partial file).",
)
@click.option(
    "--flat",
    is_flag=True,
    help="JSON-LD as one flat @graph of nodes (default: framed, reviews with their "
    "recommendations, stances, commitments and status claims nested).",
)
@click.option(
    "--around",
    default=None,
    metavar="ID",
    help="With --format dot: draw only the items within --depth steps of ID.",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 20),
    default=2,
    show_default=True,
    help="With --around: how many steps from ID.",
)
@_loading
def export(
    data: tuple[Path, ...],
    max_input_mb: float,
    fmt: str,
    output: Path,
    flat: bool,
    around: str | None,
    depth: int,
) -> None:
    """Write DATA in another format: RDF, GraphML, GEXF, CSV or DOT.

    RDF formats go through rdflib's serialisers; JSON-LD is framed for plain-JSON tools
    (reviews > recommendations > stances, commitments > status claims, short keys, the
    context embedded), or flat with --flat; GraphML and GEXF through networkx, for Gephi
    and yEd; CSV is the tracker table; DOT is for Graphviz.

    DOT draws recommendations, commitments and deliverables in a cluster per review, ranked
    by year, with a legend; --around ID --depth N cuts out a neighbourhood.

    Example: reviewgraph export seeds/ --format ttl -o reviews.ttl
    """
    from reviewgraph.io.export import export_dataset, export_store
    from reviewgraph.io.output import write_output

    if around is not None and fmt != "dot":
        raise click.UsageError("--around is for --format dot")
    store = _open_source(data)
    try:
        if store is not None:
            content = export_store(store, fmt, flat=flat, around=around, depth=depth)
        else:
            dataset = _load(data, max_input_mb).dataset
            content = export_dataset(dataset, fmt, flat=flat, around=around, depth=depth)
    except LookupError as exc:
        raise InputFailure([str(exc.args[0]) if exc.args else str(exc)]) from None
    write_output(output, content)
    click.echo(f"wrote {output} ({fmt})", err=True)
    if fmt == "csv":  # what the one-table CSV cannot hold, as its header comment says
        from reviewgraph.io.tracker import comment_lines

        for line in comment_lines(content):
            click.echo(f"warning: {line}", err=True)


@click.command()
@_source_options
@click.option(
    "--as-of",
    "as_of",
    default=None,
    callback=_parse_day,
    help="The date D the report is as of (default: today).",
)
@click.option(
    "--grace-years",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="The grace period in years.",
)
@click.option("--title", default="reviewgraph report", show_default=True, help="The page title.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help="The HTML file to write (atomically).",
)
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also print the page to this PDF (A4) through headless Chromium, when installed.",
)
@click.option(
    "--max-report-mb",
    type=PositiveNumber(MAX_INPUT_MB_CEILING),
    default=MAX_REPORT_MB,
    show_default=True,
    help="Refuse to write a page larger than this many megabytes.",
)
@_loading
def report(
    data: tuple[Path, ...],
    max_input_mb: float,
    as_of: Any,
    grace_years: int,
    title: str,
    output: Path,
    pdf: Path | None,
    max_report_mb: float,
) -> None:
    """Write one self-contained HTML page to work in: headline figures per review and per
    body, delivery over time, filters, a timeline per commitment, recurrences and findings.

    Example: reviewgraph report --as-of 2025-07-01 -o report.html --pdf report.pdf
    """
    from reviewgraph.io.output import write_output
    from reviewgraph.report.html import render_report

    graph = _graph(data, max_input_mb)
    dataset = graph.dataset
    gaps_result = graph.gaps(as_of=as_of, grace_years=grace_years)
    html = render_report(
        dataset, gaps_result, graph.recurring(as_of=as_of), title=title, index=graph.index
    )
    page = html.encode("utf-8")
    if len(page) > round(max_report_mb * 1_000_000):
        raise InputFailure(
            [
                f"{output}: the report would be {len(page) / 1_000_000:,.1f} MB, over the "
                f"{max_report_mb:g} MB limit (--max-report-mb); nothing was written. Report on "
                "fewer files, or raise the limit."
            ]
        )
    write_output(output, page)
    click.echo(f"wrote {output} (as of {gaps_result.as_of})", err=True)
    if pdf is not None:
        from reviewgraph.report.pdf import print_pdf

        print_pdf(output, pdf)
        click.echo(f"wrote {pdf}", err=True)


def _side(value: str, data: tuple[Path, ...], max_input_mb: float, grace: int) -> Any:
    """One side of a diff: the gaps as of a date (YYYY-MM-DD), or a saved JSON output."""
    from reviewgraph.analysis.diff import read_gaps

    try:
        day = date.fromisoformat(value)
    except ValueError:
        path = Path(value)
        if not path.is_file():
            raise click.BadParameter(
                f"{value!r} is neither a date (YYYY-MM-DD) nor a file", param_hint="--from/--to"
            ) from None
        try:
            return read_gaps(path)
        except ValueError as exc:
            raise InputFailure([str(exc)]) from None
    return _graph(data, max_input_mb).gaps(as_of=day, grace_years=grace)


@click.command()
@_source_options
@click.option(
    "--from",
    "before",
    required=True,
    metavar="DATE|FILE.json",
    help="The earlier side: an as-of date, or a saved 'gaps --format json' output.",
)
@click.option(
    "--to",
    "after",
    required=True,
    metavar="DATE|FILE.json",
    help="The later side: an as-of date, or a saved 'gaps --format json' output.",
)
@click.option(
    "--grace-years",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="The grace period of the sides computed from dates.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="How to print the differences.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Write to this file, atomically (default, or -: standard output).",
)
@_loading
def diff(
    data: tuple[Path, ...],
    max_input_mb: float,
    before: str,
    after: str,
    grace_years: int,
    fmt: str,
    output: Path | None,
) -> None:
    """What changed between two reports: findings new, closed and changed.

    Each side is an as-of date (computed from DATA or the store) or a saved
    'gaps --format json' output; findings are matched by their stable ids.

    Example: reviewgraph diff --from 2024-07-01 --to 2025-07-01
    """
    from reviewgraph.analysis.diff import diff_findings

    old = _side(before, data, max_input_mb, grace_years)
    new = _side(after, data, max_input_mb, grace_years)
    _emit(diff_findings(old, new, before, after), fmt)
