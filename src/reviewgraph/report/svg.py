"""The report's drawings, as inline SVG laid out here: commitment timelines, the delivery chart
and recurrence threads.

Every mark has a text label or a distinct shape, and hover text in a ``<title>``, so no
meaning rests on colour alone; every drawing has an accessible name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewgraph.analysis.results import RecurringResult
    from reviewgraph.models import Dataset
    from reviewgraph.report.facts import CommitmentFacts

__all__ = ["Scale", "commitment_timeline", "delivery_chart", "recurrence_graphs"]

_INK, _MUTED, _GREEN, _ORANGE, _BLUE, _RED = (
    "#1b1b1b",
    "#4a4a4a",
    "#1e6b34",
    "#9a4400",
    "#1f4e9c",
    "#b00020",
)


class Scale:
    """Days to x positions between the first of January of ``start`` and of ``end``.

    Examples
    --------
    >>> s = Scale(2020, 2022, left=0, width=100)
    >>> s.x(date(2021, 1, 1)) > 49, s.x(date(2019, 6, 1))
    (True, 0.0)
    """

    def __init__(self, start: int, end: int, left: int = 40, width: int = 680) -> None:
        self.start = date(start, 1, 1)
        self.end = date(max(end, start + 1), 1, 1)
        self.left = left
        self.width = width

    def x(self, day: date) -> float:
        """The x position of a day (clamped to the drawing)."""
        span = (self.end - self.start).days
        at = min(max((day - self.start).days, 0), span)
        return self.left + self.width * at / span

    def years(self) -> range:
        """The years to mark: at most about a dozen ticks."""
        n = self.end.year - self.start.year
        return range(self.start.year, self.end.year + 1, max(1, n // 12 + (n % 12 > 0)))


def _mark(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "made":
        return (
            f'<circle cx="{x:.1f}" cy="{y}" r="4" fill="#fff" stroke="{colour}" stroke-width="2"/>'
        )
    if kind == "target":
        return (
            f'<path d="M{x:.1f} {y - 5} l5 5 l-5 5 l-5 -5 z" fill="#fff" stroke="{colour}" '
            'stroke-width="2"/>'
        )
    if kind == "claim":
        return f'<rect x="{x - 4:.1f}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    # delivered: a filled star-like check mark in a circle
    return (
        f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"/>'
        f'<path d="M{x - 3:.1f} {y} l2 2.5 l4 -5" fill="none" stroke="#fff" stroke-width="1.6"/>'
    )


def commitment_timeline(
    c: CommitmentFacts, scale: Scale, as_of: date, name: Callable[[str | None], str]
) -> str:
    """One commitment's own timeline: made, each target (who stated it), each status claim and
    the delivery, labelled, with hover text.

    Parameters
    ----------
    c : CommitmentFacts
        The commitment.
    scale : Scale
        The page's common time scale.
    as_of : date
        The report's date, drawn as a dashed line.
    name : callable
        A body's or person's display name from its id.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    marks: list[tuple[date, str, str, str, str]] = [
        (c.made_on, "made", "made", f"made {c.made_text}", _BLUE)
    ]
    for i, due in enumerate(c.dues, 1):
        by = f", stated by {name(due.stated_by)}" if due.stated_by else ""
        on = f" on {due.stated_on.text}" if due.stated_on else ""
        marks.append(
            (
                due.target.latest,
                "target",
                f"target {i}",
                f"target {i}: {due.target.text}{by}{on}",
                _ORANGE,
            )
        )
    for claim in c.claims:
        who = f" by {name(claim.assessor)}" if claim.assessor else ""
        said = claim.asserted_on if claim.since is None else claim.since
        marks.append(
            (
                said.latest,
                "claim",
                claim.status.value,
                f"{claim.status.value} ({claim.role.value}{who}), {said.text}",
                _MUTED,
            )
        )
    for _, done, what in c.deliverables:
        marks.append((done, "delivered", "delivered", f"delivered: {what} ({done})", _GREEN))
    width = scale.left * 2 + scale.width
    base, height = 36, 86
    lanes = (24, base + 20, 11, base + 33)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tl" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(_timeline_name(c), quote=True)}">',
        f'<line x1="{scale.left}" y1="{base}" x2="{scale.left + scale.width}" y2="{base}" '
        f'stroke="#b5b5b5"/>',
    ]
    for year in scale.years():
        x = scale.x(date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{base - 3}" x2="{x:.1f}" y2="{base + 3}" stroke="#8a8a8a"/>'
            f'<text x="{x:.1f}" y="{height - 2}" text-anchor="middle" fill="{_MUTED}">{year}</text>'
        )
    xa = scale.x(as_of)
    parts.append(
        f'<line x1="{xa:.1f}" y1="4" x2="{xa:.1f}" y2="{base + 8}" stroke="{_RED}" '
        f'stroke-dasharray="3,2"><title>as of {as_of.isoformat()}</title></line>'
    )
    if len(c.dues) > 1:
        x1, x2 = scale.x(c.dues[0].target.latest), scale.x(c.dues[-1].target.latest)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{base}" x2="{x2:.1f}" y2="{base}" stroke="{_ORANGE}" '
            f'stroke-width="2" stroke-dasharray="5,3"><title>target moved from '
            f"{escape(c.dues[0].target.text)} to {escape(c.dues[-1].target.text)}</title></line>"
        )
    marks.sort(key=lambda m: m[0])
    last_x = [-1e9] * len(lanes)
    for day, kind, label, hover, colour in marks:
        x = scale.x(day)
        room = [x - last for last in last_x]
        lane = next((i for i, r in enumerate(room) if r >= 7 * len(label) + 6), None)
        if lane is None:
            lane = max(range(len(lanes)), key=lambda i: room[i])
        last_x[lane] = x
        parts.append(
            f"<g><title>{escape(hover)}</title>{_mark(kind, x, base, colour)}"
            f'<text x="{x:.1f}" y="{lanes[lane]}" text-anchor="middle" fill="{_INK}">'
            f"{escape(label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _timeline_name(c: CommitmentFacts) -> str:
    bits = [f"Timeline of {c.id}: made {c.made_text}"]
    bits += [f"target {d.target.text}" for d in c.dues]
    bits += [f"{k.status.value} {k.asserted_on.text}" for k in c.claims]
    if c.delivered_on:
        bits.append(f"delivered {c.delivered_on.isoformat()}")
    return "; ".join(bits)


def delivery_chart(years: list[tuple[int, int, int]]) -> str:
    """Cumulative commitments promised against delivered, per year, as a small line chart.

    Examples
    --------
    >>> svg = delivery_chart([(2020, 2, 0), (2021, 3, 1)])
    >>> svg.count("<circle"), "2021: 3 promised, 1 delivered" in svg
    (2, True)
    >>> delivery_chart([])
    '<p>No commitments.</p>'
    """
    if not years:
        return "<p>No commitments.</p>"
    left, top, width, height = 44, 12, 560, 150
    peak = max(max(p for _, p, _ in years), 1)
    n = max(len(years) - 1, 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return left + width * i / n, top + height - height * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {left + width + 90} '
        f'{top + height + 34}" role="img" aria-labelledby="chart-title">'
        '<title id="chart-title">Commitments promised and delivered, cumulative, per year'
        "</title>",
        f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" '
        'stroke="#8a8a8a"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + height}" stroke="#8a8a8a"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="{_MUTED}">{peak}</text>'
        f'<text x="{left - 6}" y="{top + height}" text-anchor="end" fill="{_MUTED}">0</text>',
    ]
    step = max(1, len(years) // 10 + (len(years) % 10 > 0))
    for i, (year, _, _) in enumerate(years):
        if i % step == 0 or (i == len(years) - 1 and i % step > step // 2):
            x, _y = xy(i, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{top + height + 16}" text-anchor="middle" '
                f'fill="{_MUTED}">{year}</text>'
            )
    for idx, (label, colour, dash) in enumerate(
        (("promised", _BLUE, ""), ("delivered", _GREEN, ' stroke-dasharray="6,3"'))
    ):
        points = [xy(i, row[1 + idx]) for i, row in enumerate(years)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        lx, ly = points[-1]
        parts.append(
            f'<text x="{lx + 8:.1f}" y="{ly + 4:.1f}" fill="{colour}">{label} '
            f"{years[-1][1 + idx]}</text>"
        )
    for i, (year, promised, delivered) in enumerate(years):
        hover = f"{year}: {promised} promised, {delivered} delivered"
        (px, py), (dx, dy) = xy(i, promised), xy(i, delivered)
        parts.append(
            f'<g><title>{hover}</title><circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" '
            f'fill="{_BLUE}"/><rect x="{dx - 3:.1f}" y="{dy - 3:.1f}" width="6" height="6" '
            f'fill="{_GREEN}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def recurrence_graphs(
    dataset: Dataset, recurring: RecurringResult, when: Callable[[str], date | None]
) -> list[tuple[str, str]]:
    """Each recurrence thread as a small graph, members left to right by date, with the links
    between them as labelled arcs; returns ``(group id, svg)`` pairs."""
    members_of = {m: g.id for g in recurring.recurrences for m in g.members}
    links: dict[str, list[tuple[str, str, str]]] = {}
    for link in dataset.links:
        gid = members_of.get(link.from_)
        if gid is not None and members_of.get(link.to) == gid:
            links.setdefault(gid, []).append((link.from_, link.to, link.type.value))
    out = []
    box_w, gap, row_h = 150, 34, 96
    for n, group in enumerate(recurring.recurrences):
        members = sorted(group.members, key=lambda m: (when(m) or date.min, m))
        width = 20 + (box_w + gap) * len(members)
        pos = {m: 10 + (box_w + gap) * i for i, m in enumerate(members)}
        svg = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {row_h}" '
            f'width="{width}" height="{row_h}" role="img" '
            f'aria-label="Recurrence {escape(group.id, quote=True)}: '
            f'{escape(", ".join(members), quote=True)}">'
            f'<defs><marker id="arrow{n}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" '
            'markerHeight="6" orient="auto"><path d="M0 0 L8 4 L0 8 z" fill="#4a4a4a"/>'
            "</marker></defs>"
        ]
        for frm, to, kind in links.get(group.id, ()):
            x1, x2 = pos[frm] + box_w / 2, pos[to] + box_w / 2
            svg.append(
                f"<g><title>{escape(frm)} {escape(kind)} {escape(to)}</title>"
                f'<path d="M{x1:.0f} 34 C {x1:.0f} 8, {x2:.0f} 8, {x2:.0f} 32" fill="none" '
                f'stroke="#4a4a4a" marker-end="url(#arrow{n})"/>'
                f'<text x="{(x1 + x2) / 2:.0f}" y="14" text-anchor="middle" fill="{_MUTED}">'
                f"{escape(kind)}</text></g>"
            )
        for m in members:
            x = pos[m]
            day = when(m)
            shown = day.isoformat() if day else "undated"
            svg.append(
                f"<g><title>{escape(m)} ({shown})</title>"
                f'<rect x="{x}" y="36" width="{box_w}" height="46" rx="5" fill="#fbf8f1" '
                f'stroke="#7a5c00"/>'
                f'<text x="{x + 6}" y="54" fill="{_INK}">{escape(_fit(m, 24))}</text>'
                f'<text x="{x + 6}" y="72" fill="{_MUTED}">{shown}</text></g>'
            )
        svg.append("</svg>")
        out.append((group.id, "".join(svg)))
    return out


def _fit(text: str, n: int) -> str:
    """Shorten a label to ``n`` characters.

    Examples
    --------
    >>> _fit("messenger-2022/3", 24), _fit("a" * 30, 10)
    ('messenger-2022/3', 'aaaaaaaaa…')
    """
    return text if len(text) <= n else text[: n - 1] + "…"
