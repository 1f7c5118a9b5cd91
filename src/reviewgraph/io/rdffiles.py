"""Parse RDF input (Turtle, N-Triples, JSON-LD) into a dataset without touching the network."""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import Graph, URIRef

from reviewgraph.errors import DataError, InputError, Location, ValidationFailed
from reviewgraph.models import Dataset

__all__ = ["parse_rdf"]

_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
"""A character an IRI may not hold (RDF 1.1); JSON-LD lets such text through as an IRI."""


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
    """Parse RDF text and read it as a dataset (see :func:`reviewgraph.rdf.mapping.from_graph`).

    Raises
    ------
    InputError
        On a syntax error, or a JSON-LD document that names a remote context (which would
        have to be fetched from the network).
    ValidationFailed
        If items in the graph break the model; each problem names the file and item.
    """
    from reviewgraph.rdf.mapping import from_graph

    graph = Graph()
    try:
        if format == "json-ld":
            data = json.loads(text)
            if not isinstance(data, dict | list):
                raise InputError(
                    "a JSON-LD document must be a JSON object or array", Location(file, 1)
                )
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
        line = _error_line(exc, text, format)
        why = getattr(exc, "_why", None)  # rdflib's Turtle parser keeps the bare reason
        message = " ".join(str(why if isinstance(why, str) else exc).split())[:300]
        raise InputError(f"{format} syntax error: {message}", Location(file, line)) from None
    if len(graph) == 0:
        raise InputError("the file holds no triples", Location(file))
    bad_iri = next(
        (t for triple in graph for t in triple if isinstance(t, URIRef) and _NOT_IRI.search(t)),
        None,
    )
    if bad_iri is not None:
        shown = str(bad_iri) if len(bad_iri) <= 80 else str(bad_iri)[:77] + "..."
        raise InputError(f"{shown!r} is not a valid IRI", Location(file))
    ill_typed = _ill_typed(graph, base)
    if ill_typed:
        raise ValidationFailed([DataError(m, Location(file), item=i) for i, m in ill_typed])
    try:
        return from_graph(graph, base)
    except ValidationFailed as exc:
        raise ValidationFailed(
            [DataError(p.message, Location(file), item=p.item) for p in exc.problems]
        ) from None


def _ill_typed(graph: Graph, base: str) -> list[tuple[str | None, str]]:
    """Each literal whose text does not fit its datatype (``"x"^^xsd:date``, an ill-formed
    ``rdf:XMLLiteral``), with the item it belongs to."""
    from rdflib import Literal, URIRef

    found: list[tuple[str | None, str]] = []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.ill_typed:
            item = str(s).removeprefix(base) if isinstance(s, URIRef) else None
            text = str(o) if len(str(o)) <= 60 else str(o)[:57] + "..."
            # rdflib rewrites an ill-typed boolean's text as 'false': do not quote it then
            shown = "the value" if _short(o) == "xsd:boolean" else repr(text)
            found.append((item, f"{_curie(p)}: {shown} is not a valid {_short(o)}"))
            if len(found) >= 20:
                break
    return found


def _curie(iri: Any) -> str:
    """An IRI with the project's prefixes (``rg:published``), else in angle brackets."""
    from reviewgraph.vocab.namespaces import PREFIXES

    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)) and text != str(namespace):
            return f"{prefix}:{text.removeprefix(str(namespace))}"
    return f"<{text}>"


def _short(literal: Any) -> str:
    datatype = str(literal.datatype)
    for prefix, short in (
        ("http://www.w3.org/2001/XMLSchema#", "xsd:"),
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:"),
    ):
        if datatype.startswith(prefix):
            return short + datatype.removeprefix(prefix)
    return f"<{datatype}>"


def _error_line(exc: Exception, text: str, format: str) -> int | None:
    """Return the line a parser failed on: from the Turtle parser, or by bisecting N-Triples."""
    lines = getattr(exc, "lines", None)  # rdflib's Turtle parser counts lines from 0
    if isinstance(lines, int):
        return lines + 1
    if format != "nt":
        return None
    # N-Triples is one statement per line, so the first bad line is where a prefix stops parsing
    # lines end at "\n" only (splitlines would also cut at U+2028 inside a literal)
    rows = [row + "\n" for row in text.split("\n")]
    good, bad = 0, len(rows)
    while bad - good > 1:
        mid = (good + bad) // 2
        try:
            Graph().parse(data="".join(rows[:mid]), format="nt")
        except Exception:
            bad = mid
        else:
            good = mid
    return bad
