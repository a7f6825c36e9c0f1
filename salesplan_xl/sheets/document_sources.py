"""Row sources of the plan documents: P2 销售部OKR工作计划表, P6 销售计划方案, P7 销售年度
工作计划安排表, P8 销售工作计划表 and P9 销售预算.

Their words come from the plan's content (``ctx.content``: content.yaml beside plan.toml,
else the defaults shipped in the package, see :mod:`salesplan_xl.content`); their numbers
from the allocation and the data. A goal's words state the number it has: the growth in
a label is computed from the targets, never a constant.
"""

from __future__ import annotations

import datetime as dt
import re

from ..planning.splits import split_total
from ..planning.workdays import month_end
from . import plan_sources  # a module: plan_sources may still be loading (import cycle)
from .facts import actual_months, customer_facts
from .sources import source

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _pct(x: float) -> str:
    """15% / 4.8%: whole percents without decimals, else one decimal."""
    v = round(x * 100, 1)
    return f"{v:.0f}%" if v == int(v) else f"{v:.1f}%"


def last_year_total(ctx) -> float:
    return round(float(customer_facts(ctx)["last_year"].sum()), 2)


def plan_growth(ctx) -> float | None:
    """The company target's growth over last year's sales (None without last year)."""
    last = last_year_total(ctx)
    return plan_sources.allocation(ctx).company_annual / last - 1 if last else None


def fill(ctx, text: str) -> str:
    """A content text with its placeholders ({year}, {company}, {growth}) filled in."""
    growth = plan_growth(ctx)
    values = {
        "year": str(ctx.plan.year),
        "company": ctx.plan.company,
        "growth": _pct(growth) if growth is not None else _pct(ctx.plan.targets.growth),
    }
    return re.sub(r"\{(year|company|growth)\}", lambda m: values[m.group(1)], str(text))


def last_year_quarters(ctx) -> list[float]:
    """Last year's sales of each quarter (the customers in scope)."""
    grid = ctx.data.monthly_sales(ctx.plan.year - 1)
    months = grid.sum(axis=0).to_numpy() if len(grid) else [0.0] * 12
    return [round(float(sum(months[3 * q : 3 * q + 3])), 2) for q in range(4)]


def quarter_numbers(ctx) -> list[tuple[float, float | None]]:
    """(target, actual) of each quarter; actual None before the quarter has actuals."""
    alloc = plan_sources.allocation(ctx)
    f = customer_facts(ctx)
    n = actual_months(ctx)
    out = []
    for q in range(4):
        months = range(3 * q, 3 * q + 3)
        target = round(sum(alloc.company_months[m] for m in months), 2)
        actual = (
            round(float(sum(f[f"m{m + 1}"].sum() for m in months if m < n)), 2)
            if 3 * q < n
            else None
        )
        out.append((target, actual))
    return out


def quarter_growth_label(ctx, q: int, target: float, last: float) -> str:
    """The words of a quarter's sales goal, stating the growth its target has over the
    same quarter last year (``同比``) and over the quarter before (``环比``)."""
    parts = []
    if last:
        parts.append(f"同比增长 {_pct(target / last - 1)}")
    else:
        parts.append("上年同季无销售")
    if q:
        before = sum(plan_sources.allocation(ctx).company_months[3 * q - 3 : 3 * q])
        if before:
            parts.append(f"环比 {_pct(target / before - 1)}")
    return "增加销售额：" + "，".join(parts)


# --- P2 销售部OKR工作计划表 ------------------------------------------------------------------


@source("okr")
def okr(ctx, spec) -> list[dict]:
    """P2: 一 目标设置 (1.1 long term, 1.2 the year, 1.3 each quarter), 二 key results,
    三 action plans, 四 KPI 4.1 (each quarter's completion) — the words from the content,
    sales targets and actuals from the plan and the data."""
    okr_text = ctx.content["okr"]
    alloc = plan_sources.allocation(ctx)
    f = customer_facts(ctx)
    last = last_year_total(ctx)
    growth = plan_growth(ctx)
    money = {"target": "money0", "actual": "money0"}
    pct = {"target": "percent", "actual": "percent"}
    rows: list[dict] = [dict(level="一、目标设置")]
    lt = okr_text["long_term"]
    rows.append(
        dict(
            level="1.1 长期目标",
            objective=fill(ctx, lt["objective"]),
            key_result=fill(ctx, lt["key_result"]),
            kpi=f"销售额（上年 × {lt['multiple']:g}）",
            target=round(last * float(lt["multiple"]), 2) if last else None,
            _types=money,
        )
    )
    annual = okr_text["annual"]
    rows.append(
        dict(
            level="1.2 年度目标",
            objective=fill(ctx, annual["objective"]),
            key_result=(
                f"增加销售额 {_pct(growth)}（上年 {last:,.0f} 元）"
                if growth is not None
                else "年度销售额达到目标"
            ),
            kpi="年度销售额",
            target=alloc.company_annual,
            actual=round(float(f["ytd"].sum()), 2),
            _types=money,
        )
    )
    rows.append(
        dict(
            level="1.2 年度目标",
            objective=fill(ctx, annual["objective"]),
            key_result=f"提高客户满意度至 {_pct(annual['satisfaction'])} 以上",
            kpi="客户满意度",
            target=float(annual["satisfaction"]),
            _types=pct,
        )
    )
    lastq = last_year_quarters(ctx)
    quarters = quarter_numbers(ctx)
    for q, (target, _actual) in enumerate(quarters):
        rows.append(
            dict(
                level=f"1.3 季度目标 Q{q + 1}",
                objective=quarter_growth_label(ctx, q, target, lastq[q]),
                key_result=f"季度销售额 {target:,.0f} 元（上年同季 {lastq[q]:,.0f} 元）",
                kpi="季度销售额",
                target=target,
                _types=money,
            )
        )
        sat = float(okr_text["quarter_satisfaction"][q])
        rows.append(
            dict(
                level=f"1.3 季度目标 Q{q + 1}",
                objective=f"提高客户满意度至 {_pct(sat)} 以上",
                key_result="客户满意度调查（9.3.26 客户调查明细表、9.3.31 大客户问卷调查表）",
                kpi="客户满意度",
                target=sat,
                _types=pct,
            )
        )
    for title, key in (("二、关键结果指标（Key Results）", "key_results"), ("三、关键行动计划", "actions")):
        rows.append(dict(level=title))
        for section in okr_text[key]:
            for item in section["items"]:
                rows.append(
                    dict(
                        level=section["code"],
                        objective=fill(ctx, section["title"]),
                        key_result=fill(ctx, item),
                    )
                )
    kpi = okr_text["kpi"]
    rows.append(dict(level="四、关键绩效指标（KPI）"))
    for q, (target, actual) in enumerate(quarters):
        rows.append(
            dict(
                level=kpi["code"],
                objective=fill(ctx, kpi["title"]),
                key_result=f"{fill(ctx, kpi['item'])}：Q{q + 1}",
                kpi="季度销售额",
                target=target,
                actual=actual,
                _types=money,
            )
        )
    return rows


# --- P6 销售计划方案 -------------------------------------------------------------------------


@source("form_annual_plan")
def form_annual_plan(ctx, spec) -> list[dict]:
    """P6: last year's basis from the data; measures, the marketing plan and retail
    promotion from the content; the promotion's numbers from the plan."""
    text = ctx.content["annual_plan"]
    retail = text["retail"]
    s = ctx.data.sales
    last = s[s["year"] == ctx.plan.year - 1]
    products = ctx.data.products
    new_names = set(products.loc[products["is_new"], "name"])
    new_last = round(float(last.loc[last["product"].isin(new_names), "amount"].sum()), 2)
    n_reps = int(len(ctx.data.reps))
    per_rep = ctx.plan.visits.stores_per_rep
    return [
        dict(
            last_profit=round(float(last["gross_profit"].sum()), 2),
            last_new=new_last,
            new_growth=float(text["new_product_growth"]),
            measures=[fill(ctx, m) for m in text["measures"]],
            marketing=[
                {k: fill(ctx, v) for k, v in row.items()} for row in text["marketing_plan"]
            ],
            retail=[fill(ctx, x) for x in retail["items"]],
            key_retailers=int(retail["key_retailers"]),
            reps=n_reps,
            stores_per_rep=per_rep,
            frequency="每两周",
            hours_per_visit=ctx.plan.visits.hours_per_visit,
            stock=[
                {
                    "stores": n_reps * per_rep,
                    "monthly": 8000.0,
                    "months": float(retail["retail_stock_months"]),
                },
                {"stores": 20, "monthly": 30000.0, "months": float(retail["agent_stock_months"])},
            ],
            duties=[{"role": d["role"], "duty": fill(ctx, d["duty"])} for d in retail["duties"]],
            coop=[{"region": r} for r in ctx.data.regions()],
        )
    ]


# --- P7 销售年度工作计划安排表 -----------------------------------------------------------------


@source("annual_work_plan")
def annual_work_plan(ctx, spec) -> list[dict]:
    """P7: 一 年度工作目标, 二 月度工作计划 (the content's items with each month's sales
    target from the allocation), 三 周度, 四 日常, 五 特别活动, 六 风险和对策."""
    wp = ctx.content["work_plan"]
    alloc = plan_sources.allocation(ctx)
    months = []
    for m, items in enumerate(wp["months"]):
        months.append(
            dict(
                month=f"{m + 1}月",
                items="\n".join(f"{k}. {fill(ctx, x)}" for k, x in enumerate(items, start=1)),
                target=alloc.company_months[m],
                _lines=max(len(items), 1),
            )
        )
    return [
        dict(
            goals=[f"{k}. {fill(ctx, g)}" for k, g in enumerate(wp["goals"], start=1)],
            months=months,
            weekly=[
                {"day": w["day"], "items": "；".join(fill(ctx, x) for x in w["items"])}
                for w in wp["weekly"]
            ],
            daily=[f"{k}. {fill(ctx, x)}" for k, x in enumerate(wp["daily"], start=1)],
            events=[f"{k}. {fill(ctx, x)}" for k, x in enumerate(wp["events"], start=1)],
            risks=[
                {"risk": fill(ctx, r["risk"]), "response": fill(ctx, r["response"])}
                for r in wp["risks"]
            ],
        )
    ]


# --- P8 销售工作计划表 -------------------------------------------------------------------------


def due_date(year: int, when: str) -> dt.date:
    """The last day of the quarter (第一季度 …) or month (3月) a task is due in."""
    month = 3 * (QUARTERS.index(when) + 1) if when in QUARTERS else int(when.rstrip("月"))
    return month_end(year, month)


@source("tasks")
def tasks(ctx, spec) -> list[dict]:
    """P8: the content's tasks, numbered, each due at the end of its quarter or month."""
    return [
        dict(
            no=i,
            when=t["when"],
            task=fill(ctx, t["task"]),
            owner=t["owner"],
            due=due_date(ctx.plan.year, t["when"]),
        )
        for i, t in enumerate(ctx.content["tasks"], start=1)
    ]


# --- P9 销售预算 -------------------------------------------------------------------------------


@source("budget")
def budget(ctx, spec) -> list[dict]:
    """P9: the content's cost lines × months, a default budget as a share of the monthly
    targets."""
    alloc = plan_sources.allocation(ctx)
    rows = []
    for line in ctx.content["budget"]:
        rate = float(line["rate"])
        annual = round(alloc.company_annual * rate, -2)
        months = split_total(annual, alloc.company_months, 100) if annual else [0.0] * 12
        rows.append(
            dict(line=ctx.t(line["line"], line["line_en"]), rate_basis=rate, **plan_sources._months(months))
        )
    return rows



# --- P11 年度销售任务工作计划 -----------------------------------------------------------------


def rep_targets(ctx) -> list[dict]:
    """Every rep: department, annual target (the allocation) and sales to date."""
    alloc = plan_sources.allocation(ctx)
    f = customer_facts(ctx)
    ytd = f.groupby([f["department"].fillna("未分配"), f["rep_id"].fillna("-")])["ytd"].sum()
    names = ctx.data.reps.set_index("rep_id")["name"].to_dict()
    return [
        dict(
            rep=f"{names.get(rep, rep)}（{rep}）",
            department=dept,
            target=annual,
            ytd=round(float(ytd.get((dept, rep), 0.0)), 2),
        )
        for (dept, rep), annual in sorted(alloc.rep_annual.items())
    ]


@source("form_task_plan")
def form_task_plan(ctx, spec) -> list[dict]:
    """P11: the sections' points from the content; the quarterly targets, the budget and
    every rep's target and sales to date from the allocation and the data."""
    text = ctx.content["task_plan"]
    alloc = plan_sources.allocation(ctx)
    lastq = last_year_quarters(ctx)
    topics = lambda rows: [{"topic": fill(ctx, r["topic"]), "points": fill(ctx, r["points"])} for r in rows]  # noqa: E731
    return [
        dict(
            intro=[fill(ctx, text["intro"])],
            market=topics(text["market"]),
            quarters=[
                {"quarter": QUARTERS[q], "target": target, "last": lastq[q]}
                for q, (target, _actual) in enumerate(quarter_numbers(ctx))
            ],
            strategy=topics(text["strategy"]),
            process=[f"{k}. {fill(ctx, x)}" for k, x in enumerate(text["process"], start=1)],
            activities=[{k: fill(ctx, v) for k, v in a.items()} for a in text["activities"]],
            budget=[
                {
                    "line": line["line"],
                    "rate": float(line["rate"]),
                    "annual": round(alloc.company_annual * float(line["rate"]), -2),
                }
                for line in ctx.content["budget"]
            ],
            execution=topics(text["execution"]),
            appraisal=rep_targets(ctx),
            summary=[fill(ctx, text["summary"])],
        )
    ]


# --- P12 销售部门具体工作计划 -----------------------------------------------------------------


@source("form_department_plan")
def form_department_plan(ctx, spec) -> list[dict]:
    """P12: targets by year and quarter (sales from the allocation, quantity where the data
    has one, satisfaction from the OKR content; market share to type), the strategy and
    team plans from the content, staffing from the reps."""
    text = ctx.content["department_plan"]
    okr_text = ctx.content["okr"]
    quarters = [t for t, _ in quarter_numbers(ctx)]
    sales = {"indicator": "销售额（元）", "annual": plan_sources.allocation(ctx).company_annual}
    sales.update({f"q{q + 1}": v for q, v in enumerate(quarters)})
    rows = [sales]
    s = ctx.data.sales
    last = s[s["year"] == ctx.plan.year - 1]
    growth = plan_growth(ctx)
    if "quantity" in last and last["quantity"].notna().any() and growth is not None:
        by_q = last.groupby((last["month_num"] - 1) // 3)["quantity"].sum()
        qty = {f"q{q + 1}": round(float(by_q.get(q, 0.0)) * (1 + growth)) for q in range(4)}
        rows.append({"indicator": "销售数量（按上年 × 增长）", "annual": sum(qty.values()), **qty})
    else:
        rows.append({"indicator": "销售数量"})
    rows.append({"indicator": "市场份额（%）"})
    sat = {f"q{q + 1}": round(float(v) * 100, 1) for q, v in enumerate(okr_text["quarter_satisfaction"])}
    rows.append(
        {"indicator": "客户满意度（%）", "annual": round(float(okr_text["annual"]["satisfaction"]) * 100, 1), **sat}
    )
    reps = ctx.data.reps
    staff = reps.groupby(reps["department"].fillna("未分配"))["rep_id"].count()
    return [
        dict(
            targets=rows,
            basis=[fill(ctx, text["target_basis"])],
            strategies=[{k: fill(ctx, v) for k, v in r.items()} for r in text["strategies"]],
            team=[{k: fill(ctx, v) for k, v in r.items()} for r in text["team"]],
            staff=[{"department": d, "reps": int(n)} for d, n in staff.items()],
        )
    ]


# --- P13 产品销售计划 -------------------------------------------------------------------------


@source("product_plan")
def product_plan(ctx, spec) -> list[dict]:
    """P13: each month's company target split over the products by their share of the
    same month last year (their annual share where the month had no product sales), in
    the rounding unit, so that the products add up to the customer plan month by month.
    Empty without a products table or sales by product."""
    products, sales = ctx.data.products, ctx.data.sales
    if not len(products) or "product" not in sales or sales["product"].isna().all():
        return []
    key = {}
    for _, p in products.iterrows():
        key[p["name"]] = key[p["product_id"]] = p["product_id"]
    last = sales[(sales["year"] == ctx.plan.year - 1) & sales["product"].isin(key)]
    last = last.assign(pid=last["product"].map(key))
    by_month = last.groupby(["pid", "month_num"])["amount"].sum()
    annual = last.groupby("pid")["amount"].sum()
    ids = list(products["product_id"])
    alloc = plan_sources.allocation(ctx)
    months = {pid: [0.0] * 12 for pid in ids}
    for m in range(12):
        weights = [float(by_month.get((pid, m + 1), 0.0)) for pid in ids]
        if not any(weights):
            weights = [float(annual.get(pid, 0.0)) for pid in ids]
        parts = split_total(alloc.company_months[m], weights, ctx.plan.rounding_unit)
        for pid, v in zip(ids, parts, strict=True):
            months[pid][m] = v
    rows = []
    for _, p in products.iterrows():
        pid = p["product_id"]
        flags = [x for x, on in (("新产品", p["is_new"]), ("畅销品", p["is_bestseller"])) if on]
        price = float(p["price"]) if p["price"] == p["price"] and p["price"] else None
        target = sum(months[pid])
        rows.append(
            dict(
                product_id=pid,
                name=p["name"],
                flag="、".join(flags),
                price=price,
                last_year=round(float(annual.get(pid, 0.0)), 2),
                quantity=round(target / price) if price else None,
                **plan_sources._months(months[pid]),
            )
        )
    return rows
