"""Row sources of the plan sheets (P3–P9): targets, their breakdown and tracking.

The targets come from ``planning.allocation``: the company target (last year × (1 +
growth), rounded to the unit) is split top-down over departments, reps and customers,
and over the months by the plan's split method, every level adding up exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..planning.allocation import allocate_plan, combine_allocations
from ..planning.seasonality import annual_target, monthly_shares
from ..planning.splits import growth_weights, split_total
from .facts import actual_months, customer_facts
from .sources import source

MONTHS = [f"m{m}" for m in range(1, 13)]


def history_years(ctx) -> list[int]:
    year = ctx.plan.year
    return list(range(year - ctx.plan.history_years, year))


def _history(ctx) -> pd.DataFrame:
    """Monthly sales of the history years per customer: columns (year, month)."""

    def make():
        frames = {y: ctx.data.monthly_sales(y) for y in history_years(ctx)}
        return pd.concat(frames, axis=1)

    return ctx.memo("history", make)


def company_month_weights(ctx, history: np.ndarray | None = None) -> list[float]:
    """12 month weights by the plan's split method."""
    t = ctx.plan.targets
    if t.split_method == "even":
        return [1.0] * 12
    if t.split_method == "quarterly_growth":
        return [w for w in growth_weights(4, t.quarterly_growth) for _ in range(3)]
    if t.split_method == "monthly_growth":
        return growth_weights(12, t.monthly_growth)
    h = _history(ctx).to_numpy() if history is None else history
    years = h.reshape(h.shape[0], -1, 12).sum(axis=0) if h.size else np.zeros((1, 12))
    return monthly_shares(years.round(2).tolist())


def company_target(ctx) -> float:
    """The annual target of the kit's scope: for the company, last year's sales ×
    (1 + growth), rounded to the unit; for a scope kit, its part of the company plan."""
    return allocation(ctx).company_annual


def _allocate_company(ctx):
    """The one plan: the company target split top-down over departments, reps,
    customers and months (computed from the whole company's data).

    Without per-department growth the company target is last year × (1 + growth),
    rounded, and split over the departments by last year's sales; with overrides each
    department's target is its own last year × (1 + its growth), rounded, and the
    company target is their sum."""
    t = ctx.plan.targets
    unit = ctx.plan.rounding_unit
    f = customer_facts(ctx)
    h = _history(ctx).to_numpy()
    dept = f["department"].fillna("未分配").to_numpy()
    rep = f["rep_id"].fillna("-").to_numpy()
    rows = list(zip(dept, rep, f["customer_id"], f["last_year"], f["region"], strict=True))
    if t.split_method == "seasonality":
        dept_shares = {d: company_month_weights(ctx, h[dept == d]) for d in dict.fromkeys(dept)}
    else:
        dept_shares = company_month_weights(ctx)

    def split(total, members):
        return allocate_plan(
            total, members, dept_shares, unit=unit, new_customer_floor=t.new_customer_floor
        )

    if not t.departments:
        last = float(f["last_year"].sum().round(2))
        return split(annual_target(last, t.growth, unit), rows)
    parts = []
    for d in dict.fromkeys(dept):
        members = [r for r in rows if r[0] == d]
        last = round(float(sum(r[3] for r in members)), 2)
        parts.append(split(annual_target(last, t.growth_for(d), unit), members))
    return combine_allocations(parts)


def allocation(ctx):
    """The plan as this kit shows it: the company allocation (computed once), filtered to
    the customers in scope. Every customer's and rep's targets are the same in every kit."""

    def make():
        company = ctx.company
        whole = company.memo("company_allocation", lambda: _allocate_company(company))
        if company is ctx:
            return whole
        return whole.restricted(ctx.data.customers["customer_id"].astype(str))

    return ctx.memo("allocation", make)


def customer_plan(ctx) -> pd.DataFrame:
    """customer_id, target, plan_m1..plan_m12 from the allocation."""
    alloc = allocation(ctx)
    data = {
        "customer_id": [c.customer_id for c in alloc.customers],
        "target": [c.annual for c in alloc.customers],
    }
    for m in range(12):
        data[f"plan_m{m + 1}"] = [c.months[m] for c in alloc.customers]
    return pd.DataFrame(data)


def _months(values) -> dict:
    return {f"m{m + 1}": float(v) for m, v in enumerate(values)}


@source("target_breakdown")
def target_breakdown(ctx, spec) -> list[dict]:
    """P3: company, then each department and its reps: annual target and 12 months."""
    alloc = allocation(ctx)
    f = customer_facts(ctx)
    last_by_dept = f.groupby(f["department"].fillna("未分配"))["last_year"].sum().round(2)
    last_by_rep = (
        f.groupby([f["department"].fillna("未分配"), f["rep_id"].fillna("-")])["last_year"]
        .sum()
        .round(2)
    )
    rep_names = ctx.data.reps.set_index("rep_id")["name"].to_dict()
    t = ctx.t
    company = ctx.scope.kind == "company"
    rows = [
        dict(
            level=t("公司", "Company") if company else t("范围", "Scope"),
            name=ctx.plan.company if company else ctx.scope.label(ctx.lang),
            last_year=round(float(f["last_year"].sum()), 2),
            target=alloc.company_annual,
            **_months(alloc.company_months),
        )
    ]
    for dept, annual in alloc.department_annual.items():
        rows.append(
            dict(
                level=t("部门", "Department"),
                name=dept,
                last_year=float(last_by_dept.get(dept, 0.0)),
                target=annual,
                **_months(alloc.department_months[dept]),
            )
        )
        for (d, rep), rep_annual in alloc.rep_annual.items():
            if d != dept:
                continue
            rows.append(
                dict(
                    level=t("业务员", "Rep"),
                    name=f"　{rep_names.get(rep, rep)}（{rep}）",
                    last_year=float(last_by_rep.get((d, rep), 0.0)),
                    target=rep_annual,
                    **_months(alloc.rep_months[(d, rep)]),
                )
            )
    return rows


@source("department_customer_plan")
def department_customer_plan(ctx, spec) -> list[dict]:
    """P4: department → customer, the customer targets of the plan (the same allocation
    as P3, P5, 9.3.15 and the dashboard), largest last year first within a department."""
    alloc = allocation(ctx)
    names = customer_facts(ctx).set_index("customer_id")["name"].to_dict()
    out = [
        dict(
            department=c.department,
            customer_id=c.customer_id,
            name=names.get(c.customer_id, ""),
            last_year=c.last_year,
            target=c.annual,
            **_months(c.months),
        )
        for c in alloc.customers
    ]
    out.sort(key=lambda r: (r["department"], -r["last_year"], r["customer_id"]))
    return out


@source("monthly_goals")
def monthly_goals(ctx, spec) -> list[dict]:
    """P5: per month the sales target and actual, new customers and other goals; grouped
    by quarter for the quarter roll-ups."""
    alloc = allocation(ctx)
    f = customer_facts(ctx)
    n = actual_months(ctx)
    first = pd.to_datetime(f["first_trade_date"])
    new_by_month = first[first.dt.year == ctx.plan.year].dt.month.value_counts()
    best = _bestseller_share(ctx)
    t = ctx.t
    rows = []
    for m in range(1, 13):
        rows.append(
            dict(
                quarter=t(f"第{(m - 1) // 3 + 1}季度", f"Q{(m - 1) // 3 + 1}"),
                month=t(f"{m}月", f"M{m}"),
                month_no=m,
                target=alloc.company_months[m - 1],
                new_target=5,
                new_actual=int(new_by_month.get(m, 0)) if m <= n else None,
                satisfaction_target=0.9,
                bestseller_target=0.6,
                bestseller_actual=best.get(m) if m <= n else None,
            )
        )
    return rows


def _bestseller_share(ctx) -> dict[int, float]:
    """Share of best-selling products in each month's sales (where the data says)."""
    sales, products = ctx.data.sales, ctx.data.products
    if not len(products) or "product" not in sales or sales["product"].isna().all():
        return {}
    best = set(products.loc[products["is_bestseller"], "name"]) | set(
        products.loc[products["is_bestseller"], "product_id"]
    )
    s = sales[sales["year"] == ctx.plan.year]
    total = s.groupby("month_num")["amount"].sum()
    hit = s[s["product"].isin(best)].groupby("month_num")["amount"].sum()
    return {int(m): round(float(hit.get(m, 0.0) / total[m]), 4) for m in total.index if total[m]}


SEED_TASKS = [
    ("1月", "制定年度销售目标并分解到部门、业务员和客户", "销售总监"),
    ("1月", "完成上年度客户销售份额与回款分析", "销售运营"),
    ("1月", "客户分级（A/B/C）与重点客户名单确认", "销售经理"),
    ("1月", "制定年度销售预算与费用标准", "财务经理"),
    ("2月", "春节前后客户走访与节日问候", "业务员"),
    ("2月", "新产品上市计划与培训", "产品经理"),
    ("3月", "第一季度经销商订货会", "渠道经理"),
    ("3月", "应收账款对账与逾期催收", "财务经理"),
    ("第一季度", "新开发客户不少于 10 家", "业务员"),
    ("4月", "客户满意度调查（上半年）", "客服主管"),
    ("4月", "零售商促销活动方案与执行", "市场经理"),
    ("5月", "重点客户年中回访与合作评估", "销售经理"),
    ("6月", "半年度销售目标执行检查与调整", "销售总监"),
    ("6月", "客户信用额度复核", "财务经理"),
    ("第二季度", "新开发客户不少于 10 家", "业务员"),
    ("7月", "下半年市场推广计划", "市场经理"),
    ("8月", "业务员销售技能培训", "人力资源"),
    ("9月", "中秋、国庆节日营销与客户馈赠", "销售经理"),
    ("第三季度", "新开发客户不少于 10 家", "业务员"),
    ("10月", "客户满意度调查（下半年）", "客服主管"),
    ("10月", "大客户评定与下年度合作意向", "销售经理"),
    ("11月", "年度回款冲刺与逾期清理", "财务经理"),
    ("11月", "下年度销售计划编制", "销售运营"),
    ("12月", "年度销售总结与业务员考核", "销售总监"),
    ("12月", "年终客户答谢活动", "市场经理"),
]


@source("tasks")
def tasks(ctx, spec) -> list[dict]:
    """P8: the 25 seed tasks of the year, with planned completion dates."""
    import datetime as dt

    year = ctx.plan.year
    quarter_end = {"第一季度": 3, "第二季度": 6, "第三季度": 9, "第四季度": 12}
    rows = []
    for i, (when, what, who) in enumerate(SEED_TASKS, start=1):
        month = quarter_end.get(when) or int(when.rstrip("月"))
        last_day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        rows.append(dict(no=i, when=when, task=what, owner=who, status="未开始", due=last_day))
    return rows


BUDGET_LINES = [
    ("推广费", "Promotion", 0.02),
    ("差旅费", "Travel", 0.008),
    ("招待费", "Entertainment", 0.005),
    ("馈赠费", "Gifts", 0.002),
    ("人员费用", "Staff", 0.03),
    ("渠道费用", "Channel", 0.01),
]


@source("budget")
def budget(ctx, spec) -> list[dict]:
    """P9: cost lines × months, a default budget as a share of the monthly targets."""
    alloc = allocation(ctx)
    rows = []
    for zh, en, rate in BUDGET_LINES:
        annual = round(alloc.company_annual * rate, -2)
        months = split_total(annual, alloc.company_months, 100) if annual else [0.0] * 12
        rows.append(dict(line=ctx.t(zh, en), rate_basis=rate, **_months(months)))
    return rows


@source("okr")
def okr(ctx, spec) -> list[dict]:
    """P2: objectives and key results — long term, the year, each quarter — with the
    sales KPIs filled from the plan and the actuals."""
    alloc = allocation(ctx)
    f = customer_facts(ctx)
    n = actual_months(ctx)
    t = ctx.t
    g = ctx.plan.targets.growth
    q_growth = ctx.plan.targets.quarterly_growth
    money = {"target": "money0", "actual": "money0"}
    pct = {"target": "percent", "actual": "percent"}
    rows = [
        dict(
            level=t("长期", "Long term"),
            objective=t("成为区域市场领先的供应商", "Lead the regional market"),
            key_result=t("三年销售额翻一番，重点客户占比提升", "Double sales in three years"),
            kpi=t("—", "—"),
        ),
        dict(
            level=t("年度", "Year"),
            objective=t(f"销售额增长 {g:.0%}", f"Grow sales {g:.0%}"),
            key_result=t("年度销售额达到目标", "Reach the annual sales target"),
            kpi=t("销售额", "Sales"),
            target=alloc.company_annual,
            actual=round(float(f["ytd"].sum()), 2),
            _types=money,
        ),
        dict(
            level=t("年度", "Year"),
            objective=t("扩大客户基础", "Grow the customer base"),
            key_result=t("每月新增客户 5 家", "5 new customers a month"),
            kpi=t("新增客户", "New customers"),
            target=60,
            actual=None,
            _types={"target": "int", "actual": "int"},
        ),
    ]
    satisfaction = [0.85, 0.87, 0.89, 0.90]
    for q in range(4):
        months = range(3 * q, 3 * q + 3)
        target = round(sum(alloc.company_months[m] for m in months), 2)
        actual = (
            round(float(sum(f[f"m{m + 1}"].sum() for m in months if m < n)), 2)
            if 3 * q < n
            else None
        )
        rows.append(
            dict(
                level=t(f"第{q + 1}季度", f"Q{q + 1}"),
                objective=t(
                    f"销售额环比增长 {q_growth:.0%}", f"Sales +{q_growth:.0%} on the quarter before"
                ),
                key_result=t("季度销售目标", "Quarterly sales target"),
                kpi=t("季度销售额", "Quarter sales"),
                target=target,
                actual=actual,
                _types=money,
            )
        )
        rows.append(
            dict(
                level=t(f"第{q + 1}季度", f"Q{q + 1}"),
                objective=t("提升客户满意度", "Raise satisfaction"),
                key_result=t(
                    f"满意度达到 {satisfaction[q]:.0%}", f"Satisfaction {satisfaction[q]:.0%}"
                ),
                kpi=t("满意度", "Satisfaction"),
                target=satisfaction[q],
                actual=None,
                _types=pct,
            )
        )
    return rows


WORK_PLAN = [
    ("制定年度目标并分解；客户分级；年度预算", "新春联谊、经销商年会", "春节前回款、备货"),
    ("春节走访；新品培训", "春节促销", "节后复工、库存检查"),
    ("一季度订货会；对账催收", "订货会", "一季度目标冲刺"),
    ("上半年满意度调查；零售商促销", "五一促销准备", "新客户开发"),
    ("重点客户年中回访", "五一促销", "年中盘点"),
    ("半年目标检查与调整；信用额度复核", "618 线上活动", "半年度总结"),
    ("下半年推广计划", "暑期促销", "渠道拓展"),
    ("销售技能培训", "秋季新品发布", "三季度冲刺准备"),
    ("中秋国庆营销与客户馈赠", "中秋、国庆促销", "三季度目标冲刺"),
    ("下半年满意度调查；大客户评定", "国庆后回访", "下年度合作意向"),
    ("年度回款冲刺；下年度计划编制", "双十一活动", "逾期清理"),
    ("年度总结与考核；客户答谢", "年终答谢会", "下年度目标沟通"),
]


@source("annual_work_plan")
def annual_work_plan(ctx, spec) -> list[dict]:
    """P7: January–December focus, events and reminders (editable seed defaults), with
    each month's sales target from the allocation."""
    alloc = allocation(ctx)
    t = ctx.t
    return [
        dict(
            month=t(f"{m + 1}月", f"M{m + 1}"),
            focus=focus,
            events=events,
            reminder=reminder,
            target=alloc.company_months[m],
        )
        for m, (focus, events, reminder) in enumerate(WORK_PLAN)
    ]
