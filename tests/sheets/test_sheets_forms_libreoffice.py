"""The forms in LibreOffice: cached values equal the recalculation, another customer in
the dropdown fills the lookups, every form prints on one page, and the native 大写
formula equals ``rmb_upper``."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from conftest import need_libreoffice
from forms_helpers import FORM_IDS, build_forms_kit, demo_context, field, find, grids, sheet_of
from recalc import compare

from salesplan_xl import measures
from salesplan_xl.planning.rmb import rmb_upper
from salesplan_xl.sheets.form_sources import chosen_customer, lookup_row

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore::UserWarning")]

CUSTOMER_FORMS = (
    "9.3.3",
    "9.3.7",
    "9.3.10",
    "9.3.11",
    "9.3.13",
    "9.3.18",
    "9.3.19",
    "9.3.28",
    "9.3.30",
    "9.3.31",
)


@pytest.fixture(scope="module")
def forms_kit(tmp_path_factory) -> Path:
    need_libreoffice()
    return build_forms_kit(tmp_path_factory.mktemp("forms"), customers=120)


def test_cached_values_equal_libreoffice(forms_kit, tmp_path):
    from salesplan_xl.libreoffice import recalculate

    n, problems = compare(forms_kit, recalculate(forms_kit, tmp_path))
    assert n > 150
    assert problems == [], "\n".join(problems[:30])


def test_choosing_another_customer_fills_the_lookups(forms_kit, tmp_path):
    from salesplan_xl.libreoffice import recalculate

    ctx = demo_context(120)
    other = chosen_customer(ctx, 7)
    wb = openpyxl.load_workbook(forms_kit)
    for fid in CUSTOMER_FORMS:
        ws = wb[sheet_of(wb.sheetnames, fid)]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == "客户编号")
        ws.cell(cell.row, cell.column + 1).value = other
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    sheets = grids(recalculate(changed, tmp_path / "lo"))
    row = lookup_row(ctx, other)
    for fid in CUSTOMER_FORMS:
        g = sheets[sheet_of(sheets, fid)]
        assert field(g, "客户编号") == other
        assert field(g, "客户名称") == row["name"], fid
    g = sheets[sheet_of(sheets, "9.3.10")]
    assert field(g, "区域") == row["region"] and field(g, "客户等级") == row["grade"]
    assert field(g, "上年销售额") == pytest.approx(row["last_year"])
    assert field(g, "现信用额度") == pytest.approx(row["credit_limit"])
    assert field(g, "现信用期(天)") == row["credit_days"]
    assert field(g, "现信用等级") == row["credit_grade"]
    assert field(g, "月均销售") == pytest.approx(row["last_year"] / 12)
    g = sheets[sheet_of(sheets, "9.3.18")]
    assert field(g, "首次交易") is not None and field(g, "地址") == row["address"]
    assert field(g, "信用额度") == pytest.approx(row["credit_limit"])
    g = sheets[sheet_of(sheets, "9.3.19")]
    assert field(g, "客户等级") == row["grade"]


def test_every_form_prints_on_exactly_one_page(forms_kit, tmp_path):
    from salesplan_xl.libreoffice import convert
    from salesplan_xl.sheets.spec import load_specs

    pdf = convert(forms_kit, tmp_path, "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = [p.replace(" ", "") for p in text.split("\f") if p.strip()]
    specs = {
        s.id: s
        for s in load_specs()
        if s.kind == "form" and not s.options.get("hidden") and s.options.get("form") is None
    }
    assert set(FORM_IDS) <= set(specs)
    titles = {fid: f"{s.number}{s.name}" for fid, s in specs.items()}
    settings_pages = [
        p for p in pages if "基准日" in p and not any(t in p for t in titles.values())
    ]
    counted = 0
    for fid, title in titles.items():
        n = sum(title in p for p in pages)  # the footer names the sheet on each page
        if specs[fid].options.get("fit_pages") == [1, 0]:  # long plan documents: pages tall
            assert n >= 1, f"{fid} is not printed"
        else:
            assert n == 1, f"{fid} is not on exactly one page"
        counted += n
    assert len(pages) == counted + len(settings_pages)


def test_native_rmb_formula_equals_rmb_upper(tmp_path):
    need_libreoffice()
    from python_calamine import CalamineWorkbook

    from salesplan_xl.libreoffice import recalculate

    rng = random.Random(5)
    amounts = [0, 0.05, 10.05, 100000, 1409.50, 6007.14, 1000000.01, 100010000, 0.5, 10, 1010]
    amounts += [1001, 10001, 100000001, 1000000000.1, 999999999999.99, 110000000.5, -1680.32]
    for _ in range(400):
        digits = "".join(rng.choice("0000123456789") for _ in range(14))
        amounts.append(int(digits[-rng.randint(1, 14) :]) / 100)
    formula = measures.get("rmb_upper").formula
    path = tmp_path / "rmb.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("rmb")
    for i, a in enumerate(amounts):
        ws.write_number(i, 0, a)
        ws.write_formula(i, 1, "=" + formula.replace("{amount}", f"A{i + 1}"), None, "")
    wb.close()
    rows = (
        CalamineWorkbook.from_path(str(recalculate(path, tmp_path / "lo")))
        .get_sheet_by_name("rmb")
        .to_python()
    )
    wrong = [
        (a, r[1], rmb_upper(a)) for a, r in zip(amounts, rows, strict=True) if r[1] != rmb_upper(a)
    ]
    assert wrong == []
    assert len(formula) < 8192 - 200  # Excel's formula limit, with room for long references


def test_find_helper_sees_the_signature_boxes(forms_kit):
    g = grids(forms_kit)[sheet_of(grids(forms_kit), "9.3.19")]
    r, c = find(g, "总经理")
    assert g[r - 5][c] == "审批环节"
