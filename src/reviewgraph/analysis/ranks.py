"""What the ontology says about the concepts the rules compare: ranks and review-kind defaults.

Read once, with pyoxigraph's parser (milliseconds), from the shipped ontology.
"""

from __future__ import annotations

from functools import cache

from reviewgraph.vocab.concepts import AssessorRole, ReviewKind, Status, concept_iri
from reviewgraph.vocab.namespaces import RG

__all__ = ["concept_label", "kind_defaults", "role_rank", "status_rank"]


@cache
def _ontology_values(predicate: str) -> dict[str, str]:
    """Each concept of the ontology with its value of one annotation (read with pyoxigraph)."""
    import pyoxigraph as ox

    from reviewgraph.vocab.resources import ontology_file

    data = ontology_file("reviewgraph.ttl").read_bytes()
    return {
        t.subject.value: t.object.value
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE)
        if t.predicate.value == predicate and isinstance(t.subject, ox.NamedNode)
    }


@cache
def _ranks() -> dict[str, int]:
    ranks = _ontology_values(str(RG.rank))
    table: dict[str, int] = {}
    for enum in (Status, AssessorRole):
        for member in enum:
            rank = ranks.get(str(concept_iri(member)))
            if rank is None:
                raise LookupError(f"the ontology gives no rg:rank for {member.value}")
            table[f"{enum.__name__}:{member.value}"] = int(rank)
    return table


@cache
def _by_member() -> dict[Status | AssessorRole, int]:
    ranks = _ranks()
    found: dict[Status | AssessorRole, int] = {}
    for enum in (Status, AssessorRole):
        for member in enum:
            found[member] = ranks[f"{enum.__name__}:{member.value}"]
    return found


def status_rank(status: Status) -> int:
    """The ontology's rank of a status, from dropped (0) to delivered (5).

    Examples
    --------
    >>> status_rank(Status.DROPPED), status_rank(Status.DELIVERED)
    (0, 5)
    """
    return _by_member()[status]


def role_rank(role: AssessorRole) -> int:
    """The ontology's rank of an assessor role, from independent scrutiny (0) to compiler (4).

    Examples
    --------
    >>> [role_rank(r) for r in (AssessorRole.INDEPENDENT_SCRUTINY, AssessorRole.OWNER)]
    [0, 2]
    """
    return _by_member()[role]


@cache
def kind_defaults() -> dict[ReviewKind, tuple[bool | None, str | None]]:
    """Each review kind's default ``(expects response, response period)`` from the ontology.

    Examples
    --------
    >>> kind_defaults()[ReviewKind.SELECT_COMMITTEE_REPORT]
    (True, 'P2M')
    >>> kind_defaults()[ReviewKind.COMMENTARY]
    (False, None)
    """
    expects = _ontology_values(str(RG.expectsResponse))
    periods = _ontology_values(str(RG.responsePeriod))
    table: dict[ReviewKind, tuple[bool | None, str | None]] = {}
    for kind in ReviewKind:
        iri = str(concept_iri(kind))
        flag = expects.get(iri)
        table[kind] = (flag in ("true", "1") if flag is not None else None, periods.get(iri))
    return table


@cache
def _labels() -> dict[str, str]:
    from reviewgraph.vocab.concepts import AssessorRole, StanceValue, Status

    prefs = _ontology_values("http://www.w3.org/2004/02/skos/core#prefLabel")
    table = {"not-recorded": "not recorded"}
    for enum in (Status, StanceValue, AssessorRole):
        for member in enum:
            table.setdefault(member.value, prefs.get(str(concept_iri(member)), member.value))
    return table


def concept_label(value: str) -> str:
    """The SKOS preferred label of a status, stance or role given by its concept id; the
    analysis's own ``not-recorded`` is "not recorded".

    Examples
    --------
    >>> concept_label("no-evidence-found"), concept_label("not-recorded")
    ('searched, none found', 'not recorded')
    """
    return _labels().get(value, value.replace("-", " "))
