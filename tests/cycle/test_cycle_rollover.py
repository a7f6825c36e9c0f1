"""Year rollover: what users typed into a kit reaches next year's kit and the history."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesplan_xl.config import default_plan_text
from salesplan_xl.cycle import rollover_workbook
from salesplan_xl.cycle.history import MIGRATIONS
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.errors import InputError
from salesplan_xl.kit import build_from_files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture
def project(tmp_path):
    """plan.toml, a CSV data folder (the demo company, 60 customers) and the built kit."""
    (tmp_path / "plan.toml").write_text(default_plan_text(), encoding="utf-8")
    data = demo_dataset(customers=60)
    folder = tmp_path / "data"
    folder.mkdir()
    for name, frame in data.tables().items():
        frame.drop(columns=[c for c in ("year", "month_num") if name == "sales"]).to_csv(
            folder / f"{name}.csv", index=False, date_format="%Y-%m-%d"
        )
    (kit,) = build_from_files(tmp_path / "plan.toml", folder, tmp_path / "out")
    return tmp_path, kit, data


def _type(kit, sheet_prefix, values):
    wb = openpyxl.load_workbook(kit)
    ws = wb[next(n for n in wb.sheetnames if n.startswith(sheet_prefix))]
    for coord, v in values.items():
        ws[coord] = v
    wb.save(kit)
    return ws


def _row_of(kit, sheet_prefix, customer_id, col=1):
    wb = openpyxl.load_workbook(kit, read_only=True)
    ws = wb[next(n for n in wb.sheetnames if n.startswith(sheet_prefix))]
    for row in ws.iter_rows(min_row=4):
        if row[col - 1].value == customer_id:
            return row[0].row
    raise AssertionError(customer_id)


def test_typed_months_and_new_customers_reach_next_year(project):
    root, kit, data = project
    cid = data.customers["customer_id"].iloc[0]
    r = _row_of(kit, "9.3.2 ", cid)
    # 9.3.2: columns A id, B name, C region, D type, E..P = months 1..12
    _type(kit, "9.3.2 ", {f"N{r}": 1000.5, f"O{r}": 2000, f"P{r}": 3000})
    reg_row = _row_of(kit, "9.3.6 ", data.customers["customer_id"].iloc[-1]) + 1
    _type(
        kit,
        "9.3.6 ",
        {f"A{reg_row}": "N0001", f"B{reg_row}": "新客户有限公司", f"C{reg_row}": "华东"},
    )
    new = rollover_workbook(kit)
    assert new == root / "out" / "2027" / "salesplan_2027_company.xlsx"
    book = CalamineWorkbook.from_path(str(new))
    p4 = book.get_sheet_by_name(
        next(n for n in book.sheet_names if n.startswith("P4 "))
    ).to_python()
    header = p4[2]
    last = {row[1]: row[header.index("上年实际")] for row in p4[3:]}
    s = data.sales
    before = s[(s["customer_id"] == cid) & (s["year"] == 2026) & (s["month_num"] <= 9)][
        "amount"
    ].sum()
    assert last[cid] == pytest.approx(before + 1000.5 + 2000 + 3000)
    assert "N0001" in last
    assert p4[0][0].endswith("2027年 企业部门别及客户别销售额计划表")
    with sqlite3.connect(root / "history.sqlite") as db:
        rows = db.execute(
            "SELECT month, amount FROM monthly_sales WHERE customer_id = ? AND year = 2026 "
            "AND month >= 10 ORDER BY month",
            (cid,),
        ).fetchall()
        assert rows == [(10, 1000.5), (11, 2000.0), (12, 3000.0)]
        assert db.execute("SELECT COUNT(*) FROM archive").fetchone()[0] > 100
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_bad_cell_is_named_and_nothing_is_written(project):
    root, kit, data = project
    r = _row_of(kit, "9.3.2 ", data.customers["customer_id"].iloc[1])
    _type(kit, "9.3.2 ", {f"N{r}": "很多"})
    with pytest.raises(InputError) as err:
        rollover_workbook(kit)
    assert (
        f"salesplan_2026_company.xlsx, sheet 9.3.2 客户销售统计表, row {r}, column 10月: expected an amount of 0 or more, found '很多'"
        in str(err.value)
    )
    assert not (root / "out" / "2027").exists()
    assert not (root / "history.sqlite").exists()


def test_ribbon_and_cli_roll_over(project):
    from typer.testing import CliRunner

    from salesplan_xl import ribbon
    from salesplan_xl.cli import app

    root, kit, _ = project

    class Book:  # the two things the rollover action uses of the workbook port
        path = kit
        said: list[str] = []

        def message(self, text):
            self.said.append(text)

    book = Book()
    new = ribbon.rollover(book)
    assert new is not None and new.exists() and "年度滚动完成" in book.said[-1]
    result = CliRunner().invoke(app, ["rollover", str(kit)])
    assert result.exit_code == 0, result.output
    assert "salesplan_2027_company.xlsx" in result.output
