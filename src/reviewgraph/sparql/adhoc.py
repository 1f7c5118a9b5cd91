"""Run any read-only SPARQL query: a named one, a ``.rq`` file or text, with typed parameters.

Results are written in the W3C SPARQL 1.1 query results formats (JSON, CSV, TSV) exactly, or
as a plain table.  SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
``CREATE``) is refused, and so is ``SERVICE`` unless the caller allows it, since it would
reach another server.  Parameters are declared in the query's header
(``# @param ?asOf xsd:date``) and bound as typed RDF terms, never pasted into the text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parserutils import CompValue

from reviewgraph.errors import QueryRefused
from reviewgraph.io.tracker import neutralise
from reviewgraph.vocab.constants import BASE_IRI

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.query import Result

    from reviewgraph.stores import Store

__all__ = ["QUERY_FORMATS", "QueryRefused", "SelectQuery", "parse_select", "run_select"]

QUERY_FORMATS = ("table", "csv", "tsv", "json")
"""The output formats of :func:`run_select` (csv, tsv and json are the W3C formats)."""

_PARAM = re.compile(r"#\s*@param\s+\?(\w+)\s+(\S+)\s*$")
_TYPES = {"xsd:date": XSD.date, "xsd:integer": XSD.integer, "xsd:string": XSD.string, "iri": None}


@dataclass(frozen=True)
class SelectQuery:
    """A parsed read-only query with its declared parameters (name to type)."""

    name: str
    text: str
    params: dict[str, str]
    prepared: Any


_OPERATIONS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Modify": "DELETE/INSERT",
}


def _update_operation(text: str) -> str | None:
    """Return the keyword of the first operation if ``text`` parses as a SPARQL Update."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return None
    requests = [r for r in parsed.get("request") or [] if isinstance(r, CompValue)]
    if not requests:  # an empty text parses as an empty update: it is no query either
        return None
    return _OPERATIONS.get(requests[0].name, "an update")


def _services(node: Any) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_services(v) for k, v in node.items() if k != "_vars")
    if isinstance(node, list | tuple):
        return any(_services(v) for v in node)
    return False


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
    from rdflib.plugins.sparql import prepareQuery

    params: dict[str, str] = {}
    for line in text.splitlines():
        match = _PARAM.match(line.strip())
        if match:
            if match[2] not in _TYPES:
                raise QueryRefused(f"{name}: parameter ?{match[1]} has unknown type {match[2]!r}")
            params[match[1]] = match[2]
    try:
        prepared = prepareQuery(text)
    except Exception as exc:
        operation = _update_operation(text)
        if operation:
            raise QueryRefused(
                f"{name}: SPARQL Update ({operation}) is refused: queries are read-only"
            ) from None
        message = " ".join(str(exc).split())[:200]
        raise QueryRefused(f"{name}: not a valid SPARQL query: {message}") from None
    if _services(prepared.algebra) and not allow_service:
        raise QueryRefused(
            f"{name}: SERVICE would reach another server; pass --allow-service to permit it"
        )
    return SelectQuery(name, text, params, prepared)


def _bind(query: SelectQuery, given: dict[str, str], base: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, raw in given.items():
        kind = query.params.get(key)
        if kind is None:
            known = ", ".join(sorted(query.params)) or "none"
            raise QueryRefused(f"{query.name} takes no parameter {key!r} (it takes: {known})")
        if kind == "iri":
            iri = raw if re.match(r"^[a-z][a-z0-9+.-]*:", raw) else base + raw
            if re.search(r"[\s<>\"{}|\\^`]", iri):
                raise QueryRefused(f"{key}: {raw!r} is not an IRI or identifier")
            out[key] = URIRef(iri)
        elif kind == "xsd:date":
            try:
                out[key] = Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
            except ValueError:
                raise QueryRefused(f"{key}: {raw!r} is not a date (YYYY-MM-DD)") from None
        elif kind == "xsd:integer":
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise QueryRefused(f"{key}: {raw!r} is not an integer")
            out[key] = Literal(raw, datatype=XSD.integer)
        else:
            out[key] = Literal(raw, datatype=XSD.string)
    missing = set(query.params) - set(given)
    if missing:
        raise QueryRefused(f"{query.name} needs parameter {sorted(missing)[0]!r}")
    return out


def _nt(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef | BNode | Literal):
        return str(term.n3())
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


def _store_result(store: Store, query: SelectQuery, bindings: dict[str, Any]) -> Result:
    """Run a parsed query on a store and wrap its rows in an rdflib ``Result``, so that both
    routes are written by the same code."""
    from rdflib.query import Result

    kind = query.prepared.algebra.name
    if kind == "AskQuery":
        result = Result("ASK")
        result.askAnswer = store.ask(query.text, bindings)
        return result
    if kind != "SelectQuery":
        raise QueryRefused(f"{query.name}: only SELECT and ASK queries can be printed")
    table = store.select_terms(query.text, bindings)
    return _select_result(table.variables, table.rows)


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


def run_select(
    graph: Graph | Store,
    query: SelectQuery,
    params: dict[str, str] | None = None,
    fmt: str = "table",
    base: str = BASE_IRI,
) -> str:
    r"""Run a parsed query on an rdflib graph or a store and return its results in ``fmt``.

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
    bindings = _bind(query, params or {}, base)
    if isinstance(graph, Graph):
        try:
            result = graph.query(query.prepared, initBindings=bindings)
            if result.type == "SELECT":
                names = [str(v) for v in (result.vars or [])]
                found = [tuple(r) for r in result]  # type: ignore[arg-type]
                result = _select_result(names, found)
        except QueryRefused:
            raise
        except Exception as exc:  # rdflib's evaluator raises bare Exceptions
            raise QueryRefused(_rdflib_failure(query.name, exc)) from None
    else:
        result = _store_result(graph, query, bindings)
    if result.type not in ("SELECT", "ASK"):
        raise QueryRefused(f"{query.name}: only SELECT and ASK queries can be printed")
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
