"""Validate a loaded dataset: SHACL shapes plus the rules that depend on today's date.

Every problem is reported as one line naming the file and line (or CSV row) where the item
was written, the item, and a plain-words message, e.g.
``seeds/kark-2019.yaml:41: stance kark-2019-response/stance-5: ...``.  Violations and
warnings are kept apart; warnings never fail validation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from reviewgraph.io.files import Loaded
from reviewgraph.models import Dataset, Item
from reviewgraph.vocab.namespaces import BASE_IRI

__all__ = ["Problem", "ValidationReport", "today", "validate_dataset"]


def today() -> date:
    """Return today's date, or the date in ``REVIEWGRAPH_TODAY`` when it is set.

    Examples
    --------
    >>> import os
    >>> os.environ["REVIEWGRAPH_TODAY"] = "2025-01-01"
    >>> today()
    datetime.date(2025, 1, 1)
    >>> del os.environ["REVIEWGRAPH_TODAY"]
    """
    value = os.environ.get("REVIEWGRAPH_TODAY")
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            from reviewgraph.errors import InputError

            raise InputError(f"REVIEWGRAPH_TODAY={value!r} is not a date (YYYY-MM-DD)") from None
    return date.today()


@dataclass(frozen=True, order=True)
class Problem:
    """One validation finding: where, which item, what is wrong, and how serious."""

    location: str
    item: str
    message: str
    severity: str = "violation"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.item}: {self.message}" if self.item else f"{where}{self.message}"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate_dataset`."""

    violations: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """Whether there are no violations (warnings do not count)."""
        return not self.violations

    def by_file(self) -> dict[str, list[Problem]]:
        """Group every problem by the file it was found in (violations first)."""
        grouped: dict[str, list[Problem]] = {}
        for problem in sorted(self.violations) + sorted(self.warnings):
            grouped.setdefault(problem.location.split(":")[0], []).append(problem)
        return dict(sorted(grouped.items()))


def _describe(item: Item | None, item_id: str) -> str:
    from reviewgraph.io.authoring import noun_of

    return f"{noun_of(item) if item is not None else 'item'} {item_id}"


def _shacl(
    loaded: Loaded, base: str, progress: Callable[[int, int], object] | None
) -> tuple[list[Problem], list[Problem]]:
    from reviewgraph.shacl import check_dataset

    index = loaded.dataset.index()
    violations: list[Problem] = []
    warnings: list[Problem] = []
    for item_id, message, warning in check_dataset(loaded.dataset, base, progress=progress):
        where = loaded.where(item_id)
        problem = Problem(
            str(where) if where else "",
            _describe(index.get(item_id), item_id),
            message,
            "warning" if warning else "violation",
        )
        (warnings if warning else violations).append(problem)
    return sorted(set(violations)), sorted(set(warnings))


_EVENT_FIELDS = {
    "reviews": ("published", "announced", "terms_of_reference", "delivered_to_ministers"),
    "responses": ("date",),
    "stances": ("date",),
    "commitments": ("made_on",),
    "status_claims": ("asserted_on", "since"),
    "deliverables": ("date",),
    "body_changes": ("date", "announced"),
    "elections": ("date",),
    "due_dates": ("stated_on",),
}


def _future_events(loaded: Loaded, when: date) -> list[Problem]:
    problems = []
    dataset = loaded.dataset
    for collection, fields in _EVENT_FIELDS.items():
        for item in getattr(dataset, collection):
            for name in fields:
                value = getattr(item, name)
                if value is not None and value.earliest > when:
                    where = loaded.where(item.id)
                    problems.append(
                        Problem(
                            str(where) if where else "",
                            _describe(item, item.id),
                            f"{name.replace('_', ' ')} {value.text!r} is after today "
                            f"({when.isoformat()}); only due dates may lie in the future",
                        )
                    )
    return problems


def _link_cycles(loaded: Loaded) -> list[Problem]:
    import networkx as nx

    graph = nx.DiGraph()
    for link in loaded.dataset.links:
        graph.add_edge(link.from_, link.to, link=link.id)
    problems = []
    for found in nx.simple_cycles(graph):
        start = found.index(min(found))  # report each cycle the same way on every run
        cycle = found[start:] + found[:start]
        first = graph.edges[cycle[0], cycle[1 % len(cycle)]]["link"]
        where = loaded.where(first)
        path = " -> ".join([*cycle, cycle[0]])
        problems.append(
            Problem(
                str(where) if where else "",
                f"link {first}",
                f"links form a cycle ({path}), which dates cannot allow",
            )
        )
        if len(problems) >= 20:
            break
    return problems


def _replacement_cycles(loaded: Loaded) -> list[Problem]:
    """Commitments that replace one another in a ring: none of them is the replacement that
    stands, so the rules could not say which one is expected."""
    import networkx as nx

    graph = nx.DiGraph(
        (c.id, c.superseded_by) for c in loaded.dataset.commitments if c.superseded_by
    )
    problems = []
    for found in nx.simple_cycles(graph):
        start = found.index(min(found))  # report each ring the same way on every run
        ring = found[start:] + found[:start]
        where = loaded.where(ring[0])
        path = " -> ".join([*ring, ring[0]])
        problems.append(
            Problem(
                str(where) if where else "",
                f"commitment {ring[0]}",
                f"superseded_by forms a cycle ({path}): one of them must be the replacement "
                "that stands",
            )
        )
        if len(problems) >= 20:
            break
    return problems


def validate_dataset(
    loaded: Loaded | Dataset,
    *,
    as_of: date | None = None,
    base: str = BASE_IRI,
    progress: Callable[[int, int], object] | None = None,
) -> ValidationReport:
    """Check a dataset against the SHACL shapes and the date rules.

    Parameters
    ----------
    loaded : Loaded or Dataset
        What :func:`reviewgraph.io.files.read_dataset` returned (so problems can name files and
        lines), or a bare dataset.
    as_of : date, optional
        "Today" for the rule that events may not lie in the future; by default today (or
        ``REVIEWGRAPH_TODAY``).
    base : str
        The IRI base of identifiers.
    progress : callable, optional
        Called with the chunks of items checked against the shapes so far, and in all
        (see :mod:`reviewgraph.shacl`).

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> from reviewgraph.io.files import read_dataset
    >>> report = validate_dataset(read_dataset())
    >>> report.conforms
    True
    """
    if isinstance(loaded, Dataset):
        loaded = Loaded(loaded)
    violations, warnings = _shacl(loaded, base, progress)
    violations += _future_events(loaded, as_of or today())
    violations += _link_cycles(loaded)
    violations += _replacement_cycles(loaded)
    warnings += _assumed(loaded)
    warnings += _rule_warnings(loaded)
    return ValidationReport(sorted(violations), warnings)


def _rule_warnings(loaded: Loaded) -> list[Problem]:
    """The three situations the rules allow but that usually mean missing data
    (``docs/concepts.md``, "Warnings for the compiler")."""
    ds = loaded.dataset
    found: list[Problem] = []

    def warn(item_id: str, label: str, message: str) -> None:
        where = loaded.where(item_id)
        found.append(Problem(str(where) if where else "", label, message, "warning"))

    dated = {src.id for src in ds.sources if src.date is not None}
    for due in ds.due_dates:
        if due.stated_on is None and not any(c.source in dated for c in due.citations):
            warn(
                due.id,
                f"due-date {due.id}",
                "has no stated_on and no dated source cites it, so it is never in force "
                "(give stated_on, or a date on its source)",
            )
    for change in ds.body_changes:
        if change.kind.value == "function-transferred-to" and not change.scoped:
            warn(
                change.id,
                f"body-change {change.id}",
                f"names no functions, themes or commitments, so it moves every commitment of "
                f"{change.body}",
            )
    bodies = {b.id: b for b in ds.bodies}

    def above(body_id: str) -> set[str]:
        out: set[str] = set()
        while body_id in bodies and bodies[body_id].parent and body_id not in out:
            out.add(body_id)
            body_id = bodies[body_id].parent or ""
            out.add(body_id)
        return out - {""}

    def governed(body_id: str) -> bool:
        seen: set[str] = set()
        while body_id in bodies and body_id not in seen:
            seen.add(body_id)
            if bodies[body_id].government:
                return True
            body_id = bodies[body_id].parent or ""
        return False

    recs = {r.id: r for r in ds.recommendations}
    by_review: dict[str, list[str]] = {}
    for r in ds.recommendations:
        by_review.setdefault(r.review, []).append(r.id)
    responses = {r.id: r for r in ds.responses}
    pairs: set[tuple[str, str]] = set()
    answered = [(st.response, st.recommendation) for st in ds.stances]
    answered += [
        (resp.id, rec_id)
        for resp in ds.responses
        for b in resp.blanket
        for rec_id in (b.recommendations or by_review.get(b.review, []))
    ]
    for resp_id, rec_id in answered:
        resp, rec = responses.get(resp_id), recs.get(rec_id)
        if resp is None or rec is None or resp.by not in bodies or not bodies[resp.by].government:
            continue
        for a in rec.addressees:
            if a == resp.by or a not in bodies or not governed(a) or resp.by in above(a):
                continue  # answered as the addressee or a body above it: no jurisdiction needed
            if bodies[resp.by].jurisdiction is None or bodies[a].jurisdiction is None:
                pairs.add((resp.id, a))
    for resp_id, a in sorted(pairs):
        warn(
            resp_id,
            f"response {resp_id}",
            f"a government body answering for {a}, where {responses[resp_id].by} or {a} has no "
            "jurisdiction: the rules take the government's to contain the addressee's",
        )
    return found


def _assumed(loaded: Loaded) -> list[Problem]:
    """What the readers assumed (said once, with a count), and likely duplicate bodies."""
    from reviewgraph.io.names import likely_duplicates

    found = [
        Problem(n.location.file if n.location else "", "", n.message, "warning")
        for n in loaded.notes
    ]
    names = {b.id: b.name for b in loaded.dataset.bodies}
    for body_id, other, why in likely_duplicates(names):
        where = loaded.where(body_id)
        found.append(
            Problem(
                str(where) if where else "",
                f"body {body_id}",
                f"may be the same body as {other}: {why} (give one id, or an abbreviation)",
                "warning",
            )
        )
    return found
