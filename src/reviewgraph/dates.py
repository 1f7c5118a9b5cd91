"""Dates with precision: the text a source gives plus its earliest and latest day.

Sources say "by summer 2024", "2024/25" or "end-2017" far more often than they give a day.
:class:`DateRange` keeps the original text and the two bounds, and never invents a day.
Comparisons use the bounds: a target "by March 2024" is met by 2024-03-31, and an event
counts as happened by D when its latest bound is on or before D.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["DateRange", "parse_date_text", "parse_period"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (10, 12), "start": (1, 3)}
_PREFIXES = ("by the end of ", "by end of ", "by end-", "by ", "before ", "in ", "from ")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), _last_day(year, last)


FIRST_YEAR = 1000
"""The earliest year a date in the data, or an ``--as-of``/``--since``/``--until``, may have."""

LAST_YEAR = 9899
"""The latest such year: a century short of 9999, so that adding a grace period or a response
period (at most :data:`MAX_PERIOD_YEARS`) never leaves the calendar Python can hold."""

MAX_PERIOD_YEARS = 100
"""The longest response period accepted (``P100Y``)."""


def _year(text: str) -> int:
    value = int(text)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValueError(f"year {text} is out of range ({FIRST_YEAR} to {LAST_YEAR})")
    return value


def check_day(day: date) -> date:
    """Refuse a day outside the years reviewgraph can reason about (an ``--as-of``).

    Examples
    --------
    >>> check_day(date(2025, 7, 1))
    datetime.date(2025, 7, 1)
    >>> check_day(date(1, 1, 1))
    Traceback (most recent call last):
    ...
    ValueError: 0001-01-01 is out of range (the years 1000 to 9899)
    """
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"{day.isoformat()} is out of range (the years {FIRST_YEAR} to {LAST_YEAR})"
        )
    return day


def _parse_single(text: str) -> tuple[date, date] | None:
    t = text.strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"month {m[2]} does not exist")
        return _months(_year(m[1]), month, month)
    if m := re.fullmatch(r"\d{4}", t):
        return _months(_year(t), 1, 12)
    if m := re.fullmatch(r"(\d{4})/(\d{2})", t):
        start = _year(m[1])
        if (start + 1) % 100 != int(m[2]):
            raise ValueError(
                f"{text!r} is not a financial year (expected {start}/{(start + 1) % 100:02d})"
            )
        return date(start, 4, 1), date(start + 1, 3, 31)
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})", t):
        if m[2] in _MONTHS:
            day = date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
            return day, day
    if m := re.fullmatch(r"([a-z]+) (\d{1,2}),? (\d{4})", t):
        if m[1] in _MONTHS:
            day = date(_year(m[3]), _MONTHS[m[1]], int(m[2]))
            return day, day
    if m := re.fullmatch(r"([a-z]+)[ -](\d{4})", t):
        word, year = m[1], _year(m[2])
        if word in _MONTHS:
            return _months(year, _MONTHS[word], _MONTHS[word])
        if word in _SEASONS:
            return _months(year, *_SEASONS[word])
        if word == "winter":
            return date(year, 12, 1), _last_day(year + 1, 2)
        if word in _PARTS:
            return _months(year, *_PARTS[word])
    if m := re.fullmatch(r"(?:end|the end) of (\d{4})", t):
        return _months(_year(m[1]), 10, 12)
    if m := re.fullmatch(r"q([1-4]) (\d{4})", t):
        q = int(m[1])
        return _months(_year(m[2]), 3 * q - 2, 3 * q)
    if m := re.fullmatch(r"h([12]) (\d{4})", t):
        h = int(m[1])
        return _months(_year(m[2]), 6 * h - 5, 6 * h)
    return None


def parse_date_text(text: str) -> tuple[date, date]:
    """Return the earliest and latest day that a date as written can mean.

    Parameters
    ----------
    text : str
        A date as a source gives it: ``2022-06-08``, ``2024-03``, ``2024``, ``March 2024``,
        ``8 June 2022``, ``summer 2024``, ``early 2024``, ``end-2017``, ``Q1 2024``,
        ``H2 2024``, ``2024/25`` (a UK financial year), with an optional leading ``by``,
        or an explicit range ``2024-03-01..2024-05-31``.

    Returns
    -------
    tuple of date
        ``(earliest, latest)``.

    Raises
    ------
    ValueError
        If the text is not a date reviewgraph understands or names an impossible day.

    Examples
    --------
    >>> parse_date_text("by March 2024")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))
    >>> parse_date_text("2024/25")
    (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    >>> parse_date_text("autumn 2025")
    (datetime.date(2025, 9, 1), datetime.date(2025, 11, 30))
    """
    t = " ".join(str(text).split())
    if not t:
        raise ValueError("a date is empty")
    if ".." in t:
        first, _, last = t.partition("..")
        lo, _ = parse_date_text(first)
        _, hi = parse_date_text(last)
        if hi < lo:
            raise ValueError(f"{text!r} ends before it starts")
        return lo, hi
    candidate = t.lower()
    for prefix in _PREFIXES:
        if candidate.startswith(prefix):
            candidate = candidate[len(prefix) :]
            break
    try:
        bounds = _parse_single(candidate)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a possible date: {exc}") from None
    if bounds is None:
        raise ValueError(
            f"{text!r} is not a date reviewgraph understands "
            "(try 2024-03-31, 2024-03, 2024, March 2024, summer 2024, Q1 2024 or 2024/25)"
        )
    return bounds


_PERIOD = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")


def parse_period(text: str) -> tuple[int, int]:
    """Parse an ISO 8601 period of years, months, weeks and days into ``(months, days)``.

    Examples
    --------
    >>> parse_period("P2M")
    (2, 0)
    >>> parse_period("P1Y2W")
    (12, 14)
    """
    m = _PERIOD.fullmatch(text.strip().upper())
    if not m or not any(m.groups()):
        raise ValueError(f"{text!r} is not an ISO 8601 period such as P2M or P90D")
    years, months, weeks, days = (int(g) if g else 0 for g in m.groups())
    if years * 365 + months * 28 + weeks * 7 + days > MAX_PERIOD_YEARS * 366:
        raise ValueError(f"{text!r} is longer than {MAX_PERIOD_YEARS} years")
    return years * 12 + months, weeks * 7 + days


class DateRange(BaseModel):
    """A date as a source states it, with its earliest and latest possible day.

    Build one from text with :meth:`from_text`; ``text`` is kept as written.

    Examples
    --------
    >>> d = DateRange.from_text("summer 2024")
    >>> d.earliest, d.latest
    (datetime.date(2024, 6, 1), datetime.date(2024, 8, 31))
    >>> d.is_precise
    False
    >>> DateRange.from_text("2022-06-08").is_precise
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    earliest: date
    latest: date

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value: Any) -> Any:
        if isinstance(value, date):
            return {"text": value.isoformat(), "earliest": value, "latest": value}
        if isinstance(value, str):
            lo, hi = parse_date_text(value)
            return {"text": value.strip(), "earliest": lo, "latest": hi}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.latest < self.earliest:
            raise ValueError(f"date {self.text!r} ends before it starts")
        for day in (self.earliest, self.latest):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValueError(
                    f"date {self.text!r} is out of range (the years {FIRST_YEAR} to {LAST_YEAR})"
                )
        return self

    @classmethod
    def from_text(cls, text: str) -> DateRange:
        """Build a range from text such as ``"by March 2024"`` (see :func:`parse_date_text`)."""
        return cls.model_validate(text)

    @property
    def is_precise(self) -> bool:
        """Whether the range is a single day."""
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.text
