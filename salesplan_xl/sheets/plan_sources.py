"""Row sources of the plan sheets (P3–P9): targets, their breakdown and tracking.

The targets come from ``planning.allocation``: the company target (last year × (1 +
growth), rounded to the unit) is split top-down over departments, reps and customers,
and over the months by the plan's split method, every level adding up exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..planning.allocation import allocate_plan
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
    """Company annual target: last year's sales × (1 + growth), rounded to the unit."""
    last = float(customer_facts(ctx)["last_year"].sum().round(2))
    return annual_target(last, ctx.plan.targets.growth, ctx.plan.rounding_unit)


def allocation(ctx):
    """The top-down allocation of the company target (computed once per kit)."""

    def make():
        f = customer_facts(ctx)
        h = _history(ctx)
        dept = f["department"].fillna("未分配").to_numpy()
        rep = f["rep_id"].fillna("-").to_numpy()
        rows = list(zip(dept, rep, f["customer_id"], f["last_year"], f["region"], strict=True))
        if ctx.plan.targets.split_method == "seasonality":
            dept_shares = {}
            for d in dict.fromkeys(dept):
                dept_shares[d] = company_month_weights(ctx, h.to_numpy()[dept == d])
        else:
            dept_shares = company_month_weights(ctx)
        return allocate_plan(
            company_target(ctx),
            rows,
            dept_shares,
            unit=ctx.plan.rounding_unit,
            new_customer_floor=ctx.plan.targets.new_customer_floor,
        )

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
    rows = [
        dict(
            level=t("公司", "Company"),
            name=ctx.plan.company,
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
    """P4: department → customer, target = ROUND(last year × (1 + growth), unit), months by
    the customer's own seasonality (its region's when it has no history)."""
    from ..planning.allocation import customer_target

    f = customer_facts(ctx).copy()
    f["department"] = f["department"].fillna("未分配")
    h = _history(ctx)
    hist = h.to_numpy()
    n_years = len(history_years(ctx))
    by_customer = (
        hist.reshape(len(hist), n_years, 12).sum(axis=1) if n_years else np.zeros((len(f), 12))
    )
    region_shape = {}
    method = ctx.plan.targets.split_method
    for region in dict.fromkeys(f["region"]):
        region_shape[region] = (
            by_customer[(f["region"] == region).to_numpy()].sum(axis=0).round(2).tolist()
        )
    fixed = None if method == "seasonality" else company_month_weights(ctx)
    out = []
    order = f.sort_values(
        ["department", "last_year", "customer_id"], ascending=[True, False, True], kind="mergesort"
    )
    for i in order.index:
        r = f.loc[i]
        growth = ctx.plan.targets.growth_for(r["department"])
        # The customer's own months as weights, its region's when it has no history
        # (shares_with_fallback's rule; weights need not be normalised for the split).
        own = by_customer[i]
        shares = fixed or (own.round(2).tolist() if own.sum() > 0 else region_shape[r["region"]])
        target, months = customer_target(r["last_year"], growth, shares, ctx.plan.rounding_unit)
        out.append(
            dict(
                department=r["department"],
                customer_id=r["customer_id"],
                name=r["name"],
                last_year=float(r["last_year"]),
                growth=growth,
                **_months(months),
            )
        )
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
        actual = float(round(f[f"m{m}"].sum(), 2)) if m <= n else None
        rows.append(
            dict(
                quarter=t(f"第{(m - 1) // 3 + 1}季度", f"Q{(m - 1) // 3 + 1}"),
                month=t(f"{m}月", f"M{m}"),
                target=alloc.company_months[m - 1],
                actual=actual,
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
