"""Data of the forms: the hidden customer lookup table and each form's demo record.

A form source returns ``[record]``: one dict with the values of the form's input fields
(by field key) and, for each line table, a list of row dicts (by table id). The layout
(``forms.py``) places them, computes every measure and looks customers up; a value
missing here is a blank input cell.

The demo record fills each form for a real customer (the largest, or the n-th largest,
by last year's sales), so the cached lookups equal what the formulas return.
"""

from __future__ import annotations

import math

import pandas as pd

from .facts import actual_months, customer_facts
from .sources import source

#: Columns of the hidden 客户查询 sheet: (key, zh, en, type). Forms look values up by key
#: through the defined names ``cust_<key>``; ``list_customers`` is the id column.
LOOKUP_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("customer_id", "客户编号", "Customer ID", "text"),
    ("name", "客户名称", "Customer", "text"),
    ("region", "区域", "Region", "text"),
    ("department", "部门", "Department", "text"),
    ("grade", "客户等级", "Grade", "text"),
    ("type", "客户类型", "Type", "text"),
    ("ownership", "企业性质", "Ownership", "text"),
    ("address", "地址", "Address", "text"),
    ("contact", "联系人", "Contact", "text"),
    ("phone", "电话", "Phone", "text"),
    ("tax_id", "税号", "Tax ID", "text"),
    ("rep_name", "业务员", "Rep", "text"),
    ("first_trade_date", "首次交易", "First trade", "date"),
    ("credit_grade", "信用等级", "Credit grade", "text"),
    ("credit_limit", "信用额度", "Credit limit", "money"),
    ("credit_days", "信用期(天)", "Credit days", "int"),
    ("sales_y3", "前三年销售额", "Sales Y-3", "money"),
    ("sales_y2", "前两年销售额", "Sales Y-2", "money"),
    ("last_year", "上年销售额", "Sales last year", "money"),
    ("ytd", "今年累计", "Sales YTD", "money"),
    ("gross_profit", "上年毛利", "Gross profit last year", "money"),
    ("avg_month", "上年月均采购额", "Monthly average", "money"),
    ("max_month", "上年最高月采购额", "Highest month", "money"),
    ("balance", "应收余额", "Open receivables", "money"),
)
LOOKUP_TYPES = {k: t for k, _, _, t in LOOKUP_COLUMNS}


def _plain(v, typ: str):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return 0.0 if typ in ("money", "int") else ""
    try:
        if pd.isna(v):
            return 0.0 if typ in ("money", "int") else ""
    except (TypeError, ValueError):
        pass
    if typ == "date":
        return v.date() if isinstance(v, pd.Timestamp) else v
    if typ == "money":
        return round(float(v), 2) + 0.0
    if typ == "int":
        return int(v)
    return str(v)


def customer_lookup(ctx) -> list[dict]:
    """One dict per customer in scope (by customer id) with every LOOKUP_COLUMNS value,
    as written on the 客户查询 sheet (missing text and dates "", missing numbers 0)."""

    def make() -> list[dict]:
        from ..planning.receivables import monthly_average_of_active_months

        f = customer_facts(ctx).sort_values("customer_id", kind="mergesort")
        data, year = ctx.data, ctx.plan.year
        # plain dicts, built once: a Series.get per customer costs as much as the row
        reps = data.reps.set_index("rep_id")["name"].to_dict()
        sales = data.sales
        last = sales[sales["year"] == year - 1]
        gp = last.groupby("customer_id")["gross_profit"].sum().to_dict()
        y3 = data.annual_sales(year - 3).to_dict()
        y2 = data.annual_sales(year - 2).to_dict()
        inv = data.invoices
        balance = (inv["amount"] - inv["paid"]).groupby(inv["customer_id"]).sum().to_dict()
        rows = []
        for r in f.to_dict("records"):
            cid = r["customer_id"]
            months = [r[f"last_m{m}"] for m in range(1, 13)]
            rep = r.get("rep_id")
            extra = {
                "rep_name": reps.get(rep, rep) if isinstance(rep, str) else "",
                "sales_y3": y3.get(cid, 0.0),
                "sales_y2": y2.get(cid, 0.0),
                "gross_profit": gp.get(cid, 0.0),
                "avg_month": monthly_average_of_active_months(months),
                "max_month": max(months) if months else 0.0,
                "balance": balance.get(cid, 0.0),
            }
            row = {**r, **extra}
            rows.append({k: _plain(row.get(k), t) for k, _, _, t in LOOKUP_COLUMNS})
        return rows

    return ctx.memo("customer_lookup", make)


def lookup_row(ctx, customer_id) -> dict | None:
    """The lookup row of a customer id, or None."""
    by_id = ctx.memo(
        "customer_lookup_by_id", lambda: {r["customer_id"]: r for r in customer_lookup(ctx)}
    )
    return by_id.get(customer_id)


def chosen_customer(ctx, rank: int = 1) -> str:
    """The ``rank``-th largest customer by last year's sales (ties by id); "" if none."""
    f = customer_facts(ctx).sort_values(
        ["last_year", "customer_id"], ascending=[False, True], kind="mergesort"
    )
    if f.empty:
        return ""
    return str(f["customer_id"].iloc[min(rank, len(f)) - 1])


def _product_lines(ctx, customer_id: str, k: int = 3, quantity_divisor: float = 12) -> list[dict]:
    """The customer's top products of last year as order lines: list price and about a
    month's quantity."""
    products = ctx.data.products
    by_name = {p["name"]: p for p in products.to_dict("records")}
    s = ctx.data.sales
    mine = s[(s["customer_id"] == customer_id) & (s["year"] == ctx.plan.year - 1)]
    ranked = (
        mine.groupby("product")
        .agg(amount=("amount", "sum"), quantity=("quantity", "sum"))
        .sort_values(["amount"], ascending=False, kind="mergesort")
    )
    names = [p for p in ranked.index if p in by_name][:k]
    names += [p for p in by_name if p not in names][: k - len(names)]
    lines = []
    for name in names:
        p = by_name[name]
        q = ranked["quantity"].get(name, 0.0) if name in ranked.index else 0.0
        qty = max(1, int(round(float(q) / quantity_divisor))) if q == q else 1
        lines.append(
            {
                "item": name,
                "spec": p.get("spec") if isinstance(p.get("spec"), str) else "",
                "unit": p.get("unit") if isinstance(p.get("unit"), str) else "",
                "qty": qty,
                "price": float(p["price"]),
                "vat": "13%",
            }
        )
    return lines


def _record(**values) -> list[dict]:
    return [values]


def _with_samples(ctx, name: str, values: dict, row: dict | None = None) -> list[dict]:
    """``values`` (from the data) plus the dataset's sample entries for this form, if it
    has any (the demo company does; a real company's inputs stay blank)."""
    sample = ctx.data.form_samples.get(name)
    extra = sample(ctx, row or {}) if sample else {}
    return [{**values, **extra}]


@source("customer_lookup")
def customer_lookup_rows(ctx, spec) -> list[dict]:
    """The hidden 客户查询 sheet."""
    return customer_lookup(ctx)


@source("form_gift")
def form_gift(ctx, spec) -> list[dict]:
    """9.3.3: the second-largest customer looked up; the application is the user's."""
    cid = chosen_customer(ctx, 2)
    return _with_samples(ctx, "form_gift", {"customer_id": cid}, lookup_row(ctx, cid))


@source("form_discount")
def form_discount(ctx, spec) -> list[dict]:
    """9.3.7: a concession application for a customer looked up; the application is the
    user's (the demo company has a sample)."""
    cid = chosen_customer(ctx, 3)
    return _with_samples(ctx, "form_discount", {"customer_id": cid}, lookup_row(ctx, cid))


@source("form_market")
def form_market(ctx, spec) -> list[dict]:
    """9.3.8: evaluating a new regional market."""
    regions = ctx.data.regions()
    facts = customer_facts(ctx)
    by_region = facts.groupby("region")["last_year"].sum()
    region = min(regions, key=lambda r: (by_region.get(r, 0.0), r)) if regions else ""
    # the weakest region from the data; the evaluation is the user's
    return _with_samples(ctx, "form_market", {"region": region}, {"region": region})


_LETTERS_BY_GRADE = {
    "AAA": "AAABA",
    "AA": "AABAB",
    "A": "ABBBC",
    "B": "BBCBC",
    "C": "CCCDD",
}


@source("form_credit")
def form_credit(ctx, spec) -> list[dict]:
    """9.3.10: the 5C items with the plan's weights, scored for the largest customer."""
    cid = chosen_customer(ctx, 1)
    row = lookup_row(ctx, cid) or {}
    letters = _LETTERS_BY_GRADE.get(str(row.get("credit_grade", "")), "BBBBB")
    hints = {
        "品质": "经营作风、付款记录、诚信口碑",
        "能力": "经营规模、盈利与偿债能力",
        "资本": "注册资本、净资产、财务结构",
        "条件": "行业前景、经济环境、竞争地位",
        "抵押": "担保、抵押物、保证人",
    }
    items = []
    for k, (item, weight) in enumerate(ctx.plan.scoring.credit_5c.items()):
        items.append(
            {
                "item": item,
                "weight": float(weight),
                "hint": hints.get(item, ""),
                "letter": letters[k % len(letters)],
            }
        )
    return _record(customer_id=cid, eval_date=ctx.plan.as_of, c5=items)


def _latest_order(ctx, cid: str) -> list[dict]:
    """The customer's most recent order as 9.3.12 lists it (same number, same lines);
    [] when it has none in 9.3.12's period."""
    from .crm_sources import customer_orders

    orders = customer_orders(ctx, None)
    mine = [o for o in orders if o["customer_id"] == cid]
    if not mine:
        return []
    last = max(mine, key=lambda o: (o["order_date"], o["order_id"]))
    return [o for o in mine if o["order_id"] == last["order_id"]]


def _order_lines(ctx, orders: list[dict]) -> list[dict]:
    specs = {
        p["name"]: p.get("spec") for p in ctx.data.products.to_dict("records") if p.get("name")
    }
    lines = []
    for o in orders:
        line = {
            "item": o["product"] or "",
            "spec": specs.get(o["product"]) if isinstance(specs.get(o["product"]), str) else "",
            "unit": o["unit"] or "",
            "qty": o["quantity"],
            "price": o["price"],
        }
        lines.append(line)
    return lines


@source("form_order")
def form_order(ctx, spec) -> list[dict]:
    """9.3.11: the largest customer's latest order, as 9.3.12 lists it (its number,
    date, delivery date and lines); payment terms and VAT are the user's. Blank but the
    customer when it has no order in 9.3.12's period."""
    cid = chosen_customer(ctx, 1)
    orders = _latest_order(ctx, cid)
    if not orders:
        return _record(customer_id=cid)
    return _record(
        customer_id=cid,
        order_no=orders[0]["order_id"],
        order_date=orders[0]["order_date"],
        delivery_date=orders[0]["delivery"],
        lines=_order_lines(ctx, orders),
    )


@source("form_delivery")
def form_delivery(ctx, spec) -> list[dict]:
    """9.3.13: the delivery note of the order on 9.3.11 (the note's number is the
    user's)."""
    cid = chosen_customer(ctx, 1)
    orders = _latest_order(ctx, cid)
    if not orders:
        return _record(customer_id=cid)
    return _record(
        customer_id=cid,
        order_no=orders[0]["order_id"],
        delivery_date=orders[0]["delivery"],
        lines=_order_lines(ctx, orders),
    )


def _season_months(ctx, cid: str) -> tuple[str, str]:
    f = customer_facts(ctx).set_index("customer_id")
    if cid not in f.index:
        return "", ""
    months = [float(f.at[cid, f"last_m{m}"]) for m in range(1, 13)]
    order = sorted(range(12), key=lambda m: (months[m], m))
    low = "、".join(f"{m + 1}月" for m in sorted(order[:2]))
    high = "、".join(f"{m + 1}月" for m in sorted(order[-2:]))
    return low, high


@source("form_profile")
def form_profile(ctx, spec) -> list[dict]:
    """9.3.18: the customer card of the second-largest customer: its seasons from the
    data, its contact as the first person; what the data does not hold is blank."""
    cid = chosen_customer(ctx, 2)
    row = lookup_row(ctx, cid) or {}
    low, high = _season_months(ctx, cid)
    person = {"person": row.get("contact", ""), "tel": row.get("phone", "")}
    values = {"customer_id": cid, "low_season": low, "high_season": high}
    if any(person.values()):
        values["people"] = [person]
    return _with_samples(ctx, "form_profile", values, row)


@source("form_entertainment")
def form_entertainment(ctx, spec) -> list[dict]:
    """9.3.19: an entertainment application for a customer looked up; the application is
    the user's (the demo company has a sample)."""
    cid = chosen_customer(ctx, 3)
    return _with_samples(ctx, "form_entertainment", {"customer_id": cid}, lookup_row(ctx, cid))


@source("form_key_account")
def form_key_account(ctx, spec) -> list[dict]:
    """9.3.28: the key-account file of the largest customer: the buying roles to fill in
    and its first trade from the data; people and titles are the user's."""
    cid = chosen_customer(ctx, 1)
    row = lookup_row(ctx, cid) or {}
    values: dict = {
        "customer_id": cid,
        "chain": [{"role": r} for r in ("决策者", "影响者", "使用者", "采购")],
    }
    if row.get("first_trade_date"):
        values["history"] = [{"date": row["first_trade_date"], "event": "首次交易", "note": ""}]
    return _with_samples(ctx, "form_key_account", values, row)


@source("form_account_analysis")
def form_account_analysis(ctx, spec) -> list[dict]:
    """9.3.30: the analysis of the largest customer: its sales looked up; the buying
    roles to fill in; its category spend, people and actions are the user's."""
    cid = chosen_customer(ctx, 1)
    values = {
        "customer_id": cid,
        "chain": [{"role": r} for r in ("决策者", "影响者", "使用者", "采购")],
    }
    return _with_samples(ctx, "form_account_analysis", values, lookup_row(ctx, cid))


@source("form_survey")
def form_survey(ctx, spec) -> list[dict]:
    """9.3.31: the questionnaire for the largest customer, to be filled in by it."""
    cid = chosen_customer(ctx, 1)
    return _with_samples(ctx, "form_survey", {"customer_id": cid}, lookup_row(ctx, cid))


@source("form_manager")
def form_manager(ctx, spec) -> list[dict]:
    """9.3.32: the appraisal of the rep with the most key accounts, year to date."""
    f = customer_facts(ctx)
    reps = ctx.data.reps.set_index("rep_id")
    if f.empty:
        return _record()
    rep = str(
        f.groupby("rep_id")["last_year"]
        .sum()
        .sort_values(ascending=False, kind="mergesort")
        .index[0]
    )
    mine = f[f["rep_id"] == rep]
    from .plan_sources import allocation

    n = actual_months(ctx)
    target = round(
        math.fsum(sum(c.months[:n]) for c in allocation(ctx).customers if c.rep_id == rep), 2
    )
    actual = round(float(mine["ytd"].sum()), 2)
    inv = ctx.data.invoices[ctx.data.invoices["customer_id"].isin(mine["customer_id"])]
    billed, paid = float(inv["amount"].sum()), float(inv["paid"].sum())
    visits = ctx.data.visits
    n_visits = int((visits["rep_id"] == rep).sum()) if len(visits) else 0
    first = pd.to_datetime(mine["first_trade_date"])
    name = reps["name"].get(rep, rep) if rep in reps.index else rep
    dept = reps["department"].get(rep, "") if rep in reps.index else ""
    # from the data: the sales target (the plan's months to date) and the actuals
    # the data holds; the other targets, satisfaction and margin are the user's
    values = dict(
        manager=f"{name}（{rep}）",
        department=dept if isinstance(dept, str) else "",
        period=f"{ctx.plan.year}年1月—{ctx.plan.as_of.month}月",
        items=[
            {"target": target, "actual": actual},
            {"actual": round(paid / billed * 100, 1) if billed else None},
            {"actual": int((first.dt.year == ctx.plan.year).sum())},
            {},
            {},
            {"actual": n_visits},
        ],
    )
    sample = ctx.data.form_samples.get("form_manager")
    if sample:
        extra = sample(ctx, {"customers": len(mine)})
        values["items"] = [{**a, **b} for a, b in zip(values["items"], extra["items"], strict=True)]
    return [values]
