"""大写金额: the PBoC examples, edge cases, and a round trip through a small parser."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.planning import rmb_upper

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def _parse4(s: str) -> int:
    value = number = 0
    for ch in s:
        if ch in PLACES:
            value += number * PLACES[ch]
            number = 0
        elif ch != "零":
            number = DIGITS.index(ch)
    return value + number


def _parse8(s: str) -> int:
    high, _, low = s.rpartition("万")
    return _parse4(high) * 10**4 + _parse4(low) if high or "万" in s else _parse4(low)


def _parse_int(s: str) -> int:
    if "亿" in s:
        high, _, low = s.rpartition("亿")
        return _parse8(high) * 10**8 + _parse8(low)
    return _parse8(s)


def parse_rmb(words: str) -> Decimal:
    """Capital numerals back to a Decimal (the inverse of rmb_upper)."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负")
    yuan, _, rest = words.rpartition("元") if "元" in words else ("", "", words)
    fen = _parse_int(yuan) * 100 if yuan else 0
    rest = rest.removesuffix("整").lstrip("零")
    if "角" in rest:
        jiao, _, rest = rest.partition("角")
        fen += DIGITS.index(jiao) * 10
    if "分" in rest:
        fen += DIGITS.index(rest.removesuffix("分").lstrip("零"))
    return sign * Decimal(fen) / 100


@pytest.mark.parametrize(
    "amount, words",
    [
        ("1409.50", "壹仟肆佰零玖元伍角"),
        (1409.5, "壹仟肆佰零玖元伍角"),
        (6007.14, "陆仟零柒元壹角肆分"),
        (0, "零元整"),
        (100000, "壹拾万元整"),
        (0.05, "伍分"),
        (10.05, "壹拾元零伍分"),
        (1000000.01, "壹佰万元零壹分"),
        (16409.02, "壹万陆仟肆佰零玖元零贰分"),
        (325.04, "叁佰贰拾伍元零肆分"),
        (1680.32, "壹仟陆佰捌拾元叁角贰分"),
        (107000.53, "壹拾万柒仟元伍角叁分"),
        (100100, "壹拾万零壹佰元整"),
        (100001000, "壹亿零壹仟元整"),
        (10**12, "壹万亿元整"),
        (-1.5, "负壹元伍角"),
        (Decimal("-0.004"), "零元整"),
        (1.005, "壹元零壹分"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ],
)
def test_examples(amount, words):
    assert rmb_upper(amount) == words


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), Decimal("-Infinity"), 10**16, "1e30", None, "abc"]
)
def test_rejects(bad):
    with pytest.raises(ValueError):
        rmb_upper(bad)


def _check(amount: Decimal):
    words = rmb_upper(amount)
    assert parse_rmb(words) == amount
    assert "零零" not in words
    assert not words.endswith("零") and not words.endswith("零元整") or amount == 0
    assert words.endswith(("整", "角", "分"))
    if words.endswith("整"):
        assert words.endswith("元整")


LIMIT = Decimal(10**16) - Decimal("0.01")


@settings(max_examples=400, deadline=None)
@given(st.decimals(min_value=-LIMIT, max_value=LIMIT, places=2))
def test_round_trip_any_amount(amount):
    _check(amount)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 0, 0, 1, 5, 9]), min_size=1, max_size=18))
def test_round_trip_sparse_digits(digits):
    fen = int("".join(map(str, digits)))
    _check(Decimal(fen) / 100)
