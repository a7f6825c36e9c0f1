"""Ranks, running shares and row sums, with blanks as Excel treats them (see also
``tracking.share``).

>>> competition_rank([300, 100, 300, 50])
[1, 3, 1, 4]
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence


def _number(x) -> float:
    """None, NaN and text count as 0, as Excel's N() does."""
    if x is None or isinstance(x, str | bool):
        return 0.0
    x = float(x)
    return 0.0 if math.isnan(x) else x


def competition_rank(values: Sequence) -> list[int]:
    """Rank, largest first, equal values sharing a rank ("1224"), as Excel's RANK does."""
    nums = [_number(v) for v in values]
    ascending = sorted(nums)
    n = len(nums)
    return [1 + n - bisect_right(ascending, v) for v in nums]


def change(this, last) -> float:
    """this − last, with blanks as 0 (e.g. 份额变动)."""
    return _number(this) - _number(last)


def cumulative_shares(values: Sequence) -> list[float | None]:
    """Running total / grand total, in the given order; None when the total is 0.

    >>> cumulative_shares([50, 30, 20])
    [0.5, 0.8, 1.0]
    """
    nums = [_number(v) for v in values]
    total = math.fsum(nums)
    if total == 0:
        return [None] * len(nums)
    out, running = [], []
    for v in nums:
        running.append(v)
        out.append(math.fsum(running) / total)
    return out


def average(values: Sequence) -> float | None:
    """Mean of the numbers given (blanks skipped), None when there are none — Excel's
    AVERAGE over a range, without its #DIV/0!.

    >>> average([10, None, 20])
    15.0
    """
    nums = [
        float(v)
        for v in values
        if isinstance(v, int | float) and not isinstance(v, bool) and v == v
    ]
    if not nums:
        return None
    return math.fsum(nums) / len(nums)


def at_least(actual, required) -> str:
    """达标 when actual ≥ required, else 未达标.

    >>> at_least(3, 4)
    '未达标'
    """
    return "达标" if _number(actual) >= _number(required) else "未达标"


def total(values: Sequence) -> float:
    """Sum with blanks as 0, as Excel's SUM over a range.

    >>> total([1.5, None, 2])
    3.5
    """
    return math.fsum(_number(v) for v in values)


def closing_balance(opening, added, removed) -> float:
    """opening + added − removed, blanks as 0 (e.g. 期末 = 期初 + 本期赊销 − 本期回款).

    >>> closing_balance(100, 50, 30)
    120.0
    """
    return _number(opening) + _number(added) - _number(removed)


def split_difference(total_value, parts: Sequence) -> float:
    """total − the sum of its parts: 0 when a split adds up (blanks as 0).

    >>> split_difference(300, [100, 100, 100])
    0.0
    """
    return _number(total_value) - total(parts)
