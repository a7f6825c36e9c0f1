"""Scores, grades, ABC, manager scores, and the visit schedule."""

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.planning import (
    FIVE_C_WEIGHTS,
    KEY_ACCOUNT_CRITERIA,
    abc_classes,
    credit_grade,
    credit_score_5c,
    is_workday,
    key_account_grade,
    key_account_score,
    manager_score,
    monthly_hours,
    planned_visits,
    schedule_visits,
    visit_compliance,
    visit_requirement,
    workdays,
)


def test_5c_score_and_grade():
    assert list(FIVE_C_WEIGHTS.items()) == [
        ("品质", 30),
        ("能力", 25),
        ("资本", 20),
        ("条件", 15),
        ("抵押", 10),
    ]
    assert credit_score_5c("AAAAA") == 100.0
    assert credit_score_5c("DDDDD") == 40.0
    assert (
        credit_score_5c({"品质": "A", "能力": "B", "资本": "B", "条件": "C", "抵押": "D"}) == 79.0
    )
    assert credit_score_5c({"品质": "A"}) == 30.0  # blanks score 0
    assert [credit_grade(s) for s in (100, 90, 89.99, 80, 70, 60, 59.9, None)] == [
        "AAA",
        "AAA",
        "AA",
        "AA",
        "A",
        "B",
        "C",
        None,
    ]
    with pytest.raises(ValueError, match="A, B, C or D"):
        credit_score_5c("AAAAE")
    with pytest.raises(ValueError, match="unknown 5C item"):
        credit_score_5c({"品行": "A"})


def test_key_account_9_3_27():
    assert list(KEY_ACCOUNT_CRITERIA) == [
        "年销售额",
        "增长率",
        "毛利",
        "回款及时率",
        "信用",
        "合作年限",
        "战略价值",
    ]
    assert sum(KEY_ACCOUNT_CRITERIA.values()) == 100
    assert key_account_score([100] * 7) == 100.0
    assert key_account_score([90, 80, 70, 100, 80, 60, 90]) == 85.0
    assert key_account_score([50, 100], weights={"a": 1, "b": 3}) == 87.5
    assert key_account_grade(85.0) == "A"
    assert (
        key_account_grade(70) == "B"
        and key_account_grade(60) == "C"
        and key_account_grade(59) == "D"
    )
    assert key_account_grade(95, months_of_trade=2) is None
    assert key_account_grade(95, months_of_trade=3) == "A"
    with pytest.raises(ValueError, match="0–100"):
        key_account_score([101] + [0] * 6)


def test_abc_classes():
    assert abc_classes([10, 50, 30, 5, 5]) == ["B", "A", "A", "B", "C"]
    assert abc_classes([1, 1, 1, 1, 1]) == ["A", "A", "A", "A", "C"]  # ties keep input order
    assert abc_classes([0, 0]) == ["C", "C"]
    assert abc_classes([]) == []
    assert abc_classes([None, 10]) == ["C", "C"]  # one customer = 100 % > 95 %
    with pytest.raises(ValueError, match="≥ 0"):
        abc_classes([1, -1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10**6), max_size=30))
def test_abc_classes_follow_rank(values):
    classes = abc_classes(values)
    rank = sorted(range(len(values)), key=lambda i: -values[i])
    ordered = [classes[i] for i in rank]
    assert ordered == sorted(ordered)  # A…A B…B C…C down the ranking


def test_manager_score_9_3_32():
    assert manager_score(90, 100, 30) == 27.0
    assert manager_score(200, 100, 30) == 36.0  # capped at 120 %
    assert manager_score(50, 0, 30) == 0.0
    assert manager_score(None, 100, 30) == 0.0
    assert (
        visit_requirement("A") == 4 and visit_requirement("B") == 2 and visit_requirement("C") == 1
    )


# --------------------------------------------------------------------------- visits


def stores(n_reps=2, per_rep=30):
    grades = "AAAAABBBBBBBBBBCCCCCCCCCCCCCCC"
    return [
        (f"R{r}-C{k:02d}", f"R{r}", grades[k % len(grades)])
        for r in range(n_reps)
        for k in range(per_rep)
    ]


def test_schedule_counts_workdays_and_capacity():
    customers = stores()
    plan = schedule_visits(customers, 2024, 10)
    days = set(workdays(2024, 10))
    assert all(v.date in days and is_workday(v.date) for v in plan)
    per_day = Counter((v.rep_id, v.date) for v in plan)
    assert max(per_day.values()) <= 6
    per_customer = Counter(v.customer_id for v in plan)
    for cid, _rep, grade in customers:
        assert per_customer[cid] == planned_visits(grade, 2024, 10)
    a_customer = customers[0][0]
    weeks = [v.date.isocalendar()[1] for v in plan if v.customer_id == a_customer]
    assert len(weeks) == len(set(weeks))  # one visit per week
    hours = monthly_hours(plan)
    assert hours["R0"] == 1.5 * sum(1 for v in plan if v.rep_id == "R0")
    assert schedule_visits(customers, 2024, 10) == plan  # deterministic


def test_schedule_spreads_evenly():
    plan = schedule_visits(stores(1, 30), 2026, 3)
    per_day = Counter(v.date for v in plan)
    assert max(per_day.values()) - min(per_day.values()) <= 2
    assert len(per_day) == len(workdays(2026, 3))


def test_schedule_spills_and_refuses_overfull_month():
    # 23 workdays in 2024-07 x 1 a day; 23 monthly visits fit exactly
    customers = [(f"C{k}", "R1", "C") for k in range(len(workdays(2024, 7)))]
    plan = schedule_visits(customers, 2024, 7, max_visits_per_day=1)
    assert sorted(v.date for v in plan) == workdays(2024, 7)
    with pytest.raises(ValueError, match="rep R1"):
        schedule_visits(customers + [("X", "R1", "C")], 2024, 7, max_visits_per_day=1)


def test_schedule_cadence_and_errors():
    plan = schedule_visits([("C1", "R1", "X")], 2027, 1, cadence={"X": 3}, hours_per_visit=2)
    assert len(plan) == 3 and monthly_hours(plan) == {"R1": 6.0}
    assert all(d.date.weekday() < 5 for d in plan)  # 2027: Mon–Fri fallback
    with pytest.raises(ValueError, match="customer C1: grade 'Z'"):
        schedule_visits([("C1", "R1", "Z")], 2024, 1)
    with pytest.raises(ValueError, match="max_visits_per_day"):
        schedule_visits([("C1", "R1", "A")], 2024, 1, max_visits_per_day=0)
    assert visit_compliance(3, 4) == 0.75 and visit_compliance(3, 0) is None
    assert schedule_visits([{"customer_id": "C9", "rep_id": "R", "grade": "c"}], 2024, 2)[
        0
    ].date >= date(2024, 2, 1)
