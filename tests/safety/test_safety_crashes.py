"""Inputs that used to crash with a traceback: each now builds a kit or gives one clear
line naming the place, exit code 2."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from company import INVOICES, PRODUCTS, VISITS, project, sales_rows
from typer.testing import CliRunner

from salesplan_xl.cli import app
from salesplan_xl.kit import build_from_files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
runner = CliRunner()


def build(plan, data, out, *extra):
    return runner.invoke(
        app, ["build", "--plan", str(plan), "--data", str(data), "--out", str(out), *extra]
    )


def no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "override",
    [
        {"拜访": None},
        {"拜访": [VISITS[0]]},
        {"产品": [PRODUCTS[0]]},
        {"应收": [INVOICES[0]]},
        {"销售": [["客户编号", "月份", "销售额"]]},
        {"拜访": None, "产品": None, "应收": [INVOICES[0]], "销售": [["客户编号", "月份", "销售额"]]},
    ],
    ids=["visits-absent", "visits-header-only", "products-header-only", "invoices-header-only",
         "sales-header-only", "every-table-empty"],
)
def test_empty_optional_tables_build_a_kit(tmp_path, override):
    plan, data = project(tmp_path, **override)
    result = build(plan, data, tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "salesplan_2026_company.xlsx").stat().st_size > 10_000


@pytest.mark.parametrize("amount", ["1" + "0" * 26, "1e400", 1e26, 9.9e307])
def test_implausible_amounts_are_rejected_with_the_cell(tmp_path, amount):
    rows = sales_rows() + [["C1", "2026-01", amount], ["C2", "2026-01", amount]]
    plan, data = project(tmp_path, 销售=rows)
    result = build(plan, data, tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 2
    n = len(rows)
    assert f"sheet 销售, row {n - 1}, column 销售额: expected an amount of money" in result.output
    assert f"row {n}, column 销售额" in result.output
    assert "below 10,000,000,000,000" in result.output
    assert not (tmp_path / "out").exists()


def test_largest_plausible_amount_is_accepted(tmp_path):
    plan, data = project(tmp_path, 销售=sales_rows() + [["C1", "2026-01", "9,999,999,999,999.99"]])
    result = runner.invoke(app, ["check", "--plan", str(plan), "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_out_naming_a_file_is_an_input_error(tmp_path):
    plan, data = project(tmp_path / "p")
    target = tmp_path / "out.txt"
    target.write_text("not a folder")
    result = build(plan, data, target)
    no_traceback(result)
    assert result.exit_code == 2
    assert f"{target}: expected a folder to write the kit to (--out), found a file" in result.output
    result = build(plan, data, target / "below")
    assert result.exit_code == 2 and "found a file" in result.output


def test_read_only_folder_is_one_line(tmp_path, monkeypatch):
    plan, data = project(tmp_path / "p")
    real_open = os.open

    def refuse(path, *a, **k):  # root ignores chmod: refuse writes into out/ here
        if Path(path).parent.name == "out":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(os, "open", refuse)
    result = build(plan, data, tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 2
    assert "permission denied; choose a folder you may write to" in result.output


def test_kit_held_open_in_excel_says_close_it(tmp_path, monkeypatch):
    plan, data = project(tmp_path / "p")
    out = tmp_path / "out"

    def locked(src, dst):  # what Windows does while Excel holds the file
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    result = build(plan, data, out)
    no_traceback(result)
    assert result.exit_code == 2
    assert "close it in Excel" in result.output
    assert list(out.iterdir()) == [], "no temporary file is left behind"


def test_full_disk_is_one_line(tmp_path, monkeypatch):
    import errno

    import xlsxwriter.workbook

    plan, data = project(tmp_path / "p")

    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    result = build(plan, data, tmp_path / "out")
    no_traceback(result)
    assert result.exit_code == 2
    assert "the disk is full" in result.output
    assert list((tmp_path / "out").iterdir()) == []


def test_kits_are_readable_by_colleagues(tmp_path):
    plan, data = project(tmp_path / "p")
    old = os.umask(0o022)
    try:
        (path,) = build_from_files(plan, data, tmp_path / "out")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_no_temporary_file_exists_while_building(tmp_path, monkeypatch):
    """A killed build leaves nothing: the temporary file appears only at the final write."""
    from salesplan_xl.render import writer

    plan, data = project(tmp_path / "p")
    seen = []
    real = writer.KitWriter.add_layout

    def spy(self, lay, ws=None):
        seen.append(sorted(p.name for p in self.path.parent.iterdir()))
        return real(self, lay, ws)

    monkeypatch.setattr(writer.KitWriter, "add_layout", spy)
    build_from_files(plan, data, tmp_path / "out")
    assert seen and all(s == [] for s in seen)


def test_company_name_with_console_markup(tmp_path):
    plan, data = project(tmp_path, company="[/]测试[bold]公司[/bold] [link=x]")
    result = runner.invoke(app, ["check", "--plan", str(plan), "--data", str(data)])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "[/]测试[bold]公司[/bold] [link=x]" in result.output
    result = build(plan, data, tmp_path / "[out]")
    assert result.exit_code == 0, result.output
    assert "[out]" in result.output


@pytest.mark.parametrize("option", [["--lang", "fr"], ["--formulas", "vba"]])
def test_cli_choices_are_checked(tmp_path, option):
    plan, data = project(tmp_path)
    result = build(plan, data, tmp_path / "out", *option)
    assert result.exit_code == 2
    assert option[1] in result.output
    assert not (tmp_path / "out").exists()


def test_rollover_new_customer_with_chinese_units(tmp_path):
    from salesplan_xl.cycle import rollover_workbook

    plan, data = project(tmp_path)
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    wb = openpyxl.load_workbook(kit)
    ws = wb[next(n for n in wb.sheetnames if n.startswith("9.3.6 "))]
    header = {c.value: c.column_letter for c in ws[3]}
    r = next(r for r in range(4, ws.max_row + 2) if ws[f"A{r}"].value in (None, ""))
    ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = "N1", "新客户公司", "华东"
    ws[f"{header['信用额度']}{r}"] = "5万"
    ws[f"{header['信用期(天)']}{r}"] = "30天"
    wb.save(kit)
    new = rollover_workbook(kit)
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(new))
    reg = book.get_sheet_by_name(next(n for n in book.sheet_names if n.startswith("9.3.6 ")))
    rows = reg.to_python()
    head = rows[2]
    row = next(x for x in rows if x[0] == "N1")
    assert row[head.index("信用额度")] == 50000
    assert row[head.index("信用期(天)")] == 30


def test_rollover_names_a_bad_new_customer_cell(tmp_path):
    from salesplan_xl.cycle import rollover_workbook
    from salesplan_xl.errors import InputError

    plan, data = project(tmp_path)
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    wb = openpyxl.load_workbook(kit)
    ws = wb[next(n for n in wb.sheetnames if n.startswith("9.3.6 "))]
    header = {c.value: c.column_letter for c in ws[3]}
    r = next(r for r in range(4, ws.max_row + 2) if ws[f"A{r}"].value in (None, ""))
    ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = "N1", "新客户公司", "华东"
    ws[f"{header['信用额度']}{r}"] = "很多"
    wb.save(kit)
    with pytest.raises(InputError) as err:
        rollover_workbook(kit)
    assert f"sheet {ws.title}, row {r}, column 信用额度: expected an amount of money" in str(
        err.value
    )
    assert not (tmp_path / "history.sqlite").exists()


def test_the_environment_cannot_swap_the_add_ins_vba(tmp_path, monkeypatch):
    from salesplan_xl.addin.package import macros_dir

    evil = tmp_path / "macros"
    evil.mkdir()
    (evil / "SalesPlanRibbon.bas").write_text(
        'Attribute VB_Name = "X"\nSub Workbook_Open()\nShell "calc"\nEnd Sub\n'
    )
    monkeypatch.setenv("SALESPLAN_MACROS_DIR", str(evil))
    assert macros_dir() != evil
    assert "Shell" not in (macros_dir() / "SalesPlanRibbon.bas").read_text(encoding="utf-8")


def test_init_files_are_readable_by_colleagues(tmp_path):
    old = os.umask(0o022)
    try:
        assert runner.invoke(app, ["init", str(tmp_path / "p")]).exit_code == 0
    finally:
        os.umask(old)
    files = ["content.yaml", "data.xlsx", "plan.toml"]
    for name in files:
        assert (tmp_path / "p" / name).stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == files


def test_an_unexpected_error_is_one_line_without_traceback(monkeypatch, capsys):
    import sys

    from salesplan_xl import cli, kit

    def boom(*a, **k):
        raise RuntimeError("something broke")

    monkeypatch.setattr(kit, "build_demo_kit", boom)
    monkeypatch.setattr(sys, "argv", ["salesplan", "demo", "--out", "x"])
    monkeypatch.delenv("SALESPLAN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "error: unexpected RuntimeError: something broke" in err
    assert "Traceback" not in err


def test_addin_build_into_a_file_is_one_line(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(app, ["addin", "build", "--out", str(target)])
    assert result.exit_code == 2, result.output
    assert "cannot write there" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
