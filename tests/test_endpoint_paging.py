"""Row caps, server-side timeouts and partial answers, against loopback servers (issue 17).

The capped servers below are real SPARQL endpoints (the seeds in an Oxigraph store, in this
process) that send at most ``CAP`` rows of any answer and say nothing about it, as a proxy
or a server configured with a result limit may.  The reader must notice (the counts do not
add up), read the rest in pages, and give the same answer as the files; where the pages
cannot make it up, it must fail in one line.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from loopback import EMPTY, JSON, Handler, Reply, Seen, Server, one_error_line, run

from reviewgraph.io.store import load_files
from reviewgraph.stores import EndpointError, open_endpoint, open_store

BASE = "https://example.org/capped/"
pytestmark = pytest.mark.usefixtures("loopback_credentials")

CAP = 100
"""The capped servers' limit: the least at which every SELECT is checked against its count
(:data:`reviewgraph.stores.endpoint.VERIFY_ROWS`); a graph is checked at any cap."""


@pytest.fixture(scope="module")
def seeds() -> Iterator[ox.Store]:
    """The bundled seeds, one named graph per file under :data:`BASE` (no manifest)."""
    store = open_store("memory")
    load_files(store, graph_base=BASE)
    yield store.oxigraph()  # type: ignore[attr-defined]


def fields(seen: Seen) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(seen.body.decode(), keep_blank_values=True)


def sparql(store: ox.Store, cap: int, *, honour_offset: bool = True) -> Reply:
    """A SPARQL endpoint over ``store`` that sends at most ``cap`` rows of any answer."""

    def reply(h: Handler, seen: Seen) -> None:
        form = fields(seen)
        text = form["query"][0]
        if not honour_offset:  # a broken server: every page is the first one
            text = text.rsplit(" OFFSET ", 1)[0] if " OFFSET " in text else text
        graphs = [ox.NamedNode(g) for g in form.get("default-graph-uri", [])]
        options: dict[str, Any] = {"default_graph": graphs} if graphs else {}
        if not graphs:
            options["use_default_graph_as_union"] = True
        try:
            answer = store.query(text, **options)
        except SyntaxError as exc:
            h.send(400, str(exc).encode(), "text/plain")
            return
        if isinstance(answer, ox.QueryTriples):
            lines = (answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").splitlines(True)
            h.send(200, b"".join(lines[:cap]), "application/n-triples")
            return
        data = json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))
        if "results" in data:
            data["results"]["bindings"] = data["results"]["bindings"][:cap]
        h.send(200, json.dumps(data).encode(), JSON)

    return reply


COMMANDS = {
    "gaps": ["gaps", "--as-of", "2025-07-01", "--format", "json"],
    "timeline": ["timeline", "--as-of", "2025-07-01"],
    "status": ["status", "kark-2019/1", "--as-of", "2025-07-01"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_server_that_cuts_answers_silently_is_read_in_pages(
    name: str, seeds: ox.Store, serve: Callable[[Reply], Server]
) -> None:
    server = serve(sparql(seeds, CAP))
    code, out, err = run(*COMMANDS[name], "--endpoint", f"{server.url}/q", "--graph", BASE)
    assert code == 0, err
    expected = run(*COMMANDS[name])
    assert expected[0] == 0
    assert out == expected[1]
    assert len(out) > 100
    sent = [fields(s)["query"][0] for s in server.seen]
    paged = [q for q in sent if " OFFSET " in q]
    assert paged, "no answer was longer than the cap: the test would prove nothing"


def test_a_long_select_is_counted_and_paged_in_order(
    seeds: ox.Store, serve: Callable[[Reply], Server]
) -> None:
    server = serve(sparql(seeds, CAP))
    store = open_endpoint(f"{server.url}/q", graph=BASE)
    query = "SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s)) } ORDER BY DESC(?t) ?s"
    whole = [
        {"s": r["s"].value, "t": r["t"].value}
        for r in seeds.query(query, use_default_graph_as_union=True)
    ]
    assert len(whole) > 3 * CAP
    assert store.select(query) == whole  # every row, in the query's own order


def test_a_server_whose_pages_fall_short_is_one_line_error(
    seeds: ox.Store, serve: Callable[[Reply], Server]
) -> None:
    server = serve(sparql(seeds, CAP, honour_offset=False))
    code, out, err = run(*COMMANDS["gaps"], "--endpoint", f"{server.url}/q", "--graph", BASE)
    line = one_error_line(code, out, err)
    assert code == 3
    assert server.url in line
    assert "incomplete" in line and "triples of <" in line


def test_a_short_answer_to_a_long_select_is_an_error(
    seeds: ox.Store, serve: Callable[[Reply], Server]
) -> None:
    store = open_endpoint(f"{serve(sparql(seeds, CAP, honour_offset=False)).url}/q", graph=BASE)
    with pytest.raises(
        EndpointError,
        match=r"sent 100 rows where its COUNT is [\d,]+, in pages of 100: the pages do not",
    ):
        store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


# --------------------------------------------------------------------------- timeouts


@pytest.mark.parametrize(
    ("server_header", "expected"),
    [
        ("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", None),  # past it, a silent cut
        ("Apache Jena Fuseki (4.6.1)", ["45"]),  # seconds
        ("Oxigraph/0.5.13", None),  # takes none
    ],
)
def test_the_server_is_asked_to_stop_a_query_at_the_timeout(
    server_header: str, expected: list[str] | None, serve: Callable[[Reply], Server]
) -> None:
    def named(h: Handler, seen: Seen) -> None:
        h.server_version, h.sys_version = server_header, ""  # the Server header
        h.send(200, EMPTY, JSON)

    server = serve(named)
    store = open_endpoint(f"{server.url}/q", timeout=45)
    store.select("SELECT ?g WHERE { ?g ?p ?o }")
    assert fields(server.seen[-1]).get("timeout") == expected


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (200, {"X_SQL_State": "S1TAT", "X_SQL_Message": "RC... Returning incomplete results"}),
        (206, {}),
    ],
)
def test_an_answer_cut_at_the_server_timeout_is_an_error_not_a_short_answer(
    status: int, headers: dict[str, str], serve: Callable[[Reply], Server]
) -> None:
    """Virtuoso's "anytime" queries: given a timeout, it sends what it found by then."""
    row = {"g": {"type": "uri", "value": "https://example.org/g"}}
    partial = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": [row]}}).encode()
    server = serve(lambda h, s: h.send(status, partial, JSON, Server="Virtuoso/07.20", **headers))
    code, out, err = run("gaps", "--endpoint", f"{server.url}/q")
    line = one_error_line(code, out, err)
    assert code == 3
    assert server.url in line and "part of the answer" in line
    assert ("S1TAT" in line) if headers else ("206" in line)
