"""Oxigraph stores: in memory (the default) and on disk.

:class:`MemoryStore` (``memory``, the default) is an in-memory ``pyoxigraph.Store``: measured
on review-shaped graphs it loads about 15x and answers the named queries 10-600x faster than
rdflib's own memory store (``docs/performance.md``).

:class:`OxigraphStore` (``oxigraph:PATH``) keeps the data on disk so that it is loaded once
and queried many times.  The folder holds numbered *generations*, each a complete Oxigraph
database, and ``store.json`` names the current one::

    PATH/store.json        {"generation": 3, "graphs": {...}}   (replaced atomically)
    PATH/write.lock        held (flock, exclusive) by the one process loading
    PATH/gen-000003/       the current Oxigraph database, never written once published
    PATH/gen-000003.lock   held (flock, shared) by every process reading it

A load checkpoints the current generation into a new one (RocksDB hard links, about a
millisecond), applies every change there (dropping replaced graphs, loading each file with
Oxigraph's bulk loader when it is large), and publishes it by replacing ``store.json``.  If
anything fails, or the process is killed, ``store.json`` still names the old generation, so
the store is as it was; the half-built folder is removed by the next load.  Readers open the
current generation with ``Store.read_only`` and never see a generation being written, so
queries run while a load is in progress.  Old generations are removed once no reader holds
them.  ``bulk=True`` skips the checkpoint and writes into the current generation in place: it
is not atomic, and it needs no reader to be using the store.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pyoxigraph as ox

from reviewgraph.stores.base import StoreError, StoreLockedError, StoreNotFoundError
from reviewgraph.stores.generations import (
    _FORMAT,
    _MANIFEST,
    StoreDamagedError,
    _fsync_dir,
    _gen_dir,
    _gen_number,
    _index_dir,
    _index_name,
    _is_plain_oxigraph,
    _Lock,
    _lock_path,
    _seal_path,
    _write_json,
    generations,
    is_sealed,
    read_manifest,
)
from reviewgraph.stores.oxload import (
    BULK_MIN_BYTES,
    MAX_TERM_BYTES,
    Check,
    GraphLoad,
    _checked_finish,
    _Clock,
    _count,
    _disk_error,
    _finish,
    _load_graph,
    _release_writer,
)
from reviewgraph.stores.oxload import _syntax_error as _syntax_error
from reviewgraph.stores.oxquery import (
    FORMATS,
    OxigraphQueries,
    ox_plain,
    ox_to_rdflib,
    ox_value,
    parse_plain,
    to_ox,
)

_FORMATS = FORMATS
"""The formats the engine parses (stores/endpoint.py imports it, and _syntax_error, from here)."""

__all__ = [
    "BULK_MIN_BYTES",
    "MAX_TERM_BYTES",
    "GraphLoad",
    "MemoryStore",
    "OxigraphStore",
    "StoreDamagedError",
    "generations",
    "is_sealed",
    "ox_plain",
    "ox_to_rdflib",
    "ox_value",
    "parse_plain",
    "read_manifest",
    "to_ox",
]


class MemoryStore(OxigraphQueries):
    """Oxigraph in memory: the default store (``memory``).

    Examples
    --------
    >>> from reviewgraph.stores import open_store, select
    >>> store = open_store("memory")
    >>> select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    [{'n': 0}]
    """

    kind: ClassVar[str] = "memory"

    def __init__(self) -> None:
        super().__init__("memory")
        self._ox = ox.Store()
        self._indexes: dict[str, bytes] = {}

    def graph_index(self, name: str) -> bytes | None:
        """The analysis index kept with a graph when it was loaded, if any."""
        return self._indexes.get(name)

    def _apply(
        self, loads: Sequence[GraphLoad], *, bulk: bool = False, check: Check | None = None
    ) -> dict[str, int]:
        """Set each graph to its new triples; on failure (or if ``check`` raises on the
        result), put the old ones back."""
        counts = self._load_all(loads, bulk=bulk, check=check)
        for load in loads:
            self._indexes.pop(load.graph, None)
            if load.index is not None:
                self._indexes[load.graph] = load.index()
        return counts

    def _load_all(
        self, loads: Sequence[GraphLoad], *, bulk: bool, check: Check | None = None
    ) -> dict[str, int]:
        old: dict[str, list[ox.Quad]] = {}
        if not bulk:
            for load in loads:
                graph = ox.NamedNode(load.graph)
                old[load.graph] = list(self._ox.quads_for_pattern(None, None, None, graph))
        try:
            for load in loads:
                self._ox.remove_graph(ox.NamedNode(load.graph))
                _load_graph(self._ox, load, bulk=False)
            if check is not None:
                check(self._ox)
        except BaseException:
            if not bulk:
                for load in loads:
                    self._ox.remove_graph(ox.NamedNode(load.graph))
                for quads in old.values():
                    self._ox.extend(quads)
            raise
        return {load.graph: _count(self._ox, load.graph) for load in loads}


# --------------------------------------------------------------------------- on disk


class OxigraphStore(OxigraphQueries):
    """Oxigraph on disk (``oxigraph:PATH``): load once, query many times across runs.

    Parameters
    ----------
    path : Path
        The store's folder (created by the first load).
    writable : bool
        Take the exclusive write lock (needed to load).  A second writer gets
        :class:`~reviewgraph.stores.StoreLockedError`.  Readers need no write lock.

    Raises
    ------
    StoreNotFoundError
        If a read-only store is opened where there is none.
    StoreLockedError
        If ``writable`` and another process holds the write lock.
    """

    kind: ClassVar[str] = "oxigraph"

    def __init__(self, path: Path, *, writable: bool = False) -> None:
        super().__init__(f"oxigraph:{path}")
        self.path = path
        self.writable = writable
        self._plain = False
        self._write_lock: _Lock | None = None
        self._read_lock: _Lock | None = None
        self._created = False
        self.generation = 0
        self.manifest: dict[str, Any] = {}
        self.last_load: dict[str, float] = {}
        """Seconds spent in each step of the last load (for benchmarks)."""
        if writable:
            if _is_plain_oxigraph(path):
                raise StoreError(
                    f"{path} is an Oxigraph database that reviewgraph did not create; "
                    "reviewgraph can read it but loads only into its own stores "
                    "(choose a new folder)"
                )
            if path.exists() and not path.is_dir():
                raise StoreError(f"{path} is not a folder")
            self._created = not path.exists()
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store at {path}: {exc.strerror}") from None
            try:
                self._write_lock = _Lock(path / "write.lock", exclusive=True)
            except BaseException:
                self._remove_if_created()
                raise
        elif _is_plain_oxigraph(path):
            self._plain = True
            self._ox = ox.Store.read_only(str(path))
            return
        elif not (path / _MANIFEST).is_file() and generations(path):
            raise StoreDamagedError(path, f"{_MANIFEST} is missing")
        elif not (path / _MANIFEST).is_file():
            raise StoreNotFoundError(
                f"no reviewgraph store at {path} (create one with: "
                f"reviewgraph load DATA --store oxigraph:{path})"
            )
        try:
            self._open_current()
        except BaseException:
            self.close()
            raise

    # -- generations

    def _read_manifest(self) -> dict[str, Any]:
        return read_manifest(self.path)

    def _open_current(self) -> None:
        """Open the current generation read-only, holding a shared lock on it.

        A manifest that names a generation that is not there is a damaged store (and is
        refused), unless a writer published a newer one meanwhile (then read again).
        """
        for _ in range(20):
            manifest = self._read_manifest()
            generation = int(manifest["generation"])
            if generation == 0:
                self.manifest, self.generation = manifest, 0
                self._ox = ox.Store()  # nothing loaded yet: an empty store answers queries
                return
            if _gen_dir(self.path, generation).is_dir():
                lock = _Lock(_lock_path(self.path, generation), exclusive=False, wait=True)
                if _gen_dir(self.path, generation).is_dir():
                    self._release_read()
                    self._read_lock = lock
                    self.manifest, self.generation = manifest, generation
                    try:
                        self._ox = ox.Store.read_only(str(_gen_dir(self.path, generation)))
                    except OSError as exc:
                        raise StoreDamagedError(
                            self.path, f"generation {generation} cannot be opened ({exc})"
                        ) from None
                    return
                lock.release()
            if int(self._read_manifest()["generation"]) == generation:
                raise StoreDamagedError(
                    self.path, f"{_MANIFEST} names generation {generation}, which is missing"
                )
        raise StoreError(f"the store at {self.path} keeps changing; try again")

    def _release_read(self) -> None:
        if self._read_lock is not None:
            self._read_lock.release()
            self._read_lock = None

    def close(self) -> None:
        """Release the locks and the database handle.

        A store folder that this writer created and never published a generation into (a
        first load that failed) is removed, so no empty store with a ``write.lock`` is left.
        """
        self._ox = ox.Store()
        self._release_read()
        if self._write_lock is not None:
            if self._created and self.generation == 0:
                self._remove_if_created()
            self._write_lock.release()
            self._write_lock = None

    def _remove_if_created(self) -> None:
        if self._created:
            shutil.rmtree(self.path, ignore_errors=True)
            self._created = False

    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples (from the manifest)."""
        if self._plain:
            return super().graphs()
        graphs = self.manifest.get("graphs", {})
        return {name: int(info["triples"]) for name, info in sorted(graphs.items())}

    def graph_names(self) -> list[str]:
        """The names of the named graphs (from the manifest)."""
        if self._plain:
            return super().graph_names()
        return sorted(self.manifest.get("graphs", {}))

    def graph_index(self, name: str) -> bytes | None:
        """The analysis index written with a graph by the load that published it, if any."""
        info = self.manifest.get("graphs", {}).get(name, {})
        file = info.get("index") if isinstance(info, dict) else None
        if not isinstance(file, str) or self.generation == 0:
            return None
        try:
            return (_index_dir(self.path, self.generation) / file).read_bytes()
        except OSError:
            return None

    def _write_indexes(
        self, generation: int, loads: Sequence[GraphLoad], graphs: dict[str, Any]
    ) -> None:
        """Write each loaded graph's index beside ``generation``; link the others' from the
        current generation (they did not change)."""
        folder = _index_dir(self.path, generation)
        folder.mkdir(parents=True, exist_ok=True)
        loaded = {load.graph for load in loads}
        old = _index_dir(self.path, self.generation)
        for name, info in graphs.items():
            file = info.get("index")
            if name in loaded or not file or old == folder:
                continue
            with contextlib.suppress(FileExistsError):
                try:
                    os.link(old / file, folder / file)
                except OSError:
                    info.pop("index", None)  # lost: readers read the graph's triples instead
        for load in loads:
            info = graphs[load.graph]
            info.pop("index", None)
            if load.index is None:
                continue
            file = _index_name(load.graph)
            tmp = folder / f".{file}.tmp"
            with tmp.open("wb") as handle:
                handle.write(load.index())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, folder / file)
            info["index"] = file
        _fsync_dir(folder)

    def sources(self) -> dict[str, str]:
        """Each graph's IRI with the file it was loaded from."""
        graphs = self.manifest.get("graphs", {})
        return {name: str(info.get("file", "")) for name, info in sorted(graphs.items())}

    def _collect_garbage(self) -> None:
        """Remove every generation older than the current one that no reader holds, and any
        newer one that was never sealed (a load that did not finish).

        A sealed generation newer than the current one means the manifest is stale (or a
        load was stopped while publishing): nothing is removed and the store is refused
        until ``reviewgraph store repair`` has chosen.
        """
        indexes = self.path / "index"
        if indexes.is_dir():
            for entry in indexes.iterdir():
                number = _gen_number(entry.name)
                if number != self.generation and not _gen_dir(self.path, number or 0).is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
        if self.generation and not _gen_dir(self.path, self.generation).is_dir():
            raise StoreDamagedError(
                self.path, f"{_MANIFEST} names generation {self.generation}, which is missing"
            )
        newer = [
            n for n in generations(self.path) if n > self.generation and is_sealed(self.path, n)
        ]
        if newer:
            raise StoreDamagedError(
                self.path,
                f"{_MANIFEST} names generation {self.generation}, but generation {max(newer)} "
                "is complete and newer (a stale manifest, or a load stopped while publishing)",
            )
        for number in generations(self.path):
            if number == self.generation:
                continue
            lock_path = _lock_path(self.path, number)
            try:
                lock = _Lock(lock_path, exclusive=True)
            except StoreLockedError:
                continue  # a reader still uses it
            try:
                _seal_path(self.path, number).unlink(missing_ok=True)
                shutil.rmtree(_gen_dir(self.path, number), ignore_errors=True)
                shutil.rmtree(_index_dir(self.path, number), ignore_errors=True)
                lock_path.unlink(missing_ok=True)
            finally:
                lock.release()

    def _publish(self, generation: int, graphs: dict[str, Any]) -> None:
        """Seal the generation (its own copy of the manifest, beside it), then name it in
        the manifest: a generation with a seal is complete, whatever became of the manifest."""
        manifest = {"format": _FORMAT, "version": 1, "generation": generation, "graphs": graphs}
        if generation:
            _write_json(self.path, _seal_path(self.path, generation), manifest)
        _write_json(self.path, self.path / _MANIFEST, manifest)

    def _apply(
        self, loads: Sequence[GraphLoad], *, bulk: bool = False, check: Check | None = None
    ) -> dict[str, int]:
        """Set each graph to its new triples, atomically unless ``bulk``; ``check`` runs on
        the new generation before it is published (raising leaves the store as it was)."""
        self._require_writable()
        clock = _Clock()
        if not (self.path / _MANIFEST).is_file():
            self._publish(0, {})  # a new store: a first load that dies leaves it empty
        self._collect_garbage()
        graphs = dict(self.manifest.get("graphs", {}))
        targets = {load.graph for load in loads}
        if bulk and self.generation:
            return self._apply_in_place(loads, graphs, clock, check)
        numbers = [n for e in self.path.iterdir() if (n := _gen_number(e.name)) is not None]
        generation = max([self.generation, *numbers]) + 1
        new_dir = _gen_dir(self.path, generation)
        replaced = sum(int(graphs[g]["triples"]) for g in targets if g in graphs)
        total = sum(int(info["triples"]) for info in graphs.values())
        rebuild = self.generation > 0 and replaced * 2 > total
        writer: ox.Store | None = None
        try:
            if self.generation and not rebuild:
                self._ox.backup(str(new_dir))  # a checkpoint: hard links, not a copy
            writer = ox.Store(str(new_dir))
            if rebuild:
                self._copy_graphs(writer, [g for g in graphs if g not in targets])
            else:
                for graph in targets & set(graphs):
                    writer.remove_graph(ox.NamedNode(graph))
            clock.lap("prepare")
            for load in loads:
                _load_graph(writer, load, bulk=load.size >= BULK_MIN_BYTES)
            clock.lap("load")
            counts = _checked_finish(writer, loads, clock, check)
            writer = None  # closes the database before it is published
            clock.lap("close")
            for load in loads:
                graphs[load.graph] = {"file": load.file, "triples": counts[load.graph]}
            self._write_indexes(generation, loads, graphs)
            clock.lap("index")
        except OSError as exc:  # a full disk while writing the new generation
            writer = None
            _release_writer(exc)
            shutil.rmtree(new_dir, ignore_errors=True)
            raise _disk_error(exc) from None
        except BaseException as exc:
            writer = None
            _release_writer(exc)
            shutil.rmtree(new_dir, ignore_errors=True)
            shutil.rmtree(_index_dir(self.path, generation), ignore_errors=True)
            raise
        self._publish(generation, graphs)
        self._open_current()
        self._collect_garbage()
        clock.lap("publish")
        self.last_load = clock.laps
        return counts

    def _copy_graphs(self, writer: ox.Store, names: Sequence[str]) -> None:
        for name in names:
            graph = ox.NamedNode(name)
            data = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            if data:
                writer.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def _apply_in_place(
        self,
        loads: Sequence[GraphLoad],
        graphs: dict[str, Any],
        clock: _Clock,
        check: Check | None = None,
    ) -> dict[str, int]:
        """``bulk``: write into the current generation (not atomic; no reader may hold it)."""
        generation = self.generation
        self._ox = ox.Store()
        self._release_read()
        try:
            lock = _Lock(
                self.path / f"gen-{generation:06d}.lock",
                exclusive=True,
                advice="it is being read, and a bulk load writes in place; load without "
                "--bulk, or try again when no one is reading",
            )
        except StoreLockedError:
            self._open_current()
            raise
        counts: dict[str, int] = {}
        try:
            writer = ox.Store(str(_gen_dir(self.path, generation)))
            try:
                for number, load in enumerate(loads):
                    writer.remove_graph(ox.NamedNode(load.graph))
                    graphs.pop(load.graph, None)
                    try:
                        _load_graph(writer, load, bulk=True)
                    except BaseException:
                        # Parts of the file may be in: remove them, and list what did load
                        # (the graphs after it are as they were).
                        writer.remove_graph(ox.NamedNode(load.graph))
                        for done in loads[:number]:
                            triples = _count(writer, done.graph)
                            graphs[done.graph] = {"file": done.file, "triples": triples}
                        raise
                clock.lap("load")
                if check is not None:
                    try:
                        check(writer)
                    except BaseException:
                        for load in loads:  # nothing of a refused bulk load stays
                            writer.remove_graph(ox.NamedNode(load.graph))
                        raise
                counts = _finish(writer, loads, clock)
                for load in loads:
                    graphs[load.graph] = {"file": load.file, "triples": counts[load.graph]}
                self._write_indexes(generation, loads, graphs)
            finally:
                del writer
                self._publish(generation, graphs)
        finally:
            lock.release()
            self._open_current()
        clock.lap("publish")
        self.last_load = clock.laps
        return counts
