"""The binder: values for a query's declared parameters, checked by type, as RDF terms.

The same rules hold for strings from the command line (``--param asOf=2025-07-01``) and for
Python values from the library (``asOf=date(2025, 7, 1)``): an ``iri`` is an IRI or an
identifier under the base (refused if it could end the term early), an ``xsd:date`` a date or
its ISO text, an ``xsd:integer`` an ``int`` or its decimal text, an ``xsd:string`` any text.
Values are bound as terms by the engine, never pasted into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from reviewgraph.errors import QueryError
from reviewgraph.sparql.header import Param
from reviewgraph.vocab.constants import BASE_IRI

__all__ = ["bind"]

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_NOT_IRI = re.compile(r"[\s<>\"{}|\\^`]")


def _value(key: str, kind: str, value: Any, base: str, error: type[QueryError]) -> Any:
    if kind == "iri":
        text = str(value)
        if not _SCHEME.match(text):
            text = base + text
        if _NOT_IRI.search(text):
            raise error(f"{key}: {value!r} is not an IRI or identifier")
        return URIRef(text)
    if kind == "xsd:date":
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise error(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(value, date):
            raise error(f"{key} must be a date, not {value!r}")
        return Literal(value.isoformat(), datatype=XSD.date)
    if kind == "xsd:integer":
        if isinstance(value, str):
            if not re.fullmatch(r"[+-]?\d+", value):
                raise error(f"{key}: {value!r} is not an integer")
        elif isinstance(value, bool) or not isinstance(value, int):
            raise error(f"{key} must be an integer, not {value!r}")
        return Literal(str(value), datatype=XSD.integer)
    return Literal(str(value), datatype=XSD.string)


def bind(
    name: str,
    params: Iterable[Param],
    given: Mapping[str, Any],
    base: str = BASE_IRI,
    *,
    error: type[QueryError] = QueryError,
) -> dict[str, URIRef | Literal]:
    """Check ``given`` against a query's declared parameters and return them as RDF terms.

    Parameters
    ----------
    name : str
        What the messages call the query.
    params : iterable of Param
        The parameters the query's header declares.
    given : mapping
        Parameter name (without ``?``) to value: text, or a date or an int.
    base : str
        The IRI base an identifier given for an ``iri`` parameter is read under.
    error : type
        The error raised (:class:`~reviewgraph.errors.QueryError` or a subclass).

    Raises
    ------
    QueryError
        (or ``error``) If a parameter is not declared, is missing, or does not fit its type.

    Examples
    --------
    >>> declared = [Param("asOf", "xsd:date"), Param("n", "xsd:integer")]
    >>> sorted(str(v) for v in bind("q", declared, {"asOf": "2025-07-01", "n": 3}).values())
    ['2025-07-01', '3']
    >>> bind("q", declared, {"asOf": "2025-07-01"})
    Traceback (most recent call last):
    ...
    reviewgraph.errors.QueryError: q needs parameter 'n'
    """
    declared = {p.name: p.type for p in params}
    out: dict[str, URIRef | Literal] = {}
    for key, value in given.items():
        kind = declared.get(key)
        if kind is None:
            known = ", ".join(sorted(declared)) or "none"
            raise error(f"{name} takes no parameter {key!r} (it takes: {known})")
        out[key] = _value(key, kind, value, base, error)
    missing = set(declared) - set(given)
    if missing:
        raise error(f"{name} needs parameter {sorted(missing)[0]!r}")
    return out
