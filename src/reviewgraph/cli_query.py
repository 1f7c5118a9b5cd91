"""``reviewgraph query``: a named query, a ``.rq`` file or ``-e TEXT`` over DATA or a store,
read-only, within a time limit, in the W3C result formats.

Registered on the main group by :mod:`reviewgraph.cli`; imports only click and the command
line's own helpers at load time.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import click

from reviewgraph.cli import (
    MAX_QUERY_BYTES,
    QUERY_TIMEOUT,
    InputFailure,
    PositiveNumber,
    _load,
    _loading,
    _open_source,
    _source_options,
)

__all__ = ["query"]


@click.command()
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
