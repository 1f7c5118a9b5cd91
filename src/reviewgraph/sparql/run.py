"""The runner: one query, with bound parameters, on whatever holds the data.

The data may be a :class:`reviewgraph.stores.Store` (memory, Oxigraph on disk, rdflib, an
endpoint), an rdflib ``Graph`` or a ``pyoxigraph.Store``.  Bindings are RDF terms (see
:func:`reviewgraph.sparql.bind.bind`), bound by the engine: a store binds them its own way
(:mod:`reviewgraph.stores.base`), rdflib with ``initBindings``, a bare ``pyoxigraph.Store``
with ``substitutions``.  The rows come back as rdflib terms (for the W3C result formats) or
as Python values, converted by the stores' one converter
(:func:`reviewgraph.stores.base.literal_value`), so every route gives the same values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reviewgraph.stores.base import Store

__all__ = ["Answer", "execute"]

_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class Answer:
    """A query's answer: its form (``SELECT``, ``ASK``, ...) and what it found.

    ``rows`` holds a SELECT's rows as rdflib terms, in the order of ``variables``;
    ``records`` holds them as dicts of Python values when asked for (``values=True``);
    ``boolean`` is an ASK's answer.  A form other than SELECT or ASK is not run on a store.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool = False


def execute(
    target: Any,
    text: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    prepared: Any = None,
    values: bool = False,
) -> Answer:
    """Run a query on a store, an rdflib graph or a ``pyoxigraph.Store``.

    Parameters
    ----------
    target : Store, rdflib.Graph or pyoxigraph.Store
        What holds the data.
    text : str
        The query.
    bindings : mapping, optional
        Variable name to RDF term.
    prepared : rdflib Query, optional
        The text as :func:`reviewgraph.sparql.guard.guard` parsed it: rdflib runs it, and
        its form is known before a store runs the text.  Without it the text is taken for a
        SELECT on a store or a ``pyoxigraph.Store``, and guarded for rdflib.
    values : bool
        Give a SELECT's rows as Python values (``records``) rather than rdflib terms.

    Examples
    --------
    >>> from reviewgraph.stores import open_store
    >>> from datetime import date
    >>> answer = execute(open_store("memory"), "SELECT ?d {}", {"d": date(2025, 1, 1)},
    ...                  values=True)
    >>> answer.records
    [{'d': datetime.date(2025, 1, 1)}]
    """
    form = "SELECT" if prepared is None else _FORMS.get(prepared.algebra.name, "")
    if isinstance(target, Store):
        return _on_store(target, text, bindings, form, values)
    from rdflib import Graph

    if isinstance(target, Graph):
        return _on_rdflib(target, text, bindings, prepared, values)
    return _on_pyoxigraph(target, text, bindings, values)


def _on_store(
    store: Store, text: str, bindings: Mapping[str, Any] | None, form: str, values: bool
) -> Answer:
    if form == "ASK":
        return Answer("ASK", boolean=store.ask(text, bindings))
    if form != "SELECT":
        return Answer(form)
    if values:
        return Answer("SELECT", records=store.select(text, bindings))
    table = store.select_terms(text, bindings)
    return Answer("SELECT", table.variables, table.rows)


def _on_rdflib(
    graph: Any, text: str, bindings: Mapping[str, Any] | None, prepared: Any, values: bool
) -> Answer:
    from reviewgraph.sparql.guard import guard

    result = graph.query(prepared or guard(text), initBindings=dict(bindings or {}))
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    if result.type != "SELECT":
        return Answer(result.type)
    names = tuple(str(v) for v in (result.vars or ()))
    rows = [tuple(r) for r in result]
    if not values:
        return Answer("SELECT", names, rows)
    from reviewgraph.stores.rdflib_store import rdflib_value

    records = [{n: rdflib_value(row[i]) for i, n in enumerate(names)} for row in rows]
    return Answer("SELECT", names, records=records)


def _on_pyoxigraph(
    store: Any, text: str, bindings: Mapping[str, Any] | None, values: bool
) -> Answer:
    import pyoxigraph as ox

    from reviewgraph.stores.base import check_bindings
    from reviewgraph.stores.oxquery import ox_to_rdflib, ox_value, to_ox

    subs = {ox.Variable(k): to_ox(t) for k, t in check_bindings(bindings).items()}
    result = store.query(text, substitutions=subs)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ASK", boolean=bool(result))
    if not isinstance(result, ox.QuerySolutions):
        return Answer("CONSTRUCT")
    names = tuple(v.value for v in result.variables)
    if values:
        records = [{n: ox_value(s[i]) for i, n in enumerate(names)} for s in result]
        return Answer("SELECT", names, records=records)
    rows = [tuple(ox_to_rdflib(s[i]) for i in range(len(names))) for s in result]
    return Answer("SELECT", names, rows)
