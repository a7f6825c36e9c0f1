"""Row sources of the plan documents: P2 OKR, P6 销售计划方案, P7 年度工作计划安排表,
P8 销售工作计划表 and P9 销售预算.

Their words come from the plan's content (``content.yaml`` beside plan.toml, else the
defaults shipped in the package); their numbers from the allocation and the data.
"""

from __future__ import annotations

from ..planning.splits import split_total
from .facts import actual_months, customer_facts
from .plan_sources import _months, allocation
from .sources import source

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


@source("form_annual_plan")
def form_annual_plan(ctx, spec) -> list[dict]:
    """P6: last year's basis from the data; retail promotion from the plan."""
    s = ctx.data.sales
    last = s[s["year"] == ctx.plan.year - 1]
    products = ctx.data.products
    new_names = set(products.loc[products["is_new"], "name"])
    new_last = round(float(last.loc[last["product"].isin(new_names), "amount"].sum()), 2)
    return [
        dict(
            last_profit=round(float(last["gross_profit"].sum()), 2),
            last_new=new_last,
            new_growth=0.5,
            reps=int(len(ctx.data.reps)),
            stores_per_rep=ctx.plan.visits.stores_per_rep,
            frequency="每两周",
            hours_per_visit=ctx.plan.visits.hours_per_visit,
            stock=[
                {"stores": int(len(ctx.data.reps)) * ctx.plan.visits.stores_per_rep, "monthly": 8000.0},
                {"stores": 20, "monthly": 30000.0},
            ],
        )
    ]
