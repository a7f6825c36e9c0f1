"""Seasonality (month shares from history) and annual targets from growth.

>>> monthly_shares([[1] * 4 + [2] * 4 + [5] * 4, [1] * 4 + [2] * 4 + [5] * 4])[::4]
[0.03125, 0.0625, 0.15625]
>>> annual_target(1000, 0.2)
1200.0
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ._numbers import finite_decimal, is_missing, round_half_up, to_decimal, unit_cents

__all__ = ["monthly_shares", "annual_target", "department_growth", "shares_with_fallback"]

_EVEN = [1 / 12] * 12


def _is_row(x: object) -> bool:
    """True for a list-like year of months (not a string or a single number)."""
    return hasattr(x, "__iter__") and not isinstance(x, (str, bytes))


def _flat_months(history: object) -> list[list[object]]:
    """History as a list of 12-month years (accepts a list of lists or a flat 12·k list)."""
    if history is None:
        return []
    items = list(history)  # type: ignore[call-overload]
    if not items:
        return []
    if all(_is_row(x) for x in items):
        years = [list(y) for y in items]
    else:
        if len(items) % 12:
            raise ValueError(f"flat history must hold 12 months per year, got {len(items)} values")
        years = [items[k : k + 12] for k in range(0, len(items), 12)]
    for k, year in enumerate(years):
        if len(year) != 12:
            raise ValueError(f"history year {k} has {len(year)} months, expected 12")
    return years


def _month_sums(history: object) -> list[Decimal]:
    """Sum of each calendar month over the years; missing counts as 0, negatives rejected."""
    sums = [Decimal(0)] * 12
    for k, year in enumerate(_flat_months(history)):
        for m, v in enumerate(year):
            d = to_decimal(v, f"history year {k} month {m + 1}")
            if d is None:
                continue
            if not d.is_finite() or d < 0:
                raise ValueError(
                    f"history year {k} month {m + 1} must be a finite amount ≥ 0, got {v!r}"
                )
            sums[m] += d
    return sums


def monthly_shares(history: object) -> list[float]:
    """Twelve month shares (summing to 1) from one or more years of monthly amounts.

    Each month's share is its total over all years divided by the grand total. No history,
    or a zero total, gives the even pattern 1/12. Negative amounts raise ValueError.

    >>> monthly_shares([10, 10, 20, 20, 20, 20, 20, 20, 20, 20, 10, 10])
    [0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05]
    >>> monthly_shares([[0] * 11 + [10], [10] + [0] * 11])[::11]   # two years summed
    [0.5, 0.5]
    >>> monthly_shares([]) == [1 / 12] * 12
    True
    """
    sums = _month_sums(history)
    total = sum(sums)
    if total == 0:
        return list(_EVEN)
    return [float(Fraction(s) / Fraction(total)) for s in sums]


def has_history(history: object) -> bool:
    """True when the history has a positive total.

    >>> has_history([0] * 12), has_history([[0] * 11 + [5]])
    (False, True)
    """
    return sum(_month_sums(history)) > 0


def shares_with_fallback(own_history: object, region_history: object) -> list[float]:
    """The customer's own month shares, or its region's when it has no history.

    >>> shares_with_fallback(None, [0] * 11 + [1])[-1]
    1.0
    >>> shares_with_fallback([1] + [0] * 11, [0] * 11 + [1])[0]
    1.0
    """
    if has_history(own_history):
        return monthly_shares(own_history)
    return monthly_shares(region_history)


def annual_target(last_year: object, growth: object, unit: object = 0.01) -> float:
    """Last year × (1 + growth), rounded half-up to a multiple of ``unit`` (default the cent).

    Missing last year counts as 0 and missing growth as 0. The Excel form is
    ``=ROUND(last*(1+growth)/unit,0)*unit``.

    >>> annual_target(1000.10, 0.05)
    1050.11
    >>> annual_target(123456, 0.1, unit=1000)
    136000.0
    >>> annual_target(None, 0.2)
    0.0
    """
    base = to_decimal(last_year, "last year") or Decimal(0)
    g = to_decimal(growth, "growth") or Decimal(0)
    if not base.is_finite() or not g.is_finite():
        raise ValueError(f"last year and growth must be finite, got {last_year!r}, {growth!r}")
    u = Decimal(unit_cents(unit)) / 100
    units = round_half_up(base * (1 + g) / u, 0)
    return float((units * u).quantize(Decimal("0.01"))) + 0.0


def department_growth(
    default: object, overrides: Mapping[str, object] | None, department: str
) -> float:
    """The growth rate for ``department``: its override if set, else the default.

    >>> department_growth(0.2, {"华东": 0.25, "华南": None}, "华东")
    0.25
    >>> department_growth(0.2, {"华东": 0.25, "华南": None}, "华南")
    0.2
    """
    value = (overrides or {}).get(department)
    chosen = default if is_missing(value) else value
    return float(finite_decimal(chosen, f"growth for {department}"))
