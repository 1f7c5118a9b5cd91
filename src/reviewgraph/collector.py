"""Fewer runs of Python's cyclic garbage collector while a large answer is built.

CPython runs its cyclic collector each time 700 more container objects (tuples, dicts, lists,
models) have been made than freed, and now and then walks every object alive.  Reading a
store of a million triples and answering ``gaps`` makes millions of small records that live
until the answer is written, so the collector walks them again and again and frees nothing:
the records hold no reference cycles (plain reference counting frees them).  Measured on
``reviewgraph gaps --store`` at 1M triples (``docs/performance.md``): 2.3 s of 5.4 s was the
collector; with the thresholds below, 3.7 s in all, with the same peak memory (453 MB).

:func:`fewer_collections` raises the thresholds for the duration of a block and puts back
what it found; the collector still runs, only less often, so cyclic garbage is still freed.

Examples
--------
>>> import gc
>>> before = gc.get_threshold()
>>> with fewer_collections():
...     gc.get_threshold()[0]
100000
>>> gc.get_threshold() == before
True
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

__all__ = ["THRESHOLDS", "fewer_collections", "with_fewer_collections"]

THRESHOLDS = (100_000, 50, 1000)
"""The collector's thresholds (``gc.set_threshold``) inside :func:`fewer_collections`:
a young collection every 100,000 net new objects instead of 700."""

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds to :data:`THRESHOLDS` inside the block (never lower
    them: a caller's own higher thresholds, or a disabled collector, are left alone)."""
    before = gc.get_threshold()
    if before[0] == 0 or before[0] >= THRESHOLDS[0]:
        yield
        return
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def with_fewer_collections(func: F) -> F:
    """Decorate ``func`` to run inside :func:`fewer_collections`."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with fewer_collections():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
