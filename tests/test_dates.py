"""Dates with precision: text as sources write it, stored with earliest and latest day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from reviewgraph.dates import DateRange, parse_date_text, parse_period

D = date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2022-06-08", D(2022, 6, 8), D(2022, 6, 8)),
        ("8 June 2022", D(2022, 6, 8), D(2022, 6, 8)),
        ("8th June 2022", D(2022, 6, 8), D(2022, 6, 8)),
        ("June 8, 2022", D(2022, 6, 8), D(2022, 6, 8)),
        ("2024-03", D(2024, 3, 1), D(2024, 3, 31)),
        ("March 2024", D(2024, 3, 1), D(2024, 3, 31)),
        ("by March 2024", D(2024, 3, 1), D(2024, 3, 31)),
        ("Sept 2023", D(2023, 9, 1), D(2023, 9, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),  # a leap year
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),  # not a leap year
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("spring 2024", D(2024, 3, 1), D(2024, 5, 31)),
        ("summer 2024", D(2024, 6, 1), D(2024, 8, 31)),
        ("by summer 2024", D(2024, 6, 1), D(2024, 8, 31)),
        ("autumn 2025", D(2025, 9, 1), D(2025, 11, 30)),
        ("winter 2023", D(2023, 12, 1), D(2024, 2, 29)),  # crosses into a leap February
        ("early 2024", D(2024, 1, 1), D(2024, 4, 30)),
        ("mid 2024", D(2024, 5, 1), D(2024, 8, 31)),
        ("late 2024", D(2024, 9, 1), D(2024, 12, 31)),
        ("end-2017", D(2017, 10, 1), D(2017, 12, 31)),
        ("end of 2017", D(2017, 10, 1), D(2017, 12, 31)),
        ("Q1 2024", D(2024, 1, 1), D(2024, 3, 31)),
        ("Q4 2024", D(2024, 10, 1), D(2024, 12, 31)),
        ("H1 2024", D(2024, 1, 1), D(2024, 6, 30)),
        ("H2 2024", D(2024, 7, 1), D(2024, 12, 31)),
        ("2024/25", D(2024, 4, 1), D(2025, 3, 31)),
        ("1999/00", D(1999, 4, 1), D(2000, 3, 31)),
        ("2024-03-01..2024-05-31", D(2024, 3, 1), D(2024, 5, 31)),
        ("2024..2025/26", D(2024, 1, 1), D(2026, 3, 31)),
        ("  summer   2024 ", D(2024, 6, 1), D(2024, 8, 31)),
        ("SUMMER 2024", D(2024, 6, 1), D(2024, 8, 31)),
        ("2024\u20132025", None, None),  # an en dash is not a range marker
    ],
)
def test_parse_date_text(text: str, earliest: date | None, latest: date | None) -> None:
    if earliest is None:
        with pytest.raises(ValueError, match="not a date reviewgraph understands"):
            parse_date_text(text)
        return
    assert parse_date_text(text) == (earliest, latest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a date is empty"),
        ("   ", "a date is empty"),
        ("soon", "'soon' is not a date reviewgraph understands"),
        ("2024-13", "month 13 does not exist"),
        ("2024-00", "month 00 does not exist"),
        ("2023-02-29", "not a possible date"),
        ("31 April 2024", "not a possible date"),
        ("2024/26", "is not a financial year \\(expected 2024/25\\)"),
        ("0999", "year 0999 is out of range"),
        ("2025-01-01..2024-01-01", "ends before it starts"),
        ("Smarch 2024", "not a date reviewgraph understands"),
        ("Q5 2024", "not a date reviewgraph understands"),
    ],
)
def test_parse_date_text_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date_text(text)


@given(st.dates(min_value=D(1000, 1, 1), max_value=D(9899, 12, 31)))
def test_an_iso_day_is_exactly_that_day(day: date) -> None:
    assert parse_date_text(day.isoformat()) == (day, day)
    rng = DateRange.from_text(day.isoformat())
    assert rng.is_precise
    assert rng.text == day.isoformat()


@given(st.integers(1000, 9898), st.integers(1, 12))
def test_a_month_covers_every_day_of_it_and_no_other(year: int, month: int) -> None:
    lo, hi = parse_date_text(f"{year:04d}-{month:02d}")
    assert lo == D(year, month, 1)
    assert (hi + timedelta(days=1)).day == 1  # the next day starts a month
    assert hi.month == month
    assert (hi - lo).days + 1 == calendar.monthrange(year, month)[1]
    assert parse_date_text(f"{calendar.month_name[month]} {year}") == (lo, hi)


@given(st.integers(1000, 9898))
def test_a_financial_year_is_twelve_months_from_april(year: int) -> None:
    lo, hi = parse_date_text(f"{year}/{(year + 1) % 100:02d}")
    assert lo == D(year, 4, 1)
    assert hi == D(year + 1, 3, 31)


@given(st.sampled_from(["Q1", "Q2", "Q3", "Q4", "H1", "H2"]), st.integers(1000, 9898))
def test_quarters_and_halves_tile_the_year(part: str, year: int) -> None:
    lo, hi = parse_date_text(f"{part} {year}")
    assert lo.year == hi.year == year
    assert lo.day == 1 and (hi + timedelta(days=1)).day == 1
    months = hi.month - lo.month + 1
    assert months == (3 if part.startswith("Q") else 6)


@given(
    st.dates(min_value=D(1000, 1, 1), max_value=D(9899, 12, 31)),
    st.dates(min_value=D(1000, 1, 1), max_value=D(9899, 12, 31)),
)
def test_explicit_ranges_keep_the_outer_bounds(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    assert parse_date_text(f"{lo.isoformat()}..{hi.isoformat()}") == (lo, hi)
    if lo != hi:
        with pytest.raises(ValueError, match="ends before it starts"):
            parse_date_text(f"{hi.isoformat()}..{lo.isoformat()}")


def test_daterange_keeps_the_text_as_written() -> None:
    rng = DateRange.from_text("  by summer 2024 ")
    assert rng.text == "by summer 2024"
    assert str(rng) == "by summer 2024"
    assert (rng.earliest, rng.latest) == (D(2024, 6, 1), D(2024, 8, 31))
    assert not rng.is_precise


def test_daterange_from_a_date_object() -> None:
    rng = DateRange.model_validate(D(2022, 6, 8))
    assert (rng.text, rng.earliest, rng.latest) == ("2022-06-08", D(2022, 6, 8), D(2022, 6, 8))


def test_daterange_refuses_reversed_bounds() -> None:
    with pytest.raises(ValidationError, match="ends before it starts"):
        DateRange(text="odd", earliest=D(2024, 2, 1), latest=D(2024, 1, 1))


def test_daterange_refuses_unknown_fields_and_is_frozen() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        DateRange.model_validate(
            {"text": "x", "earliest": "2024-01-01", "latest": "2024-01-01", "precision": "day"}
        )
    rng = DateRange.from_text("2024")
    with pytest.raises(ValidationError, match="frozen"):
        rng.text = "2025"  # type: ignore[misc]


def test_comparisons_use_the_bounds() -> None:
    """A due date "by March 2024" is met by 2024-03-31; an event "in 2024" has happened by
    a day only when its latest bound is on or before it."""
    due = DateRange.from_text("by March 2024")
    assert due.latest >= D(2024, 3, 31)
    assert not due.latest >= D(2024, 4, 1)
    event = DateRange.from_text("2024")
    assert not event.latest <= D(2024, 6, 30)
    assert event.latest <= D(2024, 12, 31)


@pytest.mark.parametrize(
    ("text", "months", "days"),
    [
        ("P2M", 2, 0),
        ("P56D", 0, 56),
        ("P1Y", 12, 0),
        ("P1Y2M", 14, 0),
        ("P2W", 0, 14),
        ("P1Y2W", 12, 14),
        ("p3m", 3, 0),
        (" P90D ", 0, 90),
    ],
)
def test_parse_period(text: str, months: int, days: int) -> None:
    assert parse_period(text) == (months, days)


@pytest.mark.parametrize("text", ["P", "2M", "PT5H", "P2H", "two months", "", "P-1M"])
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 8601 period"):
        parse_period(text)


# -- the calendar's ends (issue 18: --as-of 0001-01-01 and 9999-12-31 gave tracebacks) ---------


@pytest.mark.parametrize("text", ["1000-01-01", "9899-12-31", "winter 9898", "9899"])
def test_dates_at_the_ends_of_the_range_are_accepted(text: str) -> None:
    DateRange.from_text(text)


@pytest.mark.parametrize("text", ["0999-12-31", "9900-01-01", "9999-12-31", "winter 9899"])
def test_dates_past_the_ends_of_the_range_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"out of range|not a date"):
        DateRange.from_text(text)


def test_a_range_given_as_days_is_checked_too() -> None:
    with pytest.raises(ValidationError, match="out of range"):
        DateRange(text="x", earliest=D(1, 1, 1), latest=D(1, 1, 2))


def test_periods_up_to_a_hundred_years() -> None:
    assert parse_period("P100Y") == (1200, 0)
    with pytest.raises(ValueError, match="longer than 100 years"):
        parse_period("P101Y")
    with pytest.raises(ValueError, match="longer than 100 years"):
        parse_period("P99999D")
