"""Entertainment standards of 9.3.19 客户招待申请表 (per meal, by customer grade).

The standard covers two people; each further person (guests + our hosts) adds a fixed
amount: grade C 100 + 50 per extra person, B 200 + 60, A 300 + 60.

    >>> entertainment_standard("B", 3, 2)      # 5 people: 200 + 3 × 60
    380.0
"""

from __future__ import annotations

from types import MappingProxyType

from .orders import n

__all__ = ["ENTERTAINMENT_STANDARDS", "entertainment_standard", "over_standard"]

#: grade -> (amount for the first two people, amount per further person), per meal.
ENTERTAINMENT_STANDARDS = MappingProxyType({"A": (300, 60), "B": (200, 60), "C": (100, 50)})


def entertainment_standard(grade: object, guests: object, hosts: object) -> float | None:
    """Per-meal standard for ``guests`` visitors and ``hosts`` of our staff; None when
    the grade is blank or not A/B/C.

    >>> entertainment_standard("C", 1, 1), entertainment_standard("a", 4, 2), entertainment_standard("", 2, 0)
    (100.0, 540.0, None)
    """
    key = "" if grade is None else str(grade).strip().upper()
    if key not in ENTERTAINMENT_STANDARDS:
        return None
    base, extra = ENTERTAINMENT_STANDARDS[key]
    people = n(guests) + n(hosts)
    return float(base + max(0.0, people - 2) * extra)


def over_standard(amount: object, standard: object) -> float | None:
    """超标 = max(0, amount − standard); None when there is no standard.

    >>> over_standard(1200, 1000), over_standard(800, 1000), over_standard(800, None)
    (200.0, 0.0, None)
    """
    if standard is None or standard == "":
        return None
    return max(0.0, n(amount) - n(standard))
