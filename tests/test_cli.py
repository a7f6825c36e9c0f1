"""The CLI as a user drives it: init → edit → check → build, and bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from salesplan_xl.cli import app

runner = CliRunner()


def salesplan(*args: str):
    return runner.invoke(app, list(args))


def test_every_command_has_help():
    for cmd in ([], ["demo"], ["init"], ["check"], ["build"]):
        result = salesplan(*cmd, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_console_script_runs():
    out = subprocess.run(
        [sys.executable, "-m", "salesplan_xl.cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "salesplan_xl" in out.stdout


def _edit(data: Path) -> None:
    """A user adds a customer and a sale to the example rows."""
    wb = openpyxl.load_workbook(data)
    ws = wb["客户"]
    header = [c.value for c in ws[2]]
    row = {h: None for h in header}
    values = {
        "客户编号": "C0099",
        "客户名称": "杭州新客户有限公司",
        "区域": "华东",
        "部门": "直营部",
        "业务员编号": "R001",
        "客户等级": "B",
        "信用额度": 100000,
        "信用期(天)": 30,
    }
    for h in header:
        for k, v in values.items():
            if h and str(h).rstrip("*").strip() == k:
                row[h] = v
    ws.append([row[h] for h in header])
    wb.save(data)


def test_init_edit_check_build_round_trip(tmp_path):
    result = salesplan("init", str(tmp_path / "p"), "--year", "2026")
    assert result.exit_code == 0, result.output
    plan, data = tmp_path / "p" / "plan.toml", tmp_path / "p" / "data.xlsx"
    assert plan.exists() and data.exists()
    text = plan.read_text(encoding="utf-8").replace(
        'company = "示例贸易有限公司"', 'company = "测试公司"'
    )
    plan.write_text(text, encoding="utf-8")
    _edit(data)
    result = salesplan("check", "--plan", str(plan), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "测试公司" in result.output
    result = salesplan(
        "build", "--plan", str(plan), "--data", str(data), "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 0, result.output
    kit = tmp_path / "out" / "salesplan_2026_company.xlsx"
    wb = CalamineWorkbook.from_path(str(kit))
    assert "9.3.1 客户销售份额统计表" in wb.sheet_names
    ids = {row[1] for row in wb.get_sheet_by_name("9.3.1 客户销售份额统计表").to_python()}
    assert "C0099" in ids
    assert not list((tmp_path / "out").glob(".tmp-*")), "no temporary file is left behind"


def test_init_never_overwrites(tmp_path):
    assert salesplan("init", str(tmp_path)).exit_code == 0
    result = salesplan("init", str(tmp_path))
    assert result.exit_code == 2
    assert (
        "plan.toml: expected a new file (init never overwrites), found it exists" in result.output
    )


def test_bad_input_is_reported_with_place_and_nothing_is_written(tmp_path):
    salesplan("init", str(tmp_path / "p"), "--year", "2026")
    data = tmp_path / "p" / "data.xlsx"
    wb = openpyxl.load_workbook(data)
    ws = wb["客户"]
    ws.cell(row=4, column=1).value = ws.cell(row=3, column=1).value  # duplicate 客户编号
    wb.save(data)
    out = tmp_path / "out"
    result = salesplan(
        "build", "--plan", str(tmp_path / "p" / "plan.toml"), "--data", str(data), "--out", str(out)
    )
    assert result.exit_code == 2
    assert "sheet 客户, row 4, column 客户编号" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_bad_plan_is_reported_with_key(tmp_path):
    salesplan("init", str(tmp_path / "p"), "--year", "2026")
    plan = tmp_path / "p" / "plan.toml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("growth = 0.15", 'growth = "high"'),
        encoding="utf-8",
    )
    result = salesplan("check", "--plan", str(plan), "--data", str(tmp_path / "p" / "data.xlsx"))
    assert result.exit_code == 2
    assert "key [targets] growth: expected a number, found 'high'" in result.output


def test_unknown_scope_is_an_input_error(tmp_path):
    salesplan("init", str(tmp_path / "p"), "--year", "2026")
    p = tmp_path / "p"
    result = salesplan(
        "build",
        "--plan",
        str(p / "plan.toml"),
        "--data",
        str(p / "data.xlsx"),
        "--out",
        str(tmp_path / "o"),
        "--scope",
        "region:火星",
    )
    assert result.exit_code == 2
    assert "火星" in result.output


@pytest.mark.parametrize(
    "customers", [300, pytest.param(10_000, marks=pytest.mark.slow)]  # 10,000: minutes
)
def test_demo_command_builds_a_kit(tmp_path, customers):
    result = salesplan("demo", "--out", str(tmp_path), "--customers", str(customers))
    assert result.exit_code == 0, result.output
    wb = CalamineWorkbook.from_path(str(tmp_path / "salesplan_2026_company.xlsx"))
    rows = (
        wb.get_sheet_by_name("9.3.6 客户登记表").to_python()
        if "9.3.6 客户登记表" in wb.sheet_names
        else None
    )
    share = wb.get_sheet_by_name("9.3.1 客户销售份额统计表").to_python()
    ids = [r[1] for r in share[3:] if isinstance(r[1], str) and r[1].startswith("C")]
    assert len(ids) == customers
    if rows is not None:
        assert len([r for r in rows[3:] if r[0]]) >= customers
