"""Row sources of the customer-management list sheets 9.3.5 – 9.3.29 (see sources.py
for the contract: one dict per row with the values of the non-computed columns).

Definitions shared by several sheets (customer_status):

* 期初 (opening): customers whose first trade is before 1 January of the plan year;
* 新增 (new): first trade from 1 January up to the as-of date;
* 流失 (lost): opening customers with no sales this year up to the as-of date.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd

from ..data.dataset import region_sort_key
from ..planning.key_accounts import (
    CREDIT_POINTS,
    STRATEGIC_POINTS,
    grade_label,
    growth_score,
    margin_score,
    ratio_score,
    sales_score,
    tenure_score,
    weighted_score,
)
from ..planning.ratings import KEY_ACCOUNT_CRITERIA, abc_classes
from ..planning.visits import cadence_word, planned_visits, schedule_visits
from ..planning.workdays import next_workday, workdays
from .facts import actual_months, by_region, customer_facts, records
from .sources import ledger_invoices, source

# --- shared ----------------------------------------------------------------------------


def rep_names(ctx) -> dict[str, str]:
    """Rep id → name, computed once per kit."""
    return ctx.memo("rep_names", lambda: ctx.data.reps.set_index("rep_id")["name"].to_dict())


def _rep_name(ctx, rep_id) -> str | None:
    if not isinstance(rep_id, str):
        return None
    return rep_names(ctx).get(rep_id, rep_id)


def _as_of(ctx) -> pd.Timestamp:
    return pd.Timestamp(ctx.plan.as_of)


def customer_status(ctx) -> pd.DataFrame:
    """customer_facts plus boolean columns opening, new and lost (module docstring)."""

    def make() -> pd.DataFrame:
        f = customer_facts(ctx).copy()
        start = pd.Timestamp(ctx.plan.year, 1, 1)
        first = pd.to_datetime(f["first_trade_date"])
        f["opening"] = (first < start) | (first.isna() & (f["last_year"] > 0))
        f["new"] = (first >= start) & (first <= _as_of(ctx))
        f["lost"] = f["opening"] & (f["ytd"] == 0)
        return f

    return ctx.memo("customer_status", make)


def _sales_to_date(ctx) -> pd.DataFrame:
    """This year's sales rows up to the as-of month."""
    s = ctx.data.sales
    return s[(s["year"] == ctx.plan.year) & (s["month_num"] <= actual_months(ctx))]


ORDER_MONTHS = 3  # 9.3.12 lists the orders of the as-of month and the two before it


def _open_invoices(ctx) -> pd.DataFrame:
    inv = ctx.data.invoices
    return inv[inv["amount"].round(2) > inv["paid"].round(2)]


# --- 9.3.5 customer count changes ------------------------------------------------------


@source("customer_counts")
def customer_counts(ctx, spec) -> list[dict]:
    """9.3.5: per region, opening / new / lost customers; transfers are typed by users."""
    f = customer_status(ctx)
    g = f.groupby("region").agg(
        opening=("opening", "sum"), new=("new", "sum"), lost=("lost", "sum")
    )
    rows = []
    for region in sorted(g.index, key=region_sort_key):
        r = g.loc[region]
        lost = int(r["lost"])
        reason = (
            ctx.t(
                f"{lost} 户上年前已交易、今年至基准日无订单",
                f"{lost} earlier customers without orders this year",
            )
            if lost
            else None
        )
        rows.append(
            dict(
                region=region,
                opening=int(r["opening"]),
                lost=lost,
                moved_in=0,
                moved_out=0,
                reason=reason,
            )
        )
    return rows


# --- 9.3.6 register ----------------------------------------------------------------------


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


# --- 9.3.9 new customers -----------------------------------------------------------------


@source("new_customers")
def new_customers(ctx, spec) -> list[dict]:
    """9.3.9: customers whose first trade falls in the plan year up to the as-of date.
    开发日期 is the first contact (earliest visit, else the first trade); 首单金额 the
    sales of the first month with sales."""
    f = customer_status(ctx)
    f = f[f["new"]].sort_values(["first_trade_date", "customer_id"], kind="mergesort")
    visits = ctx.data.visits
    first_visit = visits.groupby("customer_id")["date"].min() if len(visits) else pd.Series()
    rows = []
    n = actual_months(ctx)
    for r in f.itertuples(index=False):
        first_trade = pd.Timestamp(r.first_trade_date)
        fv = first_visit.get(r.customer_id, pd.NaT)
        dev = min(first_trade, fv) if pd.notna(fv) else first_trade
        first_amount = _first_month_amount(r, n)
        status = "意向" if first_amount is None else "成交"
        rows.append(
            dict(
                customer_id=r.customer_id,
                name=r.name,
                region=r.region,
                source=r.source if isinstance(r.source, str) else None,
                type=r.type if isinstance(r.type, str) else None,
                dev_date=dev.date(),
                first_order_date=first_trade.date(),
                first_amount=first_amount,
                developer=_rep_name(ctx, r.rep_id),
                status=status,
                month_goal=5,
                quarter_goal=10,
            )
        )
    return rows


# --- 9.3.12 orders -----------------------------------------------------------------------


@functools.cache
def _last_workday(year: int, month: int) -> dt.date:
    days = workdays(year, month)
    return days[-1] if days else dt.date(year, month, 28)


@source("customer_orders")
def customer_orders(ctx, spec) -> list[dict]:
    """9.3.12's rows, computed once per kit (the order forms 9.3.11 and 9.3.13 read
    them too)."""
    return ctx.memo("customer_orders", lambda: _customer_orders(ctx))


def _customer_orders(ctx) -> list[dict]:
    """9.3.12: one order per sales row of the last three months up to the as-of month.
    Unit price = amount / quantity to the cent; delivery due on the month's last workday;
    orders of the as-of month are approved and not yet shipped, earlier ones complete."""
    # Order numbers are counted over the whole company's orders, so an order has the
    # same number in every kit that lists it.
    s = _sales_to_date(ctx.company)
    s = s[s["month_num"] > actual_months(ctx) - ORDER_MONTHS]
    s = s.sort_values(["month", "customer_id", "product"], kind="mergesort")
    s = s.assign(order_no=range(1, len(s) + 1))
    s = s[s["customer_id"].isin(ctx.data.customers["customer_id"])]
    c = ctx.data.customers
    names = dict(zip(c["customer_id"], c["name"], strict=True))
    units = ctx.data.products.set_index("name")["unit"].to_dict()
    last_month = actual_months(ctx)
    year = ctx.plan.year
    rows = []
    for k, r in zip(s["order_no"], s.itertuples(index=False), strict=True):
        qty = float(r.quantity) if pd.notna(r.quantity) and r.quantity > 0 else 1.0
        price = round(float(r.amount) / qty, 2)
        open_ = r.month_num == last_month
        order_date = (
            pd.Timestamp(r.date).date() if pd.notna(r.date) else dt.date(year, r.month_num, 1)
        )
        rows.append(
            dict(
                order_id=f"SO{year}-{k:05d}",
                order_date=order_date,
                customer_id=r.customer_id,
                name=names.get(r.customer_id),
                product=r.product if isinstance(r.product, str) else None,
                unit=units.get(r.product),
                quantity=qty,
                price=price,
                delivery=_last_workday(year, int(r.month_num)),
                shipped=0.0 if open_ else qty,
                status="已审" if open_ else "完成",
            )
        )
    return rows


# --- 9.3.14 annual sales -----------------------------------------------------------------


@source("customer_annual_sales")
def customer_annual_sales(ctx, spec) -> list[dict]:
    """9.3.14: months of this year (actual months filled), last year same period and full."""
    f = by_region(customer_facts(ctx), "last_year")
    cols = ["region", "customer_id", "name", "last_ytd", "last_year"] + [
        f"m{m}" for m in range(1, 13)
    ]
    return records(f, cols)


# --- 9.3.15 plan execution ---------------------------------------------------------------


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
    rows.sort(key=lambda d: (region_sort_key(d["region"]), -d["annual_plan"], d["customer_id"]))
    return rows


# --- 9.3.16 credit balances --------------------------------------------------------------


def credit_frame(ctx) -> pd.DataFrame:
    """Per customer: opening balance at 1 January, credit sales and collections up to the
    as-of date, the oldest open due date. Closing = opening + sales − collections is the
    open balance (every invoice's amount − paid)."""

    def make() -> pd.DataFrame:
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
        g["oldest_due"] = _open_invoices(ctx).groupby("customer_id")["due_date"].min()
        f = customer_facts(ctx).set_index("customer_id").join(g, how="left").reset_index()
        cols = ["opening", "credit_sales", "collections"]
        f[cols] = f[cols].fillna(0.0)
        return f

    return ctx.memo("credit_frame", make)


@source("credit_balance")
def credit_balance(ctx, spec) -> list[dict]:
    """9.3.16: credit data and this year's movements per customer, by region."""
    f = by_region(credit_frame(ctx), "credit_limit")
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
        "oldest_due",
    ]
    return records(f, cols)


# --- 9.3.17 performance ------------------------------------------------------------------


@source("customer_performance")
def customer_performance(ctx, spec) -> list[dict]:
    """9.3.17: sales and growth, gross profit, billing and collection this year, open
    receivables and orders; complaints and customer costs are typed by users."""
    f = customer_facts(ctx)
    s = _sales_to_date(ctx)
    gp = s.groupby("customer_id")["gross_profit"].sum()
    orders = s.groupby("customer_id").size()
    inv = ctx.data.invoices
    this = inv[
        (inv["invoice_date"] >= pd.Timestamp(ctx.plan.year, 1, 1))
        & (inv["invoice_date"] <= _as_of(ctx))
    ]
    billed = this.groupby("customer_id")["amount"].sum()
    paid = this.groupby("customer_id")["paid"].sum()
    open_inv = _open_invoices(ctx)
    balance = (open_inv["amount"] - open_inv["paid"]).groupby(open_inv["customer_id"]).sum()
    ids = f["customer_id"]
    f = f.assign(
        gross_profit=ids.map(gp).fillna(0.0).round(2),
        orders=ids.map(orders).fillna(0).astype(int),
        billed=ids.map(billed).fillna(0.0).round(2),
        collected=ids.map(paid).fillna(0.0).round(2),
        receivables=ids.map(balance).fillna(0.0).round(2),
    )
    f = by_region(f, "ytd")
    cols = [
        "customer_id",
        "name",
        "region",
        "ytd",
        "last_ytd",
        "gross_profit",
        "billed",
        "collected",
        "receivables",
        "orders",
    ]
    return records(f, cols)


# --- 9.3.20 development plan -------------------------------------------------------------


#: Sales this year below this share of the same period last year: a customer to win back.
DECLINE_SHARE = 0.8


def _first_month_amount(r, n: int) -> float | None:
    """Sales of the first month with sales from the first-trade month up to month n."""
    start = pd.Timestamp(r.first_trade_date).month
    for m in range(start, n + 1):
        amount = getattr(r, f"m{m}")
        if amount and amount > 0:
            return round(float(amount), 2)
    return None


@source("development_plan")
def development_plan(ctx, spec) -> list[dict]:
    """9.3.20: customers to win back or grow again (lost this year, or sales below 80% of
    the same period last year): contact planned on the workdays after the as-of date
    (three a day, largest first), close expected 30 days later (next workday), first order
    = last year's monthly average rounded to the unit; then the year's new customers
    (已成交, with their first order)."""
    f = customer_status(ctx)
    unit = ctx.plan.rounding_unit
    rows = []
    declining = f["opening"] & (f["ytd"] < DECLINE_SHARE * f["last_ytd"])
    targets = f[f["lost"] | declining].sort_values(
        ["last_year", "customer_id"], ascending=[False, True], kind="mergesort"
    )
    day = next_workday(ctx.plan.as_of, inclusive=False)
    for k, r in enumerate(targets.itertuples(index=False)):
        if k and k % 3 == 0:  # three contacts a day
            day = next_workday(day, inclusive=False)
        first = round(float(r.last_year) / 12 / unit) * unit if r.last_year > 0 else None
        rows.append(
            dict(
                target=r.name,
                customer_id=r.customer_id,
                potential=float(r.last_year) or None,
                method="上门拜访" if r.grade in ("A", "B") else "电话开发",
                contact_date=day,
                close_date=next_workday(day + dt.timedelta(30)),
                first_order=first,
                owner=_rep_name(ctx, r.rep_id),
                progress="未开始",
                note=ctx.t("挽回流失客户", "Win back")
                if r.lost
                else ctx.t("销售下滑，重点提升", "Sales falling: grow again"),
            )
        )
    new = f[f["new"]].sort_values(["first_trade_date", "customer_id"], kind="mergesort")
    n = actual_months(ctx)
    for r in new.itertuples(index=False):
        first_trade = pd.Timestamp(r.first_trade_date).date()
        months_traded = max(n - first_trade.month + 1, 1)
        rows.append(
            dict(
                target=r.name,
                customer_id=r.customer_id,
                potential=round(float(r.ytd) / months_traded * 12, 2) or None,
                method="上门拜访" if r.grade in ("A", "B") else "电话开发",
                contact_date=first_trade,
                close_date=first_trade,
                first_order=_first_month_amount(r, n),
                owner=_rep_name(ctx, r.rep_id),
                progress="已成交",
                note=ctx.t("今年新开发", "New this year"),
            )
        )
    return rows


# --- 9.3.21 visit plan -------------------------------------------------------------------


def visit_month(ctx) -> tuple[int, int]:
    """The month the visit plan is for: the month after the as-of date."""
    d = ctx.plan.as_of
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def visit_plan_frame(ctx) -> tuple[pd.DataFrame, list]:
    """The stores each rep visits (A first, then by last year's sales, at most
    ``stores_per_rep``) and their schedule for :func:`visit_month`."""

    def make():
        f = customer_facts(ctx).copy()
        f["grade"] = f["grade"].where(f["grade"].isin(["A", "B", "C"]), "C")
        f = f[f["rep_id"].notna()].sort_values(
            ["rep_id", "grade", "last_year", "customer_id"],
            ascending=[True, True, False, True],
            kind="mergesort",
        )
        f = f.groupby("rep_id", sort=True).head(ctx.plan.visits.stores_per_rep)
        year, month = visit_month(ctx)
        v = ctx.plan.visits
        plan = schedule_visits(
            list(zip(f["customer_id"], f["rep_id"], f["grade"], strict=True)),
            year,
            month,
            cadence=v.cadence,
            max_visits_per_day=v.max_visits_per_day,
            hours_per_visit=v.hours_per_visit,
        )
        return f.set_index("customer_id"), plan

    return ctx.memo("visit_plan", make)


@source("visit_plan")
def visit_plan(ctx, spec) -> list[dict]:
    """9.3.21: next month's visits per rep, on workdays, cadence by grade."""
    f, plan = visit_plan_frame(ctx)
    status = {"A": "重点", "B": "现有", "C": "现有"}
    cols = ["name", "grade", "contact", "phone", "address", "last_year", "ytd"]
    by_id = dict(zip(f.index, f[cols].to_dict("records"), strict=True))  # once, not .loc a row
    rows = []
    for v in plan:
        c = by_id[v.customer_id]
        rows.append(
            dict(
                rep=f"{v.rep_id} {_rep_name(ctx, v.rep_id)}",
                date=v.date,
                customer_id=v.customer_id,
                name=c["name"],
                grade=c["grade"],
                contact=c["contact"] if isinstance(c["contact"], str) else None,
                phone=c["phone"] if isinstance(c["phone"], str) else None,
                address=c["address"] if isinstance(c["address"], str) else None,
                status=status[c["grade"]] if c["last_year"] > 0 or c["ytd"] > 0 else "潜在",
                method="上门拜访",
                purpose="拜访维护",
                hours=v.hours,
            )
        )
    return rows


# --- 9.3.22 / 9.3.29 visit and service records --------------------------------------------


def planned_visits_to_date(ctx, grade) -> int:
    """Visits a customer of ``grade`` should have had in the as-of month (the period of
    the visit and service records; 0 before the plan year)."""
    g = grade if grade in ("A", "B", "C") else "C"
    month = actual_months(ctx)
    if not month:
        return 0
    return planned_visits(g, ctx.plan.year, month, ctx.plan.visits.cadence)


def record_period(ctx) -> tuple[dt.date, dt.date]:
    """The period of the record lists (visits, services, orders): the as-of month, from
    its first day to the as-of date. Older records stay in the data and the history."""
    as_of = _as_of(ctx)
    return as_of.replace(day=1), as_of


SERVICE_TYPES = {"售后服务": "技术支持", "回访": "回访", "对账": "对账", "催款": "对账"}


def _visit_rows(ctx, visits: pd.DataFrame, service: bool) -> list[dict]:
    customers = ctx.data.customers
    by_id = dict(  # plain records, built once (not .loc per visit)
        zip(
            customers["customer_id"],
            customers[["name", "grade", "contact"]].to_dict("records"),
            strict=True,
        )
    )
    start, end = record_period(ctx)
    visits = visits[visits["date"] <= pd.Timestamp(end)].sort_values(
        ["date", "customer_id"], kind="mergesort"
    )
    nxt = visits.groupby("customer_id")["date"].shift(-1)
    keep = (visits["date"] >= pd.Timestamp(start)).to_numpy()
    visits, nxt = visits[keep], nxt[keep]
    # by customer, then date: each customer's visits stand together, so "visits of this
    # customer" (count_same_grouped) counts the rows around it, not the whole list
    order = visits["customer_id"].reset_index(drop=True).sort_values(kind="mergesort").index
    visits, nxt = visits.iloc[order], nxt.iloc[order]
    planned = {g: planned_visits_to_date(ctx, g) for g in ("A", "B", "C")}
    rows = []
    for r, next_date in zip(visits.itertuples(index=False), nxt, strict=True):
        cust = by_id[r.customer_id]
        grade = cust["grade"] if cust["grade"] in planned else "C"
        row = dict(
            date=pd.Timestamp(r.date).date(),
            customer_id=r.customer_id,
            name=cust["name"],
            visitee=cust["contact"] if isinstance(cust["contact"], str) else None,
            rep=_rep_name(ctx, r.rep_id),
            method=r.method if isinstance(r.method, str) else None,
            purpose=r.purpose if isinstance(r.purpose, str) else None,
            result=r.result if isinstance(r.result, str) else None,
            amount=float(r.amount) if pd.notna(r.amount) else None,
            hours=float(r.hours) if pd.notna(r.hours) else None,
            next_date=pd.Timestamp(next_date).date() if pd.notna(next_date) else None,
            planned=planned[grade],
        )
        if service:
            row["service_type"] = SERVICE_TYPES.get(row["purpose"], "其他")
        rows.append(row)
    return rows


@source("visit_records")
def visit_records(ctx, spec) -> list[dict]:
    """9.3.22: the visits of the as-of month up to the as-of date, by customer and date."""
    return _visit_rows(ctx, ctx.data.visits, service=False)


def key_account_ids(ctx) -> list[str]:
    """Key accounts: grade A customers and ABC class A by last year's sales."""
    f = customer_facts(ctx)
    abc = abc_classes(f["last_year"].tolist())
    keep = (f["grade"] == "A").to_numpy() | (pd.Series(abc) == "A").to_numpy()
    return f.loc[keep, "customer_id"].tolist()


@source("key_account_service")
def key_account_service(ctx, spec) -> list[dict]:
    """9.3.29: the key accounts' visits, with the service type from the purpose."""
    v = ctx.data.visits
    return _visit_rows(ctx, v[v["customer_id"].isin(key_account_ids(ctx))], service=True)


# --- 9.3.23 contact plan -----------------------------------------------------------------



@source("contact_plan")
def contact_plan(ctx, spec) -> list[dict]:
    """9.3.23: every customer with its contact frequency (by grade) and last contact
    (latest visit up to the as-of date)."""
    f = customer_facts(ctx)
    v = ctx.data.visits
    v = v[v["date"] <= _as_of(ctx)]
    last = v.groupby("customer_id")["date"].max()
    # reindex, not map: mapping through an empty datetime Series fails on pandas 3
    f = f.assign(last_contact=last.reindex(f["customer_id"].to_numpy()).to_numpy())
    f = f.sort_values(["grade", "last_contact", "customer_id"], kind="mergesort")
    rows = []
    for r in f.itertuples(index=False):
        grade = r.grade if r.grade in ("A", "B", "C") else "C"
        rows.append(
            dict(
                customer_id=r.customer_id,
                name=r.name,
                grade=r.grade if isinstance(r.grade, str) else None,
                contact=r.contact if isinstance(r.contact, str) else None,
                phone=r.phone if isinstance(r.phone, str) else None,
                owner=_rep_name(ctx, r.rep_id),
                frequency=cadence_word(ctx.plan.visits.cadence, grade),
                last_contact=pd.Timestamp(r.last_contact).date()
                if pd.notna(r.last_contact)
                else None,
                method="打电话" if grade == "C" else "上门拜访",
                topic="回访",
            )
        )
    return rows


# --- 9.3.24 key accounts (ABC) -----------------------------------------------------------


@source("key_account_abc")
def key_account_abc(ctx, spec) -> list[dict]:
    """9.3.24: customers by last year's sales, largest first (the ABC order), with the
    visits made this year up to the as-of date."""
    f = customer_facts(ctx).sort_values(
        ["last_year", "customer_id"], ascending=[False, True], kind="mergesort"
    )
    reps = ctx.data.reps.set_index("rep_id")["name"]
    f = f.assign(owner=f["rep_id"].map(reps).fillna(f["rep_id"]), decision_maker=f["contact"])
    visits = ctx.data.visits
    visits = visits[visits["date"] <= _as_of(ctx)]
    counts = visits.groupby("customer_id").size()
    f["visits"] = f["customer_id"].map(counts).fillna(0).astype(int)
    cols = ["customer_id", "name", "grade", "last_year", "decision_maker", "owner", "visits"]
    return records(f, cols)


# --- 9.3.25 regions ----------------------------------------------------------------------


@source("region_analysis")
def region_analysis(ctx, spec) -> list[dict]:
    """9.3.25: one row per region (new and lost as on 9.3.5)."""
    from .plan_sources import customer_plan

    f = customer_status(ctx).merge(customer_plan(ctx), on="customer_id", how="left")
    f["plan"] = f["target"].fillna(0.0)
    inv = ledger_invoices(ctx).merge(f[["customer_id", "region"]], on="customer_id")
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
    g = g.sort_values("region", key=lambda s: s.map(region_sort_key), kind="mergesort")
    for col in ("customers", "new", "lost"):
        g[col] = g[col].astype(int)
    return records(
        g, ["region", "customers", "new", "lost", "ytd", "last_ytd", "plan", "billed", "paid"]
    )


# --- 9.3.26 survey -----------------------------------------------------------------------

SURVEY_BY_GRADE = {"A": "面谈", "B": "电话", "C": "问卷"}


@source("customer_survey")
def customer_survey(ctx, spec) -> list[dict]:
    """9.3.26: one survey line per customer (key customers first); scores are typed."""
    f = customer_facts(ctx).copy()
    f["g"] = f["grade"].where(f["grade"].isin(["A", "B", "C"]), "C")
    f = f.sort_values(["g", "last_year", "customer_id"], ascending=[True, False, True])
    rows = []
    for r in f.itertuples(index=False):
        rows.append(
            dict(
                customer_id=r.customer_id,
                name=r.name,
                grade=r.g,
                contact=r.contact if isinstance(r.contact, str) else None,
                method=SURVEY_BY_GRADE[r.g],
                owner=_rep_name(ctx, r.rep_id),
            )
        )
    return rows


# --- 9.3.27 key-account rating -----------------------------------------------------------

#: Column keys of the 7 criterion scores, in KEY_ACCOUNT_CRITERIA order.
KA_SCORE_KEYS = (
    "s_sales",
    "s_growth",
    "s_margin",
    "s_collection",
    "s_credit",
    "s_years",
    "s_value",
)


def key_account_weights(plan) -> list[float]:
    """The plan's weights for the 7 criteria of 9.3.27 (a criterion it omits weighs 0)."""
    w = plan.scoring.key_account
    return [float(w.get(name, 0.0)) for name in KEY_ACCOUNT_CRITERIA]


def key_account_weight_settings(ctx) -> list[dict]:
    """参数 rows cfg_ka_w1..7: the key-account weights the 9.3.27 formulas use."""
    out = []
    for i, (name, w) in enumerate(
        zip(KEY_ACCOUNT_CRITERIA, key_account_weights(ctx.plan), strict=True), start=1
    ):
        out.append(
            dict(
                key=f"ka_w{i}",
                name=f"cfg_ka_w{i}",
                zh=f"大客户评分权重：{name}",
                en=f"Key-account weight {i}: {name}",
                value=w,
                type="number",
                input=True,
                range=(0, 100),
                note="9.3.27 大客户汇总评定表：总分 = Σ 得分 × 权重 / Σ 权重",
                note_en="9.3.27: score = sum(score x weight) / sum(weights)",
            )
        )
    return out


def _window(sales: pd.DataFrame, col: str, end_year: int, end_month: int) -> pd.Series:
    """Per customer, the sum of ``col`` over the 12 months ending at end_year-end_month."""
    period = sales["year"] * 12 + sales["month_num"] - 1
    end = end_year * 12 + end_month - 1
    s = sales[(period > end - 12) & (period <= end)]
    return s.groupby("customer_id")[col].sum()


def _ka_scores(f: pd.DataFrame, ctx, years_back: int) -> pd.DataFrame:
    """Criterion scores of the rated customers ``years_back`` years before the as-of."""
    as_of = ctx.plan.as_of
    end_year, month = as_of.year - years_back, as_of.month
    sales = ctx.data.sales
    ids = f["customer_id"]
    this = ids.map(_window(sales, "amount", end_year, month)).fillna(0.0)
    prev = ids.map(_window(sales, "amount", end_year - 1, month)).fillna(0.0)
    gp = ids.map(_window(sales, "gross_profit", end_year, month)).fillna(0.0)
    best = float(this.max()) if len(this) else 0.0
    on_time = f["on_time"] if years_back == 0 else f["on_time_prev"]
    due = f["due"] if years_back == 0 else f["due_prev"]
    first = pd.to_datetime(f["first_trade_date"])
    ref = pd.Timestamp(as_of) - pd.DateOffset(years=years_back)
    years = ((ref - first).dt.days / 365.25).clip(lower=0).fillna(0.0)
    return pd.DataFrame(
        {
            "s_sales": [sales_score(x, best) for x in this],
            "s_growth": [growth_score(a, b) for a, b in zip(this, prev, strict=True)],
            "s_margin": [margin_score(a, b) for a, b in zip(gp, this, strict=True)],
            "s_collection": [ratio_score(a, b) for a, b in zip(on_time, due, strict=True)],
            "s_credit": [CREDIT_POINTS.get(g, 60) for g in f["credit_grade"]],
            "s_years": [tenure_score(y) for y in years],
            "s_value": [STRATEGIC_POINTS.get(g, 40) for g in f["grade"]],
            "sales12": this.round(2).to_numpy(),
        },
        index=f.index,
    )


def _on_time(ctx, cutoff: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Per customer: amount due by ``cutoff`` and the part paid in full by its due date."""
    inv = ctx.data.invoices
    inv = inv[inv["due_date"] <= cutoff]
    full = inv["paid"].round(2) >= inv["amount"].round(2)
    in_time = (
        full & inv["last_payment_date"].notna() & (inv["last_payment_date"] <= inv["due_date"])
    )
    due = inv.groupby("customer_id")["amount"].sum()
    ok = inv["amount"].where(in_time, 0.0).groupby(inv["customer_id"]).sum()
    return due, ok


@source("key_account_rating")
def key_account_rating(ctx, spec) -> list[dict]:
    """9.3.27: key accounts (grade A or ABC class A) with criterion scores 0–100 from the
    data over the 12 months to the as-of month, and the previous grade from the same
    rules one year earlier."""
    f = customer_facts(ctx)
    f = f[f["customer_id"].isin(key_account_ids(ctx))].copy()
    as_of = pd.Timestamp(ctx.plan.as_of)
    due, ok = _on_time(ctx, as_of)
    due_p, ok_p = _on_time(ctx, as_of - pd.DateOffset(years=1))
    ids = f["customer_id"]
    f["due"], f["on_time"] = ids.map(due).fillna(0.0), ids.map(ok).fillna(0.0)
    f["due_prev"], f["on_time_prev"] = ids.map(due_p).fillna(0.0), ids.map(ok_p).fillna(0.0)
    nothing_due = f["due_prev"] == 0  # no invoice data a year earlier: carry today's rate
    f.loc[nothing_due, "due_prev"] = f.loc[nothing_due, "due"]
    f.loc[nothing_due, "on_time_prev"] = f.loc[nothing_due, "on_time"]
    now, before = _ka_scores(f, ctx, 0), _ka_scores(f, ctx, 1)
    weights = key_account_weights(ctx.plan)
    first = pd.to_datetime(f["first_trade_date"])
    prev_ref = as_of - pd.DateOffset(years=1)
    rows = []
    now_rows = now.loc[f.index].to_dict("records")  # plain records, not .at per score
    before_rows = before.loc[f.index, list(KA_SCORE_KEYS)].to_dict("records")
    for i, r in enumerate(f.itertuples(index=False)):
        scores_now, scores_before = now_rows[i], before_rows[i]
        prev_scores = [int(scores_before[k]) for k in KA_SCORE_KEYS]
        ft = first.iloc[i]
        if pd.isna(ft) or ft > prev_ref:
            prev_grade = None  # no trade a year ago: nothing to compare with
        else:
            months = (prev_ref.year - ft.year) * 12 + prev_ref.month - ft.month
            months -= 1 if prev_ref.day < ft.day else 0
            prev_grade = grade_label(weighted_score(*prev_scores, *weights), months)
        row = dict(
            customer_id=r.customer_id,
            name=r.name,
            grade=r.grade if isinstance(r.grade, str) else None,
            sales12=float(scores_now["sales12"]),
            first_trade_date=ft.date() if pd.notna(ft) else None,
            previous_grade=prev_grade,
        )
        row.update({k: int(scores_now[k]) for k in KA_SCORE_KEYS})
        rows.append(row)
    rows.sort(key=lambda d: (-d["sales12"], d["customer_id"]))
    return rows
