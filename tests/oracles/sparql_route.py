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
from datetime import date, timedelta
from typing import Any, Literal

from rdflib import URIRef

from reviewgraph.analysis.asof import ChangeFact, add_months, add_period, minus_years, walk_owner
from reviewgraph.analysis.findings import window_start
from reviewgraph.analysis.graph import ReviewGraph
from reviewgraph.analysis.recurrence import ThreadEdge, ThreadLinks, summarise
from reviewgraph.analysis.results import DateValue
from reviewgraph.analysis.scorecard import NO_OWNER, ORPHANED, UNKNOWN_RESPONDENT
from reviewgraph.sparql.lineage import lineage_param
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


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

_REPLACED = """
PREFIX rg: <https://w3id.org/reviewgraph/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?commitment WHERE {
  ?commitment rdf:type rg:Commitment ; rg:supersededBy ?next .
  { ?next rdf:type rg:Commitment ; rg:madeOn/rg:latest ?day . }
  UNION
  { ?next rdf:type rg:Deliverable ; rg:date/rg:latest ?day . }
  FILTER (?day <= ?asOf && ?day <= ?knownOn)
}
"""
"""The commitments replaced by an item that exists at (D, K): not findings of their own."""


def _replaced(rg: ReviewGraph, engine: str, as_of: date, known: str | date) -> set[str]:
    text = _REPLACED.replace("?asOf", f'"{as_of.isoformat()}"^^<{XSD_DATE}>').replace(
        "?knownOn", f'"{known}"^^<{XSD_DATE}>'
    )
    if engine == "oxigraph":
        found = {str(row["commitment"].value) for row in rg._oxigraph.query(text)}
    else:
        found = {str(row[0]) for row in rg._query_graph.query(text)}
    return {c[len(rg.base) :] for c in found if c.startswith(rg.base)}


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
    made = [c.id for c in ix.facts.commitments if c.made_on.latest <= as_of]
    statuses = {}
    # every item's own evidence, as status-asof gives it (a claim may predate the day the
    # commitment is dated: the status rule reads the claims, not the commitment's date)
    for item in (*(r.id for r in ix.facts.recommendations), *(c.id for c in ix.facts.commitments)):
        direct = ix.direct_status(item, as_of)  # claims and deliverables about the item itself
        if direct is not None:
            statuses[item] = (direct.id, direct.status.value)
    out["statuses"] = statuses
    rollups = {r.id: ix.rollup(r.id, as_of) for r in ix.facts.recommendations}
    out["rollup"] = {rec: roll.status for rec, roll in rollups.items() if roll is not None}
    # every commitment made, every item with evidence and every recommendation with a roll-up
    out["status_of"] = {
        item: ix.status_text(item, as_of) for item in (*made, *statuses, *out["rollup"])
    }
    gaps = rg.gaps(as_of, grace_years)
    out["gaps"] = sorted((f.category, f.item, f.rules) for f in gaps.findings)
    out["owners"] = {
        c.id: _owner_key(ix.owner_as_of(c, as_of))
        for c in ix.facts.commitments
        if c.made_on.latest <= as_of and c.owner is not None
    }
    out["recurring"] = [
        (r.id, r.members, r.attached, r.reviews, r.length, r.depth)
        for r in rg.recurring(as_of).recurrences
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


UNBOUNDED = date(9999, 12, 31)
"""The ``knownOn`` the queries are given when K is unbounded (everything in the data)."""


_MOVES = """PREFIX rg: <https://w3id.org/reviewgraph/ns#>
SELECT ?change ?c WHERE { ?change rg:movesCommitment ?c }"""
_THEMES = """PREFIX rg: <https://w3id.org/reviewgraph/ns#>
SELECT ?c ?t WHERE { ?c a rg:Commitment .
  { ?c rg:theme ?t } UNION { ?c rg:answersRecommendation/rg:theme ?t } }"""


def sparql_answers(
    rg: ReviewGraph,
    as_of: date,
    grace_years: int = 2,
    engine: Literal["rdflib", "oxigraph"] = "rdflib",
    trace_items: Iterable[str] = (),
    known_on: date | None = None,
) -> Answers:
    """The answers of the SPARQL route (on ``engine``), normalised like :func:`python_answers`.

    ``known_on`` is K (``None``: unbounded).  Beside the keys :func:`python_answers` gives,
    ``status_of`` holds the status of every commitment (its evidence, else ``not-recorded``)
    and recommendation (the direct claims and the roll-up competing), and ``rollup`` each
    recommendation's roll-up.

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
    known = known_on or UNBOUNDED
    out: Answers = {}
    succession_rows = q("succession", asOf=as_of, knownOn=known)
    lineage = lineage_param(succession_rows)
    dk: dict[str, Any] = {"asOf": as_of, "knownOn": known}
    dkl: dict[str, Any] = {**dk, "lineage": lineage}

    # --- stances and statuses
    stances: dict[str, tuple[Any, ...]] = {}
    stance_review: dict[str, str] = {}
    for row in q("stance-asof", **dkl):
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
    evidence_rank: dict[str, tuple[date, int, int]] = {}
    for row in q("status-asof", **dk):
        item = ident(row["item"]) or ""
        statuses[item] = (ident(row["claim"]), row["status"].rsplit("#")[-1])
        evidence_rank[item] = (row["day"], _RANK[row["role"].rsplit("#")[-1]], 0)
    out["statuses"] = {k: (c, _status_notation(s)) for k, (c, s) in statuses.items()}
    rollups: dict[str, tuple[str, date | None, int | None]] = {}
    for row in q("rollup", **dk):
        rec = ident(row["recommendation"]) or ""
        value = (
            _status_notation(row["rollup"].rsplit("#")[-1])
            if row["rollup"].startswith("http")
            else row["rollup"]
        )
        role = 9 - int(row["newestRole"].rsplit(" ", 1)[1]) if row["newestRole"] else None
        newest = row["newest"] if row["newest"] != date(1, 1, 1) else None
        rollups[rec] = (value, newest, role)
    out["rollup"] = {rec: value for rec, (value, _, _) in rollups.items()}

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
    for row in succession_rows:
        cid = ident(row["change"]) or ""
        entry = change_rows.setdefault(cid, {"row": row, "into": set(), "themes": set()})
        if row["into"] is not None:
            entry["into"].add(ident(row["into"]))
        if row["theme"] is not None:
            entry["themes"].add(ident(row["theme"]))
    # what scoped changes and commitments are about (a plain SELECT on the same graph)
    moved: dict[str, set[str]] = defaultdict(set)
    themes_of: dict[str, set[str]] = defaultdict(set)
    graph = rg._query_graph
    for change, com in graph.query(_MOVES):
        moved[ident(str(change)) or ""].add(ident(str(com)) or "")
    for com, theme in graph.query(_THEMES):
        themes_of[ident(str(com)) or ""].add(ident(str(theme)) or "")
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
                scoped=bool(row["scoped"]),
                themes=frozenset(entry["themes"]),
                commitments=frozenset(moved.get(cid, ())),
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

    def walk_at(c: str, day: date) -> Any:
        return walk_owner(
            owner_of[c],
            made[c],
            changes_of,
            sorted(evidence[c]),
            day,
            commitment=c,
            themes=frozenset(themes_of.get(c, ())),
        )

    owners = {c: walk_at(c, as_of) for c in owner_of}
    out["owners"] = {c: _owner_key(o) for c, o in owners.items()}

    # --- gaps
    gaps: list[tuple[str, str, tuple[str, ...]]] = []
    nft: set[str] = set()
    rules_of: dict[str, tuple[str, ...]] = {}
    ended: set[str] = set()
    for row in q("reversed", **dkl):
        gaps.append(("reversed", ident(row["recommendation"]) or "", ()))
        if row["ended"] is not None:
            ended.add(ident(row["ended"]) or "")
    lapsed = {ident(row["commitment"]) or "" for row in q("lapsed", **dk)}
    gaps += [("lapsed", c, ()) for c in lapsed]
    for row in q("not-followed-through", **dk, graceCutoff=cutoff):
        c = ident(row["commitment"]) or ""
        if c in ended:
            continue
        rules = tuple(
            r for r, flag in (("a", row["ruleA"]), ("b", row["ruleB"]), ("c", row["ruleC"])) if flag
        )
        nft.add(c)
        rules_of[c] = rules
        gaps.append(("not-followed-through", c, rules))
    replaced = _replaced(rg, engine, as_of, known)
    for c, owner in owners.items():
        if (
            owner.orphaned
            and c not in lapsed
            and c not in replaced
            and c not in ended
            and delivered_on.get(c) is None
            and not latest_delivered.get(c)
        ):
            gaps.append(("orphaned", c, ()))
    for row in q("parked", **dkl, graceCutoff=cutoff):
        gaps.append(("parked", ident(row["recommendation"]) or "", ()))
    for row in q("unanswered", **dkl):
        deadline = _deadline(row, grace_years)
        if deadline is not None and deadline < as_of:
            gaps.append(("unanswered", ident(row["recommendation"]) or "", ()))
    for row in q("overdue-response", **dk):
        deadline = _deadline(row, None)
        if deadline is not None and deadline < as_of:
            gaps.append(("overdue-response", ident(row["review"]) or "", ()))
    out["gaps"] = sorted(set(gaps))

    # --- the status of each item: its evidence; for a recommendation, the direct claims and
    # the roll-up compete (the latest; the same day: the role, then the less advanced status)
    status_of = {c: out["statuses"].get(c, (None, NOT_RECORDED))[1] for c in made}
    status_of |= {k: v for k, (_, v) in out["statuses"].items() if k not in made}
    for rec, (value, newest, role) in rollups.items():
        direct = out["statuses"].get(rec)
        if newest is None or role is None or value == NOT_RECORDED:  # no claim
            status_of.setdefault(rec, NOT_RECORDED if direct is None else direct[1])
            continue
        if direct is not None:
            d_day, d_role, _ = evidence_rank[rec]
            mine = (newest, -role, -_STATUS_RANK[value])
            theirs = (d_day, -d_role, -_STATUS_RANK[direct[1]])
            if theirs >= mine:
                status_of[rec] = direct[1]
                continue
        status_of[rec] = value
    out["status_of"] = status_of

    # --- recurrences: SPARQL lists the bridging and attaching edges, Python groups them
    edges: set[ThreadEdge] = set()
    days: dict[str, date | None] = {}
    member_reviews: dict[str, set[str]] = defaultdict(set)
    for row in q("recurring", asOf=as_of):
        later, earlier = ident(row["later"]) or "", ident(row["earlier"]) or ""
        edges.add(ThreadEdge(later, earlier, str(row["relation"])))
        days[later], days[earlier] = row["laterDay"], row["earlierDay"]
        if row["laterReview"] is not None:
            member_reviews[later].add(ident(row["laterReview"]) or "")
        if row["earlierReview"] is not None:
            member_reviews[earlier].add(ident(row["earlierReview"]) or "")
    out["recurring"] = [
        (r.id, r.members, r.attached, r.reviews, r.length, r.depth)
        for r in summarise(ThreadLinks(edges, days), member_reviews)
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
            on = delivered_on[c]
            walked = owners.get(c)
            charged = None
            if c in owner_of and c in rules_of:
                # a miss is charged to the owner on the day of the first rule that fired
                first = rules_of[c][0]
                if first == "a":
                    day = dues[c][-1][1] + timedelta(days=1)
                elif first == "b":
                    day = evidence_rank[c][0]
                else:
                    day = cutoff
                charged = walk_at(c, day).current
            elif c in owner_of and on is not None:
                walked = walk_at(c, on)  # credit stays with the owner on the delivery day
            if by == "review":
                keys = sorted(reviews_of.get(c, ()))
            elif charged is not None:
                keys = [charged]
            elif walked is None:
                keys = [NO_OWNER]
            elif walked.orphaned:
                keys = [ORPHANED]
            else:
                keys = [walked.current or NO_OWNER]
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


NOT_RECORDED = "not-recorded"
"""The analysis's own outcome where no evidence is used: nobody recorded looking."""

_RANK = {
    "IndependentScrutiny": 0,
    "SponsorAssessment": 1,
    "SelfAssessment": 2,
    "CommentatorAssessment": 3,
    "CompilerAssessment": 4,
}
_STATUS_RANK = {
    "dropped": 0,
    "no-evidence-found": 1,
    "not-started": 2,
    "in-progress": 3,
    "partially-delivered": 4,
    "delivered": 5,
    NOT_RECORDED: -1,
}


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
