"""Statutory workdays, the Mon–Fri fallback and time progress."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from salesplan_xl.planning import (
    calendar_covers,
    is_workday,
    next_workday,
    time_progress,
    workdays,
)


def test_leap_year_2024():
    days = workdays(2024)
    assert date(2024, 2, 29) in days  # a Thursday, ordinary workday
    expected = chinese_calendar.get_workdays(date(2024, 1, 1), date(2024, 12, 31))
    assert days == expected and len(days) == 251
    assert sum(len(workdays(2024, m)) for m in range(1, 13)) == len(days)


def test_adjusted_weekends_and_holidays():
    assert is_workday(date(2024, 2, 4))  # Sunday worked before the Spring Festival
    assert not is_workday(date(2024, 2, 12))  # Monday in the holiday
    assert not is_workday(datetime(2026, 10, 1, 9, 30))
    assert is_workday("2026-09-30")


def test_as_of_on_a_holiday():
    assert time_progress(date(2026, 10, 1), 2026) == time_progress(date(2026, 9, 30), 2026)
    assert time_progress(date(2026, 10, 7), 2026) == time_progress(date(2026, 9, 30), 2026)
    assert time_progress(date(2026, 10, 8), 2026) > time_progress(date(2026, 10, 7), 2026)
    assert next_workday(date(2026, 10, 1)) == date(2026, 10, 8)


def test_year_boundary():
    assert time_progress(date(2024, 12, 31), 2025) == 0.0
    assert time_progress(date(2025, 1, 1), 2025) == 0.0  # New Year's Day is a holiday
    assert time_progress(date(2025, 1, 2), 2025) == 1 / len(workdays(2025))
    assert time_progress(date(2025, 12, 31), 2025) == 1.0
    assert time_progress(date(2026, 1, 1), 2025) == 1.0
    assert next_workday(date(2024, 12, 31), inclusive=False) == date(2025, 1, 2)


def test_progress_is_monotone_over_the_year():
    day, last = date(2024, 1, 1), 0.0
    while day.year == 2024:
        now = time_progress(day, 2024)
        assert last <= now <= 1
        last = now
        day += timedelta(1)
    assert last == 1.0


def test_beyond_the_calendar_falls_back_to_monday_friday():
    assert calendar_covers(2026) and calendar_covers(2004)
    assert not calendar_covers(2027) and not calendar_covers(2003)
    days = workdays(2027)
    assert len(days) == 261 and all(d.weekday() < 5 for d in days)
    assert is_workday(date(2027, 10, 1))  # a Friday: no statutory data, so a workday
    assert not is_workday(date(2027, 10, 2))
    assert time_progress(date(2027, 1, 1), 2027) == 1 / 261


def test_bad_input():
    with pytest.raises(ValueError, match="month"):
        workdays(2024, 13)
    with pytest.raises(ValueError, match="date"):
        is_workday(20240101)
