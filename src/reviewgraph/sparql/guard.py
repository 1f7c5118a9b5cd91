"""The guard: a query is parsed once, and refused if it would change data or reach a server.

SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ...) is
refused, and so is ``SERVICE`` unless the caller allows it, since it would reach another
server.  Every query reviewgraph runs from text, shipped or given, passes through
:func:`guard`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reviewgraph.errors import QueryError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["guard"]

_OPERATIONS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Modify": "DELETE/INSERT",
}


def _update_operation(text: str) -> str | None:
    """Return the keyword of the first operation if ``text`` parses as a SPARQL Update."""
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseUpdate(text)
    except Exception:
        return None
    requests = [r for r in parsed.get("request") or [] if isinstance(r, CompValue)]
    if not requests:  # an empty text parses as an empty update: it is no query either
        return None
    return _OPERATIONS.get(requests[0].name, "an update")


def _services(node: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_services(v) for k, v in node.items() if k != "_vars")
    if isinstance(node, list | tuple):
        return any(_services(v) for v in node)
    return False


@lru_cache(maxsize=256)
def _parsed(text: str) -> Query:
    """rdflib's translation of a text, once per process (up to a second for the longest)."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def guard(
    text: str,
    label: str = "query",
    *,
    allow_service: bool = False,
    error: type[QueryError] = QueryError,
) -> Query:
    """Parse a query with rdflib (once per text), refusing updates and, by default, SERVICE.

    Raises
    ------
    QueryError
        (or ``error``) If the text is a SPARQL Update, is not valid SPARQL, or calls
        ``SERVICE`` and ``allow_service`` is false.

    Examples
    --------
    >>> guard("SELECT * WHERE { ?s ?p ?o }").algebra.name
    'SelectQuery'
    >>> guard("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    reviewgraph.errors.QueryError: query: SPARQL Update (DELETE) is refused: queries are read-only
    """
    try:
        prepared = _parsed(text)
    except Exception as exc:
        operation = _update_operation(text)
        if operation:
            raise error(
                f"{label}: SPARQL Update ({operation}) is refused: queries are read-only"
            ) from None
        message = " ".join(str(exc).split())[:200]
        raise error(f"{label}: not a valid SPARQL query: {message}") from None
    if _services(prepared.algebra) and not allow_service:
        raise error(
            f"{label}: SERVICE would reach another server; pass --allow-service to permit it"
        )
    return prepared
