"""Hypothesis strategies that build valid reviewgraph datasets.

``datasets()`` draws a :class:`~reviewgraph.models.Dataset` with unique slug identifiers,
references among its own items, :class:`~reviewgraph.dates.DateRange` values (parsed from
the forms sources use, or arbitrary text with ordered bounds), values of every concept
scheme, citations, alternative claims naming real fields, nested nodes (former names, blanket
stances, fulfilments), triples outside the model (written in canonical N-Triples, with
language tags, datatypes and blank nodes) and an optional language tag.

The strategies are built once at import and the dataset is assembled with plain ``draw``
calls, which keeps generation fast enough for hundreds of examples per test.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from hypothesis import strategies as st

from reviewgraph.dates import DateRange
from reviewgraph.models import (
    AlternativeClaim,
    BlanketStance,
    Body,
    BodyChange,
    Citation,
    Commitment,
    Dataset,
    DatedName,
    Deliverable,
    DueDateStatement,
    Election,
    Fulfilment,
    Link,
    Node,
    Person,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
    Theme,
)
from reviewgraph.rdf.mapping import field_specs
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
)
from reviewgraph.vocab.namespaces import BASE_IRI

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

EX = "http://example.org/"
"""The namespace of triples outside the model."""

XSD = "http://www.w3.org/2001/XMLSchema#"

# --------------------------------------------------------------------------- scalars

_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"

slugs = st.tuples(st.sampled_from(_LOWER), st.text(alphabet=_LOWER + "-", max_size=9)).map("".join)
"""An identifier segment: lower-case letters, digits and hyphens, not starting with '-'."""

label_slugs = st.tuples(st.sampled_from(_LOWER), st.text(alphabet=_LOWER + ".-", max_size=5)).map(
    "".join
)
"""A recommendation's label segment, which may hold dots (``33.10a``)."""

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)).filter(
        lambda c: c in "\t\n\r" or ("\x20" <= c and c not in "\ufffe\uffff")
    ),
    min_size=1,
    max_size=24,
).filter(lambda s: bool(s.strip()))
"""Non-blank text, including quotes, backslashes, new lines, U+2028 and any script (but no
character XML 1.0 cannot carry: the models refuse those)."""

urls = st.builds(
    "{}://{}.{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
    st.sampled_from(["org", "gov.uk", "nhs.uk"]),
    st.text(alphabet=_LOWER + "-_.~/", max_size=12),
)
"""http(s) addresses."""

_flags = st.booleans()

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))

DATE_TEXTS = (
    "2022-06-08",
    "8 June 2022",
    "2024-03",
    "by March 2024",
    "2024",
    "summer 2024",
    "winter 2023",
    "early 2024",
    "end-2017",
    "by the end of 2017",
    "Q1 2024",
    "H2 2024",
    "2024/25",
    "2024-03-01..2024-05-31",
)


_SPANS = st.sampled_from([0, 0, 1, 30, 91, 365]) | st.integers(0, 4000)
_RANGE_TEXTS = st.sampled_from(["", "undated"]) | texts


@st.composite
def _arbitrary_ranges(draw: st.DrawFn) -> DateRange:
    earliest = draw(days)
    latest = min(earliest + timedelta(days=draw(_SPANS)), date(2100, 12, 31))
    text = earliest.isoformat() if draw(_flags) else draw(_RANGE_TEXTS)
    return DateRange(text=text, earliest=earliest, latest=latest)


date_ranges = st.sampled_from(DATE_TEXTS).map(DateRange.from_text) | _arbitrary_ranges()
"""A date as a source writes it, or any text with two ordered bounds."""

periods = st.builds(
    lambda y, m, w, d: (
        "P" + "".join(f"{n}{u}" for n, u in ((y, "Y"), (m, "M"), (w, "W"), (d, "D")) if n)
    ),
    st.integers(0, 3),
    st.integers(0, 14),
    st.integers(0, 3),
    st.integers(0, 120),
).filter(lambda p: p != "P")
"""ISO 8601 periods of years, months, weeks and days (not necessarily canonical)."""


def enums(enum: type[E]) -> st.SearchStrategy[E]:
    """Any member of a concept scheme's enum."""
    return st.sampled_from(list(enum))


ENUMS: dict[type[StrEnum], st.SearchStrategy[Any]] = {
    e: enums(e)
    for e in (
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
    )
}

# --------------------------------------------------------------------------- draw helpers

_index = st.integers(0, 31)
_counts = {k: st.integers(0, k) for k in range(5)}


def opt(draw: st.DrawFn, strategy: st.SearchStrategy[T]) -> T | None:
    """Draw a value or ``None``."""
    return draw(strategy) if draw(_flags) else None


def pick(draw: st.DrawFn, pool: list[str]) -> str:
    """A reference into ``pool``, or any slug when the pool is empty (refs need not resolve)."""
    return pool[draw(_index) % len(pool)] if pool else draw(slugs)


def picks(draw: st.DrawFn, pool: list[str], most: int = 2) -> tuple[str, ...]:
    return tuple(pick(draw, pool) for _ in range(draw(_counts[most])))


def cites(draw: st.DrawFn, sources: list[str], most: int = 2) -> tuple[Citation, ...]:
    return tuple(
        Citation(source=pick(draw, sources), locator=opt(draw, texts), accessed=opt(draw, days))
        for _ in range(draw(_counts[most]))
    )


def alternatives(draw: st.DrawFn, model: type[Node], sources: list[str]) -> tuple[Any, ...]:
    """At most one alternative claim, naming one of ``model``'s own fields."""
    names = [spec.name for spec in field_specs(model)]
    return tuple(
        AlternativeClaim(
            field=names[draw(_index) % len(names)],
            value=draw(texts),
            citations=cites(draw, sources, 1),
        )
        for _ in range(draw(_counts[1]))
    )


# --------------------------------------------------------------------------- extra triples

_LANGS = st.sampled_from(["en", "fr", "cy", "en-GB"])
_EXTRA_PREDICATES = st.sampled_from(
    [
        f"<{EX}p/note>",
        f"<{EX}p/count>",
        "<http://www.w3.org/2000/01/rdf-schema#comment>",
        "<http://www.w3.org/2002/07/owl#sameAs>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    ]
)
_OTHERS = st.integers(0, 3).map(lambda n: f"<{EX}thing/{n}>")
_BLANKS = st.integers(0, 3).map(lambda n: f"_:ext{n}")


def escape(text: str) -> str:
    """Escape a string as a canonical N-Triples literal does (ECHAR for \\ " LF CR)."""
    for raw, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(raw, escaped)
    return text


_LITERALS = st.one_of(
    texts.map(lambda t: f'"{escape(t)}"'),
    st.tuples(texts, _LANGS).map(lambda tl: f'"{escape(tl[0])}"@{tl[1]}'),
    st.integers(-(10**6), 10**6).map(lambda i: f'"{i}"^^<{XSD}integer>'),
    days.map(lambda d: f'"{d.isoformat()}"^^<{XSD}date>'),
    _flags.map(lambda b: f'"{str(b).lower()}"^^<{XSD}boolean>'),
    texts.map(lambda t: f'"{escape(t)}"^^<{EX}datatype>'),
)


def extra_triples(draw: st.DrawFn, item_ids: list[str], most: int = 4) -> tuple[str, ...]:
    """Triples outside the model, written as :func:`reviewgraph.rdf.mapping.from_graph` keeps them.

    Subjects are items of the dataset, other IRIs or blank nodes; predicates are never the
    model's own; objects are IRIs, blank nodes, plain, language-tagged or typed literals.
    """
    items = [f"<{BASE_IRI}{i}>" for i in item_ids]
    out = set()
    for _ in range(draw(_counts[most])):
        which = draw(st.integers(0, 2))
        if which == 0 and items:
            s = pick(draw, items)
        else:
            s = draw(_BLANKS if which == 1 else _OTHERS)
        p = draw(_EXTRA_PREDICATES)
        kind = draw(st.integers(0, 3))
        if kind == 0:
            o = draw(_OTHERS)
        elif kind == 1 and items:
            o = pick(draw, items)
        elif kind == 2:
            o = draw(_BLANKS)
        else:
            o = draw(_LITERALS)
        out.add(f"{s} {p} {o}")
    return tuple(out)


# --------------------------------------------------------------------------- datasets

_KINDS = ("src", "body", "person", "theme", "rev", "resp", "com", "dl", "link", "chg")


@st.composite
def datasets(draw: st.DrawFn, most: int = 2, extras: bool = True) -> Dataset:
    """A dataset with up to ``most`` items of each kind, all ids unique."""
    n = {kind: draw(_counts[most]) for kind in _KINDS}
    language = draw(st.sampled_from([None, None, "en", "fr", "en-GB"]))
    if language is not None:  # the tag lives on literals: make sure there is one
        n["body"] = max(n["body"], 1)
    ids = {kind: [f"{kind}{i}-{draw(slugs)}" for i in range(count)] for kind, count in n.items()}
    src, bodies_, people_ = ids["src"], ids["body"], ids["person"]
    agents = bodies_ + people_
    reviews_, themes_ = ids["rev"], ids["theme"]
    recs = [
        f"{review}/{k}{draw(label_slugs)}" for review in reviews_ for k in range(draw(_counts[2]))
    ]
    commitments_, deliverables_ = ids["com"], ids["dl"]
    ends = reviews_ + recs + commitments_ + deliverables_

    def dr() -> DateRange:
        return draw(date_ranges)

    def odr() -> DateRange | None:
        return opt(draw, date_ranges)

    def text() -> str:
        return draw(texts)

    def otext() -> str | None:
        return opt(draw, texts)

    def oref(pool: list[str]) -> str | None:
        return pick(draw, pool) if draw(_flags) else None

    def enum(e: type[E]) -> E:
        return draw(ENUMS[e])  # type: ignore[no-any-return]

    fields: dict[str, Any] = {"language": language}
    fields["sources"] = [
        Source(id=i, url=opt(draw, urls), title=otext(), publisher=otext(), date=odr()) for i in src
    ]
    fields["bodies"] = [
        Body(
            id=i,
            name=text(),
            abbreviation=otext(),
            former_names=tuple(
                DatedName(name=text(), until=odr()) for _ in range(draw(_counts[2]))
            ),
            parent=oref(bodies_),
            jurisdiction=opt(draw, ENUMS[Jurisdiction]),
            url=opt(draw, urls),
            government=draw(_flags),
        )
        for i in bodies_
    ]
    fields["people"] = [
        Person(id=i, name=text(), roles=otext(), url=opt(draw, urls)) for i in people_
    ]
    fields["themes"] = [Theme(id=i, label=text(), definition=otext()) for i in themes_]
    fields["reviews"] = [
        Review(
            id=i,
            title=text(),
            kind=enum(ReviewKind) if draw(_flags) else None,
            jurisdiction=opt(draw, ENUMS[Jurisdiction]),
            url=opt(draw, urls),
            commissioned_by=picks(draw, agents),
            leads=picks(draw, people_),
            publisher=oref(bodies_),
            announced=odr(),
            terms_of_reference=odr(),
            delivered_to_ministers=odr(),
            published=odr(),
            stated_recommendations=opt(draw, st.integers(0, 400)),
            expects_response=opt(draw, _flags),
            response_period=opt(draw, periods),
            response_due=odr(),
            themes=picks(draw, themes_),
            citations=cites(draw, src),
            alternatives=alternatives(draw, Review, src),
        )
        for i in reviews_
    ]
    fields["recommendations"] = [
        Recommendation(
            id=rid,
            review=rid.split("/")[0],
            label=text(),
            is_theme=draw(_flags),
            summary=otext(),
            addressees=picks(draw, bodies_),
            themes=picks(draw, themes_),
            citations=cites(draw, src),
            alternatives=alternatives(draw, Recommendation, src),
        )
        for rid in recs
    ]
    fields["responses"] = [
        Response(
            id=i,
            title=otext(),
            by=oref(bodies_),
            on_behalf_of=picks(draw, bodies_),
            stated_by=oref(agents),
            date=dr(),
            interim=draw(_flags),
            answers=picks(draw, reviews_),
            blanket=tuple(
                BlanketStance(
                    review=pick(draw, reviews_),
                    stance=enum(StanceValue),
                    recommendations=picks(draw, recs),
                    citations=cites(draw, src, 1),
                )
                for _ in range(draw(_counts[1]))
            ),
            citations=cites(draw, src),
            alternatives=alternatives(draw, Response, src),
        )
        for i in ids["resp"]
    ]
    fields["stances"] = [
        Stance(
            id=f"{response}/stance-{k}",
            response=response,
            recommendation=pick(draw, recs),
            stance=enum(StanceValue),
            date=odr(),
            note=otext(),
            citations=cites(draw, src),
        )
        for response in ids["resp"]
        for k in range(draw(_counts[2]))
    ]
    fields["commitments"] = [
        Commitment(
            id=i,
            title=otext(),
            summary=text(),
            made_by=oref(bodies_),
            owner=oref(bodies_),
            made_on=dr(),
            origin=enum(CommitmentOrigin),
            response=oref(ids["resp"]),
            answers=picks(draw, recs),
            themes=picks(draw, themes_),
            superseded_by=oref(commitments_ + deliverables_),
            citations=cites(draw, src),
            alternatives=alternatives(draw, Commitment, src),
        )
        for i in commitments_
    ]
    fields["due_dates"] = [
        DueDateStatement(
            id=f"{c}/due-{k}",
            commitment=c,
            target=dr(),
            stated_on=odr(),
            stated_by=oref(agents),
            stated_by_role=opt(draw, ENUMS[StatedByRole]),
            citations=cites(draw, src),
        )
        for c in commitments_
        for k in range(draw(_counts[2]))
    ]

    def searched(status: Status) -> tuple[str, ...]:
        if status is not Status.NO_EVIDENCE_FOUND:
            return ()
        return tuple(text() for _ in range(draw(_counts[2])))

    fields["status_claims"] = [
        StatusClaim(
            id=f"{about}/status-{k}",
            about=about,
            status=(status := enum(Status)),
            searched_in=searched(status),
            asserted_on=dr(),
            since=odr(),
            assessor=oref(agents),
            role=enum(AssessorRole),
            deliverables=picks(draw, deliverables_),
            note=otext(),
            citations=cites(draw, src),
        )
        for about in commitments_ + recs[:1]
        for k in range(draw(_counts[1]))
    ]
    fields["deliverables"] = [
        Deliverable(
            id=i,
            title=text(),
            kind=enum(DeliverableKind),
            date=dr(),
            by=oref(bodies_),
            url=opt(draw, urls),
            summary=otext(),
            fulfils=tuple(
                Fulfilment(commitment=pick(draw, commitments_), degree=enum(FulfilmentDegree))
                for _ in range(draw(_counts[2]))
            ),
            citations=cites(draw, src),
        )
        for i in deliverables_
    ]
    fields["links"] = [
        Link(
            id=i,
            type=enum(LinkType),
            from_=pick(draw, ends),
            to=pick(draw, ends),
            basis=enum(LinkBasis),
            rationale=otext(),
            citations=cites(draw, src),
        )
        for i in ids["link"]
    ]
    fields["body_changes"] = [
        BodyChange(
            id=i,
            kind=enum(BodyChangeKind),
            body=pick(draw, bodies_),
            into=picks(draw, bodies_),
            date=(effective := dr()),
            announced=effective if draw(_flags) else None,
            functions=tuple(text() for _ in range(draw(_counts[1]))),
            themes=picks(draw, themes_),
            commitments=picks(draw, commitments_),
            note=otext(),
            citations=cites(draw, src),
        )
        for i in ids["chg"]
    ]
    fields["elections"] = [
        Election(
            id=f"election{k}-{draw(slugs)}",
            title=otext(),
            date=dr(),
            jurisdiction=opt(draw, ENUMS[Jurisdiction]),
            formed_government=picks(draw, bodies_),
            citations=cites(draw, src),
        )
        for k in range(draw(_counts[1]))
    ]
    if extras:
        item_ids = [
            item.id for name, items in fields.items() if name != "language" for item in items
        ]
        fields["extra_triples"] = extra_triples(draw, item_ids)
    return Dataset(**fields)
