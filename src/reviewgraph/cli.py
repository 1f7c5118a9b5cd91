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


class InputFailure(click.ClickException):
    """Bad input: one line on stderr per problem, exit code 2."""

    exit_code = EXIT_INVALID

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0] if lines else "invalid input")
        self.lines = lines

    def show(self, file: Any = None) -> None:
        for line in self.lines:
            click.echo(f"Error: {line}", err=True)


def _loading(func: F) -> F:
    """Turn the library's errors into one-line messages and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import ReviewGraphError, ValidationFailed

        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            raise InputFailure([str(p) for p in exc.problems]) from None
        except ReviewGraphError as exc:
            raise InputFailure([str(exc)]) from None

    return wrapper  # type: ignore[return-value]


def _data_options(func: F) -> F:
    func = click.argument("data", nargs=-1, type=click.Path(path_type=Path))(func)
    func = click.option(
        "--max-input-mb",
        type=float,
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


def _remember_encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"{value!r} is not a known text encoding") from None
    ctx.meta["reviewgraph.encoding"] = value
    return value


def _load(data: tuple[Path, ...], max_input_mb: float) -> Any:
    from .load import read_dataset

    encoding = click.get_current_context().meta.get("reviewgraph.encoding", "utf-8")
    return read_dataset(data, max_mb=max_input_mb, encoding=encoding)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reviewgraph", prog_name="reviewgraph")
def main() -> None:
    """Trace policy reviews, the commitments made in response, and what became of them.

    DATA is any number of YAML, CSV, Turtle, N-Triples or JSON-LD files or folders; with
    none, the bundled seed dataset is used.

    Example: reviewgraph validate seeds/
    """


@main.command()
@_data_options
@click.option("--as-of", "as_of", default=None, help="Today, for the no-future-events rule.")
@_loading
def validate(data: tuple[Path, ...], max_input_mb: float, as_of: str | None) -> None:
    """Check DATA against the models and the SHACL shapes.

    Prints a report grouped by file, with line or row, violations and warnings apart.
    Exits 1 when there are violations.

    Example: reviewgraph validate seeds/ tracker.csv
    """
    from datetime import date

    from .validate import validate_dataset

    try:
        when = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter(
            f"{as_of!r} is not a date (YYYY-MM-DD)", param_hint="'--as-of'"
        ) from None
    loaded = _load(data, max_input_mb)
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
@_data_options
@_loading
def stats(data: tuple[Path, ...], max_input_mb: float) -> None:
    """Count the items of each kind in DATA.

    Example: reviewgraph stats seeds/
    """
    from .models import ITEM_TYPES

    loaded = _load(data, max_input_mb)
    for name in ITEM_TYPES:
        click.echo(f"{name.replace('_', ' ')}\t{len(getattr(loaded.dataset, name))}")


def _export_choices() -> list[str]:
    # the registry is a plain dict in a module that imports nothing heavy at load time
    from .export import EXPORT_FORMATS

    return list(EXPORT_FORMATS)


@main.command()
@_data_options
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
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (written atomically: a failed run leaves no partial file).",
)
@_loading
def export(data: tuple[Path, ...], max_input_mb: float, fmt: str, output: Path) -> None:
    """Write DATA in another format: RDF, GraphML, GEXF, CSV or DOT.

    RDF formats go through rdflib's serialisers (JSON-LD compacted with the project's
    context embedded); GraphML and GEXF through networkx, for Gephi and yEd; CSV is the
    tracker table; DOT is for Graphviz.

    Example: reviewgraph export seeds/ --format ttl -o reviews.ttl
    """
    from .export import export_dataset, write_atomic

    loaded = _load(data, max_input_mb)
    write_atomic(output, export_dataset(loaded.dataset, fmt))
    click.echo(f"wrote {output} ({fmt})", err=True)
