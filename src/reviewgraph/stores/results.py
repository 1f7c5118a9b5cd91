"""SPARQL answers read and checked: JSON results, N-Triples, counts (one-line errors).

Every answer of an endpoint goes through here before the store uses it: an HTML page,
garbage, a truncated body or JSON of the wrong shape is a one-line
:class:`~reviewgraph.stores.base.EndpointError` naming the endpoint, never a traceback.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from reviewgraph.stores.base import (
    RDF_LANGSTRING,
    XSD_STRING,
    EndpointError,
    PlainTerm,
    Term,
    Value,
    literal_value,
)
from reviewgraph.stores.http import Answer, one_line

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["json_plain", "json_term", "json_value", "parse_ntriples", "parse_results"]

_LABEL = re.compile(r"[A-Za-z0-9_]+")


def _cell(cell: Any, url: str) -> dict[str, str] | None:
    """One binding of SPARQL JSON results, checked: ``None`` (unbound) or type and value."""
    if cell is None:
        return None
    if (
        not isinstance(cell, dict)
        or cell.get("type") not in ("uri", "bnode", "literal", "typed-literal")
        or not isinstance(cell.get("value"), str)
    ):
        raise EndpointError(
            url, f"answered with a malformed binding: {one_line(repr(cell).encode())}"
        )
    if cell["type"] == "bnode" and not _LABEL.fullmatch(cell["value"]):
        # Virtuoso labels blank nodes "nodeID://b10000": keep them apart, as valid labels
        return {**cell, "value": "x" + cell["value"].encode("utf-8").hex()}
    return cell


def json_value(cell: dict[str, Any] | None) -> Value:
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return str(value)
    if kind == "bnode":
        return "_:" + str(value)
    if "xml:lang" in cell:
        return str(value)
    return literal_value(value, cell.get("datatype", XSD_STRING))


def json_term(cell: dict[str, Any] | None) -> Any:
    from reviewgraph.stores.rdflib_store import to_rdflib_term

    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return to_rdflib_term(Term(value))
    if kind == "bnode":
        return to_rdflib_term(Term(value, "bnode"))
    if "xml:lang" in cell:
        return to_rdflib_term(Term(value, "literal", RDF_LANGSTRING, cell["xml:lang"]))
    return to_rdflib_term(Term(value, "literal", cell.get("datatype", XSD_STRING)))


def parse_results(answer: Answer) -> dict[str, Any]:
    """An answer's SPARQL JSON results, checked for their shape (one-line errors).

    Returns a dict with ``vars`` and ``rows`` (for SELECT) or ``boolean`` (for ASK).

    Examples
    --------
    >>> body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{}]}}'
    >>> parse_results(Answer(200, {}, body, "http://e/q"))
    {'vars': ['x'], 'rows': [{'x': None}]}
    >>> try:
    ...     parse_results(Answer(200, {}, b"<html>Oops</html>", "http://e/q"))
    ... except EndpointError as exc:
    ...     print(exc)
    the SPARQL endpoint http://e/q answered with an HTML page, not SPARQL results: Oops
    """
    url, body = answer.url, answer.body
    head = body.lstrip()[:200].lower()
    if answer.content_type in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    ):
        raise EndpointError(
            url, f"answered with an HTML page, not SPARQL results: {one_line(body)}"
        )
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        what = "a truncated answer" if body.lstrip().startswith(b"{") else "something"
        raise EndpointError(
            url, f"answered with {what} that is not SPARQL JSON results: {one_line(body, 80)}"
        ) from None
    if not isinstance(data, dict):
        raise EndpointError(url, "answered with JSON that is not SPARQL results (not an object)")
    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise EndpointError(url, "answered an ASK query with a non-boolean")
        return {"boolean": data["boolean"]}
    head_vars = data.get("head", {}).get("vars", []) if isinstance(data.get("head"), dict) else None
    results = data.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if (
        not isinstance(head_vars, list)
        or not all(isinstance(v, str) for v in head_vars)
        or not isinstance(bindings, list)
        or not all(isinstance(b, dict) for b in bindings)
    ):
        raise EndpointError(
            url, f"answered with JSON of the wrong shape for SPARQL results: {one_line(body, 80)}"
        )
    rows = [{n: _cell(b.get(n), url) for n in head_vars} for b in bindings]
    return {"vars": head_vars, "rows": rows}


def json_plain(cell: dict[str, Any]) -> PlainTerm:
    """A bound cell as a plain value (:data:`~reviewgraph.stores.base.PlainTerm`).

    Examples
    --------
    >>> json_plain({"type": "literal", "value": "a", "xml:lang": "en"})
    ('a', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'en')
    >>> json_plain({"type": "bnode", "value": "b0"})
    '_:b0'
    """
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return str(value)
    if kind == "bnode":
        return "_:" + str(value)
    if "xml:lang" in cell:
        return (str(value), RDF_LANGSTRING, str(cell["xml:lang"]))
    return (str(value), str(cell.get("datatype", XSD_STRING)), "")


def parse_ntriples(answer: Answer) -> Graph:
    """An answer's N-Triples as a graph; an HTML page or bad syntax is a one-line error."""
    from rdflib import Graph

    graph = Graph()
    body = answer.body
    if not body.strip():
        return graph
    if answer.content_type == "text/html" or body.lstrip()[:15].lower().startswith(
        (b"<!doctype", b"<html")
    ):
        raise EndpointError(
            answer.url, f"answered with an HTML page, not N-Triples: {one_line(body)}"
        )
    try:
        graph.parse(data=body.decode("utf-8"), format="nt")
    except Exception as exc:  # rdflib raises several kinds for bad syntax
        reason = one_line(str(exc).encode(), 120)
        raise EndpointError(answer.url, f"answered with bad N-Triples ({reason})") from None
    return graph


def integer(text: str, url: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise EndpointError(url, f"answered a COUNT with {text[:40]!r}, not a number") from None
