"""Every quirk of a particular SPARQL server, in one table.

The endpoint store speaks plain SPARQL 1.1 (Protocol, Query, Update, Graph Store Protocol)
and looks here for the few places where a server departs from it or has a limit.  A dialect
is recognised from the ``Server`` header of the server's first answer, or named with the
environment variable ``REVIEWGRAPH_ENDPOINT_DIALECT``.  Each entry says which behaviour it
answers to; ``tests/test_servers.py`` has a test for each, against the real server.

Examples
--------
>>> detect({"server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"}).name
'virtuoso'
>>> detect({}).name
'sparql11'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from reviewgraph.stores.base import StoreError

__all__ = ["DIALECTS", "DIALECT_VAR", "Dialect", "detect", "partial_answer"]

DIALECT_VAR = "REVIEWGRAPH_ENDPOINT_DIALECT"


@dataclass(frozen=True)
class Dialect:
    """How one server departs from SPARQL 1.1.

    Attributes
    ----------
    name : str
        The key in :data:`DIALECTS`.
    server : str
        The start of the ``Server`` header that identifies it (empty: never detected).
    insert_data_blank_nodes : bool
        Whether ``INSERT DATA`` accepts blank nodes.  Virtuoso refuses them ("Blank node
        '_:b' is not allowed in a constant clause", openlink/virtuoso-opensource#126), and
        its ``INSERT {...} WHERE {}`` form overflows a 32 KB code vector past about sixty
        triples, so reviewgraph loads Virtuoso through its Graph Store Protocol instead.
    gsp_path : str
        Where the server's Graph Store Protocol endpoint is, beside its update endpoint,
        used when no ``--gsp-endpoint`` is given and ``INSERT DATA`` cannot carry the data.
    row_cap_header : str
        The response header in which the server says it cut an answer to a number of rows
        (Virtuoso's ``ResultSetMaxRows``, 10,000 by default): an answer that long is
        reported as an error rather than read as complete.
    fast_move : bool
        Whether ``MOVE`` is cheap enough to publish a load through a staging graph.  On
        Virtuoso 7.2 a ``MOVE`` of 12,000 triples took 6.4 s, so loads there replace each
        graph with one Graph Store ``PUT`` (atomic per graph) instead.
    system_graphs : tuple of str
        Graphs the server holds for itself, left out of plain graph discovery.
    max_update_triples : int
        The most triples sent in one ``INSERT DATA`` operation.  Virtuoso's SPARQL parser
        runs out of stack ("memory exhausted") at about 5,000.
    max_sorted_rows : int, optional
        The most rows the server sorts for ``ORDER BY`` with ``LIMIT``/``OFFSET`` (``None``:
        no limit).  Virtuoso refuses to sort more than ``MaxSortedTopRows`` (10,000 by
        default: "SR353: Sorted TOP clause specifies more then 10500 rows to sort",
        openlink/virtuoso-opensource#481), so a graph longer than that is paged there without
        ``ORDER BY``, in the server's own scan order, and proven complete by its count.
    timeout_param : str
        The request parameter that asks the server to stop a query after a time (empty: none
        is sent).  Fuseki's is ``timeout``, in seconds; it answers a query stopped there with
        an error.  Virtuoso's (``timeout``, in ms) is not sent: past it, Virtuoso 7.2.5 sends
        the rows found so far as if they were the whole answer.
    timeout_scale : float
        What one second is in that parameter's unit.
    stand_ins : tuple of (str, str)
        Datatypes the server does not keep as written, each with the private datatype
        (under ``urn:reviewgraph:datatype:``) that loads write instead and reads turn back.
        Virtuoso 7.2.5 keeps ``"P2M"^^xsd:duration`` as ``"2"`` (the unit lost), so
        durations travel to it as ``"P2M"^^<urn:reviewgraph:datatype:duration>``.
    """

    name: str
    server: str = ""
    insert_data_blank_nodes: bool = True
    gsp_path: str = ""
    row_cap_header: str = ""
    fast_move: bool = True
    system_graphs: tuple[str, ...] = ()
    max_update_triples: int = 5000
    max_sorted_rows: int | None = None
    timeout_param: str = ""
    timeout_scale: float = 1.0
    stand_ins: tuple[tuple[str, str], ...] = ()

    def timeout_field(self, seconds: float) -> list[tuple[str, str]]:
        """The request field that asks the server to stop after ``seconds`` (or none).

        Examples
        --------
        >>> DIALECTS["fuseki"].timeout_field(2.5)
        [('timeout', '2.5')]
        >>> DIALECTS["oxigraph"].timeout_field(60.0), DIALECTS["virtuoso"].timeout_field(60.0)
        ([], [])
        """
        if not self.timeout_param:
            return []
        value = seconds * self.timeout_scale
        text = str(int(value)) if value == int(value) else f"{value:g}"
        return [(self.timeout_param, text)]

    def gsp_url(self, update_url: str | None) -> str | None:
        """The server's Graph Store Protocol URL beside ``update_url``, if it has one.

        Examples
        --------
        >>> DIALECTS["virtuoso"].gsp_url("http://127.0.0.1:8890/sparql-auth")
        'http://127.0.0.1:8890/sparql-graph-crud-auth'
        >>> DIALECTS["sparql11"].gsp_url("http://127.0.0.1:7878/update") is None
        True
        """
        if not self.gsp_path or update_url is None:
            return None
        parts = urlsplit(update_url)
        path = self.gsp_path + ("-auth" if parts.path.endswith("-auth") else "")
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        Dialect("sparql11"),
        Dialect("oxigraph", server="Oxigraph"),
        Dialect(
            "virtuoso",
            server="Virtuoso",
            insert_data_blank_nodes=False,
            gsp_path="/sparql-graph-crud",
            row_cap_header="x-sparql-maxrows",
            fast_move=False,
            system_graphs=(
                "http://www.openlinksw.com/schemas/virtrdf#",
                "http://www.w3.org/ns/ldp#",
                "http://www.w3.org/2002/07/owl#",
                "http://localhost:8890/",
                "urn:activitystreams-owl:map",
                "urn:core:services:sparql",
            ),
            max_update_triples=2000,
            max_sorted_rows=10_000,
            stand_ins=(
                ("http://www.w3.org/2001/XMLSchema#duration", "urn:reviewgraph:datatype:duration"),
            ),
            # no timeout_param: Virtuoso takes one (``timeout``, in ms), but 7.2.5 then
            # answers a SELECT cut at that time with HTTP 200 and no sign of the cut
            # ("anytime" queries, openlink/virtuoso-opensource#1340; tested), where without
            # it the answer is whole or an error
        ),
        # Fuseki (untested here: no registry this project reaches ships it) takes a query
        # timeout in seconds as the request parameter ``timeout``.
        Dialect("fuseki", server="Apache Jena Fuseki", timeout_param="timeout"),
        # Comunica's endpoint answers every query over the files it was started with:
        # start it with --unionDefaultGraph, as it ignores default-graph-uri.  It is
        # read-only, so it has no entry of its own beyond plain SPARQL 1.1.
        Dialect("comunica"),
    )
}
"""The dialects, by name."""


def partial_answer(status: int, headers: Mapping[str, str]) -> str | None:
    """Why an answer is only part of one, or ``None``.

    A Virtuoso asked for a ``timeout`` may stop the query there and send what it has found so
    far ("anytime" queries): with HTTP 206, or with 200 and the headers ``X-SQL-State``
    (``S1TAT``) and ``X-SQL-Message`` ("Returning incomplete results, query interrupted by
    result timeout"), openlink/virtuoso-opensource#1034 and #1340.  Any server's 206 says the
    same.

    Examples
    --------
    >>> partial_answer(200, {"x-sql-state": "S1TAT", "x-sql-message": "RC... incomplete"})
    'X-SQL-State S1TAT: RC... incomplete'
    >>> partial_answer(206, {}) is not None, partial_answer(200, {}) is None
    (True, True)
    """
    state = headers.get("x-sql-state", "").strip()
    if state and state != "00000":
        message = " ".join(headers.get("x-sql-message", "").split())[:160]
        return f"X-SQL-State {state}" + (f": {message}" if message else "")
    if status == 206:
        return "HTTP 206 Partial Content"
    return None


def detect(headers: Mapping[str, str]) -> Dialect:
    """The dialect named by the environment, else the one the ``Server`` header names.

    Raises
    ------
    StoreError
        If ``REVIEWGRAPH_ENDPOINT_DIALECT`` names no dialect.
    """
    named = os.environ.get(DIALECT_VAR)
    if named:
        try:
            return DIALECTS[named.lower()]
        except KeyError:
            known = ", ".join(sorted(DIALECTS))
            raise StoreError(f"{DIALECT_VAR}={named!r}: use one of {known}") from None
    server = headers.get("server", "")
    for dialect in DIALECTS.values():
        if dialect.server and server.startswith(dialect.server):
            return dialect
    return DIALECTS["sparql11"]
