"""The endpoint's HTTP client against small hostile servers on loopback (issue 17).

Each server is a threaded ``http.server`` whose handler is a function of the request; the
tests check what reached it (credentials, bodies) and what the command line said.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from loopback import EMPTY, JSON, Handler, Reply, Seen, Server, one_error_line, run

from reviewgraph.stores import EndpointError, open_endpoint
from reviewgraph.stores.http import HttpClient, HttpSettings

pytestmark = pytest.mark.usefixtures("loopback_credentials")


def empty_results(h: Handler, seen: Seen) -> None:
    h.send(200, EMPTY)


# --------------------------------------------------------------------------- redirects


def test_a_redirect_to_another_origin_sends_it_nothing_and_names_both(
    serve: Callable[[Reply], Server],
) -> None:
    other = serve(empty_results)

    def elsewhere(h: Handler, seen: Seen) -> None:
        h.send(307, b"", "text/plain", Location=f"{other.url}/sparql")

    first = serve(elsewhere)
    line = one_error_line(*run("gaps", "--endpoint", f"{first.url}/query"))
    assert first.url in line and other.url in line
    assert "another origin" in line
    assert first.seen and first.seen[0].headers.get("Authorization", "").startswith("Basic ")
    assert other.seen == []


def test_when_allowed_a_cross_origin_redirect_goes_without_the_credentials(
    serve: Callable[[Reply], Server],
) -> None:
    other = serve(empty_results)
    first = serve(lambda h, s: h.send(308, b"", "text/plain", Location=f"{other.url}/q"))
    client = HttpClient(f"{first.url}/q", HttpSettings(cross_origin_redirects=True))
    answer = client.request("POST", f"{first.url}/q", body=b"query=ASK%7B%7D", idempotent=True)
    assert answer.body == EMPTY
    assert [s.method for s in other.seen] == ["POST"]
    assert other.seen[0].body == b"query=ASK%7B%7D"
    assert "Authorization" not in other.seen[0].headers
    assert "Authorization" in first.seen[0].headers


@pytest.mark.parametrize("status", [307, 308])
def test_a_same_origin_307_or_308_keeps_the_method_the_body_and_the_credentials(
    status: int, serve: Callable[[Reply], Server]
) -> None:
    def reply(h: Handler, seen: Seen) -> None:
        if seen.path == "/old":
            h.send(status, b"", "text/plain", Location="/new")
        else:
            h.send(200, EMPTY)

    server = serve(reply)
    client = HttpClient(f"{server.url}/old")
    client.request("POST", f"{server.url}/old", body=b"query=ASK%7B%7D", idempotent=True)
    assert [(s.method, s.path) for s in server.seen] == [("POST", "/old"), ("POST", "/new")]
    assert server.seen[1].body == server.seen[0].body != b""
    assert server.seen[1].headers["Authorization"] == server.seen[0].headers["Authorization"]


def test_a_303_of_a_post_is_an_error_not_a_silent_get(serve: Callable[[Reply], Server]) -> None:
    server = serve(lambda h, s: h.send(303, b"", "text/plain", Location="/elsewhere"))
    with pytest.raises(EndpointError, match="would drop the request body"):
        open_endpoint(f"{server.url}/q")
    assert len(server.seen) == 1


# --------------------------------------------------------------------------- limits


def test_a_server_that_trickles_is_cut_off_at_the_deadline(
    serve: Callable[[Reply], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped = threading.Event()
    sent: list[int] = []

    def trickle(h: Handler, seen: Seen) -> None:
        h.send_response(200)
        h.send_header("Content-Type", JSON)
        h.send_header("Content-Length", str(len(EMPTY)))
        h.end_headers()
        try:
            for byte in EMPTY:  # one byte every half second: about 30 s in all
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                sent.append(byte)
                if stopped.wait(0.5):
                    return
        finally:
            stopped.set()

    server = serve(trickle)
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_DEADLINE", "1.5")
    line = one_error_line(*run("gaps", "--endpoint", f"{server.url}/query"))
    assert "1.5 s" in line and "cut off" in line
    assert 0 < len(sent) < len(EMPTY)  # cut off part-way: the answer was never finished
    assert len(server.seen) == 1  # a deadline is not retried
    stopped.set()


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_over_the_size_cap_is_cut_off(
    declared: bool, serve: Callable[[Reply], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[int] = []

    def huge(h: Handler, seen: Seen) -> None:
        h.send_response(200)
        h.send_header("Content-Type", JSON)
        if declared:
            h.send_header("Content-Length", str(50_000_000))
        h.end_headers()
        block = b" " * 65536
        try:
            for _ in range(50_000_000 // len(block)):
                h.wfile.write(block)
                written.append(len(block))
        except (BrokenPipeError, ConnectionResetError):
            pass

    server = serve(huge)
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_MAX_MB", "1")
    line = one_error_line(*run("gaps", "--endpoint", f"{server.url}/query"))
    assert "more than 1 MB" in line and server.url in line and "REVIEWGRAPH_ENDPOINT_MAX_MB" in line
    time.sleep(0.2)
    assert sum(written) < 50_000_000  # the client stopped reading long before the end


@pytest.mark.parametrize(("size", "cut"), [(1000, False), (1001, True)])
@pytest.mark.parametrize("gzipped", [False, True])
def test_the_size_cap_holds_at_the_limit_and_just_past_it(
    size: int, cut: bool, gzipped: bool, serve: Callable[[Reply], Server],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """An answer of exactly the cap is read; one byte more (after gzip, too) is not."""
    import gzip

    body = EMPTY + b" " * (size - len(EMPTY))
    sent = gzip.compress(body) if gzipped else body
    extra = {"Content_Encoding": "gzip"} if gzipped else {}
    server = serve(lambda h, s: h.send(200, sent, JSON, **extra))
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_MAX_MB", "0.001")  # 1,000 bytes
    client = HttpClient(f"{server.url}/q")
    if not cut:
        assert client.request("POST", f"{server.url}/q", body=b"q").body == body
        return
    with pytest.raises(EndpointError, match=r"more than 0\.001 MB \(cut off") as info:
        client.request("POST", f"{server.url}/q", body=b"q")
    assert server.url in str(info.value)


# --------------------------------------------------------------------------- bad answers


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (500, b"<html><body><h1>Internal error</h1> stack...</body></html>", "text/html",
         "HTTP 500"),
        (200, b"<!DOCTYPE html><html><body>Log in to continue</body></html>", "text/html",
         "HTML page"),
        (200, b"\x00\xff garbage \x13", "application/octet-stream", "not SPARQL JSON"),
        (200, b'{"head": {"vars": ["g"]}, "results": {"bindings": [', JSON, "truncated"),
        (200, b'{"head": {"vars": ["g"]}, "results": 7}', JSON, "wrong shape"),
        (200, b'[1, 2, 3]', JSON, "not an object"),
        (200, b'{"head": {"vars": ["g"]}, "results": {"bindings": [{"g": 3}]}}', JSON,
         "malformed binding"),
        (404, b"no such endpoint", "text/plain", "HTTP 404"),
    ],
)  # fmt: skip
def test_a_bad_answer_is_one_line(
    status: int, body: bytes, kind: str, words: str, serve: Callable[[Reply], Server]
) -> None:
    server = serve(lambda h, s: h.send(status, body, kind))
    code, out, err = run("gaps", "--endpoint", f"{server.url}/query")
    line = one_error_line(code, out, err)
    assert code == 3
    assert words in line and server.url in line


def test_a_connection_dropped_mid_answer_is_one_line(serve: Callable[[Reply], Server]) -> None:
    def drop(h: Handler, seen: Seen) -> None:
        h.send_response(200)
        h.send_header("Content-Type", JSON)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(EMPTY[:20])
        h.close_connection = True

    server = serve(drop)
    line = one_error_line(*run("gaps", "--endpoint", f"{server.url}/query"))
    assert "truncated" in line
    assert len(server.seen) == 3  # a read: tried again twice


def test_reads_are_retried_after_a_5xx_but_updates_are_not(
    serve: Callable[[Reply], Server],
) -> None:
    failures = iter([503, 502])

    def flaky(h: Handler, seen: Seen) -> None:
        code = next(failures, 200) if seen.path == "/query" else 503
        h.send(code, EMPTY if code == 200 else b"busy", JSON if code == 200 else "text/plain")

    server = serve(flaky)
    reader = HttpClient(f"{server.url}/query")
    answer = reader.request("POST", f"{server.url}/query", body=b"q", idempotent=True)
    assert answer.body == EMPTY
    assert len(server.seen) == 3
    client = HttpClient(f"{server.url}/update")
    with pytest.raises(EndpointError, match="HTTP 503"):
        client.request("POST", f"{server.url}/update", body=b"update=CLEAR ALL")
    assert [s.path for s in server.seen].count("/update") == 1


# --------------------------------------------------------------------------- auth


def test_digest_is_answered_when_the_server_asks_for_it(
    serve: Callable[[Reply], Server],
) -> None:
    realm, nonce = "virtuoso", "abc123"

    def digest(h: Handler, seen: Seen) -> None:
        auth = seen.headers.get("Authorization", "")
        if not auth.startswith("Digest "):
            challenge = f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm=MD5'
            h.send(401, b"", "text/plain", WWW_Authenticate=challenge)
            return
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[7:]))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"ann:{realm}:s3cret")
        ha2 = md5(f"{seen.method}:{fields['uri']}")
        expected = md5(f"{ha1}:{nonce}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        h.send(200 if fields.get("response") == expected else 401, EMPTY)

    server = serve(digest)
    store = open_endpoint(f"{server.url}/sparql-auth")
    assert store.dataset() == []
    store.ping()  # once challenged, every request goes straight to Digest
    kinds = [s.headers.get("Authorization", "").split(" ")[0] for s in server.seen]
    assert kinds[:2] == ["Basic", "Digest"]
    assert len(kinds) > 3 and set(kinds[2:]) == {"Digest"}


def test_a_bearer_token_is_sent_and_a_refusal_is_one_line(
    serve: Callable[[Reply], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_TOKEN", "t0ken")
    server = serve(lambda h, s: h.send(401, b"no", "text/plain"))
    line = one_error_line(*run("gaps", "--endpoint", f"{server.url}/query"))
    assert "refused the credentials" in line
    assert server.seen[0].headers["Authorization"] == "Bearer t0ken"


def test_netrc_credentials_are_used_for_their_host(
    serve: Callable[[Reply], Server], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("REVIEWGRAPH_ENDPOINT_USER")
    monkeypatch.delenv("REVIEWGRAPH_ENDPOINT_PASSWORD")
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login bob password pw\n", encoding="utf-8")
    netrc.chmod(0o600)
    server = serve(empty_results)
    open_endpoint(f"{server.url}/query")
    assert server.seen[0].headers["Authorization"] == "Basic Ym9iOnB3"


# --------------------------------------------------------------------------- loads


def test_a_load_the_server_did_not_carry_out_is_an_error_not_loaded(
    serve: Callable[[Reply], Server],
) -> None:
    """The server says yes to the update and stores nothing: the load must not be claimed."""

    def liar(h: Handler, seen: Seen) -> None:
        if seen.path == "/update":
            h.send(204, b"", "text/plain")
        else:
            h.send(200, EMPTY)

    server = serve(liar)
    code, out, err = run(
        "load", "--endpoint", f"{server.url}/query", "--update-endpoint", f"{server.url}/update",
        "--graph", "https://example.org/g/",
    )  # fmt: skip
    line = one_error_line(code, out, err)
    assert "loaded" not in out + err.replace("after the load", "")
    assert re.search(r"did not take effect|nothing was published", line)
    assert any(s.path == "/update" for s in server.seen)
