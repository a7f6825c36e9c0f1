"""Key-account card and survey numbers (9.3.18, 9.3.28, 9.3.30, 9.3.31).

>>> trade_years("2019-05-20", "2026-09-30"), per_month(120000)
(7, 10000.0)
"""

from __future__ import annotations

from ._numbers import as_date
from .orders import n

__all__ = ["per_month", "trade_years", "satisfaction", "nps_category"]


def per_month(amount: object) -> float:
    """A year's amount / 12 (月均), blanks as 0.

    >>> per_month(1000)
    83.33333333333333
    """
    return n(amount) / 12


def trade_years(first_date: object, as_of: object) -> int | None:
    """Full years of trade from the first trade date to ``as_of`` (Excel
    ``DATEDIF(first,as_of,"y")``); 0 when the first date is later; None when blank.

    >>> trade_years("2020-02-29", "2021-02-28"), trade_years("2027-01-01", "2026-01-01"), trade_years(None, "2026-01-01")
    (0, 0, None)
    """
    if first_date is None or first_date == "":
        return None
    start, end = as_date(first_date), as_date(as_of)
    if start > end:
        return 0
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def satisfaction(average_score: object) -> float | None:
    """满意度 = average score / 5 (5-point scale); None without answers.

    >>> satisfaction(4.5), satisfaction(None)
    (0.9, None)
    """
    if average_score is None or average_score == "":
        return None
    return n(average_score) / 5


def nps_category(score: object) -> str | None:
    """Recommendation (0–10): 推荐者 9–10, 被动者 7–8, 贬损者 0–6; None if blank.

    >>> [nps_category(s) for s in (10, 8, 6, None)]
    ['推荐者', '被动者', '贬损者', None]
    """
    if score is None or score == "":
        return None
    s = n(score)
    return "推荐者" if s >= 9 else ("被动者" if s >= 7 else "贬损者")
