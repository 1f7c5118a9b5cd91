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
import re
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
from reviewgraph.stores.dialects import DIALECTS, Dialect, detect
from reviewgraph.stores.http import (
    PASSWORD_VAR,
    TOKEN_VAR,
    USER_VAR,
    Answer,
    HttpClient,
    HttpSettings,
    one_line,
)

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from reviewgraph.stores.oxigraph import GraphLoad

__all__ = ["PASSWORD_VAR", "TOKEN_VAR", "USER_VAR", "EndpointStore", "credentials", "parse_results"]


MANIFEST_GRAPH = "urn:reviewgraph:graph:manifest"
"""The graph in which loads record the graphs they wrote (see :meth:`EndpointStore.dataset`)."""

DEFAULT_DATASET = "urn:reviewgraph:dataset/"
"""The dataset IRI under which files' graphs are named on an endpoint loaded without
``--graph`` (local stores name them by ``file:`` URI)."""

_RGM = "https://w3id.org/reviewgraph/manifest#"
_STAGING = "urn:reviewgraph:graph:staging:"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_LABEL = re.compile(r"[A-Za-z0-9_]+")
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
    from reviewgraph.stores.http import _auth_for

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
    if cell["type"] == "bnode" and not _LABEL.fullmatch(cell["value"]):
        # Virtuoso labels blank nodes "nodeID://b10000": keep them apart, as valid labels
        return {**cell, "value": "x" + cell["value"].encode("utf-8").hex()}
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
        self._sources: dict[str, str] = {}
        self._clients: dict[str, HttpClient] = {}
        self.dialect: Dialect | None = None

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
        answer = self._query(text, _RESULTS_JSON, dataset=dataset)
        data = parse_results(answer)
        self._check_cap(answer, len(data.get("rows", ())))
        return data

    def _check_cap(self, answer: Answer, rows: int) -> None:
        """Refuse an answer that the server says it cut short (never read as complete)."""
        if self.dialect is None:
            self.dialect = detect(answer.headers)
        header = self.dialect.row_cap_header or "x-sparql-maxrows"
        cap = answer.headers.get(header, "")
        if cap.isdigit() and rows >= int(cap):
            raise EndpointError(
                self.query_url,
                f"cut the answer at {int(cap):,} rows (its {header} header): the answer is "
                "incomplete; raise the server's row limit (Virtuoso: ResultSetMaxRows in "
                "virtuoso.ini) or query fewer rows at a time",
            )

    def _rows(self, query: str, *, dataset: bool = True) -> list[dict[str, Any]]:
        data = self._results(query, None, dataset=dataset)
        if "rows" not in data:
            raise StoreError("the query is not a SELECT query")
        return data["rows"]  # type: ignore[no-any-return]

    def dataset(self) -> list[str]:
        """The graphs queries see (cached).

        The graphs the manifest graph (:data:`MANIFEST_GRAPH`) lists for ``graph`` (every
        dataset's, without ``graph``), or where no load recorded any (a server loaded by
        other means, Comunica over exported files), every named graph that holds a triple,
        under ``graph`` if given, less the server's own.  Never an empty group pattern
        (``GRAPH ?g {}``), for which Virtuoso, RDF4J and Comunica answer one unbound row.
        """
        if self._dataset is None:
            entries = self._manifest()
            if entries:
                self._sources = {g: src for g, (_, src) in entries.items() if src}
                names = list(entries)
            else:
                names = self._discover()
            self._dataset = sorted(set(names))
        return self._dataset

    def _manifest(self) -> dict[str, tuple[str, str]]:
        """The manifest's graphs of this dataset: graph -> (dataset IRI, source file)."""
        query = (
            f"SELECT ?g ?d ?src WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?g <{_RGM}dataset> ?d "
            f"OPTIONAL {{ ?g <{_RGM}source> ?src }} }} }}"
        )
        entries: dict[str, tuple[str, str]] = {}
        for row in self._rows(query, dataset=False):
            graph, base, source = row["g"], row["d"], row["src"]
            if graph is None or base is None or graph["type"] != "uri":
                continue
            if self.graph_base and base["value"] != self.graph_base:
                continue
            entries[graph["value"]] = (base["value"], source["value"] if source else "")
        return entries

    def _discover(self) -> list[str]:
        """Every named graph holding a triple, less the server's own and reviewgraph's."""
        rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=False)
        own = self.dialect.system_graphs if self.dialect is not None else ()
        names = []
        for row in rows:
            cell = row["g"]
            if cell is None or cell["type"] != "uri":
                continue
            name = cell["value"]
            if name == MANIFEST_GRAPH or name.startswith((_STAGING, *own)):
                continue
            if self.graph_base and not (
                name.startswith(self.graph_base) or name == ANNOTATIONS_GRAPH
            ):
                continue
            names.append(name)
        return names

    def sources(self) -> dict[str, str]:
        """Each graph's IRI with the file it was loaded from (from the manifest)."""
        self.dataset()
        return dict(sorted(self._sources.items()))

    def graph_names(self) -> list[str]:
        """The graphs queries see (see :meth:`dataset`)."""
        return list(self.dataset())

    def ping(self) -> None:
        """Check that the endpoint answers (raises :class:`EndpointError` if not)."""
        self._dataset = None
        self.dataset()

    def _dialect(self) -> Dialect:
        if self.dialect is None:
            self.ping()
        return self.dialect or DIALECTS["sparql11"]

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
        graph = _parse_ntriples(answer)
        self._check_cap(answer, len(graph))
        return graph

    def graphs(self) -> dict[str, int]:
        """Every graph queries see, with its number of triples."""
        names = self.dataset()
        return dict(sorted(self._counts(names).items())) if names else {}

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of the graphs queries see, except ``exclude``."""
        names = [n for n in self.dataset() if n not in exclude]
        counts = self.graphs() if names else {}
        for name in names:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            text = with_values(query, {"g": Term(name)})
            answer = self._query(text, _NTRIPLES, dataset=False)
            graph = _parse_ntriples(answer)
            self._check_cap(answer, len(graph))
            if len(graph) != counts.get(name, 0):
                raise EndpointError(
                    self.query_url,
                    f"sent {len(graph):,} of the {counts.get(name, 0):,} triples of <{name}>: "
                    "the answer is incomplete (a row limit?)",
                )
            yield from graph

    # -- loading

    def _apply(self, loads: Sequence[GraphLoad], *, bulk: bool = False) -> dict[str, int]:
        """Replace each graph, then record the graphs in the manifest; verify the counts.

        Through SPARQL Update: a load of at most ``max_update_triples`` (the dialect's)
        goes in one request (atomic where the server runs a request in one transaction);
        a larger one is written in bounded chunks into staging graphs, counted, and
        published with one request of ``MOVE`` operations.  Blank nodes stay blank: the
        triples of one blank node always travel in the same chunk.  Through the Graph Store
        Protocol (``bulk``, no update URL, or a server that refuses blank nodes in
        ``INSERT DATA``): one ``PUT`` per graph, each atomic.
        """
        self._require_writable()
        dialect = self._dialect()
        bodies = [(load, _triples(load)) for load in loads]
        expected = {load.graph: len(triples) for load, triples in bodies}
        gsp = self.gsp_url
        if gsp is None and not dialect.insert_data_blank_nodes:
            gsp = dialect.gsp_url(self.update_url)
        if gsp is not None and (
            bulk or self.update_url is None or not dialect.insert_data_blank_nodes
        ):
            for load, triples in bodies:
                url = gsp + ("&" if "?" in gsp else "?")
                url += urllib.parse.urlencode({"graph": load.graph})
                self._request(
                    url, _nt_bytes(triples), {"Content-Type": _NTRIPLES}, method="PUT", base=gsp
                )
            if self.update_url is not None:
                self._update(self._manifest_ops(bodies))
        elif sum(expected.values()) <= dialect.max_update_triples:
            ops = []
            for load, triples in bodies:
                ops.append(f"DROP SILENT GRAPH <{load.graph}>")
                if triples:
                    ops.append(_insert_data(load.graph, triples))
            self._update([*ops, *self._manifest_ops(bodies)])
        else:
            self._staged(bodies, dialect.max_update_triples)
        self._dataset = None
        self._verify(expected)
        return expected

    def _update(self, operations: Sequence[str]) -> None:
        """Send operations as one SPARQL Update request."""
        if self.update_url is None:
            raise StoreError("this endpoint has no SPARQL Update URL (--update-endpoint)")
        text = " ;\n".join(operations)
        headers = {"Content-Type": "application/sparql-update"}
        self._request(self.update_url, text.encode("utf-8"), headers)

    def _staged(self, bodies: Sequence[tuple[GraphLoad, list[Any]]], size: int) -> None:
        """Write into staging graphs in chunks, count them, then publish with ``MOVE``."""
        import uuid

        token = uuid.uuid4().hex
        staging = {load.graph: f"{_STAGING}{token}/{i}" for i, (load, _) in enumerate(bodies)}
        try:
            for load, triples in bodies:
                for chunk in _chunks(triples, size):
                    self._update([_insert_data(staging[load.graph], chunk)])
            found = self._counts(list(staging.values()))
            for load, triples in bodies:
                if found.get(staging[load.graph], 0) != len(triples):
                    raise EndpointError(
                        self.update_url or self.query_url,
                        f"holds {found.get(staging[load.graph], 0):,} of the {len(triples):,} "
                        f"triples written for <{load.graph}>: nothing was published",
                    )
        except BaseException:
            try:
                self._update([f"DROP SILENT GRAPH <{g}>" for g in staging.values()])
            except StoreError:  # pragma: no cover - best effort; the first error is shown
                pass
            raise
        ops = []
        for load, _ in bodies:
            ops.append(f"DROP SILENT GRAPH <{load.graph}>")
            ops.append(f"MOVE SILENT GRAPH <{staging[load.graph]}> TO GRAPH <{load.graph}>")
        self._update([*ops, *self._manifest_ops(bodies)])

    def _manifest_ops(self, bodies: Sequence[tuple[GraphLoad, list[Any]]]) -> list[str]:
        """Update operations that record the loaded graphs in :data:`MANIFEST_GRAPH`."""
        dataset = Term(self.graph_base or DEFAULT_DATASET).n3()
        ops, lines = [], []
        for load, triples in bodies:
            graph = Term(load.graph).n3()
            if load.graph != ANNOTATIONS_GRAPH:
                ops.append(f"DELETE WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ {graph} ?p ?o }} }}")
                source = Term(load.file, "literal").n3()
                lines.append(f"{graph} <{_RGM}source> {source} .")
                lines.append(f'{graph} <{_RGM}triples> "{len(triples)}"^^<{_XSD_INTEGER}> .')
            lines.append(f"{graph} <{_RGM}dataset> {dataset} .")
        body = "\n".join(lines)
        ops.append(f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n{body}\n}} }}")
        return ops

    def _counts(self, names: Sequence[str]) -> dict[str, int]:
        query = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { "
            + values_rows("g", (Term(n) for n in names))
            + " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        found = {}
        for row in self._rows(query, dataset=False):
            if row["g"] is not None and row["n"] is not None:
                found[row["g"]["value"]] = _integer(row["n"]["value"], self.query_url)
        return found

    def _verify(self, expected: dict[str, int]) -> None:
        """Count what the server holds in each graph written; a shortfall is an error, so
        that a load the server did not carry out is never reported as done."""
        found = self._counts(sorted(expected))
        for name in sorted(expected):
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


def _triples(load: GraphLoad) -> list[Any]:
    """The graph's distinct triples (pyoxigraph), blank nodes renamed so files cannot share one."""
    import pyoxigraph as ox

    from reviewgraph.stores.oxigraph import _FORMATS, _syntax_error

    if load.data is not None:
        source: dict[str, Any] = {"input": load.data, "format": ox.RdfFormat.N_TRIPLES}
    else:
        source = {"path": load.path, "format": _FORMATS[load.format]}
    try:
        return list(dict.fromkeys(ox.parse(**source, rename_blank_nodes=True)))
    except SyntaxError as exc:
        raise _syntax_error(load, exc) from None


def _nt_bytes(triples: Sequence[Any]) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _insert_data(graph: str, triples: Sequence[Any]) -> str:
    data = _nt_bytes(triples).decode("utf-8")
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}}} }}"


def _chunks(triples: Sequence[Any], size: int) -> Iterator[list[Any]]:
    """Triples in chunks of at most ``size``, the triples of connected blank nodes together
    (a blank node written in two requests would become two nodes).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> p, b = ox.NamedNode("http://e/p"), ox.BlankNode("b")
    >>> ts = [ox.Triple(ox.NamedNode(f"http://e/{i}"), p, b) for i in range(3)]
    >>> ts += [ox.Triple(ox.NamedNode("http://e/x"), p, ox.Literal("1"))]
    >>> [len(c) for c in _chunks(ts, 2)]
    [3, 1]
    """
    import pyoxigraph as ox

    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    blanks = [
        [t.value for t in (tr.subject, tr.object) if isinstance(t, ox.BlankNode)] for tr in triples
    ]
    for nodes in blanks:
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[Any, list[Any]] = {}
    for i, (triple, nodes) in enumerate(zip(triples, blanks, strict=True)):
        groups.setdefault(root(nodes[0]) if nodes else i, []).append(triple)
    chunk: list[Any] = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def _integer(text: str, url: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise EndpointError(url, f"answered a COUNT with {text[:40]!r}, not a number") from None
