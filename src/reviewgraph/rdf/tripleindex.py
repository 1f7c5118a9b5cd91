"""A read-only, dict-backed index of triples with the part of rdflib's ``Graph`` API that
:func:`reviewgraph.rdf.mapping.from_graph` reads.

Reading a store back as models goes through this index rather than an rdflib ``Graph``:
filling rdflib's memory store costs about 30 microseconds a triple (3.2 s for 100k triples),
two dicts cost a tenth of that, and converting each distinct term once (a store of 100k
triples holds about 30k distinct terms) saves most of the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["TripleIndex"]

Triple = tuple[Any, Any, Any]


class TripleIndex:
    """Triples indexed by subject and by predicate, for lookups in both directions.

    Terms are rdflib terms.  A triple added twice is kept once.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> s, p = URIRef("urn:s"), URIRef("urn:p")
    >>> index = TripleIndex([(s, p, Literal("a")), (s, p, Literal("a")), (s, p, Literal("b"))])
    >>> len(index), sorted(index.objects(s, p))
    (2, [rdflib.term.Literal('a'), rdflib.term.Literal('b')])
    >>> (s, p, Literal("b")) in index, index.value(URIRef("urn:x"), p)
    (True, None)
    """

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._spo: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._pos: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._all: dict[Triple, None] = {}
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        """Add one triple (a repeat is ignored)."""
        if triple in self._all:
            return
        self._all[triple] = None
        s, p, o = triple
        self._spo[s][p].append(o)
        self._pos[p][o].append(s)

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._all)

    def __contains__(self, triple: object) -> bool:
        return triple in self._all

    def objects(self, subject: Any, predicate: Any) -> Iterator[Any]:
        """The objects of ``subject predicate ?o``, in the order they were added."""
        by_predicate = self._spo.get(subject)
        if by_predicate is None:
            return iter(())
        return iter(by_predicate.get(predicate, ()))

    def value(self, subject: Any, predicate: Any) -> Any:
        """One object of ``subject predicate ?o``, or ``None``."""
        return next(self.objects(subject, predicate), None)

    def subjects(self, predicate: Any, obj: Any) -> Iterator[Any]:
        """The subjects of ``?s predicate obj``."""
        by_object = self._pos.get(predicate)
        if by_object is None:
            return iter(())
        return iter(by_object.get(obj, ()))

    def subject_objects(self, predicate: Any) -> Iterator[tuple[Any, Any]]:
        """Every ``(subject, object)`` pair of ``predicate``."""
        for obj, subjects in self._pos.get(predicate, {}).items():
            for subject in subjects:
                yield subject, obj
