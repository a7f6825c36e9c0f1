"""Data of the forms: the hidden customer lookup table and each form's demo record.

A form source returns ``[record]``: one dict with the values of the form's input fields
(by field key) and, for each line table, a list of row dicts (by table id). The layout
(``forms.py``) places them, computes every measure and looks customers up; a value
missing here is a blank input cell.

The demo record fills each form for a real customer (the largest, or the n-th largest,
by last year's sales), so the cached lookups equal what the formulas return.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from .facts import customer_facts
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
        reps = data.reps.set_index("rep_id")["name"]
        sales = data.sales
        last = sales[sales["year"] == year - 1]
        gp = last.groupby("customer_id")["gross_profit"].sum()
        y3 = data.annual_sales(year - 3)
        y2 = data.annual_sales(year - 2)
        inv = data.invoices
        balance = (inv["amount"] - inv["paid"]).groupby(inv["customer_id"]).sum()
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


@source("customer_lookup")
def customer_lookup_rows(ctx, spec) -> list[dict]:
    """The hidden 客户查询 sheet."""
    return customer_lookup(ctx)


@source("form_gift")
def form_gift(ctx, spec) -> list[dict]:
    """9.3.3: a festival gift for the second-largest customer."""
    cid = chosen_customer(ctx, 2)
    row = lookup_row(ctx, cid) or {}
    budget = round(float(row.get("last_year", 0.0)) * 0.005 / 100) * 100.0
    return _record(
        customer_id=cid,
        recipient=row.get("contact", ""),
        position="采购经理",
        reason="节日",
        apply_date=ctx.plan.as_of,
        gift_budget=budget,
        gift_used=round(budget * 0.4 / 100) * 100.0,
        gifts=[
            {"item": "茶叶礼盒", "spec": "500g", "unit": "盒", "qty": 2, "price": 398.0},
            {"item": "定制台历", "spec": "2027版", "unit": "个", "qty": 10, "price": 45.5},
        ],
    )


@source("form_discount")
def form_discount(ctx, spec) -> list[dict]:
    """9.3.7: a price concession on the customer's top product."""
    cid = chosen_customer(ctx, 3)
    line = (_product_lines(ctx, cid, 1) or [{"item": "", "price": 0.0, "qty": 0}])[0]
    as_of = ctx.plan.as_of
    return _record(
        customer_id=cid,
        discount_type="价格折让",
        product=line["item"],
        original_price=line["price"],
        offer_price=round(line["price"] * 0.92, 2),
        quantity=max(line["qty"], 1) * 6,
        valid_from=as_of,
        valid_to=dt.date(as_of.year, 12, 31),
        apply_date=as_of,
        reasons=["年度采购量大、回款及时，申请对主力产品给予价格折让以锁定下半年订单。"],
    )


@source("form_market")
def form_market(ctx, spec) -> list[dict]:
    """9.3.8: evaluating a new regional market."""
    regions = ctx.data.regions()
    facts = customer_facts(ctx)
    by_region = facts.groupby("region")["last_year"].sum()
    region = min(regions, key=lambda r: (by_region.get(r, 0.0), r)) if regions else ""
    return _record(
        market=f"{region}区域二级城市渠道",
        region=region,
        eval_date=ctx.plan.as_of,
        capacity=8_000_000.0,
        expected_sales=600_000.0,
        cost=90_000.0,
        items=[{"score": s} for s in (4, 3, 3, 4, 4)],
    )


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


@source("form_order")
def form_order(ctx, spec) -> list[dict]:
    """9.3.11: an order of the largest customer's top products."""
    cid = chosen_customer(ctx, 1)
    as_of = ctx.plan.as_of
    return _record(
        customer_id=cid,
        order_no=f"SO{ctx.plan.year}-0001",
        order_date=as_of,
        delivery_date=as_of + dt.timedelta(days=7),
        payment="电汇",
        lines=_product_lines(ctx, cid, 3),
    )


@source("form_delivery")
def form_delivery(ctx, spec) -> list[dict]:
    """9.3.13: the delivery note of the order above."""
    cid = chosen_customer(ctx, 1)
    as_of = ctx.plan.as_of
    lines = [{k: v for k, v in ln.items() if k != "vat"} for ln in _product_lines(ctx, cid, 3)]
    return _record(
        customer_id=cid,
        note_no=f"DN{ctx.plan.year}-0001",
        order_no=f"SO{ctx.plan.year}-0001",
        delivery_date=as_of + dt.timedelta(days=7),
        lines=lines,
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
    """9.3.18: the customer card of the second-largest customer."""
    cid = chosen_customer(ctx, 2)
    row = lookup_row(ctx, cid) or {}
    low, high = _season_months(ctx, cid)
    return _record(
        customer_id=cid,
        legal_rep=row.get("contact", ""),
        capital=5_000_000.0,
        employees=120,
        domestic=0.85,
        low_season=low,
        high_season=high,
        people=[
            {
                "person": row.get("contact", ""),
                "title": "采购经理",
                "tel": row.get("phone", ""),
                "character": "务实、重交期",
                "hobby": "羽毛球",
            }
        ],
    )


@source("form_entertainment")
def form_entertainment(ctx, spec) -> list[dict]:
    """9.3.19: a business dinner for the third-largest customer."""
    cid = chosen_customer(ctx, 3)
    return _record(
        customer_id=cid,
        guests=3,
        hosts=2,
        visit_date=ctx.plan.as_of,
        item="餐饮",
        reason="年度合作洽谈",
        meals=1,
        budget=560.0,
    )


@source("form_key_account")
def form_key_account(ctx, spec) -> list[dict]:
    """9.3.28: the key-account file of the largest customer."""
    cid = chosen_customer(ctx, 1)
    row = lookup_row(ctx, cid) or {}
    return _record(
        customer_id=cid,
        chain=[
            {"role": "决策者", "person": row.get("contact", ""), "title": "总经理"},
            {"role": "影响者", "title": "技术总监"},
            {"role": "使用者", "title": "生产经理"},
            {"role": "采购", "title": "采购经理"},
        ],
        history=[
            {
                "date": row.get("first_trade_date", "") or None,
                "event": "首次交易",
                "note": "",
            }
        ],
    )


@source("form_account_analysis")
def form_account_analysis(ctx, spec) -> list[dict]:
    """9.3.30: the analysis of the largest customer."""
    cid = chosen_customer(ctx, 1)
    row = lookup_row(ctx, cid) or {}
    spend = round(float(row.get("last_year", 0.0)) / 0.35 / 10000) * 10000.0
    return _record(
        customer_id=cid,
        category_spend=spend,
        chain=[
            {"role": "决策者", "title": "总经理"},
            {"role": "影响者", "title": "技术总监"},
            {"role": "使用者", "title": "生产经理"},
            {"role": "采购", "person": row.get("contact", ""), "title": "采购经理"},
        ],
        actions=[
            {"action": "季度业务回顾会", "owner": row.get("rep_name", ""), "status": "进行中"}
        ],
    )


@source("form_survey")
def form_survey(ctx, spec) -> list[dict]:
    """9.3.31: a filled questionnaire of the largest customer."""
    cid = chosen_customer(ctx, 1)
    row = lookup_row(ctx, cid) or {}
    return _record(
        customer_id=cid,
        respondent=row.get("contact", ""),
        survey_date=ctx.plan.as_of,
        questions=[{"score": s} for s in (5, 4, 4, 5, 4, 3, 4)],
        recommend=8,
    )


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
    growth = ctx.plan.targets.growth
    target = round(float(mine["last_ytd"].sum()) * (1 + growth), -2)
    actual = round(float(mine["ytd"].sum()), 2)
    inv = ctx.data.invoices[ctx.data.invoices["customer_id"].isin(mine["customer_id"])]
    billed, paid = float(inv["amount"].sum()), float(inv["paid"].sum())
    visits = ctx.data.visits
    n_visits = int((visits["rep_id"] == rep).sum()) if len(visits) else 0
    first = pd.to_datetime(mine["first_trade_date"])
    name = reps["name"].get(rep, rep) if rep in reps.index else rep
    dept = reps["department"].get(rep, "") if rep in reps.index else ""
    return _record(
        manager=f"{name}（{rep}）",
        department=dept if isinstance(dept, str) else "",
        period=f"{ctx.plan.year}年1月—{ctx.plan.as_of.month}月",
        items=[
            {"target": target, "actual": actual},
            {"target": 90, "actual": round(paid / billed * 100, 1) if billed else 0.0},
            {"target": 5, "actual": int((first.dt.year == ctx.plan.year).sum())},
            {"target": 90, "actual": 88},
            {"target": 25, "actual": 24},
            {"target": max(1, len(mine)) * 2 * max(ctx.plan.as_of.month, 1), "actual": n_visits},
        ],
    )
