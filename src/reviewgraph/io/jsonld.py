"""JSON-LD that reads as plain JSON: reviews, then recommendations, then their stances,
commitments (with due dates and status claims), nested, with short keys.

:func:`framed_jsonld` turns the flat, compacted form (one ``@graph`` of nodes, which
``export --format jsonld --flat`` still writes) into a tree:

- ``reviews[]`` holds each review; under it ``recommendations[]``; under each recommendation
  ``stances[]``, ``commitments[]`` and ``status_claims[]``; under each commitment
  ``due_dates[]`` and ``status_claims[]``.  These keys are ``@reverse`` terms (a
  recommendation's ``rg:partOf`` its review, and so on), so nesting adds no triple;
- everything else sits at the top in one list per kind (``bodies``, ``people``, ``sources``,
  ``responses``, ``deliverables``, ...), keys that alias ``@included``;
- dates, citations and other blank nodes are embedded where they are used;
- concepts read as words: ``"status": "delivered"``, ``"stance": "accepted"``,
  ``"role": "owner"`` (terms typed ``@vocab``, with a context scoped to each property).

So ``jq '.reviews[].recommendations[].commitments[].status_claims[] | select(.status ==
"delivered")'`` works, and a JSON-LD processor reads the same triples as from the flat form.
The context (:func:`framed_context`) is published as ``ontology/context-framed.jsonld``.
A commitment answering two recommendations appears under each (the same node twice; its
embedded blank nodes then keep their ``_:`` ids, so they stay one node each).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from reviewgraph.vocab.constants import BASE_IRI

__all__ = ["CONCEPT_KEYS", "NESTING", "TOP_LEVEL", "framed_context", "framed_jsonld"]

NESTING: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Recommendation", "partOf", "recommendations", ("Review",)),
    ("Stance", "recommendation", "stances", ("Recommendation",)),
    ("Commitment", "answersRecommendation", "commitments", ("Recommendation",)),
    ("DueDateStatement", "dueFor", "due_dates", ("Commitment",)),
    ("StatusClaim", "claimAbout", "status_claims", ("Commitment", "Recommendation")),
)
"""How nodes nest: (the child's type, its property naming the parent, the key under the
parent, the parent types)."""

TOP_LEVEL: dict[str, str] = {
    "Review": "reviews",
    "Body": "bodies",
    "BodyChange": "body_changes",
    "Person": "people",
    "Theme": "themes",
    "Source": "sources",
    "Response": "responses",
    "Deliverable": "deliverables",
    "Link": "links",
    "Commitment": "standalone_commitments",
}
"""The top-level key of each kind not nested (anything else goes under ``other``)."""

CONCEPT_KEYS: dict[str, str] = {
    "statusValue": "status",
    "stanceValue": "stance",
    "assessorRole": "role",
}
"""Concept-valued terms of the flat context given a shorter key in the framed form (the
others keep their names)."""


def _concept_terms() -> dict[str, type[StrEnum]]:
    """Each concept-valued predicate's term in the flat context, with its enum."""
    from reviewgraph.models import ITEM_TYPES, AlternativeClaim, Citation, Node
    from reviewgraph.rdf.mapping import field_specs

    found: dict[str, type[StrEnum]] = {}
    seen: set[type[Node]] = set()
    todo: list[type[Node]] = [*ITEM_TYPES.values(), Citation, AlternativeClaim]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for spec in field_specs(model):
            target = spec.target
            if isinstance(target, type) and issubclass(target, StrEnum):
                found[str(spec.iri).rsplit("#", 1)[-1]] = target
            elif isinstance(target, type) and issubclass(target, Node):
                todo.append(target)
    return dict(sorted(found.items()))


def _flat_context() -> dict[str, Any]:
    from reviewgraph.vocab.resources import ontology_file

    text = ontology_file("context.jsonld").read_text(encoding="utf-8")
    context: dict[str, Any] = json.loads(text)["@context"]
    return context


def framed_context(base: str = BASE_IRI) -> dict[str, Any]:
    """Return the context of the framed form: the flat context's terms, ``rgid`` (the base
    of item IRIs), the nesting and top-level keys, and the concept terms.

    Examples
    --------
    >>> context = framed_context()
    >>> context["recommendations"], context["bodies"], context["rgid"]
    ({'@reverse': 'rg:partOf', '@container': '@set'}, '@included', 'https://w3id.org/reviewgraph/id/')
    >>> context["status"]["@type"], context["status"]["@context"]["delivered"]
    ('@vocab', 'rg:Delivered')
    """
    from reviewgraph.vocab.concepts import concept_iri

    context = {"@version": 1.1, **_flat_context(), "rgid": base}
    for _, forward, key, _ in NESTING:
        context[key] = {"@reverse": context[forward]["@id"], "@container": "@set"}
    for key in [*TOP_LEVEL.values(), "other"]:
        context[key] = "@included"
    for term, enum in _concept_terms().items():
        words = {m.value: "rg:" + str(concept_iri(m)).rsplit("#", 1)[-1] for m in enum}
        context[CONCEPT_KEYS.get(term, term)] = {
            "@id": context[term]["@id"],
            "@type": "@vocab",
            "@context": dict(sorted(words.items())),
        }
        if term in CONCEPT_KEYS:
            del context[term]
    return {k: context[k] for k in sorted(context)}


def _expand(value: str, prefixes: dict[str, str]) -> str:
    head, sep, tail = value.partition(":")
    if sep and head in prefixes and not tail.startswith("//"):
        return prefixes[head] + tail
    return value


def _short(value: Any, base: str) -> Any:
    if isinstance(value, list):
        return [_short(v, base) for v in value]
    if isinstance(value, dict) and set(value) == {"id"}:
        return {"id": _short(value["id"], base)}
    if isinstance(value, str) and value.startswith(base) and len(value) > len(base):
        return "rgid:" + value[len(base) :]
    return value


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and set(item) == {"id"}:
            out.append(item["id"])
    return out


def framed_jsonld(flat: dict[str, Any], base: str = BASE_IRI) -> dict[str, Any]:
    """Return the framed form of a flat compacted document (``@context`` and ``@graph``, as
    the flat export writes it).

    Examples
    --------
    >>> from reviewgraph.io.export import export_dataset
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> flat = json.loads(export_dataset(demo_dataset(), "jsonld", flat=True))
    >>> doc = framed_jsonld(flat)
    >>> [r["id"] for r in doc["reviews"]]
    ['rgid:demo-2010', 'rgid:demo-2020']
    >>> rec = doc["reviews"][0]["recommendations"][0]
    >>> rec["id"], rec["stances"][0]["stance"], [c["id"] for c in rec["commitments"]]
    ('rgid:demo-2010/4', 'accepted', ['rgid:demo-old-pledge'])
    >>> pledge = doc["reviews"][1]["recommendations"][0]["commitments"][0]
    >>> pledge["id"], [k["status"] for k in pledge["status_claims"]]
    ('rgid:demo-pledge', ['in-progress'])
    """
    context = framed_context(base)
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    nodes: list[dict[str, Any]] = [dict(n) for n in flat.get("@graph", [])]
    if not nodes and "@graph" not in flat:
        nodes = [{k: v for k, v in flat.items() if k != "@context"}]
    refs = {k for k, v in context.items() if isinstance(v, dict) and v.get("@type") == "@id"}
    for n in nodes:  # item IRIs as rgid: everywhere (rdflib leaves those with a "/" long)
        for k, v in n.items():
            if k == "id" or k in refs:
                n[k] = _short(v, base)
    by_id = {_expand(n["id"], prefixes): n for n in nodes if "id" in n}
    types = {key: n.get("type") for key, n in by_id.items()}
    # concepts as words
    words: dict[str, dict[str, str]] = {}
    for term, enum in _concept_terms().items():
        from reviewgraph.vocab.concepts import concept_iri

        words[term] = {"rg:" + str(concept_iri(m)).rsplit("#", 1)[-1]: m.value for m in enum}
        words[term].update({str(concept_iri(m)): m.value for m in enum})
    for n in nodes:
        for term in [t for t in n if t in words]:
            values = n.pop(term)
            named = [
                words[term].get(v, v) for v in (values if isinstance(values, list) else [values])
            ]
            n[CONCEPT_KEYS.get(term, term)] = named if isinstance(values, list) else named[0]
    # nesting
    placed: dict[str, int] = {}
    for child_type, forward, key, parent_types in NESTING:
        for n in nodes:
            if n.get("type") != child_type or forward not in n:
                continue
            parents = [_expand(r, prefixes) for r in _refs(n[forward])]
            if not parents or any(types.get(p) not in parent_types for p in parents):
                continue
            del n[forward]
            for p in parents:
                by_id[p].setdefault(key, []).append(n)
            placed[_expand(n["id"], prefixes)] = len(parents)
    for n in nodes:  # every nesting key present, if empty, so that paths always iterate
        for _, _, key, parent_types in NESTING:
            if n.get("type") in parent_types:
                n.setdefault(key, [])
    # blank nodes embedded where they are used
    blank = {n["id"]: n for n in nodes if str(n.get("id", "")).startswith("_:")}

    uses: dict[str, int] = {}
    for n in nodes:
        for ref in _blank_refs(list(n.values())):
            uses[ref] = uses.get(ref, 0) + 1

    def embed(value: Any, keep_ids: bool) -> Any:
        if isinstance(value, list):
            return [embed(v, keep_ids) for v in value]
        if isinstance(value, dict):
            if set(value) == {"id"} and value["id"] in blank:
                inner = blank[value["id"]]
                keep = keep_ids or uses.get(value["id"], 0) > 1
                out = {k: embed(v, keep) for k, v in inner.items() if k != "id"}
                return {"id": value["id"], **out} if keep else out
            node_id = value.get("id")
            keep = keep_ids or placed.get(_expand(str(node_id), prefixes), 1) > 1
            return {k: embed(v, keep) for k, v in value.items()}
        return value

    referenced = set(uses)
    doc: dict[str, Any] = {}
    for n in sorted(nodes, key=lambda n: str(n.get("id", ""))):
        node_id = str(n.get("id", ""))
        if _expand(node_id, prefixes) in placed or (node_id in blank and node_id in referenced):
            continue
        key = TOP_LEVEL.get(str(n.get("type")), "other")
        doc.setdefault(key, []).append(n)
    for key in list(doc):
        doc[key] = [embed(n, False) for n in doc[key]]
    for nodes_under in _nested_lists(doc):
        nodes_under.sort(key=lambda n: str(n.get("id", "")))
    return {"@context": context, **dict(sorted(doc.items()))}


def _blank_refs(value: Any) -> list[str]:
    if isinstance(value, list):
        return [r for v in value for r in _blank_refs(v)]
    if isinstance(value, dict) and set(value) == {"id"} and str(value["id"]).startswith("_:"):
        return [value["id"]]
    return []


def _nested_lists(value: Any) -> list[list[dict[str, Any]]]:
    """Every list of nested nodes (under a nesting key), to sort them by id."""
    keys = {key for _, _, key, _ in NESTING}
    out: list[list[dict[str, Any]]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if k in keys and isinstance(v, list):
                    out.append(v)
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return out
