"""Parse RDF input (Turtle, N-Triples, JSON-LD) into a dataset without touching the network."""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from .errors import DataError, InputError, Location, ValidationFailed
from .models import Dataset

__all__ = ["parse_rdf"]


def _remote_contexts(value: Any) -> list[str]:
    """Return every context given by reference (a URL) anywhere in a JSON-LD document."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("@context", "@import"):
                contexts = inner if isinstance(inner, list) else [inner]
                found.extend(c for c in contexts if isinstance(c, str))
                found.extend(
                    u for c in contexts if isinstance(c, dict) for u in _remote_contexts(c)
                )
            else:
                found.extend(_remote_contexts(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_remote_contexts(inner))
    return found


def parse_rdf(text: str, format: str, file: str, base: str) -> Dataset:
    """Parse RDF text and read it as a dataset (see :func:`reviewgraph.rdf.from_graph`).

    Raises
    ------
    InputError
        On a syntax error, or a JSON-LD document that names a remote context (which would
        have to be fetched from the network).
    ValidationFailed
        If items in the graph break the model; each problem names the file and item.
    """
    from .rdf import from_graph

    graph = Graph()
    try:
        if format == "json-ld":
            data = json.loads(text)
            remote = _remote_contexts(data)
            if remote:
                raise InputError(
                    f"the JSON-LD names a remote context ({remote[0]}); reviewgraph never "
                    "fetches one: embed the context in the file",
                    Location(file),
                )
            graph.parse(data=json.dumps(data), format="json-ld")
        else:
            graph.parse(data=text, format=format)
    except InputError:
        raise
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", Location(file, exc.lineno)) from None
    except (RecursionError, MemoryError):
        raise InputError(
            "the file is nested too deeply or is too large to parse", Location(file)
        ) from None
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        message = " ".join(str(exc).split())[:300]
        raise InputError(f"{format} syntax error: {message}", Location(file)) from None
    if len(graph) == 0:
        raise InputError("the file holds no triples", Location(file))
    try:
        return from_graph(graph, base)
    except ValidationFailed as exc:
        raise ValidationFailed(
            [DataError(p.message, Location(file), item=p.item) for p in exc.problems]
        ) from None
