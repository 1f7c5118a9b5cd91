"""The controlled values of reviewgraph: one Python enum per SKOS concept scheme.

Each enum member's value is the concept's ``skos:notation`` in ``ontology/reviewgraph.ttl``
and :func:`concept_iri` gives its IRI; a test checks both against the ontology.  Authoring
files may also use a concept's labels or the labels of other trackers mapped to it in
``ontology/mappings.ttl`` (see :func:`resolve_label`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache, lru_cache

from rdflib import URIRef

from reviewgraph.vocab.namespaces import RG

__all__ = [
    "AssessorRole",
    "BodyChangeKind",
    "CommitmentOrigin",
    "DeliverableKind",
    "FulfilmentDegree",
    "Jurisdiction",
    "LinkBasis",
    "LinkType",
    "ReviewKind",
    "StanceValue",
    "StatedByRole",
    "Status",
    "concept_from_iri",
    "concept_iri",
    "normalise_label",
    "resolve_label",
    "within",
]


class ReviewKind(StrEnum):
    """What kind of report a review is (scheme ``rg:ReviewKinds``)."""

    INDEPENDENT_REVIEW = "independent-review"
    PUBLIC_INQUIRY = "public-inquiry"
    AUDIT_REPORT = "audit-report"
    SELECT_COMMITTEE_REPORT = "select-committee-report"
    ROYAL_COMMISSION = "royal-commission"
    REGULATOR_REPORT = "regulator-report"
    CORONERS_REPORT = "coroners-report"
    COMMENTARY = "commentary"


class StanceValue(StrEnum):
    """What a body said about a recommendation (scheme ``rg:Stances``)."""

    ACCEPTED = "accepted"
    ACCEPTED_IN_PRINCIPLE = "accepted-in-principle"
    ACCEPTED_IN_PART = "accepted-in-part"
    NOT_ACCEPTED = "not-accepted"
    NOTED = "noted"
    TO_BE_CONSIDERED = "to-be-considered"


class Status(StrEnum):
    """How far a commitment has been delivered, as one claim puts it (scheme ``rg:Statuses``)."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    PARTIALLY_DELIVERED = "partially-delivered"
    DELIVERED = "delivered"
    DROPPED = "dropped"
    NO_EVIDENCE_FOUND = "no-evidence-found"


class AssessorRole(StrEnum):
    """Who makes a status claim, relative to the commitment's owner (``rg:AssessorRoles``)."""

    OWNER = "owner"
    SPONSOR = "sponsor"
    INDEPENDENT_SCRUTINY = "independent-scrutiny"
    COMMENTATOR = "commentator"
    COMPILER = "compiler"


class LinkType(StrEnum):
    """How one item relates to an earlier or later one (scheme ``rg:LinkTypes``)."""

    REPEATS = "repeats"
    ECHOES = "echoes"
    EXTENDS = "extends"
    IMPLEMENTED_BY = "implemented-by"
    COMMISSIONED = "commissioned"
    EXAMINES = "examines"
    RESPONDS_TO = "responds-to"
    ENDORSES = "endorses"
    COMMENTS_ON = "comments-on"


class BodyChangeKind(StrEnum):
    """How a body changed (scheme ``rg:BodyChangeKinds``)."""

    RENAMED = "renamed"
    MERGED_INTO = "merged-into"
    SPLIT_INTO = "split-into"
    ABOLISHED = "abolished"
    REPLACED_BY = "replaced-by"
    FUNCTION_TRANSFERRED_TO = "function-transferred-to"


class CommitmentOrigin(StrEnum):
    """Where a commitment was made (scheme ``rg:CommitmentOrigins``)."""

    RESPONSE = "response"
    TERMS_OF_REFERENCE = "terms-of-reference"
    PLAN = "plan"
    MANIFESTO = "manifesto"
    MINISTERIAL_STATEMENT = "ministerial-statement"
    OTHER = "other"


class DeliverableKind(StrEnum):
    """What kind of thing was delivered (scheme ``rg:DeliverableKinds``)."""

    REGULATION = "regulation"
    FRAMEWORK = "framework"
    GUIDANCE = "guidance"
    PROGRAMME = "programme"
    BODY = "body"
    LAW = "law"
    REVIEW = "review"
    PLAN = "plan"
    OTHER = "other"


class FulfilmentDegree(StrEnum):
    """How completely a deliverable fulfils a commitment (scheme ``rg:FulfilmentDegrees``)."""

    IN_FULL = "in-full"
    IN_PART = "in-part"


class StatedByRole(StrEnum):
    """In what role a due date was stated, relative to the commitment (``rg:StatedByRoles``)."""

    OWNER = "owner"
    SPONSOR = "sponsor"
    CONTRACTOR = "contractor"
    COMMENTATOR = "commentator"


class Jurisdiction(StrEnum):
    """Where a body or review has its remit (scheme ``rg:Jurisdictions``, with ``skos:broader``)."""

    UNITED_KINGDOM = "united-kingdom"
    GREAT_BRITAIN = "great-britain"
    ENGLAND_AND_WALES = "england-and-wales"
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern-ireland"
    AUSTRALIA = "australia"
    NEW_SOUTH_WALES = "new-south-wales"
    VICTORIA = "victoria"
    QUEENSLAND = "queensland"
    WESTERN_AUSTRALIA = "western-australia"
    SOUTH_AUSTRALIA = "south-australia"
    TASMANIA = "tasmania"
    AUSTRALIAN_CAPITAL_TERRITORY = "australian-capital-territory"
    NORTHERN_TERRITORY = "northern-territory"


class LinkBasis(StrEnum):
    """Whether a source states a link or the dataset's compiler inferred it (``rg:LinkBases``)."""

    STATED = "stated"
    INFERRED = "inferred"


_LISTED: dict[tuple[type[StrEnum], str], str] = {
    (AssessorRole, AssessorRole.OWNER.value): "SelfAssessment",
    (AssessorRole, AssessorRole.SPONSOR.value): "SponsorAssessment",
    (AssessorRole, AssessorRole.INDEPENDENT_SCRUTINY.value): "IndependentScrutiny",
    (AssessorRole, AssessorRole.COMMENTATOR.value): "CommentatorAssessment",
    (AssessorRole, AssessorRole.COMPILER.value): "CompilerAssessment",
    (LinkType, LinkType.REPEATS.value): "repeats",
    (LinkType, LinkType.ECHOES.value): "echoes",
    (LinkType, LinkType.EXTENDS.value): "extends",
    (LinkType, LinkType.IMPLEMENTED_BY.value): "implementedBy",
    (LinkType, LinkType.COMMISSIONED.value): "commissioned",
    (LinkType, LinkType.EXAMINES.value): "examines",
    (LinkType, LinkType.RESPONDS_TO.value): "respondsTo",
    (LinkType, LinkType.ENDORSES.value): "endorses",
    (LinkType, LinkType.COMMENTS_ON.value): "commentsOn",
    (StatedByRole, StatedByRole.OWNER.value): "StatedByOwner",
    (StatedByRole, StatedByRole.SPONSOR.value): "StatedBySponsor",
    (StatedByRole, StatedByRole.CONTRACTOR.value): "StatedByContractor",
    (StatedByRole, StatedByRole.COMMENTATOR.value): "StatedByCommentator",
    (CommitmentOrigin, CommitmentOrigin.RESPONSE.value): "OriginResponse",
    (CommitmentOrigin, CommitmentOrigin.TERMS_OF_REFERENCE.value): "OriginTermsOfReference",
    (CommitmentOrigin, CommitmentOrigin.PLAN.value): "OriginPlan",
    (CommitmentOrigin, CommitmentOrigin.MANIFESTO.value): "OriginManifesto",
    (CommitmentOrigin, CommitmentOrigin.MINISTERIAL_STATEMENT.value): "OriginMinisterialStatement",
    (CommitmentOrigin, CommitmentOrigin.OTHER.value): "OriginOther",
    (DeliverableKind, DeliverableKind.REGULATION.value): "Regulation",
    (DeliverableKind, DeliverableKind.FRAMEWORK.value): "Framework",
    (DeliverableKind, DeliverableKind.GUIDANCE.value): "Guidance",
    (DeliverableKind, DeliverableKind.PROGRAMME.value): "Programme",
    (DeliverableKind, DeliverableKind.BODY.value): "NewBody",
    (DeliverableKind, DeliverableKind.LAW.value): "Legislation",
    (DeliverableKind, DeliverableKind.REVIEW.value): "FollowUpReview",
    (DeliverableKind, DeliverableKind.PLAN.value): "PlanDocument",
    (DeliverableKind, DeliverableKind.OTHER.value): "OtherDeliverable",
    (FulfilmentDegree, FulfilmentDegree.IN_FULL.value): "InFull",
    (FulfilmentDegree, FulfilmentDegree.IN_PART.value): "InPart",
    (LinkBasis, LinkBasis.STATED.value): "StatedBySource",
    (LinkBasis, LinkBasis.INFERRED.value): "InferredByCompiler",
}
# StrEnum members of different enums with the same value are equal (both are the str
# "other"), so the table is keyed by (enum, value).
_LOCAL_NAMES: dict[tuple[type[StrEnum], str], str] = {}
for _enum in (ReviewKind, StanceValue, Status, BodyChangeKind, Jurisdiction):
    for _m in _enum:
        _LOCAL_NAMES[_enum, _m.value] = "".join(p.title() for p in _m.value.split("-"))

_LOCAL_NAMES.update(_LISTED)

SCHEMES: dict[type[StrEnum], URIRef] = {
    ReviewKind: RG.ReviewKinds,
    StanceValue: RG.Stances,
    Status: RG.Statuses,
    AssessorRole: RG.AssessorRoles,
    LinkType: RG.LinkTypes,
    BodyChangeKind: RG.BodyChangeKinds,
    CommitmentOrigin: RG.CommitmentOrigins,
    DeliverableKind: RG.DeliverableKinds,
    FulfilmentDegree: RG.FulfilmentDegrees,
    LinkBasis: RG.LinkBases,
    StatedByRole: RG.StatedByRoles,
    Jurisdiction: RG.Jurisdictions,
}
"""Each enum with the IRI of the concept scheme it mirrors."""

_BY_IRI: dict[URIRef, StrEnum] = {
    RG[name]: enum(value) for (enum, value), name in _LOCAL_NAMES.items()
}


def concept_iri(value: StrEnum) -> URIRef:
    """Return the IRI of a concept.

    Examples
    --------
    >>> str(concept_iri(StanceValue.ACCEPTED_IN_PRINCIPLE))
    'https://w3id.org/reviewgraph/ns#AcceptedInPrinciple'
    """
    return RG[_LOCAL_NAMES[type(value), value.value]]


def concept_from_iri(iri: URIRef, enum: type[StrEnum]) -> StrEnum:
    """Return the enum member for a concept IRI, or raise ``ValueError`` if it is not in ``enum``.

    Examples
    --------
    >>> concept_from_iri(RG.Delivered, Status)
    <Status.DELIVERED: 'delivered'>
    """
    member = _BY_IRI.get(iri)
    if member is None or not isinstance(member, enum):
        raise ValueError(f"<{iri}> is not a concept of {enum.__name__}")
    return member


@lru_cache(maxsize=4096)
def normalise_label(text: str) -> str:
    """Fold a label for matching: lower case, dashes and underscores as spaces, one space.

    Examples
    --------
    >>> normalise_label("Closed\u2013Implemented")
    'closed implemented'
    """
    folded = re.sub(r"[\s_\-\u2010-\u2015/]+", " ", text.strip().lower())
    return folded.replace("'", "").replace("\u2019", "").strip()


@cache
def _label_table(enum: type[StrEnum]) -> dict[str, tuple[StrEnum, ...]]:
    """Map every accepted label (folded) to the members it can mean."""
    from reviewgraph.vocab.ontology import (
        concept_labels,  # the ontology is parsed only when labels are needed
    )

    table: dict[str, set[StrEnum]] = {}
    for member in enum:
        table.setdefault(normalise_label(member.value), set()).add(member)
        table.setdefault(normalise_label(member.name), set()).add(member)
    for label, iris in concept_labels(SCHEMES[enum]).items():
        for iri in iris:
            found = _BY_IRI.get(iri)
            if found is not None and isinstance(found, enum):
                table.setdefault(normalise_label(label), set()).add(found)
    return {k: tuple(sorted(v)) for k, v in table.items()}


@cache
def _notations(enum: type[StrEnum]) -> dict[str, StrEnum]:
    """Each concept of a scheme by its normalised notation (made once: every value read asks)."""
    return {normalise_label(m.value): m for m in enum}


def resolve_label(text: str, enum: type[StrEnum]) -> StrEnum:
    """Return the concept a label names, accepting notations, labels and mapped tracker labels.

    Raises
    ------
    ValueError
        If the label names no concept of ``enum``, or more than one.

    Examples
    --------
    >>> resolve_label("Accepted in principle", StanceValue)
    <StanceValue.ACCEPTED_IN_PRINCIPLE: 'accepted-in-principle'>
    >>> resolve_label("in_progress", Status)
    <Status.IN_PROGRESS: 'in-progress'>
    """
    if isinstance(text, enum):
        return text
    key = normalise_label(str(text))
    quick = _notations(enum)
    if key in quick:
        return quick[key]
    matches = _label_table(enum).get(key, ())
    if len(matches) == 1:
        return matches[0]
    readable = ", ".join(m.value.replace("-", " ") for m in enum)
    noun = _NOUNS[enum]
    if matches:
        options = " or ".join(m.value.replace("-", " ") for m in matches)
        raise ValueError(f"{text!r} is ambiguous as {noun}: it may mean {options}")
    raise ValueError(f"{text!r} is not {noun} ({readable})")


_NOUNS: dict[type[StrEnum], str] = {
    ReviewKind: "a review kind",
    StanceValue: "a stance",
    Status: "a status",
    AssessorRole: "an assessor role",
    LinkType: "a link type",
    BodyChangeKind: "a body change kind",
    CommitmentOrigin: "a commitment origin",
    DeliverableKind: "a deliverable kind",
    FulfilmentDegree: "a fulfilment degree",
    LinkBasis: "a link basis",
    StatedByRole: "a stated-by role",
    Jurisdiction: "a jurisdiction",
}


@cache
def _broader() -> dict[Jurisdiction, frozenset[Jurisdiction]]:
    """Each jurisdiction with every jurisdiction above it (``skos:broader``, transitively)."""
    from rdflib.namespace import SKOS

    from reviewgraph.vocab.ontology import load_ontology

    graph = load_ontology()
    direct: dict[Jurisdiction, set[Jurisdiction]] = {j: set() for j in Jurisdiction}
    for j in Jurisdiction:
        for node in graph.objects(concept_iri(j), SKOS.broader):
            found = _BY_IRI.get(URIRef(str(node)))
            if isinstance(found, Jurisdiction):
                direct[j].add(found)
    closed: dict[Jurisdiction, frozenset[Jurisdiction]] = {}
    for j in Jurisdiction:
        seen: set[Jurisdiction] = set()
        todo = list(direct[j])
        while todo:
            above = todo.pop()
            if above not in seen:
                seen.add(above)
                todo.extend(direct[above])
        closed[j] = frozenset(seen)
    return closed


def within(inner: Jurisdiction, outer: Jurisdiction) -> bool:
    """Say whether ``inner`` is ``outer`` or lies within it (``skos:broader``, any steps).

    The standing rule of ``docs/concepts.md`` uses it: a government body answers for a
    government addressee whose jurisdiction lies within its own.

    Examples
    --------
    >>> within(Jurisdiction.ENGLAND, Jurisdiction.UNITED_KINGDOM)
    True
    >>> within(Jurisdiction.UNITED_KINGDOM, Jurisdiction.ENGLAND)
    False
    >>> within(Jurisdiction.VICTORIA, Jurisdiction.AUSTRALIA)
    True
    >>> within(Jurisdiction.SCOTLAND, Jurisdiction.SCOTLAND)
    True
    """
    return inner == outer or outer in _broader()[inner]
