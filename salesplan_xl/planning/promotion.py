"""The annual plan's derived targets and retail promotion (P6 销售计划方案).

>>> profit_target(1150000, 0.2345, 100)
269700.0
>>> monthly_visit_count(30, "每两周"), required_stock(30, 8000, 1)
(60.0, 240000.0)
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from .orders import n

__all__ = ["VISITS_BY_FREQUENCY", "profit_target", "monthly_visit_count", "required_stock"]

#: Visits per store and month by visit cadence.
VISITS_BY_FREQUENCY = MappingProxyType({"每周": 4, "每两周": 2, "每月": 1, "每季": 1 / 3})


def profit_target(sales_target: object, margin: object, unit: object) -> float:
    """利润目标 = sales target × gross margin, rounded half-up to the unit (Excel
    ``ROUND(N(s)*N(m)/unit,0)*unit``; the double is rounded as Excel does, through
    its shortest decimal form).

    >>> profit_target(1000, 0.125, 1)
    125.0
    """
    u = n(unit)
    if u <= 0:
        raise ValueError(f"unit must be positive, got {unit!r}")
    q = n(sales_target) * n(margin) / u
    units = Decimal(repr(q)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units) * u + 0.0


def monthly_visit_count(stores: object, frequency: object) -> float:
    """Visits a month to ``stores`` stores at a cadence 每周 (4), 每两周 (2), 每月 (1) or
    每季 (1/3); an unknown cadence counts 0.

    >>> monthly_visit_count(30, "每周"), monthly_visit_count(30, "")
    (120.0, 0.0)
    """
    factor = VISITS_BY_FREQUENCY.get("" if frequency is None else str(frequency).strip(), 0)
    return n(stores) * factor


def required_stock(stores: object, monthly_sales: object, months: object) -> float:
    """所需库存 = stores × monthly sales per store × months of cover (零售店 1, 代理店 2).

    >>> required_stock(5, 20000, 2)
    200000.0
    """
    return n(stores) * n(monthly_sales) * n(months)
