"""Answer the same questions two ways, to prove the routes agree.

:func:`python_answers` reads the :class:`~reviewgraph.analysis.ReviewGraph` results (Python and
NetworkX over the models); :func:`sparql_answers` runs the named SPARQL queries on rdflib or
pyoxigraph and finishes in Python only what SPARQL must not do (date arithmetic, medians,
following body changes, graph components and longest chains).  Both return an
:data:`Answers` mapping with the same keys and the same shapes, so a test compares them
with ``==``.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import networkx as nx
from rdflib import URIRef

from reviewgraph.analysis.asof import ChangeFact, add_months, add_period, minus_years, walk_owner
from reviewgraph.analysis.findings import window_start
from reviewgraph.analysis.graph import ReviewGraph
from reviewgraph.analysis.recurrence import summarise
from reviewgraph.analysis.results import DateValue
from reviewgraph.analysis.scorecard import NO_OWNER, ORPHANED, UNKNOWN_RESPONDENT
from reviewgraph.vocab.concepts import BodyChangeKind, StanceValue, concept_from_iri

__all__ = ["Answers", "python_answers", "sparql_answers"]

Answers = dict[str, Any]
"""Normalised answers: plain tuples, sets and dicts keyed by item id."""

_STANCE_FIELDS = (
    "accepted",
    "accepted_in_principle",
    "accepted_in_part",
    "not_accepted",
    "noted",
    "to_be_considered",
)


def python_answers(
    rg: ReviewGraph, as_of: date, grace_years: int = 2, trace_items: Iterable[str] = ()
) -> Answers:
    """The answers of the Python/NetworkX route, normalised.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> python_answers(rg, date(2023, 1, 1))["gaps"]
    [('not-followed-through', 'demo-old-pledge', ('c',)), \
('not-followed-through', 'demo-rules', ('c',)), ('parked', 'demo-2020/2', ())]
    """
    ix = rg.index
    out: Answers = {}
    stances = {}
    for rec in ix.facts.recommendations:
        s = ix.stance_result(rec.id, as_of)
        if s.value is not None:
            assert s.date is not None
            stances[rec.id] = (s.value, s.date.latest, s.response, s.stance, s.respondent)
    out["stances"] = stances
    statuses = {}
    for item in ix.claims_about:
        claim = ix.status_as_of(item, as_of)
        if claim is not None:
            statuses[item] = (claim.id, claim.status.value)
    out["statuses"] = statuses
    gaps = rg.gaps(as_of, grace_years)
    out["gaps"] = sorted((f.category, f.item, f.rules) for f in gaps.findings)
    out["owners"] = {
        c.id: _owner_key(ix.owner_as_of(c, as_of))
        for c in ix.facts.commitments
        if c.made_on.latest <= as_of and c.owner is not None
    }
    out["recurring"] = [
        (r.id, r.members, r.reviews, r.length, r.depth) for r in rg.recurring(as_of).recurrences
    ]
    out["trace"] = {
        item: (tuple(sorted(set(t.before()))), tuple(sorted(set(t.after()))))
        for item in trace_items
        for t in [rg.trace(item, as_of, grace_years)]
    }
    for by in ("body", "review"):
        out[f"scorecard-{by}"] = [
            _score_key(r.model_dump()) for r in rg.scorecard(by, as_of, grace_years).rows
        ]
    out["slippage"] = sorted(
        (
            r.commitment,
            tuple(s.id for s in r.statements),
            r.revisions,
            r.days_slipped,
            r.delivered_on,
            r.late_against_first,
            r.late_against_last,
        )
        for r in rg.slippage(as_of).rows
    )
    out["timeline"] = Counter((e.kind, e.item, e.date.latest) for e in rg.timeline(as_of).events)
    out["contested"] = sorted(
        (r.commitment, r.owner_side.claim, r.independent.claim) for r in rg.contested(as_of).rows
    )
    return out


def _owner_key(owner: Any) -> tuple[Any, ...]:
    return (owner.current, owner.orphaned, tuple(s.change for s in owner.steps))


def _score_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["key"],
        row["stances"],
        *(row[f] for f in _STANCE_FIELDS),
        row["commitments"],
        row["delivered"],
        row["delivered_late"],
        row["not_followed_through"],
        row["median_days_to_delivery"],
    )


def sparql_answers(
    rg: ReviewGraph,
    as_of: date,
    grace_years: int = 2,
    engine: Literal["rdflib", "oxigraph"] = "rdflib",
    trace_items: Iterable[str] = (),
) -> Answers:
    """The answers of the SPARQL route (on ``engine``), normalised like :func:`python_answers`.

    Examples
    --------
    >>> from reviewgraph.analysis._demo import demo_dataset
    >>> rg = ReviewGraph.from_dataset(demo_dataset())
    >>> d = date(2023, 1, 1)
    >>> sparql_answers(rg, d) == python_answers(rg, d)
    True
    """
    base = rg.base

    def q(name: str, **params: Any) -> list[dict[str, Any]]:
        return rg.query(name, engine=engine, **params)

    def ident(iri: str | None) -> str | None:
        return iri[len(base) :] if iri is not None and iri.startswith(base) else iri

    cutoff = minus_years(as_of, grace_years)
    out: Answers = {}

    # --- stances and statuses
    stances: dict[str, tuple[Any, ...]] = {}
    stance_review: dict[str, str] = {}
    for row in q("stance-asof", asOf=as_of):
        rec = ident(row["recommendation"])
        assert rec is not None
        value = concept_from_iri(URIRef(row["value"]), StanceValue).value
        winner = (
            value,
            row["day"],
            ident(row["response"]),
            ident(row["stance"]),
            ident(row["respondent"]),
        )
        if rec in stances and stances[rec] != winner:
            raise AssertionError(f"two stances win for {rec}: {stances[rec]} and {winner}")
        stances[rec] = winner
        stance_review[rec] = ident(row["review"]) or ""
    out["stances"] = stances
    statuses = {}
    for row in q("status-asof", asOf=as_of):
        statuses[ident(row["item"])] = (ident(row["claim"]), row["status"].rsplit("#")[-1])
    out["statuses"] = {k: (c, _status_notation(s)) for k, (c, s) in statuses.items()}

    # --- commitments: delivery, due dates, owners
    made: dict[str, date] = {}
    reviews_of: dict[str, set[str]] = defaultdict(set)
    latest_delivered: dict[str, bool] = {}
    candidates: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for row in q("scorecard", asOf=as_of):
        c = ident(row["commitment"])
        assert c is not None
        made[c] = row["made"]
        if row["review"] is not None:
            reviews_of[c].add(ident(row["review"]) or "")
        latest_delivered[c] = row["latestDelivered"]
        if row["deliveryDay"] is not None:
            candidates[c].append((row["deliveryKind"], row["deliveryDay"]))
    delivered_on: dict[str, date | None] = {}
    for c in made:
        cands = set(candidates.get(c, ()))
        ok = latest_delivered[c] or any(kind == "deliverable" for kind, _ in cands)
        delivered_on[c] = min(day for _, day in cands) if ok and cands else None
    dues: dict[str, list[tuple[date, date, str, str]]] = defaultdict(list)
    for row in q("slippage", asOf=as_of):
        c = ident(row["commitment"])
        assert c is not None
        dues[c].append((row["stated"], row["target"], ident(row["due"]) or "", row["targetText"]))
    for c in dues:
        dues[c] = sorted(set(dues[c]))
    changes_of: dict[str, list[ChangeFact]] = defaultdict(list)
    change_rows: dict[str, dict[str, Any]] = {}
    for row in q("succession", asOf=as_of):
        cid = ident(row["change"]) or ""
        entry = change_rows.setdefault(cid, {"row": row, "into": set()})
        if row["into"] is not None:
            entry["into"].add(ident(row["into"]))
    for cid, entry in change_rows.items():
        row = entry["row"]
        kind = concept_from_iri(URIRef(row["kind"]), BodyChangeKind)
        assert isinstance(kind, BodyChangeKind)
        body = ident(row["body"]) or ""
        changes_of[body].append(
            ChangeFact(
                cid,
                kind,
                body,
                tuple(sorted(entry["into"])),
                DateValue(text=row["text"], earliest=row["earliest"], latest=row["latest"]),
            )
        )
    owner_of: dict[str, str] = {}
    evidence: dict[str, set[tuple[str, date]]] = defaultdict(set)
    for row in q("owner-evidence", asOf=as_of):
        c = ident(row["commitment"]) or ""
        if row["owner"] is not None:
            owner_of[c] = ident(row["owner"]) or ""
        if row["named"] is not None:
            evidence[c].add((ident(row["named"]) or "", row["namedDay"]))
    owners = {
        c: walk_owner(owner, made[c], changes_of, sorted(evidence[c]), as_of)
        for c, owner in owner_of.items()
    }
    out["owners"] = {c: _owner_key(o) for c, o in owners.items()}

    # --- gaps
    gaps: list[tuple[str, str, tuple[str, ...]]] = []
    nft: set[str] = set()
    for row in q("not-followed-through", asOf=as_of, graceCutoff=cutoff):
        rules = tuple(
            r for r, flag in (("a", row["ruleA"]), ("b", row["ruleB"]), ("c", row["ruleC"])) if flag
        )
        c = ident(row["commitment"]) or ""
        nft.add(c)
        gaps.append(("not-followed-through", c, rules))
    for c, owner in owners.items():
        if owner.orphaned and delivered_on.get(c) is None and not latest_delivered.get(c):
            gaps.append(("orphaned", c, ()))
    for row in q("parked", asOf=as_of, graceCutoff=cutoff):
        gaps.append(("parked", ident(row["recommendation"]) or "", ()))
    for row in q("unanswered", asOf=as_of):
        deadline = _deadline(row, grace_years)
        if deadline is not None and deadline < as_of:
            gaps.append(("unanswered", ident(row["recommendation"]) or "", ()))
    for row in q("overdue-response", asOf=as_of):
        deadline = _deadline(row, None)
        if deadline is not None and deadline < as_of:
            gaps.append(("overdue-response", ident(row["review"]) or "", ()))
    out["gaps"] = sorted(set(gaps))

    # --- recurrences
    echoes = nx.DiGraph()
    days: dict[str, date | None] = {}
    member_reviews: dict[str, set[str]] = defaultdict(set)
    for row in q("recurring", asOf=as_of):
        later, earlier = ident(row["later"]) or "", ident(row["earlier"]) or ""
        echoes.add_edge(later, earlier)
        days[later], days[earlier] = row["laterDay"], row["earlierDay"]
        if row["laterReview"] is not None:
            member_reviews[later].add(ident(row["laterReview"]) or "")
        if row["earlierReview"] is not None:
            member_reviews[earlier].add(ident(row["earlierReview"]) or "")
    out["recurring"] = [
        (r.id, r.members, r.reviews, r.length, r.depth)
        for r in summarise(echoes, days, member_reviews)
    ]

    # --- traces
    traces = {}
    for item in trace_items:
        rows = q("trace", item=item, asOf=as_of)
        before = {ident(r["node"]) or "" for r in rows if r["direction"] == "before"}
        after = {ident(r["node"]) or "" for r in rows if r["direction"] == "after"}
        traces[item] = (tuple(sorted(before)), tuple(sorted(after)))
    out["trace"] = traces

    # --- scorecards
    for by in ("body", "review"):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        spans: dict[str, list[int]] = defaultdict(list)
        for rec, (value, _, _, _, respondent) in stances.items():
            group = stance_review[rec] if by == "review" else (respondent or UNKNOWN_RESPONDENT)
            counts[group]["stances"] += 1
            counts[group][value.replace("-", "_")] += 1
        for c in made:
            walked = owners.get(c)
            if by == "review":
                keys = sorted(reviews_of.get(c, ()))
            elif walked is None:
                keys = [NO_OWNER]
            elif walked.orphaned:
                keys = [ORPHANED]
            else:
                keys = [walked.current or NO_OWNER]
            on = delivered_on[c]
            delivered = bool(latest_delivered[c] or on is not None)
            late = bool(on and dues.get(c) and on > dues[c][0][1])
            for key in keys:
                counts[key]["commitments"] += 1
                counts[key]["delivered"] += int(delivered)
                counts[key]["delivered_late"] += int(late)
                counts[key]["not_followed_through"] += int(c in nft)
                if on is not None:
                    spans[key].append((on - made[c]).days)
        out[f"scorecard-{by}"] = [
            _score_key(
                {
                    "key": key,
                    **{
                        f: counts[key][f]
                        for f in (
                            "stances",
                            *_STANCE_FIELDS,
                            "commitments",
                            "delivered",
                            "delivered_late",
                            "not_followed_through",
                        )
                    },
                    "median_days_to_delivery": (
                        float(statistics.median(spans[key])) if spans[key] else None
                    ),
                }
            )
            for key in sorted(counts)
        ]

    # --- slippage
    slips = []
    for c, found in dues.items():
        first, last = found[0], found[-1]
        on = delivered_on.get(c)
        slips.append(
            (
                c,
                tuple(d[2] for d in found),
                len(found) - 1,
                (last[1] - first[1]).days,
                on,
                (on > first[1]) if on else None,
                (on > last[1]) if on else None,
            )
        )
    out["slippage"] = sorted(slips)

    # --- timeline and contested
    out["timeline"] = Counter(
        (row["kind"], ident(row["item"]), row["latest"]) for row in q("timeline", asOf=as_of)
    )
    out["contested"] = sorted(
        (ident(r["commitment"]), ident(r["ownerClaim"]), ident(r["independentClaim"]))
        for r in q("contested", asOf=as_of, windowStart=window_start(as_of))
    )
    return out


def _status_notation(local: str) -> str:
    from reviewgraph.vocab.concepts import Status
    from reviewgraph.vocab.namespaces import RG

    return concept_from_iri(RG[local], Status).value


def _deadline(row: dict[str, Any], grace_years: int | None) -> date | None:
    if row["due"] is not None:
        due: date = row["due"]
        return due
    published: date | None = row["published"]
    if published is None:
        return None
    period = row["period"] or row["kindPeriod"]
    if period is not None:
        return add_period(published, str(period))
    if grace_years is None:
        return None
    return add_months(published, 12 * grace_years)
