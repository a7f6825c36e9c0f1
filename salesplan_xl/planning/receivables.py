"""Receivables: due dates, overdue days and ageing, collection, DSO and credit limits.

Overdue days count from the **due date**; age counts from the **invoice date**. The ageing
bucket is taken from the overdue days.

    >>> from datetime import date
    >>> due = due_date(date(2024, 1, 31), 30)
    >>> due, overdue_days(due, date(2024, 4, 1)), ageing_bucket(overdue_days(due, date(2024, 4, 1)))
    (datetime.date(2024, 3, 1), 31, '31-60')
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from ._numbers import as_date as _as_date
from ._numbers import as_float, finite_decimal, round_half_up, to_decimal

__all__ = [
    "AGEING_BUCKETS",
    "AGEING_THRESHOLDS",
    "CREDIT_LIMIT_FACTORS",
    "CREDIT_ALERTS",
    "due_date",
    "overdue_days",
    "age_days",
    "ageing_bucket",
    "outstanding",
    "collection_rate",
    "dso",
    "credit_usage",
    "credit_alert",
    "credit_state",
    "invoice_overdue_days",
    "invoice_bucket",
    "SETTLED",
    "monthly_average_of_active_months",
    "suggested_credit_limit",
]

#: Ageing bucket labels, by overdue days.
AGEING_BUCKETS = ("未到期", "1-30", "31-60", "61-90", "91-180", "181-365", ">365")
#: Lowest overdue days of each bucket (same order): the Excel form is
#: ``=LOOKUP(MAX(0,days),{0,1,31,61,91,181,366},{"未到期","1-30",…,">365"})``.
AGEING_THRESHOLDS = (0, 1, 31, 61, 91, 181, 366)

#: Credit-limit factor by credit grade (9.3.10).
CREDIT_LIMIT_FACTORS = {"AAA": 1.5, "AA": 1.0, "A": 0.8, "B": 0.6, "C": 0.0}
#: Credit alert words: over the limit, above the warning threshold, normal.
CREDIT_ALERTS = ("超限", "预警", "正常")


def due_date(invoice_date: object, credit_days: object) -> date:
    """Invoice date + credit days (missing credit days count as 0).

    >>> due_date("2024-02-15", 30)
    datetime.date(2024, 3, 16)
    """
    days = as_float(credit_days) or 0.0
    if days != int(days):
        raise ValueError(f"credit days must be a whole number, got {credit_days!r}")
    return _as_date(invoice_date) + timedelta(days=int(days))


def overdue_days(due: object, as_of: object) -> int:
    """Days past the due date at ``as_of``: max(0, as_of − due).

    >>> overdue_days("2024-03-01", "2024-03-31"), overdue_days("2024-03-01", "2024-02-01")
    (30, 0)
    """
    return max(0, (_as_date(as_of) - _as_date(due)).days)


def age_days(invoice_date: object, as_of: object) -> int:
    """Days since the invoice date at ``as_of``: max(0, as_of − invoice date).

    >>> age_days("2023-12-31", "2024-01-31")
    31
    """
    return max(0, (_as_date(as_of) - _as_date(invoice_date)).days)


def ageing_bucket(days: object) -> str:
    """The ageing bucket of a number of overdue days (≤ 0 or missing: '未到期').

    >>> [ageing_bucket(d) for d in (0, 1, 30, 31, 90, 91, 180, 181, 365, 366)]
    ['未到期', '1-30', '1-30', '31-60', '61-90', '91-180', '91-180', '181-365', '181-365', '>365']
    """
    d = as_float(days) or 0.0
    return AGEING_BUCKETS[bisect.bisect_right(AGEING_THRESHOLDS, max(0.0, d)) - 1]


def outstanding(billed: object, received: object) -> float:
    """Billed − received (未收), to the cent; missing amounts count as 0.

    >>> outstanding(1000, 250.5), outstanding(None, None)
    (749.5, 0.0)
    """
    b = to_decimal(billed) or Decimal(0)
    r = to_decimal(received) or Decimal(0)
    return float(round_half_up(b - r)) + 0.0


def collection_rate(received: object, billed: object) -> float | None:
    """Received / billed (回款率); None when nothing was billed.

    >>> collection_rate(800, 1000), collection_rate(5, 0)
    (0.8, None)
    """
    b = as_float(billed)
    if not b:
        return None
    return (as_float(received) or 0.0) / b


def dso(receivables: object, sales: object, days: object = 365) -> float | None:
    """Days sales outstanding = receivables / sales × days; None when sales are 0.

    >>> dso(250, 1000, 360), dso(100, 0, 365)
    (90.0, None)
    """
    s = as_float(sales)
    if not s:
        return None
    return (as_float(receivables) or 0.0) / s * (as_float(days) or 0.0)


def credit_usage(balance: object, limit: object) -> float | None:
    """Balance / credit limit; None when the limit is 0 or missing.

    >>> credit_usage(90, 100), credit_usage(90, None)
    (0.9, None)
    """
    lim = as_float(limit)
    if not lim:
        return None
    return (as_float(balance) or 0.0) / lim


def credit_alert(usage: object, threshold: float = 0.8) -> str | None:
    """'超限' if usage > 1, '预警' if usage > threshold, else '正常' (None if no usage).

    >>> credit_alert(1.01), credit_alert(0.81), credit_alert(0.8), credit_alert(None)
    ('超限', '预警', '正常', None)
    """
    u = as_float(usage)
    if u is None:
        return None
    if u > 1:
        return CREDIT_ALERTS[0]
    return CREDIT_ALERTS[1] if u > threshold else CREDIT_ALERTS[2]


def monthly_average_of_active_months(amounts: Sequence[object]) -> float:
    """Average of the months with sales (> 0); 0 when there are none.

    Excel: ``=IFERROR(AVERAGEIF(range,">0"),0)``.

    >>> monthly_average_of_active_months([0, 100, None, 300, -50])
    200.0
    """
    active = [v for v in (as_float(a) for a in amounts) if v is not None and v > 0]
    return sum(active) / len(active) if active else 0.0


def suggested_credit_limit(monthly_average: object, credit_days: object, grade: str) -> float:
    """Monthly average × (credit days / 30) × grade factor, rounded half-up to the cent.

    Factors: AAA 1.5, AA 1.0, A 0.8, B 0.6, C 0.

    >>> suggested_credit_limit(100000, 45, "AA"), suggested_credit_limit(1000, 30, "C")
    (150000.0, 0.0)
    """
    key = str(grade).strip().upper()
    if key not in CREDIT_LIMIT_FACTORS:
        raise ValueError(
            f"credit grade must be one of {', '.join(CREDIT_LIMIT_FACTORS)}, got {grade!r}"
        )
    avg = to_decimal(monthly_average, "monthly average") or Decimal(0)
    days = to_decimal(credit_days, "credit days") or Decimal(0)
    factor = finite_decimal(str(CREDIT_LIMIT_FACTORS[key]))
    return float(round_half_up(avg * days / 30 * factor)) + 0.0


#: The ageing word of an invoice with nothing left to collect.
SETTLED = "已结清"


def _open(balance: object) -> bool:
    return (as_float(balance) or 0.0) > 0.0


def invoice_overdue_days(due: object, as_of: object, balance: object) -> int:
    """Days an invoice is overdue: 0 once it is settled (nothing left open), else
    :func:`overdue_days`. Excel: ``IF(N(balance)<=0,0,MAX(0,as_of-due))``.

    >>> invoice_overdue_days("2024-01-01", "2024-03-01", 0), invoice_overdue_days("2024-01-01", "2024-03-01", 5)
    (0, 60)
    """
    return overdue_days(due, as_of) if _open(balance) else 0


def invoice_bucket(days: object, balance: object) -> str:
    """The ageing bucket of an invoice: '已结清' once settled, else :func:`ageing_bucket`.

    >>> invoice_bucket(400, 0), invoice_bucket(400, 0.01)
    ('已结清', '>365')
    """
    return ageing_bucket(days) if _open(balance) else SETTLED


def credit_state(balance: object, limit: object, threshold: float = 0.8) -> str | None:
    """The credit warning of a customer: by :func:`credit_alert` of balance / limit; a
    customer without a credit limit (0 or blank) who owes money is '超限'; None when
    there is neither a limit nor a balance.
    Excel: ``IF(N(limit)<=0,IF(N(balance)>0,"超限",""),<credit_alert of balance/limit>)``.

    >>> credit_state(500, 0), credit_state(0, 0), credit_state(900, 1000), credit_state(100, 1000)
    ('超限', None, '预警', '正常')
    """
    lim = as_float(limit) or 0.0
    if lim <= 0:
        return CREDIT_ALERTS[0] if _open(balance) else None
    return credit_alert((as_float(balance) or 0.0) / lim, threshold)
