"""A SPARQL 1.1 endpoint as a store: Virtuoso, Oxigraph server, Comunica, Fuseki, GraphDB.

Queries go through the SPARQL 1.1 Protocol (``POST``, form-encoded, with one
``default-graph-uri`` and one ``named-graph-uri`` per reviewgraph graph, so the query's
default graph is their union whatever the server's default graph is, and ``GRAPH ?g`` sees
each of them).  Bindings become a ``VALUES`` block at the start of the query's
top-level ``WHERE`` group.  Loads go either through SPARQL 1.1 Update, as **one** request that
drops and re-inserts every graph (atomic on servers that run an update request in one
transaction, as Oxigraph, Fuseki and GraphDB do), or through the Graph Store Protocol, one
``PUT`` per graph (``bulk``; each graph is replaced atomically, but not all of them together).

Every request goes through :class:`reviewgraph.stores.http.HttpClient` (credentials for
the endpoint's own origin only, same-origin redirects, a deadline and a size cap); every
answer is checked for its shape, and a bad one is a one-line :class:`EndpointError`.
Credentials come from the environment (``REVIEWGRAPH_ENDPOINT_USER`` and
``REVIEWGRAPH_ENDPOINT_PASSWORD`` for Basic or Digest, or ``REVIEWGRAPH_ENDPOINT_TOKEN`` for a
Bearer token) or from ``~/.netrc`` (by host), never from the command line.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from reviewgraph.stores.base import (
    ANNOTATIONS_GRAPH,
    RDF_LANGSTRING,
    XSD_STRING,
    Bindings,
    EndpointError,
    Row,
    Store,
    StoreError,
    Table,
    Term,
    Value,
    check_bindings,
    literal_value,
    values_rows,
    with_values,
)
from .http import PASSWORD_VAR, TOKEN_VAR, USER_VAR, Answer, HttpClient, HttpSettings, one_line

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from reviewgraph.stores.oxigraph import GraphLoad

__all__ = ["PASSWORD_VAR", "TOKEN_VAR", "USER_VAR", "EndpointStore", "credentials", "parse_results"]


_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


def credentials(url: str) -> str | None:
    """The ``Authorization`` header that Basic or Bearer credentials give for ``url``.

    From the environment, else ``~/.netrc`` by host; ``None`` without credentials or when
    they are answered to a challenge (Digest, or ``REVIEWGRAPH_ENDPOINT_AUTH=auto``).

    Examples
    --------
    >>> import os
    >>> os.environ["REVIEWGRAPH_ENDPOINT_USER"] = "ann"
    >>> os.environ["REVIEWGRAPH_ENDPOINT_PASSWORD"] = "secret"
    >>> os.environ["REVIEWGRAPH_ENDPOINT_AUTH"] = "basic"
    >>> credentials("http://localhost:7878/query")
    'Basic YW5uOnNlY3JldA=='
    >>> for name in ("USER", "PASSWORD", "AUTH"):
    ...     del os.environ["REVIEWGRAPH_ENDPOINT_" + name]
    """
    from .http import _auth_for

    auth = _auth_for(url)
    value = getattr(auth, "value", None)
    return str(value) if value is not None else None


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
    return cell


def _json_value(cell: dict[str, Any] | None) -> Value:
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


def _json_term(cell: dict[str, Any] | None) -> Any:
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
    >>> parse_results(Answer(200, {}, b"<html>Oops</html>", "http://e/q"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reviewgraph.stores.base.EndpointError: the SPARQL endpoint http://e/q answered with an HTML ...
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


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint.

    Parameters
    ----------
    query_url : str
        The query endpoint (``http(s)://``).
    update_url : str, optional
        The SPARQL Update endpoint (atomic loads).
    gsp_url : str, optional
        The Graph Store Protocol endpoint (``bulk`` loads, one request per graph).
    graph : str, optional
        The IRI under which reviewgraph names the graph of each loaded file
        (``<graph>seeds/kark-2019.yaml``); queries then see only the graphs under it.
    timeout : float
        Seconds to wait to connect and for each read (the whole request has a deadline,
        :class:`~reviewgraph.stores.http.HttpSettings`).
    settings : HttpSettings, optional
        The client's limits (by default from the environment).

    Raises
    ------
    StoreError
        If a URL is not http or https.
    """

    kind: ClassVar[str] = "endpoint"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        graph: str | None = None,
        timeout: float = 60.0,
        settings: HttpSettings | None = None,
    ) -> None:
        super().__init__(query_url)
        for url in (query_url, update_url, gsp_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url!r} is not an http or https URL")
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.graph_base = graph
        self.timeout = timeout
        self.settings = settings or HttpSettings.from_env(
            read_timeout=timeout, connect_timeout=min(timeout, 10.0)
        )
        self.writable = update_url is not None or gsp_url is not None
        self._dataset: list[str] | None = None
        self._clients: dict[str, HttpClient] = {}

    # -- HTTP

    def _client(self, url: str) -> HttpClient:
        """The client of one of the configured URLs (each trusts its own origin only)."""
        client = self._clients.get(url)
        if client is None:
            client = self._clients[url] = HttpClient(url, self.settings)
        return client

    def close(self) -> None:
        """Close the connections."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def _request(
        self,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        method: str = "POST",
        *,
        idempotent: bool = False,
        base: str | None = None,
    ) -> Answer:
        client = self._client(base or url)
        return client.request(method, url, body=body, headers=headers, idempotent=idempotent)

    def _query(self, text: str, accept: str, *, dataset: bool = True) -> Answer:
        """POST a query (over reviewgraph's graphs, or the server's own dataset)."""
        fields = [("query", text)]
        if dataset:
            graphs = self.dataset()
            fields += [("default-graph-uri", g) for g in graphs]
            fields += [("named-graph-uri", g) for g in graphs]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._request(self.query_url, body, headers, idempotent=True)

    def _results(
        self, query: str, bindings: Bindings | None, *, dataset: bool = True
    ) -> dict[str, Any]:
        text = with_values(query, check_bindings(bindings))
        return parse_results(self._query(text, _RESULTS_JSON, dataset=dataset))

    def _rows(self, query: str, *, dataset: bool = True) -> list[dict[str, Any]]:
        data = self._results(query, None, dataset=dataset)
        if "rows" not in data:
            raise StoreError("the query is not a SELECT query")
        return data["rows"]  # type: ignore[no-any-return]

    def dataset(self) -> list[str]:
        """The graphs queries see: every named graph, or those under ``graph`` (cached)."""
        if self._dataset is None:
            rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=False)
            names = [str(r["g"]["value"]) for r in rows if r["g"] and r["g"]["type"] == "uri"]
            if self.graph_base:
                names = [
                    n for n in names if n.startswith(self.graph_base) or n == ANNOTATIONS_GRAPH
                ]
            self._dataset = sorted(set(names))
        return self._dataset

    def graph_names(self) -> list[str]:
        """The graphs queries see (see :meth:`dataset`)."""
        return list(self.dataset())

    def ping(self) -> None:
        """Check that the endpoint answers (raises :class:`EndpointError` if not)."""
        self._dataset = None
        self.dataset()

    # -- queries

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query; rows as Python values."""
        data = self._results(query, bindings)
        if "rows" not in data:
            raise StoreError("the query is not a SELECT query")
        return [{n: _json_value(c) for n, c in row.items()} for row in data["rows"]]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query; rows as rdflib terms."""
        data = self._results(query, bindings)
        if "rows" not in data:
            raise StoreError("the query is not a SELECT query")
        names = tuple(data["vars"])
        rows = [tuple(_json_term(row[n]) for n in names) for row in data["rows"]]
        return Table(names, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        data = self._results(query, bindings)
        if "boolean" not in data:
            raise StoreError("the query is not an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        answer = self._query(with_values(query, check_bindings(bindings)), _NTRIPLES)
        return _parse_ntriples(answer)

    def graphs(self) -> dict[str, int]:
        """Every graph queries see, with its number of triples."""
        names = self.dataset()
        if not names:
            return {}
        query = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { "
            + values_rows("g", (Term(n) for n in names))
            + " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        counts = {}
        for row in self._rows(query, dataset=False):
            if row["g"] is not None and row["n"] is not None:
                counts[row["g"]["value"]] = _integer(row["n"]["value"], self.query_url)
        return dict(sorted(counts.items()))

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of the graphs queries see, except ``exclude``."""
        names = [n for n in self.dataset() if n not in exclude]
        for name in names:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            text = with_values(query, {"g": Term(name)})
            yield from _parse_ntriples(self._query(text, _NTRIPLES, dataset=False))

    # -- loading

    def _apply(self, loads: Sequence[GraphLoad], *, bulk: bool = False) -> dict[str, int]:
        """Replace each graph: one SPARQL Update request, or one GSP PUT per graph."""
        self._require_writable()
        bodies = [(load, _ntriples(load)) for load in loads]
        if self.update_url is not None and not (bulk and self.gsp_url is not None):
            parts = []
            for load, data in bodies:
                graph = Term(load.graph).n3()
                parts.append(f"DROP SILENT GRAPH {graph}")
                if data.strip():
                    parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{data.decode('utf-8')}}} }}")
            update = " ;\n".join(parts)
            self._request(
                self.update_url,
                update.encode("utf-8"),
                {"Content-Type": "application/sparql-update"},
            )
        else:
            assert self.gsp_url is not None
            for load, data in bodies:
                url = self.gsp_url + ("&" if "?" in self.gsp_url else "?")
                url += urllib.parse.urlencode({"graph": load.graph})
                self._request(
                    url, data, {"Content-Type": _NTRIPLES}, method="PUT", base=self.gsp_url
                )
        self._dataset = None
        expected = {load.graph: _line_count(data) for load, data in bodies}
        self._verify(expected)
        return expected

    def _verify(self, expected: dict[str, int]) -> None:
        """Count what the server holds in each graph written; a shortfall is an error, so
        that a load the server did not carry out is never reported as done."""
        names = sorted(expected)
        query = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { "
            + values_rows("g", (Term(n) for n in names))
            + " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        found = {}
        for row in self._rows(query, dataset=False):
            if row["g"] is not None and row["n"] is not None:
                found[row["g"]["value"]] = _integer(row["n"]["value"], self.query_url)
        for name in names:
            if found.get(name, 0) != expected[name]:
                raise EndpointError(
                    self.update_url or self.gsp_url or self.query_url,
                    f"holds {found.get(name, 0):,} triples in <{name}> after the load, where "
                    f"{expected[name]:,} were written: the load did not take effect as sent",
                )


def _parse_ntriples(answer: Answer) -> Graph:
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


def _ntriples(load: GraphLoad) -> bytes:
    """The graph's triples as N-Triples, blank nodes renamed so files cannot share one."""
    import pyoxigraph as ox

    from reviewgraph.stores.oxigraph import _FORMATS, _syntax_error

    if load.data is not None:
        source: dict[str, Any] = {"input": load.data, "format": ox.RdfFormat.N_TRIPLES}
    else:
        source = {"path": load.path, "format": _FORMATS[load.format]}
    try:
        triples = list(dict.fromkeys(ox.parse(**source, rename_blank_nodes=True)))
        out = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise _syntax_error(load, exc) from None
    return out or b""


def _integer(text: str, url: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise EndpointError(url, f"answered a COUNT with {text[:40]!r}, not a number") from None


def _line_count(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip())
