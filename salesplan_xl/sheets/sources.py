"""Row sources: the function that turns the data in scope into a sheet's rows.

A spec names its source (``rows: customer_share``); the source returns one dict per row
with the values of the spec's non-computed columns (missing keys are blank cells).
Computed columns are filled by the layout from the measures, never here.

    >>> sorted(SOURCES)[:3]
    ['budget', 'credit_balance', 'customer_monthly']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from .facts import actual_months, customer_facts, records

SOURCES: dict[str, Callable] = {}


def source(name: str):
    def register(fn: Callable) -> Callable:
        SOURCES[name] = fn
        return fn

    return register


def get_source(name: str) -> Callable:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(
            f"unknown row source {name!r}; known: {', '.join(sorted(SOURCES))}"
        ) from None


@source("none")
def no_rows(ctx, spec) -> list[dict]:
    return []


# --- 参数 settings ----------------------------------------------------------------------


def settings_rows(ctx) -> list[dict]:
    """The 参数 sheet's rows; each becomes a defined name ``cfg_<key>``."""
    from ..planning.workdays import calendar_covers, time_progress
    from .plan_sources import company_target

    plan = ctx.plan
    covered = calendar_covers(plan.year)
    cal_note = (
        ("按国家法定节假日及调休计算", "Statutory holidays and adjusted workdays")
        if covered
        else (
            f"{plan.year} 年无法定节假日数据，按周一至周五计算",
            f"No statutory calendar for {plan.year}: Mon-Fri used",
        )
    )
    lo, hi = dt.date(plan.year - 1, 1, 1), dt.date(plan.year + 1, 12, 31)
    return [
        dict(
            key="year", name="cfg_year", zh="计划年度", en="Plan year", value=plan.year, type="int"
        ),
        dict(
            key="company",
            name="cfg_company",
            zh="公司",
            en="Company",
            value=plan.company,
            type="text",
        ),
        dict(
            key="scope",
            name="cfg_scope",
            zh="范围",
            en="Scope",
            value=ctx.scope.label(ctx.lang),
            type="text",
        ),
        dict(
            key="as_of",
            name="cfg_as_of",
            zh="基准日",
            en="As-of date",
            value=plan.as_of,
            type="date",
            input=True,
            range=(lo, hi),
            note="实际数据统计截止日；改动后时间进度、逾期天数随之更新",
            note_en="Actuals are counted up to this date",
        ),
        dict(
            key="time_progress",
            name="cfg_time_progress",
            zh="时间进度",
            en="Time progress",
            value=time_progress(plan.as_of, plan.year),
            type="percent",
            formula="IF(cfg_as_of<MIN(cal_dates),0,IF(cfg_as_of>MAX(cal_dates),1,"
            'SUMIFS(cal_workday,cal_dates,"<="&cfg_as_of)/SUM(cal_workday)))',
            note=cal_note[0] + "：已过工作日 / 全年工作日",
            note_en=cal_note[1] + ": elapsed / all workdays",
        ),
        dict(
            key="unit",
            name="cfg_unit",
            zh="取整单位（元）",
            en="Rounding unit (CNY)",
            value=plan.rounding_unit,
            type="money0",
            note="目标按此单位取整，拆分后合计不变",
            note_en="Targets are rounded to this unit",
        ),
        dict(
            key="growth",
            name="cfg_growth",
            zh="年度增长目标",
            en="Annual growth",
            value=plan.targets.growth,
            type="percent",
            input=True,
            range=(-0.99, 10),
            note="今年目标 = 上年实际 × (1 + 增长率)",
            note_en="Target = last year x (1 + growth)",
        ),
        dict(
            key="last_total",
            name="cfg_last_total",
            zh="上年销售额",
            en="Sales last year",
            value=round(float(customer_facts(ctx)["last_year"].sum()), 2),
            type="money0",
            note="范围内客户上年销售额合计",
            note_en="Last year's sales of the customers in scope",
        ),
        dict(
            key="plan_total",
            name="cfg_plan_total",
            zh="年度销售目标",
            en="Annual sales target",
            value=company_target(ctx),
            type="money0",
            formula="ROUND(cfg_last_total*(1+cfg_growth)/cfg_unit,0)*cfg_unit",
            note="上年销售额 × (1 + 增长目标)，按取整单位取整",
            note_en="Last year x (1 + growth), rounded",
        ),
        dict(
            key="completion_warning",
            name="cfg_completion_warning",
            zh="完成率预警线",
            en="Completion warning",
            value=plan.thresholds.completion_warning,
            type="percent",
            input=True,
            range=(0, 2),
            note="完成率低于此值标红",
            note_en="Completion below this is marked",
        ),
        dict(
            key="credit_warning",
            name="cfg_credit_warning",
            zh="信用额度使用预警线",
            en="Credit usage warning",
            value=plan.thresholds.credit_usage_warning,
            type="percent",
            input=True,
            range=(0, 2),
            note="使用率高于此值为预警，高于 100% 为超限",
            note_en="Above: 预警; above 100%: 超限",
        ),
        dict(
            key="overdue_days",
            name="cfg_overdue_days",
            zh="逾期警戒天数",
            en="Overdue alert (days)",
            value=plan.thresholds.overdue_alert_days,
            type="int",
            input=True,
            range=(1, 3650),
            note="逾期超过此天数标红",
            note_en="Overdue longer than this is marked",
        ),
        dict(
            key="hours_norm",
            name="cfg_hours_norm",
            zh="每月拜访工时标准",
            en="Monthly visit hours norm",
            value=plan.visits.monthly_hours_norm,
            type="hours",
            input=True,
            range=(1, 400),
            note="业务员每月拜访小时数标准",
            note_en="Visit hours per rep and month",
        ),
    ]


# --- customer lists ---------------------------------------------------------------------


def _by_region(frame: pd.DataFrame, *sort: str) -> pd.DataFrame:
    keys = ["region_order", *sort]
    asc = [True] + [False] * len(sort)
    return frame.sort_values(keys + ["customer_id"], ascending=asc + [True], kind="mergesort")


@source("customer_share")
def customer_share(ctx, spec) -> list[dict]:
    """9.3.1: customers by region, largest last-year sales first."""
    f = _by_region(customer_facts(ctx), "last_year")
    return records(f, ["region", "customer_id", "name", "last_year", "last_ytd", "ytd"])


@source("customer_monthly")
def customer_monthly(ctx, spec) -> list[dict]:
    """9.3.2 and 9.3.14: this year's sales by month per customer (actual months filled)."""
    f = _by_region(customer_facts(ctx), "last_year")
    cols = ["customer_id", "name", "region", "type", "last_year"] + [f"m{m}" for m in range(1, 13)]
    return records(f, cols)


@source("customer_register")
def customer_register(ctx, spec) -> list[dict]:
    """9.3.6: the customer register, from the master data."""
    f = customer_facts(ctx).sort_values("customer_id", kind="mergesort")
    reps = ctx.data.reps.set_index("rep_id")["name"]
    f = f.assign(rep_name=f["rep_id"].map(reps).fillna(f["rep_id"]))
    cols = [
        "customer_id",
        "name",
        "region",
        "address",
        "contact",
        "phone",
        "ownership",
        "type",
        "grade",
        "source",
        "credit_grade",
        "credit_limit",
        "credit_days",
        "tax_id",
        "first_trade_date",
        "rep_name",
    ]
    return records(f, cols)


@source("receivables")
def receivables(ctx, spec) -> list[dict]:
    """9.3.4: one row per invoice with an open balance or paid this year, by invoice date."""
    inv = ctx.data.invoices.copy()
    names = ctx.data.customers.set_index("customer_id")["name"]
    start = pd.Timestamp(ctx.plan.year, 1, 1)
    open_ = inv["amount"].round(2) != inv["paid"].round(2)
    recent = inv["last_payment_date"].notna() & (inv["last_payment_date"] >= start)
    inv = inv[open_ | recent].copy()
    inv["name"] = inv["customer_id"].map(names)
    inv["credit_days"] = (inv["due_date"] - inv["invoice_date"]).dt.days
    inv["this_period"] = inv["paid"].where(recent[inv.index], 0.0)
    inv = inv.sort_values(["invoice_date", "invoice_id"], kind="mergesort")
    cols = [
        "invoice_id",
        "contract_id",
        "customer_id",
        "name",
        "invoice_date",
        "credit_days",
        "amount",
        "this_period",
        "paid",
        "payment_method",
        "collector",
    ]
    return records(inv, cols)


@source("credit_balance")
def credit_balance(ctx, spec) -> list[dict]:
    """9.3.16: opening balance at 1 January, credit sales and collections up to the as-of
    date; closing = opening + credit sales − collections is the open balance."""
    inv = ctx.data.invoices
    start = pd.Timestamp(ctx.plan.year, 1, 1)
    before = inv["invoice_date"] < start
    paid_before = inv["last_payment_date"].notna() & (inv["last_payment_date"] < start)
    opening = inv["amount"].where(before, 0.0) - inv["paid"].where(before & paid_before, 0.0)
    sales = inv["amount"].where(~before, 0.0)
    collected = inv["paid"].where(~paid_before, 0.0)
    g = (
        pd.DataFrame(
            {
                "customer_id": inv["customer_id"],
                "opening": opening,
                "credit_sales": sales,
                "collections": collected,
            }
        )
        .groupby("customer_id")
        .sum()
        .round(2)
    )
    f = customer_facts(ctx).set_index("customer_id").join(g, how="left").reset_index()
    f[["opening", "credit_sales", "collections"]] = f[
        ["opening", "credit_sales", "collections"]
    ].fillna(0.0)
    f = _by_region(f, "credit_limit")
    cols = [
        "customer_id",
        "name",
        "region",
        "credit_grade",
        "credit_limit",
        "credit_days",
        "opening",
        "credit_sales",
        "collections",
    ]
    return records(f, cols)


@source("key_account_abc")
def key_account_abc(ctx, spec) -> list[dict]:
    """9.3.24: customers by last year's sales, largest first (the ABC order)."""
    f = customer_facts(ctx).sort_values(
        ["last_year", "customer_id"], ascending=[False, True], kind="mergesort"
    )
    reps = ctx.data.reps.set_index("rep_id")["name"]
    f = f.assign(owner=f["rep_id"].map(reps).fillna(f["rep_id"]), decision_maker=f["contact"])
    visits = ctx.data.visits
    if len(visits):
        counts = visits.groupby("customer_id").size()
        f["visits"] = f["customer_id"].map(counts).fillna(0).astype(int)
    else:
        f["visits"] = 0
    months = max(actual_months(ctx), 1)
    from ..planning.ratings import visit_requirement

    f["required_visits"] = [
        visit_requirement(g) * months if isinstance(g, str) else months for g in f["grade"]
    ]
    cols = [
        "customer_id",
        "name",
        "grade",
        "last_year",
        "decision_maker",
        "owner",
        "required_visits",
        "visits",
    ]
    return records(f, cols)


@source("region_analysis")
def region_analysis(ctx, spec) -> list[dict]:
    """9.3.25: one row per region."""
    f = customer_facts(ctx)
    year = ctx.plan.year
    first = pd.to_datetime(f["first_trade_date"])
    f = f.assign(
        new=(first.dt.year == year).astype(int),
        lost=((f["last_year"] > 0) & (f["ytd"] == 0)).astype(int),
        plan=[
            _annual_target(ctx, ly, d)
            for ly, d in zip(f["last_year"], f["department"], strict=True)
        ],
    )
    inv = ctx.data.invoices.merge(f[["customer_id", "region"]], on="customer_id")
    billed = inv.groupby("region")["amount"].sum()
    paid = inv.groupby("region")["paid"].sum()
    g = f.groupby("region").agg(
        customers=("customer_id", "size"),
        new=("new", "sum"),
        lost=("lost", "sum"),
        ytd=("ytd", "sum"),
        last_ytd=("last_ytd", "sum"),
        plan=("plan", "sum"),
    )
    g["billed"], g["paid"] = billed, paid
    g = g.fillna(0.0).round(2).reset_index()
    g["order"] = [f.loc[f["region"] == r, "region_order"].iloc[0] for r in g["region"]]
    g = g.sort_values("order", kind="mergesort")
    return records(
        g, ["region", "customers", "new", "lost", "ytd", "last_ytd", "plan", "billed", "paid"]
    )


def _annual_target(ctx, last_year: float, department) -> float:
    from ..planning.seasonality import annual_target

    growth = ctx.plan.targets.growth_for(department if isinstance(department, str) else None)
    return annual_target(last_year, growth, ctx.plan.rounding_unit)


@source("plan_execution")
def plan_execution(ctx, spec) -> list[dict]:
    """9.3.15: per customer, plan vs actual this month and year to date."""
    from .plan_sources import customer_plan

    plan = customer_plan(ctx)
    n = actual_months(ctx)
    f = customer_facts(ctx).merge(plan, on="customer_id")
    rows = []
    for r in f.itertuples(index=False):
        months = [getattr(r, f"plan_m{m}") for m in range(1, 13)]
        rows.append(
            dict(
                customer_id=r.customer_id,
                name=r.name,
                region=r.region,
                annual_plan=r.target,
                month_plan=months[n - 1] if n else 0.0,
                month_actual=getattr(r, f"m{n}") if n else 0.0,
                ytd_plan=round(sum(months[:n]), 2),
                ytd_actual=r.ytd,
            )
        )
    rows.sort(key=lambda d: (ctx_region_key(d["region"]), -d["annual_plan"], d["customer_id"]))
    return rows


def ctx_region_key(region: str):
    from ..data.dataset import region_sort_key

    return region_sort_key(region)


def _register_all() -> None:
    """Import the modules whose sources register themselves."""
    from . import crm_sources, form_sources, plan_sources  # noqa: F401


_register_all()
