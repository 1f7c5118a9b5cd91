"""Named SPARQL queries: load, check, bind and run them on rdflib or pyoxigraph.

The queries ship as standard SPARQL 1.1 files in ``reviewgraph/queries/<name>.rq``.  Each
starts with a header of comment lines::

    # Commitments not followed through as of a date.
    # @param ?asOf xsd:date
    # @param ?graceCutoff xsd:date
    # @column ?asOf
    # @column ?commitment

The ``@param`` lines declare the parameters (``xsd:date``, ``xsd:integer``, ``xsd:string`` or
``iri``) and the ``@column`` lines the result columns, in order.  Every parameter is projected
by the top-level SELECT and is never used inside a sub-SELECT or a MINUS, so that rdflib
(``initBindings``), pyoxigraph (``substitutions``, SEP-0007) and a remote endpoint (a ``VALUES``
block at the start of the top-level ``WHERE``, see :func:`values_query`) all bind it the same
way.  Values are always bound as RDF terms, never formatted into the query text.  A file that
holds a SPARQL Update, or whose header does not match its SELECT, is refused.

The queries read the dataset's triples (:func:`reviewgraph.rdf.to_graph`) together with the
ontology's ``rg:rank``, ``rg:expectsResponse`` and ``rg:responsePeriod`` annotations
(:func:`query_graph` adds them).  They do no date arithmetic: parameters such as
``?graceCutoff`` are computed in Python, and Python computes periods, medians and day counts
from the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from .namespaces import BASE_IRI, PREFIXES, RG

__all__ = [
    "NamedQuery",
    "Param",
    "QueryError",
    "load_query",
    "oxigraph_store",
    "prepared",
    "query_graph",
    "query_names",
    "run",
    "run_oxigraph",
    "values_query",
]

_TYPES = {"xsd:date": XSD.date, "xsd:integer": XSD.integer, "xsd:string": XSD.string, "iri": None}


class QueryError(ValueError):
    """Raised for a query file that breaks the contract, or parameters that do not fit it."""


@dataclass(frozen=True)
class Param:
    """A declared query parameter: its name (without ``?``) and type."""

    name: str
    type: str


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its text, description, parameters and result columns."""

    name: str
    text: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]


def _folder() -> Any:
    return files("reviewgraph").joinpath("queries")


def query_names() -> list[str]:
    """The names of the shipped queries.

    Examples
    --------
    >>> "not-followed-through" in query_names()
    True
    """
    return sorted(entry.name[:-3] for entry in _folder().iterdir() if entry.name.endswith(".rq"))


_HEADER = re.compile(r"#\s*@(param|column)\s+\?(\w+)(?:\s+(\S+))?\s*$")


def _parse_header(name: str, text: str) -> tuple[str, list[Param], list[str]]:
    params: list[Param] = []
    columns: list[str] = []
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if m is None:
            if re.match(r"#\s*@", stripped):
                raise QueryError(f"{name}.rq: cannot read header line {stripped!r}")
            description.append(stripped.lstrip("#").strip())
        elif m[1] == "param":
            if m[3] not in _TYPES:
                raise QueryError(f"{name}.rq: parameter ?{m[2]} has unknown type {m[3]!r}")
            params.append(Param(m[2], m[3]))
        else:
            columns.append(m[2])
    return " ".join(d for d in description if d), params, columns


def _variables(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, Variable):
        found.add(str(node))
    elif isinstance(node, CompValue):
        for key, value in node.items():
            if key != "_vars":
                found |= _variables(value)
    elif isinstance(node, list | tuple | set):
        for value in node:
            found |= _variables(value)
    return found


def _guarded(node: Any) -> list[Any]:
    """The parts of an algebra tree a parameter must not appear in: sub-SELECTs, MINUS sides."""
    out: list[Any] = []
    if isinstance(node, CompValue):
        if node.name == "ToMultiSet":
            out.append(node.p)
        if node.name == "Minus":
            out.append(node.p2)
        for key, value in node.items():
            if key != "_vars":
                out.extend(_guarded(value))
    elif isinstance(node, list | tuple):
        for value in node:
            out.extend(_guarded(value))
    return out


@cache
def load_query(name: str) -> NamedQuery:
    """Load and check a named query.

    Raises
    ------
    QueryError
        If there is no such query, it is not a SELECT (an Update is refused), or its header
        does not match it.

    Examples
    --------
    >>> q = load_query("parked")
    >>> [p.name for p in q.params], q.columns[:3]
    (['asOf', 'graceCutoff'], ('asOf', 'graceCutoff', 'recommendation'))
    """
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise QueryError(f"{name!r} is not a query name")
    entry = _folder().joinpath(f"{name}.rq")
    if not entry.is_file():
        raise QueryError(f"no query named {name!r} (known: {', '.join(query_names())})")
    text = entry.read_text(encoding="utf-8")
    description, params, columns = _parse_header(name, text)
    query = _prepare(name, text)
    if query.algebra.name != "SelectQuery":
        raise QueryError(f"{name}.rq: only SELECT queries are allowed")
    projected = [str(v) for v in query.algebra.PV]
    if projected != columns:
        raise QueryError(
            f"{name}.rq: the header's columns {columns} differ from the SELECT's {projected}"
        )
    for p in params:
        if p.name not in projected:
            raise QueryError(f"{name}.rq: parameter ?{p.name} is not projected by the SELECT")
    for part in _guarded(query.algebra):
        inside = _variables(part) & {p.name for p in params}
        if inside:
            raise QueryError(
                f"{name}.rq: parameter ?{sorted(inside)[0]} is used inside a sub-SELECT or MINUS"
            )
    return NamedQuery(name, text, description, tuple(params), tuple(columns))


def _prepare(name: str, text: str) -> Query:
    try:
        return prepareQuery(text)
    except Exception as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"{name}.rq is not valid SPARQL: {exc}") from None
        raise QueryError(f"{name}.rq is a SPARQL Update, which is refused") from None


@cache
def prepared(name: str) -> Query:
    """The query parsed and translated by rdflib, once per process.

    Examples
    --------
    >>> prepared("parked") is prepared("parked")
    True
    """
    return _prepare(name, load_query(name).text)


def _term(q: NamedQuery, params: dict[str, Any], base: str) -> dict[str, URIRef | Literal]:
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(
            f"{q.name} takes no parameter {sorted(unknown)[0]!r} "
            f"(it takes {', '.join(declared) or 'none'})"
        )
    missing = set(declared) - set(params)
    if missing:
        raise QueryError(f"{q.name} needs parameter {sorted(missing)[0]!r}")
    out: dict[str, URIRef | Literal] = {}
    for key, value in params.items():
        kind = declared[key].type
        if kind == "iri":
            text = str(value)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", text):
                text = base + text
            if re.search(r"[\s<>\"{}|\\^`]", text):
                raise QueryError(f"{key}: {value!r} is not an IRI or identifier")
            out[key] = URIRef(text)
        elif kind == "xsd:date":
            if isinstance(value, str):
                value = date.fromisoformat(value)
            if not isinstance(value, date):
                raise QueryError(f"{key} must be a date, not {value!r}")
            out[key] = Literal(value.isoformat(), datatype=XSD.date)
        elif kind == "xsd:integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise QueryError(f"{key} must be an integer, not {value!r}")
            out[key] = Literal(str(value), datatype=XSD.integer)
        else:
            out[key] = Literal(str(value), datatype=XSD.string)
    return out


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        return _from_lexical(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def _from_lexical(text: str, datatype: str | None) -> Any:
    if datatype == str(XSD.date):
        return date.fromisoformat(text[:10])
    if datatype == str(XSD.boolean):
        return text in ("true", "1")
    if datatype in (str(XSD.integer), str(XSD.nonNegativeInteger), str(XSD.int), str(XSD.long)):
        return int(text)
    if datatype == str(XSD.decimal):
        return Decimal(text)
    if datatype in (str(XSD.double), str(XSD.float)):
        return float(text)
    return text


def run(name: str, graph: Graph, base: str = BASE_IRI, **params: Any) -> list[dict[str, Any]]:
    """Run a named query on an rdflib graph, binding parameters with ``initBindings``.

    Parameters
    ----------
    name : str
        The query's name.
    graph : rdflib.Graph
        The graph to query (see :func:`query_graph`).
    base : str
        The IRI base used to turn an identifier given for an ``iri`` parameter into an IRI.
    **params
        The parameters, by name (dates as :class:`datetime.date` or ISO strings).

    Returns
    -------
    list of dict
        One dict per row, column name to value: IRIs as strings, ``xsd:date`` as
        :class:`datetime.date`, integers as ``int``, booleans as ``bool``, others as text,
        unbound as ``None``.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.rdf import to_graph
    >>> g = query_graph(to_graph(demo_dataset()))
    >>> rows = run("stance-asof", g, asOf="2021-01-01")
    >>> sorted((r["recommendation"].rsplit("/", 1)[-1], r["value"].rsplit("#")[-1])
    ...        for r in rows)
    [('1', 'Accepted'), ('2', 'ToBeConsidered'), ('4', 'Accepted')]
    """
    q = load_query(name)
    bindings = _term(q, params, base)
    result = graph.query(prepared(name), initBindings=bindings)
    return [
        {col: _python(row[i]) for i, col in enumerate(q.columns)}  # type: ignore[index]
        for row in result
    ]


def values_query(name: str, base: str = BASE_IRI, **params: Any) -> str:
    """The query's text with its parameters bound by a ``VALUES`` block, for a remote endpoint.

    The block goes at the start of the top-level ``WHERE`` group; each value is written as an
    RDF term in N-Triples syntax from a checked date, integer, string or IRI.

    Examples
    --------
    >>> text = values_query("parked", asOf="2024-01-01", graceCutoff="2022-01-01")
    >>> 'VALUES (?asOf ?graceCutoff)' in text
    True
    """
    q = load_query(name)
    bindings = _term(q, params, base)
    names = [p.name for p in q.params]
    block = (
        "VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(bindings[n].n3() for n in names)
        + ") }"
    )
    # look for the top-level WHERE outside comments (which keep their length when masked)
    masked = re.sub(r"#[^\n]*", lambda c: " " * len(c.group()), q.text)
    m = re.search(r"\bWHERE\s*\{", masked)
    if m is None:
        raise QueryError(f"{name}.rq has no WHERE clause")
    return q.text[: m.end()] + "\n  " + block + q.text[m.end() :]


def run_oxigraph(
    name: str, store: Any, base: str = BASE_IRI, **params: Any
) -> list[dict[str, Any]]:
    """Run a named query on a ``pyoxigraph.Store``, binding parameters with ``substitutions``.

    Returns rows as :func:`run` does.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> from reviewgraph.rdf import to_graph
    >>> store = oxigraph_store(query_graph(to_graph(demo_dataset())))
    >>> len(run_oxigraph("stance-asof", store, asOf="2021-01-01"))
    3
    """
    import pyoxigraph as ox

    q = load_query(name)
    subs: dict[Any, Any] = {}
    for key, term in _term(q, params, base).items():
        if isinstance(term, URIRef):
            subs[ox.Variable(key)] = ox.NamedNode(str(term))
        else:
            subs[ox.Variable(key)] = ox.Literal(
                str(term), datatype=ox.NamedNode(str(term.datatype))
            )
    rows = []
    for solution in store.query(q.text, substitutions=subs):
        rows.append({col: _ox_python(solution[col]) for col in q.columns})
    return rows


def _ox_python(term: Any) -> Any:
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return str(term.value)
    if kind == "BlankNode":
        return "_:" + str(term.value)
    if kind == "Literal":
        return _from_lexical(str(term.value), str(term.datatype.value))
    return str(term)


_ANNOTATIONS = (RG.rank, RG.expectsResponse, RG.responsePeriod)


@cache
def _annotations() -> tuple[tuple[Any, Any, Any], ...]:
    from .ontology import load_ontology

    onto = load_ontology()
    return tuple(t for p in _ANNOTATIONS for t in onto.triples((None, p, None)))


def query_graph(data: Graph) -> Graph:
    """A new graph holding ``data`` plus the ontology annotations the queries read.

    Examples
    --------
    >>> g = query_graph(Graph())
    >>> (RG.Delivered, RG.rank, Literal(5)) in g
    True
    """
    graph = Graph(bind_namespaces="core")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in data:
        graph.add(triple)
    for triple in _annotations():
        graph.add(triple)
    return graph


def oxigraph_store(graph: Graph) -> Any:
    """A ``pyoxigraph.Store`` in memory holding ``graph``'s triples (loaded as N-Triples).

    Examples
    --------
    >>> len(oxigraph_store(query_graph(Graph()))) > 0
    True
    """
    import pyoxigraph as ox

    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return store
