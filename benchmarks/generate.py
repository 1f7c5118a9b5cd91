"""Write deterministic, review-shaped synthetic graphs for the benchmarks.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/generate.py --triples 100000 -o benchmarks/data/rg-100k.nt
    python benchmarks/generate.py --triples 1000000 -o benchmarks/data/rg-1m.nt --seed 7

Every item is built as one of reviewgraph's own pydantic models and written by
:func:`reviewgraph.rdf.mapping.to_graph`, so the output has exactly the shape real data has (the
same predicates, the same ``rg:DateRange`` and ``rg:Citation`` blank nodes with the same
deterministic labels, the same ``rg:echoes``/``rg:repeats``/``rg:fulfils`` shortcuts).  To
stream millions of triples without an rdflib ``Graph`` in memory, ``to_graph`` is handed a
small sink whose ``add`` writes one N-Triples line; a benchmark test checks the stream
equals ``to_graph`` into a real ``Graph`` at 10k.

Shape (per review, on average): 8 recommendations, each addressed to 1-2 bodies from a
pool; a government response with stances on about 70% of them (dated; some "to be
considered" or "noted" stances are revisited in a follow-up response); a commitment for
most accepted recommendations (plus a few standalone pledges), each with a due-date
statement and, for about a third, one or two revisions; status claims by the owner and by
independent assessors (which sometimes disagree); deliverables that fulfil delivered
commitments; about 15% of recommendations echo (or repeat) an earlier one through an
``rg:Link``; about 8% of bodies are merged into another.  Generation stops at the first
review boundary at or after the requested number of triples.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from reviewgraph.models import (
    Body,
    BodyChange,
    Citation,
    Commitment,
    Dataset,
    Deliverable,
    DueDateStatement,
    Fulfilment,
    Link,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
    Theme,
)
from reviewgraph.rdf.mapping import to_graph

__all__ = [
    "SIZES",
    "TriplesSink",
    "generate_dataset",
    "generate_reviews",
    "iter_chunks",
    "main",
    "write_ntriples",
]

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
"""The benchmark sizes, by the names used in file names and in ``RG_BENCH_SIZES``."""

DEFAULT_SEED = 20240601
AS_OF = date(2025, 1, 1)
"""Nothing generated happens after this date (due dates may lie beyond it)."""

_TRIPLES_PER_REVIEW = 430  # measured; only used to size the pool of bodies
_THEMES = (
    "leadership",
    "safety",
    "workforce",
    "governance",
    "finance",
    "digital",
    "regulation",
    "culture",
    "data",
    "training",
    "complaints",
    "estates",
)
_VERBS = ("establish", "publish", "review", "strengthen", "fund", "train", "regulate", "measure")
_OBJECTS = (
    "a national standard for managers",
    "an independent appraisal of board members",
    "a single route for raising concerns",
    "accredited training for clinical leaders",
    "a register of senior managers",
    "annual reporting on patient safety",
    "a framework for data sharing",
    "clear lines of accountability",
)
_STANCES = (
    ("accepted", 45),
    ("accepted-in-principle", 15),
    ("accepted-in-part", 10),
    ("noted", 10),
    ("to-be-considered", 10),
    ("not-accepted", 10),
)
_ACCEPTED = {"accepted", "accepted-in-principle", "accepted-in-part"}
_FATES = (
    ("delivered", 40),
    ("partially-delivered", 15),
    ("in-progress", 20),
    ("dropped", 5),
    (None, 20),  # no claim at all: "no evidence"
)


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _day(d: date) -> str:
    return d.isoformat()


def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _target_text(rng: random.Random, d: date) -> str:
    """A due date as sources give them: a month, a season-free year, or a financial year."""
    roll = rng.random()
    if roll < 0.6:
        return _month(d)
    if roll < 0.8:
        return str(d.year)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _cite(source: str, locator: str | None = None) -> tuple[Citation, ...]:
    return (Citation(source=source, locator=locator),)


@dataclass
class _State:
    """What later reviews may refer to: the pool of bodies and earlier recommendations."""

    rng: random.Random
    bodies: list[str]
    live_bodies: list[str]
    assessors: list[str]
    earlier: dict[str, list[str]] = field(default_factory=dict)  # theme -> recommendation ids
    recs_so_far: int = 0
    last_published: date = date(1980, 1, 1)


def _setup(rng: random.Random, n_bodies: int) -> tuple[Dataset, _State]:
    """The items every chunk may refer to: themes, bodies, assessors and body mergers."""
    themes = tuple(Theme(id=f"theme-{t}", label=t.title()) for t in _THEMES)
    gov = Body(id="gov", name="His Majesty's Government", government=True)
    bodies = [gov]
    for i in range(n_bodies):
        bodies.append(
            Body(
                id=f"body-{i:05d}",
                name=f"Body {i:05d}",
                abbreviation=f"B{i}",
                jurisdiction="England",
                government=rng.random() < 0.3,
            )
        )
    assessors = [
        Body(id=f"assessor-{i:03d}", name=f"Independent assessor {i:03d}")
        for i in range(max(3, n_bodies // 20))
    ]
    source = Source(id="bodies-register", title="Register of public bodies", date="2024")
    changes = []
    merged: set[str] = set()
    ids = [b.id for b in bodies[1:]]
    for body_id in ids:
        if rng.random() < 0.08 and len(ids) > 2:
            into = rng.choice([i for i in ids if i != body_id and i not in merged])
            merged.add(body_id)
            when = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 10_500))
            changes.append(
                BodyChange(
                    id=f"{body_id}/merger",
                    kind="merged-into",
                    body=body_id,
                    into=(into,),
                    date=_day(when),
                    citations=_cite("bodies-register"),
                )
            )
    setup = Dataset(
        themes=themes,
        bodies=(*bodies, *assessors),
        sources=(source,),
        body_changes=tuple(changes),
    )
    state = _State(
        rng=rng,
        bodies=ids,
        live_bodies=[i for i in ids if i not in merged] or ids,
        assessors=[a.id for a in assessors],
    )
    return setup, state


def _review_chunk(state: _State, number: int) -> Dataset:
    rng = state.rng
    rid = f"r{number:06d}"
    published = date(1980, 1, 1) + timedelta(
        days=int((AS_OF - date(1980, 1, 1)).days * min(0.97, number / (number + 400) + 0.02))
        + rng.randrange(0, 200)
    )
    published = min(max(published, state.last_published), AS_OF - timedelta(days=400))
    state.last_published = published  # links point back in time, so dates never go back
    report, reply, progress = f"{rid}-report", f"{rid}-reply", f"{rid}-progress"
    sources = [
        Source(
            id=report, title=f"Review {rid}", url=f"https://example.org/{rid}", date=_day(published)
        ),
    ]
    addressees_pool = rng.sample(state.live_bodies, k=min(3, len(state.live_bodies)))
    review_themes = tuple(sorted(rng.sample([f"theme-{t}" for t in _THEMES], k=2)))
    review = Review(
        id=rid,
        title=f"Independent review {number} of {rng.choice(_OBJECTS)}",
        kind=rng.choice(("independent-review", "public-inquiry", "select-committee-report")),
        jurisdiction="England",
        commissioned_by=("gov",),
        publisher="gov",
        published=_day(published),
        stated_recommendations=8,
        expects_response=True,
        response_period="P2M",
        themes=review_themes,
        citations=_cite(report, "Summary"),
    )
    n_recs = rng.choice((6, 7, 8, 8, 8, 9, 10))
    recs: list[Recommendation] = []
    links: list[Link] = []
    for i in range(1, n_recs + 1):
        theme = rng.choice(review_themes)
        k = 1 if rng.random() < 0.6 else 2
        rec = Recommendation(
            id=f"{rid}/{i}",
            review=rid,
            label=str(i),
            summary=f"{rng.choice(_VERBS).title()} {rng.choice(_OBJECTS)} ({rid} rec {i})",
            addressees=tuple(rng.sample(addressees_pool, k=k)),
            themes=(theme,),
            citations=_cite(report, f"Recommendation {i}"),
        )
        recs.append(rec)
        earlier = state.earlier.get(theme)
        if earlier and rng.random() < 0.15:
            to = earlier[-1 - min(len(earlier) - 1, int(rng.expovariate(0.05)))]
            links.append(
                Link(
                    id=f"{rid}/{i}/link",
                    type="echoes" if rng.random() < 0.8 else "repeats",
                    **{"from": rec.id},
                    to=to,
                    basis="inferred",
                    rationale="Asks for the same thing in other words.",
                    citations=_cite(report, f"Recommendation {i}"),
                )
            )
    for rec in recs:
        state.earlier.setdefault(rec.themes[0], []).append(rec.id)
    state.recs_so_far += len(recs)

    responded = published + timedelta(days=rng.randrange(40, 240))
    responses = [
        Response(
            id=f"{rid}-response",
            title=f"Government response to {rid}",
            by="gov",
            date=_day(responded),
            answers=(rid,),
            citations=_cite(reply),
        )
    ]
    sources.append(Source(id=reply, title=f"Response to {rid}", date=_day(responded)))
    follow_up = responded + timedelta(days=rng.randrange(300, 900))
    has_follow_up = follow_up < AS_OF and rng.random() < 0.3
    if has_follow_up:
        responses.append(
            Response(
                id=f"{rid}-follow-up",
                by="gov",
                date=_day(follow_up),
                answers=(rid,),
                citations=_cite(reply, "Update"),
            )
        )
    stances: list[Stance] = []
    commitments: list[Commitment] = []
    due_dates: list[DueDateStatement] = []
    claims: list[StatusClaim] = []
    deliverables: list[Deliverable] = []
    progress_used = False

    def commit(cid: str, owner: str, made: date, answers: tuple[str, ...], origin: str) -> None:
        nonlocal progress_used
        commitments.append(
            Commitment(
                id=cid,
                summary=f"We will {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}",
                made_by="gov",
                owner=owner,
                made_on=_day(made),
                origin=origin,
                response=f"{rid}-response" if origin == "response" else None,
                answers=answers,
                citations=_cite(reply),
            )
        )
        target = made + timedelta(days=rng.randrange(240, 1100))
        if rng.random() < 0.85:
            due_dates.append(
                DueDateStatement(
                    id=f"{cid}/due-1",
                    commitment=cid,
                    target=_target_text(rng, target),
                    stated_on=_day(made),
                    stated_by=owner,
                    citations=_cite(reply),
                )
            )
            stated = made
            for n in range(2, 4):
                if rng.random() >= (0.35 if n == 2 else 0.3):
                    break
                stated = stated + timedelta(days=rng.randrange(120, 500))
                if stated >= AS_OF:
                    break
                target = target + timedelta(days=rng.randrange(150, 700))
                due_dates.append(
                    DueDateStatement(
                        id=f"{cid}/due-{n}",
                        commitment=cid,
                        target=_target_text(rng, target),
                        stated_on=_day(stated),
                        stated_by=owner,
                        citations=_cite(progress),
                    )
                )
                progress_used = True
        fate = _pick(rng, _FATES)
        if fate is None:
            return
        progress_used = True
        when = made + timedelta(days=rng.randrange(150, 500))
        n = 0
        if when < AS_OF:
            n += 1
            claims.append(
                StatusClaim(
                    id=f"{cid}/claim-{n}",
                    about=cid,
                    status="in-progress",
                    asserted_on=_day(when),
                    assessor=owner,
                    role="owner",
                    citations=_cite(progress),
                )
            )
        final = when + timedelta(days=rng.randrange(100, 900))
        if final >= AS_OF:
            return
        delivered_by: tuple[str, ...] = ()
        if fate == "delivered" and rng.random() < 0.7:
            did = f"{cid}/deliverable"
            deliverables.append(
                Deliverable(
                    id=did,
                    title=f"Delivered: {rng.choice(_OBJECTS)}",
                    kind=rng.choice(("framework", "guidance", "regulation", "programme")),
                    date=_day(final),
                    by=owner,
                    fulfils=(Fulfilment(commitment=cid),),
                    citations=_cite(progress, f"Deliverable of {cid}"),
                )
            )
            delivered_by = (did,)
        n += 1
        claims.append(
            StatusClaim(
                id=f"{cid}/claim-{n}",
                about=cid,
                status=fate,
                asserted_on=_day(final),
                since=_month(final) if rng.random() < 0.3 else None,
                assessor=rng.choice(state.assessors),
                role="independent-scrutiny",
                deliverables=delivered_by,
                citations=_cite(progress, f"Commitment {cid}"),
            )
        )
        if fate != "delivered" and rng.random() < 0.25:
            # the owner claims more than the independent assessor found (a contested fate)
            n += 1
            claims.append(
                StatusClaim(
                    id=f"{cid}/claim-{n}",
                    about=cid,
                    status="delivered",
                    asserted_on=_day(final + timedelta(days=rng.randrange(0, 30))),
                    assessor=commitments[-1].owner,
                    role="owner",
                    citations=_cite(progress),
                )
            )

    for rec in recs:
        if rng.random() >= 0.7:
            continue
        value = _pick(rng, _STANCES)
        stances.append(
            Stance(
                id=f"{rid}-response/{rec.label}",
                response=f"{rid}-response",
                recommendation=rec.id,
                stance=value,
                date=_day(responded),
                citations=_cite(reply),
            )
        )
        made = responded
        if value in ("noted", "to-be-considered") and has_follow_up and rng.random() < 0.5:
            value = _pick(rng, _STANCES[:3])
            made = follow_up
            stances.append(
                Stance(
                    id=f"{rid}-follow-up/{rec.label}",
                    response=f"{rid}-follow-up",
                    recommendation=rec.id,
                    stance=value,
                    date=_day(follow_up),
                    citations=_cite(reply, "Update"),
                )
            )
        if value in _ACCEPTED and rng.random() < 0.8:
            commit(f"{rid}-c{rec.label}", rng.choice(rec.addressees), made, (rec.id,), "response")
    if rng.random() < 0.3:
        commit(f"{rid}-pledge", rng.choice(addressees_pool), responded, (), "plan")
    if progress_used:
        sources.append(
            Source(id=progress, title=f"Progress report on {rid}", publisher="Independent assessor")
        )
    return Dataset(
        sources=tuple(sources),
        reviews=(review,),
        recommendations=tuple(recs),
        responses=tuple(responses),
        stances=tuple(stances),
        commitments=tuple(commitments),
        due_dates=tuple(due_dates),
        status_claims=tuple(claims),
        deliverables=tuple(deliverables),
        links=tuple(links),
    )


def iter_chunks(triples: int, seed: int = DEFAULT_SEED) -> Iterator[Dataset]:
    """Yield the setup chunk (themes, bodies, mergers), then one chunk per review, forever.

    The caller stops when it has written enough triples; ``triples`` only sizes the pool of
    bodies (about one body per 8 reviews), so the stream for a given size is reproducible.
    """
    rng = random.Random(seed)
    reviews = max(1, triples // _TRIPLES_PER_REVIEW)
    setup, state = _setup(rng, max(12, reviews // 8 + 10))
    yield setup
    number = 0
    while True:
        number += 1
        yield _review_chunk(state, number)


class TriplesSink:
    """Just enough of ``rdflib.Graph`` for ``to_graph``: ``add`` writes N-Triples lines."""

    def __init__(self, write: Callable[[str], Any] | None = None) -> None:
        self.count = 0
        self._write = write

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        self.count += 1
        if self._write is not None:
            s, p, o = triple
            self._write(f"{s.n3()} {p.n3()} {o.n3()} .\n")


def write_ntriples(triples: int, out: IO[str], seed: int = DEFAULT_SEED) -> int:
    """Write a graph of about ``triples`` triples as N-Triples to ``out``; return the count."""
    sink = TriplesSink(out.write)
    for chunk in iter_chunks(triples, seed):
        to_graph(chunk, graph=sink)  # type: ignore[arg-type]  (a duck-typed sink)
        if sink.count >= triples:
            break
    return sink.count


def generate_dataset(triples: int, seed: int = DEFAULT_SEED) -> Dataset:
    """Return, as models, the same items :func:`write_ntriples` writes for this size."""
    sink = TriplesSink()
    chunks: list[Dataset] = []
    for chunk in iter_chunks(triples, seed):
        to_graph(chunk, graph=sink)  # type: ignore[arg-type]
        chunks.append(chunk)
        if sink.count >= triples:
            break
    fields: dict[str, list[Any]] = {}
    for chunk in chunks:
        for name in type(chunk).model_fields:
            value = getattr(chunk, name)
            if isinstance(value, tuple):
                fields.setdefault(name, []).extend(value)
    return Dataset(**{k: tuple(v) for k, v in fields.items()})


def generate_reviews(reviews: int, seed: int = DEFAULT_SEED) -> Dataset:
    """Return a dataset of exactly ``reviews`` reviews (with their bodies, responses, ...)."""
    chunks: list[Dataset] = []
    for chunk in iter_chunks(reviews * _TRIPLES_PER_REVIEW, seed):
        chunks.append(chunk)
        if len(chunks) > reviews:
            break
    fields: dict[str, list[Any]] = {}
    for chunk in chunks:
        for name in type(chunk).model_fields:
            value = getattr(chunk, name)
            if isinstance(value, tuple):
                fields.setdefault(name, []).extend(value)
    return Dataset(**{k: tuple(v) for k, v in fields.items()})


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python benchmarks/generate.py --triples N -o FILE.nt``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .nt file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the random seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".part")
    with tmp.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        count = write_ntriples(args.triples, handle, args.seed)
    tmp.replace(args.output)
    took = time.perf_counter() - started
    print(f"wrote {count:,} triples to {args.output} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
