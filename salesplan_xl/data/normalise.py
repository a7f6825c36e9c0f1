"""Pure cleaning functions for values read from user spreadsheets and CSV files.

Each function takes one raw cell value (``str``, ``int``, ``float``, ``bool``,
``datetime.date`` / ``datetime.datetime``, ``None``) and returns the clean value, or
raises :class:`BadValue` whose ``expected`` text completes the sentence
"expected ..." in a :class:`~salesplan_xl.errors.Problem`. Blank cells (``None``, ``""``,
only spaces) give ``None`` from every function; the caller decides whether blank is
allowed.

Forms accepted:

- text: leading/trailing spaces, full-width spaces (U+3000), NBSP removed; full-width
  digits, letters and space become half-width; ``1001.0`` (a number read from Excel)
  becomes ``"1001"``.
- money: ``1234.5``, ``"1,234.50"``, ``"¥1,234.50"``, ``"￥ 1 234.5"``, ``"1234元"``,
  ``"RMB 1234"``, ``"1.5万"`` (x 10,000), ``"-1,234"``, ``"(1,234.00)"`` (negative);
  rounded half-up to the cent with :class:`decimal.Decimal`, returned as ``float``.
- number: as money without currency marks and without rounding.
- int: ``30``, ``30.0``, ``"30"``, ``"1,000"``, ``"30天"``.
- date: ``"2025/3/5"``, ``"2025-03-05"``, ``"2025年3月5日"``, ``"2025.3.5"``,
  ``"20250305"``, with an optional time after a space or ``T``; Excel serial numbers
  (as numbers or 5-digit text) for 1950-01-01 … 2100-12-31; ``date`` / ``datetime``.
- month: ``"2025-03"``, ``"2025/3"``, ``"2025年3月"``, ``"2025.3"``, ``"202503"``, or
  any date form above -> ``"YYYY-MM"``.
- bool: 是/否, Y/N, yes/no, 1/0, TRUE/FALSE, T/F, √/×, 有/无.
- percent: ``"13%"`` -> 0.13; a number is taken as the fraction itself.
- choice: exact (case-insensitive) or a choice followed by a non-letter
  (``"A 重点客户"`` -> ``"A"``, ``"AA级"`` -> ``"AA"``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

CENT = Decimal("0.01")
#: Excel keeps 15 significant digits: amounts of money stay below 10^13 yuan (cents exact),
#: other numbers below 10^15. Larger values are typing or export errors, rejected.
MAX_MONEY = Decimal(10) ** 13
MAX_NUMBER = Decimal(10) ** 15
MIN_DATE = dt.date(1950, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_SERIAL = (MIN_DATE - EXCEL_EPOCH).days
MAX_SERIAL = (MAX_DATE - EXCEL_EPOCH).days

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


class BadValue(ValueError):
    """A value that cannot be cleaned; ``expected`` says what would have been accepted."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


# Full-width ASCII block U+FF01..U+FF5E -> U+0021..U+007E only for digits and letters,
# plus the ideographic space U+3000 and NBSP.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_HALFWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_HALFWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_HALFWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x202F: 0x20, 0x2007: 0x20, 0xFEFF: None})
# Extra full-width punctuation used in numbers and dates.
_NUMERIC_PUNCT = str.maketrans(
    {"，": ",", "．": ".", "－": "-", "／": "/", "（": "(", "）": ")", "＋": "+", "％": "%"}
)
_STRIP = " \t\r\n\v\f\u3000\u00a0\u202f\u2007\ufeff"


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and spaces (U+3000, NBSP) to half-width."""
    return text.translate(_HALFWIDTH)


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip(_STRIP)


def _number_text(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


# Characters XML 1.0 (and so .xlsx) cannot hold, plus DEL: C0 controls other than tab,
# line feed and carriage return; unpaired surrogates; U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Vertical tab (Word's manual line break) and form feed (page break) become spaces.
_BREAKS = str.maketrans({"\x0b": " ", "\x0c": " "})


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character an .xlsx cannot (see :func:`clean_text`)."""
    return _CONTROL.search(text) is not None


def printable(text: str) -> str:
    r"""``text`` with control characters shown as ``\xNN`` escapes (for messages: a
    terminal must never receive an escape sequence from the data).

    >>> printable("a\x1b[31mb\x00")
    'a\\x1b[31mb\\x00'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def clean_text(value: object) -> str | None:
    r"""Stripped, half-width text; ``None`` for blank. Vertical tabs and form feeds (Word
    line and page breaks) become spaces; other control characters are refused.

    >>> clean_text("甲\x0b乙")
    '甲 乙'
    >>> clean_text("甲\x07")
    Traceback (most recent call last):
    ...
    salesplan_xl.data.normalise.BadValue: text without control characters (found \x07)
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isinf(value):
            raise BadValue("text")
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = to_halfwidth(str(value)).translate(_BREAKS).strip(_STRIP)
    if text in EXCEL_ERRORS:
        raise BadValue("a value, not an Excel error")
    bad = _CONTROL.search(text)
    if bad:
        raise BadValue(f"text without control characters (found \\x{ord(bad.group()):02x})")
    return text or None


_MONEY_MARKS = re.compile(r"^(?:RMB|CNY|¥|￥|人民币)+|(?:RMB|CNY|¥|￥|元|人民币)+$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def _bounded(d: Decimal, what: str, currency: bool) -> Decimal:
    """``d`` if its size is plausible (see MAX_MONEY), else BadValue.

    >>> _bounded(Decimal("1e26"), "an amount", True)
    Traceback (most recent call last):
    ...
    salesplan_xl.data.normalise.BadValue: an amount below 10,000,000,000,000 in size
    """
    limit = MAX_MONEY if currency else MAX_NUMBER
    if not d.is_finite() or abs(d) >= limit:
        raise BadValue(f"{what} below {limit:,.0f} in size")
    return d


def _parse_decimal(value: object, what: str, *, currency: bool) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise BadValue(what)
    if isinstance(value, int):
        return _bounded(Decimal(value), what, currency)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise BadValue(what)
        return _bounded(Decimal(repr(value)), what, currency)
    if not isinstance(value, str):
        raise BadValue(what)
    s = to_halfwidth(value).translate(_NUMERIC_PUNCT).strip(_STRIP)
    if s in EXCEL_ERRORS:
        raise BadValue(f"{what}, not an Excel error")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    scale = Decimal(1)
    if currency:
        s = s.replace(" ", "")
        if s.endswith("万元") or s.endswith("万"):
            scale, s = Decimal(10000), s.removesuffix("元").removesuffix("万")
        prev = None
        while prev != s:
            prev, s = s, _MONEY_MARKS.sub("", s).strip()
        if s.startswith("-") and s[1:2] in ("¥", "￥"):
            s = "-" + s[2:]
    if "," in s:
        if not _GROUPED.match(s):
            raise BadValue(what)
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        raise BadValue(what)
    try:
        d = Decimal(s) * scale
    except InvalidOperation as exc:  # pragma: no cover - the regex already checked
        raise BadValue(what) from exc
    d = _bounded(d, what, currency)
    if negative:
        if d < 0:
            raise BadValue(what)
        d = -d
    return d


def money(value: object) -> float | None:
    """An amount in yuan rounded half-up to the cent."""
    d = _parse_decimal(value, "an amount of money such as 1234.50", currency=True)
    if d is None:
        return None
    return float(d.quantize(CENT, rounding=ROUND_HALF_UP)) + 0.0


def round_cents(values):
    """Vectorised cents rounding, half away from zero on the shortest decimal form
    (1.005 -> 1.01, -2.675 -> -2.68), like :func:`money`; NaN stays NaN."""
    a = np.asarray(values, dtype="float64")
    cents = np.round(np.abs(a) * 100.0, 6)  # drop binary noise: 100.49999999999999 -> 100.5
    return np.sign(a) * np.floor(cents + 0.5) / 100.0 + 0.0


def number(value: object) -> float | None:
    """A plain number (quantity, hours)."""
    d = _parse_decimal(value, "a number", currency=False)
    return None if d is None else float(d) + 0.0


_INT_UNITS = re.compile(r"(?:天|日|个|次|件|台|套|箱|人|days?|d)$", re.IGNORECASE)


def integer(value: object) -> int | None:
    """A whole number; ``"30天"`` and ``30.0`` are accepted."""
    what = "a whole number"
    if isinstance(value, str):
        value = _INT_UNITS.sub("", to_halfwidth(value).strip(_STRIP)).strip()
    d = _parse_decimal(value, what, currency=False)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise BadValue(what)
    return int(d)


def percent(value: object) -> float | None:
    """A fraction: ``"13%"`` -> 0.13, ``0.13`` -> 0.13."""
    what = "a percentage such as 13%"
    if isinstance(value, str):
        s = to_halfwidth(value).translate(_NUMERIC_PUNCT).strip(_STRIP)
        if s.endswith("%"):
            d = _parse_decimal(s[:-1], what, currency=False)
            if d is None:
                raise BadValue(what)
            return float(d / 100)
    d = _parse_decimal(value, what, currency=False)
    return None if d is None else float(d)


_TRUE = frozenset({"是", "y", "yes", "1", "true", "t", "√", "✓", "有", "对"})
_FALSE = frozenset({"否", "n", "no", "0", "false", "f", "×", "✗", "x", "无", "不是"})


def boolean(value: object) -> bool | None:
    """是/否, Y/N, yes/no, 1/0, TRUE/FALSE."""
    what = "是 or 否 (yes or no)"
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise BadValue(what)
    if isinstance(value, str):
        s = to_halfwidth(value).strip(_STRIP).casefold()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise BadValue(what)


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
_DATE_WHAT = "a date such as 2025-03-05"


def _make_date(y: int, m: int, d: int, what: str) -> dt.date:
    try:
        out = dt.date(y, m, d)
    except ValueError as exc:
        raise BadValue(what) from exc
    if not MIN_DATE <= out <= MAX_DATE:
        raise BadValue(f"{what} between {MIN_DATE.year} and {MAX_DATE.year}")
    return out


def excel_date(serial: float) -> dt.date:
    """The day of an Excel serial number (1900 date system; the time of day is dropped)."""
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _from_serial(serial: float, what: str) -> dt.date:
    if not MIN_SERIAL <= serial <= MAX_SERIAL + 1:
        raise BadValue(what)
    return excel_date(serial)


def date(value: object) -> dt.date | None:
    """A calendar date from text, an Excel serial number, or a date/datetime."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day, _DATE_WHAT)
    if isinstance(value, bool):
        raise BadValue(_DATE_WHAT)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise BadValue(_DATE_WHAT)
        return _from_serial(value, _DATE_WHAT)
    if not isinstance(value, str):
        raise BadValue(_DATE_WHAT)
    s = to_halfwidth(value).translate(_NUMERIC_PUNCT).strip(_STRIP)
    m = _DATE_TEXT.match(s) or _DATE_COMPACT.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), _DATE_WHAT)
    if _SERIAL_TEXT.match(s):
        return _from_serial(float(s), _DATE_WHAT)
    raise BadValue(_DATE_WHAT)


_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_MONTH_WHAT = "a month such as 2025-03"


def month(value: object) -> str | None:
    """A month as ``"YYYY-MM"``, from month text or any date form."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        s = to_halfwidth(value).translate(_NUMERIC_PUNCT).strip(_STRIP)
        m = _MONTH_TEXT.match(s) or _MONTH_COMPACT.match(s)
        if m:
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12 or not MIN_DATE.year <= y <= MAX_DATE.year:
                raise BadValue(_MONTH_WHAT)
            return f"{y:04d}-{mo:02d}"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise BadValue(_MONTH_WHAT)
        if value == int(value) and 195001 <= value <= 210012:
            return month(str(int(value)))
    try:
        d = date(value)
    except BadValue as exc:
        raise BadValue(_MONTH_WHAT) from exc
    assert d is not None
    return f"{d.year:04d}-{d.month:02d}"


def choice(value: object, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``: exact (case-insensitive), or a choice followed by a non-letter."""
    what = "one of " + ", ".join(choices)
    text = clean_text(value)
    if text is None:
        return None
    folded = text.casefold()
    for c in choices:
        if folded == c.casefold():
            return c
    for c in sorted(choices, key=len, reverse=True):
        cf = c.casefold()
        if folded.startswith(cf):
            nxt = text[len(c)]
            if not (nxt.isascii() and nxt.isalnum()):
                return c
    raise BadValue(what)
