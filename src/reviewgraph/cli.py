"""The ``reviewgraph`` command line: a thin layer over the library.

Each command parses its options, calls one public function and renders the result.  Heavy
libraries (rdflib, pyshacl, networkx) are imported inside the commands, so ``--help`` starts
fast.  Exit codes: 0 success; 1 ``validate`` found violations; 2 a usage error, or input that
cannot be read or is invalid; 3 an environment error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INVALID = 2

MAX_INPUT_MB_CEILING = 100_000.0
"""The largest ``--max-input-mb`` accepted (NaN, infinity and negative values are refused)."""


MAX_QUERY_BYTES = 1_000_000
"""The largest ``.rq`` file (or ``-e`` text) ``reviewgraph query`` reads."""

QUERY_TIMEOUT = 60.0
"""Seconds a query may run before ``reviewgraph query`` stops it (``--timeout``)."""


class PositiveNumber(click.ParamType):  # type: ignore[type-arg]
    """A finite number above 0 and at most ``ceiling``: refuses ``nan``, ``inf`` and ``-1``
    (click's FloatRange lets NaN through, as every comparison with it is false)."""

    name = "number"

    def __init__(self, ceiling: float) -> None:
        self.ceiling = ceiling

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or not 0 < number <= self.ceiling:
            self.fail(f"{value!r} is not a number above 0 and at most {self.ceiling:g}", param, ctx)
        return number


class InputFailure(click.ClickException):
    """Bad input: one line on stderr per problem, exit code 2."""

    exit_code = EXIT_INVALID

    def __init__(self, lines: list[str], code: int = EXIT_INVALID) -> None:
        super().__init__(lines[0] if lines else "invalid input")
        self.lines = lines
        self.exit_code = code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        for line in self.lines:
            click.echo(f"Error: {line}", err=True)


def _loading(func: F) -> F:
    """Turn the library's errors into one-line messages and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reviewgraph.errors import ReviewGraphError, ValidationFailed, exit_code

        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            raise InputFailure([str(p) for p in exc.problems]) from None
        except ReviewGraphError as exc:
            raise InputFailure([str(exc)], exit_code(exc)) from None

    return wrapper  # type: ignore[return-value]


def _data_options(func: F) -> F:
    func = click.argument("data", nargs=-1, type=click.Path(path_type=Path))(func)
    func = click.option(
        "--max-input-mb",
        type=PositiveNumber(MAX_INPUT_MB_CEILING),
        default=25.0,
        show_default=True,
        help="Refuse input files larger than this many megabytes.",
    )(func)
    func = click.option(
        "--encoding",
        default="utf-8",
        show_default=True,
        expose_value=False,
        callback=_remember_encoding,
        help="The text encoding of the input files (e.g. latin-1, cp1252).",
    )(func)
    return func


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"reviewgraph.{param.name}"] = value
    return value


def _source_options(func: F) -> F:
    """DATA, or a store loaded before (``--store``/``--endpoint``, with ``--graph``)."""
    func = _data_options(func)
    func = _file_options(func)
    func = click.option(
        "--graph",
        "source_graph",
        default=None,
        metavar="IRI",
        expose_value=False,
        callback=_remember,
        help="With --endpoint: read only the graphs loaded under this IRI.",
    )(func)
    func = click.option(
        "--endpoint",
        "source_endpoint",
        default=None,
        metavar="URL",
        expose_value=False,
        callback=_remember,
        help="Read from a SPARQL 1.1 endpoint instead of DATA (credentials from the "
        "environment or netrc).",
    )(func)
    func = click.option(
        "--store",
        "source_store",
        default=None,
        metavar="oxigraph:PATH",
        expose_value=False,
        callback=_remember,
        help="Read from an Oxigraph store filled by 'reviewgraph load' instead of DATA.",
    )(func)
    return func


def _file_options(func: F) -> F:
    """What reading DATA files takes beyond the path: --columns, --input-format for ``-``
    (standard input), --with-seeds (the options of :mod:`reviewgraph.cli_files`)."""
    from reviewgraph.cli_files import file_options

    return file_options(func, _remember)


def _source(data: tuple[Path, ...], max_input_mb: float = 25.0) -> Any:
    """The command's source (:func:`reviewgraph.source.open_source` of its options), opened
    once per command and closed when it ends; a bad combination of options is a usage error."""
    from reviewgraph.source import SourceUsageError, open_source

    ctx = click.get_current_context()
    source = ctx.meta.get("reviewgraph.source")
    if source is None:
        try:
            source = open_source(
                data,
                store=ctx.meta.get("reviewgraph.source_store"),
                endpoint=ctx.meta.get("reviewgraph.source_endpoint"),
                graph=ctx.meta.get("reviewgraph.source_graph"),
                encoding=ctx.meta.get("reviewgraph.encoding", "utf-8"),
                max_mb=max_input_mb,
                progress=_progress,
                columns=ctx.meta.get("reviewgraph.columns"),
                input_format=ctx.meta.get("reviewgraph.input_format"),
                with_seeds=bool(ctx.meta.get("reviewgraph.with_seeds")),
            )
        except SourceUsageError as exc:
            raise click.UsageError(str(exc)) from None
        ctx.meta["reviewgraph.source"] = source
        ctx.call_on_close(source.close)
    return source


def _open_source(data: tuple[Path, ...]) -> Any:
    """The store named by ``--store``/``--endpoint``, opened read-only, or ``None`` for DATA."""
    return _source(data).store


def _remember_encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"{value!r} is not a known text encoding") from None
    ctx.meta["reviewgraph.encoding"] = value
    return value


def _load(data: tuple[Path, ...], max_input_mb: float) -> Any:
    return _source(data, max_input_mb).loaded


def _progress(files: Any) -> Any:
    """A progress bar on stderr, only when stderr is a terminal and the input is large."""
    files = list(files)
    size = sum(f.stat().st_size for f in files)
    if not sys.stderr.isatty() or (size < 2_000_000 and len(files) < 50):
        return files
    return _bar(files)


def _bar(files: list[Path]) -> Any:
    with click.progressbar(
        files, label="reading", file=sys.stderr, item_show_func=lambda f: f.name if f else ""
    ) as bar:
        yield from bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reviewgraph", prog_name="reviewgraph")
def main() -> None:
    """Trace policy reviews, the commitments made in response, and what became of them.

    DATA is any number of YAML, CSV, Turtle, N-Triples or JSON-LD files or folders; with
    none, the bundled seed dataset is used.

    Example: reviewgraph validate seeds/
    """
    _quiet_libraries()
    _tolerant_streams()
    from reviewgraph.collector import fewer_collections

    # the whole command with fewer garbage collections (reviewgraph.collector says why)
    click.get_current_context().with_resource(fewer_collections())


def _quiet_libraries() -> None:
    """rdflib logs a traceback (or warns) for each literal that does not fit its datatype;
    reviewgraph reports those itself, on one line, so the records are dropped."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="Parsing weird", category=UserWarning)
    logger = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _DropLexicalWarnings) for f in logger.filters):
        logger.addFilter(_DropLexicalWarnings())


class _DropLexicalWarnings:
    """A logging filter dropping rdflib's 'Failed to convert Literal lexical form' records."""

    def filter(self, record: Any) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


def _tolerant_streams() -> None:
    """Text that the terminal's encoding cannot show (a latin-1 stdout) is written as
    backslash escapes rather than failing with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot
                pass


@main.command()
@_source_options
@click.option("--as-of", "as_of", default=None, help="Today, for the no-future-events rule.")
@_loading
def validate(data: tuple[Path, ...], max_input_mb: float, as_of: str | None) -> None:
    """Check DATA against the models and the SHACL shapes.

    Prints a report grouped by file, with line or row, violations and warnings apart.
    Exits 1 when there are violations.

    Example: reviewgraph validate seeds/ tracker.csv
    """
    from datetime import date

    from reviewgraph.dates import check_day
    from reviewgraph.validate import validate_dataset

    try:
        when = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter(
            f"{as_of!r} is not a date (YYYY-MM-DD)", param_hint="'--as-of'"
        ) from None
    try:
        when = check_day(when) if when else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--as-of'") from None
    loaded = _dataset(data, max_input_mb)
    report = validate_dataset(loaded, as_of=when)
    for file, problems in report.by_file().items():
        click.echo(f"{file or '(no file)'}")
        for p in problems:
            click.echo(f"  {p.severity}: {p}")
    counts = f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    click.echo(f"{len(loaded.files)} file(s), {len(loaded.dataset)} item(s): {counts}")
    if not report.conforms:
        sys.exit(1)


@main.command()
@_source_options
@_loading
def stats(data: tuple[Path, ...], max_input_mb: float) -> None:
    """Count the items of each kind in DATA.

    Example: reviewgraph stats seeds/
    """
    store = _open_source(data)
    if store is not None:
        from reviewgraph.io.store import item_counts

        counts = item_counts(store)
    else:
        from reviewgraph.models import ITEM_TYPES

        dataset = _load(data, max_input_mb).dataset
        counts = {name: len(getattr(dataset, name)) for name in ITEM_TYPES}
    for name, count in counts.items():
        click.echo(f"{name.replace('_', ' ')}\t{count}")


def _export_choices() -> list[str]:
    # the registry is a plain dict in a module that imports nothing heavy at load time
    from reviewgraph.io.export import EXPORT_FORMATS

    return list(EXPORT_FORMATS)


@main.command()
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


# --------------------------------------------------------------------------- analysis

RENDER_FORMATS = ("table", "csv", "json", "md", "xlsx")
"""The ``--format`` choices of the analysis commands (see :mod:`reviewgraph.report.text`;
``xlsx``: :mod:`reviewgraph.report.xlsx`, for gaps, scorecard, slippage, contested, timeline)."""


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from datetime import date

    from reviewgraph.dates import check_day

    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _analysis_options(func: F) -> F:
    func = _source_options(func)
    for name, text in (
        ("--until", "Keep findings dated on or before this date."),
        ("--since", "Keep findings dated on or after this date."),
    ):
        func = click.option(name, default=None, callback=_parse_day, help=text)(func)
    func = click.option("--theme", default=None, help="Keep findings about this theme.")(func)
    func = click.option(
        "--body", default=None, help="Keep findings about this body (and its predecessors)."
    )(func)
    func = click.option("--review", default=None, help="Keep findings about this review.")(func)
    func = click.option(
        "--known-on",
        "known_on",
        default=None,
        callback=_parse_day,
        help="Read the record as it stood on this date: keep only what had been asserted, "
        "stated or published by then (default: everything in the data).",
    )(func)
    func = click.option(
        "--as-of",
        "as_of",
        default=None,
        callback=_parse_day,
        help="The date D the analysis is as of (default: today, or REVIEWGRAPH_TODAY).",
    )(func)
    func = click.option(
        "--excel",
        is_flag=True,
        help="With --format csv: a byte-order mark and CRLF line ends, so Excel reads the "
        "text right.",
    )(func)
    func = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        default=None,
        help="Write the result to this file, atomically (default, or -: standard output).",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(RENDER_FORMATS),
        default="table",
        show_default=True,
        help="How to print the result (xlsx: a workbook, with -o FILE; for gaps, scorecard, "
        "slippage, contested and timeline).",
    )(func)
    return func


def _graph(data: tuple[Path, ...], max_input_mb: float, around: str | None = None) -> Any:
    """The analysis of DATA, or of the store given; ``around`` an item, read only what its
    analysis needs from a store without an analysis index."""
    return _source(data, max_input_mb).review_graph(None if around is None else [around])


def _dataset(data: tuple[Path, ...], max_input_mb: float) -> Any:
    """What a command reads, as models: from DATA (with files and lines) or from a store."""
    return _source(data, max_input_mb).located()


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    return {k: kw[k] for k in ("review", "body", "theme", "since", "until", "known_on")}


def _one_item(analysis: Callable[..., Any], item_id: str, as_of: Any, known_on: Any) -> Any:
    """Run an analysis of one item; an unknown id is a one-line error (exit 2)."""
    try:
        return analysis(item_id, as_of=as_of, known_on=known_on)
    except LookupError as exc:
        raise InputFailure([str(exc.args[0]) if exc.args else str(exc)]) from None


def _emit(result: Any, fmt: str) -> None:
    """Print or write a result as the command's --format, -o and --excel ask."""
    params = click.get_current_context().params
    output: Path | None = params.get("output")
    to_stdout = output is None or str(output) == "-"
    if fmt == "xlsx":
        from reviewgraph.report.xlsx import XLSX_RESULTS, render_xlsx

        if not isinstance(result, XLSX_RESULTS):
            raise click.UsageError(
                "--format xlsx is for gaps, scorecard, slippage, contested and timeline"
            )
        if to_stdout:
            raise click.UsageError("--format xlsx needs -o FILE (a workbook is not text)")
        data = render_xlsx(result)
    else:
        from reviewgraph.report.text import render

        text = render(result, fmt)
        if params.get("excel"):
            if fmt != "csv":
                raise click.UsageError("--excel is for --format csv")
            text = "\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")
        data = text.encode("utf-8")
    if to_stdout:
        click.echo(data, nl=False)
        return
    from reviewgraph.io.export import write_atomic

    assert output is not None
    write_atomic(output, data)
    click.echo(f"wrote {output} ({fmt})", err=True)


@main.command()
@_analysis_options
@click.option(
    "--grace-years",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="How long a commitment with no due date may run before it counts as not followed "
    "through, and a 'noted' or 'to be considered' stance before it counts as parked.",
)
@_loading
def gaps(
    data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, grace_years: int, **kw: Any
) -> None:
    """The main job: what was never followed through, as of a date.

    Lists the findings (not followed through, parked, unanswered, overdue response,
    orphaned owner), each with its owner, dates, how often the same thing was promised
    before, why it is listed and the sources behind it.

    Example: reviewgraph gaps seeds/ --as-of 2025-07-01 --format md
    """
    # a review's gaps need only its neighbourhood in a store (not so a body's or a theme's)
    around = kw["review"] if kw["body"] is None and kw["theme"] is None else None
    graph = _graph(data, max_input_mb, around)
    result = graph.gaps(as_of=as_of, grace_years=grace_years, **_filters(kw))
    _emit(result, fmt)


@main.command()
@click.argument("item_id", metavar="ID")
@_analysis_options
@_loading
def trace(
    item_id: str, data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any
) -> None:
    """Trace ID back and forward through links, with the fate of every commitment.

    Example: reviewgraph trace messenger-2022/3 --as-of 2025-07-01
    """
    _emit(_one_item(_graph(data, max_input_mb, item_id).trace, item_id, as_of, kw["known_on"]), fmt)


@main.command()
@_analysis_options
@_loading
def recurring(data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any) -> None:
    """Groups of items that repeat or echo one another, longest first.

    Example: reviewgraph recurring --as-of 2025-07-01
    """
    _emit(_graph(data, max_input_mb).recurring(as_of=as_of, **_filters(kw)), fmt)


@main.command()
@_analysis_options
@click.option(
    "--by",
    type=click.Choice(["body", "review"]),
    default="body",
    show_default=True,
    help="One row per owning body, or per review.",
)
@click.option(
    "--grace-years",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="The grace period used to count commitments not followed through.",
)
@_loading
def scorecard(
    data: tuple[Path, ...],
    max_input_mb: float,
    fmt: str,
    as_of: Any,
    by: str,
    grace_years: int,
    **kw: Any,
) -> None:
    """Stances, commitments, deliveries and gaps per body or per review.

    Example: reviewgraph scorecard --by review --as-of 2025-07-01
    """
    graph = _graph(data, max_input_mb)
    _emit(graph.scorecard(by=by, as_of=as_of, grace_years=grace_years, **_filters(kw)), fmt)


@main.command()
@_analysis_options
@_loading
def timeline(data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any) -> None:
    """Every dated event up to the as-of date, oldest first.

    Example: reviewgraph timeline --review kark-2019
    """
    _emit(_graph(data, max_input_mb).timeline(as_of=as_of, **_filters(kw)), fmt)


@main.command()
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
@_loading
def report(
    data: tuple[Path, ...],
    max_input_mb: float,
    as_of: Any,
    grace_years: int,
    title: str,
    output: Path,
    pdf: Path | None,
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
    write_output(output, html.encode("utf-8"))
    click.echo(f"wrote {output} (as of {gaps_result.as_of})", err=True)
    if pdf is not None:
        from reviewgraph.report.pdf import print_pdf

        print_pdf(output, pdf)
        click.echo(f"wrote {pdf}", err=True)


@main.command()
@click.argument("query_ref", metavar="NAME|FILE.rq", required=False)
@_source_options
@click.option("-e", "--expression", default=None, help="The query text itself.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter declared in the query's header (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="table, or the W3C SPARQL 1.1 results formats csv, tsv and json.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE clauses, which reach other servers over the network.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--timeout",
    type=PositiveNumber(86400),
    default=QUERY_TIMEOUT,
    show_default=True,
    help="Stop the query after this many seconds (exit code 3).",
)
@_loading
def query(
    query_ref: str | None,
    data: tuple[Path, ...],
    max_input_mb: float,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    allow_service: bool,
    list_queries: bool,
    timeout: float,
) -> None:
    """Run a named query, a .rq file or -e TEXT over DATA (read-only).

    Parameters are typed by the query's header (# @param ?asOf xsd:date); SPARQL Update is
    refused. The graph queried holds DATA plus the ontology's annotations the named queries
    use. List the named queries with: reviewgraph query --list

    ?knownOn and ?lineage may be left out: everything known, and the bodies linked by the
    data's body changes.

    Example: reviewgraph query not-followed-through --param asOf=2025-07-01 \\
    --param graceCutoff=2023-07-01 --format csv
    """
    from reviewgraph.sparql.adhoc import parse_select, run_select

    if list_queries:
        from reviewgraph.sparql.named import load_query, query_names

        for name in query_names():
            q = load_query(name)
            args = " ".join(f"{p.name}:{p.type}" for p in q.params)
            click.echo(f"{name}\t{args}\t{q.description}")
        return
    if expression is not None and query_ref is not None:
        # with -e, every positional argument is data
        data, query_ref = (Path(query_ref), *data), None
    if query_ref is None and expression is None:
        raise click.UsageError("give a query NAME or FILE.rq, or -e TEXT")
    from reviewgraph.sparql.named import engine_for

    store = _open_source(data)
    # a named query's text for the engine that answers (the files route queries rdflib)
    engine = "rdflib" if store is None else engine_for(store)
    if expression is not None:
        text, name = expression, "query"
    elif query_ref is not None and query_ref.endswith(".rq"):
        text, name = _read_query_file(query_ref), query_ref
    else:
        from reviewgraph.vocab.resources import query_file

        entry = query_file(str(query_ref), engine)
        if not re.fullmatch(r"[a-z][a-z0-9-]*", str(query_ref)) or not entry.is_file():
            from reviewgraph.sparql.named import query_names

            known = ", ".join(query_names())
            raise click.UsageError(f"no query named {query_ref!r} (known: {known})")
        text, name = entry.read_text(encoding="utf-8"), str(query_ref)
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param {item!r} is not NAME=VALUE")
        given[key.lstrip("?")] = value
    from reviewgraph.rdf.mapping import to_graph
    from reviewgraph.sparql.adhoc import QueryRefused
    from reviewgraph.sparql.named import query_graph

    try:
        parsed = parse_select(text, name, allow_service=allow_service)
        if store is None:
            store = query_graph(to_graph(_load(data, max_input_mb).dataset))
        answer = _answer_within(lambda: run_select(store, parsed, given, fmt), timeout)
        click.echo(answer, nl=False)
    except QueryRefused as exc:
        raise InputFailure([str(exc)]) from None


_ENVIRONMENT_KINDS = {"StoreEnvironmentError", "StoreLockedError", "EndpointError"}


def _answer_within(work: Callable[[], str], seconds: float) -> str:
    """``work()`` stopped after ``seconds`` (see :mod:`reviewgraph.sparql.deadline`)."""
    from reviewgraph.sparql.deadline import EXIT_TIMEOUT, ChildError, QueryTimeoutError, run_within

    try:
        return run_within(work, seconds)
    except QueryTimeoutError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_TIMEOUT)
    except ChildError as exc:
        if exc.kind in _ENVIRONMENT_KINDS:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(3)  # an environment error (see reviewgraph.errors.EXIT_CODES)
        raise InputFailure([exc.message]) from None


def _read_query_file(name: str) -> str:
    """The text of a ``.rq`` file; a missing, unreadable or binary file is a usage error."""
    path = Path(name)
    if not path.is_file():
        raise click.UsageError(f"{name}: no such query file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFailure([f"{name}: cannot read the query file: {exc.strerror}"]) from None
    if len(data) > MAX_QUERY_BYTES:
        raise InputFailure([f"{name}: the query file is over {MAX_QUERY_BYTES:,} bytes"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFailure(
            [f"{name}: the query file is not UTF-8 text (byte 0x{data[exc.start]:02x})"]
        ) from None
    if "\x00" in text:
        raise InputFailure([f"{name}: the query file holds NUL bytes (is it a binary file?)"])
    return text


@main.command()
@click.argument("item_id", metavar="ID")
@_analysis_options
@_loading
def status(
    item_id: str, data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any
) -> None:
    """The state of one recommendation or commitment as of a date.

    Example: reviewgraph status messenger-framework --as-of 2025-01-01
    """
    _emit(
        _one_item(_graph(data, max_input_mb, item_id).status, item_id, as_of, kw["known_on"]), fmt
    )


@main.command()
@_analysis_options
@_loading
def slippage(data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any) -> None:
    """How each commitment's target moved, and whether it was delivered late.

    Example: reviewgraph slippage --as-of 2025-07-01
    """
    _emit(_graph(data, max_input_mb).slippage(as_of=as_of, **_filters(kw)), fmt)


@main.command()
@_analysis_options
@_loading
def contested(data: tuple[Path, ...], max_input_mb: float, fmt: str, as_of: Any, **kw: Any) -> None:
    """Commitments on which the owner's side and independent scrutiny disagree.

    Example: reviewgraph contested --as-of 2025-07-01
    """
    _emit(_graph(data, max_input_mb).contested(as_of=as_of, **_filters(kw)), fmt)


@main.command()
@_data_options
@click.option(
    "--store",
    "store_spec",
    default=None,
    metavar="oxigraph:PATH",
    help="Load into an Oxigraph store on disk (created if missing).",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Load into a SPARQL 1.1 endpoint (credentials from the environment or netrc).",
)
@click.option(
    "--update-endpoint", default=None, metavar="URL", help="The endpoint's SPARQL Update URL."
)
@click.option(
    "--gsp-endpoint",
    default=None,
    metavar="URL",
    help="The endpoint's Graph Store Protocol URL (one request per graph).",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="The IRI under which each file's named graph is minted on the endpoint; queries "
    "see only the graphs under it.",
)
@click.option("--validate", "check", is_flag=True, help="Check models and SHACL shapes first.")
@click.option("--replace", is_flag=True, help="Replace the triples of files loaded before.")
@click.option(
    "--bulk",
    is_flag=True,
    help="The fast, non-atomic path for very large files (documented in the docs).",
)
@click.option(
    "--columns",
    default=None,
    metavar="FILE|old=new,...",
    help="Map a foreign tracker's header onto the CSV columns: a file of old=new lines, "
    "or old=new,... (e.g. 'Rec no=rec_label,Lead=owner').",
)
@click.option(
    "--with-seeds",
    is_flag=True,
    help="Load the bundled seeds beside DATA (each file into its own graph), so DATA can "
    "refer to their items.",
)
@_loading
def load(
    data: tuple[Path, ...],
    max_input_mb: float,
    store_spec: str | None,
    endpoint: str | None,
    update_endpoint: str | None,
    gsp_endpoint: str | None,
    graph_iri: str | None,
    check: bool,
    replace: bool,
    bulk: bool,
    columns: str | None,
    with_seeds: bool,
) -> None:
    """Load DATA into a store, each file into its own named graph, atomically.

    The store is unchanged if anything fails (except with --bulk). A second writer to an
    Oxigraph store, or an endpoint that does not answer, exits with code 3.

    Example: reviewgraph load seeds/ --store oxigraph:reviews.db --validate
    """
    from reviewgraph.io.store import load_files
    from reviewgraph.stores import open_endpoint, open_store

    if (store_spec is None) == (endpoint is None):
        raise click.UsageError("give one of --store oxigraph:PATH or --endpoint URL")
    encoding = click.get_current_context().meta.get("reviewgraph.encoding", "utf-8")
    if store_spec is not None:
        store = open_store(store_spec, writable=True)
    else:
        assert endpoint is not None
        store = open_endpoint(
            endpoint, update_url=update_endpoint, gsp_url=gsp_endpoint, graph=graph_iri
        )
    with store:
        report = load_files(
            store,
            data,
            validate=check,
            replace=replace,
            bulk=bulk,
            max_mb=max_input_mb,
            encoding=encoding,
            progress=_progress,
            columns=columns,
            with_seeds=with_seeds,
        )
    click.echo(str(report))


from reviewgraph.cli_outputs import diff  # noqa: E402  (registers the output commands)
from reviewgraph.cli_spreadsheet import sheets, template  # noqa: E402
from reviewgraph.cli_store import store as _store_commands  # noqa: E402 (after main exists)

main.add_command(_store_commands)
main.add_command(diff)
main.add_command(template)
main.add_command(sheets)
