"""Reading an answer past a server's row cap: the page and count queries.

A server may cut an answer at a number of rows: Virtuoso at ``ResultSetMaxRows`` (10,000 by
default), saying so only in an ``X-SPARQL-MaxRows`` header; another server may say nothing.
The endpoint store (:mod:`reviewgraph.stores.endpoint`) therefore counts what it reads:

* **A graph** is read with one ``SELECT ?s ?p ?o``; where that brings fewer triples than the
  graph's ``COUNT``, or the server says it cut it, the graph is read again in pages of the
  cap, ordered by ``?s ?p ?o`` (:func:`graph_page`), and the distinct triples read must
  number the ``COUNT``.
* **A SELECT** of many rows (or one the server says it cut) is counted by the same query
  wrapped in ``COUNT(*)`` (:func:`count_query`); where the count is higher, it is read in
  ordered pages of a sub-select (:func:`select_page`), which must add up to the count.

A shortfall that paging cannot make up is an error, never a short answer.

Examples
--------
>>> print(count_query("PREFIX rg: <urn:x#>\\nSELECT ?s WHERE { ?s a rg:Review }"))
PREFIX rg: <urn:x#>
SELECT (COUNT(*) AS ?reviewgraph_n) WHERE {
SELECT ?s WHERE { ?s a rg:Review }
}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reviewgraph.stores.base import Term

__all__ = [
    "COUNT_VAR",
    "count_query",
    "distinct_triples",
    "graph_page",
    "order_conditions",
    "read_pages",
    "select_page",
]

COUNT_VAR = "reviewgraph_n"
"""The variable of the count queries (a name no shipped or sensible query uses)."""

_PROLOGUE = re.compile(
    r"\A(?:\s+|\#[^\n]*(?:\n|\Z)|PREFIX\s*[A-Za-z_]?[\w.\-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*",
    re.IGNORECASE,
)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_AFTER_ORDER = re.compile(r"\b(?:LIMIT|OFFSET|VALUES)\b", re.IGNORECASE)


def split_prologue(query: str) -> tuple[str, str]:
    """The query's ``PREFIX``/``BASE`` declarations (and comments), and the rest.

    Examples
    --------
    >>> split_prologue("PREFIX a: <urn:a#> SELECT * WHERE {}")
    ('PREFIX a: <urn:a#> ', 'SELECT * WHERE {}')
    """
    end = _PROLOGUE.match(query)
    cut = end.end() if end else 0
    return query[:cut], query[cut:]


def count_query(query: str) -> str:
    """The number of rows a SELECT query answers, as a query of one row (``?reviewgraph_n``)."""
    prologue, body = split_prologue(query)
    return f"{prologue}SELECT (COUNT(*) AS ?{COUNT_VAR}) WHERE {{\n{body}\n}}"


def order_conditions(query: str) -> str:
    """The conditions of a query's last ``ORDER BY`` (empty without one), to keep its order
    when it is paged as a sub-select (a sub-select's order does not reach the outer query).

    Examples
    --------
    >>> order_conditions("SELECT ?a WHERE { ?a ?b ?c } ORDER BY DESC(?a) ?c LIMIT 5")
    'DESC(?a) ?c'
    >>> order_conditions("SELECT ?a WHERE { ?a ?b ?c }")
    ''
    """
    found = list(_ORDER_BY.finditer(query))
    if not found:
        return ""
    tail = query[found[-1].end() :]
    stop = _AFTER_ORDER.search(tail)
    return " ".join((tail[: stop.start()] if stop else tail).split())


def select_page(query: str, variables: Sequence[str], limit: int, offset: int) -> str:
    """One page of a SELECT query's answer: the query as a sub-select, ordered by its own
    ``ORDER BY`` and then by every variable, so that pages neither overlap nor skip.

    Examples
    --------
    >>> print(select_page("SELECT ?a ?b WHERE { ?a ?p ?b }", ["a", "b"], 100, 200))
    SELECT * WHERE {
    SELECT ?a ?b WHERE { ?a ?p ?b }
    } ORDER BY ?a ?b LIMIT 100 OFFSET 200
    >>> select_page("SELECT ?a ?b WHERE {} ORDER BY ?b", ["a", "b"], 1, 0).split("} ")[-1]
    'ORDER BY ?b ?a LIMIT 1 OFFSET 0'
    """
    prologue, body = split_prologue(query)
    own = order_conditions(body)
    named = set(own.split())  # a key given twice breaks Virtuoso 7.2's sort ("SORTI")
    order = " ".join([own, *(f"?{v}" for v in variables if f"?{v}" not in named)]).strip()
    return f"{prologue}SELECT * WHERE {{\n{body}\n}} ORDER BY {order} LIMIT {limit} OFFSET {offset}"


def graph_page(
    graph: str, limit: int | None = None, offset: int = 0, *, ordered: bool = False
) -> str:
    """A graph's triples, or one page of them.

    Examples
    --------
    >>> graph_page("urn:g")
    'SELECT ?s ?p ?o WHERE { GRAPH <urn:g> { ?s ?p ?o } }'
    >>> graph_page("urn:g", 10, 20, ordered=True)
    'SELECT ?s ?p ?o WHERE { GRAPH <urn:g> { ?s ?p ?o } } ORDER BY ?s ?p ?o LIMIT 10 OFFSET 20'
    """
    where = f"SELECT ?s ?p ?o WHERE {{ GRAPH {Term(graph).n3()} {{ ?s ?p ?o }} }}"
    if limit is None:
        return where
    order = " ORDER BY ?s ?p ?o" if ordered else ""
    return f"{where}{order} LIMIT {limit} OFFSET {offset}"


Cells = list[dict[str, Any]]
"""Rows of SPARQL JSON cells (``None``: unbound)."""


def read_pages(fetch: Callable[[str], Cells], text_of: Callable[[int], str], page: int,
               total: int) -> Cells:  # fmt: skip
    """The rows of ``total`` in pages of ``page``: ``fetch(text_of(offset))`` for each
    offset, stopping at a short page, or at a page the same as the one before (a server
    that does not page: asking again would only bring the same rows).

    Examples
    --------
    >>> rows = [{"x": i} for i in range(5)]
    >>> fetch = lambda t: rows[int(t) : int(t) + 2]
    >>> read_pages(fetch, str, 2, 5) == rows
    True
    >>> len(read_pages(lambda t: rows[:2], str, 2, 5))  # offsets ignored: stops at once
    2
    """
    out: Cells = []
    last: Cells = []
    for offset in range(0, total, page):
        got = fetch(text_of(offset))
        if offset and got == last:
            break
        out.extend(got)
        last = got
        if len(got) < min(page, total - offset):
            break
    return out


def distinct_triples(rows: Cells) -> int:
    """How many distinct, fully bound triples the rows (``s``, ``p``, ``o``) hold; an
    unbound cell makes it -1.

    Examples
    --------
    >>> t = {"s": {"type": "uri", "value": "urn:s"}, "p": {"type": "uri", "value": "urn:p"},
    ...      "o": {"type": "literal", "value": "1"}}
    >>> distinct_triples([t, t]), distinct_triples([{**t, "o": None}])
    (1, -1)
    """
    keys = set()
    for row in rows:
        cells = [row.get(v) for v in ("s", "p", "o")]
        if any(c is None for c in cells):
            return -1
        keys.add(tuple((c["type"], c["value"], c.get("datatype", ""), c.get("xml:lang", ""))
                       for c in cells if c is not None))  # fmt: skip
    return len(keys)
