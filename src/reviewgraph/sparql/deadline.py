"""Run a query with a time limit that really stops it, though no engine offers a cancel.

On Linux the query runs in a forked child process that inherits the loaded graph or the
open store (copy-on-write, no reload): the parent waits for its answer and kills it at the
deadline.  This stops work that never gives the interpreter back, such as Python's ``re``
backtracking through ``REGEX(?t, "^(a+)+$")`` inside rdflib.  Elsewhere a watchdog thread ends
the whole process with ``os._exit`` at the deadline (Oxigraph releases the interpreter lock
while it works, and its regular expressions run in linear time).

Either way nothing is printed before the answer is complete, so a stopped query prints
nothing but its one-line message.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

from reviewgraph.errors import ReviewGraphError

__all__ = ["ChildError", "QueryTimeoutError", "run_within"]

EXIT_TIMEOUT = 3
"""The exit code of a process stopped by the watchdog (as for other environment limits)."""


class QueryTimeoutError(ReviewGraphError):
    """Raised when a query runs past its time limit (it has been stopped)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return (
            f"the query ran past the {self.seconds:g} s limit and was stopped "
            "(raise it with --timeout)"
        )


class ChildError(ReviewGraphError):
    """An error raised in the child, carried to the parent as its kind and message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


def run_within(work: Callable[[], str], seconds: float) -> str:
    """Return ``work()``, or raise :class:`QueryTimeoutError` once it has run ``seconds``.

    Errors of reviewgraph's own tree raised by ``work`` come back as :class:`ChildError`
    (``kind`` is the class name) when the work ran in a child process.

    Examples
    --------
    >>> run_within(lambda: "answer", 5)
    'answer'
    >>> try:
    ...     run_within(lambda: time.sleep(5) or "late", 0.2)
    ... except QueryTimeoutError as exc:
    ...     print(exc)
    the query ran past the 0.2 s limit and was stopped (raise it with --timeout)
    """
    if sys.platform.startswith("linux"):
        return _in_child(work, seconds)
    return _with_watchdog(work, seconds)  # pragma: no cover - not Linux


def _in_child(work: Callable[[], str], seconds: float) -> str:
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, then leave without clean-up
        os.close(read_end)
        code = 0
        try:
            payload = b"ok\n" + work().encode("utf-8")
        except ReviewGraphError as exc:
            payload = f"{type(exc).__name__}\n{exc}".encode()
        except BaseException as exc:  # a defect: carry it as text
            payload = f"defect\n{type(exc).__name__}: {exc}".encode()
            code = 1
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryTimeoutError(seconds)
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except BaseException:
        _stop(pid)
        raise
    finally:
        os.close(read_end)
    os.waitpid(pid, 0)
    kind, _, body = b"".join(chunks).partition(b"\n")
    if kind == b"ok":
        return body.decode("utf-8")
    if kind == b"defect" or not kind:
        raise RuntimeError(body.decode("utf-8", "replace") or "the query process died")
    raise ChildError(kind.decode("ascii", "replace"), body.decode("utf-8", "replace"))


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _with_watchdog(work: Callable[[], str], seconds: float) -> str:  # pragma: no cover
    done = threading.Event()

    def watch() -> None:
        if not done.wait(seconds):
            sys.stdout.flush()
            sys.stderr.write(f"Error: {QueryTimeoutError(seconds)}\n")
            sys.stderr.flush()
            os._exit(EXIT_TIMEOUT)

    threading.Thread(target=watch, name="reviewgraph-query-timeout", daemon=True).start()
    try:
        return work()
    finally:
        done.set()
