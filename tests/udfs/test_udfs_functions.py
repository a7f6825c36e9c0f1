"""The SP_* worksheet functions called as plain Python: scalars, ranges, blanks, bad input."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesplan_xl.udfs as udfs
from salesplan_xl.planning import (
    abc_classes,
    ageing_bucket,
    completion_rate,
    credit_grade,
    key_account_grade,
    key_account_score,
    monthly_shares,
    rmb_upper,
    split_total,
    time_progress,
)
from salesplan_xl.udfs import (
    SP_ABC,
    SP_AGEING,
    SP_COMPLETION,
    SP_CREDIT_GRADE,
    SP_CREDIT_USAGE,
    SP_FORECAST,
    SP_GROWTH,
    SP_KA_GRADE,
    SP_OVERDUE_DAYS,
    SP_RMB_UPPER,
    SP_SEASONAL_SPLIT,
    SP_SPLIT,
    SP_TIME_PROGRESS,
    SP_YTD,
)


def col(*values):
    return [[v] for v in values]


def is_error(x) -> bool:
    return isinstance(x, str) and x.startswith(udfs.ERROR_PREFIX)


def test_module_doctests():
    result = doctest.testmod(udfs)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- element-wise


def test_completion_scalar_range_blank():
    assert SP_COMPLETION(80, 100) == 0.8
    assert SP_COMPLETION(80.0, 0) == ""
    assert SP_COMPLETION(80, None) == ""
    assert SP_COMPLETION(None, 50) == 0.0
    assert SP_COMPLETION(col(45, 10, None), col(50, 0, 20)) == [[0.9], [""], [0.0]]
    # a single plan cell is repeated over the range; rows stay rows
    assert SP_COMPLETION([[10, 20, 30]], 40) == [[0.25, 0.5, 0.75]]
    # a 1x1 range (what xlwings passes for one cell) gives a single value
    assert SP_COMPLETION([[80.0]], [[100.0]]) == 0.8


def test_text_numbers_are_read_like_the_data_import():
    assert SP_COMPLETION("1,234.5", "2469") == 0.5
    assert SP_COMPLETION("¥100", "￥200") == 0.5
    assert SP_COMPLETION("１２３", 123) == 1.0  # full-width digits
    assert SP_COMPLETION("1.5万", 30000) == 0.5
    assert SP_COMPLETION("(50)", 100) == -0.5  # accounting negative
    assert SP_COMPLETION("   ", 100) == 0.0  # blank text is a blank cell
    assert SP_GROWTH("12%", "10%") == pytest.approx(0.2)


@pytest.mark.parametrize(
    "bad",
    ["abc", True, "#N/A", "#DIV/0!", dt.date(2024, 1, 1), float("inf"), "1,23,4"],
)
def test_bad_numbers_give_a_readable_error(bad):
    out = SP_COMPLETION(bad, 100)
    assert is_error(out) and out.startswith("#SP! actual: expected a number")
    assert "Traceback" not in out


def test_one_bad_cell_does_not_spoil_the_range():
    out = SP_COMPLETION(col(50, "abc", 25), 100)
    assert out[0] == [0.5] and out[2] == [0.25]
    assert out[1][0] == "#SP! actual: expected a number, got 'abc'"


def test_shapes_must_match():
    out = SP_COMPLETION(col(1, 2, 3), col(1, 2))
    assert out == (
        "#SP! ranges must have the same shape (or be one cell): actual is 3×1, plan is 2×1"
    )
    assert is_error(SP_COMPLETION([[1, 2], [3]], 1))  # ragged
    assert is_error(SP_COMPLETION([], 1))


def test_flat_python_lists_are_columns():
    assert SP_COMPLETION([1, 2], [2, 4]) == [[0.5], [0.5]]


def test_growth_and_credit_usage():
    assert SP_GROWTH(150, 100) == 0.5
    assert SP_GROWTH(col(120, None, 5), col(100, 100, 0)) == [
        [pytest.approx(0.2)],
        [-1.0],
        [""],
    ]
    assert SP_CREDIT_USAGE(90, 100) == 0.9
    assert SP_CREDIT_USAGE(col(90, 10), col(None, 0)) == [[""], [""]]
    assert is_error(SP_CREDIT_USAGE("lots", 100))


# --------------------------------------------------------------------------- tracking


def test_ytd_one_series_and_rows():
    months = [[10, None, 30, 40, 5, 5, 5, 5, 5, 5, 5, 5]]
    assert SP_YTD(months, 3) == 40.0
    assert SP_YTD(months, 0) == 0.0
    assert SP_YTD(col(*months[0]), 4.0) == 80.0  # a column, month as Excel's float
    assert SP_YTD(months, dt.datetime(2024, 2, 29)) == 10.0  # a date counts as its month
    two = [[1] * 12, [2] * 12]
    assert SP_YTD(two, 6) == [[6.0], [12.0]]
    assert SP_YTD(two, col(1, 12)) == [[1.0], [24.0]]


@pytest.mark.parametrize("month", [13, -1, 2.5, None, "March"])
def test_ytd_bad_month(month):
    out = SP_YTD([[1] * 12], month)
    assert out.startswith("#SP! month: expected a whole number 0-12")


def test_time_progress_accepts_dates_serials_and_text():
    expected = time_progress(dt.date(2024, 6, 30), 2024)
    serial = (dt.date(2024, 6, 30) - dt.date(1899, 12, 30)).days
    for as_of in (
        dt.date(2024, 6, 30),
        dt.datetime(2024, 6, 30, 17, 45),
        float(serial),
        serial + 0.75,  # a time of day
        "2024/6/30",
        "2024年6月30日",
    ):
        assert SP_TIME_PROGRESS(as_of) == expected
    assert SP_TIME_PROGRESS(None) == ""
    assert SP_TIME_PROGRESS(col(dt.date(2024, 12, 31), None)) == [[1.0], [""]]
    assert SP_TIME_PROGRESS("soon").startswith("#SP! as_of: expected a date")


def test_forecast_from_date_or_progress():
    as_of = dt.date(2026, 10, 1)
    p = time_progress(as_of, 2026)
    assert SP_FORECAST(300, as_of) == 300 / p
    assert SP_FORECAST(300, 0.25) == 1200.0  # the time progress itself
    assert SP_FORECAST(300, 0) == ""
    assert SP_FORECAST(300, None) == ""
    assert SP_FORECAST(col(300, None), as_of) == [[300 / p], [0.0]]
    assert is_error(SP_FORECAST(300, "later"))


# --------------------------------------------------------------------------- splits


def test_split_column_row_and_sum():
    assert SP_SPLIT(1000, col(5, 3, 2, 1), 100) == [[400.0], [300.0], [200.0], [100.0]]
    assert SP_SPLIT(1000, [[5, 3, 2, 1]], 100) == [[400.0, 300.0, 200.0, 100.0]]
    assert SP_SPLIT(10, col(None, 0, None)) == [[4.0], [3.0], [3.0]]  # no weights: even
    assert SP_SPLIT("¥1,000", col("1", "1"), "100") == [[500.0], [500.0]]
    assert SP_SPLIT(7, [[1]]) == 7.0


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(-(10**9), 10**9),
    weights=st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=1, max_size=30),
    unit=st.sampled_from([1, 100, 1000]),
)
def test_split_adds_up_and_equals_planning(total, weights, unit):
    out = SP_SPLIT(total / 100, col(*weights), unit)
    expected = split_total(total / 100, weights, unit)
    parts = [r[0] for r in out] if isinstance(out, list) else [out]
    assert parts == expected
    assert round(sum(parts) * 100) == total


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, col(1, -1)), "#SP! weight 1 is negative (-1.0); weights must be 0 or more"),
        ((100, [[1, 2], [3, 4]]), "#SP! weights must be one row or one column, got 2×2"),
        ((None, col(1)), "#SP! total is blank"),
        ((col(1, 2), col(1)), "#SP! total must be a single cell, got 2×1"),
        ((100, col(1, 1), 0), "#SP! unit must be a positive multiple of 0.01, got 0.0"),
        ((100, col(1, "x")), "#SP! weight 2: expected a number, got 'x'"),
    ],
)
def test_split_errors(args, message):
    assert SP_SPLIT(*args) == message


def test_seasonal_split_rows_columns_and_flat():
    year = [10, 10, 20, 20, 20, 20, 20, 20, 20, 20, 10, 10]
    expected = split_total(1200, monthly_shares([year]), 1)
    assert SP_SEASONAL_SPLIT(1200, [year]) == [expected]  # a row of 12: a row
    assert SP_SEASONAL_SPLIT(1200, col(*year)) == [[v] for v in expected]  # a column
    assert SP_SEASONAL_SPLIT(1200, [year, year]) == [expected]  # two years in rows
    two_cols = [[a, b] for a, b in zip(year, year, strict=True)]
    assert SP_SEASONAL_SPLIT(1200, two_cols) == [[v] for v in expected]
    assert SP_SEASONAL_SPLIT(1200, [year + year]) == [expected]  # 24 months in a row
    # no history: even
    assert SP_SEASONAL_SPLIT(1200, [[None] * 12], 100) == [[100.0] * 12]
    out = SP_SEASONAL_SPLIT(1000, [[1, 2, 3] * 4], 100)
    assert sum(out[0]) == 1000


def test_seasonal_split_errors():
    assert SP_SEASONAL_SPLIT(1200, [[1] * 11]) == (
        "#SP! history must hold 12 months per year, in rows or in columns, got 1×11"
    )
    assert is_error(SP_SEASONAL_SPLIT(1200, [[1] * 11 + [-5]]))
    assert SP_SEASONAL_SPLIT(None, [[1] * 12]) == "#SP! annual is blank"


# --------------------------------------------------------------------------- receivables


def test_overdue_days_and_ageing():
    as_of = dt.date(2024, 12, 31)
    dues = [as_of - dt.timedelta(days=d) for d in (-5, 0, 1, 30, 31, 90, 91, 365, 366)]
    days = SP_OVERDUE_DAYS(col(*dues), as_of)
    assert days == col(0, 0, 1, 30, 31, 90, 91, 365, 366)
    assert SP_AGEING(col(*dues), as_of) == [[ageing_bucket(d[0])] for d in days]
    assert SP_AGEING(col(*dues), as_of)[-1] == [">365"]
    # serial numbers, datetimes and text dates work too
    serial = float((dt.date(2024, 1, 1) - dt.date(1899, 12, 30)).days)
    assert SP_OVERDUE_DAYS(serial, dt.datetime(2024, 3, 1, 9, 30)) == 60
    assert SP_OVERDUE_DAYS("2024-01-01", "2024/3/1") == 60
    assert SP_AGEING("2024-01-01", "2024/3/1") == "31-60"


def test_ageing_of_days_when_as_of_is_left_out():
    assert SP_AGEING(45) == "31-60"
    assert SP_AGEING(col(0, -3, 1, 400, None)) == col("未到期", "未到期", "1-30", ">365", "未到期")


def test_blank_dates_give_blank():
    assert SP_OVERDUE_DAYS(None, dt.date(2024, 1, 1)) == ""
    assert SP_OVERDUE_DAYS(dt.date(2024, 1, 1), None) == ""
    assert SP_AGEING(col(None, dt.date(2024, 1, 1)), dt.date(2024, 1, 2)) == col("", "1-30")
    assert SP_AGEING(dt.date(2024, 1, 1), [[None]]) == ""  # an empty as_of cell


def test_bad_dates():
    out = SP_OVERDUE_DAYS(col("2024-02-30", "x", 12.0), dt.date(2024, 3, 1))
    assert all(is_error(r[0]) for r in out)
    assert out[1][0] == "#SP! due_date: expected a date such as 2025-03-05, got 'x'"


# --------------------------------------------------------------------------- ratings


def test_credit_grade():
    scores = [95, 90, 89.9, 80, 70, 60, 59, None]
    assert SP_CREDIT_GRADE([scores]) == [[credit_grade(s) or "" for s in scores]]
    assert SP_CREDIT_GRADE("85") == "AA"
    assert is_error(SP_CREDIT_GRADE("good"))


def test_key_account_grade_rows_and_weights():
    a = [90, 80, 70, 100, 80, 60, 90]
    b = [60, 60, 60, 60, 60, 60, 60]
    assert SP_KA_GRADE([a]) == key_account_grade(key_account_score(a)) == "A"
    assert SP_KA_GRADE([a, b, [None] * 7]) == col("A", "C", "")
    assert SP_KA_GRADE(col(*a)) == "A"  # one customer in a column
    # customers in columns when the rows are the criteria
    assert SP_KA_GRADE([[x, y] for x, y in zip(a, b, strict=True)]) == [["A", "C"]]
    assert SP_KA_GRADE([[90, 50]], [[1, 1]]) == "B"  # custom weights: (90+50)/2 = 70
    assert SP_KA_GRADE([[90, 50]], col(3, 1)) == "B"  # 77.5
    out = SP_KA_GRADE([a, [101] * 7])
    assert out[0] == ["A"] and is_error(out[1][0])
    assert SP_KA_GRADE([[1, 2, 3]]).startswith("#SP! scores must have 7 columns")
    assert is_error(SP_KA_GRADE([[1, 2]], [[-1, -1]]))


def test_abc_classes_keep_the_shape():
    values = [10, 50, 30, 5, 5]
    assert SP_ABC(col(*values)) == [[c] for c in abc_classes(values)]
    assert SP_ABC([values]) == [abc_classes(values)]
    assert SP_ABC(col(None, 0)) == col("C", "C")
    assert SP_ABC(col("¥50", "50")) == col("A", "C")  # 50% A, 100% C
    assert SP_ABC(col(10, -1)) == "#SP! value 1 must be a finite amount ≥ 0, got -1.0"


def test_rmb_upper():
    assert SP_RMB_UPPER(1409.5) == rmb_upper(1409.5) == "壹仟肆佰零玖元伍角"
    assert SP_RMB_UPPER("¥6,007.14") == "陆仟零柒元壹角肆分"
    assert SP_RMB_UPPER(col(0, None, -1680.32)) == col("零元整", "", "负壹仟陆佰捌拾元叁角贰分")
    assert SP_RMB_UPPER(1e17).startswith("#SP! amount must be below 10^16 yuan")


# --------------------------------------------------------------------------- thin wrappers


def test_vectorised_equals_per_cell():
    actual = [12.5, None, 0, 99.99, -3, "7"]
    plan = [10, 10, 0, None, 4, "14"]
    whole = SP_COMPLETION(col(*actual), col(*plan))
    assert whole == [[SP_COMPLETION(a, p)] for a, p in zip(actual, plan, strict=True)]
    assert whole[0][0] == completion_rate(12.5, 10)


def test_no_python_exception_escapes():
    class Weird:
        def __float__(self):
            raise RuntimeError("boom")

    for f in (SP_COMPLETION, SP_GROWTH, SP_CREDIT_USAGE, SP_OVERDUE_DAYS, SP_FORECAST):
        assert is_error(f(Weird(), 1))
    for f in (SP_ABC, SP_CREDIT_GRADE, SP_RMB_UPPER, SP_TIME_PROGRESS, SP_AGEING):
        assert is_error(f(Weird()))
    assert is_error(SP_SPLIT(Weird(), 1))
    assert is_error(SP_SEASONAL_SPLIT(1, Weird()))
    assert is_error(SP_YTD(Weird(), 1))
    assert is_error(SP_KA_GRADE(Weird()))
