"""The typed model: identifiers, text, URLs, concepts, canonical lists and the Dataset."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest
from hypothesis import given, settings
from pydantic import ValidationError
from rdflib.namespace import SKOS
from strategies import datasets

from reviewgraph.models import (
    ITEM_TYPES,
    AlternativeClaim,
    Body,
    Citation,
    Commitment,
    Dataset,
    DatedName,
    Deliverable,
    Fulfilment,
    Link,
    Person,
    Recommendation,
    Review,
    Stance,
    StatusClaim,
    Theme,
)
from reviewgraph.vocab.concepts import (
    SCHEMES,
    AssessorRole,
    CommitmentOrigin,
    DeliverableKind,
    FulfilmentDegree,
    LinkBasis,
    ReviewKind,
    StanceValue,
    Status,
    concept_iri,
    resolve_label,
)
from reviewgraph.vocab.ontology import load_ontology

PATTERN = "String should match pattern"


@pytest.mark.parametrize(
    "item_id",
    ["dhsc", "kark-2019", "1983-griffiths", "kark-2019/5", "francis-2013/33.10a", "a/b/c-1", "0"],
)
def test_valid_ids(item_id: str) -> None:
    assert Body(id=item_id, name="A body").id == item_id


@pytest.mark.parametrize(
    "item_id",
    [
        "",
        "DHSC",
        "nhs england",
        "-dhsc",
        "dhsc.uk",  # dots only in nested segments
        "kark-2019/",
        "kark-2019//5",
        "kark-2019/-5",
        "caf\u00e9",
        "dhsc\n",
        "x" * 201,
    ],
)
def test_invalid_ids_are_refused(item_id: str) -> None:
    with pytest.raises(ValidationError, match=r"String should (match pattern|have at most)"):
        Body(id=item_id, name="A body")


@pytest.mark.parametrize("url", ["http://example.org", "https://www.gov.uk/a/b?c=d#e"])
def test_http_urls_are_accepted(url: str) -> None:
    assert Person(id="p", name="P", url=url).url == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "javascript:alert(1)",
        "www.gov.uk",
        "https://",
        "https://example.org/a b",
        'https://example.org/"x"',
        "https://example.org/\n",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationError, match=PATTERN):
        Person(id="p", name="P", url=url)


@pytest.mark.parametrize("text", ["", " ", "\n\t "])
def test_blank_text_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="must not be blank"):
        Review(id="r", title=text)


def test_required_fields_are_required() -> None:
    with pytest.raises(ValidationError, match="title\n  Field required"):
        Review(id="r")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="made_on\n  Field required"):
        Commitment(id="c", summary="Do it")  # type: ignore[call-arg]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="colour\n  Extra inputs are not permitted"):
        Body(id="b", name="B", colour="red")  # type: ignore[call-arg]


def test_models_are_frozen() -> None:
    body = Body(id="b", name="B")
    with pytest.raises(ValidationError, match="frozen"):
        body.name = "C"  # type: ignore[misc]


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Review(id="r", title="T", stated_recommendations=-1)


def test_lists_are_canonical_sets() -> None:
    """RDF has no order: lists are sorted and de-duplicated, so order never matters."""
    a = Review(id="r", title="T", commissioned_by=("b", "a", "b"), themes=("z", "y"))
    b = Review(id="r", title="T", commissioned_by=("a", "b"), themes=("y", "z"))
    assert a == b
    assert a.commissioned_by == ("a", "b")
    c1, c2 = Citation(source="s2"), Citation(source="s1", locator="p. 1")
    assert Review(id="r", title="T", citations=(c1, c2, c1)).citations == (c2, c1)


def test_aliases_from_and_names() -> None:
    link = Link.model_validate({"id": "l", "type": "repeats", "from": "a", "to": "b"})
    assert link.from_ == "a"
    assert Link(id="l", type="repeats", from_="a", to="b") == link
    body = Body.model_validate(
        {"id": "dhsc", "name": "DHSC", "names": [{"name": "Department of Health"}]}
    )
    assert body.former_names == (DatedName(name="Department of Health"),)


def test_defaults_say_what_is_usual() -> None:
    c = Commitment(id="c", summary="Do it", made_on="2020")
    assert c.origin is CommitmentOrigin.RESPONSE
    s = StatusClaim(id="s", about="c", status="delivered", asserted_on="2021")
    assert s.role is AssessorRole.COMPILER
    d = Deliverable(id="d", title="D", date="2021")
    assert d.kind is DeliverableKind.OTHER
    assert Fulfilment(commitment="c").degree is FulfilmentDegree.IN_FULL
    assert Link(id="l", type="echoes", from_="a", to="b").basis is LinkBasis.STATED
    assert Body(id="b", name="B").government is False
    assert Review(id="r", title="T").expects_response is None


@pytest.mark.parametrize(
    ("period", "canonical"),
    [("P2M", "P2M"), ("p2m", "P2M"), (" P56D ", "P56D"), ("P12M", "P1Y"), ("P2W", "P14D")],
)
def test_response_periods_are_stored_canonically(period: str, canonical: str) -> None:
    assert Review(id="r", title="T", response_period=period).response_period == canonical


@pytest.mark.parametrize("period", ["two months", "PT5H", "P"])
def test_bad_periods_are_refused(period: str) -> None:
    with pytest.raises(ValidationError, match="is not an ISO 8601 period"):
        Review(id="r", title="T", response_period=period)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("accepted", StanceValue.ACCEPTED),
        ("Accepted in principle", StanceValue.ACCEPTED_IN_PRINCIPLE),
        ("accepted_in_principle", StanceValue.ACCEPTED_IN_PRINCIPLE),
        ("ACCEPTED-IN-PART", StanceValue.ACCEPTED_IN_PART),
        ("partially accepted", StanceValue.ACCEPTED_IN_PART),  # an altLabel
        ("rejected", StanceValue.NOT_ACCEPTED),
        ("Supported", StanceValue.ACCEPTED),  # UN UPR, mapped in mappings.ttl
        ("Subject to further consideration", StanceValue.TO_BE_CONSIDERED),
    ],
)
def test_stances_accept_labels_and_tracker_labels(label: str, expected: StanceValue) -> None:
    stance = Stance(id="s", response="r", recommendation="x/1", stance=label)
    assert stance.stance is expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("in_progress", Status.IN_PROGRESS),
        ("Closed\u2013implemented", Status.DELIVERED),  # US GAO, with an en dash
        ("Closed-implemented", Status.DELIVERED),
        ("Promise Kept", Status.DELIVERED),
        ("Not Started", Status.NOT_STARTED),
    ],
)
def test_statuses_accept_tracker_labels(label: str, expected: Status) -> None:
    claim = StatusClaim(id="s", about="c", status=label, asserted_on="2021")
    assert claim.status is expected


def test_unknown_and_ambiguous_labels_are_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError, match=r"'considering' is not a stance \(accepted, "):
        Stance(id="s", response="r", recommendation="x/1", stance="considering")
    with pytest.raises(ValidationError, match="'Open' is ambiguous as a status: it may mean"):
        StatusClaim(id="s", about="c", status="Open", asserted_on="2021")
    with pytest.raises(ValueError, match="is not a review kind"):
        resolve_label("podcast", ReviewKind)


@pytest.mark.parametrize("enum", sorted(SCHEMES, key=lambda e: e.__name__))
def test_every_concept_label_in_the_ontology_resolves_to_its_member(enum: type[StrEnum]) -> None:
    onto = load_ontology()
    for member in enum:
        assert resolve_label(member.value, enum) is member
        assert resolve_label(member.name, enum) is member
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in onto.objects(concept_iri(member), prop):
                assert resolve_label(str(label), enum) is member, (member, label)


def test_dataset_lookup_and_size(tiny_dataset: Dataset) -> None:
    assert len(tiny_dataset) == sum(len(getattr(tiny_dataset, name)) for name in ITEM_TYPES)
    assert isinstance(tiny_dataset.get("tiny-2020/1"), Recommendation)
    assert set(tiny_dataset.index()) == {item.id for item in tiny_dataset.items()}
    with pytest.raises(LookupError, match="no item with id 'nope'"):
        tiny_dataset.get("nope")
    kinds = [type(item) for item in tiny_dataset.items()]
    order = list(ITEM_TYPES.values())
    assert kinds == sorted(kinds, key=order.index)


def test_dataset_merge_keeps_both() -> None:
    a = Dataset(bodies=(Body(id="a", name="A"),), extra_triples=("<x:s> <x:p> <x:o>",))
    b = Dataset(themes=(Theme(id="t", label="T"),), language="en")
    merged = a.merge(b)
    assert {i.id for i in merged.items()} == {"a", "t"}
    assert merged.extra_triples == ("<x:s> <x:p> <x:o>",)
    assert merged.language == "en"


def test_alternative_claims_keep_their_citations() -> None:
    alt = AlternativeClaim(
        field="announced", value="2021-10-02", citations=(Citation(source="guardian"),)
    )
    review = Review(id="r", title="T", announced="2021-10-04", alternatives=(alt,))
    assert review.alternatives[0].citations[0].source == "guardian"
    assert review.announced is not None and review.announced.earliest == date(2021, 10, 4)


@settings(max_examples=60)
@given(datasets())
def test_json_round_trip_is_the_identity(dataset: Dataset) -> None:
    """What the JSON Schema describes is what the model reads back."""
    text = dataset.model_dump_json(by_alias=True)
    assert Dataset.model_validate_json(text) == dataset
