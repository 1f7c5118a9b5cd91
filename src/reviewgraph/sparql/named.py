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
from the rows.  ``?knownOn`` and ``?lineage``, when a caller leaves them out, are filled in by
:mod:`reviewgraph.sparql.lineage` (everything known; the bodies linked by the data's body
changes).

The header is read by :mod:`reviewgraph.sparql.header`, parameters bound by
:mod:`reviewgraph.sparql.bind`, texts parsed and refused by :mod:`reviewgraph.sparql.guard`,
and run by :mod:`reviewgraph.sparql.run`: the same modules ad-hoc queries use
(:mod:`reviewgraph.sparql.adhoc`).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from reviewgraph.errors import QueryError
from reviewgraph.sparql.bind import bind
from reviewgraph.sparql.guard import guard
from reviewgraph.sparql.header import Param, parse_header
from reviewgraph.sparql.lineage import complete
from reviewgraph.sparql.run import execute
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


def _inner_parts(node: Any) -> list[Any]:
    """The parts of an algebra tree a parameter must not appear in: sub-SELECTs, MINUS sides."""
    out: list[Any] = []
    if isinstance(node, CompValue):
        if node.name == "ToMultiSet":
            out.append(node.p)
        if node.name == "Minus":
            out.append(node.p2)
        for key, value in node.items():
            if key != "_vars":
                out.extend(_inner_parts(value))
    elif isinstance(node, list | tuple):
        for value in node:
            out.extend(_inner_parts(value))
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
    (['asOf', 'knownOn', 'lineage', 'graceCutoff'], ('asOf', 'knownOn', 'lineage'))
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
    header = parse_header(text, label)
    description, params, columns = header.description, header.params, list(header.columns)
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
    for part in _inner_parts(query.algebra):
        inside = _variables(part) & {p.name for p in params}
        if inside:
            raise QueryError(
                f"{label}: parameter ?{sorted(inside)[0]} is used inside a sub-SELECT or MINUS"
            )
    return NamedQuery(name, text, description, params, header.columns)


def _prepare(label: str, text: str) -> Query:
    return guard(text, label)


def prepared(name: str) -> Query:
    """The text rdflib runs (see :func:`query_text`), parsed and translated once per process.

    Examples
    --------
    >>> prepared("parked") is prepared("parked")
    True
    """
    q = load_query(name, "rdflib")
    return _prepare(q.name, q.text)


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
        The parameters, by name (dates as :class:`datetime.date` or ISO strings).  ``knownOn``
        and ``lineage`` may be left out: :func:`reviewgraph.sparql.lineage.complete` fills
        them in from the same graph.

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
    params = complete(
        [p.name for p in q.params], params, lambda **p: run("succession", graph, base, **p)
    )
    bindings = bind(q.name, q.params, params, base)
    return execute(graph, q.text, bindings, prepared=prepared(name), values=True).records


def values_query(name: str, base: str = BASE_IRI, **params: Any) -> str:
    """The query's text with its parameters bound by a ``VALUES`` block, for a remote endpoint.

    The block goes at the start of the top-level ``WHERE`` group; each value is written as an
    RDF term in N-Triples syntax from a checked date, integer, string or IRI.

    Examples
    --------
    >>> text = values_query("parked", asOf="2024-01-01", knownOn="9999-12-31", lineage=" ",
    ...                     graceCutoff="2022-01-01")
    >>> 'VALUES (?asOf ?knownOn ?lineage ?graceCutoff)' in text
    True
    """
    from reviewgraph.stores.base import check_bindings, with_values

    q = load_query(name)
    bindings = bind(q.name, q.params, params, base)
    return with_values(q.text, check_bindings(bindings))


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
    q = load_query(name)
    params = complete(
        [p.name for p in q.params], params, lambda **p: run_oxigraph("succession", store, base, **p)
    )
    bindings = bind(q.name, q.params, params, base)
    return execute(store, q.text, bindings, values=True).records


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
    declared = parse_header(text, name, strict=False).params
    params = complete(
        [p.name for p in declared], params, lambda **p: run_named(store, "succession", base, **p)
    )
    bindings = bind(name, declared, params, base)
    return execute(store, text, bindings, values=True).records


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
    >>> from rdflib import Literal
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

    from reviewgraph.vocab.ntriples import write_triples

    store = ox.Store()
    data = write_triples(graph)
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return store
