"""Frozen pydantic models for every kind of item in a reviewgraph dataset.

The models keep apart what a body **said** (:class:`Stance`, :class:`BlanketStance` inside a
:class:`Response`), what it **undertook** (:class:`Commitment`, :class:`DueDateStatement`) and
what **happened** (:class:`StatusClaim`, :class:`Deliverable`).  Each field carries the RDF
predicate it is written with (a :class:`Pred` in its ``Annotated`` metadata), so that the
conversion to and from RDF (:mod:`reviewgraph.rdf.mapping`), the JSON-LD context and the agreement
tests all read the same table.

Lists are stored as sorted, de-duplicated tuples: RDF has no order, and a canonical order
makes models -> RDF -> models the identity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SKOS, XSD

from reviewgraph.dates import DateRange, parse_period
from reviewgraph.vocab.concepts import (
    AssessorRole,
    BodyChangeKind,
    CommitmentOrigin,
    DeliverableKind,
    FulfilmentDegree,
    Jurisdiction,
    LinkBasis,
    LinkType,
    ReviewKind,
    StanceValue,
    StatedByRole,
    Status,
    resolve_label,
)
from reviewgraph.vocab.namespaces import RG, SCHEMA

__all__ = [
    "ID_PATTERN",
    "ITEM_TYPES",
    "AlternativeClaim",
    "BlanketStance",
    "Body",
    "BodyChange",
    "Citation",
    "Commitment",
    "Dataset",
    "DatedName",
    "Deliverable",
    "DueDateStatement",
    "Election",
    "Fulfilment",
    "Item",
    "Link",
    "Node",
    "Person",
    "Pred",
    "Recommendation",
    "Response",
    "Review",
    "Source",
    "Stance",
    "StatusClaim",
    "Theme",
]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9.-]*)*$"
"""Identifiers: slugs, optionally nested with ``/`` (``kark-2019/5``, ``francis-2013/33.10a``)."""


@dataclass(frozen=True)
class Pred:
    """The RDF predicate a field is written with, and how its values are written.

    ``kind`` is ``"value"`` (a literal, concept, date or nested node, chosen from the field's
    type), ``"ref"`` (an identifier minted into an IRI), ``"url"`` (an IRI written as is),
    ``"period"`` (an ``xsd:duration``) or ``"property"`` (the IRI of another field's predicate).
    """

    iri: URIRef
    kind: Literal["value", "ref", "url", "period", "property"] = "value"
    to: tuple[URIRef, ...] = ()
    """For a ``ref``: the classes the referenced item may have."""


_LINK_ENDS = (RG.Review, RG.Recommendation, RG.Commitment, RG.Deliverable)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def _canonical(values: tuple[T, ...]) -> tuple[T, ...]:
    def key(v: T) -> str:
        if isinstance(v, Item):
            return v.id
        return v.model_dump_json() if isinstance(v, BaseModel) else str(v)

    return tuple(sorted(set(values), key=key))


def _concept(enum: type[E]) -> BeforeValidator:
    return BeforeValidator(lambda v: resolve_label(v, enum) if isinstance(v, str) else v)


def _period(value: str) -> str:
    parse_period(value)
    # the canonical form RDF gives the duration (P12M is P1Y, P2W is P14D), so that the
    # value survives a trip through any RDF serialisation unchanged
    return str(RDFLiteral(value.strip().upper(), datatype=XSD.duration))


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character that XML 1.0 cannot carry: C0 controls but tab, newline and carriage return
(so also VT, FF and U+001C-U+001E), lone surrogates, U+FFFE and U+FFFF."""


def _xml_characters(value: str) -> str:
    r"""Refuse text that the XML exports (RDF/XML, GraphML, GEXF) could not write.

    >>> _xml_characters("line one\nline two")
    'line one\nline two'
    >>> _xml_characters("a\x0bb")
    Traceback (most recent call last):
    ...
    ValueError: the character U+000B is not allowed in text (XML 1.0 cannot carry it)
    """
    found = _NOT_XML.search(value)
    if found is not None:
        code = f"U+{ord(found.group()):04X}"
        raise ValueError(f"the character {code} is not allowed in text (XML 1.0 cannot carry it)")
    return value


MAX_ID_CHARS = 200
"""The longest identifier accepted."""

MAX_TEXT_CHARS = 20000
"""The longest text (a title, a summary, a name) accepted."""

MAX_URL_CHARS = 2000
"""The longest URL accepted."""

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_CHARS)]
Ref = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_CHARS)]
Text = Annotated[
    str,
    Field(max_length=MAX_TEXT_CHARS),
    AfterValidator(_no_blank),
    AfterValidator(_xml_characters),
]
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"{}|\\^`]+$", max_length=MAX_URL_CHARS)]
Period = Annotated[str, AfterValidator(_period)]
_CANON = AfterValidator(_canonical)
Refs = Annotated[tuple[Ref, ...], _CANON]


class Node(BaseModel):
    """Base of every model: frozen, with unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    rdf_type: ClassVar[URIRef]


class Item(Node):
    """A node with an identifier of its own, written as an IRI under the dataset's base."""

    id: Id

    @model_validator(mode="after")
    def _alternatives_name_fields(self) -> Self:
        fields = type(self).model_fields
        # not getattr: on a model without the field, pydantic's lookup of a missing
        # attribute is slow, and this runs for every item read
        for alt in self.__dict__.get("alternatives", ()):
            info = fields.get(alt.field)
            if info is None or not any(isinstance(m, Pred) for m in info.metadata):
                noun = type(self).__name__.lower()
                raise ValueError(f"alternatives: {alt.field!r} is not a field of a {noun}")
        return self


class Citation(Node):
    """Where a fact comes from: a source, where in it, and when it was read."""

    rdf_type: ClassVar[URIRef] = RG.Citation
    source: Annotated[Ref, Pred(RG.source, "ref", (RG.Source,))]
    locator: Annotated[Text | None, Pred(RG.locator)] = None
    accessed: Annotated[date | None, Pred(RG.accessed)] = None


Citations = Annotated[tuple[Citation, ...], AfterValidator(_canonical)]


class AlternativeClaim(Node):
    """A value a source gives for a field that disagrees with the preferred value."""

    rdf_type: ClassVar[URIRef] = RG.AlternativeClaim
    field: Annotated[str, Pred(RG.claimedProperty, "property")]
    value: Annotated[Text, Pred(RG.claimedValue)]
    citations: Annotated[Citations, Pred(RG.citation)] = ()


Alternatives = Annotated[tuple[AlternativeClaim, ...], AfterValidator(_canonical)]


class Source(Item):
    """A document that facts are cited from."""

    rdf_type: ClassVar[URIRef] = RG.Source
    url: Annotated[Url | None, Pred(SCHEMA.url, "url")] = None
    title: Annotated[Text | None, Pred(DCTERMS.title)] = None
    publisher: Annotated[Text | None, Pred(RG.publisherName)] = None
    date: Annotated[DateRange | None, Pred(RG.date)] = None


class DatedName(Node):
    """A name a body used until a date."""

    rdf_type: ClassVar[URIRef] = RG.DatedName
    name: Annotated[Text, Pred(RG.name)]
    until: Annotated[DateRange | None, Pred(RG.until)] = None


class Body(Item):
    """An organisation: a department, agency, regulator, committee, party or charity."""

    rdf_type: ClassVar[URIRef] = RG.Body
    name: Annotated[Text, Pred(SKOS.prefLabel)]
    abbreviation: Annotated[Text | None, Pred(SKOS.altLabel)] = None
    former_names: Annotated[
        tuple[DatedName, ...], AfterValidator(_canonical), Pred(RG.formerName)
    ] = Field(default=(), alias="names")
    parent: Annotated[Ref | None, Pred(ORG.subOrganizationOf, "ref", (RG.Body,))] = None
    jurisdiction: Annotated[Jurisdiction | None, _concept(Jurisdiction), Pred(RG.jurisdiction)] = (
        None
    )
    url: Annotated[Url | None, Pred(SCHEMA.url, "url")] = None
    government: Annotated[bool, Pred(RG.actsForGovernment)] = False


class Person(Item):
    """A person in a public role: a review's lead, a minister, an assessor."""

    rdf_type: ClassVar[URIRef] = RG.Person
    name: Annotated[Text, Pred(FOAF.name)]
    roles: Annotated[Text | None, Pred(RG.roleDescription)] = None
    url: Annotated[Url | None, Pred(SCHEMA.url, "url")] = None


class Theme(Item):
    """A subject theme that recommendations and commitments are tagged with."""

    rdf_type: ClassVar[URIRef] = RG.Theme
    label: Annotated[Text, Pred(SKOS.prefLabel)]
    definition: Annotated[Text | None, Pred(SKOS.definition)] = None


class Review(Item):
    """A report that makes recommendations: a review, inquiry, audit or committee report."""

    rdf_type: ClassVar[URIRef] = RG.Review
    title: Annotated[Text, Pred(DCTERMS.title)]
    kind: Annotated[ReviewKind | None, _concept(ReviewKind), Pred(RG.reviewKind)] = None
    jurisdiction: Annotated[Jurisdiction | None, _concept(Jurisdiction), Pred(RG.jurisdiction)] = (
        None
    )
    url: Annotated[Url | None, Pred(SCHEMA.url, "url")] = None
    commissioned_by: Annotated[Refs, Pred(RG.commissionedBy, "ref", (RG.Body, RG.Person))] = ()
    leads: Annotated[Refs, Pred(RG.lead, "ref", (RG.Person,))] = ()
    publisher: Annotated[Ref | None, Pred(DCTERMS.publisher, "ref", (RG.Body,))] = None
    announced: Annotated[DateRange | None, Pred(RG.announced)] = None
    terms_of_reference: Annotated[DateRange | None, Pred(RG.termsOfReference)] = None
    delivered_to_ministers: Annotated[DateRange | None, Pred(RG.deliveredToMinisters)] = None
    published: Annotated[DateRange | None, Pred(RG.published)] = None
    stated_recommendations: Annotated[
        int | None, Field(ge=0), Pred(RG.statedRecommendationCount)
    ] = None
    expects_response: Annotated[bool | None, Pred(RG.expectsResponse)] = None
    response_period: Annotated[Period | None, Pred(RG.responsePeriod, "period")] = None
    response_due: Annotated[DateRange | None, Pred(RG.responseDue)] = None
    themes: Annotated[Refs, Pred(RG.theme, "ref", (RG.Theme,))] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()
    alternatives: Annotated[Alternatives, Pred(RG.alternative)] = ()


class Recommendation(Item):
    """One recommendation of a review, as the review numbers it or under a theme label."""

    rdf_type: ClassVar[URIRef] = RG.Recommendation
    review: Annotated[Ref, Pred(RG.partOf, "ref", (RG.Review,))]
    label: Annotated[Text, Pred(RG.labelInReview)]
    is_theme: Annotated[bool, Pred(RG.isThemeLabel)] = False
    summary: Annotated[Text | None, Pred(DCTERMS.description)] = None
    addressees: Annotated[Refs, Pred(RG.addressedTo, "ref", (RG.Body,))] = ()
    themes: Annotated[Refs, Pred(RG.theme, "ref", (RG.Theme,))] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()
    alternatives: Annotated[Alternatives, Pred(RG.alternative)] = ()


class BlanketStance(Node):
    """One stance a response takes on all of a review's recommendations at once.

    With ``recommendations`` it covers exactly those (of ``review``); without, every
    recommendation of the review that its responder has standing to answer.
    """

    rdf_type: ClassVar[URIRef] = RG.BlanketStance
    review: Annotated[Ref, Pred(RG.review, "ref", (RG.Review,))]
    stance: Annotated[StanceValue, _concept(StanceValue), Pred(RG.stanceValue)]
    recommendations: Annotated[
        Refs, Pred(RG.listedRecommendation, "ref", (RG.Recommendation,))
    ] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()


class Response(Item):
    """A dated statement by a body answering one or more reviews."""

    rdf_type: ClassVar[URIRef] = RG.Response
    title: Annotated[Text | None, Pred(DCTERMS.title)] = None
    by: Annotated[Ref | None, Pred(RG.respondent, "ref", (RG.Body,))] = None
    on_behalf_of: Annotated[Refs, Pred(RG.onBehalfOf, "ref", (RG.Body,))] = ()
    """The bodies the respondent answers for in this response (besides itself)."""
    stated_by: Annotated[Ref | None, Pred(RG.statedBy, "ref", (RG.Body, RG.Person))] = None
    date: Annotated[DateRange, Pred(RG.date)]
    interim: Annotated[bool, Pred(RG.interim)] = False
    """An interim response: moving on from its stances later is no reversal."""
    answers: Annotated[Refs, Pred(RG.answers, "ref", (RG.Review,))] = ()
    blanket: Annotated[
        tuple[BlanketStance, ...], AfterValidator(_canonical), Pred(RG.blanketStance)
    ] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()
    alternatives: Annotated[Alternatives, Pred(RG.alternative)] = ()


class Stance(Item):
    """What one response said about one recommendation."""

    rdf_type: ClassVar[URIRef] = RG.Stance
    response: Annotated[Ref, Pred(RG.inResponse, "ref", (RG.Response,))]
    recommendation: Annotated[Ref, Pred(RG.recommendation, "ref", (RG.Recommendation,))]
    stance: Annotated[StanceValue, _concept(StanceValue), Pred(RG.stanceValue)]
    date: Annotated[DateRange | None, Pred(RG.date)] = None
    note: Annotated[Text | None, Pred(RG.note)] = None
    citations: Annotated[Citations, Pred(RG.citation)] = ()


class Commitment(Item):
    """What a body undertook to do, with the body that must deliver it."""

    rdf_type: ClassVar[URIRef] = RG.Commitment
    title: Annotated[Text | None, Pred(DCTERMS.title)] = None
    summary: Annotated[Text, Pred(DCTERMS.description)]
    made_by: Annotated[Ref | None, Pred(RG.madeBy, "ref", (RG.Body,))] = None
    owner: Annotated[Ref | None, Pred(RG.owner, "ref", (RG.Body,))] = None
    made_on: Annotated[DateRange, Pred(RG.madeOn)]
    origin: Annotated[CommitmentOrigin, _concept(CommitmentOrigin), Pred(RG.origin)] = (
        CommitmentOrigin.RESPONSE
    )
    response: Annotated[Ref | None, Pred(RG.inResponse, "ref", (RG.Response,))] = None
    answers: Annotated[Refs, Pred(RG.answersRecommendation, "ref", (RG.Recommendation,))] = ()
    themes: Annotated[Refs, Pred(RG.theme, "ref", (RG.Theme,))] = ()
    superseded_by: Annotated[
        Ref | None, Pred(RG.supersededBy, "ref", (RG.Commitment, RG.Deliverable))
    ] = None
    citations: Annotated[Citations, Pred(RG.citation)] = ()
    alternatives: Annotated[Alternatives, Pred(RG.alternative)] = ()


class DueDateStatement(Item):
    """A sourced claim, made on a date, that a commitment will be delivered by a target."""

    rdf_type: ClassVar[URIRef] = RG.DueDateStatement
    commitment: Annotated[Ref, Pred(RG.dueFor, "ref", (RG.Commitment,))]
    target: Annotated[DateRange, Pred(RG.target)]
    stated_on: Annotated[DateRange | None, Pred(RG.statedOn)] = None
    stated_by: Annotated[Ref | None, Pred(RG.statedBy, "ref", (RG.Body, RG.Person))] = None
    stated_by_role: Annotated[
        StatedByRole | None, _concept(StatedByRole), Pred(RG.statedByRole)
    ] = None
    """In what role ``stated_by`` gave the target: owner, sponsor, contractor, commentator."""
    citations: Annotated[Citations, Pred(RG.citation)] = ()


class StatusClaim(Item):
    """A dated, cited claim about how far a commitment (or recommendation) was delivered."""

    rdf_type: ClassVar[URIRef] = RG.StatusClaim
    about: Annotated[Ref, Pred(RG.claimAbout, "ref", (RG.Commitment, RG.Recommendation))]
    status: Annotated[Status, _concept(Status), Pred(RG.statusValue)]
    asserted_on: Annotated[DateRange, Pred(RG.assertedOn)]
    since: Annotated[DateRange | None, Pred(RG.stateSince)] = None
    assessor: Annotated[Ref | None, Pred(RG.assessor, "ref", (RG.Body, RG.Person))] = None
    role: Annotated[AssessorRole, _concept(AssessorRole), Pred(RG.assessorRole)] = (
        AssessorRole.COMPILER
    )
    deliverables: Annotated[Refs, Pred(RG.citesDeliverable, "ref", (RG.Deliverable,))] = ()
    searched_in: Annotated[tuple[Text, ...], AfterValidator(_canonical), Pred(RG.searchedIn)] = ()
    """For a "searched, none found" claim: where the assessor searched."""
    note: Annotated[Text | None, Pred(RG.note)] = None
    citations: Annotated[Citations, Pred(RG.citation)] = ()

    @model_validator(mode="after")
    def _search_places_need_a_search(self) -> Self:
        if self.searched_in and self.status is not Status.NO_EVIDENCE_FOUND:
            raise ValueError(
                "searched_in: only a 'searched, none found' claim records where it searched"
            )
        return self


class Fulfilment(Node):
    """That a deliverable fulfils a commitment, in full or in part."""

    rdf_type: ClassVar[URIRef] = RG.Fulfilment
    commitment: Annotated[Ref, Pred(RG.fulfilledCommitment, "ref", (RG.Commitment,))]
    degree: Annotated[FulfilmentDegree, _concept(FulfilmentDegree), Pred(RG.degree)] = (
        FulfilmentDegree.IN_FULL
    )


class Deliverable(Item):
    """A concrete thing delivered: a regulation, framework, programme, body, law or review."""

    rdf_type: ClassVar[URIRef] = RG.Deliverable
    title: Annotated[Text, Pred(DCTERMS.title)]
    kind: Annotated[DeliverableKind, _concept(DeliverableKind), Pred(RG.deliverableKind)] = (
        DeliverableKind.OTHER
    )
    date: Annotated[DateRange, Pred(RG.date)]
    by: Annotated[Ref | None, Pred(RG.deliveredBy, "ref", (RG.Body,))] = None
    url: Annotated[Url | None, Pred(SCHEMA.url, "url")] = None
    summary: Annotated[Text | None, Pred(DCTERMS.description)] = None
    fulfils: Annotated[tuple[Fulfilment, ...], AfterValidator(_canonical), Pred(RG.fulfilment)] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()


class Link(Item):
    """A typed link between two items: repeats, echoes, extends, implemented by, ..."""

    rdf_type: ClassVar[URIRef] = RG.Link
    type: Annotated[LinkType, _concept(LinkType), Pred(RG.linkType)]
    from_: Annotated[Ref, Pred(RG.linkFrom, "ref", _LINK_ENDS)] = Field(alias="from")
    to: Annotated[Ref, Pred(RG.linkTo, "ref", _LINK_ENDS)]
    basis: Annotated[LinkBasis, _concept(LinkBasis), Pred(RG.basis)] = LinkBasis.STATED
    rationale: Annotated[Text | None, Pred(RG.rationale)] = None
    citations: Annotated[Citations, Pred(RG.citation)] = ()


class BodyChange(Item):
    """A dated change to a body: renamed, merged into, split into, abolished, replaced by.

    ``date`` is when it takes effect; ``announced``, when it was made public beforehand.  A
    change naming ``functions``, ``themes`` or ``commitments`` is *scoped*: it moves only the
    commitments it lists or whose themes it lists, and leaves the rest with the body.
    """

    rdf_type: ClassVar[URIRef] = RG.BodyChange
    kind: Annotated[BodyChangeKind, _concept(BodyChangeKind), Pred(RG.changeKind)]
    body: Annotated[Ref, Pred(ORG.originalOrganization, "ref", (RG.Body,))]
    into: Annotated[Refs, Pred(ORG.resultingOrganization, "ref", (RG.Body,))] = ()
    date: Annotated[DateRange, Pred(RG.date)]
    announced: Annotated[DateRange | None, Pred(RG.announced)] = None
    functions: Annotated[tuple[Text, ...], AfterValidator(_canonical), Pred(RG.movesFunction)] = ()
    themes: Annotated[Refs, Pred(RG.movesTheme, "ref", (RG.Theme,))] = ()
    commitments: Annotated[Refs, Pred(RG.movesCommitment, "ref", (RG.Commitment,))] = ()
    note: Annotated[Text | None, Pred(RG.note)] = None
    citations: Annotated[Citations, Pred(RG.citation)] = ()

    @property
    def scoped(self) -> bool:
        """Whether the change moves only named functions, themes or commitments.

        Examples
        --------
        >>> BodyChange(id="c", kind="function transferred to", body="a", into=("b",),
        ...            date="2025-04-01", themes=("fire",)).scoped
        True
        """
        return bool(self.functions or self.themes or self.commitments)

    @model_validator(mode="after")
    def _announced_before_effect(self) -> Self:
        if self.announced is not None and self.announced.earliest > self.date.latest:
            raise ValueError(
                f"announced: {self.announced.text!r} is after the change took effect "
                f"({self.date.text!r})"
            )
        return self


class Election(Item):
    """A dated general election in a jurisdiction, with the parties that formed the government.

    A manifesto pledge of a party not among ``formed_government`` lapses on the election's date.
    """

    rdf_type: ClassVar[URIRef] = RG.Election
    title: Annotated[Text | None, Pred(DCTERMS.title)] = None
    date: Annotated[DateRange, Pred(RG.date)]
    jurisdiction: Annotated[Jurisdiction | None, _concept(Jurisdiction), Pred(RG.jurisdiction)] = (
        None
    )
    formed_government: Annotated[Refs, Pred(RG.formedGovernment, "ref", (RG.Body,))] = ()
    citations: Annotated[Citations, Pred(RG.citation)] = ()


ITEM_TYPES: dict[str, type[Item]] = {
    "sources": Source,
    "bodies": Body,
    "people": Person,
    "themes": Theme,
    "reviews": Review,
    "recommendations": Recommendation,
    "responses": Response,
    "stances": Stance,
    "commitments": Commitment,
    "due_dates": DueDateStatement,
    "status_claims": StatusClaim,
    "deliverables": Deliverable,
    "links": Link,
    "body_changes": BodyChange,
    "elections": Election,
}
"""Each :class:`Dataset` field that holds items, with its item model."""


class Dataset(BaseModel):
    """Every item of a dataset, flat, plus any triples outside the model.

    ``extra_triples`` holds, as N-Triples lines, whatever a graph said that no model field
    covers, so that graph -> models -> graph loses nothing.  ``language`` is the language tag
    written on text literals (none by default).

    Examples
    --------
    >>> ds = Dataset(bodies=(Body(id="dhsc", name="Department of Health and Social Care"),))
    >>> ds.get("dhsc").name
    'Department of Health and Social Care'
    >>> len(ds)
    1
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: Annotated[tuple[Source, ...], _CANON] = ()
    bodies: Annotated[tuple[Body, ...], _CANON] = ()
    people: Annotated[tuple[Person, ...], _CANON] = ()
    themes: Annotated[tuple[Theme, ...], _CANON] = ()
    reviews: Annotated[tuple[Review, ...], _CANON] = ()
    recommendations: Annotated[tuple[Recommendation, ...], _CANON] = ()
    responses: Annotated[tuple[Response, ...], _CANON] = ()
    stances: Annotated[tuple[Stance, ...], _CANON] = ()
    commitments: Annotated[tuple[Commitment, ...], _CANON] = ()
    due_dates: Annotated[tuple[DueDateStatement, ...], _CANON] = ()
    status_claims: Annotated[tuple[StatusClaim, ...], _CANON] = ()
    deliverables: Annotated[tuple[Deliverable, ...], _CANON] = ()
    links: Annotated[tuple[Link, ...], _CANON] = ()
    body_changes: Annotated[tuple[BodyChange, ...], _CANON] = ()
    elections: Annotated[tuple[Election, ...], _CANON] = ()
    extra_triples: Annotated[tuple[str, ...], AfterValidator(_canonical)] = ()
    language: str | None = None

    def items(self) -> list[Item]:
        """Return every item, in a stable order (by kind, then id)."""
        out: list[Item] = []
        for name in ITEM_TYPES:
            out.extend(getattr(self, name))
        return out

    def index(self) -> dict[str, Item]:
        """Return a mapping from identifier to item."""
        return {item.id: item for item in self.items()}

    def get(self, item_id: str) -> Item:
        """Return the item with identifier ``item_id``; raise ``LookupError`` if none."""
        found = self.index().get(item_id)
        if found is None:
            raise LookupError(f"no item with id {item_id!r}")
        return found

    def __len__(self) -> int:
        return sum(len(getattr(self, name)) for name in ITEM_TYPES)

    def merge(self, other: Dataset) -> Dataset:
        """Return a dataset holding the items of both (duplicates are not checked here)."""
        fields: dict[str, Any] = {
            name: getattr(self, name) + getattr(other, name) for name in ITEM_TYPES
        }
        fields["extra_triples"] = self.extra_triples + other.extra_triples
        fields["language"] = self.language or other.language
        return Dataset(**fields)
