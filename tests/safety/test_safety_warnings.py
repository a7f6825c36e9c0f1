"""What check and build tell the user without stopping: each case a user would want to
hear about, printed as one "warning:" line."""

from __future__ import annotations

import datetime as dt

import pytest
from company import CUSTOMERS, INVOICES, project, sales_rows
from typer.testing import CliRunner

from salesplan_xl.cli import app
from salesplan_xl.data.plausibility import resolve_as_of
from salesplan_xl.kit import check_inputs

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
runner = CliRunner()


def check(plan, data):
    result = runner.invoke(app, ["check", "--plan", str(plan), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line.startswith("warning: ")]


def test_a_clean_company_has_no_warnings(tmp_path):
    assert check(*project(tmp_path)) == []


def test_unknown_plan_keys_with_did_you_mean(tmp_path):
    extra = "\n[targets]\ngrwoth = 0.2\n\n[threshold]\noverdue_alert_days = 30\n"
    plan, data = project(tmp_path, plan_extra=extra)
    warnings = check(plan, data)
    assert any("unknown key [targets] grwoth (did you mean growth?)" in w for w in warnings)
    assert any("unknown section [threshold] (did you mean [thresholds]?)" in w for w in warnings)
    result = runner.invoke(
        app, ["build", "--plan", str(plan), "--data", str(data), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0 and "grwoth (did you mean growth?)" in result.output
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(tmp_path / "o" / "salesplan_2026_company.xlsx"))
    settings = book.get_sheet_by_name(next(n for n in book.sheet_names if n.startswith("参数")))
    cells = [c for row in settings.to_python() for c in row if isinstance(c, str)]
    assert "检查提示" in cells
    assert any("grwoth (did you mean growth?)" in c for c in cells)


def test_override_for_a_department_not_in_the_data(tmp_path):
    plan, data = project(tmp_path, plan_extra='\n[targets.departments]\n"大客户部" = 0.2\n')
    (w,) = check(plan, data)
    assert "[targets.departments] 大客户部: no such department in the data (直营部)" in w


def test_no_history_at_all(tmp_path):
    (w,) = check(*project(tmp_path, 销售=[["客户编号", "月份", "销售额"]]))
    assert "no sales history at all: every target is 0" in w


def test_no_sales_last_year(tmp_path):
    rows = [r for r in sales_rows() if not str(r[1]).startswith("2025")]
    (w,) = check(*project(tmp_path, 销售=rows))
    assert "no sales in 2025: every target is 0" in w


def test_incomplete_last_year(tmp_path):
    rows = sales_rows() + [["C1", f"2024-{m:02d}", 500.0] for m in range(1, 13)]
    rows = [r for r in rows if r[1] not in ("2025-11", "2025-12")]
    (w,) = check(*project(tmp_path, 销售=rows))
    assert "sales of 2025 have none in 11月, 12月 although 2024 had" in w


def test_implausible_dates(tmp_path):
    invoices = [list(r) for r in INVOICES] + [["F9", "C3", "2099-01-05", 100, 0]]
    customers = [[*r, "首次交易日" if i == 0 else None] for i, r in enumerate(CUSTOMERS)]
    customers[2][-1] = "2026-11-01"  # after C2's last sale (2026-05)
    warnings = check(*project(tmp_path, 应收=invoices, 客户=customers))
    assert any("1 invoice(s) dated after the plan year 2026: F9 (2099-01-05)" in w for w in warnings)
    assert any(
        "1 customer(s) with a first trade after their last sale: C2 (2026-11-01 > 2026-05)" in w
        for w in warnings
    )


def test_customer_in_another_department_than_its_rep(tmp_path):
    customers = [list(r) for r in CUSTOMERS]
    customers[3][3] = "渠道部"
    (w,) = check(*project(tmp_path, 客户=customers))
    assert "1 customer(s) in another department than their rep: C3 渠道部 (rep R1 直营部)" in w


def test_as_of_is_chosen_from_the_data_and_said(tmp_path):
    plan, data = project(tmp_path, as_of=None)
    cfg, ds = check_inputs(plan, data)
    assert not cfg.as_of_given
    assert any("no as_of (基准日) set; using" in n for n in cfg.notes)
    assert resolve_as_of(2026, ds, today=dt.date(2027, 2, 1)) == (
        dt.date(2026, 5, 31),
        "the last month with sales",
    )
    assert resolve_as_of(2026, ds, today=dt.date(2026, 8, 9))[0] == dt.date(2026, 8, 9)
    warnings = check(plan, data)
    assert any("no as_of (基准日) set; using" in w for w in warnings)


def test_init_leaves_as_of_to_the_data(tmp_path):
    assert runner.invoke(app, ["init", str(tmp_path / "p"), "--year", "2027"]).exit_code == 0
    text = (tmp_path / "p" / "plan.toml").read_text(encoding="utf-8")
    assert "\nas_of" not in text and "# as_of = 2027-09-30" in text
    assert "2027-12-31" not in text


def test_huge_amounts(tmp_path):
    rows = sales_rows() + [["C1", "2025-02", "2,000,000,000,000"]]
    (w,) = check(*project(tmp_path, 销售=rows))
    assert "1 sales row(s) of 10,000,000,000 yuan or more: C1 2025-02 (2,000,000,000,000.00)" in w


def test_plan_year_without_a_holiday_calendar(tmp_path):
    rows = [[c, m.replace("2026", "2027").replace("2025", "2026"), a] for c, m, a in sales_rows()]
    rows[0] = ["客户编号", "月份", "销售额"]
    warnings = check(*project(tmp_path, year=2027, 销售=rows, 应收=None))
    assert any("no data for 2027 yet: workdays are counted Monday to Friday" in w for w in warnings)
