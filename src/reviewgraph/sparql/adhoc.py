"""Run any read-only SPARQL query: a named one, a ``.rq`` file or text, with typed parameters.

Results are written in the W3C SPARQL 1.1 query results formats (JSON, CSV, TSV) exactly, or
as a plain table.  SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
``CREATE``) is refused, and so is ``SERVICE`` unless the caller allows it, since it would
reach another server.  Parameters are declared in the query's header
(``# @param ?asOf xsd:date``) and bound as typed RDF terms, never pasted into the text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef

from reviewgraph.errors import QueryRefused
from reviewgraph.io.tracker import neutralise
from reviewgraph.sparql.bind import bind
from reviewgraph.sparql.guard import guard
from reviewgraph.sparql.header import Param, parse_header
from reviewgraph.sparql.lineage import complete
from reviewgraph.sparql.run import Answer, execute
from reviewgraph.vocab.constants import BASE_IRI
from reviewgraph.vocab.ntriples import write_rdflib

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.query import Result

    from reviewgraph.stores import Store

__all__ = ["QUERY_FORMATS", "QueryRefused", "SelectQuery", "parse_select", "run_select"]

QUERY_FORMATS = ("table", "csv", "tsv", "json")
"""The output formats of :func:`run_select` (csv, tsv and json are the W3C formats)."""


@dataclass(frozen=True)
class SelectQuery:
    """A parsed read-only query with its declared parameters (name to type)."""

    name: str
    text: str
    params: dict[str, str]
    prepared: Any


def parse_select(text: str, name: str = "query", *, allow_service: bool = False) -> SelectQuery:
    """Parse a query and its header; refuse updates and (by default) ``SERVICE``.

    Examples
    --------
    >>> q = parse_select("# @param ?d xsd:date\\nSELECT ?d WHERE {}")
    >>> q.params
    {'d': 'xsd:date'}
    >>> parse_select("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    reviewgraph.errors.QueryRefused: query: SPARQL Update (DELETE) is refused: queries are read-only
    """
    header = parse_header(text, name, strict=False, error=QueryRefused)
    params = {p.name: p.type for p in header.params}
    prepared = guard(text, name, allow_service=allow_service, error=QueryRefused)
    return SelectQuery(name, text, params, prepared)


def _nt(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef | BNode | Literal):
        return write_rdflib(term)
    return str(term)


def _rdflib_failure(name: str, exc: Exception) -> str:
    """One line for a query that rdflib could not evaluate over the files' graph."""
    text = " ".join(str(exc).split())
    if "requiring a dataset" in text:
        return (
            f"{name}: GRAPH needs named graphs, and DATA read from files is one graph; load "
            "the files with 'reviewgraph load' and query with --store, where each file is a "
            "named graph"
        )
    return f"{name}: the query cannot be run: {text[:300]}"


def _plain(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(variables: list[str], rows: list[list[Any]]) -> str:
    cells = [[_plain(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(variables)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines) + f"\n({len(rows)} rows)\n"


def _result(answer: Answer, name: str) -> Result:
    """An answer as an rdflib ``Result``, so that every route is written by the same code."""
    from rdflib.query import Result

    if answer.form == "ASK":
        result = Result("ASK")
        result.askAnswer = answer.boolean
        return result
    if answer.form != "SELECT":
        raise QueryRefused(f"{name}: only SELECT and ASK queries can be printed")
    return _select_result(answer.variables, answer.rows)


def _select_result(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> Result:
    """A SELECT result whose bindings list the variables in the SELECT's order, whichever
    engine answered, so that the JSON written is the same."""
    from rdflib.query import Result
    from rdflib.term import Variable

    result = Result("SELECT")
    names = [Variable(v) for v in variables]
    result.vars = names
    result.bindings = [
        {n: v for n, v in zip(names, row, strict=True) if v is not None} for row in rows
    ]
    return result


def _succession(graph: Graph | Store, base: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``succession`` query's rows on ``graph``, for :func:`complete`'s ``?lineage``."""
    from reviewgraph.sparql import named

    if isinstance(graph, Graph):
        return named.run("succession", graph, base, **params)
    return named.run_named(graph, "succession", base, **params)


def run_select(
    graph: Graph | Store,
    query: SelectQuery,
    params: dict[str, str] | None = None,
    fmt: str = "table",
    base: str = BASE_IRI,
) -> str:
    r"""Run a parsed query on an rdflib graph or a store and return its results in ``fmt``.

    A query that declares ``?knownOn`` or ``?lineage`` and is not given them has them filled
    in (:func:`reviewgraph.sparql.lineage.complete`).

    Raises
    ------
    QueryRefused
        If a parameter is unknown, missing or malformed, or the query is not a SELECT or ASK.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<urn:a> <urn:p> 1 .", format="turtle")
    >>> run_select(g, parse_select("SELECT ?s WHERE { ?s ?p ?o }"), fmt="csv")
    's\r\nurn:a\r\n'
    >>> run_select(g, parse_select("SELECT ?o WHERE { ?s ?p ?o }"), fmt="tsv")
    '?o\n"1"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
    """
    declared = [Param(n, t) for n, t in query.params.items()]
    given = complete(query.params, params or {}, lambda **p: _succession(graph, base, p))
    bindings = bind(query.name, declared, given, base, error=QueryRefused)
    if isinstance(graph, Graph):
        try:
            answer = execute(graph, query.text, bindings, prepared=query.prepared)
        except QueryRefused:
            raise
        except Exception as exc:  # rdflib's evaluator raises bare Exceptions
            raise QueryRefused(_rdflib_failure(query.name, exc)) from None
    else:
        answer = execute(graph, query.text, bindings, prepared=query.prepared)
    result = _result(answer, query.name)
    if fmt == "json":
        return (result.serialize(format="json") or b"").decode("utf-8") + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    variables = [str(v) for v in (result.vars or [])]
    rows = [[row[i] for i in range(len(variables))] for row in result]  # type: ignore[index]
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(v) for v in variables])
        writer.writerows([[neutralise(_plain(v)) for v in row] for row in rows])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_nt(v) for v in row) for row in rows]
        return "\n".join(lines) + "\n"
    return _table(variables, rows)
