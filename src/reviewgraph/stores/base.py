"""What every store shares: the errors, the :class:`Store` interface, terms and bindings.

Results come back the same way from every engine: a row is a ``dict`` from variable name to
a Python value, with IRIs as ``str``, blank nodes as ``"_:label"``, ``xsd:date`` as
:class:`datetime.date`, integers as ``int``, ``xsd:boolean`` as ``bool``, ``xsd:decimal`` as
:class:`~decimal.Decimal`, ``xsd:double``/``xsd:float`` as ``float``, every other literal as
its text, and an unbound variable as ``None``.  Conversion reads the lexical form and the
datatype only (never an engine's own ``toPython``), so the engines cannot disagree.

Bindings are RDF terms (rdflib ``URIRef``/``Literal``, pyoxigraph ``NamedNode``/``Literal``)
or a :class:`datetime.date` (an ``xsd:date``); anything else is refused with
:class:`BindingError`.  rdflib binds them with ``initBindings``; Oxigraph (in memory, on disk)
and endpoints with a ``VALUES`` block at the start of the query's top-level ``WHERE`` group
(see :func:`with_values`).  pyoxigraph's own ``substitutions`` (SEP-0007) were measured and
set aside: on pyoxigraph 0.5 they can lead its planner astray (the ``contested`` query took
42 s with them and 0.24 s with ``VALUES`` at 1M triples), and they refuse variables that the
SELECT does not project.  As with ``VALUES`` anywhere, a bound variable is not bound inside a
``MINUS`` or a sub-SELECT (the named queries never use one there).  Values are never
formatted into query text by hand: the ``VALUES`` block holds terms written in N-Triples.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias

from reviewgraph.errors import (
    BindingError,
    EndpointError,
    GraphExistsError,
    StoreEnvironmentError,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
)
from reviewgraph.vocab.ntriples import write_term

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = [
    "ANNOTATIONS_GRAPH",
    "BindingError",
    "Bindings",
    "EndpointError",
    "GraphExistsError",
    "PlainTerm",
    "PlainTriple",
    "Row",
    "Store",
    "StoreEnvironmentError",
    "StoreError",
    "StoreLockedError",
    "StoreNotFoundError",
    "Table",
    "Term",
    "Value",
    "check_bindings",
    "literal_value",
    "nt_term",
    "with_values",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

ANNOTATIONS_GRAPH = "urn:reviewgraph:graph:annotations"
"""The named graph holding the ontology annotations the named queries read (``rg:rank``, ...).

Every store that reviewgraph loads holds it; queries see it through the union default graph,
and :func:`reviewgraph.stores.to_rdflib` leaves it out, so exports hold only the data.
"""

Value: TypeAlias = str | int | float | bool | date | datetime | Decimal | None
"""A value in a result row (see the module docstring for the mapping)."""

Row: TypeAlias = dict[str, Value]


# --------------------------------------------------------------------------- errors


# --------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Term:
    """An RDF term in engine-neutral form: an IRI (``datatype`` None) or a literal."""

    value: str
    kind: Literal["iri", "literal", "bnode"] = "iri"
    datatype: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        # every value that reaches SPARQL is written by n3(): an IRI that could end the term
        # early (">", "}", spaces, quotes, newlines) is refused here, on every route
        if self.kind == "iri" and (not self.value or _IRI_BAD.search(self.value)):
            raise BindingError(f"{self.value!r} is not a valid IRI")
        if self.kind == "bnode" and not _BNODE.fullmatch(self.value):
            raise BindingError(f"{self.value!r} is not a blank node label")

    def n3(self) -> str:
        """The term in N-Triples syntax.

        Examples
        --------
        >>> Term("2024-01-01", "literal", XSD_DATE).n3()
        '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
        """
        return write_term(self.value, self.kind, self.datatype, self.language)


PlainTerm: TypeAlias = str | tuple[str, str, str]
"""A term as a plain value: an IRI's text, ``"_:label"`` for a blank node, or a literal as
``(lexical form, datatype IRI, language tag or "")``."""

PlainTriple: TypeAlias = tuple[str, str, PlainTerm]
"""A triple as plain values (the subject and the predicate as text)."""

Bindings: TypeAlias = Mapping[str, Any]
"""Query bindings: variable name (with or without ``?``) to an RDF term or a date."""

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BNODE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")


def nt_term(term: Term) -> str:
    """Write a :class:`Term` in N-Triples syntax (see :meth:`Term.n3`)."""
    return term.n3()


def _to_term(name: str, value: Any) -> Term:
    """Check one binding value and return it as a neutral :class:`Term`."""
    kind = f"{type(value).__module__}.{type(value).__name__}"
    if isinstance(value, Term):
        if value.kind == "iri" and (not value.value or _IRI_BAD.search(value.value)):
            raise BindingError(f"?{name}: {value.value!r} is not a valid IRI")
        if value.kind == "bnode":
            raise BindingError(f"?{name}: a blank node cannot be bound")
        if value.kind == "literal":
            return _literal(name, value.value, value.datatype, value.language)
        return value
    if isinstance(value, datetime):
        raise BindingError(f"?{name}: a datetime is not accepted; bind a date or a Literal")
    if isinstance(value, date):
        return Term(value.isoformat(), "literal", XSD_DATE)
    if kind in ("rdflib.term.URIRef", "pyoxigraph.NamedNode", "builtins.NamedNode"):
        iri = str(value) if kind == "rdflib.term.URIRef" else str(value.value)
        if not iri or _IRI_BAD.search(iri):
            raise BindingError(f"?{name}: {iri!r} is not a valid IRI")
        return Term(iri)
    if kind == "rdflib.term.Literal":
        datatype = str(value.datatype) if value.datatype else None
        return _literal(name, str(value), datatype, value.language)
    if kind in ("pyoxigraph.Literal", "builtins.Literal"):
        return _literal(name, str(value.value), str(value.datatype.value), value.language)
    raise BindingError(
        f"?{name} must be an RDF term (rdflib URIRef or Literal, pyoxigraph NamedNode or "
        f"Literal) or a date, not {type(value).__name__} {value!r}"
    )


def _literal(name: str, text: str, datatype: str | None, language: str | None) -> Term:
    if language:
        if not _LANG.fullmatch(language):
            raise BindingError(f"?{name}: {language!r} is not a language tag")
        return Term(text, "literal", RDF_LANGSTRING, language)
    if datatype in (None, XSD_STRING):
        return Term(text, "literal", XSD_STRING)
    assert datatype is not None
    if _IRI_BAD.search(datatype):
        raise BindingError(f"?{name}: {datatype!r} is not a datatype IRI")
    check = _CONVERTERS.get(datatype)
    if check is not None:
        try:
            check(text)
        except (ValueError, InvalidOperation):
            kind = datatype.replace(XSD, "xsd:")
            raise BindingError(f"?{name}: {text!r} is not a valid {kind}") from None
    return Term(text, "literal", datatype)


def _iri_term(iri: str) -> Term:
    return Term(iri)


def check_bindings(bindings: Bindings | None) -> dict[str, Term]:
    """Check query bindings and return them as neutral terms, keyed by bare variable name.

    Raises
    ------
    BindingError
        If a name is not a SPARQL variable name or a value is not an RDF term or a date.

    Examples
    --------
    >>> from datetime import date
    >>> check_bindings({"?asOf": date(2025, 1, 1)})["asOf"].n3()
    '"2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> check_bindings({"asOf": "2025-01-01"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    reviewgraph.errors.BindingError: ?asOf must be an RDF term (...) or a date, not str ...
    """
    out: dict[str, Term] = {}
    for raw, value in (bindings or {}).items():
        name = raw[1:] if raw[:1] in ("?", "$") else raw
        if not _VAR.fullmatch(name):
            raise BindingError(f"{raw!r} is not a SPARQL variable name")
        out[name] = _to_term(name, value)
    return out


# --------------------------------------------------------------------------- values


def _boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


def _date(text: str) -> date:
    if not _DATE.fullmatch(text) or text.startswith("-"):
        raise ValueError(text)
    return date.fromisoformat(text[:10])


_INTEGERS = (
    "integer",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "int",
    "long",
    "short",
    "byte",
    "unsignedInt",
    "unsignedLong",
    "unsignedShort",
    "unsignedByte",
)
_CONVERTERS: dict[str, Any] = {XSD + name: int for name in _INTEGERS}
_CONVERTERS.update(
    {
        XSD_DATE: _date,
        XSD + "boolean": _boolean,
        XSD + "decimal": Decimal,
        XSD + "double": float,
        XSD + "float": float,
        XSD + "dateTime": datetime.fromisoformat,
    }
)


def literal_value(text: str, datatype: str | None) -> Value:
    """Convert a literal's lexical form to a Python value by its datatype.

    An ill-typed literal (``"soon"^^xsd:date``) stays text.

    Examples
    --------
    >>> literal_value("2024-03-31", XSD_DATE)
    datetime.date(2024, 3, 31)
    >>> literal_value("5", XSD + "nonNegativeInteger")
    5
    >>> literal_value("soon", XSD_DATE)
    'soon'
    """
    convert = _CONVERTERS.get(datatype or "")
    if convert is None:
        return text
    try:
        result: Value = convert(text)
    except (ValueError, InvalidOperation):
        return text
    return result


# --------------------------------------------------------------------------- query text

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?|:[A-Za-z0-9_\-.]*)
      | (?P<open>\{)
      | (?P<close>\})
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _where_brace(query: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    depth = 0
    first: int | None = None
    after_where = False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "word" and depth == 0 and m.group().upper() == "WHERE":
            after_where = True
        elif kind == "open":
            if depth == 0:
                if after_where:
                    return m.end()
                if first is None:
                    first = m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
    if first is None:
        raise StoreError("the query has no WHERE group to bind values in")
    return first


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """Return the query with a ``VALUES`` block binding ``bindings``, for a remote endpoint.

    The block goes just inside the top-level ``WHERE`` group, so the values are joined
    before anything else there is evaluated, as ``initBindings`` and ``substitutions`` do.
    (A parameter used inside a ``MINUS`` or a sub-SELECT is not bound there; the named
    queries never do that.)

    Examples
    --------
    >>> q = "SELECT ?x WHERE { ?x <http://e/p> ?d FILTER(?d <= ?asOf) }"
    >>> print(with_values(q, {"asOf": Term("2024-01-01", "literal", XSD_DATE)}))
    SELECT ?x WHERE { VALUES (?asOf) { ("2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }
     ?x <http://e/p> ?d FILTER(?d <= ?asOf) }
    """
    if not bindings:
        return query
    at = _where_brace(query)
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(t.n3() for t in bindings.values())
    return f"{query[:at]} VALUES ({names}) {{ ({values}) }}\n{query[at:]}"


def values_rows(name: str, terms: Iterable[Term]) -> str:
    """A ``VALUES ?name { ... }`` block listing many terms (for batched look-ups)."""
    return f"VALUES ?{name} {{ " + " ".join(t.n3() for t in terms) + " }"


# --------------------------------------------------------------------------- interface


@dataclass(frozen=True)
class Table:
    """A SELECT result as RDF terms: the variables, then one tuple per row (None: unbound).

    The terms are rdflib terms, for writers of the W3C result formats.
    """

    variables: tuple[str, ...]
    rows: list[tuple[Any, ...]]


class Store(ABC):
    """A place RDF is kept and queried: memory, Oxigraph on disk, rdflib, or an endpoint.

    Open one with :func:`reviewgraph.stores.open_store` or
    :func:`reviewgraph.stores.open_endpoint`; close it with :meth:`close` (or use it as a
    context manager).  Queries see the union of every named graph (each loaded file is one).
    """

    kind: ClassVar[str]
    """``memory``, ``rdflib``, ``oxigraph`` or ``endpoint``."""

    writable: bool = True

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 (most stores hold nothing to release)
        """Release the store's locks and handles."""

    # -- reading

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Run a SELECT query and return its rows as Python values (see the module doc)."""

    @abstractmethod
    def select_terms(self, query: str, bindings: Bindings | None = None) -> Table:
        """Run a SELECT query and return its rows as rdflib terms."""

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT (or DESCRIBE) query and return its triples as an rdflib Graph."""

    @abstractmethod
    def graphs(self) -> dict[str, int]:
        """Return every named graph with the number of triples it holds."""

    def graph_names(self) -> list[str]:
        """Return the names of the named graphs (cheaper than :meth:`graphs`: no counting)."""
        return list(self.graphs())

    @abstractmethod
    def triples(self, exclude: Sequence[str] = ()) -> Iterator[tuple[Any, Any, Any]]:
        """Yield every triple of every named graph (as rdflib terms), except ``exclude``."""

    def graph_triples(self, name: str) -> Iterator[PlainTriple]:
        """Yield every triple of one named graph as plain values (:data:`PlainTriple`)."""
        from reviewgraph.stores.plain import rdflib_plain

        query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        for s, p, o in self.select_terms(query, {"g": _iri_term(name)}).rows:
            yield rdflib_plain(s), str(p), rdflib_plain(o)  # type: ignore[misc]

    def graph_index(self, name: str) -> bytes | None:
        """The analysis index kept with a graph by the load that wrote it (``None``: none)."""
        return None

    def __len__(self) -> int:
        return sum(self.graphs().values())

    # -- writing (used by :func:`reviewgraph.io.store.load_files`)

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(
                f"{self.description} was opened read-only; open it with writable=True to load"
            )
