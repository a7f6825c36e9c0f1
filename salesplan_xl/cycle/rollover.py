"""Year rollover: collect a filled kit into the history store, then build next year's kit.

    path = rollover_workbook(Path("out/salesplan_2026_company.xlsx"))
    # -> out/2027/salesplan_2027_company.xlsx

1. :func:`collect_workbook` reads what users typed: the monthly actual sales of 9.3.2
   客户销售统计表 and new customers added to 9.3.6 客户登记表 (columns found by their
   headers, through the sheets' specs, in either language), and archives the value of
   every input cell by sheet and cell. A bad cell stops everything, named by file, sheet,
   row and column; nothing is stored or written then.
2. :func:`next_year` makes next year's plan and data: the typed months replace the data's
   months of that customer, new customers join the customer table.
3. The kit for the same scope is built beside the workbook, in a folder named by the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
import pandas as pd

from ..config import PlanConfig
from ..data import normalise as nz
from ..data import schema
from ..data.dataset import Dataset, conform
from ..data.readers import convert_value, describe, size_problem
from ..data.xlsx_bounds import bound_problems
from ..errors import InputError, Problem
from ..identity import file_sha256
from ..sheets.spec import SheetSpec, load_specs
from .history import HistoryStore
from .typed_inputs import guard_typed_work

MONTHLY_SALES_SHEET = "9.3.2"
REGISTER_SHEET = "9.3.6"
HEADER_ROW = 3  # 1-based: title, subtitle, header


@dataclass
class Collected:
    monthly_sales: list[tuple[str, int, float]] = field(default_factory=list)
    new_customers: list[dict] = field(default_factory=list)
    archive: list[tuple[str, str, object]] = field(default_factory=list)  # (sheet, cell, value)


def _spec(number: str) -> SheetSpec:
    return next(s for s in load_specs() if s.number == number)


def _sheet(wb, spec: SheetSpec):
    for ws in wb.worksheets:
        if ws.title in (spec.sheet_name("zh"), spec.sheet_name("en")):
            return ws
    return None


def _columns(ws, spec: SheetSpec) -> dict[str, int]:
    """Column key -> 1-based column, from the header row (Chinese or English headers)."""
    by_header = {}
    for c in spec.columns:
        by_header[c.zh] = by_header[c.en or c.zh] = c.key
    out = {}
    for cell in ws[HEADER_ROW]:
        key = by_header.get(str(cell.value).strip()) if cell.value is not None else None
        if key:
            out[key] = cell.column
    return out


END_OF_TABLE = ("合计", "Total", "制表", "Prepared by")


def _rows(ws, cols: dict[str, int]):
    """Data rows with a customer id, down to the total row or the 制表 footer."""
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        first = ws.cell(row=r, column=1).value
        if isinstance(first, str) and first.startswith(END_OF_TABLE):
            return
        cid = ws.cell(row=r, column=cols["customer_id"]).value
        if isinstance(cid, str) and cid.strip() and not cid.startswith("="):
            yield r, cid.strip()


def _clean_customer(row: dict, cols: dict[str, int], ws, r: int, path: Path, problems) -> dict:
    """A new customer's typed values cleaned like the data's (``5万`` -> 50000, ``30天``
    -> 30, text dates); a value that cannot be cleaned is a problem naming its cell."""
    table = schema.TABLES_BY_KEY["customers"]
    known = {c.key: c for c in table.columns}
    out = {}
    for key, value in row.items():
        if value is None or value == "":
            continue
        col = known.get(key)
        if col is None:
            out[key] = value
            continue
        try:
            clean = convert_value(col, value)
        except nz.BadValue as exc:
            header = ws.cell(row=HEADER_ROW, column=cols[key]).value
            problems.append(
                Problem(path.name, ws.title, r, str(header), exc.expected, describe(value))
            )
            continue
        if clean is not None:
            out[key] = clean
    return out


def collect_workbook(path: Path, data: Dataset, year: int) -> Collected:
    """What users typed into the kit at ``path`` (see the module docstring)."""
    too_big = size_problem(path, path.name)
    if too_big:
        raise InputError(too_big)
    beyond = bound_problems(path, path.name)
    if beyond:
        raise InputError(beyond)
    wb = openpyxl.load_workbook(path)  # formulas stay text: nothing is evaluated or linked
    problems: list[Problem] = []
    out = Collected()
    known = set(data.customers["customer_id"])

    reg_spec = _spec(REGISTER_SHEET)
    reg = _sheet(wb, reg_spec)
    if reg is not None:
        cols = _columns(reg, reg_spec)
        for r, cid in _rows(reg, cols):
            if cid in known:
                continue
            row = {key: reg.cell(row=r, column=c).value for key, c in cols.items()}
            for key in ("name", "region"):
                if not row.get(key):
                    header = reg.cell(row=HEADER_ROW, column=cols.get(key, 1)).value
                    problems.append(
                        Problem(
                            path.name,
                            reg.title,
                            r,
                            str(header),
                            expected="a value for a new customer",
                            found="a blank cell",
                        )
                    )
            out.new_customers.append(_clean_customer(row, cols, reg, r, path, problems))
            known.add(cid)

    spec = _spec(MONTHLY_SALES_SHEET)
    ws = _sheet(wb, spec)
    if ws is None:
        raise InputError(
            Problem(path.name, expected=f"a sheet {spec.sheet_name('zh')}", found="none")
        )
    cols = _columns(ws, spec)
    for r, cid in _rows(ws, cols):
        if cid not in known:
            problems.append(
                Problem(
                    path.name,
                    ws.title,
                    r,
                    ws.cell(row=HEADER_ROW, column=cols["customer_id"]).value,
                    expected="a customer of the data or of 9.3.6",
                    found=repr(cid),
                )
            )
            continue
        for m in range(1, 13):
            c = cols.get(f"m{m}")
            value = ws.cell(row=r, column=c).value if c else None
            if value is None or value == "":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(
                    Problem(
                        path.name,
                        ws.title,
                        r,
                        ws.cell(row=HEADER_ROW, column=c).value,
                        expected="an amount of 0 or more",
                        found=repr(value),
                    )
                )
                continue
            out.monthly_sales.append((cid, m, round(float(value), 2)))
    if problems:
        raise InputError(problems)

    out.archive = [
        (s.title, cell.coordinate, cell.value)
        for s in wb.worksheets
        if s.sheet_state == "visible"
        for row in s.iter_rows(min_row=HEADER_ROW + 1)
        for cell in row
        if getattr(cell, "protection", None) is not None
        and cell.protection.locked is False
        and cell.value not in (None, "")
    ]
    return out


def next_year(
    plan: PlanConfig,
    data: Dataset,
    monthly: list[tuple[str, int, float]],
    new_customers: list[dict],
) -> tuple[PlanConfig, Dataset]:
    """Next year's plan (as of the last day of this year) and data with the typed months."""
    year = plan.year
    customers = data.customers
    if new_customers:
        customers = pd.concat([customers, pd.DataFrame(new_customers)], ignore_index=True)
    new_data = replace(
        with_months(data, year, monthly), customers=conform("customers", customers)
    )
    return plan.replace(year=year + 1, as_of=dt.date(year, 12, 31)), new_data


def with_months(data: Dataset, year: int, monthly: list[tuple[str, int, float]]) -> Dataset:
    """The data with the sales of ``year`` replaced, for each (customer, month) given, by
    the amount given (the typed actuals of a kit or of the history store)."""
    typed = {(cid, m) for cid, m, _ in monthly}
    sales = data.sales
    keep = ~(
        (sales["year"] == year)
        & pd.Series(
            list(zip(sales["customer_id"], sales["month_num"], strict=True)), index=sales.index
        ).isin(typed)
    )
    added = pd.DataFrame(
        {
            "customer_id": [c for c, _, _ in monthly],
            "month": [f"{year}-{m:02d}" for _, m, _ in monthly],
            "amount": [a for _, _, a in monthly],
        }
    )
    return replace(data, sales=conform("sales", pd.concat([sales[keep], added], ignore_index=True)))


def rollover_workbook(path: Path, force: bool = False) -> Path:
    """Collect the filled kit at ``path`` and build next year's kit for the same scope
    (the ribbon's 年度滚动). plan.toml and the data are found beside the workbook.
    Next year's kit is not rebuilt over typed input unless ``force`` (a backup is kept)."""
    from ..kit import build_kit, check_inputs, find_inputs, kit_filename, scope_from_filename
    from ..sheets.context import Scope

    path = Path(path)
    plan_path, data_path = find_inputs(path)
    plan, data = check_inputs(plan_path, data_path)
    if not force:  # before anything is stored: next year's kit may already hold typed work
        following = plan.replace(year=plan.year + 1)
        scope = Scope.parse(scope_from_filename(path))
        for suffix in (".xlsx", ".xlsm"):
            guard_typed_work(path.parent / str(following.year) / kit_filename(following, scope, suffix))
    collected = collect_workbook(path, data, plan.year)
    with HistoryStore(plan_path.parent / "history.sqlite") as store:
        digest = file_sha256(path)
        store.record_workbook(path.name, digest, plan.year, scope_from_filename(path))
        store.save_monthly_sales(path.name, plan.year, collected.monthly_sales)
        store.archive(path.name, plan.year, collected.archive)
    next_plan, next_data = next_year(plan, data, collected.monthly_sales, collected.new_customers)
    return build_kit(
        next_plan,
        next_data,
        path.parent / str(next_plan.year),
        scope=scope_from_filename(path),
        force=force,
    )
