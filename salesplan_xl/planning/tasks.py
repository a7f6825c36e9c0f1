"""Task tracking (P8 销售工作计划表).

>>> import datetime as dt
>>> task_overdue_days("进行中", dt.date(2026, 3, 31), dt.date(2026, 4, 10))
10
>>> task_overdue_days("已完成", dt.date(2026, 3, 31), dt.date(2026, 4, 10))
0
"""

from __future__ import annotations

import datetime as dt

DONE = "已完成"


def task_overdue_days(status, due, as_of) -> int:
    """Days a task is past its planned date at the as-of date; 0 when done, not yet due
    or without a date."""
    if status == DONE or not isinstance(due, dt.date) or not isinstance(as_of, dt.date):
        return 0
    return max(0, (as_of - due).days)
