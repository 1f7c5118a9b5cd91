"""Project a dataset onto a NetworkX ``MultiDiGraph``.

Nodes are items, keyed by their IRI strings; edges are the references between them, keyed by
the predicate's local name (``answersRecommendation``, ``owner``, ...), plus one edge per link
(``from -> to``, keyed by the link's id, ``type`` the link type's local name: ``repeats``,
``echoes``, ...), per fulfilment (``fulfils``), per blanket stance (``blanketStance``), per
citation (``cites``) and per body change (``body -> resulting body``, ``type``
``bodyChange``, with ``change_kind`` and ``date``).
Every node and edge has a ``type``.

Attributes are only what GraphML and GEXF can hold: strings (dates as ISO strings, a
date-with-precision as ``<field>`` text plus ``<field>_earliest`` and ``<field>_latest``),
booleans and integers, never ``None``; lists are joined with ``"; "``.  Every node has ``id``,
``type`` (the item's class) and ``label`` (its title, name, label or summary; a
recommendation's own label in its review is ``label_in_review``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import networkx as nx

from reviewgraph.models import BodyChange, Dataset, Deliverable, Link, Recommendation, Response
from reviewgraph.rdf.mapping import field_specs
from reviewgraph.rdf.records import Facts, Record, Span, kind_of
from reviewgraph.vocab.concepts import concept_iri
from reviewgraph.vocab.namespaces import BASE_IRI

__all__ = ["LINK_EDGE_TYPES", "to_networkx"]

LINK_EDGE_TYPES = frozenset(
    {"repeats", "echoes", "extends", "implementedBy", "commissioned", "examines"}
)
"""The ``type`` of the edges that links add (``from -> to``)."""

_SKIP = {"id", "citations", "alternatives", "blanket", "fulfils", "former_names"}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _scalar(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def _node_attrs(item: Any, label: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"id": item.id, "type": kind_of(item).__name__, "label": label}
    for name in item.fields:
        if name in _SKIP:
            continue
        value = getattr(item, name)
        key = name.rstrip("_")
        if key == "label" and kind_of(item) is Recommendation:
            key = "label_in_review"  # ``label`` is the human label of every node
        if value is None or value == ():
            continue
        if isinstance(value, Span):
            attrs[key] = value.text
            attrs[f"{key}_earliest"] = value.earliest.isoformat()
            attrs[f"{key}_latest"] = value.latest.isoformat()
        elif isinstance(value, tuple):
            attrs[key] = "; ".join(str(_scalar(v)) for v in value)
        elif isinstance(value, Record):
            continue
        else:
            attrs[key] = _scalar(value)
    sources = [c.source for c in getattr(item, "citations", ()) or ()]
    if sources:
        attrs["sources"] = "; ".join(sorted(set(sources)))
    return attrs


def _label(item: Any) -> str:
    if kind_of(item) is Recommendation:
        return f"{item.review} recommendation {item.label}"
    for name in ("title", "name", "label", "summary"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            return value
    return str(item.id)


def to_networkx(dataset: Dataset | Facts, base: str = BASE_IRI) -> nx.MultiDiGraph:
    """Project a dataset onto a ``networkx.MultiDiGraph`` keyed by IRI strings.

    Parameters
    ----------
    dataset : Dataset
        The items to project.
    base : str
        The IRI base of identifiers.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by IRI with ``id``, ``type`` and ``label`` attributes; typed edges.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> g = to_networkx(demo_dataset())
    >>> later = "https://w3id.org/reviewgraph/id/demo-2020/1"
    >>> [(k, d["type"]) for _, _, k, d in g.out_edges(later, keys=True, data=True)
    ...  if d["type"] == "repeats"]
    [('demo-link', 'repeats')]
    >>> g.nodes[later]["type"], g.nodes[later]["review"]
    ('Recommendation', 'demo-2020')
    """
    if isinstance(dataset, Dataset):
        dataset = Facts.from_dataset(dataset)
    graph = nx.MultiDiGraph()
    for item in dataset.items():
        graph.add_node(base + item.id, **_node_attrs(item, _label(item)))

    def edge(u: str, v: str, key: str, edge_type: str, **attrs: Any) -> None:
        clean = {k: _scalar(a) for k, a in attrs.items() if a is not None}
        for end in (u, v):
            if end not in graph:
                graph.add_node(end, id=end.removeprefix(base), type="Unknown", label=end)
        graph.add_edge(u, v, key=key, type=edge_type, **clean)

    for item in dataset.items():
        u = base + item.id
        kind = kind_of(item)
        for spec in field_specs(kind):
            if spec.kind != "ref":
                continue
            value = getattr(item, spec.name)
            for ref in value if spec.many else (value,) if value is not None else ():
                name = _local(str(spec.iri))
                edge(u, base + ref, name, name)
        for i, cite in enumerate(getattr(item, "citations", ()) or ()):
            edge(
                u,
                base + cite.source,
                f"cites/{i}",
                "cites",
                locator=cite.locator,
                accessed=cite.accessed,
            )
        if kind is Link:
            name = _local(str(concept_iri(item.type)))
            edge(
                base + item.from_,
                base + item.to,
                item.id,
                name,
                link=item.id,
                basis=item.basis.value,
                rationale=item.rationale,
            )
        elif kind is Deliverable:
            for f in item.fulfils:
                edge(u, base + f.commitment, "fulfils", "fulfils", degree=f.degree.value)
        elif kind is Response:
            for b in item.blanket:
                edge(
                    u,
                    base + b.review,
                    f"blanketStance/{b.review}",
                    "blanketStance",
                    stance=b.stance.value,
                )
        elif kind is BodyChange:
            for target in item.into:
                edge(
                    base + item.body,
                    base + target,
                    item.id,
                    "bodyChange",
                    change=item.id,
                    change_kind=item.kind.value,
                    date=item.date.text,
                    date_earliest=item.date.earliest,
                    date_latest=item.date.latest,
                )
    return graph
