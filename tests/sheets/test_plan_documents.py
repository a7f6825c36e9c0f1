"""P2, P6, P7, P8 as the source documents lay them out, with the kit's numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from forms_helpers import field, grids, sheet_of
from python_calamine import CalamineWorkbook

from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_kit
from salesplan_xl.sheets.spec import load_specs

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

IDS = ("P1", "P2", "P6", "P7", "P8", "P9")


def _specs(ids=IDS):
    return tuple(s for s in load_specs() if s.id in ids)


@pytest.fixture(scope="module")
def demo():
    plan = demo_plan()
    return plan, demo_dataset(customers=60, as_of=plan.as_of)


@pytest.fixture(scope="module")
def sheets(demo, tmp_path_factory):
    plan, data = demo
    return grids(build_kit(plan, data, tmp_path_factory.mktemp("docs"), specs=_specs()))


def _rows(grid):
    """The non-empty rows, each padded to 10 cells (positions kept)."""
    return [list(row) + [""] * 10 for row in grid if any(v not in ("", None) for v in row)]


def test_p2_quarter_goals_state_the_growth_their_targets_have(sheets, demo):
    plan, data = demo
    s = data.sales
    last = s[s["year"] == plan.year - 1].groupby("month_num")["amount"].sum()
    g = sheets[sheet_of(sheets, "P2")]
    quarters = [r for r in _rows(g) if str(r[0]).startswith("1.3 季度目标") and r[3] == "季度销售额"]
    assert len(quarters) == 4
    for q, row in enumerate(quarters):
        target = row[4]
        last_q = sum(last.get(m, 0.0) for m in range(3 * q + 1, 3 * q + 4))
        shown = float(re.search(r"同比增长 (-?[\d.]+)%", row[1]).group(1))
        assert shown == pytest.approx((target / last_q - 1) * 100, abs=0.051)
    assert not any("环比增长 5%" in str(v) for r in _rows(g) for v in r)


def test_p2_sections_and_kpi_41_from_the_plan(sheets):
    g = sheets[sheet_of(sheets, "P2")]
    rows = _rows(g)
    firsts = [str(r[0]) for r in rows if r]
    for head in ("一、目标设置", "二、关键结果指标（Key Results）", "三、关键行动计划", "四、关键绩效指标（KPI）"):
        assert head in firsts
    assert sum(1 for f in firsts if f == "2.1") == 3 and sum(1 for f in firsts if f == "2.2") == 3
    assert [sum(1 for f in firsts if f == c) for c in ("3.1", "3.2", "3.3")] == [3, 3, 3]
    kpi = [r for r in rows if r and r[0] == "4.1"]
    goals = [r for r in rows if str(r[0]).startswith("1.3") and r[3] == "季度销售额"]
    assert [r[4] for r in kpi] == [r[4] for r in goals]  # the same quarterly targets
    # quarters with actuals have a completion rate: actual / target
    for r in kpi[:3]:
        assert r[6] == pytest.approx(r[5] / r[4])
    annual = next(r for r in rows if r[0] == "1.2 年度目标" and r[3] == "年度销售额")
    assert annual[4] == pytest.approx(sum(r[4] for r in goals))


def test_p6_hours_check_compares_planned_hours_with_the_norm(demo, tmp_path):
    plan, data = demo
    for hours_per_visit, verdict in ((1.5, "达标"), (0.5, "未达标")):
        p = plan.replace(visits=dataclasses.replace(plan.visits, hours_per_visit=hours_per_visit))
        g = grids(build_kit(p, data, tmp_path / str(hours_per_visit), specs=_specs(("P1", "P6"))))
        g = g[sheet_of(g, "P6")]
        hours, norm = field(g, "每人每月工时"), field(g, "每月拜访工时标准")
        assert (hours >= norm) == (verdict == "达标")
        assert field(g, "工时达到标准") == verdict


def test_p6_carries_the_ten_measures_and_the_marketing_plan(sheets, demo):
    g = sheets[sheet_of(sheets, "P6")]
    text = "\n".join(str(v) for row in g for v in row)
    for mark in "①②③④⑤⑥⑦⑧⑨⑩":
        assert re.search(mark + " ", text), mark
    for head in ("部门", "工作", "措施", "负责人", "时间"):
        assert head in text
    assert "利润目标（毛利）" in text and "新产品销售额目标" in text
    _, data = demo
    for region in data.regions():  # 新产品协作促进机构 by region
        assert region in text


def test_p7_months_and_targets(sheets, demo):
    g = sheets[sheet_of(sheets, "P7")]
    rows = _rows(g)
    months = [r for r in rows if re.fullmatch(r"\d{1,2}月", str(r[0]))]
    assert [r[0] for r in months] == [f"{m}月" for m in range(1, 13)]
    assert all(str(r[1]).count("\n") == 2 for r in months)  # three items a month
    total = next(r for r in rows if r[0] == "全年合计")
    assert total[6] == pytest.approx(sum(r[6] for r in months))


def test_p8_numbered_tasks_due_by_quarter_not_yet_due_not_late(sheets, demo):
    plan, _ = demo
    g = sheets[sheet_of(sheets, "P8")]
    head = next(i for i, r in enumerate(g) if r and r[0] == "序号")
    body = [r for r in g[head + 1 :] if r and r[2]]
    assert [r[0] for r in body] == list(range(1, 26))
    for r in body:
        due = r[4].date() if isinstance(r[4], dt.datetime) else r[4]
        status, days = r[6], r[7]
        if due >= plan.as_of:
            assert (status, days) == ("未到期", 0)
        else:
            assert status == "逾期" and days == (plan.as_of - due).days


@pytest.mark.slow
@pytest.mark.libreoffice
def test_p8_status_formulas_equal_their_python_twins_in_libreoffice(demo, tmp_path, monkeypatch):
    """Typed completion dates (early, late, none; due and not yet due): LibreOffice
    recalculates 完成情况 and 逾期天数 to the values Python cached."""
    from conftest import need_libreoffice
    from recalc import compare

    from salesplan_xl.libreoffice import recalculate
    from salesplan_xl.sheets import sources

    need_libreoffice()
    plan, data = demo
    original = sources.SOURCES["tasks"]
    done = {1: dt.date(2026, 3, 15), 2: dt.date(2026, 4, 20), 15: dt.date(2026, 9, 1)}

    def with_dates(ctx, spec):
        rows = original(ctx, spec)
        for r in rows:
            r["done_date"] = done.get(r["no"])
        rows.append(dict(no=26, task="无计划日期的任务"))
        return rows

    monkeypatch.setitem(sources.SOURCES, "tasks", with_dates)
    kit = build_kit(plan, data, tmp_path / "kit", specs=_specs(("P1", "P8")))
    n, problems = compare(kit, recalculate(kit, tmp_path / "lo"))
    assert n > 50 and problems == [], "\n".join(problems[:20])
    wb = CalamineWorkbook.from_path(str(kit))
    g = wb.get_sheet_by_name(sheet_of(wb.sheet_names, "P8")).to_python()
    status = {r[0]: (r[6], r[7]) for r in g if isinstance(r[0], int | float) and r[0]}
    assert status[1] == ("已完成", 0)
    assert status[2] == ("逾期完成", 20)
    assert status[3][0] == "逾期"
    assert status[15] == ("已完成", 0)
    assert status[25] == ("未到期", 0)
    assert status[26] == ("", 0)


@pytest.fixture(scope="module")
def task_sheets(demo, tmp_path_factory):
    plan, data = demo
    specs = _specs(("P1", "P11", "P12"))
    return grids(build_kit(plan, data, tmp_path_factory.mktemp("p11"), specs=specs))


def test_p11_sections_targets_budget_and_every_rep(task_sheets, demo):
    plan, data = demo
    g = task_sheets[sheet_of(task_sheets, "P11")]
    text = "\n".join(str(v) for row in g for v in row)
    for head in ("二、市场分析", "2.1 市场背景", "2.2 竞争分析", "2.3 目标客户群体", "4.1 定位策略",
                 "4.2 产品策略", "4.3 定价策略", "4.4 渠道策略", "5.1 销售流程", "5.2 销售活动",
                 "5.3 销售预算", "6.1 销售渠道管理", "6.2 销售团队建设", "七、总结"):  # fmt: skip
        assert head in text, head
    quarters = [r for r in _rows(g) if r[0] in ("第一季度", "第二季度", "第三季度", "第四季度")]
    assert len(quarters) == 4
    assert field(g, "年度销售目标") == pytest.approx(sum(r[2] for r in quarters))
    reps = [r for r in _rows(g) if re.search(r"（R\d+）$", str(r[0]))]
    assert len(reps) == len(data.reps)  # every rep, not only the key-account manager
    assert sum(r[3] for r in reps) == pytest.approx(field(g, "年度销售目标"))
    for r in reps:
        assert r[7] == pytest.approx(r[5] / r[3])


def test_p12_targets_strategy_and_team_plans(task_sheets, demo):
    _, data = demo
    g = task_sheets[sheet_of(task_sheets, "P12")]
    rows = _rows(g)
    sales = next(r for r in rows if r[0] == "销售额（元）")
    assert sales[2] == pytest.approx(sales[4] + sales[5] + sales[6] + sales[7])
    sat = next(r for r in rows if r[0] == "客户满意度（%）")
    assert [sat[4], sat[5], sat[6], sat[7]] == [85, 87, 89, 90]
    text = "\n".join(str(v) for row in g for v in row)
    for item in ("人员招聘计划", "人员培训计划", "激励机制", "人员绩效考核", "市场份额（%）"):
        assert item in text
    staff = [r for r in rows if r[0] in set(data.reps["department"])]
    assert sum(r[2] for r in staff) == len(data.reps)


def test_p13_products_add_up_to_the_customer_plan_month_by_month(demo, tmp_path):
    from salesplan_xl.kit import make_context
    from salesplan_xl.sheets.plan_sources import customer_plan

    plan, data = demo
    g = grids(build_kit(plan, data, tmp_path, specs=_specs(("P1", "P13"))))
    g = g[sheet_of(g, "P13")]
    head = next(i for i, r in enumerate(g) if r and r[0] == "产品编号")
    cols = {h: j for j, h in enumerate(g[head]) if h}
    body = [r for r in g[head + 1 :] if r and str(r[0]).startswith("P")]
    assert len(body) == len(data.products)
    customers = customer_plan(make_context(plan, data))
    for m in range(1, 13):
        by_products = sum(r[cols[f"{m}月"]] for r in body)
        assert by_products == pytest.approx(customers[f"plan_m{m}"].sum(), abs=0.005), m
    for r in body:
        assert r[cols["第一季度"]] == pytest.approx(sum(r[cols[f"{m}月"]] for m in (1, 2, 3)))
    new = set(data.products.loc[data.products["is_new"], "product_id"])
    assert {r[0] for r in body if "新产品" in r[cols["类别"]]} == new


def test_p13_without_products_says_how_to_add_them(demo, tmp_path):
    plan, data = demo
    bare = dataclasses.replace(data, products=data.products.iloc[0:0])
    g = grids(build_kit(plan, bare, tmp_path, specs=_specs(("P1", "P13"))))
    g = g[sheet_of(g, "P13")]
    text = "\n".join(str(v) for row in g for v in row)
    assert "P001" not in text
    assert "本表需要产品数据" in text and "产品编号、品名、单价" in text
