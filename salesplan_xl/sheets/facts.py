"""Per-customer facts that several sheets share, computed once per kit (pandas).

>>> from salesplan_xl.config import demo_plan
>>> from salesplan_xl.data.demo import demo_dataset
>>> from salesplan_xl.kit import make_context
>>> f = customer_facts(make_context(demo_plan(), demo_dataset(customers=30)))
>>> list(f.columns[:4])
['customer_id', 'name', 'region', 'department']
"""

from __future__ import annotations

import pandas as pd

from ..data.dataset import region_sort_key


def actual_months(ctx) -> int:
    """Months of the plan year with actuals: up to the as-of month (0 before the year)."""
    as_of, year = ctx.plan.as_of, ctx.plan.year
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    return as_of.month


def customer_facts(ctx) -> pd.DataFrame:
    """One row per customer in scope: master data plus last year, this year's months
    (m1..m12, actual months only, later months NaN), YTD and last year's same period."""

    def make() -> pd.DataFrame:
        data, year = ctx.data, ctx.plan.year
        n = actual_months(ctx)
        c = data.customers.copy()
        this = data.monthly_sales(year)
        last = data.monthly_sales(year - 1)
        c["last_year"] = last.sum(axis=1).round(2).to_numpy() + 0.0
        c["last_ytd"] = last.loc[:, 1:n].sum(axis=1).round(2).to_numpy() + 0.0 if n else 0.0
        c["ytd"] = this.loc[:, 1:n].sum(axis=1).round(2).to_numpy() + 0.0 if n else 0.0
        for m in range(1, 13):
            c[f"m{m}"] = this[m].to_numpy() if m <= n else float("nan")
            c[f"last_m{m}"] = last[m].to_numpy()
        c["region_order"] = [region_sort_key(r) for r in c["region"]]
        return c

    return ctx.memo("customer_facts", make)


def by_region(frame: pd.DataFrame, *sort: str) -> pd.DataFrame:
    """Rows in the conventional region order, then by ``sort`` columns (largest first),
    then by customer id: the order of the by-region lists."""
    keys = ["region_order", *sort]
    asc = [True] + [False] * len(sort)
    return frame.sort_values(keys + ["customer_id"], ascending=asc + [True], kind="mergesort")


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts with plain Python values (NaN/NaT → None, Timestamps → dates)."""
    out = []
    sub = frame[columns]
    for values in sub.itertuples(index=False, name=None):
        out.append({k: _plain(v) for k, v in zip(columns, values, strict=True)})
    return out


def _plain(v):
    if v is None:
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    if hasattr(v, "item"):
        return v.item()
    return v
