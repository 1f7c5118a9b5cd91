"""A JSON Schema of the YAML authoring format, built from the models (for editor completion)."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from reviewgraph.models import Body, BodyChange, Commitment, Deliverable, DueDateStatement, Election, Link, Person, Recommendation, Response, Review, Source, Stance, StatusClaim, Theme

__all__ = ["SCHEMA_ID", "authoring_schema"]

SCHEMA_ID = "https://w3id.org/reviewgraph/authoring/0.1.0/schema.json"
"""The identifier of the published authoring schema (versioned with the ontology)."""

_MODELS = (
    Body,
    BodyChange,
    Commitment,
    Deliverable,
    DueDateStatement,
    Election,
    Link,
    Person,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
    Theme,
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
