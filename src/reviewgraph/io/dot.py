"""DOT for Graphviz that a person can read: the story, not every triple.

The drawing keeps recommendations, commitments and deliverables (sources, citations,
bodies, people and claims would make a hairball), groups them in one cluster per review,
ranks them left to right by year, draws what answers, fulfils, supersedes, repeats or echoes
what, wraps labels to fit, and adds a legend.  ``around=ID`` keeps only the items within
``depth`` steps of ID (through those relations, in either direction).
"""

from __future__ import annotations

import itertools
import textwrap
from collections import defaultdict, deque
from typing import Any

__all__ = ["DRAWN_TYPES", "EDGE_STYLES", "dot_text"]

DRAWN_TYPES = {"Recommendation": "box", "Commitment": "ellipse", "Deliverable": "note"}
"""The item types drawn, with their node shapes."""

EDGE_STYLES = {
    "answersRecommendation": ("answers", "solid"),
    "fulfils": ("fulfils", "bold"),
    "supersededBy": ("superseded by", "dashed"),
    "repeats": ("repeats", "dashed"),
    "echoes": ("echoes", "dotted"),
    "extends": ("extends", "dotted"),
    "implementedBy": ("implemented by", "bold"),
}
"""The relations drawn, with their edge labels and styles."""


def _quote(value: Any) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(text: str, width: int = 28, lines: int = 3) -> str:
    """Wrap a label into at most ``lines`` lines of ``width`` characters (DOT ``\\n``).

    Examples
    --------
    >>> _wrap("a b c", 3)
    'a b\\\\nc'
    """
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], textwrap.shorten(" ".join(parts[lines - 1 :]), width)]
    return "\\n".join(p.replace("\\", "\\\\").replace('"', '\\"') for p in parts)


def _year(attrs: dict[str, Any], review_year: dict[str, str]) -> str | None:
    for name in ("made_on_earliest", "date_earliest"):
        if attrs.get(name):
            return str(attrs[name])[:4]
    review = attrs.get("review")
    return review_year.get(str(review)) if review else None


def dot_text(graph: Any, around: str | None = None, depth: int = 2, base: str = "") -> bytes:
    """Write a projection as readable DOT.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection (:func:`~reviewgraph.io.projection.to_networkx`).
    around : str, optional
        An item id (or IRI): draw only its neighbourhood.
    depth : int
        The neighbourhood's radius in steps.
    base : str
        The IRI base, to accept a bare id for ``around``.

    Raises
    ------
    LookupError
        If ``around`` is not an item drawn.

    Examples
    --------
    >>> from reviewgraph.io.projection import to_networkx
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> text = dot_text(to_networkx(demo_dataset())).decode()
    >>> "subgraph cluster_review_0" in text, "cluster_legend" in text
    (True, True)
    """
    nodes = {n: a for n, a in graph.nodes(data=True) if a.get("type") in DRAWN_TYPES}
    edges = [
        (u, v, str(a.get("type")))
        for u, v, a in graph.edges(data=True)
        if u in nodes and v in nodes and a.get("type") in EDGE_STYLES
    ]
    if around is not None:
        start = around if around in nodes else base + around
        if start not in nodes:
            raise LookupError(f"no recommendation, commitment or deliverable with id {around!r}")
        near: dict[str, set[str]] = defaultdict(set)
        for u, v, _ in edges:
            near[u].add(v)
            near[v].add(u)
        seen = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if seen[node] >= depth:
                continue
            for other in sorted(near[node]):
                if other not in seen:
                    seen[other] = seen[node] + 1
                    queue.append(other)
        nodes = {n: a for n, a in nodes.items() if n in seen}
        edges = [(u, v, k) for u, v, k in edges if u in nodes and v in nodes]
    reviews = {str(a.get("id")): a for _, a in graph.nodes(data=True) if a.get("type") == "Review"}
    review_year = {r: str(a.get("published_earliest", ""))[:4] for r, a in reviews.items()}
    review_of: dict[str, str] = {}
    for n, a in nodes.items():
        if a.get("type") == "Recommendation":
            review_of[n] = str(a.get("review", ""))
    for u, v, kind in edges:  # a commitment sits with the first review it answers
        if kind == "answersRecommendation" and u not in review_of and v in review_of:
            review_of[u] = review_of[v]
    for u, v, kind in edges:
        if kind == "fulfils" and u not in review_of and v in review_of:
            review_of[u] = review_of[v]
    years: dict[str, list[str]] = defaultdict(list)
    lines = [
        "digraph reviewgraph {",
        "  rankdir=LR; compound=true; nodesep=0.25; ranksep=0.6;",
        '  node [fontname="Helvetica", fontsize=10, margin="0.08,0.04"];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    clusters: dict[str, list[str]] = defaultdict(list)
    for n in sorted(nodes):
        clusters[review_of.get(n, "")].append(n)
    for i, review in enumerate(sorted(clusters, key=lambda r: (review_year.get(r, ""), r))):
        members = clusters[review]
        if review:
            title = str(reviews.get(review, {}).get("label", review))
            lines.append(f"  subgraph cluster_review_{i} {{")
            lines.append(
                f'    label="{_wrap(title, 40, 2)}\\n({review})"; style="rounded"; '
                'color="#888888"; fontname="Helvetica"; fontsize=11;'
            )
        for n in members:
            a = nodes[n]
            kind = str(a.get("type"))
            label = _wrap(str(a.get("label", n)))
            year = _year(a, review_year)
            if year:
                years[year].append(n)
            shown = f"{label}\\n{year}" if year else label
            tooltip = f"{kind} {a.get('id', n)}"
            lines.append(
                f'    {_quote(n)} [shape={DRAWN_TYPES[kind]}, label="{shown}", '
                f"tooltip={_quote(tooltip)}];"
            )
        if review:
            lines.append("  }")
    for u, v, kind in sorted(edges):
        text, style = EDGE_STYLES[kind]
        # the years alone rank the items (links run back in time, so edges cannot)
        lines.append(
            f'  {_quote(u)} -> {_quote(v)} [label="{text}", style={style}, constraint=false];'
        )
    ordered = sorted(years)
    for year in ordered:
        lines.append(f'  "year {year}" [shape=plaintext, label="{year}", fontsize=12];')
        # each item one rank after its year's label: the drawing reads left to right in time
        lines.extend(f'  "year {year}" -> {_quote(n)} [style=invis];' for n in years[year])
    for a, b in itertools.pairwise(ordered):
        lines.append(f'  "year {a}" -> "year {b}" [style=invis];')
    lines += [
        "  subgraph cluster_legend {",
        '    label="Legend"; style="rounded"; color="#888888"; fontname="Helvetica";',
        '    "legend recommendation" [shape=box, label="recommendation"];',
        '    "legend commitment" [shape=ellipse, label="commitment"];',
        '    "legend deliverable" [shape=note, label="deliverable"];',
        '    "legend recommendation" -> "legend commitment" '
        '[dir=back, label="answers", style=solid];',
        '    "legend commitment" -> "legend deliverable" [dir=back, label="fulfils", style=bold];',
        '    "legend earlier" [shape=box, label="earlier recommendation"];',
        '    "legend later" [shape=box, label="later recommendation"];',
        '    "legend later" -> "legend earlier" [label="repeats (dashed) / echoes (dotted)", '
        "style=dashed];",
        "  }",
        "}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
