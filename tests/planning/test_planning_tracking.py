"""Tracking and receivables: worked examples, and no raising on zeros, None or NaN."""

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.planning import (
    AGEING_BUCKETS,
    AGEING_THRESHOLDS,
    age_days,
    ageing_bucket,
    collection_rate,
    completion_rate,
    credit_alert,
    credit_usage,
    dso,
    due_date,
    forecast,
    growth_rate,
    manager_score,
    monthly_average_of_active_months,
    outstanding,
    overdue_days,
    quarter_totals,
    share,
    status,
    suggested_credit_limit,
    time_progress,
    visit_compliance,
    ytd,
)

gaps = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(0),
    st.just(0.0),
    st.just(""),
    st.just(float("inf")),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
)


def test_completion_and_growth():
    assert completion_rate(45, 50) == 0.9
    assert completion_rate(None, 50) == 0.0
    assert completion_rate(10, 0) is None
    assert completion_rate(10, None) is None
    assert completion_rate(10, float("nan")) is None
    assert growth_rate(150, 100) == 0.5
    assert growth_rate(150, 0) is None
    assert growth_rate(None, 100) == -1.0
    assert share(1, 4) == 0.25 and share(1, 0) is None


def test_ytd_forecast_status_worked_example():
    plan = [100] * 12
    actual = [90, 110, 95, None, 0, 0, 0, 0, 0, 0, 0, 0]
    progress = time_progress(date(2024, 3, 31), 2024)
    done = ytd(actual, 3)
    assert done == 295.0
    rate = completion_rate(done, ytd(plan, 12))
    assert status(rate, progress) == "正常"  # 24.6 % done vs ~23.9 % of the workdays
    assert forecast(done, progress) == pytest.approx(295 / progress)
    assert forecast(done, 0) is None
    assert status(1.0, 0.5) == "完成"
    assert status(0.2, 0.5) == "落后"
    assert status(0.5, 0.5) == "正常"
    assert status(None, 0.5) is None
    assert quarter_totals(list(range(1, 13))) == [6.0, 15.0, 24.0, 33.0]
    with pytest.raises(ValueError, match="0–12"):
        ytd(plan, 13)


@settings(max_examples=300, deadline=None)
@given(gaps, gaps)
def test_rates_never_raise(a, b):
    for fn in (
        completion_rate,
        growth_rate,
        share,
        forecast,
        collection_rate,
        credit_usage,
        visit_compliance,
    ):
        r = fn(a, b)
        assert r is None or not math.isnan(r)  # inf only for absurd magnitudes (1e300 / 1e-10)
    status(a, b)
    credit_alert(a)
    manager_score(a, b, 10)
    dso(a, b, 365)
    ageing_bucket(a)
    ytd([a, b] * 6, 12)
    assert not math.isnan(forecast(ytd([a, b], 2), 0.5) or 0.0)


def test_due_overdue_and_age_are_kept_apart():
    invoice = date(2024, 1, 31)
    due = due_date(invoice, 30)
    assert due == date(2024, 3, 1)  # leap year: 29 February counted
    as_of = date(2024, 4, 15)
    assert overdue_days(due, as_of) == 45
    assert age_days(invoice, as_of) == 75
    assert ageing_bucket(overdue_days(due, as_of)) == "31-60"
    assert overdue_days(due, date(2024, 2, 1)) == 0
    assert ageing_bucket(overdue_days(due, date(2024, 2, 1))) == "未到期"
    assert due_date("2023-12-15", 30) == date(2024, 1, 14)  # over the year boundary
    assert due_date(invoice, None) == invoice
    with pytest.raises(ValueError, match="whole number"):
        due_date(invoice, 1.5)


def test_ageing_buckets_at_every_edge():
    assert AGEING_BUCKETS == ("未到期", "1-30", "31-60", "61-90", "91-180", "181-365", ">365")
    assert len(AGEING_THRESHOLDS) == len(AGEING_BUCKETS)
    edges = {
        -5: 0,
        0: 0,
        1: 1,
        30: 1,
        31: 2,
        60: 2,
        61: 3,
        90: 3,
        91: 4,
        180: 4,
        181: 5,
        365: 5,
        366: 6,
        5000: 6,
    }
    for days, k in edges.items():
        assert ageing_bucket(days) == AGEING_BUCKETS[k]
    # the thresholds are the lower bounds used by the Excel LOOKUP
    for low, label in zip(AGEING_THRESHOLDS, AGEING_BUCKETS, strict=True):
        assert ageing_bucket(low) == label


def test_collection_dso_and_credit():
    assert collection_rate(800, 1000) == 0.8 and collection_rate(1, 0) is None
    assert outstanding(1000, 250.5) == 749.5
    assert dso(250, 1000, 360) == 90.0 and dso(1, 0, 365) is None
    assert credit_usage(90, 100) == 0.9 and credit_usage(90, 0) is None
    assert credit_alert(1.2) == "超限"
    assert credit_alert(1.0) == "预警"
    assert credit_alert(0.85) == "预警"
    assert credit_alert(0.8) == "正常"
    assert credit_alert(0.85, threshold=0.9) == "正常"
    assert credit_alert(None) is None


def test_suggested_credit_limit_9_3_10():
    months = [0, 120_000, 80_000, None, 100_000, 0, 0, 0, 0, 0, 0, 0]
    avg = monthly_average_of_active_months(months)
    assert avg == 100_000.0
    assert suggested_credit_limit(avg, 60, "AAA") == 300_000.0
    assert suggested_credit_limit(avg, 45, "AA") == 150_000.0
    assert suggested_credit_limit(avg, 30, "A") == 80_000.0
    assert suggested_credit_limit(avg, 30, "b") == 60_000.0
    assert suggested_credit_limit(avg, 30, "C") == 0.0
    assert suggested_credit_limit(1000.01, 10, "AA") == 333.34  # 333.336… rounded half up
    assert monthly_average_of_active_months([]) == 0.0
    with pytest.raises(ValueError, match="AAA, AA, A, B, C"):
        suggested_credit_limit(avg, 30, "D")
