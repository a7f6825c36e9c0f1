"""What a user would want to hear about their data, though it is not an error.

:func:`data_warnings` returns one line per finding (printed by ``salesplan check`` and
``salesplan build``); none stops the build:

- no sales history at all, or none last year (every target is then 0);
- an incomplete last year: months without sales although the same month of the year
  before had sales (the export probably stopped early; those months would get the lowest
  targets);
- no statutory holiday calendar for the plan year (workdays are then Monday to Friday);
- amounts of 10 billion yuan or more in one row (larger ones are refused at input);
- dates beyond plausibility: invoices dated after the plan year, first trades after the
  customer's last sale;
- customers whose department differs from their rep's;
- plan.toml growth overrides for departments the data does not have.

:func:`resolve_as_of` picks the as-of date (基准日) when plan.toml does not set it: today
when today is inside the plan year, else the last day of the last month with sales.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from .dataset import Dataset

_EXAMPLES = 3


def _examples(values) -> str:
    values = [str(v) for v in values]
    more = f" and {len(values) - _EXAMPLES} more" if len(values) > _EXAMPLES else ""
    return ", ".join(values[:_EXAMPLES]) + more


def _months(nums) -> str:
    return ", ".join(f"{m}月" for m in nums)


def history_warnings(year: int, data: Dataset) -> list[str]:
    sales = data.sales
    if sales.empty:
        return [
            "no sales history at all: every target is 0 (targets grow last year's sales); "
            "add the sales of the past years"
        ]
    out = []
    last = sales[sales["year"] == year - 1]
    if last.empty:
        out.append(
            f"no sales in {year - 1}: every target is 0 (targets grow last year's sales)"
        )
        return out
    before = sales[sales["year"] == year - 2]
    had = set(before.loc[before["amount"] > 0, "month_num"])
    has = set(last.loc[last["amount"] > 0, "month_num"])
    missing = sorted(had - has)
    if missing:
        out.append(
            f"sales of {year - 1} have none in {_months(missing)} although {year - 2} had: "
            "the export may be incomplete, and those months get the lowest targets"
        )
    return out


#: Amounts from this size on are possible but worth a look (a row of 10 billion yuan).
LARGE_AMOUNT = 1e10


def amount_warnings(data: Dataset) -> list[str]:
    out = []
    for table, key, label in (("sales", None, "sales row"), ("invoices", "invoice_id", "invoice")):
        frame = getattr(data, table)
        big = frame[frame["amount"].abs() >= LARGE_AMOUNT]
        if len(big):
            names = big[key] if key else big["customer_id"] + " " + big["month"]
            out.append(
                f"{len(big)} {label}(s) of 10,000,000,000 yuan or more: "
                + _examples(f"{n} ({a:,.2f})" for n, a in zip(names, big["amount"], strict=True))
            )
    return out


def calendar_warnings(year: int) -> list[str]:
    from ..planning.workdays import calendar_covers

    if calendar_covers(year):
        return []
    return [
        f"the statutory holiday calendar has no data for {year} yet: workdays are counted "
        "Monday to Friday (update the chinesecalendar package when the State Council "
        "publishes the holidays)"
    ]


def date_warnings(year: int, data: Dataset) -> list[str]:
    out = []
    inv = data.invoices
    if not inv.empty:
        late = inv[inv["invoice_date"] > pd.Timestamp(year, 12, 31)]
        if len(late):
            out.append(
                f"{len(late)} invoice(s) dated after the plan year {year}: "
                + _examples(
                    f"{i} ({d:%Y-%m-%d})"
                    for i, d in zip(late["invoice_id"], late["invoice_date"], strict=True)
                )
            )
    cust = data.customers
    if not data.sales.empty and cust["first_trade_date"].notna().any():
        last_sale = data.sales.groupby("customer_id")["month"].max()
        first = cust.set_index("customer_id")["first_trade_date"].dropna()
        first_month = first.dt.strftime("%Y-%m")
        common = first_month.index.intersection(last_sale.index)
        after = [c for c in common if first_month[c] > last_sale[c]]
        if after:
            out.append(
                f"{len(after)} customer(s) with a first trade after their last sale: "
                + _examples(f"{c} ({first[c]:%Y-%m-%d} > {last_sale[c]})" for c in after)
            )
    return out


def department_warnings(data: Dataset, overrides=(), source: str = "plan.toml") -> list[str]:
    out = []
    cust, reps = data.customers, data.reps
    rep_dept = reps.set_index("rep_id")["department"]
    linked = cust[cust["rep_id"].notna() & cust["department"].notna()]
    if len(linked):
        theirs = linked["rep_id"].map(rep_dept)
        differ = linked[theirs.notna() & (theirs != linked["department"])]
        if len(differ):
            out.append(
                f"{len(differ)} customer(s) in another department than their rep: "
                + _examples(
                    f"{c} {d} (rep {r} {rep_dept[r]})"
                    for c, d, r in zip(
                        differ["customer_id"], differ["department"], differ["rep_id"], strict=True
                    )
                )
            )
    known = set(data.departments())
    for name in overrides:
        if name not in known:
            out.append(
                f"{source}: [targets.departments] {name}: no such department in the data "
                f"({_examples(sorted(known)) or 'none'}); the override is unused"
            )
    return out


def data_warnings(plan, data: Dataset) -> list[str]:
    """Every warning about ``data`` under ``plan`` (see the module docstring)."""
    return [
        *calendar_warnings(plan.year),
        *history_warnings(plan.year, data),
        *amount_warnings(data),
        *date_warnings(plan.year, data),
        *department_warnings(data, plan.targets.departments, plan.source),
    ]


def resolve_as_of(year: int, data: Dataset, today: dt.date | None = None) -> tuple[dt.date, str]:
    """The default as-of date and why it was chosen.

    >>> from salesplan_xl.data.demo import demo_dataset
    >>> resolve_as_of(2026, demo_dataset(customers=5), today=dt.date(2026, 3, 5))[0]
    datetime.date(2026, 3, 5)
    """
    today = today or dt.date.today()
    if today.year == year:
        return today, "today, inside the plan year"
    months = data.sales["month"] if not data.sales.empty else pd.Series(dtype=str)
    months = months[months <= f"{year:04d}-12"]
    if len(months):
        y, m = (int(x) for x in months.max().split("-"))
        if year - 1 <= y:
            return dt.date(y, m, calendar.monthrange(y, m)[1]), "the last month with sales"
    if today.year < year:
        return dt.date(year - 1, 12, 31), "the plan year has not begun and no sales are near it"
    return dt.date(year, 12, 31), "the plan year is over"
