"""Cleaning functions: every accepted form, and the rejections."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesplan_xl.data import normalise as nz


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  客户A  ", "客户A"),
        ("\u3000上海鑫达\u3000", "上海鑫达"),
        ("\u00a0C0001\u00a0", "C0001"),
        ("Ｃ００１２", "C0012"),
        ("ａｂｃ　ＸＹＺ", "abc XYZ"),
        (1001.0, "1001"),
        (12.5, "12.5"),
        (True, "TRUE"),
        (dt.date(2025, 3, 5), "2025-03-05"),
        ("", None),
        ("\u3000 ", None),
        (None, None),
    ],
)
def test_clean_text(raw, expected):
    assert nz.clean_text(raw) == expected


def test_clean_text_rejects_excel_error():
    with pytest.raises(nz.BadValue, match="not an Excel error"):
        nz.clean_text("#N/A")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.5, 1234.5),
        (1234, 1234.0),
        ("1234.50", 1234.5),
        ("¥1,234.50", 1234.5),
        ("￥1,234.50", 1234.5),
        ("1,234", 1234.0),
        ("￥ 1 234.5", 1234.5),
        ("1234元", 1234.0),
        ("RMB 1,000", 1000.0),
        ("人民币500元", 500.0),
        ("(1,234.00)", -1234.0),
        ("-1,234", -1234.0),
        ("-¥12.3", -12.3),
        ("１２３４．５", 1234.5),
        ("1.5万", 15000.0),
        ("2.675", 2.68),  # half-up on the decimal text, not binary float rounding
        (2.675, 2.68),
        (0.125, 0.13),
        ("1e3", 1000.0),
        ("\u3000 88 \u3000", 88.0),
        ("", None),
        (None, None),
    ],
)
def test_money(raw, expected):
    assert nz.money(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1,23", "12-3", "(−5)", "1.2.3", True, "#VALUE!", "((5))"])
def test_money_rejects(raw):
    with pytest.raises(nz.BadValue) as exc:
        nz.money(raw)
    assert exc.value.expected.startswith("an amount of money")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_money_cents_round_trip(cents):
    text = f"{cents / 100:.2f}"
    assert nz.money(text) == float(text)
    assert round(nz.money(float(text)) * 100) == cents


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(30, 30), (30.0, 30), ("30", 30), ("1,000", 1000), ("30天", 30), ("４５", 45), ("", None)],
)
def test_integer(raw, expected):
    assert nz.integer(raw) == expected


@pytest.mark.parametrize("raw", [30.5, "thirty", "3.5天"])
def test_integer_rejects(raw):
    with pytest.raises(nz.BadValue, match="a whole number"):
        nz.integer(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1.5", 1.5), (2, 2.0), ("1,200.25", 1200.25), (" 3 ", 3.0)]
)
def test_number(raw, expected):
    assert nz.number(raw) == expected


D = dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    "raw",
    [
        "2025/3/5",
        "2025-03-05",
        "2025-3-5",
        "2025年3月5日",
        "2025 年 3 月 5 日",
        "2025.3.5",
        "20250305",
        "２０２５／３／５",
        "2025-03-05 00:00:00",
        "2025/3/5 14:30",
        "2025-03-05T08:00:00",
        45721,
        45721.0,
        45721.75,
        "45721",
        dt.date(2025, 3, 5),
        dt.datetime(2025, 3, 5, 17, 45),
    ],
)
def test_date(raw):
    assert nz.date(raw) == D


@pytest.mark.parametrize(
    "raw", ["2025-02-30", "2025-13-01", "yesterday", "3/5/2025", 12, 99999999, "1899-12-31", True]
)
def test_date_rejects(raw):
    with pytest.raises(nz.BadValue) as exc:
        nz.date(raw)
    assert exc.value.expected.startswith("a date such as 2025-03-05")


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03",
        "2025/3",
        "2025年3月",
        "2025 年 03 月",
        "2025.3",
        "202503",
        202503,
        "2025-03-05",
        "2025年3月5日",
        dt.date(2025, 3, 31),
        dt.datetime(2025, 3, 1),
        45721,
        "２０２５－０３",
    ],
)
def test_month(raw):
    assert nz.month(raw) == "2025-03"


@pytest.mark.parametrize("raw", ["2025-13", "2025-00", "3月", "March", "2025"])
def test_month_rejects(raw):
    with pytest.raises(nz.BadValue, match="a month such as 2025-03"):
        nz.month(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("yes", True),
        ("No", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        ("TRUE", True),
        ("false", False),
        (True, True),
        ("√", True),
        ("×", False),
        ("", None),
    ],
)
def test_boolean(raw, expected):
    assert nz.boolean(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", 2, "是的吧"])
def test_boolean_rejects(raw):
    with pytest.raises(nz.BadValue, match="是 or 否"):
        nz.boolean(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("13%", 0.13), ("１３％", 0.13), (0.13, 0.13), ("0.5", 0.5), ("", None)]
)
def test_percent(raw, expected):
    if expected is None:
        assert nz.percent(raw) is None
    else:
        assert nz.percent(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "choices", "expected"),
    [
        ("A", ("A", "B", "C"), "A"),
        ("a", ("A", "B", "C"), "A"),
        ("A 重点客户", ("A", "B", "C"), "A"),
        ("B普通客户", ("A", "B", "C"), "B"),
        ("Ｃ　非优先客户", ("A", "B", "C"), "C"),
        ("AAA", ("AAA", "AA", "A", "B", "C"), "AAA"),
        ("AA级", ("AAA", "AA", "A", "B", "C"), "AA"),
        ("A-", ("AAA", "AA", "A", "B", "C"), "A"),
        ("", ("A",), None),
    ],
)
def test_choice(raw, choices, expected):
    assert nz.choice(raw, choices) == expected


@pytest.mark.parametrize("raw", ["D", "AB", "重点客户"])
def test_choice_rejects(raw):
    with pytest.raises(nz.BadValue, match="one of A, B, C"):
        nz.choice(raw, ("A", "B", "C"))


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_round_cents_agrees_with_money(x):
    assert nz.round_cents([x])[0] == nz.money(x)
