"""Row sources: the function that turns the data in scope into a sheet's rows.

A spec names its source (``rows: customer_share``); the source returns one dict per row
with the values of the spec's non-computed columns (missing keys are blank cells).
Computed columns are filled by the layout from the measures, never here.

    >>> {"customer_share", "credit_balance", "budget"} <= set(SOURCES)
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from .facts import by_region, customer_facts, records

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
    from .crm_sources import key_account_weight_settings
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
            key="year", name="cfg_year", zh="计划年度", en="Plan year", value=plan.year, type="year"
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
        _plan_total_row(ctx, company_target(ctx)),
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
        *_cadence_rows(ctx),
        *key_account_weight_settings(ctx),
    ]


def _cadence_rows(ctx) -> list[dict]:
    """The visit cadence by grade (plan.toml [visits] cadence) and the weeks so far: the
    one rule behind 9.3.21, 9.3.23 and 9.3.24."""
    from ..planning.visits import cadence_word, week_starts
    from ..planning.workdays import month_end, workdays

    plan = ctx.plan
    rows = [
        dict(
            key=f"cadence_{g.lower()}",
            name=f"cfg_cadence_{g.lower()}",
            zh=f"{g} 类客户拜访频率",
            en=f"Visit cadence, grade {g}",
            value=cadence_word(plan.visits.cadence, g),
            type="text",
            note="plan.toml [visits] cadence；拜访计划、联络计划与要求拜访次数共用",
            note_en="plan.toml [visits] cadence; used by 9.3.21, 9.3.23 and 9.3.24",
        )
        for g in ("A", "B", "C")
    ]
    days = [d for m in range(1, 13) for d in workdays(plan.year, m)]
    end = month_end(plan.as_of.year, plan.as_of.month)
    weeks = sum(s for d, s in zip(days, week_starts(days), strict=True) if d <= end)
    rows.append(
        dict(
            key="weeks_to_date",
            name="cfg_weeks_to_date",
            zh="今年至今周数（每周拜访）",
            en="Weeks so far (weekly visits)",
            value=weeks,
            type="int",
            formula='SUMIFS(cal_week_start,cal_dates,"<="&EOMONTH(cfg_as_of,0))',
            note="今年至基准日所在月末、有工作日的周数（跨月的周在两个月各算一次）",
            note_en="Weeks with a workday up to the end of the as-of month, per month",
        )
    )
    return rows



def _plan_total_row(ctx, value: float) -> dict:
    """cfg_plan_total: live on last year and growth in the company kit; in a scope kit
    (or with per-department growth) the value of the one company plan for this scope."""
    row = dict(
        key="plan_total",
        name="cfg_plan_total",
        zh="年度销售目标",
        en="Annual sales target",
        value=value,
        type="money0",
    )
    if ctx.scope.kind == "company" and not ctx.plan.targets.departments:
        return row | dict(
            formula="ROUND(cfg_last_total*(1+cfg_growth)/cfg_unit,0)*cfg_unit",
            note="上年销售额 × (1 + 增长目标)，按取整单位取整",
            note_en="Last year x (1 + growth), rounded",
        )
    if ctx.scope.kind == "company":
        return row | dict(
            note="各部门上年销售额 × (1 + 部门增长目标)，取整后相加",
            note_en="Sum of each department's last year x (1 + its growth), rounded",
        )
    return row | dict(
        note="公司年度计划中本范围客户的目标之和（与全公司计划一致）",
        note_en="This scope's part of the company plan (same targets as the company kit)",
    )


# --- customer lists ---------------------------------------------------------------------


@source("customer_share")
def customer_share(ctx, spec) -> list[dict]:
    """9.3.1: customers by region, largest last-year sales first."""
    f = by_region(customer_facts(ctx), "last_year")
    return records(f, ["region", "customer_id", "name", "last_year", "last_ytd", "ytd"])


@source("customer_monthly")
def customer_monthly(ctx, spec) -> list[dict]:
    """9.3.2 and 9.3.14: this year's sales by month per customer (actual months filled)."""
    f = by_region(customer_facts(ctx), "last_year")
    cols = ["customer_id", "name", "region", "type", "last_year"] + [f"m{m}" for m in range(1, 13)]
    return records(f, cols)


def ledger_invoices(ctx) -> pd.DataFrame:
    """The invoices of the receivables ledger (9.3.4): open ones, and those paid this
    year. Every sheet that totals billing and collections (9.3.4, 9.3.25) uses these."""
    inv = ctx.data.invoices
    open_ = inv["amount"].round(2) != inv["paid"].round(2)
    recent = inv["last_payment_date"].notna() & (
        inv["last_payment_date"] >= pd.Timestamp(ctx.plan.year, 1, 1)
    )
    return inv[open_ | recent].copy()


@source("receivables")
def receivables(ctx, spec) -> list[dict]:
    """9.3.4: one row per invoice with an open balance or paid this year, by invoice date."""
    inv = ledger_invoices(ctx)
    names = ctx.data.customers.set_index("customer_id")["name"]
    recent = inv["last_payment_date"].notna() & (
        inv["last_payment_date"] >= pd.Timestamp(ctx.plan.year, 1, 1)
    )
    inv["name"] = inv["customer_id"].map(names)
    inv["credit_days"] = (inv["due_date"] - inv["invoice_date"]).dt.days
    inv["this_period"] = inv["paid"].where(recent, 0.0)
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


def _register_all() -> None:
    """Import the modules whose sources register themselves."""
    from . import crm_sources, document_sources, form_sources, plan_sources  # noqa: F401


_register_all()
