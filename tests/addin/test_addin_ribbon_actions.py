"""Ribbon actions driven through the openpyxl double (the same code Excel runs)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from ribbon_double import OpenpyxlBook

from salesplan_xl import ribbon

warnings.filterwarnings("ignore", message=".*extension is not supported.*")

P8 = "P8 销售工作计划表"
P9 = "P9 销售预算"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    """plan.toml + data.xlsx (salesplan init) and the kit built from them into out/."""
    from salesplan_xl.kit import build_from_files, init_project

    root = tmp_path_factory.mktemp("proj")
    plan, data, _content = init_project(root, 2026)
    (kit,) = build_from_files(plan, data, root / "out")
    return root, kit


@pytest.fixture
def book(project) -> OpenpyxlBook:
    return OpenpyxlBook(project[1])


def test_split_even_into_twelve_months(book):
    book.write(P9, "A4", [[1200]])
    book.write(P9, "B4", [[None] * 12])
    book.select(P9, "A4")
    parts = ribbon.split_target(book, months=12)
    assert parts == [100.0] * 12
    assert book.read(P9, "B4:M4") == [[100.0] * 12]


def test_split_by_the_existing_seasonality_with_the_rounding_unit(book):
    unit = ribbon.rounding_unit(book)
    assert unit == 100  # 参数 取整单位 (cfg_unit)
    book.write(P9, "B4", [[1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1]])
    book.write(P9, "A4", [[200000]])
    book.select(P9, "A4")
    parts = ribbon.split_target(book)
    assert sum(parts) == 200000
    assert all(p % 100 == 0 for p in parts)
    assert parts[0] == parts[11] and parts[2] == 2 * parts[0]


def test_split_a_column_selection_by_given_weights(book):
    book.write(P8, "J4", [[1000], [None], [None], [None]])
    book.select(P8, "J4:J7")
    parts = ribbon.split_target(book, weights=[1, 2, 7])
    assert parts == [100.0, 200.0, 700.0]
    assert [r[0] for r in book.read(P8, "J5:J7")] == parts


def test_split_reads_a_total_typed_as_text_like_the_data_readers(book):
    # The total is read by data.normalise.number: grouped or full-width digits are numbers.
    book.write(P9, "A4", [["１,２００"]])
    book.write(P9, "B4", [[None] * 12])
    book.select(P9, "A4")
    assert ribbon.split_target(book, months=12) == [100.0] * 12


def test_split_refuses_text(book):
    book.write(P9, "A4", [["推广费"]])
    book.select(P9, "A4")
    assert ribbon.split_target(book) == []
    assert "不是数字" in book.messages[-1]


def test_check_inputs_lists_and_marks_bad_cells(book):
    assert ribbon.check_inputs(book) == []
    assert book.messages[-1] == "检查输入：未发现问题。"
    book.write("参数", "B10", [[20]])  # growth: out of range
    book.write("参数", "B7", [["明天"]])  # as-of date: text
    book.write(P8, "A5", [[1.5]])  # 序号: whole number expected
    book.write(P8, "F5", [["胡说"]])  # 实际完成日期: a date expected
    findings = ribbon.check_inputs(book)
    got = {(f.sheet, f.cell): (f.expected, f.found) for f in findings}
    assert got[("参数", "B10")] == ("数字，-0.99 至 10", "20")
    assert got[("参数", "B7")][0].startswith("日期") and got[("参数", "B7")][1] == "明天"
    assert got[(P8, "A5")] == ("整数，0 至 1000000000", "1.5")
    assert got[(P8, "F5")][0].startswith("日期") and got[(P8, "F5")][1] == "胡说"
    assert len(findings) == 4
    rows = book.read(ribbon.CHECK_SHEET, "A1:D5")
    assert rows[0] == ["工作表", "单元格", "应为", "实际"]
    assert {(r[0], r[1]) for r in rows[1:]} == set(got)
    assert all(book.marked[k] for k in got)
    # fixed inputs: the next check clears the marks and the list
    book.write("参数", "B10", [[0.1]])
    book.write("参数", "B7", [[None]])
    book.write(P8, "A5", [[2]])
    book.write(P8, "F5", [[None]])
    assert ribbon.check_inputs(book) == []
    assert not any(book.marked.values())
    assert book.read(ribbon.CHECK_SHEET, "A2:B2") == [[None, None]]


def test_refresh_restores_data_values_and_keeps_inputs(book, project):
    root, kit = project
    assert ribbon.find_inputs(kit) == (root / "plan.toml", root / "data.xlsx")
    assert book.read("参数", "A11")[0][0] == "上年销售额"
    last_total = book.read("参数", "B11")[0][0]
    book.write("参数", "B11", [[1.0]])  # a value from the data, overwritten
    book.write("参数", "B10", [[0.25]])  # an input the user typed
    result = ribbon.refresh(book)
    assert result.updated == 1 and not result.skipped
    assert book.read("参数", "B11")[0][0] == pytest.approx(last_total)
    assert book.read("参数", "B10")[0][0] == 0.25
    assert book.messages[-1].startswith("刷新完成")


def test_refresh_skips_a_sheet_whose_rows_moved(book):
    sheet = "9.3.1 客户销售份额统计表"
    if sheet not in book.sheet_names():
        pytest.skip(f"{sheet} not in the kit")
    names = book.read(sheet, "A1:Z10")
    r, c = next(
        (i, j)
        for i, row in enumerate(names[3:], 3)
        for j, v in enumerate(row)
        if isinstance(v, str)
    )
    book.write(sheet, ribbon.cell_ref(r + 1, c + 1), [["另一家客户"]])
    result = ribbon.refresh(book)
    assert sheet in result.skipped
    assert "重新生成" in book.messages[-1]


def test_refresh_without_plan_reports(tmp_path, project):
    copy = tmp_path / "salesplan_2026_company.xlsx"
    copy.write_bytes(project[1].read_bytes())
    book = OpenpyxlBook(copy)
    assert ribbon.refresh(book) is None
    assert "plan.toml" in book.messages[-1]


def test_regenerate_builds_beside_the_workbook(book, project, tmp_path):
    paths = ribbon.regenerate(book, out_dir=tmp_path)
    assert [p.name for p in paths] == [project[1].name]
    assert paths[0].is_file()


def test_scope_from_filename():
    assert ribbon.scope_from_filename(Path("salesplan_2026_company.xlsx")) == "company"
    assert ribbon.scope_from_filename(Path("salesplan_2026_region-华东.xlsx")) == "region:华东"
    assert ribbon.scope_from_filename(Path("x.xlsx")) == "company"


def test_diagnostics(book):
    report = ribbon.diagnostics(book)
    assert report["xlwings"] == "0.37.8"
    assert report["salesplan_xl"]
    assert report["UDFs"].startswith(("ok", "not importable"))
    assert "xlwings: 0.37.8" in book.messages[-1]
