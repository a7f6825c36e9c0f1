"""The blank input template: structure, validations, and its example rows load."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from salesplan_xl.data import schema
from salesplan_xl.data.readers import load_data
from salesplan_xl.render.input_template import example_rows, write_input_template

YEAR = 2026


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_input_template(tmp_path_factory.mktemp("tpl") / "input.xlsx", YEAR)


def test_example_rows_load_back(template):
    d = load_data(template, year=YEAR)
    examples = example_rows(YEAR)
    for key, table in d.tables().items():
        assert len(table) == len(examples[key]), key
    assert d.customers["customer_id"].tolist() == ["C0001", "C0002", "C0003"]
    assert d.customers["grade"].tolist() == ["A", "B", "C"]  # from "A 重点客户" etc.
    assert d.reps["rep_id"].tolist() == ["R001", "R002"]
    assert d.sales["month"].tolist() == ["2025-01", "2025-02", "2025-01", "2025-10"]
    assert d.sales["amount"].tolist() == [120000.0, 86500.5, 45800.0, 12600.0]
    assert d.invoices["invoice_id"].tolist() == ["FP0001", "FP0002"]
    assert d.invoices["due_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-04", "2025-12-31"]
    assert d.products["is_new"].tolist() == [False, True]
    assert d.products["is_bestseller"].tolist() == [True, False]
    assert d.visits["hours"].tolist() == [1.5, 0.5]


def test_sheets_headers_notes_and_dictionary(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["说明", "客户", "业务员", "销售", "应收", "拜访", "产品", "字典"]
    assert wb["字典"].sheet_state == "hidden"
    assert wb.active.title == "说明"
    for table in schema.TABLES:
        ws = wb[table.zh]
        headers = [c.value for c in ws[2]]
        assert headers == [c.zh for c in table.columns]
        for cell, col in zip(ws[2], table.columns, strict=True):
            assert cell.comment is not None and col.key in cell.comment.text
            assert ("必填 required" in cell.comment.text) == col.required
            assert (
                cell.font.color is not None and cell.font.color.rgb == "FFC00000"
            ) == col.required
    names = wb.defined_names
    for name, options in schema.DICTIONARIES.items():
        dn = names[name]
        (sheet, ref), *_ = dn.destinations
        assert sheet == "字典"
        values = [c.value for row in wb["字典"][ref.replace("$", "")] for c in row]
        assert values == list(options)


def test_validations_point_at_named_lists(template):
    wb = openpyxl.load_workbook(template)
    rules = {}
    for table in schema.TABLES:
        ws = wb[table.zh]
        for dv in ws.data_validations.dataValidation:
            col = str(dv.sqref).split(":")[0].rstrip("0123456789")
            header = ws[f"{col}2"].value
            rules[(table.zh, header)] = (dv.type, dv.formula1, dv.operator, dv.errorStyle)
    assert rules[("客户", "区域")][:2] == ("list", "区域")
    assert rules[("客户", "区域")][3] == "warning"  # other regions are allowed
    assert rules[("客户", "客户等级")][:2] == ("list", "客户等级")
    assert rules[("客户", "客户等级")][3] in (None, "stop")
    assert rules[("客户", "信用等级")][:2] == ("list", "信用等级")
    assert rules[("应收", "收款方式")][:2] == ("list", "收款方式")
    assert rules[("拜访", "拜访方式")][:2] == ("list", "拜访方式")
    assert rules[("产品", "单位")][:2] == ("list", "计量单位")
    assert rules[("产品", "新品")][:2] == ("list", '"是,否"')
    assert rules[("应收", "开票日")][0] == "date"
    assert rules[("应收", "金额")][:3] == ("decimal", "0", "greaterThanOrEqual")
    assert rules[("客户", "信用期(天)")][0] == "whole"
    assert ("销售", "毛利") not in rules  # gross profit may be negative


def test_written_atomically_and_reproducibly(tmp_path):
    a = write_input_template(tmp_path / "a.xlsx", YEAR)
    b = write_input_template(tmp_path / "sub" / "b.xlsx", YEAR)
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "sub"]  # no temp files left
    assert zipfile.ZipFile(a).testzip() is None
    # overwriting an existing file replaces it
    (tmp_path / "c.xlsx").write_text("old")
    write_input_template(tmp_path / "c.xlsx", YEAR)
    assert (tmp_path / "c.xlsx").read_bytes() == a.read_bytes()


def test_guide_sheet_mentions_every_table(template):
    wb = openpyxl.load_workbook(template)
    text = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    for table in schema.TABLES:
        assert f"{table.zh} ({table.en})" in text
    assert "2023-01" in text and "2026-12" in text
