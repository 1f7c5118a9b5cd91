"""The HTTP client of the endpoint store: safe to point at any server.

Built on httpx, with every setting explicit:

* **Credentials** (Basic, Digest or Bearer) come from the environment or ``~/.netrc`` and go
  only to the origin (scheme, host and port) of the endpoint they were given for.
* **Redirects** are followed by hand, within the same origin only: ``307`` and ``308`` keep
  the method and the body, ``301``/``302``/``303`` are followed for ``GET`` only.  A redirect
  to another origin is an error that names both URLs, and nothing is sent there.
* **TLS** is verified, against the system's certificates or a CA bundle
  (``REVIEWGRAPH_ENDPOINT_CA_BUNDLE``).
* **Limits**: a connect timeout, a read timeout, a deadline for the whole request (a server
  that trickles a byte every few seconds is cut off when it passes) and a cap on the size of
  an answer.
* **Retries**: reads (queries) are tried again, a bounded number of times, after a ``5xx``
  answer or a dropped connection; updates never are.
* **Failures** are one line (:class:`~reviewgraph.stores.base.EndpointError`): the status
  and the start of the body as text, a timeout, a truncated answer, an answer over the cap.

The environment variables:

========================================  =================================================
``REVIEWGRAPH_ENDPOINT_USER``             user name (Basic or Digest)
``REVIEWGRAPH_ENDPOINT_PASSWORD``         its password
``REVIEWGRAPH_ENDPOINT_TOKEN``            a Bearer token (instead of a user)
``REVIEWGRAPH_ENDPOINT_AUTH``             ``basic``, ``digest`` or ``auto`` (the default:
                                          Basic, then Digest if the server asks for it)
``REVIEWGRAPH_ENDPOINT_CA_BUNDLE``        a PEM file of the CAs to trust
``REVIEWGRAPH_ENDPOINT_DEADLINE``         seconds for a whole request (default 300)
``REVIEWGRAPH_ENDPOINT_MAX_MB``           the largest answer read, in MB (default 512)
========================================  =================================================

httpx rather than urllib3: it has Digest authentication and a timeout per phase (connect,
read, write, pool) built in, streams bodies so that the cap holds while reading, and its
``Auth`` flows see the server's ``401`` challenge.
"""

from __future__ import annotations

import base64
import html
import netrc
import os
import re
import ssl
import threading
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from reviewgraph.stores.base import EndpointError, StoreError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

__all__ = [
    "Answer",
    "HttpClient",
    "HttpSettings",
    "one_line",
    "origin",
]

USER_VAR = "REVIEWGRAPH_ENDPOINT_USER"
PASSWORD_VAR = "REVIEWGRAPH_ENDPOINT_PASSWORD"
TOKEN_VAR = "REVIEWGRAPH_ENDPOINT_TOKEN"
AUTH_VAR = "REVIEWGRAPH_ENDPOINT_AUTH"
CA_VAR = "REVIEWGRAPH_ENDPOINT_CA_BUNDLE"
DEADLINE_VAR = "REVIEWGRAPH_ENDPOINT_DEADLINE"
MAX_MB_VAR = "REVIEWGRAPH_ENDPOINT_MAX_MB"

_RETRY_STATUS = frozenset({500, 502, 503, 504})
_MB = 1_000_000


def origin(url: str) -> str:
    """The origin of a URL: scheme, host and port (the port spelled out).

    Examples
    --------
    >>> origin("https://Example.org/sparql?x=1")
    'https://example.org:443'
    >>> origin("http://127.0.0.1:8890/sparql")
    'http://127.0.0.1:8890'
    """
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def one_line(body: bytes, limit: int = 200) -> str:
    """The start of a body as one line of text: tags dropped, white space collapsed.

    Examples
    --------
    >>> one_line(b"<html><body><h1>Not\\n found</h1></body></html>")
    'Not found'
    >>> one_line(b"x" * 300, limit=5)
    'xxxxx...'
    """
    text = body[: limit * 20].decode("utf-8", "replace")
    text = html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style).*?</\1>", "", text)))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise StoreError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise StoreError(f"{name}={raw!r} must be more than 0")
    return value


@dataclass(frozen=True)
class HttpSettings:
    """The limits of the client.

    Attributes
    ----------
    connect_timeout, read_timeout : float
        Seconds to wait for a connection, and for each read from it.
    deadline : float
        Seconds for a whole request: every redirect, retry and byte of the answer.
    max_bytes : int
        The largest answer read; a larger one is an error.
    retries : int
        How many times a read is tried again after a ``5xx`` or a dropped connection.
    ca_bundle : str, optional
        A PEM file of the certificate authorities to trust, instead of the system's.
    cross_origin_redirects : bool
        Follow a redirect to another origin (without the credentials) instead of failing.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    deadline: float = 300.0
    max_bytes: int = 512 * _MB
    retries: int = 2
    ca_bundle: str | None = None
    cross_origin_redirects: bool = False
    max_redirects: int = 5
    backoff: float = 0.2

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpSettings:
        """Settings from the environment variables, then ``overrides``.

        Examples
        --------
        >>> HttpSettings.from_env(read_timeout=5.0).read_timeout
        5.0
        """
        values: dict[str, Any] = {
            "deadline": _env_float(DEADLINE_VAR, cls.deadline),
            "max_bytes": int(_env_float(MAX_MB_VAR, cls.max_bytes / _MB) * _MB),
            "ca_bundle": os.environ.get(CA_VAR) or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class Answer:
    """A server's answer: status, headers (lower-case names) and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        """The media type, without parameters, in lower case."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


# --------------------------------------------------------------------------- credentials


def _netrc_entry(host: str) -> tuple[str, str] | None:
    try:
        entry = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if entry is None:
        return None
    user, _, password = entry
    return user, password or ""


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _auth_for(url: str) -> httpx.Auth | None:
    """The credentials for ``url``'s host: a token, a user from the environment, or netrc."""
    import httpx

    token = os.environ.get(TOKEN_VAR)
    if token:
        return _Header(f"Bearer {token}")
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user is None:
        entry = _netrc_entry(urlsplit(url).hostname or "")
        if entry is None:
            return None
        user, password = entry
    password = password or ""
    scheme = (os.environ.get(AUTH_VAR) or "auto").lower()
    if scheme == "basic":
        return _Header(_basic(user, password))
    if scheme == "digest":
        return httpx.DigestAuth(user, password)
    if scheme == "auto":
        return _Challenged(user, password)
    raise StoreError(f"{AUTH_VAR}={scheme!r}: use basic, digest or auto")


@cache
def _auth_classes() -> tuple[type, type]:
    import httpx

    class Header(httpx.Auth):
        """A fixed ``Authorization`` header (Basic or Bearer), sent with every request."""

        def __init__(self, value: str) -> None:
            self.value = value

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
            request.headers["Authorization"] = self.value
            yield request

    class Challenged(httpx.Auth):
        """Basic first; if the server answers ``401`` with a Digest challenge, Digest from
        then on (Virtuoso's authenticated endpoint, for one)."""

        requires_request_body = True

        def __init__(self, user: str, password: str) -> None:
            self.user, self.password = user, password
            self.digest: httpx.DigestAuth | None = None

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
            if self.digest is not None:
                yield from self.digest.auth_flow(request)
                return
            request.headers["Authorization"] = _basic(self.user, self.password)
            response = yield request
            if response.status_code != 401:
                return
            del request.headers["Authorization"]
            if "digest" not in response.headers.get("www-authenticate", "").lower():
                # Virtuoso refuses Basic with a bare 401: ask again for its challenge
                response = yield request
            if "digest" not in response.headers.get("www-authenticate", "").lower():
                return
            self.digest = httpx.DigestAuth(self.user, self.password)
            flow = self.digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            yield retry

    return Header, Challenged


def _Header(value: str) -> httpx.Auth:  # noqa: N802 (a class made on first use)
    return _auth_classes()[0](value)  # type: ignore[no-any-return]


def _Challenged(user: str, password: str) -> httpx.Auth:  # noqa: N802
    return _auth_classes()[1](user, password)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the client


class _FailedError(Exception):
    """A one-line failure raised inside the worker, re-raised as the caller's error."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class HttpClient:
    """An HTTP client bound to one endpoint's origin (the only one its credentials go to).

    Examples
    --------
    >>> client = HttpClient("http://127.0.0.1:9/query")
    >>> client.origin
    'http://127.0.0.1:9'
    """

    url: str
    settings: HttpSettings = field(default_factory=HttpSettings.from_env)
    _client: Any = field(default=None, init=False, repr=False)
    _auth: Any = field(default=None, init=False, repr=False)
    _auth_read: bool = field(default=False, init=False, repr=False)

    @property
    def origin(self) -> str:
        """The endpoint's origin."""
        return origin(self.url)

    def _http(self) -> httpx.Client:
        import httpx

        if self._client is None:
            verify: ssl.SSLContext | bool = True
            if self.settings.ca_bundle:
                try:
                    verify = ssl.create_default_context(cafile=self.settings.ca_bundle)
                except (OSError, ssl.SSLError) as exc:
                    raise StoreError(
                        f"cannot read the CA bundle {self.settings.ca_bundle}: {exc}"
                    ) from None
            s = self.settings
            self._client = httpx.Client(
                timeout=httpx.Timeout(
                    connect=s.connect_timeout,
                    read=s.read_timeout,
                    write=s.read_timeout,
                    pool=s.connect_timeout,
                ),
                verify=verify,
                follow_redirects=False,
                trust_env=not _is_loopback(self.url),
            )
        return self._client  # type: ignore[no-any-return]

    def credentials(self) -> httpx.Auth | None:
        """The auth for this endpoint's origin (read from the environment once)."""
        if not self._auth_read:
            self._auth, self._auth_read = _auth_for(self.url), True
        return self._auth  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close the connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = False,
    ) -> Answer:
        """Send one request; the whole answer (a ``2xx``), or a one-line error.

        Raises
        ------
        EndpointError
            If the server does not answer, fails, redirects elsewhere, passes the deadline or
            the size cap, or refuses the credentials.
        StoreError
            If the server rejects the request itself (``400``: a query it cannot run).
        """
        deadline = time.monotonic() + self.settings.deadline
        box: dict[str, Any] = {}
        cancelled = threading.Event()

        def work() -> None:
            try:
                box["answer"] = self._exchange(
                    method, url, body, dict(headers or {}), idempotent, deadline, cancelled
                )
            except _FailedError as exc:
                box["error"] = exc.error
            except Exception as exc:  # pragma: no cover - a bug, shown as one line
                box["error"] = EndpointError(url, f"failed ({type(exc).__name__}: {exc})")

        worker = threading.Thread(target=work, name="reviewgraph-http", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            cancelled.set()
            raise EndpointError(
                url, f"did not finish answering within {self.settings.deadline:g} s (cut off)"
            )
        if "error" in box:
            raise box["error"]
        return box["answer"]  # type: ignore[no-any-return]

    def _exchange(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        idempotent: bool,
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        attempts = self.settings.retries + 1 if idempotent else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                answer = self._follow(method, url, body, headers, deadline, cancelled)
            except _RetryableError as exc:
                if last:
                    raise _FailedError(exc.error) from None
            else:
                if answer.status not in _RETRY_STATUS or last:
                    return self._check(answer)
            time.sleep(self.settings.backoff * (2**attempt))
            if time.monotonic() > deadline or cancelled.is_set():
                break
        raise _FailedError(EndpointError(url, "did not answer in time"))  # pragma: no cover

    def _follow(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        start = url
        for _ in range(self.settings.max_redirects + 1):
            same = origin(url) == self.origin
            answer = self._send(method, url, body, headers, same, deadline, cancelled)
            if answer.status not in (301, 302, 303, 307, 308):
                return answer
            location = answer.headers.get("location")
            if not location:
                return answer
            target = urljoin(url, location)
            if origin(target) != self.origin and not self.settings.cross_origin_redirects:
                raise _FailedError(
                    EndpointError(
                        start,
                        f"redirected to another origin ({target}); reviewgraph follows "
                        f"redirects within {self.origin} only: point it at the server "
                        "that answers",
                    )
                )
            if answer.status in (301, 302, 303) and method != "GET":
                raise _FailedError(
                    EndpointError(
                        start,
                        f"redirected a {method} with HTTP {answer.status} to {target}, "
                        "which would drop the request body: use that URL",
                    )
                )
            url = target
        raise _FailedError(
            EndpointError(start, f"redirected more than {self.settings.max_redirects} times")
        )

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        same_origin: bool,
        deadline: float,
        cancelled: threading.Event,
    ) -> Answer:
        import httpx

        client = self._http()
        auth = self.credentials() if same_origin else None
        sent = {"Accept-Encoding": "gzip, deflate", **headers}
        request = client.build_request(method, url, content=body, headers=sent)
        cap = self.settings.max_bytes
        try:
            response = client.send(request, auth=auth, stream=True)
            try:
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > cap:
                    raise _FailedError(self._too_big(url))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > cap:
                        raise _FailedError(self._too_big(url))
                    if cancelled.is_set() or time.monotonic() > deadline:
                        raise _FailedError(EndpointError(url, "passed the deadline (cut off)"))
                    chunks.append(chunk)
                data = b"".join(chunks)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            what = "connect" if isinstance(exc, httpx.ConnectTimeout) else "answer"
            raise _FailedError(
                EndpointError(url, f"did not {what} in time ({exc or 'timeout'})")
            ) from None
        except httpx.ConnectError as exc:
            raise _RetryableError(EndpointError(url, f"does not answer ({exc})")) from None
        except httpx.RemoteProtocolError as exc:
            raise _RetryableError(
                EndpointError(url, f"dropped the connection or sent a truncated answer ({exc})")
            ) from None
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise _RetryableError(EndpointError(url, f"dropped the connection ({exc})")) from None
        except httpx.HTTPError as exc:
            raise _FailedError(
                EndpointError(url, f"failed ({type(exc).__name__}: {exc})")
            ) from None
        if response.headers.get("content-encoding", "identity") not in ("identity", ""):
            data = _decode(data, response.headers["content-encoding"], url, cap)
        names = {k.lower(): v for k, v in response.headers.items()}
        return Answer(response.status_code, names, data, url)

    def _too_big(self, url: str) -> EndpointError:
        mb = self.settings.max_bytes / _MB
        return EndpointError(
            url, f"answered with more than {mb:g} MB (cut off; raise {MAX_MB_VAR} to allow more)"
        )

    def _check(self, answer: Answer) -> Answer:
        code, url = answer.status, answer.url
        if 200 <= code < 300:
            return answer
        detail = one_line(answer.body)
        if code in (401, 403):
            raise _FailedError(
                EndpointError(
                    url,
                    f"refused the credentials (HTTP {code}); set {USER_VAR} and "
                    f"{PASSWORD_VAR} (or {TOKEN_VAR}), or add the host to ~/.netrc",
                )
            )
        if code == 400:
            raise _FailedError(
                StoreError(f"the SPARQL endpoint {url} rejected the request: {detail}")
            )
        return _raise(EndpointError(url, f"failed (HTTP {code}): {detail}"))


def _raise(error: Exception) -> Answer:
    raise _FailedError(error)


class _RetryableError(Exception):
    def __init__(self, error: EndpointError) -> None:
        super().__init__(str(error))
        self.error = error


def _decode(data: bytes, encoding: str, url: str, cap: int) -> bytes:
    """Undo ``gzip``/``deflate``, still within the cap (a small bomb is cut off too)."""
    import zlib

    kinds = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    wbits = kinds.get(encoding.strip().lower())
    if wbits is None:
        raise _FailedError(EndpointError(url, f"answered with an unknown encoding {encoding!r}"))
    try:
        out = zlib.decompressobj(wbits).decompress(data, cap + 1)
    except zlib.error:
        raise _FailedError(EndpointError(url, f"sent a corrupt {encoding} body")) from None
    if len(out) > cap:
        raise _FailedError(
            EndpointError(url, f"answered with more than {cap / _MB:g} MB (cut off)")
        )
    return out


def _is_loopback(url: str) -> bool:
    import ipaddress

    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
