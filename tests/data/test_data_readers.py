"""load_data: workbooks and CSV folders, header detection, and every rejection with its
exact message."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from salesplan_xl.data import readers
from salesplan_xl.data.readers import load_data
from salesplan_xl.errors import InputError

YEAR = 2026


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write rows as given (row 1 first); None leaves a cell empty; text stays text."""
    wb = xlsxwriter.Workbook(str(path))
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), datef)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, v)
    wb.close()
    return path


def base() -> dict[str, list[list]]:
    return {
        "客户": [
            ["客户编号", "客户名称", "区域", "部门", "业务员编号", "信用期(天)", "客户等级"],
            ["C1", "甲公司", "华东", "直营部", "R1", 45, "A 重点客户"],
            ["C2", "乙公司", "华南", "渠道部", "R2", None, "B"],
        ],
        "业务员": [
            ["业务员编号", "姓名", "部门", "区域"],
            ["R1", "张三", "直营部", "华东"],
            ["R2", "李四", "渠道部", "华南"],
        ],
        "销售": [
            ["客户编号", "月份", "销售额", "毛利"],
            ["C1", "2025-01", 100.0, 20.0],
            ["C2", "2025-02", 200.5, -3.0],
        ],
        "应收": [
            ["发票号", "客户编号", "开票日", "金额", "已收"],
            ["F1", "C1", dt.date(2025, 12, 1), 1000, 200],
            ["F2", "C2", dt.date(2025, 12, 10), 500, None],
        ],
    }


def problems_of(path, **kw) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_data(path, year=YEAR, **kw)
    return [str(p) for p in exc.value.problems]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work in tmp_path so messages name the file as given: data.xlsx."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_valid_workbook_loads_with_types_and_defaults(in_tmp):
    write_xlsx(in_tmp / "data.xlsx", base())
    d = load_data("data.xlsx", year=YEAR)
    assert d.source == "data.xlsx"
    assert d.customers["customer_id"].tolist() == ["C1", "C2"]
    assert d.customers["grade"].tolist() == ["A", "B"]
    assert d.customers["credit_days"].tolist()[0] == 45
    assert pd.isna(d.customers["credit_days"].tolist()[1])
    assert d.sales["month"].tolist() == ["2025-01", "2025-02"]
    assert d.sales["year"].tolist() == [2025, 2025]
    assert d.sales["month_num"].tolist() == [1, 2]
    assert d.sales["gross_profit"].tolist() == [20.0, -3.0]
    # due date: invoice date + credit days (45), else 30; blank paid is 0
    assert d.invoices["due_date"].dt.date.tolist() == [dt.date(2026, 1, 15), dt.date(2026, 1, 9)]
    assert d.invoices["paid"].tolist() == [200.0, 0.0]
    assert len(d.visits) == 0 and list(d.visits.columns)[:2] == ["customer_id", "date"]
    assert str(d.invoices["invoice_date"].dtype) == "datetime64[ns]"


def test_title_row_blank_rows_fullwidth_spaces_and_english_headers(in_tmp):
    t = base()
    t["客户"] = [
        ["2026 年客户清单"],
        [],
        [
            "Customer ID",
            "\u3000客户名称\u3000",
            " Region ",
            "dept",
            "Rep ID",
            "credit term",
            "Grade",
        ],
        [],
        ["\u3000Ｃ１\u3000", "甲公司\u00a0", "华东", "直营部", "R1", "45天", "A 重点客户"],
        [None, None, "  "],
        ["C2", "乙公司", "华南", "渠道部", "R2", None, None],
    ]
    t["销售"] = [
        ["Sales export", None, None],
        ["customer_id", "Date", "Amount"],
        ["C1", "2025年3月5日", "¥1,234.50"],
        ["C2", 45721, "(0)"],
    ]
    t["customers"] = t.pop("客户")  # English sheet name
    write_xlsx(in_tmp / "data.xlsx", t)
    d = load_data("data.xlsx", year=YEAR)
    assert d.customers["customer_id"].tolist() == ["C1", "C2"]
    assert d.customers["name"].tolist() == ["甲公司", "乙公司"]
    assert d.customers["credit_days"].tolist()[0] == 45
    assert d.sales["month"].tolist() == ["2025-03", "2025-03"]
    assert d.sales["date"].dt.date.tolist() == [dt.date(2025, 3, 5)] * 2
    assert d.sales["amount"].tolist() == [1234.5, 0.0]


def test_duplicate_customer_id_message_counts_title_and_blank_rows(in_tmp):
    t = base()
    t["客户"] = [
        ["客户资料"],
        ["客户编号", "客户名称", "区域"],
        ["C0007", "甲", "华东"],
        ["C1", "乙", "华东"],
        [],
        ["C2", "丙", "华南"],
        ["C0007", "丁", "华北"],
    ]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 客户, row 7, column 客户编号: expected a unique customer id, "
        "found 'C0007' (also on row 3)"
    ]


def test_duplicate_invoice_and_paid_above_amount_and_due_before_invoice(in_tmp):
    t = base()
    t["应收"] = [
        ["发票号", "客户编号", "开票日", "到期日", "金额", "已收"],
        ["F1", "C1", dt.date(2025, 3, 5), None, 1000, 1200],
        ["F1", "C2", dt.date(2025, 3, 5), "2025-03-01", 1000, 0],
    ]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 应收, row 2, column 已收: expected no more than the invoice amount "
        "(1,000.00), found 1200",
        "data.xlsx, sheet 应收, row 3, column 发票号: expected a unique invoice number, "
        "found 'F1' (also on row 2)",
        "data.xlsx, sheet 应收, row 3, column 到期日: expected a date on or after the invoice "
        "date (2025-03-05), found '2025-03-01'",
    ]


def test_missing_sheet_and_missing_columns(in_tmp):
    t = base()
    del t["业务员"]
    t["客户"] = [["客户编号", "名称"], ["C1", "甲"]]
    t["销售"] = [["客户编号", "销售额"], ["C1", 5]]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 客户, row 1, column 客户名称: expected a column 客户名称 (customer name) "
        "in the header row, found headers 客户编号, 名称",
        "data.xlsx, sheet 客户, row 1, column 区域: expected a column 区域 (region) "
        "in the header row, found headers 客户编号, 名称",
        "data.xlsx: expected a sheet named 业务员 (or reps), found sheets 客户, 销售, 应收",
        "data.xlsx, sheet 销售, row 1, column 月份: expected a column 月份 (month) or 日期 (date) "
        "in the header row, found headers 客户编号, 销售额",
    ]


def test_no_header_row_at_all(in_tmp):
    t = base()
    t["业务员"] = [["人员名单"], ["x", "y"]]
    write_xlsx(in_tmp / "data.xlsx", t)
    got = problems_of("data.xlsx")
    assert got == [
        f"data.xlsx, sheet 业务员, column {zh}: expected a header row with column {zh} ({en}) "
        "in the first 10 rows, found no header row"
        for zh, en in (("业务员编号", "rep id"), ("姓名", "name"), ("部门", "department"))
    ]


def test_canonical_header_beats_an_alias_for_the_same_column(in_tmp):
    t = base()
    t["业务员"] = [
        ["业务员编号", "所属部门", "姓名", "部门"],
        ["R1", "x", "张", "直营部"],
        ["R2", "y", "李", "渠道部"],
    ]
    t["销售"][0] = ["客户编号", "月份", "金额", "销售额"]
    t["销售"][1][2:] = [999, 100.0]
    t["销售"][2][2:] = [999, 200.5]
    write_xlsx(in_tmp / "data.xlsx", t)
    d = load_data("data.xlsx", year=YEAR)
    assert d.reps["department"].tolist() == ["直营部", "渠道部"]
    assert d.sales["amount"].tolist() == [100.0, 200.5]


def test_duplicate_alias_headers_clash(in_tmp):
    t = base()
    t["业务员"] = [["业务员编号", "姓名", "销售部门", "所属部门"], ["R1", "张", "直营部", "x"]]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 业务员, row 1, column 所属部门: expected one column for 部门, "
        "found columns 销售部门 and 所属部门"
    ]


def test_missing_values_unparseable_values_and_ranges(in_tmp):
    t = base()
    t["客户"] += [
        [None, "丙", "华北"],
        ["C3", None, "华北", None, None, -5, "D"],
        ["C4", "丁", "华北", None, None, 30.5, "A"],
    ]
    t["客户"][0].append("信用额度")
    t["客户"][1].append("-100")
    t["销售"] += [["C1", "2025-13", "abc"], ["C2", "2025-04", -120]]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 客户, row 2, column 信用额度: expected a non-negative amount, found '-100'",
        "data.xlsx, sheet 客户, row 4, column 客户编号: expected a customer id, found a blank cell",
        "data.xlsx, sheet 客户, row 5, column 客户名称: expected a customer name, found a blank cell",
        "data.xlsx, sheet 客户, row 5, column 信用期(天): expected a number from 0 to 3650, found -5",
        "data.xlsx, sheet 客户, row 5, column 客户等级: expected one of A, B, C, found 'D'",
        "data.xlsx, sheet 客户, row 6, column 信用期(天): expected a whole number, found 30.5",
        "data.xlsx, sheet 销售, row 4, column 月份: expected a month such as 2025-03, found '2025-13'",
        "data.xlsx, sheet 销售, row 4, column 销售额: expected an amount of money such as 1234.50, "
        "found 'abc'",
        "data.xlsx, sheet 销售, row 5, column 销售额: expected a non-negative amount, found -120",
    ]


def test_unknown_customers_and_reps(in_tmp):
    t = base()
    t["客户"][2][4] = "R9"
    t["销售"].append(["C9", "2025-03", 1])
    t["应收"].append(["F3", "C8", dt.date(2025, 1, 1), 5, 0])
    t["拜访"] = [
        ["客户编号", "日期", "业务员编号"],
        ["C7", dt.date(2026, 2, 1), "R1"],
        ["C1", "2026-02-02", "R7"],
    ]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 客户, row 3, column 业务员编号: expected a rep id listed on sheet 业务员, found 'R9'",
        "data.xlsx, sheet 销售, row 4, column 客户编号: expected a customer id listed on sheet 客户, found 'C9'",
        "data.xlsx, sheet 应收, row 4, column 客户编号: expected a customer id listed on sheet 客户, found 'C8'",
        "data.xlsx, sheet 拜访, row 2, column 客户编号: expected a customer id listed on sheet 客户, found 'C7'",
        "data.xlsx, sheet 拜访, row 3, column 业务员编号: expected a rep id listed on sheet 业务员, found 'R7'",
    ]


def test_sales_months_window_and_month_date_rules(in_tmp):
    t = base()
    t["销售"] = [
        ["客户编号", "月份", "日期", "销售额"],
        ["C1", "2022-12", None, 1],  # before Jan 2023
        ["C1", "2023-01", None, 1],  # first month allowed
        ["C1", None, dt.date(2027, 1, 3), 1],  # after Dec 2026
        ["C1", "2026-12", None, 1],  # last month allowed
        ["C1", None, None, 1],
        ["C1", "2025-04", "2025-03-31", 1],
        ["C1", "2025-03", "2025-03-31", 1],
    ]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 销售, row 2, column 月份: expected a month from 2023-01 to 2026-12, found '2022-12'",
        "data.xlsx, sheet 销售, row 4, column 日期: expected a month from 2023-01 to 2026-12, found 2027-01-03",
        "data.xlsx, sheet 销售, row 6, column 月份: expected a month or a date, found a blank cell",
        "data.xlsx, sheet 销售, row 7, column 月份: expected the month of 日期 (2025-03), found '2025-04'",
    ]
    # a longer history window accepts 2022
    t["销售"] = t["销售"][:3]
    write_xlsx(in_tmp / "data.xlsx", t)
    assert len(load_data("data.xlsx", year=YEAR, history_years=4).sales) == 2


def test_all_problems_reported_at_once_in_table_order(in_tmp):
    t = base()
    t["客户"].append(["C1", "重复", "华北"])
    t["业务员"].append(["R3", None, "直营部"])
    t["销售"].append(["C5", "2025-05", "x"])
    t["应收"].append(["F9", "C1", "not a date", -1, 0])
    t["产品"] = [["产品编号", "品名", "新品"], ["P1", "甲", "maybe"]]
    write_xlsx(in_tmp / "data.xlsx", t)
    with pytest.raises(InputError) as exc:
        load_data("data.xlsx", year=YEAR)
    err = exc.value
    assert [str(p) for p in err.problems] == [
        "data.xlsx, sheet 客户, row 4, column 客户编号: expected a unique customer id, found 'C1' (also on row 2)",
        "data.xlsx, sheet 业务员, row 4, column 姓名: expected a name, found a blank cell",
        "data.xlsx, sheet 销售, row 4, column 客户编号: expected a customer id listed on sheet 客户, found 'C5'",
        "data.xlsx, sheet 销售, row 4, column 销售额: expected an amount of money such as 1234.50, found 'x'",
        "data.xlsx, sheet 应收, row 4, column 开票日: expected a date such as 2025-03-05, found 'not a date'",
        "data.xlsx, sheet 应收, row 4, column 金额: expected a non-negative amount, found -1",
        "data.xlsx, sheet 产品, row 2, column 新品: expected 是 or 否 (yes or no), found 'maybe'",
    ]
    assert err.report().startswith("7 problems in the input:\n  - data.xlsx, sheet 客户, row 4")
    p = err.problems[0]
    assert (p.file, p.sheet, p.row, p.column) == ("data.xlsx", "客户", 4, "客户编号")
    assert (p.expected, p.found) == ("a unique customer id", "'C1' (also on row 2)")


def test_formulas_are_not_evaluated(in_tmp):
    path = write_xlsx(in_tmp / "data.xlsx", base())
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in base().items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()))
                elif v is not None:
                    ws.write(i, j, v)
    wb.worksheets()[2].write_formula("C2", "=1+1", None, 77)  # cached 77, formula says 2
    wb.worksheets()[2].write_formula("C3", "=[1]Sheet1!A1", None, 5)  # external link
    wb.close()
    d = load_data("data.xlsx", year=YEAR)
    assert d.sales["amount"].tolist() == [77.0, 5.0]


def test_file_size_and_row_limits(in_tmp, monkeypatch):
    write_xlsx(in_tmp / "data.xlsx", base())
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1024)
    got = problems_of("data.xlsx")
    assert len(got) == 1 and got[0].startswith("data.xlsx: expected a file of at most 0 MB, found ")
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet 客户: expected at most 2 rows, found 3 rows",
        "data.xlsx, sheet 业务员: expected at most 2 rows, found 3 rows",
        "data.xlsx, sheet 销售: expected at most 2 rows, found 3 rows",
        "data.xlsx, sheet 应收: expected at most 2 rows, found 3 rows",
    ]


def test_unreadable_missing_and_wrong_kind_of_path(in_tmp):
    (in_tmp / "data.xlsx").write_bytes(b"not a zip file")
    got = problems_of("data.xlsx")
    assert len(got) == 1
    assert got[0].startswith(
        "data.xlsx: expected an Excel workbook (.xlsx, .xlsm, .xls or .ods), "
        "found a file that cannot be read ("
    )
    assert problems_of("nothing.xlsx") == [
        "nothing.xlsx: expected an Excel workbook or a folder of CSV files, found nothing at that path"
    ]
    (in_tmp / "data.txt").write_text("x")
    assert problems_of("data.txt") == [
        "data.txt: expected an Excel workbook (.xlsx, .xlsm, .xls or .ods) or a folder of CSV "
        "files, found a .txt file"
    ]


def test_two_sheets_for_one_table(in_tmp):
    t = base()
    t["sales"] = copy.deepcopy(t["销售"])
    write_xlsx(in_tmp / "data.xlsx", t)
    assert problems_of("data.xlsx") == [
        "data.xlsx, sheet sales: expected one sheet for table 销售, found sheets 销售 and sales"
    ]


# -- CSV folders -----------------------------------------------------------------------


def write_csv(folder: Path, name: str, rows: list[list], encoding: str = "utf-8-sig", sep=","):
    lines = [sep.join("" if v is None else str(v) for v in row) for row in rows]
    (folder / name).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def csv_tables() -> dict[str, list[list]]:
    t = base()
    t["应收"] = [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in t["应收"]]
    return t


def test_csv_folder_utf8_bom_gbk_and_english_names(in_tmp):
    folder = in_tmp / "data"
    folder.mkdir()
    t = csv_tables()
    write_csv(folder, "客户.csv", t["客户"], "gbk")
    write_csv(folder, "reps.csv", t["业务员"], "utf-8")
    write_csv(folder, "Sales.csv", [["备注：导出自 ERP"], *t["销售"]], "utf-8-sig", sep="\t")
    write_csv(folder, "应收.csv", t["应收"], "gb18030")
    (folder / "readme.txt").write_text("ignored")
    d = load_data("data", year=YEAR)
    assert d.customers["name"].tolist() == ["甲公司", "乙公司"]
    assert d.reps["name"].tolist() == ["张三", "李四"]
    assert d.sales["amount"].tolist() == [100.0, 200.5]
    assert d.invoices["invoice_date"].dt.date.tolist() == [
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 10),
    ]


def test_csv_problems_name_the_file_and_row(in_tmp):
    folder = in_tmp / "data"
    folder.mkdir()
    t = csv_tables()
    t["客户"].append(["C1", "丙", "华北"])
    write_csv(folder, "客户.csv", t["客户"])
    write_csv(folder, "业务员.csv", t["业务员"])
    write_csv(folder, "销售.csv", [*t["销售"], ["C9", "2025-01", "1,000"]])
    (folder / "应收.csv").write_bytes(b"\xff\xfe\x00\xd8 broken \x81")
    assert problems_of("data") == [
        "data/客户.csv, row 4, column 客户编号: expected a unique customer id, found 'C1' (also on row 2)",
        "data/销售.csv, row 4, column 客户编号: expected a customer id listed in 客户.csv, found 'C9'",
        "data/应收.csv: expected a CSV file in UTF-8 or GBK encoding, found undecodable bytes",
    ]


def test_csv_folder_missing_files(in_tmp):
    folder = in_tmp / "data"
    folder.mkdir()
    write_csv(folder, "customers.csv", csv_tables()["客户"])
    assert problems_of("data") == [
        "data: expected a file 业务员.csv (or reps.csv), found files customers.csv",
        "data: expected a file 销售.csv (or sales.csv), found files customers.csv",
    ]


def test_csv_row_limit(in_tmp, monkeypatch):
    folder = in_tmp / "data"
    folder.mkdir()
    for name, rows in csv_tables().items():
        write_csv(folder, f"{name}.csv", rows)
    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    assert problems_of("data")[0] == (
        "data/客户.csv: expected at most 2 rows, found more than 2 rows"
    )
