"""Output stays inside --out whatever the data names; text an .xlsx cannot hold, absurdly
long text and oversize workbooks are refused at input with the place named."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
import xlsxwriter
from company import CUSTOMERS, REPS, project, tables, write_csv, write_xlsx
from typer.testing import CliRunner

from salesplan_xl.cli import app
from salesplan_xl.data import xlsx_bounds

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
runner = CliRunner()


def build(plan, data, out, *extra):
    return runner.invoke(
        app, ["build", "--plan", str(plan), "--data", str(data), "--out", str(out), *extra]
    )


@pytest.mark.parametrize("dept", ["../../../../tmp/x", "a:b*c?[d]/e\\f"])
def test_scope_names_from_the_data_stay_inside_out(tmp_path, dept):
    customers = [list(r) for r in CUSTOMERS]
    reps = [list(r) for r in REPS]
    for row in customers[1:]:
        row[3] = dept
    reps[1][2] = dept
    plan, data = project(tmp_path / "p", 客户=customers, 业务员=reps)
    out = tmp_path / "deep" / "out"
    result = build(plan, data, out, "--scope", f"department:{dept}", "--scope", "company")
    assert result.exit_code == 0, result.output
    written = sorted(p for p in (tmp_path).rglob("*.xlsx") if p.parent != tmp_path / "p")
    assert len(written) == 2 and all(p.parent == out for p in written), written
    name = next(p.name for p in written if "department" in p.name)
    assert not set(name) & set('/\\:*?[]"<>|')
    assert name.startswith("salesplan_2026_department-")


@pytest.mark.parametrize("value", ["..", "CON", "/", "\x00", " ", "a" * 300, "../../etc/passwd"])
def test_kit_file_names_are_one_safe_component(tmp_path, value):
    from salesplan_xl.config import demo_plan
    from salesplan_xl.kit import kit_filename
    from salesplan_xl.render.files import inside
    from salesplan_xl.sheets.context import Scope

    name = kit_filename(demo_plan(), Scope("department", value))
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert len(name) < 120
    assert inside(tmp_path, tmp_path / name)


def test_two_departments_that_sanitise_alike_get_two_files(tmp_path):
    customers = [list(r) for r in CUSTOMERS]
    reps = [["业务员编号", "姓名", "部门"], ["R1", "张三", "a/b"], ["R2", "李四", "a_b"]]
    customers[1][3], customers[2][3], customers[2][4] = "a/b", "a_b", "R2"
    customers[3][3] = "a/b"
    plan, data = project(tmp_path / "p", 客户=customers, 业务员=reps)
    out = tmp_path / "out"
    result = build(plan, data, out, "--scope", "department:a/b", "--scope", "department:a_b")
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.xlsx"))) == 2


def test_word_line_breaks_become_spaces(tmp_path):
    customers = [list(r) for r in CUSTOMERS]
    customers[1][1] = "杭州\x0b甲公司\x0c"
    plan, data = project(tmp_path, 客户=customers)
    result = build(plan, data, tmp_path / "out")
    assert result.exit_code == 0, result.output
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(tmp_path / "out" / "salesplan_2026_company.xlsx"))
    share = book.get_sheet_by_name(next(n for n in book.sheet_names if n.startswith("9.3.1 ")))
    assert any("杭州 甲公司" in str(c) for row in share.to_python() for c in row)


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\x7f"])
def test_control_characters_are_refused_with_the_cell(tmp_path, char):
    customers = [list(r) for r in CUSTOMERS]
    customers[2][1] = f"广州{char}[31m乙公司"
    folder = write_csv(tmp_path / "data", tables(客户=customers))
    plan, _ = project(tmp_path / "p")
    result = build(plan, folder, tmp_path / "out")
    assert result.exit_code == 2, result.output
    if char == "\x00":  # csv refuses NUL bytes before any cell is read
        assert "客户.csv, row 3" in result.output
    else:
        assert "客户.csv, row 3, column 客户名称: expected text without control characters" in (
            result.output
        )
        assert f"\\x{ord(char):02x}" in result.output
    assert "\x1b" not in result.output, "no terminal escape reaches the screen"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("col, length, limit", [(1, 40_000, 200), (1, 201, 200), (0, 65, 64)])
def test_overlong_text_is_refused_with_the_cell(tmp_path, col, length, limit):
    customers = [list(r) for r in CUSTOMERS]
    customers[3][col] = "长" * length
    # CSV: an .xlsx writer would cut 40,000 characters to Excel's 32,767 itself
    folder = write_csv(tmp_path / "data", tables(客户=customers))
    plan, _ = project(tmp_path / "p")
    result = build(plan, folder, tmp_path / "out")
    assert result.exit_code == 2, result.output
    header = CUSTOMERS[0][col]
    assert (
        f"客户.csv, row 4, column {header}: expected text of at most {limit:,} characters, "
        f"found {length:,} characters"
    ) in result.output


def test_a_200_character_name_is_fine(tmp_path):
    customers = [list(r) for r in CUSTOMERS]
    customers[3][1] = "长" * 200
    plan, data = project(tmp_path, 客户=customers)
    assert runner.invoke(app, ["check", "--plan", str(plan), "--data", str(data)]).exit_code == 0


def test_plan_text_with_control_characters_is_refused(tmp_path):
    plan, data = project(tmp_path, company="测试\\u0007公司")  # a TOML escape
    result = runner.invoke(app, ["check", "--plan", str(plan), "--data", str(data)])
    assert result.exit_code == 2
    assert "key [plan] company: expected text without control characters" in result.output


def _far_cell_workbook(path):
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in tables().items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                ws.write(i, j, v)
        if name == "客户":
            ws.write(1_048_575, 16_383, "x")  # XFD1048576
    wb.close()


def test_a_cell_at_xfd1048576_is_refused_before_reading(tmp_path):
    plan, _ = project(tmp_path / "p")
    data = tmp_path / "far.xlsx"
    _far_cell_workbook(data)
    assert data.stat().st_size < 100_000
    started = time.perf_counter()
    result = build(plan, data, tmp_path / "out")
    assert time.perf_counter() - started < 10
    assert result.exit_code == 2, result.output
    assert "sheet 客户: expected at most 256 columns, found a cell at XFD1048576" in result.output


def _with_dimension(src, dst, ref):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                import re

                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            zout.writestr(item, data)


@pytest.mark.parametrize(
    "ref, found", [("A1:XFD3", "16384 columns declared"), ("A1:E2000000", "2000000 rows")]
)
def test_declared_dimensions_beyond_the_limits_are_refused(tmp_path, ref, found):
    plan, data = project(tmp_path / "p")
    bad = tmp_path / "declared.xlsx"
    _with_dimension(data, bad, ref)
    result = build(plan, bad, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "sheet 客户: expected at most" in result.output and found in result.output


def test_a_row_beyond_excels_last_is_refused(tmp_path):
    import re

    plan, data = project(tmp_path / "p")
    bad = tmp_path / "rows.xlsx"
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"/>', b"", body)
                body = body.replace(b'<row r="4"', b'<row r="3000000"')
                body = body.replace(b' r="A4"', b' r="A3000000"')
            zout.writestr(item, body)
    result = build(plan, bad, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "sheet 客户: expected at most 1048576 rows, found 3000000 rows" in result.output


def test_huge_shared_strings_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_bounds, "MAX_SHARED_STRINGS_BYTES", 200)
    plan, data = project(tmp_path / "p")
    result = build(plan, data, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "expected shared strings of at most" in result.output


def test_csv_with_a_field_beyond_the_csv_limit(tmp_path):
    customers = [list(r) for r in CUSTOMERS]
    customers[2][1] = "x" * 200_000
    folder = write_csv(tmp_path / "data", tables(客户=customers))
    plan, _ = project(tmp_path / "p")
    result = build(plan, folder, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "客户.csv, row" in result.output and "field" in result.output


def test_csv_too_wide(tmp_path):
    customers = [list(r) + [""] * 300 for r in CUSTOMERS]
    folder = write_csv(tmp_path / "data", tables(客户=customers))
    plan, _ = project(tmp_path / "p")
    result = build(plan, folder, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "客户.csv, row 1: expected at most 256 columns, found 305 columns" in result.output


def test_bounds_of_an_ordinary_workbook(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", tables())
    assert xlsx_bounds.bound_problems(path, "d.xlsx") == []
    assert xlsx_bounds.bound_problems(io.BytesIO(b"not a zip"), "x") == []
