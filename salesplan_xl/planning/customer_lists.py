"""Small measures of the customer-management lists (9.3.5 – 9.3.26).

Each function mirrors the native Excel formula given in its docstring: blanks count as 0
where Excel's N() would, and a result Excel shows blank is None here.

    >>> count_closing(120, 8, 5, 1, 2)       # 期末 = 期初 + 新增 − 流失 + 转入 − 转出
    122.0
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ._numbers import as_date, as_float, is_missing
from .ratings import abc_classes

__all__ = [
    "new_customers",
    "new_in_month",
    "count_closing",
    "count_same",
    "month_of",
    "quarter_of",
    "dso_to_date",
    "contribution_classes",
    "months_elapsed",
    "max_overdue_days",
    "setting_value",
    "months_of_trade",
    "days_between",
]


def _n(x: object) -> float:
    """Excel's N(): numbers as they are, anything else 0."""
    v = as_float(x) if not isinstance(x, str | bool) else None
    return 0.0 if v is None else v


def count_closing(opening, added, lost, moved_in, moved_out) -> float:
    """期末 = 期初 + 新增 − 流失 + 转入 − 转出 (blanks as 0).

    Excel: ``N(opening)+N(added)-N(lost)+N(moved_in)-N(moved_out)``.
    """
    return _n(opening) + _n(added) - _n(lost) + _n(moved_in) - _n(moved_out)


def count_same(values: Sequence[object]) -> list[int | None]:
    """For each value, how many values of the column equal it (None for a blank).

    Excel: ``IF(v="","",COUNTIF(column,v))``.

    >>> count_same([3, 3, 4, None])
    [2, 2, 1, None]
    """
    keys = [None if is_missing(v) else v for v in values]
    counts: dict[object, int] = {}
    for k in keys:
        if k is not None:
            counts[k] = counts.get(k, 0) + 1
    return [None if k is None else counts[k] for k in keys]


def month_of(d: object) -> int | None:
    """The month number of a date; None when blank. Excel: ``IF(d="","",MONTH(d))``.

    >>> month_of(date(2026, 3, 9)), month_of(None)
    (3, None)
    """
    if is_missing(d):
        return None
    return as_date(d).month


def quarter_of(d: object) -> int | None:
    """The quarter (1–4) of a date; None when blank.
    Excel: ``IF(d="","",ROUNDUP(MONTH(d)/3,0))``.

    >>> quarter_of(date(2026, 3, 31)), quarter_of(date(2026, 4, 1))
    (1, 2)
    """
    if is_missing(d):
        return None
    return (as_date(d).month + 2) // 3


def dso_to_date(receivables: object, sales: object, as_of: object) -> float | None:
    """Days sales outstanding over the year to date: receivables / sales × days elapsed
    (1 January to ``as_of``, inclusive); None without sales.

    Excel: ``IF(N(sales)=0,"",N(rec)/sales*(as_of-DATE(YEAR(as_of),1,1)+1))``.

    >>> dso_to_date(250, 1000, date(2026, 4, 10))   # 100 days
    25.0
    """
    s = _n(sales)
    if s == 0:
        return None
    day = as_date(as_of)
    days = (day - date(day.year, 1, 1)).days + 1
    return _n(receivables) / s * days


def contribution_classes(values: Sequence[object]) -> list[str]:
    """ABC class by cumulative share of the positive contributions, largest first (≤ 80%
    A, ≤ 95% B, else C); a contribution ≤ 0 or blank is C.

    Excel (``v`` this row, ``col`` the column, ``upto`` the column down to this row)::

        IF(N(v)<=0,"C",IF((SUMIF(col,">"&v)+COUNTIF(upto,v)*v)/SUMIF(col,">0")<=0.8,"A",
           IF((SUMIF(col,">"&v)+COUNTIF(upto,v)*v)/SUMIF(col,">0")<=0.95,"B","C")))

    >>> contribution_classes([500, -20, 300, None, 200])   # 50%, 80%, 100%
    ['A', 'C', 'A', 'C', 'C']
    """
    positive = [max(0.0, _n(v)) for v in values]
    return abc_classes(positive)


def months_elapsed(as_of: object, year: int) -> int:
    """Months of ``year`` with actuals at ``as_of``: 0 before the year, 12 after it.

    >>> months_elapsed(date(2026, 9, 30), 2026), months_elapsed(date(2025, 12, 31), 2026)
    (9, 0)
    """
    day = as_date(as_of)
    if day.year < int(year):
        return 0
    if day.year > int(year):
        return 12
    return day.month


def max_overdue_days(oldest_due: object, as_of: object) -> int:
    """最长逾期天数: days past the oldest open due date (0 without open invoices).

    Excel: ``IF(N(due)=0,0,MAX(0,as_of-due))``.

    >>> max_overdue_days(date(2026, 6, 1), date(2026, 9, 30)), max_overdue_days(None, date(2026, 9, 30))
    (121, 0)
    """
    if is_missing(oldest_due):
        return 0
    return max(0, (as_date(as_of) - as_date(oldest_due)).days)


def setting_value(value: object) -> object:
    """A setting shown in a column (e.g. 时间进度 on every row). Excel: the name itself.

    >>> setting_value(0.73)
    0.73
    """
    return value


def months_of_trade(first_trade: object, as_of: object) -> int | None:
    """Whole months from the first trade to ``as_of`` (0 when the first trade is later;
    None without a first trade date), as DATEDIF(first, as_of, "m").

    Excel: ``IF(first="","",IF(first>as_of,0,(YEAR(as_of)-YEAR(first))*12+MONTH(as_of)
    -MONTH(first)-IF(DAY(as_of)<DAY(first),1,0)))``.

    >>> months_of_trade(date(2026, 7, 15), date(2026, 9, 30)), months_of_trade(date(2026, 7, 31), date(2026, 9, 30))
    (2, 1)
    """
    if is_missing(first_trade):
        return None
    first, day = as_date(first_trade), as_date(as_of)
    if first > day:
        return 0
    months = (day.year - first.year) * 12 + day.month - first.month
    return months - (1 if day.day < first.day else 0)


def days_between(end: object, start: object) -> int | None:
    """Days from ``start`` to ``end``; None when either date is blank.
    Excel: ``IF(OR(end="",start=""),"",end-start)``.

    >>> days_between(date(2026, 11, 12), date(2026, 10, 13)), days_between(None, date(2026, 1, 1))
    (30, None)
    """
    if is_missing(end) or is_missing(start):
        return None
    return (as_date(end) - as_date(start)).days


def _in_year_to_date(d: object, as_of: object, year: int, month: int | None = None) -> bool:
    if is_missing(d) or d == "":
        return False
    day, end = as_date(d), as_date(as_of)
    if month is None:
        return date(int(year), 1, 1) <= day <= end
    return day.year == int(year) and day.month == int(month) and day <= end


def new_customers(key: object, keys, dates, as_of: object, year: object) -> int:
    """New customers of ``key`` (a region): first trade this year up to ``as_of``.
    Excel: ``COUNTIFS(keys,key,dates,">="&DATE(year,1,1),dates,"<="&as_of)``.

    >>> new_customers("华东", ["华东", "华东", "华南"], [date(2026, 3, 1), date(2025, 3, 1), date(2026, 4, 1)], date(2026, 9, 30), 2026)
    1
    """
    return sum(
        1
        for k, d in zip(keys, dates, strict=True)
        if k == key and _in_year_to_date(d, as_of, int(year))
    )


def new_in_month(month: object, dates, as_of: object, year: object) -> int | None:
    """New customers whose first trade is in ``month`` of ``year`` (up to ``as_of``);
    None (blank) for a month after the as-of month. Excel:
    ``IF(month>n,"",COUNTIFS(dates,">="&DATE(year,month,1),dates,"<="&MIN(EOMONTH(DATE(year,month,1),0),as_of)))``.

    >>> ds = [date(2026, 3, 1), date(2026, 3, 30), date(2026, 9, 1)]
    >>> new_in_month(3, ds, date(2026, 6, 30), 2026), new_in_month(9, ds, date(2026, 6, 30), 2026)
    (2, None)
    """
    m = int(month)
    if m > months_elapsed(as_of, int(year)):
        return None
    return sum(1 for d in dates if _in_year_to_date(d, as_of, int(year), m))
