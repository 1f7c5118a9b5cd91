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

import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from reviewgraph.stores.base import (
    ANNOTATIONS_GRAPH,
    Bindings,
    EndpointError,
    PlainTriple,
    Row,
    Store,
    StoreError,
    Table,
    Term,
    check_bindings,
    values_rows,
    with_values,
)
from reviewgraph.stores.dialects import DIALECTS, Dialect, detect, partial_answer
from reviewgraph.stores.http import (
    PASSWORD_VAR,
    TOKEN_VAR,
    USER_VAR,
    Answer,
    HttpClient,
    HttpSettings,
)
from reviewgraph.stores.paging import (
    COUNT_VAR,
    count_query,
    distinct_triples,
    graph_page,
    read_pages,
    select_page,
)
from reviewgraph.stores.results import (
    integer,
    json_plain,
    json_term,
    json_value,
    parse_ntriples,
    parse_results,
)
from reviewgraph.stores.updates import (
    DEFAULT_DATASET,
    MANIFEST_GRAPH,
    MANIFEST_NS,
    chunks,
    insert_data,
    load_triples,
    manifest_ops,
    nt_bytes,
    stand_in,
)

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from reviewgraph.stores.oxigraph import GraphLoad

__all__ = [
    "DEFAULT_DATASET",
    "MANIFEST_GRAPH",
    "PASSWORD_VAR",
    "TOKEN_VAR",
    "USER_VAR",
    "Answer",
    "EndpointStore",
    "credentials",
    "parse_results",
]

_json_value = json_value  # the name the server tests use


_STAGING = "urn:reviewgraph:graph:staging:"
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
VERIFY_ROWS = 100
"""A SELECT answer of at least this many rows is checked against its ``COUNT`` (a server may
cut answers without saying so); graphs are always checked against theirs."""


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
        self._graph_counts: dict[str, int] | None = None
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
        """POST a query (over reviewgraph's graphs, or the server's own dataset), with the
        server's timeout parameter where its dialect has one; an answer the server says is
        partial (a timeout reached) is an error."""
        fields = [("query", text)]
        if self.dialect is not None:
            fields += self.dialect.timeout_field(self.timeout)
        if dataset:
            graphs = self.dataset()
            fields += [("default-graph-uri", g) for g in graphs]
            fields += [("named-graph-uri", g) for g in graphs]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        answer = self._request(self.query_url, body, headers, idempotent=True)
        if self.dialect is None:
            self.dialect = detect(answer.headers)
        reason = partial_answer(answer.status, answer.headers)
        if reason is not None:
            raise EndpointError(
                self.query_url,
                f"stopped the query before its end and sent part of the answer ({reason}): "
                f"the answer is incomplete; the query was given {self.timeout:g} s (raise "
                "--timeout, or the server's own limit: Virtuoso's MaxQueryExecutionTime)",
            )
        return answer

    def _cap(self, answer: Answer) -> int | None:
        """The number of rows at which the server says it cuts answers (``None``: not said)."""
        dialect = self.dialect or DIALECTS["sparql11"]
        value = answer.headers.get(dialect.row_cap_header or "x-sparql-maxrows", "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None

    def _json(self, text: str, *, dataset: bool) -> tuple[dict[str, Any], int | None]:
        """One query's SPARQL JSON results, and the cap the server said."""
        answer = self._query(text, _RESULTS_JSON, dataset=dataset)
        data = parse_results(answer)
        back = {mine: theirs for theirs, mine in self._dialect_or_plain().stand_ins}
        if back and "rows" in data:
            for row in data["rows"]:
                for cell in row.values():
                    if cell is not None and cell.get("datatype") in back:
                        cell["datatype"] = back[cell["datatype"]]
        return data, self._cap(answer)

    def _dialect_or_plain(self) -> Dialect:
        return self.dialect or DIALECTS["sparql11"]

    def _results(
        self, query: str, bindings: Bindings | None, *, dataset: bool = True
    ) -> dict[str, Any]:
        text = with_values(query, check_bindings(bindings))
        data, cap = self._json(text, dataset=dataset)
        if "rows" in data:
            data["rows"] = self._complete(text, data, cap, dataset=dataset)
        return data

    def _complete(
        self, text: str, data: dict[str, Any], cap: int | None, *, dataset: bool
    ) -> list[dict[str, Any]]:
        """A SELECT's rows, all of them: an answer the server cut, or one long enough that
        it may have, is checked against the query's ``COUNT`` and read again in ordered
        pages where it falls short (:mod:`reviewgraph.stores.paging`)."""
        rows: list[dict[str, Any]] = data["rows"]
        cut = cap is not None and len(rows) >= cap
        if not cut and len(rows) < VERIFY_ROWS:
            return rows
        counted, _ = self._json(count_query(text), dataset=dataset)
        cell = counted.get("rows", [{}])[0].get(COUNT_VAR) if counted.get("rows") else None
        if cell is None:
            raise EndpointError(self.query_url, "answered a COUNT query without a count")
        total = integer(cell["value"], self.query_url)
        if total == len(rows):
            return rows
        if total < len(rows):
            raise EndpointError(
                self.query_url,
                f"answered {len(rows):,} rows where its COUNT of the same query is {total:,}",
            )
        page, variables = cap if cut and cap else len(rows), list(data["vars"])
        limit = self._dialect_or_plain().max_sorted_rows
        if page == 0 or (limit is not None and total > limit):
            raise EndpointError(
                self.query_url,
                f"cut the answer at {page:,} of its {total:,} rows, and cannot sort more than "
                f"{limit or 0:,} rows to read the rest in pages: raise the server's row limits "
                "(Virtuoso: ResultSetMaxRows in [SPARQL], MaxSortedTopRows in [Parameters])",
            )

        def fetch(page_text: str) -> list[dict[str, Any]]:
            part, _ = self._json(page_text, dataset=dataset)
            return [{v: row.get(v) for v in variables} for row in part.get("rows", [])]

        out = read_pages(fetch, lambda at: select_page(text, variables, page, at), page, total)
        if len(out) != total:
            raise EndpointError(
                self.query_url,
                f"sent {len(out):,} rows where its COUNT is {total:,}, in pages of {page:,}: "
                "the pages do not add up, so the answer is incomplete (a row limit that "
                "paging does not get past?)",
            )
        return out

    def _check_cap(self, answer: Answer, rows: int) -> None:
        """Refuse a CONSTRUCT answer that the server says it cut short."""
        cap = self._cap(answer)
        if cap is not None and rows >= cap:
            raise EndpointError(
                self.query_url,
                f"cut the answer at {cap:,} rows (its X-SPARQL-MaxRows header): the answer "
                "is incomplete; raise the server's row limit (Virtuoso: ResultSetMaxRows in "
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
            self._graph_counts = None
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
            f"SELECT ?g ?d ?src WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ ?g <{MANIFEST_NS}dataset> ?d "
            f"OPTIONAL {{ ?g <{MANIFEST_NS}source> ?src }} }} }}"
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
        rows = [tuple(json_term(row[n]) for n in names) for row in data["rows"]]
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
        graph = parse_ntriples(answer)
        self._check_cap(answer, len(graph))
        return graph

    def graphs(self) -> dict[str, int]:
        """Every graph queries see, with its number of triples (counted once, then kept)."""
        names = self.dataset()
        if self._graph_counts is None:
            self._graph_counts = dict(sorted(self._counts(names).items())) if names else {}
        return dict(self._graph_counts)

    def _graph_rows(self, name: str) -> list[dict[str, Any]]:
        """Every triple of one graph as SPARQL JSON cells, proven complete by its ``COUNT``.

        One ``SELECT``; where that brings fewer triples than the count (a cap, said or not),
        the graph is read again in pages of what the server sent, ordered by ``?s ?p ?o``
        (in the server's scan order on a server that cannot sort that many), and the
        distinct triples read must number the count.
        """
        expected = self.graphs().get(name, 0)
        data, cap = self._json(graph_page(name), dataset=False)
        rows: list[dict[str, Any]] = data.get("rows", [])
        page = min(cap or len(rows), len(rows))
        if len(rows) < expected and page > 0:
            limit = self._dialect_or_plain().max_sorted_rows
            ordered = limit is None or expected <= limit
            rows = read_pages(
                lambda page_text: self._json(page_text, dataset=False)[0].get("rows", []),
                lambda at: graph_page(name, page, at, ordered=ordered),
                page,
                expected,
            )
        distinct = distinct_triples(rows)
        if len(rows) != expected or distinct != expected:
            how = f" in pages of {page:,}" if page and page < expected else ""
            raise EndpointError(
                self.query_url,
                f"sent {max(distinct, 0):,} distinct of the {expected:,} triples of <{name}>"
                f"{how}: the answer is incomplete (a row limit the server does not say?)",
            )
        return rows

    def graph_triples(self, name: str) -> Iterator[PlainTriple]:
        """Every triple of one graph as plain values, all of them (see :meth:`_graph_rows`)."""
        for row in self._graph_rows(name):
            subject = json_plain(row["s"])
            if not isinstance(subject, str) or row["p"]["type"] != "uri":
                raise EndpointError(self.query_url, f"sent a triple of <{name}> that is not RDF")
            yield subject, str(row["p"]["value"]), json_plain(row["o"])

    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Every triple of the graphs queries see, except ``exclude`` (as rdflib terms)."""
        for name in [n for n in self.dataset() if n not in exclude]:
            for row in self._graph_rows(name):
                yield json_term(row["s"]), json_term(row["p"]), json_term(row["o"])

    # -- loading

    def _apply(
        self,
        loads: Sequence[GraphLoad],
        *,
        bulk: bool = False,
        check: Callable[[Any], None] | None = None,
    ) -> dict[str, int]:
        """Replace each graph, then record the graphs in the manifest; verify the counts.

        Through SPARQL Update: a load of at most ``max_update_triples`` (the dialect's)
        goes in one request (atomic where the server runs a request in one transaction);
        a larger one is written in bounded chunks into staging graphs, counted, and
        published with one request of ``MOVE`` operations.  Blank nodes stay blank: the
        triples of one blank node always travel in the same chunk.  Through the Graph Store
        Protocol (``bulk``, no update URL, or a server that refuses blank nodes in
        ``INSERT DATA``): one ``PUT`` per graph, each atomic.

        ``check`` (as the Oxigraph stores take it: the loader's checks of engine-parsed
        files) runs after the files are parsed and before anything is sent, so a file it
        refuses leaves the server as it was.
        """
        self._require_writable()
        dialect = self._dialect()
        bodies = [(load, stand_in(load_triples(load), dialect.stand_ins)) for load in loads]
        if check is not None:
            check(None)
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
                    url,
                    nt_bytes(triples),
                    {"Content-Type": _NTRIPLES},
                    method="PUT",
                    base=gsp,
                    idempotent=True,  # a PUT replaces the graph: safe to send again
                )
            if self.update_url is not None:
                self._update(manifest_ops(bodies, self.graph_base or DEFAULT_DATASET))
        elif sum(expected.values()) <= dialect.max_update_triples:
            ops = []
            for load, triples in bodies:
                ops.append(f"DROP SILENT GRAPH <{load.graph}>")
                if triples:
                    ops.append(insert_data(load.graph, triples))
            self._update([*ops, *manifest_ops(bodies, self.graph_base or DEFAULT_DATASET)])
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
                for chunk in chunks(triples, size):
                    self._update([insert_data(staging[load.graph], chunk)])
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
        self._update([*ops, *manifest_ops(bodies, self.graph_base or DEFAULT_DATASET)])

    def _counts(self, names: Sequence[str]) -> dict[str, int]:
        query = (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { "
            + values_rows("g", (Term(n) for n in names))
            + " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        found = {}
        for row in self._rows(query, dataset=False):
            if row["g"] is not None and row["n"] is not None:
                found[row["g"]["value"]] = integer(row["n"]["value"], self.query_url)
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
