"""Counts and an audit sample for the bundled seed dataset (issue #15).

Two jobs, both read from the data so that the documentation cannot drift from it:

``counts``
    The table of counts that ``docs/seeds.md`` shows between its ``counts`` markers.
    ``tests/test_seeds.py`` fails when the page and the data disagree; run
    ``python tools/seed_audit.py counts`` and paste the table to bring the page up to date.
``sample``
    A random sample of dated facts, drawn with a fixed seed over every dated item kind
    (review publications, responses and stances, status claims, due-date statements,
    body changes, commitments and deliverables), for a person to check against the sources.
    ``docs/seed-audit.md`` holds the verdicts for the sample this script draws.

Usage::

    python tools/seed_audit.py counts
    python tools/seed_audit.py sample [--size 25] [--seed 15]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset
from reviewgraph.vocab.concepts import AssessorRole, Status

#: The kinds of dated fact the sample is drawn over, in the order the table lists them.
KINDS = (
    "publication",
    "response",
    "stance",
    "status claim",
    "due date",
    "body change",
    "commitment",
    "deliverable",
)

#: The seed of the audit sample recorded in docs/seed-audit.md.
SEED = 15


@dataclass(frozen=True)
class Fact:
    """One dated fact of the seeds, with the citations behind it."""

    kind: str
    item: str
    text: str
    citations: tuple[str, ...]


def counts(dataset: Dataset) -> list[tuple[str, int]]:
    """Return the rows of the counts table, in the order docs/seeds.md shows them.

    >>> rows = dict(counts(read_dataset().dataset))
    >>> rows["reviews"] >= 9
    True
    """
    recs = dataset.recommendations
    numbered = sum(1 for r in recs if not r.is_theme)
    blankets = sum(len(r.blanket) for r in dataset.responses)
    silent = sum(
        1
        for c in dataset.status_claims
        if c.status is Status.NO_EVIDENCE_FOUND and c.role is AssessorRole.COMPILER
    )
    return [
        ("reviews", len(dataset.reviews)),
        ("recommendations", len(recs)),
        ("of which numbered as the review numbers them", numbered),
        ("of which themes (where no source gives the numbering)", len(recs) - numbered),
        ("responses", len(dataset.responses)),
        ("stances on single recommendations", len(dataset.stances)),
        ("blanket stances", blankets),
        ("commitments", len(dataset.commitments)),
        ("due-date statements", len(dataset.due_dates)),
        ("dated status claims", len(dataset.status_claims)),
        ("of which the compiler's recorded searches (no evidence found)", silent),
        ("deliverables", len(dataset.deliverables)),
        ("typed links", len(dataset.links)),
        ("bodies", len(dataset.bodies)),
        ("dated body changes", len(dataset.body_changes)),
        ("people", len(dataset.people)),
        ("themes", len(dataset.themes)),
        ("sources", len(dataset.sources)),
    ]


def counts_table(dataset: Dataset) -> str:
    """Render :func:`counts` as the markdown table of docs/seeds.md.

    >>> counts_table(read_dataset().dataset).splitlines()[0]
    '| what | count |'
    """
    lines = ["| what | count |", "|---|---:|"]
    lines += [f"| {name} | {n} |" for name, n in counts(dataset)]
    return "\n".join(lines)


def _cites(citations: Iterable[object]) -> tuple[str, ...]:
    out = []
    for c in citations:
        locator = getattr(c, "locator", None)
        source = getattr(c, "source", "")
        out.append(f"{source} ({locator})" if locator else str(source))
    return tuple(out)


def dated_facts(dataset: Dataset) -> list[Fact]:
    """Every dated fact of the dataset, one per item and kind, sorted by kind and id.

    >>> facts = dated_facts(read_dataset().dataset)
    >>> sorted({f.kind for f in facts}) == sorted(KINDS)
    True
    """
    responses = {r.id: r for r in dataset.responses}
    facts: list[Fact] = []
    for review in dataset.reviews:
        if review.published is not None:
            facts.append(
                Fact(
                    "publication",
                    review.id,
                    f"{review.id} published {review.published.text}",
                    _cites(review.citations),
                )
            )
    for resp in dataset.responses:
        blanket = "; ".join(f"{b.stance.value} on all of {b.review}" for b in resp.blanket)
        facts.append(
            Fact(
                "response",
                resp.id,
                f"{resp.by} responded on {resp.date.text}" + (f" ({blanket})" if blanket else ""),
                _cites([*resp.citations, *(c for b in resp.blanket for c in b.citations)]),
            )
        )
    for st in dataset.stances:
        when = st.date or responses[st.response].date
        facts.append(
            Fact(
                "stance",
                st.id,
                f"{responses[st.response].by} on {when.text}: {st.recommendation} "
                f"{st.stance.value}",
                _cites(st.citations),
            )
        )
    for claim in dataset.status_claims:
        since = f" since {claim.since.text}" if claim.since else ""
        facts.append(
            Fact(
                "status claim",
                claim.id,
                f"{claim.assessor} ({claim.role.value}) on {claim.asserted_on.text}: "
                f"{claim.about} {claim.status.value}{since}",
                _cites(claim.citations),
            )
        )
    for due in dataset.due_dates:
        stated = f", stated {due.stated_on.text}" if due.stated_on else ""
        facts.append(
            Fact(
                "due date",
                due.id,
                f"{due.commitment} due {due.target.text} (by {due.stated_by}{stated})",
                _cites(due.citations),
            )
        )
    for change in dataset.body_changes:
        into = ", ".join(change.into) or "-"
        facts.append(
            Fact(
                "body change",
                change.id,
                f"{change.body} {change.kind.value} {into} on {change.date.text}",
                _cites(change.citations),
            )
        )
    for com in dataset.commitments:
        facts.append(
            Fact(
                "commitment",
                com.id,
                f"{com.made_by} undertook {com.id} on {com.made_on.text}",
                _cites(com.citations),
            )
        )
    for dl in dataset.deliverables:
        facts.append(
            Fact(
                "deliverable",
                dl.id,
                f"{dl.by} delivered {dl.id} on {dl.date.text}",
                _cites(dl.citations),
            )
        )
    return sorted(facts, key=lambda f: (KINDS.index(f.kind), f.item))


def sample(facts: Sequence[Fact], size: int = 25, seed: int = SEED) -> list[Fact]:
    """Draw ``size`` facts: one of every kind first, then the rest at random, all seeded.

    >>> facts = dated_facts(read_dataset().dataset)
    >>> picked = sample(facts)
    >>> len(picked), len({f.kind for f in picked}) == len(KINDS)
    (25, True)
    >>> picked == sample(facts)
    True
    """
    rng = random.Random(seed)
    picked: list[Fact] = []
    for kind in KINDS:
        of_kind = [f for f in facts if f.kind == kind]
        if of_kind:
            picked.append(rng.choice(of_kind))
    rest = [f for f in facts if f not in picked]
    picked += rng.sample(rest, max(0, size - len(picked)))
    return sorted(picked, key=lambda f: (KINDS.index(f.kind), f.item))


def _sample_table(picked: Sequence[Fact]) -> str:
    lines = ["| # | kind | fact | sources |", "|---:|---|---|---|"]
    for n, f in enumerate(picked, 1):
        cites = "; ".join(f.citations).replace("|", "/")
        lines.append(f"| {n} | {f.kind} | `{f.item}`: {f.text} | {cites} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("counts", help="print the counts table of docs/seeds.md")
    p_sample = sub.add_parser("sample", help="print the audit sample")
    p_sample.add_argument("--size", type=int, default=25)
    p_sample.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    dataset = read_dataset().dataset
    if args.command == "counts":
        print(counts_table(dataset))
    else:
        print(_sample_table(sample(dated_facts(dataset), args.size, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
