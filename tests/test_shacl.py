"""The SHACL shapes and the date rules reject invalid data with specific, plain messages.

Invalid data the models cannot even hold (a missing title, a stance outside its scheme) is
built as raw RDF and checked against ``ontology/shapes.ttl`` directly; data the models can
hold is checked with :func:`reviewgraph.validate.validate_dataset`, whose messages name the
item (and, for data read from files, the file and line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from conftest import AS_OF, DATA
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from reviewgraph.dates import DateRange
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Citation, Dataset, Link
from reviewgraph.rdf.mapping import item_iri, to_graph
from reviewgraph.shacl import check_dataset, check_graph, split_shapes
from reviewgraph.validate import ValidationReport, validate_dataset
from reviewgraph.vocab.namespaces import BASE_IRI, RG, SCHEMA
from reviewgraph.vocab.ontology import load_shapes


@dataclass(frozen=True)
class Result:
    focus: str
    severity: str
    message: str
    component: str


def shacl(graph: Graph) -> list[Result]:
    """Validate a graph against the shipped shapes; return every result, readably."""
    _, report, text = pyshacl.validate(
        graph, shacl_graph=load_shapes(), advanced=True, allow_warnings=True, inference="none"
    )
    assert isinstance(report, Graph), text
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        out.append(
            Result(
                focus=str(focus).removeprefix(BASE_IRI) if isinstance(focus, URIRef) else "_",
                severity=str(report.value(r, SH.resultSeverity)).split("#")[1],
                message=str(report.value(r, SH.resultMessage)),
                component=str(report.value(r, SH.sourceConstraintComponent)).split("#")[1],
            )
        )
    return sorted(set(out), key=lambda x: (x.focus, x.message))


def violations(results: list[Result]) -> list[Result]:
    return [r for r in results if r.severity == "Violation"]


def replace(dataset: Dataset, collection: str, item_id: str, **changes: Any) -> Dataset:
    """Return ``dataset`` with one item changed (re-validated by the model)."""
    items = [
        type(i).model_validate({**i.model_dump(), **changes}) if i.id == item_id else i
        for i in getattr(dataset, collection)
    ]
    return Dataset.model_validate({**dict(dataset), collection: tuple(items)})


def report(dataset: Dataset, as_of: date = AS_OF) -> ValidationReport:
    return validate_dataset(dataset, as_of=as_of)


# --------------------------------------------------------------------------- the valid case


def test_the_tiny_dataset_conforms(tiny_dataset: Dataset) -> None:
    result = report(tiny_dataset)
    assert result.conforms, [str(p) for p in result.violations]
    assert result.warnings == []
    assert shacl(to_graph(tiny_dataset)) == []


# --------------------------------------------------------------------------- raw RDF

REVIEW = item_iri("tiny-2020")
STANCE = item_iri("tiny-response/1")
COMMITMENT = item_iri("tiny-register")
LINK = item_iri("tiny-link")


def _drop(s: Any, p: Any) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.remove((s, p, None))

    return mutate


def _set(s: Any, p: Any, o: Any) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.remove((s, p, None))
        g.add((s, p, o))

    return mutate


def _add(s: Any, p: Any, o: Any) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        g.add((s, p, o))

    return mutate


def _on_published(p: Any, o: Any | None) -> Callable[[Graph], None]:
    """Change a bound of the review's publication date range."""

    def mutate(g: Graph) -> None:
        node = g.value(REVIEW, RG.published)
        g.remove((node, p, None))
        if o is not None:
            g.add((node, p, o))

    return mutate


def _on_citation(p: Any, o: Any | None) -> Callable[[Graph], None]:
    def mutate(g: Graph) -> None:
        node = g.value(COMMITMENT, RG.citation)
        g.remove((node, p, None))
        if o is not None:
            g.add((node, p, o))

    return mutate


RAW_CASES: list[tuple[str, Callable[[Graph], None], str, str, str]] = [
    (
        "missing title",
        _drop(REVIEW, DCTERMS.title),
        "tiny-2020",
        "MinCountConstraintComponent",
        "A review's title must be text. It is required, once.",
    ),
    (
        "two titles",
        _add(REVIEW, DCTERMS.title, Literal("A second title")),
        "tiny-2020",
        "MaxCountConstraintComponent",
        "A review's title must be text. It is required, once.",
    ),
    (
        "a title that is not text",
        _set(REVIEW, DCTERMS.title, URIRef("https://example.org/title")),
        "tiny-2020",
        "NodeKindConstraintComponent",
        "A review's title must be text. It is required, once.",
    ),
    (
        "stance value outside the scheme",
        _set(STANCE, RG.stanceValue, URIRef(str(RG._NS) + "Considering")),
        "tiny-response/1",
        "InConstraintComponent",
        "A stance's stance must be one of: accepted, accepted in principle, accepted in part, "
        "not accepted, noted, to be considered. It is required, once.",
    ),
    (
        "a status where a stance goes",
        _set(STANCE, RG.stanceValue, RG.Delivered),
        "tiny-response/1",
        "InConstraintComponent",
        "A stance's stance must be one of: accepted, accepted in principle, accepted in part, "
        "not accepted, noted, to be considered. It is required, once.",
    ),
    (
        "url that is not http(s)",
        _set(REVIEW, SCHEMA.url, URIRef("ftp://example.org/review.pdf")),
        "tiny-2020",
        "PatternConstraintComponent",
        "A review's url must be an http or https address. Give it at most once.",
    ),
    (
        "a date range without its latest day",
        _on_published(RG.latest, None),
        "_",
        "MinCountConstraintComponent",
        "A date range needs its latest day, once, as a date.",
    ),
    (
        "a date range whose earliest day is not a date",
        _on_published(RG.earliest, Literal("mid-January")),
        "_",
        "DatatypeConstraintComponent",
        "A date range needs its earliest day, once, as a date.",
    ),
    (
        "a negative count",
        _set(REVIEW, RG.statedRecommendationCount, Literal(-3)),
        "tiny-2020",
        "MinInclusiveConstraintComponent",
        "A review's stated recommendations must be a whole number, zero or more. "
        "Give it at most once.",
    ),
    (
        "a flag that is not true or false",
        _set(item_iri("dept"), RG.actsForGovernment, Literal("yes")),
        "dept",
        "DatatypeConstraintComponent",
        "A body's government must be true or false. Give it at most once.",
    ),
    (
        "a recommendation in no review",
        _drop(item_iri("tiny-2020/1"), RG.partOf),
        "tiny-2020/1",
        "MinCountConstraintComponent",
        "A recommendation's review must refer to a review. It is required, once.",
    ),
    (
        "a citation without its source",
        _on_citation(RG.source, None),
        "_",
        "MinCountConstraintComponent",
        "A citation's source must refer to a source. It is required, once.",
    ),
    (
        "an accessed date that is not a date",
        _on_citation(RG.accessed, Literal("last week")),
        "_",
        "DatatypeConstraintComponent",
        "A citation's accessed must be a date (YYYY-MM-DD). Give it at most once.",
    ),
    (
        "a link type outside its scheme",
        _set(LINK, RG.linkType, RG.Accepted),
        "tiny-link",
        "InConstraintComponent",
        "A link's type must be one of: repeats, echoes, extends, implemented by, "
        "commissioned, examines, responds to, endorses, comments on. It is required, once.",
    ),
    (
        "a response period that is not a duration",
        _set(REVIEW, RG.responsePeriod, Literal("two months")),
        "tiny-2020",
        "DatatypeConstraintComponent",
        "A review's response period must be an ISO 8601 period such as P2M. Give it at most once.",
    ),
]


@pytest.mark.parametrize(
    ("label", "mutate", "focus", "component", "message"),
    RAW_CASES,
    ids=[case[0] for case in RAW_CASES],
)
def test_shapes_reject_raw_rdf(
    tiny_dataset: Dataset,
    label: str,
    mutate: Callable[[Graph], None],
    focus: str,
    component: str,
    message: str,
) -> None:
    graph = to_graph(tiny_dataset)
    mutate(graph)
    found = violations(shacl(graph))
    assert Result(focus, "Violation", message, component) in found, found


def test_a_stance_outside_the_scheme_is_named_by_validate(tiny_dataset: Dataset) -> None:
    """Through validate_dataset too, the problem names the item, not a blank node."""
    graph = to_graph(tiny_dataset)
    _set(STANCE, RG.stanceValue, URIRef(str(RG._NS) + "Considering"))(graph)
    _on_published(RG.latest, None)(graph)
    found = check_graph(graph, BASE_IRI)
    assert ("tiny-response/1", RAW_CASES[3][4], False) in found
    assert ("tiny-2020", "A date range needs its latest day, once, as a date.", False) in found


# --------------------------------------------------------------------------- through the models


MODEL_CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    (
        "a ref to the wrong class (owner pointing at a person)",
        "commitments",
        "tiny-register",
        {"owner": "jo-bloggs"},
        "commitment tiny-register: A commitment's owner must refer to a body. "
        "Give it at most once.",
    ),
    (
        "a ref to nothing at all",
        "recommendations",
        "tiny-2020/1",
        {"addressees": ("no-such-body",)},
        "recommendation tiny-2020/1: A recommendation's addressees must refer to a body.",
    ),
    (
        "a stance dated before the review's publication",
        "stances",
        "tiny-response/1",
        {"date": DateRange.from_text("2019-12")},
        "stance tiny-response/1: A stance is dated before the review it answers was published.",
    ),
    (
        "a response (and so its stances) before the review's publication",
        "responses",
        "tiny-response",
        {"date": DateRange.from_text("2020-01-14")},
        "stance tiny-response/1: A stance is dated before the review it answers was published.",
    ),
    (
        "a status claim asserted before its commitment was made",
        "status_claims",
        "tiny-register/status-1",
        {"asserted_on": DateRange.from_text("February 2020")},
        "status claim tiny-register/status-1: A status claim is asserted before the "
        "commitment it is about was made.",
    ),
    (
        "a link whose later end predates the earlier one",
        "links",
        "tiny-link",
        {"from_": "tiny-register-live", "to": "tiny-register"},
        "link tiny-link: A link's later end is dated before its earlier end.",
    ),
    (
        "a 'repeats' link pointing forward in time",
        "links",
        "tiny-link",
        {"type": "repeats", "from_": "tiny-register", "to": "tiny-register-live"},
        "link tiny-link: A link's later end is dated before its earlier end.",
    ),
    (
        "a link to a body",
        "links",
        "tiny-link",
        {"to": "dept"},
        "link tiny-link: A link's to must refer to a review or recommendation or commitment "
        "or deliverable. It is required, once.",
    ),
    (
        "a citation-less commitment",
        "commitments",
        "tiny-register",
        {"citations": ()},
        "commitment tiny-register: A commitment needs at least one citation "
        "(a source, where in it, when read).",
    ),
    (
        "a citation-less stance",
        "stances",
        "tiny-response/1",
        {"citations": ()},
        "stance tiny-response/1: A stance needs at least one citation "
        "(a source, where in it, when read).",
    ),
    (
        "a citation of something that is not a source",
        "deliverables",
        "tiny-register-live",
        {"citations": (Citation(source="dept"),)},
        "deliverable tiny-register-live: A citation's source must refer to a source. "
        "It is required, once.",
    ),
]


@pytest.mark.parametrize(
    ("label", "collection", "item_id", "changes", "expected"),
    MODEL_CASES,
    ids=[case[0] for case in MODEL_CASES],
)
def test_validate_rejects(
    tiny_dataset: Dataset,
    label: str,
    collection: str,
    item_id: str,
    changes: dict[str, Any],
    expected: str,
) -> None:
    result = report(replace(tiny_dataset, collection, item_id, **changes))
    assert not result.conforms
    assert expected in [str(p) for p in result.violations], [str(p) for p in result.violations]
    assert all(p.severity == "violation" for p in result.violations)


def whole(graph: Graph) -> set[tuple[str, str, bool]]:
    """pyshacl's results over the whole graph and the whole shapes, each named by the item
    that owns its focus node, as :mod:`reviewgraph.shacl` names them."""
    from reviewgraph.shacl import _owner

    _, report, text = pyshacl.validate(
        graph, shacl_graph=load_shapes(), advanced=True, allow_warnings=True, inference="none"
    )
    assert isinstance(report, Graph), text
    return {
        (
            _owner(graph, report.value(r, SH.focusNode), BASE_IRI),
            str(report.value(r, SH.resultMessage)),
            report.value(r, SH.resultSeverity) == SH.Warning,
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _late(g: Graph, subject: Any, predicate: Any) -> None:
    """Move the date range ``subject predicate ...`` to the year 2100."""
    node = g.value(subject, predicate)
    for bound in (RG.earliest, RG.latest):
        g.set((node, bound, Literal(date(2100, 1, 1))))


def _sparql_breaking_graph(dataset: Dataset) -> Graph:
    """The tiny dataset as RDF, broken for each SPARQL-based constraint of the shapes: the
    review published after its stances and links, the commitment made after its status
    claims, and a blanket stance listing another review's recommendation; a second review
    published after everything doubles the focus nodes."""
    g = to_graph(dataset)
    _late(g, REVIEW, RG.published)
    _late(g, COMMITMENT, RG.madeOn)
    other, rec, blanket = item_iri("other-2021"), item_iri("other-2021/1"), item_iri("b")
    g.add((rec, RG.partOf, other))
    g.add((blanket, RDF.type, RG.BlanketStance))
    g.add((blanket, RG.review, REVIEW))
    g.add((blanket, RG.listedRecommendation, rec))
    g.add((item_iri("tiny-response"), RG.blanketStance, blanket))
    return g


def test_bulk_sparql_constraints_agree_with_pyshacl(tiny_dataset: Dataset) -> None:
    """validate runs the SPARQL-based constraints once over all their focus nodes, not once
    per node as pyshacl does; on a graph breaking each of them, the results are pyshacl's."""
    graph = _sparql_breaking_graph(tiny_dataset)
    expected = whole(graph)
    assert set(check_graph(graph, BASE_IRI)) == expected
    messages = {m for _, m, _ in expected}
    assert {
        "A stance is dated before the review it answers was published.",
        "A link's later end is dated before its earlier end.",
        "A status claim is asserted before the commitment it is about was made.",
        "A blanket stance lists a recommendation of another review than its own.",
    } <= messages
    assert len(split_shapes()[1]) == 5  # the blanket stance's, and its response's sh:node


@pytest.mark.parametrize(
    ("label", "collection", "item_id", "changes"),
    [("valid", "", "", {})] + [case[:4] for case in MODEL_CASES],
    ids=["valid"] + [case[0] for case in MODEL_CASES],
)
def test_chunks_of_one_item_agree_with_the_whole_graph(
    tiny_dataset: Dataset, label: str, collection: str, item_id: str, changes: dict[str, Any]
) -> None:
    """Each item checked alone, with only the classes of what it refers to, gives the
    results pyshacl gives over the whole graph: no result lost, none made up."""
    dataset = replace(tiny_dataset, collection, item_id, **changes) if collection else tiny_dataset
    expected = whole(to_graph(dataset))
    assert bool(expected) == bool(collection)
    assert set(check_dataset(dataset, BASE_IRI, chunk_items=1, workers=1)) == expected


def test_chunks_checked_side_by_side_agree_with_the_whole_graph() -> None:
    """The seeds, with a side-table triple, a stance dated before its review and a blanket
    stance listing another review's recommendation, in chunks of 25 items on two processes."""
    seeds = read_dataset().dataset
    stance = seeds.stances[0]
    review = next(
        r
        for r in seeds.reviews
        for rec in seeds.recommendations
        if rec.id == stance.recommendation and rec.review == r.id
    )
    dataset = replace(seeds, "stances", stance.id, date="1900-01-01")
    dataset = Dataset.model_validate(
        {**dict(dataset), "extra_triples": (f'<{item_iri(review.id)}> <{DCTERMS.title}> "x"',)}
    )
    answered = next(r for r in dataset.responses if r.blanket)
    blanket = answered.blanket[0]
    other = next(rec for rec in dataset.recommendations if rec.review != blanket.review)
    listed = {**blanket.model_dump(), "recommendations": (other.id,)}
    dataset = replace(dataset, "responses", answered.id, blanket=(listed,))
    expected = whole(to_graph(dataset))
    assert (
        answered.id,
        "A blanket stance lists a recommendation of another review than its own.",
        False,
    ) in expected
    assert "A stance is dated before the review it answers was published." in {
        m for _, m, _ in expected
    }
    assert (review.id, "A review's title must be text. It is required, once.", False) in expected
    got = check_dataset(dataset, BASE_IRI, chunk_items=25, workers=2)
    assert set(got) == expected


def test_a_link_respecting_time_passes(tiny_dataset: Dataset) -> None:
    """The same rule, the right way round: 'repeats' from the later item is fine."""
    fine = replace(
        tiny_dataset,
        "links",
        "tiny-link",
        type="repeats",
        from_="tiny-register-live",
        to="tiny-register",
    )
    assert report(fine).conforms


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2021, 12, 31), []),
        (
            date(2021, 8, 31),
            [
                "deliverable tiny-register-live: date '2021-09' is after today (2021-08-31); "
                "only due dates may lie in the future"
            ],
        ),
        (
            date(2021, 5, 31),
            [
                "deliverable tiny-register-live: date '2021-09' is after today (2021-05-31); "
                "only due dates may lie in the future",
                "status claim tiny-register/status-1: asserted on '2021-06' is after today "
                "(2021-05-31); only due dates may lie in the future",
            ],
        ),
    ],
)
def test_future_events_are_refused_but_due_dates_may_lie_ahead(
    tiny_dataset: Dataset, as_of: date, expected: list[str]
) -> None:
    """The due date 'by March 2022' is after every as_of here, and never reported."""
    result = report(tiny_dataset, as_of=as_of)
    assert sorted(str(p) for p in result.violations) == expected


def test_today_comes_from_the_environment(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWGRAPH_TODAY", "2021-08-31")
    result = validate_dataset(tiny_dataset)
    assert [p.item for p in result.violations] == ["deliverable tiny-register-live"]


def test_a_cycle_of_links_is_refused(tiny_dataset: Dataset) -> None:
    cites = tiny_dataset.links[0].citations
    back = Link(
        id="tiny-link-back",
        type="examines",
        from_="tiny-register-live",
        to="tiny-register",
        citations=cites,
    )
    cyclic = tiny_dataset.model_copy(update={"links": (*tiny_dataset.links, back)})
    messages = [str(p) for p in report(cyclic).violations]
    assert any("links form a cycle (" in m and "which dates cannot allow" in m for m in messages), (
        messages
    )
    assert report(tiny_dataset).conforms  # the single link alone is no cycle


def test_commitments_replacing_one_another_in_a_ring_are_refused(tiny_dataset: Dataset) -> None:
    first = tiny_dataset.commitments[0]
    other = first.model_copy(update={"id": "tiny-other", "superseded_by": first.id})
    ring = tiny_dataset.model_copy(
        update={
            "commitments": (
                first.model_copy(update={"superseded_by": "tiny-other"}),
                *tiny_dataset.commitments[1:],
                other,
            )
        }
    )
    messages = [str(p) for p in report(ring).violations]
    expected = f"superseded_by forms a cycle ({min(first.id, 'tiny-other')} -> "
    assert any(expected in m and "the replacement that stands" in m for m in messages), messages
    chain = tiny_dataset.model_copy(update={"commitments": (*tiny_dataset.commitments, other)})
    assert not any("superseded_by forms a cycle" in str(p) for p in report(chain).violations)


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(
    ("collection", "item_id", "changes", "expected"),
    [
        (
            "commitments",
            "tiny-register",
            {"owner": None},
            "commitment tiny-register: A commitment has no owner: say which body must deliver it.",
        ),
        (
            "recommendations",
            "tiny-2020/1",
            {"addressees": ()},
            "recommendation tiny-2020/1: A recommendation has no addressee: say which body "
            "it was made to.",
        ),
        (
            "reviews",
            "tiny-2020",
            {"kind": None},
            "review tiny-2020: A review has no kind (independent review, public inquiry, ...).",
        ),
    ],
)
def test_warnings_are_not_violations(
    tiny_dataset: Dataset,
    collection: str,
    item_id: str,
    changes: dict[str, Any],
    expected: str,
) -> None:
    result = report(replace(tiny_dataset, collection, item_id, **changes))
    assert result.conforms, [str(p) for p in result.violations]
    assert [str(p) for p in result.warnings] == [expected]
    assert result.warnings[0].severity == "warning"


# --------------------------------------------------------------------------- file and line


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_problems_name_the_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    name = "yaml/located-problems.yaml"
    path = DATA / name
    result = validate_dataset(read_dataset([name]), as_of=AS_OF)
    stance = _line_of(path, '- recommendation: "2"')
    claim = _line_of(path, "- status: in progress")
    uncited = _line_of(path, "- id: loc-uncited")
    unaddressed = _line_of(path, '- label: "1"')
    ownerless = _line_of(path, "- id: loc-ownerless")
    assert [str(p) for p in result.violations] == sorted(
        [
            f"{name}:{stance}: stance loc-response/stance-1: A stance is dated before the "
            "review it answers was published.",
            f"{name}:{claim}: status claim loc-ownerless/status-1: A status claim is asserted "
            "before the commitment it is about was made.",
            f"{name}:{uncited}: commitment loc-uncited: A commitment needs at least one "
            "citation (a source, where in it, when read).",
        ]
    )
    assert sorted(str(p) for p in result.warnings) == sorted(
        [
            f"{name}:{unaddressed}: recommendation loc-2020/1: "
            "A recommendation has no addressee: say which body it was made to.",
            f"{name}:{ownerless}: commitment loc-ownerless: "
            "A commitment has no owner: say which body must deliver it.",
        ]
    )
    assert set(result.by_file()) == {name}


def test_the_side_table_is_not_written_as_triples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)
    loaded = read_dataset(["yaml/located-problems.yaml"])
    graph = to_graph(loaded.dataset)
    texts = {str(o) for o in graph.objects() if isinstance(o, Literal)}
    assert not any("located-problems.yaml" in t for t in texts)
    assert loaded.where("loc-response/stance-1") is not None


def test_without_fork_the_chunks_are_checked_here(
    tiny_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    def no_fork(method: str | None = None) -> Any:
        raise ValueError(f"cannot find context for {method!r}")

    dataset = replace(tiny_dataset, "commitments", "tiny-register", owner="jo-bloggs")
    expected = set(check_dataset(dataset, BASE_IRI, chunk_items=1, workers=1))
    assert expected
    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert set(check_dataset(dataset, BASE_IRI, chunk_items=1, workers=2)) == expected
