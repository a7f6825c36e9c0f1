"""The blank input workbook written by ``salesplan init``.

Sheets: 说明 (how to fill each table), one sheet per input table (客户 业务员 销售 应收 拜访
产品) and the hidden 字典 sheet holding the dropdown lists as defined names (区域,
客户等级, 客户类型, ...). Each table sheet has a title row, the header row (required
headers in red, every header with a note giving the English name and what is expected),
a few example rows that :func:`salesplan_xl.data.readers.load_data` accepts, frozen
panes, column formats, and data validations: dropdowns pointing at the defined names,
dates, non-negative amounts and whole numbers.

The file is written atomically (a temporary file in the same directory, then
``os.replace``) and is byte-identical for the same ``year``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from salesplan_xl.data import schema
from salesplan_xl.render.files import output_folder, publish, temp_path, write_failed

GUIDE_SHEET = "说明"
DICTIONARY_SHEET = "字典"
TITLE_ROW = 0
HEADER_ROW = 1
FIRST_DATA_ROW = 2
LAST_ROW = 1_048_575  # 0-based last row of a worksheet
MIN_VALID_DATE = dt.date(1950, 1, 1)
MAX_VALID_DATE = dt.date(2100, 12, 31)

_TYPE_HELP = {
    schema.TEXT: "文本 text",
    schema.CHOICE: "选项 one of {choices}",
    schema.MONEY: "金额（元）amount in yuan, e.g. 1234.50",
    schema.NUMBER: "数字 number",
    schema.INT: "整数 whole number",
    schema.DATE: "日期 date, yyyy-mm-dd",
    schema.MONTH: "月份 month, YYYY-MM (e.g. 2025-03)",
    schema.BOOL: "是 / 否 (yes / no)",
    schema.PERCENT: "百分比 percentage, e.g. 13%",
}

_WIDTHS = {
    schema.TEXT: 14,
    schema.CHOICE: 14,
    schema.MONEY: 14,
    schema.NUMBER: 10,
    schema.INT: 10,
    schema.DATE: 12,
    schema.MONTH: 10,
    schema.BOOL: 8,
    schema.PERCENT: 10,
}
_WIDE = {"name": 28, "address": 28, "tax_id": 22, "phone": 14}


def example_rows(year: int) -> dict[str, list[dict[str, object]]]:
    """Example rows per table (canonical keys), valid for a plan of ``year``."""
    y1 = year - 1
    return {
        "customers": [
            {
                "customer_id": "C0001",
                "name": "上海鑫达贸易有限公司",
                "region": "华东",
                "department": "直营部",
                "rep_id": "R001",
                "type": "经销商",
                "grade": "A 重点客户",
                "source": "转介绍",
                "credit_limit": 500000,
                "credit_days": 60,
                "first_trade_date": dt.date(year - 5, 3, 15),
                "contact": "王经理",
                "phone": "13800000001",
                "address": "上海市人民路1号",
                "ownership": "私营",
                "tax_id": "91310000MA1K000001",
                "credit_grade": "AA",
            },
            {
                "customer_id": "C0002",
                "name": "广州华盛科技有限公司",
                "region": "华南",
                "department": "渠道部",
                "rep_id": "R002",
                "type": "代理商",
                "grade": "B 普通客户",
                "source": "广告",
                "credit_limit": 200000,
                "credit_days": 30,
                "first_trade_date": dt.date(year - 2, 6, 1),
                "contact": "李女士",
                "phone": "13900000002",
                "address": "广州市中山路88号",
                "ownership": "有限责任公司",
                "tax_id": "91440100MA5C000002",
                "credit_grade": "A",
            },
            {
                "customer_id": "C0003",
                "name": "北京恒通商贸有限公司",
                "region": "华北",
                "department": "渠道部",
                "rep_id": "R002",
                "type": "零售商",
                "grade": "C 非优先客户",
                "source": "陌拜",
                "first_trade_date": dt.date(y1, 9, 10),
                "contact": "赵先生",
                "phone": "13700000003",
            },
        ],
        "reps": [
            {"rep_id": "R001", "name": "张伟", "department": "直营部", "region": "华东"},
            {"rep_id": "R002", "name": "李娜", "department": "渠道部", "region": "华南"},
        ],
        "sales": [
            {
                "customer_id": "C0001",
                "month": f"{y1}-01",
                "amount": 120000.00,
                "gross_profit": 30000.00,
                "product": "智能控制器",
                "quantity": 45,
            },
            {
                "customer_id": "C0001",
                "month": f"{y1}-02",
                "amount": 86500.50,
                "gross_profit": 20100.00,
                "product": "智能控制器",
                "quantity": 32,
            },
            {"customer_id": "C0002", "month": f"{y1}-01", "amount": 45800.00},
            {
                "customer_id": "C0003",
                "date": dt.date(y1, 10, 18),
                "amount": 12600.00,
                "product": "物联网网关",
                "quantity": 3,
            },
        ],
        "invoices": [
            {
                "invoice_id": "FP0001",
                "customer_id": "C0001",
                "invoice_date": dt.date(y1, 11, 5),
                "due_date": dt.date(y1 + 1, 1, 4),
                "amount": 120000.00,
                "paid": 60000.00,
                "last_payment_date": dt.date(y1, 12, 20),
                "contract_id": f"HT{y1}-001",
                "payment_method": "电汇",
                "collector": "张伟",
            },
            {
                "invoice_id": "FP0002",
                "customer_id": "C0002",
                "invoice_date": dt.date(y1, 12, 1),
                "amount": 45800.00,
                "contract_id": f"HT{y1}-002",
                "collector": "李娜",
            },
        ],
        "visits": [
            {
                "customer_id": "C0001",
                "date": dt.date(y1, 12, 10),
                "rep_id": "R001",
                "method": "上门拜访",
                "purpose": "回访",
                "result": "意向",
                "hours": 1.5,
            },
            {
                "customer_id": "C0002",
                "date": dt.date(y1, 12, 15),
                "rep_id": "R002",
                "method": "微信沟通",
                "purpose": "洽谈订单",
                "result": "下单",
                "amount": 45800.00,
                "hours": 0.5,
            },
        ],
        "products": [
            {
                "product_id": "P001",
                "name": "智能控制器",
                "spec": "SC-100",
                "unit": "台",
                "price": 2680.00,
                "is_new": "否",
                "is_bestseller": "是",
            },
            {
                "product_id": "P002",
                "name": "物联网网关",
                "spec": "IoT-G2",
                "unit": "台",
                "price": 3500.00,
                "is_new": "是",
                "is_bestseller": "否",
            },
        ],
    }


def _note(col: schema.Column) -> str:
    kind = _TYPE_HELP[col.type].format(choices=" / ".join(col.choices))
    parts = [
        f"{col.zh} — {col.label} ({col.key})",
        "必填 required" if col.required else "选填 optional",
        f"格式 expected: {kind}",
    ]
    if col.min == 0 and col.max is None:
        parts.append("不能为负数 not negative")
    elif col.min is not None and col.max is not None:
        parts.append(f"范围 range {col.min:g}–{col.max:g}")
    if col.unique:
        parts.append("不能重复 unique")
    if col.dictionary:
        parts.append(f"下拉列表 list: {col.dictionary}")
    if len(col.aliases) > 0:
        parts.append("也接受 also accepted: " + ", ".join(col.aliases[:4]))
    return "\n".join(parts)


def _guide_lines(year: int, history_years: int = 3) -> list[tuple[str, str]]:
    first = f"{year - history_years}-01"
    lines: list[tuple[str, str]] = [
        ("title", f"{year} 年销售计划 输入数据说明 (input data guide)"),
        ("", "每张表一个工作表；第 2 行是表头，红色表头为必填列。可删除示例行后粘贴 ERP 导出数据。"),
        ("", "One sheet per table; row 2 holds the headers, red headers are required. "
         "Replace the example rows with your ERP export."),
        ("", "也可以使用 CSV 文件夹：每表一个文件，如 客户.csv 或 customers.csv（UTF-8 或 GBK）。"),
        ("", f"销售月份须在 {first} 至 {year}-12 之间 (sales months {first} … {year}-12)。"),
        ("", "应收：未填到期日时，按客户信用期计算，无信用期按 30 天 (due date defaults to invoice date + credit days, else 30)。"),
        ("", "金额单位：元；日期格式 yyyy-mm-dd；月份格式 YYYY-MM。"),
        ("", ""),
    ]  # fmt: skip
    for table in schema.TABLES:
        req = "、".join(c.zh for c in table.required_columns)
        opt = "、".join(c.zh for c in table.columns if not c.required)
        need = "可选表 optional" if table.optional else "必需表 required"
        lines.append(("table", f"{table.zh} ({table.en}) — {need}"))
        lines.append(("", table.description))
        if table.one_of:
            alts = "; ".join(" 或 ".join(table.column(k).zh for k in g) for g in table.one_of)
            req = f"{req}；{alts} 至少一列 (at least one)"
        lines.append(("", f"必填列 required: {req}"))
        lines.append(("", f"选填列 optional: {opt}"))
        lines.append(("", ""))
    return lines


def write_input_template(path: str | os.PathLike, year: int) -> Path:
    """Write the blank input workbook for ``year`` to ``path`` (atomically); return it."""
    target = Path(path)
    output_folder(target.parent)
    tmp = temp_path(target)
    try:
        _write(str(tmp), year)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, Exception):
            raise write_failed(exc, target) from None
        raise
    return publish(tmp, target)


def _write(filename: str, year: int) -> None:
    wb = xlsxwriter.Workbook(filename, {"strings_to_numbers": False, "strings_to_formulas": False})
    stamp = dt.datetime(year, 1, 1)
    wb.set_properties(
        {
            "title": f"{year} 年销售计划输入模板",
            "subject": "salesplan_xl input template",
            "created": stamp,
        }
    )
    font = {"font_name": "等线", "font_size": 11}
    fmt = {
        "title": wb.add_format({**font, "bold": True, "font_size": 14}),
        "table": wb.add_format({**font, "bold": True, "font_size": 12, "font_color": "#1F4E79"}),
        "text": wb.add_format({**font, "num_format": "@"}),
        "plain": wb.add_format(font),
        "req": wb.add_format(
            {**font, "bold": True, "font_color": "#C00000", "bg_color": "#FCE4D6", "border": 1}
        ),
        "opt": wb.add_format({**font, "bold": True, "bg_color": "#DDEBF7", "border": 1}),
        schema.DATE: wb.add_format({**font, "num_format": "yyyy-mm-dd"}),
        schema.MONEY: wb.add_format({**font, "num_format": "#,##0.00"}),
        schema.NUMBER: wb.add_format({**font, "num_format": "General"}),
        schema.INT: wb.add_format({**font, "num_format": "0"}),
        schema.PERCENT: wb.add_format({**font, "num_format": "0.0%"}),
    }

    guide = wb.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 110, fmt["plain"])
    for r, (kind, text) in enumerate(_guide_lines(year)):
        guide.write_string(r, 0, text, fmt.get(kind, fmt["plain"]))
    guide.activate()

    examples = example_rows(year)
    for table in schema.TABLES:
        ws = wb.add_worksheet(table.zh)
        need = "（可选表 optional）" if table.optional else ""
        ws.write_string(
            TITLE_ROW,
            0,
            f"{table.zh} {table.en} — {year} 年销售计划输入{need}（红色表头为必填）",
            fmt["title"],
        )
        for j, col in enumerate(table.columns):
            cell_fmt = fmt.get(col.type, fmt["text"])
            ws.set_column(j, j, _WIDE.get(col.key, _WIDTHS[col.type]), cell_fmt)
            ws.write_string(HEADER_ROW, j, col.zh, fmt["req"] if col.required else fmt["opt"])
            ws.write_comment(HEADER_ROW, j, _note(col), {"x_scale": 2.2, "y_scale": 1.6})
            _validate(ws, j, col)
        for i, row in enumerate(examples[table.key]):
            for j, col in enumerate(table.columns):
                value = row.get(col.key)
                if value is None:
                    continue
                r = FIRST_DATA_ROW + i
                if isinstance(value, dt.date):
                    ws.write_datetime(r, j, dt.datetime.combine(value, dt.time()), fmt[schema.DATE])
                elif isinstance(value, (int, float)):
                    ws.write_number(r, j, value, fmt.get(col.type, fmt["plain"]))
                else:
                    ws.write_string(r, j, str(value), fmt["text"])
        ws.freeze_panes(FIRST_DATA_ROW, 0)

    dic = wb.add_worksheet(DICTIONARY_SHEET)
    for j, (name, options) in enumerate(schema.DICTIONARIES.items()):
        dic.write_string(0, j, name)
        for i, option in enumerate(options):
            dic.write_string(1 + i, j, option)
        col = xl_col_to_name(j)
        wb.define_name(name, f"='{DICTIONARY_SHEET}'!${col}$2:${col}${len(options) + 1}")
    dic.set_column(0, len(schema.DICTIONARIES) - 1, 14)
    dic.hide()
    wb.close()


def _validate(ws, j: int, col: schema.Column) -> None:
    first, last = FIRST_DATA_ROW, LAST_ROW
    title = col.zh[:32]
    if col.dictionary:
        strict = col.type == schema.CHOICE
        ws.data_validation(
            first,
            j,
            last,
            j,
            {
                "validate": "list",
                "source": f"={col.dictionary}",
                "error_type": "stop" if strict else "warning",
                "error_title": title,
                "error_message": f"请从下拉列表选择 {col.dictionary} 的选项。",
            },
        )
    elif col.type == schema.BOOL:
        ws.data_validation(first, j, last, j, {"validate": "list", "source": ["是", "否"]})
    elif col.type == schema.DATE:
        ws.data_validation(
            first,
            j,
            last,
            j,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": dt.datetime.combine(MIN_VALID_DATE, dt.time()),
                "maximum": dt.datetime.combine(MAX_VALID_DATE, dt.time()),
                "error_title": title,
                "error_message": "请输入日期 yyyy-mm-dd (a date).",
            },
        )
    elif col.type in (schema.MONEY, schema.NUMBER, schema.INT) and col.min is not None:
        kind = "integer" if col.type == schema.INT else "decimal"
        if col.max is not None:
            rule = {"criteria": "between", "minimum": col.min, "maximum": col.max}
            msg = f"请输入 {col.min:g} 到 {col.max:g} 之间的数 (a number from {col.min:g} to {col.max:g})."
        else:
            rule = {"criteria": ">=", "value": col.min}
            msg = f"请输入不小于 {col.min:g} 的数 (a number of at least {col.min:g})."
        ws.data_validation(
            first,
            j,
            last,
            j,
            {"validate": kind, **rule, "error_title": title, "error_message": msg},
        )
