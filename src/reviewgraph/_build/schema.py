"""A JSON Schema of the YAML authoring format, built from the models (for editor completion)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from reviewgraph import models

__all__ = ["SCHEMA_ID", "authoring_schema"]

SCHEMA_ID = "https://w3id.org/reviewgraph/authoring/0.1.0/schema.json"
"""The identifier of the published authoring schema (versioned with the ontology)."""

_MODELS = (
    models.Body,
    models.BodyChange,
    models.Commitment,
    models.Deliverable,
    models.DueDateStatement,
    models.Election,
    models.Link,
    models.Person,
    models.Recommendation,
    models.Response,
    models.Review,
    models.Source,
    models.Stance,
    models.StatusClaim,
    models.Theme,
)


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _nested(defs: dict[str, Any], parent: str, key: str, child: str, drop: str) -> None:
    """Let ``parent`` hold a list of ``child`` under ``key``, without the back-reference."""
    child_schema = dict(defs[child])
    props = {k: v for k, v in child_schema["properties"].items() if k != drop}
    nested_name = f"{child}In{parent}"
    defs[nested_name] = {
        **child_schema,
        "properties": props,
        "required": [r for r in child_schema.get("required", []) if r not in (drop, "id")],
    }
    defs[parent]["properties"][key] = {"type": "array", "items": _ref(nested_name)}


def _as_authored(defs: dict[str, Any]) -> None:
    """Describe values as a YAML file gives them, not as the models hold them, so that every
    document the loader accepts validates: a date is written as text (``2024-03``, ``summer
    2024``, ``2024/25``), and a concept by its notation or by any label the vocabulary maps
    to it (``to be considered``, ``Accepted in principle``, a tracker's own label)."""
    from reviewgraph.vocab.concepts import SCHEMES

    defs["DateRange"] = {
        "anyOf": [
            {
                "type": "string",
                "description": "A date as written: 2024-03-31, 2024-03, 2024, March 2024, "
                "summer 2024, Q1 2024, 2024/25, with an optional leading 'by'.",
            },
            {"type": "integer", "description": "A year (2024), as YAML reads it unquoted."},
            defs["DateRange"],
        ]
    }
    defs["ConceptLabel"] = {
        "type": "string",
        "description": "A label the vocabulary maps to a concept (any case, spaces or dashes; "
        "other trackers' labels included): reviewgraph validate checks it.",
    }
    # every enumeration of the models is a concept scheme's (or a closed list's) notations
    enums = {name for name, d in defs.items() if "enum" in d} | {e.__name__ for e in SCHEMES}
    concepts = {f"#/$defs/{name}" for name in enums}

    def widen(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") in concepts:
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**rest, "anyOf": [_ref(node["$ref"][8:]), _ref("ConceptLabel")]}
            return {k: widen(v) for k, v in node.items()}
        if isinstance(node, list):
            return [widen(v) for v in node]
        return node

    for name in list(defs):
        if name not in enums:
            defs[name] = widen(defs[name])
    # links, body changes and status claims get an id from their fields when they give none
    for name in ("Link", "BodyChange", "StatusClaim"):
        defs[name]["required"] = [r for r in defs[name].get("required", []) if r != "id"]


def authoring_schema() -> dict[str, Any]:
    """Return the JSON Schema of one YAML authoring file.

    Examples
    --------
    >>> schema = authoring_schema()
    >>> sorted(schema["properties"])[:3]
    ['bodies', 'body_changes', 'commitments']
    """
    _, top = models_json_schema([(m, "validation") for m in _MODELS], by_alias=True)
    defs: dict[str, Any] = top["$defs"]
    for definition in defs.values():
        for prop in definition.get("properties", {}).values():
            # every scalar is written as text in YAML and parsed by reviewgraph
            prop.pop("format", None)
    _as_authored(defs)
    _nested(defs, "Review", "recommendations", "Recommendation", "review")
    _nested(defs, "Response", "stances", "Stance", "response")
    _nested(defs, "Commitment", "due_dates", "DueDateStatement", "commitment")
    _nested(defs, "Commitment", "status", "StatusClaim", "about")
    for name in ("Review", "Response", "Commitment"):
        defs[name]["additionalProperties"] = False
    listed = {
        "sources": "Source",
        "bodies": "Body",
        "people": "Person",
        "themes": "Theme",
        "reviews": "Review",
        "responses": "Response",
        "commitments": "Commitment",
        "status_claims": "StatusClaim",
        "deliverables": "Deliverable",
        "links": "Link",
        "body_changes": "BodyChange",
        "elections": "Election",
    }
    properties: dict[str, Any] = {k: {"type": "array", "items": _ref(v)} for k, v in listed.items()}
    properties["review"] = _ref("Review")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "reviewgraph YAML authoring file",
        "type": "object",
        "additionalProperties": False,
        "properties": dict(sorted(properties.items())),
        "$defs": dict(sorted(defs.items())),
    }
