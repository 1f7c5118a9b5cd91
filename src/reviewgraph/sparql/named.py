"""Named SPARQL queries: load, check, bind and run them on rdflib or pyoxigraph.

The queries ship as standard SPARQL 1.1 files in ``reviewgraph/sparql/queries/<name>.rq``.  Each
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

One text serves every engine, except where rdflib needs another shape to stay linear: then
``reviewgraph/sparql/queries/rdflib/<name>.rq`` holds the text rdflib runs (:func:`run`,
:func:`prepared`, and :func:`run_named` on an rdflib store), with the same header and the same
rows (the tests compare them).  :func:`query_text` picks the text for an engine without
parsing it.

The queries read the dataset's triples (:func:`reviewgraph.rdf.mapping.to_graph`) together with the
ontology's ``rg:rank``, ``rg:expectsResponse`` and ``rg:responsePeriod`` annotations
(:func:`query_graph` adds them).  They do no date arithmetic: parameters such as
``?graceCutoff`` are computed in Python, and Python computes periods, medians and day counts
from the rows.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from reviewgraph.errors import QueryError
from reviewgraph.vocab.constants import ANNOTATION_PREDICATES
from reviewgraph.vocab.namespaces import BASE_IRI, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.stores import Row, Store

__all__ = [
    "ENGINES",
    "Engine",
    "NamedQuery",
    "Param",
    "QueryError",
    "engine_for",
    "engine_variants",
    "load_query",
    "oxigraph_store",
    "prepared",
    "query_graph",
    "query_names",
    "query_text",
    "run",
    "run_named",
    "run_oxigraph",
    "values_query",
]

Engine = typing.Literal["oxigraph", "rdflib", "endpoint"]
"""The SPARQL engines a named query's text is chosen for (see :func:`query_text`)."""

ENGINES: tuple[Engine, ...] = ("oxigraph", "rdflib", "endpoint")

_TYPES = {"xsd:date": XSD.date, "xsd:integer": XSD.integer, "xsd:string": XSD.string, "iri": None}


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
    return files("reviewgraph").joinpath("sparql", "queries")


def query_names() -> list[str]:
    """The names of the shipped queries (each engine's own texts are not counted again).

    Examples
    --------
    >>> "not-followed-through" in query_names()
    True
    """
    return sorted(
        entry.name[:-3]
        for entry in _folder().iterdir()
        if entry.name.endswith(".rq") and entry.is_file()
    )


def engine_variants(engine: Engine = "rdflib") -> list[str]:
    """The names of the queries that ship a text of their own for ``engine``.

    They live in ``reviewgraph/sparql/queries/<engine>/<name>.rq``; today only rdflib has any.

    Examples
    --------
    >>> "not-followed-through" in engine_variants("rdflib")
    True
    >>> engine_variants("oxigraph")
    []
    """
    folder = _folder().joinpath(engine)
    if engine not in ENGINES or not folder.is_dir():
        return []
    return sorted(
        entry.name[:-3]
        for entry in folder.iterdir()
        if entry.name.endswith(".rq") and entry.is_file()
    )


def _check_name(name: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise QueryError(f"{name!r} is not a query name")


def _entry(name: str, engine: Engine) -> tuple[Any, str]:
    """The file holding the text ``engine`` runs for query ``name``, and its label."""
    _check_name(name)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if engine != "oxigraph":
        own = _folder().joinpath(engine).joinpath(f"{name}.rq")
        if own.is_file():
            return own, f"{engine}/{name}.rq"
    entry = _folder().joinpath(f"{name}.rq")
    if not entry.is_file():
        raise QueryError(f"no query named {name!r} (known: {', '.join(query_names())})")
    return entry, f"{name}.rq"


def query_text(name: str, engine: Engine = "oxigraph") -> str:
    """The text of a named query that ``engine`` should run, read without parsing it.

    ``queries/<engine>/<name>.rq`` where one ships (rdflib's own shape of a query that the
    main text makes quadratic there), else the main ``queries/<name>.rq``, which serves
    Oxigraph, endpoints and every other engine.  Parsing a long query with rdflib costs more
    than Oxigraph takes to answer it, so this does not check the contract (:func:`load_query`
    does, and the tests check every text).

    Raises
    ------
    QueryError
        If there is no such query or engine.

    Examples
    --------
    >>> query_text("parked", "rdflib") == query_text("parked", "oxigraph")
    True
    >>> query_text("not-followed-through", "rdflib") == query_text("not-followed-through")
    False
    """
    entry, _ = _entry(name, engine)
    return str(entry.read_text(encoding="utf-8"))


def engine_for(store: Any) -> Engine:
    """The engine whose text of a named query suits ``store``.

    ``store`` is a :class:`reviewgraph.stores.Store` (by its ``kind``: ``memory`` and
    ``oxigraph`` are Oxigraph, ``rdflib`` is rdflib, ``endpoint`` an endpoint), an rdflib
    ``Graph`` (rdflib) or a ``pyoxigraph.Store`` (Oxigraph).

    Examples
    --------
    >>> engine_for(Graph()), engine_for(oxigraph_store(Graph()))
    ('rdflib', 'oxigraph')
    """
    kind = getattr(store, "kind", None)
    if kind == "rdflib" or isinstance(store, Graph):
        return "rdflib"
    if kind == "endpoint":
        return "endpoint"
    return "oxigraph"


_HEADER = re.compile(r"#\s*@(param|column)\s+\?(\w+)(?:\s+(\S+))?\s*$")


def _parse_header(label: str, text: str) -> tuple[str, list[Param], list[str]]:
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
                raise QueryError(f"{label}: cannot read header line {stripped!r}")
            description.append(stripped.lstrip("#").strip())
        elif m[1] == "param":
            if m[3] not in _TYPES:
                raise QueryError(f"{label}: parameter ?{m[2]} has unknown type {m[3]!r}")
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
def load_query(name: str, engine: Engine = "oxigraph") -> NamedQuery:
    """Load and check a named query: the main text, or the text ``engine`` runs.

    An engine's own text (see :func:`query_text`) must pass the same checks and declare the
    same description, parameters and columns as the main text.

    Raises
    ------
    QueryError
        If there is no such query, it is not a SELECT (an Update is refused), or its header
        does not match it or the main text's.

    Examples
    --------
    >>> q = load_query("parked")
    >>> [p.name for p in q.params], q.columns[:3]
    (['asOf', 'graceCutoff'], ('asOf', 'graceCutoff', 'recommendation'))
    >>> load_query("not-followed-through", "rdflib").columns == (
    ...     load_query("not-followed-through").columns)
    True
    """
    entry, label = _entry(name, engine)
    q = _check(name, label, entry.read_text(encoding="utf-8"))
    if label != f"{name}.rq":
        main = load_query(name)
        for what in ("description", "params", "columns"):
            if getattr(q, what) != getattr(main, what):
                raise QueryError(
                    f"{label}: its header's {what} differ from {name}.rq's "
                    f"({getattr(q, what)!r} against {getattr(main, what)!r})"
                )
    return q


def _check(name: str, label: str, text: str) -> NamedQuery:
    description, params, columns = _parse_header(label, text)
    query = _prepare(label, text)
    if query.algebra.name != "SelectQuery":
        raise QueryError(f"{label}: only SELECT queries are allowed")
    projected = [str(v) for v in query.algebra.PV]
    if projected != columns:
        raise QueryError(
            f"{label}: the header's columns {columns} differ from the SELECT's {projected}"
        )
    for p in params:
        if p.name not in projected:
            raise QueryError(f"{label}: parameter ?{p.name} is not projected by the SELECT")
    for part in _guarded(query.algebra):
        inside = _variables(part) & {p.name for p in params}
        if inside:
            raise QueryError(
                f"{label}: parameter ?{sorted(inside)[0]} is used inside a sub-SELECT or MINUS"
            )
    return NamedQuery(name, text, description, tuple(params), tuple(columns))


@cache
def _parsed(text: str) -> Query:
    """rdflib's translation of a text, once per process (up to a second for the longest)."""
    return prepareQuery(text)


def _prepare(label: str, text: str) -> Query:
    try:
        return _parsed(text)
    except Exception as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"{label} is not valid SPARQL: {exc}") from None
        raise QueryError(f"{label} is a SPARQL Update, which is refused") from None


def prepared(name: str) -> Query:
    """The text rdflib runs (see :func:`query_text`), parsed and translated once per process.

    Examples
    --------
    >>> prepared("parked") is prepared("parked")
    True
    """
    q = load_query(name, "rdflib")
    return _prepare(q.name, q.text)


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

    The text run is rdflib's (``queries/rdflib/<name>.rq`` where one ships; see
    :func:`query_text`).

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
    >>> from reviewgraph.rdf.mapping import to_graph
    >>> g = query_graph(to_graph(demo_dataset()))
    >>> rows = run("stance-asof", g, asOf="2021-01-01")
    >>> sorted((r["recommendation"].rsplit("/", 1)[-1], r["value"].rsplit("#")[-1])
    ...        for r in rows)
    [('1', 'Accepted'), ('2', 'ToBeConsidered'), ('4', 'Accepted')]
    """
    q = load_query(name, "rdflib")
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
    >>> from reviewgraph.rdf.mapping import to_graph
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


def run_named(store: Store, name: str, base: str = BASE_IRI, **params: Any) -> list[Row]:
    """Run a named query on any store, with the text written for the store's engine.

    The text is chosen by :func:`engine_for` and :func:`query_text` (rdflib's own text on an
    rdflib store, the main text on Oxigraph and endpoints), read without parsing it; the
    parameters are checked against the query's header and bound by the store's own mechanism
    (see :func:`reviewgraph.stores.select`).

    Returns
    -------
    list of dict
        One dict per row, column name to value, as :func:`reviewgraph.stores.select` gives.

    Examples
    --------
    >>> from reviewgraph.stores import open_store
    >>> from reviewgraph.io.store import load_files
    >>> store = open_store("memory")
    >>> _ = load_files(store)                       # the bundled seeds
    >>> rows = run_named(store, "parked", asOf="2025-07-01", graceCutoff="2023-07-01")
    >>> sorted(rows[0]) == sorted(load_query("parked").columns)
    True
    """
    text = query_text(name, engine_for(store))
    declared = _declared_params(text)
    q = NamedQuery(name, text, "", tuple(Param(n, t) for n, t in declared), ())
    return store.select(text, dict(_term(q, params, base)))


_PARAM_LINE = re.compile(r"#\s*@param\s+\?(\w+)\s+(\S+)")


def _declared_params(text: str) -> list[tuple[str, str]]:
    """The ``@param`` lines of a query's header, read without parsing the query."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        m = _PARAM_LINE.match(stripped)
        if m:
            out.append((m[1], m[2]))
    return out


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


_ANNOTATIONS = tuple(URIRef(p) for p in ANNOTATION_PREDICATES)


@cache
def _annotations() -> tuple[tuple[Any, Any, Any], ...]:
    from reviewgraph.vocab.ontology import load_ontology

    onto = load_ontology()
    return tuple(t for p in _ANNOTATIONS for t in onto.triples((None, p, None)))


def query_graph(data: Graph) -> Graph:
    """A new graph holding ``data`` plus the ontology annotations the queries read.

    Examples
    --------
    >>> from reviewgraph.vocab.namespaces import RG
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
