"""The reviewgraph vocabulary as an rdflib ``DefinedNamespace``, plus the project's prefixes.

``RG`` lists every term declared in ``ontology/reviewgraph.ttl``; a test checks the two agree.
With ``_fail = True`` a misspelt term raises ``AttributeError`` instead of minting a bogus IRI.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

__all__ = ["BASE_IRI", "PREFIXES", "RG", "RGM", "RGSH", "SCHEMA", "bind_prefixes"]

SCHEMA = Namespace("https://schema.org/")
RGM = Namespace("https://w3id.org/reviewgraph/mappings#")
RGSH = Namespace("https://w3id.org/reviewgraph/shapes#")
from reviewgraph.vocab.constants import BASE_IRI  # noqa: E402  (kept importable without rdflib)


class RG(DefinedNamespace):
    """reviewgraph ontology terms (https://w3id.org/reviewgraph/ns#)."""

    _fail = True
    _underscore_num = True

    # classes
    Review: URIRef
    Recommendation: URIRef
    Body: URIRef
    Person: URIRef
    Response: URIRef
    Stance: URIRef
    BlanketStance: URIRef
    Commitment: URIRef
    DueDateStatement: URIRef
    StatusClaim: URIRef
    Deliverable: URIRef
    Fulfilment: URIRef
    Link: URIRef
    BodyChange: URIRef
    Source: URIRef
    Citation: URIRef
    DateRange: URIRef
    AlternativeClaim: URIRef
    DatedName: URIRef
    Theme: URIRef
    Election: URIRef
    # properties
    onBehalfOf: URIRef
    interim: URIRef
    listedRecommendation: URIRef
    statedByRole: URIRef
    searchedIn: URIRef
    movesFunction: URIRef
    movesTheme: URIRef
    movesCommitment: URIRef
    formedGovernment: URIRef
    reviewKind: URIRef
    jurisdiction: URIRef
    commissionedBy: URIRef
    lead: URIRef
    announced: URIRef
    termsOfReference: URIRef
    deliveredToMinisters: URIRef
    published: URIRef
    statedRecommendationCount: URIRef
    expectsResponse: URIRef
    responsePeriod: URIRef
    responseDue: URIRef
    theme: URIRef
    partOf: URIRef
    labelInReview: URIRef
    isThemeLabel: URIRef
    addressedTo: URIRef
    actsForGovernment: URIRef
    formerName: URIRef
    name: URIRef
    until: URIRef
    roleDescription: URIRef
    publisherName: URIRef
    date: URIRef
    citation: URIRef
    source: URIRef
    locator: URIRef
    accessed: URIRef
    respondent: URIRef
    statedBy: URIRef
    answers: URIRef
    blanketStance: URIRef
    review: URIRef
    stanceValue: URIRef
    inResponse: URIRef
    recommendation: URIRef
    note: URIRef
    madeBy: URIRef
    owner: URIRef
    madeOn: URIRef
    origin: URIRef
    answersRecommendation: URIRef
    supersededBy: URIRef
    dueFor: URIRef
    target: URIRef
    statedOn: URIRef
    claimAbout: URIRef
    statusValue: URIRef
    assertedOn: URIRef
    stateSince: URIRef
    assessor: URIRef
    assessorRole: URIRef
    citesDeliverable: URIRef
    deliverableKind: URIRef
    deliveredBy: URIRef
    fulfilment: URIRef
    fulfils: URIRef
    fulfilledCommitment: URIRef
    degree: URIRef
    linkType: URIRef
    linkFrom: URIRef
    linkTo: URIRef
    basis: URIRef
    rationale: URIRef
    changeKind: URIRef
    dateText: URIRef
    earliest: URIRef
    latest: URIRef
    alternative: URIRef
    claimedProperty: URIRef
    claimedValue: URIRef
    rank: URIRef
    laterEnd: URIRef
    repeats: URIRef
    echoes: URIRef
    extends: URIRef
    implementedBy: URIRef
    commissioned: URIRef
    examines: URIRef
    respondsTo: URIRef
    endorses: URIRef
    commentsOn: URIRef
    # concept schemes
    ReviewKinds: URIRef
    Stances: URIRef
    Statuses: URIRef
    AssessorRoles: URIRef
    LinkTypes: URIRef
    BodyChangeKinds: URIRef
    CommitmentOrigins: URIRef
    DeliverableKinds: URIRef
    FulfilmentDegrees: URIRef
    LinkBases: URIRef
    Themes: URIRef
    StatedByRoles: URIRef
    Jurisdictions: URIRef
    # concepts
    IndependentReview: URIRef
    PublicInquiry: URIRef
    AuditReport: URIRef
    SelectCommitteeReport: URIRef
    RoyalCommission: URIRef
    RegulatorReport: URIRef
    CoronersReport: URIRef
    Commentary: URIRef
    Accepted: URIRef
    AcceptedInPrinciple: URIRef
    AcceptedInPart: URIRef
    NotAccepted: URIRef
    Noted: URIRef
    ToBeConsidered: URIRef
    NotStarted: URIRef
    InProgress: URIRef
    PartiallyDelivered: URIRef
    Delivered: URIRef
    Dropped: URIRef
    NoEvidenceFound: URIRef
    SelfAssessment: URIRef
    SponsorAssessment: URIRef
    IndependentScrutiny: URIRef
    CommentatorAssessment: URIRef
    CompilerAssessment: URIRef
    Renamed: URIRef
    MergedInto: URIRef
    SplitInto: URIRef
    Abolished: URIRef
    ReplacedBy: URIRef
    FunctionTransferredTo: URIRef
    OriginResponse: URIRef
    OriginTermsOfReference: URIRef
    OriginPlan: URIRef
    OriginManifesto: URIRef
    OriginMinisterialStatement: URIRef
    OriginOther: URIRef
    Regulation: URIRef
    Framework: URIRef
    Guidance: URIRef
    Programme: URIRef
    NewBody: URIRef
    Legislation: URIRef
    FollowUpReview: URIRef
    PlanDocument: URIRef
    OtherDeliverable: URIRef
    InFull: URIRef
    InPart: URIRef
    StatedByOwner: URIRef
    StatedBySponsor: URIRef
    StatedByContractor: URIRef
    StatedByCommentator: URIRef
    UnitedKingdom: URIRef
    GreatBritain: URIRef
    EnglandAndWales: URIRef
    England: URIRef
    Scotland: URIRef
    Wales: URIRef
    NorthernIreland: URIRef
    Australia: URIRef
    NewSouthWales: URIRef
    Victoria: URIRef
    Queensland: URIRef
    WesternAustralia: URIRef
    SouthAustralia: URIRef
    Tasmania: URIRef
    AustralianCapitalTerritory: URIRef
    NorthernTerritory: URIRef
    StatedBySource: URIRef
    InferredByCompiler: URIRef

    _NS = Namespace("https://w3id.org/reviewgraph/ns#")


PREFIXES: dict[str, Namespace] = {
    "rg": Namespace("https://w3id.org/reviewgraph/ns#"),
    "rgm": RGM,
    "rgsh": RGSH,
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "org": Namespace(str(ORG)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "xsd": Namespace(str(XSD)),
}
"""The prefixes reviewgraph binds on every graph it makes, in one place."""


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    """Bind the project's prefixes (and ``id:`` for the item base) on ``graph`` and return it.

    Examples
    --------
    >>> g = bind_prefixes(Graph(bind_namespaces="none"))
    >>> dict(g.namespaces())["rg"]
    rdflib.term.URIRef('https://w3id.org/reviewgraph/ns#')
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("id", Namespace(base or BASE_IRI), override=True, replace=True)
    return graph
