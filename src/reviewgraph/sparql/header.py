"""The header of a query: the one reader of its ``# @param`` and ``# @column`` lines.

A query's header is the comment lines before its text::

    # Commitments not followed through as of a date.
    # @param ?asOf xsd:date
    # @column ?asOf

``@param`` lines declare the parameters (``xsd:date``, ``xsd:integer``, ``xsd:string`` or
``iri``), ``@column`` lines the result columns, in order, and the other comment lines make the
description.  The shipped queries are read strictly (:func:`parse_header`); a query a user
gives (a ``.rq`` file or ``-e TEXT``) may declare its parameters on any comment line, and a
comment that does not read as a declaration is only a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewgraph.errors import QueryError

__all__ = ["PARAM_TYPES", "Header", "Param", "parse_header"]

PARAM_TYPES = ("xsd:date", "xsd:integer", "xsd:string", "iri")
"""The types a ``# @param`` line may declare."""


@dataclass(frozen=True)
class Param:
    """A declared query parameter: its name (without ``?``) and type."""

    name: str
    type: str


@dataclass(frozen=True)
class Header:
    """What a query's header declares: its description, parameters and columns."""

    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]


_LINE = re.compile(r"#\s*@(param|column)\s+\?(\w+)(?:\s+(\S+))?\s*$")


def parse_header(
    text: str, label: str = "query", *, strict: bool = True, error: type[QueryError] = QueryError
) -> Header:
    """Read the declarations of a query's header.

    Parameters
    ----------
    text : str
        The query.
    label : str
        What the messages call the query (its file or name).
    strict : bool
        A shipped query's contract: the header is the comment lines before the first other
        line, and a ``# @`` line there that does not read is an error.  Otherwise every
        comment line of the text is read and one that does not read is a comment.
    error : type
        The error raised (:class:`~reviewgraph.errors.QueryError` or a subclass).

    Raises
    ------
    QueryError
        If a parameter's type is unknown, or (``strict``) a ``# @`` line does not read.

    Examples
    --------
    >>> h = parse_header("# Parked.\\n# @param ?asOf xsd:date\\n# @column ?asOf\\nSELECT ?asOf {}")
    >>> h.description, [p.type for p in h.params], h.columns
    ('Parked.', ['xsd:date'], ('asOf',))
    >>> parse_header("# @param ?n xsd:float")
    Traceback (most recent call last):
    ...
    reviewgraph.errors.QueryError: query: parameter ?n has unknown type 'xsd:float'
    """
    params: list[Param] = []
    columns: list[str] = []
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if strict and stripped:
                break
            continue
        m = _LINE.match(stripped)
        if m is None or (m[1] == "param" and m[3] is None and not strict):
            if strict and re.match(r"#\s*@", stripped):
                raise error(f"{label}: cannot read header line {stripped!r}")
            description.append(stripped.lstrip("#").strip())
        elif m[1] == "param":
            if m[3] not in PARAM_TYPES:
                raise error(f"{label}: parameter ?{m[2]} has unknown type {m[3]!r}")
            params.append(Param(m[2], m[3]))
        else:
            columns.append(m[2])
    return Header(" ".join(d for d in description if d), tuple(params), tuple(columns))
