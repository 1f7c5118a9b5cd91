"""The on-disk store's folder: numbered generations, the manifest that names the current one,
the seals, and the locks (see :mod:`reviewgraph.stores.oxigraph` for the layout).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # POSIX: flock; elsewhere (Windows) locks fall back to msvcrt, see _Lock
    import fcntl
except ImportError:  # pragma: no cover - exercised by a test that hides fcntl
    fcntl = None  # type: ignore[assignment]

from reviewgraph.stores.base import (
    StoreError,
    StoreLockedError,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

from reviewgraph.stores.oxload import _disk_error

__all__ = [
    "StoreDamagedError",
    "check_manifest",
    "generations",
    "is_sealed",
    "read_manifest",
    "read_seal",
]

_MANIFEST = "store.json"
_FORMAT = "reviewgraph-oxigraph-store"


def _gen_dir(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}"


def _index_dir(root: Path, generation: int) -> Path:
    return root / "index" / f"gen-{generation:06d}"


def _index_name(graph: str) -> str:
    import hashlib

    return hashlib.sha256(graph.encode("utf-8")).hexdigest()[:24] + ".facts"


def _gen_number(name: str) -> int | None:
    stem = name.removesuffix(".lock").removesuffix(".json")
    if stem.startswith("gen-") and stem[4:].isdigit():
        return int(stem[4:])
    return None


class _Lock:
    """An ``flock`` on a lock file, held until :meth:`release`.

    A shared (reader's) lock on a store that cannot be written (a read-only mount, an
    archive unpacked without write permission) is taken on a file opened read-only, or,
    if the lock file cannot even be created there, not at all: no writer can change such a
    store, so there is nothing to guard against.  Without ``fcntl`` (Windows) locks are
    advisory no-ops; Windows itself refuses to delete the files of a generation that a
    reader has open, so garbage collection leaves it for later.
    """

    def __init__(
        self, path: Path, *, exclusive: bool, wait: bool = False, advice: str | None = None
    ) -> None:
        self.path = path
        self._fd: int | None = _open_lock_file(path, exclusive=exclusive)
        if self._fd is None or fcntl is None:
            return
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(self._fd, flags if wait else flags | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            os.close(self._fd)
            self._fd = None
            if advice is not None:
                raise StoreLockedError(str(path.parent), holder, advice) from None
            raise StoreLockedError(str(path.parent), holder) from None
        if exclusive:
            os.ftruncate(self._fd, 0)
            os.write(self._fd, f"pid {os.getpid()}\n".encode())

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is not None:
            if fcntl is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


_CANNOT_WRITE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def _open_lock_file(path: Path, *, exclusive: bool) -> int | None:
    """Open (creating) a lock file; for a shared lock on a store that cannot be written,
    open it read-only, or give ``None`` if it does not exist and cannot be made."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        if exclusive:
            raise StoreError(
                f"the store at {path.parent} cannot be written ({exc.strerror}); it can still "
                "be read"
            ) from None
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def _is_plain_oxigraph(path: Path) -> bool:
    return (path / "CURRENT").is_file() and not (path / _MANIFEST).exists()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StoreDamagedError(StoreError):
    """Raised when an on-disk store's manifest is missing, garbled or stale, or names a
    generation that is not there.  Nothing is changed; ``reviewgraph store check`` inspects
    the store and ``reviewgraph store repair`` recovers it from its newest complete
    generation."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        super().__init__(str(self))

    def __str__(self) -> str:
        return (
            f"the store at {self.path} is damaged: {self.what}; nothing was changed (inspect "
            f"it with 'reviewgraph store check {self.path}', recover it with "
            f"'reviewgraph store repair {self.path}')"
        )


def _lock_path(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}.lock"


def _seal_path(root: Path, generation: int) -> Path:
    return root / f"gen-{generation:06d}.json"


def generations(root: Path) -> list[int]:
    """The numbers of the generation folders in a store's folder, oldest first."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    return sorted(n for e in entries if e.is_dir() and (n := _gen_number(e.name)) is not None)


def read_seal(root: Path, generation: int) -> dict[str, Any] | None:
    """The seal of a generation (its manifest, written before it was published), if it has
    a readable one that names it."""
    try:
        data = json.loads(_seal_path(root, generation).read_text(encoding="utf-8"))
        checked = check_manifest(data)
    except (OSError, ValueError):
        return None
    return checked if checked["generation"] == generation else None


def is_sealed(root: Path, generation: int) -> bool:
    """Whether a generation was completed (its seal was written before publishing)."""
    return read_seal(root, generation) is not None


def check_manifest(data: Any) -> dict[str, Any]:
    """``data`` if it is a well-formed manifest; otherwise ``ValueError`` saying why."""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError("it is not a reviewgraph store manifest")
    generation, graphs = data.get("generation"), data.get("graphs")
    if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
        raise ValueError("its generation is not a number")
    if not isinstance(graphs, dict) or not all(
        isinstance(info, dict) and isinstance(info.get("triples"), int) for info in graphs.values()
    ):
        raise ValueError("its list of graphs is garbled")
    return data


def read_manifest(root: Path) -> dict[str, Any]:
    """A store's manifest; a new store's (generation 0) if there is none and no generation.

    Raises
    ------
    StoreDamagedError
        If the manifest is missing while generations exist, or is garbled.
    """
    path = root / _MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if generations(root):
            raise StoreDamagedError(root, f"{_MANIFEST} is missing") from None
        return {"format": _FORMAT, "version": 1, "generation": 0, "graphs": {}}
    except OSError as exc:
        raise StoreError(f"{path} cannot be read: {exc.strerror}") from None
    try:
        return check_manifest(json.loads(text))
    except ValueError as exc:
        reason = " ".join(str(exc).split())[:200]
        raise StoreDamagedError(root, f"{_MANIFEST} is garbled ({reason})") from None


def _write_json(root: Path, target: Path, data: dict[str, Any]) -> None:
    """Replace ``target`` with ``data`` atomically (a temporary file, fsync, rename)."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_dir(root)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _disk_error(exc) from None
