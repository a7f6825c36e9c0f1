"""Plan tracking: completion, growth, year-to-date, run-rate forecast and status.

None of these raise on zeros or gaps. Like Excel arithmetic on blank cells, a missing
(None, NaN, blank, infinite) amount counts as 0; a ratio whose denominator is 0 or missing
is None (the sheet shows a blank, never #DIV/0!).

    >>> completion_rate(80, 100), growth_rate(120, 100), status(0.8, 0.75)
    (0.8, 0.19999999999999996, '正常')
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ._numbers import as_float, is_missing, to_decimal
from .customer_lists import months_elapsed

__all__ = [
    "completion_rate",
    "completion_to_date",
    "growth_rate",
    "ytd",
    "forecast",
    "status",
    "share",
    "quarter_totals",
    "month_to_date",
    "month_actual",
    "sum_by",
    "plan_status",
    "STATUS_LABELS",
]

#: Status words, best first: plan reached, on pace with time progress, behind.
STATUS_LABELS = ("完成", "正常", "落后")


def _amount(x: object) -> float:
    """A finite float, 0.0 when missing."""
    v = as_float(x)
    return 0.0 if v is None else v


def _exact_sum(values: Sequence[object]) -> float:
    """The correctly rounded sum (exact decimal addition); missing values count as 0."""
    total = Decimal(0)
    for v in values:
        d = to_decimal(v)
        if d is not None and d.is_finite():
            total += d
    return float(total) + 0.0


def _ratio(numerator: object, denominator: object) -> float | None:
    """numerator / denominator, None when the denominator is 0 or missing."""
    d = as_float(denominator)
    if not d:
        return None
    return _amount(numerator) / d


def completion_rate(actual: object, plan: object) -> float | None:
    """Actual / plan; None when the plan is 0 or missing; missing actual counts as 0.

    Excel: ``=IF(N(plan)=0,"",N(actual)/plan)``.

    >>> completion_rate(45, 50), completion_rate(None, 50), completion_rate(10, 0)
    (0.9, 0.0, None)
    """
    return _ratio(actual, plan)


def completion_to_date(actual: object, plan: object) -> float | None:
    """Like :func:`completion_rate`, but None while the actual is not there yet (a month
    or quarter still to come), so it is not shown as 0%.

    Excel: ``=IF(OR(actual="",N(plan)=0),"",N(actual)/plan)``.

    >>> completion_to_date(45, 50), completion_to_date(None, 50), completion_to_date(0, 50)
    (0.9, None, 0.0)
    """
    if is_missing(actual):
        return None
    return _ratio(actual, plan)


def growth_rate(this: object, last: object) -> float | None:
    """This / last − 1; None when last is 0 or missing; missing ``this`` counts as 0.

    Excel: ``=IF(N(last)=0,"",N(this)/last-1)``.

    >>> growth_rate(150, 100), growth_rate(None, 100), growth_rate(5, float("nan"))
    (0.5, -1.0, None)
    """
    r = _ratio(this, last)
    return None if r is None else r - 1


def share(part: object, whole: object) -> float | None:
    """Part / whole (占比); None when the whole is 0 or missing.

    >>> share(25, 200), share(3, 0)
    (0.125, None)
    """
    return _ratio(part, whole)


def ytd(monthly: Sequence[object], month: int) -> float:
    """Sum of months 1..``month`` (0 ≤ month ≤ 12); missing months count as 0.

    >>> ytd([10, None, 30, 40], 3), ytd([1] * 12, 0)
    (40.0, 0.0)
    """
    if isinstance(month, bool) or not isinstance(month, int) or not 0 <= month <= 12:
        raise ValueError(f"month must be a whole number 0–12, got {month!r}")
    return _exact_sum(list(monthly)[:month])


def quarter_totals(monthly: Sequence[object]) -> list[float]:
    """Q1–Q4 sums of 12 monthly amounts (missing months count as 0).

    >>> quarter_totals([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    [6.0, 15.0, 24.0, 33.0]
    """
    values = list(monthly)
    if len(values) != 12:
        raise ValueError(f"expected 12 monthly amounts, got {len(values)}")
    return [_exact_sum(values[q * 3 : q * 3 + 3]) for q in range(4)]


def forecast(ytd_amount: object, progress: object) -> float | None:
    """Full-year run rate = YTD / time progress; None when progress is 0 or missing.

    >>> forecast(300, 0.25), forecast(300, 0)
    (1200.0, None)
    """
    return _ratio(ytd_amount, progress)


def status(completion: object, progress: object) -> str | None:
    """'完成' if completion ≥ 1, '正常' if completion ≥ time progress, else '落后'.

    None when completion is missing (no plan); missing progress counts as 0.
    Excel: ``=IF(c="","",IF(c>=1,"完成",IF(c>=N(p),"正常","落后")))``.

    >>> status(1.02, 0.5), status(0.6, 0.5), status(0.4, 0.5), status(None, 0.5)
    ('完成', '正常', '落后', None)
    """
    c = as_float(completion)
    if c is None:
        return None
    if c >= 1:
        return STATUS_LABELS[0]
    return STATUS_LABELS[1] if c >= _amount(progress) else STATUS_LABELS[2]


def month_to_date(monthly: Sequence[object], as_of: object, year: object) -> float:
    """The amount of the as-of month (0 before the year; December after it); a missing
    amount counts as 0. Excel: ``IF(n=0,0,N(CHOOSE(n,m1,…,m12)))``.

    >>> import datetime as dt
    >>> month_to_date(list(range(1, 13)), dt.date(2026, 3, 5), 2026)
    3.0
    """
    values = list(monthly)
    if len(values) != 12:
        raise ValueError(f"expected 12 monthly amounts, got {len(values)}")
    n = months_elapsed(as_of, int(as_float(year) or 0))
    return _amount(values[n - 1]) if n else 0.0


def month_actual(month: object, columns: Sequence[Sequence[object]]) -> float | None:
    """Month ``month``'s actual: the sum of that month's column of amounts (12 columns),
    None (blank) while nothing is entered for the month. Excel:
    ``IF(COUNT(CHOOSE(month,c1,…,c12))=0,"",SUM(CHOOSE(month,c1,…,c12)))``.

    >>> cols = [[1.5, None, 2]] + [[None, None, None]] * 11
    >>> month_actual(1, cols), month_actual(2, cols)
    (3.5, None)
    """
    m = int(as_float(month) or 0)
    cols = list(columns)
    if len(cols) != 12:
        raise ValueError(f"expected 12 monthly columns, got {len(cols)}")
    numbers = [v for v in cols[m - 1] if as_float(v) is not None and not isinstance(v, str)]
    return _exact_sum(numbers) if numbers else None


def sum_by(key: object, keys: Sequence[object], values: Sequence[object]) -> float:
    """The sum of ``values`` whose ``keys`` equal ``key`` (SUMIF), exact to the cent.

    >>> sum_by("华东", ["华东", "华南", "华东"], [1.1, 2, 2.2])
    3.3
    """
    return _exact_sum([v for k, v in zip(keys, values, strict=True) if k == key])


def plan_status(actual: object, plan_to_date: object, annual: object) -> str | None:
    """The one status rule: '完成' once the actual reaches the annual plan, '正常' while
    the actual to date is at least the plan to date, else '落后'; None without a plan.
    Excel: ``IF(N(annual)=0,"",IF(N(actual)>=N(annual),"完成",
    IF(N(actual)>=N(plan_to_date),"正常","落后")))``.

    >>> plan_status(90, 80, 120), plan_status(70, 80, 120), plan_status(130, 80, 120)
    ('正常', '落后', '完成')
    """
    if not _amount(annual):
        return None
    a = _amount(actual)
    if a >= _amount(annual):
        return STATUS_LABELS[0]
    return STATUS_LABELS[1] if a >= _amount(plan_to_date) else STATUS_LABELS[2]
