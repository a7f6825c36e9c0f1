"""Task tracking (P8 销售工作计划表): a task's status and days overdue follow from its
planned date, the typed completion date and the as-of date.

>>> import datetime as dt
>>> due, as_of = dt.date(2026, 3, 31), dt.date(2026, 4, 10)
>>> task_status(due, None, as_of), task_overdue_days(due, None, as_of)
('逾期', 10)
>>> task_status(due, dt.date(2026, 3, 20), as_of), task_overdue_days(due, dt.date(2026, 3, 20), as_of)
('已完成', 0)
>>> task_status(due, dt.date(2026, 4, 2), as_of), task_overdue_days(due, dt.date(2026, 4, 2), as_of)
('逾期完成', 2)
>>> task_status(dt.date(2026, 6, 30), None, as_of), task_overdue_days(dt.date(2026, 6, 30), None, as_of)
('未到期', 0)
"""

from __future__ import annotations

import datetime as dt

DONE = "已完成"
DONE_LATE = "逾期完成"
OVERDUE = "逾期"
NOT_DUE = "未到期"


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def task_status(due, done, as_of) -> str:
    """已完成 / 逾期完成 when a completion date is typed (late when after the planned date);
    otherwise 逾期 once the as-of date is past the planned date, else 未到期; blank without
    a planned date."""
    due, done, as_of = _date(due), _date(done), _date(as_of)
    if done is not None:
        return DONE_LATE if due is not None and done > due else DONE
    if due is None:
        return ""
    return OVERDUE if as_of is not None and as_of > due else NOT_DUE


def task_overdue_days(due, done, as_of) -> int:
    """Days past the planned date: to the completion date when done, else to the as-of
    date; 0 when not yet due or without a planned date."""
    due, done, as_of = _date(due), _date(done), _date(as_of)
    end = done if done is not None else as_of
    if due is None or end is None:
        return 0
    return max(0, (end - due).days)
