"""大写金额: RMB amounts in capital Chinese numerals by the PBoC rules.

Conventions chosen where the rules allow two forms:

* 整 follows 元 when there are no 角 and 分; there is no 整 after 角 or 分.
* A zero 元 digit before a non-zero 角 writes no 零 (壹拾元伍角); a zero 角 before a non-zero
  分 writes 零 (壹拾元零伍分), as the rules require.
* Zeros inside the integer part follow ordinary reading: one 零 for a run of zeros between
  non-zero digits, none at the end of a 万 or 亿 group (壹拾万柒仟, 壹拾万零壹佰).
* The leading 1 of 拾 is always written (壹拾元整).

    >>> rmb_upper("1409.50"), rmb_upper(6007.14)
    ('壹仟肆佰零玖元伍角', '陆仟零柒元壹角肆分')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ._numbers import to_decimal

__all__ = ["rmb_upper"]

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_LIMIT = 10**16


def _group(n: int) -> str:
    """0 < n < 10000 in capitals, one 零 per run of inner zeros, no leading or trailing 零."""
    out, pending_zero = [], False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + _PLACES[power])
    return "".join(out)


def _join(high: int, low: int, unit: str, low_size: int, read) -> str:
    """``high`` + unit followed by ``low`` (a lower part of ``low_size`` digits), with 零 between."""
    head = read(high) + unit if high else ""
    if not low:
        return head
    gap = "零" if high and low < 10 ** (low_size - 1) else ""
    return head + gap + read(low)


def _below_yi(n: int) -> str:
    """0 < n < 10^8: thousands of 万 then the last four digits."""
    return _join(n // 10**4, n % 10**4, "万", 4, _group)


def _integer(n: int) -> str:
    """0 < n < 10^16: the part above 亿 (up to 万亿) then the part below."""
    return _join(n // 10**8, n % 10**8, "亿", 8, _below_yi)


def _fen(amount: object) -> int:
    """The amount as a whole number of fen (分), rounded half up; range checked."""
    d = to_decimal(amount, "amount")
    if d is None or not d.is_finite():
        raise ValueError(f"amount must be a finite number, got {amount!r}")
    if abs(d) >= _LIMIT:
        raise ValueError(f"amount must be below 10^16 yuan, got {amount!r}")
    fen = int(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).scaleb(2))
    if abs(fen) >= _LIMIT * 100:
        raise ValueError(f"amount must be below 10^16 yuan, got {amount!r}")
    return fen


def rmb_upper(amount: object) -> str:
    """The amount in capital numerals (大写金额), e.g. for invoices and applications.

    Accepts int, float (read through its repr), str or Decimal; rounds half up to the fen.
    Negative amounts get the prefix 负. NaN, infinity and amounts of 10^16 yuan or more
    raise ValueError.

    >>> rmb_upper(0), rmb_upper(100000), rmb_upper(0.05), rmb_upper(10.05)
    ('零元整', '壹拾万元整', '伍分', '壹拾元零伍分')
    >>> rmb_upper(1000000.01), rmb_upper(-1680.32), rmb_upper(107000.53)
    ('壹佰万元零壹分', '负壹仟陆佰捌拾元叁角贰分', '壹拾万柒仟元伍角叁分')
    >>> rmb_upper(10**12 + 10**8 + 1)
    '壹万零壹亿零壹元整'
    """
    fen = _fen(amount)
    sign, fen = ("负" if fen < 0 else ""), abs(fen)
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if fen == 0:
        return "零元整"
    words = _integer(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif cents and yuan:
        words += "零"
    if cents:
        words += DIGITS[cents] + "分"
    elif not jiao:
        words += "整"
    return sign + words


def rmb_upper_cell(amount: object) -> str | None:
    """:func:`rmb_upper` for a cell: None (a blank cell) while the amount is blank.
    Excel: ``IF(amount="","",<rmb_upper formula>)``.

    >>> rmb_upper_cell(None), rmb_upper_cell(""), rmb_upper_cell(12.5)
    (None, None, '壹拾贰元伍角')
    """
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        return None
    if isinstance(amount, float) and amount != amount:
        return None
    return rmb_upper(amount)
