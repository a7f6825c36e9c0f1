"""The customer-management list sheets 9.3.5 – 9.3.29: a small kit built from the demo
company, read back from the .xlsx (python-calamine), checked against the data and the
planning functions; and recalculated by LibreOffice (every formula equals its cache)."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import math
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_kit, make_context
from salesplan_xl.planning.contacts import (
    contact_due,
    next_workday_in_year,
    workday_flag,
)
from salesplan_xl.planning.key_accounts import grade_change
from salesplan_xl.planning.ratings import KEY_ACCOUNT_CRITERIA, abc_classes
from salesplan_xl.planning.visits import monthly_hours, planned_visits
from salesplan_xl.planning.workdays import is_workday, time_progress
from salesplan_xl.sheets.spec import TEMPLATE_DIR, load_spec

MINE = [
    "305_customer_counts",
    "306_customer_register",
    "309_new_customers",
    "312_customer_orders",
    "314_customer_annual_sales",
    "315_plan_execution",
    "316_credit_balance",
    "317_customer_performance",
    "320_development_plan",
    "321_visit_plan",
    "322_visit_records",
    "323_contact_plan",
    "324_key_accounts",
    "325_region_analysis",
    "326_customer_survey",
    "327_key_account_rating",
    "329_key_account_service",
]
HEADER = 2  # 0-based header row of every list sheet
YEAR = 2026


@pytest.fixture(scope="module")
def plan():
    return demo_plan(YEAR)


@pytest.fixture(scope="module")
def data(plan):
    return demo_dataset(customers=120, year=YEAR, as_of=plan.as_of)


@pytest.fixture(scope="module")
def ctx(plan, data):
    return make_context(plan, data)


@pytest.fixture(scope="module")
def kit(plan, data, tmp_path_factory) -> Path:
    specs = tuple(
        load_spec(TEMPLATE_DIR / f"{n}.yaml") for n in ["000_index", "010_settings", *MINE]
    )
    return build_kit(plan, data, tmp_path_factory.mktemp("crm"), specs=specs)


@pytest.fixture(scope="module")
def book(kit):
    wb = CalamineWorkbook.from_path(str(kit))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


def grid(book, number: str) -> list[list]:
    (name,) = [n for n in book if n.split(" ")[0] == number]
    return book[name]


def table(book, number: str) -> tuple[list[dict], list[dict], dict]:
    """(data rows, subtotal rows, total row) as dicts keyed by header text."""
    g = grid(book, number)
    heads = [str(h) for h in g[HEADER]]
    rows, subtotals, total = [], [], {}
    for raw in g[HEADER + 1 :]:
        row = dict(zip(heads, raw, strict=False))
        first = str(raw[0]) if raw else ""
        if first in ("合计", "Total"):
            total = row
            break
        if first.startswith(("制表", "Prepared")):
            break
        if first.endswith(("小计", "subtotal")):
            subtotals.append(row)
        elif any(v not in ("", None) for v in raw):
            rows.append(row)
    return rows, subtotals, total


def close(a, b) -> bool:
    return math.isclose(float(a or 0), float(b or 0), rel_tol=1e-9, abs_tol=1e-6)


# --- planning functions -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contacts", "customer_lists", "key_accounts"])
def test_docstring_examples(name):
    module = importlib.import_module(f"salesplan_xl.planning.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_next_workday_follows_the_statutory_calendar_and_its_edges():
    assert next_workday_in_year(dt.date(2026, 10, 1), 2026) == dt.date(2026, 10, 8)  # 国庆
    assert next_workday_in_year(dt.date(2026, 9, 30), 2026) == dt.date(2026, 9, 30)
    assert next_workday_in_year(dt.date(2026, 10, 10), 2026) == dt.date(2026, 10, 10)  # 调休
    assert next_workday_in_year(dt.date(2026, 10, 11), 2026) == dt.date(2026, 10, 12)
    # outside the plan year (not in the 日历 sheet): Monday to Friday, like WORKDAY()
    assert next_workday_in_year(dt.date(2026, 12, 31), 2025) == dt.date(2026, 12, 31)
    assert next_workday_in_year(dt.date(2025, 12, 27), 2026) == dt.date(2025, 12, 29)
    assert next_workday_in_year(None, 2026) is None
    assert workday_flag(dt.date(2027, 1, 4), 2026) == "是"  # beyond the 日历: Mon-Fri
    assert workday_flag(dt.date(2027, 1, 2), 2026) == "否"
    for day in (dt.date(2026, 1, 1) + dt.timedelta(k) for k in range(0, 365, 3)):
        nxt = next_workday_in_year(day, 2026)
        assert nxt >= day and is_workday(nxt)
        assert all(not is_workday(day + dt.timedelta(k)) for k in range((nxt - day).days))


def test_contact_due_steps():
    last = dt.date(2026, 1, 31)
    assert contact_due(last, "每周") == dt.date(2026, 2, 7)
    assert contact_due(last, "每两周") == dt.date(2026, 2, 14)
    assert contact_due(last, "每月") == dt.date(2026, 2, 28)
    assert contact_due(last, "每季") == dt.date(2026, 4, 30)
    assert contact_due(last, "") is None


def test_grade_change_words():
    assert [grade_change(c, p) for c, p in [("A", "A"), ("C", "B"), ("B", "D"), ("", "A")]] == [
        "持平",
        "降级",
        "升级",
        None,
    ]


# --- sheets -------------------------------------------------------------------------------


def test_every_list_sheet_is_in_the_kit_in_form_order(book):
    numbers = [n.split(" ")[0] for n in book if n.startswith("9.3.")]
    # 9.3.14 reads the actuals from their home, 9.3.2, which the kit brings along.
    homes = ["302_customer_monthly"]
    expected = [load_spec(TEMPLATE_DIR / f"{n}.yaml").number for n in sorted(MINE + homes)]
    assert numbers == expected


def test_9_3_5_closing_is_opening_plus_new_minus_lost_plus_moves(book, ctx):
    rows, _, total = table(book, "9.3.5")
    assert len(rows) == len(ctx.data.regions())
    for r in rows:
        closing = r["期初客户数"] + r["新增"] - r["流失"] + r["转入"] - r["转出"]
        assert r["期末客户数"] == closing
        assert r["净增"] == closing - r["期初客户数"]
        if r["期初客户数"]:
            assert close(r["增长率"], closing / r["期初客户数"] - 1)
    c = ctx.data.customers
    start = dt.datetime(YEAR, 1, 1)
    assert total["期初客户数"] == (c["first_trade_date"] < start).sum()
    assert (
        total["新增"]
        == ((c["first_trade_date"] >= start) & (c["first_trade_date"] <= str(ctx.plan.as_of))).sum()
    )
    assert total["期末客户数"] == sum(r["期末客户数"] for r in rows)


def test_9_3_6_register_lists_every_customer_with_dropdowns(book, kit, ctx):
    rows, _, _ = table(book, "9.3.6")
    assert [r["客户编号"] for r in rows] == sorted(ctx.data.customers["customer_id"])
    ws = openpyxl.load_workbook(kit)[[n for n in book if n.startswith("9.3.6 ")][0]]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert {"dict_region", "dict_ownership", "dict_customer_type", "dict_credit"} <= lists


def test_9_3_9_monthly_and_quarterly_counts_against_goals(book):
    rows, _, _ = table(book, "9.3.9")
    assert rows, "the demo company has new customers this year"
    for r in rows:
        d = r["首单日期"]
        assert d.year == YEAR and r["首单月份"] == d.month and r["季度"] == (d.month + 2) // 3
        same_month = sum(1 for x in rows if x["首单月份"] == r["首单月份"])
        same_quarter = sum(1 for x in rows if x["季度"] == r["季度"])
        assert r["当月新增"] == same_month and r["当季新增"] == same_quarter
        assert r["当月达标"] == ("达标" if same_month >= r["月目标"] == 5 else "未达标")
        assert r["当季达标"] == ("达标" if same_quarter >= r["季目标"] == 10 else "未达标")


def test_9_3_12_amount_is_quantity_times_price(book, ctx):
    rows, _, total = table(book, "9.3.12")
    s = ctx.data.sales
    m = ctx.plan.as_of.month  # the as-of month and the two before it
    assert (
        len(rows) == ((s["year"] == YEAR) & (s["month_num"] <= m) & (s["month_num"] > m - 3)).sum()
    )
    for r in rows:
        assert close(r["金额"], r["数量"] * r["单价"])
        assert close(abs(r["金额"] - r["数量"] * r["单价"]), 0)
        assert r["未发数量"] == r["数量"] - r["已发数量"]
        assert r["状态"] in ("完成", "已审")
    assert close(total["金额"], sum(r["金额"] for r in rows))


def test_9_3_14_quarters_and_growth(book):
    rows, subtotals, total = table(book, "9.3.14")
    for r in rows:
        months = [r[f"{m}月"] or 0 for m in range(1, 13)]
        assert close(r["Q3"], sum(months[6:9]))
        assert close(r["今年合计"], sum(months))
        if r["上年同期"]:
            assert close(r["同比"], r["今年合计"] / r["上年同期"] - 1)
    assert close(sum(s["今年合计"] for s in subtotals), total["今年合计"])


def test_9_3_15_status_against_plan_to_date(book, ctx):
    rows, subtotals, _ = table(book, "9.3.15")
    progress = time_progress(ctx.plan.as_of, YEAR)
    assert subtotals
    for r in rows:
        assert close(r["时间进度"], progress)
        rate = r["累计实际"] / r["年度计划"] if r["年度计划"] else None
        if rate is None:
            assert r["状态"] == ""
            continue
        assert close(r["全年完成率"], rate)
        assert close(r["全年预测"], r["累计实际"] / progress)
        # One rule everywhere: the actual to date against the plan to date.
        ahead = r["累计实际"] >= r["累计计划"]
        assert r["状态"] == ("完成" if rate >= 1 else "正常" if ahead else "落后")


def test_9_3_16_closing_balance_usage_and_alerts(book, ctx):
    rows, _, total = table(book, "9.3.16")
    warn = ctx.plan.thresholds.credit_usage_warning
    inv = ctx.data.invoices
    for r in rows:
        closing = r["期初余额"] + r["本期赊销"] - r["本期回款"]
        assert close(r["期末余额"], closing)
        assert close(r["可用额度"], r["信用额度"] - closing)
        if r["信用额度"]:
            usage = closing / r["信用额度"]
            assert close(r["额度使用率"], usage)
            assert r["预警"] == ("超限" if usage > 1 else "预警" if usage > warn else "正常")
        else:  # no credit granted: owing anything is over the limit
            assert r["预警"] == ("超限" if closing > 0 else "")
        mine = inv[inv["customer_id"] == r["客户编号"]]
        assert close(closing, (mine["amount"] - mine["paid"]).sum())
        if r["最早未收到期日"]:
            assert r["最长逾期天数"] == max(0, (ctx.plan.as_of - r["最早未收到期日"]).days)
        else:
            assert r["最长逾期天数"] == 0
    assert close(total["期末余额"], (inv["amount"] - inv["paid"]).sum())


def test_9_3_17_performance_ratios_and_contribution_classes(book):
    rows, _, _ = table(book, "9.3.17")
    for r in rows:
        if r["销售额"]:
            assert close(r["毛利率"], r["毛利"] / r["销售额"])
        assert close(r["贡献(毛利−费用)"], r["毛利"] - (r["客户费用"] or 0))
    expected = abc_classes([max(0.0, r["贡献(毛利−费用)"]) for r in rows])
    assert [r["贡献等级"] for r in rows] == expected


def test_9_3_20_development_plan_dates_are_workdays(book, ctx):
    rows, _, _ = table(book, "9.3.20")
    assert any(r["进度"] == "已成交" for r in rows)
    for r in rows:
        if r["进度"] == "未开始":
            assert r["计划接触日"] > ctx.plan.as_of and is_workday(r["计划接触日"])
            assert is_workday(r["预计成交日"])
        assert r["预计周期(天)"] == (r["预计成交日"] - r["计划接触日"]).days


def test_9_3_21_visits_on_workdays_and_monthly_hours(book, ctx):
    from salesplan_xl.sheets.crm_sources import visit_month, visit_plan_frame

    rows, subtotals, total = table(book, "9.3.21")
    year, month = visit_month(ctx)
    assert (year, month) == (YEAR, ctx.plan.as_of.month + 1)
    for r in rows:
        assert (r["计划日期"].year, r["计划日期"].month) == (year, month)
        assert is_workday(r["计划日期"]) and r["工作日"] == "是"
    per_rep: dict[str, list[dict]] = {}
    for r in rows:
        per_rep.setdefault(r["业务员"], []).append(r)
    assert len({r["客户编号"] for r in rows}) <= 30 * len(per_rep)
    assert all(
        len({r["客户编号"] for r in v}) <= ctx.plan.visits.stores_per_rep for v in per_rep.values()
    )
    _, schedule = visit_plan_frame(ctx)
    hours = monthly_hours(schedule)
    norm = ctx.plan.visits.monthly_hours_norm
    assert len(subtotals) == len(per_rep) == len(hours)
    for sub, (rep, visits) in zip(subtotals, per_rep.items(), strict=True):
        rep_id = rep.split(" ")[0]
        assert sub["业务员"].startswith(rep)
        assert close(sub["停留时长(h)"], hours[rep_id])
        assert close(sub["停留时长(h)"], sum(v["停留时长(h)"] for v in visits))
        assert all(close(v["月工时/标准"], hours[rep_id] / norm) for v in visits)
    assert close(total["停留时长(h)"], sum(hours.values()))
    # cadence: an A customer is visited once in every week with workdays, C once
    grades = {r["客户编号"]: r["等级"] for r in rows}
    counts = {c: sum(1 for r in rows if r["客户编号"] == c) for c in grades}
    assert {counts[c] for c in grades if grades[c] == "C"} == {1}
    assert {counts[c] for c in grades if grades[c] == "B"} == {2}
    assert min(counts[c] for c in grades if grades[c] == "A") >= 4


def test_9_3_22_visit_counts_and_rate(book, ctx):
    rows, _, _ = table(book, "9.3.22")
    v = ctx.data.visits
    as_of = ctx.plan.as_of  # the visits of the as-of month
    assert (
        len(rows)
        == ((v["date"] <= str(as_of)) & (v["date"] >= str(as_of.replace(day=1)))).sum()
        > 0
    )
    assert all(r["日期"] >= as_of.replace(day=1) for r in rows)
    planned = {"A": planned_visits("A", YEAR, as_of.month), "B": 2, "C": 1}
    grades = dict(zip(ctx.data.customers["customer_id"], ctx.data.customers["grade"], strict=True))
    assert all(r["应访次数"] == planned[grades[r["客户编号"]]] for r in rows)
    count: dict[str, int] = {}
    for r in rows:
        count[r["客户编号"]] = count.get(r["客户编号"], 0) + 1
    for r in rows:
        assert r["本客户已访次数"] == count[r["客户编号"]]
        assert close(r["拜访达成率"], count[r["客户编号"]] / r["应访次数"])


def test_9_3_23_next_contact_is_the_next_workday_after_the_frequency(book, ctx):
    rows, _, _ = table(book, "9.3.23")
    assert len(rows) == len(ctx.data.customers)
    for r in rows:
        if not r["上次联络日"]:
            assert r["下次联络日"] == "" and r["状态"] == ""
            continue
        due = contact_due(r["上次联络日"], r["频率"])
        assert r["应联络日"] == due
        assert r["下次联络日"] == next_workday_in_year(due, YEAR)
        assert workday_flag(r["下次联络日"], YEAR) == "是" or r["下次联络日"].year != YEAR
        late = max(0, (ctx.plan.as_of - r["下次联络日"]).days)
        assert r["逾期天数"] == late
        assert r["状态"] == ("逾期" if late > 0 else "按计划")


def test_9_3_24_abc_classes_match_the_planning_function(book, plan):
    from salesplan_xl.planning.visits import planned_visits

    cadence = plan.visits.cadence
    rows, _, total = table(book, "9.3.24")
    sales = [r["年销售额(上年)"] for r in rows]
    assert sales == sorted(sales, reverse=True)
    assert [r["ABC分类"] for r in rows] == abc_classes(sales)
    running = 0.0
    for r in rows:
        running += r["年销售额(上年)"]
        assert close(r["累计占比"], running / total["年销售额(上年)"])
        # One cadence per grade: the visits 9.3.21 plans month by month, summed to date.
        grade = r["客户等级"] if r["客户等级"] in ("A", "B", "C") else "C"
        expected = sum(planned_visits(grade, YEAR, m, cadence) for m in range(1, 10))
        assert r["要求拜访次数"] == expected
        assert r["达标"] == ("达标" if r["实际拜访次数"] >= r["要求拜访次数"] else "未达标")


def test_9_3_25_regions_add_up(book, ctx):
    rows, _, total = table(book, "9.3.25")
    counts, _, counts_total = table(book, "9.3.5")
    assert total["客户数"] == len(ctx.data.customers)
    assert total["新增"] == counts_total["新增"] and total["流失"] == counts_total["流失"]
    assert [r["区域"] for r in rows] == [r["区域"] for r in counts]
    assert close(sum(r["占比"] for r in rows), 1)
    for r in rows:
        assert close(r["户均销售额"], r["销售额"] / r["客户数"])


def test_9_3_26_survey_scores_are_validated_1_to_5(book, kit, ctx):
    rows, _, _ = table(book, "9.3.26")
    assert len(rows) == len(ctx.data.customers)
    ws = openpyxl.load_workbook(kit)[[n for n in book if n.startswith("9.3.26 ")][0]]
    whole = [dv for dv in ws.data_validations.dataValidation if dv.type == "whole"]
    assert whole and {(dv.formula1, dv.formula2) for dv in whole} == {("1", "5")}


def test_9_3_27_scores_use_the_plan_weights_and_grades_follow_thresholds(book, ctx):
    g = grid(book, "9.3.27")
    weights = ctx.plan.scoring.key_account
    for name in KEY_ACCOUNT_CRITERIA:
        assert f"{name}({weights[name]:g})" in g[HEADER]
    rows, _, _ = table(book, "9.3.27")
    assert rows
    score_cols = [f"{n}({weights[n]:g})" for n in KEY_ACCOUNT_CRITERIA]
    w = [weights[n] for n in KEY_ACCOUNT_CRITERIA]
    changes = set()
    for r in rows:
        score = sum(r[c] * x for c, x in zip(score_cols, w, strict=True)) / sum(w)
        assert close(r["总分"], score)
        if r["合作月数"] < 3:
            assert r["等级"] == "未评级"
        else:
            expected = "A" if score >= 85 else "B" if score >= 70 else "C" if score >= 60 else "D"
            assert r["等级"] == expected
        assert r["变动"] == (grade_change(r["等级"], r["上期等级"]) or "")
        changes.add(r["变动"])
    assert changes & {"降级", "升级", "持平"}


def test_9_3_27_weights_are_named_settings(book):
    settings = [row for row in book["参数"] if str(row[0]).startswith("大客户评分权重")]
    assert len(settings) == 7 and sum(row[1] for row in settings) == 100


def test_9_3_29_service_log_is_for_key_accounts(book, ctx):
    from salesplan_xl.sheets.crm_sources import key_account_ids

    rows, _, _ = table(book, "9.3.29")
    keys = set(key_account_ids(ctx))
    assert rows and {r["客户编号"] for r in rows} <= keys
    assert {r["服务类型"] for r in rows} <= {"技术支持", "培训", "投诉处理", "回访", "对账", "其他"}


# --- LibreOffice ---------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_libreoffice_recalculates_every_formula_to_its_cached_value(kit, tmp_path_factory):
    from conftest import need_libreoffice
    from recalc import compare

    from salesplan_xl.libreoffice import recalculate

    need_libreoffice()
    fresh = recalculate(kit, tmp_path_factory.mktemp("crm_lo"))
    n, problems = compare(kit, fresh)
    assert n > 5000
    assert problems == [], "\n".join(problems[:30])
