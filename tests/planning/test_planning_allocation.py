"""Seasonality, annual targets and the top-down / bottom-up allocation."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan_xl.planning import (
    PlanRow,
    allocate_plan,
    annual_target,
    customer_target,
    department_growth,
    growth_plan,
    monthly_shares,
    shares_with_fallback,
    split_total,
)


def c(x: float) -> int:
    return int(Decimal(repr(x)) * 100)


# --------------------------------------------------------------------------- seasonality


def test_monthly_shares_sum_years_per_month():
    two_years = [[10] * 12, [0] * 11 + [120]]
    shares = monthly_shares(two_years)
    assert shares[0] == 10 / 240 and shares[11] == 130 / 240
    assert monthly_shares([10] * 12 + [0] * 11 + [120]) == shares  # flat 12·k
    assert abs(sum(shares) - 1) < 1e-12


def test_monthly_shares_no_history_is_even():
    assert monthly_shares(None) == [1 / 12] * 12
    assert monthly_shares([[0] * 12]) == [1 / 12] * 12
    assert monthly_shares([None] * 12) == [1 / 12] * 12


def test_monthly_shares_rejects_bad_history():
    with pytest.raises(ValueError, match="≥ 0"):
        monthly_shares([1] * 11 + [-1])
    with pytest.raises(ValueError, match="12 months per year"):
        monthly_shares([1] * 13)
    with pytest.raises(ValueError, match="year 1 has 11"):
        monthly_shares([[1] * 12, [1] * 11])


def test_customer_without_history_gets_region_shape():
    region = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 50]
    assert shares_with_fallback([0] * 12, region) == monthly_shares(region)
    assert shares_with_fallback(None, None) == [1 / 12] * 12
    assert shares_with_fallback([1] * 12, region) == [1 / 12] * 12


def test_annual_target_rounding():
    assert annual_target(1000.10, 0.05) == 1050.11  # 1050.105 half up
    assert annual_target(123456, 0.1, unit=1000) == 136000.0
    assert annual_target(0.5, 0, unit=1) == 1.0
    assert annual_target(None, None) == 0.0
    with pytest.raises(ValueError, match="finite"):
        annual_target(float("inf"), 0.1)


def test_department_growth_override():
    assert department_growth(0.2, None, "华东") == 0.2
    assert department_growth(0.2, {"华东": float("nan")}, "华东") == 0.2
    assert department_growth("0.2", {"华东": "0.3"}, "华东") == 0.3


# --------------------------------------------------------------------------- top-down

SEASON = [5, 5, 8, 8, 9, 9, 8, 8, 9, 9, 10, 12]


def test_allocate_plan_worked_example():
    rows = [
        ("华东", "R1", "C1", 600_000, "华东"),
        ("华东", "R1", "C2", 300_000, "华东"),
        ("华东", "R2", "C3", 100_000, "华东"),
        ("华南", "R3", "C4", 1_000_000, "华南"),
        ("华南", "R3", "C5", None, "华南"),  # new customer
    ]
    plan = allocate_plan(2_400_000, rows, SEASON, unit=1000, new_customer_floor=50_000)
    assert plan.company_annual == 2_400_000
    # rest 2,350,000 split 1:1 between departments; 华南 adds its new customer's floor
    assert plan.department_annual == {"华东": 1_175_000.0, "华南": 1_225_000.0}
    assert plan.customer("C5").annual == 50_000 and plan.customer("C5").is_new
    assert plan.customer("C4").annual == 1_175_000
    assert (
        plan.rep_annual[("华东", "R1")] == plan.customer("C1").annual + plan.customer("C2").annual
    )
    # department months = split_total of the department annual by the shares
    assert list(plan.department_months["华东"]) == split_total(1_175_000, SEASON, 1000)
    records = plan.to_records()
    assert [r["level"] for r in records][:4] == ["company", "department", "rep", "customer"]
    assert records[0]["m12"] == plan.company_months[11]


def test_allocate_plan_accepts_mappings_objects_and_dataframe():
    import pandas as pd

    rows = [
        {"department": "A", "rep_id": "r", "customer_id": "c1", "last_year": 1},
        PlanRow("A", "r", "c2", 3),
    ]
    p = allocate_plan(400, rows, [1] * 12, unit=1)
    assert [x.annual for x in p.customers] == [100.0, 300.0]
    df = pd.DataFrame([{"department": "A", "rep_id": "r", "customer_id": "c1", "last_year": 1.0}])
    assert allocate_plan(120, df, [1] * 12).customer("c1").months == (10.0,) * 12


def test_allocate_plan_given_weights_replace_last_year():
    rows = [("A", "r", "c1", 100, None, 1), ("A", "r", "c2", 100, None, 3)]
    assert [x.annual for x in allocate_plan(400, rows, [1] * 12).customers] == [100.0, 300.0]


def test_allocate_plan_customer_shapes():
    rows = [("A", "r", "winter", 100), ("A", "r", "summer", 100)]
    winter = [3] * 3 + [1] * 6 + [3] * 3
    summer = [1] * 3 + [3] * 6 + [1] * 3
    p = allocate_plan(
        2400, rows, [1] * 12, customer_month_shares={"winter": winter, "summer": summer}
    )
    assert p.customer("winter").months[0] > p.customer("winter").months[5]
    assert p.customer("summer").months[0] < p.customer("summer").months[5]
    assert p.department_months["A"] == (200.0,) * 12


def test_allocate_plan_errors():
    rows = [("A", "r", "c1", 100), ("A", "r", "c2", 0)]
    with pytest.raises(ValueError, match="multiple of the unit"):
        allocate_plan(1050, rows, [1] * 12, unit=100)
    with pytest.raises(ValueError, match="cannot cover the floor"):
        allocate_plan(100, rows, [1] * 12, new_customer_floor=200)
    with pytest.raises(ValueError, match="appears twice"):
        allocate_plan(100, rows + [("B", "s", "c1", 5)], [1] * 12)
    with pytest.raises(ValueError, match="12 values"):
        allocate_plan(100, rows, [1] * 11)
    with pytest.raises(ValueError, match="no month shares for department A"):
        allocate_plan(100, rows, {"B": [1] * 12})
    with pytest.raises(ValueError, match="≥ 0"):
        allocate_plan(100, [("A", "r", "c1", -5)], [1] * 12)
    with pytest.raises(ValueError, match="customer_id is missing"):
        allocate_plan(100, [("A", "r", None, 5)], [1] * 12)


@st.composite
def trees(draw):
    n = draw(st.integers(1, 40))
    rows = []
    for i in range(n):
        dept = draw(st.sampled_from(["华东", "华南", "华北"]))
        rep = f"{dept}-{draw(st.integers(0, 3))}"
        last = draw(st.one_of(st.none(), st.just(0), st.integers(1, 10**6)))
        rows.append((dept, rep, f"C{i}", last))
    unit = draw(st.sampled_from([1, 100, 1000, 0.01]))
    floor = draw(st.sampled_from([0, 0, 1000, 2500]))
    n_new = sum(1 for r in rows if not r[3])
    floor_units = -(-round(floor * 100) // round(unit * 100))
    minimum = floor_units * n_new
    total_units = draw(st.integers(minimum, minimum + 10**7))
    shares = draw(st.lists(st.integers(0, 100), min_size=12, max_size=12))
    return rows, total_units * unit, shares, unit, floor


@settings(max_examples=60, deadline=None)
@given(trees())
def test_allocation_sums_exact_at_every_level_and_month(problem):
    rows, total, shares, unit, floor = problem
    p = allocate_plan(total, rows, shares, unit=unit, new_customer_floor=floor)
    u = round(unit * 100)
    assert c(p.company_annual) == round(total * 100)
    assert sum(c(m) for m in p.company_months) == c(p.company_annual)
    for cust in p.customers:
        assert sum(c(m) for m in cust.months) == c(cust.annual)
        assert all(c(m) % u == 0 and m >= 0 for m in cust.months)
        if cust.is_new:
            assert cust.annual >= floor
    for month in range(12):
        dept_sum = sum(c(p.department_months[d][month]) for d in p.department_months)
        assert dept_sum == c(p.company_months[month])
        for dept, months in p.department_months.items():
            reps = [k for k in p.rep_months if k[0] == dept]
            assert sum(c(p.rep_months[k][month]) for k in reps) == c(months[month])
        for key, months in p.rep_months.items():
            members = [x for x in p.customers if (x.department, x.rep_id) == key]
            assert sum(c(x.months[month]) for x in members) == c(months[month])
    for dept, annual in p.department_annual.items():
        assert sum(c(v) for k, v in p.rep_annual.items() if k[0] == dept) == c(annual)
        assert sum(c(m) for m in p.department_months[dept]) == c(annual)


# --------------------------------------------------------------------------- bottom-up


def test_customer_target_simple_case():
    annual, months = customer_target(123_456, 0.2, SEASON, unit=100)
    assert annual == 148_100.0  # 148,147.2 rounded to the hundred
    assert months == split_total(148_100, SEASON, 100)
    assert customer_target(None, 0.2, SEASON)[0] == 0.0


def test_growth_plan_sums():
    rows = [("华东", "R1", "C1", 1000), ("华东", "R2", "C2", 2000), ("华南", "R3", "C3", 500)]
    p = growth_plan(rows, 0.1, SEASON, unit=10, overrides={"华南": 0.2})
    assert [x.annual for x in p.customers] == [1100.0, 2200.0, 600.0]
    assert p.company_annual == 3900.0
    assert sum(c(m) for m in p.company_months) == c(3900.0)
    assert p.department_months["华南"] == tuple(split_total(600, SEASON, 10))
    own = growth_plan(rows, 0.1, SEASON, unit=10, customer_month_shares={"C1": [1] + [0] * 11})
    assert own.customer("C1").months[0] == 1100.0
