"""A hand-made company as a new user would write it: tables as lists of rows, written
to data.xlsx (or a CSV folder), with a plan.toml beside it."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

PLAN = """[plan]
year = {year}
company = "{company}"
"""

CUSTOMERS = [
    ["客户编号", "客户名称", "区域", "部门", "业务员编号"],
    ["C1", "杭州甲公司", "华东", "直营部", "R1"],
    ["C2", "广州乙公司", "华南", "直营部", "R1"],
    ["C3", "北京丙公司", "华北", "直营部", "R1"],
]
REPS = [["业务员编号", "姓名", "部门"], ["R1", "张三", "直营部"]]


def sales_rows(year: int = 2026) -> list[list]:
    rows = [["客户编号", "月份", "销售额"]]
    for y in (year - 1, year):
        for m in range(1, 13 if y < year else 6):
            for i, cid in enumerate(("C1", "C2", "C3")):
                rows.append([cid, f"{y}-{m:02d}", 1000.0 * (i + 1) + 10 * m])
    return rows


INVOICES = [
    ["发票号", "客户编号", "开票日", "金额", "已收"],
    ["F1", "C1", "2026-03-05", 5000, 1000],
    ["F2", "C2", "2026-05-10", 8000, 0],
]
VISITS = [
    ["客户编号", "日期", "业务员编号", "拜访方式"],
    ["C1", "2026-03-06", "R1", "上门拜访"],
]
PRODUCTS = [["产品编号", "品名", "单价"], ["P1", "甲产品", 12.5]]


def tables(year: int = 2026, **override) -> dict[str, list[list] | None]:
    """The minimal company's tables; ``None`` leaves a table out."""
    t = {
        "客户": [list(r) for r in CUSTOMERS],
        "业务员": [list(r) for r in REPS],
        "销售": sales_rows(year),
        "应收": [list(r) for r in INVOICES],
        "拜访": [list(r) for r in VISITS],
        "产品": [list(r) for r in PRODUCTS],
    }
    t.update(override)
    return t


def write_xlsx(path: Path, tabs: dict[str, list[list] | None]) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "nan_inf_to_errors": True})
    for name, rows in tabs.items():
        if rows is None:
            continue
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    ws.write(i, j, v)
    wb.close()
    return path


def write_csv(folder: Path, tabs: dict[str, list[list] | None], encoding="utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tabs.items():
        if rows is None:
            continue
        with open(folder / f"{name}.csv", "w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(rows)
    return folder


def plan_text(year: int = 2026, company: str = "测试公司", as_of: str | None = "06-30") -> str:
    text = PLAN.format(year=year, company=company)
    return text + (f"as_of = {year}-{as_of}\n" if as_of else "")


def project(
    root: Path,
    year: int = 2026,
    company: str = "测试公司",
    plan_extra: str = "",
    as_of: str | None = "06-30",
    **override,
) -> tuple[Path, Path]:
    """plan.toml and data.xlsx of the minimal company in ``root`` (``as_of=None``: no
    as_of in plan.toml)."""
    root.mkdir(parents=True, exist_ok=True)
    plan = root / "plan.toml"
    plan.write_text(plan_text(year, company, as_of) + plan_extra, encoding="utf-8")
    return plan, write_xlsx(root / "data.xlsx", tables(year, **override))
