"""Who owns a commitment as of a day: the owner walk over body changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from reviewgraph.analysis.resultparts import DateValue, OwnerAsOf, OwnerStep, PendingChange
from reviewgraph.vocab.concepts import BodyChangeKind

__all__ = ["ChangeFact", "walk_owner"]

_FOLLOWED = frozenset(
    {
        BodyChangeKind.RENAMED,
        BodyChangeKind.MERGED_INTO,
        BodyChangeKind.REPLACED_BY,
        BodyChangeKind.FUNCTION_TRANSFERRED_TO,
    }
)


@dataclass(frozen=True)
class ChangeFact:
    """A body change as :func:`walk_owner` needs it."""

    id: str
    kind: BodyChangeKind
    body: str
    into: tuple[str, ...]
    date: DateValue
    scoped: bool = False
    """Whether the change moves only named functions, themes or commitments."""
    themes: frozenset[str] = frozenset()
    commitments: frozenset[str] = frozenset()
    announced: DateValue | None = None

    def moves(self, commitment: str | None, themes: frozenset[str]) -> bool:
        """Whether the change moves a commitment: a body-wide change moves every one; a
        scoped change only those it lists or whose themes it lists.

        Examples
        --------
        >>> d = DateValue(text="2025", earliest=date(2025, 1, 1), latest=date(2025, 12, 31))
        >>> fire = ChangeFact("c", BodyChangeKind.FUNCTION_TRANSFERRED_TO, "ho", ("mhclg",), d,
        ...                   scoped=True, themes=frozenset({"fire"}))
        >>> fire.moves("x", frozenset({"fire"})), fire.moves("y", frozenset({"police"}))
        (True, False)
        """
        if not self.scoped:
            return True
        return commitment in self.commitments or bool(self.themes & themes)


def walk_owner(
    original: str,
    made: date,
    changes_of: Mapping[str, Sequence[ChangeFact]],
    evidence: Iterable[tuple[str, date]],
    as_of: date,
    commitment: str | None = None,
    themes: frozenset[str] = frozenset(),
) -> OwnerAsOf:
    """Follow body changes from a commitment's owner to its owner as of ``as_of``.

    From the owner, take in date order (latest day, then id) each change of the current body
    dated (latest day) on or after the day it took the commitment over (at first, the day the
    commitment was made) and on or before ``as_of``.  ``renamed``, ``merged into``, ``replaced
    by`` and ``function transferred to`` pass the commitment to the one resulting body (a
    rename into itself changes nothing).  ``split into`` and ``abolished``, or a change with
    several resulting bodies, pass it to the one resulting body named for it, that is the
    only one among them in ``evidence`` (bodies that stated a due date for it or claimed its
    status as owner, with the day) on or after the change and by ``as_of``; if there is no
    such body the commitment is **orphaned**.

    Parameters
    ----------
    original : str
        The owner named on the commitment.
    made : date
        The latest day of when the commitment was made.
    changes_of : mapping
        Each body's changes.
    evidence : iterable of (str, date)
        Bodies that spoke for the commitment, and when.
    as_of : date
        D.
    commitment, themes
        The commitment's id and themes, which a scoped change is tested against: it moves
        the commitment only if it lists it or one of its themes.

    A change of the owner as of D announced by D and not yet in effect is returned in
    ``pending``.

    Examples
    --------
    >>> split = ChangeFact("x-split", BodyChangeKind.SPLIT_INTO, "x", ("y", "z"),
    ...                    DateValue(text="2020", earliest=date(2020, 1, 1),
    ...                              latest=date(2020, 12, 31)))
    >>> walk_owner("x", date(2019, 1, 1), {"x": [split]}, [], date(2021, 1, 1)).orphaned
    True
    >>> walk_owner("x", date(2019, 1, 1), {"x": [split]}, [("z", date(2021, 1, 1))],
    ...            date(2021, 6, 1)).current
    'z'
    """
    evidence = list(evidence)
    current, since = original, made
    steps: list[OwnerStep] = []
    seen: set[str] = set()
    while True:
        candidates = sorted(
            (
                c
                for c in changes_of.get(current, ())
                if c.id not in seen
                and since <= c.date.latest <= as_of
                and c.moves(commitment, themes)
            ),
            key=lambda c: (c.date.latest, c.id),
        )
        if not candidates:
            pending = tuple(
                PendingChange(
                    change=c.id,
                    kind=c.kind.value,
                    date=c.date,
                    announced=c.announced,
                    into=tuple(b for b in c.into if b != current),
                )
                for c in changes_of.get(current, ())
                if c.announced is not None
                and c.announced.latest <= as_of < c.date.latest
                and c.moves(commitment, themes)
            )
            return OwnerAsOf(
                original=original, current=current, steps=tuple(steps), pending=pending
            )
        change = candidates[0]
        seen.add(change.id)
        targets = sorted({b for b in change.into if b != current})
        successor: str | None
        if change.kind in _FOLLOWED and not targets:
            successor = current if change.kind is BodyChangeKind.RENAMED else None
        elif change.kind in _FOLLOWED and len(targets) == 1:
            successor = targets[0]
        else:
            named = {
                body
                for body, day in evidence
                if body in targets and change.date.latest <= day <= as_of
            }
            successor = named.pop() if len(named) == 1 else None
        steps.append(
            OwnerStep(
                change=change.id,
                kind=change.kind.value,
                date=change.date,
                from_body=current,
                to_body=successor,
            )
        )
        if successor is None:
            return OwnerAsOf(original=original, current=None, orphaned=True, steps=tuple(steps))
        current, since = successor, change.date.latest
