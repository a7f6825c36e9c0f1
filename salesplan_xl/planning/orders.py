"""Order, delivery-note and application amounts (9.3.3, 9.3.7, 9.3.11, 9.3.13).

Blank cells count as 0, as Excel's N() does; a line with neither quantity nor price is
blank (None), so the form shows nothing on lines not yet typed:

    >>> line_amount(3, 2680), line_amount(None, None)
    (8040.0, None)
"""

from __future__ import annotations

import math

__all__ = ["n", "line_amount", "product", "discount_amount", "budget_remaining", "complement"]


def n(x: object) -> float:
    """A cell's number as Excel's N() reads it: text, blank and NaN are 0.

    >>> n(2.5), n(None), n(""), n("12")
    (2.5, 0.0, 0.0, 0.0)
    """
    if x is None or isinstance(x, str | bool):
        return 0.0
    try:
        v = float(x)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(v) else v


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, str) and x == "") or (isinstance(x, float) and x != x)


def line_amount(quantity: object, price: object) -> float | None:
    """金额 = 数量 × 单价; None when both are blank (Excel:
    ``IF(AND(q="",p=""),"",N(q)*N(p))``).

    >>> line_amount(2.5, 12.5), line_amount(4, None)
    (31.25, 0.0)
    """
    if _blank(quantity) and _blank(price):
        return None
    return n(quantity) * n(price)


def product(a: object, b: object) -> float:
    """a × b with blanks as 0 (e.g. 覆盖门店数 = 业务员数 × 每人门店数).

    >>> product(12, 30), product(None, 30)
    (360.0, 0.0)
    """
    return n(a) * n(b)


def discount_amount(original: object, offer: object, quantity: object) -> float:
    """优惠额 = (原价 − 申请价) × 数量, blanks as 0.

    >>> discount_amount(100, 92, 50)
    400.0
    """
    return (n(original) - n(offer)) * n(quantity)


def budget_remaining(budget: object, used: object, requested: object) -> float:
    """预算余额 = 年度预算 − 已用 − 本次申请, blanks as 0 (negative: over budget).

    >>> budget_remaining(5000, 1200, 800), budget_remaining(1000, 900, 300)
    (3000.0, -200.0)
    """
    return n(budget) - n(used) - n(requested)


def complement(share: object) -> float | None:
    """1 − share (e.g. 外销 % = 1 − 内销 %); None when the share is blank.

    >>> complement(0.75), complement(None)
    (0.25, None)
    """
    if _blank(share):
        return None
    return 1 - n(share)
