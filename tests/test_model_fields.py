"""The data model the revised rules need (issue #14): each new field is written in YAML, held by
the models, written to RDF with its own predicate, read back unchanged, and checked by the
shapes where a field alone cannot check it.

The fields: ``Response.on_behalf_of`` and ``interim``; blanket stances that list their
recommendations; due dates' ``stated_by_role``; status claims that record a search
(``searched_in``); body changes that are scoped (``functions``, ``themes``, ``commitments``)
or announced (``announced``); elections; jurisdictions as a SKOS scheme with ``broader``;
the link types ``responds to``, ``endorses`` and ``comments on``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from reviewgraph.errors import ValidationFailed
from reviewgraph.io.files import Loaded, read_dataset
from reviewgraph.models import BlanketStance, Body, BodyChange, Election, Response, StatusClaim
from reviewgraph.rdf.mapping import from_graph, item_iri, to_graph
from reviewgraph.validate import validate_dataset
from reviewgraph.vocab.concepts import (
    Jurisdiction,
    LinkType,
    StatedByRole,
    Status,
    concept_iri,
    resolve_label,
    within,
)
from reviewgraph.vocab.namespaces import BASE_IRI, RG
from reviewgraph.vocab.ontology import load_ontology

DOC = """
sources:
  - {id: src, url: "https://example.org/a", date: 2024-01-01}
bodies:
  - {id: dhsc, name: Department, government: true, jurisdiction: United Kingdom}
  - {id: hee, name: Education body, parent: dhsc, jurisdiction: England}
  - {id: labour, name: Labour Party, jurisdiction: UK}
  - {id: tories, name: Conservative Party, jurisdiction: united kingdom}
  - {id: acme, name: Acme Consulting}
themes:
  - {id: fire, label: Fire}
review:
  id: r-2020
  title: A review
  kind: independent review
  jurisdiction: England
  published: 2020-01-01
  citations: [{source: src}]
  recommendations:
    - {label: "1", addressees: [hee], citations: [{source: src}]}
    - {label: "2", addressees: [hee], citations: [{source: src}]}
responses:
  - id: resp
    by: dhsc
    on_behalf_of: [hee]
    interim: true
    date: 2020-03-01
    answers: [r-2020]
    blanket:
      - review: r-2020
        stance: accepted
        recommendations: [r-2020/2]
        citations: [{source: src}]
    citations: [{source: src}]
commitments:
  - id: pledge
    summary: Do the thing.
    made_by: tories
    owner: dhsc
    made_on: 2020-03-01
    origin: manifesto
    themes: [fire]
    citations: [{source: src}]
    due_dates:
      - target: 2021-12
        stated_on: 2020-04-01
        stated_by: acme
        stated_by_role: contractor
        citations: [{source: src}]
    status:
      - status: searched, none found
        asserted_on: 2021-01-01
        role: compiler
        searched_in: [gov.uk, the department's annual report]
        citations: [{source: src}]
links:
  - {id: nod, type: endorses, from: pledge, to: r-2020/1, citations: [{source: src}]}
body_changes:
  - id: fire-move
    kind: function transferred to
    body: dhsc
    into: [hee]
    announced: 2020-06-01
    date: 2020-09-01
    functions: [fire safety policy]
    themes: [fire]
    commitments: [pledge]
    citations: [{source: src}]
elections:
  - id: ge-2020
    title: General election
    date: 2020-12-12
    jurisdiction: United Kingdom
    formed_government: [labour]
    citations: [{source: src}]
"""


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str = DOC) -> Loaded:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return read_dataset(["f.yaml"])


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        load(tmp_path, monkeypatch, text)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Loaded:
    return load(tmp_path, monkeypatch)


def test_every_new_field_is_read_from_yaml(loaded: Loaded) -> None:
    ds = loaded.dataset
    resp = ds.get("resp")
    assert isinstance(resp, Response)
    assert resp.on_behalf_of == ("hee",) and resp.interim is True
    assert resp.blanket == (
        BlanketStance(
            review="r-2020",
            stance="accepted",
            recommendations=("r-2020/2",),
            citations=resp.blanket[0].citations,
        ),
    )
    (due,) = ds.due_dates
    assert due.stated_by_role is StatedByRole.CONTRACTOR
    (claim,) = ds.status_claims
    assert claim.status is Status.NO_EVIDENCE_FOUND
    assert claim.searched_in == ("gov.uk", "the department's annual report")
    change = ds.get("fire-move")
    assert isinstance(change, BodyChange) and change.scoped
    assert change.announced is not None and change.announced.text == "2020-06-01"
    assert (change.functions, change.themes, change.commitments) == (
        ("fire safety policy",),
        ("fire",),
        ("pledge",),
    )
    (election,) = ds.elections
    assert isinstance(election, Election)
    assert election.formed_government == ("labour",)
    assert election.jurisdiction is Jurisdiction.UNITED_KINGDOM
    assert ds.get("nod").type is LinkType.ENDORSES  # type: ignore[attr-defined]


def test_jurisdictions_accept_labels_notations_and_alt_labels(loaded: Loaded) -> None:
    ds = loaded.dataset
    kinds = {b.id: b.jurisdiction for b in ds.bodies}
    assert kinds == {
        "dhsc": Jurisdiction.UNITED_KINGDOM,
        "hee": Jurisdiction.ENGLAND,
        "labour": Jurisdiction.UNITED_KINGDOM,  # "UK", an altLabel
        "tories": Jurisdiction.UNITED_KINGDOM,
        "acme": None,
    }
    assert ds.reviews[0].jurisdiction is Jurisdiction.ENGLAND


def test_the_new_fields_are_written_with_their_own_predicates_and_read_back(
    loaded: Loaded,
) -> None:
    ds = loaded.dataset
    graph = to_graph(ds)
    resp = item_iri("resp")
    assert (resp, RG.onBehalfOf, item_iri("hee")) in graph
    assert (resp, RG.interim, Literal(True)) in graph
    assert (item_iri("hee"), RG.jurisdiction, RG.England) in graph
    change = item_iri("fire-move")
    assert (change, RG.movesTheme, item_iri("fire")) in graph
    assert (change, RG.movesCommitment, item_iri("pledge")) in graph
    assert (change, RG.movesFunction, Literal("fire safety policy")) in graph
    assert (item_iri("ge-2020"), RG.formedGovernment, item_iri("labour")) in graph
    assert (item_iri("pledge"), RG.endorses, item_iri("r-2020/1")) in graph
    blanket = graph.value(resp, RG.blanketStance)
    assert (blanket, RG.listedRecommendation, item_iri("r-2020/2")) in graph
    assert from_graph(graph) == ds


def test_the_seeds_validate_with_their_jurisdictions_as_concepts() -> None:
    seeds = read_dataset()
    values = {b.jurisdiction for b in seeds.dataset.bodies} | {
        r.jurisdiction for r in seeds.dataset.reviews
    }
    assert values - {None} == {Jurisdiction.ENGLAND, Jurisdiction.UNITED_KINGDOM}
    report = validate_dataset(seeds)
    assert report.violations == []


def test_the_sample_document_conforms(loaded: Loaded) -> None:
    report = validate_dataset(loaded)
    assert [str(v) for v in report.violations] == []


@pytest.mark.parametrize(
    ("inner", "outer", "expected"),
    [
        (Jurisdiction.ENGLAND, Jurisdiction.UNITED_KINGDOM, True),
        (Jurisdiction.ENGLAND, Jurisdiction.GREAT_BRITAIN, True),
        (Jurisdiction.ENGLAND, Jurisdiction.ENGLAND, True),
        (Jurisdiction.WALES, Jurisdiction.ENGLAND_AND_WALES, True),
        (Jurisdiction.SCOTLAND, Jurisdiction.ENGLAND_AND_WALES, False),
        (Jurisdiction.NORTHERN_IRELAND, Jurisdiction.GREAT_BRITAIN, False),
        (Jurisdiction.NORTHERN_IRELAND, Jurisdiction.UNITED_KINGDOM, True),
        (Jurisdiction.UNITED_KINGDOM, Jurisdiction.ENGLAND, False),
        (Jurisdiction.VICTORIA, Jurisdiction.AUSTRALIA, True),
        (Jurisdiction.TASMANIA, Jurisdiction.VICTORIA, False),
        (Jurisdiction.QUEENSLAND, Jurisdiction.UNITED_KINGDOM, False),
    ],
)
def test_within_follows_broader(inner: Jurisdiction, outer: Jurisdiction, expected: bool) -> None:
    assert within(inner, outer) is expected


def test_every_jurisdiction_but_the_two_countries_has_a_broader_one() -> None:
    onto = load_ontology()
    tops = {j for j in Jurisdiction if onto.value(concept_iri(j), SKOS.broader) is None}
    assert tops == {Jurisdiction.UNITED_KINGDOM, Jurisdiction.AUSTRALIA}
    for j in set(Jurisdiction) - tops:
        up = onto.value(concept_iri(j), SKOS.broader)
        assert isinstance(up, URIRef) and up.startswith(str(RG))


def test_the_search_status_reads_as_searched_none_found() -> None:
    onto = load_ontology()
    assert str(onto.value(RG.NoEvidenceFound, SKOS.prefLabel)) == "searched, none found"
    # the old wording still loads
    assert resolve_label("no evidence found", Status) is Status.NO_EVIDENCE_FOUND


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "jurisdiction: England\n  published",
            "jurisdiction: Middle Earth\n  published",
            "'Middle Earth' is not a jurisdiction",
        ),
        (
            "    announced: 2020-06-01\n",
            "    announced: 2021-06-01\n",
            "announced: '2021-06-01' is after the change took effect ('2020-09-01')",
        ),
        (
            "      - status: searched, none found\n",
            "      - status: in progress\n",
            "searched_in: only a 'searched, none found' claim records where it searched",
        ),
        (
            "  - {id: nod, type: endorses,",
            "  - {id: nod, type: applauds,",
            "'applauds' is not a link type",
        ),
        (
            "        stated_by_role: contractor\n",
            "        stated_by_role: bystander\n",
            "'bystander' is not a stated-by role",
        ),
    ],
    ids=["jurisdiction", "announced-after-effect", "search-places", "link-type", "role"],
)
def test_bad_values_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    assert old in DOC
    found = problems(tmp_path, monkeypatch, DOC.replace(old, new))
    # the bad item is named first; items referring to it are then reported as missing
    assert message in found[0], found
    assert all(p.startswith("f.yaml:") for p in found)


def test_a_blanket_stance_listing_another_reviews_recommendation_is_a_violation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = DOC.replace(
        "elections:",
        "reviews:\n  - {id: other, title: Other, published: 2019-01-01,"
        " citations: [{source: src}],\n"
        "     recommendations: [{label: '9', citations: [{source: src}]}]}\n"
        "elections:",
    ).replace("recommendations: [r-2020/2]", "recommendations: [r-2020/2, other/9]")
    report = validate_dataset(load(tmp_path, monkeypatch, text))
    assert sorted(str(v) for v in report.violations) == [
        "f.yaml:22: response resp: A blanket stance lists a recommendation of another review "
        "than its own.",
        "f.yaml:22: response resp: A response's blanket must be a well-formed blanket stance.",
    ]


def test_the_models_resolve_the_new_concepts_from_labels() -> None:
    assert item_iri("x") == URIRef(BASE_IRI + "x")
    assert Body(id="b", name="B", jurisdiction="Scotland").jurisdiction is Jurisdiction.SCOTLAND
    assert (
        StatusClaim(
            id="s", about="c", status="searched, none found", asserted_on="2024-01-01"
        ).searched_in
        == ()
    )
