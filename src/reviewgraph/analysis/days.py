"""Date arithmetic the rules share: when a dated item counts, months and periods added."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from reviewgraph.analysis.resultparts import DateCompared, DateValue
from reviewgraph.dates import DateRange, parse_period

__all__ = ["add_months", "add_period", "compared", "counts", "date_value", "minus_years"]


def counts(value: DateRange | None, as_of: date) -> bool:
    """Whether a dated item counts at ``as_of``: its latest possible day is on or before it.

    An undated item (``None``) does not count.

    Examples
    --------
    >>> counts(DateRange.from_text("summer 2024"), date(2024, 8, 31))
    True
    >>> counts(DateRange.from_text("summer 2024"), date(2024, 8, 30))
    False
    """
    return value is not None and value.latest <= as_of


def add_months(day: date, months: int) -> date:
    """Add (or subtract) whole months, keeping the day of the month where it exists.

    Examples
    --------
    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> add_months(date(2024, 3, 15), -24)
    datetime.date(2022, 3, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def minus_years(day: date, years: int) -> date:
    """Return the same day ``years`` years earlier (29 February becomes 28 February).

    Examples
    --------
    >>> minus_years(date(2024, 2, 29), 2)
    datetime.date(2022, 2, 28)
    """
    return add_months(day, -12 * years)


def add_period(day: date, period: str) -> date:
    """Add an ISO 8601 period such as ``P2M`` or ``P56D`` to a day (months first, then days).

    Examples
    --------
    >>> add_period(date(2022, 6, 8), "P2M")
    datetime.date(2022, 8, 8)
    >>> add_period(date(2022, 6, 8), "P56D")
    datetime.date(2022, 8, 3)
    """
    months, days = parse_period(period)
    return add_months(day, months) + timedelta(days=days)


def date_value(value: Any) -> DateValue:
    """Convert a :class:`~reviewgraph.dates.DateRange` into a result's date.

    Examples
    --------
    >>> date_value(DateRange.from_text("2024-03")).latest
    datetime.date(2024, 3, 31)
    """
    key = (value.text, value.earliest, value.latest)
    found = _DATE_VALUES.get(key)
    if found is None:
        found = _DATE_VALUES[key] = DateValue(text=key[0], earliest=key[1], latest=key[2])
    return found


_DATE_VALUES: dict[tuple[str, date, date], DateValue] = {}
"""Result dates already made: results are frozen, so one object serves every finding."""


def compared(label: str, date: date, text: str | None = None) -> DateCompared:
    """One date a rule compared (:class:`DateCompared`), made once for each label, day and
    text: results are frozen, so one object serves every finding that compares the same date
    (every finding of a ``gaps`` run has the same ``"as of"``).

    Examples
    --------
    >>> compared("as of", date(2025, 7, 1)) is compared("as of", date(2025, 7, 1))
    True
    """
    key = (label, date, text)
    found = _COMPARED.get(key)
    if found is None:
        found = _COMPARED[key] = DateCompared(label=label, date=date, text=text)
    return found


_COMPARED: dict[tuple[str, date, str | None], DateCompared] = {}
