"""Read from a store only the items that an analysis of a few items needs.

``reviewgraph status ID``, ``trace ID`` and ``gaps --review ID`` on a large store do not need
the whole graph: the answer about one commitment depends on the recommendations it answers,
their reviews and stances, its due dates, claims, deliverables, owner and the owner's body
changes, the commitments it replaced, and the recommendations linked to the ones it answers.
:func:`neighbourhood` collects those items with a few SPARQL queries per step away from the
start, and returns them as models; the tests check that every analysis of the start items
gives the same answer on the neighbourhood as on the whole dataset.

Which references are followed
-----------------------------
Every reference an item makes is followed (so the neighbourhood is closed under
references).  References *to* an item are followed too, except into "hub" items, which
many others refer to: bodies are entered only from body changes; reviews only from
responses and links; responses, sources, people and themes from nothing.  The start items,
and the items that refer to them, are entered from everything (a review's recommendations
and responses, and the commitments made in those responses, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reviewgraph.models import ITEM_TYPES, Node
from reviewgraph.vocab.constants import BASE_IRI
from reviewgraph.vocab.namespaces import RG

if TYPE_CHECKING:  # pragma: no cover
    from reviewgraph.rdf.records import Facts
    from reviewgraph.stores import Store
    from reviewgraph.stores.base import PlainTriple

__all__ = ["HUB_ENTRIES", "neighbourhood"]

HUB_ENTRIES: dict[str, frozenset[str]] = {
    str(RG.Body): frozenset({str(RG.BodyChange)}),
    str(RG.Review): frozenset({str(RG.Response), str(RG.Link)}),
    str(RG.Response): frozenset(),
    str(RG.Source): frozenset(),
    str(RG.Person): frozenset(),
    str(RG.Theme): frozenset(),
}
"""For each hub class, the classes of the items whose references into it are followed."""

_BATCH = 500


def _nesting() -> int:
    """How deep blank nodes nest inside an item (citations in blanket stances, dates ...)."""
    from reviewgraph.dates import DateRange
    from reviewgraph.rdf.mapping import field_specs

    def depth(model: type[Node], seen: tuple[type[Node], ...]) -> int:
        deepest = 0
        for spec in field_specs(model):
            target = spec.target
            if target is DateRange:
                deepest = max(deepest, 1)
            elif isinstance(target, type) and issubclass(target, Node) and target not in seen:
                deepest = max(deepest, 1 + depth(target, (*seen, target)))
        return deepest

    return max(depth(model, (model,)) for model in ITEM_TYPES.values())


def _describe_query(values: str, levels: int) -> str:
    """Every triple of the items in ``values``, and of the blank nodes under them."""
    branches = ["{ ?root ?p ?o . BIND(?root AS ?s) }"]
    for level in range(1, levels + 1):
        path = ["?root ?q1 ?b1 . FILTER(isBlank(?b1))"]
        for i in range(2, level + 1):
            path.append(f"?b{i - 1} ?q{i} ?b{i} . FILTER(isBlank(?b{i}))")
        branches.append("{ " + " ".join(path) + f" ?b{level} ?p ?o . BIND(?b{level} AS ?s) }}")
    return f"SELECT ?s ?p ?o WHERE {{ {values} {' UNION '.join(branches)} }}"


_FILTER = 'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}"))'


def _referrers(values: str, base: str) -> str:
    """Every item that refers to a ``?root``, directly or through a blank node."""
    return f"""SELECT DISTINCT ?s ?root WHERE {{
  {values}
  {{ ?s ?p ?root }} UNION {{ ?b ?p ?root . FILTER(isBlank(?b)) ?s ?q ?b }}
  {_FILTER.format(base=base)}
}}"""


def _hub_referrers(root: str, kind: str, base: str) -> str:
    """The items of one class that refer to a hub ``root`` directly.

    A hub has thousands of referrers.  With the hub and the class written as constants,
    Oxigraph looks the few allowed ones up (2 ms at 1M triples); bound through ``VALUES``,
    it scans every referrer (0.2-0.4 s).
    """
    return f"""SELECT DISTINCT ?s WHERE {{
  ?s ?p {root} . ?s a {kind} .
  {_FILTER.format(base=base)}
}}"""


def _hub_referrers_through_blank_nodes(root: str, base: str) -> str:
    """The items that refer to a hub ``root`` through a blank node.

    Their classes are looked up apart (:func:`_classes`): matching the class here leads
    Oxigraph to start from every item of the class (0.15-0.3 s at 1M triples instead of
    2 ms), and rdflib, which orders patterns by their number of variables, to start from
    every typed item.
    """
    return f"""SELECT DISTINCT ?s WHERE {{
  ?b ?p {root} . FILTER(isBlank(?b)) ?s ?q ?b .
  {_FILTER.format(base=base)}
}}"""


def _classes(store: Store, items: list[str]) -> dict[str, set[str]]:
    """The classes of some items."""
    out: dict[str, set[str]] = {}
    for chunk in _chunks(items):
        query = f"SELECT ?s ?type WHERE {{ {_values(chunk, 's')} ?s a ?type }}"
        for row in store.select(query):
            out.setdefault(str(row["s"]), set()).add(str(row["type"]))
    return out


def _values(iris: Iterable[str], name: str = "root") -> str:
    from reviewgraph.stores.base import Term, values_rows

    return values_rows(name, (Term(i) for i in iris))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for at in range(0, len(items), _BATCH):
        yield items[at : at + _BATCH]


def _incoming(
    store: Store, roots: list[str], types: dict[str, set[str]], wide: set[str], base: str
) -> Iterator[tuple[str, str]]:
    """``(referrer, root)`` for every reference into ``roots`` that is followed: every
    referrer of the wide and ordinary items, only the allowed classes of referrer of a hub."""
    plain: list[str] = []
    hubs: dict[str, frozenset[str]] = {}
    for root in roots:
        entries = [HUB_ENTRIES[t] for t in types.get(root, ()) if t in HUB_ENTRIES]
        if root in wide or not entries:
            plain.append(root)
        else:
            hubs[root] = frozenset.intersection(*entries)
    for chunk in _chunks(plain):
        for row in store.select(_referrers(_values(chunk), base)):
            yield str(row["s"]), str(row["root"])
    from reviewgraph.stores.base import Term

    for root, allowed in sorted(hubs.items()):
        if not allowed:
            continue
        iri = Term(root).n3()
        for kind in sorted(allowed):
            for row in store.select(_hub_referrers(iri, Term(kind).n3(), base)):
                yield str(row["s"]), root
        through = [str(r["s"]) for r in store.select(_hub_referrers_through_blank_nodes(iri, base))]
        for item, classes in _classes(store, through).items():
            if classes & allowed:
                yield item, root


def neighbourhood(
    store: Store, start: Iterable[str], base: str = BASE_IRI, *, max_steps: int = 10_000
) -> Facts:
    """The items the analysis of ``start`` (item ids) reads, from a store, as records.

    Parameters
    ----------
    store : Store
        Any store.
    start : iterable of str
        The ids of the items to analyse.
    base : str
        The IRI base of identifiers.
    max_steps : int
        Stop after this many steps away from the start (a safety net; chains in review data
        are a few steps long).

    Returns
    -------
    Facts
        Closed under references: every id an item refers to is in it.  Its text is read in
        the language most of the neighbourhood's text is tagged with; a store whose files
        tag their text in different languages may read differently as a whole.

    Examples
    --------
    >>> from reviewgraph.stores import open_store
    >>> from reviewgraph.io.store import load_files
    >>> store = open_store("memory")
    >>> _ = load_files(store)
    >>> part = neighbourhood(store, ["messenger-framework"])
    >>> part.get("messenger-framework").id
    'messenger-framework'
    >>> from reviewgraph.io.store import read_facts
    >>> len(part.commitments) < len(read_facts(store).commitments)
    True
    """
    from reviewgraph.rdf.reader import read_triples
    from reviewgraph.stores.plain import rdflib_plain

    triples: list[PlainTriple] = []
    levels = _nesting()
    seen: set[str] = set()
    types: dict[str, set[str]] = {}
    frontier = {base + item for item in start}
    wide = set(frontier)  # items entered from everything: the start, and what refers to it
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for step in range(max_steps):
        if not frontier:
            break
        frontier -= seen
        seen |= frontier
        batch = sorted(frontier)
        found: set[str] = set()
        opened: set[str] = set()
        for at in range(0, len(batch), _BATCH):
            chunk = batch[at : at + _BATCH]
            values = _values(chunk)
            table = store.select_terms(_describe_query(values, levels))
            for s_term, p_term, o_term in table.rows:
                s, p, o = rdflib_plain(s_term), str(p_term), rdflib_plain(o_term)
                assert isinstance(s, str)
                if s.startswith("_:"):
                    s = f"_:n{step}x{at}x{s[2:]}"
                if type(o) is str and o.startswith("_:"):
                    o = f"_:n{step}x{at}x{o[2:]}"
                triples.append((s, p, o))
                if p == rdf_type and not s.startswith("_:"):
                    types.setdefault(s, set()).add(str(o))
                elif type(o) is str and o.startswith(base) and o != s:
                    found.add(o)
        for source, root in _incoming(store, batch, types, wide, base):
            found.add(source)
            if step == 0 and root in wide:
                opened.add(source)
        wide = opened
        frontier = found - seen
    return read_triples(triples, base)
