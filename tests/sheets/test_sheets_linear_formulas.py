"""The per-row formulas of the long customer lists cost a bounded number of cells each:
the work of a full recalculation grows linearly with the customers (issue 15)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import lay_out_kit, make_context
from salesplan_xl.sheets.layout import lay_out_list
from salesplan_xl.sheets.spec import TEMPLATE_DIR, load_spec

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from recalc_cost import formula_cost  # noqa: E402

SHEETS = ["317_customer_performance", "322_visit_records", "324_key_accounts", "329_key_account_service"]


def _costs(customers: int) -> dict[str, int]:
    plan = demo_plan(2026)
    ctx = make_context(plan, demo_dataset(customers=customers, year=2026, as_of=plan.as_of))
    specs = tuple(load_spec(TEMPLATE_DIR / f"{n}.yaml") for n in ["010_settings", *SHEETS])
    return {
        lay.spec.id: sum(formula_cost(c[3], {}) for c in lay.cells if c[3])
        for lay in lay_out_kit(ctx, specs)
    }


def test_cells_referenced_grow_linearly_on_the_long_lists():
    small, large = _costs(100), _costs(400)
    for sheet in ("9.3.22", "9.3.24", "9.3.29"):
        assert large[sheet] < 6 * small[sheet], (sheet, small[sheet], large[sheet])
    # 9.3.17 ranks an unsorted, typed column: one SUMIF and one COUNTIF a row remain
    assert large["9.3.17"] < 18 * small["9.3.17"]


def test_formulas_read_shared_cells_not_whole_columns():
    plan = demo_plan(2026)
    ctx = make_context(plan, demo_dataset(customers=60, year=2026, as_of=plan.as_of))
    specs = tuple(load_spec(TEMPLATE_DIR / f"{n}.yaml") for n in ["010_settings", *SHEETS])
    lays = {lay.spec.id: lay for lay in lay_out_kit(ctx, specs)}
    k = lays["9.3.24"]
    col = {key: j for j, key in enumerate(c.key for c in k.spec.columns)}
    row = k.row_of[5]
    cum = next(c for c in k.cells if c[0] == row and c[1] == col["cumulative"])[3]
    abc = next(c for c in k.cells if c[0] == row and c[1] == col["abc"])[3]
    assert "SUM(" not in cum and f"F{row}" in cum  # the row above, plus this row's share
    assert "SUM" not in abc and "COUNTIF" not in abc
    total = next(c for c in k.cells if c[0] == k.total_row and c[1] == col["cumulative"])
    assert total[3].startswith("SUM(") and total[2] == pytest.approx(sum(k.values["last_year"]))
    p = lays["9.3.17"]
    cls = next(c for c in p.cells if c[0] == p.row_of[3] and c[1] == len(p.spec.columns) - 1)[3]
    assert cls.count("SUMIF") == 1 and cls.count("COUNTIF") == 1


def test_grouped_count_refuses_a_list_whose_values_are_apart():
    plan = demo_plan(2026)
    ctx = make_context(plan, demo_dataset(customers=20, year=2026, as_of=plan.as_of))
    spec = load_spec(TEMPLATE_DIR / "322_visit_records.yaml")
    rows = [{"customer_id": c} for c in ("C1", "C1", "C2", "C1")]
    with pytest.raises(ValueError, match="'C1' stands in two places"):
        lay_out_list(spec, rows, ctx)
    lay = lay_out_list(spec, [{"customer_id": c} for c in ("C1", "C1", "C2", None)], ctx)
    assert lay.values["visits"] == [2, 2, 1, ""]


@pytest.mark.libreoffice
def test_typed_visits_are_counted_after_recalculation(tmp_path):
    """Type visits into the blank rows of 9.3.22 (an existing customer and a new one) and
    change a pre-filled row's customer to its neighbour's: LibreOffice's counts equal
    count_same over the column, row by row."""
    from conftest import need_libreoffice

    need_libreoffice()
    import openpyxl
    from python_calamine import CalamineWorkbook

    from salesplan_xl.kit import build_kit
    from salesplan_xl.libreoffice import recalculate
    from salesplan_xl.planning.customer_lists import count_same

    plan = demo_plan(2026)
    data = demo_dataset(customers=40, year=2026, as_of=plan.as_of)
    specs = tuple(load_spec(TEMPLATE_DIR / f"{n}.yaml") for n in ["010_settings", "322_visit_records"])
    kit = build_kit(plan, data, tmp_path / "kit", specs=specs)
    wb = openpyxl.load_workbook(kit)
    ws = next(w for w in wb.worksheets if w.title.startswith("9.3.22"))
    ids = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    n = next(i for i, v in enumerate(ids) if v is None)  # first blank row left for the user
    assert n >= 3
    ws.cell(4 + n, 3).value = ids[0]  # another visit of the first customer
    ws.cell(5 + n, 3).value = "NEW-1"
    ws.cell(6 + n, 3).value = "NEW-1"
    if ids[1] != ids[0]:  # the second customer's first row becomes the first customer's
        ws.cell(5, 3).value = ids[0]
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    out = recalculate(typed, tmp_path / "lo")
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(ws.title).to_python()
    rows = grid[3 : 3 + n + 30]
    customer = [r[2] if r[2] != "" else None for r in rows]
    visits = [r[15] for r in rows]
    want = ["" if v is None else float(v) for v in count_same(customer)]
    assert visits == want
