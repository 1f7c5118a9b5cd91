"""The one N-Triples writer: a term in N-Triples syntax, and the same for rdflib and plain terms.

Every N-Triples text reviewgraph writes goes through :func:`write_term`: the triples loaded into
a store, the ``nt`` export, the triples a graph holds beyond the models
(``Dataset.extra_triples``), the ``VALUES`` blocks that bind query parameters and the terms of
the SPARQL TSV results.  It writes the canonical form of N-Triples 1.1: a literal on one line,
with ``\\``, ``"``, line feed and carriage return escaped and every other character as itself,
and no datatype on an ``xsd:string`` literal (it is the same term as the simple literal).
It checks nothing: a value must already be a valid IRI, blank node label or literal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewgraph.errors import StoreError

__all__ = ["write_plain", "write_rdflib", "write_term", "write_triples"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def write_term(
    value: str, kind: str = "iri", datatype: str | None = None, language: str | None = None
) -> str:
    """One term in N-Triples syntax.

    Parameters
    ----------
    value : str
        The IRI, the blank node's label, or the literal's lexical form.
    kind : str
        ``iri``, ``bnode`` or ``literal``.
    datatype, language : str, optional
        A literal's datatype IRI and language tag (the tag wins).

    Examples
    --------
    >>> write_term("http://e/x")
    '<http://e/x>'
    >>> write_term('say "hi"\\n', "literal", language="en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> write_term("2024-01-01", "literal", "http://www.w3.org/2001/XMLSchema#date")
    '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> write_term("a", "literal", _XSD_STRING)
    '"a"'
    """
    if kind == "iri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != _XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def write_rdflib(term: Any) -> str:
    """An rdflib term (``URIRef``, ``BNode`` or ``Literal``) in N-Triples syntax.

    Examples
    --------
    >>> from rdflib import BNode, Literal
    >>> write_rdflib(Literal(5)), write_rdflib(BNode("b"))
    ('"5"^^<http://www.w3.org/2001/XMLSchema#integer>', '_:b')
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return write_term(str(term))
    if isinstance(term, BNode):
        return write_term(str(term), "bnode")
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return write_term(str(term), "literal", datatype, term.language)
    raise StoreError(f"cannot write {term!r} as N-Triples")


def write_plain(term: str | tuple[str, str, str]) -> str:
    """A plain term (an IRI's text, ``"_:label"``, or ``(lexical form, datatype, language)``,
    as :mod:`reviewgraph.stores` gives them) in N-Triples syntax.

    Examples
    --------
    >>> write_plain("_:b1"), write_plain(("x", "http://www.w3.org/2001/XMLSchema#string", ""))
    ('_:b1', '"x"')
    """
    if isinstance(term, tuple):
        return write_term(term[0], "literal", term[1], term[2] or None)
    if term.startswith("_:"):
        return write_term(term[2:], "bnode")
    return write_term(term)


def write_triples(triples: Iterable[tuple[Any, Any, Any]]) -> bytes:
    """rdflib triples (an rdflib ``Graph`` or any iterable of them) as N-Triples bytes.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> write_triples([(URIRef("http://e/s"), URIRef("http://e/p"), Literal('a "b"'))])
    b'<http://e/s> <http://e/p> "a \\\\"b\\\\"" .\\n'
    """
    nt = write_rdflib
    return "".join(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in triples).encode("utf-8")
