"""The two parameters the rule queries take from the caller: ``?knownOn`` and ``?lineage``.

``stance-asof``, ``parked``, ``unanswered``, ``reversed`` and the other rule queries read the
record as it was known on a day (``?knownOn``) and treat the bodies linked by body changes as
one family (``?lineage``, see docs/concepts.md, "How the routes divide the work").  A caller
may pass both; when one is left out, :func:`complete` fills it in so that a query named
without them gives the same rows as the Python rules:

- ``knownOn`` left out reads everything in the data (``9999-12-31``);
- ``lineage`` left out is computed from the ``succession`` query's rows on the same data, as
  of ``asOf`` and known by ``knownOn`` (:func:`lineage_param`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx
from rdflib import URIRef

from reviewgraph.vocab.concepts import BodyChangeKind, concept_from_iri

UNBOUNDED = "9999-12-31"
"""The ``knownOn`` that reads everything in the data."""

_BODY_WIDE = {
    BodyChangeKind.RENAMED,
    BodyChangeKind.MERGED_INTO,
    BodyChangeKind.REPLACED_BY,
    BodyChangeKind.SPLIT_INTO,
    BodyChangeKind.FUNCTION_TRANSFERRED_TO,
}


def lineage_param(rows: Iterable[Mapping[str, Any]]) -> str:
    """The ``?lineage`` parameter: bodies linked by body changes, from ``succession`` rows.

    Two bodies are a predecessor and successor of each other as of D when a chain of body-wide
    changes counting at D (and known by K) links them, in either direction (connected
    components).  A change scoped to themes links its bodies only for recommendations tagged
    with one of them (``" T@A|B "``); one scoped only to functions or commitments links none.

    Examples
    --------
    >>> from reviewgraph.vocab.concepts import concept_iri
    >>> row = {"kind": str(concept_iri(BodyChangeKind.MERGED_INTO)), "body": "a", "into": "b",
    ...        "scoped": False, "theme": None}
    >>> lineage_param([row])
    ' a|b b|a '
    >>> lineage_param([{**row, "scoped": True, "theme": "t"}])
    ' t@a|b t@b|a '
    """
    unscoped: nx.Graph = nx.Graph()
    themed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        if row["into"] is None:
            continue
        kind = concept_from_iri(URIRef(row["kind"]), BodyChangeKind)
        if kind not in _BODY_WIDE or row["into"] == row["body"]:
            continue
        if not row["scoped"]:
            unscoped.add_edge(row["body"], row["into"])
        elif row["theme"] is not None:
            themed[row["theme"]].append((row["body"], row["into"]))
    tokens: set[str] = set()
    for part in nx.connected_components(unscoped):
        tokens |= {f"{a}|{b}" for a in part for b in part if a != b}
    for theme, edges in themed.items():
        g = unscoped.copy()
        g.add_edges_from(edges)
        for part in nx.connected_components(g):
            tokens |= {
                f"{theme}@{a}|{b}"
                for a in part
                for b in part
                if a != b and f"{a}|{b}" not in tokens
            }
    return " " + " ".join(sorted(tokens)) + " "


def complete(
    declared: Iterable[str],
    given: Mapping[str, Any],
    succession: Callable[..., list[dict[str, Any]]],
) -> dict[str, Any]:
    """``given`` with ``knownOn`` and ``lineage`` filled in where the query declares them.

    ``succession(**params)`` runs the ``succession`` query on the same data.  Nothing is filled
    in when ``asOf`` is missing (the query's own check then names it).

    Examples
    --------
    >>> complete(["asOf", "knownOn", "lineage"], {"asOf": "2024-01-01"}, lambda **p: [])
    {'asOf': '2024-01-01', 'knownOn': '9999-12-31', 'lineage': '  '}
    >>> complete(["asOf"], {"asOf": "2024-01-01"}, lambda **p: [])
    {'asOf': '2024-01-01'}
    """
    names = set(declared)
    out = dict(given)
    if "knownOn" in names and "knownOn" not in out:
        out["knownOn"] = UNBOUNDED
    if "lineage" in names and "lineage" not in out and "asOf" in out:
        rows = succession(asOf=out["asOf"], knownOn=out.get("knownOn", UNBOUNDED))
        out["lineage"] = lineage_param(rows)
    return out
