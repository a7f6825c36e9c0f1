"""Reading numbers the way every planning function does (internal).

Missing means ``None``, ``NaN``, pandas ``NA``/``NaT``, or a blank string. Floats are read
through their shortest ``repr`` so ``0.1`` is the decimal ``0.1`` the user typed, not the
binary fraction behind it.

    >>> to_decimal(0.1), to_decimal(None), to_cents("12.345")
    (Decimal('0.1'), None, 1235)
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Integral, Real

CENT = Decimal("0.01")


def is_missing(x: object) -> bool:
    """True for None, NaN, pandas NA/NaT and blank strings.

    >>> [is_missing(v) for v in (None, float("nan"), "", " ", 0, "0")]
    [True, True, True, True, False, False]
    """
    if x is None:
        return True
    if type(x) is float:
        return x != x
    if type(x) is int:
        return False
    if type(x).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(x, str):
        return not x.strip()
    if isinstance(x, Decimal):
        return x.is_nan()
    if isinstance(x, Real) and not isinstance(x, Integral):
        return math.isnan(float(x))
    return False


def to_decimal(x: object, what: str = "value") -> Decimal | None:
    """The exact decimal behind ``x``; None when missing. Infinity is returned as is.

    >>> to_decimal(1.1), to_decimal(3), to_decimal(" 2.50 ")
    (Decimal('1.1'), Decimal('3'), Decimal('2.50'))
    """
    if is_missing(x):
        return None
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise ValueError(f"{what} must be a number, got {x!r}")
    if isinstance(x, Integral):
        return Decimal(int(x))
    if isinstance(x, Real):
        return Decimal(repr(float(x)))
    if isinstance(x, str):
        try:
            d = Decimal(x.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"{what} must be a number, got {x!r}") from None
        return None if d.is_nan() else d
    raise ValueError(f"{what} must be a number, got {x!r}")


def finite_decimal(x: object, what: str = "value") -> Decimal:
    """Like :func:`to_decimal` but missing or infinite values raise ValueError.

    >>> finite_decimal(2)
    Decimal('2')
    """
    d = to_decimal(x, what)
    if d is None or not d.is_finite():
        raise ValueError(f"{what} must be a finite number, got {x!r}")
    return d


def to_cents(x: object, what: str = "amount") -> int:
    """``x`` rounded half-up (away from zero) to the cent, as an integer number of cents.

    >>> to_cents(1.005), to_cents(-2.5), to_cents(0)
    (101, -250, 0)
    """
    d = finite_decimal(x, what)
    return int((d / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def unit_cents(unit: object) -> int:
    """The rounding unit as a positive whole number of cents.

    >>> unit_cents(1), unit_cents(0.01), unit_cents(1000)
    (100, 1, 100000)
    """
    d = finite_decimal(unit, "unit")
    cents = d / CENT
    if d <= 0 or cents != cents.to_integral_value():
        raise ValueError(f"unit must be a positive multiple of 0.01, got {unit!r}")
    return int(cents)


def cents_to_float(c: int) -> float:
    """Cents back to a float equal to ``float(Decimal(c) / 100)`` (both correctly rounded).

    >>> cents_to_float(12345), cents_to_float(-1)
    (123.45, -0.01)
    """
    return c / 100


def round_half_up(x: object, places: int = 2) -> Decimal:
    """``x`` rounded half away from zero, like Excel's ROUND.

    >>> round_half_up(2.675), round_half_up(-0.125)
    (Decimal('2.68'), Decimal('-0.13'))
    """
    d = finite_decimal(x)
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_float(x: object) -> float | None:
    """A finite float, or None when missing or not finite (the tracking functions' reading).

    >>> as_float("3"), as_float(float("inf")), as_float(None)
    (3.0, None, None)
    """
    if type(x) is float:  # fast path: the same value as float(Decimal(repr(x)))
        return x if math.isfinite(x) else None
    if type(x) is int:
        return float(x)
    d = to_decimal(x)
    if d is None or not d.is_finite():
        return None
    return float(d)


def as_date(d: object) -> date:
    """A ``date`` from a date, datetime (incl. pandas Timestamp) or ISO string.

    >>> as_date("2024-02-29"), as_date(datetime(2024, 1, 2, 15, 30))
    (datetime.date(2024, 2, 29), datetime.date(2024, 1, 2))
    """
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        return date.fromisoformat(d.strip()[:10])
    raise ValueError(f"expected a date, got {d!r}")
