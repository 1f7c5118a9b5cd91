"""Small loopback HTTP servers whose answers are a function of the request (issue 17).

Each server is a threaded ``http.server`` on 127.0.0.1; the ``serve`` fixture
(``conftest.py``) starts them and stops them after the test.  Tests check what reached the
server (credentials, bodies) and what the command line said.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from click.testing import CliRunner

from reviewgraph.cli import main

EMPTY = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()
JSON = "application/sparql-results+json"


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Reply = Callable[["Handler", Seen], None]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    reply: Reply
    seen: list[Seen]

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
        self.seen.append(seen)
        try:
            self.reply(self, seen)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = _handle  # noqa: N815

    def send(self, status: int, body: bytes, kind: str = JSON, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class Server:
    url: str
    seen: list[Seen] = field(default_factory=list)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_error_line(code: int, out: str, err: str) -> str:
    assert code != 0
    assert out == ""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def start_server(reply: Reply, running: list[http.server.ThreadingHTTPServer]) -> Server:
    """Start one server answering with ``reply`` (added to ``running``, to stop later)."""
    seen: list[Seen] = []
    handler = type("H", (Handler,), {"reply": staticmethod(reply), "seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    running.append(httpd)
    return Server(f"http://127.0.0.1:{httpd.server_port}", seen)


def stop_servers(running: list[http.server.ThreadingHTTPServer]) -> None:
    for httpd in running:
        httpd.shutdown()
        httpd.server_close()
