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
from ..planning.splits import growth_weights
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
    n = actual_months(ctx)
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
