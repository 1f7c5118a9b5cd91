"""A SPARQL 1.1 endpoint as a store: Apache Jena Fuseki, GraphDB, Virtuoso, Neptune, Oxigraph.

Queries go through the SPARQL 1.1 Protocol (``POST``, form-encoded, with one
``default-graph-uri`` and one ``named-graph-uri`` per reviewgraph graph, so the query's
default graph is their union whatever the server's default graph is, and ``GRAPH ?g`` sees
each of them).  Bindings become a ``VALUES`` block at the start of the query's
top-level ``WHERE`` group.  Loads go either through SPARQL 1.1 Update, as **one** request that
drops and re-inserts every graph (atomic on servers that run an update request in one
transaction, as Oxigraph, Fuseki and GraphDB do), or through the Graph Store Protocol, one
``PUT`` per graph (``bulk``; each graph is replaced atomically, but not all of them together).

Credentials come from the environment (``REVIEWGRAPH_ENDPOINT_USER`` and
``REVIEWGRAPH_ENDPOINT_PASSWORD`` for HTTP Basic, or ``REVIEWGRAPH_ENDPOINT_TOKEN`` for a
Bearer token) or from ``~/.netrc`` (by host), never from the command line.  Only the Python
standard library is used.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
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

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from reviewgraph.stores.oxigraph import GraphLoad

__all__ = ["EndpointStore", "credentials"]

USER_VAR = "REVIEWGRAPH_ENDPOINT_USER"
PASSWORD_VAR = "REVIEWGRAPH_ENDPOINT_PASSWORD"
TOKEN_VAR = "REVIEWGRAPH_ENDPOINT_TOKEN"

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


def credentials(url: str) -> str | None:
    """The ``Authorization`` header for ``url``: from the environment, else ``~/.netrc``.

    Examples
    --------
    >>> import os
    >>> os.environ["REVIEWGRAPH_ENDPOINT_USER"] = "ann"
    >>> os.environ["REVIEWGRAPH_ENDPOINT_PASSWORD"] = "secret"
    >>> credentials("http://localhost:7878/query")
    'Basic YW5uOnNlY3JldA=='
    >>> for name in ("REVIEWGRAPH_ENDPOINT_USER", "REVIEWGRAPH_ENDPOINT_PASSWORD"):
    ...     del os.environ[name]
    """
    token = os.environ.get(TOKEN_VAR)
    if token:
        return f"Bearer {token}"
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user is None:
        host = urllib.parse.urlsplit(url).hostname or ""
        try:
            entry = netrc.netrc().authenticators(host)
        except (FileNotFoundError, netrc.NetrcParseError, OSError):
            entry = None
        if entry is None:
            return None
        user, _, password = entry
    raw = f"{user}:{password or ''}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _json_value(cell: dict[str, Any] | None) -> Value:
    if cell is None:
        return None
    kind, value = cell.get("type"), str(cell.get("value", ""))
    if kind == "uri":
        return value
    if kind == "bnode":
        return "_:" + value
    if "xml:lang" in cell:
        return value
    return literal_value(value, cell.get("datatype", XSD_STRING))


def _json_term(cell: dict[str, Any] | None) -> Any:
    from reviewgraph.stores.rdflib_store import to_rdflib_term

    if cell is None:
        return None
    kind, value = cell.get("type"), str(cell.get("value", ""))
    if kind == "uri":
        return to_rdflib_term(Term(value))
    if kind == "bnode":
        return to_rdflib_term(Term(value, "bnode"))
    if "xml:lang" in cell:
        return to_rdflib_term(Term(value, "literal", RDF_LANGSTRING, cell["xml:lang"]))
    return to_rdflib_term(Term(value, "literal", cell.get("datatype", XSD_STRING)))


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
        (``<graph>seeds/kark-2019.yaml``); queries then see only the graphs under it.  By
        default, files are named by their ``file:`` URI and queries see every named graph.
    timeout : float
        Seconds to wait for each request.

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
    ) -> None:
        super().__init__(query_url)
        for url in (query_url, update_url, gsp_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url!r} is not an http or https URL")
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.graph_base = graph
        self.timeout = timeout
        self.writable = update_url is not None or gsp_url is not None
        self._dataset: list[str] | None = None

    # -- HTTP

    def _request(
        self, url: str, body: bytes | None, headers: dict[str, str], method: str = "POST"
    ) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        auth = credentials(url)
        if auth:
            request.add_header("Authorization", auth)
        handlers: list[Any] = [urllib.request.ProxyHandler({})] if _is_loopback(url) else []
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(400).decode("utf-8", "replace").split())
            if exc.code in (401, 403):
                raise EndpointError(
                    url,
                    f"refused the credentials (HTTP {exc.code}); set {USER_VAR} and "
                    f"{PASSWORD_VAR} (or {TOKEN_VAR}), or add the host to ~/.netrc",
                ) from None
            if exc.code == 400:
                raise StoreError(
                    f"the SPARQL endpoint {url} rejected the request: {detail}"
                ) from None
            raise EndpointError(url, f"failed (HTTP {exc.code} {exc.reason}): {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(url, f"does not answer ({reason})") from None

    def _post_query(self, query: str, accept: str, bindings: Bindings | None) -> bytes:
        text = with_values(query, check_bindings(bindings))
        graphs = self.dataset()
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in graphs]
        fields += [("named-graph-uri", g) for g in graphs]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._request(self.query_url, body, headers)

    def _json(self, query: str, bindings: Bindings | None) -> dict[str, Any]:
        raw = self._post_query(query, _RESULTS_JSON, bindings)
        try:
            data = json.loads(raw)
        except ValueError:
            raise EndpointError(self.query_url, "did not answer with SPARQL JSON results") from None
        if not isinstance(data, dict):
            raise EndpointError(self.query_url, "did not answer with SPARQL JSON results")
        return data

    def dataset(self) -> list[str]:
        """The graphs queries see: every named graph, or those under ``graph`` (cached)."""
        if self._dataset is None:
            raw = self._request(
                self.query_url,
                urllib.parse.urlencode(
                    {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"}
                ).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON},
            )
            names = [
                str(b["g"]["value"])
                for b in json.loads(raw)["results"]["bindings"]
                if b.get("g", {}).get("type") == "uri"
            ]
            if self.graph_base:
                names = [
                    n for n in names if n.startswith(self.graph_base) or n == ANNOTATIONS_GRAPH
                ]
            self._dataset = sorted(names)
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
        data = self._json(query, bindings)
        names = [str(v) for v in data.get("head", {}).get("vars", [])]
        if "results" not in data:
            raise StoreError("the query is not a SELECT query")
        return [{n: _json_value(b.get(n)) for n in names} for b in data["results"]["bindings"]]

    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query; rows as rdflib terms."""
        data = self._json(query, bindings)
        names = tuple(str(v) for v in data.get("head", {}).get("vars", []))
        if "results" not in data:
            raise StoreError("the query is not a SELECT query")
        rows = [tuple(_json_term(b.get(n)) for n in names) for b in data["results"]["bindings"]]
        return Table(names, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""
        data = self._json(query, bindings)
        if "boolean" not in data:
            raise StoreError("the query is not an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""
        from rdflib import Graph

        raw = self._post_query(query, _NTRIPLES, bindings)
        graph = Graph()
        if raw.strip():
            graph.parse(data=raw.decode("utf-8"), format="nt")
        return graph

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
        fields = urllib.parse.urlencode({"query": query}).encode("utf-8")
        raw = self._request(
            self.query_url,
            fields,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": _RESULTS_JSON},
        )
        counts = {
            str(b["g"]["value"]): int(b["n"]["value"])
            for b in json.loads(raw)["results"]["bindings"]
        }
        return dict(sorted(counts.items()))

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of the graphs queries see, except ``exclude``."""
        from rdflib import Graph

        names = [n for n in self.dataset() if n not in exclude]
        for name in names:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            text = with_values(query, {"g": Term(name)})
            body = urllib.parse.urlencode({"query": text}).encode("utf-8")
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": _NTRIPLES}
            raw = self._request(self.query_url, body, headers)
            graph = Graph()
            if raw.strip():
                graph.parse(data=raw.decode("utf-8"), format="nt")
            yield from graph

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
                self._request(url, data, {"Content-Type": _NTRIPLES}, method="PUT")
        self._dataset = None
        return {load.graph: _line_count(data) for load, data in bodies}


def _ntriples(load: GraphLoad) -> bytes:
    """The graph's triples as N-Triples, blank nodes renamed so files cannot share one."""
    import pyoxigraph as ox

    from reviewgraph.stores.oxigraph import _FORMATS, _syntax_error

    if load.data is not None:
        source: dict[str, Any] = {"input": load.data, "format": ox.RdfFormat.N_TRIPLES}
    else:
        source = {"path": load.path, "format": _FORMATS[load.format]}
    try:
        triples = list(ox.parse(**source, rename_blank_nodes=True))
        out = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise _syntax_error(load, exc) from None
    return out or b""


def _line_count(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip())
