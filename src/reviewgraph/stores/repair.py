"""Inspect and recover an on-disk store (``reviewgraph store check`` / ``store repair``).

A store's folder holds numbered generations; ``store.json`` names the current one, and each
completed generation has a *seal* beside it (``gen-000003.json``, its own copy of the
manifest, written before the manifest names it).  :func:`check_store` reports what is there
and what is wrong; :func:`repair_store` writes a new manifest naming the newest sealed
generation that opens (or the one asked for), under the write lock.  Neither removes
anything: the next load collects the generations left behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from reviewgraph.stores.base import StoreError, StoreNotFoundError
from reviewgraph.stores.generations import (
    _FORMAT,
    _MANIFEST,
    StoreDamagedError,
    _gen_dir,
    _Lock,
    _write_json,
    generations,
    read_manifest,
    read_seal,
)

__all__ = ["GenerationState", "StoreCheck", "check_store", "repair_store"]


@dataclass(frozen=True)
class GenerationState:
    """One generation folder: whether it is sealed, whether it opens, what it holds."""

    number: int
    sealed: bool
    opens: bool
    graphs: dict[str, int]
    error: str = ""

    @property
    def triples(self) -> int:
        """The triples in every graph of the generation."""
        return sum(self.graphs.values())


@dataclass
class StoreCheck:
    """What :func:`check_store` found: the manifest's generation (``None`` if unreadable),
    each generation folder, and the problems (none for a healthy store)."""

    path: Path
    current: int | None
    generations: list[GenerationState]
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report, one line each."""
        current = "none" if self.current is None else str(self.current)
        out = [f"store {self.path}: {_MANIFEST} names generation {current}"]
        for g in self.generations:
            mark = "current" if g.number == self.current else ("sealed" if g.sealed else "unsealed")
            what = (
                f"{len(g.graphs)} graph(s), {g.triples} triple(s)"
                if g.opens
                else f"cannot be opened: {g.error}"
            )
            out.append(f"  generation {g.number}: {mark}, {what}")
        out += [f"  problem: {p}" for p in self.problems]
        out.append("healthy" if self.healthy else f"damaged: {len(self.problems)} problem(s)")
        return out


def _inspect(root: Path, number: int) -> GenerationState:
    sealed = read_seal(root, number) is not None
    try:
        store = ox.Store.read_only(str(_gen_dir(root, number)))
        counts: dict[str, int] = {}
        for graph in store.named_graphs():
            if isinstance(graph, ox.NamedNode):
                counts[graph.value] = sum(
                    1 for _ in store.quads_for_pattern(None, None, None, graph)
                )
        del store
    except OSError as exc:
        return GenerationState(number, sealed, False, {}, " ".join(str(exc).split())[:200])
    return GenerationState(number, sealed, True, dict(sorted(counts.items())))


def check_store(path: Path) -> StoreCheck:
    """Inspect the store at ``path`` without changing it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reviewgraph.io.store import load_files
    >>> from reviewgraph.stores import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.yaml").write_text("bodies:\\n  - id: dhsc\\n    name: DHSC\\n")
    >>> with open_store(f"oxigraph:{folder / 'st'}", writable=True) as store:
    ...     _ = load_files(store, [folder / "b.yaml"])
    >>> check_store(folder / "st").healthy
    True
    >>> (folder / "st" / "store.json").unlink()
    >>> check_store(folder / "st").problems
    ['store.json is missing']
    """
    if not path.is_dir():
        raise StoreNotFoundError(f"no reviewgraph store at {path}")
    problems: list[str] = []
    current: int | None
    try:
        manifest = read_manifest(path)
        current = int(manifest["generation"])
    except StoreDamagedError as exc:
        problems.append(exc.what)
        current = None
    states = [_inspect(path, n) for n in generations(path)]
    numbers = {g.number for g in states}
    if current:
        if current not in numbers:
            problems.append(f"{_MANIFEST} names generation {current}, which is missing")
        else:
            state = next(g for g in states if g.number == current)
            if not state.opens:
                problems.append(f"generation {current} cannot be opened: {state.error}")
            elif manifest_counts(manifest) != state.graphs:
                problems.append(f"{_MANIFEST} does not list the graphs generation {current} holds")
        newer = [g.number for g in states if g.sealed and g.number > current]
        if newer:
            problems.append(
                f"generation {max(newer)} is complete and newer than the current one "
                f"({current}): the manifest is stale, or a load was stopped while publishing"
            )
    return StoreCheck(path, current, states, problems)


def manifest_counts(manifest: dict[str, Any]) -> dict[str, int]:
    """Each graph the manifest lists, with its number of triples."""
    graphs = manifest.get("graphs", {})
    return {name: int(info["triples"]) for name, info in sorted(graphs.items())}


def repair_store(path: Path, generation: int | None = None) -> str:
    """Make ``store.json`` name the newest sealed generation that opens, or ``generation``.

    Returns a one-line account of what was done.  Nothing is removed.

    Raises
    ------
    StoreError
        If no generation can be recovered (the message says what is there), or the one
        asked for is missing or does not open.
    StoreLockedError
        If another process is loading into the store.
    """
    if not path.is_dir():
        raise StoreNotFoundError(f"no reviewgraph store at {path}")
    lock = _Lock(path / "write.lock", exclusive=True)
    try:
        found = check_store(path)
        states = {g.number: g for g in found.generations}
        if generation is not None:
            chosen = states.get(generation)
            if chosen is None:
                raise StoreError(f"the store at {path} has no generation {generation}")
            if not chosen.opens:
                raise StoreError(f"generation {generation} cannot be opened: {chosen.error}")
        else:
            usable = [g for g in found.generations if g.sealed and g.opens]
            if not usable:
                listing = ", ".join(
                    f"{g.number} ({g.triples} triples)" for g in found.generations if g.opens
                )
                raise StoreError(
                    f"the store at {path} has no complete (sealed) generation to recover from"
                    + (
                        f"; unsealed generations that open: {listing}; adopt one with "
                        "'reviewgraph store repair PATH --generation N' after checking it"
                        if listing
                        else ""
                    )
                )
            chosen = usable[-1]
        seal = read_seal(path, chosen.number)
        if seal is not None and manifest_counts(seal) == chosen.graphs:
            graphs = seal["graphs"]
        else:  # no seal, or one that does not match: count what is there; files unknown
            known = seal["graphs"] if seal is not None else {}
            graphs = {
                name: {"file": str(known.get(name, {}).get("file", "")), "triples": n}
                for name, n in chosen.graphs.items()
            }
        manifest = {"format": _FORMAT, "version": 1, "generation": chosen.number, "graphs": graphs}
        _write_json(path, path / _MANIFEST, manifest)
        _rebuild_indexes(path, chosen.number)
    finally:
        lock.release()
    return (
        f"repaired {path}: {_MANIFEST} names generation {chosen.number} "
        f"({len(graphs)} graph(s), {chosen.triples} triple(s))"
    )


def _rebuild_indexes(path: Path, generation: int) -> None:
    """A generation's analysis index lives beside it (``index/gen-N``) and is kept by the
    repair; a graph whose index is lost is read through its triples, with the same answer."""
