"""The plan sheets of the demo kit: exact splits, validations, protection, print setup,
reproducibility, scopes and English labels."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesplan_xl.config import demo_plan
from salesplan_xl.data.demo import demo_dataset
from salesplan_xl.kit import build_kit

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def book(demo_kit):
    return CalamineWorkbook.from_path(str(demo_kit))


def _sheet(book, prefix):
    name = next(n for n in book.sheet_names if n.startswith(prefix))
    return book.get_sheet_by_name(name).to_python()


def _cents(x) -> int:
    return int(Decimal(str(x)) * 100)


def test_target_breakdown_adds_up_exactly_at_every_level(book):
    rows = _sheet(book, "P3 ")
    header = rows[2]
    months = [header.index(f"{m}月") for m in range(1, 13)]
    quarters = [header.index(f"Q{q}") for q in range(1, 5)]
    target = header.index("年度目标")
    body = [r for r in rows[3:] if r[0] in ("公司", "部门", "业务员")]
    assert body[0][0] == "公司"
    for r in body:
        assert sum(_cents(r[m]) for m in months) == _cents(r[target]), r[:2]
        for q, col in enumerate(quarters):
            assert _cents(r[col]) == sum(_cents(r[m]) for m in months[3 * q : 3 * q + 3])
    company = body[0]
    depts = [r for r in body if r[0] == "部门"]
    assert len(depts) == 4
    for m in [*months, target]:
        assert sum(_cents(d[m]) for d in depts) == _cents(company[m])
    # reps under each department add up to it
    current, reps = None, {}
    for r in body[1:]:
        if r[0] == "部门":
            current = r
            reps[id(current)] = (r, [])
        else:
            reps[id(current)][1].append(r)
    for dept, members in reps.values():
        assert members, dept[1]
        for m in [*months, target]:
            assert sum(_cents(x[m]) for x in members) == _cents(dept[m])
    unit = 100
    assert all(_cents(r[m]) % (unit * 100) == 0 for r in body for m in months)
    assert all(r[header.index("拆分差额")] == 0 for r in body)


def test_department_customer_plan_rows_and_columns_add_up(book):
    rows = _sheet(book, "P4 ")
    header = rows[2]
    months = [header.index(f"{m}月") for m in range(1, 13)]
    target, last = header.index("年度目标"), header.index("上年实际")
    customers = [r for r in rows[3:] if isinstance(r[1], str) and r[1].startswith("C")]
    subtotals = [r for r in rows[3:] if isinstance(r[0], str) and r[0].endswith("小计")]
    total = next(r for r in rows[3:] if r[0] == "合计")
    assert len(customers) == 300 and len(subtotals) == 4
    for r in customers:
        assert sum(_cents(r[m]) for m in months) == _cents(r[target])
        growth = r[header.index("增长率")]
        if r[last]:
            assert abs(growth - (r[target] / r[last] - 1)) < 1e-9
        else:
            assert growth == ""
    for m in [*months, target]:
        assert sum(_cents(s[m]) for s in subtotals) == _cents(total[m])
        assert sum(_cents(r[m]) for r in customers) == _cents(total[m])
    # P4 shows the one plan: its total is P3's company line, month by month.
    p3 = _sheet(book, "P3 ")
    company = p3[3]
    p3_head = p3[2]
    assert _cents(total[target]) == _cents(company[p3_head.index("年度目标")])
    for m in range(1, 13):
        p3_m = p3_head.index(f"{m}月")
        assert _cents(total[months[m - 1]]) == _cents(company[p3_m])


def test_every_input_column_is_validated_and_sheets_are_protected(demo_kit):
    wb = openpyxl.load_workbook(demo_kit)
    checked = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or ws.title.startswith(("P0", "目录")):
            continue
        assert ws.protection.sheet, f"{ws.title} is not protected"
        unlocked = {}
        for row in ws.iter_rows(min_row=4, max_row=min(ws.max_row, 60)):
            for c in row:
                if isinstance(c, openpyxl.cell.cell.MergedCell):
                    continue
                if c.protection is not None and c.protection.locked is False and c.has_style:
                    unlocked.setdefault((c.column_letter, c.row > 20), c.coordinate)
        ranges = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
        for coord in unlocked.values():
            cell = ws[coord]
            assert any(
                cell.coordinate in openpyxl.worksheet.cell_range.MultiCellRange(r) for r in ranges
            ), f"{ws.title}!{coord} is an input cell without validation"
            checked += 1
    assert checked > 50


def test_lists_print_with_titles_a4_fit_to_width(demo_kit):
    from salesplan_xl.render.writer import MIN_PRINT_SCALE

    wb = openpyxl.load_workbook(demo_kit)
    for name in wb.sheetnames:
        ws = wb[name]
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.paperSize in (9, "9"), name
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert ws.page_setup.fitToWidth in (None, 1, "1"), name  # 1 is the OOXML default
        else:  # too wide to fit one page legibly: fixed scale, landscape, pages across
            assert int(ws.page_setup.scale) == MIN_PRINT_SCALE, name
            assert ws.page_setup.orientation == "landscape", name
        assert "&P" in (ws.oddFooter.center.text or ""), name
        assert "&A" in (ws.oddFooter.left.text or ""), name  # the sheet's name on each page
    for prefix in ("9.3.1 ", "P4 ", "P3 "):
        ws = wb[next(n for n in wb.sheetnames if n.startswith(prefix))]
        assert ws.print_title_rows == "$1:$3"
        assert ws.freeze_panes is not None
    for prefix, keys in (("P3 ", "$A:$B"), ("P4 ", "$A:$C"), ("9.3.2 ", "$A:$B")):
        ws = wb[next(n for n in wb.sheetnames if n.startswith(prefix))]
        assert ws.print_title_cols == keys, prefix  # key columns on every page across


def test_the_same_inputs_give_byte_identical_workbooks(tmp_path):
    plan = demo_plan()
    digests = set()
    for k in range(2):
        data = demo_dataset(customers=60, as_of=plan.as_of)
        path = build_kit(plan, data, tmp_path / str(k))
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_scope_filters_rows_and_titles(tmp_path):
    plan = demo_plan()
    data = demo_dataset(customers=120, as_of=plan.as_of)
    dept = data.departments()[0]
    path = build_kit(plan, data, tmp_path, scope=f"department:{dept}")
    assert path.name == f"salesplan_2026_department-{dept}.xlsx"
    book = CalamineWorkbook.from_path(str(path))
    rows = _sheet(book, "P4 ")
    assert f"部门：{dept}" in rows[1][0]
    depts = {r[0] for r in rows[3:] if isinstance(r[1], str) and r[1].startswith("C")}
    assert depts == {dept}
    expected = set(data.customers.loc[data.customers["department"] == dept, "customer_id"])
    share = _sheet(book, "9.3.1 ")
    assert {r[1] for r in share[3:] if isinstance(r[1], str) and r[1].startswith("C")} == expected


def test_english_labels(tmp_path):
    plan = demo_plan()
    path = build_kit(plan, demo_dataset(customers=40, as_of=plan.as_of), tmp_path, lang="en")
    book = CalamineWorkbook.from_path(str(path))
    assert "P3 Target breakdown" in book.sheet_names
    rows = _sheet(book, "P3 ")
    assert rows[2][:4] == ["Level", "Name", "Last year", "Annual target"]
    assert rows[3][0] == "Company"


def test_text_from_the_data_is_never_a_formula(tmp_path):
    plan = demo_plan()
    data = demo_dataset(customers=30, as_of=plan.as_of)
    data.customers.loc[0, "name"] = '=HYPERLINK("http://x","y")'
    data.customers.loc[1, "name"] = "+1-2"
    data.customers.loc[2, "name"] = "@SUM(A1)"
    path = build_kit(plan, data, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[next(n for n in wb.sheetnames if n.startswith("9.3.1 "))]
    found = {
        c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    }
    for text in ('=HYPERLINK("http://x","y")', "+1-2", "@SUM(A1)"):
        assert found.get(text) == "s", text


def test_every_sheet_reads_back_with_openpyxl_and_calamine(demo_kit):
    wb = openpyxl.load_workbook(demo_kit)
    book = CalamineWorkbook.from_path(str(demo_kit))
    assert wb.sheetnames == book.sheet_names
    assert len(wb.sheetnames) >= 44
    for ws in wb.worksheets:
        grid = book.get_sheet_by_name(ws.title).to_python()
        assert grid, ws.title
        for r in range(min(ws.max_row, 40)):
            for c in range(min(ws.max_column, 30)):
                v = ws.cell(row=r + 1, column=c + 1).value
                if isinstance(v, str) and not v.startswith("="):
                    assert grid[r][c] == v, (ws.title, r, c)
