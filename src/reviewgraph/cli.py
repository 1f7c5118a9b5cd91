"""The ``reviewgraph`` command line: a thin layer over the library.

Each command parses its options, calls one public function and renders the result.  Heavy
libraries (rdflib, pyshacl, networkx) are imported inside the commands, so ``--help`` starts
fast.  Exit codes: 0 success; 1 ``validate`` found violations; 2 a usage error, or input that
cannot be read or is invalid; 3 an environment error.
"""

from __future__ import annotations

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


def _chunk_bar(label: str) -> Any:
    """A progress callback ``(done, total)`` that draws a bar on stderr, when it is a terminal
    and there is more than one step."""
    bar: list[Any] = []

    def progress(done: int, total: int) -> None:
        if total < 2 or not sys.stderr.isatty():
            return
        if not bar:
            bar.append(click.progressbar(length=total, label=label, file=sys.stderr))
            bar[0].__enter__()
        bar[0].update(1)
        if done >= total:
            bar[0].__exit__(None, None, None)

    return progress


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
    report = validate_dataset(loaded, as_of=when, progress=_chunk_bar("checking the shapes"))
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


from reviewgraph.cli_load import load  # noqa: E402  (the commands of cli_*.py, after main)
from reviewgraph.cli_outputs import diff, export, report  # noqa: E402
from reviewgraph.cli_query import query  # noqa: E402
from reviewgraph.cli_spreadsheet import sheets, template  # noqa: E402
from reviewgraph.cli_store import store as _store_commands  # noqa: E402 (after main exists)

for _command in (load, export, report, query):
    main.add_command(_command)
main.add_command(_store_commands)
main.add_command(diff)
main.add_command(template)
main.add_command(sheets)
