"""Typed work is never lost: a kit holding typed input is not replaced without --force,
and then a timestamped backup is kept beside it."""

from __future__ import annotations

import re

import openpyxl
import pytest
from company import project
from typer.testing import CliRunner

from salesplan_xl.cli import app
from salesplan_xl.cycle.typed_inputs import typed_cells
from salesplan_xl.kit import build_from_files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
runner = CliRunner()


def type_into(kit, prefix="9.3.2 ", n=5):
    """A user types ``n`` monthly actuals (unlocked cells of 9.3.2) and saves."""
    wb = openpyxl.load_workbook(kit)
    ws = wb[next(s for s in wb.sheetnames if s.startswith(prefix))]
    done = 0
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            if cell.protection.locked is False and cell.value in (None, "") and done < n:
                cell.value = 1234.5 + done
                done += 1
    assert done == n
    wb.save(kit)


@pytest.fixture
def built(tmp_path):
    plan, data = project(tmp_path / "p")
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    return plan, data, kit


def test_a_fresh_kit_holds_no_typed_input(built):
    plan, data, kit = built
    assert typed_cells(kit) == 0
    wb = openpyxl.load_workbook(kit)
    wb.save(kit)  # saved again by another program, nothing typed
    assert typed_cells(kit) == 0
    (again,) = build_from_files(plan, data, kit.parent)  # replaced without a word
    assert again == kit


def test_build_refuses_to_replace_typed_input(built):
    plan, data, kit = built
    type_into(kit, n=5)
    before = kit.read_bytes()
    args = ["build", "--plan", str(plan), "--data", str(data), "--out", str(kit.parent)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"{kit}: expected a kit without typed input to replace" in result.output
    assert "found 5 typed input cells" in result.output
    assert kit.read_bytes() == before

    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    backups = list(kit.parent.glob("salesplan_2026_company.*.bak.xlsx"))
    assert len(backups) == 1
    assert re.fullmatch(r"salesplan_2026_company\.\d{8}-\d{6}\.bak\.xlsx", backups[0].name)
    assert backups[0].read_bytes() == before
    assert typed_cells(kit) == 0


def test_changed_values_count_as_typed(built):
    plan, data, kit = built
    wb = openpyxl.load_workbook(kit)
    for ws in wb.worksheets:
        cells = [c for row in ws.iter_rows(min_row=4) for c in row
                 if c.protection.locked is False and isinstance(c.value, str)]
        if cells:
            cells[0].value = cells[0].value + "（改）"
            break
    wb.save(kit)
    assert typed_cells(kit) == 1


def test_demo_refuses_too(tmp_path):
    assert runner.invoke(app, ["demo", "--out", str(tmp_path), "--customers", "30"]).exit_code == 0
    kit = tmp_path / "salesplan_2026_company.xlsx"
    type_into(kit, n=2)
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "--customers", "30"])
    assert result.exit_code == 2 and "found 2 typed input cells" in result.output


def test_rollover_twice_keeps_next_years_typed_input(tmp_path):
    from salesplan_xl.cycle import rollover_workbook
    from salesplan_xl.errors import InputError

    plan, data = project(tmp_path)
    (kit,) = build_from_files(plan, data, tmp_path / "out")
    nxt = rollover_workbook(kit)
    type_into(nxt, n=3)
    typed = nxt.read_bytes()
    with pytest.raises(InputError) as err:
        rollover_workbook(kit)
    assert "found 3 typed input cells" in str(err.value)
    assert nxt.read_bytes() == typed
    result = runner.invoke(app, ["rollover", str(kit), "--force"])
    assert result.exit_code == 0, result.output
    assert len(list(nxt.parent.glob("*.bak.xlsx"))) == 1


def test_a_workbook_not_written_by_salesplan_counts_every_filled_input(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "locked"
    for r in range(2, 6):
        ws[f"B{r}"] = r
        ws[f"B{r}"].protection = openpyxl.styles.Protection(locked=False)
    wb.save(path)
    assert typed_cells(path) == 4
