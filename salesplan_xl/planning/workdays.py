"""China statutory workdays (holidays and adjusted working weekends) and time progress.

Data come from ``chinesecalendar`` (pinned; statutory data for 2004–2026). For a year
outside its data every Monday–Friday is a workday: ask :func:`calendar_covers` to say so
on the sheet. Everything is cached per year.

    >>> from datetime import date
    >>> is_workday(date(2026, 10, 1)), is_workday(date(2027, 10, 1))
    (False, True)
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from ._numbers import as_date as _as_date

__all__ = [
    "calendar_covers",
    "is_workday",
    "workdays",
    "time_progress",
    "next_workday",
    "month_end",
]


def month_end(year: int, month: int) -> date:
    """The last day of a month.

    >>> month_end(2024, 2), month_end(2026, 12)
    (datetime.date(2024, 2, 29), datetime.date(2026, 12, 31))
    """
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


@lru_cache(maxsize=256)
def calendar_covers(year: int) -> bool:
    """True when the statutory calendar has data for every day of ``year``.

    >>> calendar_covers(2024), calendar_covers(2027)
    (True, False)
    """
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=256)
def _year_workdays(year: int) -> tuple[date, ...]:
    """All workdays of ``year``, sorted (statutory, or Monday–Friday beyond the data)."""
    first = date(year, 1, 1)
    days = [first + timedelta(k) for k in range((date(year + 1, 1, 1) - first).days)]
    if calendar_covers(year):
        return tuple(d for d in days if chinese_calendar.is_workday(d))
    return tuple(d for d in days if d.weekday() < 5)


@lru_cache(maxsize=256)
def _year_workday_set(year: int) -> frozenset[date]:
    return frozenset(_year_workdays(year))


def is_workday(d: object) -> bool:
    """True when ``d`` is a workday (statutory calendar, else Monday–Friday).

    >>> is_workday("2024-02-04")   # Sunday, worked before the Spring Festival
    True
    >>> is_workday("2024-02-12")   # Spring Festival holiday (a Monday)
    False
    """
    day = _as_date(d)
    return day in _year_workday_set(day.year)


def workdays(year: int, month: int | None = None) -> list[date]:
    """The workdays of a year, or of one month of it, in date order.

    >>> len(workdays(2024)), len(workdays(2026, 10)), workdays(2027, 1)[0]
    (251, 18, datetime.date(2027, 1, 1))
    """
    days = _year_workdays(year)
    if month is None:
        return list(days)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, got {month!r}")
    return [d for d in days if d.month == month]


def time_progress(as_of: object, year: int) -> float:
    """Workdays from 1 January through ``as_of`` (inclusive) / workdays in ``year``.

    0 before the year starts, 1 after it ends. A holiday adds nothing: the progress on
    2026-10-01 equals that on 2026-09-30.

    >>> time_progress("2024-12-31", 2024), time_progress("2023-12-31", 2024)
    (1.0, 0.0)
    >>> round(time_progress("2026-10-01", 2026), 4) == round(time_progress("2026-09-30", 2026), 4)
    True
    """
    day = _as_date(as_of)
    days = _year_workdays(year)
    if day < date(year, 1, 1):
        return 0.0
    if day > date(year, 12, 31):
        return 1.0
    return bisect.bisect_right(days, day) / len(days)


def next_workday(d: object, inclusive: bool = True) -> date:
    """The first workday on or after ``d`` (strictly after when ``inclusive`` is False).

    >>> next_workday("2026-10-01"), next_workday("2026-09-30", inclusive=False)
    (datetime.date(2026, 10, 8), datetime.date(2026, 10, 8))
    """
    day = _as_date(d)
    if not inclusive:
        day += timedelta(1)
    while not is_workday(day):
        day += timedelta(1)
    return day
