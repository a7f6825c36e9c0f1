"""Contact planning (9.3.23) and workday checks against the kit's 日历 calendar.

The kit's hidden 日历 sheet holds every date of the plan year with 1 for a workday
(statutory holidays and adjusted working weekends). Excel's WORKDAY() knows nothing of
Chinese holidays, so the native formulas look dates up in that calendar; outside the plan
year they fall back to Monday–Friday (WORKDAY). The functions here follow the same rule,
so the cached value and the formula agree on every date.

    >>> from datetime import date
    >>> due = contact_due(date(2026, 9, 24), "每周")      # + 7 days: 1 October, a holiday
    >>> due, next_workday_in_year(due, 2026)
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 8))
    >>> days_late(date(2026, 9, 1), date(2026, 9, 30)), days_late(None, date(2026, 9, 30))
    (29, None)
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ._numbers import as_date, is_missing
from .workdays import workdays

__all__ = [
    "CONTACT_FREQUENCIES",
    "add_months",
    "contact_due",
    "next_workday_in_year",
    "workday_flag",
    "days_late",
    "overdue_state",
]

#: Contact frequencies (the 频率 dropdown) and their step: days, or months as EDATE.
CONTACT_FREQUENCIES = {"每周": (7, 0), "每两周": (14, 0), "每月": (0, 1), "每季": (0, 3)}


def _date_or_none(d: object) -> date | None:
    if is_missing(d) or d == "":
        return None
    return as_date(d)


def add_months(d: object, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end, as Excel's EDATE.

    >>> add_months(date(2026, 1, 31), 1), add_months(date(2026, 11, 15), 3)
    (datetime.date(2026, 2, 28), datetime.date(2027, 2, 15))
    """
    day = as_date(d)
    k = day.year * 12 + day.month - 1 + int(months)
    year, month = divmod(k, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def contact_due(last: object, frequency: object) -> date | None:
    """The date the next contact is due: last contact + the frequency's step (每周 7 days,
    每两周 14 days, 每月 one month, 每季 three months, months as EDATE; anything else: one
    month). None without a last contact or a frequency.

    Excel: ``IF(OR(last="",freq=""),"",IF(freq="每周",last+7,IF(freq="每两周",last+14,
    EDATE(last,IF(freq="每季",3,1)))))``.

    >>> contact_due(date(2026, 3, 31), "每月"), contact_due(date(2026, 3, 31), "每季")
    (datetime.date(2026, 4, 30), datetime.date(2026, 6, 30))
    >>> contact_due(None, "每周") is None, contact_due(date(2026, 1, 5), None) is None
    (True, True)
    """
    day = _date_or_none(last)
    if day is None or is_missing(frequency) or str(frequency).strip() == "":
        return None
    freq = str(frequency).strip()
    if freq == "每周":
        return day + timedelta(7)
    if freq == "每两周":
        return day + timedelta(14)
    return add_months(day, 3 if freq == "每季" else 1)


def _monday_to_friday_on_or_after(day: date) -> date:
    """Excel's ``WORKDAY(day-1,1)`` without holidays."""
    while day.weekday() >= 5:
        day += timedelta(1)
    return day


def next_workday_in_year(d: object, year: int) -> date | None:
    """The first workday on or after ``d`` by the kit's calendar of ``year`` (the 日历
    sheet); outside that year, the first Monday–Friday. None when ``d`` is blank.

    Excel (``cal_dates``/``cal_workday`` are the 日历 sheet's names)::

        IF(d="","",IF(OR(d<first,d>last),WORKDAY(d-1,1),
           IFERROR(INDEX(cal_dates,d-first+MATCH(1,INDEX(cal_workday,
           d-first+1):INDEX(cal_workday,ROWS(cal_workday)),0)),WORKDAY(last,1))))

    with ``first`` = ``INDEX(cal_dates,1)`` and ``last`` = ``INDEX(cal_dates,ROWS(cal_dates))``
    (the calendar lists every date of the year in order).

    >>> next_workday_in_year(date(2026, 2, 14), 2026)    # Saturday, worked before 春节
    datetime.date(2026, 2, 14)
    >>> next_workday_in_year(date(2026, 2, 15), 2026)    # 春节 holiday until 23 February
    datetime.date(2026, 2, 24)
    >>> next_workday_in_year(date(2027, 1, 2), 2026)     # next year: Monday–Friday
    datetime.date(2027, 1, 4)
    """
    day = _date_or_none(d)
    if day is None:
        return None
    if day.year != int(year):
        return _monday_to_friday_on_or_after(day)
    for w in workdays(int(year)):
        if w >= day:
            return w
    return _monday_to_friday_on_or_after(date(int(year), 12, 31) + timedelta(1))


def workday_flag(d: object, year: int) -> str | None:
    """'是' when ``d`` is a workday of the kit's calendar of ``year``, else '否'; outside
    that year (not in the calendar) Monday–Friday counts; None when blank.

    Excel: ``IF(d="","",IF(OR(d<first,d>last),IF(WEEKDAY(d,2)<6,"是","否"),
    IF(INDEX(cal_workday,d-first+1)=1,"是","否")))`` (``first``, ``last`` as in
    :func:`next_workday_in_year`).

    >>> workday_flag(date(2026, 10, 8), 2026), workday_flag(date(2026, 10, 1), 2026)
    ('是', '否')
    """
    day = _date_or_none(d)
    if day is None:
        return None
    if day.year != int(year):
        return "是" if day.weekday() < 5 else "否"
    return "是" if day in set(workdays(int(year))) else "否"


def days_late(due: object, as_of: object) -> int | None:
    """Days past ``due`` at ``as_of`` (0 when not yet due); None when there is no due date.

    Excel: ``IF(due="","",MAX(0,as_of-due))``.

    >>> days_late(date(2026, 10, 9), date(2026, 9, 30))
    0
    """
    day = _date_or_none(due)
    if day is None:
        return None
    return max(0, (as_date(as_of) - day).days)


def overdue_state(due: object, as_of: object) -> str | None:
    """'逾期' when ``due`` is before ``as_of``, else '按计划'; None without a due date
    (a text to colour: a blank cell would compare above any number in Excel).

    Excel: ``IF(due="","",IF(due<as_of,"逾期","按计划"))``.

    >>> overdue_state(date(2026, 9, 1), date(2026, 9, 30)), overdue_state(None, date(2026, 9, 30))
    ('逾期', None)
    """
    day = _date_or_none(due)
    if day is None:
        return None
    return "逾期" if day < as_date(as_of) else "按计划"
